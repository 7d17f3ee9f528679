//! Render stage: the words of the interface in the site's language.
//!
//! Every word the built-in templates show is a string with a key
//! (`facts.killed`), in one translation file per language: English and
//! French are built in (`i18n/en.yaml`, `i18n/fr.yaml` in this
//! repository). A site changes a string, or adds a language, with a file of
//! the same form in its own `i18n/` folder; its strings replace the
//! built-in ones key by key. A file for a language sitrep does not carry
//! must give every key the English file has: a missing one is reported
//! with the file, never shown as a raw key.
//!
//! A string is text with `{name}` placeholders, or, where it counts
//! something, one text per plural category of the language (`one`,
//! `other`; CLDR's rules, so French says "0 incident" and "1,5 incident"
//! where English says "0 incidents"). Dates follow the patterns of the
//! `date` strings with the language's month names; numbers are grouped
//! with the language's separator ("1 234" in French, with a narrow
//! no-break space).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::load::yaml;

/// The folder of a site's translation files.
pub const I18N_DIR: &str = "i18n";

/// The built-in translations: language, file text.
const BUILT_IN: &[(&str, &str)] =
    &[("en", include_str!("../../i18n/en.yaml")), ("fr", include_str!("../../i18n/fr.yaml"))];

/// The plural categories a counted string may have, CLDR's names.
const CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

/// One string: plain text, or one text per plural category.
#[derive(Debug, Clone, PartialEq)]
enum Entry {
    Text(String),
    Plural(BTreeMap<String, String>),
}

/// The interface strings of one language, ready to use.
pub struct Strings {
    /// The language as `site.yaml` gives it (`fr`, `pt-BR`).
    pub language: String,
    entries: HashMap<String, Entry>,
    /// Where each key's string comes from, for messages.
    origin: HashMap<String, PathBuf>,
    plurals: PluralRules,
    locale: chrono::Locale,
    /// A digest of the texts the strings were read from.
    digest: u128,
    /// Each date pattern ([`DATE_KEYS`]) read into chrono's items once, for
    /// a day that is the first of its month and for any other (`None`: a
    /// pattern with something else than a date in it, which gives the
    /// plain date): maps and lists write hundreds of dates a page.
    dates: HashMap<(&'static str, bool), Option<Box<[chrono::format::Item<'static>]>>>,
}

/// The keys of the date patterns [`Strings::format`] writes.
const DATE_KEYS: [&str; 4] = ["date.day", "date.month", "date.day_and_month", "date.day_only"];

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Strings({}, {} keys)", self.language, self.entries.len())
    }
}

/// The primary language subtag, lowercase: `pt-BR` → `pt`.
pub fn primary(language: &str) -> String {
    language.split(['-', '_']).next().unwrap_or("en").to_ascii_lowercase()
}

