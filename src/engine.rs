//! The one engine: load → model → render → link check, for every command.
//!
//! An [`Engine`] reads a site once and keeps what it read: the
//! configuration, every Markdown file (briefs validated as they are read,
//! their sources dropped), the static files and the templates. From those
//! it assembles the model and renders [`Output`]s through the one
//! [`Renderer`]:
//!
//! - `build` and `check` run it once over every output ([`Engine::build`])
//!   into a sink: the writer's staging folder, or nothing.
//! - `serve` keeps it alive, applies file changes to it
//!   ([`Engine::apply`]) and holds the files in memory: an edited brief is
//!   read again alone, and only the outputs that show it are made again.
//!
//! Either way the same outputs exist, are made by the same code and have
//! their links checked the same way, so what `build` writes `serve` serves.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, FromDisk, Pos, render_human};
use crate::links::{self, LinkCache, LinkPlan, Observer, Produced};
use crate::load::{self, Kind, LoadedSite, RawHtml, STATIC_DIR, SiteConfig, SourceFile};
use crate::model::text::{Keep, Text};
use crate::model::{self, Brief, GroupIndex, ModelOptions, ParsedBrief, Registry, ResolvedBrief, Site, Totals};
use crate::render::{self, Content, DataFormat, Job, Listing, Output, OutputFile, Renderer, Sink, markdown};
use crate::write::WriteError;

/// How to read and build a site, for every command.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub model: ModelOptions,
    /// Replaces `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Where briefs' texts are kept until their pages are rendered.
    pub texts: Keep,
}

/// What changed on disk, as far as the engine cares.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A Markdown file under `content/` (relative to the site root) was
    /// created, edited or deleted.
    Content(PathBuf),
    Templates,
    Static,
    /// `site.yaml`, or anything the engine cannot narrow down (a renamed
    /// folder): read everything again.
    Everything,
}

/// What one file under `content/` gave when it was read.
enum Read {
    Brief(ParsedBrief),
    /// Any other content file, with what its body's check found.
    Other(SourceFile, Vec<Diagnostic>),
    /// A translation of another content file, with what reading it found.
    Translation(Option<Arc<model::translation::Translation>>, Vec<Diagnostic>),
    Failed(Vec<Diagnostic>),
}

/// Everything the engine read from disk, kept between rebuilds.
struct Inputs {
    config: Result<SiteConfig, Diagnostic>,
    /// What reading each content file depends on (from `config`; a change
    /// to `site.yaml` reads everything again).
    rules: Rules,
    /// Brief files, validated as they were read (their sources dropped).
    briefs: BTreeMap<PathBuf, ParsedBrief>,
    /// The other Markdown files (groups, profiles, plain pages), read and split.
    others: BTreeMap<PathBuf, SourceFile>,
    /// Translations of other content files (`x.fr.md`), and what reading
    /// each found.
    translations: BTreeMap<PathBuf, (Option<Arc<model::translation::Translation>>, Vec<Diagnostic>)>,
    /// Markdown files that could not be read or split, with why.
    failed: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// What the check of their bodies found in `others`.
    body_problems: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Problems met walking `content/`.
    content_problems: Vec<Diagnostic>,
    static_files: Vec<PathBuf>,
    static_problems: Vec<Diagnostic>,
    /// One set per language of the site, the default first.
    templates: Result<Vec<Arc<render::Templates>>, Vec<Diagnostic>>,
}

impl Inputs {
    /// Reads the site at `root`: every Markdown file whose kind `wanted`
    /// accepts (in parallel), the static files and the templates.
    fn read(root: &Path, options: &BuildOptions, wanted: impl Fn(Kind) -> bool + Sync) -> Inputs {
        let config = load::load_config(root).and_then(|config| with_base_url(config, options));
        let (markdown, content_problems) = match load::walk_content(root) {
            Ok(found) => found,
            Err(problem) => (Vec::new(), vec![problem]),
        };
        let rules = Rules::of(root, &config, options);
        let read: Vec<(PathBuf, Read)> = markdown
            .into_par_iter()
            .filter(|rel| wanted(load::kind_of(rel)))
            .map(|rel| {
                let read = read_one(root, &rel, &rules);
                (rel, read)
            })
            .collect();
        let mut inputs = Inputs {
            templates: render::load_templates(root, &base_path(&config), &languages(&config)),
            config,
            rules,
            briefs: BTreeMap::new(),
            others: BTreeMap::new(),
            translations: BTreeMap::new(),
            failed: BTreeMap::new(),
            body_problems: BTreeMap::new(),
            content_problems,
            static_files: Vec::new(),
            static_problems: Vec::new(),
        };
        for (rel, read) in read {
            inputs.insert(rel, read);
        }
        inputs.read_static(root);
        inputs
    }

    fn insert(&mut self, rel: PathBuf, read: Read) {
        match read {
            Read::Brief(parsed) => {
                self.briefs.insert(rel, parsed);
            }
            Read::Other(file, problems) => {
                if !problems.is_empty() {
                    self.body_problems.insert(rel.clone(), problems);
                }
                self.others.insert(rel, file);
            }
            Read::Translation(translation, problems) => {
                self.translations.insert(rel, (translation, problems));
            }
            Read::Failed(problems) => {
                self.failed.insert(rel, problems);
            }
        }
    }

    fn forget(&mut self, rel: &Path) {
        self.briefs.remove(rel);
        self.others.remove(rel);
        self.translations.remove(rel);
        self.failed.remove(rel);
        self.body_problems.remove(rel);
    }

    fn read_static(&mut self, root: &Path) {
        let (files, problems) = load::list_static(root);
        self.static_files = files;
        self.static_problems = problems;
    }

    /// Validates everything else and builds the indices. Returns the site
    /// unless there were errors, and every problem found.
    fn assemble(&self, options: &BuildOptions) -> (Option<Site>, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(self.content_problems.iter().cloned());
        diagnostics.extend(self.static_problems.iter().cloned());
        diagnostics.extend(self.failed.values().flatten().cloned());
        diagnostics.extend(self.body_problems.values().flatten().cloned());
        diagnostics.extend(self.translations.values().flat_map(|(_, problems)| problems).cloned());
        let config = match &self.config {
            Ok(config) => config.clone(),
            Err(problem) => {
                diagnostics.push(problem.clone());
                return (None, diagnostics);
            }
        };
        diagnostics.extend(model::country::Aliases::from_config(&config).1);
        let mut loaded = LoadedSite {
            config,
            files: self.others.values().cloned().collect(),
            static_files: self.static_files.clone(),
            diagnostics,
        };
        // Every content file there is, read well or not, and when each brief
        // last changed: what translations are checked against.
        let mut originals: BTreeMap<String, Option<chrono::NaiveDate>> = BTreeMap::new();
        for rel in self.briefs.keys().chain(self.others.keys()).chain(self.failed.keys()) {
            originals.insert(rel.to_string_lossy().replace('\\', "/"), None);
        }
        for b in self.briefs.values().filter_map(|parsed| parsed.brief.as_ref()) {
            if let Some(day) = b.changed_after_publishing() {
                originals.insert(b.source_path.clone(), Some(day));
            }
        }
        let mut problems = Vec::new();
        let translations = model::translation::check(
            self.translations.values().filter_map(|(t, _)| t.clone()),
            &originals,
            options.model.drafts,
            &mut problems,
        );
        loaded.diagnostics.extend(problems);
        let (site, mut diagnostics) =
            model::assemble(loaded, self.briefs.values().cloned(), translations, &options.model);
        if options.strict {
            diagnostics.make_warnings_errors();
        }
        let site = site.filter(|_| !diagnostics.has_errors());
        (site, diagnostics)
    }
}

fn read_one(root: &Path, rel: &Path, rules: &Rules) -> Read {
    let translation = load::translation_of(rel);
    let mut named = Vec::new();
    if let Some((language, original)) = &translation {
        let original = original.to_string_lossy().replace('\\', "/");
        // Tags are read in any case (`x.FR.md`), and named as site.yaml spells them.
        if let Some(language) = rules.languages.iter().skip(1).find(|l| l.eq_ignore_ascii_case(language)) {
            return read_translation(root, rel, language, &original, rules);
        }
        if rules.languages.len() > 1 && rules.languages[0].eq_ignore_ascii_case(language) {
            return Read::Failed(vec![
                Diagnostic::error(
                    Code::TranslationLanguage,
                    rel,
                    Pos::WHOLE_FILE,
                    format!("this file is named as a translation into {language}, the site's default language"),
                )
                .with_help(format!("the default language's text is the original: name it {original}")),
            ]);
        }
        named.push(
            Diagnostic::warning(
                Code::TranslationLanguage,
                rel,
                Pos::WHOLE_FILE,
                format!("this file is named as a translation into {language}, which site.yaml does not list"),
            )
            .with_help(format!(
                "it is read as a file of its own; to publish it as the {language} text of {original}, list the site's languages in site.yaml, e.g. `languages: [{}, {language}]`",
                rules.languages[0]
            )),
        );
    }
    let mut read = read_file(root, rel, rules);
    if !named.is_empty() {
        match &mut read {
            Read::Brief(parsed) => parsed.diagnostics.extend(named),
            Read::Other(_, problems) | Read::Failed(problems) | Read::Translation(_, problems) => {
                problems.extend(named)
            }
        }
    }
    read
}

/// Reads the translation `rel` into `language` of the file `original`.
fn read_translation(root: &Path, rel: &Path, language: &str, original: &str, rules: &Rules) -> Read {
    match load::read_source(root, rel) {
        Ok(file) => {
            let body = markdown::inspect(&file.body, file.body_line, &file.path, rules.raw_html);
            // Only a brief's text is rendered from its own page; the
            // others are copied into the pages they translate.
            let keep = if file.kind == Kind::Brief { rules.keep } else { Keep::Held };
            let text = Text::of(&file.body, &rules.root, rel, file.body_start, keep);
            let (translation, mut problems) =
                model::translation::parse(&file, language, original, rules.today, text, body.links);
            let broken = body.problems.iter().any(Diagnostic::is_error);
            problems.extend(body.problems);
            Read::Translation(translation.filter(|_| !broken).map(Arc::new), problems)
        }
        Err(problems) => Read::Failed(problems),
    }
}

fn read_file(root: &Path, rel: &Path, rules: &Rules) -> Read {
    match load::read_source(root, rel) {
        Ok(file) if file.kind == Kind::Brief => {
            let text = Text::of(&file.body, &rules.root, rel, file.body_start, rules.keep);
            Read::Brief(parse_brief(&file, text, rules.today, rules.raw_html, &rules.countries))
        }
        Ok(file) => {
            let problems = markdown::inspect(&file.body, file.body_line, &file.path, rules.raw_html).problems;
            Read::Other(file, problems)
        }
        Err(problems) => Read::Failed(problems),
    }
}

