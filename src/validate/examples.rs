//! Replaying each validator's documented answers (`example_valid`, `example_invalid`)
//! through the judge, offline: what `leakhound rules check` and the test suite run, so a
//! validator whose conditions do not read its provider's answers cannot ship.

use crate::finding::Validation;
use crate::rules::{ExampleResponse, Rule, check_validator_regexes};

use super::client::Incoming;
use super::judge::{Judge, Verdict};

/// One way a validator fails its own examples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatorExampleFailure {
    pub rule: String,
    pub origin: String,
    pub message: String,
}

/// Every failure of every rule's validator against its examples.
pub fn check_validator_examples(rules: &[Rule]) -> Vec<ValidatorExampleFailure> {
    let mut failures = Vec::new();
    for rule in rules {
        let Some(validator) = &rule.validate else {
            continue;
        };
        let mut fail = |message: String| {
            failures.push(ValidatorExampleFailure {
                rule: rule.id.clone(),
                origin: rule.origin.clone(),
                message,
            })
        };
        if let Err(message) = check_validator_regexes(validator, rule.regex.as_deref()) {
            fail(message);
            continue;
        }
        let judge = Judge::new(validator);
        match &validator.example_valid {
            None => fail("validator has no example_valid".into()),
            Some(example) => {
                let expected = Validation::Valid {
                    identity: example.identity.clone(),
                };
                let got = replay(&judge, example);
                if got != Verdict::Done(expected.clone()) {
                    fail(format!("example_valid gives {got:?}, not {expected:?}"));
                }
            }
        }
        match &validator.example_invalid {
            None => fail("validator has no example_invalid".into()),
            Some(example) => {
                let got = replay(&judge, example);
                if got != Verdict::Done(Validation::Invalid) {
                    fail(format!("example_invalid gives {got:?}, not invalid"));
                }
            }
        }
    }
    failures
}

fn replay(judge: &Judge, example: &ExampleResponse) -> Verdict {
    let answer = Incoming {
        status: example.status,
        retry_after: None,
        location: None,
        body: example.body.as_bytes().to_vec(),
    };
    judge.judge(&answer, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_validator_reads_its_documented_answers() {
        let config = crate::rules::builtin().unwrap();
        let failures = check_validator_examples(&config.rules);
        assert!(failures.is_empty(), "{failures:#?}");
        let providers = config
            .rules
            .iter()
            .filter(|rule| rule.validate.is_some())
            .count();
        assert!(providers >= 40, "{providers} rules have validators");
    }

    #[test]
    fn every_built_in_validator_host_is_https_and_fixed() {
        let config = crate::rules::builtin().unwrap();
        for host in super::super::hosts(&config.rules) {
            assert!(!host.contains("{{") && host.contains('.'), "{host}");
        }
    }
}
