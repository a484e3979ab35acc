//! Which `NAME = value` pairs of a descriptor are secrets: one classification of names
//! (credential-like or not) and values (a literal, or a placeholder or reference), shared
//! by every detector so that `.env`, ECS, Kubernetes, compose and workflow files agree.
//!
//! A pair is a secret when the value is a literal that is not a placeholder and either the
//! name is credential-like (`DB_PASSWORD`, `STRIPE_SECRET_KEY`, `AWS_SECRET_ACCESS_KEY`) or
//! the value carries an inline password whatever its name (`postgres://app:pw@db/app`,
//! `Server=db;Password=pw`). The value's shape does not matter otherwise: the place makes it
//! a finding. Names are classified in [`super::names`].

use std::ops::Range;

pub use super::names::is_credential_name;
use super::names::words;

/// The part of `value` that is the secret, if the pair `name = value` holds one.
pub fn secret_part(name: &str, value: &str) -> Option<Range<usize>> {
    if let Some(password) = inline_password(value) {
        return (!is_placeholder(&value[password.clone()])).then_some(password);
    }
    if !is_credential_name(name)
        || is_placeholder(value)
        || looks_like_url(value)
        || is_certificate(value)
    {
        return None;
    }
    let trimmed = trim_range(value);
    (!trimmed.is_empty()).then_some(trimmed)
}

/// Whether an entry of a Kubernetes `Secret` named `name` holds something worth reporting:
/// everything but plainly public entries (user names, hosts, ports, certificates).
pub fn is_secret_entry(name: &str, value: &str) -> bool {
    if value.trim().contains('\n') {
        return file_holds_secret(value);
    }
    if is_placeholder(value) || value.contains("-----BEGIN CERTIFICATE") {
        return false;
    }
    if is_credential_name(name) || inline_password(value).is_some() {
        return true;
    }
    let words = words(name);
    let Some(last) = words.last() else {
        return false;
    };
    let public_file = [
        "crt",
        "cert",
        "certificate",
        "pub",
        "ca",
        "csr",
        "chain",
        "cer",
    ];
    // `username_in`, `azurestorageaccountname`: a public word anywhere, or at the end of
    // a run-together name.
    let public_name = words
        .iter()
        .any(|word| PUBLIC_ENTRY_WORDS.contains(&word.as_str()))
        || [
            "name", "user", "username", "host", "port", "url", "uri", "endpoint", "region",
        ]
        .iter()
        .any(|suffix| last.ends_with(suffix));
    !(public_name
        || public_file.contains(&last.as_str())
        || looks_like_url(value) && !value.contains('@'))
}

/// Whether a file held in a Secret (a config, a key) holds a secret: a private key, or a
/// `name = value` / `name: value` line that is one.
fn file_holds_secret(text: &str) -> bool {
    text.contains("PRIVATE KEY-----")
        || text.lines().any(|line| {
            let Some(separator) = line.find(['=', ':']) else {
                return false;
            };
            let name = line[..separator].trim().trim_matches(['"', '\'']);
            let value = line[separator + 1..].trim().trim_matches(['"', '\'', ',']);
            secret_part(name, value).is_some()
        })
}

/// Entry names that hold no secret on their own.
const PUBLIC_ENTRY_WORDS: &[&str] = &[
    "user",
    "username",
    "login",
    "email",
    "host",
    "hostname",
    "port",
    "database",
    "db",
    "dbname",
    "name",
    "namespace",
    "region",
    "endpoint",
    "url",
    "uri",
    "server",
    "address",
    "schema",
    "driver",
    "engine",
    "protocol",
    "scheme",
    "id",
    "mode",
    "type",
    "version",
];

