//! Checking internal links: every link an editor wrote in Markdown to a
//! page of the site (`/briefs/x/`, `/countries/ne/`, `/about/#team`, `#id`)
//! must reach a file that the build produced, and an `#anchor` an element
//! with that `id`. Checked against the rendered files, so it sees exactly
//! what a reader would follow: [`LinkPlan::new`] reads the links before
//! rendering, and [`LinkPlan::check`] judges them against what was produced
//! ([`Produced`]): the files a build streamed past an [`Observer`], or the
//! pages a preview holds in memory.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::model::text::{Addresses, Text};
use crate::model::{Brief, Site};
use crate::render::markdown::{self, Locator};
use crate::render::{Content, OutputFile, Renderer, Sink, Writing};
use crate::suggest;
use crate::urls;
use crate::write::WriteError;

/// One internal link written in a Markdown body, kept small (16 bytes): a
/// large site has millions. Its text is read again from the body only if
/// it is broken.
struct Link {
    /// Hash of the output path it points at.
    target: u64,
    /// Byte offset of the link in the body (a source file is at most
    /// [`crate::load::MAX_SOURCE_BYTES`]).
    offset: u32,
    /// Its `#fragment`, when it has one (few links do): one more than its
    /// place in [`BodyLinks::anchors`], or 0.
    anchor: u32,
}

/// A link's `#fragment`, and the output path it must be an `id` in.
struct Anchor {
    fragment: Box<str>,
    target: Box<str>,
}

/// The links of one body.
struct BodyLinks {
    links: Box<[Link]>,
    anchors: Box<[Anchor]>,
}

impl BodyLinks {
    /// The output paths some of the links want an anchor in.
    fn anchored(&self) -> impl Iterator<Item = &str> {
        self.anchors.iter().map(|a| &*a.target)
    }

    /// The `#fragment` of `link`, if it has one.
    fn anchor(&self, link: &Link) -> Option<&Anchor> {
        link.anchor.checked_sub(1).map(|i| &self.anchors[i as usize])
    }
}

/// The links of briefs' bodies from an earlier check, so that a preview's
/// rebuild reads again only the briefs that changed. Keyed by the brief's
/// allocation, which the cache keeps alive so that the key stays its own.
#[derive(Default)]
pub struct LinkCache {
    briefs: crate::FastMap<usize, Cached>,
    /// How many plans the cache has served: an entry the latest did not
    /// use is of a brief no longer in the site.
    plans: u64,
    /// Set for a cache that keeps nothing: a build makes one plan, and at
    /// 100,000 briefs the cache would hold 100,000 entries to no use.
    off: bool,
}

impl LinkCache {
    /// A cache that keeps nothing.
    pub fn off() -> LinkCache {
        LinkCache { off: true, ..LinkCache::default() }
    }
}

struct Cached {
    /// Held so that its allocation, the key, is no other brief's.
    _brief: Arc<Brief>,
    links: Arc<BodyLinks>,
    /// The last plan that used it.
    used: u64,
}

/// The internal links of a site.
pub struct LinkPlan<'a> {
    bodies: Vec<Body<'a>>,
    /// The links of each body, in the order of `bodies`.
    links: Vec<Arc<BodyLinks>>,
    /// Output files some link wants an anchor in.
    anchored: HashSet<String>,
}

/// What a build produced, for judging links.
pub trait Produced {
    /// Every output path.
    fn paths(&self) -> Vec<String>;
    /// The `id`s of an output, if it was produced and some link wanted them.
    fn ids(&self, path: &str) -> Option<HashSet<String>>;
    /// The [`hash_of`] every output path.
    fn hashes(&self) -> Cow<'_, PathHashes> {
        Cow::Owned(self.paths().iter().map(|p| hash_of(p)).collect())
    }
}

/// The [`hash_of`] output paths. Those hashes are SipHash's, spread
/// already: the set hashes them again with foldhash, the cheaper, as a
/// preview checks every link of the site after each edit.
pub type PathHashes = HashSet<u64, foldhash::fast::RandomState>;

/// The hash by which links know an output path.
pub fn hash_of(path: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(path)
}

