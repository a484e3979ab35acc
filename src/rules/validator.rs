//! Validators as data: the `[rules.validate]` table of a rule says how to ask the provider
//! whether a found secret is live: one HTTPS request templated on the secret, its named
//! captures and paired findings, and how to read the answer.
//!
//! This module owns the written form ([`ValidatorSpec`]), the checked form ([`Validator`])
//! and the small template language (`{{secret}}`, `{{capture.NAME}}`, `{{pair.NAME}}`,
//! `{{base64(..)}}`, `{{basic(user, password)}}`, `{{urlencode(..)}}`, `{{after(.., 'text')}}`).
//! It knows nothing about HTTP: `crate::validate` sends the requests and judges answers.
//!
//! Safety is checked here, once: a validator's URL is HTTPS and its host is fixed, never
//! templated, so a secret can only go to the host the rule names (or to a base URL the
//! user maps that host to, see `crate::validate`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::error::ConfigError;
pub use super::template::{MissingValue, Template, Value};

/// `[rules.validate]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidatorSpec {
    /// A request that data cannot express, built by code (`aws-sts`).
    pub code: Option<String>,
    pub method: Option<String>,
    pub url: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    pub body: Option<String>,
    /// `NAME = "rule-id"`: a finding of that rule in the same file (and commit) is needed;
    /// its secret is `{{pair.NAME}}`.
    #[serde(default)]
    pub pair: BTreeMap<String, String>,
    /// A regex the secret must match for this validator to apply (a rule that finds
    /// several kinds of key, only one of which this endpoint accepts).
    pub applies_to: Option<String>,
    /// `"required"`: the URL's host is a placeholder for an instance of the user's own
    /// (an Okta org, a shop, a workspace), reached only through an endpoint override.
    pub endpoint: Option<String>,
    pub valid: Option<OneOrMany<ConditionSpec>>,
    pub invalid: Option<OneOrMany<ConditionSpec>>,
    /// JSON pointer(s) to the identity in a valid answer, joined with " / ".
    pub identity: Option<OneOrMany<String>>,
    /// A regex whose first group is the identity, for answers that are not JSON.
    pub identity_pattern: Option<String>,
    /// The provider's documented answers, which `rules check` and the tests replay.
    pub example_valid: Option<ExampleResponseSpec>,
    pub example_invalid: Option<ExampleResponseSpec>,
}

/// Every key of `[rules.validate]`, for "did you mean" hints.
pub const VALIDATOR_KEYS: &[&str] = &[
    "code",
    "method",
    "url",
    "headers",
    "body",
    "pair",
    "applies_to",
    "endpoint",
    "valid",
    "invalid",
    "identity",
    "identity_pattern",
    "example_valid",
    "example_invalid",
];

/// A value or a list of values.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionSpec {
    #[serde(default)]
    pub status: Vec<u16>,
    /// JSON pointer -> the value it must hold.
    #[serde(default)]
    pub json: BTreeMap<String, serde_json::Value>,
    /// JSON pointers that must be present and not null.
    #[serde(default)]
    pub json_has: Vec<String>,
    /// A regex the body must match.
    pub body: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleResponseSpec {
    pub status: u16,
    #[serde(default)]
    pub body: String,
    /// The identity a valid answer yields.
    pub identity: Option<String>,
}

/// A checked validator.
#[derive(Debug, Clone, PartialEq)]
pub struct Validator {
    pub request: Request,
    /// (name, rule id) of each finding this one is paired with.
    pub pair: Vec<(String, String)>,
    pub applies_to: Option<String>,
    pub endpoint: Endpoint,
    /// Any one of these makes the answer `valid`.
    pub valid: Vec<Condition>,
    /// Any one of these makes the answer `invalid`; checked before `valid`.
    pub invalid: Vec<Condition>,
    pub identity: Vec<String>,
    pub identity_pattern: Option<String>,
    pub example_valid: Option<ExampleResponse>,
    pub example_invalid: Option<ExampleResponse>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExampleResponse {
    pub status: u16,
    pub body: String,
    pub identity: Option<String>,
}

/// Whether the validator's host is the provider's or a placeholder for the user's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Fixed,
    /// Only through an endpoint override of the placeholder host.
    Required,
}

/// What is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Http {
        method: Method,
        /// Always `https://HOST/...` with a fixed host.
        url: Template,
        host: String,
        headers: Vec<(String, Template)>,
        body: Option<Template>,
    },
    Code(CodeValidator),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Head,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Head => "HEAD",
        }
    }
}

/// Requests built by code (see `crate::validate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeValidator {
    /// AWS STS `GetCallerIdentity`, signed with SigV4 from an access key id and its
    /// secret key (`pair.secret`).
    AwsSts,
}

impl CodeValidator {
    pub const ALL: &[(&str, CodeValidator)] = &[("aws-sts", CodeValidator::AwsSts)];