impl Strings {
    /// The strings for `language` on the site at `root`: the built-in file
    /// for it if there is one, with the site's `i18n/<language>.yaml` over
    /// it. Every problem is returned, each naming its file.
    pub fn load(root: &Path, language: &str) -> Result<Strings, Vec<Diagnostic>> {
        let code = primary(language);
        let english = parse(BUILT_IN[0].1, Path::new("(built-in i18n/en.yaml)")).expect("the English strings parse");
        let mut problems = Vec::new();
        let mut entries: HashMap<String, Entry> = HashMap::new();
        let mut origin: HashMap<String, PathBuf> = HashMap::new();
        let built_in = BUILT_IN.iter().find(|(lang, _)| *lang == code);
        if let Some((lang, text)) = built_in {
            let file = PathBuf::from(format!("(built-in {I18N_DIR}/{lang}.yaml)"));
            for (key, (entry, _)) in parse(text, &file).expect("the built-in strings parse") {
                origin.insert(key.clone(), file.clone());
                entries.insert(key, entry);
            }
        }
        // The site's own file: the full tag's (`pt-BR.yaml`) or the language's.
        let own = [language.to_string(), code.clone()]
            .into_iter()
            .map(|name| PathBuf::from(I18N_DIR).join(format!("{name}.yaml")))
            .find(|rel| root.join(rel).is_file());
        let mut digest = super::reuse::Digest::new();
        digest.text(language).text(built_in.map_or("", |(_, text)| text));
        let mut own_positions = HashMap::new();
        // A file reached through a link out of the site is not read.
        let outside = |rel: &Path| {
            let site = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
            !std::fs::canonicalize(root.join(rel)).is_ok_and(|real| real.starts_with(&site))
        };
        if let Some(rel) = own.as_ref().filter(|rel| outside(rel)) {
            problems.push(crate::load::link_outside(rel.clone()));
        } else if let Some(rel) = &own {
            match std::fs::read_to_string(root.join(rel)) {
                Ok(text) => {
                    digest.text(&text);
                    match parse(&text, rel) {
                        Ok(parsed) => {
                            for (key, (entry, pos)) in parsed {
                                own_positions.insert(key.clone(), pos);
                                origin.insert(key.clone(), rel.clone());
                                entries.insert(key, entry);
                            }
                        }
                        Err(mut found) => problems.append(&mut found),
                    }
                }
                Err(e) => problems.push(
                    Diagnostic::error(Code::Translation, rel, Pos::WHOLE_FILE, format!("cannot read the file: {e}"))
                        .with_help("the file must be UTF-8 text"),
                ),
            }
        }
        if built_in.is_none() && own.is_none() {
            let path = PathBuf::from(I18N_DIR).join(format!("{code}.yaml"));
            problems.push(
                Diagnostic::error(
                    Code::Translation,
                    "site.yaml",
                    Pos::WHOLE_FILE,
                    format!("sitrep has no interface strings for the language `{language}`"),
                )
                .with_help(format!(
                    "sitrep carries English (`en`) and French (`fr`); for another language, translate sitrep's `i18n/en.yaml` into `{}`",
                    path.display()
                )),
            );
        }
        if problems.is_empty() && built_in.is_none() {
            let rel = own.clone().expect("checked above");
            let mut missing: Vec<&String> = english.keys().filter(|k| !entries.contains_key(*k)).collect();
            missing.sort();
            for key in missing {
                let (text, _) = &english[key];
                problems.push(
                    Diagnostic::error(Code::Translation, &rel, Pos::WHOLE_FILE, format!("no string for `{key}`"))
                        .with_help(format!("add `{key}`, the English of which is {}", shown(text))),
                );
            }
        }
        // A counted string must stay counted, and a plain one plain: the
        // templates give them a count or not.
        for (key, entry) in &entries {
            if let (Some((english, _)), Some(pos)) = (english.get(key), own_positions.get(key)) {
                let rel = own.as_ref().expect("a position is in the site's file");
                match (english, entry) {
                    (Entry::Plural(_), Entry::Text(_)) => problems.push(
                        Diagnostic::error(Code::Translation, rel, *pos, format!("`{key}` counts something: it needs a text for each plural form"))
                            .with_help("write it as `one: ...` and `other: ...` under the key (and the other forms the language has)"),
                    ),
                    (Entry::Text(_), Entry::Plural(_)) => problems.push(
                        Diagnostic::error(Code::Translation, rel, *pos, format!("`{key}` is one text, not a text per plural form"))
                            .with_help("write it as `key: text`"),
                    ),
                    _ => {}
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let langid: unic_langid::LanguageIdentifier = code.parse().unwrap_or_default();
        let plurals = PluralRules::create(langid, PluralRuleType::CARDINAL)
            .or_else(|_| {
                PluralRules::create(
                    "en".parse::<unic_langid::LanguageIdentifier>().expect("`en` parses"),
                    PluralRuleType::CARDINAL,
                )
            })
            .expect("English has plural rules");
        let locale = locale_of(&code);
        let digest = digest.finish();
        let mut strings =
            Strings { language: language.to_string(), entries, origin, plurals, locale, digest, dates: HashMap::new() };
        strings.dates = DATE_KEYS
            .iter()
            .flat_map(|&key| [(key, true), (key, false)])
            .map(|(key, first)| ((key, first), strings.date_items(key, first)))
            .collect();
        Ok(strings)
    }

    /// A digest of what the strings were read from (see [`super::reuse`]).
    pub fn digest(&self) -> u128 {
        self.digest
    }

    /// The string `key` with `args` put in its `{name}` places; `count`
    /// picks the plural form of a counted string and is its `{count}`.
    pub fn get(&self, key: &str, count: Option<f64>, args: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
        let entry = self.entries.get(key).ok_or_else(|| {
            format!(
                "the interface string `{key}` is not in the translation for `{}` (add it to {I18N_DIR}/{}.yaml)",
                self.language,
                primary(&self.language)
            )
        })?;
        let text = match (entry, count) {
            (Entry::Text(text), _) => text,
            (Entry::Plural(forms), Some(n)) => {
                let category = self.plurals.select(n).unwrap_or(PluralCategory::OTHER);
                forms.get(category_name(category)).or_else(|| forms.get("other")).ok_or_else(|| {
                    format!("the interface string `{key}` has no `other` form ({})", self.origin_of(key))
                })?
            }
            (Entry::Plural(_), None) => {
                return Err(format!("the interface string `{key}` counts something: give it `count=`"));
            }
        };
        let count_text = count.map(|n| self.number(n));
        Ok(fill(text, |name| if name == "count" { count_text.clone() } else { args(name) }))
    }

    /// The string `key` as a template's `t(key="...")` (with `count=` when
    /// `count` is given) gives it: a string may name its own key.
    pub fn called(&self, key: &str, count: Option<f64>) -> Result<String, String> {
        self.get(key, count, &|name| (name == "key").then(|| key.to_string()))
    }

    /// A string that could not be used as the code asked ([`Strings::get`]'s
    /// message), as a problem with this language's strings.
    pub fn problem(&self, message: String) -> Diagnostic {
        let file = PathBuf::from(I18N_DIR).join(format!("{}.yaml", primary(&self.language)));
        Diagnostic::error(Code::Translation, file, Pos::WHOLE_FILE, message)
    }

    /// A plain string with no places to fill, for code that builds text.
    pub fn text(&self, key: &str) -> String {
        self.get(key, None, &|_| None).unwrap_or_else(|_| key.to_string())
    }

    fn origin_of(&self, key: &str) -> String {
        self.origin.get(key).map(|p| p.display().to_string()).unwrap_or_default()
    }

    /// `1234567` → `1,234,567` (English), `1 234 567` (French).
    pub fn number(&self, n: f64) -> String {
        // Beyond what a count can be (and what f64 holds exactly): as it is.
        if !n.is_finite() || n.abs() >= 1e15 {
            return n.to_string();
        }
        let separator = self.text("number.group");
        let hundredths = (n.abs() * 100.0).round() as u64;
        let (whole, fraction) = (hundredths / 100, hundredths % 100);
        let digits = whole.to_string();
        let mut out = String::new();
        if n < 0.0 && hundredths > 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&separator);
            }
            out.push(c);
        }
        if fraction > 0 {
            out.push_str(&self.text("number.decimal"));
            out.push_str(format!("{fraction:02}").trim_end_matches('0'));
        }
        out
    }

