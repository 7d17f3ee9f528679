//! The search index, written by sitrep in the format Pagefind's browser
//! code reads (the version of the `pagefind` crate this build links; its
//! script, interface and WebAssembly come from that crate as they are).
//!
//! Pagefind's own indexer reads every page through a general HTML
//! rewriter, one page at a time under a lock, and compresses every file at
//! the highest level: at 10,000 briefs it cost six times the rest of the
//! build. Here pages are read by [`super::html`] and their words counted
//! in parallel while they render ([`count`]), each added to the [`Index`]
//! in page order as it comes (its words coded, its fragment grouped and
//! gzipped), so that no page's text is held past its turn; the files are
//! compressed at the default level.
//!
//! The files, each gzipped after the marker `pagefind_dcd` unless said:
//! - `pagefind-entry.json` (plain): the version, and per language the name
//!   of its metadata file, its stemmer and its page count;
//! - `pagefind.<hash>.pf_meta`: the pages (their fragment's name, word
//!   count and group), the index chunks (first and last word of each),
//!   the filters, the sort orders and the meta fields;
//! - `index/<hash>.pf_index`: words in order, each with its pages, the
//!   word's places in the page's text (delta-coded, weight changes marked
//!   by negative numbers) and in its meta fields, and its accented forms;
//! - `filter/<hash>.pf_filter`: one filter's values and their pages;
//! - `fragment/<hash>.pf_fragment`: JSON of a group of pages: address,
//!   text, word count, filters, meta.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use minicbor::Encode;
use rayon::prelude::*;

use crate::FastMap;

use super::html;
use super::spill::{Piece, Spill};
use super::words::{Term, Words};

/// Past this many pages, the pages' fragments are grouped into this many
/// files, so that 10,000 briefs do not add 10,000 small files.
pub const MAX_FRAGMENTS: usize = 1024;

/// Words are cut into index chunks of about this many places.
const CHUNK_SIZE: usize = 20_000;

/// How many bytes of coded word lists the index holds in memory while
/// pages are added; past it they are moved to a [`Spill`] file.
const HELD: usize = 32 << 20;

/// What the bundle is made with besides the pages: Pagefind's browser
/// files for the language, and the facts its entry file states.
pub struct Assets {
    pub files: Vec<(String, Vec<u8>)>,
    pub version: String,
    pub include_characters: serde_json::Value,
    /// The language's stemmer in the browser, if Pagefind has one.
    pub wasm: Option<String>,
}

/// A page counted for the index ([`count`]): where each of its words is
/// found, what a result shows of it, its filters and sort values. Pages
/// are counted in parallel as they render, and added to an [`Index`] one
/// by one in their order, so that no page's text is held past its turn.
pub struct Counted {
    words: Vec<PageWord>,
    shown: Shown,
    /// The page's meta fields, in the order its words' places number them.
    meta_fields: Vec<String>,
    filters: BTreeMap<String, Vec<String>>,
    sort: BTreeMap<String, String>,
}

/// The index as it is gathered, a page at a time in page order: each
/// word's pages already coded, each page's fragment, the filters and sort
/// values. What is held grows with the index, not with the pages' text.
pub struct Index {
    language: String,
    /// Each word's pages (put in order when the index is written).
    words: FastMap<String, Coded>,
    /// Bytes of the words' coded pages in memory, and how many may be
    /// before they are spilled.
    held: usize,
    budget: usize,
    spill: Spill,
    pages: Vec<PageEntry>,
    fragments: Fragments,
    /// The meta fields in the order they were first met.
    meta_fields: Vec<String>,
    filters: BTreeMap<String, BTreeMap<String, Vec<usize>>>,
    sorts: BTreeMap<String, Vec<(String, usize)>>,
}

impl Index {
    /// An empty index in `language`, for about `expected` pages (it
    /// decides how many pages share a fragment file).
    pub fn new(language: &str, expected: usize) -> Index {
        Index {
            language: language.to_string(),
            words: FastMap::default(),
            held: 0,
            budget: HELD,
            spill: Spill::default(),
            pages: Vec::new(),
            fragments: Fragments::new(language, expected),
            meta_fields: Vec::new(),
            filters: BTreeMap::new(),
            sorts: BTreeMap::new(),
        }
    }

    /// The fragment files filled so far and not taken before, not yet
    /// gzipped ([`gzipped`]): a build puts them into the output while the
    /// site renders rather than holding them to the end. [`Index::write`]
    /// gives the rest; [`Index::taken`] lists these.
    pub fn take_finished(&mut self) -> Vec<File> {
        let finished = std::mem::take(&mut self.fragments.finished);
        self.fragments.taken.extend(finished.iter().map(|(path, _)| path.clone()));
        finished
    }

    /// The paths of the files [`Index::take_finished`] gave.
    pub fn taken(&self) -> &[String] {
        &self.fragments.taken
    }

    /// Adds pages after those added before, in their order.
    pub fn extend(&mut self, pages: impl IntoIterator<Item = Counted>) {
        for page in pages {
            self.add(page);
        }
    }

