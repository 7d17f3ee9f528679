//! Runs the stages in order: load → model → render, then checks the links
//! editors wrote against the rendered pages. Rendered files go to a sink
//! (the writer's staging, or nowhere for `check`) as they are made; the
//! caller learns whether the build succeeded and every problem found.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::links;
use crate::load::{self, STATIC_DIR};
use crate::model::{self, ModelOptions, Site};
use crate::render::{self, OutputFile, Sink};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub model: ModelOptions,
    /// Replaces `base_url` from `site.yaml` for this build.
    pub base_url: Option<String>,
    /// Treat warnings as errors.
    pub strict: bool,
}

/// What a build produced: the site when it loaded, whether every file
/// reached the sink and passed the link check, and every diagnostic.
pub struct Built {
    pub site: Option<Site>,
    pub complete: bool,
    pub diagnostics: Diagnostics,
}

/// Loads and validates the site at `root` without rendering it.
pub fn load_model(root: &Path, options: &BuildOptions) -> (Option<Site>, Diagnostics) {
    // Each brief is validated as soon as it is read, and its source dropped.
    let today = options.model.today;
    let (mut loaded, briefs) = match load::load_site(root, |file| model::parse_brief_file(&file, today)) {
        Ok(loaded) => loaded,
        Err(d) => return (None, single(d)),
    };
    if let Some(base_url) = &options.base_url {
        loaded.config.base_url = base_url.clone();
    }
    let (site, mut diagnostics) = model::assemble(loaded, briefs, &options.model);
    if options.strict {
        diagnostics.make_warnings_errors();
    }
    let site = if diagnostics.has_errors() { None } else { site };
    (site, diagnostics)
}

/// Loads, validates and renders the site at `root` into `sink`.
pub fn build(root: &Path, options: &BuildOptions, sink: &dyn Sink) -> Built {
    let (site, mut diagnostics) = load_model(root, options);
    let Some(site) = site else {
        return Built { site: None, complete: false, diagnostics };
    };
    let plan = links::LinkPlan::new(&site);
    let observed = Observed { plan: &plan, sink };
    let rendered = render::load_templates(root, &site.config.base_path())
        .and_then(|tera| render::render_site(&site, &tera, &root.join(STATIC_DIR), &observed));
    let complete = match rendered {
        Ok(()) => {
            let broken = plan.check();
            let complete = broken.is_empty();
            diagnostics.extend(broken);
            complete
        }
        Err(errors) => {
            diagnostics.extend(errors);
            false
        }
    };
    Built { site: Some(site), complete, diagnostics }
}

/// Passes files on to a sink, showing each to the link check first.
struct Observed<'a, 'b> {
    plan: &'a links::LinkPlan<'b>,
    sink: &'a dyn Sink,
}

impl Sink for Observed<'_, '_> {
    fn put(&self, file: OutputFile) -> Result<(), String> {
        self.plan.observe(&file);
        self.sink.put(file)
    }
}

/// A sink that drops every file: `check` renders only to find problems.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) -> Result<(), String> {
        Ok(())
    }
}

fn single(d: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::default();
    all.push(d);
    all
}
