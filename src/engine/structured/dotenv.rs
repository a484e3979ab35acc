//! Committed `.env` files: `KEY=value` lines, as the dotenv loaders of Node, Python, Ruby
//! and Go read them. Handled: `export KEY=...`, blank and `#` comment lines, unquoted
//! values (ending at a ` #` comment), single-quoted values (taken literally), double-quoted
//! values (with `\n`, `\"`, `\\` escapes) and backquoted values; quoted values may span
//! lines. Which files are `.env` files is the rule's `path` (and allowlist), not this code.

use super::ValueHit;
use super::judge;

pub fn detect(data: &[u8], out: &mut Vec<ValueHit>) {
    let mut pos = 0;
    while pos < data.len() {
        pos = line(data, pos, out);
    }
}

/// Reads the entry starting at `pos` (if the line holds one); returns where the next
/// line starts.
fn line(data: &[u8], mut pos: usize, out: &mut Vec<ValueHit>) -> usize {
    let next_line =
        |from: usize| memchr::memchr(b'\n', &data[from..]).map_or(data.len(), |n| from + n + 1);
    pos = skip_blanks(data, pos);
    if data[pos..].starts_with(b"export") && matches!(data.get(pos + 6), Some(b' ' | b'\t')) {
        pos = skip_blanks(data, pos + 6);
    }
    let key_start = pos;
    while data
        .get(pos)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        pos += 1;
    }
    let key_end = pos;
    pos = skip_blanks(data, pos);
    if key_end == key_start || data.get(pos) != Some(&b'=') {
        return next_line(pos.min(data.len()));
    }
    pos = skip_blanks(data, pos + 1);
    let key = String::from_utf8_lossy(&data[key_start..key_end]);
    let (raw, text, exact, after) = match data.get(pos) {
        Some(&quote @ (b'"' | b'\'' | b'`')) => match closing_quote(data, pos + 1, quote) {
            Some(close) => {
                let raw = pos + 1..close;
                let (source, exact) = text_of(&data[raw.clone()]);
                let (text, exact) = if quote == b'"' && source.contains('\\') {
                    (unescape(&source), false)
                } else {
                    (source, exact)
                };
                (raw, text, exact, close + 1)
            }
            None => unquoted(data, pos),
        },
        _ => unquoted(data, pos),
    };
    if let Some(part) = judge::secret_part(&key, &text) {
        let secret = if exact {
            raw.start + part.start..raw.start + part.end
        } else {
            raw.clone()
        };
        out.push(ValueHit { span: raw, secret });
    }
    next_line(after.min(data.len()))
}

fn unquoted(data: &[u8], pos: usize) -> (std::ops::Range<usize>, String, bool, usize) {
    let line_end = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |n| pos + n);
    let mut end = line_end;
    for index in pos..line_end {
        if data[index] == b'#' && (index == pos || matches!(data[index - 1], b' ' | b'\t')) {
            end = index;
            break;
        }
    }
    while end > pos && matches!(data[end - 1], b' ' | b'\t' | b'\r') {
        end -= 1;
    }
    let (text, exact) = text_of(&data[pos..end]);
    (pos..end, text, exact, line_end)
}

/// The text of `bytes`, and whether it is byte for byte the same (valid UTF-8).
fn text_of(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), true),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), false),
    }
}

fn skip_blanks(data: &[u8], mut pos: usize) -> usize {
    while matches!(data.get(pos), Some(b' ' | b'\t')) {
        pos += 1;
    }
    pos
}

fn closing_quote(data: &[u8], mut pos: usize, quote: u8) -> Option<usize> {
    while pos < data.len() {
        match data[pos] {
            b'\\' if quote == b'"' => pos += 2,
            byte if byte == quote => return Some(pos),
            _ => pos += 1,
        }
    }
    None
}

fn unescape(source: &str) -> String {
    let mut text = String::with_capacity(source.len());
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => text.push('\n'),
            Some('r') => text.push('\r'),
            Some('t') => text.push('\t'),
            Some(other) => text.push(other),
            None => text.push('\\'),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        detect(text.as_bytes(), &mut out);
        out.iter().map(|hit| &text[hit.secret.clone()]).collect()
    }

    #[test]
    fn credential_keys_with_real_values_are_found_in_every_spelling() {
        // Assembled at run time so that scanning this source finds no URL with a password.
        let url = ["postgres://app:", "pw-c", "@db:5432/app"].concat();
        let text = format!(
            "# db\nDB_PASSWORD=s3cr3t-a\nexport API_TOKEN = 'tok-b' # old\nJWT_SECRET=\"jw\\\"t\"\nMULTI_KEY=\"line1\nline2\"\nAWS_SECRET_ACCESS_KEY=abc123\nDATABASE_URL={url}\n"
        );
        let text = text.as_str();
        assert_eq!(
            secrets(text),
            [
                "s3cr3t-a",
                "tok-b",
                "jw\\\"t",
                "line1\nline2",
                "abc123",
                "pw-c"
            ]
        );
    }

    #[test]
    fn placeholders_comments_and_other_keys_are_quiet() {
        let text = "PORT=8080\n# DB_PASSWORD=commented-out\nDB_PASSWORD=\nAPI_KEY=${API_KEY}\nSECRET=changeme # fill in\nTOKEN=\"<your-token>\"\nNODE_ENV=production\ngarbage line\n";
        assert!(secrets(text).is_empty(), "{:?}", secrets(text));
    }

    #[test]
    fn unterminated_quote_reads_to_the_end_of_the_line() {
        assert_eq!(secrets("DB_PASSWORD=\"abc-def\nOTHER=1\n"), ["\"abc-def"]);
    }
}