    /// Adds a page after those added before (it takes the next number).
    fn add(&mut self, page: Counted) {
        let number = self.pages.len();
        // The page numbers its meta fields in its own order; the index, in
        // the order it first met them.
        let fields: Vec<i32> = page
            .meta_fields
            .into_iter()
            .map(|field| match self.meta_fields.iter().position(|f| *f == field) {
                Some(at) => at as i32,
                None => {
                    self.meta_fields.push(field);
                    self.meta_fields.len() as i32 - 1
                }
            })
            .collect();
        let renumbered = |mut page: PackedPage| {
            for place in page.meta_locs.iter_mut().filter(|p| **p < 0) {
                *place = -fields[(-*place - 1) as usize] - 1;
            }
            page
        };
        for PageWord { stem, bare, accented } in page.words {
            let word = match self.words.get_mut(&stem) {
                Some(word) => word,
                None => self.words.entry(stem).or_default(),
            };
            if let Some(page) = bare {
                self.held += word.pages.push(number, &renumbered(page));
            }
            for variant in accented {
                let pages = match word.variants.iter_mut().find(|(form, _)| *form == variant.form) {
                    Some((_, pages)) => pages,
                    None => {
                        word.variants.push((variant.form, CodedPages::default()));
                        &mut word.variants.last_mut().expect("just pushed").1
                    }
                };
                for page in variant.pages {
                    self.held += pages.push(number, &renumbered(page));
                }
            }
        }
        if self.held > self.budget {
            self.spill_words();
        }
        for (filter, values) in page.filters {
            let filter = self.filters.entry(filter).or_default();
            for value in values {
                filter.entry(value).or_default().push(number);
            }
        }
        for (key, value) in page.sort {
            self.sorts.entry(key).or_default().push((value, number));
        }
        self.fragments.add(number, page.shown, &mut self.pages);
    }

    /// Moves every word's coded pages held in memory to the spill file; if
    /// it cannot be written, they stay, and so do all later ones.
    fn spill_words(&mut self) {
        let spill = &mut self.spill;
        for coded in self.words.values_mut() {
            for pages in std::iter::once(&mut coded.pages).chain(coded.variants.iter_mut().map(|(_, p)| p)) {
                if let Some(piece) = spill.put(&pages.bytes) {
                    pages.spilled.push(piece);
                    pages.bytes = Vec::new();
                }
            }
        }
        self.held = 0;
        if !spill.usable() {
            self.budget = usize::MAX;
        }
    }

    /// The index files, with the browser files of `assets`: all but the
    /// fragment files taken before ([`Index::take_finished`]). The word
    /// list chunks, most of the bundle's bytes, are given to `put` as they
    /// are made, a few at a time, rather than all held to the end; the
    /// rest are returned. Fails only if the word lists spilled to a file
    /// cannot be read back.
    pub fn write(mut self, assets: &Assets, put: &mut dyn FnMut(File)) -> Result<Vec<File>, String> {
        // An index large enough to have set lists aside sets aside the
        // rest too: they are read back a chunk at a time in any case, and
        // the rest of the site renders meanwhile.
        if self.spill.used() {
            self.spill_words();
        }
        let Index { language, words: index, mut spill, mut pages, fragments, meta_fields, filters, sorts, .. } = self;
        let language = language.as_str();
        let (fragments, group_names) = fragments.finish(&mut pages);
        let pages = pages
            .iter()
            .map(|page| MetaPage {
                hash: &page.name,
                word_count: page.word_count,
                group_hash: page.group.map_or("", |group| &group_names[group as usize]),
            })
            .collect();
        let mut meta = MetaIndex {
            version: assets.version.clone(),
            pages,
            index_chunks: Vec::new(),
            filters: Vec::new(),
            sorts: sorted(sorts),
            meta_fields,
        };

        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut filter_names: BTreeSet<String> = BTreeSet::new();
        for (filter, values) in filters {
            let index = FilterIndex {
                filter: filter.clone(),
                values: values.into_iter().map(|(value, pages)| PackedValue { value, pages }).collect(),
            };
            let bytes = cbor(&index);
            let name = unique(language, &digest(&bytes), &mut |name| filter_names.contains(name));
            filter_names.insert(name.clone());
            meta.filters.push(MetaFilter { filter, hash: name.clone() });
            files.push((format!("filter/{name}.pf_filter"), bytes));
        }

        let (mut words, chunks) = chunks(index);
        meta.index_chunks = chunk_bounds(&words, &chunks);
        // Each chunk is coded, named by its digest, gzipped and put in one
        // go, its words' lists dropped as it is done; a few at a time in
        // parallel, named in order.
        let failed = |e: std::io::Error| format!("the word lists set aside in a temporary file could not be read: {e}");
        spill.flush().map_err(failed)?;
        let mut chunk_names: BTreeSet<String> = BTreeSet::new();
        let mut bounds = meta.index_chunks.iter_mut();
        let at_once = 2 * rayon::current_num_threads();
        for some in chunks.chunks(at_once) {
            let encoded: Vec<(String, Vec<u8>)> = some
                .par_iter()
                .map(|chunk| coded_chunk(&words[chunk.clone()], &spill).map(|bytes| (digest(&bytes), gzipped(&bytes))))
                .collect::<Result<_, _>>()
                .map_err(failed)?;
            // Done with: their words and lists.
            for word in &mut words[some[0].start..some[some.len() - 1].end] {
                *word = Default::default();
            }
            for (digest, bytes) in encoded {
                let name = unique(language, &digest, &mut |name| chunk_names.contains(name));
                chunk_names.insert(name.clone());
                bounds.next().expect("a chunk's bounds").hash = name.clone();
                put((format!("index/{name}.pf_index"), bytes));
            }
        }
        drop(spill);

        let page_count = meta.pages.len();
        let meta_bytes = cbor(&meta);
        let meta_name = format!("{language}_{}", &digest(&meta_bytes)[..language.len() + 8]);
        files.push((format!("pagefind.{meta_name}.pf_meta"), meta_bytes));

        // Everything so far is gzipped; the entry and the browser files are not.
        let mut files: Vec<(String, Vec<u8>)> =
            files.into_par_iter().map(|(path, bytes)| (path, gzipped(&bytes))).collect();
        files.extend(fragments);
        let entry = serde_json::json!({
            "version": assets.version,
            "languages": { language: { "hash": meta_name, "wasm": assets.wasm, "page_count": page_count } },
            "include_characters": assets.include_characters,
        });
        files.push(("pagefind-entry.json".into(), entry.to_string().into_bytes()));
        files.extend(assets.files.iter().cloned());
        Ok(files)
    }
}

