//! Key policies and IAM policies in Terraform and CloudFormation, checked against the
//! secrets checklist:
//! - a KMS key policy that lets everyone (`"Principal": "*"`) decrypt without a condition
//!   ([`detect_public_key_policy`]);
//! - a KMS key policy that lets a whole account root decrypt (or do `kms:*`) without a
//!   condition, or gives one principal both administration and use of the key
//!   ([`detect_broad_key_policy`]);
//! - an identity policy that allows `secretsmanager:GetSecretValue` or
//!   `ssm:GetParameter*` on `Resource: "*"` without a condition ([`detect_secret_read_on_any`]).
//!
//! Policies are read where they are written literally: `jsonencode({...})`, heredoc JSON,
//! `data "aws_iam_policy_document"` blocks (also their `dynamic "statement"` content), and
//! CloudFormation `KeyPolicy` / `PolicyDocument` / SAM `Policies`. A finding points at the
//! resource or data block that holds the statement.

use super::ValueHit;
use super::iac;
use super::policy_documents::{identity_policies, key_policies};

use super::policy_documents::Statement;

const DECRYPT: &str = "kms:decrypt";
const ADMIN_ACTIONS: &[&str] = &[
    "kms:putkeypolicy",
    "kms:schedulekeydeletion",
    "kms:disablekey",
    "kms:createalias",
    "kms:deletealias",
    "kms:updatekeydescription",
];
const USE_ACTIONS: &[&str] = &[
    "kms:decrypt",
    "kms:encrypt",
    "kms:generatedatakey",
    "kms:reencryptfrom",
];
const SECRET_READS: &[&str] = &[
    "secretsmanager:getsecretvalue",
    "ssm:getparameter",
    "ssm:getparameters",
    "ssm:getparametersbypath",
    "ssm:getparameterhistory",
];

pub fn detect_public_key_policy(data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    let Some(iac) = iac::parse(data, path) else {
        return;
    };
    for policy in key_policies(&iac, data) {
        let public = policy.statements.iter().any(|statement| {
            usable(statement)
                && statement.principals.as_ref().is_some_and(|principals| {
                    principals.iter().any(|principal| principal.trim() == "*")
                })
                && allows(statement, DECRYPT)
        });
        if public {
            out.push(policy.holder.hit());
        }
    }
}

pub fn detect_broad_key_policy(data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    let Some(iac) = iac::parse(data, path) else {
        return;
    };
    for policy in key_policies(&iac, data) {
        let root_decrypts = policy.statements.iter().any(|statement| {
            usable(statement)
                && statement
                    .principals
                    .as_ref()
                    .is_some_and(|principals| principals.iter().any(|p| is_account_root(p)))
                && allows(statement, DECRYPT)
        });
        if root_decrypts || admin_and_user(&policy.statements) {
            out.push(policy.holder.hit());
        }
    }
}

pub fn detect_secret_read_on_any(data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    let Some(iac) = iac::parse(data, path) else {
        return;
    };
    for policy in identity_policies(&iac, data) {
        let broad = policy.statements.iter().any(|statement| {
            usable(statement)
                && statement.principals.is_none()
                && statement
                    .resources
                    .iter()
                    .any(|resource| resource.trim() == "*")
                && statement.actions.iter().any(|action| {
                    (action.starts_with("secretsmanager:") || action.starts_with("ssm:"))
                        && SECRET_READS.iter().any(|read| glob_matches(action, read))
                })
        });
        if broad {
            out.push(policy.holder.hit());
        }
    }
}

/// An `Allow` without a condition or a negation.
fn usable(statement: &Statement) -> bool {
    statement.allow && !statement.condition && !statement.negated
}

fn allows(statement: &Statement, action: &str) -> bool {
    statement
        .actions
        .iter()
        .any(|pattern| glob_matches(pattern, action))
}

