//! Snapshots of what people read: the text output of every command (report on stdout,
//! notes and closing messages on stderr) and the messages for broken configurations.
//! Temporary paths are replaced by `[REPO]`, and the repositories are built with fixed
//! dates and identities, so commit ids are the same on every run.

mod common;

use common::{TestRepo, fake};

/// stdout and stderr of a run, with the repository's path and the run's duration blanked.
fn transcript(repo: &TestRepo, args: &[&str], stdin: &str) -> String {
    let output = repo
        .cmd(args)
        .write_stdin(stdin)
        .env("NO_COLOR", "1")
        .output()
        .expect("running leakhound");
    let blank = |text: &[u8]| {
        let text = String::from_utf8_lossy(text);
        let root = repo.path().display().to_string();
        let canonical = std::fs::canonicalize(repo.path())
            .map(|path| path.display().to_string())
            .unwrap_or_else(|_| root.clone());
        let text = text.replace(&canonical, "[REPO]").replace(&root, "[REPO]");
        duration_free(&text)
    };
    format!(
        "$ leakhound {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        output.status.code().unwrap_or(-1),
        blank(&output.stdout),
        blank(&output.stderr)
    )
}

/// `in 12 ms` / `12.3 s` in summaries vary from run to run.
fn duration_free(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" in ") {
        out.push_str(&rest[..at + 4]);
        rest = &rest[at + 4..];
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        if digits > 0 && (rest[digits..].starts_with(" ms") || rest[digits..].starts_with(" s")) {
            out.push('T');
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

/// A repository with a token and a password committed, and a key id staged.
fn repo_with_secrets() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit("README.md", "# demo\n");
    repo.commit(
        "config/app.py",
        format!("GITHUB_TOKEN = \"{}\"\n", fake::github_pat()),
    );
    repo.commit(
        ".env.production",
        format!("DB_PASSWORD={}\n", fake::password()),
    );
    repo.stage(
        "deploy/keys.py",
        format!("aws_access_key_id = \"{}\"\n", fake::aws_access_key_id()),
    );
    repo
}

#[test]
fn scan_text_output() {
    let repo = repo_with_secrets();
    insta::assert_snapshot!(transcript(&repo, &["scan", "."], ""));
}

#[test]
fn scan_text_output_verbose_with_a_skipped_file() {
    let repo = repo_with_secrets();
    repo.write("blob.bin", b"\x00\x01binary".as_slice());
    insta::assert_snapshot!(transcript(&repo, &["scan", ".", "-v"], ""));
}

#[test]
fn staged_text_output_blocks_the_commit() {
    let repo = repo_with_secrets();
    insta::assert_snapshot!(transcript(&repo, &["staged"], ""));
}

#[test]
fn staged_pre_push_text_output() {
    let repo = repo_with_secrets();
    let head = repo.head();
    let zeros = "0".repeat(40);
    let line = format!("refs/heads/main {head} refs/heads/main {zeros}\n");
    insta::assert_snapshot!(transcript(&repo, &["staged", "--pre-push"], &line));
}

#[test]
fn history_text_output() {
    let repo = repo_with_secrets();
    insta::assert_snapshot!(transcript(&repo, &["history", "."], ""));
}

#[test]
fn history_outside_a_repository_says_what_to_do() {
    let dir = TestRepo::plain_dir();
    let text = transcript(&dir, &["history", "."], "");
    // gix's own explanation follows as `caused by:` lines; the first lines and the hint
    // are ours.
    let ours: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("caused by:"))
        .collect();
    insta::assert_snapshot!(ours.join("\n"));
}

#[test]
fn scrub_plan_summary() {
    let repo = repo_with_secrets();
    let plan = TestRepo::plain_dir();
    let out = plan.path().join("plan");
    let text = transcript(&repo, &["scrub-plan", ".", "-o", out.to_str().unwrap()], "");
    insta::assert_snapshot!(text.replace(&plan.path().display().to_string(), "[PLAN]"));
}

#[test]
fn install_hook_messages() {
    let repo = TestRepo::new();
    let first = transcript(&repo, &["install-hook"], "");
    let again = transcript(&repo, &["install-hook"], "");
    insta::assert_snapshot!(format!("{first}\n{again}"));
}

/// Config errors: each broken `.leakhound.toml` names the file, the rule and the fix.
#[test]
fn config_error_messages() {
    let cases: &[(&str, &str)] = &[
        ("not TOML", "[[rules]\nid = \"x\"\n"),
        (
            "unknown field",
            "[[rules]]\nid = \"x\"\nregex = \"abc\"\nkeywords = [\"abc\"]\nseverity = \"high\"\nfrobnicate = 1\n",
        ),
        (
            "bad regex",
            "[[rules]]\nid = \"broken\"\nregex = \"(unclosed\"\nkeywords = [\"unclosed\"]\n",
        ),
        (
            "duplicate id",
            "[[rules]]\nid = \"twice\"\nregex = \"a1\"\nkeywords = [\"a1\"]\n\n[[rules]]\nid = \"twice\"\nregex = \"b2\"\nkeywords = [\"b2\"]\n",
        ),
        (
            "regex too large",
            "[[rules]]\nid = \"huge\"\nregex = \"(a{1000}){1000}\"\nkeywords = [\"a\"]\n",
        ),
        (
            "rule without regex or path",
            "[[rules]]\nid = \"empty\"\ndescription = \"nothing to match\"\n",
        ),
        (
            "compact rule with an unknown token shape",
            "[[rules]]\nid = \"acme-key\"\nnames = [\"acme\"]\ntoken = \"hexagonal32\"\n",
        ),
    ];
    let mut all = String::new();
    for (what, config) in cases {
        let repo = TestRepo::plain_dir();
        repo.write(".leakhound.toml", config);
        all.push_str(&format!(
            "## {what}\n{}\n",
            transcript(&repo, &["scan", "."], "")
        ));
    }
    insta::assert_snapshot!(all);
}
