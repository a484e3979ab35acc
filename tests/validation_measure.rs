//! The measured run: a tree with 500 distinct planted secrets of five providers (each also
//! copied into a second file), scanned by the engine and validated with the default limits
//! against five local HTTPS servers (one per provider host) answering in 50 ms.
//! Prints requests and wall time; run with `--nocapture` to see them.

mod validation_support;

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use leakhound::engine::{RuleSet, Scratch};
use leakhound::finding::{Finding, LineIndex};
use leakhound::validate::{EndpointOverride, ProxyChoice, ValidationSettings, validate_findings};
use validation_support::{Reply, TestServer};

/// Deterministic pseudo-random base62 text.
fn random_text(seed: &mut u64, length: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..length)
        .map(|_| {
            *seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ALPHABET[(*seed >> 33) as usize % ALPHABET.len()] as char
        })
        .collect()
}

/// (rule, host, file line holding the secret, documented success body)
fn providers(seed: &mut u64) -> Vec<(&'static str, &'static str, String, &'static str)> {
    let mut planted = Vec::new();
    for _ in 0..100 {
        planted.push((
            "github-pat-classic",
            "api.github.com",
            format!("GITHUB_TOKEN={}{}", "ghp_", random_text(seed, 36)),
            r#"{"login":"octocat"}"#,
        ));
        planted.push((
            "npm-access-token",
            "registry.npmjs.org",
            format!(
                "//registry.npmjs.org/:_authToken={}{}",
                "npm_",
                random_text(seed, 36)
            ),
            r#"{"username":"acme-release"}"#,
        ));
        planted.push((
            "sendgrid-api-key",
            "api.sendgrid.com",
            format!(
                "SENDGRID_API_KEY={}{}.{}",
                "SG.",
                random_text(seed, 22),
                random_text(seed, 43)
            ),
            r#"{"scopes":["mail.send"]}"#,
        ));
        planted.push((
            "stripe-secret-key",
            "api.stripe.com",
            format!("STRIPE_KEY={}{}", "sk_live_", random_text(seed, 24)),
            r#"{"id":"acct_1","object":"account"}"#,
        ));
        planted.push((
            "postman-api-key",
            "api.getpostman.com",
            format!(
                "POSTMAN_API_KEY={}{}-{}",
                "PMAK-",
                hex(seed, 24),
                hex(seed, 34)
            ),
            r#"{"user":{"id":1,"username":"acme"}}"#,
        ));
    }
    planted
}

fn hex(seed: &mut u64, length: usize) -> String {
    random_text(seed, length * 2)
        .bytes()
        .map(|b| char::from(b"0123456789abcdef"[b as usize % 16]))
        .take(length)
        .collect()
}

#[test]
fn five_hundred_planted_secrets_against_local_servers() {
    let mut seed = 7;
    let planted = providers(&mut seed);
    let dir = tempfile::tempdir().unwrap();
    for (n, (_, _, line, _)) in planted.iter().enumerate() {
        for copy in ["app", "backup"] {
            let path = dir.path().join(format!("{copy}/svc{n}/.env.production"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, format!("# service {n}\n{line}\n")).unwrap();
        }
    }

    // Scan the tree with the engine, as `scan` would.
    let config = leakhound::rules::resolve(None, None, leakhound::rules::Examples::Skip).unwrap();
    let rule_set = RuleSet::compile(&config);
    let mut findings: Vec<Finding> = Vec::new();
    let mut scratch = Scratch::default();
    for entry in walk(dir.path()) {
        let data = std::fs::read(&entry).unwrap();
        let path = entry
            .strip_prefix(dir.path())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let mut matches = Vec::new();
        rule_set.scan(&data, Some(&path), &mut scratch, &mut matches);
        let mut lines = LineIndex::new();
        for found in &matches {
            findings.push(Finding::from_match(
                rule_set.rule(found.rule),
                found,
                &data,
                &path,
                &path,
                &mut lines,
            ));
        }
    }
    let planted_rules = [
        "github-pat-classic",
        "npm-access-token",
        "sendgrid-api-key",
        "stripe-secret-key",
        "postman-api-key",
    ];
    let of_planted = findings
        .iter()
        .filter(|f| planted_rules.contains(&f.rule_id.as_str()))
        .count();
    assert_eq!(
        of_planted, 1000,
        "every planted secret is found in both copies"
    );

    // One server per provider host, answering its documented success in 50 ms.
    let mut servers = Vec::new();
    let mut endpoints = Vec::new();
    let mut ca = None;
    for host in [
        "api.github.com",
        "registry.npmjs.org",
        "api.sendgrid.com",
        "api.stripe.com",
        "api.getpostman.com",
    ] {
        let body = planted.iter().find(|p| p.1 == host).unwrap().3;
        let server =
            TestServer::https(move |_| Reply::new(200, body).delayed(Duration::from_millis(50)));
        endpoints.push(EndpointOverride::parse(&format!("{host}={}", server.base_url())).unwrap());
        ca.get_or_insert_with(|| server.ca_file.clone());
        servers.push(server);
    }
    // Each server made its own CA: trust them all through one bundle.
    let bundle = dir.path().join("bundle.pem");
    let pems: Vec<String> = servers
        .iter()
        .map(|s| std::fs::read_to_string(&s.ca_file).unwrap())
        .collect();
    std::fs::write(&bundle, pems.concat()).unwrap();
    let settings = ValidationSettings {
        endpoints,
        extra_ca: Some(bundle),
        proxy: ProxyChoice::None,
        ..ValidationSettings::default()
    };

    let started = Instant::now();
    let summary = validate_findings(
        &mut findings,
        rule_set.rules(),
        &settings,
        &AtomicBool::new(false),
    )
    .unwrap();
    let elapsed = started.elapsed();
    let served: usize = servers.iter().map(TestServer::requests).sum();
    let most_at_once = servers.iter().map(TestServer::max_in_flight).max().unwrap();
    eprintln!(
        "{} findings ({} of planted secrets), {} distinct checked: {} valid, {} requests (servers counted {served}), \
         {elapsed:?} wall with concurrency {} and {} per host, at most {most_at_once} at once per host",
        findings.len(),
        of_planted,
        summary.checked,
        summary.valid,
        summary.requests,
        settings.concurrency,
        settings.per_host,
    );
    assert_eq!(summary.checked, 500);
    assert_eq!(summary.valid, 500);
    assert_eq!(served, 500);
    assert!(most_at_once <= settings.per_host);
}

fn walk(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}