/// Validates a brief file as every command reads one: its body (addresses
/// a page may not link to, raw HTML the page would lose) and its front
/// matter. A brief with an error in either is not kept.
/// `text` is its body, kept as the engine keeps texts.
pub fn parse_brief(
    file: &SourceFile,
    text: Text,
    today: chrono::NaiveDate,
    raw_html: RawHtml,
    countries: &model::country::Aliases,
) -> ParsedBrief {
    let body = markdown::inspect(&file.body, file.body_line, &file.path, raw_html);
    let mut parsed = model::parse_brief_file(file, today, countries, text, body.links);
    if body.problems.iter().any(Diagnostic::is_error) {
        parsed.brief = None;
    }
    parsed.diagnostics.extend(body.problems);
    parsed
}

/// What reading a content file depends on besides the file: the day, and
/// from `site.yaml` what becomes of raw HTML and the site's own country
/// names (a site whose `site.yaml` is broken is read as if by default).
struct Rules {
    today: chrono::NaiveDate,
    raw_html: RawHtml,
    countries: model::country::Aliases,
    /// The site's languages, the default first: which files are translations.
    languages: Vec<String>,
    /// Where briefs' texts are kept until their pages are rendered.
    keep: Keep,
    /// The site's folder, shared by the texts left in their files.
    root: Arc<Path>,
}

impl Rules {
    fn of(root: &Path, config: &Result<SiteConfig, Diagnostic>, options: &BuildOptions) -> Rules {
        let raw_html = config.as_ref().map(|c| c.markdown.raw_html).unwrap_or_default();
        let countries = config.as_ref().map(|c| model::country::Aliases::from_config(c).0).unwrap_or_default();
        Rules {
            today: options.model.today,
            raw_html,
            countries,
            languages: languages(config),
            keep: options.texts,
            root: Arc::from(root),
        }
    }
}

fn with_base_url(mut config: SiteConfig, options: &BuildOptions) -> Result<SiteConfig, Diagnostic> {
    if let Some(base_url) = &options.base_url {
        if !load::config::is_base_url(base_url) {
            return Err(Diagnostic::error(
                Code::Config,
                "(--base-url)",
                Pos::WHOLE_FILE,
                format!("--base-url {base_url:?} is neither a web address nor a path"),
            )
            .with_help(
                "pass where the site will live, e.g. `https://org.github.io/briefs/`, or a path such as `/briefs/`",
            ));
        }
        config.base_url = base_url.clone();
    }
    Ok(config)
}

/// The site's languages, the default first; English for a site whose
/// `site.yaml` is broken.
fn languages(config: &Result<SiteConfig, Diagnostic>) -> Vec<String> {
    config.as_ref().map(SiteConfig::all_languages).unwrap_or_else(|_| vec!["en".into()])
}

fn base_path(config: &Result<SiteConfig, Diagnostic>) -> String {
    config.as_ref().map(SiteConfig::base_path).unwrap_or_else(|_| "/".into())
}

/// What a build produced: the site when it loaded, whether every file
/// reached the sink and passed the link check, and every diagnostic.
pub struct Built {
    pub site: Option<Arc<Site>>,
    pub complete: bool,
    /// How the search bundle was come by, on a site with search.
    pub search: Option<render::search::Made>,
    pub diagnostics: Diagnostics,
}

/// Loads, validates and renders the site at `root` into `sink`, once.
pub fn build(root: &Path, options: &BuildOptions, sink: &dyn Sink) -> Built {
    Engine::load(root, options.clone()).build(sink)
}

/// The names a brief may use on the site at `root`: its armed-group
/// registry, read by the engine's loader (the group files only), and its
/// own country names; for `sitrep new`.
pub fn registry(root: &Path, options: &BuildOptions) -> Result<(Registry, model::country::Aliases), Diagnostic> {
    let inputs = Inputs::read(root, options, |kind| kind == Kind::Group);
    let config = inputs.config?;
    let files: Vec<&SourceFile> = inputs.others.values().collect();
    let countries = model::country::Aliases::from_config(&config).0;
    Ok((model::group::build_registry(&files, &countries).0, countries))
}

/// Renders every output of the site into `sink`, and on a site with
/// search, the search bundle made from its brief pages as they were
/// rendered (in the order of the briefs, so that the same site always
/// makes the same index).
fn render_with_search(renderer: &Renderer, sink: &dyn Sink) -> Result<Option<render::search::Made>, Vec<Diagnostic>> {
    let site = renderer.site();
    if !site.config.search || !sink.keeps_files() {
        return renderer.render_into(&renderer.outputs(), sink).map(|()| None);
    }
    // A translated edition's bundle is in its folder (`fr/pagefind/`).
    let folder = site.edition.prefix();
    let within = |path: &str| format!("{folder}{path}");
    let (briefs, rest): (Vec<Output>, Vec<Output>) =
        renderer.outputs().into_iter().partition(|o| matches!(o, Output::Page(Job::Brief(_))));
    // The brief pages first, gathered for the index, so that it is made
    // (on a thread of its own) while the rest of the site renders, or
    // carried over from the output if they have not changed.
    let mut pages = render::search::Pages::new(
        &site.config.language,
        sink.previous(&within(render::search::SOURCES)),
        briefs.len(),
    );
    // Each page is digested, and counted for the index unless it is the
    // page an earlier build indexed at its place (then the bundle may be
    // kept as it is); counted pages are added to the index in order.
    let reader = pages.reader();
    // A page not read while the bundle might have been kept was the
    // earlier build's page at its place: the output holds it, unless it
    // was changed by hand (then it is rendered again).
    let again = |i: usize| {
        let Output::Page(job) = briefs[i] else { return None };
        let html = match sink.previous(&renderer.path(briefs[i])) {
            Some(html) => html,
            None => match renderer.render(briefs[i]) {
                Ok(OutputFile { content: Content::Bytes(html), .. }) => html,
                _ => return None,
            },
        };
        Some((renderer.url(job), html))
    };
    // The index's full fragment files are compressed and put on the
    // rendering threads as they fill, not held to the end.
    let early_errors = std::sync::Mutex::new(Vec::new());
    let indexed = rayon::scope(|scope| {
        let put_early = |early: Vec<render::search::Finished>| {
            for early in early {
                let errors = &early_errors;
                scope.spawn(move |_| {
                    let mut file = early.file();
                    file.path = within(&file.path);
                    if let Err(e) = render::put_into(sink)(file) {
                        errors.lock().unwrap_or_else(|e| e.into_inner()).push(e);
                    }
                });
            }
        };
        renderer.render_in_order(
            &briefs,
            sink,
            |i, output, file| {
                let Output::Page(job) = output else { return None };
                let url = renderer.url(job);
                match &file.content {
                    Content::Bytes(html) => {
                        let hash = xxhash_rust::xxh3::xxh3_128(html);
                        Some(reader.see(i, url, hash, || std::borrow::Cow::Borrowed(html)))
                    }
                    // Kept as the output holds it: read from there if counted.
                    Content::Kept { hash } => Some(reader.see(i, url, *hash, || {
                        let html = again(i).map(|(_, html)| html);
                        if html.is_none() {
                            let problem = Diagnostic::error(
                                Code::Internal,
                                &file.path,
                                Pos::WHOLE_FILE,
                                "this page, kept from the last build, changed in the output while the search index was made",
                            )
                            .with_help("build again");
                            early_errors.lock().unwrap_or_else(|e| e.into_inner()).push(problem);
                        }
                        std::borrow::Cow::Owned(html.unwrap_or_default())
                    })),
                    Content::Copy(_) => None,
                }
            },
            |seen| {
                if let Some((digest, seen)) = seen {
                    pages.add(&reader, digest, seen, &again);
                    put_early(pages.finished());
                }
            },
        )
    });
    // The index's word list chunks are put as the indexer makes them.
    let put_made = |mut file: OutputFile| {
        file.path = within(&file.path);
        if let Err(e) = render::put_into(sink)(file) {
            early_errors.lock().unwrap_or_else(|e| e.into_inner()).push(e);
        }
    };
    let keep = |paths: &[String]| sink.keep(&paths.iter().map(|p| within(p)).collect::<Vec<_>>());
    let (finished, rest_errors) = std::thread::scope(|scope| {
        let making = pages.start(scope, &reader, keep, &again, &put_made);
        let rest_errors = renderer.render_into(&rest, sink).err().unwrap_or_default();
        (making.finish(), rest_errors)
    });
    let mut errors = indexed.err().unwrap_or_default();
    errors.extend(early_errors.into_inner().unwrap_or_else(|e| e.into_inner()));
    errors.extend(rest_errors);
    let mut made = None;
    match finished {
        Ok((files, how)) if errors.is_empty() => {
            made = Some(how);
            for mut file in files {
                file.path = within(&file.path);
                errors.extend(render::put_into(sink)(file).err());
            }
        }
        Ok(_) => {}
        Err(problem) => errors.push(problem),
    }
    if errors.is_empty() { Ok(made) } else { Err(errors) }
}

/// The site in each of its languages, the default first (the one edition
/// of a site in one language).
/// `previous` are the editions made before (a preview's), whose briefs are
/// reused where unchanged.
fn editions(site: Site, previous: &[Arc<Site>]) -> Vec<Arc<Site>> {
    let others: Vec<Site> =
        (1..site.edition.languages.len()).map(|i| site.edition(i, previous.get(i).map(Arc::as_ref))).collect();
    std::iter::once(site).chain(others).map(Arc::new).collect()
}

/// A renderer for each edition, with the templates of its language.
fn renderers(sites: &[Arc<Site>], templates: &[Arc<render::Templates>], static_root: &Path) -> Vec<Arc<Renderer>> {
    let renderer = |(site, templates): (&Arc<Site>, &Arc<render::Templates>)| {
        Arc::new(Renderer::new(site.clone(), templates.clone(), static_root))
    };
    sites.iter().zip(templates).map(renderer).collect()
}

/// How the search bundles of all editions were come by: kept only if
/// every one was.
fn all_made(made: Vec<Option<render::search::Made>>) -> Option<render::search::Made> {
    use render::search::Made;
    made.into_iter().flatten().reduce(|a, b| match (a, b) {
        (Made::Kept, Made::Kept) => Made::Kept,
        (Made::Indexed(n), Made::Kept) | (Made::Kept, Made::Indexed(n)) => Made::Indexed(n),
        (Made::Indexed(n), Made::Indexed(m)) => Made::Indexed(n + m),
    })
}

/// A sink that drops every file: `check` renders only to find problems.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) -> Result<(), WriteError> {
        Ok(())
    }

    fn put_written(&self, path: String, write: render::Writing) -> Result<(), WriteError> {
        write(&mut std::io::sink()).map_err(|source| WriteError::Io { path: path.into(), source })
    }

    fn keeps_files(&self) -> bool {
        false
    }
}

/// The site as a preview holds it: output path → file.
/// A persistent map: a preview copies it for every change, and a copy shares
/// all but the entries the change replaces (copying a plain map of 12,000
/// files took 15 ms, each entry's reference counts a cache miss).
pub type Pages = imbl::HashMap<Arc<str>, Served>;

pub use crate::render::Served;

