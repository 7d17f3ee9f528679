//! Data downloads read back with real parsers: the CSV with the `csv`
//! crate (HXL row included), the GeoJSON with Python's `geojson` validator
//! and by hand for RFC 7946's coordinate order, the JSON as the full model.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::harness::{SiteTest, python};

fn published() -> SiteTest {
    let site = SiteTest::fixture("briefs");
    site.run(&["build", "--base-url", "https://org.github.io/briefs/"]).success();
    site
}

fn read_csv(site: &SiteTest, rel: &str) -> Vec<csv::StringRecord> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(site.public().join(rel)).unwrap();
    reader.records().map(Result::unwrap).collect()
}

#[test]
fn csv_has_acled_columns_an_hxl_row_and_one_row_per_brief() {
    let site = published();
    let rows = read_csv(&site, "data/incidents.csv");
    let header: Vec<&str> = rows[0].iter().collect();
    for column in [
        "event_id",
        "event_date",
        "time_precision",
        "event_type",
        "actor1",
        "country",
        "iso",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "notes",
        "fatalities",
        "tags",
        "fatalities_low",
        "fatalities_high",
        "status",
        "url",
    ] {
        assert!(header.contains(&column), "{column} missing");
    }
    // HDX tools recognise the second row as hashtags.
    assert!(rows[1].iter().all(|tag| tag.starts_with('#')), "{:?}", rows[1]);
    let hxl: Vec<&str> = rows[1].iter().collect();
    for tag in ["#date+occurred", "#country+name", "#adm1+name", "#geo+lat", "#geo+lon", "#affected+killed"] {
        assert!(hxl.contains(&tag), "{tag} missing");
    }
    assert_eq!(rows.len(), 2 + 5, "one row per published brief");
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let outpost = rows.iter().find(|r| &r[col("event_id")] == "2023-08-14-synthetic-outpost").unwrap();
    assert_eq!(&outpost[col("fatalities")], "14");
    assert_eq!(&outpost[col("fatalities_low")], "11");
    assert_eq!(&outpost[col("iso")], "562");
    assert_eq!(&outpost[col("latitude")], "13.05");
    assert_eq!(&outpost[col("time_precision")], "1");
    assert_eq!(&outpost[col("url")], "https://org.github.io/briefs/briefs/2023-08-14-synthetic-outpost/");
    // The ministry's claim of 90 attackers killed is not a fatality figure.
    assert!(!outpost.iter().any(|v| v == "90"));
    // Each country and group has its own, filtered; a group's includes its
    // affiliates' briefs (the Synthetic Network has none of its own).
    assert_eq!(read_csv(&site, "countries/ne/incidents.csv").len(), 2 + 3);
    assert_eq!(read_csv(&site, "groups/synthetic-network/incidents.csv").len(), 2 + 2);
}

#[test]
fn geojson_is_valid_and_in_lon_lat_order() {
    let site = published();
    let path = site.public().join("data/incidents.geojson");
    let script = "import geojson, sys; d = geojson.load(open(sys.argv[1])); print(d.is_valid, d.errors())";
    let out = Command::new(python()).args(["-c", script]).arg(&path).output().expect("python3 (or SITREP_TEST_PYTHON)");
    assert!(
        out.status.success(),
        "geojson validator failed (Debian's python3-geojson; scripts/test installs it and sets SITREP_TEST_PYTHON): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "True []");
    let doc: Value = serde_json::from_str(&site.read("data/incidents.geojson")).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    assert!(doc.get("crs").is_none(), "RFC 7946 has no crs");
    let outpost =
        doc["features"].as_array().unwrap().iter().find(|f| f["id"] == "2023-08-14-synthetic-outpost").unwrap();
    assert_eq!(outpost["geometry"]["coordinates"], serde_json::json!([3.19, 13.05]));
    assert_eq!(outpost["properties"]["fatalities"], 14);
    assert!(Path::new(&site.public().join("countries/ne/incidents.geojson")).is_file());
}

#[test]
fn json_holds_the_full_model_and_pages_link_their_downloads() {
    let site = published();
    let all: Value = serde_json::from_str(&site.read("data/incidents.json")).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 5);
    let village = all.as_array().unwrap().iter().find(|b| b["slug"] == "2022-02-14-synthetic-village").unwrap();
    assert_eq!(village["date_precision"], "week");
    assert_eq!(village["fatalities"]["claims"][0]["count"], 20);
    assert_eq!(village["armed_groups"][1]["attribution"], "suspected");
    let niger = site.page("countries/ne/index.html");
    assert_eq!(
        niger.attrs(".downloads a", "href")[..2],
        ["/briefs/countries/ne/incidents.csv", "/briefs/countries/ne/incidents.geojson"]
    );
    site.assert_internal_links_resolve("/briefs/");
}

