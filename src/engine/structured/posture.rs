//! Posture checks on secrets declared in Terraform and CloudFormation: not leaks, but
//! the secrets checklist (stored as `SecureString` or in Secrets Manager, rotated at
//! least every 90 days, encrypted with a customer-managed KMS key). Key and IAM policies
//! are [`super::policy`]'s.
//!
//! Each finding points at the resource to fix ([`Resource::hit`]). Only the file at hand
//! is seen: a rotation declared in another file of the same Terraform module is not.

use super::ValueHit;
use super::iac::{self, Iac, Resource};
use super::judge;
use super::tree::Node;

/// An SSM parameter of type `String` (or `StringList`) whose name or value looks like a
/// secret.
pub fn detect_plaintext_parameter(data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    let Some(iac) = iac::parse(data, path) else {
        return;
    };
    for parameter in iac.resources_of(&["aws_ssm_parameter", "AWS::SSM::Parameter"]) {
        let body = parameter.body;
        let kind = body.get_ignore_case("type").and_then(Node::text);
        if !matches!(kind, Some("String" | "StringList")) {
            continue;
        }
        let name = body.get_ignore_case("name").and_then(Node::text);
        let value = body.get_ignore_case("value").and_then(Node::text);
        let secret_like = name.is_some_and(parameter_name_is_secret)
            || parameter_name_is_secret(&parameter.label.text)
            || value.is_some_and(|value| judge::secret_part("", value).is_some());
        if secret_like {
            out.push(parameter.hit());
        }
    }
}

/// Whether a parameter name (`/prod/db/password`, `${var.prefix}-api-key`) names a
/// secret: its last segment, or the whole name, is credential-like.
pub fn parameter_name_is_secret(name: &str) -> bool {
    let last = name
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(name);
    judge::is_credential_name(last) || judge::is_credential_name(name)
}

/// A Secrets Manager secret with no rotation configured, or rotated less often than every
/// 90 days.
pub fn detect_rotation(data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    let Some(iac) = iac::parse(data, path) else {
        return;
    };
    match &iac {
        Iac::Terraform(_) => terraform_rotation(&iac, data, out),
        Iac::CloudFormation(_) => cloudformation_rotation(&iac, data, out),
    }
}

/// Rotation more rarely than this many days is too rare.
const MAX_ROTATION_DAYS: u64 = 90;

fn terraform_rotation(iac: &Iac, data: &[u8], out: &mut Vec<ValueHit>) {
    let secret_kind = "aws_secretsmanager_secret";
    let rotations = iac.resources_of(&["aws_secretsmanager_secret_rotation"]);
    for secret in iac.resources_of(&[secret_kind]) {
        // The provider's older inline form.
        let inline = secret.body.get("rotation_rules").is_some()
            || secret.body.get("rotation_lambda_arn").is_some();
        let rotated = inline
            || rotations.iter().any(|rotation| {
                rotation
                    .body
                    .get("secret_id")
                    .and_then(|id| id.source(data))
                    .is_some_and(|id| iac::refers_to(id, secret_kind, &secret.label.text))
            });
        if !rotated {
            out.push(secret.hit());
        }
    }
    for rotation in rotations {
        let rules = rotation.body.get("rotation_rules");
        let days = rules.and_then(|rules| {
            rotation_days(
                rules,
                data,
                "automatically_after_days",
                "schedule_expression",
            )
        });
        if days.is_some_and(|days| days > MAX_ROTATION_DAYS) {
            out.push(rotation.hit());
        }
    }
}

fn cloudformation_rotation(iac: &Iac, data: &[u8], out: &mut Vec<ValueHit>) {
    let schedules = iac.resources_of(&["AWS::SecretsManager::RotationSchedule"]);
    let rotated: Vec<&str> = schedules
        .iter()
        .filter_map(|schedule| iac::cloudformation_target(schedule.body.get("SecretId")?, data))
        .collect();
    for secret in iac.resources_of(&["AWS::SecretsManager::Secret"]) {
        if !rotated.contains(&secret.label.text.as_str()) {
            out.push(secret.hit());
        }
    }
    for schedule in schedules {
        let days = schedule.body.get("RotationRules").and_then(|rules| {
            rotation_days(rules, data, "AutomaticallyAfterDays", "ScheduleExpression")
        });
        if days.is_some_and(|days| days > MAX_ROTATION_DAYS) {
            out.push(schedule.hit());
        }
    }
}

