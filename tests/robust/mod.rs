//! Shared by the property tests and (by path) the fuzz targets: the document generator
//! and the invariants. See `gen.rs` and `invariants.rs`.
#![allow(dead_code)]

pub mod gen;
pub mod invariants;
pub mod structure;
