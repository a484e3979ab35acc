//! The checks that turn one [`RuleSpec`] (and its allowlists) into a [`Rule`]: ids, regexes
//! (parsed, and for user rules size-limited), detectors, severities and confidences, the
//! compact provider form expanded; each error names the file, the rule and the fix.
//!
//! Knows nothing about where the specs came from; [`super::load`] reads the files.

use super::context;
use super::error::ConfigError;
use super::go_regex;
use super::model::{
    Allowlist, Condition, Confidence, Detector, Example, RegexTarget, Rule, Severity,
};
use super::spec::{AllowlistSpec, ExampleSpec, RULE_KEYS, RuleSpec};

/// Whether regexes are checked when loading. Built-in rules are checked by the test
/// suite, so start-up does not pay for parsing hundreds of regexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trust {
    Builtin,
    User,
}

pub(super) fn rule_shape_error(path: &str, id: &str, error: &toml::de::Error) -> ConfigError {
    let message = error.message().trim().to_string();
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_string);
    let error = ConfigError::invalid(path, Some(id), message);
    match unknown.and_then(|key| closest_key(&key)) {
        Some(suggestion) => error.with_hint(format!("did you mean `{suggestion}`?")),
        None => error,
    }
}

/// The known rule key closest to a misspelt one, if any is close.
fn closest_key(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase().replace(['_', '-'], "");
    RULE_KEYS
        .iter()
        .copied()
        .find(|known| known.to_ascii_lowercase().replace('_', "") == lower)
        .or_else(|| {
            RULE_KEYS
                .iter()
                .copied()
                .map(|known| (edit_distance(&lower, &known.to_ascii_lowercase()), known))
                .filter(|(distance, _)| *distance <= 2)
                .min_by_key(|(distance, _)| *distance)
                .map(|(_, known)| known)
        })
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

pub(super) fn check_rule(path: &str, spec: RuleSpec, trust: Trust) -> Result<Rule, ConfigError> {
    let mut spec = spec;
    if trust == Trust::User {
        spec.regex = spec.regex.as_deref().map(go_regex::translate);
        spec.path = spec.path.as_deref().map(go_regex::translate);
    }
    let id = spec.id.trim().to_string();
    let fail = |message: String| ConfigError::invalid(path, Some(&id), message);
    if id.is_empty() {
        return Err(ConfigError::invalid(path, None, "a rule has an empty `id`"));
    }
    let context = if !spec.names.is_empty() || spec.token.is_some() {
        Some(expand_context(&mut spec).map_err(|message| {
            fail(message).with_hint(
                "a compact rule has names = [\"provider\"] and token = \"hex32\" (or alnum20-40, b64url43, uuid, ...), and no regex or keywords",
            )
        })?)
    } else {
        None
    };
    if spec.regex.is_none() && spec.path.is_none() && spec.detector.is_none() {
        return Err(
            fail("the rule has no `regex`, `path` or `detector`".into()).with_hint(
                "add regex = '''...''' to match content, or path = '''...''' to match file names",
            ),
        );
    }
    let detector = match spec.detector.as_deref() {
        None => None,
        Some(_) if spec.regex.is_some() => {
            return Err(fail(
                "a rule has either `regex` or `detector`, not both".into(),
            ));
        }
        Some(name) => Some(Detector::parse(name).ok_or_else(|| {
            let known: Vec<&str> = Detector::ALL.iter().map(|(name, _)| *name).collect();
            fail(format!("unknown detector `{name}`"))
                .with_hint(format!("use one of: {}", known.join(", ")))
        })?),
    };
    if trust == Trust::User {
        if let Some(regex) = &spec.regex {
            let groups = check_regex(path, &id, "regex", regex)?;
            if let Some(group) = spec.secret_group
                && group > groups
            {
                return Err(fail(format!(
                    "secretGroup = {group}, but the regex has {groups} capture group(s)"
                ))
                .with_hint("count the opening parentheses of capturing groups; use (?:...) for groups that are not the secret"));
            }
        }
        if let Some(path_regex) = &spec.path {
            check_regex(path, &id, "path", path_regex)?;
        }
    }
    if let Some(entropy) = spec.entropy
        && !(0.0..=8.0).contains(&entropy)
    {
        return Err(
            fail(format!("entropy = {entropy} is out of range")).with_hint(
                "Shannon entropy of bytes is between 0 and 8; 3.0 to 4.5 suits most tokens",
            ),
        );
    }
    let severity = match spec.severity.as_deref() {
        None => Severity::Medium,
        Some(name) => Severity::parse(name).ok_or_else(|| {
            fail(format!("unknown severity `{name}`"))
                .with_hint(format!("use one of: {}", Severity::NAMES.join(", ")))
        })?,
    };
    let confidence = match spec.confidence.as_deref() {
        None => None,
        Some(name) => Some(Confidence::parse(name).ok_or_else(|| {
            fail(format!("unknown confidence `{name}`"))
                .with_hint(format!("use one of: {}", Confidence::NAMES.join(", ")))
        })?),
    };
    if spec.keywords.iter().any(|keyword| keyword.is_empty()) {
        return Err(fail("a keyword is empty".into())
            .with_hint("an empty keyword would match every file; remove it"));
    }
    let mut allowlists = Vec::new();
    for allowlist in spec.allowlists.into_iter().chain(spec.allowlist) {
        if !allowlist.target_rules.is_empty() {
            return Err(fail(
                "`targetRules` belongs in a global [[allowlists]] entry".into(),
            ));
        }
        allowlists.push(check_allowlist(path, Some(&id), allowlist, trust)?);
    }
    let validate = spec
        .validate
        .map(|validate| {
            super::validator::check_validator(
                path,
                &id,
                validate,
                spec.regex.as_deref(),
                trust == Trust::User,
            )
        })
        .transpose()?;
    Ok(Rule {
        validate,
        description: spec.description.unwrap_or_else(|| id.clone()),
        regex: spec.regex,
        detector,
        secret_group: spec.secret_group,
        entropy: spec.entropy,
        keywords: spec
            .keywords
            .iter()
            .map(|keyword| keyword.to_ascii_lowercase())
            .collect(),
        path: spec.path,
        tags: spec.tags,
        allowlists,
        severity,
        confidence,
        context,
        remediation: spec.remediation.unwrap_or_default(),
        examples: spec.examples.into_iter().map(example).collect(),
        negative_examples: spec.negative_examples.into_iter().map(example).collect(),
        origin: path.to_string(),
        id,
    })
}

/// Turns a compact provider-context rule into the regex, keywords and entropy floor it
/// stands for. (Placeholders that fit the key's shape are dropped by the engine.)
fn expand_context(spec: &mut RuleSpec) -> Result<context::KeySpec, String> {
    if spec.regex.is_some() || spec.detector.is_some() || !spec.keywords.is_empty() {
        return Err("a compact rule (`names` and `token`) has no `regex`, `detector` or `keywords`: they are made from it".into());
    }
    let Some(tokens) = spec.token.take() else {
        return Err("`names` needs `token`, the key's shape".into());
    };
    let expanded = context::expand(
        &spec.names,
        &tokens.into_vec(),
        spec.near,
        spec.prefix.as_deref(),
    )?;
    spec.regex = Some(expanded.regex);
    spec.keywords = expanded.keywords;
    spec.entropy = Some(spec.entropy.unwrap_or(expanded.entropy));
    if !spec.tags.iter().any(|tag| tag == "context") {
        spec.tags.push("context".to_string());
    }
    Ok(expanded.key)
}

fn example(spec: ExampleSpec) -> Example {
    match spec {
        ExampleSpec::Text(text) => Example { path: None, text },
        ExampleSpec::File { path, text } => Example {
            path,
            text: text.unwrap_or_default(),
        },
    }
}

pub(super) fn check_allowlist(
    path: &str,
    rule: Option<&str>,
    spec: AllowlistSpec,
    trust: Trust,
) -> Result<Allowlist, ConfigError> {
    let mut spec = spec;
    if trust == Trust::User {
        spec.regexes = spec
            .regexes
            .iter()
            .map(|regex| go_regex::translate(regex))
            .collect();
        spec.paths = spec
            .paths
            .iter()
            .map(|regex| go_regex::translate(regex))
            .collect();
    }
    let owner = rule.unwrap_or("[[allowlists]]");
    let fail = |message: String| ConfigError::invalid(path, rule, message);
    let condition = match spec
        .condition
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("OR") => Condition::Or,
        Some("AND") => Condition::And,
        Some(other) => {
            return Err(fail(format!("allowlist condition `{other}` is unknown"))
                .with_hint("use condition = \"OR\" or condition = \"AND\""));
        }
    };
    let regex_target = match spec.regex_target.as_deref() {
        None | Some("secret") => RegexTarget::Secret,
        Some("match") => RegexTarget::Match,
        Some("line") => RegexTarget::Line,
        Some(other) => {
            return Err(fail(format!("allowlist regexTarget `{other}` is unknown"))
                .with_hint("use regexTarget = \"secret\", \"match\" or \"line\""));
        }
    };
    if trust == Trust::User {
        for regex in spec.regexes.iter().chain(&spec.paths) {
            check_regex(path, owner, "allowlist regex", regex)?;
        }
    }
    Ok(Allowlist {
        description: spec.description,
        condition,
        regex_target,
        regexes: spec.regexes,
        stopwords: spec
            .stopwords
            .iter()
            .map(|w| w.to_ascii_lowercase())
            .collect(),
        paths: spec.paths,
        commits: spec.commits,
        target_rules: spec.target_rules,
    })
}

