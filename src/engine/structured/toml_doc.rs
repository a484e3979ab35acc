//! TOML documents (`fly.toml`, `netlify.toml`) as a [`Node`] tree with byte positions,
//! read with the `toml` crate's span-keeping parser. Strings are literals; numbers,
//! booleans and dates are [`Node::Expr`]s. A document that does not parse gives `None`.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::tree::{MAX_DEPTH, Node, Scalar};

pub fn parse(data: &[u8]) -> Option<Node> {
    let text = std::str::from_utf8(data).ok()?;
    let table = DeTable::parse(text).ok()?;
    Some(table_node(text, table.get_ref(), 0))
}

fn table_node(text: &str, table: &DeTable<'_>, depth: usize) -> Node {
    if depth > MAX_DEPTH {
        return Node::Other;
    }
    Node::Map(
        table
            .iter()
            .map(|(key, value)| {
                let key = Node::Scalar(string_scalar(text, key.span(), key.get_ref()));
                (key, value_node(text, value, depth + 1))
            })
            .collect(),
    )
}

fn value_node(text: &str, value: &Spanned<DeValue<'_>>, depth: usize) -> Node {
    match value.get_ref() {
        DeValue::String(string) => Node::Scalar(string_scalar(text, value.span(), string)),
        DeValue::Table(table) => table_node(text, table, depth),
        DeValue::Array(items) if depth <= MAX_DEPTH => Node::Seq(
            items
                .iter()
                .map(|item| value_node(text, item, depth + 1))
                .collect(),
        ),
        DeValue::Array(_) => Node::Other,
        _ => Node::Expr(value.span()),
    }
}

/// A string (or key) written at `span`, quotes included: the scalar points inside them.
fn string_scalar(text: &str, span: Range<usize>, value: &str) -> Scalar {
    let written = text.get(span.clone()).unwrap_or_default();
    let quotes = if written.starts_with("\"\"\"") || written.starts_with("'''") {
        3
    } else if written.starts_with(['"', '\'']) {
        1
    } else {
        0
    };
    let raw = if written.len() >= 2 * quotes {
        span.start + quotes..span.end - quotes
    } else {
        span.clone()
    };
    Scalar {
        exact: text.get(raw.clone()) == Some(value),
        text: value.to_string(),
        raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_point_inside_their_quotes() {
        let text = "app = \"x\"\n\n[env]\n  PORT = 8080\n  API_TOKEN = 'lit'\n  NOTE = \"a\\tb\"\n\n[build.environment]\nKEY = \"\"\"v\"\"\"\n";
        let doc = parse(text.as_bytes()).unwrap();
        let env = doc.get("env").unwrap();
        let token = env.get("API_TOKEN").unwrap().scalar().unwrap();
        assert_eq!(&text[token.raw.clone()], "lit");
        assert!(token.exact);
        assert!(!env.get("NOTE").unwrap().scalar().unwrap().exact);
        assert!(matches!(env.get("PORT"), Some(Node::Expr(_))));
        let key = doc
            .get("build")
            .unwrap()
            .get("environment")
            .unwrap()
            .get("KEY")
            .unwrap()
            .scalar()
            .unwrap();
        assert_eq!(&text[key.raw.clone()], "v");
    }

    #[test]
    fn invalid_toml_is_not_a_document() {
        assert!(parse(b"[env\nA = ").is_none());
        assert!(parse(b"a = \xff").is_none());
    }
}
