//! Countries by the names editors write (issue 13): CLDR's English and
//! French names, ACLED's, newsroom abbreviations, Kosovo; one index and one
//! name per country, whatever name each brief used.

use crate::harness::SiteTest;

fn brief(site: &SiteTest, slug: &str, country: &str) {
    site.file(
        &format!("content/briefs/{slug}.md"),
        &format!("---\ntitle: Synthetic {slug}\ndate: 2023-01-01\ncountry: \"{country}\"\ncoordinates: {{lat: 1, lon: 1}}\n---\n"),
    );
}

#[test]
fn names_editors_write_make_one_index_per_country() {
    let site = SiteTest::new();
    brief(&site, "a", "Syria");
    brief(&site, "b", "Syrian Arab Republic");
    brief(&site, "c", "DRC");
    brief(&site, "d", "Democratic Republic of Congo");
    brief(&site, "e", "Kosovo");
    brief(&site, "f", "Côte d'Ivoire");
    brief(&site, "g", "Ivory Coast");
    brief(&site, "h", "Tchad");
    site.build().success();
    let countries = site.page("countries/index.html");
    let mut names = countries.texts(".index-table th[scope=row]");
    names.sort();
    assert_eq!(names, ["Chad", "Congo - Kinshasa", "Côte d’Ivoire", "Kosovo", "Syria"]);
    assert_eq!(site.page("countries/sy/index.html").texts(".brief-list h3").len(), 2);
    assert_eq!(site.page("countries/cd/index.html").texts(".brief-list h3").len(), 2);
    assert!(site.page("countries/xk/index.html").text(".codes").contains("XK / XKX"));
    // The data downloads carry the one name, and ISO's numeric code where there is one.
    let mut reader = csv::ReaderBuilder::new().from_path(site.public().join("data/incidents.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().skip(1).map(Result::unwrap).collect();
    let of = |slug: &str| rows.iter().find(|r| r.get(column("event_id")) == Some(slug)).unwrap().clone();
    assert_eq!(of("b").get(column("country")), Some("Syria"));
    assert_eq!(of("b").get(column("iso")), Some("760"));
    assert_eq!(of("e").get(column("country")), Some("Kosovo"));
    assert_eq!(of("e").get(column("iso")), Some(""));
}

#[test]
fn a_name_of_two_countries_says_which_two() {
    let site = SiteTest::new();
    brief(&site, "a", "Congo");
    let run = site.check();
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr().contains("error[unknown-country]: `Congo` is the name of more than one country"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("it could be Congo - Kinshasa (CD) or Congo - Brazzaville (CG)"), "{}", run.stderr());
    let new = site.run(&["new", "Synthetic", "--country", "Congo"]);
    assert_eq!(new.code(), 1, "{}", new.stderr());
    assert!(new.stderr().contains("Congo - Kinshasa (CD) or Congo - Brazzaville (CG)"), "{}", new.stderr());
}

#[test]
fn a_site_may_add_its_own_names() {
    let site = SiteTest::new();
    site.file(
        "site.yaml",
        "title: T\ncountry_aliases:\n  Zaire: CD\n  Haute-Volta: Burkina Faso\n  Nowhere: Atlantis\n  Both: Congo\n",
    );
    brief(&site, "a", "Zaire");
    brief(&site, "b", "haute volta");
    let run = site.check();
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(
        run.stderr().contains("`country_aliases.Nowhere`: unknown country `Atlantis`\n  --> site.yaml:5:12"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .contains("`country_aliases.Both`: `Congo` is the name of more than one country\n  --> site.yaml:6:9"),
        "{}",
        run.stderr()
    );
    // Those two, and nothing about the briefs' countries.
    assert_eq!(run.stderr().matches("error[").count(), 2, "the briefs' names were found: {}", run.stderr());
    assert!(!run.stderr().contains("unknown-country]: unknown country `"), "{}", run.stderr());
    site.file("site.yaml", "title: T\ncountry_aliases:\n  Zaire: CD\n  Haute-Volta: Burkina Faso\n");
    site.build().success();
    assert!(site.exists("countries/cd/index.html") && site.exists("countries/bf/index.html"));
    // `new` knows them too.
    site.run(&["new", "Synthetic new", "--country", "Zaire", "--date", "2023-01-02"]).success();
    let written = std::fs::read_to_string(site.root().join("content/briefs/2023/2023-01-02-synthetic-new.md")).unwrap();
    assert!(written.contains("country: CD"), "{written}");
}
