//! Model stage: countries as ISO 3166-1 entries, found by name or code.

use serde::Serialize;

use crate::suggest;

/// A country as ISO 3166-1 defines it. `slug` (the lowercase alpha-2 code)
/// names its index page, so URLs survive changes to the English name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Country {
    pub code: &'static str,
    pub alpha3: &'static str,
    pub numeric: u16,
    pub name: &'static str,
    pub slug: String,
}

impl Country {
    fn from_iso(c: &rust_iso3166::CountryCode) -> Country {
        Country { code: c.alpha2, alpha3: c.alpha3, numeric: c.numeric, name: c.name, slug: c.alpha2.to_lowercase() }
    }
}

/// Finds a country by alpha-2 code, alpha-3 code or English name, in any
/// case and with or without accents. A name's parenthesised part may be
/// left out where that leaves it unique (`Bolivia`, `Iran`).
pub fn lookup(input: &str) -> Option<Country> {
    let trimmed = input.trim();
    let upper = trimmed.to_uppercase();
    let by_code = match trimmed.len() {
        2 => rust_iso3166::from_alpha2(&upper),
        3 => rust_iso3166::from_alpha3(&upper),
        _ => None,
    };
    if let Some(found) = by_code {
        return Some(Country::from_iso(&found));
    }
    let wanted = slug::slugify(trimmed);
    if wanted.is_empty() {
        return None;
    }
    if let Some(found) = rust_iso3166::ALL.iter().find(|c| slug::slugify(c.name) == wanted) {
        return Some(Country::from_iso(found));
    }
    let mut short = rust_iso3166::ALL.iter().filter(|c| slug::slugify(short_name(c.name)) == wanted);
    match (short.next(), short.next()) {
        (Some(only), None) => Some(Country::from_iso(only)),
        _ => None,
    }
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
    suggest::did_you_mean(input, rust_iso3166::ALL.iter().map(|c| c.name))
        .unwrap_or_else(|| "use the English name, or the ISO 3166 alpha-2 or alpha-3 code (NE, NER)".into())
}

fn short_name(name: &str) -> &str {
    name.split(" (").next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

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
