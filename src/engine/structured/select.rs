//! Finds env maps and lists at a path of a document tree and judges their entries: the
//! small language the platform table ([`super::platforms`]) is written in.
//!
//! A path is a list of [`Step`]s from the document's root. Before each step, a sequence
//! stands for its items, so one path reads a mapping and a list of mappings alike (a
//! Terraform block written once or repeated, a CloudFormation list). What is found at the
//! end is read as a [`Shape`].

use super::ValueHit;
use super::judge;
use super::tree::{Node, Scalar, judge_pair};

/// One step of a path.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// The values of this key (ignoring ASCII case; every one when the key is repeated).
    Key(&'static str),
    /// The values of any of these keys.
    OneOf(&'static [&'static str]),
    /// The values of every key.
    AnyKey,
    /// The values of any of these keys at any depth, this node included.
    Deep(&'static [&'static str]),
    /// Keeps a resource whose type (CloudFormation `Type`, ARM and Bicep `type`) is one of
    /// these, ignoring case and an `@<api-version>`; a nested Bicep resource's relative
    /// type (`config`) matches the end of a full one (`Microsoft.Web/sites/config`).
    IfType(&'static [&'static str]),
    /// Keeps a node that passes the test.
    Where(fn(&Node) -> bool),
}

/// How the entries found at the end of a path are written.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// `NAME: value`, or `NAME: {value: V, ...}` (Heroku's `app.json`).
    Map,
    /// Items `{<name>: N, <value>: V}` (keys ignoring case); a mapping alone is one item.
    NameValue {
        name: &'static str,
        value: &'static str,
    },
    /// Elastic Beanstalk option settings: `{namespace, option_name, value}` items whose
    /// namespace, when given, is the application environment.
    OptionSettings,
    /// Items `{name, value}` of a list of secrets (Container Apps `secrets`): a literal
    /// value is reported unless the entry is plainly public.
    Secrets,
}

/// The nodes at the end of `steps` from `root`.
pub fn select<'a>(root: &'a Node, steps: &[Step]) -> Vec<&'a Node> {
    let mut current = vec![root];
    for step in steps {
        let mut next = Vec::new();
        for node in current {
            apply(node, *step, &mut next);
        }
        current = next;
    }
    current
}

fn apply<'a>(node: &'a Node, step: Step, out: &mut Vec<&'a Node>) {
    if let (Node::Seq(items), Step::Key(_) | Step::OneOf(_) | Step::AnyKey | Step::IfType(_)) =
        (node, step)
    {
        for item in items {
            apply(item, step, out);
        }
        return;
    }
    match step {
        Step::Key(key) => out.extend(node.get_all(key)),
        Step::OneOf(keys) => {
            for key in keys {
                out.extend(node.get_all(key));
            }
        }
        Step::AnyKey => out.extend(node.entries().iter().map(|(_, value)| value)),
        Step::Deep(keys) => deep(node, keys, out, 0),
        Step::IfType(types) => {
            if resource_type(node).is_some_and(|kind| type_matches(kind, types)) {
                out.push(node);
            }
        }
        Step::Where(test) => {
            if test(node) {
                out.push(node);
            }
        }
    }
}

