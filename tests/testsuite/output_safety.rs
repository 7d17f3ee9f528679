//! sitrep writes only into folders it made (or empty ones), never the site
//! itself, deletes only files its manifest lists, rewrites only files whose
//! bytes changed, and leaves the output untouched when a build fails.

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
    // --force writes into it, and still leaves the files sitrep did not make.
    site.run(&["build", "--force"]).success();
    assert_eq!(std::fs::read_to_string(site.public().join("notes.txt")).unwrap(), "my notes");
    assert!(site.exists("briefs/x/index.html"));
    std::fs::remove_file(site.root().join("content/briefs/x.md")).unwrap();
    site.file("content/briefs/y.md", "---\ntitle: Synthetic Y\ndate: 2023-01-02\ncountry: NE\n---\n");
    site.build().success();
    assert!(!site.exists("briefs/x/index.html"), "sitrep removes the pages it made and no longer makes");
    assert_eq!(std::fs::read_to_string(site.public().join("notes.txt")).unwrap(), "my notes");
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
    assert_no_staging_left(&site);
}

/// No staging folder of a build is left beside the output.
fn assert_no_staging_left(site: &SiteTest) {
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sitrep-") && !n.ends_with("sitrep-standby"))
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

/// Every file of the output with a digest of its bytes and its modification time.
fn snapshot(site: &SiteTest) -> std::collections::BTreeMap<String, (u64, std::time::SystemTime)> {
    use std::hash::{Hash, Hasher};
    site.output_files()
        .into_iter()
        .map(|rel| {
            let path = site.public().join(&rel);
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            let mut digest = std::collections::hash_map::DefaultHasher::new();
            std::fs::read(&path).unwrap().hash(&mut digest);
            (rel, (digest.finish(), modified))
        })
        .collect()
}

/// The files whose digest (`.0`) or modification time (`.1`) differ.
fn differing<T: PartialEq>(
    a: &std::collections::BTreeMap<String, (u64, std::time::SystemTime)>,
    b: &std::collections::BTreeMap<String, (u64, std::time::SystemTime)>,
    part: impl Fn(&(u64, std::time::SystemTime)) -> T,
) -> Vec<String> {
    a.keys().filter(|k| b.get(*k).is_none_or(|v| part(v) != part(&a[*k]))).cloned().collect()
}

#[test]
fn rebuilds_write_only_the_files_whose_bytes_changed() {
    let site = SiteTest::fixture("briefs");
    site.build().success();
    let first = snapshot(&site);

    // Nothing changed: nothing is written (modification times stay).
    let run = site.build().success();
    assert!(run.stdout().contains(" 0 written, 0 removed"), "{}", run.stdout());
    let again = snapshot(&site);
    assert_eq!(differing(&first, &again, |v| v.1), Vec::<String>::new(), "files rewritten though nothing changed");

    // One brief's text changed: exactly the files whose bytes differ are rewritten.
    let brief = site.root().join("content/briefs/2023/2023-08-14-synthetic-outpost.md");
    let mut text = std::fs::read_to_string(&brief).unwrap();
    text.push_str("\nOne more sentence, added by a test.\n");
    std::fs::write(&brief, text).unwrap();
    site.build().success();
    let second = snapshot(&site);
    // The same files, but for the search index's chunks, which are named
    // by their contents.
    let named = |s: &std::collections::BTreeMap<String, (u64, std::time::SystemTime)>| {
        s.keys().filter(|k| !k.starts_with("pagefind/")).cloned().collect::<Vec<_>>()
    };
    assert_eq!(named(&first), named(&second));
    let differ = differing(&first, &second, |v| v.0);
    let rewritten = differing(&first, &second, |v| v.1);
    assert_eq!(differ, rewritten);
    assert!(differ.iter().any(|k| k.starts_with("briefs/") && k.ends_with("/index.html")), "{differ:?}");
    assert!(differ.len() * 4 < first.len(), "only a few files show one brief's text: {differ:?}");
}

#[test]
fn changed_output_files_are_written_again_even_at_the_same_size() {
    let site = site();
    site.build().success();
    let page = site.public().join("briefs/x/index.html");
    let built = std::fs::read(&page).unwrap();
    // Another length, then the same length with other bytes (and a new modification time).
    for tampered in [b"edited by hand".to_vec(), built.iter().map(|b| if *b == b'<' { b'[' } else { *b }).collect()] {
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&page, &tampered).unwrap();
        let run = site.build().success();
        assert!(run.stdout().contains(" 1 written"), "{}", run.stdout());
        assert_eq!(std::fs::read(&page).unwrap(), built);
    }
    // A change of the same length in the source: the page keeps its size and
    // must still be rewritten (the recorded hash differs).
    site.file("content/briefs/x.md", "---\ntitle: Synthetiq\ndate: 2023-01-01\ncountry: NE\n---\n");
    site.build().success();
    let rebuilt = std::fs::read(&page).unwrap();
    assert_eq!(rebuilt.len(), built.len());
    assert!(String::from_utf8(rebuilt).unwrap().contains("Synthetiq"));
}

