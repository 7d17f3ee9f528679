//! Bilingual sites (issue 15): `languages: [en, fr]` builds the English
//! site at the root and the French one under `/fr/`, from originals and
//! their translations (`x.fr.md`), which hold words only.

use std::time::Duration;

use crate::harness::SiteTest;
use crate::languages::{english_pieces, holds_word, shown};
use crate::serve::{Server, assert_serves_what_build_writes};

const ALPHA: &str = "briefs/2023-09-28-village-alpha/index.html";
const BRAVO: &str = "briefs/2022-03-27-market-bravo/index.html";
const CHARLIE: &str = "briefs/2021-11-05-camp-charlie/index.html";

fn built() -> SiteTest {
    let site = SiteTest::fixture("bilingual");
    site.build().success();
    site
}

#[test]
fn every_kind_of_page_is_in_both_languages_and_the_french_ones_speak_french() {
    let site = built();
    let files = site.output_files();
    let kinds = [
        "index.html",
        ALPHA,
        BRAVO,
        "countries/index.html",
        "countries/td/index.html",
        "countries/td/page/2/index.html",
        "groups/index.html",
        "groups/synthetic-front/index.html",
        "groups/synthetic-front/page/3/index.html",
        "archive/index.html",
        "archive/2022/index.html",
        "about/index.html",
        "search/index.html",
        "atom.xml",
        "feed.json",
        "countries/td/atom.xml",
        "pagefind/pagefind.js",
    ];
    for kind in kinds {
        assert!(files.iter().any(|f| f == kind), "no {kind}");
        assert!(files.iter().any(|f| *f == format!("fr/{kind}")), "no fr/{kind}");
    }
    // What has no translation has no French page; the data downloads,
    // stylesheet, schemas and publishing files are the site's, once.
    for only_english in
        [CHARLIE, "methods/index.html", "404.html", "data/incidents.csv", "style.css", "sitemap.xml", "robots.txt"]
    {
        assert!(files.iter().any(|f| f == only_english), "no {only_english}");
        assert!(!files.iter().any(|f| *f == format!("fr/{only_english}")), "fr/{only_english} made");
    }
    // Every French page is marked French and shows no English word of the
    // interface (what is marked as English, an untranslated title, aside).
    let pieces = english_pieces();
    let mut found = Vec::new();
    let french: Vec<&String> = files.iter().filter(|f| f.starts_with("fr/") && f.ends_with(".html")).collect();
    assert!(french.len() > 15, "{french:?}");
    for page in french {
        let html = site.read(page);
        assert!(html.contains("<html lang=\"fr\">"), "{page} is not marked French");
        let text = shown(&html);
        found.extend(pieces.iter().filter(|(_, p)| holds_word(&text, p)).map(|(k, p)| format!("{page}: {p:?} ({k})")));
    }
    assert!(found.is_empty(), "English left on French pages:\n{}", found.join("\n"));
    for page in files.iter().filter(|f| !f.starts_with("fr/") && f.ends_with(".html") && !f.starts_with("pagefind")) {
        assert!(site.read(page).contains("<html lang=\"en\">"), "{page} is not marked English");
    }
    // The French pages take the translations' words and French names.
    let alpha = site.page(&format!("fr/{ALPHA}"));
    assert_eq!(alpha.text("h1"), "Attaque synthétique contre le village Alpha");
    assert_eq!(alpha.text(".kicker a"), "Tchad");
    assert_eq!(site.page("fr/groups/synthetic-front/index.html").text("h1"), "Front synthétique");
    assert_eq!(site.page("fr/countries/td/index.html").text("#profile-heading"), "Le Tchad en bref");
    assert_eq!(site.page("fr/about/index.html").text("h1"), "À propos");
    assert_eq!(site.page("fr/index.html").text("h1"), "Fiches synthétiques");
    assert_eq!(site.page("index.html").text("h1"), "Synthetic briefs");
    assert!(site.read("fr/atom.xml").contains("xml:lang=\"fr\""));
}

