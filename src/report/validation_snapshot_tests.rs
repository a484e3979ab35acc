//! The sample findings with validation outcomes (`--validate`), in every format. With no
//! outcome, every format is unchanged (the snapshots in `snapshot_tests`).

use crate::finding::{Finding, Redaction, Validation};

use super::Format;
use super::snapshot_tests::{render, sample_findings};

/// One outcome of each kind on the sample findings.
fn validated_findings() -> Vec<Finding> {
    let mut findings = sample_findings();
    let outcomes = [
        Validation::NotChecked {
            reason: "no validator for this rule".into(),
        },
        Validation::Valid {
            identity: Some("octocat".into()),
        },
        Validation::Unavailable {
            reason: "timeout".into(),
        },
        Validation::Invalid,
    ];
    for (finding, outcome) in findings.iter_mut().zip(outcomes) {
        finding.validation = Some(outcome);
    }
    findings
}

fn render_validated(format: Format) -> String {
    render(format, &validated_findings(), Redaction::Partial)
}

#[test]
fn text_shows_each_outcome() {
    insta::assert_snapshot!(render_validated(Format::Text));
}

#[test]
fn json_and_jsonl_carry_a_validation_field() {
    let report: serde_json::Value = serde_json::from_str(&render_validated(Format::Json)).unwrap();
    let outcomes: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| &finding["validation"])
        .collect();
    insta::assert_json_snapshot!(outcomes);
    insta::assert_snapshot!(render_validated(Format::Jsonl));
}

#[test]
fn sarif_results_carry_validation_properties() {
    let log: serde_json::Value = serde_json::from_str(&render_validated(Format::Sarif)).unwrap();
    let properties: Vec<&serde_json::Value> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| &result["properties"])
        .collect();
    insta::assert_json_snapshot!(properties);
}

#[test]
fn github_and_gitleaks_say_the_outcome() {
    insta::assert_snapshot!(render_validated(Format::Github));
    insta::assert_snapshot!(render_validated(Format::Gitleaks));
}

#[test]
fn html_rows_carry_the_outcome() {
    let page = render_validated(Format::Html);
    let shown: Vec<&str> = page
        .split("<div class=\"validation")
        .skip(1)
        .map(|rest| rest.split("</div>").next().unwrap_or_default())
        .collect();
    insta::assert_debug_snapshot!(shown);
    assert_eq!(page.matches("data-validation=\"").count(), 4);
}

#[test]
fn an_identity_cannot_inject_markup_or_terminal_escapes() {
    let mut findings = sample_findings();
    findings[1].validation = Some(Validation::Valid {
        identity: Some("<b>x</b>\u{1b}[31m".into()),
    });
    let text = render(Format::Text, &findings, Redaction::Partial);
    assert!(text.contains("valid (<b>x</b>\\u{1b}[31m)"), "{text}");
    let page = render(Format::Html, &findings, Redaction::Partial);
    assert!(page.contains("&lt;b&gt;x&lt;/b&gt;"));
}
