//! sitrep: a static site generator for incident briefs.
//!
//! The pipeline, one module per stage:
//! `load` (walk, split front matter, parse YAML) → `model` (validated
//! briefs, groups, countries, indices) → `render` (Tera + Markdown, pure,
//! pages in memory) → `write` (the only stage that touches the output).
//! `pipeline` runs them in order for the CLI and, later, for `serve`.

// `Diagnostic` is the error type of every stage; it is large (file, position,
// message, help) but made only on failure, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod diagnostics;
pub mod links;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod suggest;
pub mod write;
