//! Model stage: the copies of a multilingual site, one per language.
//!
//! The site as assembled is its default language's edition, at the root.
//! Every other language gets a copy of it ([`Site::edition`]) with the same
//! briefs in the same order and the same figures, where translated texts
//! replace the originals' and country and group names are in that
//! language. A brief or page with no translation keeps its original words,
//! marked with their language (`text_language`): the edition lists it and
//! links to the original's page rather than having one of its own.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::sync::Arc;

use super::translation::{Translation, Translations};
use super::{Brief, CountryIndex, GroupIndex, Page, Site, country};
use crate::urls::{self, Address};

/// The folder a language's edition is in, under the site's root (`fr`).
pub fn folder(language: &str) -> String {
    language.to_ascii_lowercase()
}

/// Which language's copy of the site a [`Site`] is, and what the other
/// copies have.
#[derive(Debug, Clone, Default)]
pub struct Edition {
    /// Every language of the site, the default first.
    pub languages: Vec<String>,
    /// This copy's language, as a position in `languages` (0, the default,
    /// is at the root).
    pub index: usize,
    pub translations: Arc<Translations>,
    /// On a multilingual site, every brief's and plain page's address
    /// (`briefs/x/`) with the languages it has a page in, the default
    /// first. Any other page is in every language.
    texts: Arc<HashMap<String, Vec<String>>>,
}

impl Edition {
    /// The default edition of `site`, with the site's translations.
    pub fn of(site: &Site, translations: Translations) -> Edition {
        let languages = site.config.all_languages();
        let mut texts = HashMap::new();
        if languages.len() > 1 {
            let in_languages = |original: &str| {
                let mut found = vec![languages[0].clone()];
                for language in &languages[1..] {
                    if translations.get(language).is_some_and(|t| t.contains_key(original)) {
                        found.push(language.clone());
                    }
                }
                found
            };
            for b in &site.briefs {
                texts.insert(urls::brief(&b.slug).as_str().to_string(), in_languages(&b.source_path));
            }
            for p in &site.pages {
                texts.insert(urls::plain_page(&p.path).as_str().to_string(), in_languages(&p.source_path));
            }
        }
        Edition { languages, index: 0, translations: Arc::new(translations), texts: Arc::new(texts) }
    }

    /// This copy's language.
    pub fn language(&self) -> &str {
        self.languages.get(self.index).map(String::as_str).unwrap_or("en")
    }

    /// Whether the same pages are in the same languages in both (what
    /// links in translated texts go to depends on it).
    pub fn has_same_texts(&self, other: &Edition) -> bool {
        Arc::ptr_eq(&self.texts, &other.texts) || self.texts == other.texts
    }

    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// What this copy's addresses have before them under the site's base
    /// (`fr/`), or nothing for the default language.
    pub fn prefix(&self) -> String {
        prefix(&self.languages, self.index)
    }

    /// The prefix of the `i`th language's copy.
    pub fn prefix_of(&self, i: usize) -> String {
        prefix(&self.languages, i)
    }

    /// The languages (as positions in `languages`) the page at `address`
    /// is in.
    pub fn languages_of(&self, address: &Address) -> Vec<usize> {
        match self.texts.get(address.as_str()) {
            Some(found) => {
                self.languages.iter().enumerate().filter(|(_, l)| found.contains(l)).map(|(i, _)| i).collect()
            }
            None => (0..self.languages.len()).collect(),
        }
    }

    /// The base of the default language's copy, from this copy's `base`
    /// (a base path or an absolute base, ending in `/`).
    pub fn root_base<'a>(&self, base: &'a str) -> &'a str {
        base.strip_suffix(self.prefix().as_str()).unwrap_or(base)
    }

    /// The base a text in `text_language` (`None`: this copy's) is linked
    /// under: an untranslated brief or page is the original's.
    pub fn base_for<'a>(&self, text_language: Option<&str>, base: &'a str) -> &'a str {
        if text_language.is_some() { self.root_base(base) } else { base }
    }
}

fn prefix(languages: &[String], i: usize) -> String {
    if i == 0 { String::new() } else { format!("{}/", folder(&languages[i])) }
}

