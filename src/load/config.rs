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
    /// The languages of a multilingual site, the default first: its pages
    /// are at the root, each other language's under `/<tag>/`. Empty for a
    /// site in `language` alone.
    pub languages: Vec<String>,
    /// The site's title and description in each other language
    /// (`translations: {fr: {title: ..., description: ...}}`).
    pub translations: std::collections::BTreeMap<String, SiteWords>,
    /// Briefs per page on country and group indices.
    pub paginate_by: usize,
    /// Briefs per page of a year's archive.
    pub archive_paginate_by: usize,
    /// How many entries each feed holds (the newest).
    pub feed_limit: usize,
    /// How many of the latest briefs the home page lists.
    pub latest_on_home: usize,
    /// How many located briefs a map shows at most (the newest).
    pub map_limit: usize,
    /// Whether the site has full-text search (`/search/` and its index).
    /// Off unless asked for: indexing costs more than the rest of a build
    /// of a large site (BENCHMARKS.md).
    pub search: bool,
    /// How Markdown bodies are rendered.
    pub markdown: MarkdownConfig,
    /// The keys of briefs' `extra:` that feeds and data downloads carry;
    /// the rest stay in the site's own templates.
    pub publish_extra: Vec<String>,
    /// The site's own country names: name → code or name (`DRC: CD`).
    pub country_aliases: std::collections::BTreeMap<String, String>,
    /// Where each of `country_aliases` is written in `site.yaml`.
    #[serde(skip)]
    pub country_alias_positions: std::collections::BTreeMap<String, Pos>,
}

/// The words of `site.yaml` that a multilingual site gives in each language.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SiteWords {
    pub title: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// What becomes of HTML written inside Markdown.
    pub raw_html: RawHtml,
}

/// What becomes of HTML written inside Markdown (`markdown.raw_html`).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Kept, less anything that runs script or loads things by itself
    /// (see `render::sanitize`). The default: briefs are often pasted from
    /// hostile pages.
    #[default]
    Sanitize,
    /// Shown as text, the way it was written.
    Escape,
    /// Kept as it is: only for sites that trust every editor with the
    /// readers' browsers.
    Allow,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Incident briefs".into(),
            description: String::new(),
            base_url: "/".into(),
            cname: None,
            language: "en".into(),
            languages: Vec::new(),
            translations: Default::default(),
            paginate_by: 20,
            archive_paginate_by: 100,
            latest_on_home: 10,
            feed_limit: 50,
            map_limit: 500,
            search: false,
            markdown: MarkdownConfig::default(),
            publish_extra: Vec::new(),
            country_aliases: Default::default(),
            country_alias_positions: Default::default(),
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

    /// Every language the site is written in, the default first.
    pub fn all_languages(&self) -> Vec<String> {
        if self.languages.is_empty() { vec![self.language.clone()] } else { self.languages.clone() }
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
    parse_config(&text)
}

/// Reads the text of a `site.yaml`.
pub fn parse_config(text: &str) -> Result<SiteConfig, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(control) = super::control_characters(Path::new(CONFIG_FILE), text, 1, CONFIG_FILE).into_iter().next() {
        return Err(control);
    }
    let mapping = yaml::parse_mapping(text, 1).map_err(|errors| {
        let e = errors.into_iter().next().expect("a failed parse has an error");
        let code = if e.code == Code::ControlCharacter { e.code } else { Code::Config };
        Diagnostic::error(code, CONFIG_FILE, e.pos, e.message).with_optional_help(e.help)
    })?;
    let mut config: SiteConfig = yaml::from_str(text)
        .map_err(|e| Diagnostic::error(Code::Config, CONFIG_FILE, e.pos, e.message).with_optional_help(e.help))?;
    config.country_alias_positions = config
        .country_aliases
        .keys()
        .map(|k| (k.clone(), mapping.value_pos(&format!("country_aliases.{k}"))))
        .collect();
    let at = |key: &str| mapping.value_pos(key);
    if config.paginate_by == 0 || config.archive_paginate_by == 0 {
        return Err(Diagnostic::error(
            Code::Config,
            CONFIG_FILE,
            Pos::WHOLE_FILE,
            "`paginate_by` and `archive_paginate_by` must be at least 1",
        ));
    }
    if !is_base_url(&config.base_url) {
        return Err(Diagnostic::error(
            Code::Config,
            CONFIG_FILE,
            at("base_url"),
            format!("`base_url` {:?} is neither a web address nor a path", config.base_url),
        )
        .with_help(
            "write where the site will live, e.g. `https://org.github.io/briefs/`, or a path such as `/briefs/`",
        ));
    }
    if !is_language_tag(&config.language) {
        return Err(Diagnostic::error(
            Code::Config,
            CONFIG_FILE,
            at("language"),
            format!("`language` {:?} is not a language tag", config.language),
        )
        .with_help("write the language's code, e.g. `language: fr`, or a tag such as `pt-BR`"));
    }
    check_languages(&mut config, &mapping)?;
    if let Some(cname) = &config.cname
        && !cname.trim().is_empty()
        && !is_domain(cname.trim())
    {
        return Err(Diagnostic::error(
            Code::Config,
            CONFIG_FILE,
            at("cname"),
            format!("`cname` {cname:?} is not a domain name"),
        )
        .with_help("write the domain alone, e.g. `cname: briefs.example.org` (no https://, no path)"));
    }
    Ok(config)
}

