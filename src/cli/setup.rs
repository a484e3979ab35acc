//! Turns the command line into what a scan runs with: one resolved [`Settings`], the
//! configuration, the compiled rule set, the filters, and the worker pool.

use std::path::Path;

use anyhow::Context;

use crate::engine::{InlineAllow, RuleSet};
use crate::filter::Filters;
use crate::rules::{self, Config};
use crate::settings::{ColorWhen, Settings, Validation as SettingsValidation, Verbosity};
use crate::validate::{EndpointOverride, ValidationSettings};

use super::output::Hinted;
use super::{ColorChoice, CommonArgs, ValidationArgs};

/// Whether a command runs posture checks unless told otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posture {
    /// `scan`, `history`: on, `--no-posture` turns them off.
    On,
    /// `staged`: off, `--posture` turns them on.
    Off,
}

/// The settings the shared options say, for a command whose posture checks are
/// `posture` by default.
pub fn resolve(common: &CommonArgs, posture: Posture) -> Settings {
    Settings {
        config: common.config.clone(),
        format: common.format,
        report_path: common.report_path.clone(),
        show_secrets: common.show_secrets,
        color: match common.color {
            ColorChoice::Auto => ColorWhen::Auto,
            ColorChoice::Always => ColorWhen::Always,
            ColorChoice::Never => ColorWhen::Never,
        },
        min_confidence: common.confidence,
        exit_code: common.exit_code,
        max_file_size: common.max_file_size,
        decode_depth: common.decode_depth,
        archive_depth: common.archive_depth,
        inline_allow: if common.no_inline_allow {
            InlineAllow::Ignore
        } else {
            InlineAllow::Honour
        },
        posture: !common.no_posture && (common.posture || posture == Posture::On),
        baseline: common.baseline.clone(),
        threads: threads(common.threads),
        verbosity: if common.quiet {
            Verbosity::Quiet
        } else if common.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        },
        validation: None,
    }
}

/// With `--validate`: the config's `[validation]` table, then the flags over it.
pub fn resolve_validation(
    settings: &mut Settings,
    args: &ValidationArgs,
    config: &Config,
) -> anyhow::Result<()> {
    if !args.validate {
        let tuned = args.validate_concurrency.is_some()
            || args.validate_per_host.is_some()
            || args.validate_timeout.is_some()
            || !args.validation_endpoint.is_empty()
            || args.validation_ca.is_some()
            || args.only_valid
            || args.fail_on_valid_only;
        if tuned {
            return Err(Hinted::error(
                anyhow::anyhow!("validation options were given without --validate"),
                "add --validate to check the secrets found with their providers",
            ));
        }
        return Ok(());
    }
    let mut checks = ValidationSettings::from_config(&config.validation)
        .context("reading the config's [validation] table")?;
    if let Some(concurrency) = args.validate_concurrency {
        checks.concurrency = concurrency.max(1);
    }
    if let Some(per_host) = args.validate_per_host {
        checks.per_host = per_host.max(1);
    }
    if let Some(seconds) = args.validate_timeout {
        checks.timeout = std::time::Duration::from_secs(seconds.max(1));
    }
    for endpoint in &args.validation_endpoint {
        checks.endpoints.push(EndpointOverride::parse(endpoint)?);
    }
    if let Some(ca) = &args.validation_ca {
        checks.extra_ca = Some(ca.clone());
    }
    settings.validation = Some(SettingsValidation {
        checks,
        only_valid: args.only_valid,
        fail_on_valid_only: args.fail_on_valid_only,
    });
    Ok(())
}

/// `--threads N`, or one worker per core.
pub fn threads(asked: Option<usize>) -> usize {
    asked
        .filter(|&threads| threads > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// The configuration (`--config`, else one found at `root`, else the built-in rules),
/// without the built-in rules' examples and validators unless `validators` (`--validate`)
/// asks for them: reading them costs a pre-commit run start-up time for nothing.
///
/// It lives as long as the process: freeing several hundred rules at exit cost a pre-commit
/// run more than reading them (a third of its start-up instructions), so it is never freed.
pub fn load_config(
    root: Option<&Path>,
    settings: &Settings,
    validators: bool,
) -> anyhow::Result<&'static Config> {
    let whole = if validators {
        rules::Examples::Load
    } else {
        rules::Examples::Skip
    };
    let config = rules::resolve(settings.config.as_deref(), root, whole)
        .context("loading the configuration")?;
    Ok(Box::leak(Box::new(config)))
}

/// The rule set, with `--decode-depth`, `--no-inline-allow` and the posture setting
/// applied; never freed, like the configuration.
pub fn compile_rules(config: &'static Config, settings: &Settings) -> &'static RuleSet {
    let config: &'static Config =
        if settings.posture || !config.rules.iter().any(|rule| rule.is_posture()) {
            config
        } else {
            let mut trimmed = config.clone();
            trimmed.rules.retain(|rule| !rule.is_posture());
            Box::leak(Box::new(trimmed))
        };
    let rule_set = RuleSet::compile_static(config)
        .with_decode_depth(settings.decode_depth)
        .with_inline_allow(settings.inline_allow);
    Box::leak(Box::new(rule_set))
}

/// The ignore files at `root` and the `--baseline`, if any.
pub fn load_filters(root: Option<&Path>, settings: &Settings) -> anyhow::Result<Filters> {
    Ok(Filters::load(root, settings.baseline.as_deref())
        .context("loading ignore files and baseline")?
        .with_min_confidence(settings.min_confidence))
}

/// Runs `work` on a rayon pool of `settings.threads` workers.
pub fn with_thread_pool<T: Send>(
    settings: &Settings,
    work: impl FnOnce() -> T + Send,
) -> anyhow::Result<T> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .context("starting worker threads")?;
    Ok(pool.install(work))
}
