//! Render stage: full-text search with facets, by Pagefind used as a
//! library. The brief pages, as the templates rendered them (their
//! `data-pagefind-body`, `-filter` and `-sort` marks), are indexed in this
//! process, and Pagefind's bundle (its script and UI, and an index split
//! into chunks that a browser fetches as a search needs them) is written
//! under `/pagefind/`. Only sites with `search: true` have any of it.
//!
//! Indexing costs more than the rest of a build, and Pagefind cannot
//! update an index in part: so the bundle records what it was made from
//! ([`SOURCES`]: a digest of each page), and a build whose brief pages are
//! all as before keeps it in the output untouched instead of indexing
//! again. Any changed page makes the whole index again, as a build into an
//! empty folder would make it.

use std::thread::JoinHandle;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;

use super::{Content, OutputFile};
use crate::diagnostics::{Code, Diagnostic, Pos};

/// The folder of the bundle in the output.
pub const BUNDLE: &str = "pagefind";

/// Pagefind writes each page's result fragment to a file of its own; past
/// this many pages it groups them, so that 10,000 briefs do not add 10,000
/// small files (each compressed and written) to the output. A search shows
/// results from a few of these files.
const MAX_FRAGMENTS: u32 = 1024;

/// The file of the bundle that says what it was made from: a digest of
/// what else decides the index (the program, the language), one of each
/// page in order, then the bundle's files. A build whose pages all digest
/// the same carries the bundle over from the output rather than indexing
/// every page again.
pub const SOURCES: &str = "pagefind/sitrep-sources.txt";

const SOURCES_HEADER: &str = "# sitrep: the search index in this folder was made from the pages whose digests follow; sitrep makes it again when they change.";

/// A page to index: its address on the site and its HTML.
type Page = (String, String);

/// What an earlier build's [`SOURCES`] says.
struct Sources {
    settings: String,
    pages: Vec<String>,
    files: Vec<String>,
}

impl Sources {
    fn parse(bytes: &[u8]) -> Option<Sources> {
        let mut lines = std::str::from_utf8(bytes).ok()?.lines();
        if lines.next() != Some(SOURCES_HEADER) {
            return None;
        }
        let mut sources = Sources {
            settings: lines.next()?.strip_prefix("settings ")?.to_string(),
            pages: Vec::new(),
            files: Vec::new(),
        };
        for line in lines {
            match line.split_once(' ')? {
                ("page", digest) => sources.pages.push(digest.to_string()),
                ("file", path) if path.starts_with(&format!("{BUNDLE}/")) && path != SOURCES => {
                    sources.files.push(path.to_string())
                }
                _ => return None,
            }
        }
        Some(sources)
    }

    fn text(&self) -> String {
        let mut text = format!("{SOURCES_HEADER}\nsettings {}\n", self.settings);
        for page in &self.pages {
            text.push_str(&format!("page {page}\n"));
        }
        for file in &self.files {
            text.push_str(&format!("file {file}\n"));
        }
        text
    }
}

/// The pages of a search bundle, gathered in the order a build renders
/// them. While they are the pages an earlier build indexed, in the same
/// order, only their digests are kept: a rebuild in which none changed
/// carries the bundle over without holding every page in memory.
pub struct Pages {
    language: String,
    /// What the earlier build's bundle was made from, while it may still
    /// be the same.
    previous: Option<Sources>,
    digests: Vec<String>,
    /// The pages from `held_from` on; those before it are the earlier
    /// build's, and are rendered again if the index must be made.
    held: Vec<Page>,
    held_from: usize,
}

impl Pages {
    /// No pages yet, for a site in `language` (an ISO 639-1 code or BCP 47
    /// tag); `previous` is the [`SOURCES`] file an earlier build left in
    /// the output, if any.
    pub fn new(language: &str, previous: Option<Vec<u8>>) -> Pages {
        let language = super::i18n::primary(language);
        let previous = previous
            .and_then(|bytes| Sources::parse(&bytes))
            .filter(|sources| sources.settings == settings_digest(&language));
        Pages { language, previous, digests: Vec::new(), held: Vec::new(), held_from: 0 }
    }

