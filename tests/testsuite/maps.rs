//! Maps (issue 14): the country outlines sitrep embeds (Natural Earth
//! 1:50m), used by `check` to say when a brief's coordinates fall outside
//! its country.

use crate::harness::SiteTest;

fn brief(country: &str, coordinates: &str, precision: &str) -> String {
    format!(
        "---\ntitle: Synthetic brief\ndate: 2023-01-01\ncountry: {country}\ncoordinates: {coordinates}\ngeo_precision: {precision}\n---\nSynthetic.\n"
    )
}

#[test]
fn coordinates_outside_their_country_are_a_warning_at_their_line() {
    let site = SiteTest::new();
    // Niamey, in Niger: nothing to say.
    site.file("content/briefs/inside.md", &brief("Niger", "{lat: 13.51, lon: 2.11}", "exact"));
    // Bamako, given as Niger.
    site.file("content/briefs/elsewhere.md", &brief("Niger", "{lat: 12.64, lon: -8.0}", "exact"));
    // Niamey with latitude and longitude swapped.
    site.file("content/briefs/swapped.md", &brief("NE", "{lat: 2.11, lon: 13.51}", "near"));
    // Kosovo (XK), which has no ISO numeric code: Pristina, then Tirana.
    site.file("content/briefs/kosovo.md", &brief("Kosovo", "{lat: 42.66, lon: 21.17}", "exact"));
    site.file("content/briefs/tirana.md", &brief("XK", "{lat: 41.33, lon: 19.82}", "exact"));
    let run = site.check();
    assert_eq!(run.code(), 0, "warnings only: {}", run.stderr());
    let said = run.stderr();
    assert_eq!(said.matches("warning[outside-country]").count(), 3, "{said}");
    assert!(said.contains("--> content/briefs/elsewhere.md:5:14"), "{said}");
    assert!(said.contains("the coordinates (lat 12.64, lon -8) are"), "{said}");
    assert!(said.contains("km outside Niger"), "{said}");
    assert!(said.contains("--> content/briefs/swapped.md:5:14"), "{said}");
    assert!(said.contains("latitude and longitude look swapped: `{lat: 13.51, lon: 2.11}` is in Niger"), "{said}");
    assert!(said.contains("--> content/briefs/tirana.md:5:14"), "{said}");
    assert!(!said.contains("inside.md") && !said.contains("kosovo.md"), "{said}");
}

#[test]
fn a_point_near_a_border_is_allowed_as_far_as_its_precision_says() {
    // In Burkina Faso, some 45 km from Niger's outline: too far for
    // `exact` (10 km) and `near` (25 km), close enough for `region` (100 km).
    let site = SiteTest::new();
    let point = "{lat: 12.25, lon: 1.45}";
    for (name, precision) in [("exact", "exact"), ("near", "near"), ("region", "region")] {
        site.file(&format!("content/briefs/{name}.md"), &brief("Niger", point, precision));
    }
    let said = site.check().stderr();
    let warned: Vec<&str> = ["exact", "near", "region"]
        .into_iter()
        .filter(|name| said.contains(&format!("content/briefs/{name}.md")))
        .collect();
    assert_eq!(warned, ["exact", "near"], "{said}");
    assert!(said.contains("are 45 km outside Niger"), "{said}");
}

#[test]
fn a_brief_dated_in_year_one_does_not_stretch_the_timelines() {
    // A date far in the past is accepted, but a timeline shows the last
    // fifty years and counts what came before, instead of drawing twenty
    // thousand months on every list page.
    let site = SiteTest::new();
    site.file("content/briefs/old.md", "---\ntitle: Synthetic old\ndate: 0001-01-01\ncountry: NE\n---\nSynthetic.\n");
    site.file("content/briefs/new.md", "---\ntitle: Synthetic new\ndate: 2025-01-01\ncountry: NE\n---\nSynthetic.\n");
    site.run_within(20, &["build"]).success();
    let archive = site.page("archive/index.html");
    assert_eq!(archive.texts(".timeline .months-table tbody tr"), ["January 2025 1 0"]);
    assert_eq!(archive.text(".timeline .note"), "The last fifty years; 1 earlier incident not shown.");
    assert!(site.read("archive/index.html").len() < 60_000);
}
