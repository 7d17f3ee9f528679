//! Pages made again from the same view are not rendered again.
//!
//! A page is a pure function of its template set and of what the template
//! is given: the page's view, the site-wide values, its language
//! alternates and its address. A build records, beside each page in the
//! output's manifest, a digest of all of that (its **view digest**); the
//! next build computes the digest first and, where the output still holds
//! the file that build wrote from the same digest, keeps it without
//! running the template (see [`super::Sink::keep_page`]).
//!
//! The template set's part of the digest covers every template's text, the
//! interface strings of the language, the base path, and the sitrep binary
//! itself (its filters and Tera's code are in it): a new sitrep renders
//! every page again once. Pages of templates that call a function whose
//! result the inputs do not decide (`get_env()`; `now()` and
//! `get_random()` too, should Tera's built-ins ever be turned on) are
//! never reused.

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::OnceLock;

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// Tera's functions whose result is not decided by their arguments (only
/// `get_env` is compiled in, without Tera's `builtins` feature).
const IMPURE: &[&str] = &["get_env", "now", "get_random"];

/// Whether a template's text calls a function whose result changes from
/// one build to the next with the same inputs: one of their names, as a
/// whole word, then `(` after any spaces (Tera allows them there).
pub fn impure(template: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    IMPURE.iter().any(|name| {
        template.match_indices(name).any(|(at, _)| {
            let before = template[..at].chars().next_back();
            let after = template[at + name.len()..].trim_start();
            !before.is_some_and(word) && after.starts_with('(')
        })
    })
}

/// A digest being made of the parts of a page's inputs, each delimited so
/// that no two sequences of parts digest alike by running together. The
/// parts are gathered and hashed in one go, which is faster than feeding
/// a streaming hasher the many small pieces a serialiser writes.
#[derive(Default)]
pub struct Digest(Vec<u8>);

impl Digest {
    pub fn new() -> Digest {
        Digest(Vec::with_capacity(4096))
    }

    pub fn text(&mut self, text: &str) -> &mut Self {
        self.bytes(text.as_bytes())
    }

    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        self.0.extend_from_slice(bytes);
        self
    }

    pub fn number(&mut self, n: u128) -> &mut Self {
        self.0.extend_from_slice(&n.to_le_bytes());
        self
    }

    /// Adds `value` as serde shows it to Tera (whose context is JSON made
    /// from it), fed piece by piece (see [`Feed`]) rather than written as
    /// JSON: no text is escaped only to be hashed. Fails where serialising
    /// fails (then Tera would fail too, and report it).
    pub fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Option<&mut Self> {
        value.serialize(&mut Feed(&mut self.0)).ok()?;
        Some(self)
    }

    pub fn finish(&self) -> u128 {
        xxhash_rust::xxh3::xxh3_128(&self.0)
    }
}

/// A serde serialiser that appends a value to a digest's bytes: each piece
/// behind a tag of its kind, each text and byte string behind its length,
/// each sequence, map and struct closed by a tag of its own, and each
/// struct field and enum variant by name. Two values that serialise to
/// different JSON so never feed the same bytes (the converse need not
/// hold: a page is then rendered again when it could have been kept).
struct Feed<'a>(&'a mut Vec<u8>);

/// Why a value could not be fed: serde's message (a custom `Serialize`
/// that fails).
#[derive(Debug)]
struct Unfed(String);

impl std::fmt::Display for Unfed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unfed {}

impl serde::ser::Error for Unfed {
    fn custom<T: std::fmt::Display>(message: T) -> Unfed {
        Unfed(message.to_string())
    }
}

/// Tags, one byte each, before the piece they name.
mod tag {
    pub const UNIT: u8 = 0;
    pub const FALSE: u8 = 1;
    pub const TRUE: u8 = 2;
    pub const SIGNED: u8 = 3;
    pub const UNSIGNED: u8 = 4;
    pub const FLOAT: u8 = 5;
    pub const CHAR: u8 = 6;
    pub const TEXT: u8 = 7;
    pub const BYTES: u8 = 8;
    pub const NONE: u8 = 9;
    pub const SOME: u8 = 10;
    pub const VARIANT: u8 = 11;
    pub const SEQUENCE: u8 = 12;
    pub const MAP: u8 = 13;
    pub const STRUCT: u8 = 14;
    pub const NEWTYPE: u8 = 15;
    pub const END: u8 = 16;
}

