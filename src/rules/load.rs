//! Loading configuration: the embedded defaults, a user's file, `[extend]`, and the checks
//! that turn [`RuleSpec`]s into [`Rule`]s with errors that say what to fix.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::check::{Trust, check_allowlist, check_rule, rule_shape_error};
use super::error::{ConfigError, Location};
use super::model::{Allowlist, Config, Rule, ValidationConfig};
use super::spec::{AllowlistSpec, BuiltinFile, ConfigFile, RuleSpec, ValidationSpec};

/// The rule files under `rules/`, embedded at compile time by `build.rs`.
const BUILTIN_FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
/// The same files as JSON without their examples and validators, for scans (see
/// `build.rs`); an empty
/// text for a file that does not parse.
const BUILTIN_FILES_FOR_SCANS: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/builtin_rules_for_scans.rs"));

/// Whether the built-in rules are loaded whole, with their examples and validators:
/// checking rules and `--validate` need them. Without them, the rules come from JSON
/// written at build time, which is much quicker to read than the TOML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Examples {
    Load,
    Skip,
}

/// File names the scanned root is searched for, in order, when no `--config` is given.
pub const ROOT_CONFIG_NAMES: &[&str] = &[".leakhound.toml", ".gitleaks.toml"];

/// How far `[extend] path` chains may go.
const MAX_EXTEND_DEPTH: usize = 3;

/// The built-in rules, as embedded in the binary, with their examples.
pub fn builtin() -> Result<Config, ConfigError> {
    builtin_with(Examples::Load)
}

/// The built-in rules, with or without their examples.
pub fn builtin_with(examples: Examples) -> Result<Config, ConfigError> {
    let mut config = Config::default();
    for (index, (name, text)) in BUILTIN_FILES.iter().enumerate() {
        let file = match (examples, BUILTIN_FILES_FOR_SCANS[index].1) {
            (Examples::Skip, json) if !json.is_empty() => parse_builtin_json(name, json)?,
            _ => parse_file(name, text, Trust::Builtin)?,
        };
        config.rules.extend(file.rules);
        config.allowlists.extend(file.allowlists);
    }
    config.sources.push("built-in rules".to_string());
    ensure_unique_ids(&config.rules)?;
    Ok(config)
}

/// The configuration for a scan: `explicit` (`--config`) if given, else the first of
/// [`ROOT_CONFIG_NAMES`] found in `root`, else the built-in rules.
pub fn resolve(
    explicit: Option<&Path>,
    root: Option<&Path>,
    examples: Examples,
) -> Result<Config, ConfigError> {
    if let Some(path) = explicit {
        return load_file(path, examples);
    }
    let found = root.and_then(|root| {
        ROOT_CONFIG_NAMES
            .iter()
            .map(|name| root.join(name))
            // Anything at the name counts: a directory, a FIFO or a link to a device there
            // is an error, not a reason to fall back to the built-in rules.
            .find(|candidate| crate::aux_file::something_at(candidate))
    });
    match found {
        Some(path) => load_file(&path, examples),
        None => builtin_with(examples),
    }
}

/// A user configuration file, with its `[extend]` chain resolved.
/// `examples` says whether built-in rules it extends come with their examples.
pub fn load_file(path: &Path, examples: Examples) -> Result<Config, ConfigError> {
    load_file_at_depth(path, 0, examples)
}

