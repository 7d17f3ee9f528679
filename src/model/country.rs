//! Model stage: countries, found by the names editors write: ISO 3166-1
//! codes and names, the Unicode CLDR's English and French names (with
//! their variants: "Syria", "Ivory Coast", "Czech Republic", "Tchad"),
//! the names ACLED's exports use and the abbreviations newsrooms use
//! ("DRC", "CAR"), and Kosovo (`XK`, the code the UN, ACLED and UCDP use).
//! Each country is shown by one name, CLDR's English one.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use serde::Serialize;

use crate::suggest;

/// A country. `slug` (the lowercase alpha-2 code) names its index page, so
/// URLs survive changes to the English name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Country {
    pub code: &'static str,
    pub alpha3: &'static str,
    /// ISO 3166-1 numeric code; Kosovo has none.
    pub numeric: Option<u16>,
    /// CLDR's English name ("Syria", "Côte d’Ivoire").
    pub name: &'static str,
    pub slug: &'static str,
}

/// Kosovo is not in ISO 3166-1; `XK` and `XKX` are the codes the UN, the
/// European Union, ACLED and UCDP use for it.
const KOSOVO: (&str, &str) = ("XK", "XKX");

/// Names that no maintained list gives but that editors write: the names
/// ACLED's exports use where they differ from ISO's and CLDR's, and
/// newsroom abbreviations. (Facts of usage, each checked by the tests.)
const OTHER_NAMES: &[(&str, &str)] = &[
    ("Democratic Republic of Congo", "CD"),
    ("DR Congo", "CD"),
    ("DRC", "CD"),
    ("Republic of Congo", "CG"),
    ("Republic of the Congo", "CG"),
    ("Congo-Brazzaville", "CG"),
    ("CAR", "CF"),
    ("UAE", "AE"),
    ("USA", "US"),
    ("Burma", "MM"),
    // French newsrooms' abbreviations.
    ("RDC", "CD"),
    ("RCA", "CF"),
];

/// What a name or code turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    One(Country),
    /// Several countries go by this name ("Congo").
    Ambiguous(Vec<Country>),
    None,
}

/// Finds a country by alpha-2 or alpha-3 code or by any of its names, in
/// any case, with or without accents, apostrophes or a leading "the".
pub fn find(input: &str) -> Found {
    let trimmed = input.trim();
    let upper = trimmed.to_uppercase();
    let by_code = match trimmed.len() {
        2 => known_by_alpha2(&upper),
        3 => known().iter().find(|k| k.alpha3 == upper),
        _ => None,
    };
    if let Some(found) = by_code {
        return Found::One(found.country());
    }
    match names().get(&normalize(trimmed)).map(Vec::as_slice) {
        Some([code]) => Found::One(by_alpha2(code).expect("indexed codes are known")),
        Some(codes) if !codes.is_empty() => Found::Ambiguous(codes.iter().filter_map(|code| by_alpha2(code)).collect()),
        _ => Found::None,
    }
}

/// A site's own names for countries (`country_aliases:` in `site.yaml`),
/// looked up before every other name.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    names: HashMap<String, Country>,
    /// The site's language: what the countries found are shown by.
    language: String,
}

impl Aliases {
    /// The aliases of `config`, and an error for each whose country is
    /// unknown or ambiguous (at its line in `site.yaml`).
    pub fn from_config(config: &crate::load::SiteConfig) -> (Aliases, Vec<crate::diagnostics::Diagnostic>) {
        use crate::diagnostics::{Code, Diagnostic, Pos};
        let mut aliases = HashMap::new();
        let mut problems = Vec::new();
        for (name, target) in &config.country_aliases {
            let pos = config.country_alias_positions.get(name).copied().unwrap_or(Pos::WHOLE_FILE);
            let problem = |message: String, help: String| {
                Diagnostic::error(Code::UnknownCountry, crate::load::config::CONFIG_FILE, pos, message).with_help(help)
            };
            match find(target) {
                Found::One(country) => {
                    aliases.insert(normalize(name), country);
                }
                Found::Ambiguous(countries) => problems.push(problem(
                    format!("`country_aliases.{name}`: `{target}` is the name of more than one country"),
                    ambiguous_help(&countries),
                )),
                Found::None => problems.push(problem(
                    format!("`country_aliases.{name}`: unknown country `{target}`"),
                    unknown_help(target),
                )),
            }
        }
        (Aliases { names: aliases, language: config.language.clone() }, problems)
    }