    /// A day as the `date.day` pattern writes it ("28 September 2023").
    pub fn day(&self, date: NaiveDate) -> String {
        self.format(date, "date.day")
    }

    /// A month ("September 2023").
    pub fn month(&self, date: NaiveDate) -> String {
        self.format(date, "date.month")
    }

    /// The week that starts on `date` ("week of 25 September 2023").
    pub fn week(&self, date: NaiveDate) -> String {
        let day = self.day(date);
        self.get("date.week", None, &|name| (name == "date").then(|| day.clone())).unwrap_or(day.clone())
    }

    /// The days from `start` to `end` as people write them: "27–31 March
    /// 2022", "30 March – 2 April 2022", "30 December 2022 – 2 January 2023".
    pub fn range(&self, start: NaiveDate, end: NaiveDate) -> String {
        use chrono::Datelike;
        let (first, last) = if start.year() != end.year() {
            (self.day(start), self.day(end))
        } else if start.month() != end.month() {
            (self.format(start, "date.day_and_month"), self.day(end))
        } else {
            (self.format(start, "date.day_only"), self.day(end))
        };
        let key = if start.year() == end.year() && start.month() == end.month() {
            "date.range_in_month"
        } else {
            "date.range"
        };
        self.get(key, None, &|name| match name {
            "start" => Some(first.clone()),
            "end" => Some(last.clone()),
            _ => None,
        })
        .unwrap_or_else(|_| format!("{first} – {last}"))
    }

