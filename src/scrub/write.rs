//! Writes a [`Plan`] to a directory: `PLAN.md` and `PLAN.html` (to read; the page is
//! [`super::html`]), `plan.json` (for machines),
//! `replacements.txt` and `paths-to-remove.txt` (git-filter-repo's inputs) and `scrub.sh`
//! (the commands, in order, against a fresh mirror clone).
//!
//! Every file is private to the user (0600, the script 0700): `replacements.txt` holds the
//! raw secrets, and the others say where they are. Raw secrets go into no other file.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::replace::{REPLACEMENT, path_line, replacement_line};
use super::{Plan, PlannedSecret};

/// What the generated script needs to know beyond the plan.
#[derive(Debug, Clone)]
pub struct ScriptSettings {
    /// `--config` the scan used, so the verification scans with the same rules.
    pub config: Option<PathBuf>,
    /// `--decode-depth` the scan used.
    pub decode_depth: usize,
}

/// Writes the plan's files into `dir` (created if needed) and returns their paths.
pub fn write_plan(plan: &Plan, dir: &Path, settings: &ScriptSettings) -> io::Result<Vec<PathBuf>> {
    if !dir.exists() {
        if let Ok(link) = fs::read_link(dir) {
            // `create_dir_all` would fail with "File exists" on a dangling link.
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "{} is a symbolic link to {}, which does not exist; create that directory or name another",
                    dir.display(),
                    link.display()
                ),
            ));
        }
        fs::create_dir_all(dir)?;
        set_mode(dir, 0o700)?;
    }
    let mut replacements = String::new();
    for replacement in &plan.replacements {
        replacements.push_str(&replacement_line(&replacement.text, &replacement.with));
        replacements.push('\n');
    }
    let mut paths = String::from(
        "# Paths that leave history entirely (git filter-repo --invert-paths --paths-from-file)\n",
    );
    for path in &plan.paths_to_remove {
        paths.push_str(&path_line(path));
        paths.push('\n');
    }
    let json = serde_json::to_string_pretty(plan).map_err(io::Error::other)? + "\n";
    let contents: [(&str, String, u32); 6] = [
        ("PLAN.md", plan_markdown(plan), 0o600),
        ("PLAN.html", super::html::plan_html(plan), 0o600),
        ("plan.json", json, 0o600),
        ("replacements.txt", replacements, 0o600),
        ("paths-to-remove.txt", paths, 0o600),
        ("scrub.sh", scrub_script(plan, settings), 0o700),
    ];
    let mut written = Vec::new();
    for (name, text, mode) in contents {
        let path = dir.join(name);
        write_private(&path, text.as_bytes(), mode)?;
        written.push(path);
    }
    Ok(written)
}

/// Creates or truncates `path` with `mode`, tightening the mode of a file that was there.
fn write_private(path: &Path, data: &[u8], mode: u32) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    let mut file = options.open(path)?;
    // An existing file keeps its mode on open: set it before any secret goes in.
    set_mode(path, mode)?;
    file.write_all(data)?;
    file.sync_all()
}

fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

