//! Integration tests: the real `sitrep` binary on real sites, one module per
//! feature. See README.md in this folder for how to add a test.

mod harness;

mod bilingual;
mod browser;
mod build;
mod countries;
mod data;
mod editors;
mod exports;
mod feeds;
mod groups;
mod html_validity;
mod languages;
mod layout;
mod maps;
mod output_safety;
mod properties;
mod publishing;
mod reuse;
mod search;
mod serve;
mod synthetic;
mod templates;
mod trust;
mod validation;
