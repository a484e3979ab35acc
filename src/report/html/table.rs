//! The findings table: one row per finding, in report order, with its redacted secret,
//! location, commit, fingerprint and fix. Plain HTML; the script sorts it (by the `data-`
//! attributes of each row) and filters it (severity, confidence, a group from the tables
//! above, and free-text search), and the controls stay hidden without it.
//!
//! A browser lays out one table of 10,000 rows for seconds. So the rows go into tables of
//! [`CHUNK`] rows with fixed column widths, each in a box the browser may skip while it is
//! off screen (`content-visibility: auto`), under one header table: the page opens in
//! about the time it takes to parse.

use std::io;

use crate::finding::{Finding, FindingKind, redact};

use super::groups::author;
use super::page::escape;
use super::{CONFIDENCES, Row, SEVERITIES, View};

/// Characters of the matched text shown; the first line only.
const MATCH_SHOWN: usize = 100;

/// Rows per table.
pub const CHUNK: usize = 200;

/// The columns, by their `<col>` class, for this view.
fn columns(view: &View<'_>) -> Vec<&'static str> {
    let mut columns = vec!["c-n", "c-sev", "c-rule", "c-loc"];
    if view.history {
        columns.push("c-intro");
    }
    columns.push("c-secret");
    if view.knows_head() {
        columns.push("c-head");
    }
    columns.push("c-fix");
    columns
}

fn write_colgroup(columns: &[&str], out: &mut dyn io::Write) -> io::Result<()> {
    write!(out, "<colgroup>")?;
    for column in columns {
        write!(out, "<col class=\"{column}\">")?;
    }
    write!(out, "</colgroup>")
}

pub fn write_findings(view: &View<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let total = view.rows.len();
    let columns = columns(view);
    writeln!(out, "<section id=\"findings\">\n<h2>Findings</h2>")?;
    write_controls(view, total, out)?;
    write!(out, "<table id=\"findings-head\" class=\"findings head\">")?;
    write_colgroup(&columns, out)?;
    write!(
        out,
        "<thead><tr>\
         <th scope=\"col\" class=\"n\" data-sort=\"index\" aria-sort=\"ascending\">#</th>\
         <th scope=\"col\" data-sort=\"severity\" data-first=\"descending\">Severity</th>\
         <th scope=\"col\" data-sort=\"rule\">Rule</th>\
         <th scope=\"col\" data-sort=\"path\">Location</th>"
    )?;
    if view.history {
        write!(
            out,
            "<th scope=\"col\" data-sort=\"time\" data-first=\"descending\">Introduced</th>"
        )?;
    }
    write!(out, "<th scope=\"col\">Secret, fingerprint</th>")?;
    if view.knows_head() {
        write!(
            out,
            "<th scope=\"col\" data-sort=\"head\" data-first=\"descending\">In HEAD</th>"
        )?;
    }
    writeln!(
        out,
        "<th scope=\"col\">What to do</th></tr></thead></table>"
    )?;
    writeln!(out, "<div id=\"findings-table\" data-chunk=\"{CHUNK}\">")?;
    for (chunk, rows) in view.rows.chunks(CHUNK).enumerate() {
        let first = chunk * CHUNK + 1;
        write!(
            out,
            "<div class=\"chunk\"><table class=\"findings\" aria-label=\"Findings {first} to {}\">",
            first + rows.len() - 1
        )?;
        write_colgroup(&columns, out)?;
        writeln!(out, "<tbody>")?;
        for (offset, row) in rows.iter().enumerate() {
            write_row(view, first + offset, row, out)?;
        }
        writeln!(out, "</tbody></table></div>")?;
    }
    writeln!(out, "</div>")?;
    if total == 0 {
        writeln!(out, "<p class=\"muted\">No secrets found.</p>")?;
    }
    writeln!(out, "</section>")
}

fn write_controls(view: &View<'_>, total: usize, out: &mut dyn io::Write) -> io::Result<()> {
    write!(
        out,
        "<div id=\"controls\" class=\"controls\" hidden>\
         <label>Search <input id=\"search\" type=\"search\" placeholder=\"path, rule, author, commit, fingerprint\" autocomplete=\"off\" spellcheck=\"false\"></label> \
         <label>Severity <select id=\"filter-severity\"><option value=\"\">all</option>"
    )?;
    for severity in SEVERITIES {
        write!(out, "<option value=\"{severity}\">{severity}</option>")?;
    }
    write!(
        out,
        "</select></label> <label>Confidence <select id=\"filter-confidence\"><option value=\"\">all</option>"
    )?;
    for confidence in CONFIDENCES {
        write!(out, "<option value=\"{confidence}\">{confidence}</option>")?;
    }
    write!(out, "</select></label> ")?;
    if view.knows_head() {
        write!(
            out,
            "<label>In HEAD <select id=\"filter-head\"><option value=\"\">all</option><option value=\"yes\">yes</option><option value=\"no\">no</option></select></label> "
        )?;
    }
    writeln!(
        out,
        "<span id=\"facet\" class=\"facet\" hidden><span id=\"facet-label\"></span> <button type=\"button\" id=\"facet-clear\">show all</button></span> \
         <span class=\"shown\"><span id=\"shown\">{total}</span> of {total} shown</span></div>"
    )
}

fn write_row(
    view: &View<'_>,
    index: usize,
    row: &Row<'_>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let finding = row.finding;
    write!(
        out,
        "<tr id=\"finding-{index}\" data-severity=\"{}\" data-confidence=\"{}\" data-rule=\"{}\" data-path=\"{}\"",
        finding.severity,
        finding.confidence,
        escape(&finding.rule_id),
        escape(&finding.path),
    )?;
    if let Some(author) = author(finding) {
        write!(out, " data-author=\"{}\"", escape(&author))?;
    }
    if let Some(time) = row.time {
        write!(out, " data-time=\"{time}\"")?;
    }
    if let Some(in_head) = row.in_head {
        write!(out, " data-head=\"{}\"", yes_no(in_head))?;
    }
    if let Some(validation) = &finding.validation {
        write!(out, " data-validation=\"{}\"", validation.status())?;
    }
    write!(
        out,
        "><td class=\"n\">{index}</td><td><span class=\"badge sev-{severity}\">{severity}</span> <span class=\"conf conf-{confidence}\"",
        severity = finding.severity,
        confidence = finding.confidence
    )?;
    if let Some(reason) = finding.confidence_reason {
        write!(out, " title=\"{}\"", escape(reason))?;
    }
    write!(
        out,
        ">{}</span></td><td><code>{}</code><div class=\"muted\">{}</div>",
        finding.confidence,
        escape(&finding.rule_id),
        escape(&finding.description)
    )?;
    for tag in finding
        .tags
        .iter()
        .filter(|tag| tag.starts_with("decoded:"))
    {
        write!(out, "<div class=\"tag\">{}</div>", escape(tag))?;
    }
    write!(out, "</td><td class=\"loc\">")?;
    write_location(view, finding, out)?;
    write!(out, "</td>")?;
    if view.history {
        write!(out, "<td class=\"intro\">")?;
        write_introduced(view, finding, out)?;
        write!(out, "</td>")?;
    }
    write!(out, "<td>")?;
    match finding.kind {
        FindingKind::Content => write!(
            out,
            "<code class=\"secret\">{}</code>",
            escape(&redact(&finding.secret, view.input.redaction))
        )?,
        FindingKind::File => write!(out, "<span class=\"muted\">the file itself</span>")?,
        FindingKind::Posture => write!(
            out,
            "<span class=\"muted\">posture, resource</span> <code>{}</code>",
            escape(&finding.shown_secret(view.input.redaction))
        )?,
    }
    if let Some(validation) = &finding.validation {
        write!(
            out,
            "<div class=\"validation val-{}\">{}</div>",
            validation.status(),
            escape(&validation.summary())
        )?;
    }
    write!(
        out,
        "<div class=\"fp\"><code>{}</code></div></td>",
        escape(&finding.fingerprint)
    )?;
    if view.knows_head() {
        match row.in_head {
            Some(in_head) => write!(out, "<td class=\"head head-{0}\">{0}</td>", yes_no(in_head))?,
            None => write!(out, "<td class=\"head muted\">unknown</td>")?,
        }
    }
    writeln!(
        out,
        "<td class=\"fix\">{}</td></tr>",
        escape(&finding.remediation)
    )
}

fn write_location(view: &View<'_>, finding: &Finding, out: &mut dyn io::Write) -> io::Result<()> {
    let line = (finding.kind != FindingKind::File).then_some(finding.start.line);
    let link = view
        .links
        .as_ref()
        .zip(finding.commit.as_ref())
        .and_then(|(links, commit)| links.file(&commit.id, &finding.path, line));
    if let Some(repository) = &finding.repository {
        write!(
            out,
            "<span class=\"repository\">{}</span> ",
            escape(repository)
        )?;
    }
    match &link {
        Some(link) => write!(
            out,
            "<a class=\"path\" href=\"{}\" rel=\"noreferrer\">{}</a>",
            escape(link),
            escape(&finding.path)
        )?,
        None => write!(out, "<span class=\"path\">{}</span>", escape(&finding.path))?,
    }
    match finding.kind {
        FindingKind::Content | FindingKind::Posture => {
            write!(out, ":{}:{}", finding.start.line, finding.start.column)?;
            let matched = finding.shown_match(view.input.redaction);
            if finding.matched == finding.secret {
                return Ok(());
            }
            write!(
                out,
                "<div><code class=\"match\">{}</code></div>",
                escape(&first_line(&matched, MATCH_SHOWN))
            )
        }
        FindingKind::File => write!(out, " <span class=\"muted\">(the file)</span>"),
    }
}

fn write_introduced(view: &View<'_>, finding: &Finding, out: &mut dyn io::Write) -> io::Result<()> {
    let Some(commit) = &finding.commit else {
        return write!(out, "<span class=\"muted\">no commit</span>");
    };
    let short = commit.id.get(..12).unwrap_or(&commit.id);
    match view
        .links
        .as_ref()
        .and_then(|links| links.commit(&commit.id))
    {
        Some(link) => write!(
            out,
            "<a href=\"{}\" rel=\"noreferrer\"><code>{}</code></a>",
            escape(&link),
            escape(short)
        )?,
        None => write!(out, "<code>{}</code>", escape(short))?,
    }
    write!(
        out,
        " {}<div>{} &lt;{}&gt;</div><div class=\"msg\">{}</div>",
        escape(commit.date.get(..10).unwrap_or(&commit.date)),
        escape(&commit.author_name),
        escape(&commit.author_email),
        escape(&commit.summary)
    )?;
    if let Some(seen) = &finding.occurrences {
        write!(
            out,
            "<div class=\"muted\">{} {}, {} {}</div>",
            seen.commits,
            if seen.commits == 1 {
                "commit"
            } else {
                "commits"
            },
            seen.refs,
            if seen.refs == 1 { "ref" } else { "refs" }
        )?;
    }
    Ok(())
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

/// The first line of `text`, at most `limit` characters, with an ellipsis when cut.
fn first_line(text: &str, limit: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    let cut: String = line.chars().take(limit).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_multi_line_matches_are_cut_with_an_ellipsis() {
        assert_eq!(
            first_line("-----BEGIN KEY-----\nabc", 100),
            "-----BEGIN KEY-----…"
        );
        assert_eq!(first_line("abcdef", 3), "abc…");
        assert_eq!(first_line("short", 100), "short");
    }
}