    /// Finds a country by the site's own names, then by every other.
    /// Countries found are named in the site's language.
    pub fn find(&self, input: &str) -> Found {
        let found = match self.names.get(&normalize(input)) {
            Some(country) => Found::One(country.clone()),
            None => find(input),
        };
        match found {
            Found::One(country) => Found::One(country.in_language(&self.language)),
            Found::Ambiguous(countries) => {
                Found::Ambiguous(countries.into_iter().map(|c| c.in_language(&self.language)).collect())
            }
            Found::None => Found::None,
        }
    }
}

/// The country `input` names, if exactly one.
pub fn lookup(input: &str) -> Option<Country> {
    match find(input) {
        Found::One(country) => Some(country),
        _ => None,
    }
}

/// CLDR's name of the country `code` in `language` (`fr`: "Tchad"), for
/// the languages whose names sitrep carries (English and French).
pub fn name_in(code: &str, language: &str) -> Option<&'static str> {
    let known = known_by_alpha2(code)?;
    let primary = language.split(['-', '_']).next().unwrap_or_default();
    let names = if primary.eq_ignore_ascii_case("en") {
        &known.english
    } else if primary.eq_ignore_ascii_case("fr") {
        &known.french
    } else {
        return None;
    };
    names.first().copied()
}

/// The name a country is sorted by: without accents or case ("Égypte"
/// between "Éthiopie"'s neighbours, not after "Zimbabwe").
pub fn sort_key(name: &str) -> String {
    normalize(name)
}

impl Country {
    /// The country shown by its name in `language`, where sitrep has one.
    pub fn in_language(mut self, language: &str) -> Country {
        if let Some(name) = name_in(self.code, language) {
            self.name = name;
        }
        self
    }
}

/// The country with this alpha-2 code.
pub fn by_alpha2(code: &str) -> Option<Country> {
    known_by_alpha2(code).map(Known::country)
}

/// The country with this alpha-2 code, in any case: looked up for every
/// brief in every list and download, so by a table made once rather than
/// by reading through the 250 countries.
fn known_by_alpha2(code: &str) -> Option<&'static Known> {
    static BY_CODE: OnceLock<crate::FastMap<&'static str, &'static Known>> = OnceLock::new();
    let by_code = BY_CODE.get_or_init(|| known().iter().map(|k| (k.code, k)).collect());
    by_code.get(code).or_else(|| by_code.get(code.to_ascii_uppercase().as_str())).copied()
}

/// One country sitrep knows, with its ISO name and CLDR names.
struct Known {
    code: &'static str,
    alpha3: &'static str,
    numeric: Option<u16>,
    iso_name: Option<&'static str>,
    /// CLDR's English names, the shown one first.
    english: Vec<&'static str>,
    french: Vec<&'static str>,
    /// The lowercase code, made once: every brief's country holds it.
    slug: String,
}

impl Known {
    fn country(&'static self) -> Country {
        let name = self.english.first().copied().or(self.iso_name).unwrap_or(self.code);
        Country { code: self.code, alpha3: self.alpha3, numeric: self.numeric, name, slug: &self.slug }
    }

