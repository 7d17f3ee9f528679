//! Diagnostics: the one type every stage reports problems with, and the one
//! place that turns them into text for people.
//!
//! Stages never print. They return `Diagnostic`s carrying the file, the line
//! and column *in the Markdown file* (not in the YAML block), what was
//! expected and, where we can tell, how to fix it. The CLI prints them through
//! `render_human`; later reporters (JSON, CI annotations, the serve overlay)
//! read the same fields.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// Declares the diagnostic codes: each variant, the name `check` prints and
/// what it means (listed in README.md, a stable interface).
macro_rules! codes {
    ($($variant:ident = $name:literal: $meaning:literal,)+) => {
        /// Every kind of problem sitrep reports. The names are a stable
        /// interface of `check --format json|github`; README.md lists them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)+
        }

        impl Code {
            /// Every code, in the order README.md lists them.
            pub const ALL: &[Code] = &[$(Code::$variant,)+];

            /// The name printed in messages (`unknown-country`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)+
                }
            }

            /// One line on what the code means.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)+
                }
            }
        }
    };
}

codes! {
    NotASite = "not-a-site": "the folder has no `site.yaml` (exit code 2)",
    Config = "config": "`site.yaml` cannot be read or has a bad value",
    NoContent = "no-content": "the site has no `content/` folder",
    NotMarkdown = "not-markdown": "a file under `content/` that is not Markdown (warning)",
    LinkOutsideSite = "link-outside-site": "a symbolic link under `content/`, `templates/` or `static/` leads out of the site",
    SymlinkLoop = "symlink-loop": "a symbolic link loops back to a folder that holds it",
    Unreadable = "unreadable": "a file or folder cannot be read",
    FileTooLarge = "file-too-large": "a Markdown file over the size limit",
    NotUtf8 = "not-utf8": "a file that is not UTF-8 text",
    FrontMatter = "front-matter": "the `---` block at the top of a file is missing or not closed",
    YamlSyntax = "yaml-syntax": "YAML that cannot be parsed",
    YamlDuplicateKey = "yaml-duplicate-key": "a key set twice in one mapping",
    YamlNotAMapping = "yaml-not-a-mapping": "front matter that is not `key: value` lines",
    UnknownField = "unknown-field": "a front-matter key sitrep does not know",
    InvalidField = "invalid-field": "a front-matter value of the wrong shape",
    InvalidFrontMatter = "invalid-front-matter": "front matter that cannot be read as a whole",
    MissingField = "missing-field": "a required field is missing",
    EmptyField = "empty-field": "a required field is empty",
    EmptyValue = "empty-value": "an empty entry in a list",
    InvalidDate = "invalid-date": "a date that is not YYYY-MM-DD or RFC 3339",
    DateInFuture = "date-in-future": "a date after today",
    EndBeforeDate = "end-before-date": "an `end_date` earlier than the brief's `date`",
    UpdatedBeforePublished = "updated-before-published": "`updated` earlier than `published`",
    UnknownCountry = "unknown-country": "a country name or code sitrep does not know, or one that several countries go by",
    UnknownAdmin1 = "unknown-admin1": "`admin1` that is not an ISO 3166-2 region of the country (warning)",
    CoordinatesOutOfRange = "coordinates-out-of-range": "latitude or longitude outside its range",
    OutsideCountry = "outside-country": "coordinates that fall outside the brief's country, further than their `geo_precision` allows (warning)",
    InvalidUrl = "invalid-url": "a source `url` that is not an http(s) address",
    UnknownValue = "unknown-value": "a value outside a field's list of choices",
    NegativeCount = "negative-count": "a negative number of people, or one too large to be true (over 10,000,000)",
    FatalitiesRange = "fatalities-range": "`low`, `best` and `high` out of order",
    BreakdownMismatch = "breakdown-mismatch": "a fatality breakdown that adds up to more than the best estimate",
    InvalidSlug = "invalid-slug": "a `slug`, file or folder name, or group name that cannot make an address",
    InvalidAlias = "invalid-alias": "an `aliases` entry that is not a root-relative address",
    DuplicateSlug = "duplicate-slug": "two briefs or pages with one address",
    AliasClash = "alias-clash": "an alias that is already the address of something else",
    ReservedPath = "reserved-path": "a plain page at an address the site uses itself",
    DuplicateProfile = "duplicate-profile": "two profiles of one country",
    UnknownGroup = "unknown-group": "an armed group missing from the registry (warning; error with `--strict`)",
    TooManyGroups = "too-many-groups": "a brief naming more armed groups than one brief may (50)",
    GroupNameClash = "group-name-clash": "a name or alias claimed by two groups",
    UnknownAffiliation = "unknown-affiliation": "an `affiliation` naming no group of the registry",
    AffiliationCycle = "affiliation-cycle": "groups affiliated with each other in a loop",
    Template = "template": "a template that cannot be parsed or rendered",
    Translation = "translation": "an interface translation (`i18n/<language>.yaml`) that cannot be read or lacks a string, or a language with none",
    TranslationField = "translation-field": "a key in a translation (`x.fr.md`) that only its original may set: every fact is entered once",
    OrphanTranslation = "orphan-translation": "a translation whose original file does not exist",
    StaleTranslation = "stale-translation": "an original `updated` after its translation was (warning)",
    TranslationLanguage = "translation-language": "a content file named for a language the site does not list (warning), or for its default language",
    BrokenLink = "broken-link": "a link in Markdown to an address the site does not have",
    BrokenAnchor = "broken-anchor": "a link to an `#anchor` that the page does not have",
    UnsafeAddress = "unsafe-address": "a link or image address in content that is not http, https, mailto or within the site",
    HtmlTooDeep = "html-too-deep": "raw HTML in Markdown nested more than 100 elements deep",
    RawHtmlRemoved = "raw-html-removed": "raw HTML in Markdown that `markdown.raw_html: sanitize` removes (warning)",
    TooManyProblems = "too-many-problems": "a file with more problems than the human and GitHub formats show, with how many more (the JSON format lists them all)",
    ControlCharacter = "control-character": "a control character (escape, NUL, a lone carriage return...) in a file or a value",
    OutputRefused = "output-refused": "an output folder sitrep will not write into (exit code 2)",
    ForeignFile = "foreign-file": "a file sitrep did not write, in the output folder at a path the build makes (exit code 2; `--force` replaces it)",
    OutputClash = "output-clash": "two outputs of the build that need one path",
    Write = "write": "a file that cannot be written (exit code 2)",
    Exists = "exists": "`new` or `init` would overwrite a file (exit code 2)",
    Serve = "serve": "the preview cannot listen on its address or watch the site's files (exit code 2)",
    NoSitrepGit = "no-sitrep-git": "`init` does not know where the Pages workflow installs sitrep from (warning)",
    Internal = "internal": "a bug in sitrep: please report it with the message",
}

