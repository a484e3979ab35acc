//! Git sources: the objects of a repository, read with gix and no git subprocess.
//! [`objects`] indexes the object database and decodes it in storage order, one pack at a
//! time (`pack_pass`), reading around damaged entries (`salvage`); [`tree`] parses the
//! tree entries and commit headers a history scan reads in bulk.

pub mod objects;
mod pack_pass;
mod salvage;
pub mod tree;
