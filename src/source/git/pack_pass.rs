//! One decode pass over one pack: the entries the pass wants and their delta bases,
//! decoded through the pack's delta tree on several threads and handed to the pass's
//! handler. A damaged entry does not end the pass: the damaged entries are found (see
//! [`super::salvage`]), the tree is walked again without them and the deltas built on
//! them, and as a last resort the remaining objects are decoded one at a time. The
//! objects the pass wanted and did not get are named in warnings.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use gix::ObjectId;
use gix::objs::Kind;
use gix::odb::pack;

use crate::source::Note;

use super::objects::{
    NO_BASE, ObjectDatabase, ObjectHandler, Pack, PackData, Pass, RELEASE_EVERY, one_line,
};
use super::salvage::{self, DamagedEntries, damage_notes};

/// What one pass decodes of a pack: the entries it hands out and those it decodes (those
/// and their delta bases), leaving out damaged entries and the deltas built on them.
struct PassPlan {
    handed: Vec<bool>,
    decoded: Vec<bool>,
}

impl PassPlan {
    fn new(
        database: &ObjectDatabase,
        pack: &Pack,
        pass: Pass,
        wanted: &(dyn Fn(u32) -> bool + Sync),
        damaged: &DamagedEntries,
        done: &[AtomicBool],
    ) -> PassPlan {
        let mut handed = vec![false; pack.entries.len()];
        let mut decoded = vec![false; pack.entries.len()];
        for (position, entry) in pack.entries.iter().enumerate() {
            if !(entry.primary && pass.wants(entry.kind)) || done[position].load(Ordering::Relaxed)
            {
                continue;
            }
            let Some(slot) = database.lookup(&entry.id) else {
                continue;
            };
            if !wanted(slot.index) || chain_is_damaged(pack, position, damaged) {
                continue;
            }
            handed[position] = true;
            let mut current = position;
            while !decoded[current] {
                decoded[current] = true;
                match pack.entries[current].base {
                    NO_BASE => break,
                    base => current = base as usize,
                }
            }
        }
        PassPlan { handed, decoded }
    }
}

/// Whether the entry or any base of its delta chain is damaged.
fn chain_is_damaged(pack: &Pack, position: usize, damaged: &DamagedEntries) -> bool {
    if damaged.is_empty() {
        return false;
    }
    let mut current = position;
    for _ in 0..=pack.entries.len() {
        if damaged.contains_key(&(current as u32)) {
            return true;
        }
        match pack.entries[current].base {
            NO_BASE => return false,
            base => current = base as usize,
        }
    }
    true
}

/// Decodes what `pass` wants of one pack. A damaged entry does not stop the pass: the
/// damaged entries are found and left out with the deltas on them, and the rest is read.
/// Returns warnings that name the damaged objects this pass wanted and did not get.
pub(super) fn decode_pack<H: ObjectHandler>(
    database: &ObjectDatabase,
    pack: &Pack,
    pass: Pass,
    threads: usize,
    wanted: &(dyn Fn(u32) -> bool + Sync),
    handler: H,
) -> Vec<Note> {
    let done: Vec<AtomicBool> = pack
        .entries
        .iter()
        .map(|_| AtomicBool::new(false))
        .collect();
    let known = pack
        .damaged
        .lock()
        .map(|known| known.clone())
        .unwrap_or_default();
    let plan = PassPlan::new(database, pack, pass, wanted, &known, &done);
    let first_try = traverse_pack(
        database,
        pack,
        &plan,
        &known,
        &done,
        threads,
        handler.clone(),
    );
    if first_try.is_ok() && known.is_empty() {
        return Vec::new();
    }
    if first_try.is_err() {
        // Something in the tree does not decode: find out what, by inflating each entry
        // alone, and walk the tree again without it and the deltas built on it.
        let offsets: Vec<u64> = pack.entries.iter().map(|entry| entry.offset).collect();
        let suspects = plan
            .decoded
            .iter()
            .enumerate()
            .filter(|(position, decode)| **decode && !known.contains_key(&(*position as u32)))
            .map(|(position, _)| position as u32);
        let found = salvage::find_damaged(&pack.data, &offsets, suspects);
        let known = pack.learn_damage(found);
        let retry = PassPlan::new(database, pack, pass, wanted, &known, &done);
        if traverse_pack(
            database,
            pack,
            &retry,
            &known,
            &done,
            threads,
            handler.clone(),
        )
        .is_err()
        {
            decode_one_by_one(database, pack, &retry, &done, handler);
        }
    }
    // What this pass wanted and did not get is damaged, or built on damage.
    let intended = PassPlan::new(database, pack, pass, wanted, &DamagedEntries::new(), &done);
    let known = pack
        .damaged
        .lock()
        .map(|known| known.clone())
        .unwrap_or_default();
    let mut reported = pack
        .reported
        .lock()
        .unwrap_or_else(|error| error.into_inner());
    let missed: Vec<(Option<Kind>, ObjectId, String)> = intended
        .handed
        .iter()
        .enumerate()
        .filter(|(position, handed)| **handed && reported.insert(*position as u32))
        .map(|(position, _)| {
            let entry = &pack.entries[position];
            let why = known
                .get(&(position as u32))
                .cloned()
                .unwrap_or_else(|| "its delta base is damaged".to_string());
            (Some(entry.kind), entry.id, why)
        })
        .collect();
    damage_notes(
        &pack.name,
        missed
            .iter()
            .map(|(kind, id, why)| (*kind, *id, why.as_str())),
    )
}

