//! `--format sarif`: a SARIF 2.1.0 log that GitHub code scanning accepts, built with
//! serde-sarif.
//!
//! GitHub reads a subset of SARIF and asks for more than the schema does: every rule has
//! descriptions, help, `security` among its tags and a `security-severity`; every result
//! has one location with a repository-relative URI and a region, and a
//! `primaryLocationLineHash` (the upload action cannot compute one for a file that no
//! longer exists, as for history findings). At most [`MAX_RESULTS`] results per run.
//!
//! Severity mapping (documented in the README):
//!
//! | severity | `level`   | `security-severity` |
//! |----------|-----------|---------------------|
//! | critical | `error`   | 9.5                 |
//! | high     | `error`   | 8.0                 |
//! | medium   | `warning` | 5.5                 |
//! | low      | `note`    | 3.0                 |
//! | info     | `note`    | 1.0                 |

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, Notification, PhysicalLocation, PropertyBag,
    Region, Result, ResultLevel, Run, Sarif, Tool, ToolComponent, VersionControlDetails,
};

use crate::finding::{Finding, FindingKind, Validation, redact};
use crate::rules::{Confidence, Severity};

use super::location::ReportPath;
use super::sarif_rules::RuleCatalogue;
use super::{ReportInput, escape_control, short_commit};

/// GitHub code scanning rejects runs with more results than this.
pub const MAX_RESULTS: usize = 25_000;

/// GitHub rejects rules with more tags than this (and shows the first 10).
pub(super) const MAX_TAGS_PER_RULE: usize = 20;

/// The OASIS schema of SARIF 2.1.0 with errata 01, the version our CI validates against.
const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Result URIs are relative to the root of the checkout.
const SOURCE_ROOT: &str = "%SRCROOT%";

/// Said when a rule has no remediation of its own.
pub(super) const DEFAULT_REMEDIATION: &str = "Revoke or rotate the secret first, then remove it from the \
     code (and from the git history if it was committed), and load it at run time from a \
     secret store or an environment variable.";

/// Tags every rule gets: GitHub lists only alerts tagged `security` as security alerts,
/// and CWE-798 is "use of hard-coded credentials".
pub(super) const COMMON_TAGS: [&str; 3] = ["security", "secret", "external/cwe/cwe-798"];

/// Tags of posture rules, which report how secrets are kept, not a secret (their own
/// rules name their CWE).
pub(super) const POSTURE_TAGS: [&str; 2] = ["security", "posture"];

