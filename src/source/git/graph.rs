//! The shape of a history, learned from one decode of every commit and tree: the commit
//! graph, the tree-to-subtree edges, the paths each tree is found at, and then the paths
//! of every blob. Blob entries of trees are never all held at once (a long history has
//! hundreds of millions of them); each distinct (blob, path) pair is kept once.

use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::Mutex;

use gix::ObjectId;
use gix::objs::Kind;

use crate::source::Note;
use crate::source::git::objects::{ObjectDatabase, ObjectHandler, Pass};
use crate::source::git::tree::{EntryKind, TreeEntries, commit_header};

/// No such index.
pub const NONE: u32 = u32::MAX;
/// The path id of the root directory.
pub const ROOT: u32 = 0;
/// A tree reachable at more paths than this is only followed at the first ones.
pub const MAX_PATHS_PER_TREE: usize = 64;

#[derive(Debug, Clone, Default)]
pub struct CommitRecord {
    pub tree: u32,
    pub parents: Vec<u32>,
    pub time: i64,
}

/// Interned names (file and directory names), shared by all paths.
#[derive(Default)]
pub struct Names {
    names: Vec<Box<[u8]>>,
    ids: HashMap<Box<[u8]>, u32>,
}

impl Names {
    pub fn intern(&mut self, name: &[u8]) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }

    pub fn get(&self, id: u32) -> &[u8] {
        &self.names[id as usize]
    }

    /// Interns every name of this (a thread's local table) in `shared`: the shared id
    /// of each local id.
    pub fn interned_in(&self, shared: &mut Names) -> Vec<u32> {
        self.names.iter().map(|name| shared.intern(name)).collect()
    }
}

/// Paths as (parent path, name) chains: a directory or file path is one `u32`.
pub struct Paths {
    nodes: Vec<(u32, u32)>,
    ids: HashMap<(u32, u32), u32>,
}

impl Default for Paths {
    fn default() -> Paths {
        Paths {
            nodes: vec![(NONE, NONE)],
            ids: HashMap::new(),
        }
    }
}

impl Paths {
    pub fn child(&mut self, parent: u32, name: u32) -> u32 {
        let next = self.nodes.len() as u32;
        *self.ids.entry((parent, name)).or_insert_with(|| {
            self.nodes.push((parent, name));
            next
        })
    }

    /// (parent path, name); the root has neither.
    pub fn split(&self, path: u32) -> (u32, u32) {
        self.nodes[path as usize]
    }

    pub fn render(&self, path: u32, names: &Names) -> String {
        let mut parts = Vec::new();
        let mut current = path;
        while current != ROOT && current != NONE {
            let (parent, name) = self.nodes[current as usize];
            parts.push(name);
            current = parent;
        }
        let mut bytes = Vec::new();
        for (position, name) in parts.iter().rev().enumerate() {
            if position > 0 {
                bytes.push(b'/');
            }
            bytes.extend_from_slice(names.get(*name));
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// A compressed sparse row list: for each key, a slice of values.
pub struct Adjacency<V> {
    pub(super) starts: Vec<u32>,
    values: Vec<V>,
}

impl<V: Copy> Adjacency<V> {
    /// Builds from (key, value) pairs; keys are below `keys`.
    pub fn build(keys: usize, mut pairs: Vec<(u32, V)>) -> Adjacency<V> {
        pairs.sort_by_key(|(key, _)| *key);
        let mut starts = vec![0u32; keys + 1];
        for (key, _) in &pairs {
            starts[*key as usize + 1] += 1;
        }
        for index in 0..keys {
            starts[index + 1] += starts[index];
        }
        Adjacency {
            starts,
            values: pairs.into_iter().map(|(_, value)| value).collect(),
        }
    }

    pub fn values(&self) -> &[V] {
        &self.values
    }

    pub fn get(&self, key: u32) -> &[V] {
        let key = key as usize;
        if key + 1 >= self.starts.len() {
            return &[];
        }
        &self.values[self.starts[key] as usize..self.starts[key + 1] as usize]
    }
}

/// Everything pass 1 (commits and trees) learns.
pub struct Skeleton {
    pub commits: Vec<CommitRecord>,
    /// Tree -> (subtree, name).
    pub subtrees: Adjacency<(u32, u32)>,
    /// Subtree -> (parent tree, name).
    pub parents: Adjacency<(u32, u32)>,
    pub names: Names,
    /// (tree, name) of submodule entries, a few per name.
    pub submodules: Vec<(u32, u32)>,
    /// Objects that commits and trees name but the database lacks, sorted.
    pub missing: Vec<MissingLink>,
    /// Commits whose header does not parse.
    pub unreadable_commits: Vec<u32>,
}

/// How a missing object is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Link {
    /// A commit's parent.
    Parent,
    /// A commit's root tree.
    RootTree,
    /// A tree's subtree.
    Subtree,
}

/// An object that a commit or tree names and the object database lacks (or holds as
/// another kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MissingLink {
    pub link: Link,
    /// The commit (parents, root trees) or tree (subtrees) that names it.
    pub from: u32,
    pub id: ObjectId,
}

/// Per-thread state for one decode pass: a fresh `S` per thread, handed to `sink` when
/// the thread is done.
struct Collect<'a, S: Default + Send, F> {
    state: S,
    handle: &'a F,
    sink: &'a Mutex<Vec<S>>,
}

