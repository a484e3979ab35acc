//! Path classes: which of a blob's paths can be scanned as one.
//!
//! The engine looks at a path only through regexes (a rule's `path`, allowlist `paths`)
//! and, for structured detectors, the file name. Two paths on which every such regex
//! agrees (and, when the rules use detectors, with the same file name) give the same
//! matches for the same content, so a blob is scanned once per class of its paths, not
//! once per path: a renamed file is scanned once, a `.env` copied to `config.yml` twice.

use std::collections::HashMap;

use regex::bytes::{RegexSet, RegexSetBuilder};

use crate::rules::Config;

pub struct PathClasses {
    patterns: Option<RegexSet>,
    /// A pattern did not compile as a set: treat every path as its own class.
    every_path: bool,
    /// Rules use detectors, which may choose a parser by file name.
    by_name: bool,
}

#[derive(Hash, PartialEq, Eq)]
struct Signature<'a> {
    matches: Vec<usize>,
    name: Option<&'a str>,
}

impl PathClasses {
    pub fn new(config: &Config) -> PathClasses {
        let mut patterns: Vec<&str> = Vec::new();
        for rule in &config.rules {
            patterns.extend(rule.path.as_deref());
            for allowlist in &rule.allowlists {
                patterns.extend(allowlist.paths.iter().map(String::as_str));
            }
        }
        for allowlist in &config.allowlists {
            patterns.extend(allowlist.paths.iter().map(String::as_str));
        }
        let set = (!patterns.is_empty()).then(|| {
            // ASCII classes, as the engine compiles these regexes.
            RegexSetBuilder::new(&patterns)
                .unicode(false)
                .size_limit(64 << 20)
                .dfa_size_limit(64 << 20)
                .build()
        });
        PathClasses {
            every_path: matches!(set, Some(Err(_))),
            patterns: set.and_then(Result::ok),
            by_name: config.rules.iter().any(|rule| rule.detector.is_some()),
        }
    }

    /// Groups `paths` into classes, in first-seen order.
    pub fn group<'a>(&self, paths: &[u32], render: impl Fn(u32) -> &'a str) -> Vec<Vec<u32>> {
        if paths.len() == 1 {
            return vec![paths.to_vec()];
        }
        if self.every_path {
            return paths.iter().map(|&path| vec![path]).collect();
        }
        let mut classes: Vec<Vec<u32>> = Vec::new();
        let mut by_signature: HashMap<Signature<'a>, usize> = HashMap::new();
        for &path in paths {
            let text = render(path);
            let signature = Signature {
                matches: self
                    .patterns
                    .as_ref()
                    .map(|set| set.matches(text.as_bytes()).into_iter().collect())
                    .unwrap_or_default(),
                name: self
                    .by_name
                    .then(|| text.rsplit('/').next().unwrap_or(text)),
            };
            let next = classes.len();
            let class = *by_signature.entry(signature).or_insert(next);
            if class == next {
                classes.push(Vec::new());
            }
            classes[class].push(path);
        }
        classes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules;

    fn paths_named(names: &[&'static str]) -> impl Fn(u32) -> &'static str {
        let names = names.to_vec();
        move |path| names[path as usize]
    }

    #[test]
    fn paths_the_rules_cannot_tell_apart_share_a_class() {
        let config = rules::builtin().unwrap();
        let classes = PathClasses::new(&config);
        // Same file name (detectors may choose a parser by it), no path rule between them.
        let render = paths_named(&["src/app.py", "lib/app.py", "deploy/app.yml"]);
        let grouped = classes.group(&[0, 1, 2], render);
        assert_eq!(grouped, vec![vec![0, 1], vec![2]]);
    }

    #[test]
    fn a_single_path_is_its_own_class() {
        let config = rules::builtin().unwrap();
        let classes = PathClasses::new(&config);
        assert_eq!(classes.group(&[7], |_| "x"), vec![vec![7]]);
    }
}
