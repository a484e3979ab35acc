//! `leakhound staged` (pre-commit and pre-push) and `leakhound install-hook`.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use crate::finding::{Finding, FindingKind};
use crate::scan::staged::scan_changes;
use crate::source::git::{PushedRef, Repository, StagedChanges, parse_pre_push};

use super::finish::{Deliver, finish};
use super::output::{self, print_hint};
use super::setup::{self, Posture};
use super::{CommonArgs, Exit};

#[derive(Debug, Args)]
pub struct StagedCommand {
    /// Repository to scan (default: the one containing the current directory; `GIT_DIR` wins)
    #[arg(long, value_name = "DIR")]
    pub repo: Option<PathBuf>,

    /// Scan the commits being pushed, reading git's pre-push lines from standard input
    /// (also when `PRE_COMMIT_FROM_REF` and `PRE_COMMIT_TO_REF` are set)
    #[arg(long)]
    pub pre_push: bool,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct InstallHookCommand {
    /// Repository to install the hook in (default: the one containing the current directory)
    #[arg(long, value_name = "DIR")]
    pub repo: Option<PathBuf>,

    /// Replace an existing pre-commit hook
    #[arg(long)]
    pub force: bool,
}

/// What is being checked, for the closing message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Commit,
    Push,
}

pub fn run(command: StagedCommand) -> anyhow::Result<Exit> {
    let mut settings = setup::resolve(&command.common, Posture::Off);
    let start = command.repo.as_deref().unwrap_or(Path::new("."));
    let repo = Repository::open_for_hook(start)?;
    let root = repo.root().to_path_buf();
    let config = setup::load_config(Some(&root), &settings, command.common.validation.validate)?;
    setup::resolve_validation(&mut settings, &command.common.validation, config)?;
    let rule_set = setup::compile_rules(config, &settings);
    let filters = setup::load_filters(Some(&root), &settings)?;
    let push = pushed_refs(&command, &repo)?;
    if push.is_none() && repo.is_bare() && !settings.quiet() {
        eprintln!(
            "note: {} is a bare repository: it has no index, so no commit is being prepared and nothing was checked",
            repo.git_dir().display()
        );
        print_hint(
            "audit its commits with `leakhound history`, or check pushes with `leakhound staged --pre-push`",
        );
    }
    let (max_file_size, threads) = (settings.max_file_size, settings.threads);
    let (changes, stage) = match &push {
        Some(refs) => (
            StagedChanges::pushed(repo, refs, max_file_size, threads)?,
            Stage::Push,
        ),
        None => (
            StagedChanges::next_commit(repo, max_file_size, threads)?,
            Stage::Commit,
        ),
    };
    let report = scan_changes(rule_set, &changes);
    let (exit, report) = finish(
        report,
        &filters,
        rule_set.rules(),
        &settings,
        Deliver::Report(None),
    )?;
    if matches!(exit, Exit::Findings(code) if code != 0) && !settings.quiet() {
        eprintln!("{}", blocked_message(stage, &report.findings));
    }
    Ok(exit)
}

/// The ref updates to scan in pre-push mode, or `None` for a pre-commit scan.
///
/// The pre-commit framework passes what a push sends as `PRE_COMMIT_FROM_REF` and
/// `PRE_COMMIT_TO_REF`; when the push includes a root commit it sets neither and passes
/// only the pushed ref (`PRE_COMMIT_LOCAL_BRANCH`, with `PRE_COMMIT_REMOTE_NAME`): then
/// every commit that no remote-tracking branch has is scanned.
fn pushed_refs(
    command: &StagedCommand,
    repo: &Repository,
) -> anyhow::Result<Option<Vec<PushedRef>>> {
    let env = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    if let (Some(from), Some(to)) = (env("PRE_COMMIT_FROM_REF"), env("PRE_COMMIT_TO_REF")) {
        let resolve = |name: &str, revision: &str| {
            repo.resolve_revision(revision)
                .with_context(|| format!("resolving {name}"))
        };
        return Ok(Some(vec![PushedRef {
            local: resolve("PRE_COMMIT_TO_REF", &to)?,
            remote: resolve("PRE_COMMIT_FROM_REF", &from)?,
        }]));
    }
    if let (Some(_), Some(local)) = (
        env("PRE_COMMIT_REMOTE_NAME"),
        env("PRE_COMMIT_LOCAL_BRANCH"),
    ) {
        let local = repo
            .resolve_revision(&local)
            .context("resolving PRE_COMMIT_LOCAL_BRANCH")?;
        return Ok(Some(vec![PushedRef {
            local,
            remote: None,
        }]));
    }
    if !command.pre_push {
        return Ok(None);
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        anyhow::bail!(
            "--pre-push reads git's pre-push lines from standard input; run it from a pre-push hook"
        );
    }
    // Git writes one short line per pushed ref; a cap keeps `< /dev/zero` from filling memory.
    let mut text = String::new();
    stdin
        .take(crate::aux_file::SMALL_FILE_LIMIT)
        .read_to_string(&mut text)
        .context("reading the pre-push lines from standard input")?;
    Ok(Some(parse_pre_push(&text)?))
}

