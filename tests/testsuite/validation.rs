//! Every front-matter rule of the brief contract, each with the exact
//! message an editor sees (snapshots pin wording, file, line and column),
//! and proof that a failed build writes nothing.

use crate::harness::SiteTest;

const GOOD: &str = "title: Attack on a village\ndate: 2023-09-28\ncountry: NE\n";

/// A brief file from front-matter lines.
fn brief(front: &str) -> String {
    format!("---\n{front}---\nBody text.\n")
}

/// A site with one brief `content/briefs/x.md` made of these front-matter lines.
fn site_with(front: &str) -> SiteTest {
    let site = SiteTest::new();
    site.file("content/briefs/x.md", &brief(front));
    site
}

/// What `check` printed about a broken site, in both formats.
struct Problems {
    human: String,
    json: String,
}

/// Runs `check` (human and JSON) and `build` on a broken site: all must
/// fail, and nothing may be written.
fn fails_cleanly(site: &SiteTest) -> Problems {
    let human = site.check().problems();
    let json = site.run(&["check", "--format", "json"]);
    assert_eq!(json.code(), 1);
    for line in json.stdout().lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    }
    site.build().problems();
    assert!(!site.public().exists(), "a failed build must not create the output folder");
    Problems { human, json: json.stdout() }
}

/// Snapshots the human and the JSON report of a site that fails cleanly.
macro_rules! assert_problems {
    ($site:expr) => {{
        let problems = fails_cleanly(&$site);
        insta::assert_snapshot!(problems.human);
        insta::assert_snapshot!(problems.json);
    }};
}

#[test]
fn errors_on_missing_required_fields() {
    assert_problems!(site_with("summary: Nothing else.\n"));
}

#[test]
fn errors_on_empty_title() {
    assert_problems!(site_with("title: \"\"\ndate: 2023-09-28\ncountry: NE\n"));
}

#[test]
fn unknown_field_suggests_the_nearest_known_one() {
    assert_problems!(site_with("title: A\ndate: 2023-09-28\ncontry: NE\n"));
}

#[test]
fn unknown_country_suggests_near_names() {
    assert_problems!(site_with("title: A\ndate: 2023-09-28\ncountry: Nigerr\n"));
}

#[test]
fn day_first_date_gets_the_iso_form_as_help() {
    assert_problems!(site_with("title: A\ndate: 28/09/2023\ncountry: NE\n"));
}

#[test]
fn dates_in_the_future_are_errors() {
    assert_problems!(site_with("title: A\ndate: 2999-01-01\ncountry: NE\n"));
}

#[test]
fn low_above_best_is_an_error_at_low() {
    assert_problems!(site_with(&format!("{GOOD}fatalities: {{best: 5, low: 9}}\n")));
}

#[test]
fn high_below_best_is_an_error_at_high() {
    assert_problems!(site_with(&format!("{GOOD}fatalities:\n  best: 12\n  high: 10\n")));
}

#[test]
fn negative_counts_are_errors() {
    assert_problems!(site_with(&format!("{GOOD}fatalities: -3\ninjured: -1\n")));
}

#[test]
fn coordinates_out_of_range_are_errors() {
    assert_problems!(site_with(&format!("{GOOD}coordinates: {{lat: 114.6, lon: 1.06}}\n")));
}

#[test]
fn unknown_enum_values_list_the_allowed_ones() {
    assert_problems!(site_with(&format!(
        "{GOOD}event_type: battle\nstatus: final\narmed_groups:\n  - {{group: JNIM, attribution: rumoured}}\n"
    )));
}

#[test]
fn updated_before_published_is_an_error() {
    assert_problems!(site_with(&format!("{GOOD}published: 2023-09-29\nupdated: 2023-09-20\n")));
}

#[test]
fn a_list_where_text_is_expected_is_an_error_at_the_value() {
    assert_problems!(site_with("title: [a, b]\ndate: 2023-09-28\ncountry: NE\n"));
}