fn load_file_at_depth(
    path: &Path,
    depth: usize,
    examples: Examples,
) -> Result<Config, ConfigError> {
    let display = path.display().to_string();
    let text = crate::aux_file::read_to_string(path, crate::aux_file::SMALL_FILE_LIMIT).map_err(
        |reason| ConfigError::Read {
            path: display.clone(),
            reason,
        },
    )?;
    let file = parse_file(&display, &text, Trust::User)?;

    let mut base = match &file.extend {
        Some(extend) if extend.use_default => builtin_with(examples)?,
        Some(extend) if extend.path.is_some() => {
            if depth >= MAX_EXTEND_DEPTH {
                return Err(ConfigError::invalid(
                    &display,
                    None,
                    format!("[extend] chain is deeper than {MAX_EXTEND_DEPTH} files"),
                ));
            }
            let relative = PathBuf::from(extend.path.as_deref().unwrap_or_default());
            let target = path.parent().unwrap_or(Path::new(".")).join(relative);
            load_file_at_depth(&target, depth + 1, examples)?
        }
        // A file with allowlists but no rules of its own would disable every rule; read
        // it as an extension of the defaults instead.
        None if file.rules.is_empty() => builtin_with(examples)?,
        _ => Config::default(),
    };

    if let Some(extend) = &file.extend {
        for id in &extend.disabled_rules {
            if !base.rules.iter().any(|rule| &rule.id == id) {
                return Err(ConfigError::invalid(
                    &display,
                    None,
                    format!("[extend] disabledRules names `{id}`, which is not a rule"),
                )
                .with_hint("`leakhound rules list` shows the ids of the rules"));
            }
        }
        base.rules
            .retain(|rule| !extend.disabled_rules.contains(&rule.id));
    }
    // A rule with the id of a base rule replaces it.
    let own_ids: HashSet<&str> = file.rules.iter().map(|rule| rule.id.as_str()).collect();
    base.rules
        .retain(|rule| !own_ids.contains(rule.id.as_str()));
    base.rules.extend(file.rules);
    base.allowlists.extend(file.allowlists);
    if let Some(validation) = file.validation {
        base.validation = check_validation(&display, path, validation)?;
    }
    base.sources.push(display);
    ensure_unique_ids(&base.rules)?;
    Ok(base)
}

/// One parsed file before `[extend]` is applied.
struct ParsedFile {
    rules: Vec<Rule>,
    allowlists: Vec<Allowlist>,
    extend: Option<super::spec::ExtendSpec>,
    validation: Option<ValidationSpec>,
}

/// Checks `[validation]` of the config at `path` (shown as `display`).
fn check_validation(
    display: &str,
    path: &Path,
    spec: ValidationSpec,
) -> Result<ValidationConfig, ConfigError> {
    for endpoint in &spec.endpoints {
        let shaped = endpoint
            .split_once('=')
            .is_some_and(|(host, base)| !host.trim().is_empty() && base.trim().starts_with("http"));
        if !shaped {
            return Err(ConfigError::invalid(
                display,
                None,
                format!("[validation] endpoints: `{endpoint}` is not HOST=BASE_URL"),
            )
            .with_hint(
                "write endpoints = [\"api.github.com=https://github.example.com/api/v3\"]",
            ));
        }
    }
    for (name, value) in [
        ("concurrency", spec.concurrency),
        ("per_host", spec.per_host),
    ] {
        if value == Some(0) {
            return Err(
                ConfigError::invalid(display, None, format!("[validation] {name} = 0"))
                    .with_hint("at least 1 request must be allowed at once"),
            );
        }
    }
    let base = path.parent().unwrap_or(Path::new("."));
    Ok(ValidationConfig {
        endpoints: spec.endpoints,
        ca_file: spec.ca_file.map(|file| base.join(file)),
        concurrency: spec.concurrency,
        per_host: spec.per_host,
        timeout: spec.timeout.map(std::time::Duration::from_secs),
    })
}

