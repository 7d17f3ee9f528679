//! The address scheme of the site: where every page, feed, data file,
//! redirect and publishing file lives. Nothing else formats these paths.
//!
//! An [`Address`] is relative to the site's root, without a leading slash:
//! `briefs/x/` (a page, served as `briefs/x/index.html`), `atom.xml` (a
//! file), or `` (the home page). From it come the output path the writer
//! uses and the URL a page links to (under the base path, or absolute for
//! feeds and structured data).

use std::fmt;

/// Where something is in the built site, relative to its root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address(String);

impl Address {
    /// A page: its folder (`briefs/x/`), or `` for the home page.
    fn folder(rel: impl Into<String>) -> Address {
        let rel = rel.into();
        debug_assert!(rel.is_empty() || rel.ends_with('/'), "a folder address ends with /: {rel}");
        Address(rel)
    }

    /// A file at `rel` (`atom.xml`, `data/incidents.csv`).
    fn file(rel: impl Into<String>) -> Address {
        Address(rel.into())
    }

    /// The address as written after the base path (`briefs/x/`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The file the writer makes for it (`briefs/x/index.html`).
    pub fn output_path(&self) -> String {
        output_path_of(&self.0)
    }

    /// The link to it under `base`, a base path (`/` or `/sub/`) or an
    /// absolute base (`https://org.github.io/briefs/`); `base` ends in `/`.
    pub fn url(&self, base: &str) -> String {
        format!("{base}{}", self.0)
    }

    /// A file inside this page's folder (`countries/ne/` → `countries/ne/atom.xml`).
    fn beside(&self, name: &str) -> Address {
        Address::file(format!("{}{name}", self.0))
    }

    /// Page `n` (1-based) of a paginated list whose first page is `self`.
    pub fn page(&self, n: usize) -> Address {
        if n <= 1 { self.clone() } else { Address::folder(format!("{}page/{n}/", self.0)) }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}", self.0)
    }
}

/// The output file for an address written after the base path: a folder
/// (`x/`, or empty) means its `index.html`.
pub fn output_path_of(rel: &str) -> String {
    if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() }
}

/// The address an output file is reached at, from the site root
/// (`briefs/x/index.html` → `/briefs/x/`), for messages.
pub fn shown(output_path: &str) -> String {
    let rel =
        output_path.strip_suffix("index.html").filter(|r| r.is_empty() || r.ends_with('/')).unwrap_or(output_path);
    format!("/{rel}")
}

pub fn home() -> Address {
    Address::folder("")
}

pub fn brief(slug: &str) -> Address {
    Address::folder(format!("briefs/{slug}/"))
}

pub fn countries() -> Address {
    Address::folder("countries/")
}

/// A country's index, by its lowercase alpha-2 code.
pub fn country(slug: &str) -> Address {
    Address::folder(format!("countries/{slug}/"))
}

pub fn groups() -> Address {
    Address::folder("groups/")
}

pub fn group(slug: &str) -> Address {
    Address::folder(format!("groups/{slug}/"))
}

pub fn archive() -> Address {
    Address::folder("archive/")
}

pub fn year(year: i32) -> Address {
    Address::folder(format!("archive/{year}/"))
}

/// A plain page, by its path under `content/` without `.md` (`about/team`).
pub fn plain_page(path: &str) -> Address {
    Address::folder(format!("{path}/"))
}

/// The search page.
pub fn search() -> Address {
    Address::folder("search/")
}

pub fn not_found() -> Address {
    Address::file("404.html")
}

/// The Atom feed of a list page (the home page, a country, a group).
pub fn atom(of: &Address) -> Address {
    of.beside("atom.xml")
}

pub fn json_feed() -> Address {
    Address::file("feed.json")
}

/// The folder that holds the site-wide data downloads.
pub fn data_folder() -> Address {
    Address::folder("data/")
}

/// The names of the data downloads.
pub const CSV: &str = "incidents.csv";
pub const GEOJSON: &str = "incidents.geojson";
pub const JSON: &str = "incidents.json";

/// A data download (`incidents.csv`) of a list page, or of the whole site
/// when `of` is [`data_folder`].
pub fn data(of: &Address, name: &str) -> Address {
    of.beside(name)
}

/// The page an `aliases:` entry (`/old/path/`, `/old.html`) redirects from.
pub fn alias(alias: &str) -> Address {
    let rel = alias.trim_start_matches('/');
    if rel.ends_with(".html") { Address::file(rel) } else { Address::folder(format!("{}/", rel.trim_end_matches('/'))) }
}

/// The same alias in the form that clashes compare (`old/path`).
pub fn alias_key(alias: &str) -> String {
    alias.trim_matches('/').trim_end_matches("index.html").trim_matches('/').to_string()
}