/// Whether a value is not a literal secret: empty, a reference to one kept elsewhere
/// (`${X}`, `$(X)`, `{{ .Values.x }}`, `${{ secrets.X }}`, `arn:aws:...`), a placeholder
/// (`changeme`, `<your-password>`, `xxx`), a stock word (`true`, `none`), a short
/// number, a file path, or one character repeated.
pub fn is_placeholder(value: &str) -> bool {
    let value = value.trim();
    if value.is_empty() || value.starts_with('$') {
        return true;
    }
    let lower = value.to_ascii_lowercase();
    const REFERENCE_MARKS: &[&str] = &[
        "${",
        "$(",
        "{{",
        "#{",
        "%(",
        "<%",
        "%>",
        "changeme",
        "change_me",
        "change-me",
        "changeit",
        "xxx",
        "***",
        "...",
        "placeholder",
        "your_",
        "your-",
        "yourpass",
        "yoursecret",
        "yourtoken",
        "yourkey",
        "replace_me",
        "replace-me",
        "replaceme",
        "replace_",
        "replace-",
        "insert_",
        "insert-",
        "_here",
        "-here",
        "enter_your",
        "enter-your",
        "enter your",
        " here",
        "dummy",
        "example",
        "<",
        ">",
    ];
    if REFERENCE_MARKS.iter().any(|mark| lower.contains(mark)) {
        return true;
    }
    const REFERENCE_PREFIXES: &[&str] = &[
        "arn:",
        "vault:",
        "ref+",
        "op://",
        "sm://",
        "ssm:",
        "secretsmanager:",
        "awssm:",
        "gcpsm://",
        "azkv://",
        "akv://",
        "keyvault:",
        "secret:",
        "env:",
        "file:",
        "./",
        "../",
        "~/",
        "/",
        "enc(",
        "encrypted:",
        // Azure Key Vault and App Configuration references in app settings, Container
        // Apps' `secretref:`, a Secret Manager resource name.
        "@microsoft.keyvault(",
        "@microsoft.appconfiguration(",
        "secretref:",
        "projects/",
    ];
    if REFERENCE_PREFIXES
        .iter()
        .any(|prefix| lower.starts_with(prefix))
    {
        return true;
    }
    const STOCK_WORDS: &[&str] = &[
        "none",
        "null",
        "nil",
        "~",
        "undefined",
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "todo",
        "tbd",
        "fixme",
        "n/a",
        "na",
        "-",
        "redacted",
        "example",
        "sample",
        "dummy",
        "fake",
        "secret",
        "password",
        "passwd",
        "token",
        "key",
        "apikey",
        "api_key",
        "empty",
        "blank",
        "unset",
        "notset",
        "not_set",
        "required",
        "optional",
        "default",
        "string",
        "value",
        "masked",
        "hidden",
        // Default credentials of stock images (postgres, mysql, rabbitmq): public, and
        // what CI service containers use.
        "postgres",
        "root",
        "admin",
        "administrator",
        "mysql",
        "guest",
        "test",
        "demo",
        "user",
        "sa",
        "pass",
    ];
    if STOCK_WORDS.contains(&lower.as_str()) {
        return true;
    }
    if value.len() <= 6 && value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return true;
    }
    if names_a_credential(value) || names_a_file(value) {
        return true;
    }
    let first = value.chars().next();
    value.chars().all(|c| Some(c) == first)
}

/// A value that is the name of a credential rather than one (`MyApiKey`,
/// `testBrokerPassword`, `ACTIVEMQ_SECRET_ARN`, `prod/search/api-key`): letters and
/// separators only, naming a key, token, password or secret.
fn names_a_credential(value: &str) -> bool {
    let separators_only_between_words = value
        .bytes()
        .all(|b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'-' | b'/' | b'.'));
    if !separators_only_between_words || value.contains(['-', '/', '.']) && !value.contains('/') {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    [
        "apikey",
        "password",
        "passwd",
        "secret",
        "token",
        "credential",
    ]
    .iter()
    .any(|word| lower.contains(word))
        || words(value).iter().any(|word| word == "key")
}

/// A file name or object key (`app.zip`, `lambda/orchestrator.zip`): no blanks, and a
/// common file extension.
fn names_a_file(value: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        "zip",
        "jar",
        "war",
        "json",
        "yaml",
        "yml",
        "xml",
        "txt",
        "csv",
        "tgz",
        "gz",
        "tar",
        "py",
        "js",
        "sh",
        "html",
        "png",
        "jpg",
        "svg",
        "pdf",
        "conf",
        "cfg",
        "ini",
        "toml",
        "properties",
    ];
    !value.contains(char::is_whitespace)
        && value.rsplit_once('.').is_some_and(|(stem, extension)| {
            !stem.is_empty() && EXTENSIONS.contains(&extension.to_ascii_lowercase().as_str())
        })
}

/// A PEM certificate, as written or base64-encoded (EKS `cluster_auth_base64`, kubeconfig
/// `certificate-authority-data`): public.
fn is_certificate(value: &str) -> bool {
    let value = value.trim_start();
    value.starts_with("-----BEGIN CERTIFICATE-----")
        || value.starts_with("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t")
}

fn looks_like_url(value: &str) -> bool {
    let value = value.trim();
    value.find("://").is_some_and(|scheme_end| {
        scheme_end > 0
            && value[..scheme_end]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
    })
}

/// The password of `scheme://user:password@host` or of a `Password=...;` connection
/// string, as a range of `value`.
fn inline_password(value: &str) -> Option<Range<usize>> {
    if looks_like_url(value) {
        let authority_start = value.find("://")? + 3;
        let rest = &value[authority_start..];
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        let at = authority.rfind('@')?;
        let userinfo = &authority[..at];
        let colon = userinfo.find(':')?;
        let start = authority_start + colon + 1;
        let end = authority_start + at;
        return (end > start).then_some(start..end);
    }
    let lower = value.to_ascii_lowercase();
    for key in ["password=", "pwd="] {
        let mut from = 0;
        while let Some(found) = lower[from..].find(key) {
            let at = from + found;
            let after_separator = at == 0 || matches!(lower.as_bytes()[at - 1], b';' | b' ');
            if after_separator {
                let start = at + key.len();
                let end = value[start..]
                    .find(';')
                    .map_or(value.len(), |end| start + end);
                let password = trim_range_in(value, start..end);
                return (!password.is_empty()).then_some(password);
            }
            from = at + key.len();
        }
    }
    None
}

