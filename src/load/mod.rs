//! Load stage: walks a site folder, reads every Markdown file, splits its
//! front matter from its body and parses the YAML. Nothing here knows what a
//! brief means; the model stage does.

pub mod config;
mod frontmatter;
pub mod yaml;

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

pub use config::{RawHtml, SiteConfig, load_config};
pub use frontmatter::split_front_matter;

use crate::diagnostics::{Code, Diagnostic, Diagnostics, Pos};

pub const CONTENT_DIR: &str = "content";
pub const STATIC_DIR: &str = "static";
pub const TEMPLATES_DIR: &str = "templates";

/// The largest Markdown file sitrep reads. Briefs are a few kilobytes; a
/// file this size is almost certainly a mistake (a pasted export, a binary
/// renamed `.md`), and reading it would slow every build.
pub const MAX_SOURCE_BYTES: u64 = 5_000_000;

/// What a content file is, from where it sits under `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Brief,
    Group,
    Country,
    Page,
}

/// One Markdown file with its front matter parsed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the site root (`content/briefs/2023/kandadji.md`): the
    /// name every message and every link back to the source uses.
    pub path: PathBuf,
    pub kind: Kind,
    pub front: yaml::Mapping,
    pub body: String,
    /// The line of the file on which `body` starts.
    pub body_line: usize,
    /// The byte of the file at which `body` starts.
    pub body_start: usize,
}

impl SourceFile {
    /// The file name without `.md`: the default slug.
    pub fn stem(&self) -> String {
        self.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// Everything read from a site folder.
#[derive(Debug, Default)]
pub struct LoadedSite {
    pub config: SiteConfig,
    pub files: Vec<SourceFile>,
    /// Files under `static/`, relative to `static/`, to copy as they are.
    pub static_files: Vec<PathBuf>,
    pub diagnostics: Diagnostics,
}

/// Walks `dir`, a folder of the site at `root`, following symbolic links
/// that stay inside the site. A link that leads out of it (to a file, a
/// folder, or `dir` itself) is an error and is not followed: otherwise a
/// build would publish, and a preview serve, files from anywhere on the
/// machine. Returns the files found, sorted by name, and the problems met.
pub fn walk_inside(root: &Path, dir: &Path) -> (Vec<walkdir::DirEntry>, Vec<Diagnostic>) {
    let site = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut outside = Vec::new();
    let walker = WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter().filter_entry(|entry| {
        if !entry.path_is_symlink() && entry.depth() > 0 {
            return true;
        }
        let inside = std::fs::canonicalize(entry.path()).is_ok_and(|real| real.starts_with(&site));
        if !inside {
            outside.push(relative(root, entry.path()));
        }
        inside
    });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry),
            Ok(_) => {}
            Err(e) => problems.push(walk_error(root, &e)),
        }
    }
    problems.extend(outside.into_iter().map(link_outside));
    (files, problems)
}

pub fn link_outside(rel: PathBuf) -> Diagnostic {
    Diagnostic::error(Code::LinkOutsideSite, rel, Pos::WHOLE_FILE, "this symbolic link leads out of the site")
        .with_help("copy what it points at into the site instead of linking to it, or remove the link")
}

/// The size of the content file `rel`, if it is inside the site at `root`
/// once symbolic links are followed (a file a preview is told changed may
/// be a new link); `None` if a link leads out of it. A plain file is looked
/// at once: sitrep reads thousands of them.
fn size_inside(root: &Path, rel: &Path) -> std::io::Result<Option<u64>> {
    let path = root.join(rel);
    let found = std::fs::symlink_metadata(&path)?;
    if !found.file_type().is_symlink() {
        return Ok(Some(found.len()));
    }
    let site = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if !std::fs::canonicalize(&path).is_ok_and(|real| real.starts_with(&site)) {
        return Ok(None);
    }
    Ok(Some(std::fs::metadata(&path)?.len()))
}

