//! Load stage: the only module that parses YAML.
//!
//! `serde_yaml` turns the text into values and typed structs; `yaml-rust2`'s
//! event parser, which reports where every node starts, gives the line and
//! column of each key and value so that later stages can point at the exact
//! spot in the Markdown file. `serde_yaml` is unmaintained: keeping both
//! behind this module's small API means a fork can replace it here alone.

use crate::FastMap;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, Parser};

use crate::diagnostics::{Code, Pos};

/// A YAML problem, already placed in the file that holds the YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
    pub help: Option<String>,
    pub code: Code,
}

/// A parsed YAML mapping (front matter or `site.yaml`) that remembers where
/// each key and value is.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    entries: Vec<(String, serde_yaml::Value)>,
    spans: FastMap<String, Span>,
    /// Where the block starts in its file, for errors about the block as a whole.
    start: Pos,
}

/// How deep lists and mappings may nest: `serde_yaml` fails past 128, and
/// [`index_spans`] refuses a deeper document before reading on.
const DEEPEST: usize = 128;

#[derive(Debug, Clone, Copy, Default)]
struct Span {
    key: Pos,
    value: Pos,
}

/// Parses `text`, whose first line is line `first_line` of its file.
///
/// An empty block is an empty mapping. Everything else must be a mapping of
/// string keys; duplicate keys are errors at every level.
pub fn parse_mapping(text: &str, first_line: usize) -> Result<Mapping, Vec<YamlError>> {
    let start = Pos::new(first_line, 1);
    let spans = index_spans(text, first_line)?;
    if text.trim().is_empty() {
        return Ok(Mapping { entries: Vec::new(), spans, start });
    }
    let value: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| vec![serde_error(&e, text, first_line, "YAML syntax error: ")])?;
    let map = match value {
        serde_yaml::Value::Mapping(map) => map,
        serde_yaml::Value::Null => serde_yaml::Mapping::new(),
        other => {
            return Err(vec![YamlError {
                pos: start,
                message: format!("expected `key: value` lines, found {}", describe(&other)),
                help: Some("front matter is a list of `key: value` lines, such as `title: ...`".into()),
                code: Code::YamlNotAMapping,
            }]);
        }
    };
    let mut entries = Vec::with_capacity(map.len());
    for (k, v) in map {
        let key = match k {
            serde_yaml::Value::String(s) => s,
            other => scalar_to_string(&other).unwrap_or_else(|| format!("{other:?}")),
        };
        entries.push((key, v));
    }
    let mapping = Mapping { entries, spans, start };
    let mut errors = Vec::new();
    for (key, value) in &mapping.entries {
        if key.chars().any(crate::load::is_forbidden_control) {
            errors.push(control_error(mapping.key_pos(key), "a key", key));
        } else if holds_control(value) {
            escaped_controls(&mapping, key, value, &mut errors);
        }
    }
    if errors.is_empty() { Ok(mapping) } else { Err(errors) }
}

/// The error for a control character in `text`, which is `what` (`title`,
/// a key), at `pos`.
fn control_error(pos: Pos, what: &str, text: &str) -> YamlError {
    let c = text.chars().find(|&c| crate::load::is_forbidden_control(c)).unwrap_or('\0');
    YamlError {
        pos,
        message: format!("{what} holds a control character, {}", crate::load::control_name(c)),
        help: Some(
            "remove the escape that makes it (`\\e`, `\\a`, `\\0`, `\\r`, `\\x..`, `\\u....`): \
             control characters are invisible, and break feeds and terminals"
                .into(),
        ),
        code: Code::ControlCharacter,
    }
}

/// Whether a forbidden control character is anywhere in `value` (a quick
/// look, before [`escaped_controls`] finds where).
fn holds_control(value: &serde_yaml::Value) -> bool {
    match value {
        serde_yaml::Value::String(text) => text.chars().any(crate::load::is_forbidden_control),
        serde_yaml::Value::Sequence(items) => items.iter().any(holds_control),
        serde_yaml::Value::Mapping(map) => map.iter().any(|(k, v)| holds_control(k) || holds_control(v)),
        serde_yaml::Value::Tagged(tagged) => holds_control(&tagged.value),
        _ => false,
    }
}

