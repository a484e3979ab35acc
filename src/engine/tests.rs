//! Tests of the engine as a whole: rules against their examples, the prefilter against
//! exhaustive matching (proptest), overlaps, allowlists and decoding.

use proptest::prelude::*;

use super::*;
use crate::rules::{Allowlist, Config, Rule};

fn rule(id: &str, regex: &str, keywords: &[&str]) -> Rule {
    Rule::for_test(id, regex, keywords)
}

fn config(rules: Vec<Rule>) -> Config {
    Config {
        rules,
        allowlists: Vec::new(),
        sources: Vec::new(),
        validation: Default::default(),
    }
}

fn scan(set: &RuleSet, data: &str, path: Option<&str>) -> Vec<Match> {
    let mut out = Vec::new();
    set.scan(data.as_bytes(), path, &mut Scratch::default(), &mut out);
    out
}

fn ids(set: &RuleSet, matches: &[Match]) -> Vec<String> {
    matches
        .iter()
        .map(|m| set.rule(m.rule).id.clone())
        .collect()
}

#[test]
fn chunk_without_any_keyword_never_reaches_regex() {
    // The regex would match "zzz", but the keyword is absent, so the rule does not run.
    let set = RuleSet::compile(&config(vec![rule("r", "(?i)needle z+|z+", &["needle"])]));
    assert!(scan(&set, "zzz", None).is_empty());
    assert_eq!(scan(&set, "NEEDLE zzz", None).len(), 1);
}

#[test]
fn keyword_match_is_ascii_case_insensitive() {
    let set = RuleSet::compile(&config(vec![rule("r", "(?i)akia[0-9]{4}", &["AKIA"])]));
    assert_eq!(scan(&set, "akia1234", None).len(), 1);
}

#[test]
fn secret_group_selects_the_secret() {
    let mut with_group = rule("r", r"key=(\w+);(\w+)", &["key="]);
    with_group.secret_group = Some(2);
    let set = RuleSet::compile(&config(vec![with_group]));
    let found = scan(&set, "key=abc;def", None);
    assert_eq!(found[0].secret, 8..11);
    assert_eq!(found[0].span, 0..11);
}

#[test]
fn without_secret_group_the_first_non_empty_group_is_the_secret() {
    let set = RuleSet::compile(&config(vec![rule("r", r"k(x*)=(\w+)", &["k"])]));
    assert_eq!(scan(&set, "k=abc", None)[0].secret, 2..5);
}

#[test]
fn entropy_threshold_drops_repetitive_secrets() {
    let mut random = rule("r", r"tok_([a-z0-9]{8})", &["tok_"]);
    random.entropy = Some(2.5);
    let set = RuleSet::compile(&config(vec![random]));
    assert!(scan(&set, "tok_aaaaaaaa", None).is_empty());
    assert_eq!(scan(&set, "tok_a8f3k2q9", None).len(), 1);
}

#[test]
fn rule_allowlist_stopword_drops_match() {
    let mut with_allowlist = rule("r", r"tok_([a-z]+)", &["tok_"]);
    with_allowlist.allowlists.push(Allowlist {
        stopwords: vec!["example".into()],
        ..Allowlist::default()
    });
    let set = RuleSet::compile(&config(vec![with_allowlist]));
    assert!(scan(&set, "tok_myexamplevalue", None).is_empty());
    assert_eq!(scan(&set, "tok_realvalue", None).len(), 1);
}

#[test]
fn global_path_allowlist_skips_whole_files() {
    let mut cfg = config(vec![rule("r", r"tok_[a-z]+", &["tok_"])]);
    cfg.allowlists.push(Allowlist {
        paths: vec!["^fixtures/".into()],
        ..Allowlist::default()
    });
    let set = RuleSet::compile(&cfg);
    assert!(scan(&set, "tok_abc", Some("fixtures/a.txt")).is_empty());
    assert_eq!(scan(&set, "tok_abc", Some("src/a.txt")).len(), 1);
}

