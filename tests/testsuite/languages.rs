//! French and other languages (issue 15): `language: fr` turns the whole
//! interface French, from the translation files in `i18n/`.

use std::collections::BTreeMap;
use std::path::Path;

use scraper::{Html, Selector};

use crate::harness::SiteTest;

/// A translation file as text per key (`brief.killed`; a counted string's
/// forms as `count.killed.one`...).
fn strings(language: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n").join(format!("{language}.yaml"));
    let value: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    flatten("", &value, &mut out);
    out
}

fn flatten(prefix: &str, value: &serde_yaml::Value, out: &mut BTreeMap<String, String>) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            for (k, v) in map {
                let key = k.as_str().unwrap();
                let path = if prefix.is_empty() { key.to_string() } else { format!("{prefix}.{key}") };
                flatten(&path, v, out);
            }
        }
        serde_yaml::Value::String(text) => {
            out.insert(prefix.to_string(), text.clone());
        }
        other => panic!("{prefix}: {other:?}"),
    }
}

/// The words of the English interface that must not be left on a French
/// page: each English string that the French file translates differently,
/// cut at its `{places}`, the pieces of more than three letters that the
/// French string does not also hold.
pub fn english_pieces() -> Vec<(String, String)> {
    let english = strings("en");
    let french = strings("fr");
    let mut pieces = Vec::new();
    for (key, text) in &english {
        let theirs = &french[key];
        if theirs == text || key.starts_with("date.") || key.starts_with("number.") {
            continue;
        }
        for piece in text.split(['{', '}']).step_by(2) {
            let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
            if piece.chars().filter(|c| c.is_alphabetic()).count() > 3 && !theirs.contains(piece) {
                pieces.push((key.clone(), piece.to_string()));
            }
        }
    }
    assert!(pieces.len() > 150, "too few English strings to look for: {}", pieces.len());
    pieces
}

/// What a reader is shown of a page in the page's own language: its text
/// (not scripts or styles, nor what is marked as in another language with
/// `lang`), and the attributes read aloud or shown (labels, titles,
/// placeholders, the description).
pub fn shown(html: &str) -> String {
    let doc = Html::parse_document(html);
    let page_language = doc.root_element().attr("lang").unwrap_or("").to_string();
    let mut out = String::new();
    for node in doc.root_element().descendants() {
        // The language of the nearest element that says one.
        let language = std::iter::once(node)
            .chain(node.ancestors())
            .filter_map(|a| a.value().as_element().and_then(|e| e.attr("lang")))
            .next()
            .unwrap_or(&page_language);
        if language != page_language {
            continue;
        }
        if let Some(text) = node.value().as_text() {
            let in_code = node
                .ancestors()
                .any(|a| a.value().as_element().is_some_and(|e| matches!(e.name(), "script" | "style" | "noscript")));
            if !in_code {
                out.push_str(text);
                out.push('\n');
            }
        }
        if let Some(element) = node.value().as_element() {
            for attr in ["aria-label", "title", "placeholder", "alt"] {
                if let Some(value) = element.attr(attr) {
                    out.push_str(value);
                    out.push('\n');
                }
            }
        }
    }
    let description = Selector::parse("meta[name=description]").unwrap();
    for meta in doc.select(&description) {
        out.push_str(meta.value().attr("content").unwrap_or(""));
    }
    // The noscript message, as text.
    let noscript = Selector::parse("noscript").unwrap();
    for n in doc.select(&noscript) {
        // Its content is text to a parser that runs scripts: parsed again.
        let inner: String = n.text().collect();
        out.push_str(&Html::parse_fragment(&inner).root_element().text().collect::<String>());
    }
    out
}

/// Whether `word` is in `text` as a whole word (not within a longer one:
/// "Archive" is not in "Archives").
pub fn holds_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[test]
fn a_french_site_shows_no_english_word_of_the_interface_on_any_page() {
    let site = SiteTest::fixture("french");
    site.build().success();
    let pieces = english_pieces();
    let pages: Vec<String> = site.output_files().into_iter().filter(|f| f.ends_with(".html")).collect();
    // Every kind of page: home, brief, countries and a country, groups and
    // a group (two pages of it), archive and a year, a plain page, search,
    // 404.
    for kind in [
        "index.html",
        "briefs/2023-09-28-village-alpha/index.html",
        "countries/index.html",
        "countries/td/index.html",
        "groups/front-synthetique/page/2/index.html",
        "groups/index.html",
        "groups/front-synthetique/index.html",
        "archive/index.html",
        "archive/2023/index.html",
        "a-propos/index.html",
        "search/index.html",
        "404.html",
    ] {
        assert!(pages.iter().any(|p| p == kind), "no {kind} in {pages:?}");
    }
    let mut found = Vec::new();
    for page in &pages {
        let html = site.read(page);
        assert!(html.contains("<html lang=\"fr\">"), "{page} is not marked French");
        let text = shown(&html);
        for (key, piece) in &pieces {
            if holds_word(&text, piece) {
                found.push(format!("{page}: {piece:?} ({key})"));
            }
        }
    }
    assert!(found.is_empty(), "English left on French pages:\n{}", found.join("\n"));
}

