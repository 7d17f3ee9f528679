//! Render stage: feeds. Atom (RFC 4287) for the whole site, every country
//! and every armed group, newest first and capped; entries carry category
//! terms for the country code and the groups, `updated` from the revision
//! log, and a GeoRSS point (lat lon) where coordinates are known. JSON Feed
//! 1.1 for the site, with an `_incident` extension holding the structured
//! fields.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use atom_syndication::extension::{Extension, ExtensionMap};
use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDate, TimeZone, Utc};
use serde::Serialize;

use super::Listing;
use super::i18n::Strings;
use crate::model::brief::Brief;
use crate::model::{ResolvedBrief, Site};
use crate::urls::{self, Address};

const GEORSS: &str = "http://www.georss.org/georss";

/// Where feeds live and how their addresses are written.
struct Addresses {
    /// Absolute (`https://org.github.io/briefs/`) or root-relative (`/briefs/`).
    base: String,
}

impl Addresses {
    fn of(site: &Site) -> Addresses {
        Addresses { base: super::publish::link_base(&site.config) }
    }

    fn url(&self, address: &Address) -> String {
        address.url(&self.base)
    }

    /// A brief's page: on a translated edition, an untranslated brief's is
    /// the original's.
    fn brief(&self, site: &Site, b: &ResolvedBrief) -> String {
        urls::brief(&b.slug).url(site.edition.base_for(b.text_language.as_deref(), &self.base))
    }
}

/// The Atom feed of a listing (the site, a country, a group): its newest
/// briefs, up to `feed_limit`.
pub fn atom(site: &Site, strings: &Strings, listing: Listing) -> Vec<u8> {
    let title = match listing {
        Listing::Site => site.config.title.clone(),
        Listing::Country(i) => format!("{}: {}", site.config.title, site.countries[i].country.name),
        Listing::Group(i) => format!("{}: {}", site.config.title, site.groups[i].group.name),
    };
    let briefs: Vec<&ResolvedBrief> = listing.briefs(site).into_iter().take(site.config.feed_limit).collect();
    atom_feed(site, strings, &Addresses::of(site), &listing.page(site), &title, &briefs)
}

fn day(date: NaiveDate) -> FixedDateTime {
    Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight exists")).fixed_offset()
}

/// The Atom feed of the list page at `page`, written beside it.
fn atom_feed(
    site: &Site,
    strings: &Strings,
    at: &Addresses,
    page: &Address,
    title: &str,
    briefs: &[&ResolvedBrief],
) -> Vec<u8> {
    let path = &urls::atom(page);
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
        entries: briefs.iter().map(|b| entry(site, strings, at, b)).collect(),
        ..Feed::default()
    };
    let mut xml = Vec::new();
    feed.write_to(&mut xml).expect("writing to memory does not fail");
    xml
}

fn entry(site: &Site, strings: &Strings, at: &Addresses, b: &ResolvedBrief) -> Entry {
    let url = at.brief(site, b);
    let mut categories = vec![Category {
        term: b.country.code.to_string(),
        scheme: Some("urn:iso:std:iso:3166:-1:alpha-2".into()),
        label: Some(b.country_name().to_string()),
    }];
    for g in b.groups.iter() {
        let name = site.group(&g.slug).map_or_else(|| g.name.to_string(), |gi| gi.group.name.clone());
        categories.push(Category {
            term: g.slug.to_string(),
            scheme: Some(at.url(&urls::groups())),
            label: Some(name),
        });
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
        title: Text::plain(entry_title(strings, b)),
        id: url.clone(),
        updated: day(b.last_modified()),
        published: Some(day(b.published)),
        links: vec![Link {
            href: url,
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Link::default()
        }],
        summary: Some(Text::plain(entry_summary(strings, b))),
        categories,
        extensions,
        ..Entry::default()
    }
}

/// An entry's title: the brief's, marked when it was retracted (the entry
/// stays, updated, so that readers of the feed learn of it).
fn entry_title(strings: &Strings, b: &ResolvedBrief) -> String {
    if b.is_retracted() {
        format!("{}{} {}", strings.text("brief.retracted"), strings.text("punctuation.colon"), b.title)
    } else {
        b.title.clone()
    }
}

/// An entry's summary: the brief's (or its title), and the days of an
/// event that lasted several, which Atom has no element for.
fn entry_summary(strings: &Strings, b: &ResolvedBrief) -> String {
    let summary = b.summary.clone().unwrap_or_else(|| b.title.clone());
    match b.rare.end_date {
        Some(end) => format!("{summary} ({})", strings.range(b.date, end)),
        None => summary,
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
    title: String,
    content_text: String,
    date_published: String,
    date_modified: String,
    tags: Vec<String>,
    /// The item's language, when it is not the feed's (an untranslated brief).
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    /// The structured incident: every field of the brief's model.
    _incident: Cow<'a, ResolvedBrief>,
}

/// A brief as the JSON Feed's `_incident` holds it: every field, its
/// country named in the feed's language. A translated edition shares a
/// brief not translated with the original edition (its `country` named in
/// the original's language): the feed's few get a copy of their own.
fn incident(b: &ResolvedBrief) -> Cow<'_, ResolvedBrief> {
    match b.country_in_language {
        Some(name) => {
            let mut country = b.country.clone();
            country.name = name;
            let brief = Arc::new(Brief { country, ..Brief::clone(&b.brief) });
            Cow::Owned(ResolvedBrief { brief, country_in_language: None, ..b.clone() })
        }
        None => Cow::Borrowed(b),
    }
}

/// The site's JSON Feed: its newest briefs, up to `feed_limit`.
pub fn json_feed(site: &Site, strings: &Strings) -> Vec<u8> {
    let at = Addresses::of(site);
    let items = site
        .briefs
        .iter()
        .take(site.config.feed_limit)
        .map(|b| {
            let url = at.brief(site, b);
            let mut tags = vec![b.country.code.to_string()];
            tags.extend(b.groups.iter().map(|g| g.slug.to_string()));
            JsonItem {
                id: url.clone(),
                url,
                title: entry_title(strings, b),
                content_text: entry_summary(strings, b),
                date_published: day(b.published).to_rfc3339(),
                date_modified: day(b.last_modified()).to_rfc3339(),
                tags,
                language: b.text_language.as_deref(),
                _incident: incident(b),
            }
        })
        .collect();
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &site.config.title,
        home_page_url: at.url(&urls::home()),
        feed_url: at.url(&urls::json_feed()),
        language: &site.config.language,
        items,
    };
    serde_json::to_vec_pretty(&feed).expect("plain data serializes")
}
