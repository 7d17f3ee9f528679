//! Serve: watches the site's files and turns file-system events into the
//! engine's `Change`s. Debounced, so one save (which editors often do as
//! write-to-temp-then-rename) becomes one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::engine::Change;
use crate::load::{self, CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR, config::CONFIG_FILE};
use crate::render::i18n::I18N_DIR;

/// How long the file system must be quiet before a batch of events counts.
/// Editors save by writing a temporary file and renaming it, microseconds
/// apart; 10 ms joins those without delaying the reload noticeably.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// Watches a site's folders; keep it alive for as long as changes matter.
pub struct Watcher {
    debouncer: Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: Vec<&'static str>,
}

impl Watcher {
    /// Starts watching folders (`templates/`, `static/`) created since the
    /// last call, and returns the changes their new files make: their files
    /// may have been written before the watch began.
    pub fn watch_new_folders(&mut self) -> Vec<Change> {
        let mut changes = Vec::new();
        for (dir, change) in [
            (CONTENT_DIR, Change::Everything),
            (TEMPLATES_DIR, Change::Templates),
            (I18N_DIR, Change::Templates),
            (STATIC_DIR, Change::Static),
        ] {
            let path = self.root.join(dir);
            if !self.watched.contains(&dir)
                && path.is_dir()
                && self.debouncer.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(dir);
                changes.push(change);
            }
        }
        changes
    }
}

/// Starts watching `root`; each batch of changes arrives on the returned channel.
pub fn watch(root: &Path) -> notify_debouncer_full::notify::Result<(Watcher, mpsc::Receiver<Vec<Change>>)> {
    let (tx, rx) = mpsc::channel();
    let root_for_events = root.to_path_buf();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let changes = match result {
            Ok(events) => {
                let mut changes = Vec::new();
                for event in events {
                    if event.need_rescan() {
                        changes.push(Change::Everything);
                        continue;
                    }
                    if matches!(event.kind, EventKind::Access(_)) {
                        continue;
                    }
                    changes.extend(event.paths.iter().filter_map(|p| classify(&root_for_events, p)));
                }
                changes
            }
            // The watcher lost track of something: read everything again.
            Err(_) => vec![Change::Everything],
        };
        let mut changes = changes;
        changes.sort();
        changes.dedup();
        if !changes.is_empty() {
            let _ = tx.send(changes);
        }
    })?;
    // The root itself, not recursively: site.yaml, and folders appearing.
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    let mut watcher = Watcher { debouncer, root: root.to_path_buf(), watched: Vec::new() };
    watcher.watch_new_folders();
    Ok((watcher, rx))
}

/// What a changed path means for the site, or nothing (editor swap files,
/// the output folder, anything else in the root).
fn classify(root: &Path, path: &Path) -> Option<Change> {
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let rel: PathBuf = path.strip_prefix(root).or_else(|_| path.strip_prefix(&canonical_root)).ok()?.to_path_buf();
    let first = rel.components().next()?.as_os_str().to_string_lossy().into_owned();
    if load::is_hidden(&rel) || rel.to_string_lossy().ends_with('~') {
        return None;
    }
    match first.as_str() {
        CONFIG_FILE if rel.components().count() == 1 => Some(Change::Everything),
        CONTENT_DIR if rel.components().count() == 1 => Some(Change::Everything),
        CONTENT_DIR if load::is_markdown(&rel) => Some(Change::Content(rel)),
        // A folder under content/ created, renamed or removed: its files
        // are not named one by one, so read everything again.
        CONTENT_DIR if rel.extension().is_none() => Some(Change::Everything),
        TEMPLATES_DIR | I18N_DIR => Some(Change::Templates),
        STATIC_DIR => Some(Change::Static),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_what_they_change() {
        let root = Path::new("/site");
        let c = |p: &str| classify(root, &root.join(p));
        assert_eq!(c("content/briefs/2023/x.md"), Some(Change::Content("content/briefs/2023/x.md".into())));
        assert_eq!(c("content/briefs/.x.md.swp"), None);
        assert_eq!(c("content/briefs/x.md~"), None);
        assert_eq!(c("content/briefs/2023"), Some(Change::Everything));
        assert_eq!(c("templates/brief.html"), Some(Change::Templates));
        assert_eq!(c("i18n/fr.yaml"), Some(Change::Templates));
        assert_eq!(c("static/style.css"), Some(Change::Static));
        assert_eq!(c("site.yaml"), Some(Change::Everything));
        assert_eq!(c("public/index.html"), None);
        assert_eq!(c("README.md"), None);
    }
}
