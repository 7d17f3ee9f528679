//! Integration tests: the real binary on real fixture sites.