fn parse_file(path: &str, text: &str, trust: Trust) -> Result<ParsedFile, ConfigError> {
    let file: ConfigFile = toml::from_str(text).map_err(|error| ConfigError::Syntax {
        path: path.to_string(),
        at: Location(error.span().map(|span| line_and_column(text, span.start))),
        message: error.message().trim().to_string(),
    })?;

    // Each rule is checked right after it is read, so the first broken rule is the one
    // reported, whatever is wrong with it.
    let specs = file.rules.into_iter().enumerate().map(|(index, value)| {
        let id = match value.get("id") {
            Some(id) => id.as_str().map(str::to_string).ok_or_else(|| {
                let number = index + 1;
                ConfigError::invalid(
                    path,
                    None,
                    format!("rule #{number}: `id = {id}` is not a string"),
                )
                .with_hint(format!(
                    "write the id in quotes: id = \"{}\"",
                    id.to_string().trim_matches('"')
                ))
            }),
            None => {
                Err(
                    ConfigError::invalid(path, None, format!("rule #{} has no `id`", index + 1))
                        .with_hint("every [[rules]] entry needs a unique id = \"...\""),
                )
            }
        }?;
        value
            .try_into()
            .map_err(|error: toml::de::Error| rule_shape_error(path, &id, &error))
    });
    let allowlists = file.allowlists.into_iter().chain(file.allowlist);
    let (rules, allowlists) = check_file(path, specs, allowlists, trust)?;
    Ok(ParsedFile {
        rules,
        allowlists,
        extend: file.extend,
        validation: file.validation,
    })
}

/// A user's rule file given as text, for tests of the checks.
#[cfg(test)]
pub(super) fn parse_user_text(text: &str) -> Result<Vec<Rule>, ConfigError> {
    parse_file("test.toml", text, Trust::User).map(|file| file.rules)
}

/// A built-in rule file as embedded for scans (see `build.rs`): JSON read straight into
/// rule specs, several times faster than the TOML it came from.
fn parse_builtin_json(path: &str, json: &str) -> Result<ParsedFile, ConfigError> {
    let file: BuiltinFile = serde_json::from_str(json).map_err(|error| ConfigError::Syntax {
        path: path.to_string(),
        at: Location(None),
        message: error.to_string(),
    })?;
    let (rules, allowlists) = check_file(
        path,
        file.rules.into_iter().map(Ok),
        file.allowlists,
        Trust::Builtin,
    )?;
    Ok(ParsedFile {
        rules,
        allowlists,
        extend: None,
        validation: None,
    })
}

/// The checks every file's rules and allowlists go through, whatever it was written in.
fn check_file(
    path: &str,
    specs: impl IntoIterator<Item = Result<RuleSpec, ConfigError>>,
    allowlist_specs: impl IntoIterator<Item = AllowlistSpec>,
    trust: Trust,
) -> Result<(Vec<Rule>, Vec<Allowlist>), ConfigError> {
    let mut rules = Vec::new();
    let mut seen = HashSet::new();
    for spec in specs {
        let rule = check_rule(path, spec?, trust)?;
        if !seen.insert(rule.id.clone()) {
            return Err(
                ConfigError::invalid(path, Some(&rule.id), "the id is used twice")
                    .with_hint("rule ids must be unique; rename or remove one of them"),
            );
        }
        rules.push(rule);
    }
    let allowlists = allowlist_specs
        .into_iter()
        .map(|spec| check_allowlist(path, None, spec, trust))
        .collect::<Result<_, _>>()?;
    Ok((rules, allowlists))
}

fn ensure_unique_ids(rules: &[Rule]) -> Result<(), ConfigError> {
    let mut seen = HashSet::new();
    for rule in rules {
        if !seen.insert(rule.id.as_str()) {
            return Err(ConfigError::invalid(
                &rule.origin,
                Some(&rule.id),
                "the id is defined in two files",
            )
            .with_hint("rule ids must be unique across all rule files"));
        }
    }
    Ok(())
}

