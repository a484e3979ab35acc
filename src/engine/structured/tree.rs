//! The document tree every structured detector walks: mappings, sequences and scalars that
//! remember where their text is in the scanned buffer, whether they came from YAML
//! ([`super::yaml`]) or from JSON and HCL ([`super::flow`]).

use std::ops::Range;

use super::ValueHit;
use super::judge;

/// Nesting deeper than this is not a deployment descriptor; parsers give up on it, which
/// also keeps the recursive walks below from exhausting the stack.
pub const MAX_DEPTH: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Entries in document order; duplicate keys are kept.
    Map(Vec<(Node, Node)>),
    /// Not a literal, with the bytes of its source: a tagged YAML scalar (`!Ref x`, tag
    /// included), a JSON number or boolean, an HCL expression (`var.password`).
    Expr(Range<usize>),
    /// Anything else that is not a literal: YAML aliases.
    Other,
}

/// A literal string and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The value, with quotes removed and escapes decoded.
    pub text: String,
    /// Its bytes in the buffer, inside the quotes for a quoted value.
    pub raw: Range<usize>,
    /// Whether `raw` holds exactly `text` (no escapes, no folded lines), so that a part of
    /// `text` maps to the same part of `raw`.
    pub exact: bool,
}

impl Scalar {
    /// The bytes of the buffer that hold `part` (a range of `text`); all of `raw` when
    /// the text was rewritten by escapes or folding.
    pub fn source_of(&self, part: Range<usize>) -> Range<usize> {
        if self.exact && part.end <= self.raw.len() {
            self.raw.start + part.start..self.raw.start + part.end
        } else {
            self.raw.clone()
        }
    }
}

impl Node {
    pub fn scalar(&self) -> Option<&Scalar> {
        match self {
            Node::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    pub fn text(&self) -> Option<&str> {
        self.scalar().map(|scalar| scalar.text.as_str())
    }

    pub fn entries(&self) -> &[(Node, Node)] {
        match self {
            Node::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match self {
            Node::Seq(items) => items,
            _ => &[],
        }
    }

    /// The value of `key` in a mapping (the first, if the key is repeated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(name, _)| name.text() == Some(key))
            .map(|(_, value)| value)
    }

    /// [`Node::get`] ignoring ASCII case: ECS writes `environment`, CloudFormation
    /// `Environment`.
    pub fn get_ignore_case(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(name, _)| {
                name.text()
                    .is_some_and(|name| name.eq_ignore_ascii_case(key))
            })
            .map(|(_, value)| value)
    }

    /// Calls `visit` on every mapping entry of the tree, parents before children.
    pub fn for_each_entry<'a>(&'a self, visit: &mut impl FnMut(&'a Node, &'a Node)) {
        match self {
            Node::Map(entries) => {
                for (key, value) in entries {
                    visit(key, value);
                    value.for_each_entry(visit);
                }
            }
            Node::Seq(items) => {
                for item in items {
                    item.for_each_entry(visit);
                }
            }
            Node::Scalar(_) | Node::Expr(_) | Node::Other => {}
        }
    }

    /// Every value of `key` in a mapping, ignoring ASCII case (a repeated key, as repeated
    /// Terraform blocks are, gives several).
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.entries()
            .iter()
            .filter(move |(name, _)| {
                name.text()
                    .is_some_and(|name| name.eq_ignore_ascii_case(key))
            })
            .map(|(_, value)| value)
    }

    /// The text a node is written with: a literal's value, or an expression's source.
    pub fn source<'a>(&'a self, data: &'a [u8]) -> Option<&'a str> {
        match self {
            Node::Scalar(scalar) => Some(&scalar.text),
            Node::Expr(range) => data
                .get(range.clone())
                .and_then(|bytes| std::str::from_utf8(bytes).ok()),
            _ => None,
        }
    }
}

/// Reports `value` if `name = value` holds a secret (see [`judge::secret_part`]); the
/// finding points at the value.
pub fn judge_pair(name: &str, value: &Scalar, out: &mut Vec<ValueHit>) {
    if let Some(part) = judge::secret_part(name, &value.text) {
        out.push(ValueHit {
            span: value.raw.clone(),
            secret: value.source_of(part),
        });
    }
}

/// Reports each `{name: N, value: V}` mapping of a list (Kubernetes `env`, ECS
/// `environment`), matching the two keys ignoring case.
pub fn judge_name_value_list(list: &Node, out: &mut Vec<ValueHit>) {
    for entry in list.items() {
        let name = entry.get_ignore_case("name").and_then(Node::text);
        let value = entry.get_ignore_case("value").and_then(Node::scalar);
        if let (Some(name), Some(value)) = (name, value) {
            judge_pair(name, value, out);
        }
    }
}