#[test]
fn a_french_site_writes_dates_numbers_and_countries_the_french_way() {
    let site = SiteTest::fixture("french");
    site.build().success();
    let brief = site.page("briefs/2023-09-28-village-alpha/index.html");
    assert_eq!(brief.text(".meta time"), "28 septembre 2023");
    // The figure with a narrow no-break space between thousands.
    // (The page's text with a narrow no-break space between thousands.)
    assert!(site.read("briefs/2023-09-28-village-alpha/index.html").contains(">1\u{202f}234</strong>"));
    assert_eq!(brief.text(".kicker a"), "Tchad");
    assert!(
        site.read("briefs/2023-09-28-village-alpha/index.html").contains("Violences contre des civils\u{a0}: Attaque")
    );
    // A week, a range of days, a month.
    let home = site.page("index.html");
    let dates = home.texts(".brief-list time");
    assert!(dates.contains(&"semaine du 10 janvier 2024".to_string()), "{dates:?}");
    assert!(dates.contains(&"27–31 mars 2022".to_string()), "{dates:?}");
    assert!(dates.contains(&"novembre 2021".to_string()), "{dates:?}");
    // Counts take French plurals: 0 and 1 are singular.
    assert!(
        home.texts(".index-list .count").iter().any(|c| c == "1 incident, 3 tués"),
        "{:?}",
        home.texts(".index-list .count")
    );
    // Country names are CLDR's French ones, and the list follows them
    // ("Mali", "Niger", "Tchad").
    assert_eq!(site.page("countries/index.html").texts("tbody th a"), ["Mali", "Niger", "Tchad"]);
    // Feeds and structured data say the language.
    assert!(site.read("atom.xml").contains("xml:lang=\"fr\""));
    assert!(site.read("feed.json").contains("\"language\": \"fr\""));
    assert!(brief.attrs("script[type='application/ld+json']", "type").len() == 1);
    assert!(site.read("briefs/2023-09-28-village-alpha/index.html").contains("\"inLanguage\":\"fr\""));
    // Search filters are named in French; the index takes French stems.
    assert_eq!(brief.texts("[data-pagefind-filter=pays]"), ["Tchad"]);
    assert_eq!(brief.texts("[data-pagefind-filter=\"type d’événement\"]"), ["Violences contre des civils"]);
    // A retracted brief's feed entry is marked in French.
    assert!(site.read("atom.xml").contains("Retirée\u{a0}: Incident synthétique retiré au poste Delta"));
}

#[test]
fn a_french_site_shows_the_same_figures_as_the_english_one() {
    let french = SiteTest::fixture("french");
    french.build().success();
    let english = SiteTest::fixture("french");
    let config =
        std::fs::read_to_string(english.root().join("site.yaml")).unwrap().replace("language: fr", "language: en");
    english.file("site.yaml", &config);
    english.build().success();
    // Each page's figures, in order of value: the lists of countries are
    // in the order of each language's names.
    let digits = |texts: Vec<String>| -> Vec<String> {
        let mut figures: Vec<String> = texts.iter().map(|t| t.chars().filter(char::is_ascii_digit).collect()).collect();
        figures.sort();
        figures
    };
    let pages: Vec<String> = french.output_files().into_iter().filter(|f| f.ends_with(".html")).collect();
    assert_eq!(pages, english.output_files().into_iter().filter(|f| f.ends_with(".html")).collect::<Vec<_>>());
    let mut compared = 0;
    for page in &pages {
        for figures in ["strong.figure", ".totals dd", "td.num", ".breakdown td:first-child", ".claims strong"] {
            let fr = digits(french.page(page).texts(figures));
            let en = digits(english.page(page).texts(figures));
            assert_eq!(fr, en, "{page}: {figures}");
            compared += fr.len();
        }
    }
    assert!(compared > 40, "only {compared} figures compared");
    // The data downloads are the same bytes: they follow ACLED's English
    // conventions whatever the site's language.
    assert_eq!(french.read("data/incidents.csv"), english.read("data/incidents.csv"));
}

