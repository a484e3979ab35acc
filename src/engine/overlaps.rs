//! Which of several rules reports a secret they all found: provider rules over structured
//! detectors over generic rules (see [`Rule::precedence`]).
//!
//! Knows matches and rules only.

use std::ops::Range;

use crate::rules::Rule;

use super::{Match, MatchKind};

/// When rules report overlapping secrets, keeps only the matches of the highest
/// [`Rule::precedence`] (a provider rule over a detector over a generic rule), and orders
/// matches by position. Secrets found inside an encoded blob all point at the blob; they
/// were resolved against each other inside it, so only plain matches can hide them (a
/// blob with a token and a password reports both).
///
/// Each match asks, for every higher precedence, whether a secret of that precedence
/// overlaps it: a binary search in that precedence's secrets by start, with the running
/// maximum of their ends. A line of minified JSON can hold tens of thousands of matches,
/// so comparing every pair is out.
pub(super) fn resolve_overlaps(rules: &[Rule], matches: &mut Vec<Match>) {
    if matches.len() < 2 {
        return;
    }
    matches.sort_by(|a, b| {
        (a.secret.start, a.secret.end, a.rule).cmp(&(b.secret.start, b.secret.end, b.rule))
    });
    // Per precedence: starts in order, and the furthest end among the secrets so far; for
    // all content matches, and for the plain ones alone.
    type Levels = Vec<(u8, Vec<usize>, Vec<usize>)>;
    let add = |levels: &mut Levels, precedence: u8, secret: &Range<usize>| {
        let level = match levels.iter().position(|(level, _, _)| *level == precedence) {
            Some(index) => &mut levels[index],
            None => {
                levels.push((precedence, Vec::new(), Vec::new()));
                levels.last_mut().expect("just pushed")
            }
        };
        let furthest = level
            .2
            .last()
            .map_or(secret.end, |&end| end.max(secret.end));
        level.1.push(secret.start);
        level.2.push(furthest);
    };
    let (mut all, mut plain) = (Levels::new(), Levels::new());
    for found in matches
        .iter()
        .filter(|found| found.kind == MatchKind::Content)
    {
        let precedence = rules[found.rule].precedence();
        add(&mut all, precedence, &found.secret);
        if found.decoded.is_none() {
            add(&mut plain, precedence, &found.secret);
        }
    }
    if all.len() < 2 {
        return;
    }
    let overlapped = |levels: &Levels, precedence: u8, secret: &Range<usize>| {
        levels
            .iter()
            .filter(|(level, _, _)| *level > precedence)
            .any(|(_, starts, furthest)| {
                let before_end = starts.partition_point(|&start| start < secret.end);
                before_end > 0 && furthest[before_end - 1] > secret.start
            })
    };
    matches.retain(|found| {
        let precedence = rules[found.rule].precedence();
        let others = if found.decoded.is_some() {
            &plain
        } else {
            &all
        };
        found.kind == MatchKind::Path || !overlapped(others, precedence, &found.secret)
    });
}
