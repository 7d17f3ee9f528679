//! Data downloads read back with real parsers: the CSV with the `csv`
//! crate (HXL row included), the GeoJSON with Python's `geojson` validator
//! and by hand for RFC 7946's coordinate order, the JSON as the full model.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::harness::{SiteTest, python};

fn published() -> SiteTest {
    let site = SiteTest::sample_site();
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
    let kandadji = rows.iter().find(|r| &r[col("event_id")] == "2023-09-28-kandadji").unwrap();
    assert_eq!(&kandadji[col("fatalities")], "12");
    assert_eq!(&kandadji[col("fatalities_low")], "10");
    assert_eq!(&kandadji[col("iso")], "562");
    assert_eq!(&kandadji[col("latitude")], "14.62");
    assert_eq!(&kandadji[col("time_precision")], "1");
    assert_eq!(&kandadji[col("url")], "https://org.github.io/briefs/briefs/2023-09-28-kandadji/");
    // The ministry's claim of 100 attackers killed is not a fatality figure.
    assert!(!kandadji.iter().any(|v| v == "100"));
    // Each country and group has its own, filtered.
    assert_eq!(read_csv(&site, "countries/ne/incidents.csv").len(), 2 + 3);
    assert_eq!(read_csv(&site, "groups/islamic-state/incidents.csv").len(), 2 + 2);
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
    let kandadji = doc["features"].as_array().unwrap().iter().find(|f| f["id"] == "2023-09-28-kandadji").unwrap();
    assert_eq!(kandadji["geometry"]["coordinates"], serde_json::json!([1.06, 14.62]));
    assert_eq!(kandadji["properties"]["fatalities"], 12);
    assert!(Path::new(&site.public().join("countries/ne/incidents.geojson")).is_file());
}

#[test]
fn json_holds_the_full_model_and_pages_link_their_downloads() {
    let site = published();
    let all: Value = serde_json::from_str(&site.read("data/incidents.json")).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 5);
    let moura = all.as_array().unwrap().iter().find(|b| b["slug"] == "2022-03-27-moura").unwrap();
    assert_eq!(moura["fatalities"]["claims"][0]["count"], 203);
    assert_eq!(moura["armed_groups"][1]["attribution"], "suspected");
    let niger = site.page("countries/ne/index.html");
    assert_eq!(
        niger.attrs(".downloads a", "href")[..2],
        ["/briefs/countries/ne/incidents.csv", "/briefs/countries/ne/incidents.geojson"]
    );
    site.assert_internal_links_resolve("/briefs/");
}
