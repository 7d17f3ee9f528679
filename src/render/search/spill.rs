//! Where the index's coded word lists go while the pages are gathered,
//! once those held in memory pass a budget: a temporary file with no name
//! (the system removes it however the build ends), read back a chunk at a
//! time when the index is written. At 100,000 briefs the lists are about
//! 200 MB; a site whose lists stay under the budget never makes the file.

use std::fs::File;
use std::io::{self, BufWriter, Write};

/// A run of one word's coded pages moved to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    at: u64,
    len: u32,
}

impl Piece {
    /// How many bytes it holds.
    pub fn len(self) -> usize {
        self.len as usize
    }
}

/// The file, made when first needed.
#[derive(Default)]
pub struct Spill {
    file: Option<BufWriter<File>>,
    len: u64,
    /// Set when the file could not be made or written: the lists then
    /// stay in memory, as they would for a small site.
    failed: bool,
}

impl Spill {
    /// Whether some piece was moved to the file.
    pub fn used(&self) -> bool {
        self.len > 0
    }

    /// Whether pieces can still be moved to the file.
    pub fn usable(&self) -> bool {
        !self.failed
    }

    /// Moves `bytes` to the end of the file: their piece, or `None` (and
    /// no later piece) if the file cannot be made or written.
    pub fn put(&mut self, bytes: &[u8]) -> Option<Piece> {
        if self.failed || bytes.is_empty() || bytes.len() > u32::MAX as usize {
            return None;
        }
        let written = match &mut self.file {
            Some(file) => file.write_all(bytes),
            None => tempfile::tempfile().and_then(|file| {
                let mut file = BufWriter::with_capacity(1 << 20, file);
                file.write_all(bytes)?;
                self.file = Some(file);
                Ok(())
            }),
        };
        if written.is_err() {
            self.failed = true;
            return None;
        }
        let piece = Piece { at: self.len, len: bytes.len() as u32 };
        self.len += bytes.len() as u64;
        Some(piece)
    }

    /// Writes out what is buffered, before pieces are read.
    pub fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), |file| file.flush())
    }

    /// Appends the bytes of `piece` to `out` (after [`Spill::flush`]); from
    /// any thread.
    pub fn read(&self, piece: Piece, out: &mut Vec<u8>) -> io::Result<()> {
        let file = self.file.as_ref().ok_or_else(|| io::Error::other("the index's spill file is missing"))?.get_ref();
        let start = out.len();
        out.resize(start + piece.len as usize, 0);
        read_exact_at(file, &mut out[start..], piece.at)
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, at)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_read_back_as_they_were_put_whatever_the_order() {
        let mut spill = Spill::default();
        let first = spill.put(b"alpha").unwrap();
        let second = spill.put(&[7u8; 3 << 20]).unwrap();
        let third = spill.put(b"bravo").unwrap();
        assert_eq!(spill.put(b""), None);
        spill.flush().unwrap();
        let mut out = b"x".to_vec();
        spill.read(third, &mut out).unwrap();
        spill.read(first, &mut out).unwrap();
        assert_eq!(out, b"xbravoalpha");
        let mut big = Vec::new();
        spill.read(second, &mut big).unwrap();
        assert_eq!(big, vec![7u8; 3 << 20]);
    }
}
