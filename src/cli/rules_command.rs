//! `leakhound rules list` and `leakhound rules check`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::engine::check_examples;
use crate::rules::{self, Config};

use super::{Exit, RulesCommand};

pub fn run(command: RulesCommand) -> anyhow::Result<Exit> {
    match command {
        RulesCommand::List {
            config,
            validators: false,
        } => list(&load(config.as_deref())?),
        RulesCommand::List {
            config,
            validators: true,
        } => list_validator_hosts(&load(config.as_deref())?),
        RulesCommand::Check { config } => check(&load(config.as_deref())?),
    }
}

fn load(explicit: Option<&Path>) -> anyhow::Result<Config> {
    rules::resolve(explicit, Some(Path::new(".")), rules::Examples::Load)
        .context("loading the configuration")
}

fn list(config: &Config) -> anyhow::Result<Exit> {
    let mut out = std::io::stdout().lock();
    let width = config
        .rules
        .iter()
        .map(|rule| rule.id.len())
        .max()
        .unwrap_or(0);
    for rule in &config.rules {
        writeln!(
            out,
            "{:<width$}  {:<8}  {}",
            rule.id,
            rule.severity.as_str(),
            rule.description
        )?;
    }
    writeln!(
        out,
        "{} rules from {}",
        config.rules.len(),
        config.sources.join(", ")
    )?;
    Ok(Exit::Clean)
}

/// Every host `--validate` may contact, with the rules that use it, for allow-lists.
fn list_validator_hosts(config: &Config) -> anyhow::Result<Exit> {
    let mut out = std::io::stdout().lock();
    let hosts = crate::validate::validator_hosts(&config.rules);
    for host in &hosts {
        let reached = if host.needs_endpoint {
            " (only through --validation-endpoint: your own instance)"
        } else {
            ""
        };
        writeln!(out, "{}{reached}  {}", host.host, host.rules.join(", "))?;
    }
    let rules: usize = config
        .rules
        .iter()
        .filter(|rule| rule.validate.is_some())
        .count();
    writeln!(out, "{} hosts, {rules} rules with a validator", hosts.len())?;
    Ok(Exit::Clean)
}

fn check(config: &Config) -> anyhow::Result<Exit> {
    let mut out = std::io::stdout().lock();
    for rule in config
        .rules
        .iter()
        .filter(|rule| rule.regex.is_some() && rule.keywords.is_empty())
    {
        eprintln!(
            "warning: rule `{}` in {} has no keywords, so its regex runs on every file; add keywords = [...] with literal strings every match contains",
            rule.id, rule.origin
        );
    }
    for rule in config.rules.iter().filter(|rule| rule.examples.is_empty()) {
        eprintln!(
            "warning: rule `{}` in {} has no examples to check",
            rule.id, rule.origin
        );
    }
    let failures = check_examples(config);
    for failure in &failures {
        let what = if failure.expected_match {
            "does not match example"
        } else {
            "matches negative example"
        };
        let place = failure
            .example
            .path
            .as_deref()
            .map(|path| format!(" (path {path})"))
            .unwrap_or_default();
        writeln!(
            out,
            "FAIL {} in {}: {what}{place}: {}",
            failure.rule,
            failure.origin,
            crate::finding::escape_control(&failure.example.text)
        )?;
        if let Some(error) = &failure.compile_error {
            writeln!(
                out,
                "     regex error: {}",
                error.lines().last().unwrap_or_default()
            )?;
        }
    }
    // Each validator against its own documented answers: offline, no request is sent.
    let validator_failures = crate::validate::check_validator_examples(&config.rules);
    for failure in &validator_failures {
        writeln!(
            out,
            "FAIL {} in {}: validator: {}",
            failure.rule,
            failure.origin,
            crate::finding::escape_control(&failure.message)
        )?;
    }
    let examples: usize = config
        .rules
        .iter()
        .map(|rule| rule.examples.len() + rule.negative_examples.len())
        .sum();
    let validators = config
        .rules
        .iter()
        .filter(|rule| rule.validate.is_some())
        .count();
    writeln!(
        out,
        "{} rules, {examples} examples: {} failed; {validators} validators: {} failed",
        config.rules.len(),
        failures.len(),
        validator_failures.len()
    )?;
    Ok(if failures.is_empty() && validator_failures.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings(1)
    })
}