#[test]
fn pages_link_to_their_translations_both_ways_and_the_sitemap_lists_them() {
    let site = built();
    let root = "https://example.org/briefs/";
    let alternates = |page: &str| -> Vec<(String, String)> {
        let p = site.page(page);
        p.attrs("link[rel=alternate][hreflang]", "hreflang")
            .into_iter()
            .zip(p.attrs("link[rel=alternate][hreflang]", "href"))
            .collect()
    };
    for (english, french) in [
        (ALPHA.to_string(), format!("fr/{ALPHA}")),
        ("index.html".into(), "fr/index.html".into()),
        ("groups/synthetic-front/page/2/index.html".into(), "fr/groups/synthetic-front/page/2/index.html".into()),
        ("about/index.html".into(), "fr/about/index.html".into()),
    ] {
        let path = |file: &str| file.trim_end_matches("index.html").to_string();
        let expected = vec![
            ("en".to_string(), format!("{root}{}", path(&english))),
            ("fr".to_string(), format!("{root}{}", path(&french))),
            ("x-default".to_string(), format!("{root}{}", path(&english))),
        ];
        assert_eq!(alternates(&english), expected, "{english}");
        assert_eq!(alternates(&french), expected, "{french}");
        // The switch: both languages, each in its own language, the page's marked.
        let page = site.page(&french);
        assert_eq!(page.texts("nav.languages a"), ["English", "Français"]);
        assert_eq!(page.attrs("nav.languages a[aria-current]", "lang"), ["fr"]);
        assert_eq!(page.attrs("nav.languages a[rel=alternate]", "href"), [format!("{root}{}", path(&english))]);
    }
    // Without an absolute base_url there is no hreflang (search engines
    // take absolute addresses only); the switch still links the languages.
    let relative = SiteTest::fixture("bilingual");
    let config = std::fs::read_to_string(relative.root().join("site.yaml")).unwrap();
    relative.file("site.yaml", &config.replace("base_url: https://example.org/briefs/", "base_url: /briefs/"));
    relative.build().success();
    let page = relative.page(&format!("fr/{ALPHA}"));
    assert!(page.attrs("link[hreflang]", "href").is_empty());
    assert_eq!(
        page.attrs("nav.languages a[rel=alternate]", "href"),
        [format!("/briefs/{ALPHA}").replace("index.html", "")]
    );
    // An untranslated brief names no alternate; its switch leads to the
    // French home page.
    assert!(alternates(CHARLIE).is_empty());
    assert_eq!(site.page(CHARLIE).attrs("nav.languages a[lang=fr]", "href"), [format!("{root}fr/")]);
    // The sitemap lists both languages' pages, each with its alternates,
    // and the untranslated brief once, with none.
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let alpha = format!(
        "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{root}briefs/2023-09-28-village-alpha/\"/><xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"{root}fr/briefs/2023-09-28-village-alpha/\"/>"
    );
    assert_eq!(sitemap.matches(&alpha).count(), 2, "{sitemap}");
    assert!(sitemap.contains(&format!("<loc>{root}fr/briefs/2023-09-28-village-alpha/</loc>")));
    assert!(
        sitemap.contains(&format!(
            "<url><loc>{root}briefs/2021-11-05-camp-charlie/</loc><lastmod>2021-11-06</lastmod></url>"
        )),
        "{sitemap}"
    );
    assert!(!sitemap.contains("fr/briefs/2021-11-05-camp-charlie/"));
}

#[test]
fn an_untranslated_brief_is_listed_in_french_under_its_english_title_linking_to_the_original() {
    let site = built();
    let original = "/briefs/briefs/2021-11-05-camp-charlie/";
    for page in ["fr/index.html", "fr/countries/td/page/2/index.html", "fr/archive/2021/index.html"] {
        let p = site.page(page);
        let link = p.attrs(&format!(".brief-list a[href=\"{original}\"]"), "lang");
        assert_eq!(link, ["en"], "{page}");
        assert!(p.texts(".brief-list a[lang=en]").contains(&"Synthetic raid on Charlie camp".to_string()), "{page}");
        // Its country (where the list names it: not on the country's own
        // page) is named in French, as the translated briefs' are (the
        // French edition shares the English brief, not a copy).
        let entry = p.texts(".brief-list li").into_iter().find(|li| li.contains("Charlie camp")).unwrap();
        if !page.contains("/countries/") {
            assert!(entry.contains("Tchad") && !entry.contains("Chad "), "{page}: {entry}");
        }
    }
    let feed: serde_json::Value = serde_json::from_str(&site.read("fr/feed.json")).unwrap();
    let charlie = |feed: &serde_json::Value| {
        feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["url"].as_str().unwrap().ends_with(original))
            .unwrap()
            .clone()
    };
    assert_eq!(charlie(&feed)["_incident"]["country"]["name"], "Tchad");
    assert_eq!(charlie(&feed)["language"], "en");
    let english: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(charlie(&english)["_incident"]["country"]["name"], "Chad");
    assert!(site.read("fr/atom.xml").contains("label=\"Tchad\""));
    // Its neighbour's page links to it the same way, and the French feeds
    // lead to the original.
    let bravo = site.page(&format!("fr/{ALPHA}"));
    assert_eq!(bravo.attrs(".prev-next a[lang=en]", "href"), [original]);
    assert!(site.read("fr/atom.xml").contains("href=\"https://example.org/briefs/briefs/2021-11-05-camp-charlie/\""));
    assert!(!site.read("fr/atom.xml").contains("fr/briefs/2021-11-05-camp-charlie"));
    // The French search covers the French pages.
    assert!(site.exists("fr/pagefind/pagefind-entry.json"));
    assert!(site.read("fr/pagefind/pagefind-entry.json").contains("\"fr\""));
}

