//! Model stage: turns loaded files into a validated `Site`: briefs, the
//! group registry, country profiles, plain pages, and the indices by
//! country, group and year with their totals. Everything here is plain,
//! serialisable data; nothing renders or writes.

pub mod brief;
pub mod country;
pub mod edition;
pub mod fields;
pub mod group;
pub mod outlines;
pub mod page;
pub mod text;
pub mod translation;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

pub use brief::{Attribution, Brief, ResolvedBrief, ResolvedGroup};
pub use country::Country;
pub use group::{Group, Registry};
pub use page::{Page, Profile};

use crate::FastMap;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Pos};
use crate::load::{Kind, LoadedSite, SiteConfig, SourceFile};
use crate::urls;

/// Choices that change what the model holds.
#[derive(Debug, Clone)]
pub struct ModelOptions {
    /// Keep briefs and pages marked `draft: true`.
    pub drafts: bool,
    /// The day against which "in the future" is judged.
    pub today: NaiveDate,
}

/// Incident count, fatalities (sum of `best`) and date range of a set of briefs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    pub incidents: usize,
    pub fatalities: u64,
    pub first: Option<NaiveDate>,
    pub latest: Option<NaiveDate>,
}

impl Totals {
    fn of<'a>(briefs: impl IntoIterator<Item = &'a ResolvedBrief>) -> Totals {
        let mut t = Totals::default();
        for b in briefs.into_iter().filter(|b| !b.is_retracted()) {
            t.incidents += 1;
            t.fatalities = t.fatalities.saturating_add(b.best_fatalities());
            t.first = Some(t.first.map_or(b.date, |d| d.min(b.date)));
            t.latest = Some(t.latest.map_or(b.date, |d| d.max(b.date)));
        }
        t
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CountryIndex {
    pub country: Country,
    pub totals: Totals,
    /// Positions in `Site::briefs`, newest first.
    pub briefs: Vec<usize>,
    pub profile: Option<Profile>,
    /// The language the profile is written in, when it is not the
    /// edition's (an untranslated profile on a translated edition).
    #[serde(skip)]
    pub text_language: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupEntry {
    /// Position in `Site::briefs`.
    pub brief: usize,
    pub attribution: Attribution,
    /// When the brief named an affiliate rather than this group, that affiliate's slug.
    pub via: Option<Arc<str>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupIndex {
    pub group: Group,
    /// Totals of the group's own briefs and its affiliates', each brief counted once.
    pub totals: Totals,
    /// Newest first.
    pub entries: Vec<GroupEntry>,
    /// Slugs of groups directly affiliated with this one.
    pub affiliates: Vec<String>,
    /// Slugs of the groups this one belongs to, nearest first.
    pub ancestors: Vec<String>,
    /// The language the group's profile is written in, when it is not the
    /// edition's (an untranslated profile on a translated edition).
    #[serde(skip)]
    pub text_language: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearIndex {
    pub year: i32,
    pub totals: Totals,
    pub briefs: Vec<usize>,
}

/// The validated site, ready to render.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub config: SiteConfig,
    /// Newest first (date, then slug for ties).
    pub briefs: Vec<ResolvedBrief>,
    /// By name.
    pub countries: Vec<CountryIndex>,
    /// By name, ignoring case.
    pub groups: Vec<GroupIndex>,
    pub pages: Vec<Page>,
    /// Newest first.
    pub years: Vec<YearIndex>,
    pub totals: Totals,
    #[serde(skip)]
    pub static_files: Vec<PathBuf>,
    /// Group slug → position in `groups`.
    #[serde(skip)]
    group_positions: HashMap<String, usize>,
    /// Which language's copy of the site this is.
    #[serde(skip)]
    pub edition: edition::Edition,
}

impl Site {
    pub fn group(&self, slug: &str) -> Option<&GroupIndex> {
        self.group_positions.get(slug).map(|&i| &self.groups[i])
    }

    /// The position of a group in `groups`.
    pub fn group_position(&self, slug: &str) -> Option<usize> {
        self.group_positions.get(slug).copied()
    }

    pub fn country(&self, code: &str) -> Option<&CountryIndex> {
        self.countries.iter().find(|c| c.country.code.eq_ignore_ascii_case(code))
    }
}

fn group_order(g: &Group) -> (String, String) {
    (g.name.to_lowercase(), g.slug.clone())
}

/// URL paths at the top of the site that plain pages may not take.
pub const RESERVED_PATHS: &[&str] =
    &["briefs", "countries", "groups", "archive", "search", "pagefind", "static", "404"];

/// One brief file's validation result. `serve` keeps these per file, so an
/// edit re-parses only the file that changed.
#[derive(Debug, Clone)]
pub struct ParsedBrief {
    /// Shared, so that assembling the site again after an edit costs a
    /// pointer per brief, not a copy.
    pub brief: Option<Arc<Brief>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Validates one brief file, whose body is `body` and has the links
/// `body_links` (as [`crate::render::markdown::inspect`] found them).
pub fn parse_brief_file(
    file: &SourceFile,
    today: NaiveDate,
    countries: &country::Aliases,
    body: text::Text,
    body_links: text::Addresses,
) -> ParsedBrief {
    let (brief, diagnostics) = brief::parse_brief(file, today, countries);
    let brief = brief.map(|brief| Arc::new(Brief { body, body_links, ..brief }));
    ParsedBrief { brief, diagnostics }
}

/// Validates everything else loaded and builds the indices from the
/// already-validated `briefs` (brief files among `loaded.files` are
/// ignored). Returns the site unless there were errors; all problems found
/// are in the diagnostics.
pub fn assemble(
    loaded: LoadedSite,
    briefs: impl IntoIterator<Item = ParsedBrief>,
    translations: translation::Translations,
    options: &ModelOptions,
) -> (Option<Site>, Diagnostics) {
    let LoadedSite { config, files, static_files, mut diagnostics } = loaded;
    let of_kind = |kind: Kind| files.iter().filter(move |f| f.kind == kind);

    // Problems with the aliases themselves are the engine's to report.
    let (countries, _) = country::Aliases::from_config(&config);
    let group_files: Vec<_> = of_kind(Kind::Group).collect();
    let (mut registry, group_diags) = group::build_registry(&group_files, &countries);
    diagnostics.extend(group_diags);

    let briefs: Vec<ParsedBrief> = briefs.into_iter().collect();
    let mut valid = Vec::with_capacity(briefs.len());
    for parsed in briefs {
        diagnostics.extend(parsed.diagnostics);
        valid.extend(parsed.brief);
    }
    let mut briefs = resolve_groups(valid, &mut registry, &mut diagnostics);
    for b in &mut briefs {
        b.published_extra = published_extra(&b.brief, &config.publish_extra);
    }
    check_duplicate_slugs(&briefs, &mut diagnostics);
    briefs.retain(|b| options.drafts || !b.draft);
    briefs.sort_by(newest_first);

    let mut profiles: BTreeMap<&'static str, Profile> = BTreeMap::new();
    for file in of_kind(Kind::Country) {
        let (profile, diags) = page::parse_profile(file, &countries);
        diagnostics.extend(diags);
        if let Some(p) = profile {
            if let Some(first) = profiles.get(p.country.code) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateProfile,
                        &file.path,
                        file.front.value_pos("country"),
                        format!("{} already has a profile", p.country.name),
                    )
                    .with_related(&first.source_path, Pos::WHOLE_FILE)
                    .with_help("keep one profile per country"),
                );
            } else {
                profiles.insert(p.country.code, p);
            }
        }
    }

    let mut pages = Vec::new();
    for file in of_kind(Kind::Page) {
        let (page, diags) = page::parse_page(file);
        diagnostics.extend(diags);
        if let Some(p) = page {
            let top = p.path.split('/').next().unwrap_or("");
            if RESERVED_PATHS.contains(&top) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::ReservedPath,
                        &file.path,
                        Pos::WHOLE_FILE,
                        format!("the page would be at /{}/, which the site uses itself", p.path),
                    )
                    .with_help(format!("rename the file or set `slug:`; {} are taken", RESERVED_PATHS.join(", "))),
                );
            } else if options.drafts || !p.draft {
                pages.push(p);
            }
        }
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    check_page_clashes(&pages, &mut diagnostics);

    if diagnostics.has_errors() {
        return (None, diagnostics);
    }
    check_language_paths(&config, &pages, &static_files, &mut diagnostics);
    let mut site = index(config, briefs, registry, profiles, pages, static_files);
    site.edition = edition::Edition::of(&site, translations);
    check_alias_clashes(&site, &mut diagnostics);
    if diagnostics.has_errors() {
        return (None, diagnostics);
    }
    (Some(site), diagnostics)
}

