//! Write stage: the only code that touches the output folder.
//!
//! Files arrive one at a time, from any thread, while the site renders
//! ([`Staging::put`]). A file whose bytes the output already holds is
//! noted; any other is written, at its own path, into a staging folder
//! beside the output (`.public.sitrep-staging-PID`). Nothing in the output
//! changes until the whole build has succeeded. Then [`Staging::commit`]
//! moves them into a **new generation** of the output, the standby folder
//! beside it, completes it (hard links to the unchanged files, and to
//! whatever else the folder holds that sitrep did not write), writes its
//! manifest, and swaps it with the output in one step (`renameat2` with
//! `RENAME_EXCHANGE`): a reader, or a build killed at any instant, sees the
//! whole old site or the whole new one, never a mix. A build into an
//! output folder that does not exist yet (every CI run's) has staged the
//! whole site: the staging folder, with its manifest, is renamed into
//! place. A rebuild in which nothing changed makes no generation and
//! writes nothing. A build that fails removes its generation and leaves
//! the output exactly as it was.
//!
//! Where the swap cannot be made (the output is a mount point, or the
//! system has no exchanging rename), the files are moved in one by one as
//! before, each with one rename.
//!
//! One build at a time: a build holds an advisory lock on the output's
//! parent folder, and a second one waits for it.
//!
//! The output's manifest (`.sitrep-output`) lists every file sitrep wrote
//! there, with its size, modification time and a hash of its bytes. It
//! marks the folder as sitrep's; it is the only list of files sitrep ever
//! deletes, so files put there by anyone else are carried over untouched
//! (and a build that needs one's path stops, unless `--force`); and it
//! spares reading old files back: a file whose size and modification time
//! are as recorded, and whose new bytes hash as recorded, is unchanged.
//! Any other file is compared byte for byte. For a page, it also records
//! the digest of the view the page was made from: a page whose view is
//! the same, still in the output as recorded, is kept without being
//! rendered again ([`Sink::keep_page`], [`crate::render::reuse`]).
//! Nothing is ever written or deleted through a symbolic link inside the
//! output.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::UNIX_EPOCH;

use thiserror::Error;
use xxhash_rust::xxh3::Xxh3;

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::render::{Content, OutputFile, Sink, Writing};

/// The manifest: marks a folder as sitrep's output and lists its files.
pub const MARKER: &str = ".sitrep-output";

/// The first line of a manifest. Each line after it is `HASH SIZE MTIME
/// PATH` (hash of the bytes in hex, size in bytes, modification time in
/// nanoseconds since 1970) or, for a file whose details are not known, just
/// `PATH`; then a line `# view: VIEW PATH` for each page made from a view
/// whose digest is `VIEW`, and `# carried: PATH` for what others put there.
const MANIFEST_HEADER: &str = "# sitrep output manifest 2: the files below were written by sitrep, which may replace or delete them. Files not listed are never touched.";
/// Manifests of version 1 list paths only.
const MANIFEST_HEADER_V1: &str = "# sitrep output manifest 1:";

/// What the manifest remembers of a file sitrep wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    hash: u128,
    size: u64,
    modified: u128,
    /// For a page, the digest of the view it was made from (see
    /// [`crate::render::reuse`]).
    view: Option<u128>,
}

fn modified_ns(meta: &fs::Metadata) -> Option<u128> {
    meta.modified().ok()?.duration_since(UNIX_EPOCH).ok().map(|d| d.as_nanos())
}

/// The modification time of a file just written, as [`modified_ns`].
fn modified_of(file: &fs::File) -> Option<u64> {
    file.metadata().ok().as_ref().and_then(modified_ns).and_then(|ns| u64::try_from(ns).ok())
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
    #[error("{path} was not written by sitrep, and the build now makes a file there{more}")]
    Foreign { path: PathBuf, more: String },
}

impl WriteError {
    pub fn help(&self) -> Option<&str> {
        match self {
            WriteError::Refused { help, .. } | WriteError::Clash { help, .. } => Some(help),
            WriteError::Foreign { .. } => {
                Some("move it out of the output folder (or into static/, to publish it), or pass --force to replace it")
            }
            WriteError::Io { .. } | WriteError::Read { .. } => None,
        }
    }

    pub fn code(&self) -> Code {
        match self {
            WriteError::Refused { .. } => Code::OutputRefused,
            WriteError::Clash { .. } => Code::OutputClash,
            WriteError::Io { .. } => Code::Write,
            WriteError::Read { .. } => Code::Unreadable,
            WriteError::Foreign { .. } => Code::ForeignFile,
        }
    }
}