/// Whether one principal (other than everyone or an account root) may both administer
/// and use the key.
fn admin_and_user(statements: &[Statement]) -> bool {
    let mut admins: Vec<&str> = Vec::new();
    let mut users: Vec<&str> = Vec::new();
    for statement in statements
        .iter()
        .filter(|statement| statement.allow && !statement.negated)
    {
        let Some(principals) = &statement.principals else {
            continue;
        };
        let admin = ADMIN_ACTIONS.iter().any(|action| allows(statement, action));
        let user = USE_ACTIONS.iter().any(|action| allows(statement, action));
        for principal in principals {
            if principal.trim() == "*" || is_account_root(principal) {
                continue;
            }
            if admin {
                admins.push(principal);
            }
            if user {
                users.push(principal);
            }
        }
    }
    admins.iter().any(|admin| users.contains(admin))
}

/// `arn:aws:iam::123456789012:root`, a bare account id, or a reference to the account
/// (`data.aws_caller_identity.current.account_id`, `!Ref AWS::AccountId`).
fn is_account_root(principal: &str) -> bool {
    let principal = principal.trim().trim_matches(['"', '\'']);
    principal.ends_with(":root")
        || principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit())
        || principal.ends_with(".account_id")
        || principal.ends_with("AWS::AccountId")
        || principal.ends_with("${AWS::AccountId}")
}

/// `*` and `?` wildcards, ignoring ASCII case.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let pattern = pattern.trim().to_ascii_lowercase();
    let (pattern, text) = (pattern.as_bytes(), text.as_bytes());
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t].to_ascii_lowercase()) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
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
    fn key_policies_are_judged_inline_and_through_policy_documents() {
        let text = r#"resource "aws_kms_key" "open" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*", Action = "kms:Decrypt", Resource = "*" }]
  })
}
resource "aws_kms_key" "scoped" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = ["kms:Decrypt"], Resource = "*",
      Condition = { StringEquals = { "kms:CallerAccount" = "111122223333" } } }]
  })
}
resource "aws_kms_key" "default" {
  policy = data.aws_iam_policy_document.default.json
}
data "aws_iam_policy_document" "default" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}
"#;
        assert_eq!(labels(detect_public_key_policy, "kms.tf", text), ["open"]);
        assert_eq!(labels(detect_broad_key_policy, "kms.tf", text), ["default"]);
    }

    #[test]
    fn one_principal_with_administration_and_use_is_broad() {
        let text = "Resources:\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n        Statement:\n          - Effect: Allow\n            Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:role/app'}\n            Action: ['kms:Create*', 'kms:Put*', 'kms:Decrypt']\n            Resource: '*'\n";
        assert_eq!(labels(detect_broad_key_policy, "key.yaml", text), ["Key"]);
        assert!(labels(detect_public_key_policy, "key.yaml", text).is_empty());
    }

    #[test]
    fn secret_reads_on_any_resource_are_found_in_every_policy_form() {
        let text = r#"data "aws_iam_policy_document" "read_all" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "read_one" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.db.arn]
  }
}
resource "aws_iam_role_policy" "params" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = ["ssm:GetParameter*"], Resource = "*" }]
  })
}
resource "aws_iam_policy" "tagged" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "secretsmanager:*", Resource = "*",
      Condition = { StringEquals = { "aws:ResourceTag/app" = "api" } } }]
  })
}
"#;
        assert_eq!(
            labels(detect_secret_read_on_any, "iam.tf", text),
            ["params", "read_all"]
        );
        let cfn = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: secretsmanager:GetSecretValue\n              Resource: '*'\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: read\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: ssm:GetParameters\n                Resource: !Sub arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/*\n";
        assert_eq!(
            labels(detect_secret_read_on_any, "template.yaml", cfn),
            ["Fn"]
        );
    }

    #[test]
    fn globs_match_like_iam() {
        assert!(glob_matches("kms:*", "kms:decrypt"));
        assert!(glob_matches("KMS:Dec*", "kms:decrypt"));
        assert!(glob_matches("ssm:GetParameter*", "ssm:getparametersbypath"));
        assert!(glob_matches("*", "kms:decrypt"));
        assert!(!glob_matches("kms:Encrypt", "kms:decrypt"));
        assert!(!glob_matches("ssm:Put*", "ssm:getparameter"));
    }
}
