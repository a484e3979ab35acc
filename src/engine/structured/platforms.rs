//! Plaintext environment values on platforms whose env maps have the same shapes: one
//! table of where each platform declares them, read by one walker ([`super::select`]).
//!
//! Each [`Platform`] lists its [`Source`]s per file format: Terraform (`.tf`, `.tf.json`),
//! YAML/JSON documents (CloudFormation, ARM templates, the platform's own files), Bicep
//! resources and TOML. A source applies to a file when its file test (if any) passes and
//! the buffer holds one of its needles (if any); the file is parsed only when a source
//! applies. The judgement of each entry is [`super::judge`]'s, as for every detector.
//!
//! The table: [`aws`] (Lambda, Serverless, Elastic Beanstalk, App Runner, Batch, Step
//! Functions), [`clouds`] (Cloud Run and Functions, App Engine, Azure App Service,
//! Container Apps and Functions), [`hosting`] (Heroku, Fly.io, Render, Netlify, Vercel).

use super::select::{Shape, Step, judge_shape, select};
use super::tree::Node;
use super::{ValueHit, bicep, contains, hcl, parse_documents, toml_doc};

/// Where one platform declares environment values.
pub struct Platform {
    pub terraform: &'static [Source],
    pub documents: &'static [Source],
    pub bicep: &'static [Source],
    pub toml: &'static [Source],
    /// Value prefixes that are references on this platform (Vercel's `@secret-name`).
    pub references: &'static [&'static str],
}

/// One place of a platform's env values.
pub struct Source {
    /// Only files whose lower-cased path passes this test (`None`: any file).
    pub file: Option<fn(&str) -> bool>,
    /// The buffer must hold one of these (none: no condition).
    pub needles: &'static [&'static str],
    pub steps: &'static [Step],
    pub shape: Shape,
}

pub(super) const NONE: &[Source] = &[];

/// Appends the plaintext values of `platform`'s env maps in `data` to `out`.
pub fn detect(platform: &Platform, data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    let lower = path.map(str::to_ascii_lowercase);
    let lower = lower.as_deref();
    let applies = |source: &&Source| {
        source.file.is_none_or(|test| lower.is_some_and(test))
            && (source.needles.is_empty()
                || source
                    .needles
                    .iter()
                    .any(|needle| contains(data, needle.as_bytes())))
    };
    let start = out.len();
    let terraform = lower.is_some_and(|path| hcl::is_native_path(path) || hcl::is_json_path(path));
    if terraform {
        let sources: Vec<&Source> = platform.terraform.iter().filter(applies).collect();
        if !sources.is_empty()
            && let Some(file) = hcl::parse_terraform(data, lower)
        {
            read(&file, &sources, platform.references, out);
        }
    } else if lower.is_some_and(bicep::is_bicep_path) {
        let sources: Vec<&Source> = platform.bicep.iter().filter(applies).collect();
        if !sources.is_empty() {
            for resource in bicep::resources(data) {
                read(&resource, &sources, platform.references, out);
            }
        }
    } else if lower.is_some_and(|path| path.ends_with(".toml")) {
        let sources: Vec<&Source> = platform.toml.iter().filter(applies).collect();
        if !sources.is_empty()
            && let Some(document) = toml_doc::parse(data)
        {
            read(&document, &sources, platform.references, out);
        }
    } else if super::is_document_path(path) {
        let sources: Vec<&Source> = platform.documents.iter().filter(applies).collect();
        if !sources.is_empty() {
            for document in parse_documents(data) {
                read(&document, &sources, platform.references, out);
            }
        }
    }
    // Two sources may reach the same entry (a nested resource inside its parent).
    out[start..].sort_by_key(|hit| (hit.span.start, hit.span.end));
    let mut kept = start;
    for index in start..out.len() {
        if kept == start || out[kept - 1] != out[index] {
            out.swap(kept, index);
            kept += 1;
        }
    }
    out.truncate(kept);
}

fn read(root: &Node, sources: &[&Source], references: &[&str], out: &mut Vec<ValueHit>) {
    for source in sources {
        for found in select(root, source.steps) {
            judge_shape(found, source.shape, references, out);
        }
    }
}

