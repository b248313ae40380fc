//! The bounds of `reform serve` as a client meets them, over real processes on
//! loopback: subscription sockets (how many, from where, how large a message, how long
//! before `connection_init`), a subscription ending at its token's expiry, sockets told
//! "going away" on SIGTERM, and the rate limit on `/graphql`.

use std::net::IpAddr;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::{SinkExt, StreamExt};
use reform_domain::Role;
use reform_gateway::{Claims, Keys};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::protocol::Role as WsRole;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::support::process::{reform, token, Served, SECRET};

/// The longest any test here waits for the server to say something.
const PATIENCE: Duration = Duration::from_secs(60);

type Socket = WebSocketStream<reqwest::Upgraded>;

/// An upgrade the server refused: status, `Retry-After`, body.
#[derive(Debug)]
struct Refused {
    status: u16,
    retry_after: Option<u64>,
    body: Value,
}

impl Refused {
    fn code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("")
    }
}

/// Opens a `graphql-transport-ws` socket to `server` from the loopback address `from`
/// (127.0.0.x are all this machine, and the server counts each as a peer of its own).
async fn open(server: &Served, from: [u8; 4]) -> Result<Socket, Refused> {
    let http = reqwest::Client::builder()
        .no_proxy()
        .local_address(IpAddr::from(from))
        .build()
        .expect("an HTTP client");
    let response = http
        .get(&server.graphql)
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .header("Sec-WebSocket-Version", "13")
        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .header("Sec-WebSocket-Protocol", "graphql-transport-ws")
        .send()
        .await
        .expect("the server answers the upgrade");
    let status = response.status().as_u16();
    if status != 101 {
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let body = response.json().await.expect("a JSON body");
        return Err(Refused {
            status,
            retry_after,
            body,
        });
    }
    let upgraded = response.upgrade().await.expect("the upgraded connection");
    Ok(WebSocketStream::from_raw_socket(upgraded, WsRole::Client, None).await)
}

async fn send(socket: &mut Socket, message: Value) {
    socket
        .send(Message::text(message.to_string()))
        .await
        .expect("sending a message");
}

/// Sends `connection_init` with `token` and expects the acknowledgement.
async fn init(socket: &mut Socket, token: &str) {
    send(
        socket,
        json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }),
    )
    .await;
    match next(socket).await {
        Heard::Message(m) if m["type"] == "connection_ack" => {}
        other => panic!("expected connection_ack, heard {other:?}"),
    }
}

#[derive(Debug)]
enum Heard {
    Message(Value),
    /// The server's close frame: its code and reason.
    Closed(u16, String),
    /// The connection ended without a close frame.
    Ended,
}

/// The next thing the server says, within [`PATIENCE`].
async fn next(socket: &mut Socket) -> Heard {
    loop {
        let message = tokio::time::timeout(PATIENCE, socket.next())
            .await
            .expect("the server says something in time");
        match message {
            Some(Ok(Message::Text(text))) => {
                return Heard::Message(serde_json::from_str(text.as_str()).expect("JSON"))
            }
            Some(Ok(Message::Close(Some(frame)))) => {
                return Heard::Closed(frame.code.into(), frame.reason.to_string())
            }
            Some(Ok(Message::Close(None))) | Some(Err(_)) | None => return Heard::Ended,
            Some(Ok(_)) => continue,
        }
    }
}

/// The close code the server sends next (failing on anything else).
async fn closed_with(socket: &mut Socket) -> (u16, String) {
    match next(socket).await {
        Heard::Closed(code, reason) => (code, reason),
        other => panic!("expected a close frame, heard {other:?}"),
    }
}

/// Closes a socket from the client's side and reads until the server has let go.
async fn leave(mut socket: Socket) {
    let _ = socket.close(None).await;
    while let Ok(Some(Ok(_))) = tokio::time::timeout(PATIENCE, socket.next()).await {}
}

const TASK_EVENTS: &str = "subscription { taskEvents { eventType } }";

fn subscribe(id: &str, query: &str) -> Value {
    json!({ "id": id, "type": "subscribe", "payload": { "query": query } })
}

/// Runs `test` against a fresh SQLite file and a fresh PostgreSQL database.
macro_rules! on_both_engines {
    ($($test:ident),* $(,)?) => {$(
        mod $test {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("reform.db").display());
                super::$test(&url, dir.path()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(url) = crate::support::pg::fresh_database().await {
                    let dir = tempfile::tempdir().expect("temp dir");
                    super::$test(&url, dir.path()).await;
                }
            }
        }
    )*};
}

