//! Resources of infrastructure code, for the checks that look at whole resources
//! ([`super::posture`], [`super::policy`], [`super::inline`]): Terraform blocks (native
//! syntax and `.tf.json`) and CloudFormation (or SAM) templates in YAML or JSON.
//!
//! A [`Resource`] is a type, the label that names it in the file (a Terraform block's
//! name label, a CloudFormation logical id) and its body. Posture findings point at the
//! label: its line is the resource's, and it tells resources of one file apart in
//! fingerprints.

use super::tree::{Node, Scalar};
use super::{ValueHit, hcl, parse_documents};

/// A parsed infrastructure file.
pub enum Iac {
    /// A Terraform file's body (see [`hcl`]).
    Terraform(Node),
    /// The templates of a YAML or JSON file (usually one).
    CloudFormation(Vec<Node>),
}

/// One resource (or data source) of a file.
#[derive(Clone, Copy)]
pub struct Resource<'a> {
    /// `aws_secretsmanager_secret`, `AWS::SecretsManager::Secret`.
    pub kind: &'a str,
    /// The name label or logical id, where the file writes it.
    pub label: &'a Scalar,
    /// The Terraform body, or the CloudFormation `Properties` (an empty mapping when
    /// there are none).
    pub body: &'a Node,
}

impl Resource<'_> {
    /// A finding that points at the resource.
    pub fn hit(&self) -> ValueHit {
        ValueHit {
            span: self.label.raw.clone(),
            secret: self.label.raw.clone(),
        }
    }
}

/// Reads `data` as infrastructure code when it is: a Terraform file by its path, or a YAML
/// or JSON document with CloudFormation `Resources`.
pub fn parse(data: &[u8], path: Option<&str>) -> Option<Iac> {
    if path.is_some_and(|path| hcl::is_native_path(path) || hcl::is_json_path(path)) {
        return hcl::parse_terraform(data, path).map(Iac::Terraform);
    }
    if !super::is_document_path(path) || !super::contains(data, b"Resources") {
        return None;
    }
    let templates: Vec<Node> = parse_documents(data)
        .into_iter()
        .filter(is_cloudformation)
        .collect();
    (!templates.is_empty()).then_some(Iac::CloudFormation(templates))
}

/// A template: `Resources` whose entries have an `AWS::` (or `Custom::`) `Type`.
fn is_cloudformation(document: &Node) -> bool {
    document
        .get("Resources")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .any(|(_, resource)| {
            resource
                .get("Type")
                .and_then(Node::text)
                .is_some_and(|kind| kind.starts_with("AWS::") || kind.starts_with("Custom::"))
        })
}

const EMPTY: &Node = &Node::Map(Vec::new());

impl Iac {
    /// Every resource, in file order (Terraform `resource` blocks; CloudFormation
    /// `Resources`).
    pub fn resources(&self) -> Vec<Resource<'_>> {
        match self {
            Iac::Terraform(file) => blocks(file, "resource"),
            Iac::CloudFormation(templates) => templates
                .iter()
                .flat_map(|template| {
                    template
                        .get("Resources")
                        .map(Node::entries)
                        .unwrap_or_default()
                })
                .filter_map(|(key, resource)| {
                    Some(Resource {
                        kind: resource.get("Type")?.text()?,
                        label: key.scalar()?,
                        body: resource.get("Properties").unwrap_or(EMPTY),
                    })
                })
                .collect(),
        }
    }

    /// The resources of one of `kinds` (Terraform or CloudFormation names).
    pub fn resources_of<'a>(&'a self, kinds: &[&str]) -> Vec<Resource<'a>> {
        self.resources()
            .into_iter()
            .filter(|resource| kinds.contains(&resource.kind))
            .collect()
    }
}

/// The `resource` (or `data`, `module`, ...) blocks of a Terraform file: in native syntax
/// `block -> type -> name -> body`; `.tf.json` may also write a body as a list.
pub fn blocks<'a>(file: &'a Node, block: &'static str) -> Vec<Resource<'a>> {
    let mut found = Vec::new();
    for by_type in file.get_all(block) {
        for by_type in items_or_self(by_type) {
            for (kind, by_name) in by_type.entries() {
                let Some(kind) = kind.text() else {
                    continue;
                };
                for by_name in items_or_self(by_name) {
                    for (label, body) in by_name.entries() {
                        let Some(label) = label.scalar() else {
                            continue;
                        };
                        for body in items_or_self(body) {
                            found.push(Resource { kind, label, body });
                        }
                    }
                }
            }
        }
    }
    found
}