    fn format(&self, date: NaiveDate, key: &'static str) -> String {
        use chrono::Datelike;
        let first = date.day() == 1;
        let made;
        let items = match self.dates.get(&(key, first)) {
            Some(items) => items.as_deref(),
            None => {
                made = self.date_items(key, first);
                made.as_deref()
            }
        };
        let Some(items) = items else { return date.to_string() };
        let mut out = String::new();
        match std::fmt::Write::write_fmt(
            &mut out,
            format_args!("{}", date.format_localized_with_items(items.iter(), self.locale)),
        ) {
            Ok(()) => out,
            Err(_) => date.to_string(),
        }
    }

    /// The date pattern `key` as chrono's items, for a day that is the
    /// `first` of its month or not; `None` if it has anything but date
    /// fields in it.
    fn date_items(&self, key: &str, first: bool) -> Option<Box<[chrono::format::Item<'static>]>> {
        let mut pattern = self.text(key);
        // The first of a month as the language writes it ("1er" in French).
        if first {
            pattern = with_day_written(&pattern, &self.text("date.first_day"));
        }
        // Patterns are checked when the file is read (date fields only);
        // whatever slips through gives the plain date, never a panic.
        let items: Box<[chrono::format::Item<'static>]> =
            chrono::format::StrftimeItems::new_with_locale(&pattern, self.locale).map(|item| item.to_owned()).collect();
        items.iter().all(is_date_item).then_some(items)
    }
}

/// `pattern` with each `%-d` (the day of the month) written as `day`,
/// escaped for chrono; a `%%` (a percent sign) is left as it is, so that
/// `%%-d` stays the text `%-d`.
fn with_day_written(pattern: &str, day: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + day.len());
    let mut rest = pattern;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let from = &rest[at..];
        let (taken, written) = if from.starts_with("%%") {
            (2, "%%".to_string())
        } else if from.starts_with("%-d") {
            (3, day.replace('%', "%%"))
        } else {
            (1, "%".to_string())
        };
        out.push_str(&written);
        rest = &from[taken..];
    }
    out.push_str(rest);
    out
}

fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    }
}

/// Month and day names for `language`: chrono's locale data (glibc's, from
/// CLDR), the language's main country's (`fr` → `fr_FR`); English names
/// for a language it does not have.
fn locale_of(language: &str) -> chrono::Locale {
    let main = format!("{language}_{}", language.to_ascii_uppercase());
    let guesses = [main.as_str(), if language == "en" { "en_GB" } else { "" }];
    guesses.iter().find_map(|tag| chrono::Locale::try_from(*tag).ok()).unwrap_or(chrono::Locale::POSIX)
}

/// A string shown in a message: quoted, and for a counted one its forms.
fn shown(entry: &Entry) -> String {
    match entry {
        Entry::Text(text) => format!("{text:?}"),
        Entry::Plural(forms) => forms.iter().map(|(k, v)| format!("{k}: {v:?}")).collect::<Vec<_>>().join(", "),
    }
}

/// `text` with each `{name}` replaced by `value(name)`; a place with no
/// value stays as written. Values are not looked into again.
fn fill(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        // A name is letters, digits and `_` up to a `}`; each character is
        // looked at once, so the work is linear in the text.
        let length = after.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
        let name = &after[..length];
        if length > 0 && after[length..].starts_with('}') {
            match value(name) {
                Some(v) => out.push_str(&v),
                None => out.push_str(&rest[open..open + length + 2]),
            }
            rest = &after[length + 1..];
        } else {
            out.push('{');
            out.push_str(name);
            rest = &after[length..];
        }
    }
    out.push_str(rest);
    out
}

/// Whether a piece of a date pattern writes part of a date (a day, a
/// month, a year, a weekday) or text: a time or a zone cannot be written
/// for a day, and would fail.
fn is_date_item(item: &chrono::format::Item) -> bool {
    use chrono::format::{Fixed, Item, Numeric};
    match item {
        Item::Literal(_) | Item::OwnedLiteral(_) | Item::Space(_) | Item::OwnedSpace(_) => true,
        Item::Numeric(kind, _) => matches!(
            kind,
            Numeric::Year
                | Numeric::YearDiv100
                | Numeric::YearMod100
                | Numeric::Month
                | Numeric::Day
                | Numeric::WeekdayFromMon
                | Numeric::NumDaysFromSun
                | Numeric::Ordinal
        ),
        Item::Fixed(kind) => {
            matches!(
                kind,
                Fixed::ShortMonthName | Fixed::LongMonthName | Fixed::ShortWeekdayName | Fixed::LongWeekdayName
            )
        }
        _ => false,
    }
}