on_both_engines!(
    sockets_beyond_the_caps_are_refused_until_one_closes,
    a_silent_socket_and_an_oversized_message_are_closed,
    a_subscription_ends_when_its_token_expires,
    sigterm_closes_every_socket_with_going_away,
    requests_beyond_the_rate_are_refused_until_retry_after,
    a_socket_runs_at_most_its_subscriptions,
);

/// With `--ws-max-subscriptions 2`: two subscriptions run; one the client completes
/// frees its place; one more than two running closes the socket with 4429, and the
/// server answers afterwards.
async fn a_socket_runs_at_most_its_subscriptions(url: &str, dir: &Path) {
    let server = Served::start_with(url, dir, &["--ws-max-subscriptions", "2"]).await;
    let leader = token(Role::Leader, "chu-tich", None);
    let mut socket = open(&server, [127, 0, 0, 1]).await.expect("a socket");
    init(&mut socket, &leader).await;
    send(&mut socket, subscribe("a", TASK_EVENTS)).await;
    send(&mut socket, subscribe("b", TASK_EVENTS)).await;
    send(&mut socket, json!({ "id": "a", "type": "complete" })).await;
    match next(&mut socket).await {
        Heard::Message(m) => assert_eq!(m, json!({ "id": "a", "type": "complete" })),
        other => panic!("expected the subscription complete, heard {other:?}"),
    }
    send(&mut socket, subscribe("c", TASK_EVENTS)).await;
    send(&mut socket, subscribe("d", TASK_EVENTS)).await;
    assert_eq!(
        closed_with(&mut socket).await,
        (4429, "too many subscriptions on one socket".to_owned())
    );
    let mut again = open(&server, [127, 0, 0, 1]).await.expect("a socket");
    init(&mut again, &leader).await;
    send(&mut again, subscribe("a", TASK_EVENTS)).await;
    let data = server.ok(&leader, "{ __typename }", json!({})).await;
    assert_eq!(data["__typename"], "Query");
}

