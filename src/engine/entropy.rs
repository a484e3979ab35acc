//! Shannon entropy of a byte string, the randomness test applied to secrets.

/// Bits per byte, from 0 (one repeated byte) to 8 (every byte value equally often).
pub fn shannon_entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &byte in bytes {
        counts[usize::from(byte)] += 1;
    }
    let total = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&count| count > 0)
        .map(|&count| {
            let p = f64::from(count) / total;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_of_one_repeated_byte_is_zero() {
        assert_eq!(shannon_entropy(b"aaaaaaaa"), 0.0);
    }

    #[test]
    fn entropy_of_two_equally_common_bytes_is_one_bit() {
        assert!((shannon_entropy(b"abababab") - 1.0).abs() < 1e-9);
    }

    #[test]
    fn entropy_of_empty_input_is_zero() {
        assert_eq!(shannon_entropy(b""), 0.0);
    }

    #[test]
    fn random_looking_token_has_high_entropy() {
        assert!(shannon_entropy(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Kd3mQ2p") > 4.5);
    }
}