/// The pages' fragments (what a result shows of each), named and grouped
/// as the pages come; each full file waits to be taken
/// ([`Index::take_finished`]) and put into the output while the site
/// renders: the text of every page is not held until the end.
struct Fragments {
    language: String,
    /// How many pages share a file: one while the site has at most
    /// [`MAX_FRAGMENTS`] pages.
    group_size: usize,
    /// The pages of the file being filled: number, name and fragment.
    group: Vec<(usize, String, String)>,
    /// The names of the files of several pages, in the order they were
    /// closed (what [`PageEntry::group`] counts); at most about
    /// [`MAX_FRAGMENTS`], so a new name is checked against them in turn.
    closed: Vec<String>,
    /// Page names given, each with the digest it was given for.
    names: HashMap<Box<str>, u128>,
    /// Full files not yet taken, as JSON.
    finished: Vec<File>,
    /// The paths of the files taken.
    taken: Vec<String>,
}

/// A file of the bundle: its path in the bundle's folder, its bytes.
pub type File = (String, Vec<u8>);

impl Fragments {
    fn new(language: &str, expected: usize) -> Fragments {
        Fragments {
            language: language.to_string(),
            group_size: if expected > MAX_FRAGMENTS { expected.div_ceil(MAX_FRAGMENTS) } else { 1 },
            group: Vec::new(),
            closed: Vec::new(),
            names: HashMap::new(),
            finished: Vec::new(),
            taken: Vec::new(),
        }
    }

    /// Adds page `number`'s fragment, and its entry to `pages`.
    fn add(&mut self, number: usize, shown: Shown, pages: &mut Vec<PageEntry>) {
        // A page's name is the start of a digest of its fragment, longer
        // where two pages would share one.
        let names = &self.names;
        let hex = format!("{:032x}", shown.digest);
        let name = unique(&self.language, &hex, &mut |name| names.get(name).is_some_and(|d| *d != shown.digest));
        self.names.insert(name.as_str().into(), shown.digest);
        pages.push(PageEntry { name: name.as_str().into(), word_count: shown.word_count as u32, group: None });
        self.group.push((number, name, shown.fragment));
        if self.group.len() >= self.group_size {
            self.close(pages);
        }
    }

    /// Names the file of the group being filled (each of its pages is told
    /// the group's name) and sets it aside to be taken.
    fn close(&mut self, pages: &mut [PageEntry]) {
        let mut group = std::mem::take(&mut self.group);
        let file = if self.group_size == 1 {
            group.pop().map(|(_, name, fragment)| (name, fragment))
        } else if group.is_empty() {
            None
        } else {
            group.sort_by(|a, b| a.1.cmp(&b.1));
            let mut json = String::from("{");
            for (n, (_, name, fragment)) in group.iter().enumerate() {
                if n > 0 {
                    json.push(',');
                }
                json.push_str(&serde_json::to_string(name).expect("a string is JSON"));
                json.push(':');
                json.push_str(fragment);
            }
            json.push('}');
            let closed = &self.closed;
            let name = unique(&format!("{}_group", self.language), &digest(json.as_bytes()), &mut |name| {
                closed.iter().any(|taken| taken == name)
            });
            for (number, _, _) in &group {
                pages[*number].group = Some(self.closed.len() as u32);
            }
            self.closed.push(name.clone());
            Some((name, json))
        };
        if let Some((name, json)) = file {
            self.finished.push((format!("fragment/{name}.pf_fragment"), json.into_bytes()));
        }
    }

    /// The fragment files not taken, gzipped, once the last group is
    /// closed; and the names of the files of several pages.
    fn finish(mut self, pages: &mut [PageEntry]) -> (Vec<File>, Vec<String>) {
        self.close(pages);
        (self.finished.into_par_iter().map(|(path, json)| (path, gzipped(&json))).collect(), self.closed)
    }
}

/// Where a word is found in one page: places in its text (with their
/// weights) and in its meta fields (field, place).
#[derive(Default)]
struct Places {
    text: Vec<(u32, u8)>,
    meta: Vec<(u16, u32)>,
}

/// Where a word is found in one page, written bare and in each accented
/// form.
#[derive(Default)]
struct Found {
    bare: Places,
    accented: BTreeMap<String, Places>,
}

