//! Render stage: full-text search with facets, in the format of Pagefind
//! (its script, interface and WebAssembly, from the `pagefind` crate). The
//! brief pages, as the templates rendered them (their `data-pagefind-body`,
//! `-filter` and `-sort` marks), are read for their words ([`html`]) while
//! the site renders, and sitrep writes the index ([`bundle`]): split into
//! chunks that a browser fetches as a search needs them, under
//! `/pagefind/`. Only sites with `search: true` have any of it.
//!
//! A build whose brief pages are all as before keeps the bundle in the
//! output untouched: it records what it was made from ([`SOURCES`]: a
//! digest of each page). Any changed page makes the whole index again, as
//! a build into an empty folder would make it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::ScopedJoinHandle;

use rayon::prelude::*;

use super::{Content, OutputFile, Served};
use crate::diagnostics::{Code, Diagnostic, Pos};

mod bundle;
pub mod html;
mod spill;
mod words;

/// The folder of the bundle in the output.
pub const BUNDLE: &str = "pagefind";

/// The file of the bundle that says what it was made from: a digest of
/// what else decides the index (the program, the language), one of each
/// page in order, then the bundle's files. A build whose pages all digest
/// the same carries the bundle over from the output rather than indexing
/// every page again.
pub const SOURCES: &str = "pagefind/sitrep-sources.txt";

const SOURCES_HEADER: &str = "# sitrep: the search index in this folder was made from the pages whose digests follow; sitrep makes it again when they change.";

/// How this program writes an index: a bundle made otherwise (by an
/// earlier sitrep, or by Pagefind's own indexer) is made again.
const WRITER: &str = "sitrep index writer 2";

/// What an earlier build's [`SOURCES`] says.
struct Sources {
    settings: String,
    pages: Vec<u128>,
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
                ("page", digest) if digest.len() == 32 && digest.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    sources.pages.push(u128::from_str_radix(digest, 16).ok()?)
                }
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
            text.push_str(&format!("page {page:032x}\n"));
        }
        for file in &self.files {
            text.push_str(&format!("file {file}\n"));
        }
        text
    }
}

/// The digest of a page for [`SOURCES`], from its address and the hash
/// of its HTML (`xxh3_128`, as the output's manifest records it, so that a
/// page kept without being rendered again need not be read).
pub fn page_digest(url: &str, html_hash: u128) -> u128 {
    let mut digest = xxhash_rust::xxh3::Xxh3::new();
    digest_part(&mut digest, url.as_bytes());
    digest_part(&mut digest, &html_hash.to_le_bytes());
    digest.digest128()
}

/// A brief page as the index saw it while it rendered.
pub enum Seen {
    /// Not read: it was the earlier build's page at its place, and no page
    /// before it had changed (the bundle may yet be kept).
    Same,
    /// Read and counted (nothing if it has no word to find).
    Counted(Option<bundle::Counted>),
}

/// Reads brief pages for the index as they render, in parallel: digests
/// each, and counts its words unless it may be the earlier build's.
pub struct Reader {
    words: words::Words,
    earlier: Vec<u128>,
    /// Set once a page differs from the earlier build's at its place:
    /// from then on the index is made again, so every page is read.
    changed: AtomicBool,
}

impl Reader {
    /// The page at place `i` of the briefs (its address and the hash of
    /// its HTML): its digest, and what the index saw of it. Its HTML is
    /// asked of `html` only if the index must count its words.
    pub fn see<'h>(
        &self,
        i: usize,
        url: String,
        html_hash: u128,
        html: impl FnOnce() -> std::borrow::Cow<'h, [u8]>,
    ) -> (u128, Seen) {
        let digest = page_digest(&url, html_hash);
        if self.earlier.get(i) == Some(&digest) && !self.changed.load(Ordering::Relaxed) {
            return (digest, Seen::Same);
        }
        self.changed.store(true, Ordering::Relaxed);
        (digest, Seen::Counted(self.count(&url, &html())))
    }

    fn count(&self, url: &str, html: &[u8]) -> Option<bundle::Counted> {
        // Pages are sitrep's own renderings, so valid UTF-8: checked by the
        // quick test first, read lossily only if that fails.
        let page = match std::str::from_utf8(html) {
            Ok(html) => html::read(html),
            Err(_) => html::read(&String::from_utf8_lossy(html)),
        };
        bundle::count(url, page, &self.words)
    }
}