    /// Adds one page, after those added before.
    pub fn add(&mut self, url: String, html: &[u8]) {
        let mut digest = xxhash_rust::xxh3::Xxh3::new();
        digest_part(&mut digest, url.as_bytes());
        digest_part(&mut digest, html);
        let digest = format!("{:032x}", digest.digest128());
        let same = self.previous.as_ref().is_some_and(|p| p.pages.get(self.digests.len()) == Some(&digest));
        if !same && self.previous.take().is_some() {
            // The first page that differs: from here on every page is held.
            self.held_from = self.digests.len();
        }
        self.digests.push(digest);
        if self.previous.is_none() {
            self.held.push((url, String::from_utf8_lossy(html).into_owned()));
        }
    }

    /// Starts making the bundle: kept when the output holds one made from
    /// the same pages (`keep`, see [`Sink::keep`]), else indexed on a thread of its own
    /// while the rest of the site renders. `again(i)` renders the `i`th
    /// page again (address and HTML), for the index of a site whose first
    /// pages are the earlier build's but not the rest.
    ///
    /// [`Sink::keep`]: super::Sink::keep
    pub fn start(
        mut self,
        keep: impl Fn(&[String]) -> bool,
        again: impl Fn(usize) -> Option<(String, Vec<u8>)> + Sync,
    ) -> Making {
        if let Some(sources) = self.previous.take() {
            if sources.pages.len() == self.digests.len()
                && let Some(files) = carried(&sources, &keep)
            {
                return Making::Carried(files);
            }
            self.held_from = self.digests.len();
        }
        let earlier: Option<Vec<Page>> = (0..self.held_from)
            .into_par_iter()
            .map(|i| again(i).map(|(url, html)| (url, String::from_utf8_lossy(&html).into_owned())))
            .collect();
        let Some(mut pages) = earlier else {
            return Making::Failed("a page could not be rendered again".into());
        };
        pages.append(&mut self.held);
        let sources = Sources { settings: settings_digest(&self.language), pages: self.digests, files: Vec::new() };
        let language = self.language;
        Making::Indexing(pages.len(), std::thread::spawn(move || make(&language, pages, sources)))
    }
}

/// The digest of what decides the index besides the pages.
fn settings_digest(language: &str) -> String {
    let mut digest = xxhash_rust::xxh3::Xxh3::new();
    for part in [env!("CARGO_PKG_VERSION"), language, &MAX_FRAGMENTS.to_string()] {
        digest_part(&mut digest, part.as_bytes());
    }
    format!("{:032x}", digest.digest128())
}

fn digest_part(digest: &mut xxhash_rust::xxh3::Xxh3, bytes: &[u8]) {
    digest.update(&(bytes.len() as u64).to_le_bytes());
    digest.update(bytes);
}

/// The bundle an earlier build made, kept in the output (`keep`, see
/// [`Sink::keep`]) if every one of its files is still as that build
/// wrote it; then only its [`SOURCES`] file is put again.
///
/// [`Sink::keep`]: super::Sink::keep
fn carried(sources: &Sources, keep: impl Fn(&[String]) -> bool) -> Option<Vec<OutputFile>> {
    // A bundle without its entry and its script is no bundle, whatever the
    // file says.
    let whole = [format!("{BUNDLE}/pagefind-entry.json"), format!("{BUNDLE}/pagefind.js")]
        .iter()
        .all(|needed| sources.files.contains(needed));
    (whole && keep(&sources.files))
        .then(|| vec![OutputFile { path: SOURCES.to_string(), content: Content::Bytes(sources.text().into_bytes()) }])
}

/// How a build came by its search bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// Kept as the last build made it: no page changed.
    Kept,
    /// Made from this many pages.
    Indexed(usize),
}

/// A search bundle on its way.
pub enum Making {
    /// Kept in the output as it is: only the [`SOURCES`] file to put.
    Carried(Vec<OutputFile>),
    Indexing(usize, JoinHandle<Result<Vec<OutputFile>, String>>),
    Failed(String),
}

