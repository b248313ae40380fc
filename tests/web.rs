//! The web app over HTTP against a real `reform serve`: its pages and files come from
//! the server itself (GraphiQL too), a sign-in link becomes a session cookie that
//! `/graphql` and its WebSocket take as the token's viewer, and what a session
//! cannot do (cross-site use, a bad or expired link, after signing out).

use futures::{SinkExt, StreamExt};
use reform_domain::Role;
use reform_gateway::{claims, Keys};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use crate::support::process::{reform, Served, SECRET};
use crate::support::stores::{on_both_engines, TestStore};

const VIEWER: &str = "{ viewer { userId role { code } jurisdiction } }";
const PILLARS: &str =
    "{ programs { number pillarProgress { label percent counts { total overdue } } } }";

/// A sign-in link from `reform token --link` for the server at `base`.
fn link(t: &TestStore, dir: &std::path::Path, base: &str, args: &[&str]) -> String {
    let mut all = vec!["token", "--link", "--base-url", base];
    all.extend_from_slice(args);
    let (code, out, err) = reform(&t.url, dir, &all);
    assert_eq!(code, Some(0), "reform token --link: {err}");
    out.trim().to_owned()
}

/// The token a sign-in link carries in its fragment.
fn token_of(link: &str) -> &str {
    link.split_once("/sign-in#token=")
        .map(|(_, token)| token)
        .unwrap_or_else(|| panic!("not a sign-in link: {link}"))
}

/// `POST /session` from a page of `origin`: status, `Set-Cookie`, body.
async fn sign_in(served: &Served, origin: &str, token: &str) -> (u16, Option<String>, Value) {
    let response = served
        .http
        .post(format!("{}/session", served.base()))
        .header("Origin", origin)
        .json(&json!({ "token": token }))
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().expect("text").to_owned());
    (status, cookie, response.json().await.unwrap_or(Value::Null))
}

/// A GraphQL POST with a cookie and no token: status and body.
async fn with_cookie(
    served: &Served,
    cookie: &str,
    content_type: &str,
    origin: Option<&str>,
    query: &str,
) -> (u16, Value) {
    let mut request = served
        .http
        .post(&served.graphql)
        .header("Cookie", cookie)
        .header("Content-Type", content_type)
        .body(json!({ "query": query }).to_string());
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

/// `name=value` of a `Set-Cookie` header, as a browser sends it back.
fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or_default().to_owned()
}

/// The `Max-Age` a `Set-Cookie` header gives, in seconds.
fn max_age(set_cookie: &str) -> i64 {
    set_cookie
        .split(';')
        .find_map(|a| a.trim().strip_prefix("Max-Age="))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no Max-Age in {set_cookie}"))
}

on_both_engines!(a_sign_in_link_becomes_a_session_the_api_takes_as_the_tokens_viewer);