#[test]
fn a_translation_shows_the_originals_figures_and_its_links_reach_the_french_pages() {
    let site = built();
    let digits = |texts: Vec<String>| -> Vec<String> {
        texts.iter().map(|t| t.chars().filter(char::is_ascii_digit).collect()).collect()
    };
    let mut compared = 0;
    for page in [ALPHA, BRAVO, "index.html", "countries/td/index.html", "groups/synthetic-front/index.html"] {
        for figures in ["strong.figure", ".totals dd", "td.num", ".claims strong", "time"] {
            let en = digits(site.page(page).texts(figures));
            let fr = digits(site.page(&format!("fr/{page}")).texts(figures));
            assert_eq!(fr, en, "{page}: {figures}");
            compared += en.len();
        }
    }
    assert!(compared > 30, "only {compared} figures compared");
    // Links written in the translation: to the French page where there is
    // one (with the French heading's anchor), else to the original.
    let links = site.page(&format!("fr/{ALPHA}")).attrs(".body a", "href");
    assert!(links.contains(&"/briefs/fr/briefs/2022-03-27-market-bravo/#le-bilan".to_string()), "{links:?}");
    assert!(links.contains(&"/briefs/briefs/2021-11-05-camp-charlie/".to_string()), "{links:?}");
    assert!(site.page("fr/about/index.html").links().contains(&"/briefs/methods/".to_string()));
    // Every link of every page, both languages, reaches a file.
    assert!(site.assert_internal_links_resolve("/briefs/") > 300);
}

#[test]
fn a_translation_may_hold_words_only_and_check_names_its_original() {
    let site = SiteTest::fixture("bilingual");
    site.file(
        "content/briefs/2023-09-28-village-alpha.fr.md",
        "---\ntitle: Attaque synthétique\ndate: 2023-09-29\nfatalities: 12\n---\nTexte synthétique.\n",
    );
    let said = site.check().problems();
    for (key, line) in [("date", 3), ("fatalities", 4)] {
        assert!(
            said.contains(&format!(
                "error[translation-field]: `{key}` cannot be set in a translation: every fact is entered once, in content/briefs/2023-09-28-village-alpha.md\n  --> content/briefs/2023-09-28-village-alpha.fr.md:{line}:1"
            )),
            "{said}"
        );
    }
    // A title is needed: the page would otherwise mix languages.
    site.file("content/briefs/2023-09-28-village-alpha.fr.md", "---\nsummary: Résumé.\n---\nTexte.\n");
    assert!(site.check().problems().contains(
        "error[missing-field]: missing required field `title`: a translation gives the title in its language"
    ));
}

