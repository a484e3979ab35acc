//! Checked rules: what [`super::load`] produces and the engine compiles.

use std::fmt;

/// How bad a leak of this kind is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const NAMES: &[&str] = &["critical", "high", "medium", "low", "info"];

    pub fn parse(name: &str) -> Option<Severity> {
        Some(match name.to_ascii_lowercase().as_str() {
            "critical" => Severity::Critical,
            "high" => Severity::High,
            "medium" => Severity::Medium,
            "low" => Severity::Low,
            "info" => Severity::Info,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule whose fields have been checked: ids are unique, regexes parse, names are known.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub description: String,
    /// Regex source (Rust `regex` syntax), compiled lazily by the engine.
    pub regex: Option<String>,
    pub secret_group: Option<usize>,
    pub entropy: Option<f64>,
    /// Lower-cased literal keywords; empty means the rule runs on every buffer.
    pub keywords: Vec<String>,
    /// Regex on the '/'-separated path.
    pub path: Option<String>,
    pub tags: Vec<String>,
    pub allowlists: Vec<Allowlist>,
    pub severity: Severity,
    pub remediation: String,
    pub examples: Vec<Example>,
    pub negative_examples: Vec<Example>,
    /// The file the rule was defined in, for messages.
    pub origin: String,
}

impl Rule {
    /// Catch-all rules give way to specific rules that report the same secret.
    pub fn is_generic(&self) -> bool {
        self.tags.iter().any(|tag| tag == "generic")
    }
}

/// How the criteria of one allowlist combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Condition {
    /// Any one criterion allows the match.
    #[default]
    Or,
    /// Every criterion that is given must match.
    And,
}

/// What an allowlist's `regexes` are matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegexTarget {
    #[default]
    Secret,
    Match,
    Line,
}

#[derive(Debug, Clone, Default)]
pub struct Allowlist {
    pub description: Option<String>,
    pub condition: Condition,
    pub regex_target: RegexTarget,
    pub regexes: Vec<String>,
    /// Lower-cased.
    pub stopwords: Vec<String>,
    pub paths: Vec<String>,
    pub commits: Vec<String>,
    /// Global allowlists only; empty means every rule.
    pub target_rules: Vec<String>,
}

/// Input a rule is expected to find (or not find).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub path: Option<String>,
    pub text: String,
}

/// A resolved configuration: the rules to run and the global allowlists.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub rules: Vec<Rule>,
    pub allowlists: Vec<Allowlist>,
    /// Where the configuration came from, for `rules list` and verbose output.
    pub sources: Vec<String>,
}