/// Write errors reach people through the one reporter, like every problem.
impl From<WriteError> for Diagnostic {
    fn from(e: WriteError) -> Diagnostic {
        let file = match &e {
            WriteError::Refused { path, .. }
            | WriteError::Io { path, .. }
            | WriteError::Read { path, .. }
            | WriteError::Foreign { path, .. } => path.clone(),
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
    for source in [crate::load::CONTENT_DIR, crate::load::TEMPLATES_DIR, crate::load::STATIC_DIR] {
        if out_abs.starts_with(root_abs.join(source)) {
            return Err(refuse(
                &format!("it is inside the site's {source}/ folder, which the build reads"),
                "choose an output folder beside them, such as public/",
            ));
        }
    }
    if !out.exists() {
        return Ok(false);
    }
    let meta = fs::symlink_metadata(out).map_err(io_error(out))?;
    if meta.file_type().is_symlink() {
        return Err(refuse(
            "it is a symbolic link; sitrep writes only into real folders",
            "pass the folder the link points at as --output, or remove the link",
        ));
    }
    if !meta.is_dir() {
        return Err(refuse("it is a file, not a folder", "remove the file or choose another output folder"));
    }
    if meta.permissions().readonly() {
        return Err(refuse(
            "it is read-only",
            "make it writable (chmod u+w), or choose another output folder; the site in it is as it was",
        ));
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
    /// Pages not rendered, kept as an earlier build made them from the
    /// same view (see [`crate::render::reuse`]).
    pub reused: usize,
}

/// A file of the build that differs from the output, waiting in the
/// staging folder.
/// A writer that passes bytes on and hashes them.
struct Hashing<W> {
    to: W,
    hasher: Xxh3,
    size: u64,
}

impl<W: io::Write> io::Write for Hashing<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let n = self.to.write(bytes)?;
        self.hasher.update(&bytes[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.to.flush()
    }
}

/// A file of this build written into the staging folder.
struct Staged {
    path: String,
    /// Where the file waits, if not at `path` in the staging folder: its
    /// number in the loose folder ([`Staging::loose_at`]).
    loose: Option<u32>,
    hash: u128,
    size: u64,
    /// Its modification time, in nanoseconds since 1970, read when it was
    /// written (a rename keeps it).
    modified: Option<u64>,
    view: Option<u128>,
}

impl Staged {
    /// What the manifest records of the file.
    fn record(&self) -> Option<Record> {
        let Staged { hash, size, view, .. } = *self;
        self.modified.map(|modified| Record { hash, size, modified: u128::from(modified), view })
    }
}

/// What the output folder holds at a path, as found without following
/// symbolic links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    File,
    Folder,
    Link,
    /// A socket, a device, anything else: left alone.
    Other,
}

impl Entry {
    /// What a file type (read without following links) is to sitrep.
    fn of(kind: fs::FileType) -> Entry {
        if kind.is_symlink() {
            Entry::Link
        } else if kind.is_dir() {
            Entry::Folder
        } else if kind.is_file() {
            Entry::File
        } else {
            Entry::Other
        }
    }
}

/// A build in progress into one output folder.
pub struct Staging {
    out: PathBuf,
    /// Where this build's new and changed files wait, each at its path,
    /// until the build has succeeded.
    staging: PathBuf,
    /// Where a file waits, under a number, if it could not be put at its
    /// path in `staging`: it clashes with another file of the build there,
    /// which [`commit`](Self::commit) reports. Made when first needed.
    loose: PathBuf,
    /// The standby generation, beside `out` (on the same file system, so
    /// that the two can be swapped and files hard-linked between them): the
    /// output as an earlier build left it, brought up to date and swapped in.
    standby: PathBuf,
    force: bool,
    /// Files sitrep wrote into `out` before, with what it knows of them
    /// (each path held once, shared with [`kept`](Self::kept)).
    previous: HashMap<Arc<str>, Option<Record>>,
    /// Folders of `out` already looked at: whether each is a real folder
    /// (not a link, nor behind one). A file behind a link is not there for
    /// sitrep.
    real_folders: Mutex<HashMap<String, bool>>,
    /// Folders that hold files of earlier builds: sitrep's too, made again
    /// where the build needs them.
    our_folders: HashSet<String>,
    /// Files of this build that `out` already holds, as they are there.
    kept: Mutex<Vec<(Arc<str>, Record)>>,
    /// Files of this build written into `staging`.
    staged: Mutex<Vec<Staged>>,
    /// The number of loose files so far.
    counter: std::sync::atomic::AtomicU32,
    /// Pages kept as an earlier build made them from the same view.
    reused: std::sync::atomic::AtomicUsize,
    /// Paths this build makes where `out` holds something sitrep did not write.
    foreign: Mutex<Vec<String>>,
    /// Held until the staging is dropped: one build at a time per output.
    _lock: Option<fs::File>,
}

impl Staging {
    /// Checks `out` (see [`check_output_dir`]) and prepares a new
    /// generation beside it. Nothing in `out` changes until
    /// [`commit`](Self::commit). If another build into `out` is running,
    /// calls `waiting` and waits for it to end.
    pub fn open(out: &Path, site_root: &Path, force: bool, waiting: impl FnOnce()) -> Result<Staging, WriteError> {
        check_output_dir(out, site_root, force)?;
        let out_abs = absolute(out);
        let parent = out_abs.parent().expect("checked above").to_path_buf();
        fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        let lock = lock_output(&parent, waiting)?;
        // Again, now that no other build can be changing it.
        let ours = check_output_dir(out, site_root, force)?;
        let out = out_abs;
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        recover(&parent, &name, &out);
        let staging = parent.join(format!(".{name}.sitrep-staging-{}", std::process::id()));
        fs::create_dir(&staging).map_err(io_error(&staging))?;
        let loose = parent.join(format!(".{name}.sitrep-loose-{}", std::process::id()));
        let standby = parent.join(format!(".{name}.{STANDBY}"));
        let previous = if ours { read_manifest(&out)? } else { HashMap::new() };
        let our_folders = folders_of(previous.keys().map(|p| &**p)).into_iter().map(str::to_string).collect();
        Ok(Staging {
            out,
            staging,
            loose,
            standby,
            force,
            previous,
            real_folders: Mutex::new(HashMap::new()),
            our_folders,
            kept: Mutex::new(Vec::new()),
            staged: Mutex::new(Vec::new()),
            counter: Default::default(),
            reused: Default::default(),
            foreign: Mutex::new(Vec::new()),
            _lock: lock,
        })
    }

    /// Stages one file unless `out` already holds exactly its bytes.
    pub fn stage(&self, file: OutputFile) -> Result<(), WriteError> {
        self.refuse_outside(&file.path)?;
        let copied;
        let bytes: &[u8] = match &file.content {
            Content::Bytes(bytes) => bytes,
            // Kept already, when `keep_page` said so.
            Content::Kept { .. } => return Ok(()),
            Content::Copy(from) => {
                copied = fs::read(from).map_err(|source| WriteError::Read { path: from.clone(), source })?;
                &copied
            }
        };
        let hash = xxhash_rust::xxh3::xxh3_128(bytes);
        let size = bytes.len() as u64;
        if self.settled(&file.path, hash, size, file.view) {
            return Ok(());
        }
        let (mut staged, loose, at) = self.create_staged(&file.path)?;
        staged.write_all(bytes).map_err(io_error(&at))?;
        let modified = modified_of(&staged);
        lock(&self.staged).push(Staged { path: file.path, loose, hash, size, modified, view: file.view });
        Ok(())
    }

    /// Stages the file that `write` writes a piece at a time, hashing it
    /// on the way, unless `out` already holds exactly its bytes (then the
    /// staged copy is removed).
    pub fn stage_written(&self, path: String, write: Writing) -> Result<(), WriteError> {
        self.refuse_outside(&path)?;
        let (file, loose, at) = self.create_staged(&path)?;
        let mut hashing = Hashing { to: io::BufWriter::with_capacity(1 << 16, file), hasher: Xxh3::new(), size: 0 };
        write(&mut hashing).map_err(io_error(&at))?;
        let file = hashing.to.into_inner().map_err(|e| io_error(&at)(e.into_error()))?;
        let (hash, size, modified) = (hashing.hasher.digest128(), hashing.size, modified_of(&file));
        drop(file);
        if self.settled(&path, hash, size, None) {
            fs::remove_file(&at).map_err(io_error(&at))?;
            return Ok(());
        }
        lock(&self.staged).push(Staged { path, loose, hash, size, modified, view: None });
        Ok(())
    }

    fn refuse_outside(&self, path: &str) -> Result<(), WriteError> {
        if safe_join(&self.out, path).is_none() {
            return Err(WriteError::Refused {
                path: PathBuf::from(path),
                reason: "the path leaves the output folder".into(),
                help: "output paths must be relative and must not contain `..`".into(),
            });
        }
        Ok(())
    }

    /// Creates the staged file for `path`: at its path in the staging
    /// folder (making the folders on the way), or, where another file of
    /// the build is in the way, under the next number in the loose folder.
    /// Returns the file, its number if loose, and where it is.
    fn create_staged(&self, path: &str) -> Result<(fs::File, Option<u32>, PathBuf), WriteError> {
        let create = |at: &Path| fs::OpenOptions::new().write(true).create_new(true).open(at);
        let at = self.staging.join(path);
        // A folder that clashes with a file of the build (or fails to be
        // made) leaves the file to the loose folder.
        if self.make_folder_of(path).is_ok()
            && let Ok(file) = create(&at)
        {
            return Ok((file, None, at));
        }
        let number = self.counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let at = self.loose_at(number);
        fs::create_dir_all(&self.loose).map_err(io_error(&self.loose))?;
        let file = create(&at).map_err(io_error(&at))?;
        Ok((file, Some(number), at))
    }

    /// Makes the folder of `path` in the staging folder (which this build
    /// made, empty, and alone writes into) unless it is there, and the
    /// folders above it where they are not: a page's folder is new, so it
    /// is made before the page rather than after failing to create the
    /// page where it is not (which cost a failed open per page).
    fn make_folder_of(&self, path: &str) -> io::Result<()> {
        let Some((folder, _)) = path.rsplit_once('/') else { return Ok(()) };
        let at = self.staging.join(folder);
        match fs::create_dir(&at) {
            // There already, or a file's place (then the file is loose).
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir_all(&at),
            made => made,
        }
    }

    /// Where the loose file `number` is.
    fn loose_at(&self, number: u32) -> PathBuf {
        self.loose.join(number.to_string())
    }

    /// Where the staged file `staged` is.
    fn staged_at(&self, staged: &Staged) -> PathBuf {
        match staged.loose {
            Some(number) => self.loose_at(number),
            None => self.staging.join(&staged.path),
        }
    }

    /// Whether the file at `path`, of this hash and size, needs no writing:
    /// `out` holds something there that sitrep did not write (noted, and
    /// left), or exactly these bytes as sitrep wrote them (kept).
    fn settled(&self, path: &str, hash: u128, size: u64, view: Option<u128>) -> bool {
        match self.entry(path) {
            Some(Entry::Folder) if self.our_folders.contains(path) => {}
            Some(_) if !self.previous.contains_key(path) && !self.force => {
                lock(&self.foreign).push(path.to_string());
                return true;
            }
            Some(Entry::File) if self.previous.contains_key(path) => {
                let target = self.out.join(path);
                let existing = fs::symlink_metadata(&target).ok().filter(fs::Metadata::is_file);
                let as_recorded = |meta: &fs::Metadata| match self.previous.get(path) {
                    Some(Some(r)) => {
                        r.hash == hash && r.size == size && meta.len() == size && modified_ns(meta) == Some(r.modified)
                    }
                    _ => false,
                };
                let unchanged = existing.filter(|meta| {
                    as_recorded(meta)
                        || (meta.len() == size
                            && fs::read(&target).is_ok_and(|old| xxhash_rust::xxh3::xxh3_128(&old) == hash))
                });
                if let Some(modified) = unchanged.as_ref().and_then(modified_ns)
                    && let Some((path, _)) = self.previous.get_key_value(path)
                {
                    lock(&self.kept).push((path.clone(), Record { hash, size, modified, view }));
                    return true;
                }
            }
            _ => {}
        }
        false
    }

    /// Puts the build in place: swaps the completed new generation with
    /// the output (or, where that cannot be done, moves the new files in
    /// one by one), and removes the files of earlier builds that this one
    /// did not make.
    pub fn commit(self) -> Result<WriteReport, WriteError> {
        let kept = std::mem::take(&mut *lock(&self.kept));
        let staged = std::mem::take(&mut *lock(&self.staged));
        let paths: Vec<&str> = kept.iter().map(|k| &*k.0).chain(staged.iter().map(|s| s.path.as_str())).collect();
        let current: HashSet<&str> = paths.iter().copied().collect();
        let folders = folders_of(paths.iter().copied());
        check_paths(&paths, &current, &folders)?;
        let mut foreign = std::mem::take(&mut *lock(&self.foreign));
        if !foreign.is_empty() {
            return Err(self.foreign_error(foreign));
        }
        let removed: Vec<&str> = self
            .previous
            .keys()
            .map(|p| &**p)
            .filter(|p| !current.contains(p) && self.entry(p) == Some(Entry::File))
            .collect();
        let kept_records: HashMap<&str, Option<Record>> =
            kept.iter().map(|(path, record)| (&**path, Some(*record))).collect();
        let reused = self.reused.load(std::sync::atomic::Ordering::Relaxed);
        let report = WriteReport { files: paths.len(), written: staged.len(), removed: removed.len(), reused };
        if staged.is_empty()
            && removed.is_empty()
            && same_bytes(&self.out.join(MARKER), manifest_text(&kept_records, &[]).as_bytes())
        {
            return Ok(report);
        }
        // What is in the output that sitrep did not write: carried over as
        // it is, unless the build needs its path.
        let on_disk = if self.out.exists() { list(&self.out)? } else { HashMap::new() };
        let mut carried: Vec<(&str, Entry)> = Vec::new();
        for (path, entry) in &on_disk {
            if self.previous.contains_key(path.as_str())
                || path == MARKER
                || (*entry == Entry::Folder && self.our_folders.contains(path))
            {
                continue;
            }
            let needed = current.contains(path.as_str())
                || (*entry != Entry::Folder && folders.contains(path.as_str()))
                || path_under_file(path, &current);
            if !needed {
                carried.push((path, *entry));
            } else if !self.force {
                foreign.push(path.clone());
            }
        }
        if !foreign.is_empty() {
            return Err(self.foreign_error(foreign));
        }
        if !self.out.exists() && kept.is_empty() && carried.is_empty() && staged.iter().all(|s| s.loose.is_none()) {
            // A build into a new folder: the staging folder holds the whole
            // site, each file at its place. It becomes the output.
            let records = staged.iter().map(|s| (s.path.as_str(), s.record())).collect();
            let manifest = self.staging.join(MARKER);
            fs::write(&manifest, manifest_text(&records, &[])).map_err(io_error(&manifest))?;
            fs::rename(&self.staging, &self.out).map_err(io_error(&self.out))?;
            return Ok(report);
        }
        if self.out.exists() && !same_file_system(&self.out, &self.staging) {
            let mut records = kept_records;
            records.extend(staged.iter().map(|s| (s.path.as_str(), None)));
            self.move_in(&staged, &removed, &records)?;
            return Ok(report);
        }
        let carried: Vec<(String, Entry)> = carried.into_iter().map(|(p, e)| (p.to_string(), e)).collect();
        self.bring_standby_up_to_date(&kept, &staged, &current, &carried)?;
        // The swap: from here on, readers see the new site, and the standby
        // folder holds the old one, for the next build to bring up to date.
        swap(&self.standby, &self.out)?;
        Ok(report)
    }

    /// Makes the standby generation hold exactly the new site: the files
    /// that changed (moved in from the staging folder), the unchanged ones
    /// (hard links to the output's, unless the standby already has them),
    /// and what others put in the output (`carried`), and nothing else;
    /// then writes its manifest. The standby is the output as the build
    /// before last left it, so this touches only what changed since; a
    /// standby that is missing or was left half-updated (no manifest) is
    /// made again from the output.
    fn bring_standby_up_to_date(
        &self,
        kept: &[(Arc<str>, Record)],
        staged: &[Staged],
        current: &HashSet<&str>,
        carried: &[(String, Entry)],
    ) -> Result<(), WriteError> {
        let (had, had_carried) = match read_standby_manifest(&self.standby) {
            Some(found) => found,
            None => {
                if fs::symlink_metadata(&self.standby).is_ok() {
                    remove_entry(&self.standby).map_err(io_error(&self.standby))?;
                }
                (HashMap::new(), Vec::new())
            }
        };
        fs::create_dir_all(&self.standby).map_err(io_error(&self.standby))?;
        // From here until its manifest is written again, the standby is not
        // to be trusted (a build killed meanwhile leaves it without one).
        match fs::remove_file(self.standby.join(MARKER)) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&self.standby)(e)),
        }
        let mut records: HashMap<&str, Option<Record>> = HashMap::new();
        let mut ready = HashSet::new();
        for file in staged {
            let target = self.standby_place(&file.path, &mut ready)?;
            fs::rename(self.staged_at(file), &target).map_err(io_error(&target))?;
            records.insert(&file.path, file.record());
        }
        for (path, record) in kept {
            let path = &**path;
            records.insert(path, Some(*record));
            let target = self.standby.join(path);
            let same = matches!(had.get(path), Some(Some(r)) if r.hash == record.hash && r.size == record.size)
                && fs::symlink_metadata(&target)
                    .is_ok_and(|m| m.is_file() && m.len() == record.size && modified_ns(&m) == Some(record.modified));
            if !same {
                let target = self.standby_place(path, &mut ready)?;
                fs::hard_link(self.out.join(path), &target).map_err(io_error(&target))?;
            }
        }
        // Files of the build before last that this one does not make.
        let mut emptied = HashSet::new();
        for path in had.keys().filter(|p| !current.contains(p.as_str())) {
            let Some(target) = safe_join(&self.standby, path) else { continue };
            if fs::symlink_metadata(&target).is_ok_and(|m| m.is_file()) {
                fs::remove_file(&target).map_err(io_error(&target))?;
            }
            emptied.extend(target.ancestors().skip(1).take_while(|d| *d != self.standby).map(Path::to_path_buf));
        }
        // What others put in the output: the same in the standby.
        let carried_now: HashSet<&str> = carried.iter().map(|(p, _)| p.as_str()).collect();
        for path in had_carried.iter().filter(|p| !carried_now.contains(p.as_str())) {
            if let Some(target) = safe_join(&self.standby, path) {
                let _ = remove_entry(&target);
            }
        }
        let mut folders = Vec::new();
        for (path, entry) in carried {
            let from = self.out.join(path);
            match entry {
                Entry::File if !same_inode(&from, &self.standby.join(path)) => {
                    let target = self.standby_place(path, &mut ready)?;
                    fs::hard_link(&from, &target).map_err(io_error(&target))?;
                }
                Entry::Link => {
                    let target = self.standby_place(path, &mut ready)?;
                    let points_at = fs::read_link(&from).map_err(io_error(&from))?;
                    symlink(&points_at, &target).map_err(io_error(&target))?;
                }
                Entry::Folder => folders.push(self.standby.join(path)),
                _ => {}
            }
        }
        for folder in folders {
            fs::create_dir_all(&folder).map_err(io_error(&folder))?;
        }
        let mut emptied: Vec<PathBuf> = emptied.into_iter().collect();
        emptied.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for folder in emptied {
            let _ = fs::remove_dir(folder);
        }
        let carried_paths: Vec<&str> = carried.iter().map(|(p, _)| p.as_str()).collect();
        let target = self.standby.join(MARKER);
        fs::write(&target, manifest_text(&records, &carried_paths)).map_err(io_error(&target))
    }

    /// Clears the place of `path` in the standby for a new file: makes its
    /// folders, and removes what is there (a file, a link, or a folder
    /// where the build now has a file, or a file where it needs a folder).
    /// Never follows a link.
    /// `ready` holds the folders already made or found real in this build,
    /// so that each is looked at once.
    fn standby_place<'p>(&self, path: &'p str, ready: &mut HashSet<&'p str>) -> Result<PathBuf, WriteError> {
        let target = self.standby.join(path);
        for (end, _) in path.match_indices('/') {
            let rel = &path[..end];
            if ready.contains(rel) {
                continue;
            }
            ready.insert(rel);
            let folder = self.standby.join(rel);
            match fs::symlink_metadata(&folder) {
                Ok(meta) if meta.is_dir() => continue,
                Ok(_) => fs::remove_file(&folder).map_err(io_error(&folder))?,
                Err(_) => {}
            }
            fs::create_dir(&folder).map_err(io_error(&folder))?;
        }
        match remove_entry(&target) {
            Ok(()) => Ok(target),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(target),
            Err(e) => Err(io_error(&target)(e)),
        }
    }

    /// The manifest's record of the file at `path`, if the output holds
    /// it with the size and modification time recorded.
    fn as_recorded(&self, path: &str) -> Option<(Arc<str>, Record)> {
        let Some((path, Some(record))) = self.previous.get_key_value(path) else { return None };
        if safe_join(&self.out, path).is_none() || self.entry(path) != Some(Entry::File) {
            return None;
        }
        let meta = fs::symlink_metadata(self.out.join(&**path)).ok()?;
        (meta.len() == record.size && modified_ns(&meta) == Some(record.modified)).then(|| (path.clone(), *record))
    }

    /// What `out` holds at `path`, without following links: nothing if a
    /// folder on the way is a link (sitrep never reads or writes through
    /// one).
    fn entry(&self, path: &str) -> Option<Entry> {
        let folder = path.rfind('/').map_or("", |i| &path[..i]);
        if !self.is_real_folder(folder) {
            return None;
        }
        fs::symlink_metadata(self.out.join(path)).ok().map(|meta| Entry::of(meta.file_type()))
    }

    /// Whether `folder` (relative; `` is `out`) is a real folder, with no
    /// link on the way to it. Each folder is looked at once.
    fn is_real_folder(&self, folder: &str) -> bool {
        if folder.is_empty() {
            return true;
        }
        if let Some(&known) = lock(&self.real_folders).get(folder) {
            return known;
        }
        let parent = folder.rfind('/').map_or("", |i| &folder[..i]);
        // A folder inside one that is not real is not either, and is not
        // noted: a build into a new output would note every folder.
        if !self.is_real_folder(parent) {
            return false;
        }
        let real = fs::symlink_metadata(self.out.join(folder)).is_ok_and(|m| m.file_type().is_dir());
        lock(&self.real_folders).insert(folder.to_string(), real);
        real
    }

    fn foreign_error(&self, mut foreign: Vec<String>) -> WriteError {
        foreign.sort();
        foreign.dedup();
        let more = match foreign.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        WriteError::Foreign { path: self.out.join(&foreign[0]), more }
    }

    /// Moves the new files into the output one by one (each with one
    /// rename), then removes the old ones the build no longer makes: for an
    /// output on another file system than its parent folder, which cannot
    /// be swapped.
    fn move_in(
        &self,
        staged: &[Staged],
        removed: &[&str],
        records: &HashMap<&str, Option<Record>>,
    ) -> Result<(), WriteError> {
        // If this is interrupted, the next build must still know every file
        // it may have written: list old and new before moving anything (the
        // files about to be replaced without details, so that they are
        // compared byte for byte next time).
        let mut both: HashMap<&str, Option<Record>> =
            self.previous.iter().map(|(path, record)| (&**path, *record)).collect();
        both.extend(records.iter().map(|(path, record)| (*path, *record)));
        self.put_manifest(&manifest_text(&both, &[]))?;
        let mut moved: HashMap<&str, Option<Record>> = records.clone();
        for file in staged {
            real_folders(&self.out, &file.path)?;
            let target = self.out.join(&file.path);
            fs::rename(self.staged_at(file), &target).map_err(io_error(&target))?;
            moved.insert(&file.path, file.record());
        }
        let mut emptied = HashSet::new();
        for path in removed {
            let target = self.out.join(path);
            match fs::remove_file(&target) {
                Ok(()) => {}
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
        self.put_manifest(&manifest_text(&moved, &[]))
    }

    /// Replaces the output's manifest in one rename.
    fn put_manifest(&self, text: &str) -> Result<(), WriteError> {
        let temporary = self.staging.join(MARKER);
        fs::write(&temporary, text).map_err(io_error(&temporary))?;
        let target = self.out.join(MARKER);
        fs::rename(&temporary, &target).map_err(io_error(&target))
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        self.stage(file)
    }

    fn put_written(&self, path: String, write: Writing) -> Result<(), WriteError> {
        self.stage_written(path, write)
    }

    /// A file sitrep wrote into the output, if its bytes are still the
    /// ones the manifest records (size and hash): one changed by hand, or
    /// reached through a link, is not taken for sitrep's.
    fn previous(&self, path: &str) -> Option<Vec<u8>> {
        let Some(Some(record)) = self.previous.get(path) else { return None };
        let target = safe_join(&self.out, path)?;
        if self.entry(path) != Some(Entry::File) {
            return None;
        }
        let bytes = fs::read(target).ok()?;
        (bytes.len() as u64 == record.size && xxhash_rust::xxh3::xxh3_128(&bytes) == record.hash).then_some(bytes)
    }

    /// Every page's view is recorded in the manifest for the next build.
    fn reuses_pages(&self) -> bool {
        true
    }

    /// Keeps a page whose recorded view is `view`, if the output holds it
    /// as recorded.
    fn keep_page(&self, path: &str, view: u128) -> Option<u128> {
        if !matches!(self.previous.get(path), Some(Some(record)) if record.view == Some(view)) {
            return None;
        }
        let (path, record) = self.as_recorded(path)?;
        lock(&self.kept).push((path, record));
        self.reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Some(record.hash)
    }

    /// Keeps files whose size and modification time are as the manifest
    /// records, as a build that put the same bytes again would.
    fn keep(&self, paths: &[String]) -> bool {
        let records: Option<Vec<(Arc<str>, Record)>> = paths.iter().map(|path| self.as_recorded(path)).collect();
        match records {
            Some(records) => {
                lock(&self.kept).extend(records);
                true
            }
            None => false,
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // The files of a failed build, or what is left of them once moved:
        // nothing wanted. (The standby stays, for the next build.)
        let _ = fs::remove_dir_all(&self.staging);
        let _ = fs::remove_dir_all(&self.loose);
    }
}

/// Files listed in a manifest, with what it records of each.
type Listed = HashMap<String, Option<Record>>;

/// The name of the standby generation beside an output `NAME`:
/// `.NAME.sitrep-standby`.
pub const STANDBY: &str = "sitrep-standby";

/// The standby's manifest: its files, and the paths of what others put in
/// the output that it carries. `None` if it has none (never made, or left
/// half-updated by a build that was killed).
fn read_standby_manifest(standby: &Path) -> Option<(Listed, Vec<String>)> {
    let text = fs::read_to_string(standby.join(MARKER)).ok()?;
    if !text.starts_with(MANIFEST_HEADER) {
        return None;
    }
    let (files, carried) = parse_manifest(&text);
    let files = files.into_iter().map(|(path, record)| (path.to_string(), record)).collect();
    Some((files, carried.into_iter().map(str::to_string).collect()))
}

/// Marks a manifest line naming something others put in the output.
const CARRIED: &str = "# carried: ";
/// Marks a manifest line giving a page's view digest: `# view: VIEW PATH`.
/// (Manifests of version 2 without them still read the same; sitrep
/// before them reads these lines as paths of files that do not exist.)
const VIEW: &str = "# view: ";

/// The lines of a manifest after its header: the files with what it
/// records of each, and the paths of what it carries.
fn parse_manifest(text: &str) -> (Vec<(&str, Option<Record>)>, Vec<&str>) {
    let mut files = Vec::new();
    let mut carried = Vec::new();
    let mut views = HashMap::new();
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        if let Some(path) = line.strip_prefix(CARRIED) {
            carried.push(path);
        } else if let Some(view) = line.strip_prefix(VIEW) {
            if let Some((view, path)) = view.split_once(' ')
                && let Ok(view) = u128::from_str_radix(view, 16)
            {
                views.insert(path, view);
            }
        } else {
            files.push(parse_manifest_line(line));
        }
    }
    for (path, record) in &mut files {
        if let Some(record) = record {
            record.view = views.get(path).copied();
        }
    }
    (files, carried)
}

/// Removes a file, a link or a folder (and what is in it), never following
/// a link.
fn remove_entry(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) => Err(e),
    }
}

