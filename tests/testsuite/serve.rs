//! `sitrep serve` driven as a person would: start it on a free port, fetch
//! pages, edit, add, delete and break briefs on disk, and watch the
//! live-reload events and the served pages change.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::harness::{Page, SiteTest, TODAY};

/// A running `sitrep serve`, stopped on drop.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub base: String,
}

impl Server {
    pub fn start(site: &SiteTest, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .args(extra)
            .env("SITREP_TODAY", TODAY)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sitrep serve");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        // A site served before it is all made ("ready in") is made and
        // checked just after: wait for that, as each test's changes are to
        // the whole site.
        if first.contains("(ready in") {
            let mut line = String::new();
            while stdout.read_line(&mut line).unwrap_or(0) > 0 && !line.contains("the whole site made") {
                line.clear();
            }
        }
        // Keep reading what the server prints, as a terminal would.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        // "Serving <title> at http://127.0.0.1:PORT/base/ (ready in N ms)"
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {first:?}"));
        let rest = url.trim_start_matches("http://127.0.0.1:");
        let (port, base) = rest.split_at(rest.find('/').unwrap());
        Server { child, port: port.parse().unwrap(), base: base.to_string() }
    }

    /// Sends a raw request line (so that paths are not normalised on the
    /// way) and returns the status code and body.
    pub fn raw(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut request =
            format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n", self.port);
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8_lossy(&response).into_owned();
        let status = response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        self.raw("GET", &format!("{}{}", self.base, path.trim_start_matches('/')), &[])
    }

    pub fn page(&self, path: &str) -> Page {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}");
        Page(scraper::Html::parse_document(&body))
    }

    /// Subscribes to the live-reload stream; events arrive on the channel
    /// as (event name, data).
    pub fn events(&self) -> mpsc::Receiver<(String, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let request = format!("GET {}__sitrep/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", self.base, self.port);
        stream.write_all(request.as_bytes()).unwrap();
        // The server subscribes before it answers: once the headers are in,
        // no later change can be missed.
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "event stream refused: {line}");
        while line.trim_end() != "" {
            line.clear();
            reader.read_line(&mut line).unwrap();
        }
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (String::new(), Vec::new());
            for line in reader.lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ").or(line.strip_prefix("data:")) {
                    data.push(d.to_string());
                } else if line.is_empty() && !name.is_empty() {
                    if tx.send((std::mem::take(&mut name), data.join("\n"))).is_err() {
                        break;
                    }
                    data.clear();
                }
            }
        });
        rx
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for the next event named `name`, skipping others.
#[track_caller]
pub fn expect_event(events: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok((n, data)) if n == name => return data,
            Ok(_) => continue,
            Err(_) => panic!("no `{name}` event within 10 s"),
        }
    }
}

fn brief(title: &str, date: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\ncountry: NE\n---\nSynthetic body.\n")
}

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file("content/briefs/a.md", &brief("Synthetic A", "2023-01-01"));
    site.file("content/briefs/b.md", &brief("Synthetic B", "2023-02-01"));
    site
}

#[test]
fn serves_the_site_and_writes_nothing_to_disk() {
    let site = site();
    let server = Server::start(&site, &[]);
    assert_eq!(server.page("briefs/a/").text("h1"), "Synthetic A");
    assert_eq!(server.page("countries/ne/").texts(".brief-list h3"), ["Synthetic B", "Synthetic A"]);
    assert!(!site.public().exists(), "serve must not write public/");
    // The live-reload script is added when serving, and only then.
    assert_eq!(server.page("briefs/a/").attrs("script", "src"), ["/__sitrep/live.js"]);
    site.build().success();
    assert!(site.page("briefs/a/index.html").attrs("script", "src").is_empty());
}

#[test]
fn editing_a_brief_updates_its_page_and_indices_and_sends_reload() {
    let site = site();
    let server = Server::start(&site, &[]);
    let events = server.events();
    site.file("content/briefs/a.md", &brief("Synthetic A, revised", "2023-03-01"));
    expect_event(&events, "reload");
    assert_eq!(server.page("briefs/a/").text("h1"), "Synthetic A, revised");
    // Now the newest: first on the country page, and B links to it as newer.
    assert_eq!(server.page("countries/ne/").texts(".brief-list h3"), ["Synthetic A, revised", "Synthetic B"]);
    assert!(server.page("briefs/b/").text(".prev-next").contains("Newer in Niger: Synthetic A, revised"));
    assert!(server.page("archive/2023/").texts(".brief-list h3").contains(&"Synthetic A, revised".to_string()));
}