impl Making {
    /// The bundle's files to put, under [`BUNDLE`], and how they were made.
    pub fn finish(self) -> Result<(Vec<OutputFile>, Made), Diagnostic> {
        let failed = |message: String| {
            Diagnostic::error(
                Code::Internal,
                BUNDLE,
                Pos::WHOLE_FILE,
                format!("the search index could not be made: {message}"),
            )
        };
        match self {
            Making::Carried(files) => Ok((files, Made::Kept)),
            Making::Indexing(pages, worker) => match worker.join() {
                Ok(Ok(files)) => Ok((files, Made::Indexed(pages))),
                Ok(Err(message)) => Err(failed(message)),
                Err(_) => Err(failed("the indexer stopped".into())),
            },
            Making::Failed(message) => Err(failed(message)),
        }
    }
}

/// Indexes `pages` (in their order: Pagefind numbers pages in the order
/// it gets them) and gives the bundle, with its [`SOURCES`] file.
fn make(language: &str, pages: Vec<Page>, mut sources: Sources) -> Result<Vec<OutputFile>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let options =
        PagefindServiceConfig::builder().force_language(language.to_string()).max_fragments(MAX_FRAGMENTS).build();
    let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
    let made = runtime.block_on(async {
        for (url, html) in pages {
            index.add_html_file(None, Some(url), html).await.map_err(|e| e.to_string())?;
        }
        index.get_files().await.map_err(|e| e.to_string())
    })?;
    let mut files: Vec<OutputFile> = made
        .into_iter()
        .map(|f| OutputFile {
            path: format!("{BUNDLE}/{}", f.filename.to_string_lossy().replace('\\', "/")),
            content: Content::Bytes(f.contents),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    sources.files = files.iter().map(|f| f.path.clone()).collect();
    files.push(OutputFile { path: SOURCES.to_string(), content: Content::Bytes(sources.text().into_bytes()) });
    Ok(files)
}

/// The search bundle of a site's brief pages (address, HTML, in the order
/// of the briefs), made in one go.
pub fn bundle<'a>(
    language: &str,
    pages: impl IntoIterator<Item = (String, &'a [u8])>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut gathered = Pages::new(language, None);
    for (url, html) in pages {
        gathered.add(url, html);
    }
    gathered.start(|_| false, |_| None).finish().map(|(files, _)| files)
}

/// The files of a bundle, by path.
type Files = std::collections::HashMap<String, std::sync::Arc<[u8]>>;

/// The search bundle as a preview serves it: made from the brief pages it
/// holds when a browser first asks for one of its files (most edits are
/// not followed by a search), then kept while the brief pages stay the
/// same. While it is being made after an edit, the bundle made before
/// answers at once (a search finds what it found a moment ago), and once
/// made, the old bundle still answers for its own files, which a page
/// that began searching with it may yet ask for.
pub struct Lazy {
    language: String,
    pages: Vec<(String, std::sync::Arc<[u8]>)>,
    made: std::sync::OnceLock<std::sync::Arc<Files>>,
    /// The bundle of the pages before the last change, if one was made.
    stale: Option<std::sync::Arc<Files>>,
    started: std::sync::Once,
}

impl std::fmt::Debug for Lazy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Lazy({} pages, made: {})", self.pages.len(), self.made.get().is_some())
    }
}

impl Lazy {
    /// The bundle of `pages`; `previous` is the one it replaces, if any.
    pub fn new(language: &str, pages: Vec<(String, std::sync::Arc<[u8]>)>, previous: Option<&Lazy>) -> Lazy {
        // Only the newest bundle made is kept, never a chain of them.
        let stale = previous.and_then(|p| p.made.get().cloned().or_else(|| p.stale.clone()));
        Lazy {
            language: language.to_string(),
            pages,
            made: std::sync::OnceLock::new(),
            stale,
            started: std::sync::Once::new(),
        }
    }

