//! `sitrep serve`: builds the site into memory, serves it over HTTP, watches
//! the site's files and rebuilds what each change touches, telling open
//! pages to reload (or to show the problems) over Server-Sent Events.
//! Never writes to the output folder.

pub mod http;
pub mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Instant;

use thiserror::Error;
use tokio::sync::broadcast;

use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::engine::{BuildOptions, Change, Engine, Pages, Served};
use http::{LiveEvent, Shared, Snapshot};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

#[derive(Debug, Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify_debouncer_full::notify::Error),
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

impl From<ServeError> for Diagnostic {
    fn from(e: ServeError) -> Diagnostic {
        let help = match &e {
            ServeError::Listen { .. } => "another program may use the port: pass --port with another number, or 0",
            ServeError::Watch(_) => "check the permissions of the site's folders",
            ServeError::Runtime(_) => "try again; if it persists, please report it",
        };
        Diagnostic::error(Code::Serve, "(sitrep serve)", Pos::WHOLE_FILE, e.to_string()).with_help(help)
    }
}

/// Serves until interrupted (Ctrl-C). Returns the problem that stopped it
/// from starting: no site in the folder, or no way to listen or watch.
pub fn run(options: ServeOptions) -> Result<(), Diagnostic> {
    let started = Instant::now();
    // Files change under a preview while it renders: it holds the texts
    // it read.
    let build = crate::engine::BuildOptions { texts: crate::model::text::Keep::Held, ..options.build.clone() };
    let mut engine = Engine::load(&options.root, build);
    if let Some(problem) = engine.not_a_site() {
        return Err(problem.clone());
    }
    // Laid out, the site is served at once, each page made as it is first
    // asked for; the whole site is made and checked just after. A site that
    // cannot be laid out is built (and its problems reported) first.
    let laid_out = engine.lay_out();
    if !laid_out {
        engine.apply(&[]);
        report(&engine);
    }

    let addr = SocketAddr::new(options.bind, options.port);
    let listener = std::net::TcpListener::bind(addr).map_err(|source| ServeError::Listen { addr, source })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Listen { addr, source })?;
    let base = engine.base_path();
    let url = format!("http://{addr}{base}");
    let title = engine.site().map(|s| s.config.title.clone()).unwrap_or_else(|| "the site".into());
    let how = if laid_out { "ready" } else { "built" };
    println!("Serving {title} at {url} ({how} in {} ms)", started.elapsed().as_millis());
    println!("Watching content/, templates/, i18n/, static/ and site.yaml for changes. Press Ctrl-C to stop.");
    let _ = std::io::stdout().flush();

    let allowed_hosts = if options.bind.is_unspecified() {
        Vec::new()
    } else {
        let port = addr.port();
        vec![addr.to_string(), format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}")]
    };
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared { snapshot: RwLock::new(Arc::new(snapshot(&engine))), events, allowed_hosts });

    let (mut watcher, changes) = watch::watch(&options.root).map_err(ServeError::Watch)?;
    let for_rebuilds = shared.clone();
    std::thread::spawn(move || {
        if laid_out {
            complete(&mut engine, &for_rebuilds);
        }
        for mut batch in changes {
            batch.extend(watcher.watch_new_folders());
            rebuild(&mut engine, &batch, &for_rebuilds);
        }
    });

    if options.open
        && let Err(e) = open::that_detached(&url)
    {
        eprintln!("could not open a browser: {e}");
    }

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(ServeError::Runtime)?;
    runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(ServeError::Runtime)?;
        let listener = tokio::net::TcpListener::from_std(listener).map_err(ServeError::Runtime)?;
        let app = axum::Router::new().fallback(http::handle).with_state(shared);
        tokio::select! {
            result = accept(listener, app) => result.map_err(ServeError::Runtime),
            _ = tokio::signal::ctrl_c() => Ok(()),
        }
    })?;
    Ok(())
}

