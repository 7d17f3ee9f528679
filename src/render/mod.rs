//! Render stage: turns a `Site` into the files of the built site, in
//! memory. Pure: reads nothing from disk but the static files it names for
//! the sink to copy, writes nothing. Every file the site has is one
//! [`Output`]; [`Renderer::outputs`] lists them all, and [`Renderer::render`]
//! makes any one of them, so a full build and a preview's partial rebuild
//! make each file the same way.

mod charts;
pub mod data;
pub mod feeds;
pub mod i18n;
pub(crate) mod maps;
pub mod markdown;
pub mod publish;
pub mod reuse;
pub mod sanitize;
pub mod search;
mod served;
pub mod templates;
mod views;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

pub use served::Served;
pub use templates::{Templates, load_templates};

use crate::diagnostics::Diagnostic;
use crate::model::{self, ResolvedBrief, Site};
use crate::urls::{self, Address};
use crate::write::WriteError;
use views::*;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative to the output folder, with `/` separators (`briefs/x/index.html`).
    pub path: String,
    pub content: Content,
    /// For a page, the digest of what its template was given, where the
    /// sink records it so that the next build can keep the page instead
    /// of rendering it again (see [`reuse`]).
    pub view: Option<u128>,
}

impl OutputFile {
    pub fn new(path: String, bytes: Vec<u8>) -> OutputFile {
        OutputFile { path, content: Content::Bytes(bytes), view: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    /// A file to copy as it is (from `static/`).
    Copy(PathBuf),
    /// A page the sink already holds as an earlier build made it from the
    /// same view, whose bytes have this hash (`xxh3_128`): it kept it when
    /// asked ([`Sink::keep_page`]), and takes this as a note that it is
    /// part of the build.
    Kept {
        hash: u128,
    },
}

/// Writes a file's bytes to the writer it is given.
pub type Writing<'w> = &'w mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>;

/// The file at `path` that `write` writes, whole in memory.
pub fn gathered(path: String, write: Writing) -> Result<OutputFile, WriteError> {
    let mut bytes = Vec::new();
    write(&mut bytes).map_err(|source| WriteError::Io { path: PathBuf::from(&path), source })?;
    Ok(OutputFile::new(path, bytes))
}

/// Where rendered files go, one at a time, from any of the rendering
/// threads, so that a build never holds the whole site in memory.
pub trait Sink: Sync {
    /// Takes one finished file. An error stops the build.
    fn put(&self, file: OutputFile) -> Result<(), WriteError>;

    /// Takes the file at `path` that `write` writes a piece at a time, for
    /// the large ones (a whole site's downloads), so that a sink that can
    /// is never handed them whole. By default, they are gathered and put.
    fn put_written(&self, path: String, write: Writing) -> Result<(), WriteError> {
        self.put(gathered(path, write)?)
    }

    /// Whether the files are kept (written or served): a sink that only
    /// looks for problems (`check`) does not need the search index, which
    /// is made from pages already checked.
    fn keeps_files(&self) -> bool {
        true
    }

    /// The bytes of `path` as an earlier build left it in the output, if
    /// it is still there exactly as that build wrote it: work whose
    /// sources have not changed (the search index) is carried over rather
    /// than done again. A sink with no earlier build has none.
    fn previous(&self, _path: &str) -> Option<Vec<u8>> {
        None
    }

    /// Keeps these files of an earlier build as they are in the output,
    /// as if put again with the same bytes; all of them, or (if any is no
    /// longer as that build wrote it) none, and says which.
    fn keep(&self, _paths: &[String]) -> bool {
        false
    }

    /// Whether the sink keeps pages an earlier build made from the same
    /// view ([`keep_page`](Self::keep_page)) and records the views of the
    /// pages it is given: only then are views digested.
    fn reuses_pages(&self) -> bool {
        false
    }

    /// Keeps the page at `path` as the output holds it, as if it were
    /// rendered and put again, if an earlier build made it from the view
    /// whose digest is `view` and it is still as that build wrote it; then
    /// returns the hash of its bytes, and the page is put as
    /// [`Content::Kept`].
    fn keep_page(&self, _path: &str, _view: u128) -> Option<u128> {
        None
    }
}

/// One page made from a template. Positions refer to the vectors of the
/// `Site` the job was planned from.
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
    /// The search page, on sites with search.
    Search,
    NotFound,
}

/// A list of briefs that has its own feed and data downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Listing {
    Site,
    Country(usize),
    Group(usize),
}

