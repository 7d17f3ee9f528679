//! Load stage: the only module that parses YAML.
//!
//! `yaml-rust2`'s event parser, which reports where every node starts,
//! gives the line and column of each key and value so that later stages
//! can point at the exact spot in the Markdown file, and on the same pass
//! builds the values as `serde_yaml` would (see [`Values`]); `serde_yaml`
//! parses what that pass leaves to it, and turns values into typed structs.
//! `serde_yaml` is unmaintained: keeping both behind this module's small
//! API means a fork can replace it here alone.

use crate::FastMap;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

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
    spans: Spans,
    /// Where the block starts in its file, for errors about the block as a whole.
    start: Pos,
}

/// Where each node is, by its path (`sources.0.name`).
type Spans = FastMap<String, Span>;

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
    let (spans, built) = index_spans(text, first_line)?;
    if text.trim().is_empty() {
        return Ok(Mapping { entries: Vec::new(), spans, start });
    }
    // The values as the pass that found the positions built them, or, for
    // what it leaves to `serde_yaml` (tags, anchors, aliases...), parsed
    // again by it.
    let value = match built {
        Some(value) => value,
        None => {
            serde_yaml::from_str(text).map_err(|e| vec![serde_error(&e, text, first_line, "YAML syntax error: ")])?
        }
    };
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
/// The position of every node of `text`, by path, and its value where
/// [`Values`] could build it on the way.
fn index_spans(text: &str, first_line: usize) -> Result<(Spans, Option<serde_yaml::Value>), Vec<YamlError>> {
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
    let mut values = Values::default();
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
        values.feed(&event);
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
        // Deeper than anything reads (`serde_yaml` stops at 128): said at
        // once, before each node's path grows with the depth.
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
    if errors.is_empty() { Ok((spans, values.finish())) } else { Err(errors) }
}

/// Builds the value of a YAML document from its parser's events as
/// `serde_yaml` would have made it from the same text, so that the text is
/// parsed once: scalars are resolved by its rules (YAML 1.2's core schema:
/// `null`, `true`, integers in four bases, finite floats, `.inf`, `.nan`;
/// everything else, and every quoted or block scalar, is text). It gives
/// up, leaving the text to `serde_yaml`, on whatever it does not make
/// alike: tags, anchors and aliases, keys that are not scalars, repeated
/// keys, integers past 64 bits, a second document.
#[derive(Default)]
struct Values {
    open: Vec<Partial>,
    root: Option<serde_yaml::Value>,
    documents: usize,
    given_up: bool,
}

/// How deep lists and mappings may nest: `serde_yaml` fails past 128 (and
/// what reads a value walks it recursively), and [`index_spans`] refuses
/// a deeper document before building anything of it.
const DEEPEST: usize = 128;

/// A collection whose end has not been reached yet.
enum Partial {
    /// A mapping, and the key read for the value to come.
    Map(serde_yaml::Mapping, Option<serde_yaml::Value>),
    Seq(Vec<serde_yaml::Value>),
}

impl Values {
    fn feed(&mut self, event: &Event) {
        if self.given_up {
            return;
        }
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                self.given_up |= self.documents > 1;
            }
            Event::Scalar(text, style, anchor, tag) => {
                let value = match (anchor, tag, style) {
                    (0, None, TScalarStyle::Plain) => resolved(text),
                    (0, None, _) => Some(serde_yaml::Value::String(text.clone())),
                    _ => None,
                };
                match value {
                    Some(value) => self.complete(value),
                    None => self.given_up = true,
                }
            }
            Event::MappingStart(0, None) => self.open.push(Partial::Map(serde_yaml::Mapping::new(), None)),
            Event::SequenceStart(0, None) => self.open.push(Partial::Seq(Vec::new())),
            Event::MappingEnd => match self.open.pop() {
                Some(Partial::Map(map, None)) => self.complete(serde_yaml::Value::Mapping(map)),
                _ => self.given_up = true,
            },
            Event::SequenceEnd => match self.open.pop() {
                Some(Partial::Seq(items)) => self.complete(serde_yaml::Value::Sequence(items)),
                _ => self.given_up = true,
            },
            Event::Alias(_) | Event::MappingStart(..) | Event::SequenceStart(..) => self.given_up = true,
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }

    /// A node is complete: it is the root, an item, a key or a key's value.
    fn complete(&mut self, value: serde_yaml::Value) {
        match self.open.last_mut() {
            None if self.root.is_none() => self.root = Some(value),
            None => self.given_up = true,
            Some(Partial::Seq(items)) => items.push(value),
            Some(Partial::Map(_, key @ None)) => {
                let scalar = !matches!(
                    value,
                    serde_yaml::Value::Mapping(_) | serde_yaml::Value::Sequence(_) | serde_yaml::Value::Tagged(_)
                );
                if scalar { *key = Some(value) } else { self.given_up = true }
            }
            Some(Partial::Map(map, key @ Some(_))) => {
                let key = key.take().expect("matched as a key");
                if map.contains_key(&key) {
                    self.given_up = true;
                } else {
                    map.insert(key, value);
                }
            }
        }
    }

    /// The document's value (`null` for an empty one), unless given up.
    fn finish(self) -> Option<serde_yaml::Value> {
        let done = !self.given_up && self.open.is_empty();
        done.then(|| self.root.unwrap_or(serde_yaml::Value::Null))
    }
}