/// Where one word is found in one page, coded for the index.
struct PageWord {
    stem: String,
    bare: Option<PackedPage>,
    accented: Vec<PackedVariant>,
}

/// A word of the index as it is gathered: its pages, bare and in each
/// accented form, already in the bytes a chunk holds them as (held as
/// structures, the index of 10,000 briefs took hundreds of megabytes).
#[derive(Default)]
struct Coded {
    pages: CodedPages,
    variants: Vec<(String, CodedPages)>,
}

impl Coded {
    /// Its size for cutting chunks: its places, one per page, one per form.
    fn size(&self) -> usize {
        self.pages.size + self.variants.iter().map(|(_, p)| p.size).sum::<usize>() + self.variants.len()
    }
}

/// Pages of one word (or one form of it), each coded as the browser reads
/// a `PackedPage`: its number as the step from the one before, its places
/// in the text and in the meta fields.
#[derive(Default)]
struct CodedPages {
    count: u64,
    last: usize,
    size: usize,
    /// The first pages' bytes, moved to the index's spill file, in order;
    /// then those still in memory.
    spilled: Vec<Piece>,
    bytes: Vec<u8>,
}

impl CodedPages {
    /// Adds page `number` after those before; how many bytes that took.
    fn push(&mut self, number: usize, page: &PackedPage) -> usize {
        let before = self.bytes.len();
        cbor::array(3, &mut self.bytes);
        cbor::uint((number - self.last) as u64, &mut self.bytes);
        for places in [&page.locs, &page.meta_locs] {
            cbor::array(places.len() as u64, &mut self.bytes);
            for &place in places.iter() {
                cbor::int(place, &mut self.bytes);
            }
        }
        self.last = number;
        self.count += 1;
        self.size += page.locs.len() + page.meta_locs.len() + 1;
        self.bytes.len() - before
    }

    /// How many bytes its pages take, spilled or held.
    fn len(&self) -> usize {
        self.spilled.iter().map(|p| p.len()).sum::<usize>() + self.bytes.len()
    }

    /// Appends every page's bytes, spilled or held, to `out`.
    fn write(&self, spill: &Spill, out: &mut Vec<u8>) -> std::io::Result<()> {
        cbor::array(self.count, out);
        for &piece in &self.spilled {
            spill.read(piece, out)?;
        }
        out.extend_from_slice(&self.bytes);
        Ok(())
    }
}

/// A chunk of words as the browser reads it (a `WordIndex` of
/// `PackedWord`s), its words' pages read back from `spill` where they were
/// moved there.
fn coded_chunk(words: &[(String, Coded)], spill: &Spill) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(words.iter().map(|(w, c)| w.len() + c.pages.len() + 8).sum());
    cbor::array(1, &mut out);
    cbor::array(words.len() as u64, &mut out);
    for (word, coded) in words {
        cbor::array(3, &mut out);
        cbor::text(word, &mut out);
        coded.pages.write(spill, &mut out)?;
        cbor::array(coded.variants.len() as u64, &mut out);
        for (form, pages) in &coded.variants {
            cbor::array(2, &mut out);
            cbor::text(form, &mut out);
            pages.write(spill, &mut out)?;
        }
    }
    Ok(out)
}

/// The few CBOR items a chunk holds, each in its shortest form (as
/// minicbor writes them).
mod cbor {
    fn head(major: u8, value: u64, out: &mut Vec<u8>) {
        let major = major << 5;
        match value {
            0..=23 => out.push(major | value as u8),
            24..=0xff => out.extend_from_slice(&[major | 24, value as u8]),
            0x100..=0xffff => {
                out.push(major | 25);
                out.extend_from_slice(&(value as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                out.push(major | 26);
                out.extend_from_slice(&(value as u32).to_be_bytes());
            }
            _ => {
                out.push(major | 27);
                out.extend_from_slice(&value.to_be_bytes());
            }
        }
    }

    pub fn uint(value: u64, out: &mut Vec<u8>) {
        head(0, value, out);
    }

    pub fn int(value: i32, out: &mut Vec<u8>) {
        match u64::try_from(value) {
            Ok(positive) => head(0, positive, out),
            Err(_) => head(1, (-1 - i64::from(value)) as u64, out),
        }
    }

    pub fn text(value: &str, out: &mut Vec<u8>) {
        head(3, value.len() as u64, out);
        out.extend_from_slice(value.as_bytes());
    }

    pub fn array(length: u64, out: &mut Vec<u8>) {
        head(4, length, out);
    }
}

/// What a result shows of one page, and its name's digest.
struct Shown {
    fragment: String,
    digest: u128,
    word_count: usize,
}

#[derive(serde::Serialize)]
struct Fragment<'a> {
    url: &'a str,
    content: &'a str,
    word_count: usize,
    filters: &'a BTreeMap<String, Vec<String>>,
    meta: &'a BTreeMap<String, String>,
    anchors: [(); 0],
}

/// The words of the page being counted, and where each is found so far
/// (`at` gives a word's place in `found`, whose entries point into
/// `places`).
#[derive(Default)]
struct Counting {
    at: FastMap<String, usize>,
    found: Vec<Slots>,
    places: Vec<Places>,
}

/// Where in [`Counting::places`] a word's places are, bare and in each
/// accented form.
#[derive(Default)]
struct Slots {
    bare: usize,
    accented: BTreeMap<String, usize>,
}

impl Counting {
    /// Where in `places` those of `term` are gathered.
    fn slot_of(&mut self, term: &Term) -> usize {
        let at = match self.at.get(&term.stem) {
            Some(&at) => at,
            None => {
                self.at.insert(term.stem.clone(), self.found.len());
                self.found.push(Slots { bare: self.places.len(), accented: BTreeMap::new() });
                self.places.push(Places::default());
                self.found.len() - 1
            }
        };
        let Some(form) = &term.accented else { return self.found[at].bare };
        if let Some(&slot) = self.found[at].accented.get(form) {
            return slot;
        }
        self.found[at].accented.insert(form.clone(), self.places.len());
        self.places.push(Places::default());
        self.places.len() - 1
    }

