//! leakhound: a fast secret scanner for git repositories.
//!
//! Data flows one way: **source → engine → findings → filters → validation → report**, driven by
//! [`scan`]. Each module owns one step; see `../shared/design.md` in the steering repo
//! and the README for the map.

mod aux_file;
pub mod cli;
pub mod engine;
mod filter;
pub mod finding;
#[doc(hidden)]
pub mod fuzzing;
mod report;
pub mod rules;
pub mod scan;
mod scrub;
mod settings;
mod source;
pub mod validate;