fn deep<'a>(node: &'a Node, keys: &[&str], out: &mut Vec<&'a Node>, depth: usize) {
    if depth > super::tree::MAX_DEPTH {
        return;
    }
    match node {
        Node::Map(entries) => {
            for (key, value) in entries {
                if key
                    .text()
                    .is_some_and(|key| keys.iter().any(|k| k.eq_ignore_ascii_case(key)))
                {
                    out.push(value);
                }
                deep(value, keys, out, depth + 1);
            }
        }
        Node::Seq(items) => {
            for item in items {
                deep(item, keys, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// The type of a CloudFormation, ARM or Bicep resource.
pub fn resource_type(node: &Node) -> Option<&str> {
    node.get_ignore_case("type").and_then(Node::text)
}

/// Whether `kind` is one of `types` (see [`Step::IfType`]).
pub fn type_matches(kind: &str, types: &[&str]) -> bool {
    let kind = kind.split('@').next().unwrap_or_default().trim();
    types.iter().any(|wanted| {
        wanted.eq_ignore_ascii_case(kind)
            || (!kind.contains("::")
                && wanted.len() > kind.len()
                && wanted.as_bytes()[wanted.len() - kind.len() - 1] == b'/'
                && wanted[wanted.len() - kind.len()..].eq_ignore_ascii_case(kind))
    })
}

/// Judges the entries of `node`, read as `shape`. Values that start with one of
/// `references` (ignoring case) are references on this platform.
pub fn judge_shape(node: &Node, shape: Shape, references: &[&str], out: &mut Vec<ValueHit>) {
    let is_reference = |value: &Scalar| {
        let text = value.text.trim_start();
        references.iter().any(|prefix| {
            text.len() >= prefix.len()
                && text.is_char_boundary(prefix.len())
                && text[..prefix.len()].eq_ignore_ascii_case(prefix)
        })
    };
    let pair = |name: &str, value: &Scalar, out: &mut Vec<ValueHit>| {
        if !is_reference(value) {
            judge_pair(name, value, out);
        }
    };
    match shape {
        Shape::Map => {
            for (key, value) in node.entries() {
                let Some(name) = key.text() else {
                    continue;
                };
                let value = match value {
                    Node::Map(_) => value.get_ignore_case("value").and_then(Node::scalar),
                    _ => value.scalar(),
                };
                if let Some(value) = value {
                    pair(name, value, out);
                }
            }
        }
        Shape::NameValue { name, value } => {
            for item in items_of(node) {
                let entry_name = item.get_ignore_case(name).and_then(Node::text);
                let entry_value = item.get_ignore_case(value).and_then(Node::scalar);
                if let (Some(entry_name), Some(entry_value)) = (entry_name, entry_value) {
                    pair(entry_name, entry_value, out);
                }
            }
        }
        Shape::OptionSettings => {
            for item in items_of(node) {
                let namespace = item.get_ignore_case("namespace");
                let environment = namespace.is_none_or(|namespace| {
                    namespace.text().is_some_and(|namespace| {
                        namespace
                            .trim()
                            .eq_ignore_ascii_case("aws:elasticbeanstalk:application:environment")
                    })
                });
                let entry_name = ["option_name", "optionname", "name"]
                    .iter()
                    .find_map(|key| item.get_ignore_case(key))
                    .and_then(Node::text);
                let entry_value = item.get_ignore_case("value").and_then(Node::scalar);
                if let (true, Some(entry_name), Some(entry_value)) =
                    (environment, entry_name, entry_value)
                {
                    pair(entry_name, entry_value, out);
                }
            }
        }
        Shape::Secrets => {
            for item in items_of(node) {
                let entry_name = item.get_ignore_case("name").and_then(Node::text);
                let entry_value = item.get_ignore_case("value").and_then(Node::scalar);
                if let (Some(entry_name), Some(entry_value)) = (entry_name, entry_value)
                    && !is_reference(entry_value)
                    && judge::is_secret_entry(entry_name, &entry_value.text)
                {
                    out.push(ValueHit {
                        span: entry_value.raw.clone(),
                        secret: entry_value.raw.clone(),
                    });
                }
            }
        }
    }
}

/// The items of a list, or a mapping as the only item.
fn items_of(node: &Node) -> &[Node] {
    match node {
        Node::Seq(items) => items,
        Node::Map(_) => std::slice::from_ref(node),
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::super::yaml::parse_documents;
    use super::*;

    fn found(text: &str, steps: &[Step], shape: Shape) -> Vec<String> {
        let mut out = Vec::new();
        for document in parse_documents(text.as_bytes()) {
            for node in select(&document, steps) {
                judge_shape(node, shape, &["@"], &mut out);
            }
        }
        out.iter()
            .map(|hit| text[hit.secret.clone()].to_string())
            .collect()
    }

    #[test]
    fn paths_read_through_lists_and_filter_by_type() {
        let text = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Environment:\n        Variables:\n          API_TOKEN: t0k3n-fixture\n          REF: '@vercel-secret'\n  Other:\n    Type: AWS::S3::Bucket\n    Properties:\n      Environment:\n        Variables:\n          API_TOKEN: n0t-a-function\n";
        let steps = [
            Step::Key("resources"),
            Step::AnyKey,
            Step::IfType(&["AWS::Lambda::Function"]),
            Step::Key("Properties"),
            Step::Key("environment"),
            Step::Key("Variables"),
        ];
        assert_eq!(found(text, &steps, Shape::Map), ["t0k3n-fixture"]);
    }

    #[test]
    fn name_value_items_and_option_settings_are_read() {
        let text = "option_settings:\n  - namespace: aws:elasticbeanstalk:application:environment\n    option_name: DB_PASSWORD\n    value: s3cr3t-fixture-pass\n  - namespace: aws:autoscaling:asg\n    option_name: API_TOKEN\n    value: n0t-env\n  - option_name: API_KEY\n    value: k3y-fixture\n";
        assert_eq!(
            found(text, &[Step::Key("option_settings")], Shape::OptionSettings),
            ["s3cr3t-fixture-pass", "k3y-fixture"]
        );
        let text = "envVars:\n  - key: SMTP_PASSWORD\n    value: sm7p-fixture\n  - key: PORT\n    value: '80'\n";
        let shape = Shape::NameValue {
            name: "key",
            value: "value",
        };
        assert_eq!(
            found(text, &[Step::Key("envVars")], shape),
            ["sm7p-fixture"]
        );
    }

    #[test]
    fn relative_child_types_match_full_ones() {
        assert!(type_matches("config", &["Microsoft.Web/sites/config"]));
        assert!(type_matches(
            "Microsoft.Web/sites@2022-09-01",
            &["microsoft.web/sites"]
        ));
        assert!(!type_matches(
            "AWS::Lambda::FunctionUrl",
            &["AWS::Lambda::Function"]
        ));
        assert!(!type_matches("sites", &["Microsoft.Web/serverfarms"]));
    }
}
