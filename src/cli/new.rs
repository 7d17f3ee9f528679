//! `sitrep new`: start a brief from the command line.

use std::process::ExitCode;

use clap::Args;
use sitrep::diagnostics::{Diagnostics, Format};
use sitrep::scaffold::{self, NewBrief};

use super::{ColorChoice, PROBLEMS, report, today};

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
        match scaffold::new_brief(&self.root, &brief, today()) {
            Ok((path, warnings)) => {
                let mut all = Diagnostics::default();
                all.extend(warnings);
                report(&self.root, all, format);
                println!("created {}", path.display());
                ExitCode::SUCCESS
            }
            Err(errors) => {
                let mut all = Diagnostics::default();
                all.extend(errors);
                report(&self.root, all, format);
                ExitCode::from(PROBLEMS)
            }
        }
    }
}