impl<S: Default + Send, F> Clone for Collect<'_, S, F> {
    fn clone(&self) -> Self {
        Collect {
            state: S::default(),
            handle: self.handle,
            sink: self.sink,
        }
    }
}

impl<S: Default + Send, F> Drop for Collect<'_, S, F> {
    fn drop(&mut self) {
        let state = std::mem::take(&mut self.state);
        if let Ok(mut sink) = self.sink.lock() {
            sink.push(state);
        }
    }
}

impl<S, F> ObjectHandler for Collect<'_, S, F>
where
    S: Default + Send,
    F: Fn(&mut S, Kind, u32, &[u8]) + Sync,
{
    fn handle(&mut self, kind: Kind, index: u32, data: &[u8]) {
        (self.handle)(&mut self.state, kind, index, data);
    }
}

/// Runs one decode pass with per-thread state `S` and returns every thread's state.
pub fn collect<S, F>(
    database: &ObjectDatabase,
    pass: Pass,
    threads: usize,
    handle: F,
) -> (Vec<S>, Vec<Note>)
where
    S: Default + Send,
    F: Fn(&mut S, Kind, u32, &[u8]) + Sync,
{
    collect_where(database, pass, threads, &|_| true, handle)
}

/// [`collect`] over the objects `wanted` accepts.
pub fn collect_where<S, F>(
    database: &ObjectDatabase,
    pass: Pass,
    threads: usize,
    wanted: &(dyn Fn(u32) -> bool + Sync),
    handle: F,
) -> (Vec<S>, Vec<Note>)
where
    S: Default + Send,
    F: Fn(&mut S, Kind, u32, &[u8]) + Sync,
{
    let sink = Mutex::new(Vec::new());
    let notes = database.decode_where(
        pass,
        threads,
        wanted,
        Collect {
            state: S::default(),
            handle: &handle,
            sink: &sink,
        },
    );
    (sink.into_inner().unwrap_or_default(), notes)
}

/// One thread's share of pass 1.
#[derive(Default)]
struct SkeletonPart {
    commits: Vec<(u32, CommitRecord)>,
    edges: Vec<(u32, u32, u32)>,
    names: Names,
    submodules: Vec<(u32, u32)>,
    seen_submodule_names: HashSet<Box<[u8]>>,
    missing: Vec<MissingLink>,
    unreadable_commits: Vec<u32>,
}

