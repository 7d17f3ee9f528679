//! Scaffolding: new sources for editors (a brief from the command line, a
//! whole new site). Besides `write`, the only code that creates files; it
//! never replaces one.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::load::{CONTENT_DIR, yaml};
use crate::model::{Registry, country, fields};

/// What `sitrep new` was given.
#[derive(Debug, Clone)]
pub struct NewBrief {
    pub title: String,
    pub country: String,
    pub date: Option<String>,
    pub groups: Vec<String>,
}

/// Problems are reported as if in a file called this.
const COMMAND_LINE: &str = "(command line)";

/// Writes `content/briefs/<year>/<date>-<slug>.md` under `root` with the
/// given fields filled in and the others as commented placeholders; groups
/// are checked against the site's `registry`. Returns the new file
/// (relative to `root`) and any warnings.
pub fn new_brief(
    root: &Path,
    brief: &NewBrief,
    registry: &Registry,
    countries: &country::Aliases,
    today: NaiveDate,
) -> Result<(PathBuf, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let arg_error = |code, message: String, help: String| {
        Diagnostic::error(code, COMMAND_LINE, Pos::WHOLE_FILE, message).with_help(help)
    };
    let title = brief.title.trim();
    if title.is_empty() {
        errors.push(arg_error(
            Code::EmptyField,
            "the title is empty".into(),
            "give the headline in quotes: sitrep new \"Twelve soldiers killed at Kandadji\" ...".into(),
        ));
    }
    let country = match countries.find(&brief.country) {
        country::Found::One(country) => Some(country),
        country::Found::Ambiguous(countries) => {
            errors.push(arg_error(
                Code::UnknownCountry,
                format!("`{}` is the name of more than one country", brief.country),
                country::ambiguous_help(&countries),
            ));
            None
        }
        country::Found::None => {
            errors.push(arg_error(
                Code::UnknownCountry,
                format!("unknown country `{}`", brief.country),
                country::unknown_help(&brief.country),
            ));
            None
        }
    };
    let date = match &brief.date {
        None => Some(today),
        Some(text) => match fields::parse_date(text) {
            Ok((date, _)) if date > today => {
                errors.push(arg_error(
                    Code::DateInFuture,
                    format!("`{text}` is in the future"),
                    format!("today is {today}; check the year and the month"),
                ));
                None
            }
            Ok((date, _)) => Some(date),
            Err(help) => {
                errors.push(arg_error(Code::InvalidDate, format!("`{text}` is not a date"), help));
                None
            }
        },
    };
    let (Some(country), Some(date), true) = (country, date, errors.is_empty()) else {
        return Err(errors);
    };

    // Groups are checked against the registry as `check` would: unknown is a warning.
    let mut warnings = Vec::new();
    for name in &brief.groups {
        if registry.resolve(name).is_none() {
            warnings.push(
                Diagnostic::warning(
                    Code::UnknownGroup,
                    COMMAND_LINE,
                    Pos::WHOLE_FILE,
                    format!("armed group `{name}` is not in the registry"),
                )
                .with_optional_help(
                    registry
                        .suggest(name)
                        .or_else(|| Some(format!("add content/groups/{}.md to describe it", slug::slugify(name)))),
                ),
            );
        }
    }

    let slug = slug::slugify(title);
    let rel = Path::new(CONTENT_DIR).join("briefs").join(date.year().to_string()).join(format!("{date}-{slug}.md"));
    let text = brief_text(title, country.code, country.name, date, &brief.groups);
    create_new(root, &rel, &text).map_err(|e| vec![e])?;
    Ok((rel, warnings))
}

fn brief_text(title: &str, code: &str, name: &str, date: NaiveDate, groups: &[String]) -> String {
    let groups_line = if groups.is_empty() {
        "# armed_groups: [JNIM, {group: Islamic State Sahel Province, attribution: suspected}]   # claimed | attributed | suspected".to_string()
    } else {
        format!("armed_groups: [{}]", groups.iter().map(|g| yaml::quote(g)).collect::<Vec<_>>().join(", "))
    };
    format!(
        "---
title: {title}
date: {date}
country: {code}   # {name}
status: provisional
# summary: One sentence for lists, feeds and search results.
# date_precision: day          # day | week | month
# admin1: Tillabéri             # first-level region
# location: Kandadji
# location_aliases: [Kandagi]
# coordinates: {{lat: 14.62, lon: 1.06}}
# geo_precision: exact         # exact | near | region
# event_type: battles          # battles | explosions-remote-violence | violence-against-civilians | protests | riots | strategic-developments
# sub_event_type: Armed clash
{groups_line}
# targets: [Military Forces of Niger]
# fatalities: {{best: 12, low: 10, high: 12}}
# injured: 7
# sources:
#   - {{name: Reuters, url: \"https://...\", date: {date}}}
# tags: []
---
Write the brief here: what happened, the toll and who gives it, who is
thought responsible and on what grounds.
",
        title = yaml::quote(title)
    )
}