    /// The one host this code sends to.
    pub fn host(self) -> &'static str {
        match self {
            CodeValidator::AwsSts => "sts.amazonaws.com",
        }
    }

    /// The pair names the code reads.
    fn pair_names(self) -> &'static [&'static str] {
        match self {
            CodeValidator::AwsSts => &["secret"],
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Condition {
    /// Empty: any status.
    pub status: Vec<u16>,
    pub json: Vec<(String, serde_json::Value)>,
    pub json_has: Vec<String>,
    pub body: Option<String>,
}

impl Condition {
    pub fn needs_json(&self) -> bool {
        !self.json.is_empty() || !self.json_has.is_empty()
    }
}

impl Validator {
    /// The host a request goes to, unless the user maps it elsewhere.
    pub fn host(&self) -> &str {
        match &self.request {
            Request::Http { host, .. } => host,
            Request::Code(code) => code.host(),
        }
    }

    /// Whether any template reads a named capture of the rule's regex.
    pub fn uses_captures(&self) -> bool {
        self.templates()
            .any(|template| template.values().any(|v| matches!(v, Value::Capture(_))))
    }

    fn templates(&self) -> impl Iterator<Item = &Template> {
        let (url, headers, body) = match &self.request {
            Request::Http {
                url, headers, body, ..
            } => (Some(url), headers.as_slice(), body.as_ref()),
            Request::Code(_) => (None, &[][..], None),
        };
        url.into_iter()
            .chain(headers.iter().map(|(_, template)| template))
            .chain(body)
    }
}

/// Checks `[rules.validate]` of rule `id` in `path`. `regex` is the rule's regex, whose
/// named groups `capture.NAME` may read (checked when `check_regexes`, for user rules).
pub(super) fn check_validator(
    path: &str,
    id: &str,
    spec: serde_json::Value,
    regex: Option<&str>,
    check_regexes: bool,
) -> Result<Validator, ConfigError> {
    let fail =
        |message: String| ConfigError::invalid(path, Some(id), format!("validator: {message}"));
    let spec: ValidatorSpec = serde_json::from_value(spec).map_err(|error| {
        let message = error.to_string();
        let unknown = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next())
            .map(str::to_string);
        let message = message
            .split(", expected")
            .next()
            .unwrap_or(&message)
            .to_string();
        let error = fail(message);
        match unknown.and_then(|key| closest(&key, VALIDATOR_KEYS)) {
            Some(known) => error.with_hint(format!("did you mean `{known}`?")),
            None => error.with_hint(format!(
                "a validator has the keys: {}",
                VALIDATOR_KEYS.join(", ")
            )),
        }
    })?;
    let template = |field: &str, text: &str| {
        Template::parse(text).map_err(|message| {
            fail(format!("{field}: template error: {message}")).with_hint(
                "write {{secret}}, {{capture.NAME}}, {{pair.NAME}}, {{base64(secret)}}, {{basic(user, password)}} or {{urlencode(secret)}}",
            )
        })
    };
    let endpoint = match spec.endpoint.as_deref() {
        None | Some("fixed") => Endpoint::Fixed,
        Some("required") => Endpoint::Required,
        Some(other) => {
            return Err(fail(format!("unknown endpoint `{other}`"))
                .with_hint("use endpoint = \"required\" for a host the user must map with --validation-endpoint"));
        }
    };
    let request = match (&spec.code, &spec.url) {
        (Some(_), Some(_)) => {
            return Err(fail("has both `code` and `url`".into())
                .with_hint("a code validator builds its own request; remove `url`"));
        }
        (None, None) => {
            return Err(fail("has no `url`".into())
                .with_hint("add url = \"https://api.example.com/whoami\""));
        }
        (Some(name), None) => {
            let code = CodeValidator::ALL
                .iter()
                .find(|(known, _)| known == name)
                .map(|(_, code)| *code)
                .ok_or_else(|| {
                    let known: Vec<&str> = CodeValidator::ALL.iter().map(|(n, _)| *n).collect();
                    fail(format!("unknown code validator `{name}`"))
                        .with_hint(format!("use one of: {}", known.join(", ")))
                })?;
            for needed in code.pair_names() {
                if !spec.pair.contains_key(*needed) {
                    return Err(fail(format!("`{name}` needs pair.{needed}"))
                        .with_hint(format!("add pair = {{ {needed} = \"rule-id\" }}")));
                }
            }
            Request::Code(code)
        }
        (None, Some(url)) => {
            let url_template = template("url", url)?;
            let host = fixed_host(url_template.fixed_prefix()).map_err(|message| {
                fail(format!("url `{}`: {message}", shorten(url))).with_hint(
                    "a secret may only be sent over HTTPS to a host written in the rule: url = \"https://api.example.com/...{{secret}}\"; self-hosted instances are reached with --validation-endpoint HOST=BASE_URL",
                )
            })?;
            let method = match spec
                .method
                .as_deref()
                .map(str::to_ascii_uppercase)
                .as_deref()
            {
                None | Some("GET") => Method::Get,
                Some("POST") => Method::Post,
                Some("HEAD") => Method::Head,
                Some(other) => {
                    return Err(fail(format!("method `{other}` is not allowed"))
                        .with_hint("use GET, POST or HEAD, against a read-only endpoint"));
                }
            };
            let headers = spec
                .headers
                .iter()
                .map(|(name, value)| {
                    Ok((name.clone(), template(&format!("header {name}"), value)?))
                })
                .collect::<Result<Vec<_>, ConfigError>>()?;
            let body = spec
                .body
                .as_deref()
                .map(|body| template("body", body))
                .transpose()?;
            Request::Http {
                method,
                url: url_template,
                host,
                headers,
                body,
            }
        }
    };
    let valid: Vec<Condition> = spec
        .valid
        .map(OneOrMany::into_vec)
        .unwrap_or_default()
        .into_iter()
        .map(condition)
        .collect();
    if valid.is_empty() || valid.iter().any(|c| c.status.is_empty()) {
        return Err(fail("`valid` needs at least one condition with `status`".into())
            .with_hint("only a documented success counts: valid = { status = [200], json_has = [\"/id\"] }"));
    }
    let invalid: Vec<Condition> = spec
        .invalid
        .map(OneOrMany::into_vec)
        .unwrap_or_default()
        .into_iter()
        .map(condition)
        .collect();
    let identity = spec.identity.map(OneOrMany::into_vec).unwrap_or_default();
    for pointer in identity.iter().chain(
        valid
            .iter()
            .chain(&invalid)
            .flat_map(|c| c.json_has.iter().chain(c.json.iter().map(|(p, _)| p))),
    ) {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(fail(format!("`{pointer}` is not a JSON pointer"))
                .with_hint("JSON pointers start with '/': \"/user/login\""));
        }
    }
    let validator = Validator {
        request,
        pair: spec.pair.into_iter().collect(),
        applies_to: spec.applies_to,
        endpoint,
        valid,
        invalid,
        identity,
        identity_pattern: spec.identity_pattern,
        example_valid: spec.example_valid.map(example),
        example_invalid: spec.example_invalid.map(example),
    };
    for value in validator.templates().flat_map(Template::values) {
        if let Value::Pair(name) = value
            && !validator.pair.iter().any(|(known, _)| known == name)
        {
            return Err(fail(format!("`pair.{name}` is not declared"))
                .with_hint(format!("add pair = {{ {name} = \"rule-id\" }}")));
        }
    }
    if check_regexes {
        check_validator_regexes(&validator, regex).map_err(|message| {
            fail(message).with_hint("regexes in validators use the syntax of rule regexes")
        })?;
    }
    Ok(validator)
}

