//! Kubernetes manifests (YAML, multi-document, Helm-rendered or Helm templates, or JSON):
//! - `env:` lists of containers (any workload kind, and CRDs that embed pod templates):
//!   `- name: N` with a literal `value: V` where `N` is credential-like; also the env-like
//!   lists and maps (`env`, `extraEnv`, `envVars`, ... as `- name: N value: V` or
//!   `N: V`) of a Helm chart's `values*.yaml`. Knative and Cloud Run services are left to
//!   the Cloud Run detector ([`super::platforms`]), whose remedy is Secret Manager's;
//! - a committed `kind: Secret` with real values: `data` entries are base64-decoded to be
//!   judged, `stringData` entries are judged as written. Certificates, user names, hosts
//!   and placeholders are not reported.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};

use super::judge::is_secret_entry;
use super::select::{Shape, judge_shape};
use super::tree::{Node, judge_name_value_list};
use super::{ValueHit, contains, parse_documents, platforms};

pub fn detect_env(data: &[u8], path: Option<&str>, out: &mut Vec<ValueHit>) {
    let chart_values = path.is_some_and(is_chart_values);
    let worth_parsing = if chart_values {
        true
    } else {
        contains(data, b"apiVersion") && has_env_list(data)
    };
    if !worth_parsing {
        return;
    }
    for document in parse_documents(data) {
        if !chart_values && !is_object(&document) || platforms::is_cloud_run_object(&document) {
            continue;
        }
        document.for_each_entry(&mut |key, value| {
            let Some(key) = key.text() else {
                return;
            };
            // Charts pass container env through values such as `extraEnv` or `envVars`.
            let env_key = key == "env" || chart_values && key.to_ascii_lowercase().contains("env");
            match value {
                Node::Seq(_) if env_key => judge_name_value_list(value, out),
                Node::Map(_) if env_key && chart_values => {
                    judge_shape(value, Shape::Map, &[], out);
                }
                _ => {}
            }
        });
    }
}

/// A Helm chart's values file (`values.yaml`, `values-prod.yaml`, `values.production.yml`),
/// whose `env`-like lists end up in containers.
fn is_chart_values(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.starts_with("values") && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

pub fn detect_secret(data: &[u8], out: &mut Vec<ValueHit>) {
    if !mentions_kind_secret(data) {
        return;
    }
    for document in parse_documents(data) {
        for secret in secrets_in(&document) {
            judge_secret(secret, out);
        }
    }
}

/// A Kubernetes object has `apiVersion` and `kind` at its top.
fn is_object(document: &Node) -> bool {
    document.get("apiVersion").is_some() && document.get("kind").is_some()
}

/// The `Secret` objects of a document: itself, or the items of a `List`.
fn secrets_in(document: &Node) -> Vec<&Node> {
    match document.get("kind").and_then(Node::text) {
        Some("Secret") => vec![document],
        Some("List") => document
            .get("items")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter(|item| item.get("kind").and_then(Node::text) == Some("Secret"))
            .collect(),
        _ => Vec::new(),
    }
}

fn judge_secret(secret: &Node, out: &mut Vec<ValueHit>) {
    for (key, value) in secret.get("data").map(Node::entries).unwrap_or_default() {
        let (Some(name), Some(value)) = (key.text(), value.scalar()) else {
            continue;
        };
        let Some(decoded) = decode_base64(&value.text) else {
            continue;
        };
        if is_secret_entry(name, &String::from_utf8_lossy(&decoded)) {
            out.push(ValueHit {
                span: value.raw.clone(),
                secret: value.raw.clone(),
            });
        }
    }
    for (key, value) in secret
        .get("stringData")
        .map(Node::entries)
        .unwrap_or_default()
    {
        let (Some(name), Some(value)) = (key.text(), value.scalar()) else {
            continue;
        };
        if is_secret_entry(name, &value.text) {
            out.push(ValueHit {
                span: value.raw.clone(),
                secret: value.raw.clone(),
            });
        }
    }
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD
        .decode(&compact)
        .or_else(|_| STANDARD_NO_PAD.decode(&compact))
        .ok()
}

/// Whether an `env` key holds a list (`env:` then a `- ` item, `env: [`, `"env": [`), so
/// that other manifests, such as large CRD schemas that only mention `env`, are not parsed.
fn has_env_list(data: &[u8]) -> bool {
    memchr::memmem::find_iter(data, b"env").any(|at| {
        let word_start = at == 0 || !(data[at - 1].is_ascii_alphanumeric() || data[at - 1] == b'_');
        if !word_start {
            return false;
        }
        let mut pos = at + 3;
        if data.get(pos) == Some(&b'"') {
            pos += 1;
        }
        pos = skip(data, pos, b" \t");
        if data.get(pos) != Some(&b':') {
            return false;
        }
        pos = skip(data, pos + 1, b" \t");
        if data.get(pos) == Some(&b'#') {
            pos = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |n| pos + n);
        }
        match data.get(pos) {
            Some(b'[') => true,
            Some(b'\n' | b'\r') => data.get(skip(data, pos, b" \t\r\n")) == Some(&b'-'),
            _ => false,
        }
    })
}

