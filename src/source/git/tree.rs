//! Minimal parsers for the two object kinds a history walk reads in bulk: tree entries
//! and the header of a commit. They borrow from the object's bytes and allocate nothing.

/// What a tree entry points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Tree,
    /// A regular or executable file.
    Blob,
    Symlink,
    /// A submodule commit.
    Submodule,
}

/// One entry of a tree object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeEntry<'a> {
    pub kind: EntryKind,
    pub name: &'a [u8],
    /// The raw 20-byte id.
    pub id: &'a [u8],
}

/// Iterates the entries of a tree; stops at the first malformed entry.
pub struct TreeEntries<'a> {
    data: &'a [u8],
}

impl<'a> TreeEntries<'a> {
    pub fn new(data: &'a [u8]) -> TreeEntries<'a> {
        TreeEntries { data }
    }
}

const ID_LEN: usize = 20;

impl<'a> Iterator for TreeEntries<'a> {
    type Item = TreeEntry<'a>;

    fn next(&mut self) -> Option<TreeEntry<'a>> {
        let data = self.data;
        let space = memchr::memchr(b' ', data)?;
        let mode = &data[..space];
        let nul = space + 1 + memchr::memchr(0, &data[space + 1..])?;
        let id_end = nul + 1 + ID_LEN;
        if id_end > data.len() {
            self.data = &[];
            return None;
        }
        let kind = match mode {
            b"40000" | b"040000" => EntryKind::Tree,
            b"120000" => EntryKind::Symlink,
            b"160000" => EntryKind::Submodule,
            _ => EntryKind::Blob,
        };
        self.data = &data[id_end..];
        Some(TreeEntry {
            kind,
            name: &data[space + 1..nul],
            id: &data[nul + 1..id_end],
        })
    }
}

/// The parts of a commit a history walk needs before it knows which commits matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitHeader<'a> {
    /// Hex id of the root tree.
    pub tree: &'a [u8],
    /// Hex ids of the parents.
    pub parents: Vec<&'a [u8]>,
    /// Committer time, seconds since the epoch.
    pub time: i64,
}

/// Parses the header lines of a commit object.
pub fn commit_header(data: &[u8]) -> Option<CommitHeader<'_>> {
    let mut tree = None;
    let mut parents = Vec::new();
    let mut time = 0;
    for line in data.split(|&byte| byte == b'\n') {
        if line.is_empty() {
            break;
        }
        if let Some(id) = line.strip_prefix(b"tree ") {
            tree = Some(id);
        } else if let Some(id) = line.strip_prefix(b"parent ") {
            parents.push(id);
        } else if let Some(rest) = line.strip_prefix(b"committer ") {
            time = signature_time(rest).unwrap_or(0);
        }
    }
    Some(CommitHeader {
        tree: tree?,
        parents,
        time,
    })
}

/// `Name <email> 1700000000 +0100` -> 1700000000.
fn signature_time(signature: &[u8]) -> Option<i64> {
    let after_email = memchr::memrchr(b'>', signature)? + 1;
    let mut fields = signature[after_email..]
        .split(|&byte| byte == b' ')
        .filter(|field| !field.is_empty());
    std::str::from_utf8(fields.next()?).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(mode: &str, name: &str, id_byte: u8) -> Vec<u8> {
        let mut bytes = format!("{mode} {name}\0").into_bytes();
        bytes.extend([id_byte; ID_LEN]);
        bytes
    }

    #[test]
    fn tree_entries_are_read_with_their_kinds() {
        let mut data = entry("100644", "a.txt", 1);
        data.extend(entry("40000", "src", 2));
        data.extend(entry("160000", "vendor", 3));
        data.extend(entry("120000", "link", 4));
        let entries: Vec<_> = TreeEntries::new(&data).collect();
        assert_eq!(entries.len(), 4);
        assert_eq!(entries[0].kind, EntryKind::Blob);
        assert_eq!(entries[0].name, b"a.txt");
        assert_eq!(entries[1].kind, EntryKind::Tree);
        assert_eq!(entries[1].id, &[2; ID_LEN]);
        assert_eq!(entries[2].kind, EntryKind::Submodule);
        assert_eq!(entries[3].kind, EntryKind::Symlink);
    }

    #[test]
    fn truncated_tree_stops_without_panicking() {
        let data = entry("100644", "a.txt", 1);
        assert_eq!(TreeEntries::new(&data[..data.len() - 3]).count(), 0);
    }

    #[test]
    fn commit_header_has_tree_parents_and_committer_time() {
        let commit = b"tree 1111111111111111111111111111111111111111\n\
parent 2222222222222222222222222222222222222222\n\
parent 3333333333333333333333333333333333333333\n\
author A <a@example.com> 1600000000 +0000\n\
committer C <c@example.com> 1700000000 +0100\n\nmessage\nparent x\n";
        let header = commit_header(commit).unwrap();
        assert_eq!(header.tree, b"1111111111111111111111111111111111111111");
        assert_eq!(header.parents.len(), 2);
        assert_eq!(header.time, 1_700_000_000);
    }
}