/// Regexes of a validator parse, and every `capture.NAME` is a named group of the rule.
pub fn check_validator_regexes(validator: &Validator, regex: Option<&str>) -> Result<(), String> {
    let patterns = validator
        .applies_to
        .iter()
        .chain(&validator.identity_pattern)
        .chain(
            validator
                .valid
                .iter()
                .chain(&validator.invalid)
                .filter_map(|c| c.body.as_ref()),
        );
    for pattern in patterns {
        regex::Regex::new(pattern).map_err(|error| {
            format!(
                "regex `{}` does not compile: {}",
                shorten(pattern),
                error.to_string().lines().last().unwrap_or_default()
            )
        })?;
    }
    let names: Vec<String> = match regex.map(super::check::parse_regex) {
        Some(Ok(_)) => regex::bytes::Regex::new(regex.unwrap_or_default())
            .map(|compiled| {
                compiled
                    .capture_names()
                    .flatten()
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    for value in validator.templates().flat_map(Template::values) {
        if let Value::Capture(name) = value
            && !names.iter().any(|known| known == name)
        {
            return Err(format!(
                "`capture.{name}` is not a named group of the rule's regex (add (?P<{name}>...))"
            ));
        }
    }
    Ok(())
}

fn condition(spec: ConditionSpec) -> Condition {
    Condition {
        status: spec.status,
        json: spec.json.into_iter().collect(),
        json_has: spec.json_has,
        body: spec.body,
    }
}

fn example(spec: ExampleResponseSpec) -> ExampleResponse {
    ExampleResponse {
        status: spec.status,
        body: spec.body,
        identity: spec.identity,
    }
}

/// The host of `https://HOST[:PORT]/...`, from the text before the first expression.
fn fixed_host(prefix: &str) -> Result<String, String> {
    let Some(rest) = prefix.strip_prefix("https://") else {
        return Err("is not an https:// URL".into());
    };
    let end = rest.find(['/', '?', '#']).ok_or_else(|| {
        "the host is templated (only the path and query may hold {{...}})".to_string()
    })?;
    let authority = &rest[..end];
    if authority.is_empty() {
        return Err("has no host".into());
    }
    if authority.contains('@') {
        return Err("has credentials before the host".into());
    }
    let host_ok = authority
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !host_ok {
        return Err(format!("host `{authority}` is not a DNS name"));
    }
    Ok(authority.to_ascii_lowercase())
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= 80 {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(80).collect::<String>())
    }
}

fn closest(key: &str, known: &[&'static str]) -> Option<&'static str> {
    known
        .iter()
        .copied()
        .map(|candidate| (strsim_distance(key, candidate), candidate))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

fn strsim_distance(a: &str, b: &str) -> usize {
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

#[cfg(test)]
#[path = "validator_tests.rs"]
mod tests;
