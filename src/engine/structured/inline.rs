//! Secret values written inline in infrastructure code: leaked secrets, reported like any
//! other, not posture.
//!
//! Terraform (`.tf`, `.tf.json`, `.tfvars`): a credential-like attribute (`password`,
//! `master_password`, `secret_string`, `auth_token`, `client_secret`, ...) given a literal in
//! a `resource`, `data`, `provider` or `module` block, in `locals`, or as a credential-like
//! (or `sensitive`) variable's `default`; an `aws_ssm_parameter`'s `value` when its name is
//! a secret's. CloudFormation: the same for resource properties (`MasterUserPassword`,
//! `SecretString`, `AuthToken`, ...) and for a secret parameter's `Default`.
//!
//! Env maps of the platforms that have their own detector (Lambda `environment`, ECS
//! container definitions, app settings, ...) are left to it, so a value is reported once.
//! So are token lifetimes (`token_validity_units { access_token = "hours" }`) and policy
//! documents, whose keys are actions and condition keys.

use super::iac::{self, Iac, blocks};
use super::judge;
use super::posture::parameter_name_is_secret;
use super::tree::{MAX_DEPTH, Node, judge_pair};
use super::{ValueHit, hcl};

/// Keys whose subtrees an env detector reads ([`super::platforms`], [`super::ecs`]).
const ENV_KEYS: &[&str] = &[
    "environment",
    "variables",
    "environment_variables",
    "build_environment_variables",
    "runtime_environment_variables",
    "env_variables",
    "app_settings",
    "connection_string",
    "env",
    "setting",
    "container_definitions",
    "container_properties",
    "node_properties",
    "ecs_properties",
    "definition",
    "containerdefinitions",
    "containerproperties",
    "optionsettings",
    "runtimeenvironmentvariables",
    // Policy documents: their keys are actions and condition keys
    // (`secretsmanager:ResourceTag/app`), not attributes.
    "policy",
    "assume_role_policy",
    "policydocument",
    "assumerolepolicydocument",
    "keypolicy",
    "policies",
    "condition",
];

/// Attributes that hold the value of a secret whatever their name: the secret stores'
/// own resources.
const SECRET_VALUES: &[(&str, &str)] = &[
    ("github_actions_secret", "plaintext_value"),
    ("github_actions_environment_secret", "plaintext_value"),
    ("github_actions_organization_secret", "plaintext_value"),
    ("github_dependabot_secret", "plaintext_value"),
    ("azurerm_key_vault_secret", "value"),
    ("google_secret_manager_secret_version", "secret_data"),
    ("vault_kv_secret_v2", "data_json"),
    ("vault_generic_secret", "data_json"),
];

pub fn detect_terraform(data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    let Some(path) = path else {
        return;
    };
    let file = if path.to_ascii_lowercase().ends_with(".tfvars") {
        hcl::parse_body(data)
    } else {
        match hcl::parse_terraform(data, Some(path)) {
            Some(file) => file,
            None => return,
        }
    };
    if path.to_ascii_lowercase().ends_with(".tfvars") {
        walk(&file, out, 0);
        return;
    }
    for block in ["resource", "data"] {
        for resource in blocks(&file, block) {
            if resource.kind == "aws_ssm_parameter" {
                judge_parameter(resource.body, "name", "value", out);
                judge_parameter(resource.body, "name", "insecure_value", out);
            }
            for (kind, attribute) in SECRET_VALUES {
                if resource.kind == *kind
                    && let Some(value) = resource.body.get(attribute).and_then(Node::scalar)
                    && !judge::is_placeholder(&value.text)
                {
                    out.push(ValueHit {
                        span: value.raw.clone(),
                        secret: value.raw.clone(),
                    });
                }
            }
            walk(resource.body, out, 0);
        }
    }
    for by_name in file.get_all("provider").chain(file.get_all("module")) {
        for (_, body) in by_name.entries() {
            for body in iac::items_or_self(body) {
                walk(body, out, 0);
            }
        }
    }
    for locals in file.get_all("locals") {
        for locals in iac::items_or_self(locals) {
            walk(locals, out, 0);
        }
    }
    for variable in blocks_by_name(&file, "variable") {
        let (label, body) = variable;
        let sensitive = body
            .get("sensitive")
            .and_then(|flag| flag.source(data))
            .is_some_and(|flag| flag.trim() == "true");
        let Some(default) = body.get("default").and_then(Node::scalar) else {
            continue;
        };
        if sensitive && !judge::is_placeholder(&default.text) {
            out.push(ValueHit {
                span: default.raw.clone(),
                secret: default.raw.clone(),
            });
        } else {
            judge_pair(label, default, out);
        }
    }
}

/// `variable "name" { ... }` blocks: (name, body).
fn blocks_by_name<'a>(file: &'a Node, block: &'static str) -> Vec<(&'a str, &'a Node)> {
    file.get_all(block)
        .flat_map(iac::items_or_self)
        .flat_map(Node::entries)
        .filter_map(|(name, body)| Some((name.text()?, body)))
        .flat_map(|(name, body)| {
            iac::items_or_self(body)
                .iter()
                .map(move |body| (name, body))
        })
        .collect()
}