/// Reads a translation file: nested mappings whose leaves are strings;
/// a mapping of plural categories only is one counted string. Keys are
/// the dotted paths (`facts.killed`).
fn parse(text: &str, file: &Path) -> Result<HashMap<String, (Entry, Pos)>, Vec<Diagnostic>> {
    let mapping = yaml::parse_mapping(text, 1).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| {
                let d = Diagnostic::error(Code::Translation, file, e.pos, e.message);
                match e.help {
                    Some(help) => d.with_help(help),
                    None => d,
                }
            })
            .collect::<Vec<_>>()
    })?;
    let mut entries = HashMap::new();
    let mut problems = Vec::new();
    for (key, value) in mapping.entries() {
        walk(key, value, &mapping, file, &mut entries, &mut problems);
    }
    if problems.is_empty() { Ok(entries) } else { Err(problems) }
}

fn walk(
    path: &str,
    value: &serde_yaml::Value,
    mapping: &yaml::Mapping,
    file: &Path,
    entries: &mut HashMap<String, (Entry, Pos)>,
    problems: &mut Vec<Diagnostic>,
) {
    let pos = mapping.key_pos(path);
    match value {
        serde_yaml::Value::String(text) => {
            if path.starts_with("date.") {
                let bad = chrono::format::StrftimeItems::new(text).any(|item| !is_date_item(&item));
                if bad {
                    problems.push(
                        Diagnostic::error(
                            Code::Translation,
                            file,
                            mapping.value_pos(path),
                            format!("`{path}` is not a date pattern: {text:?}"),
                        )
                        .with_help(
                            "write it with strftime's fields: `%-d` the day, `%B` the month's name, `%Y` the year",
                        ),
                    );
                }
            }
            entries.insert(path.to_string(), (Entry::Text(text.clone()), pos));
        }
        serde_yaml::Value::Number(n) => {
            entries.insert(path.to_string(), (Entry::Text(n.to_string()), pos));
        }
        serde_yaml::Value::Mapping(map) => {
            let keys: Vec<Option<&str>> = map.keys().map(|k| k.as_str()).collect();
            let plural = !keys.is_empty() && keys.iter().all(|k| k.is_some_and(|k| CATEGORIES.contains(&k)));
            if plural {
                let mut forms = BTreeMap::new();
                for (k, v) in map {
                    let k = k.as_str().expect("checked above");
                    match v.as_str() {
                        Some(text) => {
                            forms.insert(k.to_string(), text.to_string());
                        }
                        None => problems.push(not_text(
                            file,
                            mapping.value_pos(&format!("{path}.{k}")),
                            &format!("{path}.{k}"),
                        )),
                    }
                }
                if !forms.contains_key("other") {
                    problems.push(
                        Diagnostic::error(Code::Translation, file, pos, format!("`{path}` has no `other` form"))
                            .with_help(
                                "every counted string needs `other:`, the form for any number the others do not take",
                            ),
                    );
                }
                entries.insert(path.to_string(), (Entry::Plural(forms), pos));
            } else {
                for (k, v) in map {
                    match k.as_str() {
                        Some(k) => walk(&format!("{path}.{k}"), v, mapping, file, entries, problems),
                        None => problems.push(not_text(file, pos, path)),
                    }
                }
            }
        }
        _ => problems.push(not_text(file, mapping.value_pos(path), path)),
    }
}

