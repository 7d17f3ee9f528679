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
//! there. It marks the folder as sitrep's, and it is the only list of files
//! sitrep ever deletes: files put there by anyone else are left alone.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use thiserror::Error;

use crate::render::{Content, OutputFile, Sink};

/// The manifest: marks a folder as sitrep's output and lists its files.
pub const MARKER: &str = ".sitrep-output";

/// The first line of a manifest.
const MANIFEST_HEADER: &str = "# sitrep output manifest 1: the files below were written by sitrep, which may replace or delete them. Files not listed are never touched.";

#[derive(Debug, Error)]
pub enum WriteError {
    #[error("refusing to write the site into {path}: {reason}")]
    Refused { path: PathBuf, reason: String, help: String },
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl WriteError {
    pub fn help(&self) -> Option<&str> {
        match self {
            WriteError::Refused { help, .. } => Some(help),
            WriteError::Io { .. } => None,
        }
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io { path: path.to_path_buf(), source }
}

/// Checks that sitrep may write a build of the site at `site_root` into
/// `out`. Returns whether `out` already carries sitrep's manifest.
pub fn check_output_dir(out: &Path, site_root: &Path, force: bool) -> Result<bool, WriteError> {
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

/// A build in progress into one output folder.
pub struct Staging {
    out: PathBuf,
    /// Beside `out`, on the same file system, so that renames are cheap.
    dir: PathBuf,
    /// Files sitrep wrote into `out` before.
    previous: HashSet<String>,
    /// Every file of this build.
    paths: Mutex<Vec<String>>,
    /// Files whose bytes differ from what `out` holds: (path, staged name).
    staged: Mutex<Vec<(String, PathBuf)>>,
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
        let previous = if ours { read_manifest(&out)? } else { HashSet::new() };
        Ok(Staging {
            out,
            dir,
            previous,
            paths: Mutex::new(Vec::new()),
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
        let unchanged = match &file.content {
            Content::Bytes(bytes) => same_bytes(&target, bytes),
            Content::Copy(from) => fs::read(from).map(|bytes| same_bytes(&target, &bytes)).unwrap_or(false),
        };
        if !unchanged {
            let staged = self.dir.join(self.counter.fetch_add(1, Ordering::Relaxed).to_string());
            match &file.content {
                Content::Bytes(bytes) => fs::write(&staged, bytes).map_err(io_error(&staged))?,
                Content::Copy(from) => {
                    fs::copy(from, &staged).map_err(io_error(from))?;
                }
            }
            self.staged.lock().expect("no panics while held").push((file.path.clone(), staged));
        }
        self.paths.lock().expect("no panics while held").push(file.path);
        Ok(())
    }

    /// Moves the staged files into the output and removes the files of
    /// earlier builds that this one did not make.
    pub fn commit(self) -> Result<WriteReport, WriteError> {
        let paths = std::mem::take(&mut *self.paths.lock().expect("no panics while held"));
        let staged = std::mem::take(&mut *self.staged.lock().expect("no panics while held"));
        let current: HashSet<&str> = paths.iter().map(String::as_str).collect();
        if current.len() != paths.len() {
            let mut sorted: Vec<&String> = paths.iter().collect();
            sorted.sort();
            let twice = sorted.windows(2).find(|w| w[0] == w[1]).map(|w| w[0].clone()).unwrap_or_default();
            return Err(WriteError::Refused {
                path: PathBuf::from(twice),
                reason: "two outputs of the build have this path".into(),
                help: "an alias or a static file has the address of a page; rename one of them".into(),
            });
        }
        fs::create_dir_all(&self.out).map_err(io_error(&self.out))?;
        // If this is interrupted, the next build must still know every file
        // it may have written: list old and new before moving anything.
        let mut both: Vec<&str> = current.iter().copied().chain(self.previous.iter().map(String::as_str)).collect();
        both.sort_unstable();
        both.dedup();
        self.write_manifest(&both)?;

        for (path, from) in &staged {
            let target = self.out.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(io_error(parent))?;
            }
            fs::rename(from, &target).map_err(io_error(&target))?;
        }
        let mut removed = 0;
        let mut emptied = HashSet::new();
        for path in self.previous.iter().filter(|p| !current.contains(p.as_str())) {
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
        let mut listed: Vec<&str> = current.into_iter().collect();
        listed.sort_unstable();
        self.write_manifest(&listed)?;
        Ok(WriteReport { files: paths.len(), written: staged.len(), removed })
    }

    fn write_manifest(&self, paths: &[&str]) -> Result<(), WriteError> {
        let mut text =
            String::with_capacity(paths.iter().map(|p| p.len() + 1).sum::<usize>() + MANIFEST_HEADER.len() + 1);
        text.push_str(MANIFEST_HEADER);
        text.push('\n');
        for path in paths {
            text.push_str(path);
            text.push('\n');
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
    fn put(&self, file: OutputFile) -> Result<(), String> {
        self.stage(file).map_err(|e| e.to_string())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Committed or not, the staging folder holds nothing wanted.
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Whether the file at `path` holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|existing| existing == bytes)
        }
        _ => false,
    }
}

/// The files listed in `out`'s manifest. A manifest from before manifests
/// listed files (a marker with one line of text) marks a folder that sitrep
/// wrote whole, so all its files are sitrep's.
fn read_manifest(out: &Path) -> Result<HashSet<String>, WriteError> {
    let path = out.join(MARKER);
    let text = fs::read_to_string(&path).map_err(io_error(&path))?;
    if !text.starts_with(MANIFEST_HEADER) {
        let mut all = HashSet::new();
        for entry in walkdir::WalkDir::new(out).min_depth(1) {
            let entry = entry.map_err(|e| WriteError::Io { path: out.to_path_buf(), source: e.into() })?;
            if entry.file_type().is_file()
                && let Ok(rel) = entry.path().strip_prefix(out)
                && rel != Path::new(MARKER)
            {
                all.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        return Ok(all);
    }
    Ok(text.lines().skip(1).filter(|l| !l.is_empty() && safe_join(out, l).is_some()).map(str::to_string).collect())
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
    fn output_paths_cannot_escape() {
        let dir = Path::new("/tmp/out");
        assert!(safe_join(dir, "a/b.html").is_some());
        assert!(safe_join(dir, "../x").is_none());
        assert!(safe_join(dir, "/etc/passwd").is_none());
        assert!(safe_join(dir, "").is_none());
    }
}
