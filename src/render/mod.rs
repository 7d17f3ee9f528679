//! Render stage: turns a `Site` into output files in memory. Pure: reads
//! nothing from disk but the static files it names for the writer to copy,
//! writes nothing; a test can inspect every page without a disk.

pub mod markdown;
pub mod templates;
mod views;

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

pub use templates::load_templates;

use crate::diagnostics::Diagnostic;
use crate::model::Site;
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

/// Renders every page of the site. `static_root` is the site's `static/`
/// folder, whose files are passed through.
pub fn render_site(
    site: &Site,
    tera: &Tera,
    static_root: &std::path::Path,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let base = site.config.base_path();
    let common = CommonView::new(site, &base);
    let r = Renderer { site, tera, common, base: &base };

    let mut jobs: Vec<Job> = Vec::new();
    jobs.push(Job::Home);
    jobs.extend((0..site.briefs.len()).map(Job::Brief));
    jobs.push(Job::Countries);
    for (i, c) in site.countries.iter().enumerate() {
        jobs.extend((1..=page_count(c.briefs.len(), site.config.paginate_by)).map(|p| Job::Country(i, p)));
    }
    jobs.push(Job::Groups);
    for (i, g) in site.groups.iter().enumerate() {
        jobs.extend((1..=page_count(g.entries.len(), site.config.paginate_by)).map(|p| Job::Group(i, p)));
    }
    jobs.push(Job::Archive);
    jobs.extend((0..site.years.len()).map(Job::Year));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.push(Job::NotFound);

    let rendered: Vec<Result<OutputFile, Diagnostic>> = jobs.par_iter().map(|job| r.render(job)).collect();
    let mut files = Vec::with_capacity(rendered.len() + site.static_files.len());
    let mut errors = Vec::new();
    for result in rendered {
        match result {
            Ok(f) => files.push(f),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        // The same template error repeats on every page that uses it.
        errors.sort_by(|a, b| a.message.cmp(&b.message));
        errors.dedup_by(|a, b| {
            a.file == b.file && a.message.split(" (while").next() == b.message.split(" (while").next()
        });
        return Err(errors);
    }

    let mut has_stylesheet = false;
    for rel in &site.static_files {
        let path = rel.to_string_lossy().replace('\\', "/");
        has_stylesheet |= path == "style.css";
        files.push(OutputFile { path, content: Content::Copy(static_root.join(rel)) });
    }
    if !has_stylesheet {
        files.push(OutputFile {
            path: "style.css".into(),
            content: Content::Bytes(templates::DEFAULT_STYLESHEET.as_bytes().to_vec()),
        });
    }
    files.extend(redirects(&r)?);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

enum Job {
    Home,
    Brief(usize),
    Countries,
    /// Country index, page number (1-based).
    Country(usize, usize),
    Groups,
    Group(usize, usize),
    Archive,
    Year(usize),
    Page(usize),
    NotFound,
}

pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

struct Renderer<'a> {
    site: &'a Site,
    tera: &'a Tera,
    common: CommonView<'a>,
    base: &'a str,
}

impl Renderer<'_> {
    fn render(&self, job: &Job) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let per_page = site.config.paginate_by;
        match *job {
            Job::Home => self.page("index.html".into(), "home.html", &HomeView::new(site, self.base)),
            Job::Brief(i) => {
                let view = BriefPageView::new(site, i, self.base);
                self.page(format!("{}index.html", strip_base(&view.brief.url, self.base)), "brief.html", &view)
            }
            Job::Countries => {
                self.page("countries/index.html".into(), "countries.html", &CountriesView::new(site, self.base))
            }
            Job::Country(i, page) => {
                let view = CountryView::new(site, i, page, per_page, self.base);
                self.page(paginated_path(&view.country.url, page, self.base), "country.html", &view)
            }
            Job::Groups => self.page("groups/index.html".into(), "groups.html", &GroupsView::new(site, self.base)),
            Job::Group(i, page) => {
                let view = GroupView::new(site, i, page, per_page, self.base);
                self.page(paginated_path(&view.group.url, page, self.base), "group.html", &view)
            }
            Job::Archive => self.page("archive/index.html".into(), "archive.html", &ArchiveView::new(site, self.base)),
            Job::Year(i) => {
                let view = YearView::new(site, i, self.base);
                self.page(format!("archive/{}/index.html", view.year), "year.html", &view)
            }
            Job::Page(i) => self.page(
                format!("{}/index.html", site.pages[i].path),
                "page.html",
                &PlainPageView::new(site, i, self.base),
            ),
            Job::NotFound => self.page("404.html".into(), "404.html", &NotFoundView {}),
        }
    }

    fn page<V: Serialize>(&self, path: String, template: &str, view: &V) -> Result<OutputFile, Diagnostic> {
        let mut context = Context::from_serialize(view).map_err(|e| templates::template_error(&e, Some(&path)))?;
        context.insert("site", &self.common);
        // The page's own address, so navigation can mark where the reader is.
        context.insert("current_url", &format!("{}{}", self.base, path.trim_end_matches("index.html")));
        let html = self.tera.render(template, &context).map_err(|e| templates::template_error(&e, Some(&path)))?;
        Ok(OutputFile { path, content: Content::Bytes(html.into_bytes()) })
    }
}

fn paginated_path(first_page_url: &str, page: usize, base: &str) -> String {
    let dir = strip_base(first_page_url, base);
    if page == 1 { format!("{dir}index.html") } else { format!("{dir}page/{page}/index.html") }
}

fn strip_base<'a>(url: &'a str, base: &str) -> &'a str {
    url.strip_prefix(base).unwrap_or(url.trim_start_matches('/'))
}

/// Redirect pages for every `aliases` entry.
fn redirects(r: &Renderer) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let site = r.site;
    let targets = site
        .briefs
        .iter()
        .map(|b| (&b.aliases, brief_url(r.base, &b.slug)))
        .chain(site.pages.iter().map(|p| (&p.aliases, format!("{}{}/", r.base, p.path))));
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
            files.push(r.page(path, "redirect.html", &view).map_err(|e| vec![e])?);
        }
    }
    Ok(files)
}
