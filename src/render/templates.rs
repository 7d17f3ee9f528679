//! Render stage: the Tera templates. The defaults are compiled into the
//! binary (so `sitrep` works on any site folder); a site's own
//! `templates/<name>.html` replaces the default of that name.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use tera::ast::{Expr, ExprVal, Node};
use tera::{Tera, Value};

use super::i18n::Strings;
use crate::diagnostics::{Code, Diagnostic, Pos};
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
    "search.html",
);

/// The built-in stylesheet, used when a site has no `static/style.css`.
pub const DEFAULT_STYLESHEET: &str = include_str!("../../static/style.css");

/// The site's templates with the interface's strings in one of its languages.
pub struct Templates {
    pub tera: Tera,
    pub strings: Arc<Strings>,
    /// Every language of the site with its name in itself ("Français"),
    /// the default first, for the language switch.
    pub autonyms: Arc<[(String, String)]>,
    /// What, besides a page's view, decides the pages these templates
    /// make (see [`super::reuse`]); None where a page may differ with the
    /// same view (a template calls an impure function) or the running
    /// program cannot be identified: then every page is rendered.
    pub identity: Option<u128>,
}

/// Builds the template set for the site at `root`: defaults, then the
/// site's overrides and additions, once per language of the site (the
/// default first), each with the strings of its language (see
/// [`super::i18n`]). `base_path` is what `url()` prefixes in the default
/// language; the others' pages are under `<base_path><language>/`.
pub fn load_templates(
    root: &Path,
    base_path: &str,
    languages: &[String],
) -> Result<Vec<Arc<Templates>>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut all_strings = Vec::new();
    for language in languages {
        match Strings::load(root, language) {
            Ok(strings) => all_strings.push(Arc::new(strings)),
            Err(problems) => errors.extend(problems),
        }
    }
    let (parsed, digest) = match parse_templates(root) {
        Ok(parsed) => parsed,
        Err(problems) => {
            errors.extend(problems);
            return Err(errors);
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let autonyms: Arc<[(String, String)]> =
        languages.iter().zip(&all_strings).map(|(l, s)| (l.clone(), s.text("language.name"))).collect();
    Ok(all_strings
        .into_iter()
        .enumerate()
        .map(|(i, strings)| {
            let mut tera = template_set(&parsed, &strings);
            let base = if i == 0 {
                base_path.to_string()
            } else {
                format!("{base_path}{}/", crate::model::edition::folder(&languages[i]))
            };
            register_helpers(&mut tera, &base, &strings);
            let identity = digest.zip(super::reuse::program()).map(|(sources, program)| {
                let mut digest = super::reuse::Digest::new();
                digest.number(program).number(sources).number(strings.digest()).text(&base);
                for (language, name) in autonyms.iter() {
                    digest.text(language).text(name);
                }
                digest.finish()
            });
            Arc::new(Templates { tera, strings, autonyms: autonyms.clone(), identity })
        })
        .collect())
}

/// The default templates with the site's own, parsed as one set (each
/// checked alone only when the set fails), and a digest of their texts
/// (None if one calls an impure function).
fn parse_templates(root: &Path) -> Result<(Tera, Option<u128>), Vec<Diagnostic>> {
    let mut sources: Vec<(String, String)> =
        DEFAULT_TEMPLATES.iter().map(|(n, s)| (n.to_string(), s.to_string())).collect();
    let dir = root.join(TEMPLATES_DIR);
    let mut errors = Vec::new();
    if dir.is_dir() {
        let (files, problems) = crate::load::walk_inside(root, &dir);
        errors.extend(problems);
        for entry in files {
            if entry.path().extension().is_none_or(|e| e != "html") {
                continue;
            }
            let name = entry.path().strip_prefix(&dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => {
                    sources.retain(|(n, _)| *n != name);
                    sources.push((name, text));
                }
                Err(e) => errors.push(Diagnostic::error(
                    Code::Unreadable,
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
    // The set is parsed once, and copied for each language. Only if it
    // fails is each template parsed on its own, so that a mistake is
    // reported in the file that holds it; if each parses alone, what is
    // wrong is the set: inheritance (a missing parent, a loop) or a macro
    // file.
    let parsed = match tera_of(sources.iter().map(|(name, text)| (name.as_str(), text.as_str()))) {
        Ok(parsed) => parsed,
        Err(set) => {
            for (name, text) in &sources {
                if let Err(e) = tera::Template::new(name, None, text) {
                    errors.push(parse_error(&e, name));
                }
            }
            if errors.is_empty() {
                errors.push(set_error(&set));
            }
            return Err(errors);
        }
    };
    sources.sort_unstable();
    let mut digest = super::reuse::Digest::new();
    for (name, text) in &sources {
        digest.text(name).text(text);
    }
    let pure = !sources.iter().any(|(_, text)| super::reuse::impure(text));
    Ok((parsed, pure.then(|| digest.finish())))
}

/// A template set of `sources`, escaping as sitrep does.
fn tera_of<'a>(sources: impl IntoIterator<Item = (&'a str, &'a str)>) -> tera::Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(sources)?;
    Ok(tera)
}

/// The template set `parsed` (by [`parse_templates`]) for the
/// language of `strings`: each `{{ t(key="...") }}` that names a plain
/// string is replaced, once parsed, by the string as its output would be
/// (escaped in a template Tera escapes), so that it is not looked up and
/// escaped again on every page (a brief page has about thirty). Done on
/// Tera's parsed nodes, not on the text: a call inside a string literal,
/// a `raw` block or a comment is not a node of its own and stays as it
/// is, and whitespace was trimmed when the text was parsed.
fn template_set(parsed: &Tera, strings: &Strings) -> Tera {
    let mut tera = parsed.clone();
    for template in tera.templates.values_mut() {
        let escaped = template.name.ends_with(".html") || template.name.ends_with(".xml");
        let write = |nodes: &mut Vec<Node>| with_plain_strings(nodes, strings, escaped);
        write(&mut template.ast);
        // Blocks and macros are rendered from copies of their own.
        template.blocks.values_mut().for_each(|block| write(&mut block.body));
        template.macros.values_mut().for_each(|m| write(&mut m.body));
        for chain in template.blocks_definitions.values_mut() {
            chain.iter_mut().for_each(|(_, block)| write(&mut block.body));
        }
    }
    tera
}

/// `nodes` with each `{{ t(key="...") }}` of a plain string replaced by
/// its output (see [`template_set`]), inside blocks, macros, loops and
/// conditions too (not inside a `filter` section, whose output is
/// filtered as a whole).
fn with_plain_strings(nodes: &mut [Node], strings: &Strings, escaped: bool) {
    for node in nodes {
        if let Node::VariableBlock(_, expr) = node
            && let Some(plain) = plain_string(expr, strings)
        {
            *node = Node::Text(if escaped { escape_html(&plain) } else { plain });
            continue;
        }
        match node {
            Node::MacroDefinition(_, m, _) => with_plain_strings(&mut m.body, strings, escaped),
            Node::Block(_, block, _) => with_plain_strings(&mut block.body, strings, escaped),
            Node::Forloop(_, forloop, _) => {
                with_plain_strings(&mut forloop.body, strings, escaped);
                if let Some(body) = &mut forloop.empty_body {
                    with_plain_strings(body, strings, escaped);
                }
            }
            Node::If(condition, _) => {
                for (_, _, body) in &mut condition.conditions {
                    with_plain_strings(body, strings, escaped);
                }
                if let Some((_, body)) = &mut condition.otherwise {
                    with_plain_strings(body, strings, escaped);
                }
            }
            _ => {}
        }
    }
}

/// The string `t(key="...")` gives when `expr` is exactly that call
/// (a literal key, no other argument, no filter) and the key names a
/// plain string.
fn plain_string(expr: &Expr, strings: &Strings) -> Option<String> {
    let ExprVal::FunctionCall(call) = &expr.val else { return None };
    if expr.negated || !expr.filters.is_empty() || call.name != "t" || call.args.len() != 1 {
        return None;
    }
    let key = call.args.get("key")?;
    let ExprVal::String(key_text) = &key.val else { return None };
    if key.negated || !key.filters.is_empty() {
        return None;
    }
    strings.called(key_text, None).ok()
}

fn register_helpers(tera: &mut Tera, base_path: &str, strings: &Arc<Strings>) {
    let base = base_path.to_string();
    tera.register_function("url", move |args: &HashMap<String, Value>| {
        let path = args.get("path").and_then(Value::as_str).ok_or("url() needs path=\"/...\"")?;
        Ok(Value::String(super::markdown::rebase(path, &base)))
    });
    let s = strings.clone();
    tera.register_function("t", move |args: &HashMap<String, Value>| translate(&s, args));
    tera.register_filter("search_value", search_value);
    let s = strings.clone();
    tera.register_filter("human_date", move |value: &Value, args: &HashMap<String, Value>| human_date(&s, value, args));
    let s = strings.clone();
    tera.register_filter("thousands", move |value: &Value, _: &HashMap<String, Value>| {
        let n = value.as_f64().ok_or("thousands expects a number")?;
        Ok(Value::String(s.number(n)))
    });
}

/// A value for Pagefind to read (a filter, a sort key, metadata): its
/// interface writes filter values into the page as HTML after undoing any
/// escape, so `<`, `>` and `&` are shown as ‹, › and ＆ instead.
fn search_value(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    Ok(Value::String(text.replace('&', "＆").replace('<', "‹").replace('>', "›")))
}

/// `t(key="facts.killed")`: the interface string `key`, its `{name}`
/// places filled from the other arguments (numbers written the
/// language's way); `count=` picks a counted string's plural form.
fn translate(strings: &Strings, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let key = args.get("key").and_then(Value::as_str).ok_or("t() needs key=\"...\"")?;
    let count = match args.get("count") {
        Some(value) => Some(value.as_f64().ok_or_else(|| format!("t(key=\"{key}\"): count= must be a number"))?),
        None => None,
    };
    let value = |name: &str| match args.get(name)? {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => n.as_f64().map(|n| strings.number(n)),
        Value::Null => Some(String::new()),
        other => Some(other.to_string()),
    };
    strings.get(key, count, &value).map(Value::String).map_err(tera::Error::msg)
}

/// Escapes text for HTML element content and quoted attributes. Tera's
/// default also escapes `/`, which every URL is full of; that is not needed
/// for safety in quoted attributes and makes pages larger and harder to read.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    push_escaped(&mut out, input);
    out
}

/// [`escape_html`], onto the end of `out`.
pub fn push_escaped(out: &mut String, input: &str) {
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
}

/// `2023-09-28` → `28 September 2023`; with `precision="month"`, `September 2023`;
/// with `precision="week"`, `week of 25 September 2023`; in the site's language.
fn human_date(strings: &Strings, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value.as_str().ok_or("human_date expects a date string")?;
    let date = NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
        .map_err(|e| format!("human_date: `{text}`: {e}"))?;
    let until = args
        .get("until")
        .and_then(Value::as_str)
        .and_then(|t| NaiveDate::parse_from_str(t.get(..10).unwrap_or(t), "%Y-%m-%d").ok())
        .filter(|end| *end > date);
    let shown = match (args.get("precision").and_then(Value::as_str), until) {
        (_, Some(end)) => strings.range(date, end),
        (Some("month"), None) => strings.month(date),
        (Some("week"), None) => strings.week(date),
        _ => strings.day(date),
    };
    Ok(Value::String(shown))
}

/// Tera's message and the messages of its causes, outermost first.
fn chain(e: &tera::Error) -> Vec<String> {
    let mut parts = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        parts.push(inner.to_string());
        source = inner.source();
    }
    parts
}

fn template_file(name: &str) -> std::path::PathBuf {
    Path::new(TEMPLATES_DIR).join(name)
}

const TEMPLATE_HELP: &str = "fix the template, or delete your copy in templates/ to use the built-in one";

/// A template that does not parse. Tera gives the position only inside
/// pest's drawing of the error (`--> 3:14`); it is read from there for the
/// diagnostic's position, and the whole message is kept, so nothing is lost
/// if that drawing ever changes.
fn parse_error(e: &tera::Error, name: &str) -> Diagnostic {
    let parts = chain(e);
    let (pos, message) = match parts.iter().find_map(|p| pest_position(p)) {
        Some((pos, expected)) => (pos, format!("cannot parse {name}: {expected}")),
        None => (Pos::WHOLE_FILE, parts.join(": ")),
    };
    Diagnostic::error(Code::Template, template_file(name), pos, message).with_help(TEMPLATE_HELP)
}

/// A template set that cannot be put together (a parent that is missing,
/// templates that extend each other in a loop), named by Tera's error kind.
fn set_error(e: &tera::Error) -> Diagnostic {
    let file = match &e.kind {
        tera::ErrorKind::MissingParent { current, .. } => template_file(current),
        tera::ErrorKind::CircularExtend { tpl, .. } => template_file(tpl),
        _ => TEMPLATES_DIR.into(),
    };
    Diagnostic::error(Code::Template, file, Pos::WHOLE_FILE, chain(e).join(": ")).with_help(TEMPLATE_HELP)
}

/// An error rendering `template` (for the output file `page`, when there is
/// one). Reported in that template; Tera's message names the parent
/// template when the mistake is in one.
pub fn template_error(e: &tera::Error, template: &str, page: Option<&str>) -> Diagnostic {
    let diagnostic = Diagnostic::error(Code::Template, template_file(template), Pos::WHOLE_FILE, chain(e).join(": "))
        .with_help(TEMPLATE_HELP);
    match page {
        Some(page) => diagnostic.with_note(format!("while rendering {page}")),
        None => diagnostic,
    }
}

/// `--> 3:14` and `= expected ...` from pest's drawing of a parse error.
fn pest_position(text: &str) -> Option<(Pos, String)> {
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
    fn plain_strings_are_written_into_templates_only_where_rendering_would_give_the_same() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir(site.path().join("i18n")).unwrap();
        std::fs::write(
            site.path().join("i18n/en.yaml"),
            "site:\n  countries: \"<Countries> & 'co'\"\n  archive: \"  Archive  \"\n  groups: \"` ~ x ~ `\"\n",
        )
        .unwrap();
        let strings = Strings::load(site.path(), "en").unwrap();
        let page = concat!(
            "{% macro m() %}{{ t(key=\"site.archive\") }}{% endmacro m %}",
            "<a title=\"{{ t(key=\"site.countries\") }}\">[{{ t(key=\"site.archive\") }}]</a>",
            "{% for i in [1] %}{{ t(key=\"site.countries\") }}{% endfor %}",
            // Trimming around a call, a call in a string literal, in a raw block and in a comment.
            "[{%- if true -%}{{ t(key=\"site.archive\") }}{%- endif -%}]",
            "{{ `{{ t(key=\"site.groups\") }}` }}{% raw %}{{ t(key=\"site.archive\") }}{% endraw %}",
            "{# {{ t(key=\"site.archive\") }} #}",
            // Other arguments, a filter, a counted string, an unknown key.
            "{{ t(key=\"count.killed\", count=2) }}{{ t(key=\"site.archive\") | upper }}",
            "{{ t(key=\"count.killed\") }}{{ t(key=\"no.such\") }}",
        );
        let tera = template_set(&tera_of([("page.html", page)]).unwrap(), &strings);
        let nodes = &tera.templates["page.html"].ast;
        let texts: Vec<&str> =
            nodes.iter().filter_map(|n| if let Node::Text(t) = n { Some(t.as_str()) } else { None }).collect();
        assert!(texts.contains(&"&lt;Countries&gt; &amp; &#39;co&#39;"), "{texts:?}");
        assert!(texts.contains(&"  Archive  "), "{texts:?}");
        let calls = nodes.iter().filter(|n| matches!(n, Node::VariableBlock(..))).count();
        assert_eq!(calls, 5, "the literal, and the four calls that are not of a plain string alone: {nodes:?}");
        // Rendered: the same page as with every call made.
        let mut original = tera_of([("page.html", page)]).unwrap();
        let mut written = tera;
        for tera in [&mut original, &mut written] {
            register_helpers(tera, "/", &Arc::new(Strings::load(site.path(), "en").unwrap()));
        }
        let context = tera::Context::new();
        let render = |tera: &Tera, name: &str| tera.render(name, &context).map_err(|e| chain(&e).join(": "));
        // The unknown key fails the page either way; without it, the same bytes.
        assert!(render(&original, "page.html").is_err() && render(&written, "page.html").is_err());
        let page = page.replace("{{ t(key=\"no.such\") }}", "").replace("{{ t(key=\"count.killed\") }}", "");
        let mut original = tera_of([("page.html", page.as_str())]).unwrap();
        let mut written = template_set(&original, &strings);
        for tera in [&mut original, &mut written] {
            register_helpers(tera, "/", &Arc::new(Strings::load(site.path(), "en").unwrap()));
        }
        let (before, after) = (render(&original, "page.html").unwrap(), render(&written, "page.html").unwrap());
        assert_eq!(before, after);
        assert!(after.contains("[  Archive  ]") && after.contains("{{ t(key=&quot;site.groups&quot;) }}"), "{after}");
    }

    #[test]
    fn html_escaping_covers_content_and_quoted_attributes() {
        assert_eq!(escape_html(r#"a"><script>x</script>'&/"#), "a&quot;&gt;&lt;script&gt;x&lt;/script&gt;&#39;&amp;/");
    }
}