/// Whether two paths are links to one file.
fn same_inode(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::symlink_metadata(a), fs::symlink_metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Two files of the build with one path, or a file where others need a
/// folder (`x` and `x/index.html`).
fn check_paths(paths: &[&str], current: &HashSet<&str>, folders: &HashSet<&str>) -> Result<(), WriteError> {
    if current.len() != paths.len() {
        let mut sorted = paths.to_vec();
        sorted.sort_unstable();
        let twice = sorted.windows(2).find(|w| w[0] == w[1]).map(|w| w[0].to_string()).unwrap_or_default();
        return Err(WriteError::Clash {
            path: twice,
            reason: "two files of the build have this path".into(),
            help: "an alias or a static file has the address of a page; rename one of them".into(),
        });
    }
    if let Some(clash) = paths.iter().find(|p| folders.contains(*p)) {
        return Err(WriteError::Clash {
            path: clash.to_string(),
            reason: format!("one file of the build has this path, and others go inside a folder `{clash}/`"),
            help: "a static file has the address of a page's folder; rename or move the static file".into(),
        });
    }
    Ok(())
}

/// Every folder the files at `paths` are in (`a/b/c.html` → `a`, `a/b`).
fn folders_of<'a>(paths: impl Iterator<Item = &'a str>) -> HashSet<&'a str> {
    paths.flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i])).collect()
}