    /// Each word with where it is found.
    fn into_words(mut self) -> impl Iterator<Item = (String, Found)> {
        let found = std::mem::take(&mut self.found);
        let mut places = self.places;
        self.at.into_iter().map(move |(stem, at)| {
            let slots = &found[at];
            let accented =
                slots.accented.iter().map(|(form, &slot)| (form.clone(), std::mem::take(&mut places[slot]))).collect();
            (stem, Found { bare: std::mem::take(&mut places[slots.bare]), accented })
        })
    }
}

/// `word` pushed onto `shown` with its `<` and `>` written as text.
fn push_as_text(shown: &mut String, word: &str) {
    for piece in word.split_inclusive(['<', '>']) {
        match piece.as_bytes().last() {
            Some(b'<') => {
                shown.push_str(&piece[..piece.len() - 1]);
                shown.push_str("&lt;");
            }
            Some(b'>') => {
                shown.push_str(&piece[..piece.len() - 1]);
                shown.push_str("&gt;");
            }
            _ => shown.push_str(piece),
        }
    }
}

/// Counts the words of `page` (at `url`) by the rules of `words`. A page
/// without a word to find gives nothing: Pagefind leaves such pages out.
pub fn count(url: &str, page: html::Page, words: &Words) -> Option<Counted> {
    if page.weights.is_empty() {
        return None;
    }
    let mut found = Counting::default();
    let mut shown = String::with_capacity(page.content.len());
    // Each word met in the text, as written, with where its terms' places
    // go (a range of `slots`: the slot and whether the term is a part):
    // a word met again costs one look-up.
    let mut met: FastMap<&str, std::ops::Range<usize>> = FastMap::default();
    let mut slots: Vec<(usize, bool)> = Vec::new();
    for (place, (word, &weight)) in page.content.split(' ').zip(&page.weights).enumerate() {
        if place > 0 {
            shown.push(' ');
        }
        // What a result shows is HTML: a `<` the page's text held as
        // written is shown as text.
        push_as_text(&mut shown, word);
        let range = match met.get(word) {
            Some(range) => range.clone(),
            None => {
                let start = slots.len();
                words.with_terms(&html::decoded(word), |terms| {
                    slots.extend(terms.iter().map(|term| (found.slot_of(term), term.part)));
                });
                met.insert(word, start..slots.len());
                start..slots.len()
            }
        };
        let terms = &slots[range];
        let parts = terms.iter().filter(|&&(_, part)| part).count();
        let part_weight = if parts > 0 && weight > 0 { (weight / parts.min(255) as u8).max(1) } else { 0 };
        for &(slot, part) in terms {
            let weight = if part { part_weight } else { weight };
            found.places[slot].text.push((place as u32, weight));
        }
    }
    for (id, value) in page.meta.values().enumerate() {
        let id = id as u16;
        for (place, word) in value.split_whitespace().enumerate() {
            words.with_terms(word, |terms| {
                for term in terms {
                    let slot = found.slot_of(term);
                    found.places[slot].meta.push((id, place as u32));
                }
            });
        }
    }
    let word_count = page.weights.len();
    let fragment = serde_json::to_string(&Fragment {
        url,
        content: &shown,
        word_count,
        filters: &page.filters,
        meta: &page.meta,
        anchors: [],
    })
    .expect("a fragment is JSON");
    let digest = xxhash_rust::xxh3::xxh3_128(fragment.as_bytes());
    let coded = |places_of: Places| PackedPage {
        page_number: 0,
        locs: places(places_of.text),
        meta_locs: meta_places(places_of.meta),
    };
    let words = found
        .into_words()
        .map(|(stem, found)| {
            let bare = (!found.bare.text.is_empty() || !found.bare.meta.is_empty()).then(|| coded(found.bare));
            let accented = found
                .accented
                .into_iter()
                .map(|(form, places_of)| PackedVariant { form, pages: vec![coded(places_of)] })
                .collect();
            PageWord { stem, bare, accented }
        })
        .collect();
    Some(Counted {
        words,
        shown: Shown { fragment, digest, word_count },
        meta_fields: page.meta.into_keys().collect(),
        filters: page.filters,
        sort: page.sort,
    })
}

/// The sort orders: for each sort key, the pages that have it (with
/// their values, in page order), ordered by value (as numbers if every
/// value is one).
fn sorted(sorts: BTreeMap<String, Vec<(String, usize)>>) -> Vec<MetaSort> {
    sorts
        .into_iter()
        .map(|(key, mut values)| {
            let number = |v: &str| v.parse::<i32>().map(|i| i as f32).or_else(|_| v.parse::<f32>()).ok();
            if values.iter().all(|(v, _)| number(v).is_some()) {
                values.sort_by(|a, b| number(&a.0).unwrap_or_default().total_cmp(&number(&b.0).unwrap_or_default()));
            } else {
                values.sort_by(|a, b| a.0.cmp(&b.0));
            }
            MetaSort { sort: key, pages: values.into_iter().map(|(_, n)| n).collect() }
        })
        .collect()
}

/// Places in a page's text, in the browser's code: the plain weight's
/// first, then by place; each place as the step from the one before, and
/// a change of weight as its negative (less one) followed by the place
/// itself.
fn places(mut found: Vec<(u32, u8)>) -> Vec<i32> {
    /// The weight the browser assumes before the first change.
    const ASSUMED: u8 = 25;
    found.sort_by_key(|&(place, weight)| (if weight == ASSUMED { 0 } else { weight }, place));
    let mut coded = Vec::with_capacity(found.len());
    let (mut weight_now, mut last) = (ASSUMED, 0);
    for (place, weight) in found {
        if weight != weight_now {
            coded.push(-i32::from(weight) - 1);
            coded.push(place as i32);
            weight_now = weight;
        } else {
            coded.push((place - last) as i32);
        }
        last = place;
    }
    coded
}

/// Places in meta fields: a field's number as its negative (less one),
/// then its places as steps.
fn meta_places(mut found: Vec<(u16, u32)>) -> Vec<i32> {
    found.sort_unstable();
    let mut coded = Vec::with_capacity(found.len() + 2);
    let (mut field_now, mut last) = (None, 0);
    for (field, place) in found {
        if field_now != Some(field) {
            coded.push(-i32::from(field) - 1);
            field_now = Some(field);
            last = 0;
        }
        coded.push((place - last) as i32);
        last = place;
    }
    coded
}

/// Words in order, cut into chunks of about [`CHUNK_SIZE`] places.
/// The words in order, and the chunks they are cut into, as ranges of
/// them (not copied into a list each: at 100,000 briefs the words are
/// over 100,000).
fn chunks(words: FastMap<String, Coded>) -> (Vec<(String, Coded)>, Vec<std::ops::Range<usize>>) {
    let mut words: Vec<(String, Coded)> = words.into_iter().collect();
    words.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, (_, coded)) in words.iter().enumerate() {
        size += coded.size();
        if size >= CHUNK_SIZE {
            chunks.push(start..i + 1);
            start = i + 1;
            size = 0;
        }
    }
    if start < words.len() {
        chunks.push(start..words.len());
    }
    (words, chunks)
}

