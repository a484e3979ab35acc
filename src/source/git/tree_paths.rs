//! Where trees and blobs sit in a history: the directories each tree is found at (from
//! the selected commits' root trees), then every distinct (blob, path) pair from a second
//! decode of the trees, and, for attribution, the trees that hold given blobs.

use std::collections::{HashMap, HashSet};

use gix::ObjectId;
use gix::objs::Kind;

use super::graph::{
    Adjacency, MAX_PATHS_PER_TREE, NONE, Names, Paths, ROOT, Selection, Skeleton, collect_where,
};
use super::objects::{ObjectDatabase, Pass};
use super::tree::{EntryKind, TreeEntries};
use crate::source::Note;

/// The directories each tree is found at, from the root trees of the selected commits.
pub struct TreePaths {
    first: Vec<u32>,
    more: HashMap<u32, Vec<u32>>,
    /// Root tree -> selected commits that have it.
    pub commits_by_root: Adjacency<u32>,
}

impl TreePaths {
    pub fn of(&self, tree: u32) -> impl Iterator<Item = u32> + '_ {
        let first = self.first[tree as usize];
        (first != NONE)
            .then_some(first)
            .into_iter()
            .chain(self.more.get(&tree).into_iter().flatten().copied())
    }

    pub fn contains(&self, tree: u32, path: u32) -> bool {
        self.of(tree).any(|known| known == path)
    }
}

pub fn tree_paths(skeleton: &Skeleton, selection: &Selection, paths: &mut Paths) -> TreePaths {
    let trees = skeleton.subtrees.starts.len().saturating_sub(1);
    let mut tree_paths = TreePaths {
        first: vec![NONE; trees],
        more: HashMap::new(),
        commits_by_root: Adjacency::build(
            trees,
            skeleton
                .commits
                .iter()
                .enumerate()
                .filter(|(index, record)| selection.selected[*index] && record.tree != NONE)
                .map(|(index, record)| (record.tree, index as u32))
                .collect(),
        ),
    };
    let mut stack: Vec<(u32, u32)> = Vec::new();
    for (index, record) in skeleton.commits.iter().enumerate() {
        if selection.selected[index] && record.tree != NONE {
            stack.push((record.tree, ROOT));
        }
    }
    while let Some((tree, path)) = stack.pop() {
        let slot = &mut tree_paths.first[tree as usize];
        if *slot == NONE {
            *slot = path;
        } else if *slot == path {
            continue;
        } else {
            let more = tree_paths.more.entry(tree).or_default();
            if more.contains(&path) || more.len() + 1 >= MAX_PATHS_PER_TREE {
                continue;
            }
            more.push(path);
        }
        for &(child, name) in skeleton.subtrees.get(tree) {
            stack.push((child, paths.child(path, name)));
        }
    }
    tree_paths
}

/// The distinct paths of every reachable blob (file path ids), from pass 2.
pub struct BlobPaths {
    pub paths: Adjacency<u32>,
    /// Blob ids that trees name but the database lacks, with one path each.
    pub missing: Vec<(ObjectId, u32)>,
}

#[derive(Default)]
struct BlobPathPart {
    /// (raw blob id, directory path, local name)
    records: Vec<([u8; 20], u32, u32)>,
    names: Names,
    /// A direct-mapped cache of recently seen (blob, directory, name) keys: consecutive
    /// versions of a directory repeat almost all their entries.
    recent: Vec<u64>,
    compact_at: usize,
}

const RECENT_SLOTS: usize = 1 << 20;
/// A thread's records are sorted and deduplicated when they reach this many, which bounds
/// memory by the number of distinct (blob, path) pairs.
const COMPACT_AT: usize = 1 << 21;

fn name_hash(name: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf29ce484222325;
    for &byte in name {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x100000001b3);
    }
    hash
}