impl Feed<'_> {
    fn text(&mut self, tag: u8, text: &[u8]) {
        self.0.push(tag);
        self.0.extend_from_slice(&(text.len() as u64).to_le_bytes());
        self.0.extend_from_slice(text);
    }

    fn number(&mut self, tag: u8, n: [u8; 16]) {
        self.0.push(tag);
        self.0.extend_from_slice(&n);
    }

    fn variant(&mut self, index: u32, name: &str) {
        self.0.push(tag::VARIANT);
        self.0.extend_from_slice(&index.to_le_bytes());
        self.text(tag::TEXT, name.as_bytes());
    }

    fn end(&mut self) -> Result<(), Unfed> {
        self.0.push(tag::END);
        Ok(())
    }
}

impl<'a, 'b> serde::Serializer for &'a mut Feed<'b> {
    type Ok = ();
    type Error = Unfed;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Unfed> {
        self.0.push(if v { tag::TRUE } else { tag::FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unfed> {
        self.serialize_i128(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unfed> {
        self.serialize_i128(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unfed> {
        self.serialize_i128(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unfed> {
        self.serialize_i128(v.into())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Unfed> {
        self.number(tag::SIGNED, v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unfed> {
        self.serialize_u128(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unfed> {
        self.serialize_u128(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unfed> {
        self.serialize_u128(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unfed> {
        self.serialize_u128(v.into())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Unfed> {
        self.number(tag::UNSIGNED, v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unfed> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unfed> {
        self.number(tag::FLOAT, u128::from(v.to_bits()).to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Unfed> {
        self.number(tag::CHAR, u128::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unfed> {
        self.text(tag::TEXT, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Unfed> {
        self.text(tag::BYTES, v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Unfed> {
        self.0.push(tag::NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unfed> {
        self.0.push(tag::SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unfed> {
        self.0.push(tag::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Unfed> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, index: u32, variant: &'static str) -> Result<(), Unfed> {
        self.variant(index, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), Unfed> {
        self.0.push(tag::NEWTYPE);
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unfed> {
        self.variant(index, variant);
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Unfed> {
        self.0.push(tag::SEQUENCE);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Unfed> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, Unfed> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Unfed> {
        self.variant(index, variant);
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Unfed> {
        self.0.push(tag::MAP);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, Unfed> {
        self.0.push(tag::STRUCT);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Unfed> {
        self.variant(index, variant);
        self.0.push(tag::STRUCT);
        Ok(self)
    }
}

/// The pieces of a sequence, tuple or map, each fed as it comes.
macro_rules! feed_pieces {
    ($($trait:ident :: $method:ident),*) => {$(
        impl serde::ser::$trait for &mut Feed<'_> {
            type Ok = ();
            type Error = Unfed;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unfed> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Unfed> {
                Feed::end(self)
            }
        }
    )*};
}

feed_pieces!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl serde::ser::SerializeMap for &mut Feed<'_> {
    type Ok = ();
    type Error = Unfed;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unfed> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unfed> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Unfed> {
        Feed::end(self)
    }
}

/// A struct's fields, each by its name (a field left out when empty must
/// not let the next one take its place).
macro_rules! feed_fields {
    ($($trait:ident),*) => {$(
        impl serde::ser::$trait for &mut Feed<'_> {
            type Ok = ();
            type Error = Unfed;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), Unfed> {
                self.text(tag::TEXT, name.as_bytes());
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Unfed> {
                Feed::end(self)
            }
        }
    )*};
}

feed_fields!(SerializeStruct, SerializeStructVariant);

/// What identifies the running sitrep's code: the build ID its linker
/// wrote into it where there is one (ELF files, as on Linux), or else a
/// digest of the whole executable. None if neither can be read (then no
/// page is reused).
pub fn program() -> Option<u128> {
    static PROGRAM: OnceLock<Option<u128>> = OnceLock::new();
    *PROGRAM.get_or_init(|| {
        // Linux's `/proc/self/exe` is the running file even if another
        // has since been put at its path.
        let path = if cfg!(target_os = "linux") {
            std::path::PathBuf::from("/proc/self/exe")
        } else {
            std::env::current_exe().ok()?
        };
        let mut file = std::fs::File::open(path).ok()?;
        if let Some(id) = build_id(&mut file) {
            return Some(Digest::new().text("build-id").bytes(&id).finish());
        }
        file.seek(SeekFrom::Start(0)).ok()?;
        let mut digest = Xxh3::new();
        digest.update(b"executable");
        let mut buffer = vec![0u8; 1 << 16];
        loop {
            match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => digest.update(&buffer[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        Some(digest.digest128())
    })
}

/// The GNU build ID of a 64-bit little-endian ELF file: the note of type
/// `NT_GNU_BUILD_ID` (3), named `GNU`, in one of its `PT_NOTE` segments.
/// Reads only the header, the program headers and the notes.
fn build_id(file: &mut (impl Read + Seek)) -> Option<Vec<u8>> {
    const PT_NOTE: u32 = 4;
    const NT_GNU_BUILD_ID: u32 = 3;
    let mut header = [0u8; 64];
    file.read_exact(&mut header).ok()?;
    // The magic, 64-bit (class 2), little-endian (data 1).
    if header[..4] != *b"\x7fELF" || header[4] != 2 || header[5] != 1 {
        return None;
    }
    let u16_at = |b: &[u8], at: usize| u16::from_le_bytes([b[at], b[at + 1]]);
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"));
    let u64_at = |b: &[u8], at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
    let (phoff, phentsize, phnum) = (u64_at(&header, 32), usize::from(u16_at(&header, 54)), u16_at(&header, 56));
    if phentsize < 56 {
        return None;
    }
    let mut headers = vec![0u8; phentsize * usize::from(phnum)];
    file.seek(SeekFrom::Start(phoff)).ok()?;
    file.read_exact(&mut headers).ok()?;
    for ph in headers.chunks_exact(phentsize).filter(|ph| u32_at(ph, 0) == PT_NOTE) {
        let (offset, size) = (u64_at(ph, 8), u64_at(ph, 32));
        // Notes are small; a huge one is not a note section worth reading.
        if size > 1 << 16 {
            continue;
        }
        let mut notes = vec![0u8; size as usize];
        file.seek(SeekFrom::Start(offset)).ok()?;
        file.read_exact(&mut notes).ok()?;
        let mut at = 0;
        while at + 12 <= notes.len() {
            let (name_size, desc_size, kind) =
                (u32_at(&notes, at) as usize, u32_at(&notes, at + 4) as usize, u32_at(&notes, at + 8));
            let name_at = at + 12;
            let desc_at = name_at + name_size.next_multiple_of(4);
            let end = desc_at + desc_size.next_multiple_of(4);
            if end > notes.len() || desc_at + desc_size > notes.len() {
                break;
            }
            if kind == NT_GNU_BUILD_ID && notes[name_at..name_at + name_size] == *b"GNU\0" && desc_size > 0 {
                return Some(notes[desc_at..desc_at + desc_size].to_vec());
            }
            at = end;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ELF header with one `PT_NOTE` program header whose notes are
    /// `notes`.
    fn elf_with_notes(notes: &[u8]) -> Vec<u8> {
        let mut file = vec![0u8; 64 + 56];
        file[..4].copy_from_slice(b"\x7fELF");
        file[4] = 2;
        file[5] = 1;
        file[32..40].copy_from_slice(&64u64.to_le_bytes());
        file[54..56].copy_from_slice(&56u16.to_le_bytes());
        file[56..58].copy_from_slice(&1u16.to_le_bytes());
        let ph = &mut file[64..];
        ph[..4].copy_from_slice(&4u32.to_le_bytes());
        ph[8..16].copy_from_slice(&120u64.to_le_bytes());
        ph[32..40].copy_from_slice(&(notes.len() as u64).to_le_bytes());
        file.extend_from_slice(notes);
        file
    }

    fn note(name: &[u8], kind: u32, desc: &[u8]) -> Vec<u8> {
        let mut note = Vec::new();
        note.extend_from_slice(&(name.len() as u32).to_le_bytes());
        note.extend_from_slice(&(desc.len() as u32).to_le_bytes());
        note.extend_from_slice(&kind.to_le_bytes());
        note.extend_from_slice(name);
        note.resize(note.len().next_multiple_of(4), 0);
        note.extend_from_slice(desc);
        note.resize(note.len().next_multiple_of(4), 0);
        note
    }

    #[test]
    fn the_build_id_is_found_among_the_notes() {
        let id = [0xd0, 0xdf, 0x3e, 0x0e, 0xbd, 0x75, 0x39];
        let mut notes = note(b"GNU\0", 1, &[2, 0, 0, 0, 3, 2, 0, 0]);
        notes.extend(note(b"GNU\0", 3, &id));
        let found = build_id(&mut io::Cursor::new(elf_with_notes(&notes)));
        assert_eq!(found.as_deref(), Some(&id[..]));
        // Another owner's note of the same type is not it; nor is a file that is not ELF.
        let others = note(b"Go\0\0", 3, &id);
        assert_eq!(build_id(&mut io::Cursor::new(elf_with_notes(&others))), None);
        assert_eq!(build_id(&mut io::Cursor::new(b"#!/bin/sh\necho not a program\n".repeat(4))), None);
        // A note that claims more than its section holds ends the search.
        let mut cut = note(b"GNU\0", 3, &id);
        cut[4..8].copy_from_slice(&4096u32.to_le_bytes());
        assert_eq!(build_id(&mut io::Cursor::new(elf_with_notes(&cut))), None);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn the_running_program_has_a_build_id() {
        let mut file = std::fs::File::open("/proc/self/exe").unwrap();
        assert!(build_id(&mut file).is_some_and(|id| id.len() >= 16));
        assert!(program().is_some());
    }

    #[test]
    fn parts_that_run_together_differ() {
        let ab_c = Digest::new().text("ab").text("c").finish();
        let a_bc = Digest::new().text("a").text("bc").finish();
        assert_ne!(ab_c, a_bc);
        let one = Digest::new().value(&("a", 1)).unwrap().finish();
        let other = Digest::new().value(&("a", 2)).unwrap().finish();
        assert_ne!(one, other);
    }

    /// Two fields of which either may be left out, as views leave out
    /// what a brief does not have.
    #[derive(Serialize)]
    struct Sparse {
        #[serde(skip_serializing_if = "Option::is_none")]
        first: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        second: Option<String>,
    }

    #[test]
    fn values_that_tera_sees_differently_digest_differently() {
        let digest = |value: &serde_json::Value| Digest::new().value(value).unwrap().finish();
        let sparse = |first: Option<&str>, second: Option<&str>| {
            let value = Sparse { first: first.map(String::from), second: second.map(String::from) };
            (Digest::new().value(&value).unwrap().finish(), serde_json::to_string(&value).unwrap())
        };
        // Pairs whose JSON differs but whose pieces, run together, would not.
        let pairs = [
            (serde_json::json!(["ab", "c"]), serde_json::json!(["a", "bc"])),
            (serde_json::json!([[1], [2]]), serde_json::json!([[1, 2]])),
            (serde_json::json!([[1, 2], []]), serde_json::json!([[1], [2]])),
            (serde_json::json!({"a": "b", "c": ""}), serde_json::json!({"a": "", "b": "c"})),
            (serde_json::json!({"a": {"b": 1}, "c": 2}), serde_json::json!({"a": {"b": 1, "c": 2}})),
            (serde_json::json!([null]), serde_json::json!([])),
            (serde_json::json!(1), serde_json::json!(1.0)),
            (serde_json::json!(""), serde_json::json!(null)),
            (serde_json::json!(true), serde_json::json!("true")),
        ];
        for (a, b) in &pairs {
            assert_ne!(a.to_string(), b.to_string());
            assert_ne!(digest(a), digest(b), "{a} and {b} digest alike");
            assert_eq!(digest(a), digest(&a.clone()));
        }
        let fed: Vec<_> =
            [(Some("x"), None), (None, Some("x")), (None, None), (Some("x"), Some("")), (Some(""), Some("x"))]
                .into_iter()
                .map(|(first, second)| sparse(first, second))
                .collect();
        for (i, (digest, json)) in fed.iter().enumerate() {
            for (other, other_json) in &fed[i + 1..] {
                assert_ne!(json, other_json);
                assert_ne!(digest, other, "{json} and {other_json} digest alike");
            }
        }
    }

    #[test]
    fn impure_functions_are_found() {
        assert!(impure("<p>{{ get_env(name=\"BUILD\", default=\"\") }}</p>"));
        assert!(impure("<p>{{ now() | date(format=\"%Y\") }}</p>"));
        assert!(impure("{% set n = get_random(end=10) %}"));
        assert!(impure("{{ get_env\n  (name=\"GIT_SHA\", default=\"\") }}"));
        assert!(impure("{{ get_env (name=\"GIT_SHA\", default=\"\") }}"));
        assert!(!impure("<p>{{ page.date | human_date }}</p>"));
        // Other names that hold one of theirs are not theirs.
        assert!(!impure("{{ snow(depth=2) }} {{ know_how(x=1) }} {{ my_get_env() }} now, then"));
    }
}
