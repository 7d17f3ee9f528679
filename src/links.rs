//! Checking internal links: every link an editor wrote in Markdown to a
//! page of the site (`/briefs/x/`, `/countries/ne/`, `/about/#team`, `#id`)
//! must reach a page that the build produced, and an `#anchor` an element
//! with that `id`. Runs on the rendered pages, so it sees exactly what a
//! reader would follow.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::diagnostics::{Diagnostic, Pos};
use crate::model::Site;
use crate::render::{Content, OutputFile};
use crate::suggest;

/// A Markdown body and where it came from.
struct Body<'a> {
    file: &'a str,
    /// The output page the body is shown on, for `#anchor` links.
    page: String,
    text: &'a str,
    first_line: usize,
}

/// Problems with internal links in every Markdown body of `site`.
pub fn check_links(site: &Site, files: &[OutputFile], root: &Path) -> Vec<Diagnostic> {
    let outputs: HashMap<&str, &OutputFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
    let mut problems = Vec::new();
    for body in bodies(site) {
        for (url, offset) in links(body.text) {
            let Some((target, fragment)) = target_of(&url, &body.page) else { continue };
            let pos = position(body.text, offset, body.first_line);
            let Some(output) = outputs.get(target.as_str()) else {
                let urls: Vec<String> = outputs.keys().map(|k| page_url(k)).collect();
                let help =
                    suggest::did_you_mean(&page_url(&target), urls.iter().map(String::as_str)).unwrap_or_else(|| {
                        "check the address; pages are at /briefs/<slug>/, /countries/<code>/, /groups/<slug>/".into()
                    });
                problems.push(
                    Diagnostic::error(
                        "broken-link",
                        body.file,
                        pos,
                        format!("link to `{url}`, which is not a page of the site"),
                    )
                    .with_help(help),
                );
                continue;
            };
            let Some(fragment) = fragment.filter(|f| !f.is_empty()) else { continue };
            let known = ids.entry(target.clone()).or_insert_with(|| ids_in(output, root));
            if !known.contains(&fragment) {
                let help = suggest::did_you_mean(&fragment, known.iter().map(String::as_str)).unwrap_or_else(|| {
                    "headings get an id made from their text, e.g. `## The toll` → #the-toll".into()
                });
                problems.push(
                    Diagnostic::error(
                        "broken-anchor",
                        body.file,
                        pos,
                        format!("`#{fragment}` is not an anchor on {}", page_url(&target)),
                    )
                    .with_help(help),
                );
            }
        }
    }
    problems
}

fn bodies(site: &Site) -> Vec<Body<'_>> {
    let mut bodies = Vec::new();
    for b in &site.briefs {
        bodies.push(Body {
            file: &b.source_path,
            page: format!("briefs/{}/index.html", b.slug),
            text: &b.body,
            first_line: b.body_line,
        });
    }
    for p in &site.pages {
        bodies.push(Body {
            file: &p.source_path,
            page: format!("{}/index.html", p.path),
            text: &p.body,
            first_line: p.body_line,
        });
    }
    for g in &site.groups {
        if let Some(file) = &g.group.source_path {
            bodies.push(Body {
                file,
                page: format!("groups/{}/index.html", g.group.slug),
                text: &g.group.body,
                first_line: g.group.body_line,
            });
        }
    }
    for c in &site.countries {
        if let Some(p) = &c.profile {
            bodies.push(Body {
                file: &p.source_path,
                page: format!("countries/{}/index.html", c.country.slug),
                text: &p.body,
                first_line: p.body_line,
            });
        }
    }
    bodies
}

/// Every link and image target in a Markdown text, with its byte offset.
fn links(text: &str) -> Vec<(String, usize)> {
    Parser::new_ext(text, Options::all())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some((dest_url.to_string(), range.start))
            }
            _ => None,
        })
        .collect()
}

/// The output file a link points at and its fragment, for links inside the
/// site (`/x/`, `#id`); `None` for other sites, mail and relative links.
fn target_of(url: &str, page: &str) -> Option<(String, Option<String>)> {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() {
        return fragment.is_some().then(|| (page.to_string(), fragment));
    }
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let rel = path.trim_start_matches('/');
    let target = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
    Some((target, fragment))
}

fn position(text: &str, offset: usize, first_line: usize) -> Pos {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count();
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Pos::new(first_line + line, column)
}

/// The `id`s in a rendered page.
fn ids_in(output: &OutputFile, root: &Path) -> HashSet<String> {
    let html = match &output.content {
        Content::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        Content::Copy(path) => std::fs::read_to_string(root.join(path)).unwrap_or_default(),
    };
    html.split(" id=\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_string).collect()
}

fn page_url(target: &str) -> String {
    format!("/{}", target.trim_end_matches("index.html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_links_inside_the_site_are_checked() {
        let page = "about/index.html";
        assert_eq!(target_of("/briefs/x/", page), Some(("briefs/x/index.html".into(), None)));
        assert_eq!(target_of("/about/#team", page), Some(("about/index.html".into(), Some("team".into()))));
        assert_eq!(target_of("#top", page), Some((page.into(), Some("top".into()))));
        assert_eq!(target_of("/style.css", page), Some(("style.css".into(), None)));
        assert_eq!(target_of("https://example.org/", page), None);
        assert_eq!(target_of("//cdn.example/x", page), None);
        assert_eq!(target_of("mailto:a@b.c", page), None);
    }

    #[test]
    fn positions_are_lines_of_the_file() {
        assert_eq!(position("one\ntwo [x](/y/)", 8, 10), Pos::new(11, 5));
    }
}