/// The brief pages a preview's search bundle is made of, in the order a
/// build indexes them, with their addresses.
fn searched_pages(renderer: &Renderer, pages: &Pages) -> Vec<(String, Served)> {
    let site = renderer.site();
    (0..site.briefs.len())
        .filter_map(|i| {
            let job = Job::Brief(i);
            pages.get(renderer.path(Output::Page(job)).as_str()).map(|file| (renderer.url(job), file.clone()))
        })
        .collect()
}

/// A preview's files as its link check sees them, with the hashes of their
/// paths (kept from one change to the next while the paths stay the same).
struct Preview<'a> {
    pages: &'a Pages,
    hashes: &'a links::PathHashes,
}

impl Produced for Preview<'_> {
    fn paths(&self) -> Vec<String> {
        self.pages.keys().map(|p| p.to_string()).collect()
    }

    fn ids(&self, path: &str) -> Option<std::collections::HashSet<String>> {
        self.pages
            .get(path)
            .and_then(|file| file.bytes().ok())
            .map(|bytes| links::ids_in(&String::from_utf8_lossy(&bytes)))
    }

    fn hashes(&self) -> std::borrow::Cow<'_, links::PathHashes> {
        std::borrow::Cow::Borrowed(self.hashes)
    }
}

/// What one round of changes did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Output paths written or removed.
    pub pages_changed: usize,
    /// Only stylesheets changed: browsers may swap them without reloading.
    pub only_css: bool,
}

pub struct Engine {
    root: PathBuf,
    options: BuildOptions,
    inputs: Inputs,
    /// The last site that built without problems, in each of its
    /// languages (the default first), and its files (in memory only once
    /// [`apply`](Self::apply) has run).
    sites: Vec<Arc<Site>>,
    pages: Arc<Pages>,
    /// The search bundle of each edition's pages, made when first asked
    /// for, with the edition's folder.
    search: Vec<(String, Arc<render::search::Lazy>)>,
    links: LinkCache,
    /// Every output of each edition at the last change that built, and
    /// the hashes of their paths: while a change leaves them the same (a
    /// text edit), neither is made again.
    outputs: Vec<Vec<Output>>,
    /// Of each edition then, its [`path_signature`].
    signature: Vec<u64>,
    hashes: Arc<links::PathHashes>,
    /// Everything wrong with the site as it is on disk now.
    problems: Vec<Diagnostic>,
    /// What assembling the model found at the last change that built (the
    /// model's problems, without the rendering's and the link check's).
    assembled: Option<Diagnostics>,
    /// Changes since the last good build, when the last rebuild failed:
    /// they must be made when the site builds again.
    pending: Option<Scope>,
    /// A rebuild panicked: the next one reads everything again.
    broken: bool,
    /// Tests: panic when this file is read again.
    #[cfg(test)]
    panic_on: Option<PathBuf>,
}

impl Engine {
    /// Reads the whole site. Problems do not stop the engine; they show
    /// when the site is built.
    pub fn load(root: &Path, options: BuildOptions) -> Engine {
        let inputs = Inputs::read(root, &options, |_| true);
        // A preview checks links after every edit; a build, once.
        let links = if options.texts == Keep::Held { LinkCache::default() } else { LinkCache::off() };
        Engine {
            root: root.to_path_buf(),
            options,
            inputs,
            sites: Vec::new(),
            pages: Arc::default(),
            search: Vec::new(),
            links,
            outputs: Vec::new(),
            signature: Vec::new(),
            hashes: Arc::default(),
            problems: Vec::new(),
            assembled: None,
            pending: None,
            broken: false,
            #[cfg(test)]
            panic_on: None,
        }
    }

    /// Builds every output of the site into `sink` and checks the links
    /// against what it produced.
    pub fn build(&mut self, sink: &dyn Sink) -> Built {
        let (site, mut diagnostics) = self.inputs.assemble(&self.options);
        let Some(site) = site else {
            return Built { site: None, complete: false, search: None, diagnostics };
        };
        let templates = match &self.inputs.templates {
            Ok(templates) => templates,
            Err(problems) => {
                diagnostics.extend(problems.iter().cloned());
                return Built { site: None, complete: false, search: None, diagnostics };
            }
        };
        let sites = editions(site, &[]);
        let renderers = renderers(&sites, templates, &self.root.join(STATIC_DIR));
        let plan = LinkPlan::new(&renderers, &mut self.links);
        let observer = Observer::new(&plan, sink);
        let mut made = Vec::new();
        let mut errors = Vec::new();
        for renderer in &renderers {
            match render_with_search(renderer, &observer) {
                Ok(how) => made.push(how),
                Err(found) => errors.extend(found),
            }
        }
        let complete = if errors.is_empty() {
            let broken = plan.check(&observer);
            let complete = broken.is_empty();
            diagnostics.extend(broken);
            complete
        } else {
            diagnostics.extend(errors);
            false
        };
        drop(plan);
        drop(renderers);
        let site = sites.into_iter().next().expect("the default edition");
        Built { site: Some(site), complete, search: all_made(made), diagnostics }
    }

    /// Lays the site out without making its files: each is made when first
    /// asked for (see [`Served`]), and the whole site is left for the next
    /// [`apply`](Self::apply) to make and check. A preview of 10,000 briefs
    /// serves its first page this way in the time reading them takes, not
    /// in the time making 20,000 files does. Returns whether it could: a
    /// site with errors in its model or its templates is not laid out
    /// (`apply` reports them).
    pub fn lay_out(&mut self) -> bool {
        let (site, diagnostics) = self.inputs.assemble(&self.options);
        let (Some(site), Ok(templates)) = (site, &self.inputs.templates) else { return false };
        if diagnostics.has_errors() {
            return false;
        }
        let sites = editions(site, &[]);
        let renderers = renderers(&sites, templates, &self.root.join(STATIC_DIR));
        let mut pages = Pages::new();
        let mut search = Vec::new();
        for renderer in &renderers {
            for output in renderer.outputs() {
                pages.insert(renderer.path(output).into(), Served::later(renderer, output));
            }
            let site = renderer.site();
            if site.config.search {
                let briefs = searched_pages(renderer, &pages);
                search.push((
                    site.edition.prefix(),
                    Arc::new(render::search::Lazy::new(&site.config.language, briefs, None)),
                ));
            }
        }
        self.pages = Arc::new(pages);
        self.search = search;
        self.sites = sites;
        // The model's warnings until the whole site is made and checked.
        self.problems = diagnostics.sorted();
        self.pending = Some(Scope::All);
        true
    }

    /// The files as served, from the last change that built.
    pub fn pages(&self) -> Arc<Pages> {
        self.pages.clone()
    }

    /// The search bundle of those files, on a site with search.
    pub fn search(&self) -> Vec<(String, Arc<render::search::Lazy>)> {
        self.search.clone()
    }

    /// Whether the site served was made whole and checked (not only laid
    /// out, or laid out and failing since).
    pub fn checked(&self) -> bool {
        // Set by every change that builds, and only by one.
        self.assembled.is_some()
    }

