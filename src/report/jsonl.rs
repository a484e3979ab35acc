//! `--format jsonl`: JSON Lines, one finding per line with the fields of a `json` finding,
//! and nothing else (no summary), so `grep`, `jq -c` and log shippers can stream it.

use std::io;

use super::ReportInput;
use super::json::json_finding;

pub fn write_jsonl(input: &ReportInput<'_>, out: &mut dyn io::Write) -> io::Result<()> {
    for finding in input.findings {
        serde_json::to_writer(&mut *out, &json_finding(finding, input))?;
        writeln!(out)?;
    }
    Ok(())
}
