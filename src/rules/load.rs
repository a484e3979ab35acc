//! Loading configuration: the embedded defaults, a user's file, `[extend]`, and the checks
//! that turn [`RuleSpec`]s into [`Rule`]s with errors that say what to fix.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::context;
use super::error::{ConfigError, Location};
use super::go_regex;
use super::model::{
    Allowlist, Condition, Confidence, Config, Detector, Example, RegexTarget, Rule, Severity,
};
use super::spec::{AllowlistSpec, BuiltinFile, ConfigFile, ExampleSpec, RULE_KEYS, RuleSpec};

/// The rule files under `rules/`, embedded at compile time by `build.rs`.
const BUILTIN_FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));
/// The same files as JSON without their examples, for scans (see `build.rs`); an empty
/// text for a file that does not parse.
const BUILTIN_FILES_FOR_SCANS: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/builtin_rules_for_scans.rs"));

/// Whether the built-in rules are loaded with their examples: only checking rules needs
/// them. Without them, the rules come from JSON written at build time, which is much
/// quicker to read than the TOML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Examples {
    Load,
    Skip,
}

/// File names the scanned root is searched for, in order, when no `--config` is given.
pub const ROOT_CONFIG_NAMES: &[&str] = &[".leakhound.toml", ".gitleaks.toml"];

/// How far `[extend] path` chains may go.
const MAX_EXTEND_DEPTH: usize = 3;

/// Whether regexes are checked when loading. Built-in rules are checked by the test
/// suite, so start-up does not pay for parsing hundreds of regexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    Builtin,
    User,
}

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
    base.sources.push(display);
    ensure_unique_ids(&base.rules)?;
    Ok(base)
}

/// One parsed file before `[extend]` is applied.
struct ParsedFile {
    rules: Vec<Rule>,
    allowlists: Vec<Allowlist>,
    extend: Option<super::spec::ExtendSpec>,
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
    })
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

fn rule_shape_error(path: &str, id: &str, error: &toml::de::Error) -> ConfigError {
    let message = error.message().trim().to_string();
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_string);
    let error = ConfigError::invalid(path, Some(id), message);
    match unknown.and_then(|key| closest_key(&key)) {
        Some(suggestion) => error.with_hint(format!("did you mean `{suggestion}`?")),
        None => error,
    }
}

