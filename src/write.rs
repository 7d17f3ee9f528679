//! Write stage: the only code that touches the output folder.
//!
//! Files arrive one at a time, from any thread, while the site renders
//! ([`Staging::put`]). A file whose bytes are already in the output is
//! skipped; any other is written to a staging folder beside the output.
//! Nothing in the output changes until the whole build has succeeded and
//! [`Staging::commit`] moves the staged files into place, each with one
//! rename (so every file is either old or new, never half-written), then
//! removes the files that earlier builds made and this one did not. A
//! build that fails drops its staging folder and leaves the output exactly
//! as it was.
//!
//! The output's manifest (`.sitrep-output`) lists every file sitrep wrote
//! there, with its size, modification time and a hash of its bytes. It
//! marks the folder as sitrep's; it is the only list of files sitrep ever
//! deletes, so files put there by anyone else are left alone; and it spares
//! reading old files back: a file whose size and modification time are as
//! recorded, and whose new bytes hash as recorded, is unchanged. Any other
//! file is compared byte for byte.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::UNIX_EPOCH;

use thiserror::Error;

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::render::{Content, OutputFile, Sink};

/// The manifest: marks a folder as sitrep's output and lists its files.
pub const MARKER: &str = ".sitrep-output";

/// The first line of a manifest. Each line after it is `HASH SIZE MTIME
/// PATH` (hash of the bytes in hex, size in bytes, modification time in
/// nanoseconds since 1970) or, for a file whose details are not known, just
/// `PATH`.
const MANIFEST_HEADER: &str = "# sitrep output manifest 2: the files below were written by sitrep, which may replace or delete them. Files not listed are never touched.";
/// Manifests of version 1 list paths only.
const MANIFEST_HEADER_V1: &str = "# sitrep output manifest 1:";

/// What the manifest remembers of a file sitrep wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    hash: u128,
    size: u64,
    modified: u128,
}

fn modified_ns(meta: &fs::Metadata) -> Option<u128> {
    meta.modified().ok()?.duration_since(UNIX_EPOCH).ok().map(|d| d.as_nanos())
}

#[derive(Debug, Error)]
pub enum WriteError {
    #[error("refusing to write the site into {path}: {reason}")]
    Refused { path: PathBuf, reason: String, help: String },
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("the build has conflicting outputs at {path} in the output folder: {reason}")]
    Clash { path: String, reason: String, help: String },
}

impl WriteError {
    pub fn help(&self) -> Option<&str> {
        match self {
            WriteError::Refused { help, .. } | WriteError::Clash { help, .. } => Some(help),
            WriteError::Io { .. } | WriteError::Read { .. } => None,
        }
    }

    pub fn code(&self) -> Code {
        match self {
            WriteError::Refused { .. } => Code::OutputRefused,
            WriteError::Clash { .. } => Code::OutputClash,
            WriteError::Io { .. } => Code::Write,
            WriteError::Read { .. } => Code::Unreadable,
        }
    }
}

/// Write errors reach people through the one reporter, like every problem.
impl From<WriteError> for Diagnostic {
    fn from(e: WriteError) -> Diagnostic {
        let file = match &e {
            WriteError::Refused { path, .. } | WriteError::Io { path, .. } | WriteError::Read { path, .. } => {
                path.clone()
            }
            WriteError::Clash { path, .. } => PathBuf::from(path),
        };
        let help = e.help().map(str::to_string);
        Diagnostic::error(e.code(), file, Pos::WHOLE_FILE, e.to_string()).with_optional_help(help)
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io { path: path.to_path_buf(), source }
}

/// Checks that sitrep may write a build of the site at `site_root` into
/// `out`. Returns whether `out` already carries sitrep's manifest.
fn check_output_dir(out: &Path, site_root: &Path, force: bool) -> Result<bool, WriteError> {
    let refuse = |reason: &str, help: &str| WriteError::Refused {
        path: out.to_path_buf(),
        reason: reason.into(),
        help: help.into(),
    };
    let out_abs = absolute(out);
    let root_abs = absolute(site_root);
    // These hold the site itself: never, even when forced.
    if out_abs == root_abs || root_abs.starts_with(&out_abs) {
        return Err(refuse(
            "it is the site folder or holds it",
            "choose an output folder inside the site, such as public/",
        ));
    }
    if out_abs.parent().is_none() {
        return Err(refuse("it is the root of the file system", "choose an output folder such as public/"));
    }
    if !out.exists() {
        return Ok(false);
    }
    if !out.is_dir() {
        return Err(refuse("it is a file, not a folder", "remove the file or choose another output folder"));
    }
    for precious in [crate::load::CONTENT_DIR, ".git", crate::load::config::CONFIG_FILE] {
        if out.join(precious).exists() {
            return Err(refuse(
                &format!("it holds {precious}"),
                "choose an output folder that only sitrep writes to, such as public/",
            ));
        }
    }
    let made_by_us = out.join(MARKER).is_file();
    let empty = fs::read_dir(out).map_err(io_error(out))?.next().is_none();
    if !(made_by_us || empty || force) {
        return Err(refuse(
            "it was not made by sitrep and holds other files",
            "choose another --output, or pass --force to write into it (its other files are left as they are)",
        ));
    }
    Ok(made_by_us)
}

/// What a build changed in its output folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files of the build.
    pub files: usize,
    /// Files created or replaced.
    pub written: usize,
    /// Files of earlier builds that this one no longer makes, deleted.
    pub removed: usize,
}

