//! Live validation (`--validate`): asks each provider whether a found secret is live,
//! with the validators the rules carry as data (`[rules.validate]`, see
//! [`crate::rules::Validator`]) and a little code where data cannot say it (AWS SigV4).
//!
//! Owns the HTTP client ([`client`]), where requests may go ([`endpoints`]), planning one
//! check per distinct secret ([`plan`]), running them under a global and a per-host limit
//! with retries ([`run`]), and reading answers ([`judge`]). Knows nothing about the
//! command line or output formats: the caller passes [`ValidationSettings`] and gets each
//! finding's [`Validation`] set and a [`ValidationSummary`].
//!
//! Safety: a secret is only sent over HTTPS to the fixed host its validator names, or to
//! a base URL the user mapped that host to; redirects are never followed; no request
//! reaches a private or loopback address except through such a mapping; no secret appears
//! in any outcome, reason or error.

mod aws;
mod client;
mod endpoints;
mod examples;
mod judge;
mod plan;
mod run;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::finding::{Finding, Validation};
use crate::rules::{Endpoint, Rule, ValidationConfig};

pub use endpoints::EndpointOverride;
pub use examples::{ValidatorExampleFailure, check_validator_examples};

/// Everything validation needs from the command line and the config.
#[derive(Debug, Clone)]
pub struct ValidationSettings {
    /// Requests in flight at once, over all hosts (`--validate-concurrency`).
    pub concurrency: usize,
    /// Requests in flight at once to one host (`--validate-per-host`).
    pub per_host: usize,
    /// The most one request may take, connecting included (`--validate-timeout`).
    pub timeout: Duration,
    /// `--validation-endpoint HOST=BASE_URL`, and the config's `[validation]` table.
    pub endpoints: Vec<EndpointOverride>,
    /// PEM file of extra CA certificates, trusted besides Mozilla's roots (a corporate
    /// TLS-inspecting proxy; the tests' own CA).
    pub extra_ca: Option<PathBuf>,
    /// Retries after a 429 or 5xx answer.
    pub retries: u32,
    /// The longest wait before a retry, whatever `Retry-After` asks.
    pub max_retry_wait: Duration,
    pub proxy: ProxyChoice,
}

/// Whether requests go through the proxy named by `HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyChoice {
    FromEnvironment,
    None,
}

impl Default for ValidationSettings {
    fn default() -> ValidationSettings {
        ValidationSettings {
            concurrency: 8,
            per_host: 2,
            timeout: Duration::from_secs(10),
            endpoints: Vec::new(),
            extra_ca: None,
            retries: 2,
            max_retry_wait: Duration::from_secs(10),
            proxy: ProxyChoice::FromEnvironment,
        }
    }
}

impl ValidationSettings {
    /// The defaults with a config's `[validation]` table applied; command-line flags
    /// go on top of what this returns.
    pub fn from_config(config: &ValidationConfig) -> Result<ValidationSettings, ValidateError> {
        let defaults = ValidationSettings::default();
        Ok(ValidationSettings {
            concurrency: config.concurrency.unwrap_or(defaults.concurrency),
            per_host: config.per_host.unwrap_or(defaults.per_host),
            timeout: config.timeout.unwrap_or(defaults.timeout),
            endpoints: config
                .endpoints
                .iter()
                .map(|text| EndpointOverride::parse(text))
                .collect::<Result<_, _>>()?,
            extra_ca: config.ca_file.clone(),
            ..defaults
        })
    }
}

/// What a validation run did, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ValidationSummary {
    /// Distinct secrets checked (one check however many findings hold the secret).
    pub checked: usize,
    pub valid: usize,
    pub invalid: usize,
    pub unavailable: usize,
    /// Findings not checked: no validator, no partner, an endpoint to configure.
    pub not_checked: usize,
    /// HTTP requests sent, retries included.
    pub requests: usize,
    /// Whether the run was cancelled before every check was done.
    pub interrupted: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error("--validation-endpoint `{given}`: {reason}")]
    Endpoint { given: String, reason: String },
    #[error("cannot use the CA file {path}: {reason}")]
    ExtraCa { path: String, reason: String },
}

