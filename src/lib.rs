//! leakhound: a fast secret scanner for git repositories.
//!
//! Data flows one way: **source → engine → findings → filters → report**, driven by
//! [`scan`]. Each module owns one step; see `../shared/design.md` in the steering repo
//! and the README for the map.

pub mod aux_file;
pub mod cli;
pub mod engine;
pub mod filter;
pub mod finding;
#[doc(hidden)]
pub mod fuzzing;
pub mod report;
pub mod rules;
pub mod scan;
pub mod scrub;
pub mod source;
