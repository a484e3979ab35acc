//! Reading a provider's answer: `invalid` when a failure condition holds, `valid` only
//! when a documented success condition holds, a retry for 429 and 5xx, and `unavailable`
//! for anything else (a CDN's page, a redirect, a body that is not the API's JSON).

use regex::Regex;

use crate::finding::Validation;
use crate::rules::{ResponseCondition, Validator};

use super::client::Incoming;

/// The longest identity kept; providers' names are short.
const MAX_IDENTITY: usize = 200;

/// A validator's conditions with their regexes compiled.
#[derive(Debug)]
pub struct Judge {
    valid: Vec<(ResponseCondition, Option<Regex>)>,
    invalid: Vec<(ResponseCondition, Option<Regex>)>,
    identity: Vec<String>,
    identity_pattern: Option<Regex>,
}

/// What to do with an answer.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    Done(Validation),
    /// Worth asking again (429, 5xx): the reason if no retry is left, and the wait asked.
    Retry {
        reason: String,
        retry_after: Option<u64>,
    },
}

impl Judge {
    /// Compiles the validator's regexes; a regex that does not compile (only possible
    /// for built-in rules, whose regexes the tests check) never matches.
    pub fn new(validator: &Validator) -> Judge {
        let compile = |pattern: &str| Regex::new(pattern).ok();
        let conditions = |list: &[ResponseCondition]| {
            list.iter()
                .map(|condition| {
                    let body = condition
                        .body
                        .as_deref()
                        .map(|p| compile(p).unwrap_or_else(never));
                    (condition.clone(), body)
                })
                .collect()
        };
        Judge {
            valid: conditions(&validator.valid),
            invalid: conditions(&validator.invalid),
            identity: validator.identity.clone(),
            identity_pattern: validator.identity_pattern.as_deref().and_then(compile),
        }
    }

    /// Judges one answer. `secrets` are the values sent; an identity that holds one is
    /// dropped, so an API that echoes the key cannot leak it into a report.
    pub fn judge(&self, answer: &Incoming, secrets: &[&str]) -> Verdict {
        let text = String::from_utf8_lossy(&answer.body);
        let json: Option<serde_json::Value> = serde_json::from_str(&text).ok();
        let holds = |(condition, body): &(ResponseCondition, Option<Regex>)| {
            holds(
                condition,
                body.as_ref(),
                answer.status,
                &text,
                json.as_ref(),
            )
        };
        if self.invalid.iter().any(holds) {
            return Verdict::Done(Validation::Invalid);
        }
        if self.valid.iter().any(holds) {
            let identity = self.identity_of(&text, json.as_ref()).filter(|identity| {
                !secrets
                    .iter()
                    .any(|s| !s.is_empty() && identity.contains(s))
            });
            return Verdict::Done(Validation::Valid { identity });
        }
        let status = answer.status;
        match status {
            429 => Verdict::Retry {
                reason: "rate-limited".into(),
                retry_after: answer.retry_after,
            },
            500..=599 => Verdict::Retry {
                reason: format!("server error (HTTP {status})"),
                retry_after: answer.retry_after,
            },
            300..=399 => Verdict::Done(unavailable(format!(
                "redirected{} (not followed)",
                answer
                    .location
                    .as_deref()
                    .and_then(location_host)
                    .map(|host| format!(" to {host}"))
                    .unwrap_or_default()
            ))),
            _ => {
                let expects_json = self.valid.iter().any(|(c, _)| c.needs_json());
                let reason = if expects_json && json.is_none() {
                    format!("not the provider's API (HTTP {status}, the body is not JSON)")
                } else {
                    format!("not a documented answer (HTTP {status})")
                };
                Verdict::Done(unavailable(reason))
            }
        }
    }

    fn identity_of(&self, text: &str, json: Option<&serde_json::Value>) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(json) = json {
            for pointer in &self.identity {
                match json.pointer(pointer) {
                    Some(serde_json::Value::String(s)) if !s.is_empty() => parts.push(s.clone()),
                    Some(serde_json::Value::Number(n)) => parts.push(n.to_string()),
                    _ => {}
                }
            }
        }
        if let Some(pattern) = &self.identity_pattern
            && let Some(found) = pattern.captures(text).and_then(|c| c.get(1))
        {
            parts.push(found.as_str().to_string());
        }
        if parts.is_empty() {
            return None;
        }
        let joined = parts.join(" / ");
        let clean: String = joined
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_IDENTITY)
            .collect();
        Some(clean)
    }
}

fn never() -> Regex {
    Regex::new(r"[^\s\S]").expect("a regex that matches nothing")
}

