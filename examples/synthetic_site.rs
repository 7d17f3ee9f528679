//! Writes a synthetic site for benchmarks and manual testing:
//!
//!     cargo run --release --example synthetic_site -- 10000 /tmp/synthetic
//!
//! N generated briefs over 30 real countries and 200 invented groups. Every
//! brief says it is synthetic; none describes a real event.

#[path = "../tests/support/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), Some(dir)) = (args.first().and_then(|n| n.replace('_', "").parse::<usize>().ok()), args.get(1))
    else {
        eprintln!("usage: synthetic_site BRIEFS OUTPUT_DIR [SEED]");
        return std::process::ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    let root = std::path::Path::new(dir);
    if root.join("content").exists() {
        eprintln!("{} already holds a site; choose an empty folder", root.display());
        return std::process::ExitCode::from(2);
    }
    match synthetic::write_site(root, count, seed) {
        Ok(generated) => {
            println!(
                "wrote {} synthetic briefs and {} groups to {}",
                generated.briefs.len(),
                generated.groups.len(),
                root.display()
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write the site: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
