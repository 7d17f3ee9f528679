//! What a rendered page gives its search index, read from its HTML by the
//! marks Pagefind documents: the text inside `data-pagefind-body` (or the
//! whole `<body>` of a page without one), less what is inside
//! `data-pagefind-ignore`; `data-pagefind-filter`, `-meta` and `-sort`
//! values; `data-pagefind-weight`; headings weighing more than text (7 for
//! `h1` down to 2 for `h6`); the first `h1` as the result's title.
//!
//! The pages are sitrep's own, rendered a moment ago by its templates, so
//! this is a scan of tags and text rather than a browser's parser: it
//! tolerates what templates write (end tags left out, void elements,
//! comments, raw text in `script` and `style`) and never fails; a page it
//! misreads is found by fewer words, nothing worse.

use std::borrow::Cow;
use std::collections::BTreeMap;

/// A page's part of the index.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Page {
    /// The indexed words, as written in the HTML (character references
    /// kept, so that the text shown in a result stays HTML), one space
    /// between each two.
    pub content: String,
    /// The weight of each word (24 for text of weight 1).
    pub weights: Vec<u8>,
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
    pub sort: BTreeMap<String, String>,
}

/// The weight of plain text: weights are kept in 24ths.
pub const PLAIN: u8 = 24;

/// What the reader needs to know of an element, by its name: looked up
/// once per tag (see [`Kind::of`]).
#[derive(Debug, Clone, Copy, Default)]
struct Kind {
    /// Its content is never indexed: `head`, `style`, `script`,
    /// `noscript`, `label`, `form`, `svg`, `footer`, `nav`, `iframe`,
    /// `template`.
    left_out: bool,
    /// It never holds content and has no end tag (`br`, `img`, `meta`...).
    void: bool,
    /// Its text runs on into the text around it (`a`, `em`, `span`...).
    inline: bool,
    /// A block whose text ends a sentence: a full stop is added after it
    /// when it ends in a word, so that excerpts read as sentences.
    sentence: bool,
    /// Its end tag may be left out before the next one of its name
    /// (`p`, `li`, `dt`, `dd`, `tr`, `td`, `th`, `option`).
    ends_at_next: bool,
    /// Raw text up to its end tag, with no tags inside (`script`,
    /// `style`, `textarea`, `title`).
    raw: bool,
}

impl Kind {
    fn of(name: &str) -> Kind {
        let mut kind = Kind::default();
        match name {
            "head" | "noscript" | "label" | "form" | "svg" | "footer" | "nav" | "iframe" | "template" => {
                kind.left_out = true
            }
            "style" | "script" => (kind.left_out, kind.raw) = (true, true),
            "textarea" | "title" => kind.raw = true,
            "area" | "base" | "br" | "col" | "embed" | "hr" | "img" | "input" | "link" | "meta" | "param"
            | "source" | "track" | "wbr" => kind.void = true,
            "a" | "abbr" | "acronym" | "b" | "bdo" | "big" | "button" | "cite" | "code" | "dfn" | "em" | "i"
            | "kbd" | "mark" | "q" | "s" | "samp" | "small" | "span" | "strong" | "sub" | "sup" | "time" | "tt"
            | "u" | "var" => kind.inline = true,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "div" | "ul" | "article" | "section" => kind.sentence = true,
            "p" | "li" | "td" => (kind.sentence, kind.ends_at_next) = (true, true),
            "dt" | "dd" | "tr" | "th" | "option" => kind.ends_at_next = true,
            _ => {}
        }
        kind
    }
}

/// One open element.
struct Open<'h> {
    name: Cow<'h, str>,
    kind: Kind,
    /// Its text is indexed (inside the body, not ignored or left out).
    indexed: bool,
    /// Whether anything in it is read at all (`data-pagefind-ignore="all"`
    /// and left-out elements are not).
    read: bool,
    /// The weight of its text.
    weight: u8,
    /// It or an element around it was given a weight (explicit, or a
    /// heading's): headings inside take that weight rather than their own.
    weighted: bool,
    /// Values taken from its text when it closes: (kind, name).
    takes: Vec<(Take, String)>,
    /// Where its text starts in `text`.
    text_from: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Take {
    Filter,
    Meta,
    Sort,
    Title,
}

