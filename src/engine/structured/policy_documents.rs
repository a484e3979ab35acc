//! Where key and IAM policies are written in Terraform and CloudFormation, and their
//! statements read into one shape ([`Statement`]) whatever the syntax: `jsonencode({...})`,
//! heredoc JSON, `data "aws_iam_policy_document"` blocks (with `dynamic "statement"`),
//! CloudFormation `KeyPolicy` / `PolicyDocument` / SAM `Policies`. The judging is in
//! [`super::policy`].

use super::iac::{self, Iac, Resource, items_or_self};
use super::select::{Step, select};
use super::tree::Node;

/// One policy statement, whatever syntax it was written in.
#[derive(Debug, Default)]
pub(super) struct Statement {
    pub(super) allow: bool,
    /// `None` for an identity policy (no principal).
    pub(super) principals: Option<Vec<String>>,
    /// Lower-cased patterns.
    pub(super) actions: Vec<String>,
    pub(super) resources: Vec<String>,
    /// `NotAction`, `NotResource` or `NotPrincipal`: not judged.
    pub(super) negated: bool,
    pub(super) condition: bool,
}

/// A policy and the resource that holds it.
pub(super) struct Policy<'a> {
    pub(super) holder: Resource<'a>,
    pub(super) statements: Vec<Statement>,
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
/// Key policies: of KMS key resources (inline, or a policy document data block of the
/// same file they refer to), and policy documents that read as key policies (every
/// statement names principals and only `kms:` actions).
pub(super) fn key_policies<'a>(iac: &'a Iac, data: &[u8]) -> Vec<Policy<'a>> {
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
pub(super) fn identity_policies<'a>(iac: &'a Iac, data: &[u8]) -> Vec<Policy<'a>> {
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