/// Each chunk's first and last word, cut to the shortest starts that still
/// tell neighbouring chunks apart (a query is looked up by its start).
fn chunk_bounds<T>(words: &[(String, T)], chunks: &[std::ops::Range<usize>]) -> Vec<MetaChunk> {
    let mut bounds: Vec<MetaChunk> = chunks
        .iter()
        .map(|c| MetaChunk { from: words[c.start].0.clone(), to: words[c.end - 1].0.clone(), hash: String::new() })
        .collect();
    for i in 1..bounds.len() {
        let (to, from) = (&bounds[i - 1].to, &bounds[i].from);
        let shared = from.chars().zip(to.chars()).take_while(|(a, b)| a == b).count();
        let to_start: String = to.chars().take(shared + 1).collect();
        let from_start: String = from.chars().take(shared + 1).collect();
        if to_start >= bounds[i - 1].from {
            bounds[i - 1].to = to_start;
        }
        bounds[i].from = from_start;
    }
    bounds
}

/// A name not yet `taken`: `prefix_` and the first 7 characters of the
/// digest, or more where those are taken.
fn unique(prefix: &str, digest: &str, taken: &mut dyn FnMut(&str) -> bool) -> String {
    let digest = digest.strip_prefix(&format!("{prefix}_")).unwrap_or(digest);
    let mut length = 7;
    loop {
        let name = format!("{prefix}_{}", &digest[..length.min(digest.len())]);
        if length >= digest.len() || !taken(&name) {
            return name;
        }
        length += 1;
    }
}

fn digest(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

fn cbor<T: Encode<()>>(value: &T) -> Vec<u8> {
    minicbor::to_vec(value).expect("writing to memory does not fail")
}

/// The bytes gzipped after the marker the browser code checks for, with
/// the header `flate2`'s `GzEncoder` writes (no name, no time, unknown
/// system). Each thread keeps one compressor and resets it for the next
/// file: setting one up zeroes some 400 KB of tables, which cost more
/// than compressing a small index file.
pub fn gzipped(bytes: &[u8]) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    thread_local! {
        static DEFLATE: std::cell::RefCell<Compress> = std::cell::RefCell::new(Compress::new(Compression::default(), false));
    }
    const MARKER: &[u8] = b"pagefind_dcd";
    const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let mut crc = flate2::Crc::new();
    crc.update(MARKER);
    crc.update(bytes);
    let mut gz = Vec::with_capacity(bytes.len() / 3 + 64);
    gz.extend_from_slice(&HEADER);
    DEFLATE.with_borrow_mut(|deflate| {
        deflate.reset();
        deflate_into(deflate, MARKER, &mut gz, FlushCompress::None);
        deflate_into(deflate, bytes, &mut gz, FlushCompress::Finish);
    });
    gz.extend_from_slice(&crc.sum().to_le_bytes());
    gz.extend_from_slice(&crc.amount().to_le_bytes());
    gz
}