impl<'a> LinkPlan<'a> {
    /// Reads the internal links of every Markdown body of `site` (in
    /// parallel), taking briefs' links from `cache` where it has them; the
    /// cache then holds exactly the briefs of `site` (nothing, if it is
    /// [off](LinkCache::off)).
    pub fn new(renderers: &'a [std::sync::Arc<Renderer>], cache: &mut LinkCache) -> LinkPlan<'a> {
        // Held to the end of the build: made to size, not grown (counting
        // makes the few paths of plain pages, groups and profiles twice).
        let editions = || renderers.iter().flat_map(|r| bodies(r.site(), r.own_paths()));
        let mut bodies: Vec<Body<'a>> = Vec::with_capacity(editions().count());
        bodies.extend(editions());
        cache.plans += 1;
        let plan = cache.plans;
        // The cached links, marked as used; the others read in parallel,
        // and cached if they are a brief's.
        let mut links: Vec<Option<Arc<BodyLinks>>> = bodies
            .iter()
            .map(|body| {
                let cached = cache.briefs.get_mut(&key(body.brief?))?;
                cached.used = plan;
                Some(cached.links.clone())
            })
            .collect();
        let unread: Vec<usize> = (0..bodies.len()).filter(|&i| links[i].is_none()).collect();
        let read: Vec<Arc<BodyLinks>> = unread.par_iter().map(|&i| Arc::new(body_links(&bodies[i]))).collect();
        for (i, read) in unread.into_iter().zip(read) {
            if let Some(brief) = bodies[i].brief.filter(|_| !cache.off) {
                let cached = Cached { _brief: brief.clone(), links: read.clone(), used: plan };
                cache.briefs.insert(key(brief), cached);
            }
            links[i] = Some(read);
        }
        cache.briefs.retain(|_, cached| cached.used == plan);
        let links: Vec<Arc<BodyLinks>> = links.into_iter().map(|links| links.expect("read above")).collect();
        let mut anchored: HashSet<String> = HashSet::new();
        for path in links.iter().flat_map(|l| l.anchored()) {
            if !anchored.contains(path) {
                anchored.insert(path.to_string());
            }
        }
        LinkPlan { bodies, links, anchored }
    }

    /// Whether some link wants the `id`s of the output at `path`.
    pub fn wants_ids(&self, path: &str) -> bool {
        self.anchored.contains(path)
    }

    /// Problems with the links, judged against what was produced.
    pub fn check(&self, produced: &dyn Produced) -> Vec<Diagnostic> {
        let existing = produced.hashes();
        // Addresses to suggest from, made once and only if a link is broken.
        let shown = std::cell::OnceCell::new();
        let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
        let mut problems = Vec::new();
        for (body, links) in self.bodies.iter().zip(&self.links) {
            // Where a link is in the body's text, found (the text read
            // again, a brief's from its file) only for a link with a
            // problem.
            let mut written: Option<HashMap<usize, String>> = None;
            let text = std::cell::OnceCell::new();
            let mut locate: Option<Locator> = None;
            let mut place = |offset: usize| {
                let written =
                    written.get_or_insert_with(|| links_in(body).iter().map(|(u, o)| (o, u.to_string())).collect());
                let url = written.get(&offset)?.clone();
                let pos = locate
                    .get_or_insert_with(|| Locator::new(text.get_or_init(|| body.text()), body.first_line))
                    .at(offset);
                Some((url, pos))
            };
            for link in &links.links {
                let offset = link.offset as usize;
                if existing.contains(&link.target) {
                    let Some(Anchor { fragment, target }) = links.anchor(link) else { continue };
                    if !ids.contains_key(&**target) {
                        ids.insert(target.to_string(), produced.ids(target).unwrap_or_default());
                    }
                    let known = &ids[&**target];
                    if known.contains(&**fragment) {
                        continue;
                    }
                    let Some((_, pos)) = place(offset) else { continue };
                    let help = suggest::did_you_mean(fragment, known.iter().map(String::as_str)).unwrap_or_else(|| {
                        "headings get an id made from their text, e.g. `## The toll` → #the-toll".into()
                    });
                    problems.push(
                        Diagnostic::error(
                            Code::BrokenAnchor,
                            body.file,
                            pos,
                            format!("`#{fragment}` is not an anchor on {}", urls::shown(target)),
                        )
                        .with_help(help),
                    );
                    continue;
                }
                let Some((url, pos)) = place(offset) else { continue };
                let Some((target, _)) = target_of(body, &url) else { continue };
                // Each suggestion compares against every output; past a
                // few, the general hint does.
                let suggested = (problems.len() < SUGGESTED_LINKS)
                    .then(|| {
                        let shown: &Vec<String> =
                            shown.get_or_init(|| produced.paths().iter().map(|p| urls::shown(p)).collect());
                        suggest::did_you_mean(&urls::shown(&target), shown.iter().map(String::as_str))
                    })
                    .flatten();
                let help = suggested.unwrap_or_else(|| {
                    "check the address; pages are at /briefs/<slug>/, /countries/<code>/, /groups/<slug>/".into()
                });
                problems.push(
                    Diagnostic::error(
                        Code::BrokenLink,
                        body.file,
                        pos,
                        format!("link to `{url}`, which is not a page of the site"),
                    )
                    .with_help(help),
                );
            }
        }
        problems
    }
}

/// How many broken links get a "did you mean" (each costs a comparison
/// with every page of the site).
const SUGGESTED_LINKS: usize = 100;

fn key(brief: &Arc<Brief>) -> usize {
    Arc::as_ptr(brief) as usize
}

fn body_links(body: &Body) -> BodyLinks {
    let mut links = Vec::new();
    let mut anchors = Vec::new();
    for (url, offset) in links_in(body).iter() {
        let Some((target, fragment)) = target_of(body, url) else { continue };
        let hash = hash_of(&target);
        let anchor = match fragment.filter(|f| !f.is_empty()) {
            Some(fragment) => {
                anchors.push(Anchor { fragment: fragment.into(), target: target.into() });
                anchors.len() as u32
            }
            None => 0,
        };
        let offset = u32::try_from(offset).expect("a source file is far smaller than 4 GiB");
        links.push(Link { target: hash, offset, anchor });
    }
    BodyLinks { links: links.into_boxed_slice(), anchors: anchors.into_boxed_slice() }
}

/// Passes a build's files on to a sink, noting each for the link check (its
/// path, and its ids if some link needs them).
pub struct Observer<'a, 'b> {
    plan: &'a LinkPlan<'b>,
    sink: &'a dyn Sink,
    /// Every path put, each followed by a NUL (which no path holds): one
    /// string, not a string each (over 200,000 at 100,000 briefs).
    paths: Mutex<String>,
    ids: Mutex<HashMap<String, HashSet<String>>>,
}

impl<'a, 'b> Observer<'a, 'b> {
    pub fn new(plan: &'a LinkPlan<'b>, sink: &'a dyn Sink) -> Self {
        Observer { plan, sink, paths: Mutex::default(), ids: Mutex::default() }
    }

