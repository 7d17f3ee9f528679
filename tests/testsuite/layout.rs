//! The URL layout: pretty URLs, pagination, archives, plain pages, alias
//! redirects, and links that work under a GitHub Pages sub-path.

use crate::harness::SiteTest;

#[test]
fn every_kind_of_page_has_its_pretty_url() {
    let site = SiteTest::fixture("layout");
    site.build().success();
    let mut html: Vec<String> = site.output_files().into_iter().filter(|f| f.ends_with(".html")).collect();
    html.sort();
    insta::assert_snapshot!(html.join("\n"));
}

#[test]
fn country_index_lists_briefs_newest_first_across_pages() {
    let site = SiteTest::fixture("layout");
    site.build().success();
    // Five Niger briefs, two per page (paginate_by: 2).
    let titles = |rel: &str| site.page(rel).texts(".brief-list h3");
    assert_eq!(titles("countries/ne/index.html"), ["Synthetic brief using every field", "Synthetic Niger brief 4"]);
    assert_eq!(titles("countries/ne/page/2/index.html"), ["Synthetic Niger brief 3", "Synthetic Niger brief 2"]);
    assert_eq!(titles("countries/ne/page/3/index.html"), ["Synthetic Niger brief 1"]);
    assert!(!site.exists("countries/ne/page/4/index.html"));
    let second = site.page("countries/ne/page/2/index.html");
    assert_eq!(second.attrs(".pagination a[rel=prev]", "href"), ["/countries/ne/"]);
    assert_eq!(second.attrs(".pagination a[rel=next]", "href"), ["/countries/ne/page/3/"]);
    assert_eq!(second.attrs(".pagination a[aria-current=page]", "href"), ["/countries/ne/page/2/"]);
    // Totals cover every page, not just the first; the profile shows on page 1 only.
    let first = site.page("countries/ne/index.html");
    assert_eq!(first.texts(".totals dd")[..2], ["5".to_string(), "19".to_string()]);
    assert!(first.text(".profile").contains("synthetic profile of Niger"));
    assert!(second.texts(".profile").is_empty());
}

#[test]
fn countries_index_has_counts_fatalities_and_date_ranges() {
    let site = SiteTest::fixture("layout");
    site.build().success();
    let rows = site.page("countries/index.html").texts(".index-table tbody tr");
    assert_eq!(rows, ["Burkina Faso 1 7 31 December 2022 31 December 2022", "Niger 5 19 15 January 2023 10 May 2023"]);
}

#[test]
fn archive_groups_briefs_by_year_and_month() {
    let site = SiteTest::fixture("layout");
    site.build().success();
    assert_eq!(site.page("archive/index.html").texts(".index-table tbody tr"), ["2023 5 19", "2022 1 7"]);
    let year = site.page("archive/2023/index.html");
    assert_eq!(year.texts("main h2"), ["May 2023", "April 2023", "March 2023", "February 2023", "January 2023"]);
    assert_eq!(year.attrs(".prev-next a[rel=prev]", "href"), ["/archive/2022/"]);
}

#[test]
fn brief_page_links_to_its_neighbours_in_the_same_country() {
    let site = SiteTest::fixture("layout");
    site.build().success();
    let page = site.page("briefs/ne-2/index.html");
    assert_eq!(page.attrs(".prev-next a[rel=prev]", "href"), ["/briefs/ne-1/"]);
    assert_eq!(page.attrs(".prev-next a[rel=next]", "href"), ["/briefs/ne-3/"]);
    // The Burkina Faso brief is alone in its country.
    assert!(site.page("briefs/bf-1/index.html").texts(".prev-next").is_empty());
}

#[test]
fn aliases_redirect_to_the_new_address() {
    let site = SiteTest::fixture("layout");
    site.build().success();
    for (alias, target) in [
        ("old/full-brief/index.html", "/briefs/full/"),
        ("legacy/full.html", "/briefs/full/"),
        ("people/index.html", "/about/team/"),
    ] {
        let page = site.page(alias);
        assert_eq!(page.attrs("meta[http-equiv=refresh]", "content"), [format!("0; url={target}")], "{alias}");
        assert_eq!(page.attrs("link[rel=canonical]", "href"), [target], "{alias}");
    }
}

#[test]
fn links_are_correct_under_a_sub_path_base_url() {
    let site = SiteTest::fixture("layout");
    site.run(&["build", "--base-url", "https://org.github.io/briefs/"]).success();
    let checked = site.assert_internal_links_resolve("/briefs/");
    assert!(checked > 50, "only {checked} links checked");
    let brief = site.page("briefs/full/index.html");
    // Root-relative links written in Markdown get the sub-path too.
    assert!(brief.links().contains(&"/briefs/about/team/#members".to_string()), "{:?}", brief.links());
    assert_eq!(brief.attrs("link[rel=stylesheet]", "href"), ["/briefs/style.css"]);
    assert_eq!(site.page("people/index.html").attrs("link[rel=canonical]", "href"), ["/briefs/about/team/"]);
    // The 404 page is served at any depth, so its links must be absolute paths.
    let links = site.page("404.html").links();
    assert!(links.iter().filter(|l| !l.starts_with('#')).all(|l| l.starts_with("/briefs/")), "{links:?}");
}

#[test]
fn base_url_from_site_yaml_is_used_without_the_flag() {
    let site = SiteTest::fixture("layout");
    let config = std::fs::read_to_string(site.root().join("site.yaml"))
        .unwrap()
        .replace("base_url: /", "base_url: https://example.org/sub/dir");
    site.file("site.yaml", &config);
    site.build().success();
    site.assert_internal_links_resolve("/sub/dir/");
}

#[test]
fn markdown_headings_get_anchors_that_links_can_use() {
    let site = SiteTest::fixture("layout");
    site.build().success();
    let team = site.page("about/team/index.html");
    assert_eq!(team.attrs("h2[id]", "id"), ["members"]);
    // The one h1 is the page title; a `#` heading in the body becomes h2.
    let brief = site.page("briefs/full/index.html");
    assert_eq!(brief.texts("h1"), ["Synthetic brief using every field"]);
}

#[test]
fn navigation_marks_the_section_the_reader_is_in() {
    let site = SiteTest::fixture("layout");
    site.build().success();
    let current = |rel: &str| site.page(rel).attrs("header nav a[aria-current=page]", "href");
    assert_eq!(current("countries/ne/page/2/index.html"), ["/countries/"]);
    assert_eq!(current("groups/group-a/index.html"), ["/groups/"]);
    assert_eq!(current("about/team/index.html"), ["/about/"]);
    assert!(current("index.html").is_empty());
}

#[test]
fn an_alias_that_is_already_an_address_or_claimed_twice_is_an_error() {
    let site = SiteTest::new();
    site.file("content/briefs/a.md", "---\ntitle: Synthetic A\ndate: 2023-01-01\ncountry: NE\n---\n");
    site.file(
        "content/briefs/b.md",
        "---\ntitle: Synthetic B\ndate: 2023-01-02\ncountry: NE\naliases: [/briefs/a/, /old/b/]\n---\n",
    );
    site.file("content/about.md", "---\ntitle: About\naliases: [/old/b]\n---\n");
    let problems = site.check().problems();
    assert!(problems.contains("alias `/briefs/a/` is already the address of content/briefs/a.md"), "{problems}");
    assert!(problems.contains("alias `/old/b` is already the address of content/briefs/b.md"), "{problems}");
    assert_eq!(problems.matches("error[alias-clash]").count(), 2, "{problems}");
}
