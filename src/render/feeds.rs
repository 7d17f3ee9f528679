//! Render stage: feeds. Atom (RFC 4287) for the whole site, every country
//! and every armed group, newest first and capped; entries carry category
//! terms for the country code and the groups, `updated` from the revision
//! log, and a GeoRSS point (lat lon) where coordinates are known. JSON Feed
//! 1.1 for the site, with an `_incident` extension holding the structured
//! fields.

use std::collections::BTreeMap;
use std::sync::Arc;

use atom_syndication::extension::{Extension, ExtensionMap};
use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDate, TimeZone, Utc};
use serde::Serialize;

use super::{Content, Deferred, OutputFile};
use crate::model::{Brief, Site};

const GEORSS: &str = "http://www.georss.org/georss";

/// Where feeds live and how their addresses are written.
struct Addresses {
    /// Absolute (`https://org.github.io/briefs/`) or root-relative (`/briefs/`).
    base: String,
}

impl Addresses {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path.trim_start_matches('/'))
    }
}

/// Every feed of the site, each made when the caller asks for it.
pub fn feeds(site: &Site) -> Vec<Deferred<'_>> {
    let at = Arc::new(Addresses { base: super::publish::link_base(&site.config) });
    let limit = site.config.feed_limit;
    let latest = move || site.briefs.iter().take(limit).collect::<Vec<&Arc<Brief>>>();
    let titled = |name: &str| format!("{}: {name}", site.config.title);
    let mut files: Vec<Deferred> = Vec::new();
    {
        let at = at.clone();
        files.push(Box::new(move || atom(site, &at, "", &site.config.title, &latest())));
    }
    for c in &site.countries {
        let (at, title) = (at.clone(), titled(c.country.name));
        files.push(Box::new(move || {
            let briefs: Vec<&Arc<Brief>> = c.briefs.iter().take(limit).map(|&i| &site.briefs[i]).collect();
            atom(site, &at, &format!("countries/{}/", c.country.slug), &title, &briefs)
        }));
    }
    for g in &site.groups {
        let (at, title) = (at.clone(), titled(&g.group.name));
        files.push(Box::new(move || {
            let briefs: Vec<&Arc<Brief>> = g.entries.iter().take(limit).map(|e| &site.briefs[e.brief]).collect();
            atom(site, &at, &format!("groups/{}/", g.group.slug), &title, &briefs)
        }));
    }
    files.push(Box::new(move || json_feed(site, &at, &latest())));
    files
}

fn day(date: NaiveDate) -> FixedDateTime {
    Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight exists")).fixed_offset()
}

/// The Atom feed of the page at `page` (`countries/ne/`, or `` for the
/// home page), written beside it as `atom.xml`.
fn atom(site: &Site, at: &Addresses, page: &str, title: &str, briefs: &[&Arc<Brief>]) -> OutputFile {
    let path = &format!("{page}atom.xml");
    let updated = briefs.iter().map(|b| b.last_modified()).max().unwrap_or(NaiveDate::MIN);
    let feed = Feed {
        title: Text::plain(title),
        id: at.url(path),
        updated: day(if briefs.is_empty() { NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid") } else { updated }),
        authors: vec![Person { name: site.config.title.clone(), ..Person::default() }],
        links: vec![
            Link {
                href: at.url(path),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Link::default()
            },
            Link {
                href: at.url(page),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            },
        ],
        lang: Some(site.config.language.clone()),
        namespaces: BTreeMap::from([("georss".to_string(), GEORSS.to_string())]),
        entries: briefs.iter().map(|b| entry(site, at, b)).collect(),
        ..Feed::default()
    };
    let mut xml = Vec::new();
    feed.write_to(&mut xml).expect("writing to memory does not fail");
    OutputFile { path: path.into(), content: Content::Bytes(xml) }
}

fn entry(site: &Site, at: &Addresses, b: &Brief) -> Entry {
    let url = at.url(&format!("briefs/{}/", b.slug));
    let mut categories = vec![Category {
        term: b.country.code.to_string(),
        scheme: Some("urn:iso:std:iso:3166:-1:alpha-2".into()),
        label: Some(b.country.name.to_string()),
    }];
    for g in &b.armed_groups {
        let name = site.group(&g.slug).map_or(g.name.clone(), |gi| gi.group.name.clone());
        categories.push(Category { term: g.slug.clone(), scheme: Some(at.url("groups/")), label: Some(name) });
    }
    let mut extensions = ExtensionMap::new();
    if let Some(c) = b.coordinates {
        let point = Extension {
            name: "georss:point".into(),
            value: Some(format!("{} {}", c.lat, c.lon)),
            ..Extension::default()
        };
        extensions.insert("georss".into(), BTreeMap::from([("point".into(), vec![point])]));
    }
    Entry {
        title: Text::plain(b.title.clone()),
        id: url.clone(),
        updated: day(b.last_modified()),
        published: Some(day(b.published)),
        links: vec![Link {
            href: url,
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Link::default()
        }],
        summary: Some(Text::plain(b.summary.clone().unwrap_or_else(|| b.title.clone()))),
        categories,
        extensions,
        ..Entry::default()
    }
}

/// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    language: &'a str,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: String,
    url: String,
    title: &'a str,
    content_text: String,
    date_published: String,
    date_modified: String,
    tags: Vec<String>,
    /// The structured incident: every field of the brief's model.
    _incident: &'a Brief,
}

fn json_feed(site: &Site, at: &Addresses, briefs: &[&Arc<Brief>]) -> OutputFile {
    let items = briefs
        .iter()
        .map(|b| {
            let url = at.url(&format!("briefs/{}/", b.slug));
            let mut tags = vec![b.country.code.to_string()];
            tags.extend(b.armed_groups.iter().map(|g| g.slug.clone()));
            JsonItem {
                id: url.clone(),
                url,
                title: &b.title,
                content_text: b.summary.clone().unwrap_or_else(|| b.title.clone()),
                date_published: day(b.published).to_rfc3339(),
                date_modified: day(b.last_modified()).to_rfc3339(),
                tags,
                _incident: b,
            }
        })
        .collect();
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &site.config.title,
        home_page_url: at.url(""),
        feed_url: at.url("feed.json"),
        language: &site.config.language,
        items,
    };
    let json = serde_json::to_vec_pretty(&feed).expect("plain data serializes");
    OutputFile { path: "feed.json".into(), content: Content::Bytes(json) }
}