/// Feeds `input` to `deflate`, its output appended to `out`; with
/// `Finish`, until the stream is ended.
fn deflate_into(deflate: &mut flate2::Compress, mut input: &[u8], out: &mut Vec<u8>, flush: flate2::FlushCompress) {
    loop {
        if out.capacity() - out.len() < 1024 {
            out.reserve(out.capacity().max(4096));
        }
        let before = deflate.total_in();
        let status = deflate.compress_vec(input, out, flush).expect("deflating into memory does not fail");
        input = &input[(deflate.total_in() - before) as usize..];
        let done = match flush {
            flate2::FlushCompress::Finish => status == flate2::Status::StreamEnd,
            _ => input.is_empty(),
        };
        if done {
            return;
        }
    }
}

// The records, as the browser code decodes them (CBOR arrays, fields in
// the order of their numbers).

#[derive(Encode)]
struct MetaIndex<'a> {
    #[n(0)]
    version: String,
    #[n(1)]
    pages: Vec<MetaPage<'a>>,
    #[n(2)]
    index_chunks: Vec<MetaChunk>,
    #[n(3)]
    filters: Vec<MetaFilter>,
    #[n(4)]
    sorts: Vec<MetaSort>,
    #[n(5)]
    meta_fields: Vec<String>,
}

#[derive(Encode)]
struct MetaChunk {
    #[n(0)]
    from: String,
    #[n(1)]
    to: String,
    #[n(2)]
    hash: String,
}

#[derive(Encode)]
struct MetaPage<'a> {
    #[n(0)]
    hash: &'a str,
    #[n(1)]
    word_count: u32,
    #[n(2)]
    group_hash: &'a str,
}

/// A page of the index as it is gathered (a [`MetaPage`] when written):
/// its name, and the file of several pages it is in, by number, once
/// that file is closed.
struct PageEntry {
    name: Box<str>,
    word_count: u32,
    group: Option<u32>,
}

#[derive(Encode)]
struct MetaFilter {
    #[n(0)]
    filter: String,
    #[n(1)]
    hash: String,
}

#[derive(Encode)]
struct MetaSort {
    #[n(0)]
    sort: String,
    #[n(1)]
    pages: Vec<usize>,
}

#[derive(Encode)]
struct PackedVariant {
    #[n(0)]
    form: String,
    #[n(1)]
    pages: Vec<PackedPage>,
}

#[derive(Encode)]
struct PackedPage {
    #[n(0)]
    page_number: usize,
    #[n(1)]
    locs: Vec<i32>,
    #[n(2)]
    meta_locs: Vec<i32>,
}

#[derive(Encode)]
struct FilterIndex {
    #[n(0)]
    filter: String,
    #[n(1)]
    values: Vec<PackedValue>,
}

#[derive(Encode)]
struct PackedValue {
    #[n(0)]
    value: String,
    #[n(1)]
    pages: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_is_gzipped_whole_by_the_compressor_a_thread_reuses() {
        use std::io::Read;
        let gunzip = |gz: &[u8]| {
            let mut text = Vec::new();
            flate2::read::GzDecoder::new(gz).read_to_end(&mut text).expect("valid gzip, checksum included");
            text
        };
        // Larger than the output buffer a file starts with, and varied,
        // so that it fills the buffer more than once.
        let large: Vec<u8> =
            (0..200_000u32).flat_map(|n| format!("{} ", n.wrapping_mul(2_654_435_761)).into_bytes()).collect();
        let files: [&[u8]; 4] = [b"{\"a\":1}", &large, b"", b"{\"a\":1}"];
        let zipped: Vec<Vec<u8>> = files.iter().map(|bytes| gzipped(bytes)).collect();
        for (bytes, gz) in files.iter().zip(&zipped) {
            assert_eq!(gunzip(gz), [b"pagefind_dcd".as_slice(), bytes].concat());
        }
        // A file compressed after others comes out as it did first.
        assert_eq!(zipped[0], zipped[3]);
    }

    #[test]
    fn places_are_steps_with_weight_changes_marked() {
        // Plain words (weight 24) at 0 and 5, a heading word (168) at 2.
        assert_eq!(places(vec![(5, 24), (2, 168), (0, 24)]), [-25, 0, 5, -169, 2]);
        assert_eq!(meta_places(vec![(3, 2), (0, 5), (0, 0)]), [-1, 0, 5, -4, 2]);
    }

    #[derive(Encode)]
    struct WordIndex {
        #[n(0)]
        words: Vec<PackedWord>,
    }

    #[derive(Encode)]
    struct PackedWord {
        #[n(0)]
        word: String,
        #[n(1)]
        pages: Vec<PackedPage>,
        #[n(2)]
        additional_variants: Vec<PackedVariant>,
    }

