//! A generated site of 1,000 briefs over 30 countries and 200 groups: every
//! index is checked against totals, orderings and pages computed here,
//! independently of sitrep, from the generator's record of what it wrote.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

#[path = "../support/synthetic.rs"]
#[allow(dead_code)]
mod generator;

use crate::harness::SiteTest;
use generator::{GenBrief, Generated};

const BRIEFS: usize = 1_000;
const PER_PAGE: usize = 20;
const ARCHIVE_PER_PAGE: usize = 100;

/// Built once and shared: building 1,000 briefs for every test would be slow.
pub(crate) fn built() -> &'static (SiteTest, Generated) {
    static SITE: OnceLock<(SiteTest, Generated)> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = SiteTest::new();
        let generated = generator::write_site(site.root(), BRIEFS, 42).unwrap();
        let run = site.build().success();
        assert!(run.stderr().is_empty(), "{}", run.stderr());
        (site, generated)
    })
}

/// Newest first; ties by slug, as documented.
fn newest_first(mut briefs: Vec<&GenBrief>) -> Vec<&GenBrief> {
    briefs.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    briefs
}

fn human_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap().format("%-d %B %Y").to_string()
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The slugs an index lists, reading every one of its pages in order.
fn listed_slugs(site: &SiteTest, dir: &str, items: usize, per_page: usize) -> Vec<String> {
    let pages = items.div_ceil(per_page).max(1);
    let mut slugs = Vec::new();
    for p in 1..=pages {
        let rel = if p == 1 { format!("{dir}index.html") } else { format!("{dir}page/{p}/index.html") };
        let page = site.page(&rel);
        let on_page: Vec<String> = page
            .attrs(".brief-list h3 a", "href")
            .into_iter()
            .map(|h| h.trim_start_matches("/briefs/").trim_end_matches('/').to_string())
            .collect();
        assert!(!on_page.is_empty() || items == 0, "{rel} lists nothing");
        assert!(on_page.len() <= per_page, "{rel} lists {} briefs", on_page.len());
        slugs.extend(on_page);
    }
    assert!(!site.exists(&format!("{dir}page/{}/index.html", pages + 1)), "{dir} has too many pages");
    slugs
}

#[test]
fn country_index_rows_match_the_generated_briefs() {
    let (site, generated) = built();
    let mut expected = Vec::new();
    let mut by_country: BTreeMap<&str, Vec<&GenBrief>> = BTreeMap::new();
    for b in &generated.briefs {
        by_country.entry(b.country).or_default().push(b);
    }
    let mut names: Vec<(&str, &str)> = generator::COUNTRIES.iter().map(|(c, n)| (*n, *c)).collect();
    names.sort();
    for (name, code) in names {
        let Some(list) = by_country.get(code) else { continue };
        let killed: u64 = list.iter().map(|b| b.best).sum();
        let first = list.iter().map(|b| &b.date).min().unwrap();
        let latest = list.iter().map(|b| &b.date).max().unwrap();
        expected.push(format!(
            "{name} {} {} {} {}",
            list.len(),
            thousands(killed),
            human_date(first),
            human_date(latest)
        ));
    }
    assert_eq!(expected.len(), 30, "the generator should use all 30 countries");
    assert_eq!(site.page("countries/index.html").texts(".index-table tbody tr"), expected);
}

#[test]
fn every_country_lists_its_briefs_newest_first_across_pages() {
    let (site, generated) = built();
    for (code, _) in generator::COUNTRIES {
        let list = newest_first(generated.briefs.iter().filter(|b| b.country == code).collect());
        let expected: Vec<String> = list.iter().map(|b| b.slug.clone()).collect();
        let dir = format!("countries/{}/", code.to_lowercase());
        assert_eq!(listed_slugs(site, &dir, list.len(), PER_PAGE), expected, "{dir}");
    }
}

/// The groups each brief counts for: those it names and all their parents.
fn rolled_up(generated: &Generated) -> BTreeMap<String, BTreeSet<String>> {
    let parent: BTreeMap<&str, &str> =
        generated.groups.iter().filter_map(|g| g.parent.as_deref().map(|p| (g.slug.as_str(), p))).collect();
    let mut members: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for b in &generated.briefs {
        for g in &b.groups {
            let mut current = Some(g.as_str());
            while let Some(slug) = current {
                members.entry(slug.to_string()).or_default().insert(b.slug.clone());
                current = parent.get(slug).copied();
            }
        }
    }
    members
}

