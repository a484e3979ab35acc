//! Baselines: a previous report whose findings are not reported again. A leakhound JSON
//! report (`leakhound baseline create`, or `--format json`) matches by value fingerprint;
//! a gitleaks JSON report by its positional `Fingerprint`.

use std::path::Path;

use anyhow::{Context, bail};
use serde_json::Value;

use super::{Filters, PositionalEntry, is_fingerprint};

pub(super) fn read_baseline(path: &Path, filters: &mut Filters) -> anyhow::Result<()> {
    let text = crate::aux_file::read_to_string(path, crate::aux_file::REPORT_FILE_LIMIT)
        .with_context(|| format!("reading baseline {}", path.display()))?;
    let document: Value = serde_json::from_str(&text)
        .with_context(|| format!("baseline {} is not JSON", path.display()))?;
    match &document {
        Value::Object(report) if report.contains_key("findings") => {
            for finding in report["findings"].as_array().into_iter().flatten() {
                match finding.get("fingerprint").and_then(Value::as_str) {
                    Some(fingerprint) if is_fingerprint(fingerprint) => {
                        filters.fingerprints.insert(fingerprint.to_string());
                    }
                    _ => bail!(
                        "baseline {}: a finding has no valid `fingerprint`",
                        path.display()
                    ),
                }
            }
        }
        Value::Array(gitleaks) => {
            for finding in gitleaks {
                let entry = finding
                    .get("Fingerprint")
                    .and_then(Value::as_str)
                    .and_then(PositionalEntry::parse)
                    .or_else(|| gitleaks_entry_from_fields(finding));
                match entry {
                    Some(entry) => filters.positional.push(entry),
                    None => bail!(
                        "baseline {}: a gitleaks finding has no usable `Fingerprint`",
                        path.display()
                    ),
                }
            }
        }
        _ => bail!(
            "baseline {} is neither a leakhound JSON report nor a gitleaks JSON report\nhint: create one with `leakhound baseline create -o {}`",
            path.display(),
            path.display()
        ),
    }
    Ok(())
}

fn gitleaks_entry_from_fields(finding: &Value) -> Option<PositionalEntry> {
    let commit = finding
        .get("Commit")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty());
    Some(PositionalEntry {
        commit: commit.map(str::to_string),
        path: finding.get("File")?.as_str()?.to_string(),
        rule: finding.get("RuleID")?.as_str()?.to_string(),
        line: usize::try_from(finding.get("StartLine")?.as_u64()?).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> anyhow::Result<Filters> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        std::fs::write(&path, text).unwrap();
        let mut filters = Filters::default();
        read_baseline(&path, &mut filters).map(|()| filters)
    }

    #[test]
    fn leakhound_report_gives_fingerprints() {
        let filters = load(r#"{"schema":"leakhound/report/v1","findings":[{"fingerprint":"0123456789abcdef0123"}]}"#).unwrap();
        assert!(filters.fingerprints.contains("0123456789abcdef0123"));
    }

    #[test]
    fn gitleaks_report_gives_positional_entries() {
        let filters = load(r#"[{"Fingerprint":"abcdef1234567:a.py:rule:3","File":"a.py","RuleID":"rule","StartLine":3}]"#).unwrap();
        assert_eq!(filters.positional[0].line, 3);
        assert_eq!(
            filters.positional[0].commit.as_deref(),
            Some("abcdef1234567")
        );
    }

    #[test]
    fn other_json_is_rejected_with_a_hint() {
        let error = load(r#"{"results": []}"#).unwrap_err().to_string();
        assert!(
            error.contains("neither a leakhound JSON report nor a gitleaks JSON report"),
            "{error}"
        );
    }
}