impl Code {
    /// Whether the problem means sitrep could not do its job at all (exit
    /// code 2) rather than that the site has a problem (exit code 1).
    pub fn stops_the_run(self) -> bool {
        matches!(
            self,
            Code::NotASite
                | Code::OutputRefused
                | Code::ForeignFile
                | Code::Write
                | Code::Exists
                | Code::Serve
                | Code::Internal
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A 1-based line and column in a file. Line 0 means "the file as a whole".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const WHOLE_FILE: Pos = Pos { line: 0, column: 0 };

    pub fn new(line: usize, column: usize) -> Pos {
        Pos { line, column }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem it is; its name (`unknown-country`) is stable.
    pub code: Code,
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    #[serde(flatten)]
    pub pos: Pos,
    pub message: String,
    pub help: Option<String>,
    /// Another place that matters (the other file of a duplicate slug).
    pub related: Option<(PathBuf, Pos)>,
    /// Where it was met, when that is not the file (`while rendering ...`).
    pub note: Option<String>,
    /// How many characters from `pos.column` to underline; at least one.
    #[serde(skip)]
    pub span_len: usize,
}

impl Diagnostic {
    pub fn error(code: Code, file: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            pos,
            message: message.into(),
            help: None,
            related: None,
            note: None,
            span_len: 1,
        }
    }

    pub fn warning(code: Code, file: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, file, pos, message) }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_optional_help(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    pub fn with_related(mut self, file: impl Into<PathBuf>, pos: Pos) -> Diagnostic {
        self.related = Some((file.into(), pos));
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.note = Some(note.into());
        self
    }

    pub fn with_span_len(mut self, len: usize) -> Diagnostic {
        self.span_len = len.max(1);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Problems found in one run, kept in a deterministic order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Takes out one equal problem for each of `these` (those it has).
    pub fn remove_each(&mut self, these: &[Diagnostic]) {
        for this in these {
            if let Some(at) = self.0.iter().position(|d| d == this) {
                self.0.remove(at);
            }
        }
    }

    /// Turn every warning into an error (`--strict`).
    pub fn make_warnings_errors(&mut self) {
        for d in &mut self.0 {
            d.severity = Severity::Error;
        }
    }

    /// Sorted by file, then position, then code: grouping by file for the
    /// reader and making output independent of the order work finished in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| {
            (&a.file, a.pos, a.code.name(), &a.message).cmp(&(&b.file, b.pos, b.code.name(), &b.message))
        });
        self.0.dedup();
        self.0
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Reads the text of the line a diagnostic points at, for quoting it.
pub trait SourceLines {
    fn line(&self, file: &Path, line: usize) -> Option<String>;
}

/// What a panic said (its message, if it was text), for the problem that
/// reports it.
pub fn panic_cause(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".into())
}

/// Quotes no lines: for a problem shown where the site's files are not
/// at hand.
pub struct NoLines;

impl SourceLines for NoLines {
    fn line(&self, _: &Path, _: usize) -> Option<String> {
        None
    }
}

/// Looks lines up by reading the file from disk, relative to the site
/// root; each file is read once, however many problems it has.
pub struct FromDisk<'a> {
    root: &'a Path,
    /// Each file's text and where its lines start.
    read: std::sync::Mutex<std::collections::HashMap<PathBuf, Option<std::sync::Arc<Lines>>>>,
}

struct Lines {
    text: String,
    starts: Vec<usize>,
}

impl<'a> FromDisk<'a> {
    pub fn new(root: &'a Path) -> Self {
        FromDisk { root, read: Default::default() }
    }