    /// The last site that built, in its default language.
    pub fn site(&self) -> Option<&Site> {
        self.sites.first().map(Arc::as_ref)
    }

    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }

    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Diagnostic::is_error)
    }

    /// The problems as the terminal shows them (and the browser overlay).
    pub fn problems_text(&self) -> String {
        if self.problems.is_empty() {
            return String::new();
        }
        render_human(&self.problems, &FromDisk::new(&self.root))
    }

    /// The problem, if the folder is not a site at all (no `site.yaml`).
    pub fn not_a_site(&self) -> Option<&Diagnostic> {
        self.inputs.config.as_ref().err().filter(|d| d.code == Code::NotASite)
    }

    /// The base path pages are served under (`/` or `/sub/`).
    pub fn base_path(&self) -> String {
        base_path(&self.inputs.config)
    }

    /// Applies a batch of changes and makes again, in memory, the outputs
    /// they touch. A panic is caught and reported as a problem: the last
    /// good files stay, and the next change reads everything again.
    pub fn apply(&mut self, changes: &[Change]) -> Outcome {
        let changes: Vec<Change> = if self.broken { vec![Change::Everything] } else { changes.to_vec() };
        match catch_unwind(AssertUnwindSafe(|| self.apply_unguarded(&changes))) {
            Ok(outcome) => {
                self.broken = false;
                outcome
            }
            Err(payload) => {
                let what = crate::diagnostics::panic_cause(&*payload);
                self.broken = true;
                self.problems = vec![
                    Diagnostic::error(
                        Code::Internal,
                        "(sitrep)",
                        Pos::WHOLE_FILE,
                        format!("sitrep failed while rebuilding: {what}"),
                    )
                    .with_help("the last good version stays served; save a file to try again, and please report this"),
                ];
                Outcome::default()
            }
        }
    }

    fn apply_unguarded(&mut self, changes: &[Change]) -> Outcome {
        let changes: BTreeSet<&Change> = changes.iter().collect();
        if changes.contains(&Change::Everything) {
            self.inputs = Inputs::read(&self.root, &self.options, |_| true);
            return self.rebuild(Scope::All);
        }
        let mut briefs = Vec::new();
        let mut everything = false;
        let mut static_changed = false;
        // Briefs edited in place (the site is assembled from them as before).
        let mut in_place: Option<Vec<InPlace>> = Some(Vec::new());
        for change in changes {
            match change {
                Change::Content(rel) => {
                    let translation = load::translation_of(rel);
                    let before = self.inputs.briefs.get(rel).cloned();
                    self.reread(rel);
                    let edit = match (before, self.inputs.briefs.get(rel)) {
                        (Some(before), Some(after)) if translation.is_none() => InPlace::of(before, after.clone()),
                        _ => None,
                    };
                    match (edit, in_place.as_mut()) {
                        (Some(edit), Some(in_place)) => in_place.push(edit),
                        _ => in_place = None,
                    }
                    // A brief's translation changes what shows the brief.
                    let brief = match translation {
                        Some((language, original))
                            if self.inputs.rules.languages.iter().any(|l| l.eq_ignore_ascii_case(&language)) =>
                        {
                            original
                        }
                        _ => rel.clone(),
                    };
                    if load::kind_of(rel) == Kind::Brief {
                        briefs.push(brief);
                    } else {
                        everything = true;
                    }
                }
                Change::Templates => {
                    in_place = None;
                    self.inputs.templates =
                        render::load_templates(&self.root, &self.base_path(), &languages(&self.inputs.config));
                    everything = true;
                }
                Change::Static => {
                    in_place = None;
                    self.inputs.read_static(&self.root);
                    static_changed = true;
                }
                Change::Everything => unreachable!("handled above"),
            }
        }
        let scope = if everything { Scope::All } else { Scope::Some { briefs, static_changed } };
        let scope = match self.pending.take() {
            Some(pending) => {
                in_place = None;
                pending.and(scope)
            }
            None => scope,
        };
        let assembled = in_place.filter(|_| !everything).and_then(|edits| self.with_edits_in_place(&edits));
        self.rebuild_from(scope, assembled)
    }

    /// The model when the only changes are briefs edited in place, from
    /// the last site that built: the same site with those briefs' new
    /// versions (moved to their new place if their date changed), and the
    /// same problems but what reading each brief found. This is the site
    /// assembling everything again would give (see
    /// [`Brief::assembles_like_but_for_date`]), without assembling 10,000
    /// briefs for one edited paragraph, title or date. `None` where that
    /// cannot be said.
    fn with_edits_in_place(&self, edits: &[InPlace]) -> Option<(Option<Site>, Diagnostics)> {
        let old = self.sites.first()?;
        let mut diagnostics = self.assembled.clone()?;
        // (A brief with an error is no edit in place: it has no brief.)
        if self.options.strict && edits.iter().any(|e| !e.after.diagnostics.is_empty()) {
            return None;
        }
        let mut site = Site::clone(old);
        for edit in edits {
            let brief = edit.after_brief();
            if let Some(place) = site.briefs.iter().position(|b| b.source_path == brief.source_path) {
                if site.briefs[place].date == brief.date {
                    site.briefs[place].brief = brief.clone();
                } else {
                    site.redate_brief(place, brief.clone());
                }
            }
            diagnostics.remove_each(&edit.before.diagnostics);
            diagnostics.extend(edit.after.diagnostics.iter().cloned());
        }
        Some((Some(site), diagnostics))
    }

    /// Reads one content file again (or forgets it, if it is gone).
    fn reread(&mut self, rel: &Path) {
        #[cfg(test)]
        if self.panic_on.as_deref() == Some(rel) {
            panic!("told to panic on {}", rel.display());
        }
        self.inputs.forget(rel);
        if self.root.join(rel).is_file() {
            let read = read_one(&self.root, rel, &self.inputs.rules);
            self.inputs.insert(rel.to_path_buf(), read);
        }
    }

    /// Assembles the model from what is in memory, makes the outputs
    /// `scope` calls for, and checks links against the files as they will
    /// be. On any problem the last good files stay.
    fn rebuild(&mut self, scope: Scope) -> Outcome {
        self.rebuild_from(scope, None)
    }

    /// [`rebuild`](Self::rebuild) from the model `assembled` (and what
    /// assembling it found), when it was come by otherwise.
    fn rebuild_from(&mut self, scope: Scope, assembled: Option<(Option<Site>, Diagnostics)>) -> Outcome {
        let (site, mut diagnostics) = assembled.unwrap_or_else(|| self.inputs.assemble(&self.options));
        let assembled = diagnostics.clone();
        let Some(site) = site else { return self.fail(diagnostics, scope) };
        let templates = match &self.inputs.templates {
            Ok(templates) => templates,
            Err(problems) => {
                diagnostics.extend(problems.iter().cloned());
                return self.fail(diagnostics, scope);
            }
        };
        let site = Arc::new(site);
        let languages = site.edition.languages.len();
        let static_root = self.root.join(STATIC_DIR);
        // The briefs changed, as positions in the old site and the new
        // (the same in every edition).
        let changed: Option<(Vec<Moved>, bool)> = match (self.sites.first(), &scope) {
            (Some(old), Scope::Some { briefs, static_changed }) if self.sites.len() == languages => {
                Some((briefs.iter().map(|rel| brief_change(old, &site, rel)).collect(), *static_changed))
            }
            // Nothing good to build on, or everything changed.
            _ => None,
        };
        // Each edition is made, laid out and rendered on its own, all of
        // them at once: a translated edition is made from the default one
        // while that one renders, and the pages of both share the cores.
        let collected = Collect::default();
        let previous = &self.sites;
        let made: Vec<EditionMade> = (0..languages)
            .into_par_iter()
            .map(|e| {
                let site = match e {
                    0 => site.clone(),
                    _ => Arc::new(site.edition(e, previous.get(e).map(Arc::as_ref))),
                };
                let renderer = Arc::new(Renderer::new(site.clone(), templates[e].clone(), &static_root));
                let every = renderer.outputs();
                let outputs = match &changed {
                    Some((briefs, static_changed)) => {
                        let old = &previous[e];
                        let changes: Vec<BriefChange> =
                            briefs.iter().map(|&(before, after)| (before.map(|j| &old.briefs[j]), after)).collect();
                        let mut outputs = affected(old, &renderer, &changes, *static_changed);
                        // A page translated or no longer changes where links
                        // in every translated text go.
                        if e > 0 && !old.edition.has_same_texts(&site.edition) {
                            outputs = every.clone();
                        }
                        // A translated edition has no page for an untranslated brief.
                        if e > 0 {
                            let has: HashSet<Output> = every.iter().copied().collect();
                            outputs.retain(|o| has.contains(o));
                        }
                        outputs
                    }
                    None => every.clone(),
                };
                // Feeds and data downloads are made when asked for (see `Served`).
                let (later, now): (Vec<Output>, Vec<Output>) = outputs.into_iter().partition(|o| o.is_data());
                let errors = renderer.render_into(&now, &collected).err().unwrap_or_default();
                EditionMade { site, renderer, every, now, later, errors }
            })
            .collect();
        let mut sites = Vec::new();
        let mut renderers = Vec::new();
        let mut all = Vec::new();
        let mut now = Vec::new();
        let mut later = Vec::new();
        for (e, made) in made.into_iter().enumerate() {
            diagnostics.extend(made.errors);
            sites.push(made.site);
            renderers.push(made.renderer);
            all.push(made.every);
            now.extend(made.now.into_iter().map(|o| (e, o)));
            later.extend(made.later.into_iter().map(|o| (e, o)));
        }
        if diagnostics.has_errors() {
            return self.fail(diagnostics, scope);
        }

        // The files as they will be: every output the site has now, the
        // ones just made in place of the old.
        let signature: Vec<u64> = sites.iter().map(|s| path_signature(s)).collect();
        let same_outputs = self.outputs == all && self.signature == signature;
        let mut pages: Pages = if same_outputs {
            Pages::clone(&self.pages)
        } else {
            let expected: HashSet<String> =
                renderers.iter().zip(&all).flat_map(|(r, every)| every.iter().map(|&o| r.path(o))).collect();
            self.pages.iter().filter(|(path, _)| expected.contains(&***path)).map(clone_entry).collect()
        };
        let mut changed = self.pages.len() - pages.len();
        let mut only_css = changed == 0;
        // Every download is planned again from the new site, so that no
        // old site is kept alive; those the changes touched count as changed.
        for (e, renderer) in renderers.iter().enumerate() {
            for &output in all[e].iter().filter(|o| o.is_data()) {
                let path = renderer.path(output);
                if later.contains(&(e, output)) || !pages.contains_key(path.as_str()) {
                    only_css = false;
                    changed += 1;
                }
                pages.insert(path.into(), Served::later(&renderers[e], output));
            }
        }
        for file in collected.files.into_inner().unwrap_or_else(|e| e.into_inner()) {
            let OutputFile { path, content, .. } = file;
            let bytes: Arc<[u8]> = match content {
                Content::Bytes(bytes) => bytes.into(),
                Content::Copy(from) => match std::fs::read(&from) {
                    Ok(bytes) => bytes.into(),
                    Err(e) => {
                        let rel = from.strip_prefix(&self.root).unwrap_or(&from).to_path_buf();
                        diagnostics.push(Diagnostic::from(WriteError::Read { path: rel, source: e }));
                        continue;
                    }
                },
                Content::Kept { .. } => unreachable!("a preview's sink keeps no page of an earlier build"),
            };
            let same = match pages.get(path.as_str()) {
                Some(Served::Ready(old)) => **old == *bytes,
                _ => false,
            };
            if !same {
                only_css &= path.ends_with(".css");
                changed += 1;
                pages.insert(path.into(), Served::Ready(bytes));
            }
        }
        // The same outputs, the same set of paths: each rendered output
        // replaces an earlier file of its path.
        let hashes = if same_outputs {
            self.hashes.clone()
        } else {
            Arc::new(pages.keys().map(|p| links::hash_of(p)).collect())
        };
        let plan = LinkPlan::new(&renderers, &mut self.links);
        diagnostics.extend(plan.check(&Preview { pages: &pages, hashes: &hashes }));
        drop(plan);
        // The brief pages each search bundle is made of, in the order a
        // build indexes them; the bundle made before is kept if they are
        // the same.
        let mut search = Vec::new();
        for (e, renderer) in renderers.iter().enumerate() {
            let site = renderer.site();
            if !site.config.search {
                continue;
            }
            let folder = site.edition.prefix();
            let old = self.search.iter().find(|(f, _)| *f == folder).map(|(_, lazy)| lazy);
            let make =
                |briefs| Arc::new(render::search::Lazy::new(&site.config.language, briefs, old.map(Arc::as_ref)));
            // With the same outputs, and the briefs in the same order, only
            // the brief pages made again now can differ from those the
            // bundle was made of; where every brief has a page, the
            // bundle's pages are the briefs', in order.
            let same_order = same_outputs
                && self.sites.get(e).is_some_and(|before| {
                    before.briefs.len() == site.briefs.len()
                        && before.briefs.iter().zip(&site.briefs).all(|(a, b)| a.slug == b.slug)
                });
            let remade: Vec<usize> = now
                .iter()
                .filter_map(|&(i, o)| match o {
                    Output::Page(Job::Brief(b)) if i == e => Some(b),
                    _ => None,
                })
                .collect();
            let remade_files = || -> Option<Vec<(usize, Served)>> {
                remade
                    .iter()
                    .map(|&b| Some((b, pages.get(renderer.path(Output::Page(Job::Brief(b))).as_str())?.clone())))
                    .collect()
            };
            let lazy = match old {
                Some(old) if same_order && remade.is_empty() => old.clone(),
                Some(old)
                    if same_order
                        && old.page_count() == site.briefs.len()
                        && let Some(files) = remade_files() =>
                {
                    match old.with_pages_replaced(&files) {
                        Some(briefs) => make(briefs),
                        None => old.clone(),
                    }
                }
                Some(old) => {
                    let briefs = searched_pages(renderer, &pages);
                    if old.same_pages(&briefs) { old.clone() } else { make(briefs) }
                }
                None => make(searched_pages(renderer, &pages)),
            };
            search.push((folder, lazy));
        }
        drop(renderers);
        if diagnostics.has_errors() {
            return self.fail(diagnostics, scope);
        }
        self.search = search;
        self.pages = Arc::new(pages);
        self.outputs = all;
        self.signature = signature;
        self.hashes = hashes;
        self.sites = sites;
        self.problems = diagnostics.sorted();
        self.assembled = Some(assembled);
        Outcome { pages_changed: changed, only_css: only_css && changed > 0 }
    }

    fn fail(&mut self, diagnostics: Diagnostics, scope: Scope) -> Outcome {
        self.problems = diagnostics.sorted();
        self.pending = Some(scope);
        Outcome::default()
    }
}

