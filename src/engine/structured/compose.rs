//! docker-compose files: `services.<name>.environment`, in map form (`KEY: value`) and
//! list form (`- KEY=value`). `${VAR}` interpolations (with or without a default) are
//! references, not findings.

use super::tree::{Node, Scalar, judge_pair};
use super::{ValueHit, parse_documents};

pub fn detect(data: &[u8], out: &mut Vec<ValueHit>) {
    if !has_top_level_services(data) {
        return;
    }
    for document in parse_documents(data) {
        let services = document
            .get("services")
            .map(Node::entries)
            .unwrap_or_default();
        for (_, service) in services {
            match service.get("environment") {
                Some(Node::Map(entries)) => {
                    for (key, value) in entries {
                        if let (Some(name), Some(value)) = (key.text(), value.scalar()) {
                            judge_pair(name, value, out);
                        }
                    }
                }
                Some(Node::Seq(items)) => {
                    for item in items.iter().filter_map(Node::scalar) {
                        if let Some((name, value)) = split_assignment(data, item) {
                            judge_pair(name, &value, out);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Whether a line starts with `services:`, as every compose file has; other YAML that
/// mentions services is not parsed.
fn has_top_level_services(data: &[u8]) -> bool {
    memchr::memmem::find_iter(data, b"services").any(|at| {
        (at == 0 || data[at - 1] == b'\n' || &data[..at] == super::UTF8_BOM)
            && data[at + b"services".len()..]
                .iter()
                .find(|b| !matches!(b, b' ' | b'\t'))
                == Some(&b':')
    })
}

/// `KEY=value` of a list item, with the value's own position.
fn split_assignment<'a>(data: &[u8], item: &'a Scalar) -> Option<(&'a str, Scalar)> {
    let (name, value) = item.text.split_once('=')?;
    let value_start = if item.exact {
        item.raw.start + name.len() + 1
    } else {
        item.raw.start + memchr::memchr(b'=', &data[item.raw.clone()])? + 1
    };
    let scalar = Scalar {
        text: value.to_string(),
        raw: value_start.min(item.raw.end)..item.raw.end,
        exact: item.exact,
    };
    Some((name.trim(), scalar))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_and_list_forms_are_both_read() {
        let text = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: s3cr3t-fixture-pass\n  api:\n    environment:\n      - PORT=8080\n      - \"API_TOKEN=t0k3n-fixture\"\n      - DB_PASSWORD=${DB_PASSWORD:-}\n";
        let mut out = Vec::new();
        detect(text.as_bytes(), &mut out);
        let found: Vec<&str> = out.iter().map(|hit| &text[hit.secret.clone()]).collect();
        assert_eq!(found, ["s3cr3t-fixture-pass", "t0k3n-fixture"]);
    }
}