    fn lines(&self, file: &Path) -> Option<std::sync::Arc<Lines>> {
        let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        read.entry(file.to_path_buf())
            .or_insert_with(|| {
                let bytes = std::fs::read(self.root.join(file)).ok()?;
                let text = String::from_utf8_lossy(&bytes);
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
                let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
                Some(std::sync::Arc::new(Lines { text, starts }))
            })
            .clone()
    }
}

impl SourceLines for FromDisk<'_> {
    fn line(&self, file: &Path, line: usize) -> Option<String> {
        if line == 0 {
            return None;
        }
        let lines = self.lines(file)?;
        let start = *lines.starts.get(line - 1)?;
        let end = lines.starts.get(line).map_or(lines.text.len(), |next| next - 1);
        Some(lines.text[start..end].trim_end_matches('\r').to_string())
    }
}

/// How problems are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people: the line quoted with a caret under the problem; ANSI
    /// colours when `color` is set.
    Human { color: bool },
    /// One JSON object per line: file, line, column, severity, code,
    /// message, help.
    Json,
    /// GitHub Actions workflow commands, which show up on the pull request's diff.
    Github,
}

/// Renders diagnostics the way a compiler does: the message, where it is,
/// the offending line with a caret under the problem, and the fix.
pub fn render_human(diagnostics: &[Diagnostic], sources: &dyn SourceLines) -> String {
    render(diagnostics, Format::Human { color: false }, sources)
}

/// How many problems of one file the human and GitHub formats show; past
/// it, one line says how many more there are. A file pasted with thousands
/// of broken links would otherwise print hundreds of megabytes.
pub const SHOWN_PER_FILE: usize = 20;

enum Shown<'a> {
    One(&'a Diagnostic),
    /// `n` more problems of a file, not shown.
    More(&'a Path, usize),
}

/// The problems to show, at most [`SHOWN_PER_FILE`] per file, in order,
/// each file's shown ones followed by how many more it has.
fn per_file(diagnostics: &[Diagnostic]) -> Vec<Shown<'_>> {
    let mut shown = Vec::new();
    for group in diagnostics.chunk_by(|a, b| a.file == b.file) {
        shown.extend(group.iter().take(SHOWN_PER_FILE).map(Shown::One));
        if group.len() > SHOWN_PER_FILE {
            shown.push(Shown::More(&group[0].file, group.len() - SHOWN_PER_FILE));
        }
    }
    shown
}