/// Resolves the groups every brief names against the registry, adding
/// unregistered names to the registry with a warning; a group named twice
/// (by two aliases) counts once. The briefs themselves are shared, not
/// copied.
fn resolve_groups(
    mut briefs: Vec<Arc<Brief>>,
    registry: &mut Registry,
    diagnostics: &mut Diagnostics,
) -> Vec<ResolvedBrief> {
    // Resolve in file order so that which spelling names an unregistered
    // group does not depend on thread timing.
    if !briefs.is_sorted_by(|a, b| a.source_path <= b.source_path) {
        briefs.sort_by(|a, b| a.source_path.cmp(&b.source_path));
    }
    // Names repeat across briefs; look each up once, and share the name
    // and the slug between the briefs that name it.
    let mut known: FastMap<String, (Arc<str>, Arc<str>)> = FastMap::default();
    let mut resolved = Vec::with_capacity(briefs.len());
    for brief in briefs {
        let mut groups: Vec<ResolvedGroup> = Vec::with_capacity(brief.armed_groups.len());
        for g in &brief.armed_groups {
            let (name, slug) = match known.get(&g.name) {
                Some(known) => known.clone(),
                None => {
                    let slug = match registry.resolve(&g.name) {
                        Some(slug) => slug.to_string(),
                        None if slug::slugify(&g.name).is_empty() => {
                            diagnostics.push(
                                Diagnostic::error(
                                    Code::InvalidSlug,
                                    &brief.source_path,
                                    g.pos,
                                    format!(
                                        "armed group `{}` has no letters or digits to make an address from",
                                        g.name
                                    ),
                                )
                                .with_help("name the group in words, as its registry file or the reporting does"),
                            );
                            continue;
                        }
                        None => {
                            diagnostics.push(unknown_group(&brief, g, registry));
                            registry.add_unregistered(&g.name)
                        }
                    };
                    let resolved: (Arc<str>, Arc<str>) = (g.name.as_str().into(), slug.into());
                    known.insert(g.name.clone(), resolved.clone());
                    resolved
                }
            };
            if !groups.iter().any(|r| r.slug == slug) {
                groups.push(ResolvedGroup { name, slug, attribution: g.attribution });
            }
        }
        resolved.push(ResolvedBrief {
            brief,
            groups: groups.into(),
            published_extra: BTreeMap::new(),
            text_language: None,
            made_from: None,
            country_in_language: None,
        });
    }
    resolved
}

