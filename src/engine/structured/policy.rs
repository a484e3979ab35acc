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
use super::iac::{self, Iac, Resource, items_or_self};
use super::select::{Step, select};
use super::tree::Node;

/// One policy statement, whatever syntax it was written in.
#[derive(Debug, Default)]
struct Statement {
    allow: bool,
    /// `None` for an identity policy (no principal).
    principals: Option<Vec<String>>,
    /// Lower-cased patterns.
    actions: Vec<String>,
    resources: Vec<String>,
    /// `NotAction`, `NotResource` or `NotPrincipal`: not judged.
    negated: bool,
    condition: bool,
}

/// A policy and the resource that holds it.
struct Policy<'a> {
    holder: Resource<'a>,
    statements: Vec<Statement>,
}

const KEY_KINDS: &[&str] = &[
    "aws_kms_key",
    "aws_kms_replica_key",
    "aws_kms_external_key",
    "aws_kms_replica_external_key",
    "aws_kms_key_policy",
];
const CFN_KEY_KINDS: &[&str] = &["AWS::KMS::Key", "AWS::KMS::ReplicaKey"];
const POLICY_DOCUMENT: &str = "aws_iam_policy_document";

/// Usage a key policy should never give to everyone or to a whole account.
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

/// Key policies: of KMS key resources (inline, or a policy document data block of the
/// same file they refer to), and policy documents that read as key policies (every
/// statement names principals and only `kms:` actions).
fn key_policies<'a>(iac: &'a Iac, data: &[u8]) -> Vec<Policy<'a>> {
    let mut policies = Vec::new();
    match iac {
        Iac::Terraform(file) => {
            let documents = iac::blocks(file, "data");
            let documents: Vec<Resource<'_>> = documents
                .into_iter()
                .filter(|document| document.kind == POLICY_DOCUMENT)
                .collect();
            let mut referenced: Vec<&Resource<'_>> = Vec::new();
            for key in iac.resources_of(KEY_KINDS) {
                match key.body.get("policy") {
                    Some(policy @ (Node::Map(_) | Node::Seq(_))) => policies.push(Policy {
                        holder: key,
                        statements: json_statements(policy, data),
                    }),
                    Some(expression @ Node::Expr(_)) => {
                        let source = expression.source(data).unwrap_or_default();
                        referenced.extend(documents.iter().filter(|document| {
                            iac::refers_to(
                                source,
                                &format!("data.{POLICY_DOCUMENT}"),
                                &document.label.text,
                            )
                        }));
                    }
                    _ => {}
                }
            }
            for document in &documents {
                let statements = document_statements(document.body, data);
                let reads_as_key_policy = !statements.is_empty()
                    && statements.iter().all(|statement| {
                        statement.principals.is_some()
                            && statement
                                .actions
                                .iter()
                                .all(|action| action.starts_with("kms:"))
                    });
                let is_referenced = referenced
                    .iter()
                    .any(|other| std::ptr::eq(other.label, document.label));
                if is_referenced || reads_as_key_policy {
                    policies.push(Policy {
                        holder: *document,
                        statements,
                    });
                }
            }
        }
        Iac::CloudFormation(_) => {
            for key in iac.resources_of(CFN_KEY_KINDS) {
                if let Some(policy) = key.body.get("KeyPolicy") {
                    policies.push(Policy {
                        holder: key,
                        statements: json_statements(policy, data),
                    });
                }
            }
        }
    }
    policies
}

const TF_POLICY_KINDS: &[&str] = &[
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
];
const CFN_POLICY_KINDS: &[&str] = &[
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::Role",
    "AWS::IAM::User",
    "AWS::IAM::Group",
];
const SAM_POLICY_KINDS: &[&str] = &["AWS::Serverless::Function", "AWS::Serverless::StateMachine"];

/// Identity policies: IAM policy resources and inline role policies written literally,
/// every policy document data block, CloudFormation `PolicyDocument`s and SAM `Policies`.
fn identity_policies<'a>(iac: &'a Iac, data: &[u8]) -> Vec<Policy<'a>> {
    let mut policies = Vec::new();
    match iac {
        Iac::Terraform(file) => {
            for resource in iac.resources_of(TF_POLICY_KINDS) {
                if let Some(policy @ (Node::Map(_) | Node::Seq(_))) = resource.body.get("policy") {
                    policies.push(Policy {
                        holder: resource,
                        statements: json_statements(policy, data),
                    });
                }
            }
            for role in iac.resources_of(&["aws_iam_role"]) {
                let statements: Vec<Statement> = role
                    .body
                    .get_all("inline_policy")
                    .filter_map(|inline| inline.get("policy"))
                    .flat_map(|policy| json_statements(policy, data))
                    .collect();
                if !statements.is_empty() {
                    policies.push(Policy {
                        holder: role,
                        statements,
                    });
                }
            }
            for document in iac::blocks(file, "data") {
                if document.kind == POLICY_DOCUMENT {
                    policies.push(Policy {
                        holder: document,
                        statements: document_statements(document.body, data),
                    });
                }
            }
        }
        Iac::CloudFormation(_) => {
            for resource in iac.resources_of(CFN_POLICY_KINDS) {
                let documents = select(resource.body, &[Step::Deep(&["PolicyDocument"])]);
                let statements: Vec<Statement> = documents
                    .into_iter()
                    .flat_map(|document| json_statements(document, data))
                    .collect();
                policies.push(Policy {
                    holder: resource,
                    statements,
                });
            }
            for function in iac.resources_of(SAM_POLICY_KINDS) {
                let statements: Vec<Statement> = function
                    .body
                    .get("Policies")
                    .map(items_or_self)
                    .unwrap_or_default()
                    .iter()
                    .filter(|item| item.get("Statement").is_some())
                    .flat_map(|document| json_statements(document, data))
                    .collect();
                policies.push(Policy {
                    holder: function,
                    statements,
                });
            }
        }
    }
    policies
}