/// Renders the page at a place of the briefs again (its address and HTML),
/// for a page that was not read while the bundle might have been kept.
pub type Again<'a> = dyn Fn(usize) -> Option<(String, Vec<u8>)> + Sync + 'a;

/// The pages of a search bundle, gathered in the order a build renders
/// them. While they are the pages an earlier build indexed, in the same
/// order, only their digests are kept: a rebuild in which none changed
/// carries the bundle over without reading a page. Once one differs, the
/// index is made again, each page added to it as it comes.
pub struct Pages {
    language: String,
    /// What the earlier build's bundle was made from, while it may still
    /// be the same.
    previous: Option<Sources>,
    digests: Vec<u128>,
    /// The index, once the bundle is to be made again.
    index: Option<bundle::Index>,
    /// Places of the pages not read (see [`Seen::Same`]) and not yet in
    /// the index: they are rendered again before the next page is added.
    unread: Vec<usize>,
    /// Why a page could not be added, if one could not.
    failed: Option<String>,
    /// How many pages there will be, about.
    expected: usize,
}

impl Pages {
    /// No pages yet, for a site in `language` (an ISO 639-1 code or BCP 47
    /// tag); `previous` is the [`SOURCES`] file an earlier build left in
    /// the output, if any; `expected` is about how many pages there will be.
    pub fn new(language: &str, previous: Option<Vec<u8>>, expected: usize) -> Pages {
        let language = super::i18n::primary(language);
        let previous = previous
            .and_then(|bytes| Sources::parse(&bytes))
            .filter(|sources| sources.settings == settings_digest(&language));
        Pages { language, previous, digests: Vec::new(), index: None, unread: Vec::new(), failed: None, expected }
    }

    /// What reads the pages while they render (see [`Reader::see`]).
    pub fn reader(&self) -> Reader {
        Reader {
            words: words::Words::new(&self.language),
            earlier: self.previous.as_ref().map(|p| p.pages.clone()).unwrap_or_default(),
            changed: AtomicBool::new(false),
        }
    }

    /// Adds one page, after those added before: its digest
    /// ([`page_digest`]) and what `reader` saw of it. A page it did not
    /// read waits, and is rendered again by `again` if the index is made.
    pub fn add(&mut self, reader: &Reader, digest: u128, seen: Seen, again: &Again) {
        let same = self.previous.as_ref().is_some_and(|p| p.pages.get(self.digests.len()) == Some(&digest));
        if !same {
            self.previous = None;
        }
        let place = self.digests.len();
        self.digests.push(digest);
        match seen {
            Seen::Same => self.unread.push(place),
            Seen::Counted(counted) => {
                self.catch_up(reader, again);
                self.index().extend(counted);
            }
        }
    }

    /// The bundle's files finished before the rest (its full fragment
    /// files), to be put into the output while the site renders; each is
    /// compressed by [`Finished::file`], on whichever thread puts it.
    pub fn finished(&mut self) -> Vec<Finished> {
        self.index.as_mut().map(|index| index.take_finished().into_iter().map(Finished).collect()).unwrap_or_default()
    }

    /// The index being made, begun if it is not yet.
    fn index(&mut self) -> &mut bundle::Index {
        self.index.get_or_insert_with(|| bundle::Index::new(&self.language, self.expected))
    }

    /// Renders again, reads and adds the pages not read so far, a batch
    /// at a time (so that no more than a batch is held at once).
    fn catch_up(&mut self, reader: &Reader, again: &Again) {
        const BATCH: usize = 256;
        let unread = std::mem::take(&mut self.unread);
        for batch in unread.chunks(BATCH) {
            let counted: Option<Vec<Option<bundle::Counted>>> =
                batch.par_iter().map(|&place| again(place).map(|(url, html)| reader.count(&url, &html))).collect();
            match counted {
                Some(counted) => self.index().extend(counted.into_iter().flatten()),
                None => {
                    self.failed = Some("a page could not be rendered again".into());
                    return;
                }
            }
        }
    }