impl Listing {
    /// The page that shows the list (its feed sits beside it).
    pub fn page(self, site: &Site) -> Address {
        match self {
            Listing::Site => urls::home(),
            Listing::Country(i) => urls::country(site.countries[i].country.slug),
            Listing::Group(i) => urls::group(&site.groups[i].group.slug),
        }
    }

    /// Where its data downloads are.
    pub fn data(self, site: &Site) -> Address {
        match self {
            Listing::Site => urls::data_folder(),
            other => other.page(site),
        }
    }

    /// Its briefs, newest first.
    pub fn briefs(self, site: &Site) -> Vec<&ResolvedBrief> {
        match self {
            Listing::Site => site.briefs.iter().collect(),
            Listing::Country(i) => site.countries[i].briefs.iter().map(|&b| &site.briefs[b]).collect(),
            Listing::Group(i) => site.groups[i].entries.iter().map(|e| &site.briefs[e.brief]).collect(),
        }
    }

    /// Every listing of the site.
    pub fn all(site: &Site) -> impl Iterator<Item = Listing> + '_ {
        std::iter::once(Listing::Site)
            .chain((0..site.countries.len()).map(Listing::Country))
            .chain((0..site.groups.len()).map(Listing::Group))
    }
}

/// Which of a brief list's data downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataFormat {
    Csv,
    GeoJson,
}

/// A page or file whose aliases redirect to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    Brief(usize),
    Page(usize),
}

/// Every kind of file the site has; each makes exactly one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Output {
    Page(Job),
    /// The `n`th alias of a brief or page: a page redirecting to it.
    Redirect(Owner, usize),
    Atom(Listing),
    JsonFeed,
    Data(Listing, DataFormat),
    /// The whole model as JSON.
    IncidentsJson,
    /// The `n`th file of `static/`.
    Static(usize),
    /// The built-in stylesheet, when the site has none of its own.
    DefaultStylesheet,
    BriefSchema,
    GroupSchema,
    NoJekyll,
    Cname,
    Robots,
    /// `sitemap.xml`: the sitemap, or the index over its parts.
    Sitemap,
    /// Part `n` (1-based) of a sitemap split under an index.
    SitemapPart(usize),
}

impl Output {
    /// Whether the output is a feed or a data download: made from the model
    /// alone (no templates, no static files), by [`data_file`].
    pub fn is_data(self) -> bool {
        matches!(self, Output::Atom(_) | Output::JsonFeed | Output::Data(..) | Output::IncidentsJson)
    }
}

/// The bytes of a feed or data download of `site` (`None` for any other output).
pub fn data_file(site: &Site, strings: &i18n::Strings, output: Output) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    write_data_file(site, strings, output, &mut bytes)?.expect("writing to memory does not fail");
    Some(bytes)
}

/// Writes the feed or download `output` to `w` as it is made (a whole
/// site's downloads are hundreds of megabytes at 100,000 briefs); `None`
/// if `output` is neither.
pub fn write_data_file(
    site: &Site,
    strings: &i18n::Strings,
    output: Output,
    w: &mut dyn std::io::Write,
) -> Option<std::io::Result<()>> {
    Some(match output {
        // A feed holds at most `feed_limit` entries.
        Output::Atom(listing) => w.write_all(&feeds::atom(site, strings, listing)),
        Output::JsonFeed => w.write_all(&feeds::json_feed(site, strings)),
        Output::Data(listing, DataFormat::Csv) => data::csv(site, listing, w),
        Output::Data(listing, DataFormat::GeoJson) => data::geojson(site, listing, w),
        Output::IncidentsJson => data::incidents_json(site, w),
        _ => return None,
    })
}

pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// Renders the files of one site with one template set: on a multilingual
/// site, one renderer per language's edition (see [`crate::model::edition`]).
pub struct Renderer {
    site: Arc<Site>,
    /// The templates and the interface's words in the site's language,
    /// with every language of the site named in itself.
    templates: Arc<Templates>,
    /// The site's `static/` folder.
    static_root: PathBuf,
    common: CommonView,
    /// The templates' identity with the site-wide values they are given:
    /// what, besides each page's view, decides the pages (see [`reuse`]).
    identity: Option<u128>,
    base: String,
    /// The output paths of a translated edition, for links written in its
    /// texts: a link to a page the edition has goes to the edition's copy.
    own: Option<std::collections::HashSet<String>>,
    /// The sitemap's entries, listed once however many files they fill.
    sitemap: std::sync::OnceLock<Vec<publish::Entry>>,
}

impl Renderer {
    /// Holds what it renders from, so that a preview can keep it to make
    /// a file when the file is first asked for.
    pub fn new(site: Arc<Site>, templates: Arc<Templates>, static_root: &Path) -> Renderer {
        let common = CommonView::new(&site, &templates.strings);
        let identity = templates
            .identity
            .and_then(|identity| Some(reuse::Digest::new().number(identity).value(&common)?.finish()));
        let mut renderer = Renderer {
            common,
            identity,
            base: site.config.base_path(),
            site,
            templates,
            static_root: static_root.to_path_buf(),
            own: None,
            sitemap: std::sync::OnceLock::new(),
        };
        if renderer.site.edition.index > 0 {
            renderer.own = Some(renderer.outputs().into_iter().map(|o| renderer.path(o)).collect());
        }
        renderer
    }

    /// `path` (in the site's `static/` folder) from the site's folder.
    pub fn site_relative(&self, path: &Path) -> PathBuf {
        let root = self.static_root.parent().unwrap_or(&self.static_root);
        path.strip_prefix(root).unwrap_or(path).to_path_buf()
    }

    fn strings(&self) -> &i18n::Strings {
        &self.templates.strings
    }

