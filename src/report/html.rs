//! `--format html`: one self-contained page for the people who act on a scan: a summary,
//! a timeline of when the secrets entered the history, tables by rule, path, author and
//! repository, and every finding with its redacted secret, location, fingerprint and fix.
//!
//! Nothing is loaded from anywhere: the style sheet and the script are inline and the
//! page's Content-Security-Policy admits only them ([`page`]). The summary and the tables
//! are plain HTML, so the page reads with JavaScript off; the script adds sorting,
//! filtering and search. Every value from the scanned content (paths, commit messages,
//! author names) goes through [`page::escape`], and secrets through
//! [`crate::finding::redact`].

mod groups;
mod links;
pub mod page;
mod table;
mod timeline;

use std::io;

use crate::finding::Finding;
use crate::rules::{Confidence, Severity};

use super::{ReportInput, Repository};
use links::RemoteLinks;
pub(crate) use links::display_remote;
use page::{Script, escape, human_bytes, plural};

/// Severities from the most severe down, as the page lists them.
const SEVERITIES: [Severity; 5] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Info,
];

const CONFIDENCES: [Confidence; 3] = [Confidence::High, Confidence::Medium, Confidence::Low];

/// One finding with what the page derives for it.
struct Row<'a> {
    finding: &'a Finding,
    /// Whether HEAD still holds the secret; `None` when that is not known.
    in_head: Option<bool>,
    /// When the introducing commit was made, in seconds since 1970 (UTC).
    time: Option<i64>,
}

/// The findings and everything derived from them once.
struct View<'a> {
    input: &'a ReportInput<'a>,
    repository: Option<&'a Repository>,
    links: Option<RemoteLinks>,
    rows: Vec<Row<'a>>,
    /// The findings came from a history scan (they carry commits).
    history: bool,
}

impl<'a> View<'a> {
    fn new(input: &'a ReportInput<'a>) -> View<'a> {
        let repository = input.run.repository.as_ref();
        let head = repository.and_then(|repository| repository.head.as_deref());
        let rows = input
            .findings
            .iter()
            .map(|finding| Row {
                finding,
                in_head: head
                    .zip(finding.occurrences.as_ref())
                    .map(|(head, seen)| seen.places.iter().any(|place| &*place.commit == head)),
                time: finding
                    .commit
                    .as_ref()
                    .and_then(|commit| timeline::parse_rfc3339(&commit.date)),
            })
            .collect();
        View {
            input,
            repository,
            links: repository
                .and_then(|repository| repository.remote_url.as_deref())
                .and_then(RemoteLinks::parse),
            rows,
            history: repository.is_some()
                || input
                    .findings
                    .iter()
                    .any(|finding| finding.commit.is_some()),
        }
    }

    fn count_severity(&self, severity: Severity) -> usize {
        self.input
            .findings
            .iter()
            .filter(|finding| finding.severity == severity)
            .count()
    }

    fn count_confidence(&self, confidence: Confidence) -> usize {
        self.input
            .findings
            .iter()
            .filter(|finding| finding.confidence == confidence)
            .count()
    }

    /// Whether the page can say, for each finding, whether HEAD still holds it.
    fn knows_head(&self) -> bool {
        self.repository
            .is_some_and(|repository| repository.head.is_some())
    }
}

pub fn write_html(input: &ReportInput<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let view = View::new(input);
    let findings = input.findings.len();
    let title = match view.repository {
        Some(repository) => format!(
            "leakhound: {findings} {} in {}",
            plural(findings, "finding", "findings"),
            repository.name
        ),
        None => format!(
            "leakhound: {findings} {}",
            plural(findings, "finding", "findings")
        ),
    };
    page::write_head(out, &title, Script::Report)?;
    write_header(&view, &title, out)?;
    writeln!(out, "<main>")?;
    write_summary(&view, out)?;
    if view.history {
        timeline::write_timeline(&view, out)?;
    }
    groups::write_groups(&view, out)?;
    table::write_findings(&view, out)?;
    writeln!(out, "</main>")?;
    writeln!(
        out,
        "<footer><p>Written by leakhound {}. Secrets are {}. Fingerprints are salted hashes, not secrets.</p></footer>",
        env!("CARGO_PKG_VERSION"),
        match input.redaction {
            crate::finding::Redaction::Partial | crate::finding::Redaction::Done =>
                "redacted (--show-secrets shows them)",
            crate::finding::Redaction::None =>
                "shown in full (--show-secrets): keep this page private",
        }
    )?;
    page::write_tail(out, Script::Report)
}