async fn a_sign_in_link_becomes_a_session_the_api_takes_as_the_tokens_viewer(t: TestStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (status, _, err) = reform(&t.url, dir.path(), &["demo"]);
    assert_eq!(status, Some(0), "reform demo: {err}");
    let served = Served::start(&t.url, dir.path()).await;
    let base = served.base();
    let link = link(
        &t,
        dir.path(),
        &base,
        &[
            "--role",
            "leader",
            "--jurisdiction",
            "VN-HN",
            "--user",
            "chu-tich",
            "--days",
            "2",
        ],
    );
    assert!(
        link.starts_with(&format!("{base}/sign-in#token=")),
        "{link}"
    );
    let token = token_of(&link);

    // The link's token for a cookie: HttpOnly, SameSite=Strict, Path=/, living as long
    // as the token (two days), not Secure over plain http.
    let (status, set, body) = sign_in(&served, &base, token).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["role"], "LEADER");
    assert_eq!(body["jurisdiction"], "VN-HN");
    let set = set.expect("a Set-Cookie header");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set.contains(attribute), "{set} lacks {attribute}");
    }
    assert!(!set.contains("Secure"), "plain http: {set}");
    let lifetime = max_age(&set);
    assert!(
        (2 * 86_400 - 60..=2 * 86_400).contains(&lifetime),
        "the cookie lives as long as the token: {set}"
    );
    let cookie = pair(&set);
    assert!(cookie.starts_with("reform_session="), "{cookie}");
    // A page served over https gets a Secure cookie.
    let https_origin = base.replacen("http://", "https://", 1);
    let (status, secure, _) = sign_in(&served, &https_origin, token).await;
    assert_eq!(status, 200);
    assert!(secure.expect("Set-Cookie").contains("Secure"));

    // The cookie is the token's viewer, and answers as the bearer token does.
    let (status, body) =
        with_cookie(&served, &cookie, "application/json", Some(&base), VIEWER).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["viewer"],
        json!({ "userId": "chu-tich", "role": { "code": "LEADER" }, "jurisdiction": "VN-HN" })
    );
    let (_, by_cookie) = with_cookie(&served, &cookie, "application/json", None, PILLARS).await;
    let by_token = served.ok(token, PILLARS, json!({})).await;
    assert_eq!(by_cookie["data"], by_token, "the same figures either way");
    assert!(
        !by_token["programs"]
            .as_array()
            .expect("programs")
            .is_empty(),
        "the demo's national program is Hà Nội's too"
    );

    // Cross-site use is refused: a form's content type, another site's page.
    let mutation = "mutation { registerAgency(input: { name: \"Sở X\", tier: PROVINCIAL_DEPARTMENT, jurisdiction: \"VN-HN\" }) { version } }";
    let (status, body) = with_cookie(&served, &cookie, "text/plain", Some(&base), mutation).await;
    assert_eq!((status, code(&body)), (415, "BAD_USER_INPUT"), "{body}");
    let (status, body) = with_cookie(
        &served,
        &cookie,
        "application/json",
        Some("http://evil.example"),
        VIEWER,
    )
    .await;
    assert_eq!((status, code(&body)), (403, "FORBIDDEN"), "{body}");
    let (status, _, body) = sign_in(&served, "http://evil.example", token).await;
    assert_eq!((status, code(&body)), (403, "FORBIDDEN"), "{body}");

    // A bad or expired link is refused with its code; an expired cookie too.
    let (status, set, body) = sign_in(&served, &base, "not.a.token").await;
    assert_eq!((status, code(&body)), (401, "UNAUTHENTICATED"), "{body}");
    assert!(set.is_none(), "no cookie for a bad token");
    let keys = Keys::from_secret(SECRET.as_bytes());
    let expired = keys
        .issue(&claims(Role::Leader, "cu", None, Some("VN-HN".into()), -1))
        .map_err(|e| e.message())
        .expect("a token");
    let (status, _, body) = sign_in(&served, &base, &expired).await;
    assert_eq!((status, code(&body)), (401, "UNAUTHENTICATED"), "{body}");
    let stale = format!("reform_session={expired}");
    let (status, body) = with_cookie(&served, &stale, "application/json", None, VIEWER).await;
    assert_eq!((status, code(&body)), (401, "UNAUTHENTICATED"), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("sign in again"),
        "{body}"
    );

    // `/` is the overview when signed in, else how to sign in; so is every page.
    let page_at = |path: &str, cookie: Option<String>| {
        let mut request = served.http.get(format!("{base}{path}"));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        async move {
            let response = request.send().await.expect("the server answers");
            assert_eq!(response.status().as_u16(), 200);
            let policy = response.headers()["content-security-policy"]
                .to_str()
                .expect("text")
                .to_owned();
            assert!(policy.contains("default-src 'self'") && policy.contains("script-src 'self';"));
            response.text().await.expect("the page")
        }
    };
    let page = |cookie: Option<String>| page_at("/", cookie);
    assert!(page(Some(cookie.clone()))
        .await
        .contains("pages/overview.js"));
    for (path, module) in [
        ("/nhiem-vu", "pages/tasks.js"),
        ("/nhiem-vu/VGFzazox", "pages/task.js"),
        ("/ke-hoach", "pages/plans.js"),
        ("/ke-hoach/UGxhbjox", "pages/plan.js"),
        ("/co-quan", "pages/agencies.js"),
        ("/co-quan/QWdlbmN5OjE", "pages/agency.js"),
        ("/danh-gia", "pages/evaluations.js"),
        ("/chi-so", "pages/indicators.js"),
        ("/trach-nhiem", "pages/accountability.js"),
    ] {
        assert!(
            page_at(path, Some(cookie.clone())).await.contains(module),
            "{path}"
        );
        assert!(
            page_at(path, None).await.contains("Bạn chưa đăng nhập"),
            "{path}"
        );
    }
    assert!(page(None).await.contains("Bạn chưa đăng nhập"));
    assert!(page(Some(stale.clone()))
        .await
        .contains("Bạn chưa đăng nhập"));

    // The WebSocket takes the cookie of its upgrade when connection_init has no token.
    let socket_url = served.graphql.replacen("http://", "ws://", 1);
    let open = |cookie: Option<String>| {
        let mut request = socket_url
            .as_str()
            .into_client_request()
            .expect("a request");
        let headers = request.headers_mut();
        headers.insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().expect("a header"),
        );
        if let Some(cookie) = cookie {
            headers.insert("Cookie", cookie.parse().expect("a header"));
        }
        async move {
            let (mut socket, _) = tokio_tungstenite::connect_async(request)
                .await
                .expect("the upgrade");
            socket
                .send(Message::text(
                    json!({ "type": "connection_init", "payload": {} }).to_string(),
                ))
                .await
                .expect("connection_init");
            socket
        }
    };
    let mut socket = open(Some(cookie.clone())).await;
    let heard = |message: Option<Result<Message, _>>| match message {
        Some(Ok(Message::Text(text))) => {
            serde_json::from_str::<Value>(text.as_str()).expect("JSON")
        }
        Some(Ok(Message::Close(Some(frame)))) => json!({ "closed": u16::from(frame.code) }),
        other => panic!("heard {other:?}"),
    };
    let patience = std::time::Duration::from_secs(30);
    let ack = heard(
        tokio::time::timeout(patience, socket.next())
            .await
            .expect("in time"),
    );
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    let programs = served.ok(token, "{ programs { id } }", json!({})).await;
    let program = programs["programs"][0]["id"].as_str().expect("a program");
    let subscription = format!(
        "subscription {{ pillarProgressChanged(programId: \"{program}\") {{ pillars {{ percent }} }} }}"
    );
    socket
        .send(Message::text(
            json!({ "type": "subscribe", "id": "1", "payload": { "query": subscription } })
                .to_string(),
        ))
        .await
        .expect("subscribe");
    let first = heard(
        tokio::time::timeout(patience, socket.next())
            .await
            .expect("in time"),
    );
    assert_eq!(first["type"], "next", "{first}");
    let pillars = &first["payload"]["data"]["pillarProgressChanged"]["pillars"];
    assert_eq!(pillars.as_array().map(Vec::len), Some(7), "{first}");
    let _ = socket.close(None).await;
    let mut refused = open(None).await;
    let closed = heard(
        tokio::time::timeout(patience, refused.next())
            .await
            .expect("in time"),
    );
    assert_eq!(closed["closed"], 4403, "no token, no cookie: {closed}");
    let mut stale_socket = open(Some(stale)).await;
    let closed = heard(
        tokio::time::timeout(patience, stale_socket.next())
            .await
            .expect("in time"),
    );
    assert_eq!(closed["closed"], 4403, "an expired cookie: {closed}");

    // Signing out clears the cookie.
    let response = served
        .http
        .post(format!("{base}/session/sign-out"))
        .header("Cookie", &cookie)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status().as_u16(), 204);
    let cleared = response.headers()["set-cookie"].to_str().expect("text");
    assert!(cleared.starts_with("reform_session=;"), "{cleared}");
    assert_eq!(max_age(cleared), 0, "{cleared}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_and_the_pages_load_everything_from_the_server_itself() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("web.db").display());
    let served = Served::start(&url, dir.path()).await;
    let base = served.base();
    for page in ["/graphiql", "/", "/sign-in"] {
        let response = served
            .http
            .get(format!("{base}{page}"))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(response.status().as_u16(), 200, "{page}");
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .expect("text")
            .to_owned();
        assert!(
            policy.starts_with("default-src 'self'") && policy.contains("script-src 'self';"),
            "{page}: {policy}"
        );
        let html = response.text().await.expect("the page");
        assert!(
            !html.contains("http://") && !html.contains("https://") && !html.contains("src=\"//"),
            "{page} names an absolute address: {html}"
        );
        assert!(!html.contains("<script>"), "{page} holds an inline script");
        // Every file the page names comes from this server, with its type and ETag.
        let named: Vec<&str> = html
            .split(['"', '\''])
            .filter(|part| part.starts_with("/assets/"))
            .collect();
        assert!(!named.is_empty() || page == "/", "{page} names no file");
        for file in named {
            let response = served
                .http
                .get(format!("{base}{file}"))
                .send()
                .await
                .expect("the server answers");
            assert_eq!(response.status().as_u16(), 200, "{file}");
            let kind = response.headers()["content-type"]
                .to_str()
                .expect("text")
                .to_owned();
            let expected = if file.ends_with(".css") {
                "text/css"
            } else {
                "javascript"
            };
            assert!(kind.contains(expected), "{file}: {kind}");
            let etag = response.headers()["etag"].clone();
            let again = served
                .http
                .get(format!("{base}{file}"))
                .header("If-None-Match", etag)
                .send()
                .await
                .expect("the server answers");
            assert_eq!(again.status().as_u16(), 304, "{file} unchanged");
        }
    }
    let missing = served
        .http
        .get(format!("{base}/assets/app/js/nothing.js"))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(missing.status().as_u16(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_prints_a_demo_leaders_sign_in_link_that_signs_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("dev.db").display());
    let served = Served::start_development(&url, dir.path()).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let link = loop {
        let printed = served.printed.lock().expect("lines").clone();
        if let Some(line) = printed.iter().find(|l| l.contains("/sign-in#token=")) {
            break line.trim().to_owned();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no sign-in link: {printed:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(
        link.starts_with(&format!("{}/sign-in#token=", served.base())),
        "{link}"
    );
    let (status, set, body) = sign_in(&served, &served.base(), token_of(&link)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["role"].as_str(), body["jurisdiction"].as_str()),
        (Some("LEADER"), Some("VN-HN"))
    );
    let cookie = pair(&set.expect("a cookie"));
    let (status, body) = with_cookie(&served, &cookie, "application/json", None, VIEWER).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["viewer"]["jurisdiction"], "VN-HN");
}
