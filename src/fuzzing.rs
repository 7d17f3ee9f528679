//! Entry points for the fuzz targets in `fuzz/`: each takes any bytes and
//! runs one part of sitrep on them in memory, as a build would on a file
//! holding those bytes. None may panic, hang or take more than linear
//! time, whatever the bytes; what they return lets a target check that the
//! outputs are what their formats require.

use std::path::Path;

use chrono::NaiveDate;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, LoadedSite, RawHtml, SiteConfig};
use crate::model::{self, ModelOptions};
use crate::render::{self, Content, OutputFile, Renderer, markdown};

/// The day fuzzed briefs are judged against.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).expect("a valid date")
}

/// A brief's front matter: split from the body and parsed as YAML.
pub fn front_matter(data: &[u8]) -> Result<(), Vec<Diagnostic>> {
    load::parse_source(Path::new("content/briefs/fuzz.md"), data.to_vec()).map(|_| ())
}

/// A `site.yaml`.
pub fn site_config(data: &[u8]) -> Option<SiteConfig> {
    let text = std::str::from_utf8(data).ok()?;
    load::config::parse_config(text).ok()
}

/// A Markdown body, inspected as `check` does and rendered in each
/// `markdown.raw_html` mode: (sanitize, escape, allow).
pub fn markdown(data: &[u8]) -> Option<(String, String, String)> {
    let text = std::str::from_utf8(data).ok()?;
    let file = Path::new("content/briefs/fuzz.md");
    for mode in [RawHtml::Sanitize, RawHtml::Escape, RawHtml::Allow] {
        markdown::inspect(text, 6, file, mode);
    }
    Some((
        markdown::to_html(text, &markdown::Links::plain("/sub/"), RawHtml::Sanitize),
        markdown::to_html(text, &markdown::Links::plain("/sub/"), RawHtml::Escape),
        markdown::to_html(text, &markdown::Links::plain("/sub/"), RawHtml::Allow),
    ))
}

/// A whole brief file (front matter and body) as the only brief of a site
/// with the built-in templates: validated, then every file of the site
/// rendered. Returns the files, or the problems that stopped the build.
pub fn brief(data: &[u8]) -> Result<Vec<OutputFile>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let file = match load::parse_source(Path::new("content/briefs/fuzz.md"), data.to_vec()) {
        Ok(file) => file,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    };
    let parsed = crate::engine::parse_brief(
        &file,
        crate::model::text::Text::held(&file.body),
        today(),
        RawHtml::Sanitize,
        &Default::default(),
    );
    let config = SiteConfig { base_url: "https://example.org/sub/".into(), ..SiteConfig::default() };
    let base_path = config.base_path();
    let loaded = LoadedSite { config, files: Vec::new(), static_files: Vec::new(), diagnostics };
    let options = ModelOptions { drafts: true, today: today() };
    let (site, mut diagnostics) = model::assemble(loaded, [parsed], Default::default(), &options);
    let Some(site) = site else { return Err(diagnostics) };
    // No folder holds templates or static files: the built-in ones are used.
    let nowhere = Path::new("/nonexistent/sitrep-fuzz");
    let templates = match render::load_templates(nowhere, &base_path, &["en".to_string()]) {
        Ok(templates) => templates,
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    };
    let renderer = Renderer::new(std::sync::Arc::new(site), templates[0].clone(), nowhere);
    let mut files = Vec::new();
    for output in renderer.outputs() {
        match renderer.render(output) {
            Ok(file) => files.push(file),
            Err(problem) => diagnostics.push(problem),
        }
    }
    if diagnostics.has_errors() { Err(diagnostics) } else { Ok(files) }
}

/// The bytes of a rendered file (a static file is read from disk).
pub fn bytes(file: &OutputFile) -> Vec<u8> {
    match &file.content {
        Content::Bytes(bytes) => bytes.clone(),
        Content::Copy(path) => std::fs::read(path).unwrap_or_default(),
        Content::Kept { .. } => unreachable!("`render` makes every page"),
    }
}