#[test]
fn a_value_of_the_wrong_kind_says_what_kind_the_field_takes() {
    for (line, at, help) in [
        ("injured: many\n", "--> content/briefs/x.md:5:10", "= help: this value must be a whole number"),
        ("draft: maybe\n", "--> content/briefs/x.md:5:8", "= help: this value must be `true` or `false`"),
    ] {
        let problems = fails_cleanly(&site_with(&format!("{GOOD}{line}")));
        assert!(problems.human.contains(at) && problems.human.contains(help), "{line}: {}", problems.human);
    }
}

#[test]
fn duplicate_slugs_name_both_files() {
    let site = SiteTest::new();
    site.file("content/briefs/a.md", &brief(&format!("{GOOD}slug: same\n")));
    site.file("content/briefs/2023/b.md", &brief(&format!("{GOOD}slug: same\n")));
    assert_problems!(site);
}

#[test]
fn tabs_in_yaml_are_reported_at_the_line_of_the_markdown_file() {
    assert_problems!(site_with(&format!("{GOOD}fatalities:\n\tbest: 3\n")));
}

#[test]
fn duplicate_keys_are_reported_where_they_repeat() {
    assert_problems!(site_with(&format!("{GOOD}title: Again\n")));
}

#[test]
fn unclosed_quotes_are_reported() {
    assert_problems!(site_with("title: \"Attack on a village\ndate: 2023-09-28\ncountry: NE\n"));
}

#[test]
fn missing_front_matter_is_reported() {
    let site = SiteTest::new();
    site.file("content/briefs/x.md", "Just some text.\n");
    assert_problems!(site);
}

#[test]
fn unclosed_front_matter_is_reported() {
    let site = SiteTest::new();
    site.file("content/briefs/x.md", "---\ntitle: A\ndate: 2023-09-28\n\nBody.\n");
    assert_problems!(site);
}

#[test]
fn empty_files_are_reported() {
    let site = SiteTest::new();
    site.file("content/briefs/x.md", "");
    assert_problems!(site);
}

#[test]
fn files_that_are_not_utf8_are_reported_with_the_line() {
    let site = SiteTest::new();
    let mut bytes = brief(GOOD).into_bytes();
    bytes.extend_from_slice(b"caf\xe9\n");
    std::fs::write(site.root().join("content/briefs/x.md"), bytes).unwrap();
    assert_problems!(site);
}

/// A build leaves briefs' texts in their files and reads each again by the
/// path messages name it by; a file whose name is not UTF-8 (which that
/// path cannot spell) still builds, its text held instead.
#[cfg(unix)]
#[test]
fn a_brief_whose_file_name_is_not_utf8_builds() {
    use std::os::unix::ffi::OsStrExt;
    let site = SiteTest::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    let text =
        "---\ntitle: Attack on a village\ndate: 2023-09-28\ncountry: NE\nslug: cafe\n---\nThe body, read again.\n";
    std::fs::write(site.root().join("content/briefs").join(name), text).unwrap();
    site.build().success();
    assert!(site.page("briefs/cafe/index.html").main_html().contains("The body, read again."));
}

#[test]
fn bom_and_crlf_simply_work() {
    let site = SiteTest::new();
    let text = format!("\u{feff}{}", brief(GOOD).replace('\n', "\r\n"));
    site.file("content/briefs/x.md", &text);
    site.build().success();
    assert_eq!(site.page("briefs/x/index.html").text("h1"), "Attack on a village");
}

#[test]
fn every_problem_in_every_file_is_reported_before_failing() {
    let site = SiteTest::new();
    site.file("content/briefs/a.md", &brief("title: A\ndate: 2023-02-30\ncountry: Atlantis\n"));
    site.file("content/briefs/b.md", &brief(&format!("{GOOD}fatalities: {{best: 5, low: 9}}\ncolour: red\n")));
    site.file("content/briefs/c.md", &brief(GOOD));
    let stderr = site.check().problems();
    insta::assert_snapshot!(stderr);
    assert!(stderr.trim_end().ends_with("4 errors, 0 warnings in 2 files"), "{stderr}");
}

