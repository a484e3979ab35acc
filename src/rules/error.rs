//! Configuration errors that name the file, the rule and the fix.

use std::fmt;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {reason}")]
    Read {
        path: String,
        reason: crate::aux_file::AuxError,
    },
    #[error("config {path}: invalid TOML{at}: {message}")]
    Syntax {
        path: String,
        at: Location,
        message: String,
    },
    #[error("{}", render_invalid(.path, .rule, .message, .hint))]
    Invalid {
        path: String,
        /// The rule id, or `None` for file-level problems.
        rule: Option<String>,
        message: String,
        hint: Option<String>,
    },
}

impl ConfigError {
    pub fn invalid(path: &str, rule: Option<&str>, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            path: path.to_string(),
            rule: rule.map(str::to_string),
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, new_hint: impl Into<String>) -> ConfigError {
        if let ConfigError::Invalid { hint, .. } = &mut self {
            *hint = Some(new_hint.into());
        }
        self
    }
}

fn render_invalid(
    path: &str,
    rule: &Option<String>,
    message: &str,
    hint: &Option<String>,
) -> String {
    let mut text = match rule {
        Some(id) => format!("rule `{id}` in {path}: {message}"),
        None => format!("config {path}: {message}"),
    };
    if let Some(hint) = hint {
        text.push_str("\nhint: ");
        text.push_str(hint);
    }
    text
}

/// A 1-based line and column in a config file, or nothing when unknown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Location(pub Option<(usize, usize)>);

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some((line, column)) => write!(f, " at line {line}, column {column}"),
            None => Ok(()),
        }
    }
}