fn learn_from(
    part: &mut SkeletonPart,
    database: &ObjectDatabase,
    kind: Kind,
    index: u32,
    data: &[u8],
) {
    match kind {
        Kind::Commit => {
            let Some(header) = commit_header(data) else {
                part.unreadable_commits.push(index);
                return;
            };
            let mut tree = NONE;
            let mut parents = Vec::with_capacity(header.parents.len());
            for (link, hex) in std::iter::once((Link::RootTree, header.tree))
                .chain(header.parents.iter().map(|hex| (Link::Parent, *hex)))
            {
                let Ok(id) = ObjectId::from_hex(hex) else {
                    part.unreadable_commits.push(index);
                    continue;
                };
                let wanted = if link == Link::RootTree {
                    Kind::Tree
                } else {
                    Kind::Commit
                };
                match database.lookup(&id) {
                    Some(slot) if slot.kind == wanted && link == Link::RootTree => {
                        tree = slot.index;
                    }
                    Some(slot) if slot.kind == wanted => parents.push(slot.index),
                    _ => part.missing.push(MissingLink {
                        link,
                        from: index,
                        id,
                    }),
                }
            }
            part.commits.push((
                index,
                CommitRecord {
                    tree,
                    parents,
                    time: header.time,
                },
            ));
        }
        Kind::Tree => {
            for entry in TreeEntries::new(data) {
                match entry.kind {
                    EntryKind::Tree => {
                        let Ok(id) = gix::oid::try_from_bytes(entry.id) else {
                            continue;
                        };
                        match database.lookup(id) {
                            Some(slot) if slot.kind == Kind::Tree => {
                                let name = part.names.intern(entry.name);
                                part.edges.push((index, slot.index, name));
                            }
                            _ => part.missing.push(MissingLink {
                                link: Link::Subtree,
                                from: index,
                                id: id.to_owned(),
                            }),
                        }
                    }
                    EntryKind::Submodule => {
                        if !part.seen_submodule_names.contains(entry.name) {
                            part.seen_submodule_names.insert(entry.name.into());
                            let name = part.names.intern(entry.name);
                            part.submodules.push((index, name));
                        }
                    }
                    EntryKind::Blob | EntryKind::Symlink => {}
                }
            }
        }
        Kind::Blob | Kind::Tag => {}
    }
}

/// Pass 1: decodes every commit and tree once.
pub fn learn_skeleton(
    database: &ObjectDatabase,
    threads: usize,
    on_object: &(dyn Fn() + Sync),
) -> (Skeleton, Vec<Note>) {
    let (parts, notes) = collect(
        database,
        Pass::CommitsAndTrees,
        threads,
        |part: &mut SkeletonPart, kind, index, data| {
            on_object();
            learn_from(part, database, kind, index, data);
        },
    );
    (merge_skeleton(database, parts), notes)
}

fn merge_skeleton(database: &ObjectDatabase, parts: Vec<SkeletonPart>) -> Skeleton {
    let trees = database.count(Kind::Tree);
    let mut commits = vec![
        CommitRecord {
            tree: NONE,
            parents: Vec::new(),
            time: 0,
        };
        database.count(Kind::Commit)
    ];
    let mut names = Names::default();
    let mut edges = Vec::new();
    let mut submodules = Vec::new();
    let mut missing = Vec::new();
    let mut unreadable_commits = Vec::new();
    for part in parts {
        let local = part.names.interned_in(&mut names);
        for (index, record) in part.commits {
            commits[index as usize] = record;
        }
        edges.extend(
            part.edges
                .into_iter()
                .map(|(parent, child, name)| (parent, child, local[name as usize])),
        );
        submodules.extend(
            part.submodules
                .into_iter()
                .map(|(tree, name)| (tree, local[name as usize])),
        );
        missing.extend(part.missing);
        unreadable_commits.extend(part.unreadable_commits);
    }
    missing.sort();
    missing.dedup();
    unreadable_commits.sort();
    unreadable_commits.dedup();
    let parents = Adjacency::build(
        trees,
        edges
            .iter()
            .map(|&(parent, child, name)| (child, (parent, name)))
            .collect(),
    );
    let subtrees = Adjacency::build(
        trees,
        edges
            .into_iter()
            .map(|(parent, child, name)| (parent, (child, name)))
            .collect(),
    );
    Skeleton {
        commits,
        subtrees,
        parents,
        names,
        submodules,
        missing,
        unreadable_commits,
    }
}

/// The commits a scan covers, in an order where parents come first.
pub struct Selection {
    pub selected: Vec<bool>,
    /// Rank of each selected commit in topological order (parents first, then by time).
    pub rank: Vec<u32>,
    pub children: Adjacency<u32>,
}