/// Whether some folder above `path` is a file of the build.
fn path_under_file(path: &str, current: &HashSet<&str>) -> bool {
    path.match_indices('/').any(|(i, _)| current.contains(&path[..i]))
}

/// Makes the folders of `rel` under `out` that are missing; refuses a
/// symbolic link among them (writing through it would write elsewhere).
fn real_folders(out: &Path, rel: &str) -> Result<(), WriteError> {
    let mut folder = out.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        folder.push(part);
        match fs::symlink_metadata(&folder) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Err(WriteError::Foreign { path: folder, more: String::new() });
            }
            Err(_) => fs::create_dir(&folder).map_err(io_error(&folder))?,
        }
    }
    Ok(())
}

/// Everything in `out`, relative, found without following links.
fn list(out: &Path) -> Result<HashMap<String, Entry>, WriteError> {
    let mut found = HashMap::new();
    for entry in walkdir::WalkDir::new(out).min_depth(1) {
        let entry = entry.map_err(|e| WriteError::Io { path: out.to_path_buf(), source: e.into() })?;
        let Ok(rel) = entry.path().strip_prefix(out) else { continue };
        let Some(rel) = rel.to_str() else { continue };
        found.insert(rel.replace('\\', "/"), Entry::of(entry.file_type()));
    }
    Ok(found)
}

