//! A site builds into every page type, with working links, no external
//! requests, and identical bytes every time. What a brief page shows is
//! tested on the synthetic fixture `briefs`; the repository's own sample
//! site is built once, to prove that it builds, without assertions about
//! its briefs (editors add briefs there).

use std::path::Path;

use serde_json::Value;

use crate::harness::{SiteTest, copy_dir};

/// A copy of the repository's own sample site (`content/`, `templates/`,
/// `static/`, `site.yaml`). Only `sample_site_builds_every_page_type` and
/// the HTML check of its French pages use it; every other test uses a
/// fixture under `tests/fixtures/`.
pub fn the_repositorys_sample_site() -> SiteTest {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = SiteTest::new();
    for part in ["content", "templates", "static"] {
        copy_dir(&repo.join(part), &site.root().join(part));
    }
    std::fs::copy(repo.join("site.yaml"), site.root().join("site.yaml")).unwrap();
    site
}

/// The sample site builds without a warning into every page type, with
/// working links and no external requests. Which briefs, countries and
/// groups it has is read from what it built, never written here, so that
/// adding a brief to `content/` cannot break this test.
#[test]
fn sample_site_builds_every_page_type() {
    let site = the_repositorys_sample_site();
    let run = site.build().success();
    assert!(run.stderr().is_empty(), "the sample site should build without warnings:\n{}", run.stderr());
    for page in [
        "index.html",
        "404.html",
        "style.css",
        "atom.xml",
        "feed.json",
        "data/incidents.csv",
        "countries/index.html",
        "groups/index.html",
        "archive/index.html",
    ] {
        assert!(site.exists(page), "missing {page}");
    }
    // Every published brief has its page, its country's page and its year's page.
    let briefs: Value = serde_json::from_str(&site.read("data/incidents.json")).unwrap();
    let briefs = briefs.as_array().expect("incidents.json is a list");
    assert!(!briefs.is_empty(), "the sample site has briefs");
    for brief in briefs {
        let slug = brief["slug"].as_str().unwrap();
        let country = brief["country"]["slug"].as_str().unwrap();
        let year = &brief["date"].as_str().unwrap()[..4];
        for page in [
            format!("briefs/{slug}/index.html"),
            format!("countries/{country}/index.html"),
            format!("archive/{year}/index.html"),
        ] {
            assert!(site.exists(&page), "missing {page} (brief {slug})");
        }
        for group in brief["armed_groups"].as_array().unwrap() {
            let page = format!("groups/{}/index.html", group["slug"].as_str().unwrap());
            assert!(site.exists(&page), "missing {page} (brief {slug})");
        }
    }
    // Every plain page (a Markdown file directly under content/) has its
    // page, and a translation (`about.fr.md`) its page in its language.
    for entry in std::fs::read_dir(site.root().join("content")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let page = match stem.split_once('.') {
                Some((name, language)) => format!("{language}/{name}/index.html"),
                None => format!("{stem}/index.html"),
            };
            assert!(site.exists(&page), "missing {page}");
        }
    }
    // Every brief translation has its page in its language.
    for entry in walkdir::WalkDir::new(site.root().join("content/briefs")).into_iter().filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((slug, language)) = name.strip_suffix(".md").and_then(|stem| stem.split_once('.')) {
            let page = format!("{language}/briefs/{slug}/index.html");
            assert!(site.exists(&page), "missing {page}");
        }
    }
    assert!(site.assert_internal_links_resolve("/") > 0);
    site.assert_no_external_requests();
}

/// The fixture `briefs` builds into every page type with working links and
/// no external requests.
#[test]
fn fixture_site_builds_every_page_type() {
    let site = SiteTest::fixture("briefs");
    let run = site.build().success();
    assert!(run.stderr().is_empty(), "the fixture should build without warnings:\n{}", run.stderr());
    for page in [
        "index.html",
        "404.html",
        "style.css",
        "countries/index.html",
        "countries/ne/index.html",
        "countries/bf/index.html",
        "countries/ml/index.html",
        "groups/index.html",
        "groups/synthetic-front/index.html",
        "groups/synthetic-network/index.html",
        "archive/index.html",
        "archive/2023/index.html",
        "about/index.html",
        "briefs/2023-08-14-synthetic-outpost/index.html",
    ] {
        assert!(site.exists(page), "missing {page}");
    }
    assert!(site.assert_internal_links_resolve("/") > 100);
    site.assert_no_external_requests();
}

