//! Render stage: the files that publishing needs besides the pages:
//! `sitemap.xml` (split into a sitemap index past 50,000 addresses),
//! `robots.txt`, `.nojekyll` (GitHub Pages must not run Jekyll on the
//! output) and `CNAME` for a custom domain.

use crate::load::SiteConfig;
use crate::urls;

/// The sitemaps.org limit of addresses per sitemap file.
pub const SITEMAP_LIMIT: usize = 50_000;

/// The custom domain of `site.yaml`'s `cname`, if set.
pub fn cname(config: &SiteConfig) -> Option<&str> {
    config.cname.as_deref().map(str::trim).filter(|d| !d.is_empty())
}

/// `robots.txt`, pointing to the sitemap; only with an absolute `base_url`.
pub fn robots(config: &SiteConfig) -> String {
    let origin = absolute_base(&config.base_url).unwrap_or_default();
    format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", urls::sitemap().url(&origin))
}

/// One address of the sitemap.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub loc: String,
    /// The day it last changed, where known (`2023-09-28`).
    pub lastmod: Option<String>,
    /// On a multilingual site, the page in each language it is in
    /// (itself included): language tag, address.
    pub alternates: Vec<(String, String)>,
}

/// How many sitemap files `entries` addresses need (1: a plain sitemap).
pub fn sitemap_parts(entries: usize) -> usize {
    entries.div_ceil(SITEMAP_LIMIT).max(1)
}

/// `sitemap.xml`: the sitemap itself, or past the limit an index over its parts.
pub fn sitemap(config: &SiteConfig, entries: &[Entry]) -> String {
    sitemap_with_limit(config, entries, SITEMAP_LIMIT)
}

/// Part `n` (1-based) of a split sitemap.
pub fn sitemap_part(entries: &[Entry], n: usize) -> String {
    urlset(entries.chunks(SITEMAP_LIMIT).nth(n - 1).unwrap_or_default())
}

fn sitemap_with_limit(config: &SiteConfig, entries: &[Entry], limit: usize) -> String {
    let parts = entries.len().div_ceil(limit).max(1);
    if parts == 1 {
        return urlset(entries);
    }
    let origin = absolute_base(&config.base_url).unwrap_or_default();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=parts {
        let loc = urls::sitemap_part(n).url(&origin);
        index.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", xml_escape(&loc)));
    }
    index.push_str("</sitemapindex>\n");
    index
}

/// The prefix for addresses that leave the page (feeds, data, structured
/// data): the absolute `base_url` where known, else the base path.
pub fn link_base(config: &SiteConfig) -> String {
    absolute_base(&config.base_url).unwrap_or_else(|| config.base_path())
}

/// `base_url` when it is absolute (`https://org.github.io/briefs/`), ending in `/`.
pub fn absolute_base(base_url: &str) -> Option<String> {
    let url = base_url.trim();
    let absolute = url.starts_with("https://") || url.starts_with("http://");
    absolute.then(|| if url.ends_with('/') { url.to_string() } else { format!("{url}/") })
}

fn urlset(entries: &[Entry]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if entries.iter().any(|e| !e.alternates.is_empty()) {
        xml.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    xml.push_str(">\n");
    for entry in entries {
        xml.push_str(&format!("  <url><loc>{}</loc>", xml_escape(&entry.loc)));
        if let Some(date) = &entry.lastmod {
            xml.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        for (language, href) in &entry.alternates {
            xml.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                xml_escape(language),
                xml_escape(href)
            ));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

fn xml_escape(text: &str) -> String {
    super::templates::escape_html(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemaps_past_the_limit_are_split_under_an_index() {
        let config = SiteConfig { base_url: "https://e.org/".into(), ..SiteConfig::default() };
        let entries: Vec<Entry> = (1..=5)
            .map(|i| Entry { loc: format!("https://e.org/p{i}/"), lastmod: None, alternates: Vec::new() })
            .collect();
        let index = sitemap_with_limit(&config, &entries, 2);
        assert!(index.contains("<sitemapindex"));
        assert_eq!(index.matches("<sitemap><loc>https://e.org/sitemap-").count(), 3);
        assert!(index.contains("https://e.org/sitemap-3.xml"));
        // At or under the limit: one plain sitemap.
        let plain = sitemap_with_limit(&config, &entries, 5);
        assert!(plain.starts_with("<?xml") && plain.contains("<urlset"));
        assert_eq!(plain.matches("<url>").count(), 5);
        assert_eq!(sitemap_parts(SITEMAP_LIMIT), 1);
        assert_eq!(sitemap_parts(SITEMAP_LIMIT + 1), 2);
    }
}
