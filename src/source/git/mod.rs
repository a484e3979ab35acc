//! Git sources: the objects of a repository, read with gix and no git subprocess.
//! [`objects`] decodes the object database in storage order; [`tree`] and [`commit`]
//! parse the two object kinds a history scan walks.

pub mod objects;
pub mod tree;
