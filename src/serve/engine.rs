//! Serve: the incremental build engine. It keeps every content file, every
//! brief's validation result, the templates, the last good site and its
//! pages in memory, and applies a change by redoing only what it touches:
//! an edited brief is re-read alone and only the pages that show it are
//! re-rendered. It runs the same load, model and render stages as `build`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rayon::prelude::*;
use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics, FromDisk, render_human};
use crate::load::{self, Kind, LoadedSite, STATIC_DIR, SiteConfig, SourceFile};
use crate::model::{self, Brief, ParsedBrief, Site};
use crate::pipeline::BuildOptions;
use crate::render::{self, Content, Job, OutputFile, Renderer};

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

/// The pages as served: output path → bytes.
pub type Pages = HashMap<String, Arc<[u8]>>;

/// What one round of changes did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Output paths written or removed.
    pub pages_changed: usize,
    /// Only stylesheets changed: browsers may swap them without reloading.
    pub only_css: bool,
}

pub struct Engine {
    root: PathBuf,
    options: BuildOptions,
    config: Result<SiteConfig, Diagnostic>,
    /// Every Markdown file under `content/`, read and split, or why not.
    sources: BTreeMap<PathBuf, Result<SourceFile, Vec<Diagnostic>>>,
    /// Validation results of brief files that could be read.
    parsed: BTreeMap<PathBuf, ParsedBrief>,
    /// Problems found walking `content/` and `static/`.
    walk_problems: Vec<Diagnostic>,
    static_files: Vec<PathBuf>,
    templates: Result<Tera, Vec<Diagnostic>>,
    /// The last site that built without errors, and its pages (shared with
    /// the HTTP server, which reads them while the next build runs).
    site: Option<Site>,
    pages: Arc<RwLock<Pages>>,
    /// Everything wrong with the site as it is on disk now.
    problems: Vec<Diagnostic>,
}

impl Engine {
    /// Reads and builds the whole site. Problems do not stop the engine:
    /// they are kept for `problems()` and fixed files are picked up later.
    pub fn new(root: &Path, options: BuildOptions) -> Engine {
        let mut engine = Engine {
            root: root.to_path_buf(),
            options,
            config: Ok(SiteConfig::default()),
            sources: BTreeMap::new(),
            parsed: BTreeMap::new(),
            walk_problems: Vec::new(),
            static_files: Vec::new(),
            templates: Err(Vec::new()),
            site: None,
            pages: Arc::default(),
            problems: Vec::new(),
        };
        engine.apply(&[Change::Everything]);
        engine
    }

    /// The pages as served; updated in place by each rebuild.
    pub fn pages(&self) -> Arc<RwLock<Pages>> {
        self.pages.clone()
    }

    pub fn site(&self) -> Option<&Site> {
        self.site.as_ref()
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
        render_human(&self.problems, &FromDisk(&self.root))
    }

    /// The base path pages are served under (`/` or `/sub/`).
    pub fn base_path(&self) -> String {
        match &self.config {
            Ok(config) => self.with_base_url(config.clone()).base_path(),
            Err(_) => "/".into(),
        }
    }

    fn with_base_url(&self, mut config: SiteConfig) -> SiteConfig {
        if let Some(base_url) = &self.options.base_url {
            config.base_url = base_url.clone();
        }
        config
    }

    /// Applies a batch of changes and rebuilds what they touch.
    pub fn apply(&mut self, changes: &[Change]) -> Outcome {
        let changes: BTreeSet<&Change> = changes.iter().collect();
        if changes.contains(&Change::Everything) {
            self.read_everything();
            return self.rebuild(Scope::All, true);
        }
        let mut scope = Scope::Briefs(Vec::new());
        let mut static_changed = false;
        for change in &changes {
            match change {
                Change::Content(rel) => {
                    let before = self.parsed.get(rel).and_then(|p| p.brief.clone());
                    self.reread(rel);
                    let after = self.parsed.get(rel).and_then(|p| p.brief.clone());
                    let is_brief = load::kind_of(rel) == Kind::Brief;
                    match &mut scope {
                        Scope::Briefs(list) if is_brief => list.push((before, after)),
                        _ => scope = Scope::All,
                    }
                }
                Change::Templates => {
                    self.templates = render::load_templates(&self.root, &self.base_path());
                    scope = Scope::All;
                }
                Change::Static => {
                    let (files, problems) = load::list_static(&self.root);
                    self.static_files = files;
                    self.walk_problems.retain(|d| !d.file.starts_with(STATIC_DIR));
                    self.walk_problems.extend(problems);
                    static_changed = true;
                }
                Change::Everything => unreachable!("handled above"),
            }
        }
        self.rebuild(scope, static_changed)
    }