#[test]
fn adding_and_deleting_briefs_adds_and_removes_their_pages() {
    let site = site();
    let server = Server::start(&site, &[]);
    let events = server.events();
    site.file("content/briefs/2024/c.md", &brief("Synthetic C", "2024-05-01"));
    expect_event(&events, "reload");
    assert_eq!(server.page("briefs/c/").text("h1"), "Synthetic C");
    assert_eq!(server.page("archive/").texts(".index-table th[scope=row]"), ["2024", "2023"]);

    std::fs::remove_file(site.root().join("content/briefs/2024/c.md")).unwrap();
    // Creating the folder and the file may have made two reloads; wait for
    // the one that follows the deletion.
    for _ in 0..3 {
        expect_event(&events, "reload");
        if server.get("briefs/c/").0 == 404 {
            break;
        }
    }
    let (status, body) = server.get("briefs/c/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the 404 page is served");
    assert_eq!(server.page("countries/ne/").texts(".brief-list h3"), ["Synthetic B", "Synthetic A"]);
    assert_eq!(server.get("archive/2024/").0, 404);
    assert_eq!(server.page("archive/").texts(".index-table th[scope=row]"), ["2023"]);
}

#[test]
fn a_broken_brief_shows_its_problem_and_the_last_good_pages_stay() {
    let site = site();
    let server = Server::start(&site, &[]);
    let events = server.events();
    site.file("content/briefs/a.md", "---\ntitle: Synthetic A\ndate: 28/09/2023\ncountry: NE\n---\n");
    let problems = expect_event(&events, "problems");
    // The same text the terminal and `check` print, with file and line.
    let check = site.check().problems();
    assert_eq!(problems.trim_end(), check.trim_end());
    assert!(problems.contains("content/briefs/a.md:3:7"), "{problems}");
    assert_eq!(server.page("briefs/a/").text("h1"), "Synthetic A");
    // A page opened now learns of the problems as soon as it connects.
    let late = server.events();
    assert!(expect_event(&late, "problems").contains("is not a date"));

    site.file("content/briefs/a.md", &brief("Synthetic A, fixed", "2023-01-01"));
    expect_event(&events, "fixed");
    assert_eq!(server.page("briefs/a/").text("h1"), "Synthetic A, fixed");
}

#[test]
fn template_and_stylesheet_changes_are_picked_up() {
    let site = site();
    site.file("static/style.css", "body { color: black; }\n");
    let server = Server::start(&site, &[]);
    let events = server.events();
    site.file("static/style.css", "body { color: navy; }\n");
    expect_event(&events, "css");
    assert_eq!(server.get("style.css").1, "body { color: navy; }\n");
    site.file(
        "templates/brief.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Custom {{ brief.title }}</h1>{% endblock main %}",
    );
    expect_event(&events, "reload");
    assert_eq!(server.page("briefs/b/").text("h1"), "Custom Synthetic B");
}

#[test]
fn a_changed_translation_file_is_picked_up_and_a_broken_one_shown() {
    let site = site();
    let server = Server::start(&site, &[]);
    let events = server.events();
    // The `i18n/` folder is made while serve runs: it is watched from then on.
    site.file("i18n/en.yaml", "brief:\n  facts: The facts\n");
    expect_event(&events, "reload");
    assert_eq!(server.page("briefs/b/").text("#facts-heading"), "The facts");
    site.file("i18n/en.yaml", "brief:\n  facts: The essentials\n");
    expect_event(&events, "reload");
    assert_eq!(server.page("briefs/b/").text("#facts-heading"), "The essentials");
    // Broken, it is shown as check reports it; the last good pages stay.
    site.file("i18n/en.yaml", "count:\n  killed: \"{count} dead\"\n");
    let problems = expect_event(&events, "problems");
    assert!(problems.contains("`count.killed` counts something"), "{problems}");
    assert!(problems.contains("i18n/en.yaml:2:3"), "{problems}");
    assert_eq!(server.page("briefs/b/").text("#facts-heading"), "The essentials");
}

