//! Model stage: reading front matter into raw structs, one field at a time,
//! so that every bad field is reported rather than only the first; and the
//! small value parsers (dates, enums, slugs) the brief, group and page
//! models share.

use std::borrow::Cow;
use std::marker::PhantomData;

use chrono::{DateTime, FixedOffset, NaiveDate};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};

use super::country::{self, Country};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::load::SourceFile;
use crate::suggest;

/// Collects the problems of one file with its path already filled in.
pub struct FileDiagnostics<'a> {
    pub file: &'a SourceFile,
    /// The site's own country names.
    pub countries: &'a country::Aliases,
    pub list: Vec<Diagnostic>,
    /// Keys whose values had the wrong shape (already reported).
    pub misshapen: Vec<String>,
}

impl<'a> FileDiagnostics<'a> {
    pub fn new(file: &'a SourceFile, countries: &'a country::Aliases) -> Self {
        FileDiagnostics { file, countries, list: Vec::new(), misshapen: Vec::new() }
    }

    /// An error at the value of `path` (`fatalities.low`).
    pub fn error(&mut self, code: Code, path: &str, message: impl Into<String>, help: Option<String>) {
        let pos = self.file.front.value_pos(path);
        self.list.push(Diagnostic::error(code, &self.file.path, pos, message).with_optional_help(help));
    }

    pub fn warning(&mut self, code: Code, path: &str, message: impl Into<String>, help: Option<String>) {
        let pos = self.file.front.value_pos(path);
        self.list.push(Diagnostic::warning(code, &self.file.path, pos, message).with_optional_help(help));
    }

    /// An error about the front matter as a whole (a missing field).
    pub fn error_at_start(&mut self, code: Code, message: impl Into<String>, help: Option<String>) {
        self.list.push(Diagnostic::error(code, &self.file.path, Pos::new(1, 1), message).with_optional_help(help));
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }
}

/// Deserializes `file`'s front matter into `T`. Keys not in `known` are
/// errors with a suggestion; a key whose value has the wrong shape is an
/// error at that value, and is left out so the rest can still be checked.
pub fn read_front<T: DeserializeOwned + Default>(diags: &mut FileDiagnostics, known: &[&str], what: &str) -> T {
    let front = &diags.file.front;
    // All the known fields at once first: most front matter is well
    // formed, and then each field alone is too (the fields of `T` are
    // read independently), so none needs reading again on its own.
    let whole = front.deserialize_where(|k| known.contains(&k)).ok();
    let mut good = Vec::new();
    for (key, pos) in front.keys() {
        if !known.contains(&key) {
            let help = suggest::did_you_mean(key, known.iter().copied()).or_else(|| {
                Some(format!("the fields of {what} are: {}; put anything else under `extra:`", known.join(", ")))
            });
            diags.list.push(
                Diagnostic::error(
                    Code::UnknownField,
                    &diags.file.path,
                    pos,
                    format!("unknown field `{key}` in {what}"),
                )
                .with_optional_help(help)
                .with_span_len(key.chars().count()),
            );
            continue;
        }
        if whole.is_some() {
            continue;
        }
        match front.deserialize_entry::<T>(key) {
            Ok(_) => good.push(key.to_string()),
            Err(message) => {
                let help = shape_help(key).or_else(|| crate::load::yaml::kind_help(&message));
                diags.error(Code::InvalidField, key, format!("`{key}`: {message}"), help);
                diags.misshapen.push(key.to_string());
            }
        }
    }
    if let Some(whole) = whole {
        return whole;
    }
    front.deserialize_where(|k| good.iter().any(|g| g == k)).unwrap_or_else(|message| {
        diags.error_at_start(Code::InvalidFrontMatter, message, None);
        T::default()
    })
}

