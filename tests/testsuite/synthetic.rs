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
