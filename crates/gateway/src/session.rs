//! Browser sessions: the token of a sign-in link (`/sign-in#token=…`, printed by
//! `reform token --link` and by `serve`) exchanged for an HttpOnly cookie, which
//! `/graphql` and its WebSocket then take as credentials when no `Authorization`
//! header is sent. The cookie holds the token itself and lives exactly as long: it is
//! verified on every request by the same [`Keys::verify`] as a bearer token, so roles,
//! agencies and jurisdictions are those of the token, and nothing is kept on the server.
//!
//! Cross-site requests cannot ride the cookie: it is `SameSite=Strict`; `/graphql`
//! takes only `application/json` bodies (which a cross-site page cannot send without a
//! CORS preflight) and refuses a cookie-authenticated request whose `Origin` is neither
//! this server nor an allowed origin; `POST /session` asks the same of the page that
//! signs in, so another site cannot sign a browser in as someone else.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use cookie::{Cookie, SameSite};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{Keys, Viewer};
use crate::error::ApiError;
use crate::limits::Caller;
use crate::server::{peer_address, refuse, AppState, Peer};

/// The session cookie's name.
pub(crate) const COOKIE: &str = "reform_session";

/// The session token a request's `Cookie` header carries, if any.
pub(crate) fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == COOKIE)
        .map(|cookie| cookie.value().to_owned())
}

/// Whether a browser request comes from a page of this server (its `Origin` names the
/// `Host` it was sent to) or of an allowed origin; a request without `Origin` was not
/// sent by a page of another site.
pub(crate) fn origin_allowed(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let same_site = origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest == host);
    same_site || allowed.iter().any(|o| o == origin)
}

/// The viewer a session cookie stands for: the token verified as a bearer token is,
/// refused in the words of a session.
pub(crate) fn verify(keys: &Keys, token: &str) -> Result<Viewer, ApiError> {
    keys.verify(token).map_err(|_| ended())
}

/// A session cookie refused: its token expired, or was never this server's.
pub(crate) fn ended() -> ApiError {
    ApiError::Unauthenticated(
        "the session has ended or is not valid; sign in again with a new link (`reform token --link`)"
            .into(),
    )
}

/// Whether the cookie must be `Secure`: when the page was served over HTTPS (its
/// `Origin`), as behind a TLS-terminating proxy; plain `http://` on loopback could not
/// keep a secure cookie.
fn over_https(headers: &HeaderMap) -> bool {
    headers
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .is_some_and(|origin| origin.starts_with("https://"))
}

/// The `Set-Cookie` value for `token`, living `max_age_secs`.
fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> Option<HeaderValue> {
    let cookie = Cookie::build((COOKIE, token))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age_secs.max(0)))
        .build();
    HeaderValue::from_str(&cookie.to_string()).ok()
}

#[derive(Deserialize)]
struct SignIn {
    token: String,
}

/// `POST /session` with `{"token": "…"}`: the token verified as a bearer token is, and
/// on success the session cookie set for the token's lifetime; the answer says who
/// signed in and until when.
pub(crate) async fn sign_in(
    State(state): State<Arc<AppState>>,
    peer: Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let refuse = |status: StatusCode, error: ApiError| {
        state.metrics.error(error.code());
        refuse(status, error)
    };
    if let Some(limiter) = &state.limiter {
        if let Err(error) = limiter.check(&Caller::Address(peer_address(peer))) {
            return refuse(StatusCode::TOO_MANY_REQUESTS, error);
        }
    }
    if !crate::server::is_json(&headers) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::bad_input(
                "Content-Type",
                "send the request as Content-Type: application/json",
            ),
        );
    }
    if !origin_allowed(&headers, &state.options.cors_origins) {
        return refuse(
            StatusCode::FORBIDDEN,
            ApiError::Forbidden("sign in from this server's own sign-in page".into()),
        );
    }
    let Ok(SignIn { token }) = serde_json::from_slice::<SignIn>(&body) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            ApiError::bad_input("token", "send {\"token\": \"…\"} from a sign-in link"),
        );
    };
    let (viewer, expires) = match state.keys.verify_expiring(token.trim()) {
        Ok(verified) => verified,
        Err(error) => return refuse(StatusCode::UNAUTHORIZED, error),
    };
    let max_age = (expires - Utc::now()).num_seconds();
    let Some(cookie) = session_cookie(token.trim(), max_age, over_https(&headers)) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            ApiError::bad_input("token", "the token holds characters a cookie cannot"),
        );
    };
    let mut response = Json(json!({
        "userId": viewer.actor.user_id,
        "name": viewer.actor.display_name,
        "role": viewer.role().code(),
        "jurisdiction": viewer.jurisdiction,
        "expires": expires.to_rfc3339(),
    }))
    .into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `POST /session/sign-out`: the session cookie cleared (whatever it held).
pub(crate) async fn sign_out(headers: HeaderMap) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(cookie) = session_cookie("", 0, over_https(&headers)) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_read_among_others_and_its_attributes_are_strict() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; reform_session=abc.def.ghi; lang=vi"),
        );
        assert_eq!(cookie_token(&headers).as_deref(), Some("abc.def.ghi"));
        assert_eq!(cookie_token(&HeaderMap::new()), None);

        let set = session_cookie("abc.def.ghi", 3_600, false).expect("a header value");
        let set = set.to_str().expect("text");
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=3600"] {
            assert!(set.contains(attribute), "{set} lacks {attribute}");
        }
        assert!(!set.contains("Secure"), "{set}");
        let secure = session_cookie("t", 10, true).expect("a header value");
        assert!(secure.to_str().expect("text").contains("Secure"));
        let cleared = session_cookie("", -5, false).expect("a header value");
        assert!(cleared.to_str().expect("text").contains("Max-Age=0"));
    }

    #[test]
    fn an_origin_is_allowed_when_it_is_the_host_itself_or_listed() {
        let headers = |origin: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
            h.insert(header::ORIGIN, HeaderValue::from_static(origin));
            h
        };
        assert!(origin_allowed(&headers("http://127.0.0.1:8080"), &[]));
        assert!(!origin_allowed(&headers("http://evil.example"), &[]));
        assert!(origin_allowed(
            &headers("http://dash.example"),
            &["http://dash.example".to_owned()]
        ));
        assert!(origin_allowed(&HeaderMap::new(), &[]));
    }
}
