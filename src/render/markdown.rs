//! Render stage: Markdown bodies to HTML, and what `check` says about a
//! body before it is rendered.
//!
//! Beyond plain CommonMark: root-relative links (`/briefs/x/`) get the
//! site's base path, so content works under a GitHub Pages sub-path;
//! headings get `id`s (and `#` in the text is demoted to `##`, since the
//! page's own title is the one `<h1>`); and nothing an editor writes may run
//! script in a reader's browser unless the site says `markdown.raw_html:
//! allow` (see [`super::sanitize`]).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use super::sanitize;
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::load::RawHtml;
use crate::urls;

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_SMART_PUNCTUATION)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// How root-relative links written in Markdown (`/briefs/x/`) are made to
/// work on the pages of one edition of the site.
pub struct Links<'a> {
    /// The edition's base path, starting and ending with `/`.
    pub base: &'a str,
    /// On a translated edition: its folder (`fr/`) and its output paths.
    /// A link to a page the edition has goes to its copy; any other (an
    /// untranslated brief, a data file) to the default edition's.
    pub edition: Option<(String, &'a std::collections::HashSet<String>)>,
    /// For a text shown away from its own page (an untranslated profile on
    /// a translated edition's page): that page's address, which relative
    /// links are resolved from.
    pub origin: Option<String>,
}

impl<'a> Links<'a> {
    /// Links on a site in one language, under `base`.
    pub fn plain(base: &'a str) -> Links<'a> {
        Links { base, edition: None, origin: None }
    }

    /// Links for a text of the page at `address` in the default edition
    /// (under `root`), shown on another edition's page.
    pub fn of_original(root: &'a str, address: &str) -> Links<'a> {
        Links { base: root, edition: None, origin: Some(format!("{root}{address}")) }
    }

    /// The address a reader's browser follows for `url` as written.
    pub fn rebase(&self, url: &str) -> String {
        if let Some(origin) = &self.origin
            && is_relative(url)
        {
            return format!("{origin}{url}");
        }
        match &self.edition {
            Some((prefix, own)) if is_root_relative(url) => {
                let root = self.base.strip_suffix(prefix.as_str()).unwrap_or(self.base);
                if own.contains(&localized(url, prefix)) { rebase(url, self.base) } else { rebase(url, root) }
            }
            _ => rebase(url, self.base),
        }
    }
}

/// A path relative to the page (`../x/`, `x.png`): no scheme, not from
/// the root, not only a `#fragment` or `?query`.
fn is_relative(url: &str) -> bool {
    !url.is_empty()
        && !url.starts_with(['/', '#', '?'])
        && !url.split(['/', '?', '#']).next().is_some_and(|first| first.contains(':'))
}

fn is_root_relative(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//")
}

/// The output path a root-relative link reaches in the edition whose
/// folder is `prefix` (`/briefs/x/#a` → `fr/briefs/x/index.html`).
pub fn localized(url: &str, prefix: &str) -> String {
    let path = url.split(['#', '?']).next().unwrap_or("");
    format!("{prefix}{}", urls::output_path_of(path.trim_start_matches('/')))
}

/// Renders `markdown` to HTML, with links made to work on the pages of an
/// edition (see [`Links`]) and raw HTML treated as `raw_html` says.
pub fn to_html(markdown: &str, links: &Links, raw_html: RawHtml) -> String {
    let mut has_html = false;
    let mut events: Vec<Event> = Parser::new_ext(markdown, OPTIONS)
        .map(|e| {
            let e = rebase_links(e, links);
            if raw_html == RawHtml::Allow { e } else { make_safe(e, raw_html, &mut has_html) }
        })
        .collect();
    add_heading_ids(&mut events);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    // What pulldown-cmark writes from Markdown alone is safe once link
    // addresses are; only raw HTML needs the sanitizer, and most bodies
    // have none.
    if has_html { sanitize::clean(&out) } else { out }
}

/// Prefixes a root-relative URL with the base path; leaves others alone.
pub fn rebase(url: &str, base_path: &str) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        format!("{}{}", base_path.trim_end_matches('/'), url)
    } else {
        url.to_string()
    }
}

fn rebase_links<'a>(event: Event<'a>, links: &Links) -> Event<'a> {
    match event {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: CowStr::from(links.rebase(&dest_url)), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: CowStr::from(links.rebase(&dest_url)), title, id })
        }
        Event::Start(Tag::Heading { level: HeadingLevel::H1, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: HeadingLevel::H2, id, classes, attrs })
        }
        Event::End(TagEnd::Heading(HeadingLevel::H1)) => Event::End(TagEnd::Heading(HeadingLevel::H2)),
        other => other,
    }
}

