//! The Markdown text of a brief or a translation, between reading and
//! rendering. A build leaves it in its file and reads it again when its
//! page is rendered: at 100,000 briefs the texts are 300 MB that would
//! otherwise sit in memory from the first file read to the last page
//! written. A preview holds them, since its files change under it.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic, Pos};

/// Where the engine keeps texts between reading and rendering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Keep {
    /// Where they are, in their files (a build, a check).
    #[default]
    InFiles,
    /// In memory (a preview).
    Held,
}

/// A Markdown text.
#[derive(Debug, Clone)]
pub struct Text(Repr);

#[derive(Debug, Clone)]
enum Repr {
    Held(Arc<str>),
    /// Bytes `start..start + len` of the file at `path`, whose hash was
    /// `hash` when read.
    InFile {
        path: Arc<Path>,
        start: usize,
        len: usize,
        hash: u64,
    },
}

impl Default for Text {
    fn default() -> Self {
        Text(Repr::Held(Arc::from("")))
    }
}

/// Two texts are equal when their words are (a text left in its file is
/// known by its length and hash).
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        match (&self.0, &other.0) {
            (Repr::Held(a), Repr::Held(b)) => a == b,
            _ => self.fingerprint() == other.fingerprint(),
        }
    }
}

impl Text {
    fn fingerprint(&self) -> (usize, u64) {
        match &self.0 {
            Repr::Held(text) => (text.len(), xxhash_rust::xxh3::xxh3_64(text.as_bytes())),
            Repr::InFile { len, hash, .. } => (*len, *hash),
        }
    }

    /// `text`, which is `start` bytes into the file at `path`, kept as
    /// `keep` says.
    pub fn of(text: &str, path: &Path, start: usize, keep: Keep) -> Text {
        match keep {
            Keep::Held => Text(Repr::Held(Arc::from(text))),
            Keep::InFiles => Text(Repr::InFile {
                path: Arc::from(path),
                start,
                len: text.len(),
                hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            }),
        }
    }

    /// A text held in memory.
    pub fn held(text: &str) -> Text {
        Text(Repr::Held(Arc::from(text)))
    }

    /// The text, read again from its file if it was left there. `shown` is
    /// the file as messages name it; a file changed since it was read is an
    /// error (its page would not match what was checked).
    pub fn read(&self, shown: &str) -> Result<Cow<'_, str>, Diagnostic> {
        let (path, start, len, hash) = match &self.0 {
            Repr::Held(text) => return Ok(Cow::Borrowed(text)),
            Repr::InFile { path, start, len, hash } => (path, *start, *len, *hash),
        };
        let changed = || {
            Diagnostic::error(
                Code::Unreadable,
                shown,
                Pos::WHOLE_FILE,
                "this file changed while the site was being built",
            )
            .with_help("build again once the file is saved")
        };
        let bytes = std::fs::read(path).map_err(|e| {
            Diagnostic::error(Code::Unreadable, shown, Pos::WHOLE_FILE, format!("cannot read this file again: {e}"))
                .with_help("was it moved or deleted during the build? Build again")
        })?;
        let text = bytes.get(start..start + len).ok_or_else(changed)?;
        if xxhash_rust::xxh3::xxh3_64(text) != hash {
            return Err(changed());
        }
        String::from_utf8(text.to_vec()).map(Cow::Owned).map_err(|_| changed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_left_in_its_file_is_read_back_and_a_changed_file_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.md");
        let file = "---\ntitle: x\n---\nThe body, é.\n";
        std::fs::write(&path, file).unwrap();
        let start = file.find("The").unwrap();
        let text = Text::of(&file[start..], &path, start, Keep::InFiles);
        assert_eq!(text.read("x.md").unwrap(), "The body, é.\n");
        std::fs::write(&path, file.replace("The", "A")).unwrap();
        let error = text.read("x.md").unwrap_err();
        assert!(error.message.contains("changed while the site was being built"), "{}", error.message);
        std::fs::remove_file(&path).unwrap();
        assert!(text.read("x.md").unwrap_err().message.contains("cannot read this file again"));
        assert_eq!(Text::of("held", &path, 0, Keep::Held).read("x.md").unwrap(), "held");
    }
}
