//! Pre-commit scans: what the index adds compared with HEAD. (Issue #6: in progress.)