impl Site {
    /// The copy of the default edition in its `i`th language (`i` > 0).
    /// `previous` is the copy made before (a preview's last rebuild), whose
    /// briefs are reused where their original and translation are the same.
    pub fn edition(&self, i: usize, previous: Option<&Site>) -> Site {
        let language = self.edition.languages[i].clone();
        let original = self.config.language.clone();
        // Shared by every untranslated brief's copy.
        let original_language: Arc<str> = Arc::from(original.as_str());
        let empty = Default::default();
        let translations = self.edition.translations.get(&language).unwrap_or(&empty);
        let translated = |path: &str| translations.get(path).map(Arc::as_ref);
        let mut config = self.config.clone();
        config.base_url =
            format!("{}/{}", self.config.base_url.trim_end_matches('/'), prefix(&self.edition.languages, i));
        config.language = language.clone();
        let words = self.config.translations.iter().find(|(l, _)| l.eq_ignore_ascii_case(&language)).map(|(_, w)| w);
        if let Some(words) = words {
            config.title = words.title.clone().unwrap_or(config.title);
            config.description = words.description.clone().unwrap_or(config.description);
        }

        // The copies made before (links in a translated text go to the
        // pages translated too, so only while the same pages are).
        let previous =
            previous.filter(|site| site.config.language == language && site.edition.has_same_texts(&self.edition));
        let earlier_briefs = previous.map_or(&[][..], |site| &site.briefs[..]);
        // With the same translations, a copy made from the same original
        // was made from the same translation too.
        let same_translations =
            previous.is_some_and(|site| Arc::ptr_eq(&site.edition.translations, &self.edition.translations));
        // Those copies by the original they were made from, for a brief not
        // at its earlier place (a preview's edit leaves every other brief
        // where it was): made only then.
        let by_original: OnceCell<HashMap<*const Brief, &super::ResolvedBrief>> = OnceCell::new();
        let earlier_copy = |i: usize, b: &super::ResolvedBrief| {
            let made_from_b = |earlier: &&super::ResolvedBrief| {
                earlier.made_from.as_ref().is_some_and(|(from, _)| Arc::ptr_eq(from, &b.brief))
            };
            earlier_briefs.get(i).filter(made_from_b).or_else(|| {
                let by_original = by_original.get_or_init(|| {
                    earlier_briefs
                        .iter()
                        .filter_map(|e| e.made_from.as_ref().map(|(from, _)| (Arc::as_ptr(from), e)))
                        .collect()
                });
                by_original.get(&Arc::as_ptr(&b.brief)).copied()
            })
        };
        let briefs = self
            .briefs
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let translation = || translations.get(&b.source_path);
                let same = |earlier: &&super::ResolvedBrief| {
                    (same_translations
                        || earlier.made_from.as_ref().is_some_and(|(_, t)| match (t, translation()) {
                            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                            (None, None) => true,
                            _ => false,
                        }))
                        && (Arc::ptr_eq(&earlier.groups, &b.groups) || earlier.groups == b.groups)
                        && earlier.published_extra == b.published_extra
                };
                if let Some(earlier) = earlier_copy(i, b).filter(same) {
                    return earlier.clone();
                }
                let translation = translation();
                let mut resolved = b.clone();
                resolved.made_from = Some((b.brief.clone(), translation.cloned()));
                let country = b.country.clone().in_language(&language);
                match translation {
                    Some(t) => {
                        resolved.brief = Arc::new(Brief {
                            title: t.title.clone().unwrap_or_else(|| b.title.clone()),
                            summary: t.summary.clone(),
                            location: t.location.clone().or_else(|| b.location.clone()),
                            body: t.body.clone(),
                            body_line: t.body_line,
                            body_links: t.body_links.clone(),
                            source_path: t.source_path.clone(),
                            country,
                            ..Brief::clone(&b.brief)
                        });
                    }
                    None => {
                        // Its page is the original's: this copy, which lists
                        // show, is the original brief with its country
                        // named in this language.
                        resolved.country_in_language = Some(country.name);
                        resolved.text_language = Some(original_language.clone());
                    }
                }
                resolved
            })
            .collect();

        let mut countries: Vec<CountryIndex> = self
            .countries
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.country = c.country.clone().in_language(&language);
                if let Some(profile) = &mut c.profile {
                    profile.country = profile.country.clone().in_language(&language);
                    match translated(&profile.source_path) {
                        Some(t) => {
                            profile.title = t.title.clone().or(profile.title.take());
                            profile.summary = t.summary.clone();
                            take_text(&mut profile.body, &mut profile.body_line, &mut profile.source_path, t);
                        }
                        None => c.text_language = Some(original.clone()),
                    }
                }
                c
            })
            .collect();
        countries.sort_by_cached_key(|c| country::sort_key(c.country.name));

        let mut groups: Vec<GroupIndex> = self
            .groups
            .iter()
            .map(|g| {
                let mut g = g.clone();
                g.group.active_in = g.group.active_in.iter().map(|c| c.clone().in_language(&language)).collect();
                match g.group.source_path.as_deref().and_then(translated) {
                    Some(t) => {
                        let group = &mut g.group;
                        group.name = t.title.clone().unwrap_or_else(|| group.name.clone());
                        group.full_name = t.full_name.clone().or(group.full_name.take());
                        let mut source = group.source_path.clone().unwrap_or_default();
                        take_text(&mut group.body, &mut group.body_line, &mut source, t);
                        group.source_path = Some(source);
                    }
                    None if !g.group.body.trim().is_empty() => g.text_language = Some(original.clone()),
                    None => {}
                }
                g
            })
            .collect();
        groups.sort_by_key(|g| super::group_order(&g.group));
        let group_positions = groups.iter().enumerate().map(|(i, g)| (g.group.slug.clone(), i)).collect();

        let pages = self
            .pages
            .iter()
            .map(|p| {
                let mut p: Page = p.clone();
                match translated(&p.source_path) {
                    Some(t) => {
                        p.title = t.title.clone().unwrap_or_else(|| p.title.clone());
                        p.summary = t.summary.clone();
                        p.aliases = Vec::new();
                        take_text(&mut p.body, &mut p.body_line, &mut p.source_path, t);
                    }
                    None => p.text_language = Some(original.clone()),
                }
                p
            })
            .collect();

        Site {
            config,
            briefs,
            countries,
            groups,
            pages,
            years: self.years.clone(),
            totals: self.totals.clone(),
            static_files: self.static_files.clone(),
            group_positions,
            edition: Edition { index: i, ..self.edition.clone() },
        }
    }
}

/// Puts a translation's body in place of the original's, with where it is
/// (a translation of a page, a profile or a group is held: it cannot fail
/// to be read).
fn take_text(body: &mut String, line: &mut usize, source: &mut String, t: &Translation) {
    *body = t.body.read(&t.source_path).map(|text| text.into_owned()).unwrap_or_default();
    *line = t.body_line;
    source.clone_from(&t.source_path);
}