fn unavailable(reason: String) -> Validation {
    Validation::Unavailable { reason }
}

/// The host a redirect points at (only the host: the rest may hold a token).
fn location_host(location: &str) -> Option<String> {
    let rest = location.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    (!host.is_empty()).then(|| host.chars().filter(|c| !c.is_control()).take(100).collect())
}

fn holds(
    condition: &ResponseCondition,
    body_pattern: Option<&Regex>,
    status: u16,
    text: &str,
    json: Option<&serde_json::Value>,
) -> bool {
    if !condition.status.is_empty() && !condition.status.contains(&status) {
        return false;
    }
    if condition.needs_json() {
        let Some(json) = json else {
            return false;
        };
        let all_equal = condition
            .json
            .iter()
            .all(|(pointer, expected)| json.pointer(pointer) == Some(expected));
        let all_present = condition
            .json_has
            .iter()
            .all(|pointer| json.pointer(pointer).is_some_and(|v| !v.is_null()));
        if !all_equal || !all_present {
            return false;
        }
    }
    body_pattern.is_none_or(|pattern| pattern.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Endpoint, Request, Template, TemplateValue};

    fn validator(valid: ResponseCondition, invalid: ResponseCondition) -> Validator {
        Validator {
            request: Request::Http {
                method: crate::rules::Method::Get,
                url: Template::parse("https://api.example.com/me").unwrap(),
                host: "api.example.com".into(),
                headers: Vec::new(),
                body: None,
            },
            pair: Vec::new(),
            applies_to: None,
            endpoint: Endpoint::Fixed,
            valid: vec![valid],
            invalid: vec![invalid],
            identity: vec!["/login".into(), "/team".into()],
            identity_pattern: None,
            example_valid: None,
            example_invalid: None,
        }
    }

    fn answer(status: u16, body: &str) -> Incoming {
        Incoming {
            status,
            retry_after: None,
            location: None,
            body: body.as_bytes().to_vec(),
        }
    }

    fn slack_like() -> Judge {
        let _ = TemplateValue::Secret;
        Judge::new(&validator(
            ResponseCondition {
                status: vec![200],
                json: vec![("/ok".into(), serde_json::json!(true))],
                ..Default::default()
            },
            ResponseCondition {
                status: vec![200],
                json: vec![("/ok".into(), serde_json::json!(false))],
                body: Some("invalid_auth|token_revoked".into()),
                ..Default::default()
            },
        ))
    }

    #[test]
    fn a_documented_success_is_valid_with_its_identity() {
        let verdict = slack_like().judge(
            &answer(200, r#"{"ok":true,"login":"me","team":"t"}"#),
            &["k"],
        );
        assert_eq!(
            verdict,
            Verdict::Done(Validation::Valid {
                identity: Some("me / t".into())
            })
        );
    }

    #[test]
    fn a_documented_failure_is_invalid() {
        let verdict =
            slack_like().judge(&answer(200, r#"{"ok":false,"error":"invalid_auth"}"#), &[]);
        assert_eq!(verdict, Verdict::Done(Validation::Invalid));
    }

    #[test]
    fn anything_else_is_unavailable_never_valid() {
        let judge = slack_like();
        for (status, body) in [
            (200, "<html>cdn</html>"),
            (200, r#"{"ok":false,"error":"ratelimited"}"#),
            (403, "forbidden"),
        ] {
            let verdict = judge.judge(&answer(status, body), &[]);
            assert!(
                matches!(verdict, Verdict::Done(Validation::Unavailable { .. })),
                "{status} {body}: {verdict:?}"
            );
        }
        assert!(matches!(
            judge.judge(&answer(503, ""), &[]),
            Verdict::Retry { .. }
        ));
        assert!(matches!(
            judge.judge(&answer(429, ""), &[]),
            Verdict::Retry { .. }
        ));
    }

    #[test]
    fn an_identity_that_echoes_the_secret_is_dropped() {
        let verdict =
            slack_like().judge(&answer(200, r#"{"ok":true,"login":"key-k3y"}"#), &["k3y"]);
        assert_eq!(verdict, Verdict::Done(Validation::Valid { identity: None }));
    }

    #[test]
    fn a_redirect_names_only_the_host() {
        let mut moved = answer(302, "");
        moved.location = Some("https://evil.example/steal?token=abc".into());
        assert_eq!(
            slack_like().judge(&moved, &[]),
            Verdict::Done(Validation::Unavailable {
                reason: "redirected to evil.example (not followed)".into()
            })
        );
    }
}
