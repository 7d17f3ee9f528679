//! `sitrep check`: validate the whole site and report every problem,
//! writing nothing.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use sitrep::diagnostics::Format;
use sitrep::engine;

use super::{SiteArgs, report, say};

/// Check the site for problems without writing anything.
///
/// Reads every brief, group, country profile, page and template, reports
/// every problem found grouped by file, then a one-line summary.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  sitrep check\n  sitrep check --strict           (unknown armed groups become errors)\n  sitrep check --format json      (one JSON object per problem, on stdout)\n  sitrep check --format github    (annotations on a pull request, in GitHub Actions)\n\nExit codes: 0 no errors, 1 problems found, 2 could not run."
)]
pub struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// How to print problems: human (on stderr), json or github (on stdout).
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
    Github,
}

impl CheckArgs {
    pub fn run(self) -> ExitCode {
        let root = &self.site.root;
        // Rendering catches template errors and broken links; the files are then dropped.
        let built = engine::build(root, &self.site.options(None), &engine::Discard);
        let format = match self.format {
            OutputFormat::Human => Format::Human { color: self.site.color.for_stderr() },
            OutputFormat::Json => Format::Json,
            OutputFormat::Github => Format::Github,
        };
        if built.diagnostics.is_empty() && self.format == OutputFormat::Human {
            say("no problems found\n");
        }
        report(root, built.diagnostics, format)
    }
}
