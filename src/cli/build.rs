//! `sitrep build`: render the site into the output folder.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use sitrep::diagnostics::{Diagnostic, Format};
use sitrep::render::search::Made;
use sitrep::{engine, write};

use super::{SiteArgs, report, say, say_err};

/// Build the site into a folder (public/ by default).
///
/// Pages are rendered in parallel; those whose bytes changed are staged
/// beside the output folder and moved in only when the whole build
/// succeeded, so a failed build leaves the last good site in place. Files
/// of earlier builds that are no longer made are removed; files sitrep did
/// not make are never touched.
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
    /// Write into an output folder that sitrep did not make (its other
    /// files are left as they are).
    #[arg(long)]
    force: bool,
}

impl BuildArgs {
    pub fn run(self) -> ExitCode {
        let started = Instant::now();
        let root = &self.site.root;
        let format = Format::Human { color: self.site.color.for_stderr() };
        let output = if self.output.is_absolute() { self.output.clone() } else { root.join(&self.output) };
        let waiting = || say_err(&format!("waiting for another build into {} to finish...\n", output.display()));
        let staging = match write::Staging::open(&output, root, self.force, waiting) {
            Ok(staging) => staging,
            Err(e) => return report(root, [Diagnostic::from(e)], format),
        };
        let built = engine::build(root, &self.site.options(self.base_url.clone()), &staging);
        let failed = built.diagnostics.has_errors() || !built.complete;
        let (Some(site), false) = (built.site, failed) else {
            let code = report(root, built.diagnostics, format);
            say_err("build failed; the output folder was not touched\n");
            return code;
        };
        let mut problems: Vec<Diagnostic> = built.diagnostics.into_iter().collect();
        let written = match staging.commit() {
            Ok(written) => written,
            Err(e) => {
                problems.push(Diagnostic::from(e));
                return report(root, problems, format);
            }
        };
        let code = report(root, problems, format);
        say(&format!(
            "built {} briefs, {} countries, {} groups: {} files in {}, {} written, {} removed, {} pages reused unrendered ({} ms)\n",
            site.briefs.len(),
            site.countries.len(),
            site.groups.len(),
            written.files,
            output.display(),
            written.written,
            written.removed,
            written.reused,
            started.elapsed().as_millis()
        ));
        match built.search {
            Some(Made::Indexed(pages)) => say(&format!("search index: made from {pages} brief pages\n")),
            Some(Made::Kept) => say("search index: kept as it was (no brief page changed)\n"),
            None => {}
        }
        code
    }
}