/// One edition of a site as [`Engine::rebuild_from`] makes it: its model,
/// its renderer, every output it has, those rendered now (into the
/// preview's collection) and those left to be made when asked for, and
/// what rendering found.
struct EditionMade {
    site: Arc<Site>,
    renderer: Arc<Renderer>,
    every: Vec<Output>,
    now: Vec<Output>,
    later: Vec<Output>,
    errors: Vec<Diagnostic>,
}

/// A hash of everything an output's path is made from besides the output
/// itself (which names a brief, a country, a page by position): the slugs,
/// paths, aliases, years and static files, and the edition's folder. The
/// briefs count as a set, not a list, so that a brief moved in the order
/// (a corrected date) leaves the signature as it was: two sites with the
/// same outputs and signature have the same set of output paths, which is
/// all the preview's table of files needs.
fn path_signature(site: &Site) -> u64 {
    use xxhash_rust::xxh3::Xxh3;
    fn add(h: &mut Xxh3, s: &str) {
        h.update(s.as_bytes());
        h.update(&[0]);
    }
    let mut h = Xxh3::new();
    add(&mut h, &site.edition.prefix());
    let mut briefs = 0u64;
    let mut one = String::new();
    for b in &site.briefs {
        one.clear();
        for s in std::iter::once(&b.slug).chain(&b.rare.aliases) {
            one.push_str(s);
            one.push('\0');
        }
        briefs = briefs.wrapping_add(xxhash_rust::xxh3::xxh3_64(one.as_bytes()));
    }
    h.update(&briefs.to_le_bytes());
    for p in &site.pages {
        add(&mut h, &p.path);
        p.aliases.iter().for_each(|a| add(&mut h, a));
    }
    site.countries.iter().for_each(|c| add(&mut h, c.country.slug));
    site.groups.iter().for_each(|g| add(&mut h, &g.group.slug));
    site.years.iter().for_each(|y| add(&mut h, &y.year.to_string()));
    site.static_files.iter().for_each(|f| add(&mut h, &f.to_string_lossy()));
    h.digest()
}

fn clone_entry((path, file): (&Arc<str>, &Served)) -> (Arc<str>, Served) {
    (path.clone(), file.clone())
}

/// Collects rendered files in memory, for the preview.
#[derive(Default)]
struct Collect {
    files: Mutex<Vec<OutputFile>>,
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

/// A brief file read again that the site is assembled from as before but
/// for the brief's place in the order (see
/// [`Brief::assembles_like_but_for_date`]): its text, title, sources or
/// date changed, not its slug, country, groups or figures.
struct InPlace {
    before: ParsedBrief,
    after: ParsedBrief,
}

impl InPlace {
    /// The edit from `before` to `after`, if both read well and the site
    /// is assembled alike from either.
    fn of(before: ParsedBrief, after: ParsedBrief) -> Option<InPlace> {
        let (Some(old), Some(new)) = (&before.brief, &after.brief) else { return None };
        old.assembles_like_but_for_date(new).then_some(InPlace { before, after })
    }

    fn after_brief(&self) -> &Arc<Brief> {
        self.after.brief.as_ref().expect("an edit in place is of a brief that read well")
    }
}

/// How much of the site a round of changes touches.
enum Scope {
    All,
    /// These brief files (relative to the root), and maybe `static/`.
    Some {
        briefs: Vec<PathBuf>,
        static_changed: bool,
    },
}

impl Scope {
    /// What two rounds of changes touch together.
    fn and(self, other: Scope) -> Scope {
        match (self, other) {
            (Scope::Some { mut briefs, static_changed }, Scope::Some { briefs: more, static_changed: also }) => {
                briefs.extend(more);
                briefs.sort();
                briefs.dedup();
                Scope::Some { briefs, static_changed: static_changed || also }
            }
            _ => Scope::All,
        }
    }
}

/// A brief as it was in the last good site and as it is in the new one
/// (either may be missing: a new or a deleted brief, or one that failed to
/// validate).
type BriefChange<'a> = (Option<&'a ResolvedBrief>, Option<usize>);

/// Where a brief is in the old site and in the new (in every edition).
type Moved = (Option<usize>, Option<usize>);

/// Where the brief of the file `rel` is in the old site and the new.
fn brief_change(old: &Site, new: &Site, rel: &Path) -> Moved {
    let rel = rel.to_string_lossy().replace('\\', "/");
    let find = |site: &Site| site.briefs.iter().position(|b| b.source_path == rel);
    (find(old), find(new))
}

/// Whether an edit leaves a brief at the same place in every list (same
/// slug, date, country and groups) and every total as it was (same best
/// estimate), so that only the pages showing the brief itself change.
fn stays_in_place(before: &ResolvedBrief, after: &ResolvedBrief) -> bool {
    before.slug == after.slug
        // A retracted brief leaves every list but the archive.
        && before.is_retracted() == after.is_retracted()
        && before.best_fatalities() == after.best_fatalities()
        && before.date == after.date
        && before.country.code == after.country.code
        && before.groups.iter().map(|g| &g.slug).eq(after.groups.iter().map(|g| &g.slug))
        && before.rare.aliases == after.rare.aliases
}

/// The groups whose lists show `brief` in `site`: its own, and the groups
/// they belong to.
fn listed_in_groups<'a>(site: &'a Site, brief: &'a ResolvedBrief) -> Vec<&'a str> {
    let mut groups: Vec<&str> = brief.groups.iter().map(|g| &*g.slug).collect();
    let ancestors: Vec<&str> =
        groups.iter().filter_map(|g| site.group(g)).flat_map(|g| g.ancestors.iter().map(String::as_str)).collect();
    groups.extend(ancestors);
    groups
}

/// Whether an edit keeps a brief in the same lists (its country's, its
/// groups', its year's), in another place in them or the same.
fn in_the_same_lists(before: &ResolvedBrief, after: &ResolvedBrief) -> bool {
    before.slug == after.slug
        && !before.is_retracted()
        && !after.is_retracted()
        && before.country.code == after.country.code
        && before.groups.iter().map(|g| &g.slug).eq(after.groups.iter().map(|g| &g.slug))
        && chrono::Datelike::year(&before.date) == chrono::Datelike::year(&after.date)
}

/// The pages of a list that a brief moving in it from one place to another
/// (`places`, old and new, from 0) changes, `per_page` to a page: those
/// from the first place to the last, where every brief moved by one, and
/// the first page, whose map and timeline (on a country's or a group's
/// list) show every brief of the list.
/// `None` when the list's totals changed, which every page shows (a brief
/// moved to the front changes its latest date), or the brief is not found.
fn moved_within(
    old: &Totals,
    new: &Totals,
    places: (Option<usize>, Option<usize>),
    per_page: usize,
) -> Option<impl Iterator<Item = usize>> {
    let (Some(from), Some(to)) = places else { return None };
    if old != new {
        return None;
    }
    let page_of = |place: usize| place / per_page.max(1) + 1;
    let pages = page_of(from.min(to))..=page_of(from.max(to));
    Some(std::iter::once(1).chain(pages.filter(|&p| p != 1)))
}

/// Whether an edit in place (see [`stays_in_place`]) of the brief at
/// `place` in a list (`list`, newest first, as a map takes them) changes
/// the list's map (on the home page, or the first page of a country's or
/// group's list, which a brief on a later page is still on): it became or
/// stopped being one a map may draw (the map counts the briefs it leaves
/// off and those with no place), or it is one of the points drawn (the
/// newest `limit` of those, see [`render::maps::may_draw`]) and shows differently.
fn changes_map<'a>(
    list: impl Iterator<Item = &'a ResolvedBrief>,
    place: usize,
    limit: usize,
    before: &ResolvedBrief,
    after: &ResolvedBrief,
) -> bool {
    use render::maps::may_draw;
    may_draw(before) != may_draw(after)
        || (shown_on_maps_differently(before, after)
            && may_draw(after)
            && list.take(place).filter(|b| may_draw(b)).count() < limit)
}

/// Whether an edit changes how a brief shows on a map it is on (its
/// point, or its name and place).
fn shown_on_maps_differently(before: &ResolvedBrief, after: &ResolvedBrief) -> bool {
    let located = |b: &ResolvedBrief| b.coordinates.map(|c| (c.lat.to_bits(), c.lon.to_bits()));
    located(before) != located(after)
        || (located(after).is_some()
            && (before.title != after.title
                // Translated or no longer: its link and `lang` on the map.
                || before.text_language != after.text_language
                || before.location != after.location
                || before.admin1 != after.admin1
                || before.geo_precision != after.geo_precision
                || before.rare.end_date != after.rare.end_date))
}

