//! Model stage: translations of content files on a multilingual site.
//!
//! A translation sits beside its original with the language before the
//! extension (`kandadji.fr.md` beside `kandadji.md`) and holds only words:
//! a title, a summary, a local spelling of the place, a group's names, and
//! the body. Every fact (dates, places, figures, groups, sources) is
//! entered once, in the original, so that the languages cannot disagree.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use super::fields::{self, FileDiagnostics};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::load::{Kind, SourceFile};

/// The keys a translation of each kind of file may hold.
pub fn fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Brief => &["title", "summary", "location", "updated", "draft"],
        Kind::Group => &["name", "full_name", "updated", "draft"],
        Kind::Country => &["title", "summary", "updated", "draft"],
        Kind::Page => &["title", "summary", "updated", "draft"],
    }
}

/// The front matter of a translation (sitrep): words only.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(title = "sitrep translation")]
struct RawTranslation {
    /// The title in this file's language (a brief's, a page's or a country
    /// profile's). Required for briefs and pages.
    title: Option<String>,
    /// The summary in this file's language.
    summary: Option<String>,
    /// A brief's place as this language writes it.
    location: Option<String>,
    /// A group's usual name in this language.
    name: Option<String>,
    /// A group's full name in this language.
    full_name: Option<String>,
    /// The day this translation was last brought in line with its original
    /// (YYYY-MM-DD).
    #[schemars(schema_with = "fields::date_schema")]
    updated: Option<String>,
    /// Not published yet.
    draft: bool,
}

/// The JSON Schema of a translation's front matter (every kind's keys;
/// `check` says which a given file may hold).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawTranslation);
    serde_json::to_string_pretty(&schema).expect("a schema serializes")
}

/// The words of one content file in another language.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    pub language: String,
    /// The translation file, relative to the site root.
    pub source_path: String,
    /// The file it translates.
    pub original: String,
    /// The title of a brief, page or profile; a group's short name.
    pub title: Option<String>,
    pub summary: Option<String>,
    pub location: Option<String>,
    pub full_name: Option<String>,
    /// The day the translation was last brought in line with its original,
    /// and where it says so (the top of the file if it does not).
    pub updated: Option<NaiveDate>,
    pub updated_pos: Pos,
    pub draft: bool,
    pub body: super::text::Text,
    pub body_line: usize,
    /// Every link and image address in the body, with its byte offset.
    pub body_links: super::text::Addresses,
}

/// Reads the translation `file` into `language` of the file `original`
/// (both relative to the site root).
pub fn parse(
    file: &SourceFile,
    language: &str,
    original: &str,
    today: NaiveDate,
    body: super::text::Text,
    body_links: super::text::Addresses,
) -> (Option<Translation>, Vec<Diagnostic>) {
    let no_countries = super::country::Aliases::default();
    let mut d = FileDiagnostics::new(file, &no_countries);
    let allowed = fields(file.kind);
    for (key, pos) in file.front.keys() {
        if allowed.contains(&key) {
            continue;
        }
        d.list.push(
            Diagnostic::error(
                Code::TranslationField,
                &file.path,
                pos,
                format!("`{key}` cannot be set in a translation: every fact is entered once, in {original}"),
            )
            .with_help(format!(
                "remove it here (and change it in {original} if it is wrong); a translation holds only {}, and its text",
                allowed.join(", ")
            ))
            .with_span_len(key.chars().count()),
        );
    }
    let raw: RawTranslation = match file.front.deserialize_where(|k| allowed.contains(&k)) {
        Ok(raw) => raw,
        Err(message) => {
            d.error_at_start(Code::InvalidFrontMatter, message, None);
            RawTranslation::default()
        }
    };
    let title = match file.kind {
        Kind::Group => raw.name,
        _ => raw.title,
    };
    let title = title.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    if title.is_none() && matches!(file.kind, Kind::Brief | Kind::Page) {
        d.error_at_start(
            Code::MissingField,
            "missing required field `title`: a translation gives the title in its language",
            Some("add `title:` with the title in this file's language".into()),
        );
    }
    let updated = raw.updated.as_deref().and_then(|text| match fields::parse_date(text) {
        Ok((day, _)) if day > today => {
            d.error(
                Code::DateInFuture,
                "updated",
                format!("`updated` is {day}, which is in the future"),
                Some(format!("today is {today}; write the day the translation was last brought in line")),
            );
            None
        }
        Ok((day, _)) => Some(day),
        Err(help) => {
            d.error(Code::InvalidDate, "updated", format!("`{text}` is not a date"), Some(help));
            None
        }
    });
    let nonblank = |t: Option<String>| t.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    let translation = (!d.has_errors()).then(|| Translation {
        language: language.to_string(),
        source_path: file.path.to_string_lossy().replace('\\', "/"),
        original: original.to_string(),
        title,
        summary: nonblank(raw.summary),
        location: nonblank(raw.location),
        full_name: nonblank(raw.full_name),
        updated,
        updated_pos: if file.front.contains("updated") { file.front.value_pos("updated") } else { Pos::new(1, 1) },
        draft: raw.draft,
        body,
        body_line: file.body_line,
        body_links,
    });
    (translation, d.list)
}

/// The translations of a site: language → original's path → translation.
pub type Translations = BTreeMap<String, BTreeMap<String, std::sync::Arc<Translation>>>;

/// Checks every translation against the originals that exist
/// (`originals`: path → the day the original last changed, if it says)
/// and returns those to publish. A translation whose original is missing
/// is an error; one older than its original's `updated`, a warning.
pub fn check(
    translations: impl IntoIterator<Item = std::sync::Arc<Translation>>,
    originals: &BTreeMap<String, Option<NaiveDate>>,
    drafts: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Translations {
    let mut kept = Translations::new();
    for t in translations {
        let Some(changed) = originals.get(&t.original) else {
            diagnostics.push(
                Diagnostic::error(
                    Code::OrphanTranslation,
                    &t.source_path,
                    Pos::WHOLE_FILE,
                    format!("this translates {}, which does not exist", t.original),
                )
                .with_help(format!(
                    "a translation sits beside its original and has its name with the language before .md; rename it, or add {}",
                    t.original
                )),
            );
            continue;
        };
        if let Some(changed) = changed {
            let stale = match t.updated {
                Some(translated) => translated < *changed,
                None => true,
            };
            if stale {
                let said = match t.updated {
                    Some(day) => format!("this translation says it was brought in line on {day}"),
                    None => "this translation does not say when it was made".to_string(),
                };
                diagnostics.push(
                    Diagnostic::warning(
                        Code::StaleTranslation,
                        &t.source_path,
                        t.updated_pos,
                        format!("{} was updated on {changed}; {said}", t.original),
                    )
                    .with_related(&t.original, Pos::WHOLE_FILE)
                    .with_help(format!(
                        "compare it with {}, bring it in line, and set `updated: {changed}` (or later) here",
                        t.original
                    )),
                );
            }
        }
        if t.draft && !drafts {
            continue;
        }
        kept.entry(t.language.clone()).or_default().insert(t.original.clone(), t);
    }
    kept
}
