//! Load stage: the only module that parses YAML.
//!
//! A mapping (front matter, `site.yaml`, a translation file) is read once,
//! by `yaml-rust2`'s event parser, which reports where every node starts:
//! from its events come both the line and column of each key and value, so
//! that later stages can point at the exact spot in the Markdown file, and
//! the values themselves, as `serde_yaml` values resolved by `serde_yaml`'s
//! rules (see [`scalar`]). `serde_yaml` then turns values into typed
//! structs, and reads whole YAML files ([`from_str`]). `serde_yaml` is
//! unmaintained: keeping both behind this module's small API means a fork
//! can replace it here alone.

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
    let (value, spans) = read(text, first_line)?;
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

/// Walks the event stream once, making the document's value and recording
/// where each key and value starts; catches duplicate keys (which
/// `serde_yaml` reports without a line).
fn read(text: &str, first_line: usize) -> Result<(serde_yaml::Value, FastMap<String, Span>), Vec<YamlError>> {
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
    let mut values = Values::new(text.len());
    let mut documents = 0;
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
        let made = match &event {
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(vec![YamlError {
                        pos,
                        message: "a second YAML document starts here".into(),
                        help: Some(
                            "front matter is one block of `key: value` lines: remove the `...` or `---` above".into(),
                        ),
                        code: Code::YamlSyntax,
                    }]);
                }
                Ok(())
            }
            _ => values.take(&event),
        };
        if let Err(message) = made {
            let code = Code::YamlSyntax;
            let help = kind_help(&message).or_else(|| Some(REPEATED_HELP.into()).filter(|_| message == REPEATED));
            return Err(vec![YamlError { pos, message, help, code }]);
        }
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
    if values.duplicate && errors.is_empty() {
        // The same key written two ways (`1` and `0x1`, `~` and `null`).
        errors.push(YamlError {
            pos: Pos::new(first_line, 1),
            message: "a mapping here has two keys that are the same value written differently".into(),
            help: Some("keep one of the two lines; YAML does not allow a key twice".into()),
            code: Code::YamlDuplicateKey,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((values.root.unwrap_or(serde_yaml::Value::Null), spans))
}

/// The message for aliases that repeat each other past [`Values`]'s budget.
const REPEATED: &str = "aliases (`*name`) here repeat each other into more text than sitrep reads";
const REPEATED_HELP: &str = "write the values out, or use each alias once; front matter needs no nested aliases";

/// The values a YAML document's events make, as `serde_yaml` would make
/// them from the same text: scalars resolved by its rules, aliases
/// replaced by copies of what their anchors hold, a node with a local tag
/// (`!thing`) kept as a tagged value. Copies are counted: a "billion
/// laughs" (aliases of aliases, each doubling the last) stops when they
/// come to more nodes than a budget that grows with the text.
struct Values {
    /// Collections being filled, innermost last.
    open: Vec<Open>,
    anchors: FastMap<usize, (serde_yaml::Value, usize)>,
    /// Nodes that aliases may still copy.
    budget: usize,
    root: Option<serde_yaml::Value>,
    /// Whether a mapping had two keys of the same value (the first is kept).
    duplicate: bool,
}

struct Open {
    collection: Collection,
    anchor: usize,
    tag: Option<serde_yaml::value::Tag>,
    /// Nodes inside, for the budget of an alias to it.
    nodes: usize,
}

enum Collection {
    Sequence(Vec<serde_yaml::Value>),
    Mapping(serde_yaml::Mapping, Option<serde_yaml::Value>),
}

impl Values {
    fn new(text_len: usize) -> Values {
        Values {
            open: Vec::new(),
            anchors: FastMap::default(),
            budget: 100 * text_len + 10_000,
            root: None,
            duplicate: false,
        }
    }

    /// Takes the next event; an error is a message for where it happened.
    fn take(&mut self, event: &Event) -> Result<(), String> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(text, *style, tag.as_ref())?;
                self.anchor(*anchor, &value, 1);
                self.put(value, 1)
            }
            Event::Alias(anchor) => {
                let Some((value, nodes)) = self.anchors.get(anchor) else {
                    return Err("an alias (`*name`) to an anchor (`&name`) not set above it".into());
                };
                if *nodes > self.budget {
                    return Err(REPEATED.into());
                }
                self.budget -= nodes;
                let (value, nodes) = (value.clone(), *nodes);
                self.put(value, nodes)
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                let collection = match event {
                    Event::SequenceStart(..) => Collection::Sequence(Vec::new()),
                    _ => Collection::Mapping(serde_yaml::Mapping::new(), None),
                };
                self.open.push(Open { collection, anchor: *anchor, tag: local_tag(tag.as_ref()), nodes: 1 });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.open.pop() else { return Ok(()) };
                let value = match open.collection {
                    Collection::Sequence(items) => serde_yaml::Value::Sequence(items),
                    Collection::Mapping(map, _) => serde_yaml::Value::Mapping(map),
                };
                let value = tagged(open.tag, value);
                self.anchor(open.anchor, &value, open.nodes);
                self.put(value, open.nodes)
            }
            _ => Ok(()),
        }
    }

    fn anchor(&mut self, anchor: usize, value: &serde_yaml::Value, nodes: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), nodes));
        }
    }

    /// Puts a finished node into the collection it is in (as a key, or as
    /// the value of the key before it), or makes it the document's. A key
    /// met twice keeps its first value: [`read`] reports the second where
    /// it is written.
    fn put(&mut self, value: serde_yaml::Value, nodes: usize) -> Result<(), String> {
        let Some(open) = self.open.last_mut() else {
            self.root = Some(value);
            return Ok(());
        };
        open.nodes += nodes;
        match &mut open.collection {
            Collection::Sequence(items) => items.push(value),
            Collection::Mapping(_, key @ None) => *key = Some(value),
            Collection::Mapping(map, key) => {
                let key = key.take().unwrap_or_default();
                if map.contains_key(&key) {
                    self.duplicate = true;
                } else {
                    map.insert(key, value);
                }
            }
        }
        Ok(())
    }
}

