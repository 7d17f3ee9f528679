//! sitrep: a static site generator for incident briefs.
//!
//! The pipeline, one module per stage:
//! `load` (walk, split front matter, parse YAML) → `model` (validated
//! briefs, groups, countries, indices) → `render` (Tera + Markdown, pure,
//! files in memory, at the addresses `urls` gives) → `write` (the only
//! stage that touches the output). `engine` runs them, with the link check
//! (`links`), for every command: once for `build` and `check`, and
//! incrementally for `serve`.

// `Diagnostic` is the error type of every stage; it is large (file, position,
// message, help) but made only on failure, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

/// A hash map whose keys come from the briefs (words, names, slugs) and
/// is on a hot path: foldhash, fast and seeded per process, so that no
/// brief can pick keys that collide.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

pub mod diagnostics;
pub mod engine;
pub mod fuzzing;
pub mod links;
pub mod load;
pub mod model;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod suggest;
pub mod urls;
pub mod write;
