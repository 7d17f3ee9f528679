//! Exports that real tools load: the CSV read by libhxl (the HXL reference
//! library, from PyPI) and checked by its default validation schema; the
//! GeoJSON and the CSV's coordinates loaded by GDAL (Debian's gdal-bin) into
//! a GeoPackage; the Atom feeds validated against RFC 4287 (Debian's jing
//! with `tests/fixtures/schemas/atom.rnc`, and the rules a grammar cannot
//! hold) and the JSON Feed against JSON Feed 1.1 (Debian's python3-jsonschema
//! with `tests/fixtures/schemas/jsonfeed-1.1.schema.json`). Values are
//! compared with the briefs': the front matter of the fixture, as the model
//! (`incidents.json`) carries it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::harness::{SiteTest, python};

const BASE: &str = "https://org.github.io/briefs/";

/// The synthetic fixture site and two more synthetic briefs: an event of
/// several days with its second and third administrative levels and an
/// archived source, and a retracted brief (which leaves the CSV and the
/// GeoJSON), both located; published under an absolute base address, as
/// the Pages workflow builds.
fn published() -> SiteTest {
    let site = SiteTest::fixture("briefs");
    site.file(
        "content/briefs/2023/2023-03-27-synthetic-siege.md",
        concat!(
            "---\n",
            "title: \"Synthetic siege of Testville, \\\"five days\\\"\"\n",
            "date: 2023-03-27\n",
            "end_date: 2023-03-31\n",
            "country: Ivory Coast\n",
            "summary: \"Synthetic brief for tests, not a real incident; it lasts five days, with a comma.\"\n",
            "admin1: Synthetic Region\n",
            "admin2: Synthetic Department\n",
            "admin3: Synthetic Commune\n",
            "location: Testville\n",
            "coordinates: {lat: 9.5, lon: -5.25}\n",
            "event_type: violence-against-civilians\n",
            "armed_groups: [SAF, Synthetic Contractors]\n",
            "fatalities: {best: 120, low: 100}\n",
            "sources:\n",
            "  - {name: Synthetic Wire, url: \"https://example.org/wire\", archive_url: \"https://web.archive.org/web/2023/https://example.org/wire\", kind: media}\n",
            "status: confirmed\n",
            "---\n",
            "Synthetic brief for tests: this never happened.\n",
        ),
    );
    site.file(
        "content/briefs/2023/2023-01-09-synthetic-retracted.md",
        concat!(
            "---\n",
            "title: Synthetic brief later retracted\n",
            "date: 2023-01-09\n",
            "country: NE\n",
            "summary: Synthetic brief for tests, not a real incident.\n",
            "coordinates: {lat: 13.5, lon: 2.1}\n",
            "fatalities: 3\n",
            "status: retracted\n",
            "retraction: {date: 2023-02-01, reason: The synthetic source withdrew its report.}\n",
            "---\n",
            "Synthetic brief for tests.\n",
        ),
    );
    site.run(&["build", "--base-url", BASE]).success();
    site
}

/// A tool the test suite runs (`scripts/test` installs it), with what it
/// printed; a tool that is not there fails the test with the package to
/// install.
fn run_tool(program: &str, package: &str, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut command = Command::new(program);
    for arg in args {
        command.arg(arg);
    }
    command.output().unwrap_or_else(|e| panic!("{program} ({package}; scripts/test installs it): {e}"))
}

fn support(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support").join(name)
}

