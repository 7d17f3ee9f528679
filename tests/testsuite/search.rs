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

/// Every file of the bundle, by path.
fn bundle(public: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(public.join("pagefind"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (e.path().strip_prefix(public).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn the_index_is_made_again_only_when_a_brief_page_changed_and_then_as_if_from_nothing() {
    let site = SiteTest::fixture("briefs");
    let briefs = |run: &crate::harness::Run| {
        let said = run.stdout();
        said.lines().find(|l| l.starts_with("search index: ")).map(str::to_string).unwrap_or_else(|| panic!("{said}"))
    };
    let first = site.build().success();
    let pages = site.output_files().iter().filter(|f| f.starts_with("briefs/") && f.ends_with("/index.html")).count();
    assert_eq!(briefs(&first), format!("search index: made from {pages} brief pages"));
    // Nothing changed: the index is not made again (nor written).
    let again = site.build().success();
    assert_eq!(briefs(&again), "search index: kept as it was (no brief page changed)");
    assert!(again.stdout().contains(" 0 written"), "{}", again.stdout());

    // A brief that is neither the first nor the last the index takes.
    let path = site.root().join("content/briefs/2022/2022-02-14-synthetic-village.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{text}\nA synthetic sentence about a quokka, added by the test.\n")).unwrap();
    let changed = site.build().success();
    assert_eq!(briefs(&changed), format!("search index: made from {pages} brief pages"));
    // The same bundle, byte for byte, as a build of the same site into an
    // empty folder (whose index holds the new sentence, in a compressed
    // fragment): the pages before the changed one went into it as they are.
    let fresh = site.root().join("fresh");
    site.run(&["build", "--output", fresh.to_str().unwrap()]).success();
    let made = bundle(&site.public());
    assert!(made.len() > 5, "{:?}", made.keys());
    assert_eq!(made, bundle(&fresh));

    // A file of the bundle changed by hand is not taken for sitrep's: the
    // index is made again, and the file is as a build makes it.
    let entry = site.public().join("pagefind/pagefind-entry.json");
    std::fs::write(&entry, "{}").unwrap();
    let repaired = site.build().success();
    assert_eq!(briefs(&repaired), format!("search index: made from {pages} brief pages"));
    assert_eq!(bundle(&site.public()), bundle(&fresh));
}
