//! Render stage: the Tera templates. The defaults are compiled into the
//! binary (so `sitrep` works on any site folder); a site's own
//! `templates/<name>.html` replaces the default of that name.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use tera::{Tera, Value};

use crate::diagnostics::{Diagnostic, Pos};
use crate::load::TEMPLATES_DIR;

macro_rules! defaults {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),+]
    };
}

/// The built-in templates, by name.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = defaults!(
    "base.html",
    "macros.html",
    "home.html",
    "brief.html",
    "countries.html",
    "country.html",
    "groups.html",
    "group.html",
    "archive.html",
    "year.html",
    "page.html",
    "404.html",
    "redirect.html",
);

/// The built-in stylesheet, used when a site has no `static/style.css`.
pub const DEFAULT_STYLESHEET: &str = include_str!("../../static/style.css");

/// Builds the template set for the site at `root`: defaults, then the
/// site's overrides and additions. `base_path` is what `url()` prefixes.
pub fn load_templates(root: &Path, base_path: &str) -> Result<Tera, Vec<Diagnostic>> {
    let mut sources: Vec<(String, String)> =
        DEFAULT_TEMPLATES.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
    let dir = root.join(TEMPLATES_DIR);
    let mut errors = Vec::new();
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push(Diagnostic::error(
                        "unreadable",
                        TEMPLATES_DIR,
                        Pos::WHOLE_FILE,
                        format!("cannot read the templates folder: {e}"),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "html") {
                continue;
            }
            let name = entry.path().strip_prefix(&dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => {
                    sources.retain(|(n, _)| *n != name);
                    sources.push((name, text));
                }
                Err(e) => errors.push(Diagnostic::error(
                    "unreadable",
                    Path::new(TEMPLATES_DIR).join(&name),
                    Pos::WHOLE_FILE,
                    format!("cannot read this template: {e}"),
                )),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        .map_err(|e| vec![template_error(&e, None)])?;
    register_helpers(&mut tera, base_path);
    Ok(tera)
}

fn register_helpers(tera: &mut Tera, base_path: &str) {
    let base = base_path.to_string();
    tera.register_function("url", move |args: &HashMap<String, Value>| {
        let path = args.get("path").and_then(Value::as_str).ok_or("url() needs path=\"/...\"")?;
        Ok(Value::String(super::markdown::rebase(path, &base)))
    });
    tera.register_filter("human_date", human_date);
    tera.register_filter("thousands", thousands);
}

/// Escapes text for HTML element content and quoted attributes. Tera's
/// default also escapes `/`, which every URL is full of; that is not needed
/// for safety in quoted attributes and makes pages larger and harder to read.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `2023-09-28` → `28 September 2023`; with `precision="month"`, `September 2023`;
/// with `precision="week"`, `week of 25 September 2023`.
fn human_date(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value.as_str().ok_or("human_date expects a date string")?;
    let date = NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
        .map_err(|e| format!("human_date: `{text}`: {e}"))?;
    let shown = match args.get("precision").and_then(Value::as_str) {
        Some("month") => date.format("%B %Y").to_string(),
        Some("week") => format!("week of {}", date.format("%-d %B %Y")),
        _ => date.format("%-d %B %Y").to_string(),
    };
    Ok(Value::String(shown))
}

/// `12345` → `12,345`.
fn thousands(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let n = value.as_u64().ok_or("thousands expects a whole number")?;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    Ok(Value::String(out))
}

/// Flattens Tera's error chain (the useful part is usually the innermost)
/// into one diagnostic naming the template.
pub fn template_error(e: &tera::Error, page: Option<&str>) -> Diagnostic {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        parts.push(inner.to_string());
        source = inner.source();
    }
    let template = parts
        .iter()
        .find_map(|p| p.split('\'').nth(1).filter(|n| n.ends_with(".html")).map(str::to_string))
        .unwrap_or_else(|| "templates".into());
    let file = Path::new(TEMPLATES_DIR).join(&template);
    // Parse errors come as a drawing with `--> line:column` and an
    // `= expected ...` line; keep the position and the expectation.
    let (pos, parts) = match parts.iter().find_map(|p| parse_error_position(p)) {
        Some((pos, expected)) => (pos, vec![format!("cannot parse {template}: {expected}")]),
        None => (Pos::WHOLE_FILE, parts),
    };
    let mut message = parts.join(": ");
    if let Some(page) = page {
        message = format!("{message} (while rendering {page})");
    }
    Diagnostic::error("template", file, pos, message)
        .with_help("fix the template, or delete your copy in templates/ to use the built-in one")
}

/// `--> 3:14` and `= expected ...` from a Tera parse error.
fn parse_error_position(text: &str) -> Option<(Pos, String)> {
    let at = text.find("--> ")? + 4;
    let (line, rest) = text[at..].split_once(':')?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let expected = text.lines().find_map(|l| l.trim().strip_prefix("= ")).unwrap_or("syntax error").to_string();
    Some((Pos::new(line.trim().parse().ok()?, column.parse().ok()?), expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_like_prose() {
        let v = |s: &str| Value::String(s.into());
        let none = HashMap::new();
        assert_eq!(human_date(&v("2023-09-28"), &none).unwrap(), v("28 September 2023"));
        let month = HashMap::from([("precision".to_string(), v("month"))]);
        assert_eq!(human_date(&v("2023-09-28"), &month).unwrap(), v("September 2023"));
    }

    #[test]
    fn html_escaping_covers_content_and_quoted_attributes() {
        assert_eq!(escape_html(r#"a"><script>x</script>'&/"#), "a&quot;&gt;&lt;script&gt;x&lt;/script&gt;&#39;&amp;/");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(&Value::from(1234567u64), &HashMap::new()).unwrap(), Value::String("1,234,567".into()));
        assert_eq!(thousands(&Value::from(12u64), &HashMap::new()).unwrap(), Value::String("12".into()));
    }
}