#[test]
fn a_brief_shows_its_figures_claims_and_revisions() {
    let site = SiteTest::fixture("briefs");
    site.build().success();
    let page = site.page("briefs/2023-08-14-synthetic-outpost/index.html");
    assert_eq!(page.text("h1"), "Synthetic attack on Outpost Alpha");
    let facts: Vec<String> = page.texts(".facts dl > div").into_iter().collect();
    assert!(facts.contains(&"Killed 14 (reported range 11 to 14)".to_string()), "{facts:?}");
    assert!(facts.contains(&"Armed groups None named".to_string()), "{facts:?}");
    assert!(facts.iter().any(|f| f.contains("also written Alpha Post")), "{facts:?}");
    assert_eq!(
        page.texts(".breakdown tbody tr"),
        ["8 guards combat", "6 guards vehicle crash while driving to the outpost"]
    );
    let claims = page.text(".claims");
    assert!(claims.contains("not counted"), "{claims}");
    assert!(claims.contains("90 attackers killed, according to Synthetic Ministry"), "{claims}");
    assert!(page.text(".revision-log").contains("best estimate changed from 11 or more to 14"));
    assert!(page.text(".sources").contains("Synthetic Wire"));
    // The unverified claim of 90 is not in Niger's total.
    let niger = site.page("countries/ne/index.html");
    let killed = niger.texts(".totals dd");
    assert_eq!(killed[..2], ["3".to_string(), "84".to_string()], "Niger: 3 incidents, 14 + 40 + 30 killed");
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let site = SiteTest::fixture("briefs");
    site.build().success();
    let first: Vec<(String, Vec<u8>)> =
        site.output_files().into_iter().map(|f| (f.clone(), std::fs::read(site.public().join(&f)).unwrap())).collect();
    site.build().success();
    let second: Vec<(String, Vec<u8>)> =
        site.output_files().into_iter().map(|f| (f.clone(), std::fs::read(site.public().join(&f)).unwrap())).collect();
    assert_eq!(first.len(), second.len());
    for ((name, a), (_, b)) in first.iter().zip(&second) {
        assert!(a == b, "{name} differs between builds");
    }
}

#[test]
fn front_matter_is_escaped_in_html() {
    let site = SiteTest::new();
    site.file(
        "content/briefs/x.md",
        "---\ntitle: \"<script>alert(1)</script> & co\"\ndate: 2023-09-28\ncountry: NE\nsummary: \"\\\"quoted\\\" <b>bold</b>\"\nsources: [\"<img src=x onerror=alert(1)>\"]\n---\nBody.\n",
    );
    site.build().success();
    let html = site.read("briefs/x/index.html");
    assert!(!html.contains("<script>alert"), "title not escaped");
    assert!(!html.contains("<img src=x"), "source not escaped");
    assert!(!html.contains("<b>bold</b>"), "summary not escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"), "{html}");
    // And the text still reads right to a person.
    assert_eq!(site.page("briefs/x/index.html").text("h1"), "<script>alert(1)</script> & co");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = SiteTest::new();
    site.file("content/briefs/pub.md", "---\ntitle: Published\ndate: 2023-09-28\ncountry: NE\n---\n");
    site.file("content/briefs/draft.md", "---\ntitle: Draft\ndate: 2023-09-29\ncountry: NE\ndraft: true\n---\n");
    site.build().success();
    assert!(!site.exists("briefs/draft/index.html"));
    assert_eq!(site.page("countries/ne/index.html").texts(".brief-list h3"), ["Published"]);
    site.run(&["build", "--drafts"]).success();
    assert!(site.exists("briefs/draft/index.html"));
    assert_eq!(site.page("countries/ne/index.html").texts(".brief-list h3"), ["Draft", "Published"]);
}

#[test]
fn brief_page_main_matches_snapshot() {
    let site = SiteTest::fixture("layout");
    site.build().success();
    insta::assert_snapshot!(site.page("briefs/full/index.html").main_html());
}

#[test]
fn a_range_known_at_one_end_reads_as_an_editor_writes_it() {
    let site = SiteTest::new();
    for (slug, fatalities) in [
        ("low-only", "{best: 500, low: 500}"),
        ("high-only", "{best: 12, high: 12}"),
        ("low-below", "{best: 40, low: 30}"),
        ("high-above", "{best: 40, high: 55}"),
        ("both", "{best: 40, low: 30, high: 55}"),
    ] {
        site.file(
            &format!("content/briefs/{slug}.md"),
            &format!("---\ntitle: Synthetic {slug}\ndate: 2023-01-01\ncountry: NE\nfatalities: {fatalities}\n---\n"),
        );
    }
    site.build().success();
    let killed = |slug: &str| {
        let page = site.page(&format!("briefs/{slug}/index.html"));
        let text = page.text(".facts dd strong.figure");
        let range = page.texts(".facts .range").join(" ");
        format!("{text} {range}").trim().to_string()
    };
    assert_eq!(killed("low-only"), "at least 500");
    assert_eq!(killed("high-only"), "up to 12");
    assert_eq!(killed("low-below"), "40 (at least 30)");
    assert_eq!(killed("high-above"), "40 (up to 55)");
    assert_eq!(killed("both"), "40 (reported range 30 to 55)");
    for slug in ["low-only", "high-only", "low-below", "high-above", "both"] {
        assert!(!site.read(&format!("briefs/{slug}/index.html")).contains(" ?"), "{slug}");
    }
}

