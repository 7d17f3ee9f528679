//! Serve: the HTTP side. Pages come from the engine only (made in memory, or
//! made when first asked for from the site's own list of files), never from
//! a path a request names, so no request can read a file of its choosing
//! from disk; paths are decoded
//! once and refused if they try to climb (`..`), hide separators
//! (backslashes, NUL) or are not under the site's base path. Only GET and
//! HEAD; the live-reload stream answers same-origin requests only.

use std::convert::Infallible;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::diagnostics::{NoLines, render_human};
use crate::engine::{Pages, Served};
use crate::render::templates::escape_html;
use crate::urls;

/// What the browser is told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// Pages changed: reload.
    Reload,
    /// Only stylesheets changed: swap them in place.
    Css,
    /// The site has problems: show them over the page.
    Problems(String),
    /// The problems are gone: reload to the fixed page.
    Fixed,
}

/// What is being served right now.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub pages: Arc<Pages>,
    /// The problems as the terminal prints them; empty when there are none.
    pub problems: String,
    /// `/` or `/sub/`.
    pub base: String,
    /// The search bundle (`pagefind/...`), made when first asked for.
    /// Each edition's folder (`` or `fr/`) and its search bundle.
    pub search: Vec<(String, Arc<crate::render::search::Lazy>)>,
}

pub struct Shared {
    pub snapshot: RwLock<Arc<Snapshot>>,
    pub events: broadcast::Sender<LiveEvent>,
    /// `Host` values this server answers to (empty: any, when bound to all
    /// interfaces on purpose).
    pub allowed_hosts: Vec<String>,
}

const EVENTS: &str = "__sitrep/events";
const LIVE_JS: &str = "__sitrep/live.js";

pub async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")], "only GET and HEAD\n").into_response();
    }
    let headers = request.headers();
    if !host_allowed(headers, &shared.allowed_hosts) {
        return (StatusCode::FORBIDDEN, "unknown Host\n").into_response();
    }
    let snapshot = shared.snapshot.read().unwrap_or_else(PoisonError::into_inner).clone();
    let raw = request.uri().path();
    let Some(rel) = raw.strip_prefix(snapshot.base.as_str()) else {
        if raw == "/" || format!("{raw}/") == snapshot.base {
            return redirect(&snapshot.base);
        }
        return not_found(&snapshot, method);
    };
    let response = match rel {
        EVENTS => return live_events(&shared, headers),
        LIVE_JS => bytes_response("text/javascript; charset=utf-8", include_bytes!("live.js").to_vec()),
        _ => match resolve(rel) {
            Err(status) => (status, "bad path\n").into_response(),
            // A file may be made on asking (a page of a site just laid
            // out, a download of 100,000 briefs): not on the threads that
            // answer every other request.
            Ok(key) => {
                let raw = raw.to_string();
                let made = tokio::task::spawn_blocking(move || serve_page(&snapshot, &key, &raw)).await;
                made.unwrap_or_else(|_| {
                    (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be made\n").into_response()
                })
            }
        },
    };
    if method == Method::HEAD { strip_body(response) } else { response }
}

/// Decodes a request path (relative to the base path) into an output key
/// such as `briefs/x/index.html`, or refuses it.
pub fn resolve(rel: &str) -> Result<String, StatusCode> {
    let decoded = percent_encoding::percent_decode_str(rel).decode_utf8().map_err(|_| StatusCode::BAD_REQUEST)?;
    if decoded.contains(['\\', '\0']) {
        return Err(StatusCode::BAD_REQUEST);
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        let climbs = *segment == ".." || *segment == ".";
        let empty_inside = segment.is_empty() && i != last;
        if climbs || empty_inside {
            return Err(StatusCode::BAD_REQUEST);
        }
    }
    Ok(urls::output_path_of(&decoded))
}

fn serve_page(snapshot: &Snapshot, key: &str, raw_path: &str) -> Response {
    let pages = &snapshot.pages;
    if pages.is_empty() {
        // No build has succeeded yet: show the problems, and reload when fixed.
        return problem_page(&snapshot.base, "The site could not be built", &snapshot.problems);
    }
    let bundled = || {
        snapshot.search.iter().find_map(|(folder, search)| {
            let rest = key.strip_prefix(folder.as_str())?;
            let in_bundle = rest.strip_prefix(crate::render::search::BUNDLE).is_some_and(|r| r.starts_with('/'));
            if in_bundle { search.file(rest).map(Ok) } else { None }
        })
    };
    match pages.get(key).map(Served::bytes).or_else(bundled) {
        Some(Ok(bytes)) if key.ends_with(".html") => html_response(&snapshot.base, bytes.to_vec()),
        Some(Ok(bytes)) => bytes_response(&content_type(key), bytes.to_vec()),
        // A page made when asked for, before the whole site was checked.
        Some(Err(problem)) => {
            let text = render_human(std::slice::from_ref(&*problem), &NoLines);
            problem_page(&snapshot.base, "This page could not be made", &text)
        }
        None => {
            // `/briefs/x` → `/briefs/x/`, as static hosts do.
            let folder = urls::output_path_of(&format!("{key}/"));
            if !key.ends_with(".html") && pages.contains_key(folder.as_str()) {
                redirect(&format!("{raw_path}/"))
            } else {
                not_found(snapshot, Method::GET)
            }
        }
    }
}