    #[test]
    fn a_chunk_is_coded_as_the_records_it_stands_for() {
        let page = |n: usize, locs: Vec<i32>, meta: Vec<i32>| PackedPage { page_number: n, locs, meta_locs: meta };
        // Page numbers as steps, places of every size and sign.
        let records = WordIndex {
            words: vec![
                PackedWord {
                    word: "arme".into(),
                    pages: vec![page(3, vec![-25, 0, 5, -169, 2], vec![]), page(300 - 3, vec![70_000], vec![-1, 0])],
                    additional_variants: vec![PackedVariant {
                        form: "armée".into(),
                        pages: vec![page(7, vec![-25, 24], vec![])],
                    }],
                },
                PackedWord {
                    word: "zone".into(),
                    pages: vec![page(65_600, vec![-25, 1], vec![])],
                    additional_variants: vec![],
                },
            ],
        };
        let mut arme = Coded::default();
        arme.pages.push(3, &page(0, vec![-25, 0, 5, -169, 2], vec![]));
        arme.pages.push(300, &page(0, vec![70_000], vec![-1, 0]));
        let mut form = CodedPages::default();
        form.push(7, &page(0, vec![-25, 24], vec![]));
        arme.variants.push(("armée".into(), form));
        let mut zone = Coded::default();
        zone.pages.push(65_600, &page(0, vec![-25, 1], vec![]));
        assert_eq!(
            coded_chunk(&[("arme".into(), arme), ("zone".into(), zone)], &Spill::default()).unwrap(),
            cbor(&records)
        );
    }

    #[test]
    fn an_index_whose_word_lists_were_spilled_to_a_file_is_the_index_held_in_memory() {
        let words = Words::new("fr");
        let page = |n: usize| {
            // Words shared by every page, by some, and one page's own; an
            // accented form, so that variants are spilled too.
            let text = format!("attaque armée zone{} région{} mot{n} armee", n % 3, n % 7);
            let page = html::Page {
                weights: vec![html::PLAIN; text.split(' ').count()],
                content: text,
                meta: BTreeMap::from([("title".to_string(), format!("Fiche {n}"))]),
                filters: BTreeMap::new(),
                sort: BTreeMap::new(),
            };
            count(&format!("/b/{n}/"), page, &words)
        };
        let assets = Assets {
            files: vec![("pagefind.js".into(), b"//".to_vec())],
            version: "1".into(),
            include_characters: serde_json::json!([]),
            wasm: None,
        };
        let index = |budget: usize| {
            let mut index = Index::new("fr", 300);
            index.budget = budget;
            index.extend((0..300).filter_map(page));
            index
        };
        let held = index(usize::MAX);
        let spilled = index(64);
        assert!(held.words.values().all(|w| w.pages.spilled.is_empty()));
        let pieces: usize = spilled.words.values().map(|w| w.pages.spilled.len()).sum();
        let variant_pieces: usize =
            spilled.words.values().flat_map(|w| &w.variants).map(|(_, p)| p.spilled.len()).sum();
        assert!(pieces > 300 && variant_pieces > 10, "{pieces} pieces, {variant_pieces} of variants");
        let written = |index: Index| {
            let mut put = Vec::new();
            let mut files = index.write(&assets, &mut |file| put.push(file)).unwrap();
            files.extend(put);
            files.sort();
            files
        };
        assert_eq!(written(held), written(spilled));
    }

    #[test]
    fn meta_fields_are_numbered_in_the_order_the_index_first_met_them() {
        let words = Words::new("en");
        let page = |url: &str, meta: &[(&str, &str)]| {
            let page = html::Page {
                content: "x".into(),
                weights: vec![html::PLAIN],
                meta: meta.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                filters: BTreeMap::new(),
                sort: BTreeMap::new(),
            };
            count(url, page, &words)
        };
        let mut index = Index::new("en", 2);
        index.extend(page("/a/", &[("title", "bravo")]));
        // The second page numbers `date` 0 and `title` 1 in its own order.
        index.extend(page("/b/", &[("date", "alpha"), ("title", "bravo")]));
        assert_eq!(index.meta_fields, ["title", "date"]);
        let in_meta = |field: i32| PackedPage { page_number: 0, locs: vec![], meta_locs: vec![-field - 1, 0] };
        let mut alpha = CodedPages::default();
        alpha.push(1, &in_meta(1));
        assert_eq!(index.words["alpha"].pages.bytes, alpha.bytes);
        let mut bravo = CodedPages::default();
        bravo.push(0, &in_meta(0));
        bravo.push(1, &in_meta(0));
        assert_eq!(index.words["bravo"].pages.bytes, bravo.bytes);
        // A page without a word to find is left out.
        assert!(count("/c/", html::Page::default(), &words).is_none());
    }

    #[test]
    fn chunk_bounds_are_the_shortest_starts_that_tell_chunks_apart() {
        let word = |w: &str| (w.to_string(), ());
        let bounds = chunk_bounds(&[word("abandon"), word("attack"), word("attend"), word("zone")], &[0..2, 2..4]);
        let pairs: Vec<(&str, &str)> = bounds.iter().map(|b| (b.from.as_str(), b.to.as_str())).collect();
        assert_eq!(pairs, [("abandon", "atta"), ("atte", "zone")]);
    }

    #[test]
    fn a_name_grows_until_it_is_free() {
        let mut taken = |name: &str| name == "en_0123456";
        assert_eq!(unique("en", "en_0123456789", &mut taken), "en_01234567");
        assert_eq!(unique("en", "abcdef0123", &mut |_: &str| false), "en_abcdef0");
    }
}
