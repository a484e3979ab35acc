//! Environment values written into container images and commands:
//! - Dockerfile `ENV NAME=value ...` (also the legacy `ENV NAME value`) and
//!   `ARG NAME=default`: both end up in the image's history or configuration. Handled:
//!   line continuations (with the `# escape=` directive's character), comment lines inside
//!   them, several pairs per instruction, quoted values;
//! - `docker run -e NAME=value` (`--env`, `--env=`, `podman`, `nerdctl`, `docker create`,
//!   `docker exec`, `docker service create`) in scripts and CI files: the options before
//!   the image name; `-e NAME` without a value passes the caller's variable on and is fine.
//!
//! Values are judged like every other env value ([`super::judge`]): `$VAR` and `${VAR}`
//! are references.

use std::ops::Range;

use super::ValueHit;
use super::judge;

/// `ENV` and `ARG` instructions of a Dockerfile.
pub fn detect_dockerfile(data: &[u8], out: &mut Vec<ValueHit>) {
    let escape = escape_directive(data).unwrap_or(b'\\');
    let mut line = 0;
    while line < data.len() {
        let next = next_line(data, line);
        let start = skip_blanks(data, line);
        let word_end = start
            + data[start..]
                .iter()
                .take_while(|b| b.is_ascii_alphabetic())
                .count();
        let word = &data[start..word_end];
        let instruction = if word.eq_ignore_ascii_case(b"ENV") {
            Some(Instruction::Env)
        } else if word.eq_ignore_ascii_case(b"ARG") {
            Some(Instruction::Arg)
        } else {
            None
        };
        let mut end = next;
        if let Some(instruction) = instruction
            && matches!(data.get(word_end), Some(b' ' | b'\t'))
        {
            let (tokens, logical_end) = tokenize(data, word_end, escape, Stop::LineEnd);
            judge_instruction(data, instruction, &tokens, out);
            end = next_line(data, logical_end);
        } else if ends_with_continuation(data, line, next, escape) {
            // Another instruction's continuation lines are not instructions.
            let (_, logical_end) = tokenize(data, word_end, escape, Stop::LineEnd);
            end = next_line(data, logical_end);
        }
        line = end.max(next);
    }
}

/// `-e NAME=value` options of container commands in a script.
pub fn detect_commands(data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    if path.is_some_and(is_documentation) {
        return;
    }
    const COMMANDS: &[&[u8]] = &[b"docker", b"podman", b"nerdctl"];
    for program in COMMANDS {
        for at in memchr::memmem::find_iter(data, program) {
            let before = at.checked_sub(1).map(|index| data[index]);
            if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                continue;
            }
            let (tokens, _) = tokenize(data, at + program.len(), b'\\', Stop::CommandEnd);
            judge_command(&tokens, out);
        }
    }
}

fn is_documentation(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".md", ".markdown", ".rst", ".txt", ".adoc", ".html", ".htm"]
        .iter()
        .any(|extension| lower.ends_with(extension))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Instruction {
    Env,
    Arg,
}

/// A word of a command or instruction: its bytes, and its text with quotes removed.
#[derive(Debug)]
struct Token {
    raw: Range<usize>,
    text: String,
    /// Where each byte of `text` came from, for pointing at a part of it.
    origins: Vec<usize>,
}

impl Token {
    /// The bytes of the buffer behind `text[part]`.
    fn source_of(&self, part: Range<usize>) -> Range<usize> {
        if part.is_empty() || part.end > self.origins.len() {
            return self.raw.clone();
        }
        self.origins[part.start]..self.origins[part.end - 1] + 1
    }
}

