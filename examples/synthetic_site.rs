//! Writes a synthetic site for benchmarks and manual testing:
//!
//!     cargo run --release --example synthetic_site -- 10000 /tmp/synthetic [SEED] [--hugo /tmp/synthetic-hugo]
//!
//! N generated briefs over 30 real countries and 200 invented groups. Every
//! brief says it is synthetic; none describes a real event. With `--hugo`,
//! also writes the same briefs as a Hugo site with equivalent pages (a page
//! per brief, per country, per group and per year, term lists, a home page
//! with the latest briefs), the peer in `bench/build.py`.

#[path = "../tests/support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use std::fmt::Write as _;
use std::path::Path;

fn main() -> std::process::ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || {
        eprintln!("usage: synthetic_site BRIEFS OUTPUT_DIR [SEED] [--hugo HUGO_DIR]");
        std::process::ExitCode::from(2)
    };
    let hugo = match args.iter().position(|a| a == "--hugo") {
        Some(i) if i + 1 < args.len() => {
            let dir = args.remove(i + 1);
            args.remove(i);
            Some(dir)
        }
        Some(_) => return usage(),
        None => None,
    };
    let (Some(count), Some(dir)) = (args.first().and_then(|n| n.replace('_', "").parse::<usize>().ok()), args.get(1))
    else {
        return usage();
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    let root = Path::new(dir);
    for folder in std::iter::once(root).chain(hugo.as_deref().map(Path::new)) {
        if folder.join("content").exists() {
            eprintln!("{} already holds a site; choose an empty folder", folder.display());
            return std::process::ExitCode::from(2);
        }
    }
    let written = synthetic::write_site(root, count, seed).and_then(|generated| {
        println!(
            "wrote {} synthetic briefs and {} groups to {}",
            generated.briefs.len(),
            generated.groups.len(),
            root.display()
        );
        if let Some(hugo) = &hugo {
            write_hugo_site(root, Path::new(hugo), &generated)?;
            println!("wrote the same briefs as a Hugo site to {hugo}");
        }
        Ok(())
    });
    match written {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cannot write the site: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The Hugo twin of the sitrep site at `sitrep_root`: same bodies, same
/// titles, dates, countries, groups and tolls, as taxonomies.
fn write_hugo_site(sitrep_root: &Path, root: &Path, generated: &synthetic::Generated) -> std::io::Result<()> {
    let countries: std::collections::HashMap<&str, &str> = synthetic::COUNTRIES.iter().copied().collect();
    let names: std::collections::HashMap<&str, &str> =
        generated.groups.iter().map(|g| (g.slug.as_str(), g.name.as_str())).collect();
    std::fs::create_dir_all(root.join("content/briefs"))?;
    std::fs::write(root.join("hugo.toml"), HUGO_CONFIG)?;
    for (path, text) in HUGO_LAYOUTS {
        let path = root.join("layouts").join(path);
        std::fs::create_dir_all(path.parent().unwrap())?;
        std::fs::write(path, text)?;
    }
    std::fs::create_dir_all(root.join("static"))?;
    std::fs::write(
        root.join("static/style.css"),
        "body { font-family: sans-serif; max-width: 40rem; margin: auto }\n",
    )?;
    for group in &generated.groups {
        let dir = root.join("content/groups").join(&group.slug);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join("_index.md"),
            format!(
                "---\ntitle: {}\n---\nA synthetic armed group generated for tests. It does not exist.\n",
                group.name
            ),
        )?;
    }
    for brief in &generated.briefs {
        let source = sitrep_root.join("content/briefs").join(&brief.date[..4]).join(format!("{}.md", brief.slug));
        let text = std::fs::read_to_string(source)?;
        let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        let mut front = format!(
            "---\ntitle: {}\ndate: {}\nsummary: A synthetic brief generated for testing; it describes no real event.\n",
            brief.title, brief.date
        );
        writeln!(front, "countries: [\"{}\"]", countries[brief.country]).unwrap();
        writeln!(front, "years: [\"{}\"]", &brief.date[..4]).unwrap();
        if !brief.groups.is_empty() {
            let groups: Vec<&str> = brief.groups.iter().map(|g| names[g.as_str()]).collect();
            writeln!(front, "groups: [{}]", groups.join(", ")).unwrap();
        }
        writeln!(front, "fatalities: {}\n---", brief.best).unwrap();
        std::fs::write(root.join("content/briefs").join(format!("{}.md", brief.slug)), front + body)?;
    }
    Ok(())
}

const HUGO_CONFIG: &str = r#"# A synthetic Hugo site generated for benchmarks. None of its briefs is real.
baseURL = "/"
title = "Synthetic briefs"
paginate = 20
disableKinds = []
[taxonomies]
  country = "countries"
  group = "groups"
  year = "years"
[markup.goldmark.parser.attribute]
  block = false
"#;

/// The twin's templates. A brief's article is marked `data-pagefind-body`:
/// Pagefind, when the benchmark runs it over the twin, then indexes the
/// brief pages only, as sitrep's search does.
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r#"<!doctype html>
<html lang="{{ site.Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head><body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "countries/" | relURL }}">Countries</a> <a href="{{ "groups/" | relURL }}">Groups</a> <a href="{{ "years/" | relURL }}">Archive</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>Synthetic site for benchmarks.</footer>
</body></html>
"#,
    ),
    (
        "_default/single.html",
        r#"{{ define "main" }}<article data-pagefind-body><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ range .GetTerms "countries" }} · <a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
<p>{{ .Summary }}</p>
<dl><dt>Killed</dt><dd>{{ .Params.fatalities }}</dd>
<dt>Armed groups</dt><dd>{{ range .GetTerms "groups" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd></dl>
{{ .Content }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>{{ end }}
"#,
    ),
    (
        "_default/list.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ol>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2 Jan 2006" }}</time> {{ .Params.fatalities }} killed</li>{{ end }}</ol>
{{ template "_internal/pagination.html" . }}{{ end }}
"#,
    ),
    (
        "_default/term.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<p>{{ len .Pages }} briefs</p>
<ol>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2 Jan 2006" }}</time> {{ .Params.fatalities }} killed</li>{{ end }}</ol>
{{ template "_internal/pagination.html" . }}{{ end }}
"#,
    ),
    (
        "_default/taxonomy.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"#,
    ),
    (
        "index.html",
        r#"{{ define "main" }}<h1>{{ site.Title }}</h1>
<p>{{ len (where site.RegularPages "Section" "briefs") }} briefs</p>
<ol>{{ range first 10 (where site.RegularPages "Section" "briefs").ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2 Jan 2006" }}</time></li>{{ end }}</ol>{{ end }}
"#,
    ),
];
