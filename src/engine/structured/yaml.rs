//! YAML documents as [`Node`] trees with byte positions, read with `saphyr-parser`.
//!
//! Why that parser: it is a maintained, pure-Rust YAML 1.2 parser (so `on`, `yes` and
//! `no` stay strings, as in Kubernetes and GitHub Actions) whose event API gives each
//! scalar its start position and style (plain, quoted, block), which is what pointing at
//! a value needs. The `saphyr` loader above it drops the style and merges repeated keys,
//! so the tree is built here from the events instead.
//!
//! Helm templates (`{{ .Values.x }}`) are not YAML; before parsing, each template action is
//! masked with bytes of the same length (blanks for a line that holds only the action,
//! `${___}` elsewhere, which reads as a reference), so the rest of the chart is still
//! read and every offset stays true.

use std::borrow::Cow;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::tree::{MAX_DEPTH, Node, Scalar};

/// The documents of a (multi-document) YAML buffer, up to the first syntax error; none if
/// the buffer is not UTF-8.
pub fn parse_documents(data: &[u8]) -> Vec<Node> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Vec::new();
    };
    let text = mask_templates(text);
    let lines = LineStarts::new(&text);
    let mut builder = Builder::default();
    for event in Parser::new_from_str(&text) {
        let Ok((event, span)) = event else {
            break;
        };
        let keep_going = match event {
            Event::Scalar(value, style, _, tag) => {
                let literal = tag.as_ref().is_none_or(|tag| tag.suffix == "str");
                let start = lines.offset(&text, span.start.line(), span.start.col());
                let (raw, exact) = locate(&text, start, style, &value);
                let node = if literal {
                    Node::Scalar(Scalar {
                        text: value.into_owned(),
                        raw,
                        exact,
                    })
                } else {
                    // `!Ref Name`: the tag and the value, closing quote included.
                    let quoted =
                        matches!(style, ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted);
                    let end = (raw.end + usize::from(quoted)).min(text.len());
                    Node::Expr(start.min(end)..end)
                };
                builder.add(node)
            }
            Event::Alias(_) => builder.add(Node::Other),
            Event::SequenceStart(..) => builder.open(Frame::Seq(Vec::new())),
            Event::MappingStart(..) => builder.open(Frame::Map(Vec::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => builder.close(),
            Event::DocumentEnd => {
                builder.end_document();
                true
            }
            _ => true,
        };
        if !keep_going {
            break;
        }
    }
    builder.documents
}

enum Frame {
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>, Option<Node>),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    documents: Vec<Node>,
}

impl Builder {
    fn open(&mut self, frame: Frame) -> bool {
        self.stack.push(frame);
        self.stack.len() <= MAX_DEPTH
    }

    fn close(&mut self) -> bool {
        let node = match self.stack.pop() {
            Some(Frame::Seq(items)) => Node::Seq(items),
            Some(Frame::Map(entries, _)) => Node::Map(entries),
            None => return false,
        };
        self.add(node)
    }

    fn add(&mut self, node: Node) -> bool {
        match self.stack.last_mut() {
            Some(Frame::Seq(items)) => items.push(node),
            Some(Frame::Map(entries, pending)) => match pending.take() {
                Some(key) => entries.push((key, node)),
                None => *pending = Some(node),
            },
            None => self.root = Some(node),
        }
        true
    }

    fn end_document(&mut self) {
        self.stack.clear();
        if let Some(root) = self.root.take() {
            self.documents.push(root);
        }
    }
}

/// Byte offsets of line starts, to turn the parser's (line, column in characters) into
/// a byte offset. Lines break as YAML breaks them, and so as the parser counts them:
/// at `\n`, `\r\n` and a lone `\r`.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> LineStarts {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&at| !(bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n')))
                .map(|newline| newline + 1),
        );
        LineStarts(starts)
    }

    /// `line` is 1-based, `column` 0-based in characters.
    fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let start = self
            .0
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(text.len());
        let rest = &text[start..];
        rest.char_indices()
            .nth(column)
            .map_or(text.len(), |(offset, _)| start + offset)
    }
}