/// The manifest listing `records`, and `carried`, the paths of what
/// others put in the output (a standby's manifest names them, so that the
/// next build knows what it carried).
fn manifest_text(records: &HashMap<&str, Option<Record>>, carried: &[&str]) -> String {
    use std::fmt::Write as _;
    let mut listed: Vec<(&str, Option<Record>)> = records.iter().map(|(p, r)| (*p, *r)).collect();
    listed.sort_unstable_by_key(|(path, _)| *path);
    let mut text = String::with_capacity(listed.iter().map(|(p, _)| p.len() + 72).sum::<usize>() + 160);
    text.push_str(MANIFEST_HEADER);
    text.push('\n');
    for &(path, record) in &listed {
        // A path that cannot be written on one line, or that would read
        // as a note (`# view: `, `# carried: `) without its record before
        // it, is left out: sitrep will then never delete it, which is the
        // safe side.
        if path.contains(['\n', '\r']) || (record.is_none() && path.starts_with("# ")) {
            continue;
        }
        match record {
            Some(r) => writeln!(text, "{:032x} {} {} {path}", r.hash, r.size, r.modified),
            None => writeln!(text, "{path}"),
        }
        .expect("writing to a String cannot fail");
    }
    for (path, record) in &listed {
        if let Some(view) = record.and_then(|r| r.view)
            && !path.contains(['\n', '\r'])
        {
            writeln!(text, "{VIEW}{view:032x} {path}").expect("writing to a String cannot fail");
        }
    }
    let mut carried = carried.to_vec();
    carried.sort_unstable();
    for path in carried.into_iter().filter(|p| !p.contains(['\n', '\r'])) {
        writeln!(text, "{CARRIED}{path}").expect("writing to a String cannot fail");
    }
    text
}

