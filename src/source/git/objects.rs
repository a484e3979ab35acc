//! Reads every object of a repository's object database in storage order, which is much
//! cheaper than following commits: each pack is decoded through its delta tree (every
//! base inflated once, each delta applied on top of its base in memory) on several
//! threads, then loose objects are read one by one.
//!
//! An [`ObjectDatabase`] first learns the kind of every object from the pack entry
//! headers alone, so a pass can decode only the kinds it needs (commits and trees, or
//! blobs). Every object gets a dense index per kind; an object stored twice (in two
//! packs, or packed and loose) is handed out once. A damaged entry costs only itself and
//! the deltas built on it: the rest of its pack is still read ([`super::salvage`]).

use std::collections::HashSet;
use std::ops::Deref;
use std::path::Path;
use std::sync::{Arc, Mutex};

use gix::ObjectId;
use gix::objs::Kind;
use gix::odb::pack;

use crate::source::Note;

use super::pack_pass;
use super::salvage::{self, DamagedEntries};

/// Where an object of the table lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub kind: Kind,
    /// Dense index among the objects of its kind.
    pub index: u32,
}

pub(super) struct PackEntry {
    pub(super) offset: u64,
    pub(super) id: ObjectId,
    pub(super) kind: Kind,
    /// Position of the delta base in the sorted entries, or `NO_BASE`.
    pub(super) base: u32,
    /// False when another pack already holds the object.
    pub(super) primary: bool,
    /// The object's size from its header, or `UNKNOWN_SIZE` for a delta (whose header
    /// gives the size of the delta).
    pub(super) size: u64,
}

const UNKNOWN_SIZE: u64 = u64::MAX;

pub(super) const NO_BASE: u32 = u32::MAX;

/// A pack file mapped into memory, shared by the pack reader and [`PackMap::release`].
#[derive(Clone)]
pub(super) struct PackMap(Arc<memmap2::Mmap>);

impl Deref for PackMap {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// How much pack data is read between two [`PackMap::release`]s.
pub(super) const RELEASE_EVERY: u64 = 16 << 20;

impl PackMap {
    fn open(path: &Path) -> std::io::Result<PackMap> {
        let file = std::fs::File::open(path)?;
        // SAFETY: pack files are immutable once written (git replaces them, it never
        // rewrites one in place), so the mapped bytes do not change under us.
        let map = unsafe { memmap2::Mmap::map(&file) }?;
        Ok(PackMap(Arc::new(map)))
    }