/// How long a client may take to send a request's headers (the first, or
/// the next on a kept-alive connection) before its connection is closed: a
/// browser sends them at once; a client that trickles them ("slow loris")
/// would otherwise hold a connection for ever.
pub const HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The most connections served at once (open pages keep one each for live
/// reload). Past it, new connections wait for one to close, which slow
/// clients do within [`HEADER_TIMEOUT`]; it stays well under the usual limit
/// of 1,024 open files a process has.
pub const MAX_CONNECTIONS: usize = 512;

/// Accepts connections and serves each on its own task, with the header
/// timeout and the cap above.
async fn accept(listener: tokio::net::TcpListener, app: axum::Router) -> std::io::Result<()> {
    use tower::ServiceExt;
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
    let http = Arc::new(http);
    loop {
        let slot = slots.clone().acquire_owned().await.expect("the semaphore is never closed");
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors, or the client gave up: keep serving.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        let app = app.clone();
        let http = http.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                app.clone().oneshot(request.map(axum::body::Body::new))
            });
            let _ = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service).await;
            drop(slot);
        });
    }
}

fn rebuild(engine: &mut Engine, batch: &[Change], shared: &Shared) {
    let started = Instant::now();
    let had_errors = engine.has_errors();
    // The engine catches its own panics; the lock is held only to swap a pointer.
    let outcome = engine.apply(batch);
    let next = Arc::new(snapshot(engine));
    // The snapshot replaced is freed once open pages are told (freeing a
    // site of 10,000 briefs takes milliseconds that a reload need not wait for).
    let replaced = std::mem::replace(&mut *shared.snapshot.write().unwrap_or_else(PoisonError::into_inner), next);
    let event = if engine.has_errors() {
        Some(LiveEvent::Problems(engine.problems_text()))
    } else if had_errors {
        Some(LiveEvent::Fixed)
    } else if outcome.pages_changed == 0 {
        None
    } else if outcome.only_css {
        Some(LiveEvent::Css)
    } else {
        Some(LiveEvent::Reload)
    };
    if let Some(event) = event {
        let _ = shared.events.send(event);
    }
    drop(replaced);
    let what = describe(batch);
    let time = chrono::Local::now().format("%H:%M:%S");
    // The terminal may be gone (a closed pipe); the server must go on.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "[{time}] {what}: {} pages updated in {} ms",
        outcome.pages_changed,
        started.elapsed().as_millis()
    );
    let _ = out.flush();
    drop(out);
    report(engine);
}

/// Makes and checks the whole site after it was laid out. Open pages are
/// told only what changes them: problems found, or a file they were served
/// that is made otherwise now (a stylesheet saved meanwhile: static files
/// are read when they are made).
fn complete(engine: &mut Engine, shared: &Shared) {
    let started = Instant::now();
    let served = engine.pages();
    let outcome = engine.apply(&[]);
    *shared.snapshot.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(snapshot(engine));
    let event = if engine.has_errors() {
        Some(LiveEvent::Problems(engine.problems_text()))
    } else {
        since_served(&served, &engine.pages())
    };
    if let Some(event) = event {
        let _ = shared.events.send(event);
    }
    let time = chrono::Local::now().format("%H:%M:%S");
    let took = started.elapsed().as_millis();
    let mut out = std::io::stdout().lock();
    let _ = if engine.has_errors() {
        writeln!(out, "[{time}] the whole site made and its links checked in {took} ms: it has problems")
    } else {
        writeln!(
            out,
            "[{time}] the whole site made and its links checked: {} files in {took} ms",
            outcome.pages_changed
        )
    };
    let _ = out.flush();
    drop(out);
    report(engine);
}

/// What pages served from the site as laid out (`served`) must do now
/// that the whole site is made (`now`, from the same inputs): swap their
/// stylesheets, reload, or nothing if every file they may have been given
/// is the same. A file that could not be made then is stale (it may have
/// been missing for a moment, as an editor saves); a download still left
/// for later is made from the same model as the one given, and is the same.
fn since_served(served: &Pages, now: &Pages) -> Option<LiveEvent> {
    let stale: Vec<&str> = served
        .iter()
        .filter_map(|(path, file)| {
            let given = file.given()?;
            let same = match (given, now.get(path).map(|file| (file, file.given()))) {
                (Ok(given), Some((_, Some(Ok(made))))) => made == given,
                (Ok(_), Some((Served::Later(_), None))) => true,
                _ => false,
            };
            (!same).then_some(&**path)
        })
        .collect();
    match stale {
        _ if stale.is_empty() => None,
        _ if stale.iter().all(|path| path.ends_with(".css")) => Some(LiveEvent::Css),
        _ => Some(LiveEvent::Reload),
    }
}