/// Checks the secrets of `findings` with their rules' validators and sets each finding's
/// `validation`. `rules` is the loaded rule list (`RuleSet::rules()`); `cancel` stops
/// the run between requests (checks not done are `not-checked: interrupted`).
pub fn validate_findings(
    findings: &mut [Finding],
    rules: &[Rule],
    settings: &ValidationSettings,
    cancel: &AtomicBool,
) -> Result<ValidationSummary, ValidateError> {
    let client = client::Client::new(settings)?;
    let plan = plan::plan(findings, rules, &settings.endpoints);
    let ran = run::run(&plan.checks, rules, &client, settings, cancel);
    let mut summary = ValidationSummary {
        checked: plan.checks.len(),
        requests: ran.requests,
        ..ValidationSummary::default()
    };
    for (index, outcome) in plan.settled {
        findings[index].validation = Some(outcome);
    }
    for (check, outcome) in plan.checks.iter().zip(ran.outcomes) {
        match &outcome {
            Validation::Valid { .. } => summary.valid += 1,
            Validation::Invalid => summary.invalid += 1,
            Validation::Unavailable { .. } => summary.unavailable += 1,
            Validation::NotChecked { reason } => {
                summary.checked -= 1;
                summary.interrupted |= reason == "interrupted";
            }
        }
        for &partner in &check.partners {
            let own_validator = rules
                .iter()
                .any(|rule| rule.id == findings[partner].rule_id && rule.validate.is_some());
            if !own_validator
                && rank(&outcome) > findings[partner].validation.as_ref().map_or(0, rank)
            {
                findings[partner].validation = Some(outcome.clone());
            }
        }
        for &index in &check.findings {
            findings[index].validation = Some(outcome.clone());
        }
    }
    summary.not_checked = findings
        .iter()
        .filter(|f| matches!(f.validation, Some(Validation::NotChecked { .. })))
        .count();
    Ok(summary)
}

/// Which outcome a paired finding keeps when several checks used it.
fn rank(outcome: &Validation) -> u8 {
    match outcome {
        Validation::Valid { .. } => 4,
        Validation::Invalid => 3,
        Validation::Unavailable { .. } => 2,
        Validation::NotChecked { .. } => 1,
    }
}

/// Every host a validation may contact, sorted: for firewall allow-lists and
/// `leakhound rules list --validators`. Hosts that stand for the user's own instance
/// (reached only through `--validation-endpoint`) are left out; see [`validator_hosts`].
pub fn hosts(rules: &[Rule]) -> Vec<String> {
    let mut hosts: Vec<String> = validator_hosts(rules)
        .into_iter()
        .filter(|host| !host.needs_endpoint)
        .map(|host| host.host)
        .collect();
    hosts.dedup();
    hosts
}

/// A host validators contact, and the rules whose validators contact it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatorHost {
    pub host: String,
    /// A placeholder for the user's own instance (an Okta org, a shop).
    pub needs_endpoint: bool,
    pub rules: Vec<String>,
}

/// Every validator host with its rules, sorted by host.
pub fn validator_hosts(rules: &[Rule]) -> Vec<ValidatorHost> {
    let mut hosts: Vec<ValidatorHost> = Vec::new();
    for rule in rules {
        let Some(validator) = &rule.validate else {
            continue;
        };
        let host = validator.host().to_string();
        match hosts.iter_mut().find(|known| known.host == host) {
            Some(known) => known.rules.push(rule.id.clone()),
            None => hosts.push(ValidatorHost {
                host,
                needs_endpoint: validator.endpoint == Endpoint::Required,
                rules: vec![rule.id.clone()],
            }),
        }
    }
    hosts.sort_by(|a, b| a.host.cmp(&b.host));
    hosts
}