    /// Whether it was made from the very same pages (the same held bytes).
    pub fn same_pages(&self, pages: &[(String, std::sync::Arc<[u8]>)]) -> bool {
        self.pages.len() == pages.len()
            && self.pages.iter().zip(pages).all(|(a, b)| a.0 == b.0 && std::sync::Arc::ptr_eq(&a.1, &b.1))
    }

    /// One file of the bundle (`pagefind/pagefind.js`). If the bundle is
    /// not made yet, it is made (on a thread of its own when an older
    /// bundle can answer meanwhile). A bundle that cannot be made has no
    /// files (the build of the same site reports why).
    pub fn file(self: &std::sync::Arc<Self>, path: &str) -> Option<std::sync::Arc<[u8]>> {
        let from_stale = || self.stale.as_ref().and_then(|stale| stale.get(path).cloned());
        if let Some(made) = self.made.get() {
            return made.get(path).cloned().or_else(from_stale);
        }
        match &self.stale {
            Some(_) => {
                let this = self.clone();
                self.started.call_once(|| {
                    std::thread::spawn(move || {
                        this.made();
                    });
                });
                from_stale()
            }
            None => self.made().get(path).cloned(),
        }
    }

    /// Every file of the bundle, by path, making it if it is not made yet.
    pub fn files(&self) -> &Files {
        self.made()
    }

    fn made(&self) -> &Files {
        self.made.get_or_init(|| {
            let pages = self.pages.iter().map(|(url, html)| (url.clone(), &html[..]));
            let files: Files = bundle(&self.language, pages)
                .map(|files| {
                    files
                        .into_iter()
                        .filter_map(|f| match f.content {
                            Content::Bytes(bytes) => Some((f.path, bytes.into())),
                            Content::Copy(_) => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            std::sync::Arc::new(files)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sources_file_that_lists_no_whole_bundle_keeps_nothing() {
        let sources = |files: &[&str]| Sources {
            settings: settings_digest("en"),
            pages: vec!["0".repeat(32)],
            files: files.iter().map(|f| f.to_string()).collect(),
        };
        let always = |_: &[String]| true;
        assert!(carried(&sources(&[]), always).is_none());
        assert!(carried(&sources(&["pagefind/pagefind.js"]), always).is_none());
        let whole = sources(&["pagefind/pagefind-entry.json", "pagefind/pagefind.js"]);
        assert_eq!(carried(&whole, always).map(|files| files.len()), Some(1));
        assert!(carried(&whole, |_: &[String]| false).is_none());
        // What it says survives being read back.
        let read = Sources::parse(whole.text().as_bytes()).unwrap();
        assert_eq!((read.settings, read.pages, read.files), (whole.settings, whole.pages, whole.files));
    }

    #[test]
    fn a_preview_answers_from_the_bundle_before_while_the_new_one_is_made() {
        let page = |title: &str| -> std::sync::Arc<[u8]> {
            format!("<html lang=en><body><main data-pagefind-body><h1>{title}</h1><p>Synthetic text.</p></main></body></html>")
                .into_bytes()
                .into()
        };
        let entry = "pagefind/pagefind-entry.json";
        let first = std::sync::Arc::new(Lazy::new("en", vec![("/a/".into(), page("Alpha"))], None));
        let old_entry = first.file(entry).expect("made on first asking");
        let old_files: Vec<String> = first.files().keys().cloned().collect();
        let pages = vec![("/a/".into(), page("Alpha")), ("/b/".into(), page("Bravo"))];
        let second = std::sync::Arc::new(Lazy::new("en", pages, Some(&first)));
        // Not made yet: the old bundle answers at once.
        assert_eq!(second.file(entry), Some(old_entry.clone()));
        // Made (waiting for it here), the new one answers, and the old one
        // still answers for its own files.
        let new_entry = second.files().get(entry).cloned().expect("the new bundle has an entry");
        assert_ne!(new_entry, old_entry, "the new bundle counts two pages");
        assert_eq!(second.file(entry), Some(new_entry));
        for path in old_files {
            assert!(second.file(&path).is_some(), "{path}");
        }
    }
}