#[test]
fn global_allowlist_with_target_rules_spares_other_rules() {
    let mut cfg = config(vec![
        rule("a", r"tok_[a-z]+", &["tok_"]),
        rule("b", r"key_[a-z]+", &["key_"]),
    ]);
    cfg.allowlists.push(Allowlist {
        regex_target: crate::rules::RegexTarget::Match,
        regexes: vec!["_".into()],
        target_rules: vec!["a".into()],
        ..Allowlist::default()
    });
    let set = RuleSet::compile(&cfg);
    assert_eq!(ids(&set, &scan(&set, "tok_abc key_abc", None)), ["b"]);
}

#[test]
fn rule_with_path_runs_only_on_matching_paths() {
    let mut npmrc = rule("npm", r"_authToken=(\S+)", &["_authtoken"]);
    npmrc.path = Some(r"(^|/)\.npmrc$".into());
    let set = RuleSet::compile(&config(vec![npmrc]));
    assert_eq!(scan(&set, "_authToken=abc", Some("a/.npmrc")).len(), 1);
    assert!(scan(&set, "_authToken=abc", Some("a/readme.md")).is_empty());
    assert!(scan(&set, "_authToken=abc", None).is_empty());
}

#[test]
fn path_only_rule_reports_the_file() {
    let mut p12 = rule("p12", "", &[]);
    p12.regex = None;
    p12.path = Some(r"\.p12$".into());
    let set = RuleSet::compile(&config(vec![p12]));
    let found = scan(&set, "binary", Some("certs/server.p12"));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, MatchKind::Path);
    assert!(scan(&set, "binary", Some("certs/server.pem")).is_empty());
}

