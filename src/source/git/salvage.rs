//! Reading what can still be read of a damaged pack. The fast decode walks a pack's delta
//! tree and stops at the first entry that does not inflate, which would hide every later
//! object; git itself still reads them, one by one, through the pack index. Here the pack
//! index's offsets find the damaged entries (each is inflated alone), the delta tree is
//! walked again without them and the deltas built on them, and if that fails too, the
//! remaining objects are decoded one at a time. Damaged objects are reported by id.

use std::collections::BTreeMap;

use gix::odb::pack;

use gix::ObjectId;
use gix::objs::Kind;

use crate::source::Note;

use super::objects::{PackData, one_line};

/// Entries of a pack that could not be read, by position in offset order, with why.
pub type DamagedEntries = BTreeMap<u32, String>;

/// The largest object any entry may claim to inflate to: a damaged header can claim
/// petabytes, and allocating that aborts the process.
pub fn alloc_limit() -> usize {
    usize::try_from(4u64 << 30).unwrap_or(usize::MAX)
}

/// Inflates each of `positions` (entries at `offsets`) on its own and returns those that
/// fail: their header does not parse, they claim more than [`alloc_limit`], or their data
/// does not inflate. Deltas are inflated, not applied.
pub fn find_damaged(
    data: &PackData,
    offsets: &[u64],
    positions: impl Iterator<Item = u32>,
) -> DamagedEntries {
    let mut damaged = DamagedEntries::new();
    let mut inflate = gix::zlib::Inflate::default();
    let mut buffer = Vec::new();
    for position in positions {
        let offset = offsets[position as usize];
        let entry = match data.entry(offset) {
            Ok(entry) => entry,
            Err(error) => {
                damaged.insert(
                    position,
                    format!("header: {}", one_line(&error.to_string())),
                );
                continue;
            }
        };
        let size = usize::try_from(entry.decompressed_size).unwrap_or(usize::MAX);
        if size > alloc_limit() {
            damaged.insert(position, format!("claims {size} bytes"));
            continue;
        }
        buffer.clear();
        buffer.resize(size, 0);
        if let Err(error) = data.decompress_entry(&entry, &mut inflate, &mut buffer) {
            damaged.insert(position, one_line(&error.to_string()));
        }
    }
    damaged
}

/// Decodes the entry at `offset` alone, resolving its delta chain through the pack (and
/// `index` for ref-deltas). Returns its kind, with the object in `out`.
pub fn decode_alone(
    data: &PackData,
    index: &pack::index::File,
    offset: u64,
    out: &mut Vec<u8>,
) -> Result<gix::objs::Kind, String> {
    let entry = data
        .entry(offset)
        .map_err(|error| format!("header: {}", one_line(&error.to_string())))?;
    let mut inflate = gix::zlib::Inflate::default();
    let resolve = |id: &gix::oid, _: &mut Vec<u8>| {
        Ok(index
            .lookup(id)
            .and_then(|base| data.entry(index.pack_offset_at_index(base)).ok())
            .map(pack::data::decode::entry::ResolvedBase::InPack))
    };
    let outcome = data
        .decode_entry(entry, out, &mut inflate, &resolve, &mut pack::cache::Never)
        .map_err(|error| one_line(&error.to_string()))?;
    out.truncate(usize::try_from(outcome.object_size).unwrap_or(out.len()));
    Ok(outcome.kind)
}

/// Warnings naming damaged objects, a few by id and then how many more.
pub fn damage_notes<'a>(
    pack_name: &str,
    damaged: impl Iterator<Item = (Option<Kind>, ObjectId, &'a str)>,
) -> Vec<Note> {
    const NAMED: usize = 10;
    let mut notes = Vec::new();
    let mut more = 0;
    for (kind, id, why) in damaged {
        if notes.len() == NAMED {
            more += 1;
            continue;
        }
        let what = kind.map_or("object".to_string(), |kind| kind.to_string());
        notes.push(Note::warning(
            pack_name,
            format!("damaged {what} {id} could not be read ({why}); skipped, the rest of the pack was read"),
        ));
    }
    if more > 0 {
        notes.push(Note::warning(
            pack_name,
            format!("{more} more damaged objects could not be read; `git fsck --full` lists them"),
        ));
    }
    notes
}