    /// How links written in Markdown on this edition's pages are made.
    pub fn links(&self) -> markdown::Links<'_> {
        markdown::Links {
            base: &self.base,
            edition: self.own.as_ref().map(|own| (self.site.edition.prefix(), own)),
            origin: None,
        }
    }

    /// On a translated edition, the output paths it has.
    pub fn own_paths(&self) -> Option<&std::collections::HashSet<String>> {
        self.own.as_ref()
    }

    /// Whether this is a translated edition (not the default language's).
    fn translated(&self) -> bool {
        self.site.edition.index > 0
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Every file of the site. A translated edition has its pages and its
    /// feeds; the data downloads, static files, redirects and publishing
    /// files are the default edition's, for all.
    pub fn outputs(&self) -> Vec<Output> {
        let site = &*self.site;
        let mut outputs: Vec<Output> = self.jobs().into_iter().map(Output::Page).collect();
        if self.translated() {
            outputs.extend(Listing::all(site).map(Output::Atom));
            outputs.push(Output::JsonFeed);
            return outputs;
        }
        outputs.extend(self.redirects());
        for listing in Listing::all(site) {
            outputs.extend([
                Output::Atom(listing),
                Output::Data(listing, DataFormat::Csv),
                Output::Data(listing, DataFormat::GeoJson),
            ]);
        }
        outputs.extend([Output::JsonFeed, Output::IncidentsJson]);
        outputs.extend(self.static_outputs());
        outputs.extend(self.publishing_outputs());
        outputs
    }

    /// Every page made from a template. A translated edition has no page
    /// of its own for an untranslated brief or page (its lists link to the
    /// original's), and the site's one 404 page is the default's.
    pub fn jobs(&self) -> Vec<Job> {
        let site = &*self.site;
        let mut jobs = vec![Job::Home, Job::Countries, Job::Groups, Job::Archive];
        if !self.translated() {
            jobs.push(Job::NotFound);
        }
        if site.config.search {
            jobs.push(Job::Search);
        }
        jobs.extend((0..site.briefs.len()).filter(|&i| site.briefs[i].text_language.is_none()).map(Job::Brief));
        for i in 0..site.countries.len() {
            jobs.extend(self.country_jobs(i));
        }
        for i in 0..site.groups.len() {
            jobs.extend(self.group_jobs(i));
        }
        for i in 0..site.years.len() {
            jobs.extend(self.year_jobs(i));
        }
        jobs.extend((0..site.pages.len()).filter(|&i| site.pages[i].text_language.is_none()).map(Job::Page));
        jobs
    }

    /// Every alias of every brief and page.
    pub fn redirects(&self) -> impl Iterator<Item = Output> + '_ {
        let site = &*self.site;
        let none = if self.translated() { 0 } else { usize::MAX };
        let briefs = site.briefs.iter().enumerate().map(|(i, b)| (Owner::Brief(i), b.rare.aliases.len()));
        let pages = site.pages.iter().enumerate().map(|(i, p)| (Owner::Page(i), p.aliases.len()));
        briefs.chain(pages).flat_map(move |(owner, n)| (0..n.min(none)).map(move |k| Output::Redirect(owner, k)))
    }

    /// The files of `static/`, the default stylesheet and the schemas.
    pub fn static_outputs(&self) -> Vec<Output> {
        let site = &*self.site;
        if self.translated() {
            return Vec::new();
        }
        let mut outputs: Vec<Output> = (0..site.static_files.len()).map(Output::Static).collect();
        let has = |path: &str| site.static_files.iter().any(|f| static_path(f) == path);
        if !has(urls::STYLESHEET) {
            outputs.push(Output::DefaultStylesheet);
        }
        // A site's own file at a schema's address wins.
        for (output, kind) in [(Output::BriefSchema, "brief"), (Output::GroupSchema, "group")] {
            if !has(&urls::schema(kind).output_path()) {
                outputs.push(output);
            }
        }
        outputs
    }

    /// The files publishing needs besides the pages. The sitemap and
    /// robots.txt need an absolute `base_url`; without one they are left out.
    pub fn publishing_outputs(&self) -> Vec<Output> {
        if self.translated() {
            return Vec::new();
        }
        let mut outputs = vec![Output::NoJekyll];
        if publish::cname(&self.site.config).is_some() {
            outputs.push(Output::Cname);
        }
        if publish::absolute_base(&self.site.config.base_url).is_some() {
            outputs.push(Output::Robots);
            outputs.push(Output::Sitemap);
            let parts = publish::sitemap_parts(self.sitemap_entries().len());
            if parts > 1 {
                outputs.extend((1..=parts).map(Output::SitemapPart));
            }
        }
        outputs
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

    /// The address of a page made from a template.
    pub fn address(&self, job: Job) -> Address {
        let site = &*self.site;
        match job {
            Job::Home => urls::home(),
            Job::Brief(i) => urls::brief(&site.briefs[i].slug),
            Job::Countries => urls::countries(),
            Job::Country(i, page) => urls::country(site.countries[i].country.slug).page(page),
            Job::Groups => urls::groups(),
            Job::Group(i, page) => urls::group(&site.groups[i].group.slug).page(page),
            Job::Archive => urls::archive(),
            Job::Year(i, page) => urls::year(site.years[i].year).page(page),
            Job::Page(i) => urls::plain_page(&site.pages[i].path),
            Job::Search => urls::search(),
            Job::NotFound => urls::not_found(),
        }
    }

    /// Where an output goes, relative to the output folder: a translated
    /// edition's, in its language's folder.
    pub fn path(&self, output: Output) -> String {
        let path = self.path_in_edition(output);
        if self.translated() { format!("{}{path}", self.site.edition.prefix()) } else { path }
    }

    fn path_in_edition(&self, output: Output) -> String {
        let site = &*self.site;
        match output {
            Output::Page(job) => self.address(job).output_path(),
            Output::Redirect(owner, k) => urls::alias(&self.aliases(owner)[k]).output_path(),
            Output::Atom(listing) => urls::atom(&listing.page(site)).output_path(),
            Output::JsonFeed => urls::json_feed().output_path(),
            Output::Data(listing, DataFormat::Csv) => urls::data(&listing.data(site), urls::CSV).output_path(),
            Output::Data(listing, DataFormat::GeoJson) => urls::data(&listing.data(site), urls::GEOJSON).output_path(),
            Output::IncidentsJson => urls::data(&urls::data_folder(), urls::JSON).output_path(),
            Output::Static(i) => urls::static_file(&static_path(&site.static_files[i])).output_path(),
            Output::DefaultStylesheet => urls::stylesheet().output_path(),
            Output::BriefSchema => urls::schema("brief").output_path(),
            Output::GroupSchema => urls::schema("group").output_path(),
            Output::NoJekyll => urls::no_jekyll().output_path(),
            Output::Cname => urls::cname().output_path(),
            Output::Robots => urls::robots().output_path(),
            Output::Sitemap => urls::sitemap().output_path(),
            Output::SitemapPart(n) => urls::sitemap_part(n).output_path(),
        }
    }

    fn aliases(&self, owner: Owner) -> &[String] {
        match owner {
            Owner::Brief(i) => &self.site.briefs[i].rare.aliases,
            Owner::Page(i) => &self.site.pages[i].aliases,
        }
    }

    /// Makes one file of the site.
    pub fn render(&self, output: Output) -> Result<OutputFile, Diagnostic> {
        self.make(output, None)
    }

    /// Makes one file of the site for `sink`, which may keep a page an
    /// earlier build made from the same view instead (see [`reuse`]).
    fn render_for(&self, output: Output, sink: &dyn Sink) -> Result<OutputFile, Diagnostic> {
        self.make(output, Some(sink).filter(|sink| sink.reuses_pages()))
    }

    fn make(&self, output: Output, earlier: Option<&dyn Sink>) -> Result<OutputFile, Diagnostic> {
        let site = &*self.site;
        let path = self.path(output);
        let bytes = |bytes: Vec<u8>| Ok(OutputFile::new(path.clone(), bytes));
        match output {
            Output::Page(job) => self.page_file(job, path.clone(), earlier),
            Output::Redirect(owner, _) => {
                let target = match owner {
                    Owner::Brief(i) => urls::brief(&site.briefs[i].slug),
                    Owner::Page(i) => urls::plain_page(&site.pages[i].path),
                };
                let view = RedirectView { target: target.url(&self.base) };
                self.template_file(earlier, None, path.clone(), "redirect.html", &view)
            }
            Output::Atom(_) | Output::JsonFeed | Output::Data(..) | Output::IncidentsJson => {
                bytes(data_file(site, self.strings(), output).expect("a data output"))
            }
            Output::Static(i) => Ok(OutputFile {
                path: path.clone(),
                content: Content::Copy(self.static_root.join(&site.static_files[i])),
                view: None,
            }),
            Output::DefaultStylesheet => bytes(templates::DEFAULT_STYLESHEET.as_bytes().to_vec()),
            Output::BriefSchema => bytes(model::brief::json_schema().into_bytes()),
            Output::GroupSchema => bytes(model::group::json_schema().into_bytes()),
            Output::NoJekyll => bytes(Vec::new()),
            Output::Cname => bytes(format!("{}\n", publish::cname(&site.config).unwrap_or_default()).into_bytes()),
            Output::Robots => bytes(publish::robots(&site.config).into_bytes()),
            Output::Sitemap => bytes(publish::sitemap(&site.config, self.sitemap_entries()).into_bytes()),
            Output::SitemapPart(n) => bytes(publish::sitemap_part(self.sitemap_entries(), n).into_bytes()),
        }
    }

    /// Every page the sitemap lists, with its absolute address, the day it
    /// last changed where known and its other languages, sorted.
    fn sitemap_entries(&self) -> &[publish::Entry] {
        self.sitemap.get_or_init(|| self.list_sitemap_entries())
    }

    /// The sitemap lists every edition's pages: it is the default
    /// edition's, whose jobs are every page any edition has.
    fn list_sitemap_entries(&self) -> Vec<publish::Entry> {
        let Some(origin) = publish::absolute_base(&self.site.config.base_url) else { return Vec::new() };
        let edition = &self.site.edition;
        let mut entries = Vec::new();
        for job in self.jobs().into_iter().filter(|job| *job != Job::NotFound) {
            let lastmod = match job {
                Job::Brief(i) => Some(self.site.briefs[i].last_modified().to_string()),
                _ => None,
            };
            let address = self.address(job);
            let languages = if edition.is_multilingual() { edition.languages_of(&address) } else { vec![0] };
            let alternates: Vec<(String, String)> = if languages.len() > 1 {
                languages
                    .iter()
                    .map(|&l| (edition.languages[l].clone(), address.url(&format!("{origin}{}", edition.prefix_of(l)))))
                    .collect()
            } else {
                Vec::new()
            };
            for &l in &languages {
                let loc = address.url(&format!("{origin}{}", edition.prefix_of(l)));
                entries.push(publish::Entry { loc, lastmod: lastmod.clone(), alternates: alternates.clone() });
            }
        }
        entries.sort();
        entries
    }

    /// The page `job` in every language it is in, on a multilingual site.
    fn alternates(&self, job: Job) -> Vec<Alternate> {
        let edition = &self.site.edition;
        if !edition.is_multilingual() || job == Job::NotFound {
            return Vec::new();
        }
        let address = self.address(job);
        let has = edition.languages_of(&address);
        // Absolute where the site's address is known, as search engines ask.
        let base = publish::link_base(&self.site.config);
        let root = edition.root_base(&base);
        (0..edition.languages.len())
            .map(|l| {
                let at = format!("{root}{}", edition.prefix_of(l));
                let (tag, name) = &self.templates.autonyms[l];
                Alternate {
                    language: tag.clone(),
                    name: name.clone(),
                    current: l == edition.index,
                    // A language the page is not in: the switch leads to its home page.
                    translated: has.contains(&l),
                    url: if has.contains(&l) { address.url(&at) } else { urls::home().url(&at) },
                }
            })
            .collect()
    }

    fn page_file(&self, job: Job, path: String, earlier: Option<&dyn Sink>) -> Result<OutputFile, Diagnostic> {
        let site = &*self.site;
        let base = self.base.as_str();
        let per_page = site.config.paginate_by;
        match job {
            Job::Home => {
                let view = HomeView::new(site, base);
                self.drawn_file(earlier, Some(job), path, "home.html", view, 0, |v| v.draw(self.strings()))
            }
            Job::Brief(i) => {
                let view = BriefPageView::new(site, i, base, self.strings());
                let (links, raw_html) = (self.links(), site.config.markdown.raw_html);
                let body = view.body_inputs(&links, raw_html);
                self.drawn_file(earlier, Some(job), path, "brief.html", view, body, |v| v.draw(&links, raw_html))
            }
            Job::Countries => {
                self.template_file(earlier, Some(job), path, "countries.html", &CountriesView::new(site, base))
            }
            Job::Country(i, page) => self.drawn_file(
                earlier,
                Some(job),
                path,
                "country.html",
                CountryView::new(site, i, page, per_page, &self.links()),
                0,
                |v| v.draw(self.strings()),
            ),
            Job::Groups => self.template_file(earlier, Some(job), path, "groups.html", &GroupsView::new(site, base)),
            Job::Group(i, page) => self.drawn_file(
                earlier,
                Some(job),
                path,
                "group.html",
                GroupView::new(site, i, page, per_page, &self.links()),
                0,
                |v| v.draw(self.strings()),
            ),
            Job::Archive => {
                self.drawn_file(earlier, Some(job), path, "archive.html", ArchiveView::new(site, base), 0, |v| {
                    v.draw(self.strings())
                })
            }
            Job::Year(i, page) => {
                let per_page = site.config.archive_paginate_by;
                self.template_file(
                    earlier,
                    Some(job),
                    path,
                    "year.html",
                    &YearView::new(site, i, page, per_page, base, self.strings()),
                )
            }
            Job::Page(i) => {
                self.template_file(earlier, Some(job), path, "page.html", &PlainPageView::new(site, i, &self.links()))
            }
            Job::Search => self.template_file(earlier, Some(job), path, "search.html", &SearchView::new(site, base)),
            Job::NotFound => self.template_file(earlier, Some(job), path, "404.html", &NotFoundView {}),
        }
    }

    /// The page `job` (or a redirect) made from `template` with `view`,
    /// or kept as an earlier build made it (see [`reuse`]).
    fn template_file<V: Serialize>(
        &self,
        earlier: Option<&dyn Sink>,
        job: Option<Job>,
        path: String,
        template: &str,
        view: &V,
    ) -> Result<OutputFile, Diagnostic> {
        self.drawn_file(earlier, job, path, template, view, 0, |_| Ok(()))
    }

    /// [`template_file`](Self::template_file) for a view with parts that
    /// `draw` makes (a map's points as SVG, a brief's body as HTML): drawn
    /// only if the page is rendered, not when it is kept as an earlier
    /// build made it. They are drawn from the rest of the view, which the
    /// page's digest covers, and from what `unseen` digests (0 if nothing).
    #[allow(clippy::too_many_arguments)]
    fn drawn_file<V: Serialize>(
        &self,
        earlier: Option<&dyn Sink>,
        job: Option<Job>,
        path: String,
        template: &str,
        mut view: V,
        unseen: u128,
        draw: impl FnOnce(&mut V) -> Result<(), Diagnostic>,
    ) -> Result<OutputFile, Diagnostic> {
        let alternates = job.map(|job| self.alternates(job));
        // The page's own address, so navigation can mark where the reader is,
        // and in full (when `base_url` is absolute) for canonical links.
        let own = urls::shown(&path);
        let current_url = format!("{}{}", self.base, &own[1..]);
        let canonical_url =
            publish::absolute_base(&self.site.config.base_url).map(|origin| format!("{origin}{}", &own[1..]));
        // Everything the template is given, digested, where it may spare rendering.
        let digest = self.identity.filter(|_| earlier.is_some()).and_then(|identity| {
            let mut digest = reuse::Digest::new();
            digest.number(identity).text(template).number(unseen);
            digest.value(&view)?.value(&alternates)?.value(&current_url)?.value(&canonical_url)?;
            Some(digest.finish())
        });
        if let (Some(earlier), Some(digest)) = (earlier, digest)
            && let Some(hash) = earlier.keep_page(&path, digest)
        {
            return Ok(OutputFile { path, content: Content::Kept { hash }, view: Some(digest) });
        }
        draw(&mut view)?;
        let failed = |e: tera::Error| templates::template_error(&e, template, Some(&path));
        let mut context = Context::from_serialize(&view).map_err(failed)?;
        context.insert("site", &self.common);
        if let Some(alternates) = &alternates {
            context.insert("alternates", alternates);
        }
        context.insert("current_url", &current_url);
        if let Some(canonical_url) = &canonical_url {
            context.insert("canonical_url", canonical_url);
        }
        let html = self.templates.tera.render(template, &context).map_err(failed)?;
        Ok(OutputFile { path, content: Content::Bytes(html.into_bytes()), view: digest })
    }

    /// The address of a page with the base path (`/briefs/x/`), as a
    /// reader's browser has it.
    pub fn url(&self, job: Job) -> String {
        self.address(job).url(&self.base)
    }

    /// Renders `outputs` into `sink`, in parallel within batches, showing
    /// each file to `read` (in parallel, with its place in `outputs`) and
    /// what that gives to `each` in the order of `outputs`: the search
    /// index numbers pages in the order it gets them, and must get them in
    /// the same order every build. `each` takes one batch while the next
    /// renders, so that neither waits for the other.
    pub fn render_in_order<T: Send>(
        &self,
        outputs: &[Output],
        sink: &dyn Sink,
        read: impl Fn(usize, Output, &OutputFile) -> T + Sync,
        mut each: impl FnMut(T) + Send,
    ) -> Result<(), Vec<Diagnostic>> {
        const BATCH: usize = 256;
        let mut errors = Vec::new();
        // The batch before: what it gave, not yet taken by `each`, and its
        // files, not yet put.
        let mut waiting: Vec<T> = Vec::new();
        let mut files: Vec<OutputFile> = Vec::new();
        let put = |files: Vec<OutputFile>| -> Vec<Diagnostic> {
            // The sink takes them in any order, in parallel.
            files.into_par_iter().filter_map(|file| put_into(sink)(file).err()).collect()
        };
        for (b, batch) in outputs.chunks(BATCH).enumerate() {
            let (_, (failed, rendered)) = rayon::join(
                || waiting.drain(..).for_each(&mut each),
                || {
                    rayon::join(
                        || put(std::mem::take(&mut files)),
                        || {
                            batch
                                .par_iter()
                                .enumerate()
                                .map(|(i, &o)| {
                                    self.render_for(o, sink).map(|file| {
                                        let seen = read(b * BATCH + i, o, &file);
                                        (file, seen)
                                    })
                                })
                                .collect::<Vec<Result<(OutputFile, T), Diagnostic>>>()
                        },
                    )
                },
            );
            errors.extend(failed);
            for file in rendered {
                match file {
                    Ok((file, seen)) => {
                        waiting.push(seen);
                        files.push(file);
                    }
                    Err(e) => errors.push(e),
                }
            }
        }
        waiting.into_iter().for_each(&mut each);
        errors.extend(put(files));
        if errors.is_empty() { Ok(()) } else { Err(once_each(errors)) }
    }

    /// Renders `outputs` into `sink`, in parallel. Every error is returned,
    /// each template mistake once however many pages it broke; files
    /// already put stay with the sink (a writer commits nothing when this
    /// fails).
    pub fn render_into(&self, outputs: &[Output], sink: &dyn Sink) -> Result<(), Vec<Diagnostic>> {
        let errors: Vec<Diagnostic> = outputs
            .par_iter()
            .filter_map(|&output| {
                if output.is_data() {
                    let path = self.path(output);
                    let mut write = |w: &mut dyn std::io::Write| {
                        write_data_file(&self.site, self.strings(), output, w).expect("a data output")
                    };
                    return sink.put_written(path.clone(), &mut write).map_err(failed_writing(&path)).err();
                }
                self.render_for(output, sink).and_then(put_into(sink)).err()
            })
            .collect();
        if errors.is_empty() { Ok(()) } else { Err(once_each(errors)) }
    }
}

