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
//! hold quotes, and `#` or `//` outside a string starts a comment even inside an
//! expression; in a plain JSON document they are text.
//!
//! Bicep's object syntax is the same shape (`key: value` on separate lines); in that mode
//! strings are single-quoted (`'it\'s'`, `'${name}-x'`, `'''multi-line'''`).
//!
//! Strings with escapes are decoded with `serde_json`, so JSON's rules are applied exactly;
//! an HCL-only escape keeps the raw text. Values that are not literals are
//! [`Node::Expr`]s holding their source range.

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
        syntax: Syntax::Json,
    };
    let node = reader.value(0)?;
    reader.skip_blanks();
    (reader.pos == data.len()).then_some(node)
}

/// The HCL (or HCL-templated JSON) value that starts at `start` (blanks before it are
/// skipped), reading no further than `end`.
pub fn parse_value_at(data: &[u8], start: usize, end: usize) -> Option<Node> {
    parse_value_end(data, start, end, Syntax::Hcl).map(|(node, _)| node)
}

/// [`parse_value_at`] in `syntax`, with the position after the value.
pub fn parse_value_end(
    data: &[u8],
    start: usize,
    end: usize,
    syntax: Syntax,
) -> Option<(Node, usize)> {
    let mut reader = Reader {
        bytes: &data[..end.min(data.len())],
        pos: start,
        syntax,
    };
    let node = reader.value(0)?;
    Some((node, reader.pos))
}

/// Which spelling of the object syntax is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// A plain JSON document: no templates, no comments inside expressions.
    Json,
    /// HCL values and heredoc JSON: `${...}`/`%{...}` in strings may hold quotes.
    Hcl,
    /// Bicep: single-quoted strings with `${...}` interpolation.
    Bicep,
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    syntax: Syntax,
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
            b'\'' if self.syntax == Syntax::Bicep => self.bicep_string().map(Node::Scalar),
            _ => {
                let start = self.pos;
                self.expression()
                    .then(|| Node::Expr(start..self.end_of_expression(start)))
            }
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
                b'\'' if self.syntax == Syntax::Bicep => {
                    let key = self.bicep_string()?;
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
                    if self.syntax == Syntax::Bicep && !self.next_is_separator() {
                        // A nested declaration (`resource child 'config' = {...}`): skipped.
                        self.expression();
                        continue;
                    }
                    entries.push((key, self.entry_value(depth)?));
                }
                _ => return None,
            }
        }
    }

    /// Whether `:` or `=` comes next (after blanks).
    fn next_is_separator(&mut self) -> bool {
        self.skip_blanks();
        matches!(self.peek(), Some(b':' | b'='))
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
                b'$' | b'%'
                    if self.syntax == Syntax::Hcl && self.bytes.get(pos + 1) == Some(&b'{') =>
                {
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
                b'\'' if self.syntax == Syntax::Bicep => match self.bicep_string() {
                    Some(_) => continue,
                    None => return false,
                },
                b'#' if self.syntax == Syntax::Hcl => self.skip_line_comment(),
                b'/' if self.syntax != Syntax::Json
                    && self.bytes.get(self.pos + 1) == Some(&b'/') =>
                {
                    self.skip_line_comment()
                }
                _ => {}
            }
            self.pos += 1;
        }
        self.pos > start
    }

    /// Moves to the last byte before the end of the line, so the caller's step lands on
    /// the newline (which ends an expression at depth 0).
    fn skip_line_comment(&mut self) {
        self.skip_line();
        self.pos = self.pos.saturating_sub(1);
    }

    /// Where the expression that started at `start` ends, without trailing blanks and
    /// comments.
    fn end_of_expression(&self, start: usize) -> usize {
        let mut end = self.pos;
        let text = &self.bytes[start..end];
        if self.syntax != Syntax::Json {
            let comment = text.iter().enumerate().find_map(|(index, byte)| {
                let line_comment = *byte == b'#' && self.syntax == Syntax::Hcl
                    || *byte == b'/' && text.get(index + 1) == Some(&b'/');
                let outside_string = !text[..index].iter().any(|b| *b == b'"' || *b == b'\'');
                (line_comment && outside_string).then_some(index)
            });
            if let Some(comment) = comment {
                end = start + comment;
            }
        }
        while end > start && self.bytes[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        end
    }

    /// A Bicep string: `'...'` with `\` escapes and `${...}` interpolation, or `'''...'''`
    /// taken as written.
    fn bicep_string(&mut self) -> Option<Scalar> {
        let open = self.pos;
        if self.bytes[open..].starts_with(b"'''") {
            let close = memchr::memmem::find(&self.bytes[open + 3..], b"'''")? + open + 3;
            self.pos = close + 3;
            let raw = open + 3..close;
            let text = String::from_utf8_lossy(&self.bytes[raw.clone()]).into_owned();
            return Some(Scalar {
                exact: text.len() == raw.len(),
                text,
                raw,
            });
        }
        let mut pos = open + 1;
        let mut text = String::new();
        let mut exact = true;
        loop {
            match *self.bytes.get(pos)? {
                b'\\' => {
                    exact = false;
                    let escaped = *self.bytes.get(pos + 1)?;
                    text.push(match escaped {
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        other => char::from(other),
                    });
                    pos += 2;
                }
                b'\'' => break,
                b'$' if self.bytes.get(pos + 1) == Some(&b'{') => {
                    let end = skip_template(self.bytes, pos + 2)?;
                    text.push_str(&String::from_utf8_lossy(&self.bytes[pos..end]));
                    pos = end;
                }
                b'\n' => return None,
                _ => {
                    let length = utf8_length(self.bytes[pos]);
                    let end = (pos + length).min(self.bytes.len());
                    text.push_str(&String::from_utf8_lossy(&self.bytes[pos..end]));
                    pos = end;
                }
            }
        }
        self.pos = pos + 1;
        Some(Scalar {
            text,
            raw: open + 1..pos,
            exact,
        })
    }
}

/// How many bytes the UTF-8 sequence that starts with `first` takes (1 for stray bytes).
fn utf8_length(first: u8) -> usize {
    match first {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
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
        assert!(matches!(doc.get("n"), Some(Node::Expr(range)) if &text[range.clone()] == "5"));
    }

    #[test]
    fn hcl_objects_with_bare_keys_newlines_and_expressions_are_read() {
        let text = "[\n  {\n    name = \"app\" # main\n    environment = [\n      { name = \"A\", value = var.a },\n      { name: \"B\", value = \"${var.b}-x\" },\n      { name = \"C\", value = \"lit\" },\n    ]\n  }\n]";
        let doc = parse_value_at(text.as_bytes(), 0, text.len()).unwrap();
        let env = doc.items()[0].get("environment").unwrap();
        assert_eq!(env.items().len(), 3);
        assert!(
            matches!(env.items()[0].get("value"), Some(Node::Expr(range)) if &text[range.clone()] == "var.a")
        );
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
