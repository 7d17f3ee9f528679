//! Render stage: what each template sees. Views borrow from the model and
//! add what people need and the model does not hold: URLs (with the base
//! path), HTML bodies, labels, pagination.

use serde::Serialize;

use super::charts::{self, Timeline};
use super::i18n::Strings;
use super::maps::{self, Map};
use super::markdown;
use crate::diagnostics::Diagnostic;
use crate::load::RawHtml;
use crate::model::brief::Brief;
use crate::model::fields::Named;
use crate::model::{GroupIndex, Page, Profile, Site, Totals};
use crate::model::{ResolvedBrief, ResolvedGroup};
use crate::urls::{self, Address};

/// Site-wide values every template gets as `site`. Nothing here depends on
/// the briefs, so that editing one brief need not re-render every page.
#[derive(Serialize)]
pub struct CommonView {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub base_path: String,
    pub nav: Vec<Link>,
    pub stylesheet_url: String,
    /// The whole site's feeds and data files.
    pub downloads: Downloads,
    pub json_feed_url: String,
    /// The search page, when the site has search.
    pub search_url: Option<String>,
}

/// The feed and data files of a list page (the site, a country, a group).
#[derive(Serialize)]
pub struct Downloads {
    pub atom: String,
    pub csv: String,
    pub geojson: String,
    /// The full model; only for the whole site.
    pub json: Option<String>,
}

impl Downloads {
    /// The downloads of the list page at `page`, whose data files are in
    /// `data`: its feed in the page's language (under `base`), and the data
    /// files, which every language shares (under the default's base).
    fn of(page: &Address, data: &Address, base: &str, site: &Site) -> Downloads {
        let shared = site.edition.root_base(base);
        Downloads {
            atom: urls::atom(page).url(base),
            csv: urls::data(data, urls::CSV).url(shared),
            geojson: urls::data(data, urls::GEOJSON).url(shared),
            json: None,
        }
    }

    pub fn site(base: &str, site: &Site) -> Downloads {
        let data = urls::data_folder();
        let json = urls::data(&data, urls::JSON).url(site.edition.root_base(base));
        Downloads { json: Some(json), ..Downloads::of(&urls::home(), &data, base, site) }
    }

    pub fn list(page: &Address, base: &str, site: &Site) -> Downloads {
        Downloads::of(page, page, base, site)
    }
}

impl CommonView {
    pub fn new(site: &Site, strings: &Strings) -> Self {
        let base = site.config.base_path();
        let mut nav = vec![
            Link { name: strings.text("site.countries"), url: urls::countries().url(&base), lang: None },
            Link { name: strings.text("site.groups"), url: urls::groups().url(&base), lang: None },
            Link { name: strings.text("site.archive"), url: urls::archive().url(&base), lang: None },
        ];
        nav.extend(site.pages.iter().filter(|p| !p.path.contains('/')).map(|p| Link {
            name: p.title.clone(),
            url: urls::plain_page(&p.path).url(site.edition.base_for(p.text_language.as_deref(), &base)),
            lang: p.text_language.clone(),
        }));
        CommonView {
            title: site.config.title.clone(),
            description: site.config.description.clone(),
            language: site.config.language.clone(),
            base_url: site.config.base_url.clone(),
            stylesheet_url: urls::stylesheet().url(site.edition.root_base(&base)),
            downloads: Downloads::site(&base, site),
            json_feed_url: urls::json_feed().url(&base),
            search_url: site.config.search.then(|| urls::search().url(&base)),
            base_path: base.clone(),
            nav,
        }
    }
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub name: String,
    pub url: String,
    /// The language of `name`, when it is not the page's (an untranslated page).
    pub lang: Option<String>,
}

#[derive(Serialize)]
pub struct CountryLink<'a> {
    pub name: &'a str,
    pub code: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct GroupLink<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub registered: bool,
    /// How the brief ties the group to the incident.
    pub attribution: &'static str,
}