/// The `extra` fields of a brief that `site.yaml` lists under
/// `publish_extra`; the rest are for the site's templates only.
fn published_extra(brief: &Brief, keys: &[String]) -> BTreeMap<String, serde_json::Value> {
    if keys.is_empty() {
        return BTreeMap::new();
    }
    brief.rare.extra.iter().filter(|(k, _)| keys.contains(k)).map(|(k, v)| (k.clone(), v.clone())).collect()
}

fn unknown_group(brief: &Brief, g: &brief::GroupRef, registry: &Registry) -> Diagnostic {
    let help = registry
        .suggest(&g.name)
        .map(|s| format!("{s} If not, add content/groups/{}.md", slug::slugify(&g.name)))
        .unwrap_or_else(|| {
            format!("add content/groups/{}.md with `name: {}` to describe it", slug::slugify(&g.name), g.name)
        });
    Diagnostic::warning(
        Code::UnknownGroup,
        &brief.source_path,
        g.pos,
        format!("armed group `{}` is not in the registry", g.name),
    )
    .with_help(help)
    .with_span_len(g.name.chars().count())
}

fn check_duplicate_slugs(briefs: &[ResolvedBrief], diagnostics: &mut Diagnostics) {
    let mut by_slug: FastMap<&str, &Brief> = FastMap::with_capacity_and_hasher(briefs.len(), Default::default());
    for b in briefs {
        if let Some(first) = by_slug.get(b.slug.as_str()) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateSlug,
                    &b.source_path,
                    b.slug_pos,
                    format!("two briefs have the slug `{}`: this one and {}", b.slug, first.source_path),
                )
                .with_related(&first.source_path, first.slug_pos)
                .with_help("give one of them a different file name, or set `slug:` in its front matter"),
            );
        } else {
            by_slug.insert(&b.slug, b);
        }
    }
}

