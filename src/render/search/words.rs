//! The terms a written word is indexed under, by the rules Pagefind's
//! browser code applies to a reader's query: lower case, letters and digits
//! only, accents set aside (the accented form is kept beside the bare one,
//! so that a query with the accents ranks its page first), then the
//! language's stemmer. A word joined from parts (`al-Shabaab`,
//! `l'attaque`, `camelCase`, `COVID19`) is also indexed under each part of
//! two letters or more, at a share of its weight.
//!
//! Not done, and so not found by a query: the emoji inside a word, the
//! katakana suffixes and the dotted tails (`a.b_c`) that Pagefind adds.

use std::sync::{Mutex, PoisonError};

use pagefind_stem::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::FastMap;

/// Characters kept in a word besides letters and digits: the ones the
/// browser code keeps (the entry file lists them for it).
pub const WORD_SYMBOLS: [char; 10] = ['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'];

/// One term of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// What the index files it under: the stem of the bare form.
    pub stem: String,
    /// The form as written (lower case), when it has accents.
    pub accented: Option<String>,
    /// A part of a joined word, indexed at a share of the word's weight.
    pub part: bool,
}

/// How many bytes of words, with their terms, each thread keeps: the few
/// thousand words a language uses most are then stemmed once, not at every
/// occurrence. Past this, a thread forgets what it knew and starts again,
/// so that a site of many rare words (or of words cut into many parts)
/// holds no more.
const KNOWN_BYTES: usize = 2 << 20;
/// Words longer than this (in bytes) are rare, and are not kept.
const KNOWN_LONGEST: usize = 64;

/// Words already met, as written, with their terms, and about how many
/// bytes they take.
#[derive(Default)]
struct Known {
    terms: FastMap<Box<str>, Box<[Term]>>,
    bytes: usize,
}

impl Known {
    /// About what keeping `word` with `terms` takes: the strings, the
    /// terms themselves and the map's entry.
    fn cost(word: &str, terms: &[Term]) -> usize {
        let strings: usize = terms.iter().map(|t| t.stem.len() + t.accented.as_ref().map_or(0, String::len)).sum();
        word.len() + strings + std::mem::size_of_val(terms) + 48
    }
}

/// The word rules of one language.
pub struct Words {
    stemmer: Option<Stemmer>,
    /// Each rendering thread's words met (see [`KNOWN_BYTES`]), one
    /// lock per thread, so that no thread waits for another.
    known: Vec<Mutex<Known>>,
}

impl Words {
    /// The rules for `language` (an ISO 639-1 code, or a tag starting with
    /// one); a language without a stemmer keeps words whole.
    pub fn new(language: &str) -> Words {
        let threads = rayon::current_num_threads().max(1);
        Words {
            stemmer: algorithm(language).map(Stemmer::create),
            known: (0..threads).map(|_| Mutex::new(Known::default())).collect(),
        }
    }

    /// What `with` makes of the terms of `word` (see [`terms`](Self::terms)),
    /// the word stemmed only the first time this thread meets it. `with`
    /// runs while the thread's store is locked: it must not call this
    /// again, nor wait for other threads.
    pub fn with_terms<R>(&self, word: &str, with: impl FnOnce(&[Term]) -> R) -> R {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.known.len();
        let mut known = self.known[slot].lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(terms) = known.terms.get(word) {
            return with(terms);
        }
        let mut terms = Vec::new();
        self.terms(word, &mut terms);
        let made = with(&terms);
        if word.len() > KNOWN_LONGEST {
            return made;
        }
        let cost = Known::cost(word, &terms);
        if known.bytes + cost > KNOWN_BYTES {
            *known = Known::default();
        }
        known.bytes += cost;
        known.terms.insert(word.into(), terms.into_boxed_slice());
        made
    }