fn judge_instruction(
    data: &[u8],
    instruction: Instruction,
    tokens: &[Token],
    out: &mut Vec<ValueHit>,
) {
    let Some(first) = tokens.first() else {
        return;
    };
    if instruction == Instruction::Env && !first.text.contains('=') && tokens.len() > 1 {
        // Legacy `ENV NAME value with spaces`: the rest of the instruction is the value.
        let last = &tokens[tokens.len() - 1];
        let raw = tokens[1].raw.start..last.raw.end;
        let text = String::from_utf8_lossy(&data[raw.clone()]);
        if let Some(part) = judge::secret_part(&first.text, &text) {
            // Offsets into the text are offsets into the buffer only when no byte was
            // replaced (invalid UTF-8 becomes the three bytes of U+FFFD) and no line was
            // joined or quote taken out.
            let exact = matches!(text, std::borrow::Cow::Borrowed(_))
                && !text.contains('\n')
                && !text.contains(['"', '\'']);
            let secret = if exact {
                raw.start + part.start..raw.start + part.end
            } else {
                raw.clone()
            };
            out.push(ValueHit { span: raw, secret });
        }
        return;
    }
    for token in tokens {
        judge_assignment(token, out);
    }
}

/// `NAME=value` in one token.
fn judge_assignment(token: &Token, out: &mut Vec<ValueHit>) {
    let Some(equals) = token.text.find('=') else {
        return;
    };
    let name = &token.text[..equals];
    let value = &token.text[equals + 1..];
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
    {
        return;
    }
    if let Some(part) = judge::secret_part(name, value) {
        let offset = equals + 1;
        let span = token.source_of(offset..token.text.len());
        let secret = token.source_of(offset + part.start..offset + part.end);
        out.push(ValueHit { span, secret });
    }
}

/// Options of `docker run` (and friends) that take a value as the next word.
const VALUE_OPTIONS: &[&str] = &[
    "-e",
    "--env",
    "-p",
    "--publish",
    "-v",
    "--volume",
    "--name",
    "--network",
    "--net",
    "-w",
    "--workdir",
    "-u",
    "--user",
    "-h",
    "--hostname",
    "--entrypoint",
    "--env-file",
    "-l",
    "--label",
    "--mount",
    "--add-host",
    "--restart",
    "-m",
    "--memory",
    "--cpus",
    "--platform",
    "--log-driver",
    "--log-opt",
    "--dns",
    "--device",
    "--ulimit",
    "--tmpfs",
    "--gpus",
    "--cap-add",
    "--cap-drop",
    "--security-opt",
    "--link",
    "--expose",
    "--ipc",
    "--pid",
    "--runtime",
    "--shm-size",
    "--stop-signal",
    "--pull",
    "--cidfile",
    "-a",
    "--attach",
    "--volumes-from",
    "--group-add",
    "--label-file",
    "--network-alias",
    "--ip",
    "--memory-swap",
    "--cpu-shares",
    "-c",
    "--cpuset-cpus",
    "--health-cmd",
    "--replicas",
    "--secret",
    "--config",
    "--constraint",
    "--mode",
    "--pod",
    "--userns",
    "--uts",
];

fn judge_command(tokens: &[Token], out: &mut Vec<ValueHit>) {
    let mut words = tokens.iter();
    // `docker run`, `docker container run`, `docker create`, `docker exec`,
    // `docker service create`.
    let mut verb = words.next();
    if verb.is_some_and(|word| word.text == "container" || word.text == "service") {
        verb = words.next();
    }
    if !verb.is_some_and(|word| matches!(word.text.as_str(), "run" | "create" | "exec")) {
        return;
    }
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if !text.starts_with('-') {
            return;
        }
        let option = text.split('=').next().unwrap_or(text);
        if option == "-e" || option == "--env" {
            if text.len() > option.len() {
                // `--env=NAME=value`
                let inner = option.len() + 1;
                judge_assignment_from(word, inner, out);
            } else if let Some(value) = words.next() {
                judge_assignment(value, out);
            }
            continue;
        }
        if let Some(rest) = text.strip_prefix("-e")
            && !text.starts_with("--")
            && rest.contains('=')
        {
            // `-eNAME=value`
            judge_assignment_from(word, 2, out);
            continue;
        }
        if text.len() == option.len() && VALUE_OPTIONS.contains(&option) {
            words.next();
        }
    }
}

