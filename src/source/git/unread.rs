//! What a history scan could not read: objects that refs, commits and trees name and the
//! object database lacks, and refs that do not resolve. Each kind is counted and becomes
//! one warning note (shown without `-v`); everything but a dangling symbolic ref makes
//! the scan incomplete, so it exits 2 when it finds nothing.

use gix::ObjectId;

use crate::source::Note;

/// Everything a history scan could not read, gathered from its phases.
#[derive(Debug, Default)]
pub struct Unread {
    /// Refs whose object (or a tag's target) is missing: (ref name, missing id).
    pub refs: Vec<(String, ObjectId)>,
    /// Refs that cannot be read or resolved: (ref name or file, why).
    pub broken_refs: Vec<(String, String)>,
    /// Symbolic refs whose target does not exist: nothing is missed, but worth a word.
    pub dangling_refs: Vec<String>,
    /// Missing parent commits: (missing id, the commit naming it).
    pub commits: Vec<(ObjectId, ObjectId)>,
    /// Commits whose header does not parse.
    pub unreadable_commits: Vec<ObjectId>,
    /// Missing root trees: (missing id, the commit naming it).
    pub root_trees: Vec<(ObjectId, ObjectId)>,
    /// Missing subtrees: (missing id, the tree naming it).
    pub trees: Vec<(ObjectId, ObjectId)>,
    /// Missing blobs: (id, one of its paths).
    pub blobs: Vec<(ObjectId, String)>,
}

/// `1 commit` / `3 commits`.
fn count(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `1 commit is` / `3 commits are`.
fn counted(number: usize, noun: &str) -> String {
    let verb = if number == 1 { "is" } else { "are" };
    format!("{} {verb}", count(number, noun))
}

impl Unread {
    /// Objects the history needs and could not read.
    fn objects(&self) -> usize {
        self.refs.len()
            + self.commits.len()
            + self.unreadable_commits.len()
            + self.root_trees.len()
            + self.trees.len()
            + self.blobs.len()
    }

    /// Whether something the history needs was not read.
    pub fn makes_incomplete(&self) -> bool {
        self.objects() > 0 || !self.broken_refs.is_empty()
    }

    /// One warning per kind of unread object; `place` names the repository.
    pub fn notes(&self, place: &str, partial_clone: bool) -> Vec<Note> {
        let mut notes = Vec::new();
        for (name, why) in &self.broken_refs {
            notes.push(Note::warning(
                name,
                format!("ref cannot be read, skipped: {why}"),
            ));
        }
        for name in &self.dangling_refs {
            notes.push(Note::warning(
                name,
                "symbolic ref to a ref that does not exist, skipped",
            ));
        }
        match self.refs.as_slice() {
            [] => {}
            [(name, id)] => notes.push(Note::warning(
                name,
                format!(
                    "points to {id}, which is missing from the object database; the history behind it was not scanned"
                ),
            )),
            [(name, id), ..] => notes.push(Note::warning(
                place,
                format!(
                    "{} refs point to objects missing from the object database (first: {name} -> {id}); the history behind them was not scanned",
                    self.refs.len()
                ),
            )),
        }
        if let Some((id, child)) = self.commits.first() {
            notes.push(Note::warning(
                place,
                format!(
                    "{} missing from the object database (first: {id}, parent of {child}); the history behind it was not scanned",
                    counted(self.commits.len(), "commit")
                ),
            ));
        }
        if let Some(id) = self.unreadable_commits.first() {
            notes.push(Note::warning(
                place,
                format!(
                    "{} not readable (first: {id}); its tree and parents were not scanned",
                    counted(self.unreadable_commits.len(), "commit")
                ),
            ));
        }
        if let Some((id, commit)) = self.root_trees.first() {
            notes.push(Note::warning(
                place,
                format!(
                    "{} missing from the object database (first: {id}, the root tree of commit {commit}); the files under it were not scanned",
                    counted(self.root_trees.len(), "tree")
                ),
            ));
        }
        if let Some((id, parent)) = self.trees.first() {
            notes.push(Note::warning(
                place,
                format!(
                    "{} missing from the object database (first: {id}, in tree {parent}); the files under it were not scanned",
                    counted(self.trees.len(), "tree")
                ),
            ));
        }
        match (self.blobs.as_slice(), partial_clone) {
            ([], _) => {}
            ([(id, path), ..], true) => notes.push(Note::warning(
                place,
                format!(
                    "partial clone: {} missing (left out by the clone's filter) and not scanned (first: {id} at {path}); clone without `--filter` for a complete audit",
                    counted(self.blobs.len(), "blob")
                ),
            )),
            ([(id, path)], false) => notes.push(Note::warning(
                path,
                format!("blob {id} is missing from the object database; not scanned"),
            )),
            ([(id, path), ..], false) => notes.push(Note::warning(
                place,
                format!(
                    "{} missing from the object database (first: {id} at {path}); not scanned",
                    counted(self.blobs.len(), "blob")
                ),
            )),
        }
        let damaged = self.objects() - if partial_clone { self.blobs.len() } else { 0 };
        if damaged > 0 {
            notes.push(Note::warning(
                place,
                format!(
                    "history incomplete: {} the scan needs could not be read; `git fsck --full` lists the damage",
                    count(damaged, "object")
                ),
            ));
        }
        notes
    }
}
