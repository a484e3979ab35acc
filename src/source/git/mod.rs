//! Git sources: the objects of a repository, read with gix and no git subprocess.
//! [`objects`] decodes the object database in storage order; [`tree`] parses the tree
//! entries and commit headers a history scan reads in bulk.

pub mod objects;
pub mod tree;