    /// The terms of `word` (a run of text without white space, as written),
    /// appended to `terms`.
    pub fn terms(&self, word: &str, terms: &mut Vec<Term>) {
        let whole = normalized(word);
        if !whole.is_empty() {
            terms.push(self.term(&whole, false));
        }
        let joined = word.chars().any(|c| !c.is_alphanumeric()) || word.chars().skip(1).any(char::is_uppercase);
        if !joined || whole.is_empty() {
            return;
        }
        let parts = parts(word);
        let spaced = parts.join(" ");
        if parts.len() < 2 && whole.starts_with(&spaced) {
            return;
        }
        for part in parts.iter().filter(|p| p.len() > 1) {
            terms.push(self.term(part, true));
        }
    }

    fn term(&self, normalized: &str, part: bool) -> Term {
        let bare = bare(normalized);
        let stem = self.stem(bare.as_deref().unwrap_or(normalized));
        Term { stem, accented: bare.map(|_| normalized.to_string()), part }
    }

    fn stem(&self, word: &str) -> String {
        match &self.stemmer {
            Some(stemmer) => stemmer.stem(word).into_owned(),
            None => word.to_string(),
        }
    }
}

/// The stemmer of a language, by its ISO 639-1 code.
fn algorithm(language: &str) -> Option<Algorithm> {
    Some(match language.split(['-', '_']).next().unwrap_or_default() {
        "ar" => Algorithm::Arabic,
        "hy" => Algorithm::Armenian,
        "eu" => Algorithm::Basque,
        "ca" => Algorithm::Catalan,
        "da" => Algorithm::Danish,
        "nl" => Algorithm::Dutch,
        "en" => Algorithm::English,
        "eo" => Algorithm::Esperanto,
        "et" => Algorithm::Estonian,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "hi" => Algorithm::Hindi,
        "hu" => Algorithm::Hungarian,
        "id" => Algorithm::Indonesian,
        "ga" => Algorithm::Irish,
        "it" => Algorithm::Italian,
        "lt" => Algorithm::Lithuanian,
        "nb" | "nn" | "no" => Algorithm::Norwegian,
        "ne" => Algorithm::Nepali,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sr" => Algorithm::Serbian,
        "pl" => Algorithm::Polish,
        "es" => Algorithm::Spanish,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        "yi" => Algorithm::Yiddish,
        _ => return None,
    })
}

/// The word in lower case, with only its letters, digits and
/// [`WORD_SYMBOLS`].
fn normalized(word: &str) -> String {
    let mut kept = String::with_capacity(word.len());
    for c in word.chars().filter(|c| c.is_alphanumeric() || WORD_SYMBOLS.contains(c)) {
        kept.extend(c.to_lowercase());
    }
    kept
}

/// The word without its accents, if it has any (`café` → `cafe`). The
/// kana sound marks are kept: they tell words apart.
fn bare(word: &str) -> Option<String> {
    let decomposes = |c: char| {
        let mut differs = is_combining_mark(c);
        decompose_canonical(c, |part| differs |= part != c);
        differs
    };
    if word.is_ascii() || !word.chars().any(decomposes) {
        return None;
    }
    let kana_mark = |c: char| matches!(c, '\u{3099}' | '\u{309A}');
    let stripped: String = word.nfd().filter(|&c| !is_combining_mark(c) || kana_mark(c)).collect();
    let stripped = if stripped.chars().any(kana_mark) { stripped.nfc().collect() } else { stripped };
    (stripped != word).then_some(stripped)
}