#[test]
fn a_sub_path_base_url_is_served_under_its_path() {
    let site = site();
    let server = Server::start(&site, &["--base-url", "https://org.github.io/briefs/"]);
    assert_eq!(server.base, "/briefs/");
    let page = server.page("briefs/a/");
    assert_eq!(page.attrs("link[rel=stylesheet]", "href"), ["/briefs/style.css"]);
    assert_eq!(server.get("style.css").0, 200);
    assert_eq!(server.raw("GET", "/", &[]).0, 301, "the root redirects to the base path");
    assert_eq!(server.raw("GET", "/briefs/a/", &[]).0, 404, "pages live only under the base path");
}

#[test]
fn path_traversal_attempts_get_no_file_contents() {
    let site = site();
    // (A link from static/ to a file outside the site is an error of the
    // site itself: see trust::links_out_of_the_site_are_refused.)
    site.file("content/secret.md", "---\ntitle: Not served raw\n---\nTOP-SECRET-SOURCE\n");
    let server = Server::start(&site, &[]);
    let attempts = [
        "/../../../../etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/%252e%252e/etc/passwd",
        "/..\\..\\etc\\passwd",
        "/..%5c..%5cetc%5cpasswd",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/briefs/../../site.yaml",
        "/./site.yaml",
        "/site.yaml",
        "/content/secret.md",
        "/leak.txt",
        "/static/leak.txt",
        "/%00/etc/passwd",
        "/..%00/etc/passwd",
        "/%c0%ae%c0%ae/etc/passwd",
    ];
    for target in attempts {
        let (status, body) = server.raw("GET", target, &[]);
        assert!(status == 400 || status == 404, "{target}: status {status}");
        for secret in ["root:", "TOP-SECRET", "title: Test site"] {
            assert!(!body.contains(secret), "{target} leaked {secret}");
        }
    }
    // Only GET and HEAD.
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        assert_eq!(server.raw(method, "/", &[]).0, 405, "{method}");
    }
    let (status, body) = server.raw("HEAD", "/briefs/a/", &[]);
    assert_eq!((status, body.as_str()), (200, ""));
}

#[test]
fn the_live_reload_stream_refuses_other_origins_and_hosts() {
    let site = site();
    let server = Server::start(&site, &[]);
    let target = "/__sitrep/events";
    assert_eq!(server.raw("GET", target, &[("Origin", "http://evil.example")]).0, 403);
    assert_eq!(server.raw("GET", target, &[("Sec-Fetch-Site", "cross-site")]).0, 403);
    // A page fetched under another host name (DNS rebinding) is refused too.
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 403"), "{response}");
}