pub fn detect_cloudformation(data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    if path.is_some_and(|path| hcl::is_native_path(path) || hcl::is_json_path(path)) {
        return;
    }
    let Some(Iac::CloudFormation(templates)) = iac::parse(data, path) else {
        return;
    };
    let iac = Iac::CloudFormation(templates);
    for resource in iac.resources() {
        if resource.kind == "AWS::SSM::Parameter" {
            judge_parameter(resource.body, "Name", "Value", out);
        }
        walk(resource.body, out, 0);
    }
    let Iac::CloudFormation(templates) = &iac else {
        return;
    };
    for template in templates {
        let parameters = template
            .get("Parameters")
            .map(Node::entries)
            .unwrap_or_default();
        for (name, parameter) in parameters {
            let (Some(name), Some(default)) =
                (name.text(), parameter.get("Default").and_then(Node::scalar))
            else {
                continue;
            };
            let no_echo = parameter
                .get("NoEcho")
                .and_then(|flag| flag.source(data))
                .is_some_and(|flag| {
                    flag.trim()
                        .trim_matches(['"', '\''])
                        .eq_ignore_ascii_case("true")
                });
            if no_echo && !judge::is_placeholder(&default.text) {
                out.push(ValueHit {
                    span: default.raw.clone(),
                    secret: default.raw.clone(),
                });
            } else {
                judge_pair(name, default, out);
            }
        }
    }
}

/// An SSM parameter's literal value, when the parameter's name is a secret's.
fn judge_parameter(body: &Node, name_key: &str, value_key: &str, out: &mut Vec<ValueHit>) {
    let name = body.get(name_key).and_then(Node::text);
    let value = body.get(value_key).and_then(Node::scalar);
    if let (Some(name), Some(value)) = (name, value)
        && parameter_name_is_secret(name)
        && !judge::is_placeholder(&value.text)
    {
        out.push(ValueHit {
            span: value.raw.clone(),
            secret: value.raw.clone(),
        });
    }
}

/// Judges every `name = literal` below `node`, except in env maps and token lifetimes.
fn walk(node: &Node, out: &mut Vec<ValueHit>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match node {
        Node::Map(entries) => {
            for (key, value) in entries {
                let Some(name) = key.text() else {
                    continue;
                };
                let lower = name.to_ascii_lowercase();
                let attribute = name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
                if !attribute || ENV_KEYS.contains(&lower.as_str()) || lower.ends_with("units") {
                    continue;
                }
                match value {
                    Node::Scalar(scalar) => judge_pair(name, scalar, out),
                    other => walk(other, out, depth + 1),
                }
            }
        }
        Node::Seq(items) => {
            for item in items {
                walk(item, out, depth + 1);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(
        detect: fn(&[u8], Option<&str>, &mut Vec<ValueHit>),
        path: &str,
        text: &str,
    ) -> Vec<String> {
        let mut out = Vec::new();
        detect(text.as_bytes(), Some(path), &mut out);
        out.iter()
            .map(|hit| text[hit.secret.clone()].to_string())
            .collect()
    }

    #[test]
    fn terraform_literals_of_secret_attributes_are_found() {
        let text = r#"provider "vault" {
  token = "hvs-fixture-token-value"
}
resource "aws_db_instance" "db" {
  username = "app"
  password = "db-fixture-pass-1"
  manage_master_user_password = true
}
resource "aws_secretsmanager_secret_version" "api" {
  secret_id     = aws_secretsmanager_secret.api.id
  secret_string = jsonencode({ username = "api", password = "js0n-fixture-pass" }) # leakhound:allow
}
resource "aws_ssm_parameter" "token" {
  name  = "/prod/api/token"
  type  = "SecureString"
  value = "ssm-fixture-token"
}
resource "aws_cognito_user_pool_client" "c" {
  token_validity_units {
    access_token = "hours"
  }
}
resource "aws_lambda_function" "f" {
  environment {
    variables = { API_TOKEN = "left-to-the-lambda-detector" }
  }
}
variable "admin_password" {
  default = "var-fixture-pass"
}
variable "license" {
  sensitive = true
  default   = "sens-fixture-value"
}
variable "region" {
  default = "eu-west-1"
}
"#;
        assert_eq!(
            found(detect_terraform, "main.tf", text),
            [
                "db-fixture-pass-1",
                "js0n-fixture-pass",
                "ssm-fixture-token",
                "hvs-fixture-token-value",
                "var-fixture-pass",
                "sens-fixture-value"
            ]
        );
    }

    #[test]
    fn cloudformation_properties_and_no_echo_defaults_are_found() {
        let text = "Parameters:\n  DbPassword:\n    Type: String\n    NoEcho: true\n    Default: nOecho-fixture\n  Stage:\n    Type: String\n    Default: prod\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUsername: app\n      MasterUserPassword: cfn-fixture-pass\n  Api:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: '{{resolve:secretsmanager:prod/api:SecretString:password}}'\n  Secret:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      SecretString: '{\"password\":\"j-fixture\"}'\n";
        assert_eq!(
            found(detect_cloudformation, "template.yaml", text),
            [
                "cfn-fixture-pass",
                "{\"password\":\"j-fixture\"}",
                "nOecho-fixture"
            ]
        );
    }
}
