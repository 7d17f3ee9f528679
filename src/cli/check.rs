//! `sitrep check`: validate the whole site and report every problem,
//! writing nothing.

use std::process::ExitCode;

use clap::Args;
use sitrep::pipeline;

use super::{PROBLEMS, SiteArgs, report};

/// Check the site for problems without writing anything.
///
/// Reads every brief, group, country profile, page and template, reports
/// every problem found grouped by file, then a one-line summary.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  sitrep check\n  sitrep check --strict    (unknown armed groups become errors)\n\nExit codes: 0 no errors, 1 problems found, 2 could not run."
)]
pub struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
}

impl CheckArgs {
    pub fn run(self) -> ExitCode {
        let root = &self.site.root;
        // Rendering catches template errors; the pages are then dropped.
        let built = pipeline::build(root, &self.site.options(None));
        let failed = built.diagnostics.has_errors();
        if built.diagnostics.is_empty() {
            println!("no problems found");
        }
        report(root, built.diagnostics);
        if failed { ExitCode::from(PROBLEMS) } else { ExitCode::SUCCESS }
    }
}