fn check_page_clashes(pages: &[Page], diagnostics: &mut Diagnostics) {
    for pair in pages.windows(2) {
        if pair[0].path == pair[1].path {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateSlug,
                    &pair[1].source_path,
                    Pos::new(1, 1),
                    format!("two pages would both be at /{}/: this one and {}", pair[1].path, pair[0].source_path),
                )
                .with_related(&pair[0].source_path, Pos::new(1, 1))
                .with_help("rename one of the files, or set `slug:`"),
            );
        }
    }
}

/// On a multilingual site, each language but the default has its pages
/// under `/<language>/`: no plain page may be there.
fn check_language_paths(config: &SiteConfig, pages: &[Page], static_files: &[PathBuf], diagnostics: &mut Diagnostics) {
    for language in config.all_languages().iter().skip(1) {
        let folder = edition::folder(language);
        for file in
            static_files.iter().filter(|f| f.components().next().is_some_and(|c| c.as_os_str() == folder.as_str()))
        {
            diagnostics.push(
                Diagnostic::error(
                    Code::ReservedPath,
                    std::path::Path::new(crate::load::STATIC_DIR).join(file),
                    Pos::WHOLE_FILE,
                    format!("this file would be published in /{folder}/, where the site's {language} pages are"),
                )
                .with_help(format!("move it out of static/{folder}/")),
            );
        }
        let words = config.translations.iter().find(|(l, _)| l.eq_ignore_ascii_case(language)).map(|(_, w)| w);
        if words.is_none_or(|w| w.title.is_none()) {
            diagnostics.push(
                Diagnostic::warning(
                    Code::Translation,
                    crate::load::config::CONFIG_FILE,
                    Pos::WHOLE_FILE,
                    format!("the site's title has no {language} version: its {language} pages show it as it is"),
                )
                .with_help(format!(
                    "add to site.yaml:\ntranslations:\n  {language}:\n    title: the title in {language}\n    description: the description in {language}"
                )),
            );
        }
        for p in pages.iter().filter(|p| p.path.split('/').next() == Some(folder.as_str())) {
            diagnostics.push(
                Diagnostic::error(
                    Code::ReservedPath,
                    &p.source_path,
                    Pos::WHOLE_FILE,
                    format!("the page would be at /{}/, where the site's {language} pages are", p.path),
                )
                .with_help(format!(
                    "rename the file or set `slug:`; to give a page in {language}, put its translation beside the original (`about.{language}.md`)"
                )),
            );
        }
    }
}