fn schema(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schemas").join(name)
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// The model's briefs by slug.
fn model(site: &SiteTest) -> HashMap<String, Value> {
    let all: Value = serde_json::from_str(&site.read("data/incidents.json")).unwrap();
    all.as_array().unwrap().iter().map(|b| (b["slug"].as_str().unwrap().to_string(), b.clone())).collect()
}

/// The events of the model: published briefs that are not retracted.
fn events(site: &SiteTest) -> HashMap<String, Value> {
    model(site).into_iter().filter(|(_, b)| b["status"] != "retracted").collect()
}

/// A group's registered name, read from its file in the fixture.
fn registered_name(site: &SiteTest, slug: &str) -> String {
    let file = std::fs::read_to_string(site.root().join(format!("content/groups/{slug}.md"))).unwrap();
    file.lines().find_map(|l| l.strip_prefix("name: ")).unwrap().to_string()
}

/// A model value as the CSV writes it: text as it is, numbers as numbers,
/// nothing as an empty cell.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// "violence-against-civilians" and "Violence against civilians" alike.
fn same_words(a: &str) -> String {
    a.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-")
}

/// A CSV download as libhxl reads it: its columns, its rows by hashtag,
/// and what libhxl's default validation schema found.
fn read_hxl(site: &SiteTest, rel: &str) -> Value {
    let out = run_tool(&python(), "libhxl, from PyPI", &[&support("read_hxl.py"), &site.public().join(rel)]);
    assert!(
        out.status.success(),
        "libhxl could not read {rel} (scripts/test installs libhxl into target/test-python and sets SITREP_TEST_PYTHON): {}",
        text(&out)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn libhxl_reads_the_csv_with_its_tags_and_the_briefs_values_and_finds_no_error() {
    let site = published();
    let hxl = read_hxl(&site, "data/incidents.csv");
    let tags: HashMap<&str, &str> = hxl["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["display_tag"].as_str().unwrap(), c["tag"].as_str().unwrap()))
        .collect();
    // Recognised: libhxl parsed each hashtag into its tag and attributes.
    for (display, tag) in [
        ("#event+id", "#event"),
        ("#date+occurred", "#date"),
        ("#date+end", "#date"),
        ("#event+type", "#event"),
        ("#org+name+actor1", "#org"),
        ("#country+name", "#country"),
        ("#country+code", "#country"),
        ("#country+code+num", "#country"),
        ("#adm1+name", "#adm1"),
        ("#adm2+name", "#adm2"),
        ("#adm3+name", "#adm3"),
        ("#loc+name", "#loc"),
        ("#geo+lat", "#geo"),
        ("#geo+lon", "#geo"),
        ("#affected+killed", "#affected"),
    ] {
        assert_eq!(tags.get(display), Some(&tag), "{display} in {:?}", hxl["columns"]);
    }
    let issues = hxl["issues"].as_array().unwrap();
    let errors: Vec<&Value> = issues.iter().filter(|i| i["severity"] == "error").collect();
    assert!(errors.is_empty(), "libhxl's default schema: {errors:?}");

    let events = events(&site);
    let rows = hxl["rows"].as_array().unwrap();
    assert_eq!(rows.len(), events.len(), "one row per brief that is not retracted");
    for row in rows {
        let brief = &events[row["#event+id"].as_str().unwrap()];
        let slug = &brief["slug"];
        for (tag, value) in [
            ("#date+occurred", &brief["date"]),
            ("#date+end", &brief["end_date"]),
            ("#country+name", &brief["country"]["name"]),
            ("#country+code", &brief["country"]["alpha3"]),
            ("#country+code+num", &brief["country"]["numeric"]),
            ("#adm1+name", &brief["admin1"]),
            ("#adm2+name", &brief["admin2"]),
            ("#adm3+name", &brief["admin3"]),
            ("#loc+name", &brief["location"]),
            ("#affected+killed", &brief["fatalities"]["best"]),
        ] {
            assert_eq!(row[tag].as_str().unwrap(), cell(value), "{tag} of {slug}");
        }
        for (tag, axis) in [("#geo+lat", "lat"), ("#geo+lon", "lon")] {
            let written = row[tag].as_str().unwrap();
            match brief["coordinates"][axis].as_f64() {
                Some(at) => assert_eq!(written.parse::<f64>().unwrap(), at, "{tag} of {slug}"),
                None => assert_eq!(written, "", "{tag} of {slug}"),
            }
        }
        assert_eq!(same_words(row["#event+type"].as_str().unwrap()), cell(&brief["event_type"]), "{slug}");
        let first_group = brief["armed_groups"][0]["slug"].as_str().map(|g| registered_name(&site, g));
        assert_eq!(row["#org+name+actor1"].as_str().unwrap(), first_group.unwrap_or_default(), "{slug}");
    }
    // The brief written for this test, as its front matter has it.
    let siege = rows.iter().find(|r| r["#event+id"] == "2023-03-27-synthetic-siege").unwrap();
    assert_eq!(siege["#date+end"], "2023-03-31");
    assert_eq!(siege["#country+code"], "CIV");
    assert_eq!(siege["#adm3+name"], "Synthetic Commune");
    assert_eq!(siege["#org+name+actor1"], "Synthetic Army");
    assert_eq!(siege["#org+name+actor1+assoc"], "Synthetic Contractors");

    // Each country's and group's CSV too.
    for rel in ["countries/ne/incidents.csv", "groups/synthetic-army/incidents.csv"] {
        let hxl = read_hxl(&site, rel);
        let errors: Vec<&Value> =
            hxl["issues"].as_array().unwrap().iter().filter(|i| i["severity"] == "error").collect();
        assert!(errors.is_empty(), "{rel}: {errors:?}");
        assert!(!hxl["rows"].as_array().unwrap().is_empty(), "{rel}");
    }
}

#[test]
fn libhxl_finds_the_errors_it_is_asked_to_find() {
    // The control for the test above: a `#date` column that holds no date
    // is an error to libhxl's default schema, so "no error" means something.
    let site = SiteTest::new();
    site.file("bad.csv", "event_date,fatalities\n#date+occurred,#affected+killed\nsoon,many\n");
    let out = run_tool(&python(), "libhxl, from PyPI", &[&support("read_hxl.py"), &site.root().join("bad.csv")]);
    assert!(out.status.success(), "{}", text(&out));
    let hxl: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = hxl["issues"].as_array().unwrap().iter().filter(|i| i["severity"] == "error").count();
    assert_eq!(errors, 2, "{}", hxl["issues"]);
}

/// A feature as GDAL reads it back from a GeoPackage: its point, if it
/// has one, and its attributes.
struct Feature {
    point: Option<(f64, f64)>,
    attributes: serde_json::Map<String, Value>,
}

impl Feature {
    /// An attribute as the CSV would write it (GDAL reads the CSV's cells
    /// as text, the GeoJSON's numbers as numbers).
    fn get(&self, field: &str) -> String {
        self.attributes.get(field).map(cell).unwrap_or_default()
    }
}

/// The features of a GeoPackage, written out again by GDAL as GeoJSON.
fn features(gpkg: &Path) -> Vec<Feature> {
    let out = run_tool("ogr2ogr", "gdal-bin", &[&"-f", &"GeoJSON", &"/vsistdout/", &gpkg]);
    assert!(out.status.success(), "ogr2ogr could not read {}: {}", gpkg.display(), text(&out));
    let collection: Value = serde_json::from_slice(&out.stdout).unwrap();
    collection["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| Feature {
            point: f["geometry"]["coordinates"].as_array().map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap())),
            attributes: f["properties"].as_object().unwrap().clone(),
        })
        .collect()
}

fn ogr2ogr(args: &[&dyn AsRef<std::ffi::OsStr>]) {
    let out = run_tool("ogr2ogr", "gdal-bin", args);
    assert!(out.status.success(), "ogr2ogr {}", text(&out));
}

/// Each located event appears once, at its coordinates, with its fields.
fn assert_one_feature_per_located_event(site: &SiteTest, what: &str, features: &[Feature]) {
    let located: HashMap<String, Value> =
        events(site).into_iter().filter(|(_, b)| !b["coordinates"].is_null()).collect();
    let placed: Vec<&Feature> = features.iter().filter(|f| f.point.is_some()).collect();
    assert_eq!(placed.len(), located.len(), "{what}: features with a point");
    for feature in placed {
        let slug = feature.get("event_id");
        let brief = &located[&slug];
        let (lon, lat) = feature.point.unwrap();
        assert_eq!(lon, brief["coordinates"]["lon"].as_f64().unwrap(), "{what}: longitude of {slug}");
        assert_eq!(lat, brief["coordinates"]["lat"].as_f64().unwrap(), "{what}: latitude of {slug}");
        for (field, value) in [
            ("event_date", &brief["date"]),
            ("end_date", &brief["end_date"]),
            ("country", &brief["country"]["name"]),
            ("iso3", &brief["country"]["alpha3"]),
            ("admin1", &brief["admin1"]),
            ("admin2", &brief["admin2"]),
            ("admin3", &brief["admin3"]),
            ("location", &brief["location"]),
            ("fatalities", &brief["fatalities"]["best"]),
            ("status", &brief["status"]),
        ] {
            assert_eq!(feature.get(field), cell(value), "{what}: {field} of {slug}");
        }
    }
}

#[test]
fn gdal_loads_the_geojson_and_the_csv_coordinates_one_feature_per_located_brief() {
    let site = published();
    let work = site.root().join("gis");
    std::fs::create_dir(&work).unwrap();

    let from_geojson = work.join("geojson.gpkg");
    ogr2ogr(&[&"-f", &"GPKG", &from_geojson, &site.public().join("data/incidents.geojson")]);
    let info = run_tool("ogrinfo", "gdal-bin", &[&"-so", &"-al", &from_geojson]);
    assert!(info.status.success(), "{}", text(&info));
    // GDAL read the GeoJSON's fields with their types.
    for line in ["Geometry: Point", "event_date: Date", "end_date: Date", "fatalities: Integer", "latitude: Real"] {
        assert!(text(&info).contains(line), "{line}: {}", text(&info));
    }
    let read = features(&from_geojson);
    assert_eq!(read.len(), events(&site).len(), "one feature per event, located or not");
    assert_one_feature_per_located_event(&site, "GeoJSON", &read);

    // The CSV's second row is its HXL hashtags: GDAL reads every row as
    // data, so the row whose event_id is a hashtag is left out, as the
    // README tells analysts to.
    let from_csv = work.join("csv.gpkg");
    ogr2ogr(&[
        &"-f",
        &"GPKG",
        &from_csv,
        &site.public().join("data/incidents.csv"),
        &"-oo",
        &"X_POSSIBLE_NAMES=longitude",
        &"-oo",
        &"Y_POSSIBLE_NAMES=latitude",
        &"-where",
        &"event_id NOT LIKE '#%'",
        &"-a_srs",
        &"EPSG:4326",
    ]);
    let rows = features(&from_csv);
    assert_eq!(rows.len(), events(&site).len(), "one feature per row of the CSV");
    assert_one_feature_per_located_event(&site, "CSV", &rows);
}

/// Every Atom feed the build wrote.
fn atom_feeds(site: &SiteTest) -> Vec<PathBuf> {
    let feeds: Vec<PathBuf> =
        site.output_files().into_iter().filter(|f| f.ends_with("atom.xml")).map(|f| site.public().join(f)).collect();
    assert!(feeds.len() > 10, "the site's, each country's and each group's: {feeds:?}");
    feeds
}

/// jing's verdict on Atom documents against the RFC 4287 schema.
fn jing(files: &[PathBuf]) -> Output {
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![&"-c"];
    let rnc = schema("atom.rnc");
    args.push(&rnc);
    args.extend(files.iter().map(|f| f as &dyn AsRef<std::ffi::OsStr>));
    run_tool("jing", "jing", &args)
}

#[test]
fn every_atom_feed_is_valid_rfc_4287() {
    let site = published();
    let feeds = atom_feeds(&site);
    let out = jing(&feeds);
    assert!(out.status.success(), "jing: {}", text(&out));
    let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = Vec::new();
    let script = support("check_atom.py");
    args.push(&script);
    args.extend(feeds.iter().map(|f| f as &dyn AsRef<std::ffi::OsStr>));
    let rules = run_tool(&python(), "python3", &args);
    assert!(rules.status.success(), "RFC 4287's other rules: {}", text(&rules));

    // A five-day event says so in its entry; a retracted one stays, marked.
    let atom = site.read("atom.xml");
    assert!(atom.contains("27–31 March 2023"), "{atom}");
    assert!(atom.contains("<title>Retracted: Synthetic brief later retracted</title>"), "{atom}");

    // The control: without its id, or with a relative one, a feed fails.
    for (broken, name) in [
        (atom.replacen(&format!("<id>{BASE}atom.xml</id>"), "", 1), "no-id.xml"),
        (atom.replacen(&format!("<id>{BASE}atom.xml</id>"), "<id>/atom.xml</id>", 1), "relative-id.xml"),
    ] {
        assert_ne!(broken, atom, "{name}: the feed's id was not found to break");
        site.file(name, &broken);
        let out = jing(&[site.root().join(name)]);
        assert!(!out.status.success(), "jing accepted {name}");
    }
}

fn check_json_feed(path: &Path) -> Output {
    run_tool(
        &python(),
        "python3-jsonschema",
        &[&support("check_json_feed.py"), &schema("jsonfeed-1.1.schema.json"), &path],
    )
}

#[test]
fn the_json_feed_is_valid_json_feed_1_1() {
    let site = published();
    let out = check_json_feed(&site.public().join("feed.json"));
    assert!(out.status.success(), "JSON Feed 1.1: {}", text(&out));
    let feed: Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    let siege =
        feed["items"].as_array().unwrap().iter().find(|i| i["_incident"]["slug"] == "2023-03-27-synthetic-siege");
    assert_eq!(siege.unwrap()["_incident"]["end_date"], "2023-03-31");

    // The control: an item with no content, and a repeated id, fail.
    let mut broken = feed.clone();
    broken["items"][0].as_object_mut().unwrap().remove("content_text");
    broken["items"][0].as_object_mut().unwrap().remove("content_html");
    broken["items"][1]["id"] = broken["items"][2]["id"].clone();
    site.file("broken.json", &broken.to_string());
    let out = check_json_feed(&site.root().join("broken.json"));
    assert!(!out.status.success(), "accepted an item without content");
    let said = text(&out);
    assert!(said.contains("items/0") && said.contains("used twice"), "{said}");
}
