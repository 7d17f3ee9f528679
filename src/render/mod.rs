//! Render stage: turns a `Site` into output files in memory. Pure: reads
//! nothing from disk but the static files it names for the writer to copy,
//! writes nothing; a test can inspect every page without a disk.

pub mod data;
pub mod feeds;
pub mod markdown;
pub mod publish;
pub mod templates;
mod views;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

pub use templates::load_templates;

use crate::diagnostics::Diagnostic;
use crate::model::{self, Site};
use views::*;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, with `/` separators (`briefs/x/index.html`).
    pub path: String,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// A file to copy as it is (from `static/`).
    Copy(PathBuf),
}

/// Where rendered files go, one at a time, from any of the rendering
/// threads, so that a build never holds the whole site in memory.
pub trait Sink: Sync {
    /// Takes one finished file. An error stops the build; it says what
    /// went wrong (the caller adds which file).
    fn put(&self, file: OutputFile) -> Result<(), String>;
}

/// A file that is made when it is asked for (feeds, data downloads), so
/// that it can be made on any thread and dropped as soon as it is written.
pub type Deferred<'a> = Box<dyn Fn() -> OutputFile + Send + Sync + 'a>;

/// Renders every file of the site into `sink`, in parallel. `static_root`
/// is the site's `static/` folder, whose files are passed through. Every
/// error is returned; files already put stay with the sink (a writer
/// commits nothing when this fails).
pub fn render_site(site: &Site, tera: &Tera, static_root: &Path, sink: &dyn Sink) -> Result<(), Vec<Diagnostic>> {
    let r = Renderer::new(site, tera);
    let put = |file: OutputFile| {
        let path = file.path.clone();
        sink.put(file).map_err(|e| Diagnostic::error("write", &path, crate::diagnostics::Pos::WHOLE_FILE, e))
    };
    let errors: Vec<Diagnostic> =
        r.jobs().into_par_iter().filter_map(|job| r.render(job).and_then(put).err()).collect();
    if !errors.is_empty() {
        return Err(once_each(errors));
    }
    let mut deferred = feeds::feeds(site);
    deferred.extend(data::data_files(site));
    let mut ready = r.redirects()?;
    ready.extend(publish::publishing_outputs(site, &r));
    ready.extend(static_outputs(site, static_root));
    let errors: Vec<Diagnostic> = deferred
        .into_par_iter()
        .map(|make| make())
        .chain(ready.into_par_iter())
        .filter_map(|file| put(file).err())
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// Files passed through from `static/`, plus the built-in stylesheet when
/// the site has none of its own.
pub fn static_outputs(site: &Site, static_root: &Path) -> Vec<OutputFile> {
    let mut files = Vec::with_capacity(site.static_files.len() + 1);
    let mut has_stylesheet = false;
    for rel in &site.static_files {
        let path = rel.to_string_lossy().replace('\\', "/");
        has_stylesheet |= path == STYLESHEET;
        files.push(OutputFile { path, content: Content::Copy(static_root.join(rel)) });
    }
    if !has_stylesheet {
        files.push(OutputFile {
            path: STYLESHEET.into(),
            content: Content::Bytes(templates::DEFAULT_STYLESHEET.as_bytes().to_vec()),
        });
    }
    // The front-matter schemas, so editors can point their YAML tools at the site.
    for (path, schema) in
        [("schema/brief.json", model::brief::json_schema()), ("schema/group.json", model::group::json_schema())]
    {
        if !files.iter().any(|f| f.path == path) {
            files.push(OutputFile { path: path.into(), content: Content::Bytes(schema.into_bytes()) });
        }
    }
    files
}

/// The stylesheet every page links to.
pub const STYLESHEET: &str = "style.css";

/// One page to render. Positions refer to the vectors of the `Site` the
/// job was planned from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Home,
    Brief(usize),
    Countries,
    /// Country index, page number (1-based).
    Country(usize, usize),
    Groups,
    Group(usize, usize),
    Archive,
    /// Year archive, page number (1-based).
    Year(usize, usize),
    Page(usize),
    NotFound,
}

pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// Renders pages of one site with one template set.
pub struct Renderer<'a> {
    site: &'a Site,
    tera: &'a Tera,
    common: CommonView<'a>,
    base: String,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, tera: &'a Tera) -> Renderer<'a> {
        Renderer { site, tera, common: CommonView::new(site), base: site.config.base_path() }
    }

    /// Every page of the site.
    pub fn jobs(&self) -> Vec<Job> {
        let site = self.site;
        let mut jobs = vec![Job::Home, Job::Countries, Job::Groups, Job::Archive, Job::NotFound];
        jobs.extend((0..site.briefs.len()).map(Job::Brief));
        for i in 0..site.countries.len() {
            jobs.extend(self.country_jobs(i));
        }
        for i in 0..site.groups.len() {
            jobs.extend(self.group_jobs(i));
        }
        for i in 0..site.years.len() {
            jobs.extend(self.year_jobs(i));
        }
        jobs.extend((0..site.pages.len()).map(Job::Page));
        jobs
    }

    /// Every page of one country's index.
    pub fn country_jobs(&self, i: usize) -> impl Iterator<Item = Job> + use<> {
        let pages = page_count(self.site.countries[i].briefs.len(), self.site.config.paginate_by);
        (1..=pages).map(move |p| Job::Country(i, p))
    }

    /// Every page of one group's index.
    pub fn group_jobs(&self, i: usize) -> impl Iterator<Item = Job> + use<> {
        let pages = page_count(self.site.groups[i].entries.len(), self.site.config.paginate_by);
        (1..=pages).map(move |p| Job::Group(i, p))
    }

    /// Every page of one year's archive.
    pub fn year_jobs(&self, i: usize) -> impl Iterator<Item = Job> + use<> {
        let pages = page_count(self.site.years[i].briefs.len(), self.site.config.archive_paginate_by);
        (1..=pages).map(move |p| Job::Year(i, p))
    }

    /// Renders `jobs` in parallel; every error is returned, each template
    /// mistake once however many pages it broke.
    pub fn render_all(&self, jobs: &[Job]) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let rendered: Vec<Result<OutputFile, Diagnostic>> = jobs.par_iter().map(|job| self.render(*job)).collect();
        let mut files = Vec::with_capacity(rendered.len());
        let mut errors = Vec::new();
        for result in rendered {
            match result {
                Ok(f) => files.push(f),
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() { Ok(files) } else { Err(once_each(errors)) }
    }

    /// The output path of a job's page.
    pub fn path(&self, job: Job) -> String {
        let site = self.site;
        let base = self.base.as_str();
        match job {
            Job::Home => "index.html".into(),
            Job::Brief(i) => format!("briefs/{}/index.html", site.briefs[i].slug),
            Job::Countries => "countries/index.html".into(),
            Job::Country(i, page) => paginated_path(&country_url(base, &site.countries[i].country.slug), page, base),
            Job::Groups => "groups/index.html".into(),
            Job::Group(i, page) => paginated_path(&group_url(base, &site.groups[i].group.slug), page, base),
            Job::Archive => "archive/index.html".into(),
            Job::Year(i, page) => paginated_path(&format!("{base}archive/{}/", site.years[i].year), page, base),
            Job::Page(i) => format!("{}/index.html", site.pages[i].path),
            Job::NotFound => "404.html".into(),
        }
    }

    pub fn render(&self, job: Job) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let base = self.base.as_str();
        let per_page = site.config.paginate_by;
        let path = self.path(job);
        match job {
            Job::Home => self.page(path, "home.html", &HomeView::new(site, base)),
            Job::Brief(i) => self.page(path, "brief.html", &BriefPageView::new(site, i, base)),
            Job::Countries => self.page(path, "countries.html", &CountriesView::new(site, base)),
            Job::Country(i, page) => self.page(path, "country.html", &CountryView::new(site, i, page, per_page, base)),
            Job::Groups => self.page(path, "groups.html", &GroupsView::new(site, base)),
            Job::Group(i, page) => self.page(path, "group.html", &GroupView::new(site, i, page, per_page, base)),
            Job::Archive => self.page(path, "archive.html", &ArchiveView::new(site, base)),
            Job::Year(i, page) => {
                let per_page = site.config.archive_paginate_by;
                self.page(path, "year.html", &YearView::new(site, i, page, per_page, base))
            }
            Job::Page(i) => self.page(path, "page.html", &PlainPageView::new(site, i, base)),
            Job::NotFound => self.page(path, "404.html", &NotFoundView {}),
        }
    }

    fn page<V: Serialize>(&self, path: String, template: &str, view: &V) -> Result<OutputFile, Diagnostic> {
        let mut context = Context::from_serialize(view).map_err(|e| templates::template_error(&e, Some(&path)))?;
        context.insert("site", &self.common);
        // The page's own address, so navigation can mark where the reader is,
        // and in full (when `base_url` is absolute) for canonical links.
        let own = path.trim_end_matches("index.html");
        context.insert("current_url", &format!("{}{own}", self.base));
        if let Some(origin) = publish::absolute_base(&self.site.config.base_url) {
            context.insert("canonical_url", &format!("{origin}{own}"));
        }
        let html = self.tera.render(template, &context).map_err(|e| templates::template_error(&e, Some(&path)))?;
        Ok(OutputFile { path, content: Content::Bytes(html.into_bytes()) })
    }

    /// Redirect pages for every `aliases` entry.
    pub fn redirects(&self) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
        let site = self.site;
        let base = self.base.as_str();
        let targets = site
            .briefs
            .iter()
            .map(|b| (&b.aliases, brief_url(base, &b.slug)))
            .chain(site.pages.iter().map(|p| (&p.aliases, format!("{base}{}/", p.path))));
        let mut files = Vec::new();
        for (aliases, target) in targets {
            for alias in aliases {
                let rel = alias.trim_start_matches('/');
                let path = if rel.ends_with(".html") {
                    rel.to_string()
                } else {
                    format!("{}/index.html", rel.trim_end_matches('/'))
                };
                let view = RedirectView { target: target.clone() };
                files.push(self.page(path, "redirect.html", &view).map_err(|e| vec![e])?);
            }
        }
        Ok(files)
    }
}

/// Template errors, each mistake once however many pages it broke.
fn once_each(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    errors.sort_by(|a, b| a.message.cmp(&b.message));
    errors.dedup_by(|a, b| a.file == b.file && a.message.split(" (while").next() == b.message.split(" (while").next());
    errors
}

fn paginated_path(first_page_url: &str, page: usize, base: &str) -> String {
    let dir = strip_base(first_page_url, base);
    if page == 1 { format!("{dir}index.html") } else { format!("{dir}page/{page}/index.html") }
}

fn strip_base<'a>(url: &'a str, base: &str) -> &'a str {
    url.strip_prefix(base).unwrap_or(url.trim_start_matches('/'))
}