fn shape_help(key: &str) -> Option<String> {
    let example = match key {
        "armed_groups" => "a list of names, e.g. `armed_groups: [JNIM]`, or of `{group: JNIM, attribution: claimed}`",
        "sources" => {
            "a list of names, or of `{name: Reuters, url: https://..., archive_url: https://..., kind: media, date: 2023-09-28}`"
        }
        "retraction" => "`{date: 2023-06-01, reason: What was wrong.}`",
        "fatalities" => "a number (`fatalities: 12`) or `{best: 12, low: 10, high: 12}`",
        "tags" | "targets" | "location_aliases" | "aliases" | "active_in" => "a list, e.g. `[first, second]`",
        "updates" => "a list of `{date: 2023-09-29, note: What changed.}`",
        "coordinates" => "`{lat: 14.62, lon: 1.06}`",
        _ => return None,
    };
    Some(format!("`{key}` takes {example}"))
}

/// A value that may be written short (a name or a number) instead of as a
/// mapping: `JNIM` for `{group: JNIM}`, `12` for `{best: 12}`.
pub trait Shorthand: Sized {
    /// What the field takes, for the error when it gets something else.
    const EXPECTING: &'static str;

    /// The JSON Schema of the short form.
    fn short_schema() -> schemars::Schema;

    fn from_text(text: &str) -> Result<Self, String> {
        Err(format!("found the text `{text}`, expected {}", Self::EXPECTING))
    }

    fn from_number(n: i64) -> Result<Self, String> {
        Err(format!("found the number {n}, expected {}", Self::EXPECTING))
    }
}

/// Deserializes a `Shorthand` type from its short or its full form.
#[derive(Debug, Clone, PartialEq)]
pub struct ShortOrFull<T>(pub T);

impl<'de, T> Deserialize<'de> for ShortOrFull<T>
where
    T: Deserialize<'de> + Shorthand,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Shorthand> Visitor<'de> for V<T> {
            type Value = ShortOrFull<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(T::EXPECTING)
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                T::from_text(s).map(ShortOrFull).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
                T::from_number(n).map(ShortOrFull).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
                let n = i64::try_from(n).map_err(|_| E::custom("number too large"))?;
                self.visit_i64(n)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(ShortOrFull)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<T: JsonSchema + Shorthand> JsonSchema for ShortOrFull<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("{}OrShort", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let full = generator.subschema_for::<T>();
        schemars::json_schema!({"anyOf": [T::short_schema(), full]})
    }
}

/// The schema of a date field: `YYYY-MM-DD` or an RFC 3339 time.
pub fn date_schema(_: &mut SchemaGenerator) -> Schema {
    schemars::json_schema!({
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9:.]+([Zz]|[+-][0-9]{2}:[0-9]{2}))?$",
        "examples": ["2023-09-28"]
    })
}

/// The schema of a field that takes one of `T`'s names.
pub fn names_schema<T: Named>(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<&str> = T::ALL.iter().map(|(n, _)| *n).collect();
    schemars::json_schema!({"type": "string", "enum": names})
}

/// Parses an incident date: `YYYY-MM-DD`, or an RFC 3339 timestamp whose
/// date (in its own offset) is the incident date.
pub fn parse_date(text: &str) -> Result<(NaiveDate, Option<DateTime<FixedOffset>>), String> {
    let text = text.trim();
    if text.starts_with(['-', '+']) {
        return Err("write a year of four digits, e.g. 2023-09-28".into());
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        && text.len() == 10
    {
        return Ok((date, None));
    }
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok((time.date_naive(), Some(time)));
    }
    Err(date_help(text))
}

/// A hint for a date that did not parse: the most likely intended date.
fn date_help(text: &str) -> String {
    for (format, order) in
        [("%d/%m/%Y", "day/month/year"), ("%d.%m.%Y", "day.month.year"), ("%d-%m-%Y", "day-month-year")]
    {
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return format!("write dates as YYYY-MM-DD; read as {order}, this is {}", date.format("%Y-%m-%d"));
        }
    }
    "write dates as YYYY-MM-DD (e.g. 2023-09-28) or as an RFC 3339 time (2023-09-28T05:30:00+01:00)".into()
}

