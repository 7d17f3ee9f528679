//! The armed-group registry: names, aliases and case resolve to one group;
//! affiliates roll up into their parent; bad registries are reported.

use crate::harness::SiteTest;

fn brief(slug: &str, date: &str, groups: &str, killed: u32) -> (String, String) {
    (
        format!("content/briefs/{slug}.md"),
        format!(
            "---\ntitle: Synthetic {slug}\ndate: {date}\ncountry: ML\nfatalities: {killed}\narmed_groups: {groups}\n---\n"
        ),
    )
}

/// A parent with two affiliates, one of which has its own affiliate.
fn registry_site() -> SiteTest {
    let site = SiteTest::new();
    site.file("content/groups/parent.md", "---\nname: Parent Org\naliases: [PO]\n---\nThe parent.\n");
    site.file(
        "content/groups/branch.md",
        "---\nname: Branch One\naliases: [B1, Branch of the East]\naffiliation: PO\n---\n",
    );
    site.file("content/groups/cell.md", "---\nname: Cell\naffiliation: branch one\n---\n");
    site.file("content/groups/other.md", "---\nname: Other\n---\n");
    for (path, text) in [
        brief("a", "2023-01-01", "[parent org]", 1),
        brief("b", "2023-02-01", "[b1]", 10),
        brief("c", "2023-03-01", "[BRANCH OF THE EAST, {group: Cell, attribution: claimed}]", 100),
        brief("d", "2023-04-01", "[cell]", 1000),
        brief("e", "2023-05-01", "[Other]", 10000),
    ] {
        site.file(&path, &text);
    }
    site
}

#[test]
fn any_alias_in_any_case_lands_on_the_group_page() {
    let site = registry_site();
    let run = site.build().success();
    assert!(run.stderr().is_empty(), "{}", run.stderr());
    let branch = site.page("groups/branch/index.html");
    // b (alias B1), c (full alias in capitals; named once although listed twice via Cell), d (via Cell).
    assert_eq!(branch.texts(".brief-list h3"), ["Synthetic d", "Synthetic c", "Synthetic b"]);
    assert_eq!(site.page("briefs/c/index.html").texts(".facts a[href^='/groups/']"), ["Branch One", "Cell"]);
}

#[test]
fn affiliates_roll_up_into_their_parents_counting_each_brief_once() {
    let site = registry_site();
    site.build().success();
    let totals = |slug: &str| site.page(&format!("groups/{slug}/index.html")).texts(".totals dd")[..2].to_vec();
    assert_eq!(totals("cell"), ["2", "1,100"]);
    assert_eq!(totals("branch"), ["3", "1,110"]);
    assert_eq!(totals("parent"), ["4", "1,111"]);
    assert_eq!(totals("other"), ["1", "10,000"]);
    let parent = site.page("groups/parent/index.html");
    assert_eq!(parent.texts(".group-facts dd ul li"), ["Branch One"]);
    // Each roll-up entry says which affiliate the brief named.
    let meta = parent.texts(".brief-list .meta");
    assert!(meta[0].ends_with("attributed via Cell"), "{meta:?}");
    assert!(meta[3].ends_with("attributed"), "{meta:?}");
    let cell = site.page("groups/cell/index.html");
    assert_eq!(cell.texts(".group-facts dd a"), ["Branch One", "Parent Org"]);
}

#[test]
fn groups_index_lists_every_group_with_totals() {
    let site = registry_site();
    site.build().success();
    let rows = site.page("groups/index.html").texts(".index-table tbody tr");
    assert_eq!(
        rows,
        [
            "Branch One Parent Org 3 1,110 1 February 2023 1 April 2023",
            "Cell Branch One 2 1,100 1 March 2023 1 April 2023",
            "Other 1 10,000 1 May 2023 1 May 2023",
            "Parent Org 4 1,111 1 January 2023 1 April 2023",
        ]
    );
}

#[test]
fn a_group_not_in_the_registry_still_gets_a_page() {
    let site = SiteTest::new();
    let (path, text) = brief("x", "2023-01-01", "[Unheard Of Front]", 3);
    site.file(&path, &text);
    let run = site.build().success();
    assert!(run.stderr().contains("warning[unknown-group]"), "{}", run.stderr());
    let page = site.page("groups/unheard-of-front/index.html");
    assert_eq!(page.text("h1"), "Unheard Of Front");
    assert!(page.text("main").contains("no entry in the group registry"));
}

#[test]
fn a_name_claimed_by_two_groups_is_an_error_naming_both_files() {
    let site = SiteTest::new();
    site.file("content/groups/one.md", "---\nname: One\naliases: [Shared]\n---\n");
    site.file("content/groups/two.md", "---\nname: Two\naliases: [shared]\n---\n");
    insta::assert_snapshot!(site.check().problems());
}

#[test]
fn affiliation_loops_and_unknown_parents_are_errors() {
    let site = SiteTest::new();
    site.file("content/groups/a.md", "---\nname: A\naffiliation: B\n---\n");
    site.file("content/groups/b.md", "---\nname: B\naffiliation: A\n---\n");
    site.file("content/groups/c.md", "---\nname: C\naffiliation: Nobody Knows\n---\n");
    insta::assert_snapshot!(site.check().problems());
}

#[test]
fn registry_files_are_validated_like_briefs() {
    let site = SiteTest::new();
    site.file("content/groups/x.md", "---\nname: X\ntype: militia\nactive_in: [Atlantis]\nallies: [Y]\n---\n");
    insta::assert_snapshot!(site.check().problems());
}