fn trim_range(value: &str) -> Range<usize> {
    trim_range_in(value, 0..value.len())
}

fn trim_range_in(value: &str, range: Range<usize>) -> Range<usize> {
    let text = &value[range.clone()];
    let start = range.start + (text.len() - text.trim_start().len());
    let end = range.end - (text.len() - text.trim_end().len());
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_references_are_not_secrets() {
        for value in [
            "",
            "  ",
            "${DB_PASSWORD}",
            "$DB_PASSWORD",
            "$(DB_PASSWORD)",
            "{{ .Values.db.password }}",
            "${{ secrets.DB_PASSWORD }}",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
            "changeme",
            "<your-password>",
            "xxx",
            "xxxxxxxx",
            "********",
            "true",
            "None",
            "8080",
            "/run/secrets/db_password",
            "vault:secret/data/db#password",
            "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)",
            "secretref:db-password",
            "INSERT_ETCD_DISCOVERY_TOKEN",
            "REPLACE_LICENSE_KEY_HERE",
            "example_123",
            "postgres",
            "MyAPIkey",
            "testBrokerPassword",
            "ACTIVEMQ_SECRET_ARN",
            "prod/search/api-key",
            "microvm-images/openclaw.zip",
            "xoxb-ENTER YOUR BOT'S ACCESS TOKEN HERE",
            "dummy-value",
        ] {
            assert!(is_placeholder(value), "{value:?}");
            assert_eq!(secret_part("DB_PASSWORD", value), None, "{value:?}");
        }
    }

    #[test]
    fn any_literal_of_a_credential_name_is_a_secret() {
        assert_eq!(secret_part("AWS_SECRET_ACCESS_KEY", "abc123"), Some(0..6));
        assert_eq!(
            secret_part(
                "cluster_auth_base64",
                "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1J"
            ),
            None
        );
        assert_eq!(secret_part("DB_PASSWORD", " pw-9 "), Some(1..5));
        assert_eq!(secret_part("LOG_LEVEL", "s3cr3t-fixture-pass"), None);
    }

    #[test]
    fn urls_are_secrets_only_with_an_inline_password() {
        // Assembled at run time so that scanning this source finds no password.
        let url = ["postgres://app:", "s3cr3t-fixture-pass", "@db:5432/app"].concat();
        let url = url.as_str();
        let password = secret_part("DATABASE_URL", url).unwrap();
        assert_eq!(&url[password], "s3cr3t-fixture-pass");
        assert_eq!(secret_part("DATABASE_URL", "postgres://db:5432/app"), None);
        assert_eq!(
            secret_part("AUTH_TOKEN", "https://auth.internal/token"),
            None
        );
        assert_eq!(
            secret_part("DATABASE_URL", "postgres://app:${DB_PASSWORD}@db/app"),
            None
        );
        let connection = ["Server=db;User Id=app;Pass", "word=s3cr3t-fixture-pass;"].concat();
        let connection = connection.as_str();
        let password = secret_part("CONNECTION", connection).unwrap();
        assert_eq!(&connection[password], "s3cr3t-fixture-pass");
    }

    #[test]
    fn secret_entries_skip_public_parts() {
        assert!(is_secret_entry("password", "s3cr3t-fixture-pass"));
        assert!(is_secret_entry(
            ".dockerconfigjson",
            "{\"auths\":{\"r.io\":{\"auth\":\"YTpi\"}}}"
        ));
        assert!(is_secret_entry(
            "app.properties",
            "db.user=app\ndb.password=s3cr3t-fixture-pass\n"
        ));
        assert!(is_secret_entry(
            "id_rsa",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n"
        ));
        assert!(!is_secret_entry(
            "config.yaml",
            "upstream: https://x.internal\nretries: 3\n"
        ));
        assert!(is_secret_entry("tls.key", "-----BEGIN PRIVATE KEY-----"));
        assert!(!is_secret_entry("tls.crt", "-----BEGIN CERTIFICATE-----"));
        assert!(!is_secret_entry("username", "app"));
        assert!(!is_secret_entry("node.session.auth.username_in", "muser"));
        assert!(!is_secret_entry("azurestorageaccountname", "k8stest"));
        assert!(is_secret_entry(
            "azurestorageaccountkey",
            "eElGMXpKYm5ub2pG"
        ));
        assert!(!is_secret_entry("host", "db.internal"));
        assert!(!is_secret_entry("password", "changeme"));
    }
}
