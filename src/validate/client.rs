//! The HTTP client: ureq over rustls with Mozilla's roots (webpki) plus an optional extra
//! CA file, no redirects followed, a global timeout, and a resolver that refuses private
//! and loopback addresses for any host the user did not map explicitly.
//!
//! Errors are reduced to short reasons made of fixed words: a URL can hold a secret
//! (`/bot{{secret}}/getMe`), so no error text that might quote it is passed on.

use std::collections::HashSet;
use std::io::{self, Read};
use std::sync::Arc;
use std::time::Duration;

use ureq::http::{self, Uri};
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use super::endpoints::{EndpointOverride, is_public};
use super::{ProxyChoice, ValidateError, ValidationSettings};

/// The most of a response body that is read: answers to "who am I" are small.
const MAX_BODY: u64 = 256 * 1024;

/// One request, ready to send.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

/// What came back.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub status: u16,
    /// `Retry-After`, in seconds, when given as a number.
    pub retry_after: Option<u64>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

pub struct Client {
    agent: ureq::Agent,
}

impl Client {
    pub fn new(settings: &ValidationSettings) -> Result<Client, ValidateError> {
        let root_certs = match &settings.extra_ca {
            None => RootCerts::WebPki,
            Some(path) => {
                let pem = std::fs::read(path).map_err(|error| ValidateError::ExtraCa {
                    path: path.display().to_string(),
                    reason: error.to_string(),
                })?;
                let mut certs: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
                    .iter()
                    .map(|der| Certificate::from_der(der.as_ref()).to_owned())
                    .collect();
                let before = certs.len();
                for item in ureq::tls::parse_pem(&pem) {
                    if let Ok(ureq::tls::PemItem::Certificate(cert)) = item {
                        certs.push(cert);
                    }
                }
                if certs.len() == before {
                    return Err(ValidateError::ExtraCa {
                        path: path.display().to_string(),
                        reason: "no PEM certificate in it".into(),
                    });
                }
                RootCerts::Specific(Arc::new(certs))
            }
        };
        let proxy = match settings.proxy {
            ProxyChoice::FromEnvironment => ureq::Proxy::try_from_env(),
            ProxyChoice::None => None,
        };
        let mut allowed: HashSet<String> = settings
            .endpoints
            .iter()
            .map(|o: &EndpointOverride| o.target_host().to_ascii_lowercase())
            .collect();
        if let Some(proxy) = &proxy {
            // A corporate proxy often has a private address; the user configured it.
            allowed.insert(proxy.host().to_ascii_lowercase());
        }
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(settings.timeout))
            .tls_config(TlsConfig::builder().root_certs(root_certs).build())
            .proxy(proxy)
            .user_agent(concat!(
                "leakhound/",
                env!("CARGO_PKG_VERSION"),
                " (secret validation)"
            ))
            .build();
        let resolver = GuardedResolver {
            inner: DefaultResolver::default(),
            allowed,
        };
        Ok(Client {
            agent: ureq::Agent::with_parts(config, DefaultConnector::default(), resolver),
        })
    }

    /// Sends one request; the error is a short reason without any of the request in it.
    pub fn send(&self, outgoing: &Outgoing) -> Result<Incoming, String> {
        let mut builder = http::Request::builder()
            .method(outgoing.method)
            .uri(&outgoing.url);
        for (name, value) in &outgoing.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let request = builder
            .body(outgoing.body.clone().unwrap_or_default())
            .map_err(|_| "the request could not be built".to_string())?;
        let response = self.agent.run(request).map_err(|error| reason(&error))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        let retry_after = header("retry-after").and_then(|value| value.trim().parse().ok());
        let location = header("location");
        let mut body = Vec::new();
        response
            .into_body()
            .into_reader()
            .take(MAX_BODY)
            .read_to_end(&mut body)
            .map_err(|error| io_reason(&error))?;
        Ok(Incoming {
            status,
            retry_after,
            location,
            body,
        })
    }
}

/// A short, fixed reason for a failed request.
fn reason(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "timeout".into(),
        ureq::Error::HostNotFound => "network error: host not found".into(),
        ureq::Error::ConnectionFailed => "network error: connection failed".into(),
        ureq::Error::Io(io) => io_reason(io),
        ureq::Error::Rustls(tls) => format!("TLS error: {}", tls_reason(tls)),
        ureq::Error::Tls(text) => format!("TLS error: {text}"),
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
            "redirected (not followed)".into()
        }
        ureq::Error::Protocol(_) | ureq::Error::LargeResponseHeader(..) => {
            "not the provider's API: the answer is not valid HTTP".into()
        }
        ureq::Error::ConnectProxyFailed(_) | ureq::Error::InvalidProxyUrl => {
            "network error: the proxy failed".into()
        }
        _ => "network error".into(),
    }
}

/// rustls names what failed; its messages hold no request data.
fn tls_reason(error: &(impl std::fmt::Display + ?Sized)) -> &'static str {
    let text = error.to_string();
    if text.contains("certificate") {
        "the server's certificate is not trusted"
    } else if text.contains("alert") {
        "the server refused the connection"
    } else {
        "handshake failed"
    }
}

fn io_reason(error: &io::Error) -> String {
    if error.kind() == io::ErrorKind::PermissionDenied
        && error.to_string().contains(PRIVATE_ADDRESS)
    {
        return format!("refused: {PRIVATE_ADDRESS}");
    }
    // rustls reports handshake failures through the socket as InvalidData.
    if error.kind() == io::ErrorKind::InvalidData
        && let Some(inner) = error.get_ref()
    {
        return format!("TLS error: {}", tls_reason(inner));
    }
    match error.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => "timeout".into(),
        io::ErrorKind::ConnectionRefused => "network error: connection refused".into(),
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
            "network error: connection reset".into()
        }
        io::ErrorKind::UnexpectedEof => "network error: the connection closed early".into(),
        _ => "network error".into(),
    }
}

const PRIVATE_ADDRESS: &str = "the host resolves to a private or loopback address";

/// Resolves as usual, then refuses any address that is not public unless the host is
/// one the user named (an endpoint override's base URL or the proxy). Checking the
/// addresses actually connected to, not a name, also defeats DNS rebinding.
#[derive(Debug)]
struct GuardedResolver {
    inner: DefaultResolver,
    allowed: HashSet<String>,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addresses = self.inner.resolve(uri, config, timeout)?;
        let host = uri
            .host()
            .unwrap_or_default()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        if self.allowed.contains(&host) {
            return Ok(addresses);
        }
        if addresses.iter().any(|address| !is_public(address.ip())) {
            return Err(ureq::Error::Io(io::Error::new(
                io::ErrorKind::PermissionDenied,
                PRIVATE_ADDRESS,
            )));
        }
        Ok(addresses)
    }
}

/// How long to wait before retry `attempt` (0-based): exponential from half a second,
/// or what the server asked for, capped.
pub fn backoff(attempt: u32, retry_after: Option<u64>, cap: Duration) -> Duration {
    let asked = retry_after.map(Duration::from_secs);
    let exponential = Duration::from_millis(500u64.saturating_mul(1 << attempt.min(10)));
    asked.unwrap_or(exponential).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_honours_retry_after_up_to_the_cap() {
        let cap = Duration::from_secs(10);
        assert_eq!(backoff(0, None, cap), Duration::from_millis(500));
        assert_eq!(backoff(2, None, cap), Duration::from_secs(2));
        assert_eq!(backoff(0, Some(3), cap), Duration::from_secs(3));
        assert_eq!(backoff(0, Some(3600), cap), cap);
    }
}
