//! Feeds, read back with a real feed parser (Python's feedparser): Atom for
//! the site, each country and each group; JSON Feed 1.1 for the site.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::harness::{SiteTest, python};

fn parse(site: &SiteTest, rel: &str) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/parse_feed.py");
    let out = Command::new(python())
        .arg(script)
        .arg(site.public().join(rel))
        .output()
        .expect("python3 (or SITREP_TEST_PYTHON)");
    assert!(
        out.status.success(),
        "feedparser failed (Debian's python3-feedparser; scripts/test installs it and sets SITREP_TEST_PYTHON): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(parsed["bozo"], false, "{rel} is not well-formed: {}", parsed["bozo_exception"]);
    parsed
}

fn published() -> SiteTest {
    let site = SiteTest::fixture("layout");
    site.run(&["build", "--base-url", "https://org.github.io/briefs/"]).success();
    site
}

#[test]
fn site_feed_lists_briefs_newest_first_with_categories_and_points() {
    let site = published();
    let feed = parse(&site, "atom.xml");
    assert_eq!(feed["version"], "atom10");
    assert_eq!(feed["self"], serde_json::json!(["https://org.github.io/briefs/atom.xml"]));
    let entries = feed["entries"].as_array().unwrap();
    let titles: Vec<&str> = entries.iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles[..3],
        ["Synthetic brief using every field", "Synthetic Niger brief 4", "Synthetic Niger brief 3"]
    );
    assert_eq!(entries.len(), 6);
    let full = &entries[0];
    assert_eq!(full["link"], "https://org.github.io/briefs/briefs/full/");
    assert_eq!(full["terms"], serde_json::json!(["NE", "group-a", "group-b"]));
    // GeoRSS is lat lon; feedparser turns it into GeoJSON's lon, lat.
    assert_eq!(full["point"], serde_json::json!([1.25, 14.5]));
    // `updated` comes from the revision log.
    assert!(full["updated"].as_str().unwrap().starts_with("2023-05-12"), "{}", full["updated"]);
}

#[test]
fn every_country_and_group_has_its_own_feed_linked_from_its_page() {
    let site = published();
    let niger = parse(&site, "countries/ne/atom.xml");
    assert_eq!(niger["entries"].as_array().unwrap().len(), 5);
    let parent = parse(&site, "groups/group-a/atom.xml");
    // Group B is an affiliate of Group A: its briefs roll up here too.
    assert_eq!(parent["entries"].as_array().unwrap().len(), 1);
    assert_eq!(
        site.page("countries/ne/index.html").attrs("link[rel=alternate][type='application/atom+xml']", "href"),
        ["/briefs/atom.xml", "/briefs/countries/ne/atom.xml"]
    );
}

#[test]
fn json_feed_carries_the_structured_incident() {
    let site = published();
    let feed: Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    let item = &feed["items"][0];
    assert_eq!(item["url"], "https://org.github.io/briefs/briefs/full/");
    assert_eq!(item["_incident"]["fatalities"]["best"], 9);
    assert_eq!(item["_incident"]["fatalities"]["claims"][0]["by"], "Army spokesman");
    assert_eq!(item["_incident"]["country"]["code"], "NE");
    assert_eq!(item["_incident"]["coordinates"], serde_json::json!({"lat": 14.5, "lon": 1.25}));
}

#[test]
fn feeds_are_capped() {
    let site = SiteTest::fixture("layout");
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap() + "feed_limit: 2\n";
    site.file("site.yaml", &config);
    site.build().success();
    assert_eq!(parse(&site, "atom.xml")["entries"].as_array().unwrap().len(), 2);
    let json: Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(json["items"].as_array().unwrap().len(), 2);
}