/// The known rule key closest to a misspelt one, if any is close.
fn closest_key(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase().replace(['_', '-'], "");
    RULE_KEYS
        .iter()
        .copied()
        .find(|known| known.to_ascii_lowercase().replace('_', "") == lower)
        .or_else(|| {
            RULE_KEYS
                .iter()
                .copied()
                .map(|known| (edit_distance(&lower, &known.to_ascii_lowercase()), known))
                .filter(|(distance, _)| *distance <= 2)
                .min_by_key(|(distance, _)| *distance)
                .map(|(_, known)| known)
        })
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

fn check_rule(path: &str, spec: RuleSpec, trust: Trust) -> Result<Rule, ConfigError> {
    let mut spec = spec;
    if trust == Trust::User {
        spec.regex = spec.regex.as_deref().map(go_regex::translate);
        spec.path = spec.path.as_deref().map(go_regex::translate);
    }
    let id = spec.id.trim().to_string();
    let fail = |message: String| ConfigError::invalid(path, Some(&id), message);
    if id.is_empty() {
        return Err(ConfigError::invalid(path, None, "a rule has an empty `id`"));
    }
    let context = if !spec.names.is_empty() || spec.token.is_some() {
        Some(expand_context(&mut spec).map_err(|message| {
            fail(message).with_hint(
                "a compact rule has names = [\"provider\"] and token = \"hex32\" (or alnum20-40, b64url43, uuid, ...), and no regex or keywords",
            )
        })?)
    } else {
        None
    };
    if spec.regex.is_none() && spec.path.is_none() && spec.detector.is_none() {
        return Err(
            fail("the rule has no `regex`, `path` or `detector`".into()).with_hint(
                "add regex = '''...''' to match content, or path = '''...''' to match file names",
            ),
        );
    }
    let detector = match spec.detector.as_deref() {
        None => None,
        Some(_) if spec.regex.is_some() => {
            return Err(fail(
                "a rule has either `regex` or `detector`, not both".into(),
            ));
        }
        Some(name) => Some(Detector::parse(name).ok_or_else(|| {
            let known: Vec<&str> = Detector::ALL.iter().map(|(name, _)| *name).collect();
            fail(format!("unknown detector `{name}`"))
                .with_hint(format!("use one of: {}", known.join(", ")))
        })?),
    };
    if trust == Trust::User {
        if let Some(regex) = &spec.regex {
            let groups = check_regex(path, &id, "regex", regex)?;
            if let Some(group) = spec.secret_group
                && group > groups
            {
                return Err(fail(format!(
                    "secretGroup = {group}, but the regex has {groups} capture group(s)"
                ))
                .with_hint("count the opening parentheses of capturing groups; use (?:...) for groups that are not the secret"));
            }
        }
        if let Some(path_regex) = &spec.path {
            check_regex(path, &id, "path", path_regex)?;
        }
    }
    if let Some(entropy) = spec.entropy
        && !(0.0..=8.0).contains(&entropy)
    {
        return Err(
            fail(format!("entropy = {entropy} is out of range")).with_hint(
                "Shannon entropy of bytes is between 0 and 8; 3.0 to 4.5 suits most tokens",
            ),
        );
    }
    let severity = match spec.severity.as_deref() {
        None => Severity::Medium,
        Some(name) => Severity::parse(name).ok_or_else(|| {
            fail(format!("unknown severity `{name}`"))
                .with_hint(format!("use one of: {}", Severity::NAMES.join(", ")))
        })?,
    };
    let confidence = match spec.confidence.as_deref() {
        None => None,
        Some(name) => Some(Confidence::parse(name).ok_or_else(|| {
            fail(format!("unknown confidence `{name}`"))
                .with_hint(format!("use one of: {}", Confidence::NAMES.join(", ")))
        })?),
    };
    if spec.keywords.iter().any(|keyword| keyword.is_empty()) {
        return Err(fail("a keyword is empty".into())
            .with_hint("an empty keyword would match every file; remove it"));
    }
    let mut allowlists = Vec::new();
    for allowlist in spec.allowlists.into_iter().chain(spec.allowlist) {
        if !allowlist.target_rules.is_empty() {
            return Err(fail(
                "`targetRules` belongs in a global [[allowlists]] entry".into(),
            ));
        }
        allowlists.push(check_allowlist(path, Some(&id), allowlist, trust)?);
    }
    Ok(Rule {
        description: spec.description.unwrap_or_else(|| id.clone()),
        regex: spec.regex,
        detector,
        secret_group: spec.secret_group,
        entropy: spec.entropy,
        keywords: spec
            .keywords
            .iter()
            .map(|keyword| keyword.to_ascii_lowercase())
            .collect(),
        path: spec.path,
        tags: spec.tags,
        allowlists,
        severity,
        confidence,
        context,
        remediation: spec.remediation.unwrap_or_default(),
        examples: spec.examples.into_iter().map(example).collect(),
        negative_examples: spec.negative_examples.into_iter().map(example).collect(),
        origin: path.to_string(),
        id,
    })
}

/// Turns a compact provider-context rule into the regex, keywords and entropy floor it
/// stands for. (Placeholders that fit the key's shape are dropped by the engine.)
fn expand_context(spec: &mut RuleSpec) -> Result<context::KeySpec, String> {
    if spec.regex.is_some() || spec.detector.is_some() || !spec.keywords.is_empty() {
        return Err("a compact rule (`names` and `token`) has no `regex`, `detector` or `keywords`: they are made from it".into());
    }
    let Some(tokens) = spec.token.take() else {
        return Err("`names` needs `token`, the key's shape".into());
    };
    let expanded = context::expand(
        &spec.names,
        &tokens.into_vec(),
        spec.near,
        spec.prefix.as_deref(),
    )?;
    spec.regex = Some(expanded.regex);
    spec.keywords = expanded.keywords;
    spec.entropy = Some(spec.entropy.unwrap_or(expanded.entropy));
    if !spec.tags.iter().any(|tag| tag == "context") {
        spec.tags.push("context".to_string());
    }
    Ok(expanded.key)
}

fn example(spec: ExampleSpec) -> Example {
    match spec {
        ExampleSpec::Text(text) => Example { path: None, text },
        ExampleSpec::File { path, text } => Example {
            path,
            text: text.unwrap_or_default(),
        },
    }
}

fn check_allowlist(
    path: &str,
    rule: Option<&str>,
    spec: AllowlistSpec,
    trust: Trust,
) -> Result<Allowlist, ConfigError> {
    let mut spec = spec;
    if trust == Trust::User {
        spec.regexes = spec
            .regexes
            .iter()
            .map(|regex| go_regex::translate(regex))
            .collect();
        spec.paths = spec
            .paths
            .iter()
            .map(|regex| go_regex::translate(regex))
            .collect();
    }
    let owner = rule.unwrap_or("[[allowlists]]");
    let fail = |message: String| ConfigError::invalid(path, rule, message);
    let condition = match spec
        .condition
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("OR") => Condition::Or,
        Some("AND") => Condition::And,
        Some(other) => {
            return Err(fail(format!("allowlist condition `{other}` is unknown"))
                .with_hint("use condition = \"OR\" or condition = \"AND\""));
        }
    };
    let regex_target = match spec.regex_target.as_deref() {
        None | Some("secret") => RegexTarget::Secret,
        Some("match") => RegexTarget::Match,
        Some("line") => RegexTarget::Line,
        Some(other) => {
            return Err(fail(format!("allowlist regexTarget `{other}` is unknown"))
                .with_hint("use regexTarget = \"secret\", \"match\" or \"line\""));
        }
    };
    if trust == Trust::User {
        for regex in spec.regexes.iter().chain(&spec.paths) {
            check_regex(path, owner, "allowlist regex", regex)?;
        }
    }
    Ok(Allowlist {
        description: spec.description,
        condition,
        regex_target,
        regexes: spec.regexes,
        stopwords: spec
            .stopwords
            .iter()
            .map(|w| w.to_ascii_lowercase())
            .collect(),
        paths: spec.paths,
        commits: spec.commits,
        target_rules: spec.target_rules,
    })
}