#[test]
fn unknown_groups_are_warnings_and_errors_when_strict() {
    let site = SiteTest::new();
    site.file("content/groups/jnim.md", "---\nname: JNIM\naliases: [GSIM]\n---\n");
    site.file("content/briefs/x.md", &brief(&format!("{GOOD}armed_groups: [JNM]\n")));
    let run = site.check().success();
    insta::assert_snapshot!("unknown_group_warning", run.stderr());
    let strict = site.run(&["check", "--strict"]).problems();
    assert!(strict.contains("error[unknown-group]"), "{strict}");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = SiteTest::new();
    site.file("content/briefs/x.md", &brief(GOOD));
    site.build().success();
    let before = site.read("briefs/x/index.html");
    let files_before = site.output_files();
    site.file("content/briefs/x.md", &brief("title: Changed\ndate: 2023-09-28\ncountry: Nowhere\n"));
    site.build().problems();
    assert_eq!(site.read("briefs/x/index.html"), before);
    assert_eq!(site.output_files(), files_before);
}

#[test]
fn admin1_is_checked_against_iso_3166_2_as_a_warning() {
    let site = SiteTest::new();
    site.file("content/briefs/x.md", &brief(&format!("{GOOD}admin1: Tilaberi\n")));
    site.file("content/briefs/y.md", &brief("title: B\ndate: 2023-09-28\ncountry: NE\nadmin1: tillaberi\n"));
    let run = site.check().success();
    insta::assert_snapshot!(run.stderr());
}

#[test]
fn very_large_files_are_refused_with_a_clear_message() {
    let site = site_with(GOOD);
    let mut huge = brief(GOOD);
    huge.push_str(&"Synthetic filler text. ".repeat(10 * 1024 * 1024 / 23));
    site.file("content/briefs/huge.md", &huge);
    assert_problems!(site);
}

#[test]
fn symlink_loops_are_reported() {
    let site = site_with(GOOD);
    std::os::unix::fs::symlink(site.root().join("content/briefs"), site.root().join("content/briefs/loop")).unwrap();
    assert_problems!(site);
}

#[test]
fn unreadable_files_are_reported_not_skipped() {
    let site = site_with(GOOD);
    // As root every file can be read, so the unreadable file here is a link
    // to one that is gone: the same error path, for everyone.
    std::os::unix::fs::symlink(site.root().join("gone.md"), site.root().join("content/briefs/dangling.md")).unwrap();
    assert_problems!(site);
}

#[test]
fn a_group_named_in_another_case_resolves_to_the_registry_entry() {
    let site = site_with(&format!(
        "{GOOD}armed_groups: [jnim, {{group: Jama'at NUSRAT al-Islam wal-Muslimin, attribution: claimed}}]\n"
    ));
    site.file("content/groups/jnim.md", "---\nname: JNIM\nfull_name: Jama'at Nusrat al-Islam wal-Muslimin\n---\n");
    let run = site.build().success();
    assert!(run.stderr().is_empty(), "{}", run.stderr());
    let group_pages: Vec<String> = site
        .output_files()
        .into_iter()
        .filter(|f| f.starts_with("groups/") && f.ends_with("/index.html") && f != "groups/index.html")
        .collect();
    assert_eq!(group_pages, ["groups/jnim/index.html"], "one group, not two");
    assert_eq!(site.page("groups/jnim/index.html").texts(".brief-list h3"), ["Attack on a village"]);
}

#[test]
fn internal_links_and_anchors_must_exist() {
    let site = site_with(GOOD);
    site.file(
        "content/about.md",
        "---\ntitle: About\n---\n## Sources\n\nSee [the brief](/briefs/x/), [its country](/countries/ne/#briefs-heading),\n[a missing brief](/briefs/nope/), [a bad anchor](/briefs/x/#nowhere)\nand [this section](#sources) and [another](#sourcez).\nOutside links are not checked: [example](https://example.org/missing).\n",
    );
    assert_problems!(site);
}
