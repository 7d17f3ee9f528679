//! Any text as a Markdown body, rendered in each `markdown.raw_html` mode.
//! Under `sanitize` and `escape` nothing in the HTML may run script or load
//! anything by itself: no script-capable element, no `on*` handler, no
//! address other than http, https, mailto or within the site.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scraper::{Html, Selector};

const FORBIDDEN: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "form", "input", "button", "base",
    "meta", "link", "svg", "math", "template", "noscript", "textarea", "select",
];

fn check_safe(html: &str, mode: &str) {
    let fragment = Html::parse_fragment(html);
    let all = Selector::parse("*").expect("a valid selector");
    for element in fragment.select(&all) {
        let name = element.value().name();
        assert!(!FORBIDDEN.contains(&name), "{mode}: <{name}> in {html:?}");
        for (attribute, value) in element.value().attrs() {
            assert!(!attribute.starts_with("on"), "{mode}: {attribute} in {html:?}");
            assert!(attribute != "srcdoc" && attribute != "formaction", "{mode}: {attribute} in {html:?}");
            if matches!(attribute, "href" | "src" | "xlink:href" | "action" | "poster" | "background" | "cite") {
                assert!(sitrep::urls::is_allowed_address(value), "{mode}: {attribute}={value:?} in {html:?}");
            }
            if attribute == "style" {
                assert!(value.split(';').all(|d| d.trim().is_empty() || d.trim().starts_with("text-align")), "{mode}: style={value:?}");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some((sanitized, escaped, _allowed)) = sitrep::fuzzing::markdown(data) {
        check_safe(&sanitized, "sanitize");
        check_safe(&escaped, "escape");
    }
});
