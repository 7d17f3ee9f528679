//! Editors' tooling: `check` output formats, `new` and `init`.

use crate::harness::SiteTest;

fn broken_site() -> SiteTest {
    let site = SiteTest::new();
    site.file("content/briefs/a.md", "---\ntitle: Synthetic A\ndate: 28/09/2023\ncountry: Nigerr\n---\n");
    site.file("content/briefs/b.md", "---\ntitle: Synthetic B\ndate: 2023-09-28\ncountry: NE\ncolour: red\n---\n");
    site.file(
        "content/briefs/c.md",
        "---\ntitle: Synthetic C\ndate: 2023-09-28\ncountry: NE\narmed_groups: [Nobody]\n---\n",
    );
    site
}

#[test]
fn check_json_prints_one_object_per_problem() {
    let site = broken_site();
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code(), 1);
    let problems: Vec<serde_json::Value> =
        run.stdout().lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    assert_eq!(problems.len(), 4);
    for p in &problems {
        let keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 7, "{p}");
        for key in ["file", "line", "column", "severity", "code", "message", "help"] {
            assert!(keys.contains(&key), "{key} missing in {p}");
        }
    }
    assert_eq!(problems[0]["file"], "content/briefs/a.md");
    assert_eq!((problems[0]["line"].as_u64(), problems[0]["column"].as_u64()), (Some(3), Some(7)));
    assert_eq!(problems[0]["code"], "invalid-date");
    assert_eq!(problems[3]["severity"], "warning");
    insta::assert_snapshot!(run.stdout());
}

/// GitHub's workflow command syntax:
/// `::error file={name},line={line},col={col},title={title}::{message}`,
/// with `%`, CR and LF escaped in the message, and `:` and `,` too in properties.
#[test]
fn check_github_prints_workflow_annotations() {
    let site = broken_site();
    let run = site.run(&["check", "--format", "github"]);
    assert_eq!(run.code(), 1);
    let lines: Vec<String> = run.stdout().lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 4);
    for line in &lines {
        let rest = line
            .strip_prefix("::error ")
            .or_else(|| line.strip_prefix("::warning "))
            .unwrap_or_else(|| panic!("{line}"));
        let (props, message) = rest.split_once("::").unwrap_or_else(|| panic!("no `::` in {line}"));
        assert!(!message.is_empty() && !message.contains('\n') && !message.contains('\r'));
        let names: Vec<&str> = props.split(',').map(|p| p.split_once('=').expect("key=value").0).collect();
        assert_eq!(names, ["file", "line", "col", "title"], "{line}");
        for value in props.split(',').map(|p| p.split_once('=').unwrap().1) {
            assert!(!value.contains(':'), "unescaped `:` in {value}");
        }
    }
    insta::assert_snapshot!(run.stdout());
}

#[test]
fn human_output_is_coloured_only_when_asked_or_on_a_terminal() {
    let site = broken_site();
    assert!(!site.check().stderr().contains('\u{1b}'), "piped output is plain");
    let coloured = site.run(&["check", "--color", "always"]).stderr();
    assert!(coloured.contains("\u{1b}[1;31merror[invalid-date]"), "{coloured}");
}

#[test]
fn new_writes_a_brief_that_check_accepts() {
    let site = SiteTest::new();
    site.file("content/groups/jnim.md", "---\nname: JNIM\n---\n");
    let run = site.run(&[
        "new",
        "Synthetic clash: near a town",
        "--country",
        "mali",
        "--date",
        "2023-05-01",
        "--group",
        "jnim",
    ]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.stdout().trim(), "created content/briefs/2023/2023-05-01-synthetic-clash-near-a-town.md");
    assert!(run.stderr().is_empty(), "{}", run.stderr());
    let text =
        std::fs::read_to_string(site.root().join("content/briefs/2023/2023-05-01-synthetic-clash-near-a-town.md"))
            .unwrap();
    assert!(text.starts_with("---\ntitle: 'Synthetic clash: near a town'\ndate: 2023-05-01\ncountry: ML"), "{text}");
    assert!(text.contains("armed_groups: [jnim]"), "{text}");
    site.check().success();
    site.build().success();
    assert_eq!(site.page("groups/jnim/index.html").texts(".brief-list h3"), ["Synthetic clash: near a town"]);
}

#[test]
fn new_refuses_to_overwrite_and_checks_its_arguments_like_check() {
    let site = SiteTest::new();
    site.run(&["new", "Synthetic", "--country", "NE", "--date", "2023-05-01"]).success();
    let path = site.root().join("content/briefs/2023/2023-05-01-synthetic.md");
    std::fs::write(&path, "edited by hand").unwrap();
    let again = site.run(&["new", "Synthetic", "--country", "NE", "--date", "2023-05-01"]).could_not_run();
    assert!(again.contains("already exists"), "{again}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited by hand");
    insta::assert_snapshot!(site.run(&["new", "Synthetic", "--country", "Nigerr", "--date", "28/09/2023"]).problems());
}