/// A brief as a list shows it.
#[derive(Serialize)]
pub struct BriefSummary<'a> {
    pub title: &'a str,
    pub url: String,
    /// The language of its title and summary when they are not the
    /// page's (an untranslated brief, linked to the original).
    pub lang: Option<&'a str>,
    pub date: chrono::NaiveDate,
    pub end_date: Option<chrono::NaiveDate>,
    pub date_precision: &'static str,
    pub summary: Option<&'a str>,
    pub location: Option<&'a str>,
    pub admin1: Option<&'a str>,
    pub country: CountryLink<'a>,
    pub fatalities: Option<u64>,
    pub status: &'static str,
    pub groups: Vec<GroupLink<'a>>,
}

impl<'a> BriefSummary<'a> {
    pub fn new(site: &'a Site, b: &'a ResolvedBrief, base: &str) -> Self {
        BriefSummary {
            title: &b.title,
            url: urls::brief(&b.slug).url(site.edition.base_for(b.text_language.as_deref(), base)),
            lang: b.text_language.as_deref(),
            date: b.date,
            end_date: b.rare.end_date,
            date_precision: b.date_precision.name(),
            summary: b.summary.as_deref(),
            location: b.location.as_deref(),
            admin1: b.admin1.as_deref(),
            country: CountryLink {
                name: b.country_name(),
                code: b.country.code,
                url: urls::country(b.country.slug).url(base),
            },
            fatalities: b.fatalities.as_ref().map(|f| f.best),
            status: b.status.name(),
            groups: group_links(site, b, base),
        }
    }
}