/// A file written to the staging folder, waiting to be moved into place.
struct Staged {
    path: String,
    /// Its name in the staging folder.
    from: PathBuf,
    hash: u128,
    size: u64,
}

/// A build in progress into one output folder.
pub struct Staging {
    out: PathBuf,
    /// Beside `out`, on the same file system, so that renames are cheap.
    dir: PathBuf,
    /// Files sitrep wrote into `out` before, with what it knows of them.
    previous: HashMap<String, Option<Record>>,
    /// Files of this build that `out` already holds, as they are there.
    kept: Mutex<Vec<(String, Record)>>,
    /// Files whose bytes differ from what `out` holds.
    staged: Mutex<Vec<Staged>>,
    counter: AtomicUsize,
}

impl Staging {
    /// Checks `out` (see [`check_output_dir`]) and prepares to stage files
    /// for it. Nothing in `out` changes until [`commit`](Self::commit).
    pub fn open(out: &Path, site_root: &Path, force: bool) -> Result<Staging, WriteError> {
        let ours = check_output_dir(out, site_root, force)?;
        let out = absolute(out);
        let parent = out.parent().expect("checked above").to_path_buf();
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.sitrep-staging-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        let previous = if ours { read_manifest(&out)? } else { HashMap::new() };
        Ok(Staging {
            out,
            dir,
            previous,
            kept: Mutex::new(Vec::new()),
            staged: Mutex::new(Vec::new()),
            counter: AtomicUsize::new(0),
        })
    }

    /// Stages one file unless `out` already holds exactly its bytes.
    pub fn stage(&self, file: OutputFile) -> Result<(), WriteError> {
        let target = safe_join(&self.out, &file.path).ok_or_else(|| WriteError::Refused {
            path: PathBuf::from(&file.path),
            reason: "the path leaves the output folder".into(),
            help: "output paths must be relative and must not contain `..`".into(),
        })?;
        let copied;
        let bytes: &[u8] = match &file.content {
            Content::Bytes(bytes) => bytes,
            Content::Copy(from) => {
                copied = fs::read(from).map_err(|source| WriteError::Read { path: from.clone(), source })?;
                &copied
            }
        };
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        let size = bytes.len() as u64;
        let existing = fs::metadata(&target).ok().filter(fs::Metadata::is_file);
        let as_recorded = |meta: &fs::Metadata| match self.previous.get(&file.path) {
            Some(Some(r)) => {
                r.hash == hash && r.size == size && meta.len() == size && modified_ns(meta) == Some(r.modified)
            }
            _ => false,
        };
        let unchanged = existing.filter(|meta| {
            as_recorded(meta) || (meta.len() == size && fs::read(&target).is_ok_and(|old| old == bytes))
        });
        if let Some(modified) = unchanged.as_ref().and_then(modified_ns) {
            self.kept.lock().expect("no panics while held").push((file.path, Record { hash, size, modified }));
            return Ok(());
        }
        let from = self.dir.join(self.counter.fetch_add(1, Ordering::Relaxed).to_string());
        fs::write(&from, bytes).map_err(io_error(&from))?;
        self.staged.lock().expect("no panics while held").push(Staged { path: file.path, from, hash, size });
        Ok(())
    }