    /// Unmaps the pages read so far. A pass reads the whole pack, and its pages would
    /// otherwise all count as this process's memory (a 300 MB pack for git/git); they stay
    /// in the page cache, and a later read maps them again.
    pub(super) fn release(&self) {
        #[cfg(unix)]
        // SAFETY: DontNeed discards private modifications, and this mapping is read-only:
        // after it, reads see the file's bytes again, which are the bytes they saw before.
        let _ = unsafe { self.0.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
    }
}

pub(super) type PackData = pack::data::File<PackMap>;

pub(super) struct Pack {
    pub(super) name: String,
    pub(super) index: pack::index::File,
    pub(super) data: PackData,
    pub(super) map: PackMap,
    /// Sorted by offset.
    pub(super) entries: Vec<PackEntry>,
    /// Entries found damaged so far, by position; passes learn more as they go.
    pub(super) damaged: Mutex<DamagedEntries>,
    /// Damaged entries already reported in a note.
    pub(super) reported: Mutex<HashSet<u32>>,
}

/// Receives decoded objects. Each decoding thread works with its own clone, so a
/// handler keeps per-thread state and hands it over when dropped.
pub trait ObjectHandler: Send + Clone {
    fn handle(&mut self, kind: Kind, index: u32, data: &[u8]);
}

/// Which kinds a pass decodes.
#[derive(Debug, Clone, Copy)]
pub enum Pass {
    CommitsAndTrees,
    Trees,
    Blobs,
}

impl Pass {
    pub(super) fn wants(self, kind: Kind) -> bool {
        match self {
            Pass::CommitsAndTrees => matches!(kind, Kind::Commit | Kind::Tree),
            Pass::Trees => kind == Kind::Tree,
            Pass::Blobs => kind == Kind::Blob,
        }
    }
}

/// The object database of one repository, indexed.
pub struct ObjectDatabase {
    packs: Vec<Pack>,
    /// Loose objects not also packed, with their kind and the store they are in.
    loose: Vec<(ObjectId, Kind, usize)>,
    loose_stores: Vec<gix::odb::loose::Store>,
    objects: gix::hashtable::HashMap<ObjectId, Slot>,
    ids: [Vec<ObjectId>; 4],
    /// Blob sizes by blob index, when a header gives them (`UNKNOWN_SIZE` for deltas), so
    /// that a blob over the size limit is skipped without being inflated.
    blob_sizes: Vec<u64>,
    /// One-line notes about packs or objects that could not be read.
    pub notes: Vec<Note>,
    /// Whether some object could not be read (the scan is incomplete).
    pub damaged: bool,
    /// Whether packs came from a promisor remote (a partial clone, which lacks objects
    /// on purpose).
    pub partial_clone: bool,
}

fn kind_slot(kind: Kind) -> usize {
    match kind {
        Kind::Commit => 0,
        Kind::Tree => 1,
        Kind::Blob => 2,
        Kind::Tag => 3,
    }
}

impl ObjectDatabase {
    /// Indexes the packs and loose objects of `repo` (its alternates too).
    pub fn open(repo: &gix::Repository) -> ObjectDatabase {
        let mut database = ObjectDatabase {
            packs: Vec::new(),
            loose: Vec::new(),
            objects: Default::default(),
            ids: Default::default(),
            blob_sizes: Vec::new(),
            loose_stores: Vec::new(),
            notes: Vec::new(),
            damaged: false,
            partial_clone: false,
        };
        let records = match repo.objects.store_ref().structure() {
            Ok(records) => records,
            Err(error) => {
                database.fail(
                    repo.git_dir().join("objects").display().to_string(),
                    format!("cannot list the object database: {error}"),
                );
                return database;
            }
        };
        let mut index_paths = Vec::new();
        let mut loose_dirs = Vec::new();
        use gix::odb::store::structure::Record;
        for record in records {
            match record {
                Record::Index { path, .. } => index_paths.push(path),
                Record::MultiIndex { path, .. } => match pack::multi_index::File::at(&path, None) {
                    Ok(multi) => {
                        let dir = path.parent().unwrap_or(Path::new("."));
                        index_paths.extend(multi.index_names().iter().map(|name| dir.join(name)));
                    }
                    Err(error) => database.fail(path.display().to_string(), error.to_string()),
                },
                Record::LooseObjectDatabase {
                    objects_directory, ..
                } => loose_dirs.push(objects_directory),
                Record::Empty => {}
            }
        }
        index_paths.sort();
        index_paths.dedup();
        for index_path in index_paths {
            database.add_pack(&index_path);
        }
        for dir in loose_dirs {
            database.check_pack_dir(&dir.join("pack"));
            database.add_loose(&dir);
        }
        database
    }

    /// Notes packs that have no index (gix, like git, does not see them, so their
    /// objects would be missed without a word) and learns whether this is a partial clone.
    fn check_pack_dir(&mut self, pack_dir: &Path) {
        let Ok(entries) = std::fs::read_dir(pack_dir) else {
            return;
        };
        let mut unindexed = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            match path.extension().and_then(|ext| ext.to_str()) {
                Some("promisor") => self.partial_clone = true,
                Some("pack") if !path.with_extension("idx").exists() => unindexed.push(path),
                _ => {}
            }
        }
        unindexed.sort();
        for pack in unindexed {
            self.fail(
                pack.display().to_string(),
                format!(
                    "pack without an index (.idx), its objects were not read; `git index-pack {}` rebuilds the index",
                    pack.display()
                ),
            );
        }
    }

    fn fail(&mut self, subject: String, message: String) {
        self.damaged = true;
        self.notes.push(Note::warning(subject, message));
    }

    fn register(&mut self, id: ObjectId, kind: Kind, size: u64) -> bool {
        if self.objects.contains_key(&id) {
            return false;
        }
        if kind == Kind::Blob {
            self.blob_sizes.push(size);
        }
        let ids = &mut self.ids[kind_slot(kind)];
        self.objects.insert(
            id,
            Slot {
                kind,
                index: ids.len() as u32,
            },
        );
        ids.push(id);
        true
    }