/// Takes the lock on the output's parent folder that keeps a second build
/// out (an advisory lock, released when the process ends however it ends).
/// Where folders cannot be locked, builds are not kept apart.
fn lock_output(parent: &Path, waiting: impl FnOnce()) -> Result<Option<fs::File>, WriteError> {
    let Ok(folder) = fs::File::open(parent) else { return Ok(None) };
    match folder.try_lock() {
        Ok(()) => Ok(Some(folder)),
        Err(fs::TryLockError::WouldBlock) => {
            waiting();
            folder.lock().map_err(io_error(parent))?;
            Ok(Some(folder))
        }
        Err(fs::TryLockError::Error(_)) => Ok(None),
    }
}

/// Puts the new generation `new` in the place of `out`: one exchanging
/// rename where the system has one, so that `out` is never missing nor
/// mixed; `new` then holds the old generation, removed when the staging is
/// dropped.
fn swap(new: &Path, out: &Path) -> Result<(), WriteError> {
    if !out.exists() {
        return fs::rename(new, out).map_err(io_error(out));
    }
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, new, CWD, out, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // A file system without exchanging renames: fall through.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(WriteError::Io { path: out.to_path_buf(), source: e.into() }),
        }
    }
    // Two renames: for an instant `out` is missing; a build killed in that
    // instant leaves the old generation under a name the next build
    // recognizes and puts back ([`recover`]).
    let name = out.file_name().unwrap_or_default().to_string_lossy();
    let old = out.with_file_name(format!(".{name}.sitrep-old-{}", std::process::id()));
    fs::rename(out, &old).map_err(io_error(out))?;
    fs::rename(new, out).map_err(io_error(out))?;
    fs::rename(&old, new).map_err(io_error(new))
}