    /// Moves the staged files into the output and removes the files of
    /// earlier builds that this one did not make.
    pub fn commit(self) -> Result<WriteReport, WriteError> {
        let kept = std::mem::take(&mut *self.kept.lock().expect("no panics while held"));
        let staged = std::mem::take(&mut *self.staged.lock().expect("no panics while held"));
        let paths: Vec<&str> =
            kept.iter().map(|k| k.0.as_str()).chain(staged.iter().map(|s| s.path.as_str())).collect();
        let current: HashSet<&str> = paths.iter().copied().collect();
        if current.len() != paths.len() {
            let mut sorted = paths.clone();
            sorted.sort_unstable();
            let twice = sorted.windows(2).find(|w| w[0] == w[1]).map(|w| w[0].to_string()).unwrap_or_default();
            return Err(WriteError::Clash {
                path: twice,
                reason: "two files of the build have this path".into(),
                help: "an alias or a static file has the address of a page; rename one of them".into(),
            });
        }
        // A file where another output needs a folder (`x` and `x/index.html`)
        // would fail half-way through the moves below: refuse it first.
        let folders: HashSet<&str> =
            paths.iter().flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i])).collect();
        if let Some(clash) = paths.iter().find(|p| folders.contains(*p)) {
            return Err(WriteError::Clash {
                path: clash.to_string(),
                reason: format!("one file of the build has this path, and others go inside a folder `{clash}/`"),
                help: "a static file has the address of a page's folder; rename or move the static file".into(),
            });
        }
        fs::create_dir_all(&self.out).map_err(io_error(&self.out))?;
        // If this is interrupted, the next build must still know every file
        // it may have written: list old and new before moving anything (the
        // files about to be replaced without details, so that they are
        // compared byte for byte next time).
        let mut both: HashMap<&str, Option<Record>> =
            self.previous.iter().map(|(path, record)| (path.as_str(), *record)).collect();
        both.extend(kept.iter().map(|(path, record)| (path.as_str(), Some(*record))));
        both.extend(staged.iter().map(|s| (s.path.as_str(), None)));
        self.write_manifest(both)?;

        let mut records: HashMap<&str, Option<Record>> =
            kept.iter().map(|(path, record)| (path.as_str(), Some(*record))).collect();
        for Staged { path, from, hash, size } in &staged {
            let target = self.out.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(io_error(parent))?;
            }
            fs::rename(from, &target).map_err(io_error(&target))?;
            let modified = fs::metadata(&target).ok().as_ref().and_then(modified_ns);
            records.insert(path, modified.map(|modified| Record { hash: *hash, size: *size, modified }));
        }
        let mut removed = 0;
        let mut emptied = HashSet::new();
        for path in self.previous.keys().filter(|p| !current.contains(p.as_str())) {
            let Some(target) = safe_join(&self.out, path) else { continue };
            match fs::remove_file(&target) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(WriteError::Io { path: target, source: e }),
            }
            emptied.extend(target.ancestors().skip(1).take_while(|d| *d != self.out).map(Path::to_path_buf));
        }
        // Folders left empty by those removals; deepest first. A folder
        // still holding anything (someone else's files) stays.
        let mut emptied: Vec<PathBuf> = emptied.into_iter().collect();
        emptied.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for folder in emptied {
            let _ = fs::remove_dir(folder);
        }
        let files = paths.len();
        self.write_manifest(records)?;
        Ok(WriteReport { files, written: staged.len(), removed })
    }

    fn write_manifest(&self, records: HashMap<&str, Option<Record>>) -> Result<(), WriteError> {
        use std::fmt::Write as _;
        let mut listed: Vec<(&str, Option<Record>)> = records.into_iter().collect();
        listed.sort_unstable_by_key(|(path, _)| *path);
        let mut text = String::with_capacity(listed.iter().map(|(p, _)| p.len() + 72).sum::<usize>() + 160);
        text.push_str(MANIFEST_HEADER);
        text.push('\n');
        for (path, record) in listed {
            // A path that cannot be written on one line is left out: sitrep
            // will then never delete it, which is the safe side.
            if path.contains(['\n', '\r']) {
                continue;
            }
            match record {
                Some(r) => writeln!(text, "{:032x} {} {} {path}", r.hash, r.size, r.modified),
                None => writeln!(text, "{path}"),
            }
            .expect("writing to a String cannot fail");
        }
        let target = self.out.join(MARKER);
        if same_bytes(&target, text.as_bytes()) {
            return Ok(());
        }
        let temporary = self.dir.join("manifest");
        fs::write(&temporary, text).map_err(io_error(&temporary))?;
        fs::rename(&temporary, &target).map_err(io_error(&target))
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        self.stage(file)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Committed or not, the staging folder holds nothing wanted.
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Whether the file at `path` holds exactly `bytes` (read back and compared).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|existing| existing == bytes)
        }
        _ => false,
    }
}

