//! The built site in a real browser (Debian's headless Chromium), served by
//! a plain static file server under a GitHub Pages-style sub-path.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Page, SiteTest, python};

/// Python's `http.server` serving a folder on a free loopback port; killed on drop.
pub struct StaticServer {
    child: Child,
    pub port: u16,
}

impl StaticServer {
    pub fn start(dir: &Path) -> StaticServer {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(python())
            .args(["-m", "http.server", &port.to_string(), "--bind", "127.0.0.1", "--directory"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 is needed to serve the site");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "static server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        StaticServer { child, port }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromium() -> String {
    let path = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&path).exists(),
        "Chromium not found at {path}: install Debian's `chromium` package (scripts/test does) or set CHROMIUM"
    );
    path
}

/// Loads `url` in headless Chromium; returns the DOM it built. (`--dump-dom`
/// needs scripting on; the pages themselves ship no script, which
/// `pages_need_no_javascript` checks.)
pub fn dump_dom(url: &str, profile: &Path) -> String {
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(output.status.success(), "chromium failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn pages_render_in_chromium_under_a_sub_path() {
    let site = SiteTest::fixture("briefs");
    let served = tempfile::tempdir().unwrap();
    let server = StaticServer::start(served.path());
    let base = format!("http://127.0.0.1:{}/sub/", server.port);
    let out = served.path().join("sub");
    site.run(&["build", "--base-url", &base, "--output", out.to_str().unwrap()]).success();
    let profile = tempfile::tempdir().unwrap();

    let brief = Page(scraper::Html::parse_document(&dump_dom(
        &format!("{base}briefs/2023-08-14-synthetic-outpost/"),
        profile.path(),
    )));
    assert_eq!(brief.texts("h1"), ["Synthetic attack on Outpost Alpha"]);
    assert_eq!(brief.attrs("link[rel=stylesheet]", "href"), ["/sub/style.css"]);
    // Following the page's own link to its country lands on the country index.
    let country_link = brief.attrs(".kicker a", "href").remove(0);
    let country = Page(scraper::Html::parse_document(&dump_dom(
        &format!("http://127.0.0.1:{}{country_link}", server.port),
        profile.path(),
    )));
    assert_eq!(country.texts("h1"), ["Niger"]);
    assert!(country.texts(".brief-list h3").contains(&"Synthetic attack on Outpost Alpha".to_string()));
}

#[test]
fn pages_need_no_javascript() {
    let site = SiteTest::fixture("briefs");
    site.build().success();
    for file in site.output_files().into_iter().filter(|f| f.ends_with(".html")) {
        let page = site.page(&file);
        if file == "search/index.html" {
            // Search runs in the browser; without JavaScript the page says
            // so and links to the indices, which need none.
            let noscript = site.read(&file);
            for index in ["/countries/", "/groups/", "/archive/"] {
                assert!(noscript.contains(&format!("<a href=\"{index}\">")), "{file}: no link to {index}");
            }
            assert!(noscript.contains("<noscript>"), "{file}");
            continue;
        }
        // Structured data (JSON-LD) is not a script a browser runs.
        assert!(page.attrs("script", "src").is_empty(), "{file} loads a script");
        let runnable = page.texts("script:not([type='application/ld+json'])");
        assert!(runnable.is_empty(), "{file} has a script: {runnable:?}");
        let inline_handlers = site.read(&file).contains(" onclick=") || site.read(&file).contains(" onload=");
        assert!(!inline_handlers, "{file} has an inline event handler");
    }
}

/// A brief printed to PDF by Chromium (`--print-to-pdf`), as a reader would
/// save it, keeps its facts, figures, sources and revision log and drops the
/// site's navigation, footer and links to other briefs. The PDF's text is
/// read with poppler's `pdftotext`.
#[test]
fn a_printed_brief_keeps_its_facts_and_drops_navigation() {
    let site = SiteTest::fixture("briefs");
    site.build().success();
    let server = StaticServer::start(&site.public());
    let profile = tempfile::tempdir().unwrap();
    let pdf = profile.path().join("brief.pdf");
    let url = format!("http://127.0.0.1:{}/briefs/2023-08-14-synthetic-outpost/", server.port);
    let output = Command::new(chromium())
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        .arg(format!("--user-data-dir={}", profile.path().join("profile").display()))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&url)
        .output()
        .expect("run chromium");
    assert!(pdf.is_file(), "no PDF written: {}", String::from_utf8_lossy(&output.stderr));
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (Debian's poppler-utils)");
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout).split_whitespace().collect::<Vec<_>>().join(" ");

    let page = site.page("briefs/2023-08-14-synthetic-outpost/index.html");
    // Kept: the headline, the figures, the sources and the revision log.
    for kept in [
        "Synthetic attack on Outpost Alpha",
        "Sources",
        "Synthetic Ministry statement",
        "Synthetic Wire",
        "Revisions",
        "best estimate changed from 11 or more to 14",
    ] {
        assert!(text.contains(kept), "the printed brief lost `{kept}`:\n{text}");
    }
    let figures = page.texts(".facts .figure");
    assert!(figures.len() >= 2, "killed and injured: {figures:?}");
    for figure in figures {
        assert!(text.contains(&format!(" {figure} ")), "the printed brief lost the figure {figure}:\n{text}");
    }
    // Dropped: skip link, site navigation, footer, links to neighbouring briefs.
    let neighbours = page.texts(".prev-next a");
    assert!(!neighbours.is_empty(), "the page has neighbours to drop");
    for dropped in ["Skip to content", "Built with sitrep"].iter().map(|s| s.to_string()).chain(neighbours) {
        let dropped = dropped.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(!text.contains(&dropped), "the printed brief still shows `{dropped}`");
    }
    // The navigation's links, as they would print one after another ("Armed
    // groups" alone is also a label of the facts, which stays).
    let nav = page.texts(".site-header nav a").join(" ");
    assert!(nav.contains("Countries") && !text.contains(&nav), "the printed brief still shows the navigation `{nav}`");
}
