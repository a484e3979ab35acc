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

/// How sure a finding is that it is a live secret. Ordered from least to most sure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Generic, weak or stock-looking values, published examples, test fixtures.
    Low,
    /// A provider's name in context, a strong shape.
    #[default]
    Medium,
    /// A unique prefix or a checksum that was verified.
    High,
}

impl Confidence {
    pub const NAMES: &[&str] = &["high", "medium", "low"];

    pub fn parse(name: &str) -> Option<Confidence> {
        Some(match name.to_ascii_lowercase().as_str() {
            "high" => Confidence::High,
            "medium" => Confidence::Medium,
            "low" => Confidence::Low,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }

    /// One level less sure (a test path, say); `Low` stays `Low`.
    pub fn lowered(self) -> Confidence {
        match self {
            Confidence::High => Confidence::Medium,
            _ => Confidence::Low,
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A structured detector: code that reads a document format (dotenv, JSON, YAML, HCL)
/// instead of a regex, for secrets whose *place* makes them findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Detector {
    /// `KEY=value` lines of a committed `.env` file.
    Dotenv,
    /// `containerDefinitions[].environment[]` of ECS task definitions, also inside
    /// CloudFormation, Terraform and `aws ecs describe-task-definition` output.
    EcsTaskEnv,
    /// `env: - name: N value: V` in Kubernetes workloads.
    K8sEnv,
    /// A committed `kind: Secret` with real `data`/`stringData`.
    K8sSecret,
    /// docker-compose `environment:` (map and list forms).
    ComposeEnv,
    /// GitHub Actions workflow `env:` blocks.
    GhaEnv,
    // Env maps of other platforms (`engine::structured::platforms`) and of images.
    LambdaEnv,
    ServerlessEnv,
    BeanstalkEnv,
    AppRunnerEnv,
    BatchEnv,
    StepFunctionsEnv,
    CloudRunEnv,
    AppEngineEnv,
    AzureAppSettings,
    AzureContainerAppsEnv,
    AzureLocalSettings,
    HerokuEnv,
    FlyEnv,
    RenderEnv,
    NetlifyEnv,
    VercelEnv,
    DockerfileEnv,
    DockerRunEnv,
    /// Secret values written inline in Terraform and CloudFormation.
    TerraformInlineSecret,
    CloudFormationInlineSecret,
    // Posture checks on secrets in Terraform and CloudFormation (see `is_posture`).
    SsmPlaintextParameter,
    SecretRotation,
    SecretDefaultKey,
    KmsPublicKeyPolicy,
    KmsBroadKeyPolicy,
    IamSecretReadAny,
}

impl Detector {
    pub const ALL: &[(&str, Detector)] = &[
        ("dotenv", Detector::Dotenv),
        ("ecs-task-env", Detector::EcsTaskEnv),
        ("k8s-env", Detector::K8sEnv),
        ("k8s-secret", Detector::K8sSecret),
        ("compose-env", Detector::ComposeEnv),
        ("gha-env", Detector::GhaEnv),
        ("lambda-env", Detector::LambdaEnv),
        ("serverless-env", Detector::ServerlessEnv),
        ("beanstalk-env", Detector::BeanstalkEnv),
        ("apprunner-env", Detector::AppRunnerEnv),
        ("batch-env", Detector::BatchEnv),
        ("stepfunctions-env", Detector::StepFunctionsEnv),
        ("cloudrun-env", Detector::CloudRunEnv),
        ("appengine-env", Detector::AppEngineEnv),
        ("azure-app-settings", Detector::AzureAppSettings),
        ("azure-container-apps-env", Detector::AzureContainerAppsEnv),
        ("azure-local-settings", Detector::AzureLocalSettings),
        ("heroku-env", Detector::HerokuEnv),
        ("fly-env", Detector::FlyEnv),
        ("render-env", Detector::RenderEnv),
        ("netlify-env", Detector::NetlifyEnv),
        ("vercel-env", Detector::VercelEnv),
        ("dockerfile-env", Detector::DockerfileEnv),
        ("docker-run-env", Detector::DockerRunEnv),
        ("terraform-inline-secret", Detector::TerraformInlineSecret),
        (
            "cloudformation-inline-secret",
            Detector::CloudFormationInlineSecret,
        ),
        ("ssm-plaintext-parameter", Detector::SsmPlaintextParameter),
        ("secret-rotation", Detector::SecretRotation),
        ("secret-default-kms-key", Detector::SecretDefaultKey),
        ("kms-public-key-policy", Detector::KmsPublicKeyPolicy),
        ("kms-broad-key-policy", Detector::KmsBroadKeyPolicy),
        ("iam-secret-read-any", Detector::IamSecretReadAny),
    ];

    /// Posture checks report how secrets are kept (rotation, keys, policies), not a
    /// secret: findings of kind `posture`, switched off with `--no-posture`.
    pub fn is_posture(self) -> bool {
        matches!(
            self,
            Detector::SsmPlaintextParameter
                | Detector::SecretRotation
                | Detector::SecretDefaultKey
                | Detector::KmsPublicKeyPolicy
                | Detector::KmsBroadKeyPolicy
                | Detector::IamSecretReadAny
        )
    }

    pub fn parse(name: &str) -> Option<Detector> {
        Detector::ALL
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, detector)| *detector)
    }
}

/// A rule whose fields have been checked: ids are unique, regexes parse, names are known.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub description: String,
    /// Regex source (Rust `regex` syntax), compiled lazily by the engine.
    pub regex: Option<String>,
    /// Runs instead of a regex; mutually exclusive with `regex`.
    pub detector: Option<Detector>,
    pub secret_group: Option<usize>,
    pub entropy: Option<f64>,
    /// Lower-cased literal keywords; empty means the rule runs on every buffer.
    pub keywords: Vec<String>,
    /// Regex on the '/'-separated path.
    pub path: Option<String>,
    pub tags: Vec<String>,
    pub allowlists: Vec<Allowlist>,
    pub severity: Severity,
    /// As written in the rule; when absent the engine derives it from the rule's shape.
    pub confidence: Option<Confidence>,
    /// Written in the compact provider-context form (`names` + `token`): the key to look
    /// for after each name, which the engine finds without running the regex.
    pub context: Option<super::context::KeySpec>,
    pub remediation: String,
    pub examples: Vec<Example>,
    pub negative_examples: Vec<Example>,
    /// How to check that a found secret is live, if the provider allows it.
    pub validate: Option<super::validator::Validator>,
    /// The file the rule was defined in, for messages.
    pub origin: String,
}

impl Rule {
    /// Catch-all rules give way to specific rules that report the same secret.
    pub fn is_generic(&self) -> bool {
        self.tags.iter().any(|tag| tag == "generic")
    }