    fn note(&self, path: &str) {
        let mut paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        paths.push_str(path);
        paths.push('\0');
    }
}

impl Sink for Observer<'_, '_> {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        if self.plan.wants_ids(&file.path) {
            let ids = match &file.content {
                Content::Bytes(bytes) => ids_in(&String::from_utf8_lossy(bytes)),
                Content::Copy(path) => ids_in(&std::fs::read_to_string(path).unwrap_or_default()),
                // Kept as an earlier build wrote it: read from the output.
                Content::Kept { .. } => {
                    ids_in(&String::from_utf8_lossy(&self.sink.previous(&file.path).unwrap_or_default()))
                }
            };
            self.ids.lock().unwrap_or_else(|e| e.into_inner()).insert(file.path.clone(), ids);
        }
        self.note(&file.path);
        self.sink.put(file)
    }

    fn put_written(&self, path: String, write: Writing) -> Result<(), WriteError> {
        if self.plan.wants_ids(&path) {
            // Gathered, to read its ids.
            return self.put(crate::render::gathered(path, write)?);
        }
        self.note(&path);
        self.sink.put_written(path, write)
    }

    fn keeps_files(&self) -> bool {
        self.sink.keeps_files()
    }

    fn previous(&self, path: &str) -> Option<Vec<u8>> {
        self.sink.previous(path)
    }

    fn reuses_pages(&self) -> bool {
        self.sink.reuses_pages()
    }

    fn keep_page(&self, path: &str, view: u128) -> Option<u128> {
        self.sink.keep_page(path, view)
    }

    fn keep(&self, paths: &[String]) -> bool {
        let kept = self.sink.keep(paths);
        if kept {
            paths.iter().for_each(|path| self.note(path));
        }
        kept
    }
}

impl Produced for Observer<'_, '_> {
    fn paths(&self) -> Vec<String> {
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).split_terminator('\0').map(str::to_string).collect()
    }

    fn hashes(&self) -> Cow<'_, PathHashes> {
        Cow::Owned(self.paths.lock().unwrap_or_else(|e| e.into_inner()).split_terminator('\0').map(hash_of).collect())
    }

    fn ids(&self, path: &str) -> Option<HashSet<String>> {
        self.ids.lock().unwrap_or_else(|e| e.into_inner()).get(path).cloned()
    }
}

/// The output file a link in `body` reaches, and its `#fragment`: on a
/// translated edition, a root-relative link to a page the edition has
/// reaches the edition's copy (as [`markdown::Links`] makes it).
fn target_of(body: &Body, url: &str) -> Option<(String, Option<String>)> {
    let (target, fragment) = urls::link_target(url, &body.page())?;
    if let Some(own) = body.edition
        && url.starts_with('/')
        && !url.starts_with("//")
    {
        let local = format!("{}{target}", body.prefix);
        if own.contains(&local) {
            return Some((local, fragment));
        }
    }
    Some((target, fragment))
}

