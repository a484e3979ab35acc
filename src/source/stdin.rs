//! Standard input as one buffer (`leakhound scan -`).

use std::io::Read;

/// The name findings in standard input are reported under.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads standard input, up to `max_len` bytes; `Ok(None)` when it is longer.
pub fn read_stdin(max_len: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut data = Vec::new();
    std::io::stdin()
        .lock()
        .take(max_len + 1)
        .read_to_end(&mut data)?;
    Ok((data.len() as u64 <= max_len).then_some(data))
}
