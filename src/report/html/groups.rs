//! The tables that group findings: by rule, by path, by author (history scans) and by
//! repository. Each group links to the findings table; with JavaScript on, following the
//! link filters the table to the group.

use std::collections::HashMap;
use std::io;

use crate::finding::Finding;
use crate::rules::Severity;

use super::links::display_remote;
use super::page::escape;
use super::{Row, View};

/// Paths and authors listed at most; the findings table holds them all.
const MAX_LISTED: usize = 30;

pub fn write_groups(view: &View<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    write_by_rule(view, out)?;
    write_by_path(view, out)?;
    if view.history {
        write_by_author(view, out)?;
    }
    if view.repository.is_some() {
        write_by_repository(view, out)?;
    }
    Ok(())
}

/// `Name <email>`, as the findings table's `data-author` holds it.
pub fn author(finding: &Finding) -> Option<String> {
    let commit = finding.commit.as_ref()?;
    Some(format!("{} <{}>", commit.author_name, commit.author_email))
}

fn facet_link(
    out: &mut dyn io::Write,
    facet: &str,
    value: &str,
    text: &str,
    code: bool,
) -> io::Result<()> {
    let (open, close) = if code {
        ("<code>", "</code>")
    } else {
        ("", "")
    };
    write!(
        out,
        "<a href=\"#findings\" data-facet=\"{facet}\" data-value=\"{}\">{open}{}{close}</a>",
        escape(value),
        escape(text)
    )
}

fn severity_badge(out: &mut dyn io::Write, severity: Severity) -> io::Result<()> {
    write!(
        out,
        "<span class=\"badge sev-{severity}\">{severity}</span>"
    )
}

fn write_by_rule(view: &View<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let mut rules: HashMap<&str, (&Finding, usize)> = HashMap::new();
    for finding in view.input.findings {
        rules.entry(&finding.rule_id).or_insert((finding, 0)).1 += 1;
    }
    let mut rules: Vec<(&Finding, usize)> = rules.into_values().collect();
    rules.sort_by(|(a, a_count), (b, b_count)| {
        b.severity
            .cmp(&a.severity)
            .then(b_count.cmp(a_count))
            .then(a.rule_id.cmp(&b.rule_id))
    });
    writeln!(
        out,
        "<section id=\"by-rule\">\n<h2>By rule</h2>\n<table class=\"groups\">\n<thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Severity</th><th scope=\"col\" class=\"n\">Findings</th><th scope=\"col\">What to do</th></tr></thead>\n<tbody>"
    )?;
    for (finding, count) in &rules {
        write!(out, "<tr><td>")?;
        facet_link(out, "rule", &finding.rule_id, &finding.rule_id, true)?;
        write!(
            out,
            "<div class=\"muted\">{}</div></td><td>",
            escape(&finding.description)
        )?;
        severity_badge(out, finding.severity)?;
        writeln!(
            out,
            "</td><td class=\"n\" data-count=\"rule:{}\">{count}</td><td>{}</td></tr>",
            escape(&finding.rule_id),
            escape(&finding.remediation)
        )?;
    }
    if rules.is_empty() {
        writeln!(
            out,
            "<tr><td colspan=\"4\" class=\"muted\">No findings.</td></tr>"
        )?;
    }
    writeln!(out, "</tbody>\n</table>\n</section>")
}

fn write_by_path(view: &View<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let mut paths: HashMap<&str, (Severity, usize)> = HashMap::new();
    for finding in view.input.findings {
        let entry = paths.entry(&finding.path).or_insert((finding.severity, 0));
        entry.0 = entry.0.max(finding.severity);
        entry.1 += 1;
    }
    let mut paths: Vec<(&str, Severity, usize)> = paths
        .into_iter()
        .map(|(path, (severity, count))| (path, severity, count))
        .collect();
    paths.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
    writeln!(
        out,
        "<section id=\"by-path\">\n<h2>By path</h2>\n<table class=\"groups\">\n<thead><tr><th scope=\"col\">Path</th><th scope=\"col\">Most severe</th><th scope=\"col\" class=\"n\">Findings</th></tr></thead>\n<tbody>"
    )?;
    for &(path, severity, count) in paths.iter().take(MAX_LISTED) {
        write!(out, "<tr><td class=\"path\">")?;
        facet_link(out, "path", path, path, false)?;
        write!(out, "</td><td>")?;
        severity_badge(out, severity)?;
        writeln!(out, "</td><td class=\"n\">{count}</td></tr>")?;
    }
    if paths.is_empty() {
        writeln!(
            out,
            "<tr><td colspan=\"3\" class=\"muted\">No findings.</td></tr>"
        )?;
    }
    writeln!(out, "</tbody>\n</table>")?;
    if paths.len() > MAX_LISTED {
        writeln!(
            out,
            "<p class=\"muted\">The {MAX_LISTED} most severe of {} paths; the findings table below lists every one.</p>",
            paths.len()
        )?;
    }
    writeln!(out, "</section>")
}