    /// Starts making the bundle: kept when the output holds one made from
    /// the same pages (`keep`, see [`Sink::keep`]), else written on a
    /// thread of its own in `scope` while the rest of the site renders;
    /// the index's word list chunks are given to `put` as they are made,
    /// the rest of the files by [`Making::finish`].
    ///
    /// [`Sink::keep`]: super::Sink::keep
    pub fn start<'scope>(
        mut self,
        scope: &'scope std::thread::Scope<'scope, '_>,
        reader: &Reader,
        keep: impl Fn(&[String]) -> bool,
        again: &Again,
        put: &'scope (dyn Fn(OutputFile) + Sync),
    ) -> Making<'scope> {
        if let Some(sources) = self.previous.take()
            && sources.pages.len() == self.digests.len()
            && let Some(files) = carried(&sources, &keep)
        {
            return Making::Carried(files);
        }
        self.catch_up(reader, again);
        if let Some(failed) = self.failed {
            return Making::Failed(failed);
        }
        let index = self.index.unwrap_or_else(|| bundle::Index::new(&self.language, self.expected));
        let pages = self.digests.len();
        let sources = Sources { settings: settings_digest(&self.language), pages: self.digests, files: Vec::new() };
        let language = self.language;
        Making::Indexing(pages, scope.spawn(move || make(&language, index, sources, put)))
    }
}

/// A file of the bundle finished before the rest ([`Pages::finished`]).
pub struct Finished(bundle::File);

impl Finished {
    /// The file, compressed, under [`BUNDLE`].
    pub fn file(self) -> OutputFile {
        let (path, json) = self.0;
        OutputFile::new(format!("{BUNDLE}/{path}"), bundle::gzipped(&json))
    }
}

