//! Finds candidate secrets in a byte slice.
//!
//! Knows nothing about files, git or output formats: callers pass `&[u8]` plus the path the
//! bytes came from (if any) and get [`Match`]es with byte spans back. A [`RuleSet`] is
//! compiled once and shared by every thread; each thread brings its own [`Scratch`].
//!
//! The order of work is the order of cost: path checks, then one keyword automaton pass
//! ([`prefilter`]), then the regexes of the rules whose keywords occurred (compiled on
//! first use), then entropy, then allowlists.

mod allowlist;
mod base64_runs;
mod buffer_lines;
mod confidence;
mod context_keys;
mod decode;
mod entropy;
mod inline_allow;
mod keyword_dfa;
mod keyword_index;
mod lazy_regex;
mod overlaps;
mod path_classes;
mod path_matcher;
mod prefilter;
mod randomness;
mod self_check;
mod signed_url;
mod structured;
mod windows;

use std::borrow::Cow;
use std::ops::Range;

use crate::rules::{Confidence, Config, Rule};

use allowlist::{Candidate, CompiledAllowlist};
use buffer_lines::BufferLines;
use lazy_regex::{LazyRegex, RegexInterner};
use overlaps::resolve_overlaps;
use path_matcher::PathMatcher;
use prefilter::{KeywordHits, Prefilter};
use structured::ValueHit;

pub use confidence::is_test_path;
pub use entropy::shannon_entropy;
pub use path_classes::PathClasses;

pub use self_check::{ExampleFailure, check_examples};

/// For the fuzz targets only (`crate::fuzzing`).
#[doc(hidden)]
pub use structured::{DocumentFormat, exercise_document};

/// What a match points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// A span of the content.
    Content,
    /// The file itself, by its path (a rule with `path` and no `regex`).
    Path,
}

/// One candidate secret that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// Index into [`RuleSet::rules`].
    pub rule: usize,
    pub kind: MatchKind,
    /// The whole regex match (empty for [`MatchKind::Path`]).
    pub span: Range<usize>,
    /// The secret within the buffer (empty for [`MatchKind::Path`]).
    pub secret: Range<usize>,
    pub entropy: f64,
    /// How sure the match is that it is a live secret.
    pub confidence: Confidence,
    /// What lowered the confidence, if anything (shown under `-v`).
    pub confidence_reason: Option<&'static str>,
    /// Set when the secret was found inside an encoded blob: `span` and `secret` then
    /// point at the blob, and this holds the decoded secret.
    pub decoded: Option<Box<Decoded>>,
}

/// A secret found by decoding a blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub encoding: &'static str,
    pub secret: Vec<u8>,
}

/// How many encodings deep secrets are looked for by default (`--decode-depth`).
pub const DEFAULT_DECODE_DEPTH: usize = 1;

/// Per-thread working memory, reused from buffer to buffer.
#[derive(Default)]
pub struct Scratch {
    hits: KeywordHits,
    to_run: Vec<usize>,
    windows: Vec<windows::Window>,
    /// Per rule: whether its `path` (if any) matches the current buffer's path.
    path_active: Vec<bool>,
    value_hits: Vec<ValueHit>,
    /// Name occurrences of one compact provider rule, in order.
    names: Vec<Range<usize>>,
    /// Capture slots per rule, so matching allocates nothing.
    locations: Vec<Option<regex::bytes::CaptureLocations>>,
    /// Line breaks and allow comments of the current buffer, indexed on first use.
    lines: BufferLines,
}

/// Whether the keyword prefilter decides which rules run and where. Only tests turn it
/// off, to show that it never changes the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefiltering {
    /// Rules run only when one of their keywords occurs, and a regex with a bounded match
    /// length only within that length of an occurrence: a match must contain a keyword.
    Automaton,
    /// Every rule runs over the whole buffer.
    Exhaustive,
}

struct CompiledRule {
    regex: Option<LazyRegex>,
    allowlists: Vec<CompiledAllowlist>,
    /// Indices into [`RuleSet::global_allowlists`] that apply to this rule.
    global_allowlists: Vec<usize>,
}

/// A compiled rule set, ready to scan.
pub struct RuleSet {
    /// Borrowed when the configuration lives as long as the process (see
    /// [`RuleSet::compile_static`]): copying several hundred rules costs start-up time.
    rules: Cow<'static, [Rule]>,
    compiled: Vec<CompiledRule>,
    prefilter: Prefilter,
    path_matcher: PathMatcher,
    /// Rules with a regex and no keywords: they run on every buffer.
    unconditional: Vec<usize>,
    /// Rules with a path and no regex: the file itself is the finding.
    path_only: Vec<usize>,
    global_allowlists: Vec<CompiledAllowlist>,
    /// Global allowlists for every rule that look only at paths: they skip whole files.
    file_skips: Vec<usize>,
    decode_depth: usize,
    inline_allow: InlineAllow,
}