/// Takes out of one event what could run script: link and image addresses
/// with other schemes than [`urls::ALLOWED_SCHEMES`], heading attributes
/// other than the id and classes (`{onclick=...}`), and raw HTML, which is
/// turned into text (`escape`) or noted for the sanitizer (`sanitize`).
fn make_safe<'a>(event: Event<'a>, raw_html: RawHtml, has_html: &mut bool) -> Event<'a> {
    let unsafe_address = |url: &str| !urls::is_allowed_address(url);
    match event {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if unsafe_address(&dest_url) => {
            Event::Start(Tag::Link { link_type, dest_url: CowStr::Borrowed(""), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if unsafe_address(&dest_url) => {
            Event::Start(Tag::Image { link_type, dest_url: CowStr::Borrowed(""), title, id })
        }
        Event::Start(Tag::Heading { level, id, classes, attrs }) if !attrs.is_empty() => {
            Event::Start(Tag::Heading { level, id, classes, attrs: Vec::new() })
        }
        Event::Html(html) | Event::InlineHtml(html) if raw_html == RawHtml::Escape => Event::Text(html),
        Event::Start(Tag::HtmlBlock) if raw_html == RawHtml::Escape => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) if raw_html == RawHtml::Escape => Event::End(TagEnd::Paragraph),
        e @ (Event::Html(_) | Event::InlineHtml(_)) => {
            *has_html = true;
            e
        }
        other => other,
    }
}

/// What reading a Markdown body before it is rendered finds: its links,
/// and its problems.
#[derive(Debug, Default)]
pub struct Inspection {
    /// What `check` says: every link or image address a reader's browser
    /// may not be sent to (an error, whatever `raw_html` is), and under
    /// `sanitize` each piece of raw HTML the page will lose (a warning),
    /// each at its line.
    pub problems: Vec<Diagnostic>,
    /// Every link and image address, with its byte offset in the body, for
    /// the link check (which would otherwise read the body again).
    pub links: crate::model::text::Addresses,
}

/// Reads a Markdown body (of `file`, starting on its line `first_line`)
/// once for its links and problems.
pub fn inspect(body: &str, first_line: usize, file: &Path, raw_html: RawHtml) -> Inspection {
    let mut found = Vec::new();
    let mut links = Vec::new();
    let mut in_html_block = false;
    let mut locate = Locator::new(body, first_line);
    // How deep the raw HTML's elements are nested, across the whole body.
    let mut depth = 0;
    for (event, range) in Parser::new_ext(body, OPTIONS).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if !urls::is_allowed_address(&dest_url) {
                    found.push(unsafe_address(file, locate.at(range.start), &dest_url));
                }
                links.push((dest_url, range.start));
            }
            Event::Start(Tag::Heading { attrs, .. }) if raw_html != RawHtml::Allow && !attrs.is_empty() => {
                let pos = locate.at(range.start);
                for (name, _) in attrs {
                    found.push(
                        Diagnostic::warning(
                            Code::RawHtmlRemoved,
                            file,
                            pos,
                            format!("the heading attribute `{name}` is removed"),
                        )
                        .with_help("headings may set only an id and classes: `## Title {#id .class}`"),
                    );
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                in_html_block = true;
                if raw_html != RawHtml::Escape {
                    raw_html_problems(&mut locate, range.start, &body[range], file, raw_html, &mut depth, &mut found);
                }
            }
            Event::End(TagEnd::HtmlBlock) => in_html_block = false,
            Event::InlineHtml(_) | Event::Html(_) if !in_html_block && raw_html != RawHtml::Escape => {
                raw_html_problems(&mut locate, range.start, &body[range], file, raw_html, &mut depth, &mut found);
            }
            _ => {}
        }
    }
    // Kept with the brief until the link check, packed.
    let links =
        crate::model::text::Addresses::pack(links.iter().map(|(url, offset): &(CowStr, usize)| (&**url, *offset)));
    Inspection { problems: found, links }
}

/// Every link and image address of a Markdown body, with its byte offset.
pub fn links(body: &str) -> crate::model::text::Addresses {
    inspect(body, 1, Path::new(""), RawHtml::Escape).links
}

fn unsafe_address(file: &Path, pos: Pos, url: &str) -> Diagnostic {
    Diagnostic::error(
        Code::UnsafeAddress,
        file,
        pos,
        format!("`{url}` is neither a web address nor an address on this site"),
    )
    .with_help("links and images may use http, https and mailto addresses, or paths on this site (/briefs/...)")
}

