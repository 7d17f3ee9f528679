//! Any bytes as `site.yaml`. What is accepted must be a usable site
//! address: `base_url` gives a base path that starts and ends with `/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(config) = sitrep::fuzzing::site_config(data) {
        let base = config.base_path();
        assert!(base.starts_with('/') && base.ends_with('/'), "base path {base:?}");
        assert!(!base.contains("//") || base == "/", "base path {base:?}");
    }
});