/// Reads a page's HTML.
pub fn read(html: &str) -> Page {
    let mut scan = Scan::new(html.contains("data-pagefind-body"));
    let bytes = html.as_bytes();
    // One list of attributes, filled again for each start tag.
    let mut attributes = Vec::new();
    let mut i = 0;
    let mut text_from = 0;
    while let Some(at) = memchr::memchr(b'<', &bytes[i..]) {
        i += at;
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        if next == b'!' || next == b'?' {
            scan.text(&html[text_from..i]);
            let end = if html[i..].starts_with("<!--") { find(html, i + 4, "-->").map(|e| e + 3) } else { None };
            i = end.or_else(|| find(html, i, ">").map(|e| e + 1)).unwrap_or(bytes.len());
            text_from = i;
            continue;
        }
        let closing = next == b'/';
        let name_from = i + 1 + usize::from(closing);
        if !bytes.get(name_from).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        scan.text(&html[text_from..i]);
        let (tag, end) = tag(html, name_from, &mut attributes);
        i = end;
        text_from = i;
        if closing {
            scan.close(&tag.name);
            continue;
        }
        let kind = Kind::of(&tag.name);
        let name = tag.name.clone();
        scan.open(tag, kind, &attributes);
        if kind.raw {
            // Raw text up to the end tag: no tags inside.
            let close = find_ascii_ci(html, i, &format!("</{name}")).unwrap_or(bytes.len());
            scan.text(&html[i..close]);
            i = close;
            text_from = i;
        }
    }
    scan.text(&html[text_from..]);
    scan.finish()
}

/// A start tag's name (lower case), and whether it closes itself (`<br/>`);
/// its attributes are put in a list of the caller's.
struct Tag<'h> {
    name: Cow<'h, str>,
    closed: bool,
}

/// An attribute's name (lower case) and value (character references
/// decoded).
type Attribute<'h> = (Cow<'h, str>, Cow<'h, str>);

fn attribute<'a>(attributes: &'a [Attribute], name: &str) -> Option<&'a str> {
    attributes.iter().find(|(n, _)| n == name).map(|(_, v)| &**v)
}

/// `name` in lower case, borrowed when it is already.
fn lower_case(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// Reads the tag whose name starts at `from`, its attributes into
/// `attributes`; gives it and where it ends.
fn tag<'h>(html: &'h str, from: usize, attributes: &mut Vec<Attribute<'h>>) -> (Tag<'h>, usize) {
    attributes.clear();
    let bytes = html.as_bytes();
    let mut i = from;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'>' | b'/') {
        i += 1;
    }
    let mut tag = Tag { name: lower_case(&html[from..i]), closed: false };
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            tag.closed = bytes[i] == b'/';
            i += 1;
        }
        if i >= bytes.len() {
            return (tag, i);
        }
        if bytes[i] == b'>' {
            return (tag, i + 1);
        }
        tag.closed = false;
        let name_from = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'>' | b'=' | b'/') {
            i += 1;
        }
        let name = lower_case(&html[name_from..i]);
        let mut value = Cow::Borrowed("");
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            match bytes.get(i) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(quote, &bytes[i + 1..]).map_or(bytes.len(), |e| i + 1 + e);
                    value = decoded(&html[i + 1..end]);
                    i = (end + 1).min(bytes.len());
                }
                _ => {
                    let value_from = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = decoded(&html[value_from..i]);
                }
            }
        }
        attributes.push((name, value));
    }
}

fn find(html: &str, from: usize, needle: &str) -> Option<usize> {
    html.get(from..)?.find(needle).map(|at| from + at)
}