/// Whether allow comments in the scanned content (`leakhound:allow`, ...) are honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InlineAllow {
    Honour,
    /// `--no-inline-allow`, for audits.
    Ignore,
}

impl RuleSet {
    /// Prepares a configuration for scanning. Regexes are compiled later, on first use.
    pub fn compile(config: &Config) -> RuleSet {
        let mut rule_set = RuleSet::compile_parts(config);
        rule_set.rules = Cow::Owned(config.rules.clone());
        rule_set
    }

    /// [`RuleSet::compile`] for a configuration that is never freed: the rules are
    /// borrowed, not copied.
    pub fn compile_static(config: &'static Config) -> RuleSet {
        let mut rule_set = RuleSet::compile_parts(config);
        rule_set.rules = Cow::Borrowed(&config.rules);
        rule_set
    }

    /// Everything but the rules themselves.
    fn compile_parts(config: &Config) -> RuleSet {
        let mut interner = RegexInterner::default();
        let global_allowlists: Vec<_> = config
            .allowlists
            .iter()
            .map(|allowlist| CompiledAllowlist::new(allowlist, &mut interner))
            .collect();
        let compiled = config
            .rules
            .iter()
            .map(|rule| CompiledRule {
                regex: rule.regex.as_deref().map(LazyRegex::new),
                allowlists: rule
                    .allowlists
                    .iter()
                    .map(|allowlist| CompiledAllowlist::new(allowlist, &mut interner))
                    .collect(),
                global_allowlists: config
                    .allowlists
                    .iter()
                    .enumerate()
                    .filter(|(_, allowlist)| {
                        !allowlist.target_rules.is_empty()
                            && allowlist.target_rules.contains(&rule.id)
                            || allowlist.target_rules.is_empty()
                    })
                    .map(|(index, _)| index)
                    .collect(),
            })
            .collect();
        let file_skips = config
            .allowlists
            .iter()
            .enumerate()
            .filter(|(index, allowlist)| {
                allowlist.target_rules.is_empty() && global_allowlists[*index].is_path_only()
            })
            .map(|(index, _)| index)
            .collect();
        RuleSet {
            prefilter: Prefilter::new(&config.rules),
            path_matcher: PathMatcher::new(&config.rules),
            unconditional: indices(&config.rules, |rule| {
                rule.reads_content() && rule.keywords.is_empty()
            }),
            path_only: indices(&config.rules, |rule| !rule.reads_content()),
            rules: Cow::Borrowed(&[]),
            compiled,
            global_allowlists,
            file_skips,
            decode_depth: DEFAULT_DECODE_DEPTH,
            inline_allow: InlineAllow::Honour,
        }
    }

    /// Looks for secrets inside base64 blobs this many levels deep (0 turns it off).
    pub fn with_decode_depth(mut self, depth: usize) -> RuleSet {
        self.decode_depth = depth;
        self
    }

