//! The test harness: a site in a temporary folder, the real `sitrep`
//! binary run on it, and helpers to read what it wrote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

/// A site under test. Built from a fixture folder in `tests/fixtures/`, or
/// from files written in the test itself; either way it lives in a fresh
/// temporary folder, so builds never touch the repository.
pub struct SiteTest {
    dir: tempfile::TempDir,
}

/// "Today" for every test run, so that messages about future dates do not
/// change from day to day.
pub const TODAY: &str = "2026-01-15";

/// The Python interpreter the tests run (feedparser, geojson, jsonschema,
/// libhxl, a static file server): `SITREP_TEST_PYTHON`, which
/// `scripts/test` sets to the virtual environment it makes in
/// `target/test-python` (Debian's Python with its feedparser, geojson and
/// jsonschema packages, and libhxl from PyPI). Unset (a plain `cargo
/// test`), that environment if `scripts/test` made it, else the first of
/// Debian's `/usr/bin/python3` and the PATH's `python3` that imports
/// feedparser and geojson (a pyenv or virtualenv `python3` does not see
/// Debian's packages); failing that, `python3`, and the tests that need the
/// libraries say what is missing.
pub fn python() -> String {
    static CHOSEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CHOSEN
        .get_or_init(|| {
            if let Ok(python) = std::env::var("SITREP_TEST_PYTHON") {
                return python;
            }
            let imports = |python: &str, modules: &str| {
                Command::new(python)
                    .args(["-c", &format!("import {modules}")])
                    .output()
                    .is_ok_and(|out| out.status.success())
            };
            let made = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-python/bin/python");
            let made = made.to_string_lossy();
            if imports(&made, "feedparser, geojson, jsonschema, hxl") {
                return made.into_owned();
            }
            ["/usr/bin/python3", "python3"]
                .into_iter()
                .find(|p| imports(p, "feedparser, geojson"))
                .unwrap_or("python3")
                .to_string()
        })
        .clone()
}

/// The `site.yaml` of sites made in code.
pub const MINIMAL_CONFIG: &str = "title: Test site\nbase_url: /\n";

