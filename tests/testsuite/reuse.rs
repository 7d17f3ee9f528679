//! A rebuild keeps the pages whose view did not change instead of
//! rendering them again (their view digests are in the output's manifest):
//! after any change, what it leaves in the output is byte for byte what a
//! build into an empty folder makes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::SiteTest;

/// Every file under `folder` but the manifest (which records when files
/// were written), with its bytes.
fn files(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != ".sitrep-output")
        .map(|e| {
            (e.path().strip_prefix(folder).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The pages a build's report says it kept without rendering.
fn reused(stdout: &str) -> usize {
    let before = stdout.split(" pages reused unrendered").next().unwrap();
    before.rsplit(' ').next().unwrap().parse().unwrap_or_else(|_| panic!("no count of reused pages in: {stdout}"))
}

/// Rebuilds over the last output and into an empty folder; the two must
/// hold the same files. Returns how many pages the rebuild reused.
fn rebuild_as_fresh(site: &SiteTest, step: &str) -> usize {
    let run = site.build().success();
    let fresh = site.root().join("fresh");
    let _ = std::fs::remove_dir_all(&fresh);
    site.run(&["build", "--output", "fresh"]).success();
    let (rebuilt, made) = (files(&site.public()), files(&fresh));
    assert_eq!(rebuilt.keys().collect::<Vec<_>>(), made.keys().collect::<Vec<_>>(), "{step}: other files");
    let differ: Vec<&String> = rebuilt.keys().filter(|k| rebuilt[*k] != made[*k]).collect();
    assert!(differ.is_empty(), "{step}: the rebuild kept stale files: {differ:?}");
    reused(&run.stdout())
}

#[test]
fn a_rebuild_reuses_only_pages_whose_view_is_unchanged_and_ends_as_a_fresh_build() {
    let site = SiteTest::fixture("bilingual");
    let first = site.build().success();
    assert_eq!(reused(&first.stdout()), 0, "nothing to reuse in an empty folder");
    let pages = site.output_files().iter().filter(|f| f.ends_with(".html")).count();

    // Nothing changed: every page is reused (the search page and the
    // redirects too), and nothing is written.
    let run = site.build().success();
    assert!(run.stdout().contains(" 0 written, 0 removed"), "{}", run.stdout());
    assert_eq!(reused(&run.stdout()), pages, "{}", run.stdout());

    // One brief's title: its pages and the lists that show it are made again.
    let brief = site.root().join("content/briefs/2021-11-05-camp-charlie.md");
    let text = std::fs::read_to_string(&brief).unwrap();
    std::fs::write(&brief, text.replacen("title: ", "title: Renamed ", 1)).unwrap();
    let kept = rebuild_as_fresh(&site, "a brief's title");
    assert!(kept > 0 && kept < pages, "{kept} of {pages} pages reused");

    // A brief's body is rendered only for a page that is rendered: its
    // digest covers what the body is made from. Its text...
    let text = std::fs::read_to_string(&brief).unwrap();
    std::fs::write(&brief, text.replace("not translated:", "not translated (yet):")).unwrap();
    rebuild_as_fresh(&site, "a brief's text");
    // ... and where its links lead: a French brief's link to a brief
    // French readers find in English leads to the French page once that
    // brief is translated (and nothing else on the linking page changes:
    // the two briefs are in different countries).
    site.file(
        "content/briefs/2020-01-10-post-echo.md",
        "---\ntitle: Synthetic attack on Echo post\ndate: 2020-01-10\ncountry: NE\nfatalities: 1\n\
         sources: [Synthetic wire]\npublished: 2020-01-11\n---\nA synthetic brief for tests.\n",
    );
    let alpha = site.root().join("content/briefs/2023-09-28-village-alpha.fr.md");
    let text = std::fs::read_to_string(&alpha).unwrap();
    std::fs::write(&alpha, format!("{text}\nVoir aussi [le poste Echo](/briefs/2020-01-10-post-echo/).\n")).unwrap();
    rebuild_as_fresh(&site, "a linked brief added");
    let page = "fr/briefs/2023-09-28-village-alpha/index.html";
    assert!(site.read(page).contains("href=\"/briefs/briefs/2020-01-10-post-echo/\""), "{}", site.read(page));
    site.file("content/briefs/2020-01-10-post-echo.fr.md", "---\ntitle: Attaque du poste Echo\n---\nUne fiche.\n");
    rebuild_as_fresh(&site, "a linked brief translated");
    assert!(site.read(page).contains("href=\"/briefs/fr/briefs/2020-01-10-post-echo/\""), "{}", site.read(page));

    // What templates are given beyond the pages' views: the interface's
    // strings, a template's text, the site's settings. A digest that
    // missed one would keep stale pages here.
    site.file("i18n/fr.yaml", "search:\n  title: Chercher dans les fiches\n");
    rebuild_as_fresh(&site, "a French interface string");
    let brief_template = sitrep::render::templates::DEFAULT_TEMPLATES
        .iter()
        .find(|(name, _)| *name == "brief.html")
        .map(|(_, text)| text.replace("</article>", "</article><p>Printed from the archive.</p>"))
        .unwrap();
    site.file("templates/brief.html", &brief_template);
    rebuild_as_fresh(&site, "a template");
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    site.file("site.yaml", &config.replace("title: Synthetic briefs", "title: Synthetic briefs, renamed"));
    rebuild_as_fresh(&site, "the site's title");

    // A page changed by hand in the output is not the page its view made.
    let pages = site.output_files().iter().filter(|f| f.ends_with(".html")).count();
    let page = site.public().join("briefs/2021-11-05-camp-charlie/index.html");
    let built = std::fs::read(&page).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&page, built.iter().map(|b| if *b == b'<' { b'[' } else { *b }).collect::<Vec<u8>>()).unwrap();
    let kept = rebuild_as_fresh(&site, "a page changed by hand");
    assert_eq!(kept, pages - 1);
    assert_eq!(std::fs::read(&page).unwrap(), built);
}

#[test]
fn templates_that_read_the_environment_are_rendered_every_time() {
    let site = SiteTest::fixture("briefs");
    let home = sitrep::render::templates::DEFAULT_TEMPLATES
        .iter()
        .find(|(name, _)| *name == "home.html")
        .map(|(_, text)| {
            text.replace(
                "{% endblock main %}",
                "<p>Built by {{ get_env (name=\"SITREP_TEST_BUILDER\", default=\"nobody\") }}.</p>{% endblock main %}",
            )
        })
        .unwrap();
    assert!(home.contains("get_env ("), "the home template has a main block to add to");
    site.file("templates/home.html", &home);
    site.build().success();
    assert!(site.read("index.html").contains("Built by nobody."));
    let run = site.build().success();
    assert_eq!(reused(&run.stdout()), 0, "{}", run.stdout());
    // What the environment says reaches the page.
    let run = site.run_with_env(&["build"], "SITREP_TEST_BUILDER", "a test").success();
    assert_eq!(reused(&run.stdout()), 0, "{}", run.stdout());
    assert!(site.read("index.html").contains("Built by a test."));
}