#[test]
fn content_types_are_right_for_each_kind_of_file() {
    let site = site();
    site.file("static/map.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.file("static/data.json", "{}");
    let server = Server::start(&site, &[]);
    let content_type = |path: &str| {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        write!(stream, "HEAD /{path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", server.port)
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response.lines().find_map(|l| l.strip_prefix("content-type: ").map(str::to_string)).unwrap_or_default()
    };
    assert_eq!(content_type(""), "text/html; charset=utf-8");
    assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
    assert_eq!(content_type("map.svg"), "image/svg+xml; charset=utf-8");
    assert_eq!(content_type("data.json"), "application/json; charset=utf-8");
    assert_eq!(content_type("__sitrep/live.js"), "text/javascript; charset=utf-8");
}

#[test]
fn moving_a_brief_between_groups_and_countries_updates_both_sides() {
    let site = SiteTest::new();
    site.file("content/groups/parent.md", "---\nname: Parent\n---\n");
    site.file("content/groups/child.md", "---\nname: Child\naffiliation: Parent\n---\n");
    site.file("content/groups/other.md", "---\nname: Other\n---\n");
    site.file(
        "content/briefs/a.md",
        "---\ntitle: Synthetic A\ndate: 2023-01-01\ncountry: NE\narmed_groups: [Child]\n---\n",
    );
    site.file(
        "content/briefs/b.md",
        "---\ntitle: Synthetic B\ndate: 2023-01-02\ncountry: NE\narmed_groups: [Other]\n---\n",
    );
    let server = Server::start(&site, &[]);
    let events = server.events();
    assert_eq!(server.page("groups/parent/").texts(".brief-list h3"), ["Synthetic A"]);

    site.file(
        "content/briefs/a.md",
        "---\ntitle: Synthetic A\ndate: 2023-01-01\ncountry: ML\narmed_groups: [Other]\n---\n",
    );
    expect_event(&events, "reload");
    assert!(server.page("groups/parent/").texts(".brief-list h3").is_empty());
    assert!(server.page("groups/child/").texts(".brief-list h3").is_empty());
    assert_eq!(server.page("groups/other/").texts(".brief-list h3"), ["Synthetic B", "Synthetic A"]);
    assert_eq!(server.page("countries/ne/").texts(".brief-list h3"), ["Synthetic B"]);
    assert_eq!(server.page("countries/ml/").texts(".brief-list h3"), ["Synthetic A"]);
    // B lost its neighbour in Niger.
    assert!(server.page("briefs/b/").texts(".prev-next").is_empty());
    // Every page now served is what a full build would write.
    site.build().success();
    for file in site.output_files().into_iter().filter(|f| f.ends_with("index.html")) {
        let url = file.trim_end_matches("index.html");
        let served = server.page(url);
        assert_eq!(served.main_html(), site.page(&file).main_html(), "{file} differs from a full build");
    }
}

#[test]
fn an_edit_in_place_updates_exactly_what_a_full_build_would() {
    let site = SiteTest::new();
    site.file("site.yaml", "title: Synthetic\nbase_url: /\npaginate_by: 2\n");
    site.file("content/groups/g.md", "---\nname: G\n---\n");
    for i in 1..=5 {
        site.file(
            &format!("content/briefs/b{i}.md"),
            &format!("---\ntitle: Synthetic {i}\ndate: 2023-01-0{i}\ncountry: NE\narmed_groups: [G]\n---\n"),
        );
    }
    let server = Server::start(&site, &[]);
    let events = server.events();
    let same_as_full_build = || {
        site.build().success();
        for file in site.output_files().into_iter().filter(|f| f.ends_with("index.html")) {
            let served = server.page(file.trim_end_matches("index.html"));
            assert_eq!(served.main_html(), site.page(&file).main_html(), "{file} differs from a full build");
        }
    };
    // A new figure changes the totals on every page of the indices.
    site.file(
        "content/briefs/b3.md",
        "---\ntitle: Synthetic 3\ndate: 2023-01-03\ncountry: NE\narmed_groups: [G]\nfatalities: 4\n---\n",
    );
    expect_event(&events, "reload");
    same_as_full_build();
    // Only the title: only the pages showing the brief change.
    site.file(
        "content/briefs/b3.md",
        "---\ntitle: Synthetic 3, retitled\ndate: 2023-01-03\ncountry: NE\narmed_groups: [G]\nfatalities: 4\n---\n",
    );
    expect_event(&events, "reload");
    same_as_full_build();
    assert_eq!(server.page("groups/g/page/2/").texts(".brief-list h3"), ["Synthetic 3, retitled", "Synthetic 2"]);
}

#[test]
fn renaming_a_brief_moves_its_page() {
    let site = site();
    let server = Server::start(&site, &[]);
    let events = server.events();
    std::fs::rename(site.root().join("content/briefs/a.md"), site.root().join("content/briefs/renamed.md")).unwrap();
    expect_event(&events, "reload");
    assert_eq!(server.get("briefs/a/").0, 404);
    assert_eq!(server.page("briefs/renamed/").text("h1"), "Synthetic A");
    assert!(server.page("briefs/b/").links().contains(&"/briefs/renamed/".to_string()));
}

/// Sends a GET for `path` (relative to the base) and returns the status and
/// the body's bytes.
pub fn get_bytes(server: &Server, path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let request =
        format!("GET {}{path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", server.base, server.port);
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let end = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a response with headers");
    let head = String::from_utf8_lossy(&response[..end]).into_owned();
    assert!(!head.to_ascii_lowercase().contains("transfer-encoding: chunked"), "{head}");
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, response[end + 4..].to_vec())
}