fn skip(data: &[u8], mut pos: usize, set: &[u8]) -> usize {
    while data.get(pos).is_some_and(|b| set.contains(b)) {
        pos += 1;
    }
    pos
}

/// Whether a line says `kind: Secret` (YAML) or `"kind": "Secret"` (JSON), so that other
/// buffers are not parsed.
fn mentions_kind_secret(data: &[u8]) -> bool {
    memchr::memmem::find_iter(data, b"kind").any(|at| {
        let mut pos = at + 4;
        let skip = |pos: &mut usize, set: &[u8]| {
            while data.get(*pos).is_some_and(|b| set.contains(b)) {
                *pos += 1;
            }
        };
        skip(&mut pos, b"\"' \t");
        if data.get(pos) != Some(&b':') {
            return false;
        }
        pos += 1;
        skip(&mut pos, b"\"' \t");
        data[pos..].starts_with(b"Secret")
            && !data.get(pos + 6).is_some_and(|b| b.is_ascii_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, detect: fn(&[u8], &mut Vec<ValueHit>)) -> Vec<String> {
        let mut out = Vec::new();
        detect(text.as_bytes(), &mut out);
        out.iter()
            .map(|hit| text[hit.secret.clone()].to_string())
            .collect()
    }

    fn found_env(text: &str, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        detect_env(text.as_bytes(), Some(path), &mut out);
        out.iter()
            .map(|hit| text[hit.secret.clone()].to_string())
            .collect()
    }

    #[test]
    fn env_values_of_credential_names_are_found_in_every_document() {
        let text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          env:\n            - name: LOG_LEVEL\n              value: debug\n            - name: DB_PASSWORD\n              value: \"s3cr3t-fixture-pass\"\n            - name: API_TOKEN\n              valueFrom:\n                secretKeyRef: {name: api, key: token}\n";
        assert_eq!(found_env(text, "k8s/app.yaml"), ["s3cr3t-fixture-pass"]);
    }

    #[test]
    fn env_lists_of_chart_values_are_read_without_api_version() {
        let text = "image:\n  tag: 1.0\nextraEnv:\n  - name: DB_PASSWORD\n    value: v4lues-fixture-pass\n  - name: LOG_LEVEL\n    value: info\n";
        assert_eq!(
            found_env(text, "charts/api/values.yaml"),
            ["v4lues-fixture-pass"]
        );
        assert_eq!(
            found_env(text, "charts/api/other.yaml"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn env_maps_of_chart_values_are_read() {
        let text = "env:\n  DB_PASSWORD: m4p-fixture-pass\n  LOG_LEVEL: info\nextraEnvVars:\n  API_TOKEN:\n    value: t0k3n-fixture\nenvironment: production\n";
        assert_eq!(
            found_env(text, "charts/api/values.yaml"),
            ["m4p-fixture-pass", "t0k3n-fixture"]
        );
    }

    #[test]
    fn knative_services_are_left_to_the_cloud_run_detector() {
        let text = "apiVersion: serving.knative.dev/v1\nkind: Service\nspec:\n  template:\n    spec:\n      containers:\n        - env:\n            - name: DB_PASSWORD\n              value: kn-fixture-pass\n";
        assert!(found_env(text, "service.yaml").is_empty());
    }

    #[test]
    fn secret_data_is_decoded_to_be_judged() {
        // "s3cr3t-fixture-pass", "admin", "changeme"
        let text = "apiVersion: v1\nkind: Secret\ntype: Opaque\ndata:\n  password: czNjcjN0LWZpeHR1cmUtcGFzcw==\n  username: YWRtaW4=\n  token: Y2hhbmdlbWU=\nstringData:\n  api-key: k3y-fixture-value\n";
        assert_eq!(
            found(text, detect_secret),
            ["czNjcjN0LWZpeHR1cmUtcGFzcw==", "k3y-fixture-value"]
        );
    }

    #[test]
    fn env_lists_are_recognised_without_parsing() {
        assert!(has_env_list(b"  env:\n  - name: A\n"));
        assert!(has_env_list(b"  env: # vars\n\n    - name: A\n"));
        assert!(has_env_list(b"env: [{name: A, value: b}]"));
        assert!(has_env_list(b"{\"env\": [{\"name\": \"A\"}]}"));
        assert!(!has_env_list(b"  env:\n    description: variables\n"));
        assert!(!has_env_list(b"  dotenv:\n  - a\n"));
        assert!(!has_env_list(b"  envFrom:\n  - secretRef: {}\n"));
    }

    #[test]
    fn kind_secret_is_recognised_in_yaml_and_json_only() {
        assert!(mentions_kind_secret(b"kind: Secret\n"));
        assert!(mentions_kind_secret(b"{\"kind\":\"Secret\"}"));
        assert!(!mentions_kind_secret(b"kind: SecretProviderClass\n"));
        assert!(!mentions_kind_secret(b"kind: ExternalSecret\n"));
    }
}
