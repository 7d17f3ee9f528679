//! What raw HTML in a Markdown body may keep under `markdown.raw_html:
//! sanitize`, the default: one allow-list that both the sanitizer (ammonia,
//! when a page is rendered) and the inspector (`check`, which says what will
//! be removed and where) read, so that what `check` warns about is exactly
//! what the page loses.
//!
//! Kept: the structure Markdown itself produces (headings, lists, tables,
//! footnotes, images, links) and the handful of tags editors reach for
//! (`<details>`, `<figure>`, `<sup>`, `<abbr>`, `<kbd>`, `<mark>`...).
//! Removed: anything that runs script or loads or submits something by
//! itself: `<script>`, `<style>`, frames, forms, `<object>`, `<embed>`,
//! `<base>`, `<meta>`, `<link>`, `on*` handlers, `style` attributes (which
//! can load images), and every link or image address that is not http,
//! https, mailto or within the site.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Elements raw HTML may use.
#[rustfmt::skip]
pub const TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp",
    "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
];

/// Elements removed together with everything inside them (the rest lose
/// only their tags and keep their text).
pub const REMOVED_WITH_CONTENT: &[&str] = &["script", "style"];

/// Attributes any kept element may have.
pub const GENERIC_ATTRIBUTES: &[&str] = &["id", "class", "lang", "title", "dir"];

/// Attributes particular elements may have.
pub fn tag_attributes(tag: &str) -> &'static [&'static str] {
    match tag {
        "a" => &["href", "hreflang"],
        "img" => &["src", "alt", "width", "height"],
        "blockquote" | "q" => &["cite"],
        "del" | "ins" => &["cite", "datetime"],
        "time" => &["datetime"],
        "data" => &["value"],
        "ol" => &["start", "reversed", "type"],
        "li" => &["value"],
        "details" => &["open"],
        "td" | "th" => &["colspan", "rowspan", "headers", "scope", "align"],
        "col" | "colgroup" => &["span"],
        _ => &[],
    }
}

/// Whether `attribute` on `tag` holds an address that a reader's browser
/// would follow or load.
pub fn is_address_attribute(tag: &str, attribute: &str) -> bool {
    matches!(attribute, "href" | "src" | "xlink:href" | "action" | "formaction" | "poster" | "background" | "ping")
        || (tag == "object" && attribute == "data")
}

/// Whether an element may stay.
pub fn keeps_tag(tag: &str) -> bool {
    TAGS.contains(&tag)
}

/// Whether an attribute may stay on a kept element. `style` may, but only
/// its `text-align` (what Markdown tables use); see [`clean`].
pub fn keeps_attribute(tag: &str, attribute: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attribute) || tag_attributes(tag).contains(&attribute) || attribute == "style"
}

/// Removes from rendered HTML everything the policy does not keep.
pub fn clean(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let tag_attributes: HashMap<&str, HashSet<&str>> =
            TAGS.iter().map(|&tag| (tag, tag_attributes(tag).iter().copied().chain(["style"]).collect())).collect();
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(TAGS.iter().copied().collect())
            .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
            .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
            .tag_attributes(tag_attributes)
            .filter_style_properties(HashSet::from(["text-align"]))
            .url_schemes(crate::urls::ALLOWED_SCHEMES.iter().copied().collect())
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(None)
            .strip_comments(true);
        builder
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_editors_use_and_removes_what_runs() {
        let html = clean(concat!(
            "<details open><summary>More</summary><p>x<sup>1</sup></p></details>",
            "<table><tr><td style=\"text-align: center; background: url(x)\">c</td></tr></table>",
            "<script>alert(1)</script><iframe src=\"https://e.org\"></iframe>",
            "<img src=\"x.png\" onerror=\"alert(1)\"><a href=\"javascript:alert(1)\">j</a>",
            "<a href=\"/briefs/x/\">in</a><form action=\"https://e.org\"><input></form><base href=\"//e.org\">",
        ));
        assert!(html.contains("<details open=\"\"><summary>More</summary>"), "{html}");
        assert!(html.contains("<sup>1</sup>"), "{html}");
        assert!(html.contains("style=\"text-align:center\""), "{html}");
        assert!(html.contains("<a href=\"/briefs/x/\">in</a>"), "{html}");
        for gone in ["script", "alert", "iframe", "onerror", "javascript", "form", "base", "background", "input"] {
            assert!(!html.contains(gone), "{gone} survived: {html}");
        }
    }
}
