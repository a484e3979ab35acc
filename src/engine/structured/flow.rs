//! JSON, and the object syntax of HCL, as [`Node`] trees with byte positions.
//!
//! One lenient reader serves both, because Terraform's `jsonencode({...})` argument is
//! JSON's shape with HCL's spelling. Accepted beyond JSON:
//! - unquoted keys (`name = "x"`) and `=` as well as `:` between key and value;
//! - commas optional and trailing commas allowed (HCL separates attributes by newlines);
//! - `#`, `//` and `/* */` comments;
//! - any other value (`var.db_password`, `local.env[0]`, `"${var.x}"` templates, function
//!   calls, conditionals, `${...}` in heredoc JSON) is read as an expression: skipped to
//!   the next `,`, newline or closing bracket at its own nesting level, and never reported.
//!
//! In HCL (and heredoc JSON), `${...}` and `%{...}` template sequences inside a string may
//! hold quotes; in a plain JSON document they are text.
//!
//! Strings with escapes are decoded with `serde_json`, so JSON's rules are applied exactly;
//! an HCL-only escape keeps the raw text.

use super::tree::{MAX_DEPTH, Node, Scalar};

/// A whole JSON document, or `None` if it is not one (trailing bytes other than blanks
/// make it not one).
pub fn parse_json(data: &[u8]) -> Option<Node> {
    let mut reader = Reader {
        bytes: data,
        pos: if data.starts_with(super::UTF8_BOM) {
            3
        } else {
            0
        },
        templates: false,
    };
    let node = reader.value(0)?;
    reader.skip_blanks();
    (reader.pos == data.len()).then_some(node)
}

/// The HCL (or HCL-templated JSON) value that starts at `start` (blanks before it are
/// skipped), reading no further than `end`.
pub fn parse_value_at(data: &[u8], start: usize, end: usize) -> Option<Node> {
    let mut reader = Reader {
        bytes: &data[..end.min(data.len())],
        pos: start,
        templates: true,
    };
    reader.value(0)
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// HCL: `${...}` and `%{...}` in strings may hold quotes. JSON has no templates.
    templates: bool,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace and comments.
    fn skip_blanks(&mut self) {
        while let Some(byte) = self.peek() {
            match byte {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'#' => self.skip_line(),
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'/') => self.skip_line(),
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    self.pos = memchr::memmem::find(&self.bytes[self.pos + 2..], b"*/")
                        .map_or(self.bytes.len(), |n| self.pos + 2 + n + 2);
                }
                _ => return,
            }
        }
    }

    fn skip_line(&mut self) {
        self.pos = memchr::memchr(b'\n', &self.bytes[self.pos..])
            .map_or(self.bytes.len(), |n| self.pos + n);
    }

    fn skip_blanks_and_commas(&mut self) {
        loop {
            self.skip_blanks();
            if self.peek() == Some(b',') {
                self.pos += 1;
            } else {
                return;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_blanks();
        match self.peek()? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string().map(Node::Scalar),
            _ => self.expression().then_some(Node::Other),
        }
    }

    fn object(&mut self, depth: usize) -> Option<Node> {
        self.pos += 1;
        let mut entries = Vec::new();
        loop {
            self.skip_blanks_and_commas();
            match self.peek()? {
                b'}' => {
                    self.pos += 1;
                    return Some(Node::Map(entries));
                }
                b'"' => {
                    let key = self.string()?;
                    entries.push((Node::Scalar(key), self.entry_value(depth)?));
                }
                byte if byte.is_ascii_alphabetic() || byte == b'_' => {
                    let start = self.pos;
                    while self.peek().is_some_and(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
                    }) {
                        self.pos += 1;
                    }
                    let text = String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned();
                    let key = Node::Scalar(Scalar {
                        text,
                        raw: start..self.pos,
                        exact: true,
                    });
                    entries.push((key, self.entry_value(depth)?));
                }
                _ => return None,
            }
        }
    }

    /// The separator after a key, then the value.
    fn entry_value(&mut self, depth: usize) -> Option<Node> {
        self.skip_blanks();
        match self.peek()? {
            b'=' | b':' => self.pos += 1,
            _ => return None,
        }
        self.value(depth + 1)
    }

    fn array(&mut self, depth: usize) -> Option<Node> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_blanks_and_commas();
            if self.peek()? == b']' {
                self.pos += 1;
                return Some(Node::Seq(items));
            }
            items.push(self.value(depth + 1)?);
        }
    }

    /// A double-quoted string; `${...}` and `%{...}` template sequences may hold quotes.
    fn string(&mut self) -> Option<Scalar> {
        let open = self.pos;
        let mut pos = open + 1;
        let mut escaped = false;
        loop {
            match *self.bytes.get(pos)? {
                b'\\' => {
                    escaped = true;
                    pos += 2;
                }
                b'"' => break,
                b'$' | b'%' if self.templates && self.bytes.get(pos + 1) == Some(&b'{') => {
                    pos = skip_template(self.bytes, pos + 2)?;
                }
                b'\n' => return None,
                _ => pos += 1,
            }
        }
        self.pos = pos + 1;
        let raw = open + 1..pos;
        let source = std::str::from_utf8(&self.bytes[raw.clone()]).ok();
        let (text, exact) = match source {
            Some(source) if !escaped => (source.to_string(), true),
            _ => match serde_json::from_slice::<String>(&self.bytes[open..=pos]) {
                Ok(decoded) => (decoded, false),
                Err(_) => (
                    String::from_utf8_lossy(&self.bytes[raw.clone()]).into_owned(),
                    false,
                ),
            },
        };
        Some(Scalar { text, raw, exact })
    }

    /// Skips a value that is not a literal; false if there was nothing to skip.
    fn expression(&mut self) -> bool {
        let start = self.pos;
        let mut depth = 0usize;
        while let Some(byte) = self.peek() {
            match byte {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth == 0 => break,
                b')' | b']' | b'}' => depth -= 1,
                b',' | b'\n' if depth == 0 => break,
                b'"' => match self.string() {
                    Some(_) => continue,
                    None => return false,
                },
                _ => {}
            }
            self.pos += 1;
        }
        self.pos > start
    }
}