fn write_header(view: &View<'_>, title: &str, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(out, "<header class=\"top\">\n<h1>{}</h1>", escape(title))?;
    write!(
        out,
        "<p class=\"meta\">leakhound {}",
        env!("CARGO_PKG_VERSION")
    )?;
    if !view.input.run.command.is_empty() {
        write!(
            out,
            " · <code class=\"command\">{}</code>",
            escape(&command_line(&view.input.run.command))
        )?;
    }
    writeln!(out, "</p>")?;
    if view.input.redaction == crate::finding::Redaction::None {
        writeln!(
            out,
            "<p class=\"warning\">This page shows secrets in full (--show-secrets): do not attach it to tickets or share it.</p>"
        )?;
    }
    write!(out, "<nav class=\"toc\"><a href=\"#summary\">Summary</a>")?;
    if view.history {
        write!(out, " <a href=\"#timeline\">Timeline</a>")?;
    }
    write!(
        out,
        " <a href=\"#by-rule\">By rule</a> <a href=\"#by-path\">By path</a>"
    )?;
    if view.history {
        write!(out, " <a href=\"#by-author\">By author</a>")?;
    }
    if view.repository.is_some() {
        write!(out, " <a href=\"#by-repository\">By repository</a>")?;
    }
    writeln!(out, " <a href=\"#findings\">Findings</a></nav>\n</header>")
}

/// The command line as a shell would take it back: arguments quoted where needed.
fn command_line(args: &[String]) -> String {
    let quote = |arg: &String| {
        let plain = !arg.is_empty()
            && arg
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || b"-_./:=@,+%".contains(&byte));
        if plain {
            arg.clone()
        } else {
            format!("'{}'", arg.replace('\'', r"'\''"))
        }
    };
    args.iter().map(quote).collect::<Vec<_>>().join(" ")
}

