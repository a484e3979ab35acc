//! Structured detectors: code that reads a document (dotenv, JSON, YAML, HCL) and reports
//! values whose *place* makes them secrets, such as a password in a Kubernetes `env:`
//! entry. A rule selects one with `detector = "..."` (see [`Detector`]); the engine runs it
//! where it would run a regex, and applies entropy and allowlists to what it returns.
//!
//! Each detector owns one format ([`dotenv`], [`ecs`], [`kubernetes`], [`compose`],
//! [`github_actions`], [`dockerfile`]; [`terraform`] finds ECS definitions in HCL); the
//! env maps of other platforms are one table ([`platforms`]) read by one walker
//! ([`select`]). They share the document tree ([`tree`]) built by [`yaml`], [`flow`]
//! (JSON, HCL and Bicep objects), [`hcl`] (Terraform files), [`bicep`] and [`toml_doc`],
//! and one classification of names and values ([`judge`]). A finding points at the value
//! itself (inside its quotes), so its line and column are the value's.
//!
//! Infrastructure code is also read whole ([`iac`]): for secrets written inline
//! ([`inline`]) and for posture checks ([`posture`], [`policy`]), whose findings point at
//! the resource to fix.
//!
//! A document that does not parse yields nothing here; the regex rules still see it.
//! Detectors only parse after a cheap check that the buffer can hold what they look for.

mod bicep;
mod compose;
mod dockerfile;
mod dotenv;
mod ecs;
mod flow;
mod github_actions;
mod hcl;
mod iac;
mod inline;
mod judge;
mod kubernetes;
mod names;
mod platforms;
mod policy;
mod policy_documents;
mod posture;
mod select;
mod terraform;
mod toml_doc;
mod tree;
mod yaml;

use std::ops::Range;

use crate::rules::Detector;

use tree::Node;

/// A value a detector reports: the span to point at and the secret within it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueHit {
    /// What the finding points at (e.g. `DB_PASSWORD=hunter2`, or the value alone).
    pub span: Range<usize>,
    /// The secret value, within `span`.
    pub secret: Range<usize>,
}

/// Runs `detector` over `data` (the content of `path`), appending what it finds to `out`:
/// spans that lie within `data`. One pointing outside is a detector's bug, which the fuzz
/// targets look for (debug assertions are on there); a release build drops the hit rather
/// than take the scan down.
pub fn detect(detector: Detector, data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    let before = out.len();
    run_detector(detector, data, path, out);
    let mut seen = 0;
    out.retain(|hit| {
        seen += 1;
        seen <= before || {
            let within = hit.span.start <= hit.span.end
                && hit.secret.start <= hit.secret.end
                && hit.span.end <= data.len()
                && hit.secret.end <= data.len();
            debug_assert!(
                within,
                "{detector:?} reported {hit:?} in {} bytes",
                data.len()
            );
            within
        }
    });
}

fn run_detector(detector: Detector, data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    match detector {
        Detector::Dotenv => dotenv::detect(data, out),
        Detector::EcsTaskEnv => ecs::detect(data, path, out),
        Detector::K8sEnv => kubernetes::detect_env(data, path, out),
        Detector::K8sSecret => kubernetes::detect_secret(data, out),
        Detector::ComposeEnv => compose::detect(data, out),
        Detector::GhaEnv => github_actions::detect(data, out),
        Detector::LambdaEnv => platforms::detect(&platforms::LAMBDA, data, path, out),
        Detector::ServerlessEnv => platforms::detect(&platforms::SERVERLESS, data, path, out),
        Detector::BeanstalkEnv => platforms::detect(&platforms::BEANSTALK, data, path, out),
        Detector::AppRunnerEnv => platforms::detect(&platforms::APPRUNNER, data, path, out),
        Detector::BatchEnv => platforms::detect(&platforms::BATCH, data, path, out),
        Detector::StepFunctionsEnv => {
            platforms::detect(&platforms::STEP_FUNCTIONS, data, path, out)
        }
        Detector::CloudRunEnv => platforms::detect(&platforms::CLOUD_RUN, data, path, out),
        Detector::AppEngineEnv => platforms::detect(&platforms::APP_ENGINE, data, path, out),
        Detector::AzureAppSettings => {
            platforms::detect(&platforms::AZURE_APP_SETTINGS, data, path, out)
        }
        Detector::AzureContainerAppsEnv => {
            platforms::detect(&platforms::AZURE_CONTAINER_APPS, data, path, out)
        }
        Detector::AzureLocalSettings => {
            platforms::detect(&platforms::AZURE_LOCAL_SETTINGS, data, path, out)
        }
        Detector::HerokuEnv => platforms::detect(&platforms::HEROKU, data, path, out),
        Detector::FlyEnv => platforms::detect(&platforms::FLY, data, path, out),
        Detector::RenderEnv => platforms::detect(&platforms::RENDER, data, path, out),
        Detector::NetlifyEnv => platforms::detect(&platforms::NETLIFY, data, path, out),
        Detector::VercelEnv => platforms::detect(&platforms::VERCEL, data, path, out),
        Detector::DockerfileEnv => dockerfile::detect_dockerfile(data, out),
        Detector::DockerRunEnv => dockerfile::detect_commands(data, path, out),
        Detector::TerraformInlineSecret => inline::detect_terraform(data, path, out),
        Detector::CloudFormationInlineSecret => inline::detect_cloudformation(data, path, out),
        Detector::SsmPlaintextParameter => posture::detect_plaintext_parameter(data, path, out),
        Detector::SecretRotation => posture::detect_rotation(data, path, out),
        Detector::SecretDefaultKey => posture::detect_default_key(data, path, out),
        Detector::KmsPublicKeyPolicy => policy::detect_public_key_policy(data, path, out),
        Detector::KmsBroadKeyPolicy => policy::detect_broad_key_policy(data, path, out),
        Detector::IamSecretReadAny => policy::detect_secret_read_on_any(data, path, out),
    }
}

