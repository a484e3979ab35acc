//! Attribution: for the blobs that produced findings, which commits carry each (blob,
//! path), which one introduced it, and how many refs reach it. The work grows with the
//! findings: the trees holding those blobs are walked up through the subtree edges to
//! the root trees and their commits; nothing else of the history is looked at again.
//!
//! Findings are merged into one per (rule, secret, path); findings of one blob at several
//! paths are merged too when no commit holds two of those paths at once (a renamed file),
//! and the merged finding is reported at the path where the secret first appeared, with
//! every (commit, path) in its occurrences. Copies (paths that some commit holds together)
//! stay separate findings, so that no path a user must fix is hidden behind another.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::engine::RuleSet;
use crate::finding::{CommitInfo, Finding, Occurrence, Occurrences, fingerprint};
use crate::rules::Confidence;
use crate::source::git::graph::{Paths, ROOT, Selection, Skeleton};
use crate::source::git::tree_paths::TreePaths;
use crate::source::git::{CommitMeta, History, HistoryProgress};

use super::super::driver::Found;

/// One finding of one blob at one path.
struct Unit<'a> {
    blob: u32,
    path: u32,
    finding: &'a Finding,
}

/// The findings of each (blob, class of paths), merged and attributed to commits.
///
/// Findings less sure than `listed_from` are attributed (commit, path, fingerprint) but
/// their occurrences are only counted, not listed: the finish step drops them (it reports
/// how many), and a secret that lived through thousands of commits would otherwise cost
/// thousands of entries nobody sees.
pub fn attribute(
    rules: &RuleSet,
    history: &mut History,
    found: Vec<Found>,
    listed_from: Confidence,
    progress: &dyn HistoryProgress,
) -> Vec<Finding> {
    progress.phase("finding the trees that hold them", 0);
    // The driver names a blob's paths by their place in the blob's path list.
    let found: Vec<(u32, Vec<u32>, Vec<Finding>)> = found
        .into_iter()
        .map(|found| {
            let blob = found.unit as u32;
            let all = history.blob_paths(blob);
            let paths = found.places.iter().map(|&i| all[i as usize]).collect();
            (blob, paths, found.findings)
        })
        .collect();
    let blobs: Vec<u32> = found.iter().map(|(blob, _, _)| *blob).collect();
    let dirs: HashSet<u32> = found
        .iter()
        .flat_map(|(_, paths, _)| paths)
        .map(|&path| history.paths.split(path).0)
        .collect();
    let holding = history.trees_holding(&blobs, &dirs);
    progress.phase("attributing findings", 0);
    let history = &*history;
    let History {
        skeleton,
        selection,
        tree_paths,
        names,
        paths,
        refs,
        ..
    } = history;
    let mut holders: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
    for (tree, name, blob) in holding {
        holders.entry((blob, name)).or_default().push(tree);
    }

    // Units and their groups: one group per (rule, secret, path), joined across the
    // paths of one blob.
    let boundary = history.boundary();
    let mut units = Vec::new();
    for (blob, blob_paths, findings) in &found {
        let blob_id = history.blob_id(*blob);
        for finding in findings {
            for &path in blob_paths {
                if !boundary.is_empty() && boundary.holds(&paths.render(path, names), blob_id) {
                    continue;
                }
                units.push(Unit {
                    blob: *blob,
                    path,
                    finding,
                });
            }
        }
    }
    let mut carriers_cache: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
    for unit in &units {
        carriers_cache
            .entry((unit.blob, unit.path))
            .or_insert_with(|| {
                carriers(
                    skeleton, selection, tree_paths, paths, &holders, unit.blob, unit.path,
                )
            });
    }
    let mut groups = UnionFind::new(units.len());
    let mut by_key: HashMap<(&str, &str, u32), usize> = HashMap::new();
    // The same match of the same blob, whichever path class it was scanned under: one
    // cluster per set of paths that never appear together (renames), with the commits
    // that carry them.
    type SameMatch<'f> = (u32, &'f str, &'f str, crate::finding::Position);
    let mut by_blob_finding: HashMap<SameMatch<'_>, Vec<(usize, HashSet<u32>)>> = HashMap::new();
    for (index, unit) in units.iter().enumerate() {
        let key = (
            unit.finding.rule_id.as_str(),
            unit.finding.secret.as_str(),
            unit.path,
        );
        if let Some(&other) = by_key.get(&key) {
            groups.join(index, other);
        } else {
            by_key.insert(key, index);
        }
        let same = (
            unit.blob,
            unit.finding.rule_id.as_str(),
            unit.finding.secret.as_str(),
            unit.finding.start,
        );
        let carrying = &carriers_cache[&(unit.blob, unit.path)];
        let clusters = by_blob_finding.entry(same).or_default();
        match clusters
            .iter_mut()
            .find(|(_, commits)| carrying.iter().all(|commit| !commits.contains(commit)))
        {
            Some((other, commits)) => {
                groups.join(index, *other);
                commits.extend(carrying.iter().copied());
            }
            None => clusters.push((index, carrying.iter().copied().collect())),
        }
    }
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for index in 0..units.len() {
        members.entry(groups.find(index)).or_default().push(index);
    }

    let rule_index: HashMap<&str, usize> = rules
        .rules()
        .iter()
        .enumerate()
        .map(|(index, rule)| (rule.id.as_str(), index))
        .collect();
    let mut commit_cache: HashMap<u32, Option<CommitInfo>> = HashMap::new();
    // Each path and commit id is rendered once and shared by every occurrence naming it:
    // a secret in a long-lived file has an occurrence in thousands of commits.
    let mut path_text: HashMap<u32, Arc<str>> = HashMap::new();
    let mut commit_text: HashMap<u32, Arc<str>> = HashMap::new();
    // Findings in one file version share their commits, and so their count of refs.
    let mut refs_cache: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut findings = Vec::new();
    let mut groups_in_order: Vec<Vec<usize>> = members.into_values().collect();
    groups_in_order.sort();
    for group in groups_in_order {
        let first = &units[group[0]];
        let rule = rule_index.get(first.finding.rule_id.as_str()).copied();
        let check_commits = rule.is_some_and(|rule| rules.lists_commits(rule));
        // The group's paths in text order, not by path number, which depends on the
        // order threads met the names, so that runs agree.
        let mut group_paths: Vec<u32> = group.iter().map(|&member| units[member].path).collect();
        group_paths.sort_unstable();
        group_paths.dedup();
        for &path in &group_paths {
            path_text
                .entry(path)
                .or_insert_with(|| paths.render(path, names).into());
        }
        group_paths.sort_by(|a, b| path_text[a].cmp(&path_text[b]));
        let path_order: HashMap<u32, u32> = group_paths
            .iter()
            .enumerate()
            .map(|(order, &path)| (path, order as u32))
            .collect();
        // (rank, commit, path order, unit): oldest commit first.
        let mut places: Vec<(u32, u32, u32, usize)> = Vec::new();
        let mut carried = false;
        for &member in &group {
            let unit = &units[member];
            let carriers = &carriers_cache[&(unit.blob, unit.path)];
            carried |= !carriers.is_empty();
            let order = path_order[&unit.path];
            for &commit in carriers.iter() {
                if check_commits
                    && rule.is_some_and(|rule| {
                        rules.allows_commit(rule, &history.commit_id(commit).to_string())
                    })
                {
                    continue;
                }
                places.push((selection.rank[commit as usize], commit, order, member));
            }
        }
        places.sort_unstable();
        places.dedup_by_key(|place| (place.1, place.2));
        if places.is_empty() && carried {
            // Every commit that carries it is allowlisted.
            continue;
        }
        let representative = places.first().map_or(group[0], |place| place.3);
        let unit = &units[representative];
        let mut finding = unit.finding.clone();
        let mut path = path_text[&unit.path].to_string();
        // A member of an archive blob keeps its place inside the archive.
        if let Some(member) = unit
            .finding
            .path
            .strip_prefix(path.as_str())
            .filter(|rest| rest.starts_with('!'))
        {
            path.push_str(member);
        }
        finding.fingerprint = fingerprint(&finding.rule_id, &path, finding.secret.as_bytes());
        if finding.kind == crate::finding::FindingKind::File {
            finding.secret = path.clone();
            finding.matched = path.clone();
        }
        finding.path = path;
        if let Some(&(_, commit, ..)) = places.first() {
            finding.commit = commit_cache
                .entry(commit)
                .or_insert_with(|| history.commit_meta(commit).map(commit_info))
                .clone();
        }
        let mut carrying: Vec<u32> = places.iter().map(|place| place.1).collect();
        carrying.sort_unstable();
        carrying.dedup();
        let listed = finding.confidence >= listed_from;
        let listed_places = if listed { places.as_slice() } else { &[] };
        let occurrences = listed_places
            .iter()
            .map(|&(_, commit, order, _)| Occurrence {
                commit: Arc::clone(
                    commit_text
                        .entry(commit)
                        .or_insert_with(|| history.commit_id(commit).to_string().into()),
                ),
                path: Arc::clone(&path_text[&group_paths[order as usize]]),
            })
            .collect();
        let refs = if listed {
            *refs_cache
                .entry(carrying.clone())
                .or_insert_with(|| refs_reaching(selection, refs, &carrying))
        } else {
            0
        };
        finding.occurrences = Some(Occurrences {
            commits: carrying.len(),
            refs,
            places: occurrences,
        });
        findings.push(finding);
    }
    findings
}