/// An alias must not replace a real page, nor be claimed twice.
fn check_alias_clashes(site: &Site, diagnostics: &mut Diagnostics) {
    let owners: Vec<(&String, &String)> = site
        .briefs
        .iter()
        .flat_map(|b| b.rare.aliases.iter().map(|a| (a, &b.source_path)))
        .chain(site.pages.iter().flat_map(|p| p.aliases.iter().map(|a| (a, &p.source_path))))
        .collect();
    if owners.is_empty() {
        return;
    }
    // Every address a brief or page has, in the form aliases are compared in.
    let mut taken: HashMap<String, &str> = site
        .briefs
        .iter()
        .map(|b| (urls::alias_key(urls::brief(&b.slug).as_str()), b.source_path.as_str()))
        .chain(site.pages.iter().map(|p| (urls::alias_key(urls::plain_page(&p.path).as_str()), p.source_path.as_str())))
        .collect();
    // And the site's own pages, which an alias's redirect would replace.
    let mut own = vec![urls::home(), urls::countries(), urls::groups(), urls::archive()];
    if site.config.search {
        own.push(urls::search());
    }
    for address in own {
        taken.insert(urls::alias_key(address.as_str()), "a page of the site itself");
    }
    // Each other language's folder holds that language's pages.
    let folders: Vec<String> = site.config.all_languages().iter().skip(1).map(|l| edition::folder(l)).collect();
    for (alias, source) in owners {
        let key = urls::alias_key(alias);
        if let Some(folder) = folders.iter().find(|f| key == **f || key.starts_with(&format!("{f}/"))) {
            diagnostics.push(
                Diagnostic::error(
                    Code::AliasClash,
                    source,
                    Pos::new(1, 1),
                    format!("alias `{alias}` is in /{folder}/, where the site's {folder} pages are"),
                )
                .with_help("an alias must be an old address that nothing else uses"),
            );
            continue;
        }
        // The search bundle's files are named by their contents: none may be taken.
        let in_bundle = site.config.search && (key == "pagefind" || key.starts_with("pagefind/"));
        let taken_by = taken.get(&key).copied().or(in_bundle.then_some("the search index"));
        if let Some(other) = taken_by {
            diagnostics.push(
                Diagnostic::error(
                    Code::AliasClash,
                    source,
                    Pos::new(1, 1),
                    format!("alias `{alias}` is already the address of {other}"),
                )
                .with_help("an alias must be an old address that nothing else uses"),
            );
        } else {
            taken.insert(key, source);
        }
    }
}

fn index(
    config: SiteConfig,
    briefs: Vec<ResolvedBrief>,
    registry: Registry,
    mut profiles: BTreeMap<&'static str, Profile>,
    pages: Vec<Page>,
    static_files: Vec<PathBuf>,
) -> Site {
    let mut by_country: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_group: BTreeMap<&str, Vec<GroupEntry>> = BTreeMap::new();
    let ancestors: FastMap<&str, Vec<&str>> =
        registry.groups.keys().map(|s| (s.as_str(), registry.ancestors(s))).collect();
    for (i, b) in briefs.iter().enumerate() {
        // A retracted brief keeps its page and its place in the archive
        // (see `years`), and leaves every other index.
        if b.is_retracted() {
            continue;
        }
        by_country.entry(b.country.code).or_default().push(i);
        // Every group named, and every group those belong to; a brief is
        // listed once per group, preferring the direct naming.
        let mut entries: Vec<(&str, GroupEntry)> = Vec::new();
        for g in b.groups.iter() {
            entries.push((&g.slug, GroupEntry { brief: i, attribution: g.attribution, via: None }));
        }
        for g in b.groups.iter() {
            for &ancestor in ancestors.get(&*g.slug).into_iter().flatten() {
                if !entries.iter().any(|(slug, _)| *slug == ancestor) {
                    let via = Some(g.slug.clone());
                    entries.push((ancestor, GroupEntry { brief: i, attribution: g.attribution, via }));
                }
            }
        }
        for (slug, entry) in entries {
            by_group.entry(slug).or_default().push(entry);
        }
    }

    let mut countries: Vec<CountryIndex> = by_country
        .into_iter()
        .map(|(code, list)| CountryIndex {
            country: briefs[list[0]].country.clone(),
            totals: Totals::of(list.iter().map(|&i| &briefs[i])),
            briefs: list,
            profile: profiles.remove(code),
            text_language: None,
        })
        .collect();
    // A profile for a country with no briefs yet still gets its page.
    countries.extend(profiles.into_values().map(|p| CountryIndex {
        country: p.country.clone(),
        totals: Totals::default(),
        briefs: Vec::new(),
        profile: Some(p),
        text_language: None,
    }));
    countries.sort_by_cached_key(|c| country::sort_key(c.country.name));

    let mut affiliates: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for g in registry.groups.values() {
        if let Some(parent) = &g.affiliation {
            affiliates.entry(parent).or_default().push(g.slug.clone());
        }
    }
    let mut groups: Vec<GroupIndex> = registry
        .groups
        .values()
        .map(|g| {
            let entries = by_group.remove(g.slug.as_str()).unwrap_or_default();
            GroupIndex {
                totals: Totals::of(entries.iter().map(|e| &briefs[e.brief])),
                entries,
                affiliates: affiliates.remove(g.slug.as_str()).unwrap_or_default(),
                ancestors: registry.ancestors(&g.slug).into_iter().map(str::to_string).collect(),
                group: g.clone(),
                text_language: None,
            }
        })
        .collect();
    groups.sort_by_key(|g| group_order(&g.group));

    let years = years(&briefs);
    let group_positions = groups.iter().enumerate().map(|(i, g)| (g.group.slug.clone(), i)).collect();
    Site {
        totals: Totals::of(&briefs),
        config,
        briefs,
        countries,
        groups,
        pages,
        years,
        static_files,
        group_positions,
        edition: edition::Edition::default(),
    }
}

