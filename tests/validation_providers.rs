//! Every built-in validator, end to end through the real client and TLS stack: a local
//! HTTPS server stands in for every provider host (each mapped with an endpoint override)
//! and serves the provider's documented answers from the rule files, then 429s, 5xx,
//! slow answers, redirects and pages that are not the API.

mod validation_support;

use std::collections::HashSet;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use leakhound::finding::{Finding, Validation};
use leakhound::rules::{ExampleResponse, Request, Rule, Validator};
use leakhound::validate::{
    EndpointOverride, ProxyChoice, ValidationSettings, ValidationSummary, validate_findings,
};
use validation_support::{Reply, Seen, TestServer, finding};

/// One provider route on the test server: `/{host}{path}`.
struct Route {
    host: String,
    path: String,
    valid: ExampleResponse,
    invalid: ExampleResponse,
}

fn builtin_rules() -> Vec<Rule> {
    leakhound::rules::builtin().unwrap().rules
}

fn validated(rules: &[Rule]) -> Vec<(&Rule, &Validator)> {
    rules
        .iter()
        .filter_map(|rule| rule.validate.as_ref().map(|v| (rule, v)))
        .collect()
}

fn routes(rules: &[Rule]) -> Vec<Route> {
    validated(rules)
        .into_iter()
        .map(|(_, validator)| {
            let path = match &validator.request {
                Request::Http { url, host, .. } => url
                    .fixed_prefix()
                    .trim_start_matches("https://")
                    .trim_start_matches(host.as_str())
                    .split('?')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                Request::Code(_) => "/".to_string(),
            };
            Route {
                host: validator.host().to_string(),
                path,
                valid: validator.example_valid.clone().unwrap(),
                invalid: validator.example_invalid.clone().unwrap(),
            }
        })
        .collect()
}

fn route<'a>(routes: &'a [Route], target: &str) -> &'a Route {
    routes
        .iter()
        .filter(|r| target.starts_with(&format!("/{}{}", r.host, r.path)))
        .max_by_key(|r| r.path.len())
        .unwrap_or_else(|| panic!("no route for {target}"))
}

/// A secret the rule's validator applies to, distinct per rule.
fn fake_secret(rule: &str, n: usize) -> String {
    let tail: String = format!("{n:04}{}", rule.len())
        .chars()
        .cycle()
        .take(40)
        .collect();
    match rule {
        "aws-access-key-id" => format!("AK{}{}", "IA", "QZ".repeat(8)),
        "linear-api-key" => format!("lin_{}{}", "api_", tail),
        "pagerduty-api-key" => tail[..20].to_string(),
        "slack-webhook-url" => format!(
            "https://hooks.slack.com/{}T00000000/B00000000/{}",
            "services/",
            &tail[..24]
        ),
        _ => format!("fake-{rule}-{tail}"),
    }
}

/// What the server must have received for this secret.
fn needle(secret: &str) -> &str {
    secret.split("services/").nth(1).unwrap_or(secret)
}

/// One finding per validated rule (plus the partners pairs need), each in its own file.
fn findings(rules: &[Rule]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (n, (rule, validator)) in validated(rules).into_iter().enumerate() {
        let path = format!("{}.env", rule.id);
        out.push(finding(&rule.id, &fake_secret(&rule.id, n), &path, 2));
        for (_, partner) in &validator.pair {
            out.push(finding(
                partner,
                &format!("{}{n:04}", "s".repeat(36)),
                &path,
                3,
            ));
        }
    }
    out
}

fn settings(server: &TestServer, rules: &[Rule]) -> ValidationSettings {
    let hosts: HashSet<&str> = validated(rules).iter().map(|(_, v)| v.host()).collect();
    ValidationSettings {
        endpoints: hosts
            .into_iter()
            .map(|host| {
                EndpointOverride::parse(&format!("{host}={}/{host}", server.base_url())).unwrap()
            })
            .collect(),
        extra_ca: Some(server.ca_file.clone()),
        proxy: ProxyChoice::None,
        concurrency: 32,
        per_host: 32,
        timeout: Duration::from_secs(5),
        max_retry_wait: Duration::from_millis(20),
        ..ValidationSettings::default()
    }
}

fn reply(example: &ExampleResponse) -> Reply {
    Reply::new(example.status, example.body.clone())
}

/// Runs every validator against a server answering with `answer`.
fn scenario(
    answer: impl Fn(&Route, &Seen) -> Reply + Send + Sync + 'static,
    tune: impl FnOnce(&mut ValidationSettings),
) -> (Vec<Rule>, Vec<Finding>, ValidationSummary, TestServer) {
    let rules = builtin_rules();
    let served = Arc::new(routes(&rules));
    let server = TestServer::https(move |seen| answer(route(&served, &seen.target), seen));
    let mut settings = settings(&server, &rules);
    tune(&mut settings);
    let mut findings = findings(&rules);
    let summary =
        validate_findings(&mut findings, &rules, &settings, &AtomicBool::new(false)).unwrap();
    (rules, findings, summary, server)
}