/// Control characters written as YAML escapes (`"\e"`, `"\x07"`,
/// `"\r"`) in `value`, found at `path`, each an error at that value.
fn escaped_controls(mapping: &Mapping, path: &str, value: &serde_yaml::Value, errors: &mut Vec<YamlError>) {
    match value {
        serde_yaml::Value::String(text) if text.chars().any(crate::load::is_forbidden_control) => {
            errors.push(control_error(mapping.value_pos(path), &format!("`{path}`"), text));
        }
        serde_yaml::Value::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                escaped_controls(mapping, &format!("{path}.{i}"), item, errors);
            }
        }
        serde_yaml::Value::Mapping(map) => {
            for (k, v) in map {
                let key = scalar_to_string(k).unwrap_or_default();
                if key.chars().any(crate::load::is_forbidden_control) {
                    errors.push(control_error(mapping.value_pos(path), &format!("a key of `{path}`"), &key));
                } else {
                    escaped_controls(mapping, &format!("{path}.{key}"), v, errors);
                }
            }
        }
        serde_yaml::Value::Tagged(tagged) => escaped_controls(mapping, path, &tagged.value, errors),
        _ => {}
    }
}

impl Mapping {
    /// The keys in file order, with the position of each key.
    pub fn keys(&self) -> impl Iterator<Item = (&str, Pos)> {
        self.entries.iter().map(|(k, _)| (k.as_str(), self.key_pos(k)))
    }

    /// The entries in file order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &serde_yaml::Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k == key)
    }

    /// Where the key at `path` (`fatalities.low`, `sources.0.name`) is, or
    /// the nearest enclosing node that was found.
    pub fn key_pos(&self, path: &str) -> Pos {
        self.lookup(path).map(|s| s.key).unwrap_or(self.start)
    }

    /// Where the value at `path` starts.
    pub fn value_pos(&self, path: &str) -> Pos {
        self.lookup(path).map(|s| s.value).unwrap_or(self.start)
    }

    fn lookup(&self, path: &str) -> Option<Span> {
        let mut path = path;
        loop {
            if let Some(span) = self.spans.get(path) {
                return Some(*span);
            }
            path = &path[..path.rfind('.')?];
        }
    }

    /// Deserializes only the entry `key` into `T`, whose other fields must
    /// all have defaults. Used to find every bad field, not just the first.
    pub fn deserialize_entry<T: DeserializeOwned>(&self, key: &str) -> Result<T, String> {
        self.deserialize_where(|k| k == key)
    }

    /// Deserializes the entries whose keys pass `keep` into `T`.
    pub fn deserialize_where<T: DeserializeOwned>(&self, keep: impl Fn(&str) -> bool) -> Result<T, String> {
        let mut map = serde_yaml::Mapping::new();
        for (k, v) in &self.entries {
            if keep(k) {
                map.insert(serde_yaml::Value::String(k.clone()), v.clone());
            }
        }
        serde_yaml::from_value(serde_yaml::Value::Mapping(map)).map_err(|e| tidy_message(&e.to_string()))
    }
}

/// Writes `text` as a YAML scalar, quoted only where YAML needs it.
pub fn quote(text: &str) -> String {
    serde_yaml::to_string(text).map(|s| s.trim_end().to_string()).unwrap_or_else(|_| format!("{text:?}"))
}

/// Parses a whole YAML document into `T` (for files that are only YAML).
/// Errors carry positions; unknown fields and type errors come from serde.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|e| serde_error(&e, text, 1, ""))
}

