//! Terraform files (HCL native syntax) as a [`Node`] tree in the shape of Terraform's JSON
//! syntax, so that one walk reads `.tf` and `.tf.json` files alike:
//! - an attribute `name = value` is a mapping entry;
//! - a block `type "label1" "label2" { body }` is an entry `type` whose value maps
//!   `label1` to a mapping of `label2` to the body (a block without labels maps `type` to
//!   its body); repeated blocks are repeated entries, and the labels keep their positions;
//! - attribute values: literals, tuples and objects are read by [`super::flow`];
//!   `jsonencode(<literal>)` is read as its argument, and a heredoc that holds JSON as that
//!   JSON; anything else (references, function calls, conditionals, `for` expressions,
//!   heredocs of other text) is a [`Node::Expr`] with its source.
//!
//! Lenient by design: a line it cannot read is skipped, and an unterminated block ends at
//! the end of the file. Knows nothing about what the blocks mean.

use std::ops::Range;

use super::flow::{Syntax, parse_value_end};
use super::tree::{MAX_DEPTH, Node, Scalar};

/// Whether `path` names a Terraform file in native syntax (`.tf`, also `.tofu`).
pub fn is_native_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".tf") || lower.ends_with(".tofu")
}

/// Whether `path` names a Terraform file in JSON syntax (`.tf.json`).
pub fn is_json_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".tf.json") || lower.ends_with(".tofu.json")
}

/// The body of a Terraform file: native syntax for `.tf`, JSON for `.tf.json`; `None` for
/// other paths (or a JSON file that does not parse).
pub fn parse_terraform(data: &[u8], path: Option<&str>) -> Option<Node> {
    let path = path?;
    if is_json_path(path) {
        super::flow::parse_json(data)
    } else if is_native_path(path) {
        Some(parse_body(data))
    } else {
        None
    }
}

/// A whole file in native syntax.
pub fn parse_body(data: &[u8]) -> Node {
    let start = if data.starts_with(super::UTF8_BOM) {
        3
    } else {
        0
    };
    let mut parser = Parser { data, pos: start };
    Node::Map(parser.body(0))
}

struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn at(&self, text: &[u8]) -> bool {
        self.data[self.pos.min(self.data.len())..].starts_with(text)
    }

    /// The entries of a body, up to its closing `}` (consumed) or the end of the file.
    fn body(&mut self, depth: usize) -> Vec<(Node, Node)> {
        let mut entries = Vec::new();
        loop {
            self.skip_blanks(true);
            let Some(byte) = self.peek() else {
                return entries;
            };
            if byte == b'}' {
                self.pos += 1;
                if depth > 0 {
                    return entries;
                }
                continue;
            }
            if !is_identifier_start(byte) {
                self.skip_line();
                continue;
            }
            let name = self.identifier();
            self.skip_blanks(false);
            if self.peek() == Some(b'=') && self.data.get(self.pos + 1) != Some(&b'=') {
                self.pos += 1;
                let value = self.attribute_value();
                entries.push((Node::Scalar(name), value));
                continue;
            }
            let Some(labels) = self.labels() else {
                self.skip_line();
                continue;
            };
            if depth >= MAX_DEPTH {
                return entries;
            }
            let body = Node::Map(self.body(depth + 1));
            let value = labels.into_iter().rev().fold(body, |inner, label| {
                Node::Map(vec![(Node::Scalar(label), inner)])
            });
            entries.push((Node::Scalar(name), value));
        }
    }

    /// The labels of a block up to its `{` (consumed); `None` if this is not a block.
    fn labels(&mut self) -> Option<Vec<Scalar>> {
        let mut labels = Vec::new();
        loop {
            self.skip_blanks(false);
            match self.peek()? {
                b'{' => {
                    self.pos += 1;
                    return Some(labels);
                }
                b'"' => {
                    let (label, end) =
                        parse_value_end(self.data, self.pos, self.data.len(), Syntax::Hcl)?;
                    let Node::Scalar(label) = label else {
                        return None;
                    };
                    self.pos = end;
                    labels.push(label);
                }
                byte if is_identifier_start(byte) => labels.push(self.identifier()),
                _ => return None,
            }
        }
    }

    fn identifier(&mut self) -> Scalar {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        {
            self.pos += 1;
        }
        Scalar {
            text: String::from_utf8_lossy(&self.data[start..self.pos]).into_owned(),
            raw: start..self.pos,
            exact: true,
        }
    }

    /// The value after `name =`, leaving the position at the end of its last line.
    fn attribute_value(&mut self) -> Node {
        self.skip_blanks(false);
        let start = self.pos;
        if self.at(b"<<") {
            let (node, end) = heredoc(self.data, start + 2);
            self.pos = end;
            return node;
        }
        if self.at(b"jsonencode(") {
            let inner = start + b"jsonencode(".len();
            if let Some((node, end)) =
                parse_value_end(self.data, inner, self.data.len(), Syntax::Hcl)
            {
                let close = skip_whitespace(self.data, end);
                if self.data.get(close) == Some(&b')') && self.line_ends_at(close + 1) {
                    self.pos = close + 1;
                    return node;
                }
            }
        }
        if let Some((node, end)) = parse_value_end(self.data, start, self.data.len(), Syntax::Hcl)
            && !matches!(node, Node::Expr(_))
            && self.line_ends_at(end)
        {
            self.pos = end;
            return node;
        }
        let end = skip_expression(self.data, start);
        self.pos = end;
        Node::Expr(start..trim_end(self.data, start, end))
    }

    /// Whether only blanks, a comment or a closing brace follow `pos` on its line.
    fn line_ends_at(&self, pos: usize) -> bool {
        let mut pos = pos;
        while matches!(self.data.get(pos), Some(b' ' | b'\t' | b'\r')) {
            pos += 1;
        }
        match self.data.get(pos) {
            None | Some(b'\n' | b'#' | b'}') => true,
            Some(b'/') => matches!(self.data.get(pos + 1), Some(b'/' | b'*')),
            _ => false,
        }
    }

    /// Skips blanks and comments; newlines too when `newlines`.
    fn skip_blanks(&mut self, newlines: bool) {
        while let Some(byte) = self.peek() {
            match byte {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' if newlines => self.pos += 1,
                b'#' => self.skip_comment_line(),
                b'/' if self.data.get(self.pos + 1) == Some(&b'/') => self.skip_comment_line(),
                b'/' if self.data.get(self.pos + 1) == Some(&b'*') => {
                    self.pos = memchr::memmem::find(&self.data[self.pos + 2..], b"*/")
                        .map_or(self.data.len(), |n| self.pos + 2 + n + 2);
                }
                _ => return,
            }
        }
    }

    fn skip_comment_line(&mut self) {
        self.pos =
            memchr::memchr(b'\n', &self.data[self.pos..]).map_or(self.data.len(), |n| self.pos + n);
    }

    fn skip_line(&mut self) {
        self.pos = memchr::memchr(b'\n', &self.data[self.pos..])
            .map_or(self.data.len(), |n| self.pos + n + 1);
    }
}