#[cfg(unix)]
fn symlink(points_at: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(points_at, link)
}

#[cfg(not(unix))]
fn symlink(_points_at: &Path, _link: &Path) -> io::Result<()> {
    Ok(())
}

/// Whether two existing paths are on one file system (so that one can be
/// renamed over the other and files hard-linked between them).
fn same_file_system(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(a), fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        true
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
fn read_manifest(out: &Path) -> Result<HashMap<Arc<str>, Option<Record>>, WriteError> {
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
                all.insert(rel.to_string_lossy().replace('\\', "/").into(), None);
            }
        }
        return Ok(all);
    }
    Ok(parse_manifest(&text)
        .0
        .into_iter()
        .filter(|(path, _)| safe_join(out, path).is_some())
        .map(|(path, record)| (path.into(), record))
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
        (Ok(hash), Ok(size), Ok(modified)) => (path, Some(Record { hash, size, modified, view: None })),
        _ => (line, None),
    }
}

/// Whether a line starts with 32 hex digits and a space, as records do.
fn hash_shaped(line: &str) -> bool {
    line.len() > 33 && line.as_bytes()[..32].iter().all(u8::is_ascii_hexdigit) && line.as_bytes()[32] == b' '
}

/// Cleans up after earlier builds into the same output that were
/// interrupted (killed, power cut), with the lock held so that none of them
/// is still running: an output left under its old-generation name during a
/// two-rename swap is put back, and any other generation is removed. Their
/// names say they are sitrep's.
fn recover(parent: &Path, name: &str, out: &Path) {
    let prefixes = [
        format!(".{name}.sitrep-staging-"),
        format!(".{name}.sitrep-new-"),
        format!(".{name}.sitrep-old-"),
        format!(".{name}.sitrep-loose-"),
    ];
    let Ok(entries) = fs::read_dir(parent) else { return };
    let mut leftovers: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(file_name, path)| prefixes.iter().any(|p| file_name.starts_with(p.as_str())) && path.is_dir())
        .collect();
    if !out.exists()
        && let Some(i) = leftovers.iter().position(|(file_name, _)| file_name.starts_with(prefixes[2].as_str()))
    {
        let (_, old) = leftovers.swap_remove(i);
        let _ = fs::rename(old, out);
    }
    for (_, path) in leftovers {
        let _ = fs::remove_dir_all(path);
    }
}