/// The document formats the detectors read, as the fuzz targets name them
/// (`crate::fuzzing`): each picks a parser and a file name that selects its detectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFormat {
    Dotenv,
    Yaml,
    Json,
    Terraform,
    Toml,
    Bicep,
    Dockerfile,
}

impl DocumentFormat {
    pub const ALL: &[DocumentFormat] = &[
        DocumentFormat::Dotenv,
        DocumentFormat::Yaml,
        DocumentFormat::Json,
        DocumentFormat::Terraform,
        DocumentFormat::Toml,
        DocumentFormat::Bicep,
        DocumentFormat::Dockerfile,
    ];

    fn file_name(self) -> &'static str {
        match self {
            DocumentFormat::Dotenv => ".env",
            DocumentFormat::Yaml => "deployment.yaml",
            DocumentFormat::Json => "task-definition.json",
            DocumentFormat::Terraform => "main.tf",
            DocumentFormat::Toml => "fly.toml",
            DocumentFormat::Bicep => "main.bicep",
            DocumentFormat::Dockerfile => "Dockerfile",
        }
    }
}

/// Parses `data` as `format`, then runs every detector over it under a file name of that
/// format. Panics if a parser or a detector points outside `data`: that is what a fuzz
/// target looks for. The parsers stay private; only `crate::fuzzing` calls this.
pub fn exercise_document(format: DocumentFormat, data: &[u8]) {
    let documents = match format {
        DocumentFormat::Yaml => yaml::parse_documents(data),
        DocumentFormat::Json => flow::parse_json(data).into_iter().collect(),
        DocumentFormat::Terraform => vec![hcl::parse_body(data)],
        DocumentFormat::Toml => toml_doc::parse(data).into_iter().collect(),
        DocumentFormat::Bicep => bicep::resources(data),
        // Their detectors are their parsers.
        DocumentFormat::Dotenv | DocumentFormat::Dockerfile => Vec::new(),
    };
    for document in &documents {
        assert_within(document, data.len());
    }
    let mut out = Vec::new();
    for &(_, detector) in Detector::ALL {
        out.clear();
        detect(detector, data, Some(format.file_name()), &mut out);
        for hit in &out {
            assert!(
                hit.span.start <= hit.secret.start
                    && hit.secret.start < hit.secret.end
                    && hit.secret.end <= hit.span.end
                    && hit.span.end <= data.len(),
                "{detector:?} reported {hit:?} in {} bytes",
                data.len()
            );
        }
    }
}

/// Checks that every position in the tree lies within a buffer of `len` bytes.
fn assert_within(node: &Node, len: usize) {
    let check = |range: &Range<usize>| {
        assert!(
            range.start <= range.end && range.end <= len,
            "a node at {range:?} in {len} bytes"
        );
    };
    match node {
        Node::Scalar(scalar) => check(&scalar.raw),
        Node::Expr(range) => check(range),
        Node::Seq(items) => items.iter().for_each(|item| assert_within(item, len)),
        Node::Map(entries) => entries.iter().for_each(|(key, value)| {
            assert_within(key, len);
            assert_within(value, len);
        }),
        Node::Other => {}
    }
}

