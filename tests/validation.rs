//! Live validation through the library API, against a local HTTPS (and HTTP) server with
//! a test CA: outcomes, retries, timeouts, redirects, the address guard, dedup, the
//! per-host limit, cancellation, and that no secret leaks into any outcome or error.

mod validation_support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use leakhound::finding::{Finding, Validation};
use leakhound::rules::{self, Rule};
use leakhound::validate::{
    EndpointOverride, ProxyChoice, ValidationSettings, ValidationSummary, validate_findings,
};
use validation_support::{Reply, TestServer, finding};

const HOST: &str = "api.acme-validation.test";

/// A user's rule with a validator, as a `.leakhound.toml` would carry it.
fn user_rules(url_host: &str) -> Vec<Rule> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".leakhound.toml");
    std::fs::write(
        &path,
        format!(
            r#"
[[rules]]
id = "acme-token"
regex = '''acme_[a-z0-9]{{32}}'''
keywords = ["acme_"]

[rules.validate]
url = "https://{url_host}/v1/me"
headers = {{ Authorization = "Bearer {{{{secret}}}}" }}
valid = {{ status = [200], json_has = ["/login"] }}
invalid = {{ status = [401] }}
identity = "/login"
"#
        ),
    )
    .unwrap();
    rules::load_file(&path, rules::Examples::Skip)
        .unwrap()
        .rules
}

fn secret(n: usize) -> String {
    format!("acme_{n:032}")
}

fn settings(server: &TestServer) -> ValidationSettings {
    ValidationSettings {
        endpoints: vec![EndpointOverride::parse(&format!("{HOST}={}", server.base_url())).unwrap()],
        extra_ca: Some(server.ca_file.clone()),
        proxy: ProxyChoice::None,
        max_retry_wait: Duration::from_millis(50),
        timeout: Duration::from_secs(5),
        ..ValidationSettings::default()
    }
}

fn run(
    findings: &mut [Finding],
    rules: &[Rule],
    settings: &ValidationSettings,
) -> ValidationSummary {
    validate_findings(findings, rules, settings, &AtomicBool::new(false)).unwrap()
}

