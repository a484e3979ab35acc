//! The configuration file as written: serde types for gitleaks' TOML format plus
//! leakhound's own fields. Nothing here is validated; see [`super::load`].

use serde::Deserialize;

/// One TOML configuration file (`rules/*.toml`, `.leakhound.toml`, `.gitleaks.toml`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Accepted for gitleaks compatibility; not used.
    #[expect(dead_code, reason = "read so that gitleaks configs load unchanged")]
    pub title: Option<String>,
    #[serde(rename = "minVersion")]
    #[expect(dead_code, reason = "read so that gitleaks configs load unchanged")]
    pub min_version: Option<String>,
    pub extend: Option<ExtendSpec>,
    #[serde(default)]
    pub rules: Vec<toml::Value>,
    /// gitleaks v8.0-8.20: a single global allowlist.
    pub allowlist: Option<AllowlistSpec>,
    #[serde(default)]
    pub allowlists: Vec<AllowlistSpec>,
    /// leakhound only: `[validation]`, settings for `--validate`.
    pub validation: Option<ValidationSpec>,
}

/// `[validation]` as written (see [`super::model::ValidationConfig`]).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationSpec {
    /// `HOST=BASE_URL` pairs, as `--validation-endpoint` takes them.
    #[serde(default)]
    pub endpoints: Vec<String>,
    /// A PEM file of extra CA certificates, relative to the config file.
    pub ca_file: Option<String>,
    pub concurrency: Option<usize>,
    pub per_host: Option<usize>,
    /// Seconds.
    pub timeout: Option<u64>,
}

/// A built-in rule file as `build.rs` embeds it for scans: JSON, without examples.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuiltinFile {
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    #[serde(default)]
    pub allowlists: Vec<AllowlistSpec>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExtendSpec {
    #[serde(default)]
    pub use_default: bool,
    pub path: Option<String>,
    #[serde(default)]
    pub disabled_rules: Vec<String>,
}

/// One `[[rules]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RuleSpec {
    pub id: String,
    pub description: Option<String>,
    pub regex: Option<String>,
    /// leakhound only: a structured detector (see [`super::model::Detector`]).
    pub detector: Option<String>,
    pub secret_group: Option<usize>,
    pub entropy: Option<f64>,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// leakhound only, compact form: the provider's names near a prefix-less key
    /// (see [`super::context`]); they become the keywords.
    #[serde(default)]
    pub names: Vec<String>,
    /// leakhound only, compact form: the key's shape (`hex32`, `alnum20-40`, `uuid`) or a list.
    pub token: Option<OneOrMany>,
    /// leakhound only, compact form: most bytes between a name and the key.
    pub near: Option<usize>,
    /// leakhound only, compact form: a literal that starts the key.
    pub prefix: Option<String>,
    /// leakhound only: high | medium | low; derived from the rule when absent.
    pub confidence: Option<String>,
    pub path: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// gitleaks v8.0-8.20: a single per-rule allowlist.
    pub allowlist: Option<AllowlistSpec>,
    #[serde(default)]
    pub allowlists: Vec<AllowlistSpec>,
    pub severity: Option<String>,
    pub remediation: Option<String>,
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
    #[serde(default, rename = "negative_examples", alias = "negativeExamples")]
    pub negative_examples: Vec<ExampleSpec>,
    /// leakhound only: how to check a found secret is live (see [`super::validator`]);
    /// read as a value here so that its errors can name the validator's own keys.
    pub validate: Option<serde_json::Value>,
}

/// A string or a list of strings.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// `[[allowlists]]`, `[[rules.allowlists]]` and their older singular forms.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AllowlistSpec {
    pub description: Option<String>,
    pub condition: Option<String>,
    pub regex_target: Option<String>,
    #[serde(default)]
    pub regexes: Vec<String>,
    #[serde(default)]
    pub stopwords: Vec<String>,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub commits: Vec<String>,
    /// Global allowlists only: limit the allowlist to these rule ids.
    #[serde(default)]
    pub target_rules: Vec<String>,
}

/// A rule example: file content, or a path with optional content.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ExampleSpec {
    Text(String),
    File {
        path: Option<String>,
        text: Option<String>,
    },
}

/// Every key a rule may have, for "did you mean" hints.
pub const RULE_KEYS: &[&str] = &[
    "id",
    "description",
    "regex",
    "detector",
    "secretGroup",
    "entropy",
    "keywords",
    "names",
    "token",
    "near",
    "prefix",
    "confidence",
    "path",
    "tags",
    "allowlist",
    "allowlists",
    "severity",
    "remediation",
    "examples",
    "negative_examples",
    "validate",
];
