//! Runs every rule against its own examples: `leakhound rules check` and the test suite
//! share this, so a rule cannot regress silently.

use crate::rules::{Config, Example, Rule};

use super::{RuleSet, Scratch};

/// One example that did not behave as its rule promises.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleFailure {
    pub rule: String,
    pub origin: String,
    pub example: Example,
    /// True for an example that should match and did not; false for a negative example
    /// that matched.
    pub expected_match: bool,
    /// A regex that failed to compile, if that is the cause.
    pub compile_error: Option<String>,
}

/// Checks each rule in isolation (with the global allowlists) against its examples.
pub fn check_examples(config: &Config) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    let mut scratch = Scratch::default();
    let mut found = Vec::new();
    for rule in &config.rules {
        let single = RuleSet::compile(&Config {
            rules: vec![rule.clone()],
            allowlists: config.allowlists.clone(),
            sources: Vec::new(),
            validation: Default::default(),
        });
        let compile_error = compile_error(&single);
        let mut matches = |example: &Example| {
            single.scan(
                example.text.as_bytes(),
                example.path.as_deref(),
                &mut scratch,
                &mut found,
            );
            !found.is_empty()
        };
        for (examples, expected_match) in [(&rule.examples, true), (&rule.negative_examples, false)]
        {
            for example in examples {
                if matches(example) != expected_match {
                    failures.push(failure(
                        rule,
                        example,
                        expected_match,
                        compile_error.clone(),
                    ));
                }
            }
        }
    }
    failures
}

fn compile_error(single: &RuleSet) -> Option<String> {
    let compiled = &single.compiled[0];
    [compiled.regex.as_ref(), single.path_matcher.regex(0)]
        .into_iter()
        .flatten()
        .find_map(|regex| regex.get().err().map(str::to_string))
}

fn failure(
    rule: &Rule,
    example: &Example,
    expected_match: bool,
    compile_error: Option<String>,
) -> ExampleFailure {
    ExampleFailure {
        rule: rule.id.clone(),
        origin: rule.origin.clone(),
        example: example.clone(),
        expected_match,
        compile_error,
    }
}