/// Parses a rule regex as the engine compiles it: ASCII classes, like Go's regexp, and
/// Unicode only for a regex that needs it (`\p{..}`).
pub fn parse_regex(regex: &str) -> Result<regex_syntax::hir::Hir, Box<regex_syntax::Error>> {
    let parse = |unicode: bool| {
        regex_syntax::ParserBuilder::new()
            .utf8(false)
            .unicode(unicode)
            .build()
            .parse(regex)
            .map_err(Box::new)
    };
    parse(false).or_else(|_| parse(true))
}

/// Parses (without compiling) a regex; returns its number of capture groups.
pub(super) fn check_regex(
    path: &str,
    owner: &str,
    field: &str,
    regex: &str,
) -> Result<usize, ConfigError> {
    let hir = parse_regex(regex)
        .map_err(|error| {
            let detail = error.to_string();
            let first_error_line = detail
                .lines()
                .rfind(|line| line.starts_with("error:"))
                .unwrap_or(detail.lines().last().unwrap_or_default())
                .trim_start_matches("error: ");
            ConfigError::invalid(
                path,
                Some(owner),
                format!("{field} does not compile: {first_error_line}"),
            )
            .with_hint(
                "write regexes as TOML literal strings (regex = '''...''') so backslashes are kept as written; look-around and backreferences are not supported",
            )
        })?;
    check_compiled_size(path, owner, field, regex)?;
    Ok(hir.properties().explicit_captures_len())
}

/// The most a user's regex may take once compiled: twice the largest built-in rule. Counted
/// repetitions multiply (`(a{1000}){1000}` is a million states), and matching costs grow
/// with the size: past this, a megabyte of the right bytes would stall the scan.
pub const USER_REGEX_SIZE_LIMIT: usize = 1 << 20;

fn check_compiled_size(
    path: &str,
    owner: &str,
    field: &str,
    regex: &str,
) -> Result<(), ConfigError> {
    let build = |unicode: bool| {
        regex::bytes::RegexBuilder::new(regex)
            .unicode(unicode)
            .size_limit(USER_REGEX_SIZE_LIMIT)
            .build()
    };
    match build(false).or_else(|_| build(true)) {
        Err(regex::Error::CompiledTooBig(limit)) => Err(ConfigError::invalid(
            path,
            Some(owner),
            format!("{field} is too large once compiled (over {} MiB)", limit >> 20),
        )
        .with_hint(
            "counted repetitions multiply: bound them less (`{1,64}`) or use `+`, and split a long alternation into several rules",
        )),
        _ => Ok(()),
    }
}