/// Walks the event stream once, recording where each key and value starts
/// and catching duplicate keys (which `serde_yaml` reports without a line).
fn index_spans(text: &str, first_line: usize) -> Result<FastMap<String, Span>, Vec<YamlError>> {
    enum Frame {
        Map { path: String, key: Option<String>, seen: FastMap<String, Pos> },
        Seq { path: String, index: usize },
    }
    let to_pos = |m: &yaml_rust2::scanner::Marker| Pos::new(m.line() + first_line - 1, m.col() + 1);
    let child = |parent: &str, name: &str| {
        if parent.is_empty() { name.to_string() } else { format!("{parent}.{name}") }
    };

    let mut spans = FastMap::default();
    let mut errors = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(next) => next,
            Err(e) => {
                let pos = to_pos(e.marker());
                let line_text = text.lines().nth(e.marker().line().saturating_sub(1)).unwrap_or("");
                return Err(vec![YamlError {
                    pos,
                    message: format!("YAML syntax error: {}", e.info()),
                    help: syntax_help(line_text, text),
                    code: Code::YamlSyntax,
                }]);
            }
        };
        let pos = to_pos(&mark);
        // A node (scalar, alias, or the start of a collection) in value position
        // gets its path; in key position it becomes the pending key.
        let is_node_start =
            matches!(event, Event::Scalar(..) | Event::Alias(..) | Event::MappingStart(..) | Event::SequenceStart(..));
        let mut node_path = None;
        if is_node_start {
            match stack.last_mut() {
                Some(Frame::Map { path, key, seen }) => {
                    match key {
                        None => {
                            let name = match &event {
                                Event::Scalar(s, ..) => s.clone(),
                                _ => "?".to_string(),
                            };
                            if let Some(first) = seen.get(&name) {
                                errors.push(YamlError {
                                    pos,
                                    message: format!("duplicate key `{name}` (first set on line {})", first.line),
                                    help: Some("keep one of the two lines; YAML does not allow a key twice".into()),
                                    code: Code::YamlDuplicateKey,
                                });
                            } else {
                                seen.insert(name.clone(), pos);
                            }
                            spans.insert(child(path, &name), Span { key: pos, value: pos });
                            *key = Some(name);
                            if matches!(event, Event::Scalar(..)) {
                                continue;
                            }
                            // A collection as a key is rare and unsupported later; index it under `?`.
                            node_path = Some(child(path, "?"));
                        }
                        Some(name) => {
                            let p = child(path, name);
                            spans.entry(p.clone()).or_insert(Span { key: pos, value: pos }).value = pos;
                            node_path = Some(p);
                        }
                    }
                }
                Some(Frame::Seq { path, index }) => {
                    let p = child(path, &index.to_string());
                    spans.insert(p.clone(), Span { key: pos, value: pos });
                    node_path = Some(p);
                }
                None => node_path = Some(String::new()),
            }
        }
        // Deeper than `serde_yaml` reads (it stops at 128): said at once,
        // before each node's path grows with the depth.
        if matches!(event, Event::MappingStart(..) | Event::SequenceStart(..)) && stack.len() >= DEEPEST {
            return Err(vec![YamlError {
                pos,
                message: format!("lists and mappings here are nested more than {DEEPEST} deep"),
                help: Some("front matter needs a few levels at most: close the brackets, or remove some".into()),
                code: Code::YamlSyntax,
            }]);
        }
        match event {
            Event::MappingStart(..) => {
                stack.push(Frame::Map { path: node_path.unwrap_or_default(), key: None, seen: FastMap::default() });
                continue;
            }
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq { path: node_path.unwrap_or_default(), index: 0 });
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::Scalar(..) | Event::Alias(..) => {}
            Event::StreamEnd => break,
            _ => continue,
        }
        // A value was completed: move its parent on to the next key or item.
        match stack.last_mut() {
            Some(Frame::Map { key, .. }) => *key = None,
            Some(Frame::Seq { index, .. }) => *index += 1,
            None => {}
        }
    }
    if errors.is_empty() { Ok(spans) } else { Err(errors) }
}

fn serde_error(e: &serde_yaml::Error, text: &str, first_line: usize, prefix: &str) -> YamlError {
    let (pos, line_text) = match e.location() {
        Some(loc) => (
            Pos::new(loc.line() + first_line - 1, loc.column()),
            text.lines().nth(loc.line().saturating_sub(1)).unwrap_or(""),
        ),
        None => (Pos::new(first_line, 1), ""),
    };
    let message = tidy_message(&e.to_string());
    if message.contains("repetition limit exceeded") {
        // A "billion laughs": aliases that refer to aliases, each
        // repeating the last, until the text they stand for is enormous.
        return YamlError {
            pos,
            message: "aliases (`*name`) here repeat each other into more text than sitrep reads".into(),
            help: Some("write the values out, or use each alias once; front matter needs no nested aliases".into()),
            code: Code::YamlSyntax,
        };
    }
    // A value of the wrong kind is not a syntax slip: say what kind is wanted.
    let help = kind_help(&message).or_else(|| syntax_help(line_text, text));
    YamlError { pos, message: format!("{prefix}{message}"), help, code: Code::YamlSyntax }
}

/// For serde's message about a value of the wrong kind ("invalid type:
/// string "many", expected i64"), what kind is wanted, as an editor would
/// say it.
pub fn kind_help(message: &str) -> Option<String> {
    match message.split_once(", expected ") {
        Some((found, wanted)) if found.contains("invalid type") || found.contains("invalid value") => {
            Some(format!("this value must be {}", plain_kind(wanted)))
        }
        _ => None,
    }
}