fn more_in(file: &Path, n: usize) -> String {
    format!(
        "... and {n} more {} in {} (`sitrep check --format json` lists them all)",
        if n == 1 { "problem" } else { "problems" },
        printable(&file.display().to_string())
    )
}

/// Renders diagnostics in `format`. Human output ends with a summary line.
pub fn render(diagnostics: &[Diagnostic], format: Format, sources: &dyn SourceLines) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    match format {
        Format::Human { color } => {
            let paint = Paint(color);
            for shown in per_file(diagnostics) {
                match shown {
                    Shown::One(d) => render_one(&mut out, d, sources, paint),
                    Shown::More(file, n) => {
                        let _ = writeln!(out, "{}", paint.bold(&more_in(file, n)));
                    }
                }
                out.push('\n');
            }
            out.push_str(&paint.bold(&summary(diagnostics)));
            out.push('\n');
        }
        Format::Json => {
            /// The documented shape of `check --format json`, in this order.
            #[derive(Serialize)]
            struct Problem<'a> {
                file: String,
                line: usize,
                column: usize,
                severity: Severity,
                code: Code,
                message: &'a str,
                help: Option<&'a str>,
            }
            for d in diagnostics {
                let problem = Problem {
                    file: d.file.to_string_lossy().replace('\\', "/"),
                    line: d.pos.line,
                    column: d.pos.column,
                    severity: d.severity,
                    code: d.code,
                    message: &d.message,
                    help: d.help.as_deref(),
                };
                let json = serde_json::to_string(&problem).expect("plain data serializes");
                // serde_json escapes the C0 control characters (and line
                // breaks in strings); escape DEL, the C1 controls and the
                // invisible characters that reorder text too, as JSON allows.
                for c in json.chars() {
                    if is_bidi_control(c) || c.is_control() {
                        out.push_str(&format!("\\u{:04x}", c as u32));
                    } else {
                        out.push(c);
                    }
                }
                out.push('\n');
            }
        }
        Format::Github => {
            for shown in per_file(diagnostics) {
                match shown {
                    Shown::One(d) => out.push_str(&github_annotation(d)),
                    Shown::More(file, n) => {
                        let d = Diagnostic::warning(Code::TooManyProblems, file, Pos::WHOLE_FILE, more_in(file, n));
                        out.push_str(&github_annotation(&d));
                    }
                }
                out.push('\n');
            }
        }
    }
    out
}

/// `::error file=F,line=L,col=C,title=CODE::MESSAGE`, escaped as GitHub's
/// workflow-command syntax requires (`%`, CR and LF everywhere; also `:`
/// and `,` in properties).
fn github_annotation(d: &Diagnostic) -> String {
    fn data(s: &str) -> String {
        printable(&s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")).into_owned()
    }
    fn property(s: &str) -> String {
        data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = vec![format!("file={}", property(&d.file.to_string_lossy().replace('\\', "/")))];
    if d.pos.line > 0 {
        props.push(format!("line={}", d.pos.line));
        props.push(format!("col={}", d.pos.column));
    }
    props.push(format!("title={}", property(&format!("sitrep {}", d.code))));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{kind} {}::{}", props.join(","), data(&message))
}

/// ANSI colours, or none.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.0 { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
    fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }
    fn severity(self, severity: Severity, text: &str) -> String {
        self.wrap(if severity == Severity::Error { "1;31" } else { "1;33" }, text)
    }
    fn gutter(self, text: &str) -> String {
        self.wrap("1;34", text)
    }
}

