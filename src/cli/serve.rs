//! `sitrep serve`: preview the site with live reload.

use std::net::IpAddr;
use std::process::ExitCode;

use clap::Args;
use sitrep::serve::{self, ServeOptions};

use sitrep::diagnostics::Format;

use super::{SiteArgs, report};

/// Preview the site in a browser, rebuilding as you edit.
///
/// Builds the site in memory (public/ is never touched), serves it, and
/// watches content/, templates/, static/ and site.yaml. Open pages reload
/// by themselves after each change; if a change breaks the site, they show
/// the problem, and the last good version stays served until it is fixed.
#[derive(Args)]
#[command(after_help = "Examples:\n  sitrep serve\n  sitrep serve --open\n  sitrep serve --port 8080 --drafts")]
pub struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// The port to listen on (0 picks a free one).
    #[arg(long, short = 'p', default_value_t = 1111)]
    port: u16,
    /// The address to listen on. The default only accepts connections from
    /// this machine; 0.0.0.0 shares the preview with your network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// Override `base_url` from site.yaml (its path is served too).
    #[arg(long)]
    base_url: Option<String>,
}

impl ServeArgs {
    pub fn run(self) -> ExitCode {
        let options = ServeOptions {
            root: self.site.root.clone(),
            build: self.site.options(self.base_url.clone()),
            bind: self.bind,
            port: self.port,
            open: self.open,
        };
        let format = Format::Human { color: self.site.color.for_stderr() };
        match serve::run(options) {
            Ok(()) => ExitCode::SUCCESS,
            Err(problem) => report(&self.site.root, [problem], format),
        }
    }
}
