//! Checking internal links: every link an editor wrote in Markdown to a
//! page of the site (`/briefs/x/`, `/countries/ne/`, `/about/#team`, `#id`)
//! must reach a page that the build produced, and an `#anchor` an element
//! with that `id`. Checked against the rendered pages, so it sees exactly
//! what a reader would follow: [`LinkPlan::new`] reads the links before
//! rendering, [`LinkPlan::observe`] notes each file as it is rendered (its
//! path, and its ids if some link needs them), and [`LinkPlan::check`]
//! judges the links once the build is done.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use pulldown_cmark::{Event, Options, Parser, Tag};
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Pos};
use crate::model::Site;
use crate::render::{Content, OutputFile};
use crate::suggest;

/// One internal link written in a Markdown body, kept small: a large site
/// has millions. Its text is read again from the body only if it is broken.
struct Link {
    /// Index into `LinkPlan::bodies`.
    body: usize,
    /// Byte offset of the link in the body.
    offset: usize,
    /// Hash of the output path it points at.
    target: u64,
    /// The `#fragment`, when there is one.
    fragment: Option<Box<str>>,
}

/// The internal links of a site, and what the build produced for them.
pub struct LinkPlan<'a> {
    bodies: Vec<Body<'a>>,
    links: Vec<Link>,
    /// Output files some link wants an anchor in.
    anchored: HashSet<String>,
    paths: Mutex<HashSet<String>>,
    ids: Mutex<HashMap<String, HashSet<String>>>,
}

fn hash_of(path: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(path)
}

impl<'a> LinkPlan<'a> {
    /// Reads the internal links of every Markdown body of `site` (in parallel).
    pub fn new(site: &'a Site) -> LinkPlan<'a> {
        let bodies = bodies(site);
        let per_body: Vec<(Vec<Link>, Vec<String>)> = bodies
            .par_iter()
            .enumerate()
            .map(|(i, body)| {
                let mut links = Vec::new();
                let mut anchored = Vec::new();
                for (url, offset) in links_in(body.text) {
                    let Some((target, fragment)) = target_of(&url, &body.page) else { continue };
                    let fragment = fragment.filter(|f| !f.is_empty());
                    if fragment.is_some() {
                        anchored.push(target.clone());
                    }
                    links.push(Link { body: i, offset, target: hash_of(&target), fragment: fragment.map(Into::into) });
                }
                (links, anchored)
            })
            .collect();
        let mut links = Vec::new();
        let mut anchored = HashSet::new();
        for (l, a) in per_body {
            links.extend(l);
            anchored.extend(a);
        }
        LinkPlan { bodies, links, anchored, paths: Mutex::default(), ids: Mutex::default() }
    }

    /// Notes a file of the build (call it for every file, from any thread).
    pub fn observe(&self, file: &OutputFile) {
        if self.anchored.contains(&file.path) {
            let ids = match &file.content {
                Content::Bytes(bytes) => ids_in(&String::from_utf8_lossy(bytes)),
                Content::Copy(path) => ids_in(&std::fs::read_to_string(path).unwrap_or_default()),
            };
            self.ids.lock().expect("no panics while held").insert(file.path.clone(), ids);
        }
        self.paths.lock().expect("no panics while held").insert(file.path.clone());
    }

    /// Problems with the links, judged against the files observed.
    pub fn check(self) -> Vec<Diagnostic> {
        let outputs = self.paths.into_inner().expect("no panics while held");
        let ids = self.ids.into_inner().expect("no panics while held");
        let produced: HashSet<u64> = outputs.iter().map(|p| hash_of(p)).collect();
        // Addresses to suggest from, made once and only if a link is broken.
        let urls = std::cell::OnceCell::new();
        let no_ids = HashSet::new();
        let mut problems = Vec::new();
        for link in &self.links {
            let exists = produced.contains(&link.target);
            if exists && link.fragment.is_none() {
                continue;
            }
            // Read the link again for its message.
            let body = &self.bodies[link.body];
            let Some((url, _)) = links_in(body.text).into_iter().find(|(_, offset)| *offset == link.offset) else {
                continue;
            };
            let Some((target, _)) = target_of(&url, &body.page) else { continue };
            let pos = position(body.text, link.offset, body.first_line);
            if !exists {
                let urls: &Vec<String> = urls.get_or_init(|| outputs.iter().map(|k| page_url(k)).collect());
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
            }
            let Some(fragment) = link.fragment.as_deref() else { continue };
            let known = ids.get(&target).unwrap_or(&no_ids);
            if !known.contains(fragment) {
                let help = suggest::did_you_mean(fragment, known.iter().map(String::as_str)).unwrap_or_else(|| {
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
        problems
    }
}

/// A Markdown body and where it came from.
struct Body<'a> {
    file: &'a str,
    /// The output page the body is shown on, for `#anchor` links.
    page: String,
    text: &'a str,
    first_line: usize,
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
fn links_in(text: &str) -> Vec<(String, usize)> {
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
fn ids_in(html: &str) -> HashSet<String> {
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
