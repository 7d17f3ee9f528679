//! CLI edge: argument parsing and reporting. Each subcommand has an args
//! struct and a `run` in its own file; shared flags are flattened in.

mod build;
mod check;
mod init;
mod new;
mod schema;
mod serve;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use sitrep::diagnostics::{self, Diagnostic, Diagnostics, Format, FromDisk};
use sitrep::engine::BuildOptions;
use sitrep::model::ModelOptions;

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
        BuildOptions {
            model: ModelOptions { drafts: self.drafts, today: today() },
            base_url,
            strict: self.strict,
            texts: Default::default(),
        }
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

/// The exit code for a run that found these problems: 2 if one of them
/// stopped the run (no site, a refused output folder, a file that cannot
/// be written or would be overwritten), 1 for any other error, else 0.
pub fn exit_code<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> ExitCode {
    let errors: Vec<&Diagnostic> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
    if errors.iter().any(|d| d.code.stops_the_run()) {
        ExitCode::from(COULD_NOT_RUN)
    } else if !errors.is_empty() {
        ExitCode::from(PROBLEMS)
    } else {
        ExitCode::SUCCESS
    }
}

/// The one reporter: prints problems for people on stderr, with the source
/// lines they point at, or in a machine format on stdout; returns the exit
/// code they call for.
pub fn report(root: &Path, diagnostics: impl IntoIterator<Item = Diagnostic>, format: Format) -> ExitCode {
    let mut all = Diagnostics::default();
    all.extend(diagnostics);
    let sorted: Vec<Diagnostic> = all.sorted();
    let code = exit_code(&sorted);
    if sorted.is_empty() {
        return code;
    }
    let text = diagnostics::render(&sorted, format, &FromDisk::new(root));
    match format {
        Format::Human { .. } => write_quietly(&mut std::io::stderr().lock(), &text),
        Format::Json | Format::Github => say(&text),
    }
    code
}

/// Prints to stdout. A reader that went away (`sitrep schema | head -1`)
/// ends the output quietly: there is no one left to tell.
pub fn say(text: &str) {
    write_quietly(&mut std::io::stdout().lock(), text);
}

/// Prints to stderr, quietly if it is closed.
pub fn say_err(text: &str) {
    write_quietly(&mut std::io::stderr().lock(), text);
}

fn write_quietly(out: &mut impl Write, text: &str) {
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