impl Pack {
    /// Adds entries found damaged, and returns all known so far.
    fn learn_damage(&self, found: DamagedEntries) -> DamagedEntries {
        let mut known = self
            .damaged
            .lock()
            .unwrap_or_else(|error| error.into_inner());
        known.extend(found);
        known.clone()
    }
}

/// The last resort when the delta tree cannot be walked (the pack's first entry is damaged,
/// or a delta applies wrongly): every object still wanted is decoded alone, through its
/// delta chain; those that fail are recorded as damaged.
fn decode_one_by_one<H: ObjectHandler>(
    database: &ObjectDatabase,
    pack: &Pack,
    plan: &PassPlan,
    done: &[AtomicBool],
    mut handler: H,
) {
    let mut out = Vec::new();
    let mut found = DamagedEntries::new();
    for (position, entry) in pack.entries.iter().enumerate() {
        if !plan.handed[position] || done[position].load(Ordering::Relaxed) {
            continue;
        }
        let Some(slot) = database.lookup(&entry.id) else {
            continue;
        };
        match salvage::decode_alone(&pack.data, &pack.index, entry.offset, &mut out) {
            Ok(_) => {
                done[position].store(true, Ordering::Relaxed);
                handler.handle(entry.kind, slot.index, &out);
            }
            Err(why) => {
                found.insert(position as u32, why);
            }
        }
    }
    pack.map.release();
    pack.learn_damage(found);
}

/// Walks the delta tree of the entries `plan` decodes and hands out those it hands out,
/// marking them in `done`. Fails at the first entry that does not decode.
fn traverse_pack<H: ObjectHandler>(
    database: &ObjectDatabase,
    pack: &Pack,
    plan: &PassPlan,
    damaged: &DamagedEntries,
    done: &[AtomicBool],
    threads: usize,
    mut handler: H,
) -> Result<(), String> {
    if !plan.handed.contains(&true) {
        return Ok(());
    }
    // The delta-tree builder reads headers sequentially from the first entry after the
    // pack header, so the first entry is always part of the tree (decoded, not handed out);
    // when it is damaged the tree cannot be walked at all.
    if damaged.contains_key(&0) {
        return Err("the first entry is damaged".to_string());
    }
    let wanted = plan
        .decoded
        .iter()
        .enumerate()
        .filter(|(position, decode)| **decode || *position == 0)
        .map(|(position, _)| position as u32);
    let handed = &plan.handed;
    let interrupt = AtomicBool::new(false);
    let tree = pack::cache::delta::Tree::from_offsets_in_pack(
        pack.data.path(),
        wanted,
        &|position: &u32| pack.entries[*position as usize].offset,
        &|id| {
            Ok(pack
                .index
                .lookup(id)
                .map(|index| pack.index.pack_offset_at_index(index)))
        },
        &mut gix::progress::Discard,
        &interrupt,
        gix::hash::Kind::Sha1,
    )
    .map_err(|error| one_line(&error.to_string()))?;
    let entries = &pack.entries;
    let mut size_progress = gix::progress::Discard;
    // Every RELEASE_EVERY bytes read, the pages read so far are unmapped.
    let read = AtomicU64::new(0);
    let result = tree.traverse(
        |slice, data: &PackData| {
            let length = slice.end - slice.start;
            let before = read.fetch_add(length, Ordering::Relaxed);
            if before / RELEASE_EVERY != (before + length) / RELEASE_EVERY {
                pack.map.release();
            }
            data.entry_slice(slice)
        },
        &pack.data,
        pack.data.pack_end() as u64,
        move |position: &mut u32, _progress, context| {
            let at = *position as usize;
            let entry = &entries[at];
            if handed[at]
                && !done[at].swap(true, Ordering::Relaxed)
                && let Some(slot) = database.lookup(&entry.id)
            {
                handler.handle(entry.kind, slot.index, context.decompressed);
            }
            Ok(())
        },
        pack::cache::delta::traverse::Options {
            object_progress: Box::new(gix::progress::Discard),
            size_progress: &mut size_progress,
            thread_limit: Some(threads.max(1)),
            should_interrupt: &interrupt,
            object_hash: gix::hash::Kind::Sha1,
            alloc_limit_bytes: Some(salvage::alloc_limit()),
        },
    );
    pack.map.release();
    result.map_err(|error| one_line(&error.to_string()))?;
    Ok(())
}
