//! CLI edge: argument parsing and reporting. Each subcommand has an args
//! struct and a `run` in its own file; shared flags are flattened in.

mod build;
mod check;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use sitrep::diagnostics::{Diagnostic, Diagnostics, FromDisk, render_human};
use sitrep::model::ModelOptions;
use sitrep::pipeline::BuildOptions;

/// A static site generator for incident briefs.
///
/// Briefs are Markdown files with YAML front matter under content/briefs/;
/// sitrep renders them into a site with index pages by country and by armed
/// group.
#[derive(Parser)]
#[command(name = "sitrep", version, propagate_version = true)]
#[command(
    after_help = "Examples:\n  sitrep serve                 preview the site at http://127.0.0.1:1111/ with live reload
  sitrep build                 build the site in this folder into public/\n  sitrep check                 report every problem in the site, write nothing\n  sitrep build --base-url https://org.github.io/briefs/\n\nExit codes: 0 success, 1 problems found in the site, 2 could not run."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Build(build::BuildArgs),
    Check(check::CheckArgs),
    Serve(serve::ServeArgs),
}

/// Flags every command that reads a site shares.
#[derive(Args, Debug, Clone)]
pub struct SiteArgs {
    /// The site folder (the one holding site.yaml).
    #[arg(long, short = 'r', default_value = ".")]
    pub root: PathBuf,
    /// Include briefs and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings (such as unknown armed groups) as errors.
    #[arg(long)]
    pub strict: bool,
}

impl SiteArgs {
    pub fn options(&self, base_url: Option<String>) -> BuildOptions {
        BuildOptions { model: ModelOptions { drafts: self.drafts, today: today() }, base_url, strict: self.strict }
    }
}

/// The date "in the future" is judged against: today, or `SITREP_TODAY`
/// (YYYY-MM-DD) so that checks can be reproduced on another day.
fn today() -> chrono::NaiveDate {
    std::env::var("SITREP_TODAY")
        .ok()
        .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => args.run(),
        Command::Check(args) => args.run(),
        Command::Serve(args) => args.run(),
    }
}

/// Exit code for problems found in the site.
pub const PROBLEMS: u8 = 1;
/// Exit code when sitrep could not do its job at all.
pub const COULD_NOT_RUN: u8 = 2;

/// Prints diagnostics to stderr with the source lines they point at.
pub fn report(root: &std::path::Path, diagnostics: Diagnostics) {
    if diagnostics.is_empty() {
        return;
    }
    let sorted: Vec<Diagnostic> = diagnostics.sorted();
    eprint!("{}", render_human(&sorted, &FromDisk(root)));
}