#[test]
fn a_site_adds_a_language_with_its_own_file_and_check_names_each_missing_string() {
    let site = SiteTest::fixture("french");
    let config =
        std::fs::read_to_string(site.root().join("site.yaml")).unwrap().replace("language: fr", "language: pt");
    site.file("site.yaml", &config);
    // No file for the language: said plainly.
    let said = site.check().problems();
    assert!(said.contains("error[translation]: sitrep has no interface strings for the language `pt`"), "{said}");
    // A file with every string but two: each missing one is named, with
    // its English, in the file.
    let english = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n/en.yaml")).unwrap();
    let partial = english
        .replace("  facts: Key facts\n", "")
        .replace("  injured: Injured\n", "  injured: Feridos\n")
        .replace("  older: Older\n", "");
    site.file("i18n/pt.yaml", &partial);
    let said = site.check().problems();
    assert!(said.contains("error[translation]: no string for `brief.facts`\n  --> i18n/pt.yaml"), "{said}");
    assert!(said.contains("add `brief.facts`, the English of which is \"Key facts\""), "{said}");
    assert!(said.contains("no string for `pagination.older`"), "{said}");
    assert_eq!(said.matches("error[translation]").count(), 2, "{said}");
    // Complete, it builds, with its strings.
    site.file("i18n/pt.yaml", &english.replace("  injured: Injured\n", "  injured: Feridos\n"));
    site.build().success();
    let brief = site.page("briefs/2023-09-28-village-alpha/index.html");
    assert!(brief.texts(".facts dt").contains(&"Feridos".to_string()), "{:?}", brief.texts(".facts dt"));
    assert!(site.read("index.html").contains("<html lang=\"pt\">"));
}

#[test]
fn a_site_changes_one_string_and_a_mistake_in_its_file_is_shown_at_its_line() {
    let site = SiteTest::fixture("french");
    site.file("i18n/fr.yaml", "brief:\n  injured: Personnes blessées\n");
    site.build().success();
    let brief = site.page("briefs/2023-09-28-village-alpha/index.html");
    let terms = brief.texts(".facts dt");
    assert!(terms.contains(&"Personnes blessées".to_string()) && terms.contains(&"Tués".to_string()), "{terms:?}");
    // A counted string written as one text.
    site.file("i18n/fr.yaml", "brief:\n  injured: Blessés\ncount:\n  killed: \"{count} tués\"\n");
    let said = site.check().problems();
    assert!(
        said.contains("error[translation]: `count.killed` counts something: it needs a text for each plural form\n  --> i18n/fr.yaml:4:3"),
        "{said}"
    );
    // A template that asks for a string no translation has.
    site.file("i18n/fr.yaml", "brief:\n  injured: Blessés\n");
    site.file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ t(key=\"page.nothing\") }}{% endblock main %}",
    );
    let said = site.check().problems();
    assert!(said.contains("the interface string `page.nothing` is not in the translation for `fr`"), "{said}");
}

#[test]
fn a_language_that_is_not_a_language_tag_is_refused_at_its_line() {
    let site = SiteTest::new();
    site.file("site.yaml", "title: T\nbase_url: /\nlanguage: ../../etc/passwd\n");
    let said = site.check().problems();
    assert!(
        said.contains("error[config]: `language` \"../../etc/passwd\" is not a language tag\n  --> site.yaml:3:11"),
        "{said}"
    );
}

#[test]
fn a_translation_file_is_hostile_input_like_any_other() {
    let site = SiteTest::fixture("french");
    // Markup in a string that Pagefind's interface would write as HTML
    // (a filter value): it cannot reach the page as markup.
    site.file(
        "i18n/fr.yaml",
        "event_type:\n  violence-against-civilians: '<img src=x onerror=alert(1)>Violences'\nstatus:\n  provisional: '<b>provisoire</b>'\n",
    );
    site.build().success();
    let html = site.read("briefs/2023-09-28-village-alpha/index.html");
    assert!(html.contains(">‹img src=x onerror=alert(1)›Violences</span>"), "the filter value is defused");
    assert!(html.contains(">‹b›provisoire‹/b›</span>"));
    assert!(!html.contains("<img src=x") && !html.contains("<b>provisoire"));
    // A date pattern with a time in it: refused at its line, no crash.
    site.file("i18n/fr.yaml", "date:\n  day: '%-d %B %Y %H:%M'\n");
    let said = site.check().problems();
    assert!(said.contains("error[translation]: `date.day` is not a date pattern"), "{said}");
    assert!(said.contains("--> i18n/fr.yaml:2:8"), "{said}");
    // A translation file that is a link out of the site is not read.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "site:\n  footer: SECRET\n").unwrap();
    std::fs::remove_file(site.root().join("i18n/fr.yaml")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.yaml"), site.root().join("i18n/fr.yaml")).unwrap();
    let said = site.check().problems();
    assert!(
        said.contains("error[link-outside-site]: this symbolic link leads out of the site\n  --> i18n/fr.yaml"),
        "{said}"
    );
    assert!(!said.contains("SECRET"));
}