/// A page showing `problems` in place of the page asked for; it reloads
/// when they are fixed.
fn problem_page(base: &str, heading: &str, problems: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>sitrep: {heading}</title></head><body><h1>{heading}</h1><pre>{}</pre></body></html>",
        escape_html(problems)
    );
    let mut response = html_response(base, body.into_bytes());
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    response
}

fn not_found(snapshot: &Snapshot, method: Method) -> Response {
    let page = snapshot.pages.get(urls::not_found().output_path().as_str()).and_then(|page| page.bytes().ok());
    let mut response = match page {
        Some(page) => html_response(&snapshot.base, page.to_vec()),
        None => "not found\n".into_response(),
    };
    *response.status_mut() = StatusCode::NOT_FOUND;
    if method == Method::HEAD { strip_body(response) } else { response }
}

fn content_type(key: &str) -> String {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "javascript" | "json" | "xml" | "atom+xml" | "geo+json" | "svg");
    if key.ends_with(".geojson") {
        "application/geo+json".into()
    } else if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// An HTML page with the live-reload script added before `</body>`.
fn html_response(base: &str, mut html: Vec<u8>) -> Response {
    let tag =
        format!("<script src=\"{base}{LIVE_JS}\" data-events=\"{base}{EVENTS}\"></script>", base = escape_html(base));
    let at = find_last(&html, b"</body>").unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    bytes_response("text/html; charset=utf-8", html)
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w.eq_ignore_ascii_case(needle))
}

fn bytes_response(content_type: &str, bytes: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(content_type).expect("valid content type"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    response
}

fn redirect(to: &str) -> Response {
    (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to.to_string())], "").into_response()
}

fn strip_body(response: Response) -> Response {
    let (parts, _) = response.into_parts();
    Response::from_parts(parts, Body::empty())
}

fn host_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    if allowed.is_empty() {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    allowed.iter().any(|a| a.eq_ignore_ascii_case(host))
}

/// The Server-Sent Events stream of `LiveEvent`s. Refused to other origins:
/// a page elsewhere must not learn when, or with what errors, the site rebuilds.
fn live_events(shared: &Shared, headers: &HeaderMap) -> Response {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let origin_ok = headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .is_none_or(|origin| origin == format!("http://{host}"));
    let fetch_site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|site| site == "same-origin" || site == "none");
    if !(origin_ok && fetch_site_ok) {
        return (StatusCode::FORBIDDEN, "the live-reload stream is for this site's own pages\n").into_response();
    }
    // Subscribed before the problems are read: an event sent in between is
    // not lost (the whole site may be made and checked at that moment).
    let updates = BroadcastStream::new(shared.events.subscribe()).filter_map(Result::ok);
    let problems = shared.snapshot.read().unwrap_or_else(PoisonError::into_inner).problems.clone();
    let first = (!problems.is_empty()).then_some(LiveEvent::Problems(problems));
    let stream = tokio_stream::iter(first).chain(updates).map(|event| Ok::<_, Infallible>(to_sse(event)));
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}

fn to_sse(event: LiveEvent) -> Event {
    match event {
        LiveEvent::Reload => Event::default().event("reload").data("reload"),
        LiveEvent::Css => Event::default().event("css").data("css"),
        LiveEvent::Problems(text) => Event::default().event("problems").data(text),
        LiveEvent::Fixed => Event::default().event("fixed").data("fixed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_to_output_keys() {
        assert_eq!(resolve(""), Ok("index.html".into()));
        assert_eq!(resolve("briefs/x/"), Ok("briefs/x/index.html".into()));
        assert_eq!(resolve("style.css"), Ok("style.css".into()));
        assert_eq!(resolve("caf%C3%A9/"), Ok("café/index.html".into()));
    }

    #[test]
    fn climbing_and_hidden_separators_are_refused() {
        for bad in [
            "../etc/passwd",
            "a/../../x",
            "%2e%2e/x",
            "%2E%2E%2Fx",
            "a%5C..%5Cx",
            "..%5cx",
            "/etc/passwd",
            "a//b",
            "%00",
            "./x",
            "%ff",
        ] {
            assert_eq!(resolve(bad), Err(StatusCode::BAD_REQUEST), "{bad}");
        }
    }

    #[test]
    fn text_types_carry_a_charset() {
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("data/x.json"), "application/json; charset=utf-8");
        assert_eq!(content_type("x.geojson"), "application/geo+json");
        assert_eq!(content_type("img/a.png"), "image/png");
    }
}
