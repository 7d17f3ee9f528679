//! Model stage: plain pages (about, methodology) and country profiles.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::country::{Aliases, Country};
use super::fields::{self, FileDiagnostics};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::SourceFile;

pub const PAGE_FIELDS: &[&str] = &["title", "summary", "slug", "draft", "aliases", "extra"];
pub const PROFILE_FIELDS: &[&str] = &["country", "title", "summary", "extra"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawPage {
    title: Option<String>,
    summary: Option<String>,
    slug: Option<String>,
    draft: bool,
    aliases: Vec<String>,
    extra: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawProfile {
    country: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    extra: BTreeMap<String, serde_json::Value>,
}

/// A page outside the brief/group/country collections, at `/<path>/`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// The URL path under the site root, without slashes at the ends
    /// (`about`, `methodology/sources`).
    pub path: String,
    pub title: String,
    pub summary: Option<String>,
    pub draft: bool,
    pub aliases: Vec<String>,
    pub extra: BTreeMap<String, serde_json::Value>,
    pub source_path: String,
    #[serde(skip)]
    pub body: String,
    #[serde(skip)]
    pub body_line: usize,
    /// The language its words are in, when it is not the edition's (an
    /// untranslated page, which a translated edition links to).
    #[serde(skip)]
    pub text_language: Option<String>,
}

/// A country's profile, shown on its index page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub country: Country,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub extra: BTreeMap<String, serde_json::Value>,
    pub source_path: String,
    #[serde(skip)]
    pub body: String,
    #[serde(skip)]
    pub body_line: usize,
}

pub fn parse_page(file: &SourceFile) -> (Option<Page>, Vec<Diagnostic>) {
    let no_countries = Aliases::default();
    let mut d = FileDiagnostics::new(file, &no_countries);
    let raw: RawPage = fields::read_front(&mut d, PAGE_FIELDS, "a page");
    let title = raw.title.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    if title.is_none() && !d.has_errors() {
        d.error_at_start(
            Code::MissingField,
            "missing required field `title`",
            Some("add `title: About this site`".into()),
        );
    }
    // `content/about/team.md` → `about/team`; the last part may be renamed by `slug`.
    let rel = file.path.strip_prefix(crate::load::CONTENT_DIR).unwrap_or(&file.path);
    let mut parts: Vec<String> = rel
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .map(|c| slug::slugify(c.as_os_str().to_string_lossy()))
        .collect();
    if parts.iter().any(String::is_empty) {
        d.error_at_start(
            Code::InvalidSlug,
            format!("a folder of `{}` has no letters or digits to make an address from", rel.display()),
            Some("rename the folder (lowercase letters, digits and dashes)".into()),
        );
    }
    parts.push(fields::slug_for(&mut d, raw.slug.as_deref()));
    let aliases = fields::check_aliases(&mut d, &raw.aliases);
    let page = match title {
        Some(title) if !d.has_errors() => Some(Page {
            path: parts.join("/"),
            title,
            summary: raw.summary,
            draft: raw.draft,
            aliases,
            extra: raw.extra,
            source_path: file.path.to_string_lossy().replace('\\', "/"),
            body: file.body.clone(),
            body_line: file.body_line,
            text_language: None,
        }),
        _ => None,
    };
    (page, d.list)
}

pub fn parse_profile(file: &SourceFile, countries: &Aliases) -> (Option<Profile>, Vec<Diagnostic>) {
    let mut d = FileDiagnostics::new(file, countries);
    let raw: RawProfile = fields::read_front(&mut d, PROFILE_FIELDS, "a country profile");
    let country = match raw.country.as_deref() {
        None => {
            d.error_at_start(
                Code::MissingField,
                "missing required field `country`",
                Some("name the country this profile is about, e.g. `country: NE`".into()),
            );
            None
        }
        Some(text) => fields::country_field(&mut d, "country", text),
    };
    let profile = country.filter(|_| !d.has_errors()).map(|country| Profile {
        country,
        title: raw.title,
        summary: raw.summary,
        extra: raw.extra,
        source_path: file.path.to_string_lossy().replace('\\', "/"),
        body: file.body.clone(),
        body_line: file.body_line,
    });
    (profile, d.list)
}
