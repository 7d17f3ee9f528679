//! Runs the stages in order: load → model → render, then checks the links
//! editors wrote against the rendered pages. Returns the pages in memory and
//! every problem found; writing is left to the caller.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links;
use crate::load::{self, STATIC_DIR};
use crate::model::{self, ModelOptions, Site};
use crate::render::{self, OutputFile};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub model: ModelOptions,
    /// Replaces `base_url` from `site.yaml` for this build.
    pub base_url: Option<String>,
    /// Treat warnings as errors.
    pub strict: bool,
}

/// What a build produced: the site and its pages when there were no
/// errors, and every diagnostic either way.
pub struct Built {
    pub site: Option<Site>,
    pub files: Option<Vec<OutputFile>>,
    pub diagnostics: Diagnostics,
}

/// Loads and validates the site at `root` without rendering it.
pub fn load_model(root: &Path, options: &BuildOptions) -> (Option<Site>, Diagnostics) {
    let mut loaded = match load::load_site(root) {
        Ok(loaded) => loaded,
        Err(d) => return (None, single(d)),
    };
    if let Some(base_url) = &options.base_url {
        loaded.config.base_url = base_url.clone();
    }
    let (site, mut diagnostics) = model::build_site(loaded, &options.model);
    if options.strict {
        diagnostics.make_warnings_errors();
    }
    let site = if diagnostics.has_errors() { None } else { site };
    (site, diagnostics)
}

/// Loads, validates and renders the site at `root`.
pub fn build(root: &Path, options: &BuildOptions) -> Built {
    let (site, mut diagnostics) = load_model(root, options);
    let Some(site) = site else {
        return Built { site: None, files: None, diagnostics };
    };
    let files = render::load_templates(root, &site.config.base_path())
        .and_then(|tera| render::render_site(&site, &tera, &root.join(STATIC_DIR)));
    match files {
        Ok(files) => {
            let broken = links::check_links(&site, &files, root);
            let failed = !broken.is_empty();
            diagnostics.extend(broken);
            Built { files: (!failed).then_some(files), site: Some(site), diagnostics }
        }
        Err(errors) => {
            diagnostics.extend(errors);
            Built { site: Some(site), files: None, diagnostics }
        }
    }
}

fn single(d: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::default();
    all.push(d);
    all
}
