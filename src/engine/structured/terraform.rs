//! Terraform `container_definitions` arguments, read without an HCL parser.
//!
//! The subset handled, which is how task definitions are written in practice:
//! - `container_definitions = jsonencode(<value>)` where `<value>` is a literal list or
//!   object in HCL syntax (read by [`super::flow`]; expressions inside are skipped);
//! - `container_definitions = <<EOF ... EOF` and `<<-EOF` heredocs holding JSON, possibly
//!   with `${...}` interpolations.
//!
//! - `jsonencode(local.NAME)` where the file defines `NAME = [...]` (in a `locals` block).
//!
//! Not handled (nothing is reported): other references (`var.x`, module outputs, locals
//! defined in another file), `file(...)`/`templatefile(...)`, and JSON inside an escaped
//! string. The attribute must start its line (so commented-out lines are skipped).

use super::flow::parse_value_at;
use super::tree::Node;

const ATTRIBUTE: &[u8] = b"container_definitions";

/// The value of each `container_definitions` argument of the buffer that could be read.
pub fn container_definitions(data: &[u8]) -> Vec<Node> {
    let mut found = Vec::new();
    for at in memchr::memmem::find_iter(data, ATTRIBUTE) {
        let line_start = memchr::memrchr(b'\n', &data[..at]).map_or(0, |n| n + 1);
        if !data[line_start..at]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t'))
        {
            continue;
        }
        let mut pos = skip_spaces(data, at + ATTRIBUTE.len());
        if data.get(pos) != Some(&b'=') {
            continue;
        }
        pos = skip_spaces(data, pos + 1);
        let rest = &data[pos..];
        let value = if rest.starts_with(b"jsonencode(") {
            let argument = skip_spaces(data, pos + b"jsonencode(".len());
            match local_reference(data, argument) {
                Some(name) => local_value(data, name),
                None => parse_value_at(data, argument, data.len()),
            }
        } else if rest.starts_with(b"<<") {
            heredoc(data, pos + 2)
        } else {
            None
        };
        found.extend(value);
    }
    found
}

/// `NAME` when the expression at `pos` is exactly `local.NAME)`.
fn local_reference(data: &[u8], pos: usize) -> Option<&[u8]> {
    let rest = data[pos..].strip_prefix(b"local.")?;
    let length = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    let after = skip_spaces(rest, length);
    (length > 0 && rest.get(after) == Some(&b')')).then(|| &rest[..length])
}

/// The literal value of the local `name` (`name = [...]` or `name = {...}` at the start of
/// a line, as written in a `locals` block of the same file).
fn local_value(data: &[u8], name: &[u8]) -> Option<Node> {
    memchr::memmem::find_iter(data, name).find_map(|at| {
        let line_start = memchr::memrchr(b'\n', &data[..at]).map_or(0, |n| n + 1);
        let after_name = at + name.len();
        if !data[line_start..at]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t'))
            || data
                .get(after_name)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            return None;
        }
        let equals = skip_spaces(data, after_name);
        if data.get(equals) != Some(&b'=') {
            return None;
        }
        let value = skip_spaces(data, equals + 1);
        matches!(data.get(value), Some(b'[' | b'{'))
            .then(|| parse_value_at(data, value, data.len()))
            .flatten()
    })
}

/// The JSON body of a heredoc whose `<<` ends at `pos`.
fn heredoc(data: &[u8], mut pos: usize) -> Option<Node> {
    if data.get(pos) == Some(&b'-') {
        pos += 1;
    }
    let tag_start = pos;
    while data
        .get(pos)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        pos += 1;
    }
    let tag = &data[tag_start..pos];
    if tag.is_empty() {
        return None;
    }
    let body_start = memchr::memchr(b'\n', &data[pos..]).map(|n| pos + n + 1)?;
    let mut line = body_start;
    while line < data.len() {
        let line_end = memchr::memchr(b'\n', &data[line..]).map_or(data.len(), |n| line + n);
        if data[line..line_end].trim_ascii() == tag {
            return parse_value_at(data, body_start, line);
        }
        line = line_end + 1;
    }
    None
}

fn skip_spaces(data: &[u8], mut pos: usize) -> usize {
    while matches!(data.get(pos), Some(b' ' | b'\t')) {
        pos += 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonencode_and_heredoc_arguments_are_read() {
        let text = "resource \"aws_ecs_task_definition\" \"a\" {\n  container_definitions = jsonencode([{ name = \"a\" }])\n}\nresource \"aws_ecs_task_definition\" \"b\" {\n  container_definitions = <<-EOF\n  [{\"name\": \"b\", \"cpu\": ${var.cpu}}]\n  EOF\n}\n# container_definitions = jsonencode([])\n";
        let found = container_definitions(text.as_bytes());
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].items()[0].get("name").unwrap().text(), Some("b"));
    }

    #[test]
    fn a_local_defined_in_the_same_file_is_followed() {
        let text = "locals {\n  containers = [{ name = \"app\" }]\n  other = 1\n}\nresource \"aws_ecs_task_definition\" \"a\" {\n  container_definitions = jsonencode(local.containers)\n}\n";
        let found = container_definitions(text.as_bytes());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].items()[0].get("name").unwrap().text(), Some("app"));
    }

    #[test]
    fn references_and_unterminated_heredocs_yield_nothing() {
        let text =
            "container_definitions = jsonencode(local.defs)\ncontainer_definitions = <<EOF\n[{}]\n";
        let found = container_definitions(text.as_bytes());
        assert!(
            found
                .iter()
                .all(|node| matches!(node, Node::Other | Node::Expr(_)))
        );
    }
}