fn group_links<'a>(site: &'a Site, b: &'a ResolvedBrief, base: &str) -> Vec<GroupLink<'a>> {
    b.groups
        .iter()
        .map(|g| {
            let group = site.group(&g.slug).map(|gi| &gi.group);
            GroupLink {
                name: group.map_or(&*g.name, |gr| gr.name.as_str()),
                slug: &g.slug,
                url: urls::group(&g.slug).url(base),
                registered: group.is_some_and(|gr| gr.registered),
                attribution: g.attribution.name(),
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct HomeView<'a> {
    pub totals: &'a Totals,
    pub country_count: usize,
    pub group_count: usize,
    pub latest: Vec<BriefSummary<'a>>,
    pub countries: Vec<CountryRow<'a>>,
    pub groups: Vec<GroupRow<'a>>,
    /// Where the newest located briefs happened.
    pub map: Option<Map>,
}

impl<'a> HomeView<'a> {
    pub fn new(site: &'a Site, base: &str) -> Self {
        let mut countries: Vec<CountryRow> =
            site.countries.iter().filter(|c| c.totals.incidents > 0).map(|c| CountryRow::new(c, base)).collect();
        countries.sort_by(|a, b| b.totals.incidents.cmp(&a.totals.incidents).then_with(|| a.name.cmp(b.name)));
        countries.truncate(10);
        let mut groups: Vec<GroupRow> =
            site.groups.iter().filter(|g| g.totals.incidents > 0).map(|g| GroupRow::new(site, g, base)).collect();
        groups.sort_by(|a, b| {
            b.totals.incidents.cmp(&a.totals.incidents).then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
        });
        groups.truncate(10);
        HomeView {
            totals: &site.totals,
            country_count: site.countries.iter().filter(|c| c.totals.incidents > 0).count(),
            group_count: site.groups.iter().filter(|g| g.totals.incidents > 0).count(),
            latest: site
                .briefs
                .iter()
                .take(site.config.latest_on_home)
                .map(|b| BriefSummary::new(site, b, base))
                .collect(),
            countries,
            groups,
            map: maps::map(&site.briefs, None, site.config.map_limit, base, &site.edition),
        }
    }

    /// Draws its map (see [`Map::draw`]).
    pub fn draw(&mut self, strings: &Strings) -> Result<(), Diagnostic> {
        draw(&mut self.map, &mut None, strings)
    }
}

/// One brief's own page.
#[derive(Serialize)]
pub struct BriefPageView<'a> {
    pub brief: BriefDetail<'a>,
    /// The next older brief in the same country.
    pub previous: Option<BriefSummary<'a>>,
    /// The next newer brief in the same country.
    pub next: Option<BriefSummary<'a>>,
}

#[derive(Serialize)]
pub struct BriefDetail<'a> {
    #[serde(flatten)]
    pub brief: &'a Brief,
    /// The brief's groups as resolved (the brief as written has names only).
    pub armed_groups: &'a [ResolvedGroup],
    /// Every `extra` field, published or not: templates are the site's own.
    pub extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
    pub url: String,
    pub country_url: String,
    pub groups: Vec<GroupLink<'a>>,
    /// The event type's name in the site's language.
    pub event_type_label: Option<String>,
    pub date_precision: &'static str,
    pub body_html: String,
    /// schema.org `NewsArticle` as JSON, safe to place inside `<script>`.
    pub json_ld: String,
}

/// The brief as schema.org sees it: a `NewsArticle` about the groups (as
/// `Organization`s), located at a `Place` with `GeoCoordinates`.
fn json_ld(site: &Site, b: &ResolvedBrief) -> String {
    // Absolute addresses where the site's is known, else from the site root.
    let origin = super::publish::link_base(&site.config);
    let place_name = [
        b.location.as_deref(),
        b.rare.admin3.as_deref(),
        b.rare.admin2.as_deref(),
        b.admin1.as_deref(),
        Some(b.country_name()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let doc = NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        about: b
            .groups
            .iter()
            .filter_map(|g| site.group(&g.slug))
            .map(|g| Organization {
                kind: "Organization",
                alternate_name: Some(&g.group.aliases),
                name: &g.group.name,
                url: Some(urls::group(&g.group.slug).url(&origin)),
            })
            .collect(),
        content_location: Place {
            kind: "Place",
            geo: b.coordinates.map(|c| GeoCoordinates { kind: "GeoCoordinates", latitude: c.lat, longitude: c.lon }),
            name: place_name,
        },
        date_modified: b.last_modified(),
        date_published: b.published,
        description: b.summary.as_deref().unwrap_or(&b.title),
        headline: &b.title,
        in_language: &site.config.language,
        publisher: Organization { kind: "Organization", alternate_name: None, name: &site.config.title, url: None },
        url: urls::brief(&b.slug).url(&origin),
    };
    let json = serde_json::to_string(&doc).expect("JSON-LD is JSON");
    // `</script>` inside a string must not end the element.
    if json.contains('<') { json.replace('<', "\\u003c") } else { json }
}

// A brief as schema.org reads it (JSON-LD), its keys in the order
// `serde_json` would sort them.

#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    about: Vec<Organization<'a>>,
    #[serde(rename = "contentLocation")]
    content_location: Place,
    #[serde(rename = "dateModified")]
    date_modified: chrono::NaiveDate,
    #[serde(rename = "datePublished")]
    date_published: chrono::NaiveDate,
    description: &'a str,
    headline: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    publisher: Organization<'a>,
    url: String,
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName", skip_serializing_if = "Option::is_none")]
    alternate_name: Option<&'a [String]>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct Place {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo: Option<GeoCoordinates>,
    name: String,
}

#[derive(Serialize)]
struct GeoCoordinates {
    #[serde(rename = "@type")]
    kind: &'static str,
    latitude: f64,
    longitude: f64,
}

impl<'a> BriefPageView<'a> {
    /// The view without its body, which [`draw`](Self::draw) renders.
    pub fn new(site: &'a Site, i: usize, base: &str, strings: &Strings) -> Self {
        let b = &site.briefs[i];
        let (previous, next) = match site.country(b.country.code) {
            Some(c) => {
                // A country's list is in site order, so its positions ascend.
                let at = c.briefs.binary_search(&i).ok();
                let older = at.and_then(|p| c.briefs.get(p + 1));
                let newer = at.and_then(|p| p.checked_sub(1)).and_then(|p| c.briefs.get(p));
                (
                    older.map(|&j| BriefSummary::new(site, &site.briefs[j], base)),
                    newer.map(|&j| BriefSummary::new(site, &site.briefs[j], base)),
                )
            }
            None => (None, None),
        };
        BriefPageView {
            brief: BriefDetail {
                brief: &b.brief,
                armed_groups: &b.groups,
                extra: &b.rare.extra,
                url: urls::brief(&b.slug).url(base),
                country_url: urls::country(b.country.slug).url(base),
                groups: group_links(site, b, base),
                event_type_label: b.event_type.map(|t| strings.text(&format!("event_type.{}", t.name()))),
                date_precision: b.date_precision.name(),
                body_html: String::new(),
                json_ld: json_ld(site, b),
            },
            previous,
            next,
        }
    }

    /// What [`draw`](Self::draw) makes the body from, digested: the text
    /// (by its length and hash), the address each of its links and images
    /// reaches from this page, and what becomes of raw HTML. The rendered
    /// body is a function of these alone.
    pub fn body_inputs(&self, links: &markdown::Links, raw_html: RawHtml) -> u128 {
        let b = self.brief.brief;
        let (len, hash) = b.body.fingerprint();
        let mut digest = super::reuse::Digest::new();
        digest.number(len as u128).number(hash.into()).number(raw_html as u128);
        for (address, _) in b.body_links.iter() {
            digest.text(&links.rebase(address));
        }
        digest.finish()
    }

    /// Renders the body. Fails if the brief's text, read again from its
    /// file, changed since it was checked.
    pub fn draw(&mut self, links: &markdown::Links, raw_html: RawHtml) -> Result<(), Diagnostic> {
        let b = self.brief.brief;
        let text = b.body.read(&b.source_path)?;
        self.brief.body_html = markdown::to_html(&text, links, raw_html);
        Ok(())
    }
}

#[derive(Serialize)]
pub struct CountryRow<'a> {
    pub name: &'a str,
    pub code: &'a str,
    pub alpha3: &'a str,
    pub url: String,
    pub totals: &'a Totals,
}