    /// Every name it may be written by.
    fn names(&self) -> impl Iterator<Item = String> + '_ {
        let iso = self.iso_name.into_iter().flat_map(|name| {
            // "Congo (Democratic Republic of the)" also as written in a
            // sentence: "Democratic Republic of the Congo".
            let inverted = name
                .strip_suffix(')')
                .and_then(|n| n.split_once(" ("))
                .filter(|(_, tail)| tail.ends_with(" of") || tail.ends_with(" of the"))
                .map(|(head, tail)| format!("{tail} {head}"));
            [name.to_string(), short(name).to_string()].into_iter().chain(inverted)
        });
        let cldr = self.english.iter().chain(&self.french).flat_map(|name| [name.to_string(), short(name).to_string()]);
        let other = OTHER_NAMES.iter().filter(|(_, code)| *code == self.code).map(|(name, _)| name.to_string());
        iso.chain(cldr).chain(other)
    }
}

/// A name without what distinguishes it from a namesake: "Congo -
/// Kinshasa" and "Myanmar (Burma)" are also "Congo" and "Myanmar".
fn short(name: &str) -> &str {
    let name = name.split(" (").next().unwrap_or(name);
    name.split(" - ").next().unwrap_or(name)
}

/// How names compare: case, accents, apostrophes, punctuation, `&` for
/// "and" and a leading "the" do not matter.
fn normalize(name: &str) -> String {
    let name: String =
        name.replace('&', " and ").chars().map(|c| if matches!(c, '\'' | '’' | 'ʼ' | '‘') { ' ' } else { c }).collect();
    let slug = slug::slugify(name);
    slug.strip_prefix("the-").map(str::to_string).unwrap_or(slug)
}

/// The countries: ISO 3166-1's and Kosovo, with CLDR's names.
fn known() -> &'static [Known] {
    static KNOWN: OnceLock<Vec<Known>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let cldr = cldr();
        let names_of = |lang: &str, code: &str| -> Vec<&'static str> {
            cldr.get(lang)
                .and_then(|names| names.get(code))
                .map(|n| n.iter().map(String::as_str).collect())
                .unwrap_or_default()
        };
        let mut known: Vec<Known> = rust_iso3166::ALL
            .iter()
            .map(|c| Known {
                code: c.alpha2,
                alpha3: c.alpha3,
                numeric: Some(c.numeric),
                iso_name: Some(c.name),
                english: names_of("en", c.alpha2),
                french: names_of("fr", c.alpha2),
                slug: c.alpha2.to_lowercase(),
            })
            .collect();
        known.push(Known {
            code: KOSOVO.0,
            alpha3: KOSOVO.1,
            numeric: None,
            iso_name: None,
            english: names_of("en", KOSOVO.0),
            french: names_of("fr", KOSOVO.0),
            slug: KOSOVO.0.to_lowercase(),
        });
        known
    })
}

/// CLDR's territory names: language → code → names (see `cldr/README.md`).
fn cldr() -> &'static HashMap<String, HashMap<String, Vec<String>>> {
    static CLDR: OnceLock<HashMap<String, HashMap<String, Vec<String>>>> = OnceLock::new();
    CLDR.get_or_init(|| serde_json::from_str(include_str!("cldr/territories.json")).expect("the CLDR data parses"))
}

/// Normalized name → the codes of the countries that go by it.
fn names() -> &'static HashMap<String, Vec<&'static str>> {
    static NAMES: OnceLock<HashMap<String, Vec<&'static str>>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut index: HashMap<String, BTreeSet<&'static str>> = HashMap::new();
        for k in known() {
            for name in k.names() {
                let key = normalize(&name);
                if !key.is_empty() {
                    index.entry(key).or_default().insert(k.code);
                }
            }
        }
        index.into_iter().map(|(name, codes)| (name, codes.into_iter().collect())).collect()
    })
}

