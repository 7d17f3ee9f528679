//! Render stage: the files that publishing needs besides the pages:
//! `sitemap.xml` (split into a sitemap index past 50,000 addresses),
//! `robots.txt`, `.nojekyll` (GitHub Pages must not run Jekyll on the
//! output) and `CNAME` for a custom domain.

use super::{Content, Job, OutputFile, Renderer};
use crate::load::SiteConfig;
use crate::model::Site;

/// The sitemaps.org limit of addresses per sitemap file.
pub const SITEMAP_LIMIT: usize = 50_000;

/// Publishing files for `site`. The sitemap and robots.txt need an
/// absolute `base_url`; without one they are left out.
pub fn publishing_outputs(site: &Site, renderer: &Renderer) -> Vec<OutputFile> {
    let mut files = vec![bytes(".nojekyll", String::new())];
    if let Some(domain) = site.config.cname.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        files.push(bytes("CNAME", format!("{domain}\n")));
    }
    let Some(origin) = absolute_base(&site.config.base_url) else {
        return files;
    };
    let mut entries: Vec<(String, Option<String>)> = renderer
        .jobs()
        .into_iter()
        .filter(|job| *job != Job::NotFound)
        .map(|job| {
            let path = renderer.path(job);
            let lastmod = match job {
                Job::Brief(i) => Some(site.briefs[i].last_modified().to_string()),
                _ => None,
            };
            (format!("{origin}{}", path.trim_end_matches("index.html")), lastmod)
        })
        .collect();
    entries.sort();
    files.extend(sitemaps(&origin, &entries, SITEMAP_LIMIT));
    files.push(bytes("robots.txt", format!("User-agent: *\nAllow: /\n\nSitemap: {origin}sitemap.xml\n")));
    files
}

/// `sitemap.xml`, or past `limit` addresses a sitemap index pointing to
/// `sitemap-1.xml`, `sitemap-2.xml`, ...
fn sitemaps(origin: &str, entries: &[(String, Option<String>)], limit: usize) -> Vec<OutputFile> {
    let chunks: Vec<&[(String, Option<String>)]> = entries.chunks(limit).collect();
    if chunks.len() <= 1 {
        return vec![bytes("sitemap.xml", urlset(entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in chunks.iter().enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        index.push_str(&format!("  <sitemap><loc>{}</loc></sitemap>\n", xml_escape(&format!("{origin}{name}"))));
        files.push(bytes(&name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(bytes("sitemap.xml", index));
    files
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

fn urlset(entries: &[(String, Option<String>)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in entries {
        xml.push_str(&format!("  <url><loc>{}</loc>", xml_escape(loc)));
        if let Some(date) = lastmod {
            xml.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

fn xml_escape(text: &str) -> String {
    super::templates::escape_html(text)
}

fn bytes(path: &str, text: String) -> OutputFile {
    OutputFile { path: path.into(), content: Content::Bytes(text.into_bytes()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(file: &OutputFile) -> &str {
        match &file.content {
            Content::Bytes(b) => std::str::from_utf8(b).unwrap(),
            Content::Copy(_) => panic!("generated"),
        }
    }

    #[test]
    fn sitemaps_past_the_limit_are_split_under_an_index() {
        let entries: Vec<(String, Option<String>)> = (1..=5).map(|i| (format!("https://e.org/p{i}/"), None)).collect();
        let files = sitemaps("https://e.org/", &entries, 2);
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]);
        let index = text(&files[3]);
        assert!(index.contains("<sitemapindex"));
        assert_eq!(index.matches("<sitemap><loc>https://e.org/sitemap-").count(), 3);
        assert_eq!(text(&files[2]).matches("<url>").count(), 1);
        // At or under the limit: one plain sitemap.
        assert_eq!(sitemaps("https://e.org/", &entries, 5).len(), 1);
    }
}
