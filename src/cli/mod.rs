//! CLI edge: argument parsing and reporting. Each subcommand has an args
//! struct and a `run` in its own file; shared flags are flattened in.

mod build;
mod check;
mod init;
mod new;
mod schema;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use sitrep::diagnostics::{self, Diagnostic, Diagnostics, Format, FromDisk};
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
  sitrep build                 build the site in this folder into public/\n  sitrep check                 report every problem in the site, write nothing\n  sitrep new \"Title\" --country NE --date 2023-09-28\n                               start a brief\n  sitrep init mysite           start a new site\n  sitrep build --base-url https://org.github.io/briefs/\n\nExit codes: 0 success, 1 problems found in the site, 2 could not run."
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
    New(new::NewArgs),
    Init(init::InitArgs),
    Schema(schema::SchemaArgs),
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
    /// Colour in messages: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour what goes to standard error.
    pub fn for_stderr(self) -> bool {
        use std::io::IsTerminal;
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
            }
        }
    }
}

impl SiteArgs {
    pub fn options(&self, base_url: Option<String>) -> BuildOptions {
        BuildOptions { model: ModelOptions { drafts: self.drafts, today: today() }, base_url, strict: self.strict }
    }
}

/// The date "in the future" is judged against: today, or `SITREP_TODAY`
/// (YYYY-MM-DD) so that checks can be reproduced on another day.
pub fn today() -> chrono::NaiveDate {
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
        Command::New(args) => args.run(),
        Command::Init(args) => args.run(),
        Command::Schema(args) => args.run(),
    }
}

/// Exit code for problems found in the site.
pub const PROBLEMS: u8 = 1;
/// Exit code when sitrep could not do its job at all.
pub const COULD_NOT_RUN: u8 = 2;

/// Prints diagnostics: for people on stderr, with the source lines they
/// point at; machine formats on stdout.
pub fn report(root: &std::path::Path, diagnostics: Diagnostics, format: Format) {
    if diagnostics.is_empty() {
        return;
    }
    let sorted: Vec<Diagnostic> = diagnostics.sorted();
    let text = diagnostics::render(&sorted, format, &FromDisk(root));
    match format {
        Format::Human { .. } => eprint!("{text}"),
        Format::Json | Format::Github => print!("{text}"),
    }
}