impl<'a> CountryRow<'a> {
    fn new(c: &'a crate::model::CountryIndex, base: &str) -> Self {
        CountryRow {
            name: c.country.name,
            code: c.country.code,
            alpha3: c.country.alpha3,
            url: urls::country(c.country.slug).url(base),
            totals: &c.totals,
        }
    }
}

#[derive(Serialize)]
pub struct CountriesView<'a> {
    pub countries: Vec<CountryRow<'a>>,
}

impl<'a> CountriesView<'a> {
    pub fn new(site: &'a Site, base: &str) -> Self {
        CountriesView { countries: site.countries.iter().map(|c| CountryRow::new(c, base)).collect() }
    }
}

#[derive(Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
}

impl Paginator {
    fn new(first: &Address, base: &str, current: usize, items: usize, per_page: usize) -> Self {
        let total = super::page_count(items, per_page);
        let url = |n: usize| first.page(n).url(base);
        Paginator {
            current,
            total,
            previous_url: (current > 1).then(|| url(current - 1)),
            next_url: (current < total).then(|| url(current + 1)),
            pages: (1..=total).map(|n| PageLink { number: n, url: url(n) }).collect(),
        }
    }
}

fn page_slice<T>(items: &[T], page: usize, per_page: usize) -> &[T] {
    let start = ((page - 1) * per_page).min(items.len());
    &items[start..(start + per_page).min(items.len())]
}