/// The page as `build` writes it: the live-reload tag `serve` adds before
/// `</body>` taken out.
fn without_live_reload(html: &[u8], base: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let start = format!("<script src=\"{base}__sitrep/live.js\"");
    let Some(at) = text.find(&start) else { return html.to_vec() };
    let end = at + text[at..].find("</script>").expect("a closed script") + "</script>".len();
    format!("{}{}", &text[..at], &text[end..]).into_bytes()
}

/// Builds the site into a fresh folder and fetches every file the build
/// wrote from `serve`: each must be there, byte for byte the same (HTML
/// apart from the live-reload tag). Returns how many files were compared.
#[track_caller]
pub fn assert_serves_what_build_writes(site: &SiteTest, server: &Server, base_url: &str, step: &str) -> usize {
    // A folder inside the temporary one: the writer keeps its standby
    // generation beside the output, which is then removed with it.
    let temporary = tempfile::tempdir().unwrap();
    let out = temporary.path().join("public");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["build", "--base-url", base_url, "--output"])
        .arg(&out)
        .arg("--root")
        .arg(site.root())
        .env("SITREP_TODAY", TODAY)
        .output()
        .unwrap();
    assert!(run.status.success(), "{step}: build failed: {}", String::from_utf8_lossy(&run.stderr));
    let mut compared = 0;
    let mut wrong = Vec::new();
    for entry in walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
        if rel == ".sitrep-output" {
            continue; // the writer's manifest, not part of the site
        }
        let written = std::fs::read(entry.path()).unwrap();
        let serve = || {
            let (status, served) = get_bytes(server, &rel);
            (status, if rel.ends_with(".html") { without_live_reload(&served, &server.base) } else { served })
        };
        let (mut status, mut served) = serve();
        // After an edit the preview answers searches from the index made
        // before it while it makes the new one: the search bundle must
        // become the build's within a while, the rest at once.
        let deadline = Instant::now() + Duration::from_secs(30);
        while (rel.starts_with("pagefind/") || rel.contains("/pagefind/"))
            && (status != 200 || served != written)
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(50));
            (status, served) = serve();
        }
        if status != 200 {
            wrong.push(format!("{rel}: status {status}"));
        } else if served != written {
            wrong.push(format!("{rel}: different bytes"));
        }
        compared += 1;
    }
    assert!(wrong.is_empty(), "{step}: served files differ from the build:\n{}", wrong.join("\n"));
    compared
}

#[test]
fn serves_every_file_build_writes_byte_for_byte_after_every_kind_of_change() {
    let site = SiteTest::fixture("briefs");
    let base_url = "https://example.org/sub/";
    let server = Server::start(&site, &["--base-url", base_url]);
    let events = server.events();
    let count = assert_serves_what_build_writes(&site, &server, base_url, "start");
    // Feeds, data downloads, schemas and the publishing files are among them.
    for path in ["atom.xml", "feed.json", "data/incidents.csv", "countries/ne/atom.xml", "sitemap.xml", "robots.txt"] {
        assert_eq!(get_bytes(&server, path).0, 200, "{path}");
    }
    assert!(count > 50, "only {count} files compared");

    let brief = "content/briefs/2022/2022-04-03-synthetic-market.md";
    let text = std::fs::read_to_string(site.root().join(brief)).unwrap();
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let steps: Vec<Step> = vec![
        (
            "a brief's text edited",
            Box::new(|| {
                site.file(brief, &format!("{text}\nAn added synthetic sentence.\n"));
            }),
        ),
        (
            // The site has the same outputs (a brief's page, at the same
            // place in every list), one of them at another path.
            "a brief's slug set in its front matter",
            Box::new(|| {
                site.file(brief, &text.replacen("---\n", "---\nslug: synthetic-market-renamed\n", 1));
            }),
        ),
        (
            "a brief's figures and date edited",
            Box::new(|| {
                let edited = text.replace("date: 2022-04-03", "date: 2022-01-02").replace("best: 40", "best: 42");
                site.file(brief, &edited);
            }),
        ),
        (
            "a brief added",
            Box::new(|| {
                site.file(
                    "content/briefs/2023/2023-09-01-synthetic-new.md",
                    "---\ntitle: Synthetic new brief\ndate: 2023-09-01\ncountry: TD\narmed_groups: [SAF]\nfatalities: 4\n---\nSynthetic brief for tests.\n",
                );
            }),
        ),
        (
            "a brief renamed",
            Box::new(|| {
                let from = site.root().join("content/briefs/2023/2023-09-01-synthetic-new.md");
                std::fs::rename(from, site.root().join("content/briefs/2023/2023-09-01-synthetic-renamed.md")).unwrap();
            }),
        ),
        (
            "a brief deleted",
            Box::new(|| {
                std::fs::remove_file(site.root().join("content/briefs/2023/2023-09-01-synthetic-renamed.md")).unwrap()
            }),
        ),
        (
            "a group added",
            Box::new(|| {
                site.file("content/groups/synthetic-new.md", "---\nname: Synthetic New Group\n---\nInvented.\n");
            }),
        ),
        (
            "a template added",
            Box::new(|| {
                site.file(
                    "templates/404.html",
                    "{% extends \"base.html\" %}{% block main %}<h1>Synthetic: not here</h1>{% endblock main %}",
                );
            }),
        ),
        (
            "a static file added",
            Box::new(|| {
                site.file("static/img/synthetic.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
            }),
        ),
        (
            "a static file deleted",
            Box::new(|| std::fs::remove_file(site.root().join("static/img/synthetic.svg")).unwrap()),
        ),
    ];
    for (step, change) in steps {
        change();
        let deadline = Instant::now() + Duration::from_secs(10);
        // Any event: pages reload, or a stylesheet is swapped.
        events
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("{step}: no event"));
        assert_serves_what_build_writes(&site, &server, base_url, step);
    }
    assert_eq!(get_bytes(&server, "img/synthetic.svg").0, 404);
}