/// The order of a site's briefs: newest first, then by slug (which no two
/// share).
fn newest_first(a: &ResolvedBrief, b: &ResolvedBrief) -> std::cmp::Ordering {
    b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug))
}

/// The archive of `briefs` (in site order) by year, newest first: every
/// brief, retracted or not.
fn years(briefs: &[ResolvedBrief]) -> Vec<YearIndex> {
    let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, b) in briefs.iter().enumerate() {
        by_year.entry(b.date.year()).or_default().push(i);
    }
    by_year
        .into_iter()
        .rev()
        .map(|(year, list)| YearIndex { year, totals: Totals::of(list.iter().map(|&i| &briefs[i])), briefs: list })
        .collect()
}

impl Site {
    /// Puts `brief`, the next version of the brief at `from`, in that
    /// brief's place, and moves it to where its date puts it in the order;
    /// every index follows, and the totals it is in and the years are
    /// counted again. When the old and new versions assemble alike but for
    /// the date ([`Brief::assembles_like_but_for_date`]), this is the site
    /// [`assemble`] would give from the new version, without resolving and
    /// indexing every brief again (a preview's corrected date).
    pub fn redate_brief(&mut self, from: usize, brief: Arc<Brief>) {
        let Site { briefs, countries, groups, years: archive, totals, .. } = self;
        let mut moved = briefs.remove(from);
        moved.brief = brief;
        let to = briefs.partition_point(|b| newest_first(b, &moved).is_lt());
        briefs.insert(to, moved);
        // Every position between the old place and the new shifts by one.
        let place = |i: usize| match i {
            i if i == from => to,
            i if from < i && i <= to => i - 1,
            i if to <= i && i < from => i + 1,
            i => i,
        };
        let briefs = &*briefs;
        for country in countries.iter_mut() {
            country.briefs.iter_mut().for_each(|i| *i = place(*i));
            if country.briefs.contains(&to) {
                country.briefs.sort_unstable();
                country.totals = Totals::of(country.briefs.iter().map(|&i| &briefs[i]));
            }
        }
        for group in groups.iter_mut() {
            group.entries.iter_mut().for_each(|e| e.brief = place(e.brief));
            if group.entries.iter().any(|e| e.brief == to) {
                group.entries.sort_unstable_by_key(|e| e.brief);
                group.totals = Totals::of(group.entries.iter().map(|e| &briefs[e.brief]));
            }
        }
        *archive = years(briefs);
        *totals = Totals::of(briefs);
    }
}