#[test]
fn a_build_that_fails_while_rendering_changes_nothing_in_the_output() {
    let site = site();
    site.build().success();
    let before = snapshot(&site);
    // The text changes (its page would be staged), then a broken link fails the build.
    site.file(
        "content/briefs/x.md",
        "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\n---\nNew text, [a link](/briefs/nowhere/).\n",
    );
    let problems = site.build().problems();
    assert!(problems.contains("broken-link"), "{problems}");
    let after = snapshot(&site);
    assert_eq!(differing(&before, &after, |v| *v), Vec::<String>::new());
    assert_eq!(before.len(), after.len());
    assert_no_staging_left(&site);
}

#[test]
fn a_static_file_where_a_page_needs_a_folder_is_refused_before_anything_moves() {
    let site = site();
    site.build().success();
    let before = snapshot(&site);
    // The brief's text changes (its page would be moved in), and a static
    // file takes the name of the brief's folder.
    site.file("content/briefs/x.md", "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\n---\nNew text.\n");
    site.file("static/briefs/x", "a file, not a folder");
    let run = site.build();
    // A problem in the site (two of its files want one path), not in the machine.
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.stderr().contains("conflicting outputs at briefs/x"), "{}", run.stderr());
    assert!(run.stderr().contains("rename or move the static file"), "{}", run.stderr());
    assert_eq!(differing(&before, &snapshot(&site), |v| *v), Vec::<String>::new());
    assert_no_staging_left(&site);
}

#[test]
fn clashing_files_in_a_build_into_a_new_folder_are_refused_and_leave_nothing() {
    // Each file waits at its own path in the staging folder: where another
    // file of the build is in the way, it waits elsewhere, and the clash is
    // reported as in any build; the output is not made.
    for (name, text, expected) in [
        (
            "static/briefs/x",
            "a file, not a folder",
            "conflicting outputs at briefs/x in the output folder: one file of the build has this path",
        ),
        (
            "static/briefs/x/index.html",
            "a page's twin",
            "conflicting outputs at briefs/x/index.html in the output folder: two files of the build have this path",
        ),
    ] {
        let site = site();
        site.file(name, text);
        let run = site.build();
        assert_eq!(run.code(), 1, "{name}: {}", run.stderr());
        assert!(run.stderr().contains(expected), "{name}: {}", run.stderr());
        assert!(!site.public().exists(), "{name}: the output was made");
        assert_no_staging_left(&site);
    }
}

#[test]
fn only_files_listed_in_the_manifest_are_ever_deleted() {
    let site = site();
    site.build().success();
    // Somebody else's file inside the output, and one outside it that a
    // tampered manifest names.
    site.file("public/briefs/x/notes.txt", "mine");
    site.file("outside.txt", "keep");
    let manifest = site.public().join(".sitrep-output");
    let mut listed = std::fs::read_to_string(&manifest).unwrap();
    listed.push_str("../outside.txt\n/etc/hostname\n");
    std::fs::write(&manifest, listed).unwrap();
    // The brief goes: its page goes, the other files stay.
    std::fs::remove_file(site.root().join("content/briefs/x.md")).unwrap();
    site.file("content/briefs/y.md", "---\ntitle: Synthetic Y\ndate: 2023-01-02\ncountry: NE\n---\n");
    site.build().success();
    assert!(!site.exists("briefs/x/index.html"));
    assert_eq!(std::fs::read_to_string(site.public().join("briefs/x/notes.txt")).unwrap(), "mine");
    assert_eq!(std::fs::read_to_string(site.root().join("outside.txt")).unwrap(), "keep");
    let listed = std::fs::read_to_string(&manifest).unwrap();
    assert!(listed.lines().any(|l| l.ends_with(" briefs/y/index.html")), "{listed}");
    // Others' files are named only as carried over, never as sitrep's.
    assert!(
        listed.lines().filter(|l| l.contains("notes.txt")).all(|l| l == "# carried: briefs/x/notes.txt"),
        "{listed}"
    );
}

