//! Render stage: full-text search with facets, by Pagefind used as a
//! library. The brief pages, as the templates rendered them (their
//! `data-pagefind-body`, `-filter` and `-sort` marks), are indexed in this
//! process, and Pagefind's bundle (its script and UI, and an index split
//! into chunks that a browser fetches as a search needs them) is written
//! under `/pagefind/`. Only sites with `search: true` have any of it.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::{Content, OutputFile};
use crate::diagnostics::{Code, Diagnostic, Pos};

/// The folder of the bundle in the output.
pub const BUNDLE: &str = "pagefind";

/// Pagefind writes each page's result fragment to a file of its own; past
/// this many pages it groups them, so that 10,000 briefs do not add 10,000
/// small files (each compressed and written) to the output. A search shows
/// results from a few of these files.
const MAX_FRAGMENTS: u32 = 1024;

/// A page to index: its address on the site and its HTML.
type Page = (String, String);

/// Indexes pages on a thread of its own as they are handed to it, so that
/// rendering goes on meanwhile; [`finish`](Indexer::finish) gives the bundle.
pub struct Indexer {
    pages: SyncSender<Page>,
    worker: JoinHandle<Result<Vec<OutputFile>, String>>,
}

impl Indexer {
    /// An indexer for a site in `language` (an ISO 639-1 code or BCP 47 tag).
    pub fn start(language: &str) -> Indexer {
        // Room for a batch of rendered pages ahead of the indexer.
        let (sender, receiver) = sync_channel::<Page>(512);
        let language = language.split(['-', '_']).next().unwrap_or("en").to_lowercase();
        let worker = std::thread::spawn(move || index(&language, receiver));
        Indexer { pages: sender, worker }
    }

    /// Hands one page to the indexer.
    pub fn add(&self, url: String, html: String) {
        // The worker only stops early on an error, which finish() reports.
        let _ = self.pages.send((url, html));
    }

    /// The bundle's files, under [`BUNDLE`].
    pub fn finish(self) -> Result<Vec<OutputFile>, Diagnostic> {
        // No more pages: the worker builds the index.
        drop(self.pages);
        let failed = |message: String| {
            Diagnostic::error(
                Code::Internal,
                BUNDLE,
                Pos::WHOLE_FILE,
                format!("the search index could not be made: {message}"),
            )
        };
        match self.worker.join() {
            Ok(Ok(files)) => Ok(files),
            Ok(Err(message)) => Err(failed(message)),
            Err(_) => Err(failed("the indexer stopped".into())),
        }
    }
}

fn index(language: &str, pages: Receiver<Page>) -> Result<Vec<OutputFile>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let options =
        PagefindServiceConfig::builder().force_language(language.to_string()).max_fragments(MAX_FRAGMENTS).build();
    let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
    runtime.block_on(async {
        for (url, html) in pages {
            index.add_html_file(None, Some(url), html).await.map_err(|e| e.to_string())?;
        }
        let mut files: Vec<OutputFile> = index
            .get_files()
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|f| OutputFile {
                path: format!("{BUNDLE}/{}", f.filename.to_string_lossy().replace('\\', "/")),
                content: Content::Bytes(f.contents),
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    })
}

/// The search bundle of a site's brief pages (address, HTML, in the order
/// of the briefs), made in one go.
pub fn bundle<'a>(
    language: &str,
    pages: impl IntoIterator<Item = (String, &'a [u8])>,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let indexer = Indexer::start(language);
    for (url, html) in pages {
        indexer.add(url, String::from_utf8_lossy(html).into_owned());
    }
    indexer.finish()
}

/// The search bundle as a preview serves it: made from the brief pages it
/// holds when a browser first asks for one of its files (a search follows
/// an edit a moment later, and most edits are not followed by a search),
/// then kept while the brief pages stay the same.
pub struct Lazy {
    language: String,
    pages: Vec<(String, std::sync::Arc<[u8]>)>,
    made: std::sync::OnceLock<std::collections::HashMap<String, std::sync::Arc<[u8]>>>,
}

impl std::fmt::Debug for Lazy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Lazy({} pages, made: {})", self.pages.len(), self.made.get().is_some())
    }
}

impl Lazy {
    pub fn new(language: &str, pages: Vec<(String, std::sync::Arc<[u8]>)>) -> Lazy {
        Lazy { language: language.to_string(), pages, made: std::sync::OnceLock::new() }
    }

    /// Whether it was made from the very same pages (the same held bytes).
    pub fn same_pages(&self, pages: &[(String, std::sync::Arc<[u8]>)]) -> bool {
        self.pages.len() == pages.len()
            && self.pages.iter().zip(pages).all(|(a, b)| a.0 == b.0 && std::sync::Arc::ptr_eq(&a.1, &b.1))
    }

    /// One file of the bundle (`pagefind/pagefind.js`), making the bundle
    /// if it is not made yet. A bundle that cannot be made has no files
    /// (the build of the same site reports why).
    pub fn file(&self, path: &str) -> Option<std::sync::Arc<[u8]>> {
        self.made().get(path).cloned()
    }

    /// Every file of the bundle, by path, making it if it is not made yet.
    pub fn files(&self) -> &std::collections::HashMap<String, std::sync::Arc<[u8]>> {
        self.made()
    }

    fn made(&self) -> &std::collections::HashMap<String, std::sync::Arc<[u8]>> {
        self.made.get_or_init(|| {
            let pages = self.pages.iter().map(|(url, html)| (url.clone(), &html[..]));
            bundle(&self.language, pages)
                .map(|files| {
                    files
                        .into_iter()
                        .filter_map(|f| match f.content {
                            Content::Bytes(bytes) => Some((f.path, bytes.into())),
                            Content::Copy(_) => None,
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
    }
}
