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
    /// Bytes `start..start + len` of a file under `root` (the file is
    /// named when the text is read: the path every message names it by),
    /// whose hash was `hash` when read. The root is one allocation shared
    /// by every text of a site.
    InFile {
        root: Arc<Path>,
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
    /// The text's length and hash, which tell it from another.
    pub fn fingerprint(&self) -> (usize, u64) {
        match &self.0 {
            Repr::Held(text) => (text.len(), xxhash_rust::xxh3::xxh3_64(text.as_bytes())),
            Repr::InFile { len, hash, .. } => (*len, *hash),
        }
    }

    /// `text`, which is `start` bytes into the file `rel` under `root`,
    /// kept as `keep` says ([`Text::read`] is told the file again). The
    /// text of a file whose name is not UTF-8 is held: messages name such
    /// a file otherwise than it is called.
    pub fn of(text: &str, root: &Arc<Path>, rel: &Path, start: usize, keep: Keep) -> Text {
        match keep {
            Keep::InFiles if rel.to_str().is_some() => Text(Repr::InFile {
                root: root.clone(),
                start,
                len: text.len(),
                hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            }),
            _ => Text(Repr::Held(Arc::from(text))),
        }
    }

    /// A text held in memory.
    pub fn held(text: &str) -> Text {
        Text(Repr::Held(Arc::from(text)))
    }

    /// The text, read again from its file if it was left there. `shown` is
    /// the file as messages name it, relative to the site's root (the file
    /// it was read from); a file changed since it was read is an error (its
    /// page would not match what was checked).
    pub fn read(&self, shown: &str) -> Result<Cow<'_, str>, Diagnostic> {
        let (root, start, len, hash) = match &self.0 {
            Repr::Held(text) => return Ok(Cow::Borrowed(text)),
            Repr::InFile { root, start, len, hash } => (root, *start, *len, *hash),
        };
        let path = root.join(shown);
        let changed = || {
            Diagnostic::error(
                Code::Unreadable,
                shown,
                Pos::WHOLE_FILE,
                "this file changed while the site was being built",
            )
            .with_help("build again once the file is saved")
        };
        let unreadable = |e: std::io::Error| {
            Diagnostic::error(Code::Unreadable, shown, Pos::WHOLE_FILE, format!("cannot read this file again: {e}"))
                .with_help("was it moved or deleted during the build? Build again")
        };
        // Only the text's own bytes, straight into the string's room.
        let mut file = std::fs::File::open(path).map_err(unreadable)?;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(start as u64)).map_err(unreadable)?;
        let mut text = Vec::with_capacity(len);
        std::io::Read::read_to_end(&mut std::io::Read::take(file, len as u64), &mut text).map_err(unreadable)?;
        if text.len() != len || xxhash_rust::xxh3::xxh3_64(&text) != hash {
            return Err(changed());
        }
        String::from_utf8(text).map(Cow::Owned).map_err(|_| changed())
    }
}

/// Every link and image address in a Markdown body, each with its byte
/// offset in the body, packed into one allocation: a brief keeps them from
/// reading to the link check, and at 100,000 briefs a list of strings cost
/// about 470 bytes a brief. Each is stored as its offset and length
/// (LEB128) and then its bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Addresses(Box<[u8]>);

impl Addresses {
    /// The addresses with their offsets, in the order given.
    pub fn pack<'a>(addresses: impl IntoIterator<Item = (&'a str, usize)>) -> Addresses {
        let mut bytes = Vec::new();
        for (address, offset) in addresses {
            put_number(&mut bytes, offset);
            put_number(&mut bytes, address.len());
            bytes.extend_from_slice(address.as_bytes());
        }
        Addresses(bytes.into_boxed_slice())
    }

    /// Each address with its offset, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, usize)> {
        let mut rest = &self.0[..];
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let offset = take_number(&mut rest);
            let len = take_number(&mut rest);
            let (address, after) = rest.split_at(len);
            rest = after;
            Some((std::str::from_utf8(address).expect("packed from a str"), offset))
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Addresses {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

fn put_number(bytes: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        bytes.push((n as u8) | 0x80);
        n >>= 7;
    }
    bytes.push(n as u8);
}

fn take_number(bytes: &mut &[u8]) -> usize {
    let mut n = 0;
    let mut shift = 0;
    while let Some((&byte, rest)) = bytes.split_first() {
        *bytes = rest;
        n |= usize::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            break;
        }
        shift += 7;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_come_back_as_packed() {
        let long = "é".repeat(200);
        let given = [("/briefs/x/", 0), ("", 127), (long.as_str(), 128), ("#toll", 300_000), ("a\nb", usize::MAX)];
        let packed = Addresses::pack(given.iter().copied());
        assert_eq!(packed.iter().collect::<Vec<_>>(), given);
        assert!(Addresses::pack([]).is_empty());
        assert_eq!(Addresses::pack([]).iter().count(), 0);
        assert_ne!(packed, Addresses::pack(given[..4].iter().copied()));
    }

    #[test]
    fn a_text_left_in_its_file_is_read_back_and_a_changed_file_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root: Arc<Path> = Arc::from(dir.path());
        let path = dir.path().join("x.md");
        let file = "---\ntitle: x\n---\nThe body, é.\n";
        std::fs::write(&path, file).unwrap();
        let start = file.find("The").unwrap();
        let text = Text::of(&file[start..], &root, Path::new("x.md"), start, Keep::InFiles);
        assert_eq!(text.read("x.md").unwrap(), "The body, é.\n");
        std::fs::write(&path, file.replace("The", "A")).unwrap();
        let error = text.read("x.md").unwrap_err();
        assert!(error.message.contains("changed while the site was being built"), "{}", error.message);
        std::fs::remove_file(&path).unwrap();
        assert!(text.read("x.md").unwrap_err().message.contains("cannot read this file again"));
        assert_eq!(Text::of("held", &root, Path::new("x.md"), 0, Keep::Held).read("x.md").unwrap(), "held");
    }
}