#[test]
fn admin_levels_and_archived_sources_reach_the_page_and_the_exports() {
    let site = SiteTest::new();
    site.file(
        "content/briefs/x.md",
        concat!(
            "---\ntitle: Synthetic levels\ndate: 2023-01-01\ncountry: NE\nadmin1: Tillabéri\nadmin2: Synthetic Department\n",
            "admin3: Synthetic Commune\nlocation: Synthetic Village\n",
            "sources:\n  - {name: Synthetic Wire, url: \"https://example.org/a\", archive_url: \"https://web.archive.org/web/2023/https://example.org/a\", kind: media}\n",
            "  - {name: Synthetic Ministry, kind: official}\n---\n",
        ),
    );
    site.build().success();
    let page = site.page("briefs/x/index.html");
    assert!(
        page.text(".facts").contains("Synthetic Village, Synthetic Commune, Synthetic Department, Tillabéri, Niger")
    );
    assert_eq!(
        page.attrs(".sources a[href*='web.archive.org']", "href"),
        ["https://web.archive.org/web/2023/https://example.org/a"]
    );
    let rows = read_csv(&site, "data/incidents.csv");
    let column = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[1][column("admin2")], "#adm2+name");
    assert_eq!(&rows[2][column("admin2")], "Synthetic Department");
    assert_eq!(&rows[2][column("admin3")], "Synthetic Commune");
    let json: Value = serde_json::from_str(&site.read("data/incidents.json")).unwrap();
    assert_eq!(json[0]["admin3"], "Synthetic Commune");
    assert_eq!(json[0]["sources"][0]["kind"], "media");
    assert_eq!(json[0]["sources"][0]["archive_url"], "https://web.archive.org/web/2023/https://example.org/a");
    assert_eq!(json[0]["sources"][1]["kind"], "official");

    site.file(
        "content/briefs/x.md",
        "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\nsources: [{name: W, archive_url: \"ftp://x\", kind: blog}]\n---\n",
    );
    let run = site.check();
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("a source's `archive_url` starts with https:// or http://"), "{}", run.stderr());
    assert!(run.stderr().contains("error[unknown-value]"), "{}", run.stderr());
}

#[test]
fn an_event_over_several_days_keeps_its_range_everywhere() {
    let site = SiteTest::new();
    site.file("site.yaml", "title: T\nbase_url: https://example.org/\n");
    site.file(
        "content/briefs/x.md",
        "---\ntitle: Synthetic five days\ndate: 2022-03-27\nend_date: 2022-03-31\ncountry: ML\nsummary: Synthetic.\ncoordinates: {lat: 14, lon: -4}\n---\n",
    );
    site.file(
        "content/briefs/y.md",
        "---\ntitle: Synthetic new year\ndate: 2022-12-30\nend_date: 2023-01-02\ncountry: ML\n---\n",
    );
    site.build().success();
    assert!(site.page("briefs/x/index.html").text(".facts").contains("27–31 March 2022"));
    assert!(site.page("briefs/y/index.html").text(".facts").contains("30 December 2022 – 2 January 2023"));
    assert!(site.page("countries/ml/index.html").text(".brief-list").contains("27–31 March 2022"));
    // Sorted and archived by the first day.
    assert!(site.exists("archive/2022/index.html") && !site.exists("archive/2023/index.html"));
    let rows = read_csv(&site, "data/incidents.csv");
    let column = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[1][column("end_date")], "#date+end");
    let x = rows.iter().find(|r| &r[column("event_id")] == "x").unwrap();
    assert_eq!((&x[column("event_date")], &x[column("end_date")]), ("2022-03-27", "2022-03-31"));
    let json: Value = serde_json::from_str(&site.read("data/incidents.json")).unwrap();
    assert!(json.as_array().unwrap().iter().any(|b| b["end_date"] == "2022-03-31"));
    let geojson: Value = serde_json::from_str(&site.read("data/incidents.geojson")).unwrap();
    let feature = |id: &str| geojson["features"].as_array().unwrap().iter().find(|f| f["id"] == id).unwrap().clone();
    assert_eq!(feature("x")["properties"]["end_date"], "2022-03-31");
    // A brief without coordinates is in the GeoJSON too, with no point.
    assert_eq!(feature("y")["properties"]["end_date"], "2023-01-02");
    assert!(feature("y")["geometry"].is_null());
    assert!(site.read("atom.xml").contains("Synthetic. (27–31 March 2022)"));
    let feed: Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    let item = feed["items"].as_array().unwrap().iter().find(|i| i["_incident"]["slug"] == "x").unwrap();
    assert_eq!(item["_incident"]["end_date"], "2022-03-31");
    assert_eq!(item["content_text"], "Synthetic. (27–31 March 2022)");

    site.file(
        "content/briefs/x.md",
        "---\ntitle: Synthetic\ndate: 2022-03-27\nend_date: 2022-03-20\ncountry: ML\n---\n",
    );
    site.file(
        "content/briefs/y.md",
        "---\ntitle: Synthetic\ndate: 2022-03-27\nend_date: 2099-01-01\ncountry: ML\n---\n",
    );
    let run = site.check();
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("error[end-before-date]: `end_date` (2022-03-20) is before `date` (2022-03-27)\n  --> content/briefs/x.md:4:11"), "{}", run.stderr());
    assert!(
        run.stderr().contains("error[date-in-future]") && run.stderr().contains("--> content/briefs/y.md:4:11"),
        "{}",
        run.stderr()
    );
}