/// The bytes that hold a scalar starting at `start` (where the parser puts its anchor,
/// tag or opening quote), and whether they are exactly `value`.
fn locate(text: &str, start: usize, style: ScalarStyle, value: &str) -> (Range<usize>, bool) {
    let bytes = text.as_bytes();
    let mut pos = start.min(bytes.len());
    // Skip `&anchor` and `!tag` properties.
    while matches!(bytes.get(pos), Some(b'&' | b'!')) {
        while pos < bytes.len() && !bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
    }
    let raw = match style {
        ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted => {
            let quote = if style == ScalarStyle::DoubleQuoted {
                b'"'
            } else {
                b'\''
            };
            if bytes.get(pos) != Some(&quote) {
                return (pos..pos, false);
            }
            let close = closing_quote(bytes, pos + 1, quote);
            pos + 1..close
        }
        ScalarStyle::Plain => {
            if !value.contains('\n') && text[pos..].starts_with(value) {
                return (pos..pos + value.len(), true);
            }
            pos..line_end(bytes, pos)
        }
        ScalarStyle::Literal | ScalarStyle::Folded => block_extent(bytes, pos),
    };
    let exact = &text[raw.clone()] == value;
    (raw, exact)
}

fn closing_quote(bytes: &[u8], mut pos: usize, quote: u8) -> usize {
    while pos < bytes.len() {
        match bytes[pos] {
            b'\\' if quote == b'"' => pos += 2,
            b'\'' if quote == b'\'' && bytes.get(pos + 1) == Some(&b'\'') => pos += 2,
            byte if byte == quote => return pos,
            _ => pos += 1,
        }
    }
    bytes.len()
}

/// End of the line at `pos`, without trailing blanks or `\r`.
fn line_end(bytes: &[u8], pos: usize) -> usize {
    let mut end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |n| pos + n);
    while end > pos && matches!(bytes[end - 1], b' ' | b'\t' | b'\r') {
        end -= 1;
    }
    end
}

/// The content lines of a block scalar (`|` or `>`) whose content starts at `pos` (or
/// whose indicator is at `pos`).
fn block_extent(bytes: &[u8], mut pos: usize) -> Range<usize> {
    if matches!(bytes.get(pos), Some(b'|' | b'>')) {
        pos = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |n| pos + n + 1);
        while matches!(bytes.get(pos), Some(b' ')) {
            pos += 1;
        }
    }
    let line_start = memchr::memrchr(b'\n', &bytes[..pos]).map_or(0, |n| n + 1);
    let indent = pos - line_start;
    let mut end = line_end(bytes, pos);
    let mut next = memchr::memchr(b'\n', &bytes[pos..]).map(|n| pos + n + 1);
    while let Some(line) = next {
        if line >= bytes.len() {
            break;
        }
        let spaces = bytes[line..].iter().take_while(|&&b| b == b' ').count();
        let content = line + spaces;
        let blank = matches!(bytes.get(content), None | Some(b'\n' | b'\r'));
        if !blank && spaces < indent.max(1) {
            break;
        }
        if !blank {
            end = line_end(bytes, content);
        }
        next = memchr::memchr(b'\n', &bytes[line..]).map(|n| line + n + 1);
    }
    pos..end.max(pos)
}