/// One of a fixed set of lowercase names, for enum fields.
pub trait Named: Sized + Copy + 'static {
    const ALL: &'static [(&'static str, Self)];

    fn parse(text: &str) -> Result<Self, String> {
        let wanted = text.trim().to_lowercase();
        Self::ALL.iter().find(|(name, _)| *name == wanted).map(|(_, v)| *v).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|(n, _)| *n).collect();
            let mut help = format!("use one of: {}", names.join(", "));
            if let Some(hint) = suggest::did_you_mean(&wanted, names.iter().copied()) {
                help = format!("{hint} ({help})");
            }
            help
        })
    }

    fn name(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::ALL.iter().find(|(_, v)| *v == self).map(|(n, _)| *n).expect("every variant is named")
    }
}

/// Declares a field enum with its front-matter names, serialized as those names.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $crate::model::fields::Named for $name {
            const ALL: &'static [(&'static str, Self)] = &[$(($text, $name::$variant)),+];
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::model::fields::Named::name(*self))
            }
        }
    };
}
pub(crate) use named_enum;

/// Whether `text` is already a clean URL slug.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty() && slug::slugify(text) == text
}

/// Checks a `slug:` field, or makes one from the file name.
pub fn slug_for(diags: &mut FileDiagnostics, explicit: Option<&str>) -> String {
    match explicit {
        Some(s) if is_slug(s) => s.to_string(),
        Some(s) => {
            let fixed = slug::slugify(s);
            diags.error(
                Code::InvalidSlug,
                "slug",
                format!("`{s}` is not a URL slug"),
                Some(if fixed.is_empty() {
                    "use lowercase letters, digits and dashes".into()
                } else {
                    format!("use lowercase letters, digits and dashes, e.g. `{fixed}`")
                }),
            );
            fixed
        }
        None => {
            let slug = slug::slugify(diags.file.stem());
            if slug.is_empty() {
                diags.error_at_start(
                    Code::InvalidSlug,
                    format!("the file name `{}` has no letters or digits to make an address from", diags.file.stem()),
                    Some("rename the file, or set `slug:` (lowercase letters, digits and dashes)".into()),
                );
            }
            slug
        }
    }
}

/// Resolves a country name or code, reporting an unknown one at `path`.
pub fn country_field(diags: &mut FileDiagnostics, path: &str, text: &str) -> Option<Country> {
    match diags.countries.find(text) {
        country::Found::One(country) => Some(country),
        country::Found::Ambiguous(countries) => {
            let message = format!("`{text}` is the name of more than one country");
            diags.error(Code::UnknownCountry, path, message, Some(country::ambiguous_help(&countries)));
            None
        }
        country::Found::None => {
            let message = format!("unknown country `{text}`");
            diags.error(Code::UnknownCountry, path, message, Some(country::unknown_help(text)));
            None
        }
    }
}

/// Checks `aliases:` (old URLs that must redirect): each a root-relative path.
pub fn check_aliases(diags: &mut FileDiagnostics, aliases: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, alias) in aliases.iter().enumerate() {
        let ok = alias.len() > 1
            && alias.starts_with('/')
            && !alias.contains("//")
            && alias.split('/').all(|segment| segment != "." && segment != "..")
            && alias.chars().all(|c| !c.is_control() && !c.is_whitespace() && !"\\\"'<>`?#:".contains(c));
        if ok {
            out.push(alias.clone());
        } else {
            diags.error(
                Code::InvalidAlias,
                &format!("aliases.{i}"),
                format!("alias `{alias}` is not a path on this site"),
                Some(
                    "write old URLs as paths from the site root, e.g. `/old/path/`, without spaces, quotes, `?` or `#`"
                        .into(),
                ),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_accept_iso_and_rfc3339() {
        assert_eq!(parse_date("2023-09-28").unwrap().0, NaiveDate::from_ymd_opt(2023, 9, 28).unwrap());
        let (date, time) = parse_date("2023-09-28T05:30:00+01:00").unwrap();
        assert_eq!(date, NaiveDate::from_ymd_opt(2023, 9, 28).unwrap());
        assert!(time.is_some());
    }

    #[test]
    fn day_first_dates_get_the_iso_form_as_help() {
        let help = parse_date("28/09/2023").unwrap_err();
        assert!(help.contains("2023-09-28"), "{help}");
        assert!(parse_date("2023-13-01").is_err());
        assert!(parse_date("yesterday").is_err());
    }
}