fn write_summary(view: &View<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let stats = view.input.stats;
    writeln!(
        out,
        "<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">"
    )?;
    writeln!(
        out,
        "<div class=\"card total\"><span class=\"big\" data-count=\"findings\">{}</span> {}</div>",
        view.input.findings.len(),
        plural(view.input.findings.len(), "finding", "findings")
    )?;
    for severity in SEVERITIES {
        writeln!(
            out,
            "<div class=\"card sev-{severity}\"><span class=\"big\" data-count=\"severity:{severity}\">{}</span> {severity}</div>",
            view.count_severity(severity)
        )?;
    }
    writeln!(out, "</div>\n<table class=\"facts\">\n<tbody>")?;
    write!(out, "<tr><th scope=\"row\">Confidence</th><td>")?;
    for (index, confidence) in CONFIDENCES.into_iter().enumerate() {
        if index > 0 {
            write!(out, ", ")?;
        }
        write!(
            out,
            "<span class=\"conf conf-{confidence}\">{confidence}</span> <span data-count=\"confidence:{confidence}\">{}</span>",
            view.count_confidence(confidence)
        )?;
    }
    writeln!(out, "</td></tr>")?;
    if view.knows_head() {
        let in_head = view
            .rows
            .iter()
            .filter(|row| row.in_head == Some(true))
            .count();
        writeln!(
            out,
            "<tr><th scope=\"row\">Still in HEAD</th><td><span data-count=\"in-head\">{in_head}</span> of {} (the rest live only in older commits, which a rewrite must remove)</td></tr>",
            view.rows.len()
        )?;
    }
    let mut paths: Vec<&str> = view
        .input
        .findings
        .iter()
        .map(|finding| finding.path.as_str())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    writeln!(
        out,
        "<tr><th scope=\"row\">Files with findings</th><td data-count=\"paths\">{}</td></tr>",
        paths.len()
    )?;
    let unit = if view.history { "Blobs" } else { "Files" };
    writeln!(
        out,
        "<tr><th scope=\"row\">{unit} scanned</th><td data-count=\"files-scanned\">{}</td></tr>",
        stats.files_scanned
    )?;
    writeln!(
        out,
        "<tr><th scope=\"row\">Bytes scanned</th><td><span data-count=\"bytes-scanned\">{}</span> ({})</td></tr>",
        stats.bytes_scanned,
        human_bytes(stats.bytes_scanned)
    )?;
    writeln!(
        out,
        "<tr><th scope=\"row\">{unit} skipped</th><td data-count=\"files-skipped\">{}</td></tr>",
        stats.files_skipped
    )?;
    if let Some(repository) = view.repository {
        writeln!(
            out,
            "<tr><th scope=\"row\">Commits scanned</th><td data-count=\"commits-scanned\">{}</td></tr>",
            repository.commits_scanned
        )?;
    }
    writeln!(
        out,
        "<tr><th scope=\"row\">Duration</th><td>{} ms</td></tr>",
        stats.duration_ms
    )?;
    writeln!(out, "</tbody>\n</table>\n</section>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Redaction;
    use crate::report::Format;
    use crate::report::snapshot_tests::{render, render_run, sample_findings, sample_history_run};

    /// The page of the sample history scan.
    fn history_page(findings: &[Finding]) -> String {
        render_run(
            Format::Html,
            findings,
            Redaction::Partial,
            &sample_history_run(),
        )
    }

    #[test]
    fn markup_in_paths_commit_messages_and_names_renders_as_text() {
        let mut findings = sample_findings();
        let history = findings.last_mut().unwrap();
        history.path = "<img src=x onerror=alert(1)>.env".to_string();
        let commit = history.commit.as_mut().unwrap();
        commit.summary = "oops </script><script>alert(2)</script>".to_string();
        commit.author_name = "Mallory \"<b>\" O'Brien".to_string();
        findings[1].rule_id = "rule\"><svg onload=alert(3)>".to_string();
        let page = history_page(&findings);
        assert_eq!(
            page.matches("<script").count(),
            1,
            "only the page's own script"
        );
        assert_eq!(page.matches("</script>").count(), 1);
        assert!(!page.contains("<img"), "an <img> element");
        assert!(
            !page.contains("<svg onload"),
            "an <svg> element from a rule id"
        );
        assert!(!page.contains("<b>"));
        assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;.env"));
        assert!(page.contains("oops &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
        assert!(page.contains("Mallory &quot;&lt;b&gt;&quot; O&#39;Brien"));
        // In an attribute too, where a quote would end the value.
        assert!(page.contains("data-rule=\"rule&quot;&gt;&lt;svg onload=alert(3)&gt;\""));
    }

    #[test]
    fn history_findings_link_to_their_commit_and_file_on_the_host() {
        let page = history_page(&sample_findings());
        let commit = "8d3f2a1b4c5d6e7f8091a2b3c4d5e6f708192a3b";
        assert!(page.contains(&format!(
            "href=\"https://github.com/acme/widgets/blob/{commit}/old/creds.txt#L2\""
        )));
        assert!(page.contains(&format!(
            "href=\"https://github.com/acme/widgets/commit/{commit}\""
        )));
        // A file scan knows no remote: no links.
        let plain = render(Format::Html, &sample_findings(), Redaction::Partial);
        assert!(!plain.contains("https://github.com/acme"));
    }

    #[test]
    fn a_finding_whose_secret_head_still_carries_says_so() {
        let page = history_page(&sample_findings());
        // HEAD (9e4a3b...) is among the history finding's occurrences.
        assert!(page.contains("data-head=\"yes\""), "{page}");
        assert!(page.contains("<span data-count=\"in-head\">1</span>"));
        let mut run = sample_history_run();
        run.repository.as_mut().unwrap().head = Some("0".repeat(40));
        let moved_on = render_run(Format::Html, &sample_findings(), Redaction::Partial, &run);
        assert!(moved_on.contains("data-head=\"no\""));
        assert!(moved_on.contains("<span data-count=\"in-head\">0</span>"));
    }

    #[test]
    fn remote_credentials_never_reach_the_page() {
        let mut run = sample_history_run();
        let repository = run.repository.as_mut().unwrap();
        repository.remote_url = Some(
            [
                "https://deploy:",
                "hunter2-token",
                "@git.example.com/acme/widgets.git",
            ]
            .concat(),
        );
        let page = render_run(Format::Html, &sample_findings(), Redaction::Partial, &run);
        assert!(!page.contains("hunter2"), "{page}");
        assert!(page.contains("https://git.example.com/acme/widgets.git"));
    }

    #[test]
    fn the_summary_counts_match_the_findings() {
        let page = history_page(&sample_findings());
        for (key, count) in [
            ("findings", 4),
            ("severity:critical", 1),
            ("severity:high", 1),
            ("severity:medium", 1),
            ("severity:low", 1),
            ("severity:info", 0),
            ("confidence:medium", 4),
            ("commits-scanned", 17),
        ] {
            assert!(
                page.contains(&format!("data-count=\"{key}\">{count}<")),
                "{key} = {count}"
            );
        }
    }

    #[test]
    fn rows_come_in_tables_of_one_chunk_each() {
        let findings: Vec<Finding> = sample_findings()
            .into_iter()
            .cycle()
            .take(table::CHUNK * 2 + 1)
            .collect();
        let page = history_page(&findings);
        assert_eq!(page.matches("<div class=\"chunk\">").count(), 3);
        assert_eq!(page.matches("<tr id=\"finding-").count(), findings.len());
    }

    #[test]
    fn command_lines_are_quoted_where_a_shell_needs_it() {
        let args = ["leakhound", "scan", "my dir", "it's", "--format=html"].map(String::from);
        assert_eq!(
            command_line(&args),
            r"leakhound scan 'my dir' 'it'\''s' --format=html"
        );
    }
}
