//! `sitrep schema`: print the JSON Schema of the front matter.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use sitrep::model;

use super::say;

/// Print the JSON Schema of brief (or group, or translation) front matter.
///
/// Generated from the same types that read the front matter. YAML-aware
/// editors use it for completion and validation; every built site also
/// publishes it at /schema/brief.json and /schema/group.json.
#[derive(Args)]
#[command(
    after_help = "Examples:\n  sitrep schema > brief.schema.json\n  sitrep schema --kind group\n\nIn VS Code with the YAML extension, a first line `# yaml-language-server: $schema=<url>` in a file's front matter selects the schema."
)]
pub struct SchemaArgs {
    /// Which front matter.
    #[arg(long, value_enum, default_value_t = Kind::Brief)]
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    Brief,
    Group,
    /// A translation of a brief, group, profile or page (`x.fr.md`).
    Translation,
}

impl SchemaArgs {
    pub fn run(self) -> ExitCode {
        let schema = match self.kind {
            Kind::Brief => model::brief::json_schema(),
            Kind::Group => model::group::json_schema(),
            Kind::Translation => model::translation::json_schema(),
        };
        say(&format!("{schema}\n"));
        ExitCode::SUCCESS
    }
}
