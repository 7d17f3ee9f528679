//! `sitrep init`: start a new site.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use sitrep::diagnostics::{Code, Diagnostic, Format, Pos};
use sitrep::scaffold;

use super::{ColorChoice, report, say, today};

/// Create a new site in a new folder, ready to build and preview.
///
/// Writes site.yaml, an example brief (marked as an example), an about
/// page, an empty templates/ folder with a note on overriding templates,
/// a .gitignore and a GitHub Pages workflow that installs sitrep, checks,
/// builds and deploys. Refuses a folder that exists and is not empty.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  sitrep init mysite\n  sitrep init mysite --sitrep-git https://github.com/ORG/sitrep --sitrep-ref v0.1.0\n  cd mysite && sitrep serve"
)]
pub struct InitArgs {
    /// The folder to create.
    dir: PathBuf,
    /// The git address the Pages workflow installs sitrep from.
    #[arg(long, value_name = "URL", default_value = env!("CARGO_PKG_REPOSITORY"), hide_default_value = true)]
    sitrep_git: String,
    /// The branch, tag or commit of sitrep the Pages workflow installs; pin
    /// a tag or commit so that a new sitrep cannot change the site unasked.
    #[arg(long, value_name = "REF", default_value = "main")]
    sitrep_ref: String,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

impl InitArgs {
    pub fn run(self) -> ExitCode {
        let install = scaffold::Install { git: self.sitrep_git.trim().to_string(), reference: self.sitrep_ref };
        let format = Format::Human { color: self.color.for_stderr() };
        let files = match scaffold::init_site(&self.dir, today(), &install) {
            Ok(files) => files,
            Err(problem) => return report(&self.dir, [problem], format),
        };
        let mut listing = format!("created a new site in {}:\n", self.dir.display());
        for file in files {
            listing.push_str(&format!("  {}\n", file.display()));
        }
        say(&listing);
        let mut warnings = Vec::new();
        if install.git.is_empty() {
            warnings.push(
                Diagnostic::warning(
                    Code::NoSitrepGit,
                    ".github/workflows/pages.yml",
                    Pos::WHOLE_FILE,
                    "the Pages workflow does not know where to install sitrep from",
                )
                .with_help("set SITREP_GIT in that file to sitrep's git address, or run init with --sitrep-git URL"),
            );
        }
        let code = report(&self.dir, warnings, format);
        say(&format!("next: cd {} && sitrep serve\n", self.dir.display()));
        code
    }
}