    fn read_everything(&mut self) {
        self.config = load::load_config(&self.root);
        self.sources.clear();
        self.parsed.clear();
        self.walk_problems.clear();
        match load::walk_content(&self.root) {
            Ok((markdown, problems)) => {
                self.walk_problems = problems;
                let read: Vec<_> =
                    markdown.par_iter().map(|rel| (rel.clone(), load::read_source(&self.root, rel))).collect();
                self.sources = read.into_iter().collect();
                let briefs: Vec<&SourceFile> =
                    self.sources.values().filter_map(|s| s.as_ref().ok()).filter(|f| f.kind == Kind::Brief).collect();
                let parsed = model::parse_briefs(&briefs, self.options.model.today);
                self.parsed = briefs.iter().map(|f| f.path.clone()).zip(parsed).collect();
            }
            Err(problem) => self.walk_problems.push(problem),
        }
        let (files, problems) = load::list_static(&self.root);
        self.static_files = files;
        self.walk_problems.extend(problems);
        self.templates = render::load_templates(&self.root, &self.base_path());
    }

    /// Reads one content file again (or forgets it, if it is gone).
    fn reread(&mut self, rel: &Path) {
        self.parsed.remove(rel);
        if !self.root.join(rel).is_file() {
            self.sources.remove(rel);
            return;
        }
        let read = load::read_source(&self.root, rel);
        if let Ok(file) = &read
            && file.kind == Kind::Brief
        {
            let parsed = model::parse_briefs(&[file], self.options.model.today).pop().expect("one in, one out");
            self.parsed.insert(rel.to_path_buf(), parsed);
        }
        self.sources.insert(rel.to_path_buf(), read);
    }

