//! Reads an image's configuration (environment, labels, entrypoint and command, and the
//! build history) and writes it as a Dockerfile-like text, so the existing Dockerfile
//! detectors judge `ENV DB_PASSWORD=...` baked into an image, and the rules find a token
//! in a `RUN` line of its history.
//!
//! Knows nothing about layers or rules. The text is synthetic: its line numbers point into
//! it, not into any file of the image.

use serde_json::Value;

/// The name the synthetic Dockerfile is scanned under: the Dockerfile rules' paths match
/// it, and no real file of an image can have it.
pub const CONFIG_DOCKERFILE_PATH: &str = "<image config>/Dockerfile";

/// What of an image's configuration can hold a secret, and the layers' digests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageConfig {
    /// `NAME=value` entries of `config.Env`.
    pub env: Vec<String>,
    pub labels: Vec<(String, String)>,
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    /// `history[].created_by`, oldest first.
    pub history: Vec<String>,
    /// `rootfs.diff_ids`: the digests of the uncompressed layers, base first.
    pub diff_ids: Vec<String>,
}

impl ImageConfig {
    /// Reads a config document; missing fields are empty, a wrong shape is an error.
    pub fn parse(bytes: &[u8]) -> Result<ImageConfig, String> {
        let document: Value = serde_json::from_slice(bytes).map_err(|error| error.to_string())?;
        if !document.is_object() {
            return Err("expected a JSON object".to_owned());
        }
        let config = &document["config"];
        let strings = |value: &Value| -> Option<Vec<String>> {
            value.as_array().map(|items| {
                items
                    .iter()
                    .filter_map(|item| item.as_str().map(str::to_owned))
                    .collect()
            })
        };
        let mut labels: Vec<(String, String)> = config["Labels"]
            .as_object()
            .map(|labels| {
                labels
                    .iter()
                    .map(|(key, value)| {
                        (key.clone(), value.as_str().unwrap_or_default().to_owned())
                    })
                    .collect()
            })
            .unwrap_or_default();
        labels.sort();
        Ok(ImageConfig {
            env: strings(&config["Env"]).unwrap_or_default(),
            labels,
            entrypoint: strings(&config["Entrypoint"]),
            cmd: strings(&config["Cmd"]),
            history: document["history"]
                .as_array()
                .map(|entries| {
                    entries
                        .iter()
                        .filter_map(|entry| entry["created_by"].as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            diff_ids: strings(&document["rootfs"]["diff_ids"]).unwrap_or_default(),
        })
    }

    /// The configuration as Dockerfile instructions: the build history first (as the
    /// build ran it), then the final `ENV`, `LABEL`, `ENTRYPOINT` and `CMD`. `ENV` lines of
    /// the history that only repeat the final environment are left out, so one value is
    /// not reported twice.
    pub fn to_dockerfile(&self, image: &str) -> String {
        let mut text = format!(
            "# Synthetic Dockerfile written by leakhound from the configuration of image {}\n",
            one_line(image)
        );
        let final_env: std::collections::HashSet<&str> =
            self.env.iter().map(String::as_str).collect();
        for created_by in &self.history {
            for line in history_instructions(created_by) {
                let repeats_env = line.strip_prefix("ENV ").is_some_and(|pairs| {
                    pairs
                        .split(' ')
                        .filter(|pair| !pair.is_empty())
                        .all(|pair| final_env.contains(pair))
                });
                if !repeats_env {
                    text.push_str(&line);
                    text.push('\n');
                }
            }
        }
        for entry in &self.env {
            let (name, value) = entry.split_once('=').unwrap_or((entry, ""));
            text.push_str(&format!("ENV {}={}\n", one_line(name), quoted(value)));
        }
        for (key, value) in &self.labels {
            text.push_str(&format!("LABEL {}={}\n", quoted(key), quoted(value)));
        }
        for (instruction, words) in [("ENTRYPOINT", &self.entrypoint), ("CMD", &self.cmd)] {
            if let Some(words) = words {
                let json = serde_json::to_string(words).unwrap_or_default();
                text.push_str(&format!("{instruction} {json}\n"));
            }
        }
        text
    }
}

/// The Dockerfile instructions behind one `created_by` entry:
/// - the classic builder's `/bin/sh -c #(nop)  ENV A=b` is `ENV A=b`, and its
///   `/bin/sh -c apt-get ...` is `RUN apt-get ...`;
/// - BuildKit's `RUN /bin/sh -c make # buildkit` is `RUN make`;
/// - build arguments in front of a command (`|2 A=1 B=2 /bin/sh -c ...`) become
///   `ARG A=1` lines, since their values are recorded in the image;
/// - anything else (`ENV`, `ARG`, `COPY`, `WORKDIR` as BuildKit writes them) stays.
pub fn history_instructions(created_by: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rest = created_by.trim();
    let explicit_run = rest.strip_prefix("RUN ").map(str::trim_start);
    if let Some(after) = explicit_run {
        rest = after;
    }
    if let Some(after) = rest.strip_prefix('|') {
        // `|N NAME=value ... command`: N build arguments.
        let (count, mut after) = after.split_once(' ').unwrap_or((after, ""));
        for _ in 0..count.parse::<usize>().unwrap_or(0) {
            let (pair, remaining) = after.split_once(' ').unwrap_or((after, ""));
            lines.push(format!("ARG {pair}"));
            after = remaining;
        }
        rest = after;
    }
    let shell_prefixes = ["/bin/sh -c ", "/bin/bash -c ", "cmd /S /C ", "sh -c "];
    let mut is_shell = false;
    for prefix in shell_prefixes {
        if let Some(after) = rest.strip_prefix(prefix) {
            rest = after.trim_start();
            is_shell = true;
            break;
        }
    }
    let command = rest.strip_suffix("# buildkit").unwrap_or(rest).trim_end();
    if let Some(instruction) = command.strip_prefix("#(nop)") {
        lines.push(instruction.trim().to_owned());
    } else if is_shell || explicit_run.is_some() {
        lines.push(format!("RUN {command}"));
    } else {
        lines.push(command.to_owned());
    }
    // A trailing backslash would make the next instruction a continuation of this one.
    for line in &mut lines {
        while line.ends_with('\\') {
            line.pop();
        }
    }
    lines
}

/// `value` as a Dockerfile word: as it is when plain, else in double quotes with `"` and
/// `\` escaped. Line breaks become spaces so the value stays on its instruction's line.
fn quoted(value: &str) -> String {
    let value = one_line(value);
    let plain = !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '\\'));
    if plain {
        return value;
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for character in value.chars() {
        if matches!(character, '"' | '\\') {
            out.push('\\');
        }
        out.push(character);
    }
    out.push('"');
    out
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_builder_history_reads_as_instructions() {
        assert_eq!(
            history_instructions("/bin/sh -c #(nop)  ENV A=b"),
            ["ENV A=b"]
        );
        assert_eq!(
            history_instructions("/bin/sh -c #(nop) ADD file:0a1b in / "),
            ["ADD file:0a1b in /"]
        );
        assert_eq!(
            history_instructions("/bin/sh -c apt-get update"),
            ["RUN apt-get update"]
        );
        assert_eq!(
            history_instructions("|2 TOKEN=abc MODE=x /bin/sh -c make"),
            ["ARG TOKEN=abc", "ARG MODE=x", "RUN make"]
        );
    }

    #[test]
    fn buildkit_history_reads_as_instructions() {
        assert_eq!(
            history_instructions("RUN /bin/sh -c make install # buildkit"),
            ["RUN make install"]
        );
        assert_eq!(
            history_instructions("RUN |1 KEY=v /bin/sh -c make # buildkit"),
            ["ARG KEY=v", "RUN make"]
        );
        assert_eq!(
            history_instructions("ENV PATH=/usr/bin"),
            ["ENV PATH=/usr/bin"]
        );
        assert_eq!(history_instructions("WORKDIR /app"), ["WORKDIR /app"]);
        assert_eq!(
            history_instructions("RUN /bin/sh -c echo \\"),
            ["RUN echo "]
        );
    }

    #[test]
    fn values_with_spaces_or_quotes_are_quoted_and_line_breaks_removed() {
        assert_eq!(quoted("plain"), "plain");
        assert_eq!(quoted("two words"), "\"two words\"");
        assert_eq!(quoted("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(quoted(""), "\"\"");
        assert_eq!(quoted("a\nb"), "\"a b\"");
    }

    #[test]
    fn the_dockerfile_holds_history_then_the_final_configuration() {
        let config = ImageConfig::parse(
            br#"{"config":{"Env":["PATH=/bin","MODE=prod"],"Labels":{"team":"core"},
                "Cmd":["serve","--port","80"]},
               "history":[{"created_by":"/bin/sh -c #(nop)  ENV PATH=/bin"},
                          {"created_by":"/bin/sh -c #(nop)  ENV OLD=1"},
                          {"created_by":"/bin/sh -c make"}],
               "rootfs":{"diff_ids":["sha256:aa"]}}"#,
        )
        .unwrap();
        assert_eq!(config.diff_ids, ["sha256:aa"]);
        let text = config.to_dockerfile("app:1");
        let lines: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(
            lines,
            [
                "ENV OLD=1",
                "RUN make",
                "ENV PATH=/bin",
                "ENV MODE=prod",
                "LABEL team=core",
                r#"CMD ["serve","--port","80"]"#
            ]
        );
    }

    #[test]
    fn a_config_that_is_not_an_object_is_an_error() {
        assert!(ImageConfig::parse(b"[1]").is_err());
        assert!(ImageConfig::parse(b"{nope").is_err());
        assert_eq!(ImageConfig::parse(b"{}").unwrap(), ImageConfig::default());
    }
}
