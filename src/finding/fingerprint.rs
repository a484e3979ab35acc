//! Stable, value-based fingerprints: the same secret of the same rule in the same file
//! keeps its fingerprint when lines move, and a different secret gets a different one.
//! They are salted hashes, never the secret itself.

use sha2::{Digest, Sha256};

/// Domain separation, so a fingerprint is not a plain hash of the secret.
const SALT: &[u8] = b"leakhound-fingerprint-v1";

/// 20 hex digits (80 bits) of SHA-256 over the salt, rule id, path and secret.
pub fn fingerprint(rule_id: &str, path: &str, secret: &[u8]) -> String {
    let mut hasher = Sha256::new();
    for part in [SALT, rule_id.as_bytes(), path.as_bytes(), secret] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let digest = hasher.finalize();
    digest[..10]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_hex() {
        let value = fingerprint("rule", "a.py", b"secret");
        assert_eq!(value, fingerprint("rule", "a.py", b"secret"));
        assert_eq!(value.len(), 20);
        assert!(value.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn fingerprint_changes_with_secret_path_and_rule() {
        let base = fingerprint("rule", "a.py", b"secret");
        assert_ne!(base, fingerprint("rule", "a.py", b"secreT"));
        assert_ne!(base, fingerprint("rule", "b.py", b"secret"));
        assert_ne!(base, fingerprint("other", "a.py", b"secret"));
    }

    #[test]
    fn fields_cannot_bleed_into_each_other() {
        assert_ne!(fingerprint("ab", "c", b"d"), fingerprint("a", "bc", b"d"));
    }
}