/// A Markdown body and where it came from.
struct Body<'a> {
    /// Its edition's folder (empty for the default language's).
    prefix: Arc<str>,
    /// On a translated edition, its output paths.
    edition: Option<&'a HashSet<String>>,
    file: &'a str,
    /// The brief it is the body of, if it is one (for the cache).
    brief: Option<&'a Arc<Brief>>,
    /// The output page the body is shown on, for relative and `#anchor`
    /// links: made only when its links are read (most briefs' are cached).
    page: Page<'a>,
    text: Source<'a>,
    first_line: usize,
}

/// The page a body is shown on, within its edition's folder.
enum Page<'a> {
    /// A brief's page, by its slug.
    Brief(&'a str),
    /// Any other page, by its output path.
    Other(String),
}

/// Where a body's text is.
enum Source<'a> {
    Held(&'a str),
    /// A brief's, perhaps left in its file.
    Brief(&'a Text),
}

impl<'a> Body<'a> {
    /// The output path of the page it is shown on.
    fn page(&self) -> String {
        match &self.page {
            Page::Brief(slug) => format!("{}{}", self.prefix, urls::brief(slug).output_path()),
            Page::Other(path) => format!("{}{path}", self.prefix),
        }
    }

    /// The text (empty if a brief's file can no longer be read: its page
    /// reports that).
    fn text(&self) -> Cow<'a, str> {
        match self.text {
            Source::Held(text) => Cow::Borrowed(text),
            Source::Brief(text) => text.read(self.file).unwrap_or_default(),
        }
    }
}

/// The bodies of one edition of the site: on a translated edition, only
/// the translated ones (the others are the default edition's, checked
/// there).
fn bodies<'a>(site: &'a Site, own: Option<&'a HashSet<String>>) -> impl Iterator<Item = Body<'a>> + 'a {
    let prefix: Arc<str> = site.edition.prefix().into();
    let body = move |file: &'a str,
                     brief: Option<&'a Arc<Brief>>,
                     page: Page<'a>,
                     text: Source<'a>,
                     first_line: usize| {
        Body { prefix: prefix.clone(), edition: own, file, brief, page, text, first_line }
    };
    let briefs = site
        .briefs
        .iter()
        .filter(|b| b.text_language.is_none())
        .map(|b| (&*b.source_path, Some(&b.brief), Page::Brief(&b.slug), Source::Brief(&b.body), b.body_line));
    let pages = site.pages.iter().filter(|p| p.text_language.is_none()).map(|p| {
        let page = Page::Other(urls::plain_page(&p.path).output_path());
        (&*p.source_path, None, page, Source::Held(&p.body), p.body_line)
    });
    let groups = site.groups.iter().filter(|g| g.text_language.is_none()).filter_map(|g| {
        let file = g.group.source_path.as_deref()?;
        let page = Page::Other(urls::group(&g.group.slug).output_path());
        Some((file, None, page, Source::Held(&g.group.body), g.group.body_line))
    });
    let profiles = site.countries.iter().filter(|c| c.text_language.is_none()).filter_map(|c| {
        let p = c.profile.as_ref()?;
        let page = Page::Other(urls::country(c.country.slug).output_path());
        Some((&*p.source_path, None, page, Source::Held(&p.body), p.body_line))
    });
    briefs
        .chain(pages)
        .chain(groups)
        .chain(profiles)
        .map(move |(file, brief, page, text, line)| body(file, brief, page, text, line))
}

/// Every link and image target in a body, with its byte offset: as found
/// when a brief was read, or read now from other bodies.
fn links_in<'a>(body: &Body<'a>) -> std::borrow::Cow<'a, Addresses> {
    match body.brief {
        Some(brief) => std::borrow::Cow::Borrowed(&brief.body_links),
        None => std::borrow::Cow::Owned(markdown::links(&body.text())),
    }
}

/// The `id`s of the elements of an HTML page, as a browser parses them
/// (quoted either way or not at all, `id` in any case).
pub fn ids_in(html: &str) -> HashSet<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("[id]").expect("a valid selector");
    document.select(&selector).filter_map(|e| e.value().id()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_however_they_are_quoted() {
        let ids = ids_in("<h2 id='single'>a</h2><p ID=upper></p><div id=\"double\"></div><p data-id=\"no\"></p>");
        let mut ids: Vec<_> = ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, ["double", "single", "upper"]);
    }
}
