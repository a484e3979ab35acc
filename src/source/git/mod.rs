//! Git, and the only place gix is used: opening a repository ([`repository`]), refs and
//! revisions ([`refs`]), commit metadata ([`commit`]), the object database read in
//! storage order ([`objects`], one pack at a time in `pack_pass`, around damaged entries
//! in `salvage`), the history's shape ([`graph`], [`tree_paths`]) and what it could not
//! read ([`unread`]), and the two git sources: a whole history ([`history`]) and what a
//! commit or a push adds ([`staged`], from [`changes`] and [`push`]).
//!
//! Callers see [`Repository`], object ids and plain values, never a gix type they must
//! name.

mod changes;
mod commit;
pub mod graph;
mod head;
mod history;
pub mod line_diff;
pub mod objects;
mod pack_pass;
mod push;
mod refs;
pub mod remote;
mod repository;
mod salvage;
mod staged;
pub mod tree;
pub mod tree_paths;
mod unread;

pub use commit::CommitMeta;
pub use head::HeadView;
pub use history::{CommitRange, History, HistoryProgress, NoProgress};
pub use push::{PushedRef, parse_pre_push};
pub use repository::{GitError, Repository};
pub use staged::{Baseline, StagedChanges};
