//! A list of repositories to scan (`history --repos FILE`): one path or URL a line, `#`
//! comments and blank lines ignored, and the stable share of it one shard takes
//! (`--shard K/N`).
//!
//! A shard is chosen by a hash of each entry, not by its line number, so adding or
//! removing a repository moves no other repository to another shard, and the shards of
//! one list never overlap. Knows nothing about git or scanning.

use sha2::{Digest, Sha256};

/// One shard of N: `index` is 0-based here (the command line's `K/N` is 1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

/// Why a `--shard` value was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    #[error("`--shard {0}` is not of the form K/N (e.g. 2/8) or auto/N")]
    Form(String),
    #[error("`--shard {0}`: K must be between 1 and N")]
    OutOfRange(String),
    #[error(
        "`--shard auto/{0}` reads the shard from JOB_COMPLETION_INDEX, which is not set \
         (Kubernetes sets it in Indexed Jobs); give the shard as K/N instead"
    )]
    NoJobIndex(u64),
    #[error("JOB_COMPLETION_INDEX={0} is not a shard of {1} (it must be 0 to {1}-1)")]
    BadJobIndex(String, u64),
}

impl Shard {
    /// Parses `K/N` (1-based K) or `auto/N`, where K is `job_index` + 1 (Kubernetes'
    /// `JOB_COMPLETION_INDEX` is 0-based).
    pub fn parse(spec: &str, job_index: Option<&str>) -> Result<Shard, ShardError> {
        let form = || ShardError::Form(spec.to_string());
        let (part, count) = spec.trim().split_once('/').ok_or_else(form)?;
        let count: u64 = count.trim().parse().map_err(|_| form())?;
        if count == 0 {
            return Err(form());
        }
        let index = if part.trim().eq_ignore_ascii_case("auto") {
            let raw = job_index.ok_or(ShardError::NoJobIndex(count))?;
            raw.trim()
                .parse::<u64>()
                .ok()
                .filter(|&index| index < count)
                .ok_or_else(|| ShardError::BadJobIndex(raw.to_string(), count))?
        } else {
            let number: u64 = part.trim().parse().map_err(|_| form())?;
            if number == 0 || number > count {
                return Err(ShardError::OutOfRange(spec.to_string()));
            }
            number - 1
        };
        Ok(Shard { index, count })
    }

    /// Whether `entry` belongs to this shard.
    pub fn holds(&self, entry: &str) -> bool {
        shard_of(entry, self.count) == self.index
    }
}

/// The entries of a repository list, in order, each once.
pub fn parse_list(text: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter(|line| seen.insert(normalise(line)))
        .map(str::to_string)
        .collect()
}

/// The 0-based shard of `count` that `entry` falls in: SHA-256 of the normalised entry,
/// its first 8 bytes as a number, modulo `count`.
pub fn shard_of(entry: &str, count: u64) -> u64 {
    let digest = Sha256::digest(normalise(entry).as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first) % count.max(1)
}

/// The form of an entry that decides its shard and whether two lines name the same
/// repository: trimmed, without credentials, trailing slashes or `.git`.
fn normalise(entry: &str) -> String {
    let stripped = super::git::remote::strip_credentials(entry);
    let trimmed = stripped.trim_end_matches('/');
    trimmed
        .strip_suffix(".git")
        .unwrap_or(trimmed)
        .trim_end_matches('/')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blank_lines_and_duplicates_are_dropped() {
        let list = "# org repos\n\nhttps://h/a.git\n  /srv/b  \nhttps://h/a/\n# done\n";
        assert_eq!(parse_list(list), ["https://h/a.git", "/srv/b"]);
    }

    #[test]
    fn shard_specs_parse_one_based_and_auto_zero_based() {
        assert_eq!(Shard::parse("2/8", None), Ok(Shard { index: 1, count: 8 }));
        assert_eq!(
            Shard::parse("auto/4", Some("3")),
            Ok(Shard { index: 3, count: 4 })
        );
        assert_eq!(Shard::parse("auto/4", None), Err(ShardError::NoJobIndex(4)));
        assert!(matches!(
            Shard::parse("auto/4", Some("4")),
            Err(ShardError::BadJobIndex(..))
        ));
        assert!(matches!(
            Shard::parse("0/4", None),
            Err(ShardError::OutOfRange(_))
        ));
        assert!(matches!(
            Shard::parse("5/4", None),
            Err(ShardError::OutOfRange(_))
        ));
        for bad in ["", "3", "a/b", "1/0", "1/-2"] {
            assert!(
                matches!(Shard::parse(bad, None), Err(ShardError::Form(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn every_entry_is_in_exactly_one_shard() {
        let entries: Vec<String> = (0..200).map(|i| format!("https://h/org/r{i}")).collect();
        for count in [1, 2, 3, 7] {
            for entry in &entries {
                let holders = (0..count)
                    .filter(|&index| Shard { index, count }.holds(entry))
                    .count();
                assert_eq!(holders, 1, "{entry} in {holders} of {count} shards");
            }
        }
    }

    #[test]
    fn the_shard_ignores_credentials_and_a_trailing_git() {
        let with_token = ["https://x:", "t0k", "@h/org/r1.git"].concat();
        assert_eq!(shard_of(&with_token, 16), shard_of("https://h/org/r1", 16));
    }
}
