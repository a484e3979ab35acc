//! A local HTTP(S) server for the validation tests: a test CA made at run time (rcgen),
//! a rustls server on 127.0.0.1, one thread per connection, and counters the tests read
//! (requests, requests in flight at once). Nothing here reaches the internet.

#![allow(dead_code)] // each test binary uses a different part of this module

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use leakhound::finding::{Finding, FindingKind, Position};
use leakhound::rules::{Confidence, Severity};

/// A request as the server read it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Lower-cased names.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Seen {
    /// Everything the client sent, as text, with Basic credentials decoded.
    pub fn text(&self) -> String {
        use base64::Engine as _;
        let mut text = format!("{} {}\n", self.method, self.target);
        for (name, value) in &self.headers {
            text.push_str(&format!("{name}: {value}\n"));
            if let Some(basic) = value.strip_prefix("Basic ")
                && let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(basic)
            {
                text.push_str(&String::from_utf8_lossy(&decoded));
                text.push('\n');
            }
        }
        text.push_str(&String::from_utf8_lossy(&self.body));
        text
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Wait this long before answering (timeouts, concurrency).
    pub delay: Duration,
}

impl Reply {
    pub fn new(status: u16, body: impl Into<String>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

pub type Handler = Arc<dyn Fn(&Seen) -> Reply + Send + Sync>;

#[derive(Default)]
pub struct Stats {
    pub requests: AtomicUsize,
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    pub seen: Mutex<Vec<Seen>>,
}

pub struct TestServer {
    pub port: u16,
    pub tls: bool,
    pub stats: Arc<Stats>,
    /// The test CA, PEM, for `ValidationSettings::extra_ca`.
    pub ca_file: PathBuf,
    _dir: tempfile::TempDir,
}

impl TestServer {
    pub fn https(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> TestServer {
        TestServer::start(true, Arc::new(handler))
    }

    pub fn http(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> TestServer {
        TestServer::start(false, Arc::new(handler))
    }

    /// The base URL to map a validator host to.
    pub fn base_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> usize {
        self.stats.requests.load(Ordering::SeqCst)
    }

    pub fn max_in_flight(&self) -> usize {
        self.stats.max_in_flight.load(Ordering::SeqCst)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.stats.seen.lock().unwrap().clone()
    }

    fn start(tls: bool, handler: Handler) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let (ca_pem, config) = test_pki();
        let ca_file = dir.path().join("test-ca.pem");
        std::fs::write(&ca_file, ca_pem).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stats = Arc::new(Stats::default());
        let config = Arc::new(config);
        let thread_stats = Arc::clone(&stats);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = Arc::clone(&handler);
                let stats = Arc::clone(&thread_stats);
                let config = Arc::clone(&config);
                std::thread::spawn(move || {
                    let _ = serve(stream, tls.then_some(config), &handler, &stats);
                });
            }
        });
        TestServer {
            port,
            tls,
            stats,
            ca_file,
            _dir: dir,
        }
    }
}

/// A CA and a certificate for 127.0.0.1 and localhost signed by it.
fn test_pki() -> (String, rustls::ServerConfig) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "leakhound test CA");
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf_params =
        rcgen::CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &ca).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    // ring, as ureq uses; its post-quantum key exchange does not matter on loopback.
    #[allow(deprecated)]
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone()], key)
    .unwrap();
    (ca.pem(), config)
}

fn serve(
    tcp: TcpStream,
    tls: Option<Arc<rustls::ServerConfig>>,
    handler: &Handler,
    stats: &Stats,
) -> std::io::Result<()> {
    tcp.set_read_timeout(Some(Duration::from_secs(10)))?;
    match tls {
        None => exchange(tcp, handler, stats),
        Some(config) => {
            let connection =
                rustls::ServerConnection::new(config).map_err(std::io::Error::other)?;
            let mut stream = rustls::StreamOwned::new(connection, tcp);
            exchange(&mut stream, handler, stats)?;
            stream.conn.send_close_notify();
            stream.flush()
        }
    }
}

fn exchange(stream: impl Read + Write, handler: &Handler, stats: &Stats) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let seen = Seen {
        method,
        target,
        headers,
        body,
    };
    stats.requests.fetch_add(1, Ordering::SeqCst);
    let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    stats.max_in_flight.fetch_max(now, Ordering::SeqCst);
    stats.seen.lock().unwrap().push(seen.clone());
    let reply = handler(&seen);
    std::thread::sleep(reply.delay);
    stats.in_flight.fetch_sub(1, Ordering::SeqCst);
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&reply.body);
    let stream = reader.get_mut();
    stream.write_all(out.as_bytes())?;
    stream.flush()
}

/// A content finding of `rule_id` holding `secret` at `path`, line `line`.
pub fn finding(rule_id: &str, secret: &str, path: &str, line: usize) -> Finding {
    let at = Position { line, column: 1 };
    Finding {
        rule_id: rule_id.to_string(),
        description: rule_id.to_string(),
        severity: Severity::High,
        confidence: Confidence::High,
        confidence_reason: None,
        remediation: String::new(),
        tags: Vec::new(),
        kind: FindingKind::Content,
        path: path.to_string(),
        start: at,
        end: at,
        secret: secret.to_string(),
        matched: secret.to_string(),
        entropy: 4.0,
        fingerprint: format!("{rule_id}:{path}:{line}"),
        commit: None,
        occurrences: None,
        repository: None,
        validation: None,
    }
}