/// At most 3 sockets, 2 per peer: the third from one address is refused with 429, the
/// fourth in all with 503, both before upgrading; a socket that closes frees its place.
async fn sockets_beyond_the_caps_are_refused_until_one_closes(url: &str, dir: &Path) {
    let server = Served::start_with(
        url,
        dir,
        &["--max-sockets", "3", "--max-sockets-per-peer", "2"],
    )
    .await;
    let leader = token(Role::Leader, "chu-tich", None);
    let mut first = open(&server, [127, 0, 0, 1]).await.expect("a first socket");
    let mut second = open(&server, [127, 0, 0, 1])
        .await
        .expect("a second socket");
    init(&mut first, &leader).await;
    init(&mut second, &leader).await;

    let refused = open(&server, [127, 0, 0, 1]).await.expect_err("refused");
    assert_eq!(refused.status, 429, "{refused:?}");
    assert_eq!(refused.code(), "RATE_LIMITED", "{refused:?}");
    assert!(refused.retry_after.is_some_and(|s| s >= 1), "{refused:?}");
    assert_eq!(
        refused.body["errors"][0]["extensions"]["retryAfter"],
        json!(refused.retry_after),
        "{refused:?}"
    );

    let mut elsewhere = open(&server, [127, 0, 0, 2])
        .await
        .expect("another peer has its own two");
    init(&mut elsewhere, &leader).await;
    let refused = open(&server, [127, 0, 0, 3]).await.expect_err("refused");
    assert_eq!(refused.status, 503, "{refused:?}");
    assert_eq!(refused.code(), "UNAVAILABLE", "{refused:?}");
    assert!(refused.retry_after.is_some_and(|s| s >= 1), "{refused:?}");

    // The sockets still open are untouched by the refusals.
    send(&mut second, subscribe("s", TASK_EVENTS)).await;
    send(&mut second, json!({ "type": "ping" })).await;
    match next(&mut second).await {
        Heard::Message(m) => assert_eq!(m["type"], "pong", "{m}"),
        other => panic!("expected a pong, heard {other:?}"),
    }

    // One leaves: its place frees once the server has let go of it.
    leave(first).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let mut third = loop {
        match open(&server, [127, 0, 0, 3]).await {
            Ok(socket) => break socket,
            Err(refused) => {
                assert_eq!(refused.code(), "UNAVAILABLE", "{refused:?}");
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "the closed socket's place was never freed"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    };
    init(&mut third, &leader).await;
    assert_eq!(
        open(&server, [127, 0, 0, 4])
            .await
            .expect_err("full again")
            .status,
        503
    );
}

/// A socket that never sends `connection_init` is closed with 4408 after the timeout;
/// a message over the size limit closes its socket with 1009, one under it is served,
/// and the server goes on serving.
async fn a_silent_socket_and_an_oversized_message_are_closed(url: &str, dir: &Path) {
    let server = Served::start_with(
        url,
        dir,
        &[
            "--ws-init-timeout-secs",
            "1",
            "--ws-max-message-bytes",
            "4096",
        ],
    )
    .await;
    let leader = token(Role::Leader, "chu-tich", None);

    let mut silent = open(&server, [127, 0, 0, 1]).await.expect("a socket");
    assert_eq!(
        closed_with(&mut silent).await,
        (4408, "Connection initialisation timeout".to_owned())
    );

    let mut socket = open(&server, [127, 0, 0, 1]).await.expect("a socket");
    init(&mut socket, &leader).await;
    // Just under the limit: read and answered (the unknown field, as an error).
    let padding = " ".repeat(3_800);
    send(
        &mut socket,
        subscribe("small", &format!("subscription {{ nonsense }}{padding}")),
    )
    .await;
    match next(&mut socket).await {
        Heard::Message(m) => {
            assert_eq!(m["id"], "small", "{m}");
            let message = m["payload"]["errors"][0]["message"].as_str().unwrap_or("");
            assert!(message.contains("nonsense"), "{m}");
        }
        other => panic!("expected an answer, heard {other:?}"),
    }
    match next(&mut socket).await {
        Heard::Message(m) => assert_eq!(m, json!({ "id": "small", "type": "complete" })),
        other => panic!("expected the subscription complete, heard {other:?}"),
    }
    // Over it: the socket is closed, with the reason.
    let padding = " ".repeat(16 << 10);
    let _ = socket
        .send(Message::text(
            subscribe("big", &format!("{TASK_EVENTS}{padding}")).to_string(),
        ))
        .await;
    let (code, _) = closed_with(&mut socket).await;
    assert_eq!(code, 1009);

    // The server is unharmed.
    let mut again = open(&server, [127, 0, 0, 1]).await.expect("a socket");
    init(&mut again, &leader).await;
    let data = server.ok(&leader, "{ __typename }", json!({})).await;
    assert_eq!(data["__typename"], "Query");
}

/// A subscription lasts as long as its token: at the token's `exp` the server closes
/// the socket with 4403. A token refused at `connection_init` is 4403 too.
async fn a_subscription_ends_when_its_token_expires(url: &str, dir: &Path) {
    let server = Served::start(url, dir).await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let exp = now + 3;
    let short = Keys::from_secret(SECRET.as_bytes())
        .issue(&Claims {
            sub: "chu-tich".into(),
            name: "Chủ tịch".into(),
            role: Role::Leader.code().into(),
            agency: None,
            jurisdiction: None,
            iat: now as i64,
            exp: exp as i64,
            nbf: None,
        })
        .map_err(|e| e.message())
        .expect("a token");

    let mut socket = open(&server, [127, 0, 0, 1]).await.expect("a socket");
    init(&mut socket, &short).await;
    send(&mut socket, subscribe("tasks", TASK_EVENTS)).await;
    let (code, reason) = closed_with(&mut socket).await;
    assert_eq!(code, 4403, "{reason}");
    assert!(reason.contains("expired"), "{reason}");
    let at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    assert!(at >= exp, "closed at {at}, before the token's expiry {exp}");

    let mut forged = open(&server, [127, 0, 0, 1]).await.expect("a socket");
    send(
        &mut forged,
        json!({ "type": "connection_init", "payload": { "Authorization": "Bearer not.a.token" } }),
    )
    .await;
    assert_eq!(closed_with(&mut forged).await.0, 4403);
}

/// SIGTERM: every open socket — subscribed or still waiting for `connection_init` — is
/// sent 1001 ("going away"), then the process exits 0.
async fn sigterm_closes_every_socket_with_going_away(url: &str, dir: &Path) {
    let mut server = Served::start(url, dir).await;
    let leader = token(Role::Leader, "chu-tich", None);
    let mut subscribed = open(&server, [127, 0, 0, 1]).await.expect("a socket");
    init(&mut subscribed, &leader).await;
    send(&mut subscribed, subscribe("tasks", TASK_EVENTS)).await;
    let mut waiting = open(&server, [127, 0, 0, 2]).await.expect("a socket");
    // The subscription is live before the signal.
    send(&mut subscribed, json!({ "type": "ping" })).await;
    match next(&mut subscribed).await {
        Heard::Message(m) => assert_eq!(m["type"], "pong", "{m}"),
        other => panic!("expected a pong, heard {other:?}"),
    }

    server.terminate();
    assert_eq!(closed_with(&mut subscribed).await.0, 1001);
    assert_eq!(closed_with(&mut waiting).await.0, 1001);
    let status = server.exited(PATIENCE).await;
    assert_eq!(status.code(), Some(0), "{status:?}");
}

/// One request a second, three at once: a user's burst is served, the next request is
/// 429 `RATE_LIMITED` with `Retry-After`, another user is not affected, requests
/// without a valid token are limited by address, and after `Retry-After` the user is
/// served again.
async fn requests_beyond_the_rate_are_refused_until_retry_after(url: &str, dir: &Path) {
    let server = Served::start_with(
        url,
        dir,
        &["--rate-limit-per-second", "1", "--rate-limit-burst", "3"],
    )
    .await;
    let post = |token: Option<String>| {
        let server = &server;
        async move {
            let mut request = server
                .http
                .post(&server.graphql)
                .json(&json!({ "query": "{ __typename }" }));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.expect("the server answers");
            let status = response.status().as_u16();
            let retry_after: Option<u64> = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok());
            let body: Value = response.json().await.expect("a JSON body");
            (status, retry_after, body)
        }
    };
    let an = token(Role::Leader, "an", None);
    let binh = token(Role::Leader, "binh", None);

    // The burst is served whole (the bucket starts full), then the limit is met: a
    // request a second refills it, so within a few more it must be refused.
    for _ in 0..3 {
        let (status, _, body) = post(Some(an.clone())).await;
        assert_eq!(status, 200, "{body}");
    }
    let mut refusal = None;
    for _ in 0..20 {
        let (status, retry_after, body) = post(Some(an.clone())).await;
        if status == 429 {
            refusal = Some((retry_after, body));
            break;
        }
        assert_eq!(status, 200, "{body}");
    }
    let (retry_after, body) = refusal.expect("refused within 20 requests past the burst");
    let retry_after = retry_after.expect("a Retry-After header");
    assert!(retry_after >= 1);
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["retryAfter"],
        json!(retry_after),
        "{body}"
    );
    assert!(body.get("data").is_none(), "{body}");

    // Another user's bucket is their own.
    let (status, _, body) = post(Some(binh.clone())).await;
    assert_eq!(status, 200, "{body}");

    // Without a valid token, by address: refused as unauthenticated, then limited.
    let mut statuses = Vec::new();
    for _ in 0..23 {
        let (status, _, _) = post(Some("forged".into())).await;
        statuses.push(status);
        if status == 429 {
            break;
        }
    }
    assert_eq!(statuses[..3], [401, 401, 401], "{statuses:?}");
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");

    // Once Retry-After has passed, the user is served again.
    tokio::time::sleep(Duration::from_secs(retry_after)).await;
    let (status, _, body) = post(Some(an)).await;
    assert_eq!(status, 200, "{body}");
}

/// Bounds out of range are refused on the command line (exit 2), naming the flag.
#[test]
fn serve_refuses_bounds_out_of_range() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("reform.db").display());
    for flag in [
        ["--ws-init-timeout-secs", "0"],
        ["--max-sockets", "0"],
        ["--max-sockets-per-peer", "0"],
        ["--ws-max-message-bytes", "100"],
        ["--rate-limit-burst", "0"],
    ] {
        let (code, out, err) = reform(&url, dir.path(), &["serve", flag[0], flag[1]]);
        assert_eq!(code, Some(2), "{flag:?}: {out}{err}");
        assert!(err.contains(flag[0]), "{flag:?}: {err}");
    }
}