/// `NAME=value` starting at `offset` of a token's text.
fn judge_assignment_from(token: &Token, offset: usize, out: &mut Vec<ValueHit>) {
    if offset >= token.text.len() {
        return;
    }
    let inner = Token {
        raw: token.source_of(offset..token.text.len()),
        text: token.text[offset..].to_string(),
        origins: token.origins[offset..].to_vec(),
    };
    judge_assignment(&inner, out);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// A Dockerfile instruction: the end of its logical line.
    LineEnd,
    /// A shell command: also `;`, `&`, `|`, `)` and a closing backquote.
    CommandEnd,
}

/// The words from `pos` to the end of the logical line (continuations joined, comment
/// lines inside them dropped) or of the command; and where that end is.
fn tokenize(data: &[u8], mut pos: usize, escape: u8, stop: Stop) -> (Vec<Token>, usize) {
    let mut tokens = Vec::new();
    let mut current: Option<Token> = None;
    let mut quote: Option<u8> = None;
    let finish = |current: &mut Option<Token>, tokens: &mut Vec<Token>, end: usize| {
        if let Some(mut token) = current.take() {
            token.raw.end = end;
            tokens.push(token);
        }
    };
    while pos < data.len() && tokens.len() < 256 {
        let byte = data[pos];
        if let Some(continued) = continuation(data, pos, escape, stop) {
            finish(&mut current, &mut tokens, pos);
            pos = continued;
            continue;
        }
        match (quote, byte) {
            (_, b'\n') => break,
            (None, b' ' | b'\t' | b'\r') => {
                finish(&mut current, &mut tokens, pos);
                pos += 1;
                continue;
            }
            (None, b';' | b'&' | b'|' | b')' | b'`') if stop == Stop::CommandEnd => break,
            (None, b'"' | b'\'') => {
                quote = Some(byte);
                current.get_or_insert_with(|| new_token(pos));
                pos += 1;
                continue;
            }
            (Some(open), _) if byte == open => {
                quote = None;
                pos += 1;
                continue;
            }
            (Some(b'"') | None, _)
                if byte == escape && pos + 1 < data.len() && data[pos + 1] != b'\n' =>
            {
                let token = current.get_or_insert_with(|| new_token(pos));
                token.text.push(char::from(data[pos + 1]));
                token.origins.push(pos + 1);
                pos += 2;
                continue;
            }
            _ => {}
        }
        let token = current.get_or_insert_with(|| new_token(pos));
        let length = utf8_length(byte).min(data.len() - pos);
        token
            .text
            .push_str(&String::from_utf8_lossy(&data[pos..pos + length]));
        let pushed = token.text.len() - token.origins.len();
        token
            .origins
            .extend((0..pushed).map(|index| pos + index.min(length - 1)));
        pos += length;
    }
    let end = pos.min(data.len());
    finish(&mut current, &mut tokens, end);
    (tokens, end)
}

fn new_token(pos: usize) -> Token {
    Token {
        raw: pos..pos,
        text: String::new(),
        origins: Vec::new(),
    }
}

/// Where the next logical line continues when `pos` holds a line continuation (the escape
/// character, or `` ` `` and `^` in PowerShell and batch scripts, then the line end);
/// comment lines right after it are skipped in Dockerfiles.
fn continuation(data: &[u8], pos: usize, escape: u8, stop: Stop) -> Option<usize> {
    let byte = data[pos];
    let continues = byte == escape || stop == Stop::CommandEnd && matches!(byte, b'`' | b'^');
    if !continues {
        return None;
    }
    let mut after = pos + 1;
    while matches!(data.get(after), Some(b' ' | b'\t' | b'\r')) {
        after += 1;
    }
    if data.get(after) != Some(&b'\n') {
        return None;
    }
    let mut next = after + 1;
    if stop == Stop::LineEnd {
        loop {
            let start = skip_blanks(data, next);
            match data.get(start) {
                Some(b'#') => next = next_line(data, start),
                Some(b'\n') => next = start + 1,
                _ => break,
            }
        }
    }
    Some(next)
}

fn ends_with_continuation(data: &[u8], line: usize, next: usize, escape: u8) -> bool {
    let text = data[line..next].trim_ascii_end();
    text.last() == Some(&escape) && !data[skip_blanks(data, line)..].starts_with(b"#")
}

