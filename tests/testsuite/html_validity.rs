//! Every page type passes the Nu Html Checker (vnu-jar from the committed
//! npm lockfile, run with the machine's Java) with zero errors: all pages
//! of the fixture `briefs` and of the layout fixture (redirects, plain pages,
//! pagination), and one page of each type from a generated 1,000-brief site.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::SiteTest;

/// Runs vnu on `files`; returns its error messages as `file:line: message`.
fn vnu_errors(files: &[PathBuf]) -> Vec<String> {
    let jar = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(jar.is_file(), "vnu.jar is missing: run `npm ci` (scripts/test does)");
    let out = Command::new("java")
        .args(["-jar"])
        .arg(&jar)
        .args(["--errors-only", "--format", "json"])
        .args(files)
        .output()
        .expect("java (Debian's default-jre-headless; scripts/test installs it)");
    let report: serde_json::Value = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|e| panic!("vnu printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    report["messages"]
        .as_array()
        .expect("vnu's JSON has messages")
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            let file = m["url"].as_str().unwrap_or("?").rsplit("/public/").next().unwrap_or("?").to_string();
            format!("{file}:{}: {}", m["lastLine"], m["message"].as_str().unwrap_or(""))
        })
        .collect()
}

#[test]
fn every_page_of_the_briefs_fixture_is_valid_html() {
    let site = SiteTest::fixture("briefs");
    site.build().success();
    let pages: Vec<PathBuf> =
        site.output_files().into_iter().filter(|f| f.ends_with(".html")).map(|f| site.public().join(f)).collect();
    // Home, briefs, country and group lists and indices, archive, years, a plain page, 404.
    for kind in
        ["index.html", "briefs/", "countries/ne/", "groups/synthetic-cell/", "archive/2023/", "about/", "404.html"]
    {
        assert!(pages.iter().any(|p| p.to_string_lossy().contains(kind)), "no {kind} page to check");
    }
    let errors = vnu_errors(&pages);
    assert!(errors.is_empty(), "{} HTML errors:\n{}", errors.len(), errors.join("\n"));
}

#[test]
fn every_page_of_the_french_fixture_is_valid_html() {
    let site = SiteTest::fixture("french");
    site.build().success();
    let pages: Vec<PathBuf> =
        site.output_files().into_iter().filter(|f| f.ends_with(".html")).map(|f| site.public().join(f)).collect();
    assert!(pages.len() > 15, "{} pages", pages.len());
    let errors = vnu_errors(&pages);
    assert!(errors.is_empty(), "{} HTML errors:\n{}", errors.len(), errors.join("\n"));
}

#[test]
fn every_french_page_of_the_sample_site_is_valid_html() {
    let site = crate::build::the_repositorys_sample_site();
    site.build().success();
    let pages: Vec<PathBuf> = site
        .output_files()
        .into_iter()
        .filter(|f| f.starts_with("fr/") && f.ends_with(".html"))
        .map(|f| site.public().join(f))
        .collect();
    // Home, translated briefs, indices, archive, the about page, search.
    assert!(pages.len() > 15, "{} French pages", pages.len());
    let errors = vnu_errors(&pages);
    assert!(errors.is_empty(), "{} HTML errors:\n{}", errors.len(), errors.join("\n"));
}

#[test]
fn every_page_of_the_layout_fixture_is_valid_html_redirects_included() {
    let site = SiteTest::fixture("layout");
    site.build().success();
    let pages: Vec<PathBuf> =
        site.output_files().into_iter().filter(|f| f.ends_with(".html")).map(|f| site.public().join(f)).collect();
    assert!(site.read("old/full-brief/index.html").contains("http-equiv=\"refresh\""), "a redirect page is among them");
    let errors = vnu_errors(&pages);
    assert!(errors.is_empty(), "{} HTML errors:\n{}", errors.len(), errors.join("\n"));
}

#[test]
fn every_page_type_of_a_generated_site_is_valid_html() {
    let (site, generated) = crate::synthetic::built();
    let group = &generated.groups[0].slug;
    let brief = &generated.briefs[0].slug;
    let pages: Vec<PathBuf> = [
        "index.html".to_string(),
        format!("briefs/{brief}/index.html"),
        "countries/index.html".into(),
        "countries/ne/index.html".into(),
        "countries/ne/page/2/index.html".into(),
        "groups/index.html".into(),
        format!("groups/{group}/index.html"),
        "archive/index.html".into(),
        "archive/2020/index.html".into(),
        "404.html".into(),
    ]
    .iter()
    .map(|rel| {
        let path = site.public().join(rel);
        assert!(path.is_file(), "{rel} was not built");
        path
    })
    .collect();
    let errors = vnu_errors(&pages);
    assert!(errors.is_empty(), "{} HTML errors:\n{}", errors.len(), errors.join("\n"));
}

#[test]
fn the_checker_does_report_invalid_html() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("public/bad.html");
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    std::fs::write(&page, "<!doctype html><html lang=en><title>x</title><p><div></p></span>").unwrap();
    assert!(!vnu_errors(&[page]).is_empty(), "vnu must fail a broken page, or the tests above prove nothing");
}
