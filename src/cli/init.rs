//! `sitrep init`: start a new site.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use sitrep::diagnostics::{Diagnostics, Format};
use sitrep::scaffold;

use super::{ColorChoice, PROBLEMS, report, today};

/// Create a new site in a new folder, ready to build and preview.
///
/// Writes site.yaml, an example brief (marked as an example), an about
/// page, an empty templates/ folder with a note on overriding templates,
/// and a .gitignore. Refuses a folder that exists and is not empty.
#[derive(Args)]
#[command(after_help = "Examples:\n  sitrep init mysite\n  cd mysite && sitrep serve")]
pub struct InitArgs {
    /// The folder to create.
    dir: PathBuf,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

impl InitArgs {
    pub fn run(self) -> ExitCode {
        match scaffold::init_site(&self.dir, today()) {
            Ok(files) => {
                println!("created a new site in {}:", self.dir.display());
                for file in files {
                    println!("  {}", file.display());
                }
                println!("next: cd {} && sitrep serve", self.dir.display());
                ExitCode::SUCCESS
            }
            Err(problem) => {
                let mut all = Diagnostics::default();
                all.push(problem);
                report(&self.dir, all, Format::Human { color: self.color.for_stderr() });
                ExitCode::from(PROBLEMS)
            }
        }
    }
}