/// The parts of a joined word, in lower case: split at ASCII punctuation
/// and white space, where lower case turns upper (`camelCase`), where an
/// acronym ends (`HTMLPage`), and between letters and digits.
fn parts(word: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for piece in word.split(|c: char| c.is_ascii_punctuation() || c.is_whitespace()).filter(|p| !p.is_empty()) {
        let chars: Vec<char> = piece.chars().collect();
        let mut current = String::new();
        for (i, &c) in chars.iter().enumerate() {
            if i > 0 && !current.is_empty() {
                let before = chars[i - 1];
                let after = chars.get(i + 1).copied();
                let boundary = (before.is_lowercase() && c.is_uppercase())
                    || (before.is_alphabetic() && c.is_ascii_digit())
                    || (before.is_ascii_digit() && c.is_alphabetic())
                    || (before.is_uppercase() && c.is_uppercase() && after.is_some_and(char::is_lowercase));
                if boundary {
                    parts.push(std::mem::take(&mut current));
                }
            }
            current.extend(c.to_lowercase());
        }
        if !current.is_empty() {
            parts.push(current);
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(language: &str, word: &str) -> Vec<(String, Option<String>, bool)> {
        let mut terms = Vec::new();
        Words::new(language).terms(word, &mut terms);
        terms.into_iter().map(|t| (t.stem, t.accented, t.part)).collect()
    }

    #[test]
    fn a_word_met_again_has_the_terms_it_had_the_first_time() {
        let words = Words::new("fr");
        let written = ["Armée", "armée", "l'attaque", "al-Shabaab", "COVID19", "Attaques,", "a<b"];
        let fresh = |word: &str| {
            let mut terms = Vec::new();
            words.terms(word, &mut terms);
            terms
        };
        for round in 0..2 {
            for word in written {
                assert_eq!(words.with_terms(word, <[Term]>::to_vec), fresh(word), "{word}, round {round}");
            }
        }
        // Past the bytes a thread keeps, it starts again, and still gives
        // each word its own terms; what it keeps stays under its budget
        // even for words cut into many parts.
        let mut most = 0;
        for n in 0..20_000 {
            words.with_terms(&format!("mot{n}-aa-bb-cc-dd-ee-ff-gg-hh-ii-jj-kk-ll-mm-nn-oo-pp-qq-rr"), |_| ());
            most = most.max(words.known.iter().map(|k| k.lock().unwrap().bytes).max().unwrap_or(0));
        }
        assert!(most <= KNOWN_BYTES && most > KNOWN_BYTES / 2, "{most} bytes kept");
        for word in written {
            assert_eq!(words.with_terms(word, <[Term]>::to_vec), fresh(word), "{word}, after forgetting");
        }
        assert_eq!(words.with_terms("mot3", <[Term]>::to_vec), fresh("mot3"));
        // A word too long to keep is still given its terms, each time.
        let long = format!("Attaque-{}", "x".repeat(KNOWN_LONGEST));
        for _ in 0..2 {
            assert_eq!(words.with_terms(&long, <[Term]>::to_vec), fresh(&long));
        }
        assert!(words.known.iter().all(|k| !k.lock().unwrap().terms.contains_key(long.as_str())), "not kept");
    }

    #[test]
    fn a_plain_word_is_one_lower_case_stem() {
        assert_eq!(stems("en", "Attacks,"), [("attack".to_string(), None, false)]);
        assert_eq!(stems("en", "2023"), [("2023".to_string(), None, false)]);
    }

    #[test]
    fn accents_are_set_aside_and_kept_beside_the_stem() {
        assert_eq!(stems("fr", "Armée"), [("arme".to_string(), Some("armée".to_string()), false)]);
        // A language without a stemmer keeps the bare word.
        assert_eq!(stems("xx", "Ségou"), [("segou".to_string(), Some("ségou".to_string()), false)]);
    }

    #[test]
    fn a_joined_word_is_indexed_under_its_parts_too() {
        let terms = stems("en", "al-Shabaab");
        assert_eq!(terms[0], ("alshabaab".to_string(), None, false));
        assert_eq!(terms[1..], [("al".to_string(), None, true), ("shabaab".to_string(), None, true)]);
        let terms = stems("fr", "l'attaque");
        assert_eq!(terms[1..], [("attaqu".to_string(), None, true)], "one-letter parts are left out");
        assert_eq!(parts("HTMLPage"), ["html", "page"]);
        assert_eq!(parts("COVID19"), ["covid", "19"]);
        assert_eq!(parts("camelCase"), ["camel", "case"]);
        // Nothing to split: no parts.
        assert_eq!(stems("en", "Niger.").len(), 1);
    }
}