fn describe(batch: &[Change]) -> String {
    match batch {
        [Change::Content(path)] => path.display().to_string(),
        [Change::Templates] => "templates".into(),
        [Change::Static] => "static files".into(),
        _ => format!("{} changes", batch.len()),
    }
}

fn snapshot(engine: &Engine) -> Snapshot {
    Snapshot {
        pages: engine.pages(),
        problems: if engine.has_errors() { engine.problems_text() } else { String::new() },
        base: engine.base_path(),
        search: engine.search(),
    }
}

fn report(engine: &Engine) {
    if !engine.problems().is_empty() {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{}", engine.problems_text());
        if engine.has_errors() {
            let _ = match engine.site() {
                Some(_) if engine.checked() => writeln!(err, "the last good version of the site is still served"),
                Some(_) => {
                    writeln!(err, "its pages are made as they are asked for, with these problems shown over them")
                }
                None => writeln!(
                    err,
                    "the site could not be built yet; open pages show these problems until they are fixed"
                ),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(files: &[(&str, &str)]) -> Pages {
        files.iter().map(|(path, text)| (Arc::from(*path), Served::Ready(text.as_bytes().into()))).collect()
    }

    #[test]
    fn pages_served_before_the_whole_site_was_made_are_told_what_changed_since() {
        let served = pages(&[("index.html", "<p>a</p>"), ("style.css", "body {}")]);
        assert_eq!(since_served(&served, &served.clone()), None);
        let css = pages(&[("index.html", "<p>a</p>"), ("style.css", "body { color: navy }")]);
        assert_eq!(since_served(&served, &css), Some(LiveEvent::Css));
        let html = pages(&[("index.html", "<p>b</p>"), ("style.css", "body {}")]);
        assert_eq!(since_served(&served, &html), Some(LiveEvent::Reload));
        let gone = pages(&[("style.css", "body {}")]);
        assert_eq!(since_served(&served, &gone), Some(LiveEvent::Reload));
    }

    /// A synthetic site with a stylesheet, laid out by an engine.
    fn laid_out() -> (tempfile::TempDir, Engine) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
            std::fs::write(path, text).expect("written");
        };
        write("site.yaml", "title: Synthetic serve test\nbase_url: https://example.org/\nsearch: true\n");
        write("static/style.css", "body { color: black; }\n");
        for name in ["a", "b"] {
            write(
                &format!("content/briefs/{name}.md"),
                &format!(
                    "---\ntitle: Synthetic {name}\ndate: 2023-01-05\ncountry: NE\nfatalities: 3\n---\nSynthetic text.\n"
                ),
            );
        }
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).expect("a date");
        let options = BuildOptions {
            model: crate::model::ModelOptions { drafts: false, today },
            base_url: None,
            strict: false,
            texts: crate::model::text::Keep::Held,
        };
        let mut engine = Engine::load(dir.path(), options);
        assert!(engine.lay_out(), "{}", engine.problems_text());
        (dir, engine)
    }

    #[test]
    fn files_given_while_the_site_was_laid_out_are_the_whole_sites() {
        let (_dir, mut engine) = laid_out();
        let served = engine.pages();
        for path in ["index.html", "briefs/a/index.html", "style.css", "data/incidents.geojson", "atom.xml"] {
            assert!(served[path].bytes().is_ok(), "{path}");
        }
        engine.apply(&[]);
        assert!(!engine.has_errors(), "{}", engine.problems_text());
        // The downloads are left for later again, made from the same model.
        assert!(matches!(engine.pages()["data/incidents.geojson"], Served::Later(_)));
        assert_eq!(since_served(&served, &engine.pages()), None);
    }

    #[test]
    fn a_stylesheet_missing_for_a_moment_while_the_site_was_laid_out_is_given_again() {
        let (dir, mut engine) = laid_out();
        let served = engine.pages();
        // An editor's save: the file is replaced by renaming, gone for a moment.
        let css = dir.path().join("static/style.css");
        let aside = dir.path().join("static/.style.css.swp");
        std::fs::rename(&css, &aside).expect("moved");
        let problem = served["style.css"].bytes().expect_err("the file is gone");
        // Named from the site's folder, as the page showing it may be seen by others.
        assert_eq!(problem.file, std::path::Path::new("static/style.css"));
        std::fs::rename(&aside, &css).expect("moved back");
        engine.apply(&[]);
        assert_eq!(since_served(&served, &engine.pages()), Some(LiveEvent::Css));
    }
}