/// Where `needle` (ASCII, lower case) next occurs from `from`, in any case.
fn find_ascii_ci(html: &str, from: usize, needle: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let needle = needle.as_bytes();
    (from..bytes.len().saturating_sub(needle.len() - 1))
        .find(|&at| bytes[at..at + needle.len()].eq_ignore_ascii_case(needle))
}

struct Scan<'h> {
    stack: Vec<Open<'h>>,
    /// The page marks its body: only text inside it is indexed.
    marked_body: bool,
    /// The text of open elements that take a value, as written.
    text: String,
    /// How many open elements take a value from their text (kept as a
    /// count, so that deep nesting costs nothing per element).
    taking: usize,
    page: Page,
    /// The word being read (it may run across inline tags) and its weight.
    word: String,
    weight: u8,
    /// The first `h1`'s text, if no `title` meta is given.
    first_h1: Option<String>,
}

impl<'h> Scan<'h> {
    fn new(marked_body: bool) -> Scan<'h> {
        Scan {
            stack: Vec::new(),
            marked_body,
            text: String::new(),
            taking: 0,
            page: Page::default(),
            word: String::new(),
            weight: PLAIN,
            first_h1: None,
        }
    }

    fn open(&mut self, tag: Tag<'h>, kind: Kind, attributes: &[Attribute]) {
        // A paragraph, item or cell whose end tag was left out ends where
        // the next one starts.
        if kind.ends_at_next
            && self.stack.last().is_some_and(|o| o.name == tag.name)
            && let Some(open) = self.stack.pop()
        {
            self.closed(open);
        }
        let parent = self.stack.last();
        let read = parent.is_none_or(|p| p.read) && !kind.left_out;
        let ignore = attribute(attributes, "data-pagefind-ignore");
        let read = read && ignore != Some("all");
        let body = attribute(attributes, "data-pagefind-body").is_some();
        let starts_body = body || (!self.marked_body && tag.name == "body");
        let indexed = read && ignore.is_none() && (parent.is_some_and(|p| p.indexed) || starts_body);
        let parent_weight = parent.map_or(PLAIN, |p| p.weight);
        let explicit = attribute(attributes, "data-pagefind-weight").and_then(|w| w.trim().parse::<f32>().ok());
        let weighted_above = parent.is_some_and(|p| p.weighted);
        let (weight, weighted) = match explicit {
            Some(w) if w <= 0.0 => (0, true),
            Some(w) => (((w.clamp(0.0, 10.0) * f32::from(PLAIN)) as u8).max(1), true),
            None => match heading(&tag.name) {
                Some(level) if !weighted_above => ((8 - level) * PLAIN, true),
                _ => (parent_weight, weighted_above),
            },
        };
        let mut takes = Vec::new();
        if read {
            for (attribute, kind) in [
                ("data-pagefind-filter", Take::Filter),
                ("data-pagefind-meta", Take::Meta),
                ("data-pagefind-sort", Take::Sort),
            ] {
                let Some(value) = self::attribute(attributes, attribute) else { continue };
                match value.split_once(':') {
                    Some((name, given)) => self.put(kind, name.trim(), given),
                    None => takes.push((kind, value.trim().to_string())),
                }
            }
            if tag.name == "h1" && self.first_h1.is_none() {
                takes.push((Take::Title, String::new()));
            }
        }
        let void = kind.void || tag.closed;
        if !kind.inline || weight != self.weight {
            self.end_word();
        }
        if tag.name == "br" {
            self.end_word();
        }
        if void {
            return;
        }
        self.taking += usize::from(!takes.is_empty());
        self.stack.push(Open {
            name: tag.name,
            kind,
            indexed,
            read,
            weight,
            weighted,
            takes,
            text_from: self.text.len(),
        });
    }

    fn close(&mut self, name: &str) {
        // End tags left out (`<p>` before `</div>`) close with their parent;
        // a stray end tag closes nothing.
        let Some(at) = self.stack.iter().rposition(|o| o.name == name) else { return };
        while self.stack.len() > at {
            let open = self.stack.pop().expect("one open element at least");
            self.closed(open);
        }
    }

    fn closed(&mut self, open: Open<'h>) {
        let inline = open.kind.inline;
        if open.indexed && open.kind.sentence {
            self.end_sentence();
        }
        if !inline || open.weight != self.stack.last().map_or(PLAIN, |p| p.weight) {
            self.end_word();
        }
        if !open.takes.is_empty() {
            self.taking -= 1;
            let value = normalized_text(&decoded(&self.text[open.text_from..]));
            for (kind, name) in open.takes {
                match kind {
                    Take::Title if !value.is_empty() => self.first_h1 = Some(value.clone()),
                    Take::Title => {}
                    _ => self.put(kind, &name, &value),
                }
            }
        }
        if self.taking == 0 {
            self.text.clear();
        }
    }

    fn put(&mut self, kind: Take, name: &str, value: &str) {
        let value = shown_as_text(&normalized_text(value));
        if name.is_empty() || value.is_empty() {
            return;
        }
        match kind {
            Take::Filter => self.page.filters.entry(name.to_string()).or_default().push(value),
            Take::Meta => {
                self.page.meta.entry(name.to_string()).or_insert(value);
            }
            Take::Sort => {
                self.page.sort.entry(name.to_string()).or_insert(value);
            }
            Take::Title => {}
        }
    }

    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let Some(open) = self.stack.last() else { return };
        if self.taking > 0 && open.read {
            self.text.push_str(text);
        }
        if !open.indexed {
            return;
        }
        self.weight = open.weight;
        let mut pieces = text.split(char::is_whitespace);
        self.word.push_str(pieces.next().unwrap_or_default());
        for piece in pieces {
            self.end_word();
            self.word.push_str(piece);
        }
    }

    /// Adds the word read so far, less its zero-width spaces, to the
    /// page's content.
    fn end_word(&mut self) {
        if self.word.is_empty() {
            return;
        }
        let content = &mut self.page.content;
        let before = content.len();
        if before > 0 {
            content.push(' ');
        }
        let start = content.len();
        // U+200B is written E2 80 8B: a word without that first byte has none.
        if self.word.as_bytes().contains(&0xE2) {
            self.word.split('\u{200B}').for_each(|piece| content.push_str(piece));
        } else {
            content.push_str(&self.word);
        }
        if content.len() == start {
            content.truncate(before);
        } else {
            self.page.weights.push(self.weight);
        }
        self.word.clear();
    }

    /// Ends a block whose text reads as a sentence.
    fn end_sentence(&mut self) {
        self.end_word();
        if self
            .page
            .content
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '\'' | '"' | ')' | '$' | '*'))
        {
            self.page.content.push('.');
        }
    }

    fn finish(mut self) -> Page {
        while let Some(open) = self.stack.pop() {
            self.closed(open);
        }
        self.end_word();
        if let Some(title) = self.first_h1.take() {
            self.page.meta.entry("title".into()).or_insert_with(|| shown_as_text(&title));
        }
        self.page
    }
}