    fn add_pack(&mut self, index_path: &Path) {
        let pack_path = index_path.with_extension("pack");
        let name = pack_path.display().to_string();
        let hash = gix::hash::Kind::Sha1;
        let index = match pack::index::File::at(index_path, hash) {
            Ok(index) => index,
            Err(error) => {
                return self.fail(
                    index_path.display().to_string(),
                    format!(
                        "corrupt pack index, skipped: {}",
                        one_line(&error.to_string())
                    ),
                );
            }
        };
        let map = match PackMap::open(&pack_path) {
            Ok(map) => map,
            Err(error) => {
                return self.fail(
                    name,
                    format!(
                        "cannot read pack, skipped: {}",
                        one_line(&error.to_string())
                    ),
                );
            }
        };
        let data = match pack::data::File::from_data(map.clone(), pack_path.clone(), hash) {
            Ok(data) => data.with_alloc_limit_bytes(Some(salvage::alloc_limit())),
            Err(error) => {
                return self.fail(
                    name,
                    format!("corrupt pack, skipped: {}", one_line(&error.to_string())),
                );
            }
        };
        let (mut entries, damaged) = pack_entries(&index, &data, &map);
        for (position, entry) in entries.iter_mut().enumerate() {
            entry.primary = !damaged.contains_key(&(position as u32))
                && self.register(entry.id, entry.kind, entry.size);
        }
        map.release();
        let reported: HashSet<u32> = damaged.keys().copied().collect();
        if !damaged.is_empty() {
            self.damaged = true;
            self.notes.extend(salvage::damage_notes(
                &name,
                damaged
                    .iter()
                    .map(|(&position, why)| (None, entries[position as usize].id, why.as_str())),
            ));
        }
        self.packs.push(Pack {
            name,
            index,
            data,
            map,
            entries,
            damaged: Mutex::new(damaged),
            reported: Mutex::new(reported),
        });
    }

    fn add_loose(&mut self, objects_directory: &Path) {
        let store = gix::odb::loose::Store::at(objects_directory, gix::hash::Kind::Sha1);
        for id in store.iter() {
            let id = match id {
                Ok(id) => id,
                Err(error) => {
                    self.fail(
                        objects_directory.display().to_string(),
                        format!(
                            "cannot list loose objects: {}",
                            one_line(&error.to_string())
                        ),
                    );
                    continue;
                }
            };
            if self.objects.contains_key(&id) {
                continue;
            }
            // The header alone: a loose object is inflated only when a pass wants it.
            match store.try_header(&id) {
                Ok(Some((size, kind))) => {
                    self.register(id, kind, size);
                    self.loose.push((id, kind, self.loose_stores.len()));
                }
                Ok(None) => {}
                Err(error) => self.fail(
                    format!("object {id}"),
                    format!(
                        "corrupt loose object, skipped: {}",
                        one_line(&error.to_string())
                    ),
                ),
            }
        }
        self.loose_stores.push(store);
    }

    pub fn lookup(&self, id: &gix::oid) -> Option<Slot> {
        self.objects.get(id).copied()
    }

    pub fn count(&self, kind: Kind) -> usize {
        self.ids[kind_slot(kind)].len()
    }

    /// The size of a blob, when its header gives it (not for a delta in a pack).
    pub fn blob_size(&self, index: u32) -> Option<u64> {
        self.blob_sizes
            .get(index as usize)
            .copied()
            .filter(|&size| size != UNKNOWN_SIZE)
    }

    pub fn id(&self, kind: Kind, index: u32) -> ObjectId {
        self.ids[kind_slot(kind)][index as usize]
    }

    /// Decodes every object of the pass that `wanted(index)` accepts and hands it to
    /// `handler`, on up to `threads` threads; their delta bases are decoded too, but not
    /// handed out. Returns notes about packs that could not be decoded completely.
    pub fn decode_where<H: ObjectHandler>(
        &self,
        pass: Pass,
        threads: usize,
        wanted: &(dyn Fn(u32) -> bool + Sync),
        handler: H,
    ) -> Vec<Note> {
        let mut notes = Vec::new();
        for pack in &self.packs {
            notes.extend(pack_pass::decode_pack(
                self,
                pack,
                pass,
                threads,
                wanted,
                handler.clone(),
            ));
        }
        let mut handler = handler;
        let mut buffer = Vec::new();
        for (id, kind, store) in &self.loose {
            if !pass.wants(*kind) {
                continue;
            }
            let Some(slot) = self.lookup(id).filter(|slot| wanted(slot.index)) else {
                continue;
            };
            match self.loose_stores[*store].try_find(id, &mut buffer) {
                Ok(Some(object)) => handler.handle(object.kind, slot.index, object.data),
                Ok(None) => {}
                Err(error) => notes.push(Note::warning(
                    format!("object {id}"),
                    format!("cannot read loose object: {}", one_line(&error.to_string())),
                )),
            }
        }
        notes
    }
}

/// Reads one object by id (for the few objects that need a second look).
pub fn read_object(
    repo: &gix::Repository,
    id: &gix::oid,
    buffer: &mut Vec<u8>,
) -> Result<Option<Kind>, String> {
    use gix::prelude::Find;
    match repo.objects.try_find(id, buffer) {
        Ok(Some(object)) => Ok(Some(object.kind)),
        Ok(None) => Ok(None),
        Err(error) => Err(one_line(&error.to_string())),
    }
}

/// gix errors can span lines and start with a capital; notes are one line, in lower case.
pub fn one_line(message: &str) -> String {
    let line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = line.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => line,
    }
}