/// 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Condition, RegexTarget, Severity};

    fn parse_user(text: &str) -> Result<ParsedFile, ConfigError> {
        parse_file("test.toml", text, Trust::User)
    }

    #[test]
    fn scans_load_the_same_built_in_rules_without_their_examples() {
        let whole = builtin_with(Examples::Load).unwrap();
        let stripped = builtin_with(Examples::Skip).unwrap();
        assert!(stripped.rules.iter().all(|rule| rule.examples.is_empty()));
        let without_examples = |config: &Config| -> Vec<String> {
            config
                .rules
                .iter()
                .map(|rule| {
                    let mut rule = rule.clone();
                    rule.examples.clear();
                    rule.negative_examples.clear();
                    format!("{rule:?}")
                })
                .collect()
        };
        assert_eq!(without_examples(&whole), without_examples(&stripped));
        assert_eq!(
            format!("{:?}", whole.allowlists),
            format!("{:?}", stripped.allowlists)
        );
    }

    #[test]
    fn gitleaks_style_rule_loads_with_every_field() {
        let file = parse_user(
            r#"
            title = "custom"
            [[rules]]
            id = "acme-token"
            description = "Acme API token"
            regex = '''acme_([a-z0-9]{32})'''
            secretGroup = 1
            entropy = 3.5
            keywords = ["ACME_"]
            path = '''\.py$'''
            tags = ["acme"]
            [[rules.allowlists]]
            condition = "AND"
            regexTarget = "line"
            regexes = ['''test''']
            stopwords = ["DUMMY"]
            paths = ['''^tests/''']
            [rules.allowlist]
            regexes = ['''^0+$''']
            [[allowlists]]
            targetRules = ["acme-token"]
            paths = ['''vendor/''']
            "#,
        )
        .unwrap();
        let rule = &file.rules[0];
        assert_eq!(rule.keywords, ["acme_"]);
        assert_eq!(rule.secret_group, Some(1));
        assert_eq!(rule.allowlists.len(), 2);
        assert_eq!(rule.allowlists[0].condition, Condition::And);
        assert_eq!(rule.allowlists[0].regex_target, RegexTarget::Line);
        assert_eq!(rule.allowlists[0].stopwords, ["dummy"]);
        assert_eq!(rule.severity, Severity::Medium);
        assert_eq!(file.allowlists[0].target_rules, ["acme-token"]);
    }

    #[test]
    fn broken_regex_names_file_rule_and_hint() {
        let error = parse_user("[[rules]]\nid = \"bad\"\nregex = '''(unclosed'''\n")
            .err()
            .unwrap()
            .to_string();
        assert!(
            error.starts_with("rule `bad` in test.toml: regex does not compile"),
            "{error}"
        );
        assert!(
            error.contains("hint: write regexes as TOML literal strings"),
            "{error}"
        );
    }

    #[test]
    fn misspelt_key_suggests_the_right_one() {
        let error = parse_user("[[rules]]\nid = \"x\"\nregex = 'a'\nsecretgroup = 1\n")
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("unknown field `secretgroup`"), "{error}");
        assert!(error.contains("did you mean `secretGroup`?"), "{error}");
    }

    #[test]
    fn toml_syntax_error_gives_line_and_column() {
        let error = parse_user("[[rules]]\nid = \"x\nregex = 'a'\n")
            .err()
            .unwrap()
            .to_string();
        assert!(
            error.starts_with("config test.toml: invalid TOML at line 2"),
            "{error}"
        );
    }

    #[test]
    fn secret_group_beyond_the_groups_is_rejected() {
        let error = parse_user("[[rules]]\nid = \"x\"\nregex = '(a)b'\nsecretGroup = 2\n")
            .err()
            .unwrap()
            .to_string();
        assert!(
            error.contains("secretGroup = 2, but the regex has 1 capture group"),
            "{error}"
        );
    }

    #[test]
    fn unknown_severity_lists_the_known_ones() {
        let error = parse_user("[[rules]]\nid = \"x\"\nregex = 'a'\nseverity = \"urgent\"\n")
            .err()
            .unwrap()
            .to_string();
        assert!(
            error.contains("use one of: critical, high, medium, low, info"),
            "{error}"
        );
    }

    #[test]
    fn rule_without_regex_or_path_is_rejected() {
        let error = parse_user("[[rules]]\nid = \"x\"\n")
            .err()
            .unwrap()
            .to_string();
        assert!(
            error.contains("no `regex`, `path` or `detector`"),
            "{error}"
        );
    }

    #[test]
    fn duplicate_ids_in_one_file_are_rejected() {
        let error =
            parse_user("[[rules]]\nid = \"x\"\nregex = 'a'\n[[rules]]\nid = \"x\"\nregex = 'b'\n")
                .err()
                .unwrap()
                .to_string();
        assert!(error.contains("the id is used twice"), "{error}");
    }

    #[test]
    fn builtin_rules_load_and_have_unique_ids() {
        let config = builtin().unwrap();
        assert!(!config.rules.is_empty());
    }

    #[test]
    fn extend_use_default_adds_user_rules_and_disables_named_ones() {
        let dir = tempfile::tempdir().unwrap();
        let builtin_rules = builtin().unwrap();
        let disabled = &builtin_rules.rules[0].id;
        let path = dir.path().join("custom.toml");
        std::fs::write(
            &path,
            format!(
                "[extend]\nuseDefault = true\ndisabledRules = [\"{disabled}\"]\n[[rules]]\nid = \"mine\"\nregex = 'mine_[0-9]+'\nkeywords = [\"mine_\"]\n"
            ),
        )
        .unwrap();
        let config = load_file(&path, Examples::Load).unwrap();
        assert!(config.rules.iter().any(|rule| rule.id == "mine"));
        assert!(!config.rules.iter().any(|rule| &rule.id == disabled));
        assert_eq!(config.rules.len(), builtin_rules.rules.len());
    }

    #[test]
    fn config_with_rules_and_no_extend_replaces_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("only.toml");
        std::fs::write(&path, "[[rules]]\nid = \"mine\"\nregex = 'mine'\n").unwrap();
        let config = load_file(&path, Examples::Load).unwrap();
        assert_eq!(config.rules.len(), 1);
    }

    #[test]
    fn config_with_only_allowlists_extends_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".leakhound.toml");
        std::fs::write(&path, "[[allowlists]]\npaths = ['''^fixtures/''']\n").unwrap();
        let config = resolve(None, Some(dir.path()), Examples::Load).unwrap();
        assert_eq!(config.rules.len(), builtin().unwrap().rules.len());
        assert_eq!(
            config.allowlists.len(),
            builtin().unwrap().allowlists.len() + 1
        );
    }

    #[test]
    fn a_validation_table_is_read_with_its_ca_file_next_to_the_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".leakhound.toml");
        std::fs::write(
            &path,
            "[extend]\nuseDefault = true\n[validation]\nendpoints = [\"api.github.com=https://ghe.example/api/v3\"]\nca_file = \"corp.pem\"\nper_host = 1\ntimeout = 5\n",
        )
        .unwrap();
        let config = load_file(&path, Examples::Skip).unwrap();
        assert_eq!(
            config.validation.endpoints,
            ["api.github.com=https://ghe.example/api/v3"]
        );
        assert_eq!(config.validation.ca_file, Some(dir.path().join("corp.pem")));
        assert_eq!(config.validation.per_host, Some(1));
        std::fs::write(&path, "[validation]\nendpoints = [\"ghe.example\"]\n").unwrap();
        let error = load_file(&path, Examples::Skip).unwrap_err().to_string();
        assert!(error.contains("is not HOST=BASE_URL"), "{error}");
    }

    #[test]
    fn extend_path_is_relative_to_the_extending_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("base.toml"),
            "[[rules]]\nid = \"base\"\nregex = 'b'\n",
        )
        .unwrap();
        let path = dir.path().join("top.toml");
        std::fs::write(
            &path,
            "[extend]\npath = \"base.toml\"\n[[rules]]\nid = \"top\"\nregex = 't'\n",
        )
        .unwrap();
        let ids: Vec<_> = load_file(&path, Examples::Load)
            .unwrap()
            .rules
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, ["base", "top"]);
    }
}