/// The items of a list, or the node itself.
pub fn items_or_self(node: &Node) -> &[Node] {
    match node {
        Node::Seq(items) => items,
        _ => std::slice::from_ref(node),
    }
}

/// Whether `expression` refers to the Terraform resource `kind.label`
/// (`aws_secretsmanager_secret.db.id`, `aws_secretsmanager_secret.db[0].arn`).
pub fn refers_to(expression: &str, kind: &str, label: &str) -> bool {
    let wanted = format!("{kind}.{label}");
    expression.match_indices(&wanted).any(|(at, _)| {
        let before = expression[..at].chars().next_back();
        let after = expression[at + wanted.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && matches!(after, None | Some('.' | '[' | ' ' | ')' | ',' | '}'))
    })
}

/// The name a CloudFormation intrinsic refers to: `!Ref X`, `{"Ref": "X"}`,
/// `!GetAtt X.Arn`, `{"Fn::GetAtt": ["X", "Arn"]}`; or a literal.
pub fn cloudformation_target<'a>(node: &'a Node, data: &'a [u8]) -> Option<&'a str> {
    match node {
        Node::Scalar(scalar) => Some(scalar.text.as_str()),
        Node::Expr(_) => {
            let source = node.source(data)?;
            let rest = source
                .strip_prefix("!Ref")
                .or_else(|| source.strip_prefix("!GetAtt"))?;
            let target = rest.trim().trim_matches(['"', '\'']);
            Some(target.split('.').next().unwrap_or(target))
        }
        Node::Map(_) => {
            if let Some(target) = node.get("Ref").and_then(Node::text) {
                return Some(target);
            }
            node.get("Fn::GetAtt")
                .and_then(|attribute| match attribute {
                    Node::Seq(items) => items.first().and_then(Node::text),
                    other => other
                        .text()
                        .map(|text| text.split('.').next().unwrap_or(text)),
                })
        }
        _ => None,
    }
}

/// A whole number written as a literal or an expression (`365`, `"365"`).
pub fn number(node: &Node, data: &[u8]) -> Option<u64> {
    node.source(data)?.trim().trim_matches('"').parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_a_whole_resource() {
        let kind = "aws_secretsmanager_secret";
        assert!(refers_to("aws_secretsmanager_secret.db.id", kind, "db"));
        assert!(refers_to("aws_secretsmanager_secret.db[0].arn", kind, "db"));
        assert!(!refers_to("aws_secretsmanager_secret.db2.id", kind, "db"));
        assert!(!refers_to(
            "data.aws_secretsmanager_secret.db.id",
            kind,
            "db"
        ));
    }

    #[test]
    fn terraform_and_cloudformation_resources_are_listed_with_their_labels() {
        let tf = "resource \"aws_kms_key\" \"k\" {\n  description = \"x\"\n}\ndata \"aws_iam_policy_document\" \"d\" {}\n";
        let iac = parse(tf.as_bytes(), Some("main.tf")).unwrap();
        let resources = iac.resources();
        assert_eq!(resources.len(), 1);
        assert_eq!(
            (resources[0].kind, resources[0].label.text.as_str()),
            ("aws_kms_key", "k")
        );

        let cfn = "Resources:\n  Secret:\n    Type: AWS::SecretsManager::Secret\n  Schedule:\n    Type: AWS::SecretsManager::RotationSchedule\n    Properties:\n      SecretId: !Ref Secret\n";
        let iac = parse(cfn.as_bytes(), Some("template.yaml")).unwrap();
        let schedule = iac.resources_of(&["AWS::SecretsManager::RotationSchedule"])[0];
        let target = cloudformation_target(schedule.body.get("SecretId").unwrap(), cfn.as_bytes());
        assert_eq!(target, Some("Secret"));
        assert!(parse(b"apiVersion: v1\nkind: Pod\n", Some("pod.yaml")).is_none());
    }
}