#[test]
fn group_index_rows_include_affiliates() {
    let (site, generated) = built();
    let members = rolled_up(generated);
    let by_slug: BTreeMap<&str, &GenBrief> = generated.briefs.iter().map(|b| (b.slug.as_str(), b)).collect();
    let names: BTreeMap<&str, &str> = generated.groups.iter().map(|g| (g.slug.as_str(), g.name.as_str())).collect();
    let expected: Vec<String> = generated
        .groups
        .iter()
        .map(|g| {
            let parent = g.parent.as_deref().map(|p| format!("{} ", names[p])).unwrap_or_default();
            let list: Vec<&GenBrief> =
                members.get(&g.slug).into_iter().flatten().map(|s| by_slug[s.as_str()]).collect();
            let mut row = format!("{} {parent}{} {}", g.name, list.len(), thousands(list.iter().map(|b| b.best).sum()));
            if !list.is_empty() {
                let first = list.iter().map(|b| &b.date).min().unwrap();
                let latest = list.iter().map(|b| &b.date).max().unwrap();
                row.push_str(&format!(" {} {}", human_date(first), human_date(latest)));
            }
            row
        })
        .collect();
    assert!(generated.groups.iter().any(|g| g.parent.is_some()), "the generator should make affiliates");
    assert_eq!(site.page("groups/index.html").texts(".index-table tbody tr"), expected);
}

#[test]
fn every_group_lists_its_own_and_its_affiliates_briefs_across_pages() {
    let (site, generated) = built();
    let members = rolled_up(generated);
    let by_slug: BTreeMap<&str, &GenBrief> = generated.briefs.iter().map(|b| (b.slug.as_str(), b)).collect();
    for g in &generated.groups {
        let list = newest_first(members.get(&g.slug).into_iter().flatten().map(|s| by_slug[s.as_str()]).collect());
        let expected: Vec<String> = list.iter().map(|b| b.slug.clone()).collect();
        assert_eq!(listed_slugs(site, &format!("groups/{}/", g.slug), list.len(), PER_PAGE), expected, "{}", g.slug);
    }
}

#[test]
fn archive_counts_every_year() {
    let (site, generated) = built();
    let mut years: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
    for b in &generated.briefs {
        let y = years.entry(&b.date[..4]).or_default();
        y.0 += 1;
        y.1 += b.best;
    }
    let expected: Vec<String> = years.iter().rev().map(|(y, (n, k))| format!("{y} {n} {}", thousands(*k))).collect();
    assert_eq!(site.page("archive/index.html").texts(".index-table tbody tr"), expected);
    for (year, (n, _)) in years {
        let expected: Vec<String> =
            newest_first(generated.briefs.iter().filter(|b| b.date.starts_with(year)).collect())
                .iter()
                .map(|b| b.slug.clone())
                .collect();
        assert_eq!(expected.len(), n);
        assert_eq!(listed_slugs(site, &format!("archive/{year}/"), n, ARCHIVE_PER_PAGE), expected, "archive/{year}");
    }
}

#[test]
fn home_shows_the_latest_briefs_and_site_totals() {
    let (site, generated) = built();
    let latest: Vec<String> =
        newest_first(generated.briefs.iter().collect()).iter().take(10).map(|b| b.title.clone()).collect();
    let home = site.page("index.html");
    assert_eq!(home.texts(".brief-list h3"), latest);
    let killed: u64 = generated.briefs.iter().map(|b| b.best).sum();
    assert_eq!(home.texts(".totals dd")[..2], [thousands(BRIEFS as u64), thousands(killed)]);
}

#[test]
fn every_internal_link_of_the_generated_site_resolves() {
    let (site, _) = built();
    let checked = site.assert_internal_links_resolve("/");
    assert!(checked > 20_000, "only {checked} links checked");
}

/// (month as `September 2023`, incidents, killed) for each month with a
/// brief, newest first, computed from the generator's record.
fn by_month<'a>(briefs: impl IntoIterator<Item = &'a GenBrief>) -> Vec<(String, usize, u64)> {
    let mut months: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
    for b in briefs {
        let m = months.entry(&b.date[..7]).or_default();
        m.0 += 1;
        m.1 += b.best;
    }
    months
        .iter()
        .rev()
        .map(|(m, &(n, k))| {
            let first = chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").unwrap();
            (first.format("%B %Y").to_string(), n, k)
        })
        .collect()
}