/// The tag a node keeps as `serde_yaml` does: a local one (`!thing`), not
/// one of YAML's own (`!!str`, which `scalar` applies).
fn local_tag(tag: Option<&yaml_rust2::parser::Tag>) -> Option<serde_yaml::value::Tag> {
    let tag = tag?;
    let whole = format!("{}{}", tag.handle, tag.suffix);
    let bare = whole.strip_prefix('!')?;
    Some(serde_yaml::value::Tag::new(if bare.is_empty() { "!" } else { bare }))
}

fn tagged(tag: Option<serde_yaml::value::Tag>, value: serde_yaml::Value) -> serde_yaml::Value {
    match tag {
        Some(tag) => serde_yaml::Value::Tagged(Box::new(serde_yaml::value::TaggedValue { tag, value })),
        None => value,
    }
}

/// YAML's own tags, as `yaml-rust2` spells them out (`!!int`).
const CORE: &str = "tag:yaml.org,2002:";

/// The value of a scalar, by `serde_yaml`'s rules (YAML 1.2's core
/// schema): a plain scalar may be null, a boolean or a number, anything
/// quoted or in a block is text; `!!bool`, `!!int`, `!!float` and `!!null`
/// make it that kind or fail; a local tag keeps the value under it.
fn scalar(
    text: &str,
    style: yaml_rust2::scanner::TScalarStyle,
    tag: Option<&yaml_rust2::parser::Tag>,
) -> Result<serde_yaml::Value, String> {
    use serde_yaml::Value;
    let plain = style == yaml_rust2::scanner::TScalarStyle::Plain;
    if let Some(local) = local_tag(tag) {
        let value = if plain { untagged(text)? } else { Value::String(text.into()) };
        return Ok(tagged(Some(local), value));
    }
    let invalid = |kind: &str| format!("invalid value: string {text:?}, expected {kind}");
    match tag.filter(|t| t.handle == CORE).map(|t| t.suffix.as_str()) {
        Some("bool") => parse_bool(text).map(Value::Bool).ok_or_else(|| invalid("a boolean")),
        Some("int") => match int(text) {
            Some(Ok(number)) => Ok(Value::Number(number)),
            _ => Err(invalid("an integer")),
        },
        Some("float") => parse_f64(text).map(|f| Value::Number(f.into())).ok_or_else(|| invalid("a float")),
        Some("null") => is_null(text).then_some(Value::Null).ok_or_else(|| invalid("null")),
        _ if plain && tag.is_none() => untagged(text),
        _ => Ok(Value::String(text.into())),
    }
}