/// A plain scalar's value by `serde_yaml`'s rules, or `None` for an integer
/// too large for 64 bits (which it keeps in 128).
fn resolved(text: &str) -> Option<serde_yaml::Value> {
    use serde_yaml::{Number, Value};
    Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => match integer(text) {
            Integer::Unsigned(n) => Value::Number(Number::from(n)),
            Integer::Negative(n) => Value::Number(Number::from(n)),
            Integer::TooLarge => return None,
            Integer::Not => match float(text) {
                Some(f) => Value::Number(Number::from(f)),
                None => Value::String(text.to_string()),
            },
        },
    })
}

enum Integer {
    Unsigned(u64),
    Negative(i64),
    TooLarge,
    Not,
}

/// `text` as an integer: decimal, or after `0x`, `0o` or `0b`, with an
/// optional sign (`+` before the digits or the base's prefix, `-` before
/// it); zeros before other digits make text, not a number.
fn integer(text: &str) -> Integer {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = match unsigned.get(..2) {
        Some("0x") => (16, &unsigned[2..]),
        Some("0o") => (8, &unsigned[2..]),
        Some("0b") => (2, &unsigned[2..]),
        _ => (10, unsigned),
    };
    let leading_zero = radix == 10 && digits.len() > 1 && digits.starts_with('0');
    // A sign is written once, and Rust's parsers take one more.
    if digits.is_empty() || leading_zero || !digits.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Integer::Not;
    }
    let Ok(magnitude) = u128::from_str_radix(digits, radix) else {
        // Digits of another base (`0x1g`), or more than 128 bits.
        return if digits.bytes().all(|b| char::from(b).is_digit(radix)) { Integer::TooLarge } else { Integer::Not };
    };
    match (negative, u64::try_from(magnitude)) {
        (false, Ok(n)) => Integer::Unsigned(n),
        (true, _) if magnitude <= u128::from(i64::MIN.unsigned_abs()) => {
            Integer::Negative(0i64.wrapping_sub_unsigned(magnitude as u64))
        }
        _ => Integer::TooLarge,
    }
}

