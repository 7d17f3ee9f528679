//! The repository's own sample site builds into every page type, with
//! working links, no external requests, and identical bytes every time.

use crate::harness::SiteTest;

#[test]
fn sample_site_builds_every_page_type() {
    let site = SiteTest::sample_site();
    let run = site.build().success();
    assert!(run.stderr().is_empty(), "the sample site should build without warnings:\n{}", run.stderr());
    for page in [
        "index.html",
        "404.html",
        "style.css",
        "countries/index.html",
        "countries/ne/index.html",
        "countries/bf/index.html",
        "countries/ml/index.html",
        "groups/index.html",
        "groups/jnim/index.html",
        "groups/islamic-state/index.html",
        "archive/index.html",
        "archive/2023/index.html",
        "about/index.html",
        "briefs/2023-09-28-kandadji/index.html",
    ] {
        assert!(site.exists(page), "missing {page}");
    }
    assert!(site.assert_internal_links_resolve("/") > 100);
    site.assert_no_external_requests();
}

#[test]
fn kandadji_brief_shows_its_figures_claims_and_revisions() {
    let site = SiteTest::sample_site();
    site.build().success();
    let page = site.page("briefs/2023-09-28-kandadji/index.html");
    assert_eq!(page.text("h1"), "Twelve Nigerien soldiers killed in attack near Kandadji");
    let facts: Vec<String> = page.texts(".facts dl > div").into_iter().collect();
    assert!(facts.contains(&"Killed 12 (reported range 10 to 12)".to_string()), "{facts:?}");
    assert!(facts.contains(&"Armed groups None named".to_string()), "{facts:?}");
    assert!(facts.iter().any(|f| f.contains("also written Kandagi")), "{facts:?}");
    assert_eq!(
        page.texts(".breakdown tbody tr"),
        ["7 soldiers combat", "5 soldiers road accident on the way to reinforce the unit"]
    );
    let claims = page.text(".claims");
    assert!(claims.contains("not counted"), "{claims}");
    assert!(claims.contains("100 attackers killed, according to Niger Ministry of Defence"), "{claims}");
    assert!(page.text(".revision-log").contains("Toll raised from at least 10"));
    assert!(page.text(".sources").contains("Reuters"));
    // The unverified claim of 100 is not in Niger's total.
    let niger = site.page("countries/ne/index.html");
    let killed = niger.texts(".totals dd");
    assert_eq!(killed[..2], ["3".to_string(), "220".to_string()], "Niger: 3 incidents, 71 + 137 + 12 killed");
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let site = SiteTest::sample_site();
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