/// The page in one language, for the language switch and `hreflang` links.
#[derive(Serialize)]
struct Alternate {
    language: String,
    /// The language's name for itself.
    name: String,
    /// Whether this is the language of the page it is on.
    current: bool,
    /// Whether the page is in that language (if not, `url` is that
    /// language's home page).
    translated: bool,
    url: String,
}

/// Hands a file to `sink`; a failure names the output file it was for.
pub fn put_into(sink: &dyn Sink) -> impl Fn(OutputFile) -> Result<(), Diagnostic> + '_ {
    move |file| {
        let path = file.path.clone();
        sink.put(file).map_err(failed_writing(&path))
    }
}

/// A sink's failure, naming the output file it was for.
fn failed_writing(path: &str) -> impl FnOnce(WriteError) -> Diagnostic + '_ {
    move |e| Diagnostic::from(e).with_note(format!("while writing {path}"))
}

/// A static file's path with `/` separators.
fn static_path(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// Template errors, each mistake once however many pages it broke: the
/// same template, position and error, whichever page showed it.
fn once_each(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    errors
        .sort_by(|a, b| (&a.file, a.pos, a.code.name(), &a.message).cmp(&(&b.file, b.pos, b.code.name(), &b.message)));
    errors.dedup_by(|a, b| a.file == b.file && a.pos == b.pos && a.code == b.code && a.message == b.message);
    errors
}