#[test]
fn a_retracted_brief_keeps_its_page_and_leaves_every_count() {
    let site = SiteTest::new();
    site.file("site.yaml", "title: T\nbase_url: https://example.org/\n");
    site.file(
        "content/briefs/kept.md",
        "---\ntitle: Synthetic kept\ndate: 2023-01-01\ncountry: NE\narmed_groups: [Synthetic Group]\nfatalities: 10\n---\n",
    );
    site.file(
        "content/briefs/wrong.md",
        concat!(
            "---\ntitle: Synthetic wrong\ndate: 2023-02-01\ncountry: NE\narmed_groups: [Synthetic Group]\nfatalities: 90\n",
            "status: retracted\nretraction: {date: 2023-03-01, reason: The synthetic attack did not take place.}\n---\nText.\n",
        ),
    );
    site.build().success();
    let page = site.page("briefs/wrong/index.html");
    let notice = page.text(".retraction");
    assert!(notice.starts_with("Retracted") && notice.contains("1 March 2023"), "{notice}");
    assert!(notice.contains("The synthetic attack did not take place."), "{notice}");
    // Counted nowhere, listed only in the archive, marked.
    assert_eq!(site.page("countries/ne/index.html").texts(".brief-list h3"), ["Synthetic kept"]);
    assert_eq!(site.page("groups/synthetic-group/index.html").texts(".brief-list h3"), ["Synthetic kept"]);
    assert!(
        site.page("archive/2023/index.html")
            .texts(".brief-list h3")
            .contains(&"Synthetic wrong (retracted)".to_string())
    );
    let countries = site.page("countries/index.html").texts(".index-table tbody tr");
    assert_eq!(countries, ["Niger 1 10 1 January 2023 1 January 2023"]);
    // Not in the timelines either: the archive's shows January alone.
    for page in ["archive/index.html", "countries/ne/index.html", "groups/synthetic-group/index.html"] {
        assert_eq!(site.page(page).texts(".months-table tbody tr"), ["January 2023 1 10"], "{page}");
        assert_eq!(site.page(page).texts(".chart rect title"), ["January 2023: 1", "January 2023: 10"], "{page}");
    }
    assert_eq!(read_csv_rows(&site, "data/incidents.csv"), 1);
    let json: Value = serde_json::from_str(&site.read("data/incidents.json")).unwrap();
    assert!(
        json.as_array().unwrap().iter().any(|b| b["status"] == "retracted" && b["retraction"]["date"] == "2023-03-01")
    );
    // The feed entry stays, updated, saying so.
    let atom = site.read("atom.xml");
    assert!(atom.contains("<title>Retracted: Synthetic wrong</title>"), "{atom}");
    assert!(atom.contains("<updated>2023-03-01T00:00:00+00:00</updated>"), "{atom}");

    site.file(
        "content/briefs/wrong.md",
        "---\ntitle: Synthetic\ndate: 2023-02-01\ncountry: NE\nstatus: retracted\n---\n",
    );
    site.file(
        "content/briefs/kept.md",
        "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\nretraction: {date: 2023-03-01, reason: x}\n---\n",
    );
    let run = site.check();
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("a retracted brief needs a `retraction` notice"), "{}", run.stderr());
    assert!(run.stderr().contains("`retraction` is for briefs with `status: retracted`"), "{}", run.stderr());

    // A notice of the wrong shape is one error, saying the shape.
    site.file("content/briefs/kept.md", "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\n---\n");
    site.file(
        "content/briefs/wrong.md",
        "---\ntitle: Synthetic\ndate: 2023-02-01\ncountry: NE\nstatus: retracted\nretraction: It was wrong.\n---\n",
    );
    let run = site.check();
    assert_eq!(run.stderr().matches("error[").count(), 1, "{}", run.stderr());
    assert!(
        run.stderr().contains("`retraction` takes `{date: 2023-06-01, reason: What was wrong.}`"),
        "{}",
        run.stderr()
    );
}

/// Data rows of a CSV download (after the header and HXL rows).
fn read_csv_rows(site: &SiteTest, rel: &str) -> usize {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(site.public().join(rel)).unwrap();
    reader.records().count() - 2
}