impl SiteTest {
    /// An empty site: `site.yaml` and an empty `content/`.
    pub fn new() -> SiteTest {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content/briefs")).unwrap();
        std::fs::write(dir.path().join("site.yaml"), MINIMAL_CONFIG).unwrap();
        SiteTest { dir }
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> SiteTest {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        assert!(from.is_dir(), "no fixture {}", from.display());
        let t = SiteTest { dir: tempfile::tempdir().expect("temp dir") };
        copy_dir(&from, t.root());
        t
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file relative to the site root, creating folders.
    pub fn file(&self, rel: &str, text: &str) -> &SiteTest {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Runs `sitrep <args> --root <site>`.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = self.on_site(Command::new(env!("CARGO_BIN_EXE_sitrep")), args).output().expect("run sitrep");
        Run { output }
    }

    /// Runs `sitrep <args> --root <site>` with the variable `name` set to
    /// `value` in its environment.
    pub fn run_with_env(&self, args: &[&str], name: &str, value: &str) -> Run {
        let mut command = self.on_site(Command::new(env!("CARGO_BIN_EXE_sitrep")), args);
        Run { output: command.env(name, value).output().expect("run sitrep") }
    }

    /// Runs `sitrep <args> --root <site>`, killed after `seconds` (exit code
    /// 124): a guard against work that grows faster than the input (a hang
    /// to a test), set far above what `bench/adversarial.py` measures, so
    /// it never judges speed.
    pub fn run_within(&self, seconds: u32, args: &[&str]) -> Run {
        let mut timeout = Command::new("timeout");
        timeout.arg(seconds.to_string()).arg(env!("CARGO_BIN_EXE_sitrep"));
        let output = self.on_site(timeout, args).output().expect("run timeout(1) and sitrep");
        Run { output }
    }

    /// `command` given sitrep's `args`, this site, and the tests' environment.
    fn on_site(&self, mut command: Command, args: &[&str]) -> Command {
        command.args(args).arg("--root").arg(self.root()).env("NO_COLOR", "1").env("SITREP_TODAY", TODAY);
        command
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    pub fn check(&self) -> Run {
        self.run(&["check"])
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// A file of the built site, as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }

    /// A page of the built site, parsed.
    pub fn page(&self, rel: &str) -> Page {
        Page(Html::parse_document(&self.read(rel)))
    }

    /// Every file under `public/`, relative, sorted.
    pub fn output_files(&self) -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(self.public())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(self.public()).unwrap().to_string_lossy().replace('\\', "/"))
            .collect();
        files.sort();
        files
    }
}

/// Copies the folder `from` to `to`, creating folders.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    /// Asserts success and returns self, showing stderr on failure.
    #[track_caller]
    pub fn success(self) -> Run {
        assert!(self.output.status.success(), "sitrep failed ({}):\n{}", self.code(), self.stderr());
        self
    }

    /// Asserts exit code 1 (problems found) and returns stderr.
    #[track_caller]
    pub fn problems(self) -> String {
        assert_eq!(self.code(), 1, "expected exit code 1; stdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr());
        self.stderr()
    }
}

impl Run {
    /// Asserts exit code 2 (sitrep could not do its job) and returns stderr.
    #[track_caller]
    pub fn could_not_run(self) -> String {
        assert_eq!(self.code(), 2, "expected exit code 2; stdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr());
        self.stderr()
    }
}

/// A parsed HTML page with CSS-selector helpers.
pub struct Page(pub Html);

impl Page {
    fn select(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.0.select(&selector).collect()
    }

    /// The text of every element matching `css`; text from separate elements
    /// is joined by a space, and whitespace is collapsed.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css)
            .iter()
            .map(|e| e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    }

    /// The one element matching `css`, as text.
    #[track_caller]
    pub fn text(&self, css: &str) -> String {
        let all = self.texts(css);
        assert_eq!(all.len(), 1, "expected one match for {css}, found {all:?}");
        all.into_iter().next().unwrap()
    }

    /// The `attr` of every element matching `css`.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css).iter().filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
    }

    /// Every link target on the page.
    pub fn links(&self) -> Vec<String> {
        self.attrs("a[href]", "href")
    }

    /// The inner HTML of `<main>`, for snapshots.
    pub fn main_html(&self) -> String {
        self.select("main").first().map(|m| m.inner_html()).unwrap_or_default()
    }
}

impl SiteTest {
    /// Every internal link, stylesheet and image of every built page points
    /// at a file that exists, under `base_path`; `#fragments` name an `id`
    /// on the target page. Returns how many links were checked.
    #[track_caller]
    pub fn assert_internal_links_resolve(&self, base_path: &str) -> usize {
        let mut checked = 0;
        let mut broken = Vec::new();
        for file in self.output_files().into_iter().filter(|f| f.ends_with(".html")) {
            let page = self.page(&file);
            let urls = [("a[href]", "href"), ("link[href]", "href"), ("img[src]", "src"), ("script[src]", "src")]
                .into_iter()
                .flat_map(|(css, attr)| page.attrs(css, attr));
            for url in urls {
                if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("data:") {
                    continue;
                }
                checked += 1;
                let (path, fragment) = match url.split_once('#') {
                    Some((p, f)) => (p.to_string(), Some(f.to_string())),
                    None => (url.clone(), None),
                };
                let target = if path.is_empty() {
                    file.clone()
                } else if let Some(rel) = path.strip_prefix(base_path) {
                    if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() }
                } else {
                    broken.push(format!("{file}: {url} is not under {base_path}"));
                    continue;
                };
                if !self.exists(&target) {
                    broken.push(format!("{file}: {url} → {target} does not exist"));
                    continue;
                }
                if let Some(id) = fragment.filter(|f| !f.is_empty())
                    && self.page(&target).attrs(&format!("[id=\"{id}\"]"), "id").is_empty()
                {
                    broken.push(format!("{file}: {url} → no id {id} in {target}"));
                }
            }
        }
        assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
        checked
    }

    /// No page loads anything from another host: stylesheets, scripts,
    /// images, fonts and frames are all on the site itself.
    #[track_caller]
    pub fn assert_no_external_requests(&self) {
        for file in self.output_files().into_iter().filter(|f| f.ends_with(".html")) {
            let page = self.page(&file);
            for (css, attr) in [
                ("link[href]", "href"),
                ("script[src]", "src"),
                ("img[src]", "src"),
                ("iframe[src]", "src"),
                ("source[src]", "src"),
            ] {
                for url in page.attrs(css, attr) {
                    let external = url.starts_with("//") || url.contains("://");
                    assert!(!external, "{file} loads {url}");
                }
            }
        }
    }
}