/// Masks Go template actions (`{{ ... }}`) so that a Helm chart template parses as YAML;
/// see the module documentation.
fn mask_templates(text: &str) -> Cow<'_, str> {
    if !text.contains("{{") {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&bytes[from..], b"{{") {
        let open = from + found;
        let Some(close) = memchr::memmem::find(&bytes[open + 2..], b"}}").map(|n| open + 2 + n + 2)
        else {
            break;
        };
        let line_start = memchr::memrchr(b'\n', &bytes[..open]).map_or(0, |n| n + 1);
        let line_end = memchr::memchr(b'\n', &bytes[close..]).map_or(bytes.len(), |n| close + n);
        let alone = bytes[line_start..open]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t'))
            && bytes[close..line_end]
                .iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'\r'));
        for (index, byte) in bytes[open..close].iter_mut().enumerate() {
            if *byte == b'\n' || *byte == b'\r' {
                continue;
            }
            *byte = if alone {
                b' '
            } else if index == 0 {
                b'$'
            } else if index == 1 {
                b'{'
            } else if index == close - open - 1 {
                b'}'
            } else {
                b'_'
            };
        }
        from = close;
    }
    // Only ASCII bytes replaced whole characters between ASCII delimiters.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar_at<'a>(doc: &'a Node, path: &[&str]) -> &'a Scalar {
        let mut node = doc;
        for key in path {
            node = match key.parse::<usize>() {
                Ok(index) => &node.items()[index],
                Err(_) => node.get(key).unwrap(),
            };
        }
        node.scalar().unwrap()
    }

    #[test]
    fn a_lone_carriage_return_breaks_a_line_as_the_parser_counts_it() {
        // Found by the `structured` fuzz target: positions after a key holding `\r`s
        // all pointed at the end of the buffer, and a detector reported an empty secret.
        let text = "{\"fa\r\r\rmily\": \"x\",\n \"env\": [{\"name\": \"API_TOKEN\", \"value\": \"s3cr3t-value\"}]}\n";
        let docs = parse_documents(text.as_bytes());
        let value = scalar_at(&docs[0], &["env", "0", "value"]);
        assert_eq!(&text[value.raw.clone()], "s3cr3t-value");
    }

    #[test]
    fn scalars_point_at_their_text_in_every_style() {
        let text = "a: plain value\nb: \"dq \\\"x\\\"\"\nc: 'it''s'\nd: &anchor anchored\ne: |\n  line1\n  line2\nf: é-ünï\n";
        let docs = parse_documents(text.as_bytes());
        let doc = &docs[0];
        let plain = scalar_at(doc, &["a"]);
        assert_eq!(&text[plain.raw.clone()], "plain value");
        assert!(plain.exact);
        let double = scalar_at(doc, &["b"]);
        assert_eq!(&text[double.raw.clone()], "dq \\\"x\\\"");
        assert_eq!(double.text, "dq \"x\"");
        assert!(!double.exact);
        let single = scalar_at(doc, &["c"]);
        assert_eq!(&text[single.raw.clone()], "it''s");
        assert_eq!(&text[scalar_at(doc, &["d"]).raw.clone()], "anchored");
        assert_eq!(&text[scalar_at(doc, &["e"]).raw.clone()], "line1\n  line2");
        assert_eq!(&text[scalar_at(doc, &["f"]).raw.clone()], "é-ünï");
    }

    #[test]
    fn every_document_of_a_stream_is_read() {
        let docs = parse_documents(b"a: 1\n---\nb: 2\n---\nc: [x, 'y']\n");
        assert_eq!(docs.len(), 3);
        let text = "c: [x, 'y']";
        let offset = "a: 1\n---\nb: 2\n---\n".len();
        let y = &docs[2].get("c").unwrap().items()[1];
        assert_eq!(
            y.scalar().unwrap().raw,
            offset + text.find('y').unwrap()..offset + 9
        );
    }

    #[test]
    fn documents_before_a_syntax_error_are_kept() {
        let docs = parse_documents(b"a: 1\n---\nb: [unclosed\n");
        assert_eq!(docs.len(), 1);
    }

    #[test]
    fn tagged_values_are_not_literals() {
        let text =
            "Value: !Ref DbPassword\nSub: !Sub 'arn:${AWS::Partition}'\nOther: !!str plain\n";
        let docs = parse_documents(text.as_bytes());
        let source = |key: &str| docs[0].get(key).unwrap().source(text.as_bytes()).unwrap();
        assert_eq!(source("Value"), "!Ref DbPassword");
        assert_eq!(source("Sub"), "!Sub 'arn:${AWS::Partition}'");
        assert_eq!(docs[0].get("Other").unwrap().text(), Some("plain"));
    }

    #[test]
    fn helm_templates_are_masked_with_offsets_kept() {
        let text = "{{- if .Values.x }}\nenv:\n  - name: A\n    value: {{ .Values.a | quote }}\n  - name: B\n    value: lit-{{ .Values.b }}\n{{- end }}\n";
        let docs = parse_documents(text.as_bytes());
        let env = docs[0].get("env").unwrap();
        let a = env.items()[0].get("value").unwrap().scalar().unwrap();
        assert!(a.text.starts_with("${"));
        assert_eq!(a.raw.start, text.find("{{ .Values.a").unwrap());
        let b = env.items()[1].get("value").unwrap().scalar().unwrap();
        assert!(b.text.starts_with("lit-${"));
    }

    #[test]
    fn invalid_utf8_yields_nothing() {
        assert!(parse_documents(b"a: \xff\xfe\n").is_empty());
    }
}