/// The entries of a pack sorted by offset, with their kinds resolved from the headers
/// (a delta has the kind of its base), and the entries whose header is damaged or whose
/// delta chain has no base, by position (they keep a placeholder kind and are never handed
/// out). Reading the headers touches every page of the pack: `map` hands them back on the
/// way.
fn pack_entries(
    index: &pack::index::File,
    data: &PackData,
    map: &PackMap,
) -> (Vec<PackEntry>, DamagedEntries) {
    let mut entries: Vec<(u64, ObjectId)> = index
        .iter()
        .map(|entry| (entry.pack_offset, entry.oid))
        .collect();
    entries.sort_unstable_by_key(|(offset, _)| *offset);
    let mut kinds: Vec<Option<Kind>> = vec![None; entries.len()];
    let mut sizes: Vec<u64> = vec![UNKNOWN_SIZE; entries.len()];
    // Bases by position; a ref-delta's base may come later, so repeat until settled.
    let mut bases: Vec<Option<usize>> = vec![None; entries.len()];
    let mut damaged = DamagedEntries::new();
    let mut released_at = 0;
    let position_of = |offset: u64| {
        entries
            .binary_search_by_key(&offset, |(offset, _)| *offset)
            .ok()
    };
    for (position, (offset, _)) in entries.iter().enumerate() {
        if offset - released_at >= RELEASE_EVERY {
            map.release();
            released_at = *offset;
        }
        let entry = match data.entry(*offset) {
            Ok(entry) => entry,
            Err(error) => {
                let why = format!("header: {}", one_line(&error.to_string()));
                damaged.insert(position as u32, why);
                continue;
            }
        };
        use pack::data::entry::Header;
        let base = match entry.header {
            Header::OfsDelta { base_distance } => {
                offset.checked_sub(base_distance).and_then(position_of)
            }
            Header::RefDelta { base_id } => index
                .lookup(base_id)
                .and_then(|base| position_of(index.pack_offset_at_index(base))),
            header => {
                kinds[position] = header.as_kind();
                sizes[position] = entry.decompressed_size;
                continue;
            }
        };
        match base {
            Some(base) => bases[position] = Some(base),
            None => {
                damaged.insert(position as u32, "delta base not in the pack".to_string());
            }
        }
    }
    // A delta has its base's kind; settle chains, whatever order their links come in.
    for _ in 0..64 {
        let mut changed = false;
        for position in 0..entries.len() {
            if kinds[position].is_none()
                && let Some(base) = bases[position]
                && kinds[base].is_some()
            {
                kinds[position] = kinds[base];
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let entries = entries
        .into_iter()
        .zip(kinds)
        .zip(bases)
        .zip(sizes)
        .enumerate()
        .map(|(position, ((((offset, id), kind), base), size))| {
            if kind.is_none() {
                damaged
                    .entry(position as u32)
                    .or_insert_with(|| "delta chain on a damaged base".to_string());
            }
            PackEntry {
                offset,
                id,
                kind: kind.unwrap_or(Kind::Blob),
                base: base.map_or(NO_BASE, |base| base as u32),
                primary: false,
                size,
            }
        })
        .collect();
    (entries, damaged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_released_map_reads_the_same_bytes_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.pack");
        let bytes: Vec<u8> = (0..3 * 4096 + 17).map(|i| (i * 7 % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let map = PackMap::open(&path).unwrap();
        assert_eq!(&map[..], &bytes[..]);
        map.release();
        assert_eq!(&map[..], &bytes[..]);
    }
}