/// Selects the commits reachable from `tips` and not from `excluded`, and orders them.
pub fn select_commits(commits: &[CommitRecord], tips: &[u32], excluded: &[u32]) -> Selection {
    let reach = |starts: &[u32]| {
        let mut seen = vec![false; commits.len()];
        let mut stack: Vec<u32> = starts.to_vec();
        while let Some(commit) = stack.pop() {
            if std::mem::replace(&mut seen[commit as usize], true) {
                continue;
            }
            stack.extend(&commits[commit as usize].parents);
        }
        seen
    };
    let hidden = reach(excluded);
    let mut selected = reach(tips);
    for (index, hide) in hidden.iter().enumerate() {
        if *hide {
            selected[index] = false;
        }
    }
    let mut child_pairs = Vec::new();
    let mut pending = vec![0u32; commits.len()];
    for (index, record) in commits.iter().enumerate() {
        if !selected[index] {
            continue;
        }
        for &parent in &record.parents {
            if selected[parent as usize] {
                child_pairs.push((parent, index as u32));
                pending[index] += 1;
            }
        }
    }
    let children = Adjacency::build(commits.len(), child_pairs);
    let mut rank = vec![NONE; commits.len()];
    let mut ready: BinaryHeap<std::cmp::Reverse<(i64, u32)>> = (0..commits.len())
        .filter(|&index| selected[index] && pending[index] == 0)
        .map(|index| std::cmp::Reverse((commits[index].time, index as u32)))
        .collect();
    let mut next = 0;
    while let Some(std::cmp::Reverse((_, commit))) = ready.pop() {
        rank[commit as usize] = next;
        next += 1;
        for &child in children.get(commit) {
            pending[child as usize] -= 1;
            if pending[child as usize] == 0 {
                ready.push(std::cmp::Reverse((commits[child as usize].time, child)));
            }
        }
    }
    Selection {
        selected,
        rank,
        children,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(parents: &[u32], time: i64) -> CommitRecord {
        CommitRecord {
            tree: NONE,
            parents: parents.to_vec(),
            time,
        }
    }

    #[test]
    fn parents_rank_before_children_even_with_older_child_times() {
        // 0 <- 1 <- 2, and 3 branches off 0 with the oldest time of all.
        let commits = vec![
            commit(&[], 10),
            commit(&[0], 30),
            commit(&[1], 40),
            commit(&[0], 5),
        ];
        let selection = select_commits(&commits, &[2, 3], &[]);
        assert!(selection.selected.iter().all(|&selected| selected));
        assert_eq!(selection.rank[0], 0);
        assert!(selection.rank[1] < selection.rank[2]);
        assert_eq!(selection.rank[3], 1);
        assert_eq!(selection.children.get(0), &[1, 3]);
    }

    #[test]
    fn excluded_commits_and_their_ancestors_are_not_selected() {
        let commits = vec![commit(&[], 1), commit(&[0], 2), commit(&[1], 3)];
        let selection = select_commits(&commits, &[2], &[1]);
        assert_eq!(selection.selected, [false, false, true]);
    }

    #[test]
    fn paths_render_with_slashes_and_are_interned_once() {
        let mut names = Names::default();
        let mut paths = Paths::default();
        let src = paths.child(ROOT, names.intern(b"src"));
        let file = paths.child(src, names.intern(b"main.rs"));
        assert_eq!(paths.child(src, names.intern(b"main.rs")), file);
        assert_eq!(paths.render(file, &names), "src/main.rs");
        assert_eq!(paths.render(ROOT, &names), "");
        assert_eq!(paths.split(file), (src, names.intern(b"main.rs")));
    }

    #[test]
    fn adjacency_lists_values_per_key() {
        let adjacency = Adjacency::build(3, vec![(2, 'b'), (0, 'x'), (2, 'a')]);
        assert_eq!(adjacency.get(0), &['x']);
        assert!(adjacency.get(1).is_empty());
        assert_eq!(adjacency.get(2).len(), 2);
        assert!(adjacency.get(9).is_empty());
    }
}