#[test]
fn check_reports_orphan_stale_and_misnamed_translations() {
    let site = SiteTest::fixture("bilingual");
    // The fixture's Bravo translation predates its original's update.
    let said = site.check().stderr();
    assert!(
        said.contains("warning[stale-translation]: content/briefs/2022-03-27-market-bravo.md was updated on 2022-04-02; this translation says it was brought in line on 2022-03-31\n  --> content/briefs/2022-03-27-market-bravo.fr.md:4:10"),
        "{said}"
    );
    assert!(said.contains("set `updated: 2022-04-02` (or later) here"), "{said}");
    // Brought in line, it is quiet.
    let bravo = std::fs::read_to_string(site.root().join("content/briefs/2022-03-27-market-bravo.fr.md")).unwrap();
    site.file("content/briefs/2022-03-27-market-bravo.fr.md", &bravo.replace("2022-03-31", "2022-04-02"));
    assert!(!site.check().stderr().contains("stale-translation"));
    // A translation of nothing.
    site.file("content/briefs/2020-01-01-nowhere.fr.md", "---\ntitle: Nulle part\n---\nTexte synthétique.\n");
    let said = site.check().problems();
    assert!(
        said.contains("error[orphan-translation]: this translates content/briefs/2020-01-01-nowhere.md, which does not exist\n  --> content/briefs/2020-01-01-nowhere.fr.md"),
        "{said}"
    );
    std::fs::remove_file(site.root().join("content/briefs/2020-01-01-nowhere.fr.md")).unwrap();
    // Named for the default language, or for one the site does not list.
    site.file("content/methods.en.md", "---\ntitle: Methods\n---\nSynthetic.\n");
    let said = site.check().problems();
    assert!(
        said.contains(
            "error[translation-language]: this file is named as a translation into en, the site's default language"
        ),
        "{said}"
    );
    std::fs::remove_file(site.root().join("content/methods.en.md")).unwrap();
    site.file("content/methods.de.md", "---\ntitle: Methoden\n---\nSynthetisch.\n");
    let said = site.check().stderr();
    assert!(
        said.contains(
            "warning[translation-language]: this file is named as a translation into de, which site.yaml does not list"
        ),
        "{said}"
    );
    assert!(said.contains("`languages: [en, de]`"), "{said}");
}

#[test]
fn languages_are_checked_and_no_page_may_take_a_languages_folder() {
    let site = SiteTest::fixture("bilingual");
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.file("site.yaml", &config.replace("\nlanguages: [en, fr]\n", "\nlanguage: fr\nlanguages: [en, fr]\n"));
    let said = site.check().problems();
    assert!(said.contains("`language` is fr, but the first of `languages` (the default) is en"), "{said}");
    site.file("site.yaml", &config.replace("\nlanguages: [en, fr]\n", "\nlanguages: [en, fr, FR]\n"));
    assert!(site.check().problems().contains("`languages` lists FR twice"));
    site.file("site.yaml", &config.replace("\nlanguages: [en, fr]\n", "\nlanguages: [en, français]\n"));
    assert!(site.check().problems().contains("`languages` holds \"français\", which is not a language tag"));
    // A site title with no French version is shown as it is, with a warning.
    let untitled = config.split("translations:").next().unwrap().to_string();
    site.file("site.yaml", &untitled);
    let said = site.check().stderr();
    assert!(said.contains("warning[translation]: the site's title has no fr version"), "{said}");
    site.file("site.yaml", &format!("{untitled}translations:\n  de:\n    title: Synthetisch\n"));
    assert!(
        site.check()
            .problems()
            .contains("`translations` gives words in de, which is not one of the site's other languages")
    );
    site.file("site.yaml", &config);
    site.file("content/fr/notes.md", "---\ntitle: Notes\n---\nSynthetic.\n");
    let said = site.check().problems();
    assert!(
        said.contains("error[reserved-path]: the page would be at /fr/notes/, where the site's fr pages are"),
        "{said}"
    );
}

#[test]
fn serve_shows_both_languages_as_build_writes_them_after_translations_change() {
    let site = SiteTest::fixture("bilingual");
    let base_url = "https://example.org/briefs/";
    let server = Server::start(&site, &[]);
    let events = server.events();
    assert_serves_what_build_writes(&site, &server, base_url, "start");
    let charlie_fr = "content/briefs/2021-11-05-camp-charlie.fr.md";
    let alpha_fr = "content/briefs/2023-09-28-village-alpha.fr.md";
    let alpha = std::fs::read_to_string(site.root().join(alpha_fr)).unwrap();
    type Step<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let bravo_fr = "content/briefs/2022-03-27-market-bravo.fr.md";
    let bravo = std::fs::read_to_string(site.root().join(bravo_fr)).unwrap();
    let steps: Vec<Step> = vec![
        (
            // Bravo is in another country than Charlie: nothing but this
            // link ties its page to Charlie's translation below.
            "a link to an untranslated brief added to a translation",
            Box::new(|| {
                site.file(bravo_fr, &format!("{bravo}\nVoir [Charlie](/briefs/2021-11-05-camp-charlie/).\n"));
            }),
        ),
        (
            // The same title and place as the original's: only the
            // language changes, which decides its links on maps and lists.
            "a translation added",
            Box::new(|| {
                site.file(charlie_fr, "---\ntitle: Synthetic raid on Charlie camp\n---\nTexte synthétique.\n");
            }),
        ),
        (
            "a translation edited",
            Box::new(|| {
                site.file(alpha_fr, &alpha.replace("Attaque", "Assaut"));
            }),
        ),
        ("a translation removed", Box::new(|| std::fs::remove_file(site.root().join(charlie_fr)).unwrap())),
        (
            "an original edited",
            Box::new(|| {
                let path = site.root().join("content/briefs/2021-11-05-camp-charlie.md");
                let text = std::fs::read_to_string(&path).unwrap();
                site.file(
                    "content/briefs/2021-11-05-camp-charlie.md",
                    &text.replace("fatalities: {best: 3", "fatalities: {best: 4"),
                );
            }),
        ),
    ];
    for (step, change) in steps {
        change();
        events.recv_timeout(Duration::from_secs(10)).unwrap_or_else(|_| panic!("{step}: no event"));
        assert_serves_what_build_writes(&site, &server, base_url, step);
    }
}