/// The selected commits whose tree holds `blob` at `path`.
fn carriers(
    skeleton: &Skeleton,
    selection: &Selection,
    tree_paths: &TreePaths,
    paths: &Paths,
    holders: &HashMap<(u32, u32), Vec<u32>>,
    blob: u32,
    path: u32,
) -> Vec<u32> {
    let (dir, name) = paths.split(path);
    let mut stack: Vec<(u32, u32)> = holders
        .get(&(blob, name))
        .into_iter()
        .flatten()
        .filter(|&&tree| tree_paths.contains(tree, dir))
        .map(|&tree| (tree, dir))
        .collect();
    let mut seen: HashSet<(u32, u32)> = HashSet::new();
    let mut commits = Vec::new();
    while let Some((tree, dir)) = stack.pop() {
        if !seen.insert((tree, dir)) {
            continue;
        }
        if dir == ROOT {
            commits.extend(
                tree_paths
                    .commits_by_root
                    .get(tree)
                    .iter()
                    .filter(|&&commit| selection.selected[commit as usize]),
            );
            continue;
        }
        let (parent_dir, dir_name) = paths.split(dir);
        for &(parent, name) in skeleton.parents.get(tree) {
            if name == dir_name && tree_paths.contains(parent, parent_dir) {
                stack.push((parent, parent_dir));
            }
        }
    }
    commits.sort_unstable();
    commits.dedup();
    commits
}

/// How many refs reach one of `commits`.
fn refs_reaching(selection: &Selection, refs: &[(String, u32)], commits: &[u32]) -> usize {
    let mut reached: HashSet<u32> = HashSet::new();
    let mut stack: Vec<u32> = commits.to_vec();
    while let Some(commit) = stack.pop() {
        if reached.insert(commit) {
            stack.extend(selection.children.get(commit));
        }
    }
    refs.iter()
        .filter(|(name, _)| name != "HEAD")
        .filter(|(_, commit)| reached.contains(commit))
        .count()
}

/// A commit's metadata as findings carry it.
pub fn commit_info(meta: CommitMeta) -> CommitInfo {
    CommitInfo {
        id: meta.id,
        author_name: meta.author_name,
        author_email: meta.author_email,
        date: meta.date,
        summary: meta.summary,
    }
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(len: usize) -> UnionFind {
        UnionFind {
            parent: (0..len).collect(),
        }
    }

    fn find(&mut self, mut index: usize) -> usize {
        while self.parent[index] != index {
            self.parent[index] = self.parent[self.parent[index]];
            index = self.parent[index];
        }
        index
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}