/// Checks `languages` (tags, each once; `language`, if also given, the
/// same as the first) and makes the first the site's `language`.
fn check_languages(config: &mut SiteConfig, mapping: &yaml::Mapping) -> Result<(), Diagnostic> {
    let at = mapping.value_pos("languages");
    let error = |message: String, help: &str| Diagnostic::error(Code::Config, CONFIG_FILE, at, message).with_help(help);
    let mut seen: Vec<String> = Vec::new();
    for tag in &config.languages {
        if !is_language_tag(tag) {
            return Err(error(
                format!("`languages` holds {tag:?}, which is not a language tag"),
                "list the languages' codes, the default first, e.g. `languages: [en, fr]`",
            ));
        }
        if seen.contains(&tag.to_ascii_lowercase()) {
            return Err(error(format!("`languages` lists {tag} twice"), "list each language once"));
        }
        seen.push(tag.to_ascii_lowercase());
    }
    for language in config.translations.keys() {
        if !config.languages.iter().skip(1).any(|l| l.eq_ignore_ascii_case(language)) {
            return Err(Diagnostic::error(
                Code::Config,
                CONFIG_FILE,
                mapping.key_pos(&format!("translations.{language}")),
                format!("`translations` gives words in {language}, which is not one of the site's other languages"),
            )
            .with_help("list it in `languages` after the default, e.g. `languages: [en, fr]`, or remove it here"));
        }
    }
    let Some(first) = config.languages.first() else { return Ok(()) };
    if mapping.contains("language") && !config.language.eq_ignore_ascii_case(first) {
        return Err(Diagnostic::error(
            Code::Config,
            CONFIG_FILE,
            mapping.value_pos("language"),
            format!("`language` is {}, but the first of `languages` (the default) is {first}", config.language),
        )
        .with_help("remove `language:`; the first of `languages` is the site's default language"));
    }
    config.language = first.clone();
    Ok(())
}

/// Whether `tag` has the shape of a BCP 47 language tag: a language of
/// two or three letters, then subtags of letters and digits (`fr`,
/// `pt-BR`, `zh-Hant`). It names a file (`i18n/<tag>.yaml`), so nothing
/// else may pass.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or("");
    (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Whether `url` can be the site's address: an http(s) URL or a path, with
/// nothing a link or a feed could not carry as it is.
pub fn is_base_url(url: &str) -> bool {
    let url = url.trim();
    let path = match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split('/').next().unwrap_or("");
            let host_ok = !host.is_empty()
                && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
            if !(scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")) || !host_ok {
                return false;
            }
            &rest[host.len()..]
        }
        None if url.starts_with('/') => url,
        None => return false,
    };
    // `//` in the path would make links that leave the site (`//host/...`)
    // or that name no page.
    !path.contains("//")
        && url.chars().all(|c| {
            (c.is_ascii_graphic() || (!c.is_ascii() && c.is_alphanumeric()))
                && !matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`' | '?' | '#')
        })
}

/// Whether `name` is a domain name (`briefs.example.org`).
pub fn is_domain(name: &str) -> bool {
    name.len() <= 253
        && name.contains('.')
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_and_domains_are_checked() {
        for ok in ["/", "/briefs/", "https://org.github.io/briefs/", "http://localhost:8080/"] {
            assert!(is_base_url(ok), "{ok}");
        }
        for bad in ["javascript:alert(1)", "briefs", "//evil.example/", "https://", "/a b/", "/\"><script>", "ftp://x/"]
        {
            assert!(!is_base_url(bad), "{bad}");
        }
        assert!(is_domain("briefs.example.org"));
        for bad in ["https://briefs.example.org", "briefs.example.org/x", "localhost", "a..b", "-a.org", "a b.org"] {
            assert!(!is_domain(bad), "{bad}");
        }
    }

    #[test]
    fn language_tags_are_checked_for_their_shape() {
        for ok in ["en", "fr", "pt-BR", "zh-Hant", "ast", "sr-Latn-RS"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "f", "english", "../../etc/passwd", "fr/x", "fr_FR", "fr-", "en-toolongsubtag", "fr\"", "é"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

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