fn learn_blob_entries(part: &mut BlobPathPart, tree_paths: &TreePaths, index: u32, data: &[u8]) {
    if tree_paths.first[index as usize] == NONE {
        return;
    }
    if part.recent.is_empty() {
        part.recent = vec![0; RECENT_SLOTS];
    }
    for dir in tree_paths.of(index) {
        for entry in TreeEntries::new(data) {
            if entry.kind != EntryKind::Blob {
                continue;
            }
            let Ok(id) = <[u8; 20]>::try_from(entry.id) else {
                continue;
            };
            let key = u64::from_le_bytes(id[..8].try_into().expect("8 bytes"))
                ^ name_hash(entry.name)
                ^ u64::from(dir).wrapping_mul(0x9e3779b97f4a7c15);
            let key = key | 1;
            let slot = &mut part.recent[(key as usize) & (RECENT_SLOTS - 1)];
            if *slot == key {
                continue;
            }
            *slot = key;
            let name = part.names.intern(entry.name);
            part.records.push((id, dir, name));
        }
    }
    if part.records.len() >= part.compact_at.max(COMPACT_AT) {
        part.records.sort_unstable();
        part.records.dedup();
        part.compact_at = part.records.len() * 2;
    }
}

/// Pass 2: decodes the trees again, now that their paths are known, to learn every
/// distinct (blob, path) pair.
pub fn learn_blob_paths(
    database: &ObjectDatabase,
    tree_paths: &TreePaths,
    names: &mut Names,
    paths: &mut Paths,
    threads: usize,
    on_object: &(dyn Fn() + Sync),
) -> (BlobPaths, Vec<Note>) {
    let reachable = |tree: u32| tree_paths.first[tree as usize] != NONE;
    let (parts, notes) = collect_where(
        database,
        Pass::Trees,
        threads,
        &reachable,
        |part: &mut BlobPathPart, _kind, index, data| {
            on_object();
            learn_blob_entries(part, tree_paths, index, data);
        },
    );
    let mut pairs = Vec::new();
    let mut missing = Vec::new();
    let mut missing_seen = HashSet::new();
    for part in parts {
        let local = part.names.interned_in(names);
        for (id, dir, name) in part.records {
            let file = paths.child(dir, local[name as usize]);
            let id = ObjectId::from_bytes_or_panic(&id);
            match database.lookup(&id) {
                Some(slot) if slot.kind == Kind::Blob => pairs.push((slot.index, file)),
                _ => {
                    if missing_seen.insert(id) {
                        missing.push((id, file));
                    }
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    (
        BlobPaths {
            paths: Adjacency::build(database.count(Kind::Blob), pairs),
            missing,
        },
        notes,
    )
}

#[derive(Default)]
struct HoldingPart {
    records: Vec<(u32, u32, u32)>,
    names: Names,
}

/// Pass 4: the trees at one of `dirs` that hold one of `targets` (raw blob id -> blob
/// index) as a file, as (tree, name, blob). Only the versions of those directories (and
/// their delta bases) are decoded.
pub fn trees_holding(
    database: &ObjectDatabase,
    tree_paths: &TreePaths,
    targets: &HashMap<[u8; 20], u32>,
    dirs: &HashSet<u32>,
    names: &mut Names,
    threads: usize,
) -> (Vec<(u32, u32, u32)>, Vec<Note>) {
    let at_target_dir = |tree: u32| tree_paths.of(tree).any(|dir| dirs.contains(&dir));
    let (parts, notes) = collect_where(
        database,
        Pass::Trees,
        threads,
        &at_target_dir,
        |part: &mut HoldingPart, _kind, index, data| {
            if tree_paths.first[index as usize] == NONE {
                return;
            }
            for entry in TreeEntries::new(data) {
                if entry.kind != EntryKind::Blob {
                    continue;
                }
                let Ok(id) = <[u8; 20]>::try_from(entry.id) else {
                    continue;
                };
                if let Some(&blob) = targets.get(&id) {
                    let name = part.names.intern(entry.name);
                    part.records.push((index, name, blob));
                }
            }
        },
    );
    let mut records = Vec::new();
    for part in parts {
        let local = part.names.interned_in(names);
        records.extend(
            part.records
                .into_iter()
                .map(|(tree, name, blob)| (tree, local[name as usize], blob)),
        );
    }
    (records, notes)
}