#[test]
fn a_broken_link_is_shown_in_the_overlay_as_check_reports_it() {
    let site = site();
    let server = Server::start(&site, &[]);
    let events = server.events();
    site.file(
        "content/briefs/a.md",
        "---\ntitle: Synthetic A\ndate: 2023-01-01\ncountry: NE\n---\n[x](/briefs/nowhere/)\n",
    );
    let shown = expect_event(&events, "problems");
    assert!(
        shown.contains("error[broken-link]: link to `/briefs/nowhere/`, which is not a page of the site"),
        "{shown}"
    );
    assert!(shown.contains("content/briefs/a.md:6:1"), "{shown}");
    // The same words as `check`.
    let checked = site.check().problems();
    assert!(checked.contains(shown.lines().next().unwrap()), "{checked}");
    // The last good page is still served.
    assert_eq!(server.page("briefs/a/").text("h1"), "Synthetic A");
}

#[test]
fn slow_clients_neither_block_pages_nor_hold_connections_for_ever() {
    let site = site();
    let server = Server::start(&site, &[]);
    // 150 clients that send half a request and then nothing ("slow loris").
    let slow: Vec<TcpStream> = (0..150)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            stream.write_all(format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n", server.port).as_bytes()).unwrap();
            stream
        })
        .collect();
    // A reader's page is still served while they hang on.
    assert_eq!(server.get("briefs/a/").0, 200);
    // And the server closes their connections once the header timeout
    // (5 s) has passed: a read then ends (0 bytes) or fails, instead of
    // waiting. The bound here is only a guard against hanging the suite.
    for mut stream in slow {
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut buffer = [0; 512];
        match stream.read(&mut buffer) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("a slow client's connection is still open after 30 s: {e}"),
        }
    }
}

#[test]
fn open_connections_are_capped() {
    let site = site();
    let server = Server::start(&site, &[]);
    // More clients than the cap (512), each sending half a request.
    let slow: Vec<TcpStream> = (0..600)
        .filter_map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", server.port)).ok()?;
            stream.write_all(b"GET / HTTP/1.1\r\n").ok()?;
            Some(stream)
        })
        .collect();
    assert!(slow.len() >= 550, "only {} connections could be opened", slow.len());
    std::thread::sleep(Duration::from_millis(500));
    // The server holds at most the cap (and a few files of its own); the
    // rest wait in the kernel's queue.
    let open = std::fs::read_dir(format!("/proc/{}/fd", server.child.id())).unwrap().count();
    assert!(open < 512 + 64, "the server holds {open} files");
    // Once the slow ones time out, a reader is answered.
    assert_eq!(server.get("briefs/a/").0, 200);
    drop(slow);
}