#[test]
fn init_makes_a_site_that_builds_and_checks_clean() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("mysite");
    let sitrep = env!("CARGO_BIN_EXE_sitrep");
    let run = std::process::Command::new(sitrep)
        .arg("init")
        .arg(&dir)
        .env("SITREP_TODAY", crate::harness::TODAY)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    for file in ["site.yaml", ".gitignore", "content/about.md", "templates/README.md"] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    let check = std::process::Command::new(sitrep).args(["check", "--root"]).arg(&dir).output().unwrap();
    assert!(check.status.success() && check.stderr.is_empty(), "{}", String::from_utf8_lossy(&check.stderr));
    let build = std::process::Command::new(sitrep).args(["build", "--root"]).arg(&dir).output().unwrap();
    assert!(build.status.success());
    let example = std::fs::read_to_string(dir.join("public/briefs/2026-01-15-example-brief/index.html")).unwrap();
    assert!(example.contains("Example brief: replace or delete me"));
    // A second init into the same folder changes nothing.
    let again = std::process::Command::new(sitrep).arg("init").arg(&dir).output().unwrap();
    assert_eq!(again.status.code(), Some(2), "refusing to overwrite means it could not run");
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

#[test]
fn schema_describes_every_front_matter_field_and_is_published() {
    let site = SiteTest::new();
    site.file("content/briefs/x.md", "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\n---\n");
    let schema_of = |kind: &str| {
        let out =
            std::process::Command::new(env!("CARGO_BIN_EXE_sitrep")).args(["schema", "--kind", kind]).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let printed = schema_of("brief");
    let schema: serde_json::Value = serde_json::from_str(&printed).expect("the schema is JSON");
    let properties = schema["properties"].as_object().unwrap();
    for field in sitrep::model::brief::FIELDS {
        assert!(properties.contains_key(*field), "{field} missing from the schema");
    }
    assert_eq!(properties.len(), sitrep::model::brief::FIELDS.len());
    assert_eq!(schema["additionalProperties"], false, "unknown keys are errors, in the schema too");
    assert_eq!(schema["required"], serde_json::json!(["title", "date", "country"]));
    assert_eq!(
        properties["event_type"]["enum"],
        serde_json::json!([
            "battles",
            "explosions-remote-violence",
            "violence-against-civilians",
            "protests",
            "riots",
            "strategic-developments"
        ])
    );
    let group: serde_json::Value = serde_json::from_str(&schema_of("group")).unwrap();
    assert!(group["properties"]["type"]["enum"].as_array().unwrap().contains(&serde_json::json!("state-forces")));
    // A translation's: the keys of every kind of translation, nothing else.
    let translation: serde_json::Value = serde_json::from_str(&schema_of("translation")).unwrap();
    let mut keys: Vec<&str> = translation["properties"].as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    let mut expected: Vec<&str> = [sitrep::load::Kind::Brief, sitrep::load::Kind::Group, sitrep::load::Kind::Page]
        .into_iter()
        .flat_map(|k| sitrep::model::translation::fields(k).iter().copied())
        .collect();
    expected.sort();
    expected.dedup();
    assert_eq!(keys, expected);
    assert_eq!(translation["additionalProperties"], false);
    // Every built site publishes the brief's and the group's.
    site.build().success();
    assert_eq!(site.read("schema/brief.json").trim_end(), printed.trim_end());
    serde_json::from_str::<serde_json::Value>(&site.read("schema/group.json")).unwrap();
}

#[test]
fn the_readme_lists_every_problem_code_and_check_emits_only_those() {
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme.split("### Problem codes").nth(1).expect("a section of problem codes in README.md");
    let listed: Vec<&str> = section
        .lines()
        .skip_while(|l| !l.starts_with("| code |"))
        .skip(2)
        .take_while(|l| l.starts_with("| `"))
        .filter_map(|l| l.split('`').nth(1))
        .collect();
    let known: Vec<&str> = sitrep::diagnostics::Code::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(listed, known, "README.md must list every code, in order");

    // A site with many kinds of problem: every code printed is a listed one.
    let site = SiteTest::new();
    site.file(
        "content/briefs/a.md",
        "---\ntitle: Synthetic\ndate: 28/09/2023\ncountry: Nigerr\ncolour: red\n---\n[x](/nowhere/)\n",
    );
    site.file(
        "content/briefs/b.md",
        "---\ntitle: Synthetic B\ndate: 2023-01-01\ncountry: NE\narmed_groups: [Nobody]\n---\n[x](/nowhere/)\n",
    );
    site.file("content/notes.txt", "not markdown");
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code(), 1);
    let codes: Vec<String> = run
        .stdout()
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["code"].as_str().unwrap().to_string())
        .collect();
    assert!(codes.len() >= 4, "{codes:?}");
    for code in &codes {
        assert!(known.contains(&code.as_str()), "`{code}` is not a listed code");
    }
}

#[test]
fn a_folder_without_site_yaml_could_not_run_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/briefs")).unwrap();
    for args in [
        &["build"][..],
        &["check"],
        &["check", "--format", "json"],
        &["serve", "--port", "0"],
        &["new", "Synthetic", "--country", "NE", "--date", "2023-01-01"],
    ] {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
            .args(args)
            .arg("--root")
            .arg(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&run.stderr));
        let shown = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
        assert!(shown.contains("not-a-site"), "{args:?}: {shown}");
    }
    assert!(!dir.path().join("public").exists() && !dir.path().join("content/briefs/2023").exists());
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let site = SiteTest::new();
    for file in ["a", "b", "c"] {
        site.file(&format!("content/briefs/{file}.md"), "---\ntitle: x\ndate: 2023-13-01\ncountry: Nowhere\n---\n");
    }
    for args in [&["schema"][..], &["check", "--format", "json", "--root"]] {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"));
        command.args(args);
        if args.len() > 1 {
            command.arg(site.root());
        }
        let mut child =
            command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        // The reader goes away before sitrep writes, as `| head -0` would.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(matches!(output.status.code(), Some(0..=2)), "{args:?} ended with {:?}", output.status);
    }
}
