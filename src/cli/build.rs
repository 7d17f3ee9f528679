//! `sitrep build`: render the site into the output folder.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use sitrep::diagnostics::Format;
use sitrep::{pipeline, write};

use super::{COULD_NOT_RUN, PROBLEMS, SiteArgs, report};

/// Build the site into a folder (public/ by default).
///
/// Everything is rendered in memory first; the output folder is replaced
/// only when the whole build succeeded, so a failed build leaves the last
/// good site in place.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  sitrep build\n  sitrep build --drafts --output /tmp/preview\n  sitrep build --base-url https://org.github.io/briefs/"
)]
pub struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site (relative paths are taken from --root).
    #[arg(long, short = 'o', default_value = "public")]
    output: PathBuf,
    /// Override `base_url` from site.yaml for this build.
    #[arg(long)]
    base_url: Option<String>,
    /// Replace an output folder that sitrep did not make.
    #[arg(long)]
    force: bool,
}

impl BuildArgs {
    pub fn run(self) -> ExitCode {
        let started = Instant::now();
        let root = &self.site.root;
        let built = pipeline::build(root, &self.site.options(self.base_url.clone()));
        let failed = built.diagnostics.has_errors();
        report(root, built.diagnostics, Format::Human { color: self.site.color.for_stderr() });
        let (Some(site), Some(files), false) = (built.site, built.files, failed) else {
            eprintln!("build failed; the output folder was not touched");
            return ExitCode::from(PROBLEMS);
        };
        let output = if self.output.is_absolute() { self.output.clone() } else { root.join(&self.output) };
        if let Err(e) = write::replace_output(&output, root, &files, self.force) {
            eprintln!("error: {e}");
            if let Some(help) = e.help() {
                eprintln!("  = help: {help}");
            }
            return ExitCode::from(COULD_NOT_RUN);
        }
        println!(
            "built {} briefs, {} countries, {} groups: {} files in {} ({} ms)",
            site.briefs.len(),
            site.countries.len(),
            site.groups.len(),
            files.len(),
            output.display(),
            started.elapsed().as_millis()
        );
        ExitCode::SUCCESS
    }
}