/// The outputs that show any of the changed briefs, in the new site: their
/// own pages and their neighbours' (which link to them by title), their
/// countries', groups' (with the groups those belong to) and years'
/// indices with their feeds and data, the site-wide lists, feeds and data,
/// every redirect and the publishing files; and `static/` when it changed.
fn affected(old: &Site, renderer: &Renderer, changed: &[BriefChange], static_changed: bool) -> Vec<Output> {
    let new = renderer.site();
    // A group that no file defines is named as the first brief naming it
    // spells it, and its name shows wherever its briefs are listed: when a
    // brief spells it anew, every page may show it.
    if old.groups.len() != new.groups.len()
        || old
            .groups
            .iter()
            .zip(&new.groups)
            .any(|(a, b)| (&a.group.slug, &a.group.name) != (&b.group.slug, &b.group.name))
    {
        return renderer.outputs();
    }
    let mut jobs: BTreeSet<Job> = BTreeSet::new();
    let mut listings: BTreeSet<Listing> = BTreeSet::new();
    if !changed.is_empty() {
        listings.insert(Listing::Site);
        // Edits that leave every brief in place change no total, order or
        // timeline: of the site-wide pages, only the home page may show
        // them, in its latest briefs or on its map.
        let all_in_place = changed.iter().all(|&(before, after)| match (before, after) {
            (Some(b), Some(i)) => stays_in_place(b, &new.briefs[i]),
            _ => false,
        });
        if all_in_place {
            let on_home = changed.iter().any(|&(before, after)| match (before, after) {
                (Some(b), Some(i)) => {
                    i < new.config.latest_on_home
                        || changes_map(new.briefs.iter(), i, new.config.map_limit, b, &new.briefs[i])
                }
                _ => true,
            });
            if on_home {
                jobs.insert(Job::Home);
            }
        } else {
            jobs.extend([Job::Home, Job::Countries, Job::Groups, Job::Archive]);
        }
    }
    // Where each brief is in the new site, by slug: made only for a change
    // that moves briefs (an edit in place knows its brief's place, and a
    // preview makes this list after every edit, for each language).
    let brief_index: std::cell::OnceCell<HashMap<&str, usize>> = std::cell::OnceCell::new();
    let add_brief = |slug: &str, jobs: &mut BTreeSet<Job>| {
        let index =
            brief_index.get_or_init(|| new.briefs.iter().enumerate().map(|(i, b)| (b.slug.as_str(), i)).collect());
        if let Some(&i) = index.get(slug) {
            jobs.insert(Job::Brief(i));
        }
    };
    let per_page = new.config.paginate_by;
    for &(before, place) in changed {
        let after = place.map(|i| &new.briefs[i]);
        // Every list the brief was or is in has new data.
        for brief in before.into_iter().chain(after) {
            if let Some(i) = new.countries.iter().position(|c| c.country.code == brief.country.code) {
                listings.insert(Listing::Country(i));
            }
            for g in brief.groups.iter() {
                if let Some(group) = new.group(&g.slug) {
                    let slugs = std::iter::once(&*g.slug).chain(group.ancestors.iter().map(String::as_str));
                    listings.extend(slugs.filter_map(|s| new.group_position(s)).map(Listing::Group));
                }
            }
        }
        // The commonest edit (text, figures, sources) leaves the brief where
        // it was in every list: then only the one page of each index that
        // shows it changes, not every page after it.
        if let (Some(b), Some(a), Some(i)) = (before, after, place)
            && stays_in_place(b, a)
        {
            jobs.insert(Job::Brief(i));
            let page_of = |position: usize| position / per_page + 1;
            if let Some(ci) = new.countries.iter().position(|c| c.country.code == a.country.code) {
                let list = &new.countries[ci].briefs;
                if let Some(p) = list.iter().position(|&j| j == i) {
                    if changes_map(list.iter().map(|&j| &new.briefs[j]), p, new.config.map_limit, b, a) {
                        jobs.insert(Job::Country(ci, 1));
                    }
                    jobs.insert(Job::Country(ci, page_of(p)));
                    for neighbour in [p.checked_sub(1), Some(p + 1)].into_iter().flatten() {
                        if let Some(&j) = list.get(neighbour) {
                            jobs.insert(Job::Brief(j));
                        }
                    }
                }
            }
            for (gi, group) in new.groups.iter().enumerate() {
                if let Some(p) = group.entries.iter().position(|e| e.brief == i) {
                    if changes_map(group.entries.iter().map(|e| &new.briefs[e.brief]), p, new.config.map_limit, b, a) {
                        jobs.insert(Job::Group(gi, 1));
                    }
                    jobs.insert(Job::Group(gi, page_of(p)));
                }
            }
            if let Some(yi) = new.years.iter().position(|y| y.year == chrono::Datelike::year(&a.date))
                && let Some(p) = new.years[yi].briefs.iter().position(|&j| j == i)
            {
                jobs.insert(Job::Year(yi, p / new.config.archive_paginate_by + 1));
            }
            continue;
        }
        // One brief moved within the same lists (a corrected date): of each
        // list, only some pages change (see `moved_within`).
        let moved = match (before, after) {
            (Some(b), Some(a)) if changed.len() == 1 && in_the_same_lists(b, a) => Some((b, a)),
            _ => None,
        };
        for (site, brief) in [(old, before), (new, after)] {
            let Some(brief) = brief else { continue };
            add_brief(&brief.slug, &mut jobs);
            // Neighbours within the country, in the site the brief was in.
            if let Some(country) = site.country(brief.country.code) {
                let position = country.briefs.iter().position(|&i| site.briefs[i].slug == brief.slug);
                if let Some(p) = position {
                    for neighbour in [p.checked_sub(1), Some(p + 1)].into_iter().flatten() {
                        if let Some(&i) = country.briefs.get(neighbour) {
                            add_brief(&site.briefs[i].slug, &mut jobs);
                        }
                    }
                }
            }
            if moved.is_some() {
                continue;
            }
            if let Some(i) = new.countries.iter().position(|c| c.country.code == brief.country.code) {
                jobs.extend(renderer.country_jobs(i));
            }
            for slug in listed_in_groups(new, brief) {
                if let Some(i) = new.group_position(slug) {
                    jobs.extend(renderer.group_jobs(i));
                }
            }
            if let Some(i) = new.years.iter().position(|y| y.year == chrono::Datelike::year(&brief.date)) {
                jobs.extend(renderer.year_jobs(i));
            }
        }
        if let Some((b, a)) = moved {
            let at = |site: &Site, list: &[usize], slug: &str| list.iter().position(|&i| site.briefs[i].slug == slug);
            if let (Some(oc), Some(ci)) =
                (old.country(b.country.code), new.countries.iter().position(|c| c.country.code == a.country.code))
            {
                let nc = &new.countries[ci];
                let places = (at(old, &oc.briefs, &b.slug), at(new, &nc.briefs, &a.slug));
                match moved_within(&oc.totals, &nc.totals, places, per_page) {
                    Some(pages) => jobs.extend(pages.map(|p| Job::Country(ci, p))),
                    None => jobs.extend(renderer.country_jobs(ci)),
                }
            }
            for slug in listed_in_groups(new, a) {
                let (Some(oi), Some(ni)) = (old.group_position(slug), new.group_position(slug)) else { continue };
                let (og, ng) = (&old.groups[oi], &new.groups[ni]);
                let place = |site: &Site, g: &GroupIndex, slug: &str| {
                    g.entries.iter().position(|e| site.briefs[e.brief].slug == slug)
                };
                let places = (place(old, og, &b.slug), place(new, ng, &a.slug));
                match moved_within(&og.totals, &ng.totals, places, per_page) {
                    Some(pages) => jobs.extend(pages.map(|p| Job::Group(ni, p))),
                    None => jobs.extend(renderer.group_jobs(ni)),
                }
            }
            let year = chrono::Datelike::year(&a.date);
            if let (Some(oy), Some(yi)) =
                (old.years.iter().find(|y| y.year == year), new.years.iter().position(|y| y.year == year))
            {
                let ny = &new.years[yi];
                let places = (at(old, &oy.briefs, &b.slug), at(new, &ny.briefs, &a.slug));
                match moved_within(&oy.totals, &ny.totals, places, new.config.archive_paginate_by) {
                    Some(pages) => jobs.extend(pages.map(|p| Job::Year(yi, p))),
                    None => jobs.extend(renderer.year_jobs(yi)),
                }
            }
        }
    }
    // A year's archive links to the years beside it.
    if !old.years.iter().map(|y| y.year).eq(new.years.iter().map(|y| y.year)) {
        jobs.extend((0..new.years.len()).flat_map(|i| renderer.year_jobs(i)));
    }
    let mut outputs: Vec<Output> = jobs.into_iter().map(Output::Page).collect();
    for listing in listings {
        outputs.extend([
            Output::Atom(listing),
            Output::Data(listing, DataFormat::Csv),
            Output::Data(listing, DataFormat::GeoJson),
        ]);
    }
    if !changed.is_empty() {
        outputs.extend([Output::JsonFeed, Output::IncidentsJson]);
        outputs.extend(renderer.redirects());
        outputs.extend(renderer.publishing_outputs());
    }
    if static_changed {
        outputs.extend(renderer.static_outputs());
    }
    outputs
}

#[cfg(test)]
mod tests {
    //! The incremental engine against a full build: after every change, the
    //! files `serve` holds must be exactly the files `build` writes.

    use super::*;
    use crate::model::ModelOptions;

    fn options() -> BuildOptions {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date");
        BuildOptions { model: ModelOptions { drafts: false, today }, base_url: None, strict: false, texts: Keep::Held }
    }

    struct Site(tempfile::TempDir);

    impl Site {
        fn new() -> Site {
            let site = Site(tempfile::tempdir().expect("a temporary folder"));
            site.write(
                "site.yaml",
                "title: Synthetic engine test\nbase_url: https://example.org/briefs/\npaginate_by: 2\nlatest_on_home: 2\n",
            );
            site.write("content/groups/front.md", "---\nname: Synthetic Front\naliases: [SF]\n---\nInvented.\n");
            site.write(
                "content/groups/cell.md",
                "---\nname: Synthetic Cell\naffiliation: SF\n---\nInvented; see [the front](/groups/front/).\n",
            );
            site.write("content/about.md", "---\ntitle: About\n---\n## Method\n\nSynthetic site for tests.\n");
            for (name, date, country, group) in [
                ("a", "2023-01-05", "NE", "SF"),
                ("b", "2023-02-05", "NE", "Synthetic Cell"),
                ("c", "2023-03-05", "NE", "SF"),
                ("d", "2024-01-05", "ML", "Synthetic Cell"),
                ("e", "2024-02-05", "ML", "Unregistered Band"),
            ] {
                site.brief(name, date, country, group, "Synthetic text.");
            }
            site
        }

        fn root(&self) -> &Path {
            self.0.path()
        }

        fn write(&self, rel: &str, text: &str) {
            let path = self.root().join(rel);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
            std::fs::write(path, text).expect("written");
        }

        fn remove(&self, rel: &str) {
            std::fs::remove_file(self.root().join(rel)).expect("removed");
        }

        fn brief(&self, name: &str, date: &str, country: &str, group: &str, body: &str) {
            self.write(
                &format!("content/briefs/{name}.md"),
                &format!(
                    "---\ntitle: Synthetic {name}\ndate: {date}\ncountry: {country}\narmed_groups: [{group}]\nfatalities: 3\naliases: [/old/{name}/]\n---\n{body}\n\nSee [about](/about/#method).\n"
                ),
            );
        }

        /// Every file a full build makes, by path.
        fn built(&self) -> BTreeMap<String, Vec<u8>> {
            let collected = Collect::default();
            let built = build(self.root(), &options(), &collected);
            assert!(built.complete && !built.diagnostics.has_errors(), "{:?}", built.diagnostics);
            let files = collected.files.into_inner().expect("not poisoned");
            files
                .into_iter()
                .map(|f| {
                    let bytes = match f.content {
                        Content::Bytes(bytes) => bytes,
                        Content::Copy(from) => std::fs::read(from).expect("a static file"),
                        Content::Kept { .. } => unreachable!("`Collect` keeps no page of an earlier build"),
                    };
                    (f.path, bytes)
                })
                .collect()
        }
    }

    /// Every file the preview serves: its pages, and the search bundle.
    fn held(engine: &Engine) -> BTreeMap<String, Vec<u8>> {
        let mut held: BTreeMap<String, Vec<u8>> =
            engine.pages().iter().map(|(path, file)| (path.to_string(), file.bytes().expect(path).to_vec())).collect();
        for (folder, search) in engine.search() {
            held.extend(search.files().iter().map(|(path, bytes)| (format!("{folder}{path}"), bytes.to_vec())));
        }
        held
    }

    #[track_caller]
    fn assert_same(engine: &Engine, site: &Site, step: &str) {
        assert!(!engine.has_errors(), "{step}: {}", engine.problems_text());
        let held = held(engine);
        let built = site.built();
        let missing: Vec<&String> = built.keys().filter(|p| !held.contains_key(*p)).collect();
        let extra: Vec<&String> = held.keys().filter(|p| !built.contains_key(*p)).collect();
        let differ: Vec<&String> =
            built.iter().filter(|(p, b)| held.get(*p).is_some_and(|h| h != *b)).map(|e| e.0).collect();
        assert!(
            missing.is_empty() && extra.is_empty() && differ.is_empty(),
            "{step}: missing {missing:?}, extra {extra:?}, different {differ:?}"
        );
    }