fn write_by_author(view: &View<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    // author -> (findings, first, last commit date as written)
    let mut authors: HashMap<String, (usize, &Row<'_>, &Row<'_>)> = HashMap::new();
    for row in &view.rows {
        let Some(name) = author(row.finding) else {
            continue;
        };
        let entry = authors.entry(name).or_insert((0, row, row));
        entry.0 += 1;
        if row.time < entry.1.time {
            entry.1 = row;
        }
        if row.time > entry.2.time {
            entry.2 = row;
        }
    }
    let mut authors: Vec<(String, (usize, &Row<'_>, &Row<'_>))> = authors.into_iter().collect();
    authors.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    writeln!(
        out,
        "<section id=\"by-author\">\n<h2>By author</h2>\n<p class=\"muted\">Who committed each secret first. Author names and e-mail addresses are what the commits claim.</p>\n<table class=\"groups\">\n<thead><tr><th scope=\"col\">Author</th><th scope=\"col\" class=\"n\">Findings</th><th scope=\"col\">First</th><th scope=\"col\">Last</th></tr></thead>\n<tbody>"
    )?;
    let date = |row: &Row<'_>| {
        row.finding
            .commit
            .as_ref()
            .map(|commit| commit.date.get(..10).unwrap_or(&commit.date).to_string())
            .unwrap_or_default()
    };
    for (name, (count, first, last)) in authors.iter().take(MAX_LISTED) {
        write!(out, "<tr><td>")?;
        facet_link(out, "author", name, name, false)?;
        writeln!(
            out,
            "</td><td class=\"n\">{count}</td><td>{}</td><td>{}</td></tr>",
            escape(&date(first)),
            escape(&date(last))
        )?;
    }
    if authors.is_empty() {
        writeln!(
            out,
            "<tr><td colspan=\"4\" class=\"muted\">No commits.</td></tr>"
        )?;
    }
    writeln!(out, "</tbody>\n</table>")?;
    if authors.len() > MAX_LISTED {
        writeln!(
            out,
            "<p class=\"muted\">The {MAX_LISTED} authors with the most findings of {}; search the findings table for the others.</p>",
            authors.len()
        )?;
    }
    writeln!(out, "</section>")
}

fn write_by_repository(view: &View<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    let Some(repository) = view.repository else {
        return Ok(());
    };
    writeln!(
        out,
        "<section id=\"by-repository\">\n<h2>By repository</h2>\n<table class=\"groups\">\n<thead><tr><th scope=\"col\">Repository</th><th scope=\"col\">Remote</th><th scope=\"col\" class=\"n\">Commits scanned</th><th scope=\"col\" class=\"n\">Findings</th><th scope=\"col\" class=\"n\">Still in HEAD</th></tr></thead>\n<tbody>"
    )?;
    write!(
        out,
        "<tr><td class=\"path\">{}</td><td>",
        escape(&repository.name)
    )?;
    match (&view.links, &repository.remote_url) {
        (Some(links), _) => write!(
            out,
            "<a href=\"{}\" rel=\"noreferrer\">{}</a>",
            escape(links.repository()),
            escape(links.repository())
        )?,
        (None, Some(url)) => write!(out, "{}", escape(&display_remote(url)))?,
        (None, None) => write!(out, "<span class=\"muted\">none</span>")?,
    }
    let in_head = if view.knows_head() {
        view.rows
            .iter()
            .filter(|row| row.in_head == Some(true))
            .count()
            .to_string()
    } else {
        "unknown".to_string()
    };
    writeln!(
        out,
        "</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{in_head}</td></tr>",
        repository.commits_scanned,
        view.rows.len()
    )?;
    writeln!(out, "</tbody>\n</table>\n</section>")
}
