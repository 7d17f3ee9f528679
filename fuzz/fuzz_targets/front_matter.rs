//! Any bytes as a Markdown file: split into front matter and body, and the
//! YAML parsed with positions. A diagnostic is fine; a panic is not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = sitrep::fuzzing::front_matter(data);
});