/// Finds a first-level region of `country` by ISO 3166-2 name or code, in
/// any case and with or without accents (`Tillaberi`, `NE-6`). `Ok(None)`
/// when the ISO table lists no subdivisions for the country; `Err` carries
/// a hint naming the nearest regions.
pub fn subdivision(country: &Country, input: &str) -> Result<Option<&'static str>, String> {
    let Some(all) = rust_iso3166::iso3166_2::SUBDIVISION_COUNTRY_MAP.get(country.code).copied() else {
        return Ok(None);
    };
    let wanted = slug::slugify(input);
    if let Some(found) =
        all.iter().find(|s| slug::slugify(s.name) == wanted || s.code.eq_ignore_ascii_case(input.trim()))
    {
        return Ok(Some(found.code));
    }
    let hint = suggest::did_you_mean(input, all.iter().map(|s| s.name));
    Err(hint.unwrap_or_else(|| format!("use a region name from ISO 3166-2:{}, or leave `admin1` out", country.code)))
}

/// Help for an unknown country: the nearest names, or how to write one.
pub fn unknown_help(input: &str) -> String {
    let shown = known().iter().filter_map(|k| k.english.first().copied());
    suggest::did_you_mean(input, shown)
        .unwrap_or_else(|| "use the country's name, or the ISO 3166 alpha-2 or alpha-3 code (NE, NER)".into())
}