/// A plain scalar without a tag: null, a boolean, a number, or text.
fn untagged(text: &str) -> Result<serde_yaml::Value, String> {
    use serde_yaml::Value;
    if text.is_empty() || is_null(text) {
        return Ok(Value::Null);
    }
    if let Some(boolean) = parse_bool(text) {
        return Ok(Value::Bool(boolean));
    }
    if let Some(number) = int(text) {
        return number.map(Value::Number);
    }
    if !digits_but_not_number(text)
        && let Some(float) = parse_f64(text)
    {
        return Ok(Value::Number(float.into()));
    }
    Ok(Value::String(text.into()))
}

fn is_null(text: &str) -> bool {
    matches!(text, "null" | "Null" | "NULL" | "~")
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `text` as an integer (decimal, or `0x`, `0o`, `0b` with an optional
/// sign), if it is one; one beyond 64 bits is an error, as in `serde_yaml`.
fn int(text: &str) -> Option<Result<serde_yaml::Number, String>> {
    if let Some(n) = unsigned(text, u64::from_str_radix) {
        return Some(Ok(n.into()));
    }
    if let Some(n) = negative(text, i64::from_str_radix) {
        return Some(Ok(n.into()));
    }
    let too_large = || Err(format!("the number {text} is too large: whole numbers may have at most 19 digits"));
    if unsigned(text, u128::from_str_radix).is_some() || negative(text, i128::from_str_radix).is_some() {
        return Some(too_large());
    }
    None
}

/// An unsigned integer, with an optional `+`.
fn unsigned<T>(text: &str, from_str_radix: fn(&str, u32) -> Result<T, std::num::ParseIntError>) -> Option<T> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unsigned.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(n) = from_str_radix(rest, radix) {
                return Some(n);
            }
        }
    }
    if unsigned.starts_with(['+', '-']) || digits_but_not_number(text) {
        return None;
    }
    from_str_radix(unsigned, 10).ok()
}

/// A negative integer (`-12`, `-0x1f`).
fn negative<T>(text: &str, from_str_radix: fn(&str, u32) -> Result<T, std::num::ParseIntError>) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = text.strip_prefix(prefix)
            && let Ok(n) = from_str_radix(&format!("-{rest}"), radix)
        {
            return Some(n);
        }
    }
    if digits_but_not_number(text) {
        return None;
    }
    from_str_radix(text, 10).ok()
}