/// Joins a relative output path under `dir`, refusing anything that would
/// leave it.
fn safe_join(dir: &Path, rel: &str) -> Option<PathBuf> {
    // Every segment a plain name: `a//b` or `a/./b` would name the same file
    // as `a/b` while comparing unequal to it.
    let ok = rel.split('/').all(|segment| !segment.is_empty() && segment != "." && segment != "..");
    let path = Path::new(rel);
    (ok && path.components().all(|c| matches!(c, std::path::Component::Normal(_)))).then(|| dir.join(path))
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
        let record = Record { hash: 0xabc, size: 12, modified: 1_700_000_000_123_456_789, view: None };
        let line = format!("{:032x} {} {} {}", record.hash, record.size, record.modified, "static/a file.css");
        assert_eq!(parse_manifest_line(&line), ("static/a file.css", Some(record)));
        assert_eq!(parse_manifest_line("briefs/x/index.html"), ("briefs/x/index.html", None));
        // A path that merely starts with digits is a path.
        assert_eq!(parse_manifest_line("2023 12 5 notes.txt"), ("2023 12 5 notes.txt", None));
    }

    #[test]
    fn a_manifest_keeps_each_page_s_view_and_reads_as_before_without_them() {
        let page = Record { hash: 0xabc, size: 12, modified: 7, view: Some(0xfeed) };
        let style = Record { view: None, ..page };
        // A file known only by its path that would read as a note is left out.
        let note = "# view: 00000000000000000000000000000001 a page/index.html";
        let records = HashMap::from([
            ("a page/index.html", Some(page)),
            ("style.css", Some(style)),
            ("old.txt", None),
            (note, None),
        ]);
        let text = manifest_text(&records, &["notes.txt"]);
        let (mut files, carried) = parse_manifest(&text);
        files.sort_unstable_by_key(|(path, _)| *path);
        assert_eq!(files, [("a page/index.html", Some(page)), ("old.txt", None), ("style.css", Some(style))]);
        assert_eq!(carried, ["notes.txt"]);
        // Without its view lines, as sitrep wrote manifests before them.
        let older: String = text.lines().filter(|l| !l.starts_with(VIEW)).map(|l| format!("{l}\n")).collect();
        let (files, _) = parse_manifest(&older);
        assert!(files.iter().all(|(_, record)| record.is_none_or(|r| r.view.is_none())));
        assert_eq!(files.len(), 3);
    }

    #[test]
    fn output_paths_cannot_escape() {
        let dir = Path::new("/tmp/out");
        assert!(safe_join(dir, "a/b.html").is_some());
        assert!(safe_join(dir, "../x").is_none());
        assert!(safe_join(dir, "/etc/passwd").is_none());
        assert!(safe_join(dir, "").is_none());
        assert!(safe_join(dir, "briefs//x/index.html").is_none());
        assert!(safe_join(dir, "briefs/./x").is_none());
        assert!(safe_join(dir, "groups/").is_none());
    }
}