/// Checks a page's timeline against the months computed here: its table
/// row by row, and each chart bar by bar (one bar per month with a value,
/// titled with the month and the value, heights in proportion).
fn assert_timeline(site: &SiteTest, rel: &str, expected: &[(String, usize, u64)]) {
    let page = site.page(rel);
    let rows: Vec<String> = expected.iter().map(|(m, n, k)| format!("{m} {n} {}", thousands(*k))).collect();
    assert_eq!(page.texts(".timeline .months-table tbody tr"), rows, "{rel}");
    for (chart, value) in [("incidents", 1), ("killed", 2)] {
        let svg = format!("#timeline-{chart}-title + svg");
        let titles = page.texts(&format!("{svg} rect title"));
        let mut wanted: Vec<String> = expected
            .iter()
            .map(|e| (e.0.clone(), if value == 1 { e.1 as u64 } else { e.2 }))
            .filter(|(_, v)| *v > 0)
            .map(|(m, v)| format!("{m}: {}", thousands(v)))
            .collect();
        wanted.reverse();
        assert_eq!(titles, wanted, "{rel}: bars of {chart}, oldest first");
        let heights: Vec<f64> =
            page.attrs(&format!("{svg} rect"), "height").iter().map(|h| h.parse().unwrap()).collect();
        let values: Vec<f64> =
            titles.iter().map(|t| t.rsplit(": ").next().unwrap().replace(',', "").parse().unwrap()).collect();
        let scale = heights[0] / values[0];
        for (h, v) in heights.iter().zip(&values) {
            assert!((h - v * scale).abs() < 0.05, "{rel}: {chart} bar of {v} is {h} high, not {}", v * scale);
        }
    }
}

#[test]
fn country_group_and_archive_timelines_count_every_month() {
    let (site, generated) = built();
    for (code, _) in generator::COUNTRIES.iter().take(5) {
        let expected = by_month(generated.briefs.iter().filter(|b| b.country == *code));
        assert_timeline(site, &format!("countries/{}/index.html", code.to_lowercase()), &expected);
        // Later pages of the list carry no timeline.
        if site.exists(&format!("countries/{}/page/2/index.html", code.to_lowercase())) {
            let page2 = site.page(&format!("countries/{}/page/2/index.html", code.to_lowercase()));
            assert!(page2.texts(".timeline").is_empty());
        }
    }
    let members = rolled_up(generated);
    let by_slug: BTreeMap<&str, &GenBrief> = generated.briefs.iter().map(|b| (b.slug.as_str(), b)).collect();
    let parent = generated.groups.iter().find_map(|g| g.parent.clone()).expect("the generator makes affiliates");
    let expected = by_month(members[&parent].iter().map(|s| by_slug[s.as_str()]));
    assert_timeline(site, &format!("groups/{parent}/index.html"), &expected);
    assert_timeline(site, "archive/index.html", &by_month(&generated.briefs));
}