/// The `# escape=X` parser directive at the top of a Dockerfile.
fn escape_directive(data: &[u8]) -> Option<u8> {
    let mut line = 0;
    while line < data.len() {
        let text = data[line..next_line(data, line)].trim_ascii();
        let directive = text.strip_prefix(b"#")?.trim_ascii();
        let lower = directive.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix(b"escape") {
            let value = value.trim_ascii().strip_prefix(b"=")?.trim_ascii();
            return value.first().copied().filter(|b| matches!(b, b'\\' | b'`'));
        }
        if !lower.contains(&b'=') {
            return None;
        }
        line = next_line(data, line);
    }
    None
}

fn next_line(data: &[u8], pos: usize) -> usize {
    memchr::memchr(b'\n', &data[pos.min(data.len())..]).map_or(data.len(), |n| pos + n + 1)
}

fn skip_blanks(data: &[u8], mut pos: usize) -> usize {
    while matches!(data.get(pos), Some(b' ' | b'\t' | b'\r')) {
        pos += 1;
    }
    pos
}

fn utf8_length(first: u8) -> usize {
    match first {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dockerfile(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        detect_dockerfile(text.as_bytes(), &mut out);
        out.iter().map(|hit| &text[hit.secret.clone()]).collect()
    }

    fn commands<'a>(text: &'a str, path: &str) -> Vec<&'a str> {
        let mut out = Vec::new();
        detect_commands(text.as_bytes(), Some(path), &mut out);
        out.iter().map(|hit| &text[hit.secret.clone()]).collect()
    }

    #[test]
    fn env_and_arg_values_are_found_in_every_form() {
        let text = "FROM node:20\nARG NPM_TOKEN=npm-fixture-token\nARG BUILD_SECRET\nENV DB_USER=app \\\n    # the password\n    DB_PASSWORD=\"s3cr3t fixture\" PORT=8080\nenv API_KEY k3y-fixture-value\nENV TOKEN=${TOKEN} SECRET_KEY=$SECRET_KEY\nRUN echo \"ENV FAKE_TOKEN=n0t-an-instruction\"\n";
        assert_eq!(
            dockerfile(text),
            ["npm-fixture-token", "s3cr3t fixture", "k3y-fixture-value"]
        );
    }

    #[test]
    fn a_legacy_env_value_with_invalid_utf8_points_inside_the_buffer() {
        // Found by the `engine_path` fuzz target: the value was judged in a lossy copy
        // (each invalid byte three bytes long there), and its offsets ran past the buffer.
        let data = b"FROM alpine\nENV API_TOKEN \xc5\xc5\xc5Doc\xff\xff\xff\xffk3y-fixture-value\n";
        let mut out = Vec::new();
        detect_dockerfile(data, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert!(out[0].secret.end <= data.len() && out[0].span.end <= data.len());
        assert_eq!(out[0].secret, out[0].span, "not exact: the whole value");
    }

    #[test]
    fn the_escape_directive_changes_the_continuation_character() {
        let text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nENV SA_USER=sa `\n    SA_PASSWORD=Pw-fixture-9\n";
        assert_eq!(dockerfile(text), ["Pw-fixture-9"]);
    }

    #[test]
    fn docker_run_env_options_before_the_image_are_read() {
        let text = "#!/bin/sh\ndocker run -d --rm -p 5432:5432 \\\n  -e POSTGRES_USER=app \\\n  -e POSTGRES_PASSWORD=pg-fixture-pass \\\n  --env=API_TOKEN='t0k3n fixture' -eSMTP_PASSWORD=sm7p-fixture \\\n  -e DB_PASSWORD -e JWT_SECRET=\"$JWT_SECRET\" postgres:16 run -e NOT_AN_OPTION_SECRET=x1y2z3\npodman container run --env GH_TOKEN=gh-fixture img; echo -e SECRET=a\n";
        assert_eq!(
            commands(text, "scripts/db.sh"),
            [
                "pg-fixture-pass",
                "t0k3n fixture",
                "sm7p-fixture",
                "gh-fixture"
            ]
        );
        assert!(commands(text, "docs/README.md").is_empty());
    }
}