#[test]
fn output_of_older_versions_and_interrupted_builds_is_taken_over() {
    let site = site();
    // An output folder as older sitrep wrote it: a one-line marker, every file its own.
    site.file("public/.sitrep-output", "This folder was generated by sitrep and is replaced on every build.\n");
    site.file("public/briefs/gone/index.html", "stale");
    // A staging folder, and a folder of files that clashed, left by a
    // build that was killed.
    site.file(".public.sitrep-staging-4242/briefs/x/index.html", "half");
    site.file(".public.sitrep-loose-4242/0", "clashed");
    site.build().success();
    assert!(!site.exists("briefs/gone/index.html") && !site.public().join("briefs/gone").exists());
    assert!(site.exists("briefs/x/index.html"));
    assert!(!site.root().join(".public.sitrep-staging-4242").exists());
    assert!(!site.root().join(".public.sitrep-loose-4242").exists());
}

/// A site of `n` synthetic briefs whose titles carry `version`.
fn versioned_site(site: &SiteTest, n: usize, version: &str) {
    for i in 0..n {
        site.file(
            &format!("content/briefs/b{i:03}.md"),
            &format!(
                "---\ntitle: Synthetic {version} {i}\ndate: 2023-01-01\ncountry: NE\n---\nSynthetic text, {version}.\n"
            ),
        );
    }
}