    fn content(rel: &str) -> Change {
        Change::Content(PathBuf::from(rel))
    }

    #[test]
    fn every_change_leaves_the_same_files_as_a_full_build() {
        let site = Site::new();
        let mut engine = Engine::load(site.root(), options());
        engine.apply(&[]);
        assert_same(&engine, &site, "first build");
        assert!(held(&engine).contains_key("atom.xml") && held(&engine).contains_key("countries/ne/incidents.csv"));

        type Step<'a> = (&'a str, Box<dyn Fn(&Site)>, Vec<Change>);
        let steps: Vec<Step> = vec![
            (
                "text edit",
                Box::new(|s| s.brief("b", "2023-02-05", "NE", "Synthetic Cell", "Edited text.")),
                vec![content("content/briefs/b.md")],
            ),
            (
                // The same outputs as before (one brief page, one redirect),
                // at other paths.
                "a slug set in the front matter and an alias changed",
                Box::new(|s| {
                    s.write(
                        "content/briefs/b.md",
                        "---\ntitle: Synthetic b\nslug: synthetic-b-moved\ndate: 2023-02-05\ncountry: NE\narmed_groups: [Synthetic Cell]\nfatalities: 3\naliases: [/older/b/]\n---\nEdited text.\n\nSee [about](/about/#method).\n",
                    )
                }),
                vec![content("content/briefs/b.md")],
            ),
            (
                "a brief on a later page of its country gets a new title and a place on the map",
                Box::new(|s| {
                    s.write(
                        "content/briefs/a.md",
                        "---\ntitle: Synthetic A renamed\ndate: 2023-01-05\ncountry: NE\narmed_groups: [SF]\nfatalities: 3\naliases: [/old/a/]\ncoordinates: {lat: 13.5, lon: 2.1}\n---\nA.\n",
                    )
                }),
                vec![content("content/briefs/a.md")],
            ),
            (
                "a brief retracted and nothing else",
                Box::new(|s| {
                    s.write(
                        "content/briefs/c.md",
                        "---\ntitle: Synthetic c\ndate: 2023-03-05\ncountry: NE\narmed_groups: [SF]\nfatalities: 3\naliases: [/old/c/]\nstatus: retracted\nretraction: {date: 2023-04-01, reason: Synthetic.}\n---\nSynthetic text.\n\nSee [about](/about/#method).\n",
                    )
                }),
                vec![content("content/briefs/c.md")],
            ),
            (
                "the retraction withdrawn",
                Box::new(|s| s.brief("c", "2023-03-05", "NE", "SF", "Synthetic text.")),
                vec![content("content/briefs/c.md")],
            ),
            (
                "date edit that moves a brief to another year",
                Box::new(|s| s.brief("a", "2024-03-01", "NE", "SF", "Moved.")),
                vec![content("content/briefs/a.md")],
            ),
            (
                "country edit",
                Box::new(|s| s.brief("c", "2023-03-05", "BF", "SF", "Moved country.")),
                vec![content("content/briefs/c.md")],
            ),
            (
                "group edit",
                Box::new(|s| s.brief("d", "2024-01-05", "ML", "SF", "Other group.")),
                vec![content("content/briefs/d.md")],
            ),
            (
                "a new brief",
                Box::new(|s| s.brief("f", "2022-06-01", "TD", "Synthetic Cell", "New.")),
                vec![content("content/briefs/f.md")],
            ),
            (
                "a retracted brief",
                Box::new(|s| {
                    s.write(
                        "content/briefs/b.md",
                        "---\ntitle: Synthetic B retracted\ndate: 2023-06-01\ncountry: NE\narmed_groups: [SF]\nstatus: retracted\nretraction: {date: 2024-02-01, reason: Synthetic.}\n---\nB.\n",
                    )
                }),
                vec![content("content/briefs/b.md")],
            ),
            ("a deleted brief", Box::new(|s| s.remove("content/briefs/e.md")), vec![content("content/briefs/e.md")]),
            (
                "a renamed brief",
                Box::new(|s| {
                    s.remove("content/briefs/f.md");
                    s.brief("g", "2022-06-01", "TD", "Synthetic Cell", "New.");
                }),
                vec![content("content/briefs/f.md"), content("content/briefs/g.md")],
            ),
            (
                "a group edit",
                Box::new(|s| {
                    s.write("content/groups/front.md", "---\nname: Synthetic Front\naliases: [SF, F]\n---\nEdited.\n")
                }),
                vec![content("content/groups/front.md")],
            ),
            (
                "a new template",
                Box::new(|s| {
                    let brief = crate::render::templates::DEFAULT_TEMPLATES
                        .iter()
                        .find(|(n, _)| *n == "brief.html")
                        .expect("a brief template")
                        .1;
                    s.write("templates/brief.html", &brief.replace("</article>", "<p>Edited template.</p></article>"));
                }),
                vec![Change::Templates],
            ),
            ("a new static file", Box::new(|s| s.write("static/img/x.svg", "<svg/>")), vec![Change::Static]),
            ("an edited stylesheet", Box::new(|s| s.write("static/style.css", "body{}")), vec![Change::Static]),
            ("a deleted static file", Box::new(|s| s.remove("static/img/x.svg")), vec![Change::Static]),
            (
                "site.yaml",
                Box::new(|s| s.write("site.yaml", "title: Renamed\nbase_url: /sub/\npaginate_by: 1\n")),
                vec![Change::Everything],
            ),
        ];
        for (step, change, changes) in steps {
            change(&site);
            engine.apply(&changes);
            assert_same(&engine, &site, step);
        }
    }

    #[test]
    fn an_edit_in_place_reports_and_makes_what_assembling_everything_again_would() {
        let site = Site::new();
        let mut engine = Engine::load(site.root(), options());
        engine.apply(&[]);
        let fresh = |site: &Site| {
            let mut engine = Engine::load(site.root(), options());
            engine.apply(&[]);
            engine.problems().to_vec()
        };
        // `e` names an unregistered group: a warning of the model's, which
        // an edit in place leaves as it is.
        let e = |title: &str, location: &str, body: &str| {
            format!(
                "---\ntitle: {title}\ndate: 2024-02-05\ncountry: ML\n{location}armed_groups: [Unregistered Band]\nfatalities: 3\naliases: [/old/e/]\n---\n{body}\n"
            )
        };
        let steps = [
            ("raw HTML in the text", e("Synthetic e", "", "Synthetic <span onclick=\"x()\">text</span>."), true),
            ("the raw HTML taken out", e("Synthetic e", "", "Synthetic text, edited."), false),
            ("a new title and a place", e("Synthetic e renamed", "location: Synthetic town\n", "Edited."), false),
            ("a link to a page that does not exist", e("Synthetic e", "", "See [nowhere](/briefs/nowhere/)."), true),
            ("the link mended", e("Synthetic e", "", "See [about](/about/)."), false),
        ];
        for (step, text, more) in steps {
            site.write("content/briefs/e.md", &text);
            engine.apply(&[content("content/briefs/e.md")]);
            let expected = fresh(&site);
            assert_eq!(expected.len(), if more { 2 } else { 1 }, "{step}: {expected:?}");
            assert_eq!(engine.problems(), expected, "{step}");
            if !engine.has_errors() {
                assert_same(&engine, &site, step);
            }
        }
    }

    #[test]
    fn a_date_edit_moves_the_brief_as_assembling_everything_again_would() {
        let site = Site::new();
        let mut engine = Engine::load(site.root(), options());
        engine.apply(&[]);
        let model = |engine: &Engine| {
            let sites: Vec<serde_json::Value> =
                engine.sites.iter().map(|s| serde_json::to_value(&**s).expect("a site serialises")).collect();
            (sites, engine.problems().to_vec())
        };
        // `b` (NE, Synthetic Cell and so Synthetic Front) moves past its
        // neighbours in every list, into another year and back.
        let dates = [
            ("past the next brief in its year", "2023-03-20"),
            ("into the next year, before another", "2024-01-01"),
            ("behind every other brief", "2019-05-05"),
            ("back where it was", "2023-02-05"),
        ];
        let run = |engine: &mut Engine, phase: &str| {
            for (step, date) in dates {
                site.brief("b", date, "NE", "Synthetic Cell", "Synthetic text.");
                engine.apply(&[content("content/briefs/b.md")]);
                let mut fresh = Engine::load(site.root(), options());
                fresh.apply(&[]);
                let step = format!("{phase}, {step}");
                assert_eq!(model(engine), model(&fresh), "{step}");
                assert_same(engine, &site, &step);
            }
        };
        run(&mut engine, "one language");
        // The same with a French edition, where `b` is translated.
        site.write(
            "site.yaml",
            "title: Synthetic engine test\nbase_url: https://example.org/briefs/\npaginate_by: 2\nlatest_on_home: 2\nlanguages: [en, fr]\n",
        );
        site.write("content/briefs/b.fr.md", "---\ntitle: Synthétique b\n---\nTexte synthétique.\n");
        engine.apply(&[Change::Everything]);
        run(&mut engine, "two languages");
    }

    #[test]
    fn a_brief_moved_inside_its_lists_renders_only_the_pages_between_its_two_places() {
        let site = Site::new();
        // Ten briefs in Niger and in the Synthetic Front, two to a page:
        // five pages each, newest first.
        for month in 4..=10 {
            site.brief(&format!("n{month}"), &format!("2023-{month:02}-05"), "NE", "SF", "Synthetic text.");
        }
        let mut engine = Engine::load(site.root(), options());
        engine.apply(&[]);
        let old = engine.sites[0].clone();
        // `n7` (fourth, on page 2) moves past `n6` (fifth, on page 3): the
        // lists keep their briefs and totals.
        site.brief("n7", "2023-05-20", "NE", "SF", "Synthetic text.");
        engine.apply(&[content("content/briefs/n7.md")]);
        assert_same(&engine, &site, "n7 moved");
        // What the engine plans to render again for `n7`'s move from `old`.
        let planned = |engine: &Engine, old: &crate::model::Site| {
            let new = engine.sites[0].clone();
            let templates = engine.inputs.templates.as_ref().expect("templates")[0].clone();
            let renderer = Renderer::new(new.clone(), templates, &site.root().join(STATIC_DIR));
            let before = old.briefs.iter().find(|b| b.slug == "n7");
            let after = new.briefs.iter().position(|b| b.slug == "n7");
            (affected(old, &renderer, &[(before, after)], false), new)
        };
        let (outputs, new) = planned(&engine, &old);
        let ne = new.countries.iter().position(|c| c.country.code == "NE").expect("Niger");
        let front = new.group_position("front").expect("the front");
        for page in 1..=5 {
            let wanted = page <= 3;
            assert_eq!(outputs.contains(&Output::Page(Job::Country(ne, page))), wanted, "Niger, page {page}");
        }
        // The front also lists `d` (2024, through the Synthetic Cell) first:
        // there `n7` goes from fifth to sixth, both on page 3.
        for page in 1..=6 {
            let wanted = page == 1 || page == 3;
            assert_eq!(outputs.contains(&Output::Page(Job::Group(front, page))), wanted, "the front, page {page}");
        }
        // Moved to the front of its lists, it changes their latest date,
        // which every page shows: all of them are made again.
        let old = new;
        site.brief("n7", "2023-12-20", "NE", "SF", "Synthetic text.");
        engine.apply(&[content("content/briefs/n7.md")]);
        assert_same(&engine, &site, "n7 moved to the front");
        let (outputs, _) = planned(&engine, &old);
        assert!((1..=5).all(|page| outputs.contains(&Output::Page(Job::Country(ne, page)))), "{outputs:?}");
    }

    #[test]
    fn a_text_edit_makes_a_map_again_only_where_the_brief_is_one_of_its_points() {
        // Maps of at most two points; five located briefs in Niger and in
        // the Synthetic Front, newest first: n5, n4 (drawn), n3, n2, n1.
        let site = Site::new();
        site.write(
            "site.yaml",
            "title: Synthetic engine test\nbase_url: https://example.org/briefs/\npaginate_by: 2\nlatest_on_home: 1\nmap_limit: 2\n",
        );
        let located = |name: &str, month: u32, title: &str, lat: f64| {
            site.write(
                &format!("content/briefs/{name}.md"),
                &format!(
                    "---\ntitle: {title}\ndate: 2025-{month:02}-05\ncountry: NE\narmed_groups: [SF]\nfatalities: 3\ncoordinates: {{lat: {lat}, lon: 2.1}}\n---\nSynthetic text.\n"
                ),
            );
        };
        for month in 1..=5 {
            located(&format!("n{month}"), month, &format!("Synthetic n{month}"), 13.5);
        }
        let mut engine = Engine::load(site.root(), options());
        engine.apply(&[]);
        let first_pages = |engine: &Engine, old: &crate::model::Site, name: &str| {
            let new = engine.sites[0].clone();
            let templates = engine.inputs.templates.as_ref().expect("templates")[0].clone();
            let renderer = Renderer::new(new.clone(), templates, &site.root().join(STATIC_DIR));
            let before = old.briefs.iter().find(|b| b.slug == name);
            let after = new.briefs.iter().position(|b| b.slug == name);
            let outputs = affected(old, &renderer, &[(before, after)], false);
            let ne = new.countries.iter().position(|c| c.country.code == "NE").expect("Niger");
            let front = new.group_position("front").expect("the front");
            [Job::Home, Job::Country(ne, 1), Job::Group(front, 1)].map(|job| outputs.contains(&Output::Page(job)))
        };
        // Each edit, the pages with maps it plans, and the same files as a
        // full build after it.
        for (step, name, month, title, lat, maps) in [
            ("n4 retitled, drawn", "n4", 4, "Synthetic n4 retitled", 13.5, [true, true, true]),
            ("n2 retitled, left off", "n2", 2, "Synthetic n2 retitled", 13.5, [false, false, false]),
            ("n2 moved, left off", "n2", 2, "Synthetic n2 retitled", 14.0, [false, false, false]),
        ] {
            let old = engine.sites[0].clone();
            located(name, month, title, lat);
            engine.apply(&[content(&format!("content/briefs/{name}.md"))]);
            assert_same(&engine, &site, step);
            assert_eq!(first_pages(&engine, &old, name), maps, "{step}: home, Niger, the front");
        }
        // Losing its place changes what every map counts as having none.
        let old = engine.sites[0].clone();
        site.write(
            "content/briefs/n2.md",
            "---\ntitle: Synthetic n2\ndate: 2025-02-05\ncountry: NE\narmed_groups: [SF]\nfatalities: 3\n---\nSynthetic text.\n",
        );
        engine.apply(&[content("content/briefs/n2.md")]);
        assert_same(&engine, &site, "n2 without a place");
        assert_eq!(first_pages(&engine, &old, "n2"), [true, true, true], "n2 without a place");
        // A retracted brief is on no map, with a place or without.
        let retracted = |coordinates: &str| {
            format!(
                "---\ntitle: Synthetic n1\ndate: 2025-01-05\ncountry: NE\narmed_groups: [SF]\nfatalities: 3\n{coordinates}status: retracted\nretraction: {{date: 2025-02-01, reason: Synthetic.}}\n---\nSynthetic text.\n"
            )
        };
        site.write("content/briefs/n1.md", &retracted("coordinates: {lat: 13.5, lon: 2.1}\n"));
        engine.apply(&[content("content/briefs/n1.md")]);
        assert_same(&engine, &site, "n1 retracted");
        let old = engine.sites[0].clone();
        site.write("content/briefs/n1.md", &retracted(""));
        engine.apply(&[content("content/briefs/n1.md")]);
        assert_same(&engine, &site, "n1 retracted, without a place");
        assert_eq!(first_pages(&engine, &old, "n1"), [false, false, false], "n1 retracted, without a place");
    }

    #[test]
    fn a_group_spelt_anew_by_the_brief_that_names_it_is_renamed_on_every_page() {
        // `e` is the first brief naming the Unregistered Band, which no file
        // defines, so its spelling is the group's name; with six more
        // briefs, the group's list has four pages.
        let site = Site::new();
        for (name, date) in [
            ("u1", "2024-01-01"),
            ("u2", "2024-03-01"),
            ("u3", "2024-04-01"),
            ("u4", "2024-05-01"),
            ("u5", "2024-06-01"),
            ("u6", "2024-07-01"),
        ] {
            site.brief(name, date, "ML", "Unregistered Band", "Synthetic text.");
        }
        let mut engine = Engine::load(site.root(), options());
        engine.apply(&[]);
        // Spelt anew and moved within its lists.
        site.brief("e", "2024-02-20", "ML", "UNREGISTERED BAND", "Synthetic text.");
        engine.apply(&[content("content/briefs/e.md")]);
        assert_same(&engine, &site, "spelt anew and moved");
        // Spelt anew, nothing else.
        site.brief("e", "2024-02-20", "ML", "Unregistered band", "Synthetic text.");
        engine.apply(&[content("content/briefs/e.md")]);
        assert_same(&engine, &site, "spelt anew");
    }

    #[test]
    fn changes_made_while_the_site_is_broken_are_made_once_it_is_fixed() {
        let site = Site::new();
        let mut engine = Engine::load(site.root(), options());
        engine.apply(&[]);
        site.write("content/briefs/a.md", "---\ntitle: Broken\ndate: 28/09/2023\ncountry: NE\n---\n");
        engine.apply(&[content("content/briefs/a.md")]);
        assert!(engine.has_errors());
        // Valid on its own, but made while the site could not build.
        site.brief("b", "2023-02-05", "NE", "Synthetic Cell", "Edited while a was broken.");
        engine.apply(&[content("content/briefs/b.md")]);
        assert!(engine.has_errors());
        site.brief("a", "2023-01-05", "NE", "SF", "Fixed.");
        engine.apply(&[content("content/briefs/a.md")]);
        assert_same(&engine, &site, "after the fix");
    }

    #[test]
    fn a_site_laid_out_serves_each_file_as_making_the_whole_site_does() {
        let site = Site::new();
        site.write(
            "site.yaml",
            "title: Synthetic engine test\nbase_url: https://example.org/briefs/\npaginate_by: 2\nlanguages: [en, fr]\nsearch: true\n",
        );
        site.write("content/briefs/a.fr.md", "---\ntitle: Synthétique a\n---\nTexte synthétique.\n");
        let mut engine = Engine::load(site.root(), options());
        assert!(engine.lay_out(), "{}", engine.problems_text());
        assert!(engine.pages().values().all(|file| matches!(file, Served::Later(_))), "nothing made yet");
        assert!(engine.pages().contains_key("fr/briefs/a/index.html"));
        // Each file made as it is asked for, the search bundle too.
        assert_same(&engine, &site, "laid out");
        let outcome = engine.apply(&[]);
        assert!(outcome.pages_changed > 0);
        assert!(engine.pages().values().any(|file| matches!(file, Served::Ready(_))), "made since");
        assert_same(&engine, &site, "the whole site made after");
        site.brief("b", "2023-02-05", "NE", "Synthetic Cell", "Edited text.");
        engine.apply(&[content("content/briefs/b.md")]);
        assert_same(&engine, &site, "an edit after");
    }

    #[test]
    fn a_site_laid_out_is_checked_when_it_is_made() {
        let site = Site::new();
        site.brief("b", "2023-02-05", "NE", "Synthetic Cell", "See [nowhere](/briefs/nowhere/).");
        let mut engine = Engine::load(site.root(), options());
        // The links are checked once every page is made.
        assert!(engine.lay_out());
        assert!(!engine.has_errors() && !engine.checked());
        engine.apply(&[]);
        assert!(engine.problems().iter().any(|d| d.code == Code::BrokenLink), "{}", engine.problems_text());
        assert!(!engine.checked(), "what is served was never made whole");
        // Fixed, the whole site is made.
        site.brief("b", "2023-02-05", "NE", "Synthetic Cell", "Synthetic text.");
        engine.apply(&[content("content/briefs/b.md")]);
        assert_same(&engine, &site, "fixed");
        assert!(engine.checked());
        // A site whose model has an error is not laid out: making it reports why.
        site.write("content/briefs/c.md", "---\ntitle: Synthetic c\ndate: not a date\n---\nText.\n");
        let mut engine = Engine::load(site.root(), options());
        assert!(!engine.lay_out());
        assert!(engine.pages().is_empty());
        engine.apply(&[]);
        assert!(engine.has_errors());
    }

    #[test]
    fn a_broken_link_keeps_the_last_good_files_and_is_reported() {
        let site = Site::new();
        let mut engine = Engine::load(site.root(), options());
        engine.apply(&[]);
        let before = held(&engine);
        site.brief("b", "2023-02-05", "NE", "Synthetic Cell", "See [nowhere](/briefs/nowhere/).");
        engine.apply(&[content("content/briefs/b.md")]);
        assert!(engine.problems().iter().any(|d| d.code == Code::BrokenLink), "{}", engine.problems_text());
        assert_eq!(held(&engine), before);
    }

    #[test]
    fn a_panic_while_rebuilding_is_reported_and_the_last_good_files_stay() {
        let site = Site::new();
        let mut engine = Engine::load(site.root(), options());
        engine.apply(&[]);
        let before = held(&engine);
        engine.panic_on = Some(PathBuf::from("content/briefs/b.md"));
        site.brief("b", "2023-02-05", "NE", "Synthetic Cell", "Edited.");
        let outcome = engine.apply(&[content("content/briefs/b.md")]);
        assert_eq!(outcome, Outcome::default());
        assert_eq!(engine.problems().len(), 1);
        assert_eq!(engine.problems()[0].code, Code::Internal);
        assert!(engine.problems_text().contains("told to panic on content/briefs/b.md"), "{}", engine.problems_text());
        assert_eq!(held(&engine), before);
        // The next change reads everything again and recovers.
        engine.panic_on = None;
        engine.apply(&[content("content/briefs/c.md")]);
        assert_same(&engine, &site, "after the panic");
    }
}
