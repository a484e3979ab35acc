//! Commit metadata, read one way for every mode: author, date (RFC 3339 in the author's
//! zone, `Z` for UTC) and summary (the first line of the message).

use gix::ObjectId;
use gix::bstr::ByteSlice;

/// Who made a commit, when, and what it says of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitMeta {
    pub id: String,
    pub author_name: String,
    pub author_email: String,
    /// RFC 3339.
    pub date: String,
    pub summary: String,
}

/// The metadata in a commit object's bytes; fields it cannot find stay empty.
pub fn parse(id: ObjectId, data: &[u8]) -> CommitMeta {
    let mut meta = CommitMeta {
        id: id.to_string(),
        author_name: String::new(),
        author_email: String::new(),
        date: String::new(),
        summary: String::new(),
    };
    let Ok(commit) = gix::objs::CommitRef::from_bytes(data, id.kind()) else {
        return meta;
    };
    if let Ok(author) = commit.author() {
        meta.author_name = author.name.to_str_lossy().trim().to_string();
        meta.author_email = author.email.to_str_lossy().into_owned();
        if let Ok(time) = author.time() {
            meta.date = rfc3339(time.seconds, time.offset);
        }
    }
    meta.summary = commit
        .message
        .lines()
        .next()
        .map(|line| line.to_str_lossy().trim().to_string())
        .unwrap_or_default();
    meta
}

/// `1700000000`, `+3600` -> `2023-11-14T23:13:20+01:00`; UTC as `Z`.
fn rfc3339(seconds: i64, offset_seconds: i32) -> String {
    let Ok(timestamp) = jiff::Timestamp::from_second(seconds) else {
        return String::new();
    };
    if offset_seconds == 0 {
        return timestamp.to_string();
    }
    match jiff::tz::Offset::from_seconds(offset_seconds) {
        Ok(offset) => timestamp.display_with_offset(offset).to_string(),
        Err(_) => timestamp.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc3339_in_the_author_zone() {
        assert_eq!(rfc3339(1_704_164_645, 0), "2024-01-02T03:04:05Z");
        assert_eq!(rfc3339(1_700_000_000, 3600), "2023-11-14T23:13:20+01:00");
        assert_eq!(
            rfc3339(0, -(5 * 3600 + 30 * 60)),
            "1969-12-31T18:30:00-05:30"
        );
    }

    #[test]
    fn commit_bytes_give_author_date_and_first_line() {
        let text = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\
                    author Ada Lovelace <ada@example.com> 1700000000 +0100\n\
                    committer Ada Lovelace <ada@example.com> 1700000000 +0100\n\
                    \n\
                    Add the engine\n\nLonger text.\n";
        let meta = parse(ObjectId::null(gix::hash::Kind::Sha1), text.as_bytes());
        assert_eq!(meta.author_name, "Ada Lovelace");
        assert_eq!(meta.author_email, "ada@example.com");
        assert_eq!(meta.date, "2023-11-14T23:13:20+01:00");
        assert_eq!(meta.summary, "Add the engine");
    }
}