fn is_identifier_start(byte: u8) -> bool {
    byte.is_ascii_alphabetic() || byte == b'_'
}

fn skip_whitespace(data: &[u8], mut pos: usize) -> usize {
    while data.get(pos).is_some_and(u8::is_ascii_whitespace) {
        pos += 1;
    }
    pos
}

fn trim_end(data: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && data[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

/// A heredoc whose `<<` ends at `pos`: its body as JSON when it holds JSON, else an
/// expression; and the position after its closing line.
fn heredoc(data: &[u8], pos: usize) -> (Node, usize) {
    let Some((body, close_end)) = heredoc_body(data, pos) else {
        let end = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |n| pos + n);
        return (Node::Expr(pos.saturating_sub(2)..end), end);
    };
    let first = skip_whitespace(data, body.start);
    let json = matches!(data.get(first), Some(b'{' | b'['))
        .then(|| parse_value_end(data, first, body.end, Syntax::Hcl))
        .flatten()
        .map(|(node, _)| node)
        .filter(|node| matches!(node, Node::Map(_) | Node::Seq(_)));
    (json.unwrap_or(Node::Expr(body)), close_end)
}

/// The body of the heredoc whose `<<` ends at `pos`, and the end of its closing line
/// (before the newline).
fn heredoc_body(data: &[u8], mut pos: usize) -> Option<(Range<usize>, usize)> {
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
            return Some((body_start..line, line_end));
        }
        line = line_end + 1;
    }
    None
}