/// `commit blocked: 1 secret in config.py:12 (aws-access-key-id). Remove it, ...`
fn blocked_message(stage: Stage, findings: &[Finding]) -> String {
    const SHOWN: usize = 3;
    let what = match stage {
        Stage::Commit => "commit",
        Stage::Push => "push",
    };
    let mut places: Vec<String> = findings
        .iter()
        .take(SHOWN)
        .map(|finding| {
            let place = match finding.kind {
                FindingKind::Content | FindingKind::Posture => {
                    format!("{}:{}", finding.path, finding.start.line)
                }
                FindingKind::File => finding.path.clone(),
            };
            let commit = finding
                .commit
                .as_ref()
                .map(|commit| format!(" in commit {}", &commit.id[..commit.id.len().min(12)]))
                .unwrap_or_default();
            crate::finding::escape_control(&format!("{place} ({}){commit}", finding.rule_id))
        })
        .collect();
    if findings.len() > SHOWN {
        places.push(format!("and {} more", findings.len() - SHOWN));
    }
    let (count, pronoun) = if findings.len() == 1 {
        ("1 secret".to_string(), "it")
    } else {
        (format!("{} secrets", findings.len()), "them")
    };
    format!(
        "{what} blocked: {count} in {}. Remove {pronoun}, or mark a false positive with `leakhound:allow`.",
        places.join(", ")
    )
}

const HOOK_MARKER: &str = "written by `leakhound install-hook`";

fn hook_script() -> String {
    format!(
        r#"#!/bin/sh
# git pre-commit hook, {HOOK_MARKER}: blocks commits that add secrets.
# Skip it once with `git commit --no-verify`.
if ! command -v leakhound >/dev/null 2>&1; then
    echo "leakhound pre-commit hook: \`leakhound\` is not on PATH; install it (cargo install leakhound) or remove this hook ($0)" >&2
    exit 1
fi
exec leakhound staged
"#
    )
}

pub fn install_hook(command: InstallHookCommand) -> anyhow::Result<Exit> {
    let start = command.repo.as_deref().unwrap_or(Path::new("."));
    let repo = Repository::open_for_hook(start)?;
    let hooks = repo.hooks_dir()?;
    let hook = hooks.join("pre-commit");
    if hook.symlink_metadata().is_ok() && !command.force {
        return Err(output::Hinted::error(
            anyhow::anyhow!("{} already exists", hook.display()),
            "add `leakhound staged` to that hook yourself, or rerun with --force to replace it",
        ));
    }
    std::fs::create_dir_all(&hooks)
        .with_context(|| format!("creating hooks directory {}", hooks.display()))?;
    if hook.symlink_metadata().is_ok() {
        // Replace a symlink itself rather than writing through it.
        std::fs::remove_file(&hook)
            .with_context(|| format!("removing the old hook {}", hook.display()))?;
    }
    std::fs::write(&hook, hook_script()).with_context(|| format!("writing {}", hook.display()))?;
    make_executable(&hook)?;
    println!(
        "installed {}: each commit now runs `leakhound staged`",
        hook.display()
    );
    Ok(Exit::Clean)
}

#[cfg(unix)]
fn make_executable(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("making {} executable", path.display()))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> anyhow::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Position;
    use crate::rules::Severity;

    fn finding(path: &str, line: usize, rule: &str, kind: FindingKind) -> Finding {
        let position = Position { line, column: 1 };
        Finding {
            rule_id: rule.into(),
            description: String::new(),
            severity: Severity::High,
            confidence: Default::default(),
            confidence_reason: None,
            remediation: String::new(),
            tags: Vec::new(),
            kind,
            path: path.into(),
            start: position,
            end: position,
            secret: "s".into(),
            matched: "s".into(),
            entropy: 0.0,
            fingerprint: String::new(),
            commit: None,
            occurrences: None,
            repository: None,
            validation: None,
        }
    }

    #[test]
    fn blocked_message_names_the_place_and_rule() {
        let findings = [finding(
            "config.py",
            12,
            "aws-access-key-id",
            FindingKind::Content,
        )];
        assert_eq!(
            blocked_message(Stage::Commit, &findings),
            "commit blocked: 1 secret in config.py:12 (aws-access-key-id). Remove it, or mark a false positive with `leakhound:allow`."
        );
    }

    #[test]
    fn blocked_message_lists_three_places_then_counts_the_rest() {
        let findings: Vec<Finding> = (1..=5)
            .map(|line| finding("a.env", line, "r", FindingKind::Content))
            .chain([finding(".env", 1, "dotenv-file", FindingKind::File)])
            .collect();
        let message = blocked_message(Stage::Push, &findings);
        assert!(
            message.starts_with("push blocked: 6 secrets in a.env:1 (r), a.env:2 (r), a.env:3 (r), and 3 more. Remove them"),
            "{message}"
        );
    }
}