/// The versions the built brief pages carry (one if the site is whole).
fn versions_published(site: &SiteTest, n: usize) -> std::collections::BTreeSet<String> {
    (0..n)
        .map(|i| {
            let page = std::fs::read_to_string(site.public().join(format!("briefs/b{i:03}/index.html")))
                .unwrap_or_else(|e| panic!("brief {i} missing from the output: {e}"));
            if page.contains("Synthetic new ") { "new".to_string() } else { "old".to_string() }
        })
        .collect()
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one_whole() {
    let site = SiteTest::new();
    let n = 400;
    versioned_site(&site, n, "old");
    site.build().success();
    versioned_site(&site, n, "new");
    // How long a build that replaces every page takes on this machine
    // (from a few hundred milliseconds to over a second), so that the
    // kills below are spread over all of one, its last steps included.
    let started = std::time::Instant::now();
    site.build().success();
    let whole = started.elapsed().as_millis() as u64;
    versioned_site(&site, n, "old");
    site.build().success();
    versioned_site(&site, n, "new");
    // Kill builds at 40 moments from the start to twice the length of such
    // a build (other tests run at the same time, so a build may take longer
    // than the one measured), each time checking what is published.
    let mut seen = std::collections::BTreeSet::new();
    for delay_ms in (0..40).map(|k| k * whole * 2 / 39) {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
            .args(["build", "--root"])
            .arg(site.root())
            .env("SITREP_TODAY", crate::harness::TODAY)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let versions = versions_published(&site, n);
        assert_eq!(versions.len(), 1, "killed after {delay_ms} ms: a mix of old and new pages");
        seen.extend(versions.clone());
        if versions.contains("new") {
            // Published: start over from the old site for the next kill.
            versioned_site(&site, n, "old");
            site.build().success();
            versioned_site(&site, n, "new");
        }
    }
    assert!(seen.contains("old"), "no build was killed before it published");
    assert!(seen.contains("new"), "no build published before it was killed: the kills missed the end of the build");
    // The next build succeeds and cleans up after the killed ones.
    site.build().success();
    assert_eq!(versions_published(&site, n), ["new".to_string()].into());
    assert_no_staging_left(&site);
}

#[test]
fn two_builds_at_once_take_turns() {
    let site = SiteTest::new();
    versioned_site(&site, 300, "old");
    let start = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
            .args(["build", "--root"])
            .arg(site.root())
            .env("SITREP_TODAY", crate::harness::TODAY)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    for _ in 0..3 {
        let (a, b) = (start(), start());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        for out in [&a, &b] {
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
        versioned_site(&site, 300, "new");
    }
    assert_eq!(versions_published(&site, 300).len(), 1);
    assert_no_staging_left(&site);
}

#[test]
fn a_file_sitrep_did_not_write_is_not_replaced_without_force() {
    let site = site();
    site.build().success();
    std::fs::remove_file(site.public().join("404.html")).unwrap();
    site.file("public/404.html", "<h1>Our own 404</h1>");
    // Rewrite the manifest as if 404.html had never been sitrep's.
    let manifest = site.public().join(".sitrep-output");
    let listed: String = std::fs::read_to_string(&manifest)
        .unwrap()
        .lines()
        .filter(|l| !l.ends_with(" 404.html"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&manifest, listed).unwrap();
    let run = site.build();
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(run.stderr().contains("error[foreign-file]"), "{}", run.stderr());
    assert!(run.stderr().contains("public/404.html was not written by sitrep"), "{}", run.stderr());
    assert_eq!(std::fs::read_to_string(site.public().join("404.html")).unwrap(), "<h1>Our own 404</h1>");
    site.run(&["build", "--force"]).success();
    assert!(std::fs::read_to_string(site.public().join("404.html")).unwrap().contains("Page not found"));
}

#[test]
fn a_hand_written_file_at_a_path_the_build_starts_making_is_kept() {
    // The Pages team wrote public/CNAME by hand; later the site's own
    // `cname:` makes the build write that file too.
    let site = site();
    site.build().success();
    site.file("public/CNAME", "briefs.example.org\n");
    site.build().success();
    site.file("site.yaml", &format!("{}cname: incidents.example.org\n", crate::harness::MINIMAL_CONFIG));
    let run = site.build();
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(run.stderr().contains("public/CNAME was not written by sitrep"), "{}", run.stderr());
    assert_eq!(std::fs::read_to_string(site.public().join("CNAME")).unwrap(), "briefs.example.org\n");
    site.run(&["build", "--force"]).success();
    assert_eq!(std::fs::read_to_string(site.public().join("CNAME")).unwrap().trim(), "incidents.example.org");
}

#[test]
fn nothing_is_written_or_deleted_through_a_link_in_the_output() {
    let site = site();
    site.build().success();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(elsewhere.path().join("x")).unwrap();
    std::fs::write(elsewhere.path().join("x/index.html"), "not sitrep's").unwrap();
    // The briefs folder of the output replaced by a link to elsewhere.
    std::fs::remove_dir_all(site.public().join("briefs")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.public().join("briefs")).unwrap();
    // And a link the build does not need, to a folder with a file in it.
    std::os::unix::fs::symlink(elsewhere.path(), site.public().join("mirror")).unwrap();
    let run = site.build();
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(run.stderr().contains("public/briefs was not written by sitrep"), "{}", run.stderr());
    site.run(&["build", "--force"]).success();
    // The link sitrep needed the path of is replaced by a real folder; what
    // it pointed at, and the other link, are as they were.
    assert!(!std::fs::symlink_metadata(site.public().join("briefs")).unwrap().file_type().is_symlink());
    assert!(site.exists("briefs/x/index.html"));
    assert_eq!(std::fs::read_to_string(elsewhere.path().join("x/index.html")).unwrap(), "not sitrep's");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 1, "nothing was written elsewhere");
    assert!(std::fs::symlink_metadata(site.public().join("mirror")).unwrap().file_type().is_symlink());
    // The brief goes: its page goes, and nothing behind the link does.
    std::fs::remove_file(site.root().join("content/briefs/x.md")).unwrap();
    site.file("content/briefs/y.md", "---\ntitle: Synthetic Y\ndate: 2023-01-02\ncountry: NE\n---\n");
    site.build().success();
    assert!(!site.exists("briefs/x/index.html"));
    assert_eq!(std::fs::read_to_string(elsewhere.path().join("x/index.html")).unwrap(), "not sitrep's");
}

#[test]
fn output_inside_the_sources_is_refused_even_with_force() {
    let site = site();
    let template = "{% extends \"base.html\" %}{% block main %}Lost{% endblock main %}";
    site.file("templates/404.html", template);
    site.file("static/style.css", "body {}");
    for output in ["templates", "static/out", "content/public"] {
        let run = site.run(&["build", "--force", "--output", output]);
        assert_eq!(run.code(), 2, "--output {output}: {}", run.stderr());
        assert!(run.stderr().contains("inside the site's"), "{}", run.stderr());
    }
    assert_eq!(std::fs::read_to_string(site.root().join("templates/404.html")).unwrap(), template);
    assert!(!site.root().join("static/out").exists() && !site.root().join("content/public").exists());
}

#[test]
fn a_read_only_output_is_refused_and_left_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let site = site();
    site.build().success();
    let before = snapshot(&site);
    site.file("content/briefs/x.md", "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\n---\nChanged.\n");
    std::fs::set_permissions(site.public(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let run = site.build();
    std::fs::set_permissions(site.public(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(run.stderr().contains("it is read-only"), "{}", run.stderr());
    assert_eq!(differing(&before, &snapshot(&site), |v| *v), Vec::<String>::new());
    assert_no_staging_left(&site);
}

#[test]
fn a_write_that_fails_half_way_leaves_the_old_site_whole() {
    // A full disk, simulated: a file-size limit of a few kilobytes, with the signal it
    // raises ignored, so that writes past it fail (EFBIG) as on a full disk.
    let site = SiteTest::new();
    let n = 50;
    versioned_site(&site, n, "old");
    site.build().success();
    versioned_site(&site, n, "new");
    site.file("content/briefs/long.md", &format!("{SYNTHETIC_LONG}{}", "Synthetic long text. ".repeat(2000)));
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8; exec \"$0\" build --root \"$1\"")
        .arg(env!("CARGO_BIN_EXE_sitrep"))
        .arg(site.root())
        .env("NO_COLOR", "1")
        .env("SITREP_TODAY", crate::harness::TODAY)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error[write]: cannot write"), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    assert_eq!(versions_published(&site, n), ["old".to_string()].into(), "the old site is whole");
    assert!(!site.exists("briefs/long/index.html"));
    assert_no_staging_left(&site);
    site.build().success();
    assert_eq!(versions_published(&site, n), ["new".to_string()].into());
}

const SYNTHETIC_LONG: &str = "---\ntitle: Synthetic long\ndate: 2023-01-01\ncountry: NE\n---\n";

#[test]
fn the_standby_copy_follows_what_others_add_and_remove() {
    let site = SiteTest::new();
    versioned_site(&site, 3, "old");
    site.build().success();
    let rebuild = |version: &str| {
        versioned_site(&site, 3, version);
        site.build().success();
    };
    site.file("public/notes.txt", "mine");
    rebuild("new");
    assert!(site.root().join(".public.sitrep-standby").is_dir(), "the old generation is kept to swap in next time");
    assert_eq!(std::fs::read_to_string(site.public().join("notes.txt")).unwrap(), "mine");
    rebuild("old");
    assert_eq!(std::fs::read_to_string(site.public().join("notes.txt")).unwrap(), "mine");
    // Removed by hand: it stays removed, though the standby had it.
    std::fs::remove_file(site.public().join("notes.txt")).unwrap();
    rebuild("new");
    rebuild("old");
    assert!(!site.exists("notes.txt"));
    assert_eq!(versions_published(&site, 3), ["old".to_string()].into());
    // A standby left half-updated (no manifest) is made again.
    std::fs::remove_file(site.root().join(".public.sitrep-standby/.sitrep-output")).unwrap();
    std::fs::write(site.root().join(".public.sitrep-standby/briefs/b000/index.html"), "stale").unwrap();
    rebuild("new");
    assert_eq!(versions_published(&site, 3), ["new".to_string()].into());
    rebuild("old");
    assert_eq!(versions_published(&site, 3), ["old".to_string()].into());
}
