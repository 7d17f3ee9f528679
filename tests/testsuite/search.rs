//! Search (issue 14): Pagefind's bundle built in-process from the brief
//! pages, a search page and a search box, on sites that ask for it
//! (`search: true`). (The browser test `tests/browser/search.test.mjs` searches.)

use serde_json::Value;

use crate::harness::SiteTest;

#[test]
fn the_bundle_indexes_every_brief_page_with_its_filters() {
    let site = SiteTest::fixture("briefs");
    site.build().success();
    for file in ["pagefind/pagefind.js", "pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css", "search/index.html"] {
        assert!(site.exists(file), "{file}");
    }
    let entry: Value = serde_json::from_str(&site.read("pagefind/pagefind-entry.json")).unwrap();
    let briefs = site.output_files().iter().filter(|f| f.starts_with("briefs/") && f.ends_with("/index.html")).count();
    assert_eq!(entry["languages"]["en"]["page_count"], briefs, "{entry}");
    // What a search can narrow by, marked on each brief page.
    let page = site.page("briefs/2022-02-14-synthetic-village/index.html");
    assert_eq!(page.texts("[data-pagefind-filter=country]"), ["Mali"]);
    assert_eq!(page.texts("[data-pagefind-filter=group]"), ["Synthetic Army", "Synthetic Contractors"]);
    assert_eq!(page.texts("[data-pagefind-filter=year]"), ["2022"]);
    assert_eq!(page.texts("[data-pagefind-sort=date]"), ["2022-02-14"]);
    // Every page has the search box; it leads to the search page.
    assert_eq!(site.page("index.html").attrs("form[role=search]", "action"), ["/search/"]);
    // The index is part of the output like any file: a rebuild of the
    // same site writes none of it again.
    let before = std::fs::metadata(site.public().join("pagefind/pagefind-entry.json")).unwrap().modified().unwrap();
    let run = site.build().success();
    assert!(run.stdout().contains(" 0 written"), "{}", run.stdout());
    let after = std::fs::metadata(site.public().join("pagefind/pagefind-entry.json")).unwrap().modified().unwrap();
    assert_eq!(before, after);
}

#[test]
fn search_is_off_unless_asked_for() {
    let site = SiteTest::fixture("briefs");
    site.build().success();
    assert!(site.exists("pagefind/pagefind.js"));
    // Without `search: true` (the fixture sets it), none of it is made,
    // and what was made before is removed.
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap().replace("search: true", "");
    site.file("site.yaml", &config);
    site.build().success();
    assert!(!site.exists("pagefind/pagefind.js") && !site.exists("search/index.html"));
    assert!(site.page("index.html").attrs("form[role=search]", "action").is_empty());
    assert!(!site.read("briefs/2022-02-14-synthetic-village/index.html").contains("data-pagefind"));
}

#[test]
fn a_plain_page_cannot_take_the_search_pages_address() {
    let site = SiteTest::new();
    site.file("content/search.md", "---\ntitle: Our search\n---\nText.\n");
    let said = site.check().problems();
    assert!(said.contains("error[reserved-path]: the page would be at /search/"), "{said}");
}

#[test]
fn an_alias_cannot_take_the_search_page_or_the_index() {
    let site = SiteTest::new();
    site.file("site.yaml", "title: T\nbase_url: /\nsearch: true\n");
    let brief =
        |aliases: &str| format!("---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\naliases: [{aliases}]\n---\n");
    site.file("content/briefs/a.md", &brief("/search/"));
    site.file("content/briefs/b.md", &brief("/pagefind/pagefind-ui.js/"));
    site.file("content/briefs/c.md", &brief("/countries/"));
    let said = site.check().problems();
    assert!(said.contains("alias `/search/` is already the address of a page of the site itself"), "{said}");
    assert!(said.contains("alias `/pagefind/pagefind-ui.js/` is already the address of the search index"), "{said}");
    assert!(said.contains("alias `/countries/` is already the address of a page of the site itself"), "{said}");
}

#[test]
fn a_search_setting_of_the_wrong_kind_says_what_it_takes() {
    let site = SiteTest::new();
    site.file("site.yaml", "title: T\nbase_url: /\nsearch: maybe\n");
    let said = site.check().problems();
    assert!(
        said.contains("error[config]: search: invalid type: string \"maybe\", expected a boolean\n  --> site.yaml:3:9"),
        "{said}"
    );
    assert!(said.contains("= help: this value must be `true` or `false`"), "{said}");
}