/// The level of a heading element (`h2` → 2).
fn heading(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', level @ b'1'..=b'6'] => Some(level - b'0'),
        _ => None,
    }
}

/// The text with white space runs made one space, trimmed.
fn normalized_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A value the search interface writes into its page as HTML, made to show
/// as text whatever it holds: `<`, `>` and `&` become ‹, › and ＆ (the
/// templates' `search_value` does the same before the value is written).
fn shown_as_text(value: &str) -> String {
    value.replace('&', "＆").replace('<', "‹").replace('>', "›")
}

/// Text with its character references (`&amp;`, `&#x2F;`, `&nbsp;`)
/// replaced by what they stand for; an unknown one is left as written.
pub fn decoded(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map(|e| e + 1);
        let (reference, after) = match end {
            Some(e) if rest[e..].starts_with(';') => (&rest[1..e], &rest[e + 1..]),
            _ => ("", rest),
        };
        let character = match reference {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{A0}'),
            number if number.starts_with("#x") || number.starts_with("#X") => {
                u32::from_str_radix(&number[2..], 16).ok().and_then(char::from_u32)
            }
            number if number.starts_with('#') => number[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match character {
            Some(c) => {
                out.push(c);
                rest = after;
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_marked_body_is_read_with_its_marks_and_weights() {
        let page = read(concat!(
            "<!doctype html><html lang=en><head><title>T</title><script>var a = '<p>';</script></head>",
            "<body><nav>Menu words</nav><article data-pagefind-body>",
            "<div hidden data-pagefind-ignore><span data-pagefind-filter=\"country\">Mali</span>",
            "<span data-pagefind-filter=\"group\">Synthetic &amp; Army</span>",
            "<span data-pagefind-sort=\"date\">2022-02-14</span></div>",
            "<h1 id=t>Attack on <em>Ségou</em></h1><p>Three killed<br>at dawn</p>",
            "<p data-pagefind-weight=\"2\">Heavy</p><svg><text>drawn</text></svg>",
            "<!-- a <p>comment</p> --><p>AT&amp;T <b>bo</b>ld</p></article><footer>Foot</footer></body></html>",
        ));
        let words: Vec<(&str, u8)> = page.content.split(' ').zip(page.weights.iter().copied()).collect();
        assert_eq!(
            words,
            [
                ("Attack", 168),
                ("on", 168),
                ("Ségou.", 168),
                ("Three", 24),
                ("killed", 24),
                ("at", 24),
                ("dawn.", 24),
                ("Heavy.", 48),
                ("AT&amp;T", 24),
                ("bold.", 24),
            ]
        );
        assert_eq!(page.meta.get("title").map(String::as_str), Some("Attack on Ségou"));
        assert_eq!(page.filters.get("country").unwrap(), &["Mali"]);
        assert_eq!(page.filters.get("group").unwrap(), &["Synthetic ＆ Army"]);
        assert_eq!(page.sort.get("date").map(String::as_str), Some("2022-02-14"));
    }

    #[test]
    fn a_page_without_a_marked_body_is_read_whole_and_unclosed_tags_close_with_their_parent() {
        let page = read("<html><body><div><p>One<p>Two</div><p>Three</body></html>");
        assert_eq!(page.content, "One. Two. Three.");
    }

    #[test]
    fn deep_nesting_is_read_in_time_linear_in_its_depth() {
        // 200,000 nested elements, each with text: a scan that looked
        // through the open elements at each one would take minutes.
        let depth = 200_000;
        let html = format!("<body>{}{}</body>", "<span> x".repeat(depth), "</span>".repeat(depth));
        let started = std::time::Instant::now();
        let page = read(&html);
        assert_eq!(page.weights.len(), depth);
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
    }

    #[test]
    fn names_are_read_in_any_case_and_quoted_values_may_hold_a_greater_than_sign() {
        let page = read(concat!(
            "<BODY><Nav>Menu</Nav><ARTICLE data-pagefind-body><P Title='a > b'>Upper</P>",
            "<SPAN DATA-PAGEFIND-FILTER=\"group:A &amp; B\"></SPAN><SCRIPT>x = '<p>';</Script>",
            "<p>Lower</p></ARTICLE><p>Outside</p></BODY>",
        ));
        assert_eq!(page.content, "Upper. Lower.");
        assert_eq!(page.filters.get("group").unwrap(), &["A ＆ B"]);
    }

    #[test]
    fn references_are_decoded_once() {
        assert_eq!(decoded("a &amp;lt; b &#x2F; &#47; &bogus; &"), "a &lt; b / / &bogus; &");
    }
}
