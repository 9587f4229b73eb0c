//! Plain data shared by every module: the [`Article`] schema, field provenance and page kinds.
//!
//! This module owns no behaviour beyond small constructors; it depends on nothing else in the
//! crate, so every other module may use it.

mod article;

pub use article::{
    Article, ExtractorInfo, FieldSource, PageKind, SCHEMA_VERSION, SelectorsRef, extractor_info,
};