/// Days between rotations: a number of days, or a `rate(N days)` / `rate(N hours)`
/// expression; `None` for a cron expression or anything not written literally.
fn rotation_days(rules: &Node, data: &[u8], days_key: &str, expression_key: &str) -> Option<u64> {
    if let Some(days) = rules.get(days_key).and_then(|days| iac::number(days, data)) {
        return Some(days);
    }
    let expression = rules
        .get(expression_key)?
        .text()?
        .trim()
        .to_ascii_lowercase();
    let inner = expression.strip_prefix("rate(")?.strip_suffix(')')?;
    let (count, unit) = inner.trim().split_once(' ')?;
    let count: u64 = count.parse().ok()?;
    match unit.trim() {
        "day" | "days" => Some(count),
        "hour" | "hours" => Some(count / 24),
        _ => None,
    }
}

/// A Secrets Manager secret or a `SecureString` parameter encrypted with the account's
/// default key (`aws/secretsmanager`, `aws/ssm`) instead of a customer-managed KMS key.
pub fn detect_default_key(data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    let Some(iac) = iac::parse(data, path) else {
        return;
    };
    let checks: [(&[&str], &str, &str); 3] = [
        (
            &["aws_secretsmanager_secret"],
            "kms_key_id",
            "alias/aws/secretsmanager",
        ),
        (
            &["AWS::SecretsManager::Secret"],
            "KmsKeyId",
            "alias/aws/secretsmanager",
        ),
        (&["aws_ssm_parameter"], "key_id", "alias/aws/ssm"),
    ];
    for (kinds, key, default_alias) in checks {
        for resource in iac.resources_of(kinds) {
            if resource.kind == "aws_ssm_parameter"
                && resource.body.get("type").and_then(Node::text) != Some("SecureString")
            {
                continue;
            }
            if uses_default_key(&resource, data, key, default_alias) {
                out.push(resource.hit());
            }
        }
    }
}

fn uses_default_key(resource: &Resource<'_>, data: &[u8], key: &str, default_alias: &str) -> bool {
    match resource.body.get(key) {
        None => true,
        Some(node @ Node::Expr(_)) => node.source(data).is_some_and(|text| text.trim() == "null"),
        Some(Node::Scalar(scalar)) => scalar.text.trim().ends_with(default_alias),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(
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
    fn string_parameters_with_secret_names_are_reported() {
        let text = r#"resource "aws_ssm_parameter" "db_password" {
  name  = "/prod/db/password"
  type  = "String"
  value = var.db_password
}
resource "aws_ssm_parameter" "log_level" {
  name  = "/prod/log_level"
  type  = "String"
  value = "info"
}
resource "aws_ssm_parameter" "api_token" {
  name   = "/prod/api/token"
  type   = "SecureString"
  value  = var.api_token
  key_id = aws_kms_key.params.arn
}
"#;
        assert_eq!(
            labels(detect_plaintext_parameter, "ssm.tf", text),
            ["db_password"]
        );
        assert!(labels(detect_default_key, "ssm.tf", text).is_empty());
    }

    #[test]
    fn rotation_is_looked_for_in_the_same_file() {
        let text = r#"resource "aws_secretsmanager_secret" "db" {
  name       = "prod/db"
  kms_key_id = aws_kms_key.secrets.arn
}
resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = aws_lambda_function.rotate.arn
  rotation_rules {
    automatically_after_days = 30
  }
}
resource "aws_secretsmanager_secret" "api" {
  name = "prod/api"
}
resource "aws_secretsmanager_secret" "yearly" {
  name       = "prod/yearly"
  kms_key_id = "alias/aws/secretsmanager"
}
resource "aws_secretsmanager_secret_rotation" "yearly" {
  secret_id = aws_secretsmanager_secret.yearly.id
  rotation_rules {
    schedule_expression = "rate(365 days)"
  }
}
"#;
        assert_eq!(
            labels(detect_rotation, "secrets.tf", text),
            ["api", "yearly"]
        );
        assert_eq!(
            labels(detect_default_key, "secrets.tf", text),
            ["api", "yearly"]
        );
    }

    #[test]
    fn cloudformation_rotation_schedules_name_their_secret() {
        let text = "Resources:\n  DbSecret:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      KmsKeyId: !Ref SecretsKey\n      GenerateSecretString: {PasswordLength: 32}\n  DbRotation:\n    Type: AWS::SecretsManager::RotationSchedule\n    Properties:\n      SecretId: !Ref DbSecret\n      RotationRules:\n        AutomaticallyAfterDays: 180\n  ApiSecret:\n    Type: AWS::SecretsManager::Secret\n";
        assert_eq!(
            labels(detect_rotation, "template.yaml", text),
            ["ApiSecret", "DbRotation"]
        );
        assert_eq!(
            labels(detect_default_key, "template.yaml", text),
            ["ApiSecret"]
        );
    }
}