/// The Markdown files under `content/`, relative to the site root, sorted;
/// and the problems met on the way (other files, unreadable folders, loops).
pub fn walk_content(root: &Path) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), Diagnostic> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(Diagnostic::error(
            Code::NoContent,
            CONTENT_DIR,
            Pos::WHOLE_FILE,
            format!("no {CONTENT_DIR}/ folder in {}", root.display()),
        )
        .with_help("briefs go in content/briefs/, groups in content/groups/"));
    }
    let mut markdown = Vec::new();
    let (files, mut problems) = walk_inside(root, &content);
    for entry in files {
        let rel = relative(root, entry.path());
        if is_hidden(&rel) {
            continue;
        }
        if is_markdown(&rel) {
            markdown.push(rel);
        } else {
            problems.push(
                Diagnostic::warning(
                    Code::NotMarkdown,
                    rel,
                    Pos::WHOLE_FILE,
                    "not a Markdown file; it is not part of the site",
                )
                .with_help("put images and downloads in static/, which is copied as it is"),
            );
        }
    }
    Ok((markdown, problems))
}

/// Whether a path under `content/` is a page source (and not an editor's
/// hidden or backup file).
pub fn is_markdown(rel: &Path) -> bool {
    rel.extension().is_some_and(|e| e == "md") && !is_hidden(rel)
}

/// The files under `static/`, relative to it. A link that leads out of the
/// site is left out with a warning: it would publish (and `serve` would
/// serve) a file from elsewhere on the machine.
pub fn list_static(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let static_dir = root.join(STATIC_DIR);
    if !static_dir.is_dir() {
        return (files, Vec::new());
    }
    let (found, problems) = walk_inside(root, &static_dir);
    for entry in found {
        files.push(entry.path().strip_prefix(&static_dir).unwrap_or(entry.path()).to_path_buf());
    }
    (files, problems)
}

/// Reads and splits one Markdown file.
pub fn read_source(root: &Path, rel: &Path) -> Result<SourceFile, Vec<Diagnostic>> {
    let unreadable = |e: std::io::Error| {
        let help = if e.kind() == std::io::ErrorKind::NotFound {
            "this is probably a link to a file that no longer exists; remove the link or restore the file"
        } else {
            "check the file's permissions"
        };
        vec![
            Diagnostic::error(Code::Unreadable, rel, Pos::WHOLE_FILE, format!("cannot read this file: {e}"))
                .with_help(help),
        ]
    };
    let too_large = |size: u64| {
        vec![
            Diagnostic::error(
                Code::FileTooLarge,
                rel,
                Pos::WHOLE_FILE,
                format!(
                    "this file is {:.1} MB; sources may be at most {} MB",
                    size as f64 / 1e6,
                    MAX_SOURCE_BYTES / 1_000_000
                ),
            )
            .with_help("a brief is a few kilobytes of text: is this the right file? Put large downloads in static/"),
        ]
    };
    let size = match size_inside(root, rel).map_err(unreadable)? {
        Some(size) if size > MAX_SOURCE_BYTES => return Err(too_large(size)),
        Some(size) => size,
        None => return Err(vec![link_outside(rel.to_path_buf())]),
    };
    // Read up to the limit (a file may grow after it was looked at), into
    // room for the size just seen: `Take` reads without asking the size
    // again, as reading a `File` to its end does.
    let mut bytes = Vec::with_capacity(size as usize + 1);
    let file = std::fs::File::open(root.join(rel)).map_err(unreadable)?;
    std::io::Read::read_to_end(&mut std::io::Read::take(file, MAX_SOURCE_BYTES + 1), &mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > MAX_SOURCE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    parse_source(rel, bytes)
}

/// Splits and parses the bytes of the Markdown file `rel` (a path relative
/// to the site root, for messages and for what the file is).
pub fn parse_source(rel: &Path, bytes: Vec<u8>) -> Result<SourceFile, Vec<Diagnostic>> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            return Err(vec![
                Diagnostic::error(Code::NotUtf8, rel, Pos::new(line, column), "this file is not UTF-8 text")
                    .with_help("save the file as UTF-8 (most editors offer it under \"Save with encoding\")"),
            ]);
        }
    };
    let split = split_front_matter(&text).map_err(|(pos, message, help)| {
        vec![Diagnostic::error(Code::FrontMatter, rel, pos, message).with_help(help)]
    })?;
    let mut controls = control_characters(rel, split.yaml, split.yaml_line, "front matter");
    controls.extend(control_characters(rel, split.body, split.body_line, "the text"));
    if !controls.is_empty() {
        return Err(controls);
    }
    let front = yaml::parse_mapping(split.yaml, split.yaml_line).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| Diagnostic::error(e.code, rel, e.pos, e.message).with_optional_help(e.help))
            .collect::<Vec<_>>()
    })?;
    Ok(SourceFile {
        path: rel.to_path_buf(),
        kind: kind_of(rel),
        front,
        body: split.body.to_string(),
        body_line: split.body_line,
        body_start: split.body.as_ptr() as usize - text.as_ptr() as usize,
    })
}