fn plan_markdown(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# History-scrub plan for `{}`\n", plan.repository);
    let _ = writeln!(
        out,
        "{} secret(s) were found in the history. The repository is compromised: **rotate every secret first**, \
         then rewrite the history. A rewrite alone does not help: clones, forks, caches and anyone who fetched \
         the history still have the old values.\n",
        plan.secrets.len()
    );
    let _ = writeln!(
        out,
        "`replacements.txt` in this directory holds the raw secrets: keep this directory private and delete it \
         when you are done.\n"
    );
    let _ = writeln!(
        out,
        "| # | Secret | Kind | First commit | Commits | Refs | In HEAD |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for secret in &plan.secrets {
        let first = secret
            .first_seen
            .as_ref()
            .map(|seen| format!("`{}` ({})", short(&seen.commit), seen.date))
            .unwrap_or_else(|| "unknown".to_string());
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} | {} |",
            secret.number,
            markdown_cell(&secret.redacted),
            secret.family_title,
            first,
            secret.commits,
            secret.refs,
            yes_no(secret.in_head)
        );
    }
    let _ = writeln!(out, "\n## 1. Rotate\n");
    for secret in &plan.secrets {
        secret_section(&mut out, secret);
    }
    let _ = writeln!(out, "## 2. Rewrite the history\n");
    let _ = writeln!(
        out,
        "`scrub.sh` works on a fresh mirror clone and never on your repository:\n\n\
         1. `git clone --mirror` of the repository (first argument; default: `{}`);\n\
         2. `git filter-repo --replace-text replacements.txt` (each secret becomes `{REPLACEMENT}`){}, \
         with `--prune-empty never` so every commit is kept, and with `--sensitive-data-removal` when the installed \
         git-filter-repo supports it (2.47 and later);\n\
         3. `leakhound history` on the rewritten mirror must report nothing, or the script stops;\n\
         4. it prints the push and clean-up steps below, and runs none of them.\n",
        plan.repository,
        if plan.paths_to_remove.is_empty() {
            String::new()
        } else {
            format!(
                " and `--invert-paths --paths-from-file paths-to-remove.txt` (removes {} path(s) from every commit)",
                plan.paths_to_remove.len()
            )
        }
    );
    if !plan.paths_to_remove.is_empty() {
        let _ = writeln!(out, "Paths removed from every commit:\n");
        for path in &plan.paths_to_remove {
            let _ = writeln!(out, "- `{}`", markdown_cell(path));
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "Run it with git-filter-repo and leakhound on `PATH`:\n\n    bash scrub.sh [REPOSITORY_URL_OR_PATH] [MIRROR_DIR]\n"
    );
    let _ = writeln!(out, "## 3. After the rewrite\n");
    for step in AFTER_REWRITE {
        let _ = writeln!(out, "- {step}");
    }
    out
}

fn secret_section(out: &mut String, secret: &PlannedSecret) {
    let _ = writeln!(
        out,
        "### {}. {} `{}`\n",
        secret.number,
        secret.family_title,
        markdown_cell(&secret.redacted)
    );
    let _ = writeln!(
        out,
        "- Detected as: {} ({})",
        secret.description,
        secret.rules.join(", ")
    );
    if let Some(seen) = &secret.first_seen {
        let _ = writeln!(
            out,
            "- First appeared: commit `{}` by {} <{}> on {}, in `{}` ({})",
            short(&seen.commit),
            seen.author_name,
            seen.author_email,
            seen.date,
            markdown_cell(&seen.path),
            seen.summary
        );
    }
    if let Some(status) = secret.validation {
        let _ = writeln!(
            out,
            "- Provider says: **{status}** (checked with `--validate`)"
        );
    }
    let _ = writeln!(
        out,
        "- Carried by {} commit(s), reachable from {} ref(s); in HEAD: {}",
        secret.commits,
        secret.refs,
        yes_no(secret.in_head)
    );
    let paths: Vec<String> = secret
        .paths
        .iter()
        .map(|path| format!("`{}`", markdown_cell(path)))
        .collect();
    let _ = writeln!(out, "- Paths: {}", paths.join(", "));
    if secret.remove_files {
        let _ = writeln!(
            out,
            "- Its files leave the history entirely (paths-to-remove.txt)"
        );
    }
    let _ = writeln!(out, "\nRotation checklist:\n");
    for step in &secret.rotation {
        let _ = writeln!(out, "- [ ] {step}");
    }
    let _ = writeln!(out);
}

pub(super) const AFTER_REWRITE: &[&str] = &[
    "Push the rewritten mirror over every ref: `git -C MIRROR push --force --mirror REPOSITORY` (the host refuses updates to read-only refs such as `refs/pull/*`: that is expected). Without --sensitive-data-removal, git-filter-repo removes the `origin` remote, so name the repository in full",
    "Tell every collaborator to re-clone. Old clones must not be pulled, merged or pushed: they would bring the secrets back",
    "Pull-request and merge-request refs and hosted caches keep the old commits: close or delete the affected pull requests, then ask the host to purge them. On GitHub, contact GitHub Support with the first changed commits (git-filter-repo --sensitive-data-removal prints them) to remove cached views and dereference the old commits; on GitLab, use Settings > Repository > Repository maintenance (remove blobs, prune unreachable objects) or contact support",
    "Delete or rewrite forks, CI caches and build artifacts that hold the old history",
    "Delete the mirror and this plan directory when you are done: replacements.txt holds the raw secrets",
];