fn not_text(file: &Path, pos: Pos, path: &str) -> Diagnostic {
    Diagnostic::error(Code::Translation, file, pos, format!("`{path}` must be text"))
        .with_help("each string is `key: text`, or keys grouped under a heading")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(language: &str) -> Strings {
        Strings::load(Path::new("/nonexistent"), language).unwrap()
    }

    #[test]
    fn every_built_in_translation_has_every_english_string_in_the_same_shape() {
        let english = parse(BUILT_IN[0].1, Path::new("en")).unwrap();
        for (language, text) in BUILT_IN {
            let theirs = parse(text, Path::new(language)).unwrap();
            for (key, (entry, _)) in &english {
                let their = theirs.get(key).map(|(e, _)| e);
                assert!(their.is_some(), "{language} has no `{key}`");
                assert_eq!(
                    matches!(entry, Entry::Plural(_)),
                    matches!(their, Some(Entry::Plural(_))),
                    "{language}: `{key}` is counted in one and not the other"
                );
            }
            let extra: Vec<&String> = theirs.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(extra.is_empty(), "{language} has strings English does not: {extra:?}");
        }
    }

    #[test]
    fn counts_take_each_languages_plural_forms_and_separators() {
        let en = load("en");
        let fr = load("fr");
        assert_eq!(en.number(1234567.0), "1,234,567");
        assert_eq!(fr.number(1234567.0), "1\u{202f}234\u{202f}567");
        assert_eq!(en.get("count.incidents", Some(1.0), &|_| None).unwrap(), "1 incident");
        assert_eq!(en.get("count.incidents", Some(0.0), &|_| None).unwrap(), "0 incidents");
        // French counts 0 and 1 alike (CLDR: `one` is 0 and 1).
        assert_eq!(fr.get("count.incidents", Some(0.0), &|_| None).unwrap(), "0 incident");
        assert_eq!(fr.get("count.incidents", Some(1234.0), &|_| None).unwrap(), "1\u{202f}234 incidents");
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let en = load("en");
        let fr = load("fr");
        assert_eq!(en.day(d("2023-09-28")), "28 September 2023");
        assert_eq!(fr.day(d("2023-09-28")), "28 septembre 2023");
        assert_eq!(fr.week(d("2022-03-27")), "semaine du 27 mars 2022");
        assert_eq!(en.range(d("2022-03-27"), d("2022-03-31")), "27–31 March 2022");
        assert_eq!(fr.range(d("2022-03-30"), d("2022-04-02")), "30 mars – 2 avril 2022");
        assert_eq!(fr.range(d("2022-12-30"), d("2023-01-02")), "30 décembre 2022 – 2 janvier 2023");
        assert_eq!(fr.month(d("2023-02-01")), "février 2023");
        assert_eq!(fr.day(d("2023-10-01")), "1er octobre 2023");
        assert_eq!(fr.range(d("2022-03-01"), d("2022-03-03")), "1er–3 mars 2022");
        assert_eq!(en.day(d("2023-10-01")), "1 October 2023");
    }

    #[test]
    fn a_percent_sign_written_before_the_day_stays_text_on_the_first_of_a_month() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir(site.path().join(I18N_DIR)).unwrap();
        std::fs::write(site.path().join(I18N_DIR).join("fr.yaml"), "date:\n  day: \"%%-d: %-d %B %Y\"\n").unwrap();
        let fr = Strings::load(site.path(), "fr").unwrap();
        assert_eq!(fr.day(d("2023-10-01")), "%-d: 1er octobre 2023");
        assert_eq!(fr.day(d("2023-10-02")), "%-d: 2 octobre 2023");
        assert_eq!(with_day_written("%%%-d %%-d %-d%%", "1%"), "%%1%% %%-d 1%%%%");
    }

    #[test]
    fn places_are_filled_once_and_unknown_ones_stay() {
        let value = |name: &str| match name {
            "a" => Some("{b}".to_string()),
            "b" => Some("B".to_string()),
            _ => None,
        };
        assert_eq!(fill("x {a} {b} {c} {} {", value), "x {b} B {c} {} {");
        assert_eq!(fill("{{b}} {b{b} {é}", value), "{B} {bB {é}");
        // Linear: a long run of braces is one pass.
        let braces = "{".repeat(200_000);
        assert_eq!(fill(&braces, value), braces);
    }

    #[test]
    fn numbers_round_to_two_decimals_and_odd_ones_are_written_as_they_are() {
        let fr = load("fr");
        assert_eq!(fr.number(2.5), "2,5");
        assert_eq!(fr.number(0.999), "1");
        assert_eq!(fr.number(2.996), "3");
        assert_eq!(fr.number(-1234.5), "-1\u{202f}234,5");
        assert_eq!(fr.number(f64::INFINITY), "inf");
        assert_eq!(fr.number(1e20), "100000000000000000000");
    }
}
