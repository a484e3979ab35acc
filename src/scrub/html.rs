//! `PLAN.html`: the plan of `PLAN.md` as a page, built from the report's page blocks
//! ([`crate::report::html::page`]): the same style, escaping and Content-Security-Policy,
//! and no script. Shows secrets only redacted, like `PLAN.md`.

use std::fmt::Write as _;

use crate::report::html::page::{self, Script, escape};

use super::replace::REPLACEMENT;
use super::write::AFTER_REWRITE;
use super::{Plan, PlannedSecret};

/// The page for `plan`.
pub fn plan_html(plan: &Plan) -> String {
    let mut bytes = Vec::new();
    let title = format!("History-scrub plan for {}", plan.repository);
    // Writing to a Vec cannot fail.
    let _ = page::write_head(&mut bytes, &title, Script::None);
    let mut out = String::from_utf8(bytes).unwrap_or_default();
    let in_head = plan
        .secrets
        .iter()
        .filter(|secret| secret.in_head == Some(true))
        .count();
    let _ = writeln!(
        out,
        "<header class=\"top\">\n<h1>{}</h1>\n<p class=\"meta\">leakhound {}</p>\n\
         <p class=\"warning\">The repository is compromised: rotate every secret first, then rewrite the history. \
         A rewrite alone does not help: clones, forks, caches and anyone who fetched the history still have the old values.</p>\n\
         <nav class=\"toc\"><a href=\"#secrets\">Secrets</a> <a href=\"#rotate\">1. Rotate</a> <a href=\"#rewrite\">2. Rewrite</a> <a href=\"#after\">3. After the rewrite</a></nav>\n</header>\n<main>",
        escape(&title),
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        out,
        "<section id=\"secrets\">\n<h2>Secrets</h2>\n<div class=\"cards\">\
         <div class=\"card total\"><span class=\"big\" data-count=\"secrets\">{}</span> secrets</div>\
         <div class=\"card sev-critical\"><span class=\"big\" data-count=\"in-head\">{in_head}</span> still in HEAD</div>\
         <div class=\"card sev-medium\"><span class=\"big\" data-count=\"paths-to-remove\">{}</span> paths to remove</div>\
         <div class=\"card sev-low\"><span class=\"big\" data-count=\"replacements\">{}</span> replacements</div></div>",
        plan.secrets.len(),
        plan.paths_to_remove.len(),
        plan.replacements.len()
    );
    let _ = writeln!(
        out,
        "<p><code>replacements.txt</code> in this directory holds the raw secrets: keep this directory private and delete it when you are done.</p>\n\
         <table class=\"groups\">\n<thead><tr><th scope=\"col\" class=\"n\">#</th><th scope=\"col\">Secret</th><th scope=\"col\">Kind</th><th scope=\"col\">First commit</th><th scope=\"col\" class=\"n\">Commits</th><th scope=\"col\" class=\"n\">Refs</th><th scope=\"col\">In HEAD</th></tr></thead>\n<tbody>"
    );
    for secret in &plan.secrets {
        let first = secret
            .first_seen
            .as_ref()
            .map(|seen| {
                format!(
                    "<code>{}</code> {}",
                    escape(short(&seen.commit)),
                    escape(&seen.date)
                )
            })
            .unwrap_or_else(|| "unknown".to_string());
        let _ = writeln!(
            out,
            "<tr><td class=\"n\"><a href=\"#secret-{0}\">{0}</a></td><td><code class=\"secret\">{1}</code></td><td>{2}</td><td>{first}</td><td class=\"n\">{3}</td><td class=\"n\">{4}</td><td class=\"head head-{5}\">{5}</td></tr>",
            secret.number,
            escape(&secret.redacted),
            escape(secret.family_title),
            secret.commits,
            secret.refs,
            yes_no(secret.in_head)
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>\n</section>");

    let _ = writeln!(out, "<section id=\"rotate\">\n<h2>1. Rotate</h2>");
    for secret in &plan.secrets {
        secret_section(&mut out, secret);
    }
    let _ = writeln!(out, "</section>");

    let _ = writeln!(
        out,
        "<section id=\"rewrite\">\n<h2>2. Rewrite the history</h2>\n<p><code>scrub.sh</code> works on a fresh mirror clone and never on your repository:</p>\n<ol class=\"plan-steps\">\
         <li><code>git clone --mirror</code> of the repository (first argument; default: <code>{}</code>);</li>\
         <li><code>git filter-repo --replace-text replacements.txt</code> (each secret becomes <code>{}</code>){}, with <code>--prune-empty never</code> so every commit is kept, and with <code>--sensitive-data-removal</code> when the installed git-filter-repo supports it (2.47 and later);</li>\
         <li><code>leakhound history</code> on the rewritten mirror must report nothing, or the script stops;</li>\
         <li>it prints the push and clean-up steps below, and runs none of them.</li></ol>",
        escape(&plan.repository),
        escape(REPLACEMENT),
        if plan.paths_to_remove.is_empty() {
            String::new()
        } else {
            format!(
                " and <code>--invert-paths --paths-from-file paths-to-remove.txt</code> (removes {} path(s) from every commit)",
                plan.paths_to_remove.len()
            )
        }
    );
    if !plan.paths_to_remove.is_empty() {
        let _ = writeln!(out, "<p>Paths removed from every commit:</p>\n<ul>");
        for path in &plan.paths_to_remove {
            let _ = writeln!(out, "<li><code>{}</code></li>", escape(path));
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(
        out,
        "<p>Run it with git-filter-repo and leakhound on <code>PATH</code>:</p>\n<pre><code>bash scrub.sh [REPOSITORY_URL_OR_PATH] [MIRROR_DIR]</code></pre>\n</section>"
    );
    let _ = writeln!(
        out,
        "<section id=\"after\">\n<h2>3. After the rewrite</h2>\n<ul class=\"checklist\">"
    );
    for step in AFTER_REWRITE {
        let _ = writeln!(out, "<li>{}</li>", with_code_spans(step));
    }
    let _ = writeln!(out, "</ul>\n</section>\n</main>");
    let mut bytes = Vec::new();
    let _ = page::write_tail(&mut bytes, Script::None);
    out.push_str(&String::from_utf8(bytes).unwrap_or_default());
    out
}

fn secret_section(out: &mut String, secret: &PlannedSecret) {
    let _ = writeln!(
        out,
        "<h3 id=\"secret-{}\">{}. {} <code class=\"secret\">{}</code></h3>\n<ul>",
        secret.number,
        secret.number,
        escape(secret.family_title),
        escape(&secret.redacted)
    );
    let _ = writeln!(
        out,
        "<li>Detected as: {} ({})</li>",
        escape(&secret.description),
        escape(&secret.rules.join(", "))
    );
    if let Some(seen) = &secret.first_seen {
        let _ = writeln!(
            out,
            "<li>First appeared: commit <code>{}</code> by {} &lt;{}&gt; on {}, in <code>{}</code> (<span class=\"msg\">{}</span>)</li>",
            escape(short(&seen.commit)),
            escape(&seen.author_name),
            escape(&seen.author_email),
            escape(&seen.date),
            escape(&seen.path),
            escape(&seen.summary)
        );
    }
    let _ = writeln!(
        out,
        "<li>Carried by {} commit(s), reachable from {} ref(s); in HEAD: {}</li>",
        secret.commits,
        secret.refs,
        yes_no(secret.in_head)
    );
    let paths: Vec<String> = secret
        .paths
        .iter()
        .map(|path| format!("<code>{}</code>", escape(path)))
        .collect();
    let _ = writeln!(out, "<li>Paths: {}</li>", paths.join(", "));
    if secret.remove_files {
        let _ = writeln!(
            out,
            "<li>Its files leave the history entirely (paths-to-remove.txt)</li>"
        );
    }
    let _ = writeln!(
        out,
        "</ul>\n<p>Rotation checklist:</p>\n<ul class=\"checklist\">"
    );
    for step in &secret.rotation {
        let _ = writeln!(out, "<li>{}</li>", with_code_spans(step));
    }
    let _ = writeln!(out, "</ul>");
}

/// Escaped text with Markdown code spans (`` `x` ``) as `<code>`.
fn with_code_spans(text: &str) -> String {
    let mut html = String::new();
    for (index, part) in text.split('`').enumerate() {
        if index % 2 == 1 {
            let _ = write!(html, "<code>{}</code>", escape(part));
        } else {
            let _ = write!(html, "{}", escape(part));
        }
    }
    html
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_become_code_elements_and_the_rest_is_escaped() {
        assert_eq!(
            with_code_spans("run `git push --force <remote>` & wait"),
            "run <code>git push --force &lt;remote&gt;</code> &amp; wait"
        );
    }
}