/// Help for a name several countries go by: which, and how to choose.
pub fn ambiguous_help(countries: &[Country]) -> String {
    let listed: Vec<String> = countries.iter().map(|c| format!("{} ({})", c.name, c.code)).collect();
    format!("it could be {}; write the code or the full name", listed.join(" or "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Country names as editors write them, and the code each must be.
    const AS_WRITTEN: &[(&str, &str)] = &[
        // Refused before issue 13.
        ("Syria", "SY"),
        ("Russia", "RU"),
        ("DR Congo", "CD"),
        ("DRC", "CD"),
        ("Democratic Republic of the Congo", "CD"),
        ("Ivory Coast", "CI"),
        ("United States", "US"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("Vietnam", "VN"),
        ("South Korea", "KR"),
        ("North Korea", "KP"),
        ("Laos", "LA"),
        ("Czech Republic", "CZ"),
        ("Cape Verde", "CV"),
        ("The Gambia", "GM"),
        ("Brunei", "BN"),
        ("East Timor", "TL"),
        ("Republic of the Congo", "CG"),
        ("Kosovo", "XK"),
        ("CAR", "CF"),
        // ACLED's names.
        ("Democratic Republic of Congo", "CD"),
        ("Republic of Congo", "CG"),
        ("eSwatini", "SZ"),
        ("Palestine", "PS"),
        ("Czech Republic", "CZ"),
        ("Turkey", "TR"),
        ("Myanmar", "MM"),
        ("Iran", "IR"),
        ("Bolivia", "BO"),
        ("Venezuela", "VE"),
        ("Tanzania", "TZ"),
        ("Moldova", "MD"),
        ("Micronesia", "FM"),
        ("North Macedonia", "MK"),
        ("Vatican City", "VA"),
        ("Sao Tome and Principe", "ST"),
        // Apostrophes, accents, ampersands, case.
        ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("COTE D IVOIRE", "CI"),
        ("São Tomé & Príncipe", "ST"),
        ("Türkiye", "TR"),
        ("Czechia", "CZ"),
        ("Timor-Leste", "TL"),
        ("Viet Nam", "VN"),
        ("Swaziland", "SZ"),
        ("Cabo Verde", "CV"),
        ("Gambia", "GM"),
        ("Burma", "MM"),
        ("USA", "US"),
        ("UAE", "AE"),
        // The Sahel and West Africa, in English and French.
        ("Niger", "NE"),
        ("Mali", "ML"),
        ("Burkina Faso", "BF"),
        ("Chad", "TD"),
        ("Tchad", "TD"),
        ("Mauritania", "MR"),
        ("Mauritanie", "MR"),
        ("Senegal", "SN"),
        ("Sénégal", "SN"),
        ("Guinea", "GN"),
        ("Guinée", "GN"),
        ("Guinea-Bissau", "GW"),
        ("Guinée-Bissau", "GW"),
        ("Gambie", "GM"),
        ("Ghana", "GH"),
        ("Togo", "TG"),
        ("Benin", "BJ"),
        ("Bénin", "BJ"),
        ("Nigeria", "NG"),
        ("Nigéria", "NG"),
        ("Cameroon", "CM"),
        ("Cameroun", "CM"),
        ("Sierra Leone", "SL"),
        ("Liberia", "LR"),
        ("Libéria", "LR"),
        ("Cap-Vert", "CV"),
        ("Algeria", "DZ"),
        ("Algérie", "DZ"),
        ("Libya", "LY"),
        ("Libye", "LY"),
        ("Sudan", "SD"),
        ("Soudan", "SD"),
        ("South Sudan", "SS"),
        ("Soudan du Sud", "SS"),
        ("République centrafricaine", "CF"),
        ("RCA", "CF"),
        ("RDC", "CD"),
        ("Congo-Kinshasa", "CD"),
        ("Congo (RDC)", "CD"),
        ("Congo-Brazzaville", "CG"),
        // Codes.
        ("NE", "NE"),
        ("NER", "NE"),
        ("ml", "ML"),
        ("mli", "ML"),
        ("XK", "XK"),
        ("XKX", "XK"),
        ("GBR", "GB"),
    ];

    #[test]
    fn finds_the_names_editors_write() {
        assert!(AS_WRITTEN.len() >= 60);
        let wrong: Vec<String> = AS_WRITTEN
            .iter()
            .filter_map(|(name, code)| match find(name) {
                Found::One(c) if c.code == *code => None,
                other => Some(format!("{name}: {other:?}, expected {code}")),
            })
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn congo_alone_is_ambiguous_and_names_are_cldr_s() {
        match find("Congo") {
            Found::Ambiguous(both) => {
                assert_eq!(both.iter().map(|c| c.code).collect::<Vec<_>>(), ["CD", "CG"]);
                assert!(ambiguous_help(&both).contains("Congo - Kinshasa (CD) or Congo - Brazzaville (CG)"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(lookup("Syrian Arab Republic").map(|c| c.name), Some("Syria"));
        assert_eq!(lookup("Syria").map(|c| c.code), lookup("Syrian Arab Republic").map(|c| c.code));
        let kosovo = lookup("Kosovo").unwrap();
        assert_eq!((kosovo.alpha3, kosovo.numeric, kosovo.slug), ("XKX", None, "xk"));
        assert_eq!(find("Atlantis"), Found::None);
    }

    #[test]
    fn finds_by_code_and_name_in_any_case() {
        for input in ["NE", "ne", "NER", "ner", "Niger", "NIGER", " niger "] {
            assert_eq!(lookup(input).map(|c| c.code), Some("NE"), "{input}");
        }
        assert_eq!(lookup("Cote d'Ivoire").map(|c| c.code), Some("CI"));
        assert_eq!(lookup("Bolivia").map(|c| c.code), Some("BO"));
        assert_eq!(lookup("Nigerr"), None);
    }

    #[test]
    fn finds_regions_by_name_without_accents_or_by_code() {
        let niger = lookup("NE").unwrap();
        assert_eq!(subdivision(&niger, "Tillabéri"), Ok(Some("NE-6")));
        assert_eq!(subdivision(&niger, "tillaberi"), Ok(Some("NE-6")));
        assert_eq!(subdivision(&niger, "ne-5"), Ok(Some("NE-5")));
        assert!(subdivision(&niger, "Tilaberi").unwrap_err().contains("`Tillabéri`"));
    }

    #[test]
    fn suggests_near_names() {
        assert!(unknown_help("Nigerr").contains("`Niger`"));
        assert!(unknown_help("Atlantis").contains("alpha-2"));
    }
}