/// Text from the site (a value in a message, a file name, a quoted line)
/// made safe to print: control characters, line breaks among them, and the
/// invisible controls that reorder text are written as escapes (`\u{1b}`),
/// so nothing an editor wrote can clear a terminal, recolour it, or start a
/// line that a CI log reads as a command. Tabs stay.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| (c.is_control() && c != '\t') || is_bidi_control(c);
    if !text.chars().any(hidden) {
        return text.into();
    }
    text.chars()
        .map(|c| match c {
            '\n' => "\\n".to_string(),
            '\r' => "\\r".to_string(),
            c if hidden(c) => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect::<String>()
        .into()
}

/// The part of a quoted line to print, and how far the caret under
/// `column` is indented in it. Tabs are expanded and values escaped so the
/// caret lines up; a long line is cut to [`EXCERPT_CHARS`] around the
/// column, with `…` where it was cut.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let at = column.saturating_sub(1);
    let length = line.chars().count();
    let first = at.saturating_sub(EXCERPT_CHARS / 3).min(length.saturating_sub(EXCERPT_CHARS));
    let mut shown = String::new();
    if first > 0 {
        shown.push('…');
    }
    let mut indent = None;
    let mut rest = line.chars().skip(first);
    for (i, c) in rest.by_ref().take(EXCERPT_CHARS).enumerate() {
        if first + i == at {
            indent = Some(shown.chars().count());
        }
        match c {
            '\t' => shown.push_str("    "),
            c => shown.push_str(&printable(c.encode_utf8(&mut [0; 4]))),
        }
    }
    if rest.next().is_some() {
        shown.push('…');
    }
    // A column past the end of the line points just after it.
    let indent = indent.unwrap_or_else(|| shown.chars().count());
    (shown, indent)
}

/// How many characters of a long line a message quotes.
const EXCERPT_CHARS: usize = 120;

/// The invisible characters that override the direction of text, which can
/// make printed text read differently from what it is.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn render_one(out: &mut String, d: &Diagnostic, sources: &dyn SourceLines, paint: Paint) {
    use std::fmt::Write;
    let head = paint.severity(d.severity, &format!("{}[{}]", d.severity, d.code));
    let _ = writeln!(out, "{head}: {}", paint.bold(&printable(&d.message)));
    let file = d.file.display().to_string();
    let file = printable(&file);
    let location = if d.pos.line == 0 { file.to_string() } else { format!("{file}:{}:{}", d.pos.line, d.pos.column) };
    let _ = writeln!(out, "  {} {location}", paint.gutter("-->"));
    if let Some(text) = sources.line(&d.file, d.pos.line) {
        let number = d.pos.line.to_string();
        let gutter = " ".repeat(number.len());
        let (shown, indent) = excerpt(&text, d.pos.column);
        let bar = paint.gutter("|");
        let caret = paint.severity(d.severity, &"^".repeat(d.span_len.max(1)));
        let _ = writeln!(out, "{gutter} {bar}");
        let _ = writeln!(out, "{} {bar} {shown}", paint.gutter(&number));
        let _ = writeln!(out, "{gutter} {bar} {}{caret}", " ".repeat(indent));
    }
    if let Some((file, pos)) = &d.related {
        let name = file.display().to_string();
        let file = printable(&name);
        let _ = match pos.line {
            0 => writeln!(out, "  = note: see also {file}"),
            line => writeln!(out, "  = note: see also {file}:{line}"),
        };
    }
    if let Some(note) = &d.note {
        let _ = writeln!(out, "  = note: {}", printable(note));
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "  = {}: {}", paint.bold("help"), printable(help));
    }
}

/// `3 errors, 2 warnings in 4 files`
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let mut files: Vec<&Path> = diagnostics.iter().map(|d| d.file.as_path()).collect();
    files.sort();
    files.dedup();
    format!("{}, {} in {}", plural(errors, "error"), plural(warnings, "warning"), plural(files.len(), "file"))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_quoted_around_the_column() {
        let line = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let (shown, indent) = excerpt(&line, 1001);
        assert_eq!(shown.chars().count(), 1 + EXCERPT_CHARS + 1);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().nth(indent), Some('X'));
        assert_eq!(excerpt("\tab", 2), ("    ab".to_string(), 4));
        assert_eq!(excerpt("a\u{1b}b", 3), ("a\\u{1b}b".to_string(), 7));
        assert_eq!(excerpt("ab", 5), ("ab".to_string(), 2));
        let short = "x".repeat(EXCERPT_CHARS);
        assert_eq!(excerpt(&short, EXCERPT_CHARS), (short.clone(), EXCERPT_CHARS - 1), "a line that fits is not cut");
    }

    #[test]
    fn values_print_escaped() {
        assert_eq!(printable("a\nb\x1b[2J\u{202e}c\td"), "a\\nb\\u{1b}[2J\\u{202e}c\td");
    }
}
