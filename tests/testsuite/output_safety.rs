//! sitrep replaces only folders it made, never the site itself, and never
//! anything outside the output folder.

use crate::harness::SiteTest;

fn site() -> SiteTest {
    let site = SiteTest::new();
    site.file("content/briefs/x.md", "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\n---\n");
    site
}

#[test]
fn refuses_a_folder_it_did_not_make() {
    let site = site();
    site.file("public/notes.txt", "my notes");
    let run = site.build();
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(run.stderr().contains("was not made by sitrep"), "{}", run.stderr());
    assert_eq!(std::fs::read_to_string(site.public().join("notes.txt")).unwrap(), "my notes");
    // --force replaces it.
    site.run(&["build", "--force"]).success();
    assert!(!site.exists("notes.txt"));
    assert!(site.exists("briefs/x/index.html"));
}

#[test]
fn refuses_the_site_folder_and_folders_holding_content_or_git() {
    let site = site();
    for output in [".", ".."] {
        let run = site.run(&["build", "--force", "--output", output]);
        assert_eq!(run.code(), 2, "--output {output}: {}", run.stderr());
        assert!(run.stderr().contains("is the site folder or holds it"), "{}", run.stderr());
    }
    site.file("elsewhere/.git/HEAD", "ref: refs/heads/main\n");
    let run = site.run(&["build", "--force", "--output", "elsewhere"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("it holds .git"), "{}", run.stderr());
    assert!(site.root().join("elsewhere/.git/HEAD").exists());
    assert!(site.root().join("content/briefs/x.md").exists());
}

#[test]
fn rebuilds_replace_its_own_output_and_leave_neighbours_alone() {
    let site = site();
    site.file("neighbour.txt", "keep me");
    site.build().success();
    assert!(site.exists(".sitrep-output"));
    std::fs::remove_file(site.root().join("content/briefs/x.md")).unwrap();
    site.file("content/briefs/y.md", "---\ntitle: Synthetic Y\ndate: 2023-01-02\ncountry: NE\n---\n");
    site.build().success();
    // The deleted brief's page is gone; nothing else outside public/ changed.
    assert!(!site.exists("briefs/x/index.html"));
    assert!(site.exists("briefs/y/index.html"));
    assert_eq!(std::fs::read_to_string(site.root().join("neighbour.txt")).unwrap(), "keep me");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sitrep-new") || n.contains("sitrep-old"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
}

#[test]
fn writes_into_an_empty_or_new_folder_anywhere() {
    let site = site();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("deep/out");
    site.run(&["build", "--output", target.to_str().unwrap()]).success();
    assert!(target.join("briefs/x/index.html").exists());
    std::fs::create_dir_all(elsewhere.path().join("empty")).unwrap();
    site.run(&["build", "--output", elsewhere.path().join("empty").to_str().unwrap()]).success();
}