pub const STYLESHEET: &str = "style.css";

pub fn stylesheet() -> Address {
    Address::file(STYLESHEET)
}

/// The JSON Schema of a kind of front matter (`brief`, `group`).
pub fn schema(kind: &str) -> Address {
    Address::file(format!("schema/{kind}.json"))
}

pub fn sitemap() -> Address {
    Address::file("sitemap.xml")
}

/// Part `n` (1-based) of a sitemap split under an index.
pub fn sitemap_part(n: usize) -> Address {
    Address::file(format!("sitemap-{n}.xml"))
}

pub fn robots() -> Address {
    Address::file("robots.txt")
}

pub fn no_jekyll() -> Address {
    Address::file(".nojekyll")
}

pub fn cname() -> Address {
    Address::file("CNAME")
}

/// A file from `static/`, by its path under it.
pub fn static_file(rel: &str) -> Address {
    Address::file(rel)
}

/// Where a link written in Markdown leads inside the site: the output file
/// and the `#fragment`. `page` is the output file the link is on (for
/// `#anchor` links). `None` for other sites, mail, and relative links.
pub fn link_target(url: &str, page: &str) -> Option<(String, Option<String>)> {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() {
        return fragment.is_some().then(|| (page.to_string(), fragment));
    }
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    Some((output_path_of(path.trim_start_matches('/')), fragment))
}

/// The schemes a link or image address in content may use. Anything else
/// (`javascript:`, `data:`, `vbscript:`, `file:`...) is refused.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Whether a reader's browser may be sent to `url` from content: an http,
/// https or mailto address, or one within the site (relative, root-relative,
/// `#fragment`, `?query`). Read the way a browser reads it: spaces and
/// control characters around it, and tabs and line breaks inside it, are
/// ignored (`java\tscript:` is `javascript:`). Character references are
/// already decoded by whatever parsed the address.
pub fn is_allowed_address(url: &str) -> bool {
    let url: String =
        url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    match scheme_of(&url) {
        Some(scheme) => ALLOWED_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)),
        None => true,
    }
}

/// The scheme of an absolute URL: letters, digits, `+`, `-` and `.`,
/// starting with a letter, before the first `:` (and before any `/`, `?`
/// or `#`, which would make it a relative address).
fn scheme_of(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    let scheme = &url[..end];
    let well_formed = url[end..].starts_with(':')
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    well_formed.then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_site_addresses_are_allowed() {
        for ok in [
            "https://e.org/x",
            "HTTP://e.org",
            "mailto:a@e.org",
            "/briefs/x/",
            "x.png",
            "#top",
            "?q=1",
            "//e.org/x",
            "1:x",
        ] {
            assert!(is_allowed_address(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:x",
            "java\tscript:x",
            "\u{1}javascript:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(!is_allowed_address(bad), "{bad}");
        }
    }

    #[test]
    fn pages_are_folders_and_files_are_files() {
        assert_eq!(brief("x").output_path(), "briefs/x/index.html");
        assert_eq!(brief("x").url("/sub/"), "/sub/briefs/x/");
        assert_eq!(home().output_path(), "index.html");
        assert_eq!(atom(&home()).output_path(), "atom.xml");
        assert_eq!(atom(&country("ne")).output_path(), "countries/ne/atom.xml");
        assert_eq!(data(&data_folder(), "incidents.csv").output_path(), "data/incidents.csv");
        assert_eq!(country("ne").page(1), country("ne"));
        assert_eq!(country("ne").page(3).output_path(), "countries/ne/page/3/index.html");
        assert_eq!(alias("/old/path").output_path(), "old/path/index.html");
        assert_eq!(alias("/old.html").output_path(), "old.html");
        assert_eq!(shown("briefs/x/index.html"), "/briefs/x/");
        assert_eq!(shown("index.html"), "/");
        assert_eq!(shown("style.css"), "/style.css");
        assert_eq!(shown("myindex.html"), "/myindex.html");
    }

    #[test]
    fn only_links_inside_the_site_have_targets() {
        let page = "about/index.html";
        assert_eq!(link_target("/briefs/x/", page), Some(("briefs/x/index.html".into(), None)));
        assert_eq!(link_target("/about/#team", page), Some(("about/index.html".into(), Some("team".into()))));
        assert_eq!(link_target("#top", page), Some((page.into(), Some("top".into()))));
        assert_eq!(link_target("/style.css", page), Some(("style.css".into(), None)));
        assert_eq!(link_target("https://example.org/", page), None);
        assert_eq!(link_target("//cdn.example/x", page), None);
        assert_eq!(link_target("mailto:a@b.c", page), None);
    }
}