/// The problems of one piece of raw HTML, `html`, which starts at byte
/// `start` of the body `locate` reads.
#[allow(clippy::too_many_arguments)]
fn raw_html_problems(
    locate: &mut Locator,
    start: usize,
    html: &str,
    file: &Path,
    raw_html: RawHtml,
    depth: &mut usize,
    found: &mut Vec<Diagnostic>,
) {
    // Where each line of the HTML ends, for finding tags on them.
    let line_ends: Vec<usize> = html.match_indices('\n').map(|(i, _)| i).chain([html.len()]).collect();
    let mut cursor = 0;
    for tag in start_tags(html) {
        let line_end = line_ends.get(tag.line.saturating_sub(1)).copied().unwrap_or(html.len());
        let opening = if tag.end { format!("/{}", tag.name) } else { tag.name.clone() };
        let at = tag_offset(html, cursor, line_end, &opening);
        cursor = at + 1;
        if tag.end {
            *depth = depth.saturating_sub(1);
            continue;
        }
        let pos = locate.at(start + at);
        let name = tag.name.as_str();
        if !tag.self_closing && !VOID_ELEMENTS.contains(&name) {
            *depth += 1;
            if *depth == MAX_HTML_DEPTH + 1 {
                found.push(
                    Diagnostic::error(
                        Code::HtmlTooDeep,
                        file,
                        pos,
                        format!("raw HTML here is nested more than {MAX_HTML_DEPTH} elements deep"),
                    )
                    .with_help("close the elements you open (`<div>` ... `</div>`); pages never need this depth"),
                );
            }
        }
        let kept = raw_html == RawHtml::Allow || sanitize::keeps_tag(name);
        if !kept {
            found.push(
                Diagnostic::warning(
                    Code::RawHtmlRemoved,
                    file,
                    pos,
                    format!("raw HTML `<{name}>` is removed from the page"),
                )
                .with_help(removed_help()),
            );
            continue;
        }
        for (attribute, value) in &tag.attributes {
            if sanitize::is_address_attribute(name, attribute) && !urls::is_allowed_address(value) {
                found.push(unsafe_address(file, pos, value));
            } else if raw_html == RawHtml::Sanitize && !sanitize::keeps_attribute(name, attribute) {
                found.push(
                    Diagnostic::warning(
                        Code::RawHtmlRemoved,
                        file,
                        pos,
                        format!("the attribute `{attribute}` of `<{name}>` is removed from the page"),
                    )
                    .with_help(removed_help()),
                );
            } else if raw_html == RawHtml::Sanitize && attribute == "style" {
                let dropped: Vec<&str> = value
                    .split(';')
                    .filter_map(|d| d.split_once(':').map(|(p, _)| p.trim()))
                    .filter(|p| !p.eq_ignore_ascii_case("text-align"))
                    .collect();
                if !dropped.is_empty() {
                    found.push(
                        Diagnostic::warning(
                            Code::RawHtmlRemoved,
                            file,
                            pos,
                            format!("the style `{}` of `<{name}>` is removed from the page", dropped.join("`, `")),
                        )
                        .with_help("raw HTML may set only `text-align`; style pages in the site's stylesheet"),
                    );
                }
            }
        }
    }
}

fn removed_help() -> &'static str {
    "raw HTML may not run script, load frames, forms or styles, or change the page's address \
     (`markdown.raw_html: sanitize` in site.yaml); write it in Markdown, or ask whoever runs the site"
}

/// How deep raw HTML may nest elements. Browsers' HTML parsers (html5ever
/// in the sanitizer and the link check among them) take time that grows
/// with the square of the depth; real pages stay within a few dozen.
pub const MAX_HTML_DEPTH: usize = 100;

/// Elements that have no end tag.
const VOID_ELEMENTS: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// A tag met in raw HTML, and the line of the HTML it is on (from 1).
struct StartTag {
    name: String,
    attributes: Vec<(String, String)>,
    line: usize,
    /// An end tag (`</div>`): counted for nesting, nothing else.
    end: bool,
    /// Written `<x/>`: opens nothing.
    self_closing: bool,
}

