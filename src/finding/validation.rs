//! The outcome of checking a finding's secret with its provider (`--validate`).
//!
//! Set by `crate::validate`, shown by every report format. It never holds the secret:
//! only the identity the provider reported for it (an account, a user, a key name) and
//! a short reason when no answer could be trusted.

use serde::{Deserialize, Serialize};

/// What the provider said about a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Validation {
    /// The provider accepted it: a documented success answer.
    Valid {
        /// Who the secret acts as, where the API says (never the secret).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        identity: Option<String>,
    },
    /// The provider rejected it.
    Invalid,
    /// No answer that can be trusted: network error, timeout, 5xx, rate-limited, or a
    /// response that is not the provider's API.
    Unavailable { reason: String },
    /// Not checked: no validator for the rule, a partner secret missing, an endpoint to
    /// configure, or the run was interrupted.
    NotChecked { reason: String },
}

impl Validation {
    /// `valid`, `invalid`, `unavailable` or `not-checked`.
    pub fn status(&self) -> &'static str {
        match self {
            Validation::Valid { .. } => "valid",
            Validation::Invalid => "invalid",
            Validation::Unavailable { .. } => "unavailable",
            Validation::NotChecked { .. } => "not-checked",
        }
    }

    pub fn is_valid(&self) -> bool {
        matches!(self, Validation::Valid { .. })
    }

    /// The identity of a valid secret, or the reason of an unavailable or unchecked one.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Validation::Valid { identity } => identity.as_deref(),
            Validation::Invalid => None,
            Validation::Unavailable { reason } | Validation::NotChecked { reason } => Some(reason),
        }
    }

    /// One line for people: `valid (octocat)`, `unavailable (timeout)`, `invalid`.
    pub fn summary(&self) -> String {
        match self.detail() {
            Some(detail) => format!("{} ({detail})", self.status()),
            None => self.status().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_serialize_with_a_status_tag() {
        let valid = Validation::Valid {
            identity: Some("octocat".into()),
        };
        assert_eq!(
            serde_json::to_string(&valid).unwrap(),
            r#"{"status":"valid","identity":"octocat"}"#
        );
        assert_eq!(
            serde_json::to_string(&Validation::Invalid).unwrap(),
            r#"{"status":"invalid"}"#
        );
        let unchecked = Validation::NotChecked {
            reason: "no validator".into(),
        };
        let text = serde_json::to_string(&unchecked).unwrap();
        assert_eq!(text, r#"{"status":"not-checked","reason":"no validator"}"#);
        assert_eq!(
            serde_json::from_str::<Validation>(&text).unwrap(),
            unchecked
        );
    }

    #[test]
    fn summaries_read_as_one_line() {
        assert_eq!(Validation::Invalid.summary(), "invalid");
        let unavailable = Validation::Unavailable {
            reason: "timeout".into(),
        };
        assert_eq!(unavailable.summary(), "unavailable (timeout)");
    }
}
