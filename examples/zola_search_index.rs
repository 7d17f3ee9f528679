//! The search index Zola would make of a site's briefs, for the benchmark
//! of what a reader downloads for a first search (`bench/search_download.mjs`).
//!
//! Zola builds one file, `search_index.<lang>.js`, with elasticlunr-rs
//! (the library its `search` component uses), over each page's title and
//! text by default; a browser fetches the whole of it before the first
//! search. This does the same over `content/briefs/**/*.md`: title from
//! the front matter, the Markdown text after it as the body.
//!
//!     cargo run --release --example zola_search_index -- SITE OUT.js

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (site, out) = match args.as_slice() {
        [_, site, out] => (Path::new(site), Path::new(out)),
        _ => {
            eprintln!("usage: zola_search_index SITE OUT.js");
            std::process::exit(2);
        }
    };
    let mut index = elasticlunr::Index::new(&["title", "body"]);
    let mut count = 0;
    for entry in walkdir::WalkDir::new(site.join("content/briefs")).sort_by_file_name() {
        let entry = entry.expect("the content folder can be read");
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("a brief is UTF-8");
        let rest = text.strip_prefix("---\n").unwrap_or(&text);
        let (front, body) = rest.split_once("\n---\n").unwrap_or(("", rest));
        let title = front.lines().find_map(|l| l.strip_prefix("title: ")).unwrap_or_default().trim_matches('"');
        let stem = entry.path().file_stem().unwrap_or_default().to_string_lossy();
        index.add_doc(&format!("/briefs/{stem}/"), [title, body]);
        count += 1;
    }
    let js = format!("window.searchIndex = {};", index.to_json());
    std::fs::write(out, &js).expect("the index can be written");
    println!("{count} briefs, {} bytes", js.len());
}