pub(super) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `<stem>.<ext>` or `<stem>.<anything>.<ext>`, for a lower-cased path.
pub(super) fn named(path: &str, stem: &str, extensions: &[&str]) -> bool {
    let name = file_name(path);
    name.strip_prefix(stem).is_some_and(|rest| {
        extensions.iter().any(|extension| {
            rest.strip_suffix(extension).is_some_and(|middle| {
                middle == "." || middle.starts_with('.') && !middle.contains('/')
            })
        })
    })
}

pub(super) const YAML: &[&str] = &["yml", "yaml"];

/// A CloudFormation (or SAM) resource of one of `types`: the path to its properties.
macro_rules! cfn {
    ($types:expr $(, $step:expr)* $(,)?) => {
        &[
            Step::Key("Resources"),
            Step::AnyKey,
            Step::IfType($types),
            Step::Key("Properties"),
            $($step),*
        ]
    };
}

/// A Terraform resource of one of `types`: the path to its body.
macro_rules! tf {
    ($types:expr $(, $step:expr)* $(,)?) => {
        &[Step::Key("resource"), Step::OneOf($types), Step::AnyKey, $($step),*]
    };
}

pub(super) const MAP: Shape = Shape::Map;
pub(super) const NAME_VALUE: Shape = Shape::NameValue {
    name: "name",
    value: "value",
};

mod aws;
mod clouds;
mod hosting;

pub use aws::{APPRUNNER, BATCH, BEANSTALK, LAMBDA, SERVERLESS, STEP_FUNCTIONS};
pub use clouds::{
    APP_ENGINE, AZURE_APP_SETTINGS, AZURE_CONTAINER_APPS, AZURE_LOCAL_SETTINGS, CLOUD_RUN,
    is_cloud_run_object,
};
pub use hosting::{FLY, HEROKU, NETLIFY, RENDER, VERCEL};

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(platform: &Platform, path: &str, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        detect(platform, text.as_bytes(), Some(path), &mut out);
        out.iter()
            .map(|hit| text[hit.secret.clone()].to_string())
            .collect()
    }

    #[test]
    fn lambda_variables_are_read_in_terraform_cloudformation_and_sam_globals() {
        let tf = "resource \"aws_lambda_function\" \"f\" {\n  environment {\n    variables = {\n      API_TOKEN = \"t0k3n-fixture\" # leakhound:allow\n      DB_PASSWORD = var.db_password\n    }\n  }\n}\n";
        assert_eq!(secrets(&LAMBDA, "infra/lambda.tf", tf), ["t0k3n-fixture"]);
        let sam = "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Environment:\n      Variables:\n        SIGNING_SECRET: s1gn-fixture\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Environment:\n        Variables:\n          DB_PASSWORD: '{{resolve:secretsmanager:db:SecretString:password}}'\n          API_KEY: k3y-fixture\n";
        assert_eq!(
            secrets(&LAMBDA, "template.yaml", sam),
            ["s1gn-fixture", "k3y-fixture"]
        );
    }

    #[test]
    fn file_tests_keep_sources_to_their_files() {
        let text = "provider:\n  environment:\n    API_TOKEN: t0k3n-fixture\n";
        assert_eq!(
            secrets(&SERVERLESS, "svc/serverless.yml", text),
            ["t0k3n-fixture"]
        );
        assert_eq!(
            secrets(&SERVERLESS, "svc/serverless.prod.yaml", text),
            ["t0k3n-fixture"]
        );
        assert!(secrets(&SERVERLESS, "svc/other.yml", text).is_empty());
        assert!(named("a/fly.staging.toml", "fly", &["toml"]));
        assert!(!named("a/flyer.toml", "fly", &["toml"]));
    }

    #[test]
    fn vercel_secret_references_are_not_values() {
        let text =
            "{\"env\": {\"DB_PASSWORD\": \"@db-password\", \"API_TOKEN\": \"t0k3n-fixture\"}}";
        assert_eq!(secrets(&VERCEL, "vercel.json", text), ["t0k3n-fixture"]);
    }

    #[test]
    fn nested_arm_resources_are_reported_once() {
        let text = r#"{"resources": [{"type": "Microsoft.Web/sites", "name": "a", "properties": {},
          "resources": [{"type": "Microsoft.Web/sites", "name": "b",
            "properties": {"siteConfig": {"appSettings": [{"name": "API_KEY", "value": "k3y-fixture"}]}}}]}]}"#;
        assert_eq!(
            secrets(&AZURE_APP_SETTINGS, "azuredeploy.json", text),
            ["k3y-fixture"]
        );
    }
}