/// Whether `c` may not be written in a site's text: a control character
/// other than tab and line feed, or U+FFFE or U+FFFF. They are invisible in
/// editors, make feeds ill-formed XML (which allows none of them) and move
/// the cursor or clear the screen when printed.
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || c == '\u{fffe}' || c == '\u{ffff}'
}

/// How a control character is named in messages: `U+001B (escape)`.
pub fn control_name(c: char) -> String {
    let name = match c {
        '\0' => " (NUL)",
        '\u{7}' => " (bell)",
        '\u{8}' => " (backspace)",
        '\r' => " (carriage return)",
        '\u{c}' => " (form feed)",
        '\u{1b}' => " (escape)",
        '\u{7f}' => " (delete)",
        '\u{fffe}' | '\u{ffff}' => " (a noncharacter, not allowed in XML)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// Every forbidden control character in `text` (whose first line is line
/// `first_line` of its file), with its position, as errors of `file`. A
/// carriage return is allowed before a line feed (Windows line endings).
pub fn control_characters(file: &Path, text: &str, first_line: usize, what: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // Every forbidden character starts with one of these bytes in UTF-8
    // (C1 controls are 0xC2 0x80-0x9F, U+FFFE and U+FFFF 0xEF 0xBF 0xBE-F);
    // most files have none of them.
    let suspect = |b: &u8| (*b < 0x20 && *b != b'\t' && *b != b'\n') || *b == 0x7f || *b == 0xc2 || *b == 0xef;
    // In blocks, without stopping early, so that the loop is vectorized.
    if !text.as_bytes().chunks(64).any(|block| block.iter().fold(false, |seen, b| seen | suspect(b))) {
        return found;
    }
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let line = line.strip_suffix("\r\n").or_else(|| line.strip_suffix('\n')).unwrap_or(line);
        for (column, c) in line.chars().enumerate() {
            if is_forbidden_control(c) {
                found.push(
                    Diagnostic::error(
                        Code::ControlCharacter,
                        file,
                        Pos::new(first_line + n, column + 1),
                        format!("a control character, {}, in {what}", control_name(c)),
                    )
                    .with_help("remove it: it is invisible in most editors, and breaks feeds and terminals"),
                );
            }
        }
    }
    found
}

/// What a file is, from its path relative to the site root.
pub fn kind_of(rel: &Path) -> Kind {
    let mut parts = rel.components().skip(1);
    match parts.next().map(|c| c.as_os_str().to_string_lossy()) {
        Some(first) if first == "briefs" => Kind::Brief,
        Some(first) if first == "groups" => Kind::Group,
        Some(first) if first == "countries" => Kind::Country,
        _ => Kind::Page,
    }
}

/// The language a content file is written in and the file it translates,
/// when its name has a language tag before `.md`
/// (`content/briefs/kandadji.fr.md` → `fr`, `content/briefs/kandadji.md`).
pub fn translation_of(rel: &Path) -> Option<(String, PathBuf)> {
    let stem = rel.file_stem()?.to_str()?;
    let (original, tag) = stem.rsplit_once('.')?;
    if original.is_empty() || !config::is_language_tag(tag) {
        return None;
    }
    Some((tag.to_string(), rel.with_file_name(format!("{original}.md"))))
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

pub fn is_hidden(rel: &Path) -> bool {
    rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e.path().map(|p| relative(root, p)).unwrap_or_default();
    if let Some(ancestor) = e.loop_ancestor() {
        Diagnostic::error(
            Code::SymlinkLoop,
            path,
            Pos::WHOLE_FILE,
            format!("this symbolic link loops back to {}", relative(root, ancestor).display()),
        )
        .with_help("remove the link or point it somewhere outside its own folder")
    } else {
        let reason = e.io_error().map(|io| io.to_string()).unwrap_or_else(|| e.to_string());
        let dangling = e.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
        let help = if dangling {
            "this is a link to something that no longer exists; remove the link or restore its target"
        } else {
            "check the permissions of this file or folder"
        };
        Diagnostic::error(Code::Unreadable, path, Pos::WHOLE_FILE, format!("cannot read this: {reason}"))
            .with_help(help)
    }
}