#[derive(Serialize)]
pub struct CountryView<'a> {
    pub country: CountryRow<'a>,
    pub numeric: Option<u16>,
    pub profile: Option<&'a Profile>,
    pub profile_html: Option<String>,
    /// The profile's language, when it is not the page's (untranslated).
    pub profile_lang: Option<&'a str>,
    pub briefs: Vec<BriefSummary<'a>>,
    /// Incidents and fatalities by month, on the first page.
    pub timeline: Option<Timeline>,
    /// The country and its located briefs, on the first page.
    pub map: Option<Map>,
    pub paginator: Paginator,
    pub downloads: Downloads,
}

impl<'a> CountryView<'a> {
    pub fn new(site: &'a Site, i: usize, page: usize, per_page: usize, links: &markdown::Links) -> Self {
        let base = links.base;
        let c = &site.countries[i];
        let row = CountryRow::new(c, base);
        let paginator = Paginator::new(&urls::country(c.country.slug), base, page, c.briefs.len(), per_page);
        CountryView {
            numeric: c.country.numeric,
            profile: c.profile.as_ref(),
            profile_html: c.profile.as_ref().filter(|_| page == 1).map(|p| match c.text_language {
                Some(_) => {
                    let root = site.edition.root_base(base);
                    let original = markdown::Links::of_original(root, urls::country(c.country.slug).as_str());
                    markdown::to_html(&p.body, &original, site.config.markdown.raw_html)
                }
                None => markdown::to_html(&p.body, links, site.config.markdown.raw_html),
            }),
            profile_lang: c.text_language.as_deref(),
            briefs: page_slice(&c.briefs, page, per_page)
                .iter()
                .map(|&j| BriefSummary::new(site, &site.briefs[j], base))
                .collect(),
            timeline: (page == 1).then(|| charts::timeline(c.briefs.iter().map(|&j| &site.briefs[j]))).flatten(),
            map: (page == 1)
                .then(|| {
                    let briefs = c.briefs.iter().map(|&j| &site.briefs[j]);
                    maps::map(briefs, Some(&c.country), site.config.map_limit, base, &site.edition)
                })
                .flatten(),
            paginator,
            downloads: Downloads::list(&urls::country(c.country.slug), base, site),
            country: row,
        }
    }

    /// Draws its map and timeline (see [`Map::draw`]).
    pub fn draw(&mut self, strings: &Strings) -> Result<(), Diagnostic> {
        draw(&mut self.map, &mut self.timeline, strings)
    }
}

#[derive(Serialize)]
pub struct GroupRow<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub full_name: Option<&'a str>,
    pub aliases: &'a [String],
    #[serde(rename = "type")]
    pub kind: Option<&'static str>,
    pub registered: bool,
    pub affiliation: Option<Link>,
    pub totals: &'a Totals,
}

impl<'a> GroupRow<'a> {
    fn new(site: &'a Site, g: &'a GroupIndex, base: &str) -> Self {
        GroupRow {
            name: &g.group.name,
            slug: &g.group.slug,
            url: urls::group(&g.group.slug).url(base),
            full_name: g.group.full_name.as_deref(),
            aliases: &g.group.aliases,
            kind: g.group.kind.map(|k| k.name()),
            registered: g.group.registered,
            affiliation: g.group.affiliation.as_deref().map(|slug| group_link(site, slug, base)),
            totals: &g.totals,
        }
    }
}

fn group_link(site: &Site, slug: &str, base: &str) -> Link {
    let name = site.group(slug).map_or(slug.to_string(), |g| g.group.name.clone());
    Link { name, url: urls::group(slug).url(base), lang: None }
}

#[derive(Serialize)]
pub struct GroupsView<'a> {
    pub groups: Vec<GroupRow<'a>>,
}

impl<'a> GroupsView<'a> {
    pub fn new(site: &'a Site, base: &str) -> Self {
        GroupsView { groups: site.groups.iter().map(|g| GroupRow::new(site, g, base)).collect() }
    }
}

