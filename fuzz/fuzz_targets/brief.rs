//! Any bytes as the one brief of a site: validated, and when valid every
//! file of the site rendered. Every output must be what its format
//! requires: feeds and the sitemap well-formed XML 1.0, JSON that parses,
//! CSV with one column count, and pages with no script but JSON-LD data.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scraper::{Html, Selector};

fuzz_target!(|data: &[u8]| {
    let Ok(files) = sitrep::fuzzing::brief(data) else { return };
    for file in &files {
        let bytes = sitrep::fuzzing::bytes(file);
        let path = file.path.as_str();
        if path.ends_with(".xml") {
            let text = std::str::from_utf8(&bytes).expect("XML is UTF-8");
            if let Err(e) = roxmltree::Document::parse(text) {
                panic!("{path} is not well-formed XML: {e}\n{text}");
            }
        } else if path.ends_with(".json") || path.ends_with(".geojson") {
            if let Err(e) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                panic!("{path} is not JSON: {e}");
            }
        } else if path.ends_with(".csv") {
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
            let mut width = None;
            for record in reader.records() {
                let record = record.unwrap_or_else(|e| panic!("{path} is not CSV: {e}"));
                assert_eq!(*width.get_or_insert(record.len()), record.len(), "{path}: rows of different widths");
            }
        } else if path.ends_with(".html") {
            let text = std::str::from_utf8(&bytes).expect("HTML is UTF-8");
            let page = Html::parse_document(text);
            let scripts = Selector::parse("script").expect("a valid selector");
            for script in page.select(&scripts) {
                assert_eq!(script.value().attr("type"), Some("application/ld+json"), "{path}: a script");
                let json: String = script.text().collect();
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&json) {
                    panic!("{path}: JSON-LD does not parse: {e}\n{json}");
                }
            }
        }
    }
});