/// The end of the expression that starts at `start`: the end of its line at nesting depth
/// 0, past brackets, strings (templates included), comments and heredocs.
pub fn skip_expression(data: &[u8], start: usize) -> usize {
    let mut pos = start;
    let mut depth = 0usize;
    while let Some(&byte) = data.get(pos) {
        match byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' if depth == 0 => return pos,
            b')' | b']' | b'}' => depth -= 1,
            b'\n' if depth == 0 => return pos,
            b'"' => {
                match parse_value_end(data, pos, data.len(), Syntax::Hcl) {
                    Some((_, end)) => pos = end,
                    // An unterminated string: the rest of the line.
                    None => {
                        pos = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |n| pos + n)
                    }
                }
                continue;
            }
            b'#' => {
                pos = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |n| pos + n);
                continue;
            }
            b'/' if data.get(pos + 1) == Some(&b'/') => {
                pos = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |n| pos + n);
                continue;
            }
            b'<' if data.get(pos + 1) == Some(&b'<') => {
                if let Some((_, close_end)) = heredoc_body(data, pos + 2) {
                    pos = close_end;
                    continue;
                }
            }
            _ => {}
        }
        pos += 1;
    }
    data.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(node: &'a Node, path: &[&str]) -> &'a Node {
        path.iter().fold(node, |node, key| {
            node.get(key).unwrap_or_else(|| panic!("no {key}"))
        })
    }

    #[test]
    fn blocks_take_the_shape_of_terraform_json() {
        let text = r#"# main
resource "aws_lambda_function" "api" {
  function_name = "api" # inline comment
  environment {
    variables = {
      DB_PASSWORD = "pw"
      TOKEN       = var.token
    }
  }
}
locals { x = 1 }
"#;
        let file = parse_body(text.as_bytes());
        let function = at(&file, &["resource", "aws_lambda_function", "api"]);
        assert_eq!(function.get("function_name").unwrap().text(), Some("api"));
        let variables = at(function, &["environment", "variables"]);
        assert_eq!(variables.get("DB_PASSWORD").unwrap().text(), Some("pw"));
        let token = variables.get("TOKEN").unwrap();
        assert_eq!(token.source(text.as_bytes()), Some("var.token"));
        let label = file.get("resource").unwrap().entries()[0].1.entries()[0]
            .0
            .scalar()
            .unwrap();
        assert_eq!(&text[label.raw.clone()], "api");
        assert!(at(&file, &["locals"]).get("x").is_some());
    }

    #[test]
    fn repeated_blocks_are_repeated_entries() {
        let text = "resource \"x\" \"y\" {\n  setting {\n    name = \"A\"\n  }\n  setting {\n    name = \"B\"\n  }\n}\n";
        let file = parse_body(text.as_bytes());
        let body = at(&file, &["resource", "x", "y"]);
        let names: Vec<_> = body
            .get_all("setting")
            .map(|setting| setting.get("name").unwrap().text().unwrap())
            .collect();
        assert_eq!(names, ["A", "B"]);
    }

    #[test]
    fn jsonencode_and_json_heredocs_are_read_as_their_value() {
        let text = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Statement = [{ Effect = \"Allow\", Resource = \"*\" }]\n  })\n  other = <<-EOT\n    {\"a\": \"b\"}\n  EOT\n  script = <<EOF\necho \"}\"\nEOF\n  after = \"yes\"\n}\n";
        let file = parse_body(text.as_bytes());
        let body = at(&file, &["resource", "aws_iam_policy", "p"]);
        let statement = &body
            .get("policy")
            .unwrap()
            .get("Statement")
            .unwrap()
            .items()[0];
        assert_eq!(statement.get("Resource").unwrap().text(), Some("*"));
        assert_eq!(
            body.get("other").unwrap().get("a").unwrap().text(),
            Some("b")
        );
        assert!(matches!(body.get("script"), Some(Node::Expr(_))));
        assert_eq!(body.get("after").unwrap().text(), Some("yes"));
    }

    #[test]
    fn expressions_spanning_lines_and_holding_braces_are_skipped_whole() {
        let text = "a = merge(var.tags, { # a \"quoted\" comment\n  Name = \"x\"\n})\nb = var.x == \"y\" ? \"p\" : \"q\"\nc = { for k, v in var.m : k => v }\nd = \"kept\"\n";
        let file = parse_body(text.as_bytes());
        assert!(matches!(file.get("a"), Some(Node::Expr(_))));
        assert_eq!(
            file.get("b").unwrap().source(text.as_bytes()),
            Some("var.x == \"y\" ? \"p\" : \"q\"")
        );
        assert!(matches!(file.get("c"), Some(Node::Expr(_))));
        assert_eq!(file.get("d").unwrap().text(), Some("kept"));
    }

    #[test]
    fn broken_input_is_read_as_far_as_it_goes() {
        for text in [
            "resource \"a\" \"b\" {\n  x = \"unterminated\n}\n",
            "}}}\n= = =\nresource {",
            "a = <<EOF\nno end",
            "\"lonely string\"\n",
        ] {
            let _ = parse_body(text.as_bytes());
        }
        let file = parse_body(b"garbage line ~~\nresource \"t\" \"n\" {\n  k = \"v\"\n}\n");
        assert_eq!(
            at(&file, &["resource", "t", "n"]).get("k").unwrap().text(),
            Some("v")
        );
    }
}
