//! `sitrep new`: start a brief from the command line.

use std::process::ExitCode;

use clap::Args;
use sitrep::diagnostics::Format;
use sitrep::engine::{self, BuildOptions};
use sitrep::model::ModelOptions;
use sitrep::scaffold::{self, NewBrief};

use super::{ColorChoice, report, say, today};

/// Start a new brief: writes content/briefs/<year>/<date>-<slug>.md.
///
/// Fills in what it is given and leaves every other field as a commented
/// example to fill in or delete. Never overwrites a file.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  sitrep new \"Twelve soldiers killed in attack near Kandadji\" --country NE --date 2023-09-28\n  sitrep new \"Clash near Menaka\" --country Mali --group JNIM --group \"Islamic State Sahel Province\""
)]
pub struct NewArgs {
    /// The headline, in quotes.
    title: String,
    /// The country: English name, or ISO 3166 alpha-2 or alpha-3 code.
    #[arg(long)]
    country: String,
    /// The incident date, YYYY-MM-DD (default: today).
    #[arg(long)]
    date: Option<String>,
    /// An armed group (name, alias or slug); repeat for several.
    #[arg(long = "group")]
    groups: Vec<String>,
    /// The site folder (the one holding site.yaml).
    #[arg(long, short = 'r', default_value = ".")]
    root: std::path::PathBuf,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

impl NewArgs {
    pub fn run(self) -> ExitCode {
        let brief = NewBrief {
            title: self.title.clone(),
            country: self.country.clone(),
            date: self.date.clone(),
            groups: self.groups.clone(),
        };
        let format = Format::Human { color: self.color.for_stderr() };
        // The site's registry, read as every command reads the site.
        let options = BuildOptions {
            model: ModelOptions { drafts: true, today: today() },
            base_url: None,
            strict: false,
            texts: Default::default(),
        };
        let (registry, countries) = match engine::registry(&self.root, &options) {
            Ok(names) => names,
            Err(problem) => return report(&self.root, [problem], format),
        };
        match scaffold::new_brief(&self.root, &brief, &registry, &countries, today()) {
            Ok((path, warnings)) => {
                let code = report(&self.root, warnings, format);
                say(&format!("created {}\n", path.display()));
                code
            }
            Err(errors) => report(&self.root, errors, format),
        }
    }
}