/// `text` as a finite float, or `.inf` and `.nan` in their three spellings.
fn float(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    match (unsigned, text) {
        (".inf" | ".Inf" | ".INF", _) => return Some(f64::INFINITY),
        (_, "-.inf" | "-.Inf" | "-.INF") => return Some(f64::NEG_INFINITY),
        (_, ".nan" | ".NaN" | ".NAN") => return Some(f64::NAN.copysign(1.0)),
        _ => {}
    }
    // Zeros before digits alone make text (`007`), as for integers.
    let digits = unsigned.strip_prefix('-').unwrap_or(unsigned);
    if digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
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

    /// The value built on the way, where one is, as `serde_yaml` makes it
    /// from the same text (compared as debug text, where NaN equals NaN).
    fn built_as_serde_builds(doc: &str) -> bool {
        let (_, built) = index_spans(doc, 1).unwrap_or_else(|e| panic!("{doc:?}: {e:?}"));
        match (&built, serde_yaml::from_str::<serde_yaml::Value>(doc)) {
            (Some(built), Ok(expected)) => assert_eq!(format!("{built:?}"), format!("{expected:?}"), "{doc:?}"),
            // Its error is then the error the file gets.
            (Some(_), Err(e)) => panic!("{doc:?} was built, and serde_yaml fails on it: {e}"),
            (None, _) => {}
        }
        built.is_some()
    }

    #[test]
    fn values_are_built_as_serde_yaml_builds_them() {
        let scalars = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "nul",
            "true",
            "True",
            "TRUE",
            "tRue",
            "false",
            "yes",
            "no",
            "on",
            "0",
            "-0",
            "+0",
            "7",
            "+7",
            "-7",
            "007",
            "-007",
            "+007",
            "0x1F",
            "+0x1F",
            "-0x1F",
            "0x",
            "0X1F",
            "0x+5",
            "0x-5",
            "-0x-5",
            "+-0x5",
            "0o17",
            "-0o17",
            "0o8",
            "0b101",
            "-0b101",
            "0b2",
            "1_000",
            "1e3",
            "-1e3",
            "1E-2",
            "1.5",
            "-1.5",
            "+1.5",
            ".5",
            "1.",
            "00.5",
            "-01.5",
            ".inf",
            "+.inf",
            "-.inf",
            ".Inf",
            ".INF",
            "inf",
            "-inf",
            "nan",
            "NaN",
            ".nan",
            ".NaN",
            ".NAN",
            "+.nan",
            "++5",
            "+-5",
            "-+5",
            "18446744073709551615",
            "-9223372036854775808",
            "12abc",
            "2023-09-28",
            "2023-09-28T10:00:00Z",
            "12:30",
            "1,000",
            "Al-Shabaab",
            "0.0.1",
            "1e400",
            "0x10000000000000000",
            "-9223372036854775809",
            "340282366920938463463374607431768211456",
        ];
        for scalar in scalars {
            let doc = format!("plain: {scalar}\nquoted: '{scalar}'\nlist:\n  - {scalar}\n  - \"{scalar}\"\n");
            built_as_serde_builds(&doc);
        }
        // What the fast path must build (the common shapes of front matter).
        for doc in [
            "title: Attack on a market\ndate: 2023-09-28\ncountry: ML\nfatalities: {best: 12, low: 10, high: 15}\n",
            "sources:\n  - Reuters\n  - {name: AFP, url: 'https://example.org/a?b=c'}\ntags: [a, b, 'c d']\n",
            "body: |\n  two\n  lines\n\nfolded: >-\n  one\n  line\nkeep: |+\n  kept\n\n",
            "escaped: \"caf\\u00e9\\ttab \\\"quoted\\\"\"\nsingle: 'it''s'\nempty:\nnested: {a: [1, {b: ~}]}\n",
            "multi: this plain text\n  runs over\n  three lines\n1: number key\ntrue: bool key\n# a comment\n",
            "",
            "# only a comment\n",
        ] {
            assert!(built_as_serde_builds(doc), "not built: {doc:?}");
        }
        // Left to serde_yaml.
        let deep = format!("deep: {}{}\n", "[".repeat(200), "]".repeat(200));
        for doc in [
            "a: &x 1\nb: *x\n",
            "a: !!str 12\n",
            "a: !custom x\n",
            "? [a, b]\n: c\n",
            "n: 99999999999999999999\n",
            "1: a\n+1: b\n",
        ] {
            assert!(!built_as_serde_builds(doc), "built: {doc:?}");
        }
        // Deeper than serde_yaml reads: an error at once, where it starts
        // (a file of brackets alone took seconds, growing as the square of
        // the depth).
        let errors = parse_mapping(&deep, 1).unwrap_err();
        assert_eq!(errors[0].pos, Pos::new(1, 6 + DEEPEST), "{errors:?}");
        let deepest = format!("deep: {}{}\n", "[".repeat(DEEPEST - 1), "]".repeat(DEEPEST - 1));
        assert!(built_as_serde_builds(&deepest));
        // Every front matter the repository holds: the sample site's and the fixtures'.
        let mut seen = 0;
        for root in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root).into_iter().filter_map(Result::ok) {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                if entry.path().extension().is_some_and(|e| e == "md")
                    && let Ok(split) = crate::load::split_front_matter(&text)
                    && index_spans(split.yaml, 1).is_ok()
                    && serde_yaml::from_str::<serde_yaml::Value>(split.yaml).is_ok()
                {
                    seen += usize::from(built_as_serde_builds(split.yaml));
                }
            }
        }
        assert!(seen > 50, "only {seen} front matters built");
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