    /// Whether allow comments in the content drop matches.
    pub fn with_inline_allow(mut self, inline_allow: InlineAllow) -> RuleSet {
        self.inline_allow = inline_allow;
        self
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn rule(&self, index: usize) -> &Rule {
        &self.rules[index]
    }

    /// Whether a global allowlist excludes this path from every rule.
    pub fn skips_path(&self, path: &str) -> bool {
        self.file_skips
            .iter()
            .any(|&index| self.global_allowlists[index].allows_path(Some(path)))
    }

    /// Whether an allowlist of the rule (its own or a global one) names this commit.
    pub fn allows_commit(&self, rule: usize, commit: &str) -> bool {
        self.any_allowlist(rule, |allowlist| allowlist.allows_commit(commit))
    }

    /// Whether an allowlist of the rule (its own or a global one) names commits at all.
    pub fn lists_commits(&self, rule: usize) -> bool {
        self.any_allowlist(rule, CompiledAllowlist::lists_commits)
    }

    /// Whether any allowlist that applies to the rule (its own, then global) says yes.
    fn any_allowlist(&self, rule: usize, verdict: impl Fn(&CompiledAllowlist) -> bool) -> bool {
        let compiled = &self.compiled[rule];
        compiled.allowlists.iter().any(&verdict)
            || compiled
                .global_allowlists
                .iter()
                .any(|&index| verdict(&self.global_allowlists[index]))
    }

    /// Scans `data` (the content of `path`, if it has one) into `out`, which is cleared first.
    pub fn scan(
        &self,
        data: &[u8],
        path: Option<&str>,
        scratch: &mut Scratch,
        out: &mut Vec<Match>,
    ) {
        self.scan_with(data, path, scratch, out, Prefiltering::Automaton);
    }

    /// [`RuleSet::scan`] with a choice of prefilter, for tests and benchmarks.
    pub fn scan_with(
        &self,
        data: &[u8],
        path: Option<&str>,
        scratch: &mut Scratch,
        out: &mut Vec<Match>,
        prefiltering: Prefiltering,
    ) {
        self.scan_at_depth(data, path, scratch, out, prefiltering, self.decode_depth);
    }

    fn scan_at_depth(
        &self,
        data: &[u8],
        path: Option<&str>,
        scratch: &mut Scratch,
        out: &mut Vec<Match>,
        prefiltering: Prefiltering,
        decode_depth: usize,
    ) {
        out.clear();
        scratch.lines.reset();
        if path.is_some_and(|path| self.skips_path(path)) {
            return;
        }
        let mut path_active = std::mem::take(&mut scratch.path_active);
        self.path_matcher.mark(path, &mut path_active);
        for &rule in &self.path_only {
            if path_active[rule] && !self.path_allowed(rule, path) {
                let judgement = confidence::judge_path(&self.rules[rule], path);
                out.push(Match {
                    rule,
                    kind: MatchKind::Path,
                    span: 0..0,
                    secret: 0..0,
                    entropy: 0.0,
                    confidence: judgement.level,
                    confidence_reason: judgement.reason,
                    decoded: None,
                });
            }
        }

        let mut hits = std::mem::take(&mut scratch.hits);
        let mut to_run = std::mem::take(&mut scratch.to_run);
        hits.reset(self.rules.len());
        to_run.clear();
        match prefiltering {
            Prefiltering::Automaton => {
                self.prefilter.find_hits(data, &path_active, &mut hits);
                to_run.extend(hits.touched());
                to_run.extend(&self.unconditional);
            }
            Prefiltering::Exhaustive => {
                to_run
                    .extend((0..self.rules.len()).filter(|&rule| self.rules[rule].reads_content()));
            }
        }
        to_run.sort_unstable();
        to_run.dedup();
        for &rule in &to_run {
            if path_active[rule] {
                let near = match prefiltering {
                    Prefiltering::Automaton if !self.rules[rule].keywords.is_empty() => {
                        hits.near(rule)
                    }
                    _ => None,
                };
                self.scan_rule(rule, data, path, near, scratch, out);
            }
        }
        scratch.hits = hits;
        scratch.to_run = to_run;
        scratch.path_active = path_active;
        if decode_depth > 0 {
            self.scan_decoded(
                data,
                path,
                decode_depth,
                &mut scratch.lines,
                out,
                prefiltering,
            );
        }
        resolve_overlaps(&self.rules, out);
    }

    /// Scans what base64 blobs in `data` decode to, `depth` levels deep, and reports
    /// content matches at the blob's location.
    fn scan_decoded(
        &self,
        data: &[u8],
        path: Option<&str>,
        depth: usize,
        lines: &mut BufferLines,
        out: &mut Vec<Match>,
        prefiltering: Prefiltering,
    ) {
        let mut blobs = Vec::new();
        decode::text_blobs(data, &mut blobs);
        if blobs.is_empty() {
            return;
        }
        let mut scratch = Scratch::default();
        let mut inner = Vec::new();
        for blob in blobs {
            if self.inline_allow == InlineAllow::Honour && lines.is_allowed(data, blob.span.clone())
            {
                continue;
            }
            self.scan_at_depth(
                &blob.decoded,
                path,
                &mut scratch,
                &mut inner,
                prefiltering,
                depth - 1,
            );
            for found in inner
                .drain(..)
                .filter(|found| found.kind == MatchKind::Content)
            {
                let secret = match &found.decoded {
                    Some(decoded) => decoded.secret.clone(),
                    None => blob.decoded[found.secret.clone()].to_vec(),
                };
                out.push(Match {
                    rule: found.rule,
                    kind: MatchKind::Content,
                    span: blob.span.clone(),
                    secret: blob.span.clone(),
                    entropy: found.entropy,
                    confidence: found.confidence,
                    confidence_reason: found.confidence_reason,
                    decoded: Some(Box::new(Decoded {
                        encoding: "base64",
                        secret,
                    })),
                });
            }
        }
    }

    fn path_allowed(&self, rule: usize, path: Option<&str>) -> bool {
        let candidate = Candidate {
            secret: b"",
            matched: b"",
            line: b"",
            path,
        };
        self.allowed(rule, &candidate)
    }

    fn allowed(&self, rule: usize, candidate: &Candidate<'_>) -> bool {
        self.any_allowlist(rule, |allowlist| allowlist.allows(candidate))
    }

    /// Runs one rule over `data`; with `near` (its keyword occurrences), a regex with a
    /// bounded match length runs only in windows around them.
    fn scan_rule(
        &self,
        rule_index: usize,
        data: &[u8],
        path: Option<&str>,
        near: Option<&[Range<usize>]>,
        scratch: &mut Scratch,
        out: &mut Vec<Match>,
    ) {
        let rule = &self.rules[rule_index];
        let lines = &mut scratch.lines;
        if let Some(detector) = rule.detector {
            let hits = &mut scratch.value_hits;
            hits.clear();
            structured::detect(detector, data, path, hits);
            for hit in hits.iter() {
                let found = (hit.span.clone(), hit.secret.clone());
                self.confirm(rule_index, data, path, found, lines, out);
            }
            return;
        }
        if let (Some(key), Some(hits)) = (&rule.context, near) {
            let names = &mut scratch.names;
            self.find_keys_after_names(rule_index, key, hits, data, path, names, lines, out);
            return;
        }
        let Some(lazy) = self.compiled[rule_index].regex.as_ref() else {
            return;
        };
        let Ok(regex) = lazy.get() else {
            return;
        };
        let reach = lazy.reach();
        match near {
            Some(hits) if reach.is_bounded() => {
                windows::around_hits(hits, reach, data, &mut scratch.windows)
            }
            _ => {
                scratch.windows.clear();
                scratch.windows.push(windows::Window {
                    starts: 0..data.len(),
                    limit: data.len(),
                });
            }
        }
        if scratch.locations.len() < self.rules.len() {
            scratch.locations.resize_with(self.rules.len(), || None);
        }
        // A scratch may have served another rule set; slots only need the right count.
        let slot = &mut scratch.locations[rule_index];
        if slot
            .as_ref()
            .is_none_or(|locations| locations.len() != regex.captures_len())
        {
            *slot = Some(regex.capture_locations());
        }
        let locations = slot.as_mut().expect("just filled");
        let mut resume = 0;
        for window in scratch.windows.iter() {
            let haystack = &data[..window.limit];
            let mut at = window.starts.start.max(resume);
            while at <= window.starts.end && at <= haystack.len() {
                let Some(whole) = regex.captures_read_at(locations, haystack, at) else {
                    break;
                };
                if whole.start() > window.starts.end {
                    break;
                }
                let secret = match rule.secret_group {
                    Some(group) => locations.get(group),
                    None => (1..locations.len())
                        .filter_map(|group| locations.get(group))
                        .find(|(start, end)| start < end)
                        .or(Some((whole.start(), whole.end()))),
                };
                if let Some((start, end)) = secret {
                    let found = (whole.range(), start..end);
                    self.confirm(rule_index, data, path, found, lines, out);
                }
                resume = whole.end().max(whole.start() + 1);
                at = resume;
            }
        }
    }

    /// Applies the checks after the regex (or detector) to a (span, secret) it found: a
    /// non-empty secret, entropy, allowlists. Pushes the match if it passes them all.
    fn confirm(
        &self,
        rule_index: usize,
        data: &[u8],
        path: Option<&str>,
        (span, secret): (Range<usize>, Range<usize>),
        lines: &mut BufferLines,
        out: &mut Vec<Match>,
    ) {
        if secret.is_empty() {
            return;
        }
        let rule = &self.rules[rule_index];
        let entropy = shannon_entropy(&data[secret.clone()]);
        if rule.entropy.is_some_and(|minimum| entropy <= minimum)
            || (rule.context.is_some() && crate::rules::is_placeholder_key(&data[secret.clone()]))
        {
            return;
        }
        let candidate = Candidate {
            secret: &data[secret.clone()],
            matched: &data[span.clone()],
            line: &data[lines.around(data, span.clone())],
            path,
        };
        if self.allowed(rule_index, &candidate)
            || (self.inline_allow == InlineAllow::Honour && lines.is_allowed(data, span.clone()))
        {
            return;
        }
        let judgement = confidence::judge(rule, &data[secret.clone()], &data[span.clone()], path);
        out.push(Match {
            rule: rule_index,
            kind: MatchKind::Content,
            span,
            secret,
            entropy,
            confidence: judgement.level,
            confidence_reason: judgement.reason,
            decoded: None,
        });
    }
}

fn indices(rules: &[Rule], keep: impl Fn(&Rule) -> bool) -> Vec<usize> {
    rules
        .iter()
        .enumerate()
        .filter(|(_, rule)| keep(rule))
        .map(|(index, _)| index)
        .collect()
}

#[cfg(test)]
mod tests;
