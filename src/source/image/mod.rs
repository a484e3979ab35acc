//! Container images (in progress).