/// Checks a page's map against the located briefs it should show (newest
/// first): one point per brief linking to its page and named with its
/// title, points placed in the order of their longitudes and latitudes,
/// faint circles for rough places, and the table of the same briefs.
fn assert_map(site: &SiteTest, rel: &str, briefs: &[&GenBrief]) {
    let page = site.page(rel);
    let located: Vec<&&GenBrief> = briefs.iter().filter(|b| b.coordinates.is_some()).collect();
    let mut expected: Vec<String> = located.iter().map(|b| format!("/briefs/{}/", b.slug)).collect();
    let mut linked = page.attrs(".map-points a", "href");
    assert_eq!(linked.len(), located.len(), "{rel}: one point per located brief");
    expected.sort();
    linked.sort();
    assert_eq!(linked, expected, "{rel}");
    // Each point where its brief is: sorted by longitude, the points run
    // left to right; by latitude, bottom to top.
    let cx: Vec<f64> = page.attrs(".map-points circle", "cx").iter().map(|v| v.parse().unwrap()).collect();
    let cy: Vec<f64> = page.attrs(".map-points circle", "cy").iter().map(|v| v.parse().unwrap()).collect();
    let hrefs = page.attrs(".map-points a", "href");
    let by_slug: BTreeMap<String, (f64, f64)> =
        located.iter().map(|b| (format!("/briefs/{}/", b.slug), b.coordinates.unwrap())).collect();
    let mut placed: Vec<((f64, f64), (f64, f64))> =
        hrefs.iter().zip(cx.iter().zip(&cy)).map(|(h, (&x, &y))| (by_slug[h], (x, y))).collect();
    placed.sort_by(|a, b| a.0.1.total_cmp(&b.0.1));
    assert!(placed.windows(2).all(|w| w[0].1.0 <= w[1].1.0 + 0.1), "{rel}: x against longitude");
    placed.sort_by(|a, b| a.0.0.total_cmp(&b.0.0));
    assert!(placed.windows(2).all(|w| w[0].1.1 + 0.1 >= w[1].1.1), "{rel}: y against latitude");
    // Named for screen readers by their titles; rough places drawn faint.
    let labels = page.attrs(".map-points a", "aria-label");
    for (href, label) in hrefs.iter().zip(&labels) {
        let brief = located.iter().find(|b| format!("/briefs/{}/", b.slug) == *href).unwrap();
        assert!(label.starts_with(&format!("{}, ", brief.title)), "{rel}: {label}");
    }
    let rough = located.iter().filter(|b| b.geo_precision != "exact").count();
    assert_eq!(page.attrs(".map-points circle.map-near, .map-points circle.map-region", "r").len(), rough, "{rel}");
    // The table lists the same briefs with their coordinates.
    let rows = page.texts(".map-table tbody tr");
    assert_eq!(rows.len(), located.len(), "{rel}");
    for b in &located {
        let (lat, lon) = b.coordinates.unwrap();
        assert!(
            rows.iter().any(|r| r.starts_with(&b.title) && r.contains(&format!(" {lat} {lon} "))),
            "{rel}: {}",
            b.slug
        );
    }
}

#[test]
fn country_group_and_home_maps_show_every_located_brief() {
    let (site, generated) = built();
    assert!(generated.briefs.iter().any(|b| b.coordinates.is_none()), "some briefs have no place");
    for (code, _) in generator::COUNTRIES.iter().take(6) {
        let briefs: Vec<&GenBrief> = generated.briefs.iter().filter(|b| b.country == *code).collect();
        let rel = format!("countries/{}/index.html", code.to_lowercase());
        assert_map(site, &rel, &briefs);
        let unlocated = briefs.iter().filter(|b| b.coordinates.is_none()).count();
        let caption = site.page(&rel).text(".map figcaption");
        assert!(caption.contains(&format!("; {unlocated} without coordinates")) || unlocated == 0, "{caption}");
        // The country the map is of is drawn apart from its neighbours.
        assert_eq!(site.page(&rel).attrs(".map-land path.map-focus", "d").len(), 1, "{rel}");
    }
    let members = rolled_up(generated);
    let by_slug: BTreeMap<&str, &GenBrief> = generated.briefs.iter().map(|b| (b.slug.as_str(), b)).collect();
    let parent = generated.groups.iter().find_map(|g| g.parent.clone()).unwrap();
    let briefs: Vec<&GenBrief> = members[&parent].iter().map(|s| by_slug[s.as_str()]).collect();
    assert_map(site, &format!("groups/{parent}/index.html"), &briefs);
    // The home page: the newest 500 located briefs (`map_limit`), and how
    // many older ones are left off.
    let newest: Vec<String> = newest_first(generated.briefs.iter().filter(|b| b.coordinates.is_some()).collect())
        .iter()
        .take(500)
        .map(|b| format!("/briefs/{}/", b.slug))
        .collect();
    let located = generated.briefs.iter().filter(|b| b.coordinates.is_some()).count();
    assert!(located > 500, "the generator should locate more briefs than a map shows");
    let home = site.page("index.html");
    let mut shown = home.attrs(".map-points a", "href");
    shown.sort();
    let mut newest = newest;
    newest.sort();
    assert_eq!(shown, newest);
    let caption = home.text(".map figcaption");
    assert!(
        caption.contains(&format!("the newest; {} older not shown", thousands((located - 500) as u64))),
        "{caption}"
    );
}