/// serde's name for a wanted kind, as an editor would say it.
fn plain_kind(wanted: &str) -> String {
    match wanted.trim() {
        "a boolean" => "`true` or `false`".into(),
        "usize" | "u64" | "u32" | "u16" | "u8" => "a whole number, 0 or more".into(),
        "i64" | "i32" => "a whole number".into(),
        "f64" | "f32" => "a number".into(),
        other => other.to_string(),
    }
}

/// serde_yaml appends "at line N column M" counted inside the YAML block;
/// those numbers would mislead next to our file positions, so drop them.
fn tidy_message(message: &str) -> String {
    let mut out = message.to_string();
    while let Some(at) = out.find(" at line ") {
        let rest = &out[at + " at line ".len()..];
        let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
        let n = digits(rest);
        let mut end = at + " at line ".len() + n;
        if out[end..].starts_with(" column ") {
            end += " column ".len();
            end += digits(&out[end..]);
        }
        out.replace_range(at..end, "");
    }
    out
}

fn syntax_help(line_text: &str, whole: &str) -> Option<String> {
    if line_text.contains('\t') || (line_text.trim().is_empty() && whole.contains('\t')) {
        Some("YAML does not allow tabs for indentation; indent with spaces".into())
    } else if line_text.matches('"').count() % 2 == 1 || whole.matches('"').count() % 2 == 1 {
        Some("a quoted value is missing its closing quote".into())
    } else if line_text.contains(": ") && line_text.split(": ").nth(1).is_some_and(|v| v.contains(": ")) {
        Some("a value that contains `: ` must be quoted, e.g. title: \"Attack: 12 killed\"".into())
    } else {
        Some("check the indentation and that every line is `key: value`".into())
    }
}

fn describe(v: &serde_yaml::Value) -> &'static str {
    match v {
        serde_yaml::Value::Null => "nothing",
        serde_yaml::Value::Bool(_) => "a true/false value",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "a single text value",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) => "a mapping",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}

fn scalar_to_string(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_deeper_than_serde_yaml_reads_is_refused_where_it_passes_the_limit() {
        let nested = |depth: usize| format!("deep: {}{}\n", "[".repeat(depth), "]".repeat(depth));
        let errors = parse_mapping(&nested(200), 1).unwrap_err();
        assert_eq!(errors[0].pos, Pos::new(1, 6 + DEEPEST), "{errors:?}");
        assert!(errors[0].message.contains("nested more than 128 deep"), "{errors:?}");
        // The mapping and 127 lists: as deep as serde_yaml reads.
        assert!(parse_mapping(&nested(DEEPEST - 1), 1).is_ok());
    }

    #[test]
    fn positions_are_lines_of_the_file() {
        let m = parse_mapping("title: x\nfatalities: {best: 5, low: 9}\nsources:\n  - a\n  - {name: b}\n", 2).unwrap();
        assert_eq!(m.key_pos("title"), Pos::new(2, 1));
        assert_eq!(m.value_pos("fatalities.low"), Pos::new(3, 28));
        assert_eq!(m.key_pos("fatalities.low"), Pos::new(3, 23));
        assert_eq!(m.value_pos("sources.1.name"), Pos::new(6, 12));
        // Unknown paths fall back to the nearest known parent.
        assert_eq!(m.value_pos("sources.1.url"), Pos::new(6, 5));
    }

    #[test]
    fn duplicate_keys_are_reported_where_they_repeat() {
        let errors = parse_mapping("title: a\ndate: 2020-01-01\ntitle: b\n", 2).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pos, Pos::new(4, 1));
        assert!(errors[0].message.contains("first set on line 2"), "{}", errors[0].message);
    }

    #[test]
    fn tabs_get_a_hint() {
        let errors = parse_mapping("title: a\nfatalities:\n\tbest: 3\n", 2).unwrap_err();
        assert_eq!(errors[0].pos.line, 4);
        assert!(errors[0].help.as_deref().unwrap().contains("tabs"));
    }

    #[test]
    fn serde_line_numbers_are_removed_from_messages() {
        assert_eq!(tidy_message("bad thing at line 3 column 4, while x at line 1 column 2"), "bad thing, while x");
    }
}