#[test]
fn specific_rule_wins_over_generic_rule_on_the_same_secret() {
    let mut generic = rule("generic", r#"token\s*=\s*"([^"]+)""#, &["token"]);
    generic.tags.push("generic".into());
    let specific = rule("gh", r"ghp_[A-Za-z0-9]{6}", &["ghp_"]);
    let set = RuleSet::compile(&config(vec![generic, specific]));
    assert_eq!(
        ids(&set, &scan(&set, r#"token = "ghp_abcdef""#, None)),
        ["gh"]
    );
    assert_eq!(
        ids(&set, &scan(&set, r#"token = "hunter22""#, None)),
        ["generic"]
    );
}

#[test]
fn secret_inside_base64_is_found_at_the_blob() {
    use base64::Engine;
    let set = RuleSet::compile(&config(vec![rule("tok", r"tok_[a-z]{8}", &["tok_"])]));
    let encoded =
        base64::engine::general_purpose::STANDARD.encode("config: tok_abcdefgh and more text");
    let data = format!("blob = {encoded}\n");
    let found = scan(&set, &data, None);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].span, 7..7 + encoded.len());
    assert_eq!(found[0].decoded.as_ref().unwrap().secret, b"tok_abcdefgh");
    let shallow = RuleSet::compile(&config(vec![rule("tok", r"tok_[a-z]{8}", &["tok_"])]))
        .with_decode_depth(0);
    assert!(scan(&shallow, &data, None).is_empty());
}

#[test]
fn decode_depth_two_finds_double_encoding() {
    use base64::Engine;
    let b64 = |text: &str| base64::engine::general_purpose::STANDARD.encode(text);
    let inner = b64("secret tok_abcdefgh inside");
    let data = b64(&format!("outer layer: {inner}"));
    let one = RuleSet::compile(&config(vec![rule("tok", r"tok_[a-z]{8}", &["tok_"])]));
    assert!(scan(&one, &data, None).is_empty());
    let two = RuleSet::compile(&config(vec![rule("tok", r"tok_[a-z]{8}", &["tok_"])]))
        .with_decode_depth(2);
    let found = scan(&two, &data, None);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].span, 0..data.len());
}

#[test]
fn rule_without_keywords_runs_on_every_buffer() {
    let set = RuleSet::compile(&config(vec![rule("r", "zz", &[])]));
    assert_eq!(scan(&set, "a zz b", None).len(), 1);
}

#[test]
fn matches_are_ordered_by_position() {
    let set = RuleSet::compile(&config(vec![
        rule("b", "bbb", &["bbb"]),
        rule("a", "aaa", &["aaa"]),
    ]));
    assert_eq!(ids(&set, &scan(&set, "aaa bbb aaa", None)), ["a", "b", "a"]);
}

#[test]
fn builtin_rules_match_their_own_examples() {
    let config = crate::rules::builtin().unwrap();
    let failures = check_examples(&config);
    let report: Vec<String> = failures
        .iter()
        .map(|failure| {
            format!(
                "{} ({}): {} {:?}{}",
                failure.rule,
                failure.origin,
                if failure.expected_match {
                    "missed example"
                } else {
                    "matched negative example"
                },
                failure.example,
                failure
                    .compile_error
                    .as_deref()
                    .map(|e| format!(" [regex error: {e}]"))
                    .unwrap_or_default()
            )
        })
        .collect();
    assert!(
        report.is_empty(),
        "{} example failure(s):\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn every_builtin_rule_has_examples_severity_and_remediation() {
    let config = crate::rules::builtin().unwrap();
    let mut problems = Vec::new();
    for rule in &config.rules {
        if rule.examples.len() < 2 || rule.negative_examples.len() < 2 {
            problems.push(format!(
                "{}: needs at least 2 examples and 2 negative_examples",
                rule.id
            ));
        }
        if rule.remediation.trim().is_empty() {
            problems.push(format!("{}: has no remediation", rule.id));
        }
        if rule.regex.is_some() && rule.keywords.is_empty() {
            problems.push(format!(
                "{}: has no keywords, so it runs on every file",
                rule.id
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_builtin_regex_compiles() {
    let config = crate::rules::builtin().unwrap();
    let set = RuleSet::compile(&config);
    for (index, rule) in set.rules().iter().enumerate() {
        let compiled = &set.compiled[index];
        for regex in [compiled.regex.as_ref(), set.path_matcher.regex(index)]
            .into_iter()
            .flatten()
        {
            assert!(
                regex.get().is_ok(),
                "rule {}: {:?}",
                rule.id,
                regex.get().err()
            );
        }
    }
}

#[test]
fn regex_runs_only_near_keyword_occurrences() {
    // The second alternative's match does not contain the keyword: leakhound does not
    // report it (a rule's matches must hold a keyword).
    let set = RuleSet::compile(&config(vec![rule(
        "r",
        r"magic[0-9]{6}|[0-9]{6}",
        &["magic"],
    )]));
    assert!(scan(&set, &format!("magic{}123456", " ".repeat(40)), None).is_empty());
    assert_eq!(scan(&set, "magic123456", None).len(), 1);
}

#[test]
fn windows_around_distant_keywords_find_every_match() {
    let set = RuleSet::compile(&config(vec![rule("tok", r"tok_[a-z]{4}", &["tok_"])]));
    let data = format!(
        "tok_abcd{}tok_efgh{}tok_ijkl",
        "x ".repeat(500),
        ".".repeat(3)
    );
    let found = scan(&set, &data, None);
    assert_eq!(found.len(), 3);
    assert_eq!(found[2].span, data.len() - 8..data.len());
}

#[test]
fn builtin_rule_matches_contain_a_keyword() {
    // Regexes run near keyword occurrences only, so a rule whose match can lack every
    // keyword would miss secrets; check it on every positive example.
    let config = crate::rules::builtin().unwrap();
    let mut problems = Vec::new();
    for (index, rule) in config.rules.iter().enumerate() {
        if rule.regex.is_none() || rule.keywords.is_empty() {
            continue;
        }
        let single = RuleSet::compile(&Config {
            rules: vec![rule.clone()],
            allowlists: Vec::new(),
            sources: Vec::new(),
            validation: Default::default(),
        })
        .with_decode_depth(0);
        for example in &rule.examples {
            let mut found = Vec::new();
            single.scan_with(
                example.text.as_bytes(),
                example.path.as_deref(),
                &mut Scratch::default(),
                &mut found,
                Prefiltering::Exhaustive,
            );
            for m in found.iter().filter(|m| m.kind == MatchKind::Content) {
                let text = example.text.as_bytes()[m.span.clone()].to_ascii_lowercase();
                if !rule
                    .keywords
                    .iter()
                    .any(|k| memchr::memmem::find(&text, k.as_bytes()).is_some())
                {
                    problems.push(format!(
                        "{} (#{index}): match {:?} holds none of {:?}",
                        rule.id,
                        String::from_utf8_lossy(&text),
                        rule.keywords
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Keywords that overlap each other, inside the matches of their rules.
fn differential_rules() -> Vec<Rule> {
    vec![
        rule(
            "pass",
            r"(?i)pass(?:word)?\s*=\s*(\w{3,})",
            &["pass", "password"],
        ),
        rule("word", r"word[0-9]+", &["word"]),
        rule("akia", r"AKIA[A-Z0-9]{4}", &["akia"]),
        rule("ghp", r"ghp_[a-z0-9]{4}", &["ghp_", "hp_"]),
        rule("mid", r"[0-9]{2}magic[0-9]{2}", &["magic"]),
        rule("long", r"(?s)-----BEGIN.*?-----END", &["begin"]),
        rule(
            "line",
            r"(?im)^[ \t]*(?:export[ \t]+)?pass[a-z]*[ \t]*=[ \t]*(\S+)[ \t]*\r?$",
            &["pass"],
        ),
        rule("spaced", r"(?i)word\s+(\w+)\s*;", &["word"]),
        rule("any", r"zq[a-z]", &[]),
    ]
}

fn haystack() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "pass",
        "PASSWORD",
        "word12",
        " = ",
        "abc",
        "AKIA",
        "akia",
        "ZZZZ",
        "ghp_",
        "gHp_",
        "1234",
        "magic",
        "123456",
        "zqx",
        "\n",
        " ",
        "=",
        "x",
        "é",
        "-----BEGIN",
        "-----END",
        "export ",
        "\t",
        ";",
        "\r\n",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn prefilter_never_changes_results(text in haystack()) {
        let set = RuleSet::compile(&config(differential_rules()));
        let mut scratch = Scratch::default();
        let (mut fast, mut exhaustive) = (Vec::new(), Vec::new());
        set.scan_with(text.as_bytes(), None, &mut scratch, &mut fast, Prefiltering::Automaton);
        set.scan_with(text.as_bytes(), None, &mut scratch, &mut exhaustive, Prefiltering::Exhaustive);
        prop_assert_eq!(fast, exhaustive);
    }

    #[test]
    fn builtin_prefilter_never_changes_results(text in haystack()) {
        static BUILTIN: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
        let set = BUILTIN.get_or_init(|| RuleSet::compile(&crate::rules::builtin().unwrap()));
        let mut scratch = Scratch::default();
        let (mut fast, mut exhaustive) = (Vec::new(), Vec::new());
        set.scan_with(text.as_bytes(), Some("src/x.py"), &mut scratch, &mut fast, Prefiltering::Automaton);
        set.scan_with(text.as_bytes(), Some("src/x.py"), &mut scratch, &mut exhaustive, Prefiltering::Exhaustive);
        prop_assert_eq!(fast, exhaustive);
    }
}

#[test]
fn every_built_in_rule_has_two_examples_and_two_negative_examples() {
    let config = crate::rules::builtin().unwrap();
    let thin: Vec<_> = config
        .rules
        .iter()
        .filter(|rule| rule.examples.len() < 2 || rule.negative_examples.len() < 2)
        .map(|rule| format!("{} ({})", rule.id, rule.origin))
        .collect();
    assert!(
        thin.is_empty(),
        "rules with fewer than 2 examples or negatives: {thin:?}"
    );
}

#[test]
fn the_catalogue_has_at_least_600_rules() {
    assert!(crate::rules::builtin().unwrap().rules.len() >= 600);
}

/// Compact provider rules of every shape class, loaded as a user's config would be.
fn compact_rules() -> Vec<Rule> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("compact.toml");
    let rule = |id: &str, names: &str, token: &str, extra: &str| {
        format!(
            "[[rules]]\nid = \"{id}\"\nnames = [{names}]\ntoken = {token}\n{extra}entropy = 0.0\n\n"
        )
    };
    let text = [
        rule("acme-hex", r#""acme", "acme_api""#, r#""hex32""#, ""),
        rule(
            "acme-range",
            r#""acme""#,
            r#"["alnum10-12", "uuid"]"#,
            "near = 12\n",
        ),
        rule("zeta-b64", r#""zeta""#, r#""b648""#, ""),
        rule(
            "zeta-prefixed",
            r#""zeta""#,
            r#""b64url8""#,
            "prefix = \"ak_\"\n",
        ),
        rule(
            "kilo-upper",
            r#""kilo""#,
            r#"["HEX8", "digits8-9"]"#,
            "near = 3\n",
        ),
    ]
    .concat();
    std::fs::write(&path, text).unwrap();
    crate::rules::load_file(&path, crate::rules::Examples::Skip)
        .unwrap()
        .rules
}

fn compact_haystack() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "acme",
        "ACME_API",
        "acme_api",
        "zeta",
        "kilo",
        "=",
        "==",
        "===",
        " ",
        "\n",
        ":",
        "\"",
        "-",
        "_",
        "+",
        "/",
        "g",
        "ak_",
        "0123456789abcdef",
        "deadbeefcafe1234",
        "0A1B2C3D",
        "123456789",
        "Zm9vYmFy",
        "aZ09aZ09aZ",
        "0f8fad5b-d9cb-469f-a165-70867728950e",
    ]);
    prop::collection::vec(pieces, 0..30).prop_map(|parts| parts.concat())
}

/// The pairwise form of [`resolve_overlaps`], which it must agree with.
fn resolve_overlaps_pairwise(rules: &[Rule], matches: &mut Vec<Match>) {
    matches.sort_by(|a, b| {
        (a.secret.start, a.secret.end, a.rule).cmp(&(b.secret.start, b.secret.end, b.rule))
    });
    let content: Vec<(Range<usize>, u8, bool)> = matches
        .iter()
        .filter(|found| found.kind == MatchKind::Content)
        .map(|found| {
            let precedence = rules[found.rule].precedence();
            (found.secret.clone(), precedence, found.decoded.is_some())
        })
        .collect();
    matches.retain(|found| {
        let precedence = rules[found.rule].precedence();
        found.kind == MatchKind::Path
            || !content
                .iter()
                .any(|(other, other_precedence, other_decoded)| {
                    *other_precedence > precedence
                        && !(found.decoded.is_some() && *other_decoded)
                        && other.start < found.secret.end
                        && found.secret.start < other.end
                })
    });
}

fn overlap_rules() -> Vec<Rule> {
    let mut generic = rule("generic-x", "x", &["x"]);
    generic.tags = vec!["generic".into()];
    let mut detector = rule("detector-x", "x", &["x"]);
    detector.detector = Some(crate::rules::Detector::Dotenv);
    vec![generic, detector, rule("provider-x", "x", &["x"])]
}

proptest! {
    #[test]
    fn compact_rules_find_by_hand_what_their_regex_finds(text in compact_haystack()) {
        static COMPACT: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
        let set = COMPACT.get_or_init(|| RuleSet::compile(&config(compact_rules())));
        let mut scratch = Scratch::default();
        let (mut direct, mut regex) = (Vec::new(), Vec::new());
        set.scan_with(text.as_bytes(), None, &mut scratch, &mut direct, Prefiltering::Automaton);
        set.scan_with(text.as_bytes(), None, &mut scratch, &mut regex, Prefiltering::Exhaustive);
        prop_assert_eq!(direct, regex);
    }

    #[test]
    fn overlap_resolution_agrees_with_comparing_every_pair(
        spans in proptest::collection::vec(
            (0usize..3, 0usize..60, 1usize..12, any::<bool>(), any::<bool>()),
            0..40,
        )
    ) {
        let rules = overlap_rules();
        let mut matches: Vec<Match> = spans
            .iter()
            .map(|&(rule, start, len, is_path, decoded)| Match {
                rule,
                kind: if is_path { MatchKind::Path } else { MatchKind::Content },
                span: start..start + len,
                secret: start..start + len,
                entropy: 0.0,
                confidence: Confidence::Medium,
                confidence_reason: None,
                decoded: decoded.then(|| Box::new(Decoded { encoding: "base64", secret: Vec::new() })),
            })
            .collect();
        let mut expected = matches.clone();
        resolve_overlaps(&rules, &mut matches);
        resolve_overlaps_pairwise(&rules, &mut expected);
        prop_assert_eq!(matches, expected);
    }
}
