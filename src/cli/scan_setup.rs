//! Turns the options every scanning command shares into what a scan runs with: the
//! configuration, the compiled rule set and the filters for findings already judged.

use std::path::Path;

use anyhow::Context;

use crate::engine::{InlineAllow, RuleSet};
use crate::filter::Filters;
use crate::rules::{self, Config};

use super::CommonArgs;

/// The configuration (`--config`, else one found at `root`, else the built-in rules),
/// without the built-in rules' examples, which only `rules check` needs.
///
/// It lives as long as the process: freeing several hundred rules at exit cost a pre-commit
/// run more than reading them (a third of its start-up instructions), so it is never freed.
pub fn load_config(root: Option<&Path>, common: &CommonArgs) -> anyhow::Result<&'static Config> {
    let config = rules::resolve(common.config.as_deref(), root, rules::Examples::Skip)
        .context("loading the configuration")?;
    Ok(Box::leak(Box::new(config)))
}

/// Whether a command runs posture checks unless told otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posture {
    /// `scan`, `history`: on, `--no-posture` turns them off.
    On,
    /// `staged`: off, `--posture` turns them on.
    Off,
}

/// The rule set, with `--decode-depth`, `--no-inline-allow` and `--no-posture` applied;
/// never freed, like the configuration.
pub fn compile_rules(config: &'static Config, common: &CommonArgs) -> &'static RuleSet {
    compile_rules_with(config, common, Posture::On)
}

/// [`compile_rules`] for a command whose posture checks are `posture` by default.
pub fn compile_rules_with(
    config: &'static Config,
    common: &CommonArgs,
    posture: Posture,
) -> &'static RuleSet {
    let inline_allow = if common.no_inline_allow {
        InlineAllow::Ignore
    } else {
        InlineAllow::Honour
    };
    let wanted = !common.no_posture && (common.posture || posture == Posture::On);
    let config: &'static Config = if wanted || !config.rules.iter().any(|rule| rule.is_posture()) {
        config
    } else {
        let mut trimmed = config.clone();
        trimmed.rules.retain(|rule| !rule.is_posture());
        Box::leak(Box::new(trimmed))
    };
    let rule_set = RuleSet::compile_static(config)
        .with_decode_depth(common.decode_depth)
        .with_inline_allow(inline_allow);
    Box::leak(Box::new(rule_set))
}

/// The ignore files at `root` and the `--baseline`, if any.
pub fn load_filters(root: Option<&Path>, common: &CommonArgs) -> anyhow::Result<Filters> {
    Ok(Filters::load(root, common.baseline.as_deref())
        .context("loading ignore files and baseline")?
        .with_min_confidence(common.confidence))
}