#[test]
fn a_language_tag_is_read_in_any_case() {
    let site = SiteTest::fixture("bilingual");
    let from = site.root().join("content/briefs/2023-09-28-village-alpha.fr.md");
    std::fs::rename(&from, site.root().join("content/briefs/2023-09-28-village-alpha.FR.md")).unwrap();
    site.build().success();
    assert!(site.exists(&format!("fr/{ALPHA}")));
    let site = SiteTest::fixture("bilingual");
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.file(
        "site.yaml",
        &config.replace("\nlanguages: [en, fr]\n", "\nlanguages: [en, FR]\n").replace("\n  fr:\n", "\n  FR:\n"),
    );
    site.build().success();
    for page in [ALPHA, BRAVO, "about/index.html"] {
        assert!(site.exists(&format!("fr/{page}")), "no fr/{page}");
    }
}

#[test]
fn an_untranslated_profile_keeps_its_links_on_a_french_page() {
    let site = SiteTest::fixture("bilingual");
    std::fs::remove_file(site.root().join("content/groups/synthetic-front.fr.md")).unwrap();
    site.file(
        "content/groups/synthetic-front.md",
        "---\nname: Synthetic Front\naliases: [SF]\n---\nAn invented group. [The toll](/briefs/2022-03-27-market-bravo/#the-toll), \
         [Charlie](../../briefs/2021-11-05-camp-charlie/), [methods](../../methods/), [here](#top).\n\n## Top {#top}\n\nText.\n",
    );
    site.build().success();
    let page = site.page("fr/groups/synthetic-front/index.html");
    assert_eq!(page.attrs("section.profile", "lang"), ["en"]);
    let links = page.attrs("section.profile a", "href");
    assert_eq!(
        links,
        [
            "/briefs/briefs/2022-03-27-market-bravo/#the-toll",
            "/briefs/groups/synthetic-front/../../briefs/2021-11-05-camp-charlie/",
            "/briefs/groups/synthetic-front/../../methods/",
            "#top",
        ]
    );
    // Each reaches a page, as a browser resolves it.
    for link in &links[..3] {
        let mut parts: Vec<&str> = Vec::new();
        for part in link.split('#').next().unwrap().trim_start_matches("/briefs/").split('/') {
            match part {
                ".." => {
                    parts.pop();
                }
                "" => {}
                other => parts.push(other),
            }
        }
        let file = format!("{}/index.html", parts.join("/"));
        assert!(site.exists(&file), "{link}: no {file}");
    }
    assert!(site.read(BRAVO).contains("id=\"the-toll\""));
}

#[test]
fn nothing_else_may_take_a_languages_folder() {
    let site = SiteTest::fixture("bilingual");
    let charlie = std::fs::read_to_string(site.root().join("content/briefs/2021-11-05-camp-charlie.md")).unwrap();
    site.file(
        "content/briefs/2021-11-05-camp-charlie.md",
        &charlie.replace("published:", "aliases: [/fr/about/]\npublished:"),
    );
    let said = site.check().problems();
    assert!(
        said.contains("error[alias-clash]: alias `/fr/about/` is in /fr/, where the site's fr pages are\n  --> content/briefs/2021-11-05-camp-charlie.md"),
        "{said}"
    );
    site.file("content/briefs/2021-11-05-camp-charlie.md", &charlie);
    site.file("static/fr/index.html", "<p>Synthetic.</p>");
    let said = site.check().problems();
    assert!(said.contains("error[reserved-path]: this file would be published in /fr/, where the site's fr pages are\n  --> static/fr/index.html"), "{said}");
}