/// The outcome of each validated rule's own finding.
fn outcomes<'a>(rules: &[Rule], findings: &'a [Finding]) -> Vec<(&'a str, &'a Validation)> {
    let ids: HashSet<&str> = validated(rules)
        .iter()
        .map(|(r, _)| r.id.as_str())
        .collect();
    findings
        .iter()
        .filter(|f| ids.contains(f.rule_id.as_str()))
        .map(|f| {
            (
                f.rule_id.as_str(),
                f.validation
                    .as_ref()
                    .expect("every finding gets an outcome"),
            )
        })
        .collect()
}

#[test]
fn every_validator_reads_its_providers_documented_success() {
    let (rules, findings, summary, server) = scenario(|route, _| reply(&route.valid), |_| {});
    let checks = validated(&rules).len();
    assert!(checks >= 40, "{checks}");
    for (rule, outcome) in outcomes(&rules, &findings) {
        let validator = rules
            .iter()
            .find(|r| r.id == rule)
            .unwrap()
            .validate
            .as_ref()
            .unwrap();
        let expected = Validation::Valid {
            identity: validator.example_valid.as_ref().unwrap().identity.clone(),
        };
        assert_eq!(outcome, &expected, "{rule}");
    }
    assert_eq!(
        (summary.checked, summary.valid, summary.requests),
        (checks, checks, checks)
    );
    // Each secret went to its provider's route, templated where the provider wants it.
    let seen = server.seen();
    for finding in findings.iter().filter(|f| f.fingerprint.ends_with(":2")) {
        assert!(
            seen.iter()
                .any(|s| s.text().contains(needle(&finding.secret))),
            "{} never reached the server",
            finding.rule_id
        );
    }
    // A pair's partner takes the outcome: the AWS secret key is live with its key id.
    let aws_secret = findings
        .iter()
        .find(|f| f.rule_id == "aws-secret-access-key")
        .unwrap();
    assert!(aws_secret.validation.as_ref().unwrap().is_valid());
}

#[test]
fn every_validator_reads_its_providers_documented_failure() {
    let (rules, findings, summary, _) = scenario(|route, _| reply(&route.invalid), |_| {});
    for (rule, outcome) in outcomes(&rules, &findings) {
        assert_eq!(outcome, &Validation::Invalid, "{rule}");
    }
    assert_eq!(summary.invalid, validated(&rules).len());
}

#[test]
fn every_validator_retries_a_429_then_succeeds() {
    let limited = Mutex::new(HashSet::new());
    let (rules, findings, summary, server) = scenario(
        move |route, seen| {
            let auth = seen
                .headers
                .get("authorization")
                .cloned()
                .unwrap_or_default();
            let who = auth.split('/').next().unwrap_or_default().to_string();
            let key = format!(
                "{} {} {who}",
                seen.target,
                String::from_utf8_lossy(&seen.body)
            );
            if limited.lock().unwrap().insert(key) {
                Reply::new(429, "").header("Retry-After", "0")
            } else {
                reply(&route.valid)
            }
        },
        |_| {},
    );
    for (rule, outcome) in outcomes(&rules, &findings) {
        assert!(outcome.is_valid(), "{rule}: {outcome:?}");
    }
    assert_eq!(server.requests(), 2 * validated(&rules).len());
    assert_eq!(summary.requests, server.requests());
}

fn all_unavailable(
    answer: impl Fn(&Route, &Seen) -> Reply + Send + Sync + 'static,
    tune: impl FnOnce(&mut ValidationSettings),
    reason: Option<&str>,
) -> usize {
    let (rules, findings, _, server) = scenario(answer, tune);
    for (rule, outcome) in outcomes(&rules, &findings) {
        match (outcome, reason) {
            (Validation::Unavailable { reason: got }, Some(want)) => {
                assert_eq!(got, want, "{rule}")
            }
            (Validation::Unavailable { .. }, None) => {}
            (other, _) => panic!("{rule}: {other:?}"),
        }
    }
    server.requests()
}

#[test]
fn every_validator_gives_up_on_server_errors() {
    let requests = all_unavailable(
        |_, _| Reply::new(503, "upstream unavailable"),
        |_| {},
        Some("server error (HTTP 503)"),
    );
    assert_eq!(requests, 3 * validated(&builtin_rules()).len());
}

#[test]
fn every_validator_times_out_on_a_slow_provider() {
    all_unavailable(
        |route, _| reply(&route.valid).delayed(Duration::from_secs(3)),
        |settings| settings.timeout = Duration::from_millis(400),
        Some("timeout"),
    );
}

#[test]
fn no_validator_follows_a_redirect_to_another_host() {
    let requests = all_unavailable(
        |_, _| Reply::new(301, "").header("Location", "https://elsewhere.test/login"),
        |_| {},
        Some("redirected to elsewhere.test (not followed)"),
    );
    assert_eq!(requests, validated(&builtin_rules()).len());
}

#[test]
fn no_validator_takes_a_page_that_is_not_the_api_for_valid() {
    all_unavailable(
        |_, _| Reply::new(200, "<html><body>Just a moment...</body></html>"),
        |_| {},
        None,
    );
}