/// The start and end tags of a piece of HTML, read by a browser's
/// tokenizer (so character references are decoded and quoting does not
/// matter).
fn start_tags(html: &str) -> Vec<StartTag> {
    struct Collect(RefCell<Vec<StartTag>>);
    impl TokenSink for Collect {
        type Handle = ();
        fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
            let Token::TagToken(tag) = token else { return TokenSinkResult::Continue };
            let name = tag.name.to_string();
            let end = tag.kind == TagKind::EndTag;
            let attributes = tag.attrs.iter().map(|a| (a.name.local.to_string(), a.value.to_string())).collect();
            let self_closing = tag.self_closing;
            self.0.borrow_mut().push(StartTag { name, attributes, line: line as usize, end, self_closing });
            if end {
                return TokenSinkResult::Continue;
            }
            // What is inside these is text to the browser, not tags.
            match &*tag.name {
                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                    TokenSinkResult::RawData(RawKind::Rawtext)
                }
                "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                "plaintext" => TokenSinkResult::Plaintext,
                _ => TokenSinkResult::Continue,
            }
        }
    }
    let tokenizer = Tokenizer::new(Collect(RefCell::default()), TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(html));
    while !matches!(tokenizer.feed(&queue), TokenizerResult::Done) {}
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// Where in `html` a start tag begins: the first `<name` (in any case) at
/// or after `from`, before `line_end`, the end of the line the tokenizer
/// met the tag's end on. Tags are looked for in order from the last one
/// found, so finding them all reads `html` once.
fn tag_offset(html: &str, from: usize, line_end: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while at < line_end.min(bytes.len()) {
        let Some(i) = bytes[at..line_end.min(bytes.len())].iter().position(|&b| b == b'<') else { break };
        let i = at + i;
        if bytes.get(i + 1..i + 1 + name.len()).is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes())) {
            return i;
        }
        at = i + 1;
    }
    from
}

/// Turns byte offsets in a body into lines and columns of its file. Asked
/// in increasing order, as parsers report them, it reads the body once
/// in all, however many positions are asked for.
pub struct Locator<'a> {
    text: &'a str,
    first_line: usize,
    offset: usize,
    /// Lines and columns (characters) counted up to `offset`.
    lines: usize,
    column: usize,
}

impl<'a> Locator<'a> {
    /// For `text`, which starts on line `first_line` of its file.
    pub fn new(text: &'a str, first_line: usize) -> Self {
        Locator { text, first_line, offset: 0, lines: 0, column: 1 }
    }

    pub fn at(&mut self, offset: usize) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            *self = Locator::new(self.text, self.first_line);
        }
        for c in self.text[self.offset..offset].chars() {
            if c == '\n' {
                self.lines += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.offset = offset;
        Pos::new(self.first_line + self.lines, self.column)
    }
}

