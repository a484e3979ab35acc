//! Where a request may go: endpoint overrides (`HOST=BASE_URL`, for self-hosted instances,
//! local proxies and tests) and the rule that nothing else reaches a private or loopback
//! address.

use std::net::IpAddr;

use super::ValidateError;

/// `--validation-endpoint HOST=BASE_URL`: requests a validator would send to `https://HOST`
/// go to `BASE_URL` instead (its path is a prefix of the validator's path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointOverride {
    /// Lower-cased, with a port if the validator's URL names one.
    pub host: String,
    /// `https://...` or, for loopback addresses only, `http://...`; no trailing '/'.
    pub base_url: String,
}

impl EndpointOverride {
    /// Parses `HOST=BASE_URL`.
    pub fn parse(text: &str) -> Result<EndpointOverride, ValidateError> {
        let bad = |reason: &str| ValidateError::Endpoint {
            given: text.to_string(),
            reason: reason.to_string(),
        };
        let (host, base_url) = text
            .split_once('=')
            .ok_or_else(|| bad("expected HOST=BASE_URL"))?;
        let host = host.trim().to_ascii_lowercase();
        let base_url = base_url.trim().trim_end_matches('/').to_string();
        if host.is_empty() || host.contains(['/', ':', '@']) && !host_with_port(&host) {
            return Err(bad(
                "HOST is a host name as validators name it (api.github.com)",
            ));
        }
        let (scheme, rest) = base_url
            .split_once("://")
            .ok_or_else(|| bad("BASE_URL starts with https://"))?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.is_empty() || authority.contains('@') {
            return Err(bad("BASE_URL needs a host and no credentials"));
        }
        match scheme {
            "https" => {}
            "http" if is_loopback_host(authority_host(authority)) => {}
            "http" => {
                return Err(bad(
                    "http:// is only accepted for loopback addresses (127.0.0.1, ::1, localhost)",
                ));
            }
            _ => return Err(bad("BASE_URL starts with https://")),
        }
        Ok(EndpointOverride { host, base_url })
    }

    /// The host of the base URL, which may be private: the user named it.
    pub fn target_host(&self) -> &str {
        let rest = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        authority_host(rest.split(['/', '?', '#']).next().unwrap_or_default())
    }
}

fn host_with_port(host: &str) -> bool {
    match host.rsplit_once(':') {
        Some((name, port)) => {
            !name.is_empty() && !name.contains(['/', '@']) && port.parse::<u16>().is_ok()
        }
        None => false,
    }
}

/// `host` of `host:port` or `[v6]:port`.
pub fn authority_host(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `url` (`https://HOST/path`) with the override of its host applied, if any.
pub fn apply<'a>(
    url: &str,
    overrides: &'a [EndpointOverride],
) -> (String, Option<&'a EndpointOverride>) {
    let Some(rest) = url.strip_prefix("https://") else {
        return (url.to_string(), None);
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..end].to_ascii_lowercase();
    match overrides.iter().find(|o| o.host == host) {
        Some(found) => (format!("{}{}", found.base_url, &rest[end..]), Some(found)),
        None => (url.to_string(), None),
    }
}

/// Whether an address is one a secret may be sent to without an explicit override:
/// not loopback, private, link-local, shared, unspecified, multicast or documentation.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_parse_and_reject_plain_http_off_loopback() {
        let parsed = EndpointOverride::parse("API.github.com=https://ghe.corp/api/v3/").unwrap();
        assert_eq!(parsed.host, "api.github.com");
        assert_eq!(parsed.base_url, "https://ghe.corp/api/v3");
        assert!(EndpointOverride::parse("api.github.com=http://127.0.0.1:8080").is_ok());
        assert!(EndpointOverride::parse("api.github.com=http://[::1]:8080").is_ok());
        assert!(EndpointOverride::parse("api.github.com=http://ghe.corp").is_err());
        assert!(EndpointOverride::parse("api.github.com=ftp://ghe.corp").is_err());
        assert!(EndpointOverride::parse("api.github.com").is_err());
        assert!(EndpointOverride::parse("api.github.com=https://u:p@ghe.corp").is_err());
    }

    #[test]
    fn an_override_replaces_scheme_and_host_and_keeps_the_path() {
        let overrides =
            [EndpointOverride::parse("api.github.com=https://ghe.corp/api/v3").unwrap()];
        let (url, used) = apply("https://api.github.com/user?x=1", &overrides);
        assert_eq!(url, "https://ghe.corp/api/v3/user?x=1");
        assert!(used.is_some());
        let (url, used) = apply("https://api.gitlab.com/user", &overrides);
        assert_eq!(url, "https://api.gitlab.com/user");
        assert!(used.is_none());
    }

    #[test]
    fn private_and_loopback_addresses_are_not_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["140.82.112.6", "2606:4700::1111"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }
}
