//! Full-history scans: every unique blob of a repository once, then attribution of the
//! findings to the commits that introduced them. (Issue #5: in progress.)