#[derive(Serialize)]
pub struct GroupEntryView<'a> {
    #[serde(flatten)]
    pub brief: BriefSummary<'a>,
    pub attribution: &'static str,
    /// The affiliate the brief named, when it did not name this group.
    pub via: Option<Link>,
}

/// A country a group is active in; `url` only when the site has a page for it.
#[derive(Serialize)]
pub struct ActiveIn<'a> {
    pub name: &'a str,
    pub url: Option<String>,
}

#[derive(Serialize)]
pub struct GroupView<'a> {
    pub group: GroupRow<'a>,
    pub active_in: Vec<ActiveIn<'a>>,
    pub ancestors: Vec<Link>,
    pub affiliates: Vec<Link>,
    pub profile_html: Option<String>,
    /// The profile's language, when it is not the page's (untranslated).
    pub profile_lang: Option<&'a str>,
    pub entries: Vec<GroupEntryView<'a>>,
    /// Incidents and fatalities by month, affiliates' included, on the first page.
    pub timeline: Option<Timeline>,
    /// Where its located briefs (affiliates' included) happened, on the first page.
    pub map: Option<Map>,
    pub paginator: Paginator,
    pub downloads: Downloads,
}

impl<'a> GroupView<'a> {
    pub fn new(site: &'a Site, i: usize, page: usize, per_page: usize, links: &markdown::Links) -> Self {
        let base = links.base;
        let g = &site.groups[i];
        let row = GroupRow::new(site, g, base);
        let paginator = Paginator::new(&urls::group(&g.group.slug), base, page, g.entries.len(), per_page);
        GroupView {
            active_in: g
                .group
                .active_in
                .iter()
                .map(|c| ActiveIn { name: c.name, url: site.country(c.code).map(|_| urls::country(c.slug).url(base)) })
                .collect(),
            ancestors: g.ancestors.iter().map(|s| group_link(site, s, base)).collect(),
            affiliates: g.affiliates.iter().map(|s| group_link(site, s, base)).collect(),
            profile_html: (page == 1 && !g.group.body.trim().is_empty()).then(|| match g.text_language {
                Some(_) => {
                    let root = site.edition.root_base(base);
                    let original = markdown::Links::of_original(root, urls::group(&g.group.slug).as_str());
                    markdown::to_html(&g.group.body, &original, site.config.markdown.raw_html)
                }
                None => markdown::to_html(&g.group.body, links, site.config.markdown.raw_html),
            }),
            profile_lang: g.text_language.as_deref(),
            entries: page_slice(&g.entries, page, per_page)
                .iter()
                .map(|e| GroupEntryView {
                    brief: BriefSummary::new(site, &site.briefs[e.brief], base),
                    attribution: e.attribution.name(),
                    via: e.via.as_deref().map(|s| group_link(site, s, base)),
                })
                .collect(),
            timeline: (page == 1).then(|| charts::timeline(g.entries.iter().map(|e| &site.briefs[e.brief]))).flatten(),
            map: (page == 1)
                .then(|| {
                    let briefs = g.entries.iter().map(|e| &site.briefs[e.brief]);
                    maps::map(briefs, None, site.config.map_limit, base, &site.edition)
                })
                .flatten(),
            paginator,
            downloads: Downloads::list(&urls::group(&g.group.slug), base, site),
            group: row,
        }
    }

    /// Draws its map and timeline (see [`Map::draw`]).
    pub fn draw(&mut self, strings: &Strings) -> Result<(), Diagnostic> {
        draw(&mut self.map, &mut self.timeline, strings)
    }
}

#[derive(Serialize)]
pub struct YearRow<'a> {
    pub year: i32,
    pub url: String,
    pub totals: &'a Totals,
}

#[derive(Serialize)]
pub struct ArchiveView<'a> {
    pub totals: &'a Totals,
    pub years: Vec<YearRow<'a>>,
    /// The whole site by month.
    pub timeline: Option<Timeline>,
}