/// Creates `root/rel` with `text`, failing if it exists.
fn create_new(root: &Path, rel: &Path, text: &str) -> Result<(), Diagnostic> {
    let path = root.join(rel);
    let io = |e: std::io::Error| {
        Diagnostic::error(Code::Write, rel, Pos::WHOLE_FILE, format!("cannot write this file: {e}"))
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Diagnostic::error(Code::Exists, rel, Pos::WHOLE_FILE, "this file already exists; it was left as it was")
                .with_help("choose another title, or edit the existing file")
        } else {
            io(e)
        }
    })?;
    file.write_all(text.as_bytes()).map_err(io)
}

/// Where the GitHub Pages workflow written by `init` installs sitrep from.
#[derive(Debug, Clone, Default)]
pub struct Install {
    /// The git address of sitrep's repository; empty when not known, and
    /// the workflow then stops with an error saying so.
    pub git: String,
    /// The branch, tag or commit to install.
    pub reference: String,
}

/// The Pages workflow for a site made by `init`: installs sitrep from git
/// (cached by commit), checks, builds for the Pages address and deploys.
const PAGES_WORKFLOW: &str = include_str!("scaffold/pages.yml");

/// The Pages workflow text for `install`.
pub fn pages_workflow(install: &Install) -> String {
    PAGES_WORKFLOW
        .replace("@SITREP_GIT@", &yaml::quote(&install.git))
        .replace("@SITREP_REF@", &yaml::quote(&install.reference))
}

/// Creates a new, working site in `dir` (which must not exist or be empty).
/// Returns the files written, relative to `dir`.
pub fn init_site(dir: &Path, today: NaiveDate, install: &Install) -> Result<Vec<PathBuf>, Diagnostic> {
    let shown = dir.display().to_string();
    if dir.exists() && std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(Diagnostic::error(
            Code::Exists,
            &shown,
            Pos::WHOLE_FILE,
            "this folder already exists and is not empty",
        )
        .with_help("choose a new folder name; sitrep init never writes over files"));
    }
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "briefs".into());
    let files: Vec<(PathBuf, String)> = vec![
        (
            "site.yaml".into(),
            format!(
                "# sitrep site configuration. `sitrep --help` lists the commands.
title: {}
description: Short, sourced briefs on incidents, with disputed figures shown as disputed.
# Where the site will be published; its path prefixes every link.
base_url: /
# The interface's language: `en` or `fr` are built in (README, Languages).
language: en
paginate_by: 20
",
                yaml::quote(&name)
            ),
        ),
        (".github/workflows/pages.yml".into(), pages_workflow(install)),
        (".gitignore".into(), "# The built site: made by `sitrep build`, never edited by hand, and the\n# standby copy sitrep keeps beside it to swap the next build in at once.\npublic/\n.public.sitrep-standby/\n".into()),
        (
            Path::new(CONTENT_DIR)
                .join("briefs")
                .join(today.year().to_string())
                .join(format!("{today}-example-brief.md")),
            format!(
                "---
title: \"Example brief: replace or delete me\"
date: {today}
country: NE
summary: An example that shows the fields of a brief. It describes no real incident.
tags: [example]
fatalities:
  best: 0
sources:
  - {{name: Example source, url: \"https://example.org/\", date: {today}}}
---
This is an **example**, not a real incident. Copy it, or run
`sitrep new \"Title\" --country NE --date YYYY-MM-DD`, to start a real brief,
then delete this file.

The fields between the `---` lines describe the incident; everything below
them is the brief itself, in Markdown.
"
            ),
        ),
        (
            Path::new(CONTENT_DIR).join("about.md"),
            "---\ntitle: About\n---\nWho writes these briefs, from which sources, and how figures are chosen.\n".into(),
        ),
        (
            "templates/README.md".into(),
            "# Templates

This folder is empty on purpose: sitrep uses its built-in templates.

To change a page, copy the built-in template of the same name here
(`base.html`, `brief.html`, `country.html`, `group.html`, `home.html`, ...,
from the `templates/` folder of sitrep's repository) and edit the copy.
Templates you do not copy keep the built-in version. Templates are Tera
(https://keats.github.io/tera/), with the filters `human_date` and
`thousands` and the function `url(path=\"/...\")`, which adds the site's base path.
"
            .into(),
        ),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        create_new(dir, &rel, &text).map_err(|mut d| {
            d.file = dir.join(&d.file);
            d
        })?;
        written.push(rel);
    }
    Ok(written)
}