/// Gives each heading without an explicit `{#id}` one made from its text,
/// numbered when two headings share a text (`context`, `context-1`...)
/// and never one that an explicit id already took. Linear in the number of
/// headings, however many share a text.
fn add_heading_ids(events: &mut [Event]) {
    let mut used: HashSet<String> = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    // The next number to try for each base id.
    let mut next: HashMap<String, usize> = HashMap::new();
    for i in 0..events.len() {
        if !matches!(&events[i], Event::Start(Tag::Heading { id: None, .. })) {
            continue;
        }
        let mut text = String::new();
        for e in &events[i + 1..] {
            match e {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
        }
        let base = match slug::slugify(&text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let n = next.entry(base.clone()).or_insert(0);
        let mut candidate = if *n == 0 { base.clone() } else { format!("{base}-{n}") };
        while used.contains(&candidate) {
            *n += 1;
            candidate = format!("{base}-{n}");
        }
        *n += 1;
        used.insert(candidate.clone());
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
            *id = Some(CowStr::from(candidate));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translated_editions_links_go_to_its_own_pages_where_it_has_them() {
        let own: HashSet<String> = ["fr/briefs/x/index.html".to_string(), "fr/index.html".to_string()].into();
        let links = Links { base: "/sub/fr/", edition: Some(("fr/".into(), &own)), origin: None };
        assert_eq!(links.rebase("/briefs/x/#toll"), "/sub/fr/briefs/x/#toll");
        assert_eq!(links.rebase("/"), "/sub/fr/");
        // Untranslated, or not a page: the default edition's.
        assert_eq!(links.rebase("/briefs/y/"), "/sub/briefs/y/");
        assert_eq!(links.rebase("/data/incidents.csv"), "/sub/data/incidents.csv");
        assert_eq!(links.rebase("https://example.org/x"), "https://example.org/x");
        assert_eq!(links.rebase("../y/"), "../y/");
        // An untranslated text shown on the edition's page: its links are
        // as on its own page.
        let original = Links::of_original("/sub/", "groups/g/");
        assert_eq!(original.rebase("../../briefs/y/#a"), "/sub/groups/g/../../briefs/y/#a");
        assert_eq!(original.rebase("/briefs/y/"), "/sub/briefs/y/");
        assert_eq!(original.rebase("#a"), "#a");
        assert_eq!(original.rebase("mailto:x@example.org"), "mailto:x@example.org");
    }

    #[test]
    fn root_relative_links_get_the_base_path() {
        let html = to_html(
            "[a](/briefs/x/) [b](https://example.org/) [c](#top) [d](//cdn.example/x)",
            &Links::plain("/sub/"),
            RawHtml::Sanitize,
        );
        assert!(html.contains(r#"href="/sub/briefs/x/""#), "{html}");
        assert!(html.contains(r#"href="https://example.org/""#));
        assert!(html.contains(r##"href="#top""##));
        assert!(html.contains(r#"href="//cdn.example/x""#));
    }

    #[test]
    fn heading_ids_never_take_one_already_taken() {
        let html = to_html("## A {#a-1}\n\n## A\n\n## A\n\n## A\n", &Links::plain("/"), RawHtml::Sanitize);
        let ids: Vec<&str> =
            html.match_indices("id=\"").map(|(i, _)| &html[i + 4..i + 4 + html[i + 4..].find('"').unwrap()]).collect();
        assert_eq!(ids, ["a-1", "a", "a-2", "a-3"], "{html}");
    }

    #[test]
    fn headings_get_unique_ids_and_no_second_h1() {
        let html = to_html("# Context\n\n## Context\n", &Links::plain("/"), RawHtml::Sanitize);
        assert!(html.contains(r#"<h2 id="context">Context</h2>"#), "{html}");
        assert!(html.contains(r#"<h2 id="context-1">Context</h2>"#), "{html}");
        assert!(!html.contains("<h1"));
    }

    const HOSTILE: &str = concat!(
        "# Title {onclick=alert(1)}\n\n",
        "[x](javascript:alert(1)) [y](&#106;avascript:alert(2)) ![i](javascript:alert(3)) [r][ref]\n\n",
        "[ref]: JAVASCRIPT:alert(4)\n\n",
        "<script>alert(5)</script>\n\n",
        "<img src=x.png onerror=alert(6)> <iframe src=https://e.org></iframe>\n\n",
        "<details><summary>More</summary>\n\nKept <sup>1</sup>\n\n</details>\n",
    );

    #[test]
    fn nothing_runs_script_by_default() {
        let html = to_html(HOSTILE, &Links::plain("/"), RawHtml::Sanitize);
        for gone in ["onclick", "javascript", "JAVASCRIPT", "alert", "<script", "<iframe", "onerror"] {
            assert!(!html.contains(gone), "{gone} survived: {html}");
        }
        assert!(html.contains("<details><summary>More</summary>"), "{html}");
        assert!(html.contains("<sup>1</sup>"), "{html}");
        assert!(html.contains(r#"<h2 id="title">Title</h2>"#), "{html}");
    }

    #[test]
    fn escaped_html_is_shown_as_text() {
        let html = to_html("<script>alert(1)</script>\n\nand <b>bold</b>\n", &Links::plain("/"), RawHtml::Escape);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(html.contains("and &lt;b&gt;bold&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn allowed_html_is_kept_but_markdown_links_are_still_checked() {
        let html = to_html("<script>ok()</script>\n\n[x](javascript:alert(1))\n", &Links::plain("/"), RawHtml::Allow);
        assert!(html.contains("<script>ok()</script>"), "{html}");
        let found = inspect("[x](javascript:alert(1))\n", 5, Path::new("b.md"), RawHtml::Allow).problems;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::UnsafeAddress);
    }

    #[test]
    fn check_names_each_problem_at_its_line() {
        let found = inspect(HOSTILE, 10, Path::new("b.md"), RawHtml::Sanitize).problems;
        let at: Vec<(Code, usize, usize)> = found.iter().map(|d| (d.code, d.pos.line, d.pos.column)).collect();
        assert_eq!(
            at,
            [
                (Code::RawHtmlRemoved, 10, 1),
                (Code::UnsafeAddress, 12, 1),
                (Code::UnsafeAddress, 12, 26),
                (Code::UnsafeAddress, 12, 56),
                (Code::UnsafeAddress, 12, 82),
                (Code::RawHtmlRemoved, 16, 1),
                (Code::RawHtmlRemoved, 18, 1),
                (Code::RawHtmlRemoved, 18, 34),
            ],
            "{found:#?}"
        );
        assert!(found[6].message.contains("`onerror`"), "{}", found[6].message);
    }

    #[test]
    fn a_tag_over_several_lines_is_found_at_its_line() {
        let found = inspect(
            "<div>\n<p>ok</p>\n  <a\n href=\"vbscript:x\">y</a>\n</div>\n",
            3,
            Path::new("b.md"),
            RawHtml::Sanitize,
        )
        .problems;
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].code, found[0].pos), (Code::UnsafeAddress, Pos::new(5, 3)));
    }
}