    /// Assembles the model from what is in memory and renders the pages
    /// `scope` calls for. On any error the last good pages stay.
    fn rebuild(&mut self, scope: Scope, static_changed: bool) -> Outcome {
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(self.walk_problems.iter().cloned());
        let config = match &self.config {
            Ok(config) => self.with_base_url(config.clone()),
            Err(problem) => {
                diagnostics.push(problem.clone());
                return self.fail(diagnostics);
            }
        };
        for read in self.sources.values() {
            if let Err(problems) = read {
                diagnostics.extend(problems.iter().cloned());
            }
        }
        let files: Vec<SourceFile> =
            self.sources.values().filter_map(|s| s.as_ref().ok()).filter(|f| f.kind != Kind::Brief).cloned().collect();
        let loaded = LoadedSite { config, files, static_files: self.static_files.clone(), diagnostics };
        let (site, mut diagnostics) = model::assemble(loaded, self.parsed.values().cloned(), &self.options.model);
        if self.options.strict {
            diagnostics.make_warnings_errors();
        }
        let (Some(site), false) = (site, diagnostics.has_errors()) else {
            return self.fail(diagnostics);
        };
        let tera = match &self.templates {
            Ok(tera) => tera,
            Err(problems) => {
                diagnostics.extend(problems.iter().cloned());
                return self.fail(diagnostics);
            }
        };

        let renderer = Renderer::new(&site, tera);
        let scope = match (&self.site, scope) {
            // Nothing good to build on: render everything.
            (None, _) => Scope::All,
            (_, scope) => scope,
        };
        let jobs: Vec<Job> = match &scope {
            Scope::All => renderer.jobs(),
            Scope::Briefs(changed) => affected_jobs(self.site.as_ref().expect("checked"), &site, &renderer, changed),
        };
        let mut rendered = match renderer.render_all(&jobs) {
            Ok(files) => files,
            Err(problems) => {
                diagnostics.extend(problems);
                return self.fail(diagnostics);
            }
        };
        match renderer.redirects() {
            Ok(files) => rendered.extend(files),
            Err(problems) => {
                diagnostics.extend(problems);
                return self.fail(diagnostics);
            }
        }
        if static_changed || matches!(scope, Scope::All) {
            rendered.extend(render::static_outputs(&site, &self.root.join(STATIC_DIR)));
        }

        // Which pages may have gone, and which are still there.
        let rendered_paths: HashSet<String> = rendered.iter().map(|f| f.path.clone()).collect();
        let keep = match &scope {
            // Pages under the folders the old briefs touched were all
            // rendered again if they still exist.
            Scope::Briefs(changed) if !static_changed => {
                let old = self.site.as_ref().expect("checked above");
                Keep::UnlessUnder(touched_folders(old, &site, changed), rendered_paths)
            }
            // Every page the new site has.
            _ => {
                let mut expected: HashSet<String> = renderer.jobs().into_iter().map(|j| renderer.path(j)).collect();
                expected.extend(rendered_paths);
                expected.extend(render::static_outputs(&site, Path::new("")).into_iter().map(|f| f.path));
                Keep::Only(expected)
            }
        };

        let mut changed = 0;
        let mut only_css = true;
        let mut pages = self.pages.write().expect("pages lock");
        for file in rendered {
            let OutputFile { path, content } = file;
            let bytes: Arc<[u8]> = match content {
                Content::Bytes(bytes) => bytes.into(),
                Content::Copy(from) => match std::fs::read(&from) {
                    Ok(bytes) => bytes.into(),
                    Err(e) => {
                        let rel = from.strip_prefix(&self.root).unwrap_or(&from).to_path_buf();
                        diagnostics.push(Diagnostic::error(
                            "unreadable",
                            rel,
                            crate::diagnostics::Pos::WHOLE_FILE,
                            format!("cannot read this file: {e}"),
                        ));
                        continue;
                    }
                },
            };
            if pages.get(&path).is_none_or(|old| **old != *bytes) {
                only_css &= path.ends_with(".css");
                changed += 1;
                pages.insert(path, bytes);
            }
        }
        let before = pages.len();
        pages.retain(|path, _| keep.keeps(path));
        let removed = before - pages.len();
        drop(pages);
        if removed > 0 {
            only_css = false;
        }
        // Keep briefs whose groups were just resolved (their slugs were
        // empty), so that the next assembly need not copy them again.
        let fresh: Vec<&Path> = self
            .parsed
            .iter()
            .filter(|(_, p)| p.brief.as_ref().is_some_and(|b| b.armed_groups.iter().any(|g| g.slug.is_empty())))
            .map(|(path, _)| path.as_path())
            .collect();
        if !fresh.is_empty() {
            let fresh: HashSet<PathBuf> = fresh.into_iter().map(Path::to_path_buf).collect();
            for brief in site.briefs.iter().filter(|b| fresh.contains(Path::new(&b.source_path))) {
                if let Some(parsed) = self.parsed.get_mut(Path::new(&brief.source_path)) {
                    parsed.brief = Some(brief.clone());
                }
            }
        }
        self.site = Some(site);
        self.problems = diagnostics.sorted();
        Outcome { pages_changed: changed + removed, only_css: only_css && changed + removed > 0 }
    }

    fn fail(&mut self, diagnostics: Diagnostics) -> Outcome {
        self.problems = diagnostics.sorted();
        Outcome::default()
    }
}

/// Which served pages survive a rebuild.
enum Keep {
    Only(HashSet<String>),
    /// Everything, except pages under these folders (or these exact paths)
    /// that were not rendered again.
    UnlessUnder(Vec<String>, HashSet<String>),
}

impl Keep {
    fn keeps(&self, path: &str) -> bool {
        match self {
            Keep::Only(expected) => expected.contains(path),
            Keep::UnlessUnder(folders, rendered) => {
                rendered.contains(path) || !folders.iter().any(|f| path.starts_with(f.as_str()))
            }
        }
    }
}

/// The new site's copy of a changed brief: its groups are resolved against
/// the registry, which the engine's parsed copy may not be yet.
fn resolved(new: &Site, after: &Option<Arc<Brief>>) -> Option<Arc<Brief>> {
    let after = after.as_ref()?;
    new.briefs.iter().find(|b| b.source_path == after.source_path).cloned()
}

/// Whether an edit leaves a brief at the same place in every list (same
/// slug, date, country and groups) and every total as it was (same best
/// estimate), so that only the pages showing the brief itself change.
fn stays_in_place(before: &Brief, after: &Brief) -> bool {
    before.slug == after.slug
        && before.best_fatalities() == after.best_fatalities()
        && before.date == after.date
        && before.country.code == after.country.code
        && before.armed_groups.iter().map(|g| &g.slug).eq(after.armed_groups.iter().map(|g| &g.slug))
        && before.aliases == after.aliases
}