/// Parses a rule regex as the engine compiles it: ASCII classes, like Go's regexp, and
/// Unicode only for a regex that needs it (`\p{..}`).
pub fn parse_regex(regex: &str) -> Result<regex_syntax::hir::Hir, Box<regex_syntax::Error>> {
    let parse = |unicode: bool| {
        regex_syntax::ParserBuilder::new()
            .utf8(false)
            .unicode(unicode)
            .build()
            .parse(regex)
            .map_err(Box::new)
    };
    parse(false).or_else(|_| parse(true))
}

/// Parses (without compiling) a regex; returns its number of capture groups.
fn check_regex(path: &str, owner: &str, field: &str, regex: &str) -> Result<usize, ConfigError> {
    let hir = parse_regex(regex)
        .map_err(|error| {
            let detail = error.to_string();
            let first_error_line = detail
                .lines()
                .rfind(|line| line.starts_with("error:"))
                .unwrap_or(detail.lines().last().unwrap_or_default())
                .trim_start_matches("error: ");
            ConfigError::invalid(
                path,
                Some(owner),
                format!("{field} does not compile: {first_error_line}"),
            )
            .with_hint(
                "write regexes as TOML literal strings (regex = '''...''') so backslashes are kept as written; look-around and backreferences are not supported",
            )
        })?;
    check_compiled_size(path, owner, field, regex)?;
    Ok(hir.properties().explicit_captures_len())
}

/// The most a user's regex may take once compiled: twice the largest built-in rule. Counted
/// repetitions multiply (`(a{1000}){1000}` is a million states), and matching costs grow
/// with the size: past this, a megabyte of the right bytes would stall the scan.
pub const USER_REGEX_SIZE_LIMIT: usize = 1 << 20;

fn check_compiled_size(
    path: &str,
    owner: &str,
    field: &str,
    regex: &str,
) -> Result<(), ConfigError> {
    let build = |unicode: bool| {
        regex::bytes::RegexBuilder::new(regex)
            .unicode(unicode)
            .size_limit(USER_REGEX_SIZE_LIMIT)
            .build()
    };
    match build(false).or_else(|_| build(true)) {
        Err(regex::Error::CompiledTooBig(limit)) => Err(ConfigError::invalid(
            path,
            Some(owner),
            format!("{field} is too large once compiled (over {} MiB)", limit >> 20),
        )
        .with_hint(
            "counted repetitions multiply: bound them less (`{1,64}`) or use `+`, and split a long alternation into several rules",
        )),
        _ => Ok(()),
    }
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
