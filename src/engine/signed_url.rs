//! Whether a signed URL (an S3 pre-signed URL, a CloudFront or legacy AWS query-string
//! signature) has expired, from the expiry it carries in its own query string: an expired
//! one opens nothing, so it is a finding of low confidence, not a live credential.
//!
//! Knows only the matched text and the current time.

use std::time::{SystemTime, UNIX_EPOCH};

/// SigV4 pre-signed URLs are valid for at most a week after their `X-Amz-Date`.
const SIGV4_MAX_EXPIRES: u64 = 7 * 24 * 3600;

/// Whether `matched` holds a signed URL whose expiry lies before `now`. A URL without an
/// expiry we can read is not called expired.
pub fn has_expired(matched: &[u8], now: SystemTime) -> bool {
    let Ok(now) = now.duration_since(UNIX_EPOCH) else {
        return false;
    };
    expiry(matched).is_some_and(|expires| expires < now.as_secs())
}

/// The Unix time a signed URL expires at.
fn expiry(url: &[u8]) -> Option<u64> {
    // Legacy query-string signatures and CloudFront canned policies: Expires=<unix time>.
    if let Some(expires) = parameter(url, b"Expires=").and_then(number) {
        return Some(expires);
    }
    let signed = parameter(url, b"X-Amz-Date=").and_then(amz_date)?;
    let lifetime = parameter(url, b"X-Amz-Expires=")
        .and_then(number)
        .unwrap_or(SIGV4_MAX_EXPIRES)
        .min(SIGV4_MAX_EXPIRES);
    Some(signed + lifetime)
}

/// The value of a query parameter (`name` includes the `=`), matched case-sensitively and
/// only after `?` or `&`.
fn parameter<'a>(url: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&url[at..], name) {
        let start = at + found;
        if start > 0 && matches!(url[start - 1], b'?' | b'&') {
            let value = &url[start + name.len()..];
            let end = value
                .iter()
                .position(|&byte| matches!(byte, b'&' | b'"' | b'\'' | b' ' | b'#' | b'\n'))
                .unwrap_or(value.len());
            return Some(&value[..end]);
        }
        at = start + 1;
    }
    None
}

fn number(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || digits.len() > 12 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// `YYYYMMDDTHHMMSSZ` as Unix time.
fn amz_date(text: &[u8]) -> Option<u64> {
    if text.len() < 16 || text[8] != b'T' {
        return None;
    }
    let field = |range: std::ops::Range<usize>| number(&text[range]);
    let (year, month, day) = (field(0..4)?, field(4..6)?, field(6..8)?);
    let (hour, minute, second) = (field(9..11)?, field(11..13)?, field(13..15)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || year < 1970 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// algorithm), for years from 1970.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(unix: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(unix)
    }

    #[test]
    fn a_sigv4_url_expires_its_lifetime_after_its_date() {
        // 2019-08-14T22:06:17Z is 1565820377.
        let url = b"https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20190814T220617Z&X-Amz-Expires=3600&X-Amz-Signature=ab";
        assert_eq!(expiry(url), Some(1_565_820_377 + 3600));
        assert!(has_expired(url, at(1_565_820_377 + 3601)));
        assert!(!has_expired(url, at(1_565_820_377 + 60)));
    }

    #[test]
    fn a_lifetime_beyond_a_week_is_cut_to_a_week() {
        let url = b"u?X-Amz-Date=20190814T220617Z&X-Amz-Expires=99999999";
        assert_eq!(expiry(url), Some(1_565_820_377 + SIGV4_MAX_EXPIRES));
    }

    #[test]
    fn legacy_and_cloudfront_expiries_are_unix_times() {
        let url = b"https://d.cloudfront.net/a.mp4?Expires=1440195891&Signature=x&Key-Pair-Id=K";
        assert!(has_expired(url, at(1_440_195_892)));
        assert!(!has_expired(url, at(1_440_195_890)));
    }

    #[test]
    fn urls_without_a_readable_expiry_are_not_expired() {
        assert!(!has_expired(b"https://x/?sig=abc", at(u64::MAX / 2)));
        assert!(!has_expired(b"u?X-Amz-Date=garbage", at(u64::MAX / 2)));
        assert!(!has_expired(b"u?NoExpires=1", at(u64::MAX / 2)));
    }

    #[test]
    fn civil_days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
    }
}