/// The output folders (and alias pages) that showed the changed briefs
/// before the change.
fn touched_folders(old: &Site, new: &Site, changed: &[BriefChange]) -> Vec<String> {
    let mut folders = Vec::new();
    for (before, after) in changed {
        let Some(brief) = before else { continue };
        if resolved(new, after).is_some_and(|after| stays_in_place(brief, &after)) {
            continue; // nothing under its folders can have gone
        }
        folders.push(format!("briefs/{}/", brief.slug));
        folders.push(format!("countries/{}/", brief.country.slug));
        folders.push(format!("archive/{}/", chrono::Datelike::year(&brief.date)));
        for g in &brief.armed_groups {
            folders.push(format!("groups/{}/", g.slug));
            if let Some(group) = old.group(&g.slug) {
                folders.extend(group.ancestors.iter().map(|a| format!("groups/{a}/")));
            }
        }
        for alias in &brief.aliases {
            let rel = alias.trim_start_matches('/');
            folders.push(if rel.ends_with(".html") {
                rel.to_string()
            } else {
                format!("{}/", rel.trim_end_matches('/'))
            });
        }
    }
    folders
}

/// A brief as it was before a change and as it is now (either may be
/// missing: a new or a deleted brief, or one that failed to validate).
type BriefChange = (Option<Arc<Brief>>, Option<Arc<Brief>>);

/// How much of the site a round of changes touches.
enum Scope {
    All,
    /// Only these briefs (and, separately, maybe `static/`), as they were and as they are (either may be
    /// missing: a new or a deleted brief, or one that failed to validate).
    Briefs(Vec<BriefChange>),
}

/// The pages that show any of the changed briefs, in the new site: their
/// own pages and their neighbours' (which link to them by title), their
/// countries', groups' (with the groups those belong to) and years' indices,
/// and the site-wide lists.
fn affected_jobs(old: &Site, new: &Site, renderer: &Renderer, changed: &[BriefChange]) -> Vec<Job> {
    let mut jobs: BTreeSet<Job> = [Job::Home, Job::Countries, Job::Groups, Job::Archive].into_iter().collect();
    let brief_index: HashMap<&str, usize> = new.briefs.iter().enumerate().map(|(i, b)| (b.slug.as_str(), i)).collect();
    let add_brief = |slug: &str, jobs: &mut BTreeSet<Job>| {
        if let Some(&i) = brief_index.get(slug) {
            jobs.insert(Job::Brief(i));
        }
    };
    let per_page = new.config.paginate_by;
    for (before, after) in changed {
        let after = resolved(new, after);
        // The commonest edit (text, figures, sources) leaves the brief where
        // it was in every list: then only the one page of each index that
        // shows it changes, not every page after it.
        if let (Some(b), Some(a)) = (before, &after)
            && stays_in_place(b, a)
        {
            add_brief(&a.slug, &mut jobs);
            let i = brief_index[a.slug.as_str()];
            let page_of = |position: usize| position / per_page + 1;
            if let Some(ci) = new.countries.iter().position(|c| c.country.code == a.country.code) {
                let list = &new.countries[ci].briefs;
                if let Some(p) = list.iter().position(|&j| j == i) {
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
        for (site, brief) in [(old, before.clone()), (new, after)] {
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
            if let Some(i) = new.countries.iter().position(|c| c.country.code == brief.country.code) {
                jobs.extend(renderer.country_jobs(i));
            }
            let mut groups: Vec<&str> = brief.armed_groups.iter().map(|g| g.slug.as_str()).collect();
            let ancestors: Vec<&str> = groups
                .iter()
                .filter_map(|g| new.group(g))
                .flat_map(|g| g.ancestors.iter().map(String::as_str))
                .collect();
            groups.extend(ancestors);
            for slug in groups {
                if let Some(i) = new.group_position(slug) {
                    jobs.extend(renderer.group_jobs(i));
                }
            }
            if let Some(i) = new.years.iter().position(|y| y.year == chrono::Datelike::year(&brief.date)) {
                jobs.extend(renderer.year_jobs(i));
            }
        }
    }
    jobs.into_iter().collect()
}