fn parse_f64(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return Some(f64::INFINITY);
    }
    if matches!(text, "-.inf" | "-.Inf" | "-.INF") {
        return Some(f64::NEG_INFINITY);
    }
    if matches!(text, ".nan" | ".NaN" | ".NAN") {
        return Some(f64::NAN);
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Digits with a leading zero (`012`), which YAML 1.2 reads as text.
fn digits_but_not_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
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

    /// What `serde_yaml` reads from `text`, and what [`read`] does: the
    /// same value, or both an error.
    fn assert_read_as_serde_yaml_reads(text: &str) {
        let ours = read(text, 1).map(|(value, _)| value);
        let theirs = if text.trim().is_empty() { Ok(serde_yaml::Value::Null) } else { serde_yaml::from_str(text) };
        match (&ours, &theirs) {
            (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{text:?}"),
            (Err(_), Err(_)) => {}
            _ => panic!("{text:?}: read gives {ours:?}, serde_yaml {theirs:?}"),
        }
    }

    #[test]
    fn values_are_those_serde_yaml_reads_from_the_same_text() {
        let cases = [
            "",
            "# only a comment\n",
            "title: Attack on a market\ndate: 2023-09-28\ncountry: NE\n",
            "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: ''\ng: \"\"\n",
            "a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: yes\ng: no\nh: on\n",
            "a: 12\nb: +12\nc: -12\nd: 012\ne: -012\nf: 0x1F\ng: 0o17\nh: 0b101\ni: -0x1f\nj: +0x1f\nk: 0x\n",
            "a: 1.5\nb: -1.5\nc: 1e3\nd: .5\ne: 1.\nf: .inf\ng: -.Inf\nh: +.INF\ni: inf\nj: 1_000\nk: 1,000\n",
            "a: 18446744073709551615\nb: -9223372036854775808\nc: 1e400\nd: 123456789012345678901234567890123456789012\n",
            "a: 18446744073709551616\n",
            "a: 'single ''quoted'' 12'\nb: \"double \\t \\u00e9 \\x41 \\N \\_ \\\" 12\"\nc: \"5\"\n",
            "a: |\n  line one\n  line two\nb: >\n  folded\n  text\n\n  kept\nc: |-\n  stripped\nd: |+\n  kept\n\ne: >2\n   indented\n",
            "a: plain text\n  over two lines\nb: with # not a comment\nc: value # a comment\n",
            "list:\n  - a\n  - 2\n  - {name: b, n: 3}\n  - [x, y, 4]\n  -\n  - - nested\n",
            "map: {a: 1, b: [2, 3], c: {d: e}}\nflow: [a, 'b', \"c\", 1.5, ~, true]\n",
            "1: one\ntrue: yes\n~: nothing\n1.5: half\n",
            "? [a, b]\n: complex key\n? {c: d}\n: another\n",
            "base: &b {x: 1, y: [2, 3]}\ncopy: *b\nname: &n Mopti\nagain: *n\nmerge:\n  <<: *b\n  z: 4\n",
            "a: !!str 12\nb: !!int \"12\"\nc: !!float 3\nd: !!bool true\ne: !!null ~\nf: !!str\ng: !!binary aGk=\n",
            "a: !thing 12\nb: !thing \"12\"\nc: !thing {x: 1}\nd: !thing [1]\ne: ! 5\nf: !<tag:example.com,2000:x> 1\n",
            "a: !!int abc\n",
            "a: !!bool yes\n",
            "a: !!float x\n",
            "a: !!null x\n",
            "date: 2021-06-05\ntime: 2021-06-05T10:00:00Z\nversion: 1.2.3\nratio: 1:2\nsexagesimal: 1:30\n",
            "title: \"Attack: 12 killed\"\ntext: Ségou, Mopti — \"quoted\" «guillemets»\nemoji: 🙂\n",
            "key with spaces: value\n'quoted key': v\n\"double key\": w\n",
            "empty_list: []\nempty_map: {}\nlist_of_empty: [[], {}]\n",
            "a: b\n...\n",
            "a: b\n---\nc: d\n",
            "- just\n- a list\n",
            "just text\n",
            "a: *missing\n",
            "a: 1\na: 2\n",
            "a: [1, 2\n",
            "a: 'unclosed\n",
            "a:\n\t- b\n",
            "a: b: c\n",
            "%YAML 1.2\n---\na: b\n",
        ];
        for text in cases {
            assert_read_as_serde_yaml_reads(text);
        }
        // And the front matter of every file of the sample site and of the
        // test fixtures.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut read_files = 0;
        for dir in ["content", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().filter_map(Result::ok) {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "md" || e == "yaml" || e == "yml")
                    && let Ok(text) = std::fs::read_to_string(path)
                {
                    let yaml = match crate::load::split_front_matter(&text) {
                        Ok(split) => split.yaml.to_string(),
                        Err(_) if path.extension().is_some_and(|e| e != "md") => text,
                        Err(_) => continue,
                    };
                    assert_read_as_serde_yaml_reads(&yaml);
                    read_files += 1;
                }
            }
        }
        assert!(read_files > 40, "only {read_files} files read");
    }

    #[test]
    fn aliases_that_repeat_each_other_stop_at_a_budget_that_grows_with_the_text() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let previous = format!("*a{}", i - 1);
            text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![previous; 10].join(", ")));
        }
        let errors = parse_mapping(&text, 2).unwrap_err();
        assert!(errors[0].message.contains("repeat each other"), "{errors:?}");
        // A few aliases are fine.
        let m = parse_mapping("a: &a [x, y]\nb: *a\nc: *a\n", 2).unwrap();
        assert_eq!(m.entries().count(), 3);
    }

    #[test]
    fn a_second_document_in_the_block_is_an_error_where_it_starts() {
        let errors = parse_mapping("title: a\n...\n---\ndate: 2020-01-01\n", 2).unwrap_err();
        assert_eq!(errors[0].pos.line, 4, "{errors:?}");
        assert!(errors[0].message.contains("second YAML document"), "{errors:?}");
    }

    #[test]
    fn serde_line_numbers_are_removed_from_messages() {
        assert_eq!(tidy_message("bad thing at line 3 column 4, while x at line 1 column 2"), "bad thing, while x");
    }
}
