//! The web app's pages and their files, embedded in the binary (`web/app/` ours,
//! `web/vendor/` taken from npm by `web/vendor.sh`), so that no request leaves the
//! server's origin and nothing is built at run time. The pages are static: each
//! asks `/graphql` for its figures, as any dashboard client would.
//!
//! Every page is sent with a strict Content-Security-Policy (scripts, styles and
//! connections from this origin only, no inline script), every file with its
//! content type and an ETag (its SHA-256), revalidated on each use.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use rust_embed::{EmbeddedFile, RustEmbed};

use crate::server::AppState;

/// Our pages, styles and modules.
#[derive(RustEmbed)]
#[folder = "../../web/app/"]
struct App;

/// Third-party files, as `web/vendor.sh` took them from npm (licences beside them).
#[derive(RustEmbed)]
#[folder = "../../web/vendor/"]
struct Vendor;

/// The app's pages: this origin only, no inline script or style, no framing.
const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// GraphiQL's page: this origin only and no inline script, but its editor sets
/// inline styles.
const GRAPHIQL_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// The routes of the pages and their files (GraphiQL's is added by the server when
/// it serves GraphiQL).
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(home))
        .route("/sign-in", get(sign_in))
        .route("/nhiem-vu", get(tasks))
        .route("/nhiem-vu/{id}", get(task))
        .route("/ke-hoach", get(plans))
        .route("/ke-hoach/{id}", get(plan))
        .route("/co-quan", get(agencies))
        .route("/co-quan/{id}", get(agency))
        .route("/danh-gia", get(evaluations))
        .route("/chi-so", get(indicators))
        .route("/trach-nhiem", get(accountability))
        .route("/assets/app/{*path}", get(app_file))
        .route("/assets/vendor/{*path}", get(vendor_file))
}

/// `/`: the overview for a signed-in viewer; else a page saying how to sign in.
async fn home(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    signed_in_page(&state, &headers, "pages/overview.html")
}

/// `/nhiem-vu`: the task list (an officer's opens on their agency's tasks).
async fn tasks(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    signed_in_page(&state, &headers, "pages/tasks.html")
}

/// `/nhiem-vu/<id>`: a task's page (the module reads the id from the address).
async fn task(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    signed_in_page(&state, &headers, "pages/task.html")
}

/// `/ke-hoach`: the plans under each program.
async fn plans(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    signed_in_page(&state, &headers, "pages/plans.html")
}

/// `/ke-hoach/<id>`: a plan's page, with the upload of its task table.
async fn plan(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    signed_in_page(&state, &headers, "pages/plan.html")
}

/// `/co-quan`: the agencies, sortable by the API's orders.
async fn agencies(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    signed_in_page(&state, &headers, "pages/agencies.html")
}

/// `/co-quan/<id>`: an agency's scorecard (the module reads the id from the address).
async fn agency(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    signed_in_page(&state, &headers, "pages/agency.html")
}

/// `/danh-gia`: PAR INDEX league tables, SIPAS and one-stop dossier statistics.
async fn evaluations(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    signed_in_page(&state, &headers, "pages/evaluations.html")
}

/// `/chi-so`: each indicator's trajectory against its target path.
async fn indicators(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    signed_in_page(&state, &headers, "pages/indicators.html")
}

/// `/trach-nhiem`: accountability by head of agency, with the no-reward flag.
async fn accountability(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    signed_in_page(&state, &headers, "pages/accountability.html")
}

/// The page `name` for a signed-in viewer; else the page saying how to sign in.
fn signed_in_page(state: &AppState, headers: &HeaderMap, name: &str) -> Response {
    let signed_in = crate::session::cookie_token(headers)
        .is_some_and(|token| crate::session::verify(&state.keys, &token).is_ok());
    let name = if signed_in {
        name
    } else {
        "pages/signed-out.html"
    };
    let mut response = page(name, PAGE_POLICY);
    // The same address answers two pages, by the cookie.
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Cookie"));
    response
}

