//! Property tests (proptest): generated briefs, hostile or plain, through
//! the real binary. Whatever the bytes, `sitrep build` either builds (exit
//! 0) or reports problems (exit 1), never panics or stops otherwise; and
//! what it builds is what each format requires: Atom feeds and the sitemap
//! well-formed XML (xmllint), JSON that parses, CSV rows of one width, and
//! pages with no script but JSON-LD data. The fuzz targets in `fuzz/` push
//! the same properties much further (scripts/fuzz); these keep them in
//! every test run.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

use crate::harness::SiteTest;

/// Text an editor (or an attacker) might write, as a quoted YAML string.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 .,'-]{1,20}",
        "[^\\p{C}\"\\\\]{1,12}",
        Just("]]> <script>alert(1)</script> & &amp;".to_string()),
        Just("=HYPERLINK(\"https://e.org\")".to_string()),
        Just("javascript:alert(1)".to_string()),
        Just("@SUM(1+1) -2+3 +x".to_string()),
        Just("A & B <c> ' \"".to_string()),
    ]
    .prop_map(|t| format!("{t:?}"))
}

/// One front-matter field: mostly valid values (hostile text included),
/// sometimes a mistake.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => text().prop_map(|t| format!("summary: {t}\n")),
        4 => text().prop_map(|t| format!("location: {t}\n")),
        4 => prop::collection::vec(text(), 1..3).prop_map(|t| format!("tags: [{}]\n", t.join(", "))),
        4 => prop::collection::vec(text(), 1..3).prop_map(|t| format!("armed_groups: [{}]\n", t.join(", "))),
        3 => prop::collection::vec(text(), 1..3).prop_map(|t| format!("targets: [{}]\n", t.join(", "))),
        3 => text().prop_map(|t| format!("sources: [{{name: {t}, url: \"https://example.org/?a=1&b=<2>\"}}]\n")),
        3 => (0u64..1000, 0u64..50).prop_map(|(best, extra)| format!("fatalities: {{best: {best}, high: {}}}\n", best + extra)),
        2 => text().prop_map(|t| format!("extra: {{note: {t}}}\n")),
        2 => Just("coordinates: {lat: 14.6, lon: -1.2}\n".to_string()),
        1 => Just("date_precision: week\n".to_string()),
        1 => Just("unknown_field: x\n".to_string()),
        1 => Just("fatalities: -3\n".to_string()),
        1 => Just("summary: \"\\e[2J \\uFFFE\"\n".to_string()),
        1 => Just("aliases: [\"/briefs//x/\"]\n".to_string()),
    ]
}

/// Front matter: the required fields (nearly always) and others.
fn front() -> impl Strategy<Value = String> {
    (prop::bool::weighted(0.9), text(), prop::collection::vec(field(), 0..5)).prop_map(|(required, title, fields)| {
        let mut front = String::new();
        if required {
            front.push_str(&format!("title: {title}\ndate: 2023-01-01\ncountry: NE\n"));
        }
        let mut seen = std::collections::HashSet::new();
        for field in fields {
            // One of each key: a key set twice is a mistake of its own.
            if seen.insert(field.split(':').next().unwrap_or("").to_string()) {
                front.push_str(&field);
            }
        }
        front
    })
}

/// A body of Markdown and raw HTML pieces, hostile ones among them.
fn body() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => "[a-zA-Z ]{0,30}\n\n",
        3 => "[^\\p{C}]{0,20}\n\n",
        2 => Just("## Heading {#id onclick=x}\n\n".to_string()),
        2 => Just("## Heading\n\n## Heading\n\n".to_string()),
        2 => Just("[ok](/briefs/generated/) [out](https://example.org/?a=1&b=2) ".to_string()),
        3 => Just("<script>alert(1)</script>\n\n".to_string()),
        3 => Just("<img src=x onerror=alert(1)> <a href=\"/countries/ne/\">ne</a>".to_string()),
        2 => Just("<details open><summary>s</summary>t</details>\n\n".to_string()),
        2 => Just("<div><div><p>unclosed".to_string()),
        2 => Just("| a | b |\n|---|---|\n| <sup>1</sup> | `c` |\n\n".to_string()),
        2 => Just("> quote[^1]\n\n[^1]: note\n\n".to_string()),
        2 => Just("]]> & < > \" ' <![CDATA[ x ]]>\n\n".to_string()),
        1 => Just("[x](javascript:alert(1)) ".to_string()),
        1 => Just("[missing](/nope/) ".to_string()),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