fn scrub_script(plan: &Plan, settings: &ScriptSettings) -> String {
    let config = settings
        .config
        .as_ref()
        .map(|path| {
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            format!(" --config {}", shell_quote(&absolute.display().to_string()))
        })
        .unwrap_or_default()
        + &format!(" --decode-depth {}", settings.decode_depth);
    let repository = std::path::absolute(&plan.repository)
        .map(|path| path.display().to_string())
        .unwrap_or_else(|_| plan.repository.clone());
    let mut after = String::new();
    for (index, step) in AFTER_REWRITE.iter().enumerate() {
        let _ = writeln!(
            after,
            "{}. {}",
            index + 1,
            step.replace("MIRROR", "$mirror")
                .replace("REPOSITORY", "$source_repo")
        );
    }
    SCRIPT_TEMPLATE
        .replace("@REPOSITORY@", &shell_quote(&repository))
        .replace("@CONFIG@", &config)
        .replace("@AFTER@", &after.replace('`', "'"))
}

const SCRIPT_TEMPLATE: &str = r#"#!/usr/bin/env bash
# Written by `leakhound scrub-plan`: rewrites a fresh mirror clone of the repository without
# the secrets in replacements.txt and the files in paths-to-remove.txt (both next to this
# script), checks the result with `leakhound history`, and prints what to do next.
# It never changes the repository it clones, and it pushes nothing.
#   usage: bash scrub.sh [REPOSITORY_URL_OR_PATH] [MIRROR_DIR]
#   env:   LEAKHOUND=path/to/leakhound (default: leakhound on PATH)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_repo=${1:-@REPOSITORY@}
mirror=${2:-"$here/mirror.git"}
leakhound=${LEAKHOUND:-leakhound}

if [ -e "$mirror" ]; then
  echo "error: $mirror already exists; remove it or name another directory as the second argument" >&2
  exit 1
fi
if ! git filter-repo --version >/dev/null 2>&1; then
  echo "error: git-filter-repo is not installed (pip install git-filter-repo, or your package manager)" >&2
  exit 1
fi
if ! command -v "$leakhound" >/dev/null 2>&1; then
  echo "error: leakhound is not on PATH; set LEAKHOUND=path/to/leakhound" >&2
  exit 1
fi

echo "==> 1/3 mirror clone of $source_repo into $mirror"
git clone --quiet --mirror --no-local "$source_repo" "$mirror"
# Findings judged false positives in the source repository stay judged in the mirror.
if [ -f "$source_repo/.leakhoundignore" ]; then
  cp "$source_repo/.leakhoundignore" "$mirror/.leakhoundignore"
fi

echo "==> 2/3 git filter-repo"
# --prune-empty never: a commit that only added a removed file stays, so the history keeps its shape.
filter_args=(--replace-text "$here/replacements.txt" --prune-empty never)
if grep -q -v -e '^#' -e '^$' "$here/paths-to-remove.txt"; then
  filter_args+=(--invert-paths --paths-from-file "$here/paths-to-remove.txt")
fi
# `git filter-repo --version` prints a commit id, not a release number: ask its help instead.
if git filter-repo -h 2>/dev/null | grep -q -e '--sensitive-data-removal'; then
  filter_args+=(--sensitive-data-removal)
else
  echo "note: this git-filter-repo ($(git filter-repo --version)) has no --sensitive-data-removal (2.47 and later); the rewrite is the same, but it will not list the first changed commits for the host's support" >&2
fi
(cd "$mirror" && git filter-repo "${filter_args[@]}")

echo "==> 3/3 verification: leakhound history on the rewritten mirror"
if ! "$leakhound" history "$mirror" --quiet@CONFIG@; then
  echo "error: the rewritten mirror at $mirror still holds secrets (listed above); do not push it" >&2
  echo "hint: add what is left to replacements.txt or paths-to-remove.txt and run again with a new mirror directory" >&2
  exit 1
fi

cat <<EOF

The rewritten history in $mirror holds none of the planned secrets.
Nothing has been pushed. Rotate every secret in PLAN.md first if you have not yet, then:

@AFTER@EOF
"#;

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn short(commit: &str) -> &str {
    commit.get(..12).unwrap_or(commit)
}

fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

/// Text safe inside a Markdown code span in a table: no backticks, pipes or line breaks.
fn markdown_cell(text: &str) -> String {
    crate::finding::escape_control(text)
        .replace('`', "'")
        .replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting_survives_single_quotes() {
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