fn login_server() -> TestServer {
    TestServer::https(|seen| {
        if seen.headers.get("authorization").map(String::as_str)
            == Some(&format!("Bearer {}", secret(1)))
        {
            Reply::new(200, r#"{"login":"octo-acme"}"#)
        } else {
            Reply::new(401, r#"{"message":"Bad credentials"}"#)
        }
    })
}

#[test]
fn valid_and_invalid_come_back_through_https_with_the_test_ca() {
    let server = login_server();
    let rules = user_rules(HOST);
    let mut findings = vec![
        finding("acme-token", &secret(1), "a.env", 1),
        finding("acme-token", &secret(2), "b.env", 1),
        finding("unknown-rule", "whatever", "c.env", 1),
    ];
    let summary = run(&mut findings, &rules, &settings(&server));
    assert_eq!(
        findings[0].validation,
        Some(Validation::Valid {
            identity: Some("octo-acme".into())
        })
    );
    assert_eq!(findings[1].validation, Some(Validation::Invalid));
    assert!(matches!(
        findings[2].validation,
        Some(Validation::NotChecked { .. })
    ));
    assert_eq!((summary.checked, summary.valid, summary.invalid), (2, 1, 1));
    assert_eq!(summary.requests, 2);
    assert_eq!(server.requests(), 2);
    assert!(server.seen().iter().all(|seen| seen.target == "/v1/me"));
}

#[test]
fn a_server_signed_by_an_unknown_ca_is_unavailable() {
    let server = login_server();
    let mut settings = settings(&server);
    settings.extra_ca = None;
    let mut findings = vec![finding("acme-token", &secret(1), "a.env", 1)];
    run(&mut findings, &user_rules(HOST), &settings);
    assert_eq!(
        findings[0].validation,
        Some(Validation::Unavailable {
            reason: "TLS error: the server's certificate is not trusted".into()
        })
    );
}

#[test]
fn rate_limited_then_success_honours_retry_after() {
    let calls = AtomicUsize::new(0);
    let server = TestServer::https(move |_| {
        if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            Reply::new(429, "slow down").header("Retry-After", "0")
        } else {
            Reply::new(200, r#"{"login":"octo-acme"}"#)
        }
    });
    let mut findings = vec![finding("acme-token", &secret(1), "a.env", 1)];
    let summary = run(&mut findings, &user_rules(HOST), &settings(&server));
    assert!(findings[0].validation.as_ref().unwrap().is_valid());
    assert_eq!((summary.requests, server.requests()), (2, 2));
}

#[test]
fn server_errors_are_retried_then_unavailable() {
    let server = TestServer::https(|_| Reply::new(503, "down"));
    let mut findings = vec![finding("acme-token", &secret(1), "a.env", 1)];
    let summary = run(&mut findings, &user_rules(HOST), &settings(&server));
    assert_eq!(
        findings[0].validation,
        Some(Validation::Unavailable {
            reason: "server error (HTTP 503)".into()
        })
    );
    assert_eq!(server.requests(), 3);
    assert_eq!(summary.unavailable, 1);
}

#[test]
fn a_slow_server_times_out() {
    let server = TestServer::https(|_| {
        Reply::new(200, r#"{"login":"late"}"#).delayed(Duration::from_secs(3))
    });
    let mut settings = settings(&server);
    settings.timeout = Duration::from_millis(300);
    let mut findings = vec![finding("acme-token", &secret(1), "a.env", 1)];
    let started = Instant::now();
    run(&mut findings, &user_rules(HOST), &settings);
    assert_eq!(
        findings[0].validation,
        Some(Validation::Unavailable {
            reason: "timeout".into()
        })
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn a_redirect_to_another_host_is_not_followed() {
    let server = TestServer::https(|_| {
        Reply::new(302, "").header("Location", "https://collector.evil.test/steal")
    });
    let mut findings = vec![finding("acme-token", &secret(1), "a.env", 1)];
    run(&mut findings, &user_rules(HOST), &settings(&server));
    assert_eq!(
        findings[0].validation,
        Some(Validation::Unavailable {
            reason: "redirected to collector.evil.test (not followed)".into()
        })
    );
    assert_eq!(server.requests(), 1);
}

#[test]
fn a_body_that_is_not_the_apis_json_is_never_valid() {
    let server = TestServer::https(|_| Reply::new(200, "<html>Welcome to our CDN</html>"));
    let mut findings = vec![finding("acme-token", &secret(1), "a.env", 1)];
    run(&mut findings, &user_rules(HOST), &settings(&server));
    assert_eq!(
        findings[0].validation,
        Some(Validation::Unavailable {
            reason: "not the provider's API (HTTP 200, the body is not JSON)".into()
        })
    );
}

#[test]
fn plain_http_works_only_through_a_loopback_override() {
    let server = TestServer::http(|_| Reply::new(200, r#"{"login":"octo-acme"}"#));
    let mut settings = settings(&server);
    settings.extra_ca = None;
    let mut findings = vec![finding("acme-token", &secret(1), "a.env", 1)];
    run(&mut findings, &user_rules(HOST), &settings);
    assert!(findings[0].validation.as_ref().unwrap().is_valid());
    assert!(EndpointOverride::parse(&format!("{HOST}=http://192.0.2.10:80")).is_err());
}

#[test]
fn a_loopback_host_without_an_override_is_refused_before_any_request() {
    let server = login_server();
    let rules = user_rules(&format!("localhost:{}", server.port));
    let mut settings = settings(&server);
    settings.endpoints.clear();
    let mut findings = vec![finding("acme-token", &secret(1), "a.env", 1)];
    run(&mut findings, &rules, &settings);
    assert_eq!(
        findings[0].validation,
        Some(Validation::Unavailable {
            reason: "refused: the host resolves to a private or loopback address".into()
        })
    );
    assert_eq!(server.requests(), 0);
}

#[test]
fn the_same_secret_in_50_files_sends_one_request() {
    let server = login_server();
    let mut findings: Vec<Finding> = (0..50)
        .map(|n| finding("acme-token", &secret(1), &format!("dir{n}/app.env"), 3))
        .collect();
    let summary = run(&mut findings, &user_rules(HOST), &settings(&server));
    assert_eq!(server.requests(), 1);
    assert_eq!((summary.checked, summary.requests), (1, 1));
    assert!(
        findings
            .iter()
            .all(|f| f.validation.as_ref().unwrap().is_valid())
    );
}

#[test]
fn the_per_host_limit_holds_under_500_distinct_secrets() {
    let server = TestServer::https(|_| {
        Reply::new(401, r#"{"message":"Bad credentials"}"#).delayed(Duration::from_millis(5))
    });
    let mut settings = settings(&server);
    settings.concurrency = 16;
    settings.per_host = 3;
    let mut findings: Vec<Finding> = (0..500)
        .map(|n| finding("acme-token", &secret(n + 10), &format!("f{n}.env"), 1))
        .collect();
    let started = Instant::now();
    let summary = run(&mut findings, &user_rules(HOST), &settings);
    eprintln!(
        "500 distinct secrets, concurrency 16, per-host 3, 5 ms answers: {} requests in {:?}, at most {} at once",
        summary.requests,
        started.elapsed(),
        server.max_in_flight()
    );
    assert_eq!(server.requests(), 500);
    assert_eq!(summary.invalid, 500);
    assert!(server.max_in_flight() <= 3, "{}", server.max_in_flight());
}

#[test]
fn cancelling_sends_nothing_and_leaves_findings_not_checked() {
    let server = login_server();
    let mut findings = vec![finding("acme-token", &secret(1), "a.env", 1)];
    let summary = validate_findings(
        &mut findings,
        &user_rules(HOST),
        &settings(&server),
        &AtomicBool::new(true),
    )
    .unwrap();
    assert_eq!(server.requests(), 0);
    assert!(summary.interrupted);
    assert_eq!(
        findings[0].validation,
        Some(Validation::NotChecked {
            reason: "interrupted".into()
        })
    );
}

#[test]
fn no_secret_appears_in_any_outcome_summary_or_error() {
    // An API that echoes the key back in its identity and in its error.
    let server = TestServer::https(|seen| {
        let key = seen.headers["authorization"]
            .trim_start_matches("Bearer ")
            .to_string();
        if key.ends_with('1') {
            Reply::new(200, format!(r#"{{"login":"{key}"}}"#))
        } else {
            Reply::new(302, "").header("Location", &format!("https://other.test/?k={key}"))
        }
    });
    let mut findings = vec![
        finding("acme-token", &secret(1), "a.env", 1),
        finding("acme-token", &secret(2), "b.env", 1),
    ];
    let summary = run(&mut findings, &user_rules(HOST), &settings(&server));
    let shown = format!(
        "{:?} {summary:?}",
        findings.iter().map(|f| &f.validation).collect::<Vec<_>>()
    );
    assert!(
        !shown.contains(&secret(1)) && !shown.contains(&secret(2)),
        "{shown}"
    );
    let bad_ca = ValidationSettings {
        extra_ca: Some(server.ca_file.with_file_name("missing-ca.pem")),
        ..ValidationSettings::default()
    };
    let error =
        validate_findings(&mut findings, &[], &bad_ca, &AtomicBool::new(false)).unwrap_err();
    assert!(error.to_string().contains("cannot use the CA file"));
}
