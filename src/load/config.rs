//! Load stage: `site.yaml`, the site's configuration.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::yaml;
use crate::diagnostics::{Code, Diagnostic, Pos};

pub const CONFIG_FILE: &str = "site.yaml";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Shown in the header and the `<title>` of every page.
    pub title: String,
    /// One line about the site, for the home page and meta description.
    pub description: String,
    /// Where the site will live, e.g. `https://org.github.io/briefs/`.
    /// Only its path matters for links; the whole URL is used where a page
    /// must name itself absolutely.
    pub base_url: String,
    /// A custom domain for GitHub Pages (written to `CNAME`).
    pub cname: Option<String>,
    /// BCP 47 language tag of the content.
    pub language: String,
    /// Briefs per page on country and group indices.
    pub paginate_by: usize,
    /// Briefs per page of a year's archive.
    pub archive_paginate_by: usize,
    /// How many entries each feed holds (the newest).
    pub feed_limit: usize,
    /// How many of the latest briefs the home page lists.
    pub latest_on_home: usize,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Incident briefs".into(),
            description: String::new(),
            base_url: "/".into(),
            cname: None,
            language: "en".into(),
            paginate_by: 20,
            archive_paginate_by: 100,
            latest_on_home: 10,
            feed_limit: 50,
        }
    }
}

impl SiteConfig {
    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let url = self.base_url.trim();
        let path = match url.find("://") {
            Some(scheme_end) => {
                let after = &url[scheme_end + 3..];
                after.find('/').map(|i| &after[i..]).unwrap_or("/")
            }
            None => url,
        };
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() { "/".into() } else { format!("/{trimmed}/") }
    }
}

/// Reads `site.yaml` under `root`.
pub fn load_config(root: &Path) -> Result<SiteConfig, Diagnostic> {
    let path = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let (code, message) = if e.kind() == std::io::ErrorKind::NotFound {
            (Code::NotASite, format!("no {CONFIG_FILE} in {}: this folder is not a sitrep site", root.display()))
        } else {
            (Code::Unreadable, format!("cannot read {CONFIG_FILE}: {e}"))
        };
        Diagnostic::error(code, CONFIG_FILE, Pos::WHOLE_FILE, message)
            .with_help("run sitrep in the folder that holds site.yaml, or pass --root")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let config: SiteConfig = yaml::from_str(text)
        .map_err(|e| Diagnostic::error(Code::Config, CONFIG_FILE, e.pos, e.message).with_optional_help(e.help))?;
    if config.paginate_by == 0 || config.archive_paginate_by == 0 {
        return Err(Diagnostic::error(
            Code::Config,
            CONFIG_FILE,
            Pos::WHOLE_FILE,
            "`paginate_by` and `archive_paginate_by` must be at least 1",
        ));
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_taken_from_the_url() {
        let with = |base_url: &str| SiteConfig { base_url: base_url.into(), ..SiteConfig::default() }.base_path();
        assert_eq!(with("https://org.github.io/briefs"), "/briefs/");
        assert_eq!(with("https://org.github.io/briefs/"), "/briefs/");
        assert_eq!(with("https://example.org"), "/");
        assert_eq!(with("/"), "/");
        assert_eq!(with("/a/b"), "/a/b/");
    }
}