/// The files listed in `out`'s manifest, with their details where known.
/// A marker from before manifests listed files (one line of text) marks a
/// folder that sitrep wrote whole, so all its files are sitrep's.
fn read_manifest(out: &Path) -> Result<HashMap<String, Option<Record>>, WriteError> {
    let path = out.join(MARKER);
    let text = fs::read_to_string(&path).map_err(io_error(&path))?;
    if !text.starts_with(MANIFEST_HEADER) && !text.starts_with(MANIFEST_HEADER_V1) {
        let mut all = HashMap::new();
        for entry in walkdir::WalkDir::new(out).min_depth(1) {
            let entry = entry.map_err(|e| WriteError::Io { path: out.to_path_buf(), source: e.into() })?;
            if entry.file_type().is_file()
                && let Ok(rel) = entry.path().strip_prefix(out)
                && rel != Path::new(MARKER)
            {
                all.insert(rel.to_string_lossy().replace('\\', "/"), None);
            }
        }
        return Ok(all);
    }
    Ok(text
        .lines()
        .skip(1)
        .filter(|line| !line.is_empty())
        .map(parse_manifest_line)
        .filter(|(path, _)| safe_join(out, path).is_some())
        .map(|(path, record)| (path.to_string(), record))
        .collect())
}

/// `HASH SIZE MTIME PATH`, or a bare path.
fn parse_manifest_line(line: &str) -> (&str, Option<Record>) {
    if !hash_shaped(line) {
        return (line, None);
    }
    let mut parts = line.splitn(4, ' ');
    let (Some(hash), Some(size), Some(modified), Some(path)) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return (line, None);
    };
    match (u128::from_str_radix(hash, 16), size.parse(), modified.parse()) {
        (Ok(hash), Ok(size), Ok(modified)) => (path, Some(Record { hash, size, modified })),
        _ => (line, None),
    }
}

/// Whether a line starts with 32 hex digits and a space, as records do.
fn hash_shaped(line: &str) -> bool {
    line.len() > 33 && line.as_bytes()[..32].iter().all(u8::is_ascii_hexdigit) && line.as_bytes()[32] == b' '
}

/// Staging folders of earlier builds into the same output that were
/// interrupted (killed, power cut). Their names say they are sitrep's.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.sitrep-staging-"), format!(".{name}.sitrep-new-"), format!(".{name}.sitrep-old-")];
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) && entry.path().is_dir() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Joins a relative output path under `dir`, refusing anything that would
/// leave it.
fn safe_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    let ok = rel.components().all(|c| matches!(c, std::path::Component::Normal(_)));
    (ok && !rel.as_os_str().is_empty()).then(|| dir.join(rel))
}

fn absolute(p: &Path) -> PathBuf {
    // canonicalize needs the path to exist; fall back to joining the cwd.
    fs::canonicalize(p).unwrap_or_else(|_| {
        let joined = std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf());
        match (joined.parent().and_then(|d| fs::canonicalize(d).ok()), joined.file_name()) {
            (Some(dir), Some(name)) => dir.join(name),
            _ => joined,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_lines_round_trip_and_bare_paths_have_no_details() {
        let record = Record { hash: 0xabc, size: 12, modified: 1_700_000_000_123_456_789 };
        let line = format!("{:032x} {} {} {}", record.hash, record.size, record.modified, "static/a file.css");
        assert_eq!(parse_manifest_line(&line), ("static/a file.css", Some(record)));
        assert_eq!(parse_manifest_line("briefs/x/index.html"), ("briefs/x/index.html", None));
        // A path that merely starts with digits is a path.
        assert_eq!(parse_manifest_line("2023 12 5 notes.txt"), ("2023 12 5 notes.txt", None));
    }

    #[test]
    fn output_paths_cannot_escape() {
        let dir = Path::new("/tmp/out");
        assert!(safe_join(dir, "a/b.html").is_some());
        assert!(safe_join(dir, "../x").is_none());
        assert!(safe_join(dir, "/etc/passwd").is_none());
        assert!(safe_join(dir, "").is_none());
    }
}