/// The runner's settings: a fixed seed, so that every run (CI's included)
/// tries the same cases and a failure can be replayed; `PROPTEST_RNG_SEED`
/// picks other cases. (The fuzz targets explore without end.)
fn config(cases: u32) -> Config {
    let seed = std::env::var("PROPTEST_RNG_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20_261_125);
    Config { cases, failure_persistence: None, rng_seed: RngSeed::Fixed(seed), ..Config::default() }
}

fn check_outputs(site: &SiteTest) {
    for rel in site.output_files() {
        let path = site.public().join(&rel);
        let bytes = std::fs::read(&path).unwrap();
        if rel.ends_with(".xml") {
            let out = std::process::Command::new("xmllint").arg("--noout").arg(&path).output().expect("xmllint");
            assert!(out.status.success(), "{rel}: {}", String::from_utf8_lossy(&out.stderr));
        } else if rel.ends_with(".json") || rel.ends_with(".geojson") {
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        } else if rel.ends_with(".csv") {
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
            let widths: std::collections::BTreeSet<usize> = reader.records().map(|r| r.unwrap().len()).collect();
            assert!(widths.len() <= 1, "{rel}: rows of widths {widths:?}");
        } else if rel.ends_with(".html") {
            let page = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
            let scripts = scraper::Selector::parse("script").unwrap();
            if rel == "search/index.html" {
                // The search page runs Pagefind's interface, and nothing
                // from the briefs.
                let sources: Vec<Option<&str>> = page.select(&scripts).map(|s| s.value().attr("src")).collect();
                assert!(
                    matches!(sources[..], [Some(src), None] if src.ends_with("/pagefind/pagefind-ui.js")),
                    "{rel}: {sources:?}"
                );
                continue;
            }
            for script in page.select(&scripts) {
                assert_eq!(script.value().attr("type"), Some("application/ld+json"), "{rel}: a script");
                let json: String = script.text().collect();
                serde_json::from_str::<serde_json::Value>(&json).unwrap_or_else(|e| panic!("{rel}: JSON-LD {e}"));
            }
        }
    }
}

/// Builds a site whose one brief holds `text`; checks the run and outputs.
/// Returns whether it built.
fn build_one(text: &[u8]) -> bool {
    let site = SiteTest::new();
    let path = site.root().join("content/briefs/generated.md");
    std::fs::write(&path, text).unwrap();
    site.file("site.yaml", "title: Generated\nbase_url: https://example.org/sub/\n");
    let run = site.build();
    let stderr = run.stderr();
    assert!(!stderr.contains("panicked") && !stderr.contains("internal"), "sitrep failed inside:\n{stderr}");
    assert!(run.code() == 0 || run.code() == 1, "exit {}:\n{stderr}", run.code());
    if run.code() == 0 {
        check_outputs(&site);
    } else {
        assert!(stderr.contains("error["), "a failed build names its problem:\n{stderr}");
        assert!(!site.public().exists(), "a failed build writes nothing");
    }
    run.code() == 0
}

#[test]
fn any_brief_builds_or_is_refused_and_every_output_parses() {
    let mut runner = TestRunner::new(config(48));
    let built = std::cell::Cell::new(0);
    runner
        .run(&(front(), body(), any::<bool>()), |(front, body, fenced)| {
            let text = if fenced { format!("---\n{front}---\n{body}") } else { format!("{front}{body}") };
            built.set(built.get() + usize::from(build_one(text.as_bytes())));
            Ok(())
        })
        .unwrap();
    // Otherwise the checks of the outputs above checked nothing.
    assert!(built.get() >= 5, "only {} of 48 generated briefs built", built.get());
}

#[test]
fn any_bytes_as_a_brief_are_refused_or_built_never_crash() {
    let mut runner = TestRunner::new(config(24));
    runner
        .run(&prop::collection::vec(any::<u8>(), 0..400), |bytes| {
            let mut text = b"---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\n".to_vec();
            text.extend(bytes);
            let _ = build_one(&text);
            Ok(())
        })
        .unwrap();
}