/// The documents of a JSON or (multi-document) YAML buffer; none if it parses as neither.
fn parse_documents(data: &[u8]) -> Vec<Node> {
    let first = data
        .iter()
        .skip(if data.starts_with(UTF8_BOM) { 3 } else { 0 })
        .find(|byte| !byte.is_ascii_whitespace());
    if matches!(first, Some(b'{' | b'['))
        && let Some(document) = flow::parse_json(data)
    {
        return vec![document];
    }
    yaml::parse_documents(data)
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn contains(data: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(data, needle).is_some()
}

/// Whether a file may be a YAML or JSON document (CloudFormation, ARM, ASL, a platform's
/// own file): its extension says so, or there is no path (standard input). Source code
/// that mentions `Aws::Lambda::Function` is not parsed as YAML.
fn is_document_path(path: Option<&str>) -> bool {
    let Some(path) = path else {
        return true;
    };
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let Some((_, extension)) = name.rsplit_once('.') else {
        return false;
    };
    matches!(
        extension,
        "yaml" | "yml" | "json" | "template" | "config" | "cfn" | "jsonc"
    )
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Pieces of every format the detectors read, to build inputs that get past their
    /// cheap checks and deep into the parsers.
    const PIECES: &[&str] = &[
        "apiVersion: v1\n",
        "kind: Secret\n",
        "kind: Pod\n",
        "data:\n",
        "stringData:\n",
        "env:\n",
        "  - name: DB_PASSWORD\n",
        "    value: ",
        "\"s3cr\\\"et\"",
        "'it''s'",
        "|\n  line\n",
        ">-\n  folded\n",
        "&a ",
        "*a",
        "!Ref ",
        "{{ .Values.x }}",
        "${X}",
        "---\n",
        "services:\n",
        "  db:\n",
        "    environment:\n",
        "      - API_TOKEN=tok\n",
        "{\"containerDefinitions\": [",
        "{\"environment\": [",
        "{\"name\": \"API_KEY\", ",
        "\"value\": \"v\\u00e9\"}",
        "]",
        "}",
        ",",
        "\n",
        " ",
        "\t",
        "é",
        "\u{feff}",
        "container_definitions = jsonencode([",
        "{ name = \"A_SECRET\", value = \"x\" }",
        "container_definitions = <<-EOF\n",
        "EOF\n",
        "resource \"aws_secretsmanager_secret\" \"s\" {\n",
        "data \"aws_iam_policy_document\" \"d\" {\n",
        "statement {\n",
        "policy = jsonencode({",
        "Resources:\n",
        "  Key:\n    Type: AWS::KMS::Key\n    Properties:\n",
        "Statement:\n",
        "Principal: \"*\"\n",
        "!Ref ",
        "resource site 'Microsoft.Web/sites@2022-09-01' = {\n",
        "appSettings: [\n",
        "'it\\'s'",
        "[env]\n",
        "ENV DB_PASSWORD=",
        "docker run -e TOKEN=",
        " \\\n",
        "export TOKEN=\"multi\nline\"\n",
        "cGFzcw==",
        "#",
        "//",
        "/*",
        "=",
        ":",
        "\"",
        "'",
        "`",
        "\\",
    ];

    fn assembled() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(proptest::sample::select(PIECES), 0..40)
                .prop_map(|pieces| pieces.concat().into_bytes()),
            proptest::collection::vec(any::<u8>(), 0..300),
        ]
    }

    #[test]
    fn only_yaml_and_json_files_are_read_as_documents() {
        for path in [
            "template.yaml",
            "a/b.yml",
            "azuredeploy.json",
            "x.template",
            ".ebextensions/a.config",
        ] {
            assert!(is_document_path(Some(path)), "{path}");
        }
        for path in ["src/lambda.cpp", "main.rs", "Makefile", "README.md"] {
            assert!(!is_document_path(Some(path)), "{path}");
        }
        assert!(is_document_path(None));
    }

    proptest! {
        #[test]
        fn detectors_never_panic_and_report_spans_within_the_buffer(data in assembled()) {
            for &(_, detector) in Detector::ALL {
                for path in [
                    None,
                    Some("x.tf"),
                    Some(".env"),
                    Some("a.yaml"),
                    Some("fly.toml"),
                    Some("main.bicep"),
                    Some("Dockerfile"),
                    Some("serverless.yml"),
                    Some("x.tfvars"),
                ] {
                    let mut out = Vec::new();
                    detect(detector, &data, path, &mut out);
                    for hit in out {
                        prop_assert!(hit.span.start <= hit.span.end && hit.span.end <= data.len());
                        prop_assert!(hit.span.start <= hit.secret.start);
                        prop_assert!(hit.secret.start < hit.secret.end);
                        prop_assert!(hit.secret.end <= hit.span.end);
                    }
                }
            }
        }
    }
}
