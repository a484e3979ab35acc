//! From findings to checks: which findings a validator applies to, their named captures
//! and paired findings, and one check per distinct (validator, secret, captures, pairs),
//! however many places hold the secret.

use std::collections::HashMap;

use regex::Regex;
use regex::bytes::Regex as BytesRegex;

use crate::finding::{Finding, FindingKind, Validation};
use crate::rules::{Endpoint, Rule, Validator};

use super::endpoints::EndpointOverride;

/// One request's worth of work, shared by every finding that holds the same secret.
#[derive(Debug, Clone)]
pub struct Check {
    /// Index of the validator's rule in the rule list.
    pub rule: usize,
    pub secret: String,
    pub captures: Vec<(String, String)>,
    pub pairs: Vec<(String, String)>,
    /// Findings whose outcome this is.
    pub findings: Vec<usize>,
    /// Paired findings, which take the outcome when their own rule has no validator.
    pub partners: Vec<usize>,
}

impl Check {
    /// Every secret value the request carries, to keep them out of identities.
    pub fn secrets(&self) -> Vec<&str> {
        std::iter::once(self.secret.as_str())
            .chain(self.pairs.iter().map(|(_, value)| value.as_str()))
            .chain(self.captures.iter().map(|(_, value)| value.as_str()))
            .collect()
    }
}

pub struct Plan {
    pub checks: Vec<Check>,
    /// Findings settled without a request, with why.
    pub settled: Vec<(usize, Validation)>,
}

/// Plans the checks of `findings` against `rules`.
pub fn plan(findings: &[Finding], rules: &[Rule], endpoints: &[EndpointOverride]) -> Plan {
    let rule_index: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(index, rule)| (rule.id.as_str(), index))
        .collect();
    let mut places: HashMap<(&str, Option<&str>), Vec<usize>> = HashMap::new();
    for (index, finding) in findings.iter().enumerate() {
        places.entry(place(finding)).or_default().push(index);
    }
    let mut compiled = Compiled::default();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut checks: Vec<Check> = Vec::new();
    let mut settled = Vec::new();
    for (index, finding) in findings.iter().enumerate() {
        let validator = rule_index
            .get(finding.rule_id.as_str())
            .and_then(|&r| rules[r].validate.as_ref().map(|v| (r, v)));
        let Some((rule, validator)) = validator else {
            settled.push((index, not_checked("no validator for this rule")));
            continue;
        };
        if finding.kind != FindingKind::Content {
            settled.push((index, not_checked("not a secret in content")));
            continue;
        }
        match prepare(
            index,
            finding,
            &rules[rule],
            validator,
            findings,
            &places,
            endpoints,
            &mut compiled,
        ) {
            Err(reason) => settled.push((index, not_checked(&reason))),
            Ok((captures, pairs, partners)) => {
                let key = dedup_key(&finding.rule_id, &finding.secret, &captures, &pairs);
                let at = *by_key.entry(key).or_insert_with(|| {
                    checks.push(Check {
                        rule,
                        secret: finding.secret.clone(),
                        captures,
                        pairs,
                        findings: Vec::new(),
                        partners: Vec::new(),
                    });
                    checks.len() - 1
                });
                checks[at].findings.push(index);
                checks[at].partners.extend(partners);
            }
        }
    }
    Plan { checks, settled }
}

type Prepared = (Vec<(String, String)>, Vec<(String, String)>, Vec<usize>);

#[expect(
    clippy::too_many_arguments,
    reason = "one call site, every argument is distinct"
)]
fn prepare(
    index: usize,
    finding: &Finding,
    rule: &Rule,
    validator: &Validator,
    findings: &[Finding],
    places: &HashMap<(&str, Option<&str>), Vec<usize>>,
    endpoints: &[EndpointOverride],
    compiled: &mut Compiled,
) -> Result<Prepared, String> {
    if let Some(pattern) = &validator.applies_to
        && !compiled
            .text(pattern)
            .is_some_and(|re| re.is_match(&finding.secret))
    {
        return Err("this kind of key has no validator".into());
    }
    if validator.endpoint == Endpoint::Required
        && !endpoints.iter().any(|o| o.host == validator.host())
    {
        return Err(format!(
            "needs --validation-endpoint {}=https://YOUR-INSTANCE",
            validator.host()
        ));
    }
    let mut captures = Vec::new();
    if validator.uses_captures()
        && let Some(regex) = rule.regex.as_deref().and_then(|r| compiled.bytes(r))
        && let Some(found) = regex.captures(finding.matched.as_bytes())
    {
        for name in regex.capture_names().flatten() {
            if let Some(value) = found.name(name) {
                captures.push((
                    name.to_string(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                ));
            }
        }
    }
    let mut pairs = Vec::new();
    let mut partners = Vec::new();
    let nearby = places.get(&place(finding)).map_or(&[][..], Vec::as_slice);
    for (name, rule_id) in &validator.pair {
        let partner = nearby
            .iter()
            .copied()
            .filter(|&other| other != index && findings[other].rule_id == *rule_id)
            .min_by_key(|&other| findings[other].start.line.abs_diff(finding.start.line));
        match partner {
            Some(other) => {
                pairs.push((name.clone(), findings[other].secret.clone()));
                partners.push(other);
            }
            None => return Err(format!("no {rule_id} found in the same file to pair with")),
        }
    }
    Ok((captures, pairs, partners))
}

/// Findings that can pair: the same path, in the same commit.
fn place(finding: &Finding) -> (&str, Option<&str>) {
    (
        finding.path.as_str(),
        finding.commit.as_ref().map(|commit| commit.id.as_str()),
    )
}

fn dedup_key(
    rule: &str,
    secret: &str,
    captures: &[(String, String)],
    pairs: &[(String, String)],
) -> String {
    // NUL cannot occur in rule ids; lengths keep values from running into each other.
    let mut key = format!("{rule}\0{}:{secret}", secret.len());
    for (name, value) in captures.iter().chain(pairs) {
        key.push_str(&format!("\0{name}={}:{value}", value.len()));
    }
    key
}

fn not_checked(reason: &str) -> Validation {
    Validation::NotChecked {
        reason: reason.to_string(),
    }
}

/// Regexes compiled once per run.
#[derive(Default)]
struct Compiled {
    text: HashMap<String, Option<Regex>>,
    bytes: HashMap<String, Option<BytesRegex>>,
}

impl Compiled {
    fn text(&mut self, pattern: &str) -> Option<&Regex> {
        self.text
            .entry(pattern.to_string())
            .or_insert_with(|| Regex::new(pattern).ok())
            .as_ref()
    }

    fn bytes(&mut self, pattern: &str) -> Option<&BytesRegex> {
        self.bytes
            .entry(pattern.to_string())
            .or_insert_with(|| {
                let build = |unicode: bool| {
                    regex::bytes::RegexBuilder::new(pattern)
                        .unicode(unicode)
                        .build()
                };
                build(false).or_else(|_| build(true)).ok()
            })
            .as_ref()
    }
}
