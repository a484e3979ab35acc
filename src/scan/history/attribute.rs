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

use crate::engine::RuleSet;
use crate::finding::{CommitInfo, Finding, Occurrence, Occurrences, fingerprint};
use crate::source::git::objects::{ObjectDatabase, read_object};

use super::BlobFindings;
use super::graph::{self, Names, Paths, ROOT, Selection, Skeleton, TreePaths};

pub struct Inputs<'a> {
    pub repo: &'a gix::Repository,
    pub rules: &'a RuleSet,
    pub database: &'a ObjectDatabase,
    pub skeleton: &'a Skeleton,
    pub selection: &'a Selection,
    pub tree_paths: &'a TreePaths,
    pub names: &'a mut Names,
    pub paths: &'a mut Paths,
    pub refs: &'a [(String, u32)],
    pub found: Vec<BlobFindings>,
    pub threads: usize,
}

/// One finding of one blob at one path.
struct Unit<'a> {
    blob: u32,
    path: u32,
    finding: &'a Finding,
}

pub fn attribute(inputs: Inputs<'_>) -> Vec<Finding> {
    let Inputs {
        repo,
        rules,
        database,
        skeleton,
        selection,
        tree_paths,
        names,
        paths,
        refs,
        found,
        threads,
    } = inputs;
    let targets: HashMap<[u8; 20], u32> = found
        .iter()
        .map(|blob_findings| {
            let id = database.id(gix::objs::Kind::Blob, blob_findings.blob);
            let raw: [u8; 20] = id.as_bytes().try_into().expect("sha1 ids are 20 bytes");
            (raw, blob_findings.blob)
        })
        .collect();
    let dirs: HashSet<u32> = found
        .iter()
        .flat_map(|blob_findings| &blob_findings.paths)
        .map(|&path| paths.split(path).0)
        .collect();
    let (holding, _notes) =
        graph::trees_holding(database, tree_paths, &targets, &dirs, names, threads);
    let mut holders: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
    for (tree, name, blob) in holding {
        holders.entry((blob, name)).or_default().push(tree);
    }

    // Units and their groups: one group per (rule, secret, path), joined across the
    // paths of one blob.
    let boundary = boundary_trees(repo, database, skeleton, selection);
    let mut units = Vec::new();
    for blob_findings in &found {
        let blob_id = database.id(gix::objs::Kind::Blob, blob_findings.blob);
        for finding in &blob_findings.findings {
            for &path in &blob_findings.paths {
                if !boundary.is_empty()
                    && already_there(&boundary, &paths.render(path, names), blob_id)
                {
                    continue;
                }
                units.push(Unit {
                    blob: blob_findings.blob,
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
    let mut findings = Vec::new();
    let mut groups_in_order: Vec<Vec<usize>> = members.into_values().collect();
    groups_in_order.sort();
    for group in groups_in_order {
        let first = &units[group[0]];
        let rule = rule_index.get(first.finding.rule_id.as_str()).copied();
        // (rank, commit, path, unit)
        let mut places: Vec<(u32, u32, u32, usize)> = Vec::new();
        let mut carried = false;
        for &member in &group {
            let unit = &units[member];
            let carriers = &carriers_cache[&(unit.blob, unit.path)];
            carried |= !carriers.is_empty();
            for &commit in carriers.iter() {
                let id = database.id(gix::objs::Kind::Commit, commit).to_string();
                if rule.is_some_and(|rule| rules.allows_commit(rule, &id)) {
                    continue;
                }
                places.push((selection.rank[commit as usize], commit, unit.path, member));
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
        let path = paths.render(unit.path, names);
        finding.fingerprint = fingerprint(&finding.rule_id, &path, finding.secret.as_bytes());
        if finding.kind == crate::finding::FindingKind::File {
            finding.secret = path.clone();
            finding.matched = path.clone();
        }
        finding.path = path;
        if let Some(&(_, commit, _, _)) = places.first() {
            finding.commit = commit_cache
                .entry(commit)
                .or_insert_with(|| commit_info(repo, database, commit))
                .clone();
        }
        let mut carrying: Vec<u32> = places.iter().map(|place| place.1).collect();
        carrying.sort_unstable();
        carrying.dedup();
        finding.occurrences = Some(Occurrences {
            commits: carrying.len(),
            refs: refs_reaching(selection, refs, &carrying),
            places: places
                .iter()
                .map(|&(_, commit, path, _)| Occurrence {
                    commit: database.id(gix::objs::Kind::Commit, commit).to_string(),
                    path: paths.render(path, names),
                })
                .collect(),
        });
        findings.push(finding);
    }
    findings
}

/// The trees of the commits just outside a limited selection (`--range`,
/// `--since-commit`): what they already hold was not introduced by the selection.
fn boundary_trees<'repo>(
    repo: &'repo gix::Repository,
    database: &ObjectDatabase,
    skeleton: &Skeleton,
    selection: &Selection,
) -> Vec<gix::Tree<'repo>> {
    let mut outside: Vec<u32> = skeleton
        .commits
        .iter()
        .enumerate()
        .filter(|(index, _)| selection.selected[*index])
        .flat_map(|(_, record)| record.parents.iter().copied())
        .filter(|&parent| !selection.selected[parent as usize])
        .collect();
    outside.sort_unstable();
    outside.dedup();
    outside
        .into_iter()
        .filter_map(|commit| {
            repo.find_commit(database.id(gix::objs::Kind::Commit, commit))
                .ok()?
                .tree()
                .ok()
        })
        .collect()
}

fn already_there(boundary: &[gix::Tree<'_>], path: &str, blob: gix::ObjectId) -> bool {
    boundary.iter().any(|tree| {
        tree.lookup_entry_by_path(path)
            .ok()
            .flatten()
            .is_some_and(|entry| entry.object_id() == blob)
    })
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

fn commit_info(
    repo: &gix::Repository,
    database: &ObjectDatabase,
    commit: u32,
) -> Option<CommitInfo> {
    let id = database.id(gix::objs::Kind::Commit, commit);
    let mut buffer = Vec::new();
    read_object(repo, &id, &mut buffer).ok()??;
    let text = String::from_utf8_lossy(&buffer);
    let (headers, message) = text.split_once("\n\n").unwrap_or((&text, ""));
    let author = headers
        .lines()
        .find_map(|line| line.strip_prefix("author "))
        .unwrap_or_default();
    let (name, rest) = author.split_once(" <").unwrap_or((author, ""));
    let (email, when) = rest.split_once('>').unwrap_or((rest, ""));
    let mut when = when.split_whitespace();
    let seconds: i64 = when.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let offset = when.next().unwrap_or("+0000");
    Some(CommitInfo {
        id: id.to_string(),
        author_name: name.trim().to_string(),
        author_email: email.to_string(),
        date: rfc3339(seconds, offset),
        summary: message
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string(),
    })
}

/// `1700000000`, `+0100` -> `2023-11-14T23:13:20+01:00`.
pub fn rfc3339(seconds: i64, offset: &str) -> String {
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits = offset.trim_start_matches(['+', '-']);
    let hours: i64 = digits.get(..2).and_then(|h| h.parse().ok()).unwrap_or(0);
    let minutes: i64 = digits.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
    let offset_seconds = sign * (hours * 3600 + minutes * 60);
    let local = seconds + offset_seconds;
    let days = local.div_euclid(86_400);
    let second_of_day = local.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let zone = if offset_seconds == 0 {
        "Z".to_string()
    } else {
        format!(
            "{}{:02}:{:02}",
            if sign < 0 { '-' } else { '+' },
            hours,
            minutes
        )
    };
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{zone}",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

/// Days since 1970-01-01 -> (year, month, day), proleptic Gregorian.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc3339_in_the_committer_zone() {
        assert_eq!(rfc3339(1_704_164_645, "+0000"), "2024-01-02T03:04:05Z");
        assert_eq!(rfc3339(1_700_000_000, "+0100"), "2023-11-14T23:13:20+01:00");
        assert_eq!(rfc3339(0, "-0530"), "1969-12-31T18:30:00-05:30");
    }
}