/// The position after the `}` that closes a template sequence whose body starts at `pos`.
fn skip_template(bytes: &[u8], mut pos: usize) -> Option<usize> {
    let mut depth = 1usize;
    while depth > 0 {
        match *bytes.get(pos)? {
            b'{' => depth += 1,
            b'}' => depth -= 1,
            b'\n' => return None,
            _ => {}
        }
        pos += 1;
    }
    Some(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_point_inside_their_quotes() {
        let text = r#"{"a": [ {"name": "DB", "value": "x\"y"} ], "n": 5, "t": true}"#;
        let doc = parse_json(text.as_bytes()).unwrap();
        let entry = &doc.get("a").unwrap().items()[0];
        let name = entry.get("name").unwrap().scalar().unwrap();
        assert_eq!(&text[name.raw.clone()], "DB");
        assert!(name.exact);
        let value = entry.get("value").unwrap().scalar().unwrap();
        assert_eq!(value.text, "x\"y");
        assert_eq!(&text[value.raw.clone()], r#"x\"y"#);
        assert!(!value.exact);
        assert_eq!(doc.get("n"), Some(&Node::Other));
    }

    #[test]
    fn hcl_objects_with_bare_keys_newlines_and_expressions_are_read() {
        let text = "[\n  {\n    name = \"app\" # main\n    environment = [\n      { name = \"A\", value = var.a },\n      { name: \"B\", value = \"${var.b}-x\" },\n      { name = \"C\", value = \"lit\" },\n    ]\n  }\n]";
        let doc = parse_value_at(text.as_bytes(), 0, text.len()).unwrap();
        let env = doc.items()[0].get("environment").unwrap();
        assert_eq!(env.items().len(), 3);
        assert_eq!(env.items()[0].get("value"), Some(&Node::Other));
        assert_eq!(
            env.items()[1].get("value").unwrap().text(),
            Some("${var.b}-x")
        );
        let lit = env.items()[2].get("value").unwrap().scalar().unwrap();
        assert_eq!(&text[lit.raw.clone()], "lit");
    }

    #[test]
    fn broken_json_is_not_a_document() {
        assert_eq!(parse_json(b"{\"a\": [1, 2}"), None);
        assert_eq!(parse_json(b"{\"a\": \"unterminated}"), None);
        assert_eq!(parse_json(b"{} trailing"), None);
        let unclosed = parse_json(b"{\"a\": \"100%{ or ${\"}").unwrap();
        assert_eq!(unclosed.get("a").unwrap().text(), Some("100%{ or ${"));
        assert_eq!(parse_json(&[b'['; 10_000]), None);
    }
}