/// `/sign-in#token=…`: the page that exchanges the link's token for a session.
async fn sign_in() -> Response {
    page("pages/sign-in.html", PAGE_POLICY)
}

/// `/graphiql`: GraphiQL from the bundled files, using the session when signed in.
pub(crate) async fn graphiql() -> Response {
    page("pages/graphiql.html", GRAPHIQL_POLICY)
}

async fn app_file(Path(path): Path<String>, headers: HeaderMap) -> Response {
    file(App::get(&path), &headers)
}

async fn vendor_file(Path(path): Path<String>, headers: HeaderMap) -> Response {
    file(Vendor::get(&path), &headers)
}

/// A page of `web/app/` with its policy; never stored by caches (which page `/` is
/// depends on the session).
fn page(name: &str, policy: &'static str) -> Response {
    let Some(embedded) = App::get(name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        embedded.data.into_owned(),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    secure_headers(headers);
    response
}

/// A file with its type and ETag; `304 Not Modified` when the client has it.
fn file(embedded: Option<EmbeddedFile>, request: &HeaderMap) -> Response {
    let Some(embedded) = embedded else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let hash = embedded.metadata.sha256_hash();
    let etag = format!("\"{}\"", hex(&hash[..16]));
    let fresh = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let kind = match embedded.metadata.mimetype() {
            // Text is UTF-8 here; say so, so that Vietnamese is never misread.
            text if text.starts_with("text/") || text.ends_with("javascript") => {
                format!("{text}; charset=utf-8")
            }
            other => other.to_owned(),
        };
        let mut response = embedded.data.into_owned().into_response();
        if let Ok(kind) = HeaderValue::from_str(&kind) {
            response.headers_mut().insert(header::CONTENT_TYPE, kind);
        }
        response
    };
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    // Kept, but asked about again each time: a new binary may hold a new file.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    secure_headers(headers);
    response
}

/// What every page and file says to the browser about itself.
fn secure_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_and_the_files_they_name_are_embedded() {
        for page in [
            "pages/overview.html",
            "pages/tasks.html",
            "pages/task.html",
            "pages/plans.html",
            "pages/plan.html",
            "pages/agencies.html",
            "pages/agency.html",
            "pages/evaluations.html",
            "pages/indicators.html",
            "pages/accountability.html",
            "pages/signed-out.html",
            "pages/sign-in.html",
            "pages/graphiql.html",
        ] {
            let html = App::get(page).unwrap_or_else(|| panic!("{page} is embedded"));
            let html = String::from_utf8_lossy(&html.data).into_owned();
            for (attribute, _) in html.match_indices("=\"/assets/") {
                let rest = &html[attribute + 2..];
                let url = &rest[..rest.find('"').unwrap_or(rest.len())];
                let found = if let Some(path) = url.strip_prefix("/assets/app/") {
                    App::get(path).is_some()
                } else if let Some(path) = url.strip_prefix("/assets/vendor/") {
                    Vendor::get(path).is_some()
                } else {
                    false
                };
                assert!(found, "{page} names {url}, which is not embedded");
            }
            assert!(
                !html.contains("<script>") && !html.contains(" style="),
                "{page} holds inline script or style"
            );
        }
    }

    #[test]
    fn a_file_has_its_type_and_etag_and_is_not_sent_again_when_unchanged() {
        let response = file(App::get("css/app.css"), &HeaderMap::new());
        assert_eq!(response.status(), StatusCode::OK);
        let etag = response.headers()[header::ETAG].clone();
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/css; charset=utf-8"
        );
        let mut again = HeaderMap::new();
        again.insert(header::IF_NONE_MATCH, etag);
        let response = file(App::get("css/app.css"), &again);
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(
            file(App::get("nothing.js"), &HeaderMap::new()).status(),
            StatusCode::NOT_FOUND
        );
    }
}