/// The statements of a policy in JSON's shape (`{"Statement": [...]}`).
fn json_statements(policy: &Node, data: &[u8]) -> Vec<Statement> {
    let Some(statements) = policy.get_ignore_case("Statement") else {
        return Vec::new();
    };
    items_or_self(statements)
        .iter()
        .filter(|statement| matches!(statement, Node::Map(_)))
        .map(|statement| Statement {
            allow: statement
                .get_ignore_case("Effect")
                .and_then(Node::text)
                .is_some_and(|effect| effect.eq_ignore_ascii_case("allow")),
            principals: statement
                .get_ignore_case("Principal")
                .map(|principal| principal_strings(principal, data)),
            actions: statement
                .get_ignore_case("Action")
                .map(|actions| lower(strings(actions, data)))
                .unwrap_or_default(),
            resources: statement
                .get_ignore_case("Resource")
                .map(|resources| strings(resources, data))
                .unwrap_or_default(),
            negated: ["NotAction", "NotResource", "NotPrincipal"]
                .iter()
                .any(|key| statement.get_ignore_case(key).is_some()),
            condition: statement.get_ignore_case("Condition").is_some(),
        })
        .collect()
}

/// The statements of a `data "aws_iam_policy_document"` body: `statement` blocks and the
/// `content` of `dynamic "statement"` blocks.
fn document_statements(document: &Node, data: &[u8]) -> Vec<Statement> {
    let dynamic = document
        .get_all("dynamic")
        .filter_map(|dynamic| dynamic.get("statement"))
        .filter_map(|statement| statement.get("content"));
    document
        .get_all("statement")
        .chain(dynamic)
        .flat_map(items_or_self)
        .map(|statement| {
            let principals: Vec<String> = statement
                .get_all("principals")
                .flat_map(items_or_self)
                .filter_map(|principals| principals.get("identifiers"))
                .flat_map(|identifiers| strings(identifiers, data))
                .collect();
            let has_principals = statement.get("principals").is_some();
            Statement {
                allow: statement
                    .get("effect")
                    .and_then(Node::text)
                    .is_none_or(|effect| effect.eq_ignore_ascii_case("allow")),
                principals: has_principals.then_some(principals),
                actions: statement
                    .get("actions")
                    .map(|actions| lower(strings(actions, data)))
                    .unwrap_or_default(),
                resources: statement
                    .get("resources")
                    .map(|resources| strings(resources, data))
                    .unwrap_or_default(),
                negated: ["not_actions", "not_resources", "not_principals"]
                    .iter()
                    .any(|key| statement.get(key).is_some()),
                condition: statement.get("condition").is_some(),
            }
        })
        .collect()
}

/// A JSON principal: `"*"`, `{"AWS": ...}`, `{"Service": ...}`.
fn principal_strings(principal: &Node, data: &[u8]) -> Vec<String> {
    match principal {
        Node::Map(entries)
            if principal.get("Fn::Sub").is_none() && principal.get("Ref").is_none() =>
        {
            entries
                .iter()
                .flat_map(|(_, value)| strings(value, data))
                .collect()
        }
        other => strings(other, data),
    }
}

/// The strings of a value or list: literals, expression sources, `Fn::Sub` templates,
/// `Fn::Join` parts (references as `?`).
fn strings(node: &Node, data: &[u8]) -> Vec<String> {
    match node {
        Node::Seq(items) => items.iter().flat_map(|item| strings(item, data)).collect(),
        Node::Map(_) => {
            if let Some(template) = node.get("Fn::Sub") {
                return items_or_self(template)
                    .first()
                    .map(|first| strings(first, data))
                    .unwrap_or_default();
            }
            if let Some(reference) = node.get("Ref").and_then(Node::text) {
                return vec![format!("!Ref {reference}")];
            }
            if let Some(Node::Seq(join)) = node.get("Fn::Join")
                && let [separator, Node::Seq(parts)] = join.as_slice()
            {
                let separator = separator.text().unwrap_or_default();
                let parts: Vec<String> = parts
                    .iter()
                    .map(|part| match part.get("Ref").and_then(Node::text) {
                        Some("AWS::AccountId") => "${AWS::AccountId}".to_string(),
                        _ => part.text().map_or_else(|| "?".to_string(), str::to_string),
                    })
                    .collect();
                return vec![parts.join(separator)];
            }
            Vec::new()
        }
        other => other
            .source(data)
            .map(|text| {
                text.trim_start_matches("!Sub")
                    .trim()
                    .trim_matches(['"', '\''])
                    .to_string()
            })
            .into_iter()
            .collect(),
    }
}

fn lower(strings: Vec<String>) -> Vec<String> {
    strings
        .into_iter()
        .map(|text| text.to_ascii_lowercase())
        .collect()
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