/// The digest of what decides the index besides the pages.
fn settings_digest(language: &str) -> String {
    let mut digest = xxhash_rust::xxh3::Xxh3::new();
    for part in [env!("CARGO_PKG_VERSION"), WRITER, language, &bundle::MAX_FRAGMENTS.to_string()] {
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
    (whole && keep(&sources.files)).then(|| vec![OutputFile::new(SOURCES.to_string(), sources.text().into_bytes())])
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
pub enum Making<'scope> {
    /// Kept in the output as it is: only the [`SOURCES`] file to put.
    Carried(Vec<OutputFile>),
    Indexing(usize, ScopedJoinHandle<'scope, Result<Vec<OutputFile>, String>>),
    Failed(String),
}

impl Making<'_> {
    /// The bundle's files to put, under [`BUNDLE`], but those given to
    /// [`Pages::start`]'s `put` already, and how they were made.
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

/// Writes the bundle of `index`, with its [`SOURCES`] file: its word
/// list chunks to `put` as they are made, the rest returned.
fn make(
    language: &str,
    index: bundle::Index,
    mut sources: Sources,
    put: &(dyn Fn(OutputFile) + Sync),
) -> Result<Vec<OutputFile>, String> {
    let assets = assets(language)?;
    let file = |(path, bytes): bundle::File| OutputFile::new(format!("{BUNDLE}/{path}"), bytes);
    let mut taken: Vec<String> = index.taken().iter().map(|path| format!("{BUNDLE}/{path}")).collect();
    let mut files: Vec<OutputFile> = index
        .write(&assets, &mut |made| {
            let made = file(made);
            taken.push(made.path.clone());
            put(made);
        })?
        .into_iter()
        .map(file)
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    sources.files = files.iter().map(|f| f.path.clone()).chain(taken).collect();
    sources.files.sort();
    files.push(OutputFile::new(SOURCES.to_string(), sources.text().into_bytes()));
    Ok(files)
}

/// Pagefind's browser files for `language`, and what its entry file says
/// of them: taken from the bundle Pagefind makes of one page (once per
/// language and process).
fn assets(language: &str) -> Result<Arc<bundle::Assets>, String> {
    type Made = Mutex<std::collections::HashMap<String, Arc<bundle::Assets>>>;
    static MADE: OnceLock<Made> = OnceLock::new();
    let made = MADE.get_or_init(Default::default);
    if let Some(assets) = made.lock().unwrap_or_else(|e| e.into_inner()).get(language) {
        return Ok(assets.clone());
    }
    let assets = Arc::new(pagefind_assets(language)?);
    made.lock().unwrap_or_else(|e| e.into_inner()).insert(language.to_string(), assets.clone());
    Ok(assets)
}

fn pagefind_assets(language: &str) -> Result<bundle::Assets, String> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let options = PagefindServiceConfig::builder().force_language(language.to_string()).build();
    let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
    let made = runtime.block_on(async {
        index
            .add_custom_record("/".into(), "sitrep".into(), language.into(), None, None, None)
            .await
            .map_err(|e| e.to_string())?;
        index.get_files().await.map_err(|e| e.to_string())
    })?;
    let mut files = Vec::new();
    let mut entry = None;
    for file in made {
        let path = file.filename.to_string_lossy().replace('\\', "/");
        if path == "pagefind-entry.json" {
            entry = Some(serde_json::from_slice::<serde_json::Value>(&file.contents).map_err(|e| e.to_string())?);
        } else if !(path.ends_with(".pf_meta")
            || ["fragment/", "index/", "filter/"].iter().any(|f| path.starts_with(f)))
        {
            files.push((path, file.contents));
        }
    }
    let entry = entry.ok_or("Pagefind made no entry file")?;
    let version = entry["version"].as_str().ok_or("Pagefind's entry file has no version")?.to_string();
    let wasm = entry["languages"][language]["wasm"].as_str().map(str::to_string);
    Ok(bundle::Assets { files, version, include_characters: entry["include_characters"].clone(), wasm })
}

/// The search bundle of a site's brief pages (address, HTML, in the order
/// of the briefs), made in one go.
pub fn bundle<'a>(
    language: &str,
    pages: impl IntoIterator<Item = (String, &'a [u8])>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let pages: Vec<(String, &[u8])> = pages.into_iter().collect();
    let mut gathered = Pages::new(language, None, pages.len());
    let reader = gathered.reader();
    let none = |_| None;
    // Counted in parallel a batch at a time, added in order.
    const BATCH: usize = 256;
    for (b, batch) in pages.chunks(BATCH).enumerate() {
        let seen: Vec<(u128, Seen)> = batch
            .par_iter()
            .enumerate()
            .map(|(i, (url, html))| {
                let hash = xxhash_rust::xxh3::xxh3_128(html);
                reader.see(b * BATCH + i, url.clone(), hash, || std::borrow::Cow::Borrowed(html))
            })
            .collect();
        for (digest, seen) in seen {
            gathered.add(&reader, digest, seen, &none);
        }
    }
    let made = Mutex::new(Vec::new());
    let put = |file| made.lock().unwrap_or_else(|e| e.into_inner()).push(file);
    let mut files = std::thread::scope(|scope| {
        gathered.start(scope, &reader, |_| false, &none, &put).finish().map(|(files, _)| files)
    })?;
    files.extend(made.into_inner().unwrap_or_else(|e| e.into_inner()));
    Ok(files)
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
    pages: Vec<(String, Served)>,
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
    pub fn new(language: &str, pages: Vec<(String, Served)>, previous: Option<&Lazy>) -> Lazy {
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

    /// How many pages it is made of.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Its pages with those at the given positions (each less than
    /// [`page_count`](Self::page_count)) replaced, if they are not all the
    /// same as before (see [`Served::same`]).
    pub fn with_pages_replaced(&self, replaced: &[(usize, Served)]) -> Option<Vec<(String, Served)>> {
        if replaced.iter().all(|(i, file)| self.pages[*i].1.same(file)) {
            return None;
        }
        let mut pages = self.pages.clone();
        for (i, file) in replaced {
            pages[*i].1 = file.clone();
        }
        Some(pages)
    }

    /// Whether it was made from the very same pages (see [`Served::same`]).
    pub fn same_pages(&self, pages: &[(String, Served)]) -> bool {
        self.pages.len() == pages.len() && self.pages.iter().zip(pages).all(|(a, b)| a.0 == b.0 && a.1.same(&b.1))
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
            // Pages left for later are made here (a page that cannot be
            // made is left out; the preview reports why).
            let held: Vec<(String, std::sync::Arc<[u8]>)> =
                self.pages.par_iter().filter_map(|(url, page)| Some((url.clone(), page.bytes().ok()?))).collect();
            let pages = held.iter().map(|(url, html)| (url.clone(), &html[..]));
            let files: Files = bundle(&self.language, pages)
                .map(|files| {
                    files
                        .into_iter()
                        .filter_map(|f| match f.content {
                            Content::Bytes(bytes) => Some((f.path, bytes.into())),
                            Content::Copy(_) | Content::Kept { .. } => None,
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
            pages: vec![0, u128::MAX, 1 << 100],
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
        let page = |title: &str| {
            Served::Ready(
                format!("<html lang=en><body><main data-pagefind-body><h1>{title}</h1><p>Synthetic text.</p></main></body></html>")
                    .into_bytes()
                    .into(),
            )
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