impl<'a> ArchiveView<'a> {
    pub fn new(site: &'a Site, base: &str) -> Self {
        ArchiveView {
            totals: &site.totals,
            years: site
                .years
                .iter()
                .map(|y| YearRow { year: y.year, url: urls::year(y.year).url(base), totals: &y.totals })
                .collect(),
            timeline: charts::timeline(&site.briefs),
        }
    }

    /// Draws its timeline (see [`Map::draw`]).
    pub fn draw(&mut self, strings: &Strings) -> Result<(), Diagnostic> {
        draw(&mut None, &mut self.timeline, strings)
    }
}

#[derive(Serialize)]
pub struct MonthGroup<'a> {
    /// `September 2023`
    pub name: String,
    pub briefs: Vec<BriefSummary<'a>>,
}

#[derive(Serialize)]
pub struct YearView<'a> {
    pub year: i32,
    pub totals: &'a Totals,
    pub months: Vec<MonthGroup<'a>>,
    pub newer: Option<YearRow<'a>>,
    pub older: Option<YearRow<'a>>,
    pub paginator: Paginator,
}

impl<'a> YearView<'a> {
    pub fn new(site: &'a Site, i: usize, page: usize, per_page: usize, base: &str, strings: &Strings) -> Self {
        let y = &site.years[i];
        let mut months: Vec<MonthGroup> = Vec::new();
        for &j in page_slice(&y.briefs, page, per_page) {
            let b = &site.briefs[j];
            let name = strings.month(b.date);
            match months.last_mut() {
                Some(m) if m.name == name => m.briefs.push(BriefSummary::new(site, b, base)),
                _ => months.push(MonthGroup { name, briefs: vec![BriefSummary::new(site, b, base)] }),
            }
        }
        let row = |k: usize| {
            site.years.get(k).map(|y| YearRow { year: y.year, url: urls::year(y.year).url(base), totals: &y.totals })
        };
        YearView {
            year: y.year,
            totals: &y.totals,
            months,
            newer: i.checked_sub(1).and_then(row),
            older: row(i + 1),
            paginator: Paginator::new(&urls::year(y.year), base, page, y.briefs.len(), per_page),
        }
    }
}

#[derive(Serialize)]
pub struct PlainPageView<'a> {
    pub page: &'a Page,
    pub body_html: String,
}

impl<'a> PlainPageView<'a> {
    pub fn new(site: &'a Site, i: usize, links: &markdown::Links) -> Self {
        let page = &site.pages[i];
        PlainPageView { page, body_html: markdown::to_html(&page.body, links, site.config.markdown.raw_html) }
    }
}

#[derive(Serialize)]
pub struct NotFoundView {}

/// The search page: where Pagefind's bundle is, and the indices to browse
/// without JavaScript.
#[derive(Serialize)]
pub struct SearchView {
    pub bundle_url: String,
    pub countries_url: String,
    pub groups_url: String,
    pub archive_url: String,
}

impl SearchView {
    pub fn new(_site: &Site, base: &str) -> Self {
        SearchView {
            bundle_url: format!("{base}{}/", super::search::BUNDLE),
            countries_url: urls::countries().url(base),
            groups_url: urls::groups().url(base),
            archive_url: urls::archive().url(base),
        }
    }
}

#[derive(Serialize)]
pub struct RedirectView {
    pub target: String,
}

/// Draws a list page's map and timeline, those it has, once the page is
/// to be rendered (see [`Map::draw`]).
fn draw(map: &mut Option<Map>, timeline: &mut Option<Timeline>, strings: &Strings) -> Result<(), Diagnostic> {
    if let Some(map) = map {
        map.draw(strings)?;
    }
    if let Some(timeline) = timeline {
        timeline.draw(strings)?;
    }
    Ok(())
}
