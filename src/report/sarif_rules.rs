//! SARIF's `tool.driver.rules`: one reporting descriptor per rule (descriptions, help,
//! tags, `security-severity`, precision), for the rules loaded and any a finding names.

use std::collections::HashMap;

use serde_json::json;
use serde_sarif::sarif::{MultiformatMessageString, ReportingConfiguration, ReportingDescriptor};

use crate::finding::{Finding, FindingKind};
use crate::rules::{Rule, Severity};

use super::sarif::{
    COMMON_TAGS, DEFAULT_REMEDIATION, MAX_TAGS_PER_RULE, POSTURE_TAGS, level, property_bag,
    security_severity,
};

/// `tool.driver.rules`: every loaded rule in load order, then any rule a finding names
/// that was not loaded (findings from elsewhere, such as a baseline).
pub(super) struct RuleCatalogue {
    pub(super) descriptors: Vec<ReportingDescriptor>,
    index_of: HashMap<String, usize>,
}

impl RuleCatalogue {
    pub(super) fn new(rules: &[Rule]) -> RuleCatalogue {
        let mut catalogue = RuleCatalogue {
            descriptors: Vec::with_capacity(rules.len()),
            index_of: HashMap::with_capacity(rules.len()),
        };
        for rule in rules {
            catalogue.add(&RuleFacts::of_rule(rule));
        }
        catalogue
    }

    fn add(&mut self, facts: &RuleFacts<'_>) -> usize {
        if let Some(&index) = self.index_of.get(facts.id) {
            return index;
        }
        let index = self.descriptors.len();
        self.descriptors.push(descriptor(facts));
        self.index_of.insert(facts.id.to_string(), index);
        index
    }

    pub(super) fn index_for(&mut self, finding: &Finding) -> usize {
        match self.index_of.get(&finding.rule_id) {
            Some(&index) => index,
            None => self.add(&RuleFacts::of_finding(finding)),
        }
    }
}

/// What a rule descriptor is made of, from a loaded rule or from a finding.
struct RuleFacts<'a> {
    id: &'a str,
    description: &'a str,
    severity: Severity,
    remediation: &'a str,
    tags: &'a [String],
    precision: &'static str,
    posture: bool,
}

impl<'a> RuleFacts<'a> {
    fn of_rule(rule: &'a Rule) -> RuleFacts<'a> {
        RuleFacts {
            id: &rule.id,
            description: &rule.description,
            severity: rule.severity,
            remediation: &rule.remediation,
            tags: &rule.tags,
            precision: precision(rule),
            posture: rule.is_posture(),
        }
    }

    fn of_finding(finding: &'a Finding) -> RuleFacts<'a> {
        RuleFacts {
            id: &finding.rule_id,
            description: &finding.description,
            severity: finding.severity,
            remediation: &finding.remediation,
            tags: &finding.tags,
            precision: "medium",
            posture: finding.kind == FindingKind::Posture,
        }
    }
}

/// How often a rule's findings are real: provider formats are precise, structured
/// detectors judge by place, generic rules guess from names.
fn precision(rule: &Rule) -> &'static str {
    match rule.precedence() {
        2 => "high",
        1 => "medium",
        _ => "low",
    }
}

fn descriptor(facts: &RuleFacts<'_>) -> ReportingDescriptor {
    let description = match facts.description.trim().trim_end_matches('.') {
        "" => facts.id,
        description => description,
    };
    let remediation = if facts.remediation.trim().is_empty() {
        DEFAULT_REMEDIATION
    } else {
        facts.remediation.trim()
    };
    let severity = facts.severity;
    let full_description = format!(
        "{description}. leakhound rule {} reports it with {severity} severity.",
        facts.id
    );
    let help_text = format!("{description}\n\nHow to fix: {remediation}");
    let help_markdown = format!(
        "**{description}** (rule `{}`, severity {severity})\n\n## How to fix\n\n{remediation}",
        facts.id
    );
    let mut tags: Vec<String> = Vec::with_capacity(facts.tags.len() + COMMON_TAGS.len());
    let common: &[&str] = if facts.posture {
        &POSTURE_TAGS
    } else {
        &COMMON_TAGS
    };
    for tag in common
        .iter()
        .copied()
        .chain(facts.tags.iter().map(String::as_str))
    {
        if !tags.iter().any(|known| known == tag) {
            tags.push(tag.to_string());
        }
    }
    tags.truncate(MAX_TAGS_PER_RULE);
    ReportingDescriptor::builder()
        .id(facts.id)
        .name(facts.id)
        .short_description(
            MultiformatMessageString::builder()
                .text(description)
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(full_description)
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(help_text)
                .markdown(help_markdown)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level(severity).to_string()))
                .build(),
        )
        .properties(property_bag(
            Some(tags),
            [
                ("precision", json!(facts.precision)),
                ("security-severity", json!(security_severity(severity))),
                ("severity", json!(severity.as_str())),
            ],
        ))
        .build()
}