    /// Which rule reports a secret that several rules found: provider-specific rules (2)
    /// over structured detectors (1) over generic rules (0).
    pub fn precedence(&self) -> u8 {
        if self.is_generic() {
            0
        } else if self.detector.is_some() {
            1
        } else {
            2
        }
    }

    /// Whether the rule is a posture check (see [`Detector::is_posture`]).
    pub fn is_posture(&self) -> bool {
        self.detector.is_some_and(Detector::is_posture)
    }

    /// Whether the rule looks at content (a regex or a detector), not only at the path.
    pub fn reads_content(&self) -> bool {
        self.regex.is_some() || self.detector.is_some()
    }
}

#[cfg(test)]
impl Rule {
    /// A rule with just a regex and keywords, for tests of the engine.
    pub(crate) fn for_test(id: &str, regex: &str, keywords: &[&str]) -> Rule {
        Rule {
            id: id.into(),
            description: id.into(),
            regex: Some(regex.into()),
            detector: None,
            secret_group: None,
            entropy: None,
            keywords: keywords.iter().map(|keyword| keyword.to_string()).collect(),
            path: None,
            tags: Vec::new(),
            allowlists: Vec::new(),
            severity: Severity::High,
            confidence: None,
            context: None,
            remediation: String::new(),
            examples: Vec::new(),
            negative_examples: Vec::new(),
            validate: None,
            origin: "test".into(),
        }
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
    /// The user config's `[validation]` table; command-line flags override it.
    pub validation: ValidationConfig,
}

/// `[validation]` of a user config: what `--validate` uses unless flags say otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationConfig {
    /// `HOST=BASE_URL` pairs, checked for shape here and parsed by `crate::validate`.
    pub endpoints: Vec<String>,
    /// Resolved against the config file's directory.
    pub ca_file: Option<std::path::PathBuf>,
    pub concurrency: Option<usize>,
    pub per_host: Option<usize>,
    pub timeout: Option<std::time::Duration>,
}
