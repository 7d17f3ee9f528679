//! Render stage: Markdown bodies to HTML.
//!
//! Two things beyond plain CommonMark: root-relative links (`/briefs/x/`)
//! get the site's base path, so content works under a GitHub Pages sub-path;
//! and headings get `id`s (and `#` in the text is demoted to `##`, since the
//! page's own title is the one `<h1>`).

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_SMART_PUNCTUATION)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Renders `markdown` to HTML, with links made to work under `base_path`
/// (which starts and ends with `/`).
pub fn to_html(markdown: &str, base_path: &str) -> String {
    let mut events: Vec<Event> = Parser::new_ext(markdown, OPTIONS).map(|e| rebase_links(e, base_path)).collect();
    add_heading_ids(&mut events);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// Prefixes a root-relative URL with the base path; leaves others alone.
pub fn rebase(url: &str, base_path: &str) -> String {
    if url.starts_with('/') && !url.starts_with("//") {
        format!("{}{}", base_path.trim_end_matches('/'), url)
    } else {
        url.to_string()
    }
}

fn rebase_links<'a>(event: Event<'a>, base_path: &str) -> Event<'a> {
    match event {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: CowStr::from(rebase(&dest_url, base_path)), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: CowStr::from(rebase(&dest_url, base_path)), title, id })
        }
        Event::Start(Tag::Heading { level: HeadingLevel::H1, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: HeadingLevel::H2, id, classes, attrs })
        }
        Event::End(TagEnd::Heading(HeadingLevel::H1)) => Event::End(TagEnd::Heading(HeadingLevel::H2)),
        other => other,
    }
}

/// Gives each heading without an explicit `{#id}` one made from its text,
/// numbered when two headings share a text.
fn add_heading_ids(events: &mut [Event]) {
    let mut used: Vec<String> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
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
            let mut candidate = base.clone();
            let mut n = 1;
            while used.contains(&candidate) {
                candidate = format!("{base}-{n}");
                n += 1;
            }
            used.push(candidate.clone());
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(candidate));
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_relative_links_get_the_base_path() {
        let html = to_html("[a](/briefs/x/) [b](https://example.org/) [c](#top) [d](//cdn.example/x)", "/sub/");
        assert!(html.contains(r#"href="/sub/briefs/x/""#), "{html}");
        assert!(html.contains(r#"href="https://example.org/""#));
        assert!(html.contains(r##"href="#top""##));
        assert!(html.contains(r#"href="//cdn.example/x""#));
    }

    #[test]
    fn headings_get_unique_ids_and_no_second_h1() {
        let html = to_html("# Context\n\n## Context\n", "/");
        assert!(html.contains(r#"<h2 id="context">Context</h2>"#), "{html}");
        assert!(html.contains(r#"<h2 id="context-1">Context</h2>"#), "{html}");
        assert!(!html.contains("<h1"));
    }
}
