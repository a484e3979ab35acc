//! Reading the auxiliary files a run depends on besides the content it scans: configs,
//! ignore files, baselines and reports fed back in.
//!
//! Only regular files are read: a FIFO would block the process forever and a device such
//! as `/dev/zero` never ends, and a pull request can ship either under a file name the
//! scanner reads. A symbolic link to a regular file is followed. No read goes past a cap,
//! so no such file can exhaust memory. Knows nothing about what the files mean.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

/// Cap for configs and ignore files: far above any real one (git refuses ignore files
/// over 100 MB; a `.gitignore` of 16 MiB is already absurd).
pub const SMALL_FILE_LIMIT: u64 = 16 << 20;

/// Cap for JSON reports read back (`--baseline`, `scrub-plan --from-report`): a report of
/// a large history with every occurrence listed can reach tens of megabytes.
pub const REPORT_FILE_LIMIT: u64 = 256 << 20;

/// Why an auxiliary file was not read.
#[derive(Debug, thiserror::Error)]
pub enum AuxError {
    #[error("no such file or directory")]
    NotFound,
    #[error("{what}, not a regular file")]
    NotRegular { what: &'static str },
    #[error("{size} bytes, over the {limit}-byte limit for this kind of file")]
    TooLarge { size: u64, limit: u64 },
    #[error("not valid UTF-8")]
    NotUtf8,
    #[error("{}", crate::source::files::io_message(.0))]
    Io(std::io::Error),
}

/// What a file type is, for messages: `a directory`, `a FIFO`, ...
pub fn describe_file_type(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// Opens `path` for reading without blocking on a FIFO, and checks, on the open handle,
/// that it is a regular file.
pub fn open_regular(path: &Path) -> Result<(File, u64), AuxError> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading blocks until a writer shows up; with O_NONBLOCK it
        // returns at once, and the type check below turns it away.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => AuxError::NotFound,
        _ => AuxError::Io(error),
    })?;
    let metadata = file.metadata().map_err(AuxError::Io)?;
    if !metadata.is_file() {
        return Err(AuxError::NotRegular {
            what: describe_file_type(metadata.file_type()),
        });
    }
    Ok((file, metadata.len()))
}

/// Reads a regular file of at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, AuxError> {
    let (file, size) = open_regular(path)?;
    if size > limit {
        return Err(AuxError::TooLarge { size, limit });
    }
    let mut data = Vec::with_capacity(size as usize);
    // One byte past the limit tells a file that grew since it was opened.
    file.take(limit + 1)
        .read_to_end(&mut data)
        .map_err(AuxError::Io)?;
    if data.len() as u64 > limit {
        return Err(AuxError::TooLarge {
            size: data.len() as u64,
            limit,
        });
    }
    Ok(data)
}

/// Reads a regular UTF-8 text file of at most `limit` bytes.
pub fn read_to_string(path: &Path, limit: u64) -> Result<String, AuxError> {
    String::from_utf8(read(path, limit)?).map_err(|_| AuxError::NotUtf8)
}

/// Whether anything (of any type, a dangling link included) is at `path`.
pub fn something_at(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_under_the_limit_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "x = 1\n").unwrap();
        assert_eq!(read_to_string(&path, 100).unwrap(), "x = 1\n");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        std::fs::File::create(&path)
            .unwrap()
            .set_len(1 << 30)
            .unwrap();
        let error = read(&path, 1 << 20).unwrap_err();
        assert!(matches!(error, AuxError::TooLarge { .. }), "{error}");
    }

    #[test]
    fn a_directory_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let error = read(dir.path(), 100).unwrap_err();
        assert_eq!(error.to_string(), "a directory, not a regular file");
    }

    #[cfg(unix)]
    #[test]
    fn dev_zero_is_refused() {
        let error = read(Path::new("/dev/zero"), 100).unwrap_err();
        assert_eq!(error.to_string(), "a character device, not a regular file");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(status.success());
        let error = read(&path, 100).unwrap_err();
        assert_eq!(error.to_string(), "a FIFO, not a regular file");
    }

    #[test]
    fn a_missing_file_says_so() {
        let error = read(Path::new("/no/such/file"), 100).unwrap_err();
        assert_eq!(error.to_string(), "no such file or directory");
    }
}