pub fn write_sarif(input: &ReportInput<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let current_dir = std::env::current_dir().ok();
    let log = sarif_log(input, MAX_RESULTS, current_dir.as_deref());
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// The whole log, with at most `max_results` results (the most severe ones).
fn sarif_log(input: &ReportInput<'_>, max_results: usize, current_dir: Option<&Path>) -> Sarif {
    let mut catalogue = RuleCatalogue::new(input.rules);
    let reported = most_severe(input.findings, max_results);
    let results: Vec<Result> = reported
        .iter()
        .map(|finding| sarif_result(finding, &mut catalogue, input, current_dir))
        .collect();
    let truncated = results.len() < input.findings.len();

    let driver = ToolComponent::builder()
        .name(env!("CARGO_PKG_NAME"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_REPOSITORY"))
        .rules(catalogue.descriptors)
        .build();
    let mut invocation = Invocation::builder().execution_successful(true).build();
    let mut run_properties: Option<PropertyBag> = None;
    if let Some(repositories) = &input.run.repositories {
        run_properties = Some(property_bag(None, [("repositories", json!(repositories))]));
    }
    if truncated {
        let text = format!(
            "{} findings, more than the {max_results} results code scanning accepts; \
             this log lists the {max_results} most severe, run leakhound with \
             another format to see them all",
            input.findings.len()
        );
        invocation.tool_execution_notifications = Some(vec![
            Notification::builder()
                .level(json!("warning"))
                .message(Message::from(text.as_str()))
                .build(),
        ]);
        let bag = run_properties.get_or_insert_with(|| property_bag(None, []));
        bag.additional_properties.extend(
            [
                ("truncated", json!(true)),
                ("findings", json!(input.findings.len())),
                ("results", json!(results.len())),
            ]
            .map(|(key, value)| (key.to_string(), value)),
        );
    }
    let mut run = Run::builder()
        .tool(Tool::from(driver))
        .results(results)
        .invocations(vec![invocation])
        .column_kind(json!("unicodeCodePoints"))
        .build();
    run.properties = run_properties;
    run.version_control_provenance = version_control_provenance(input);
    Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// The repository a history scan of one repository read, when its remote URL is known:
/// SARIF viewers link results to it. (Scans of several repositories name each
/// repository in a result property and list them in the run's properties instead.)
fn version_control_provenance(input: &ReportInput<'_>) -> Option<Vec<VersionControlDetails>> {
    let repository = input.run.repository.as_ref()?;
    let remote = repository.remote_url.as_deref()?;
    let uri = remote_uri(&super::html::display_remote(remote))?;
    let mut details = VersionControlDetails::builder()
        .repository_uri(uri)
        .mapped_to(ArtifactLocation::builder().uri_base_id(SOURCE_ROOT).build())
        .build();
    details.revision_id = repository.head.clone();
    Some(vec![details])
}

/// A remote URL as an absolute URI: scp-like `git@host:path` becomes `ssh://git@host/path`;
/// a local path is no URI.
fn remote_uri(remote: &str) -> Option<String> {
    if remote.contains("://") {
        return Some(remote.to_string());
    }
    let (authority, path) = remote.split_once(':')?;
    if authority.is_empty() || authority.contains('/') || path.starts_with("//") {
        return None;
    }
    Some(format!(
        "ssh://{authority}/{}",
        path.trim_start_matches('/')
    ))
}

/// The first `limit` findings by severity (most severe first), kept in report order.
fn most_severe(findings: &[Finding], limit: usize) -> Vec<&Finding> {
    if findings.len() <= limit {
        return findings.iter().collect();
    }
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(findings[index].severity));
    order.truncate(limit);
    order.sort_unstable();
    order.into_iter().map(|index| &findings[index]).collect()
}

/// SARIF's `rank` (0-100, how much a result matters to look at) from the confidence.
fn rank(confidence: Confidence) -> f64 {
    match confidence {
        Confidence::High => 90.0,
        Confidence::Medium => 60.0,
        Confidence::Low => 30.0,
    }
}

pub(super) fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

/// GitHub's scale: over 9.0 is critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, below low.
pub(super) fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn sarif_result(
    finding: &Finding,
    catalogue: &mut RuleCatalogue,
    input: &ReportInput<'_>,
    current_dir: Option<&Path>,
) -> Result {
    let rule_index = catalogue.index_for(finding);
    let path = ReportPath::of(&finding.path, current_dir);
    let mut artifact = ArtifactLocation::builder().uri(path.uri()).build();
    if matches!(path, ReportPath::Relative(_)) {
        artifact.uri_base_id = Some(SOURCE_ROOT.to_string());
    }
    let region = match finding.kind {
        FindingKind::Content | FindingKind::Posture => Region::builder()
            .start_line(finding.start.line as i64)
            .start_column(finding.start.column as i64)
            .end_line(finding.end.line as i64)
            // SARIF's end column is the one after the last character.
            .end_column(finding.end.column as i64 + 1)
            .build(),
        FindingKind::File => Region::builder()
            .start_line(1)
            .start_column(1)
            .end_line(1)
            .end_column(1)
            .build(),
    };
    let location = Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(artifact)
                .region(region)
                .build(),
        )
        .build();
    let partial_fingerprints = BTreeMap::from([(
        "primaryLocationLineHash".to_string(),
        format!("{}:1", finding.fingerprint),
    )]);
    let fingerprints = BTreeMap::from([("leakhound/v1".to_string(), finding.fingerprint.clone())]);
    Result::builder()
        .rule_id(finding.rule_id.as_str())
        .rule_index(rule_index as i64)
        .level(level(finding.severity))
        .message(Message::from(
            result_message(finding, input, &path).as_str(),
        ))
        .locations(vec![location])
        .partial_fingerprints(partial_fingerprints)
        .fingerprints(fingerprints)
        .properties(result_properties(finding))
        .rank(rank(finding.confidence))
        .build()
}

/// Names the rule and shows the secret only as [`redact`] allows.
fn result_message(finding: &Finding, input: &ReportInput<'_>, path: &ReportPath<'_>) -> String {
    let description = escape_control(finding.description.trim());
    let what = match finding.kind {
        FindingKind::Content => format!(
            "secret {}",
            escape_control(&redact(&finding.secret, input.redaction))
        ),
        FindingKind::Posture => format!("resource {}", escape_control(&finding.secret)),
        FindingKind::File => format!(
            "file {} should not be committed",
            escape_control(path.as_str())
        ),
    };
    let mut message = format!("{description} (rule {}): {what}", finding.rule_id);
    if let Some(commit) = &finding.commit {
        message.push_str(&format!(
            ", introduced in commit {} by {} on {}",
            short_commit(&commit.id),
            escape_control(&commit.author_name),
            commit.date
        ));
    }
    message
}

fn result_properties(finding: &Finding) -> PropertyBag {
    let mut properties = vec![
        ("severity", json!(finding.severity.as_str())),
        ("confidence", json!(finding.confidence.as_str())),
    ];
    if let Some(reason) = finding.confidence_reason {
        properties.push(("confidenceReason", json!(reason)));
    }
    if let Some(repository) = &finding.repository {
        properties.push(("repository", json!(repository)));
    }
    if let Some(validation) = &finding.validation {
        properties.push(("validation", json!(validation.status())));
        match validation {
            Validation::Valid {
                identity: Some(identity),
            } => properties.push(("validationIdentity", json!(identity))),
            Validation::Unavailable { reason } | Validation::NotChecked { reason } => {
                properties.push(("validationReason", json!(reason)))
            }
            _ => {}
        }
    }
    if let Some(commit) = &finding.commit {
        properties.extend([
            ("commit", json!(commit.id)),
            ("author", json!(commit.author_name)),
            ("authorEmail", json!(commit.author_email)),
            ("date", json!(commit.date)),
            ("commitSummary", json!(commit.summary)),
        ]);
    }
    if let Some(occurrences) = &finding.occurrences {
        properties.extend([
            ("commits", json!(occurrences.commits)),
            ("refs", json!(occurrences.refs)),
        ]);
    }
    property_bag(None, properties)
}

pub(super) fn property_bag<'k>(
    tags: Option<Vec<String>>,
    properties: impl IntoIterator<Item = (&'k str, serde_json::Value)>,
) -> PropertyBag {
    let additional_properties: BTreeMap<String, serde_json::Value> = properties
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect();
    PropertyBag {
        tags,
        additional_properties,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Redaction, ScanStats};
    use crate::report::Color;
    use crate::report::snapshot_tests::{sample_findings, sample_rules};
    use crate::rules::Rule;

    fn log_with_cap(findings: &[Finding], rules: &[Rule], cap: usize) -> serde_json::Value {
        let stats = ScanStats::default();
        let input = ReportInput {
            findings,
            stats: &stats,
            rules,
            redaction: Redaction::Partial,
            color: Color::Never,
            run: &crate::report::RunInfo::default(),
        };
        serde_json::to_value(sarif_log(&input, cap, None)).unwrap()
    }

    #[test]
    fn severities_map_to_levels_and_security_severity() {
        assert_eq!(level(Severity::Critical), ResultLevel::Error);
        assert_eq!(level(Severity::High), ResultLevel::Error);
        assert_eq!(level(Severity::Medium), ResultLevel::Warning);
        assert_eq!(level(Severity::Low), ResultLevel::Note);
        assert_eq!(level(Severity::Info), ResultLevel::Note);
        let scores: Vec<f64> = [
            Severity::Info,
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ]
        .map(|severity| security_severity(severity).parse().unwrap())
        .to_vec();
        assert!(
            scores.windows(2).all(|pair| pair[0] < pair[1]),
            "{scores:?}"
        );
        assert!(scores[4] >= 9.0 && scores[3] >= 7.0 && scores[2] >= 4.0);
    }

    #[test]
    fn every_result_points_at_its_rule_by_index() {
        let log = log_with_cap(&sample_findings(), &sample_rules(), MAX_RESULTS);
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for result in run["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
        }
    }

    #[test]
    fn findings_of_rules_that_were_not_loaded_still_get_a_descriptor() {
        let log = log_with_cap(&sample_findings(), &[], MAX_RESULTS);
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let mut ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), rules.len(), "duplicate descriptors");
        for result in run["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
        }
    }

    #[test]
    fn over_the_cap_the_most_severe_results_are_kept_and_the_log_says_so() {
        let findings = sample_findings();
        let lows = findings
            .iter()
            .filter(|finding| finding.severity == Severity::Low)
            .count();
        assert_eq!(lows, 1, "the sample has exactly one low finding");
        let log = log_with_cap(&findings, &sample_rules(), findings.len() - 1);
        let run = &log["runs"][0];
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), findings.len() - 1);
        assert!(results.iter().all(|r| r["properties"]["severity"] != "low"));
        assert_eq!(run["properties"]["truncated"], true);
        assert_eq!(run["properties"]["findings"], findings.len());
        let notification = &run["invocations"][0]["toolExecutionNotifications"][0];
        assert_eq!(notification["level"], "warning");
        assert!(
            notification["message"]["text"]
                .as_str()
                .unwrap()
                .contains("most severe")
        );
    }

    #[test]
    fn under_the_cap_nothing_is_said_about_truncation() {
        let log = log_with_cap(&sample_findings(), &sample_rules(), MAX_RESULTS);
        let run = &log["runs"][0];
        assert!(run["properties"].is_null());
        assert!(run["invocations"][0]["toolExecutionNotifications"].is_null());
    }

    #[test]
    fn security_tag_comes_first_and_tags_are_capped() {
        let mut rules = sample_rules();
        rules[0].tags = (0..30).map(|n| format!("tag-{n}")).collect();
        rules[0].tags.push("security".to_string());
        let log = log_with_cap(&[], &rules, MAX_RESULTS);
        let tags = log["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"]
            .as_array()
            .unwrap();
        assert_eq!(tags.len(), MAX_TAGS_PER_RULE);
        assert_eq!(tags[0], "security");
    }

    #[test]
    fn end_column_is_one_past_the_last_character() {
        let findings = sample_findings();
        let first = findings
            .iter()
            .position(|finding| finding.kind == FindingKind::Content)
            .unwrap();
        let log = log_with_cap(&findings, &sample_rules(), MAX_RESULTS);
        let region =
            &log["runs"][0]["results"][first]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["endColumn"], findings[first].end.column + 1);
        assert_eq!(region["startColumn"], findings[first].start.column);
    }
}
