//! Subscription sockets (`graphql-transport-ws`) and their bounds: how many may be
//! open (in all, and per peer address), how large a message may be, how long a socket
//! may wait before `connection_init`, when it ends (its token's expiry, the server
//! going away), and the close code a client is told each time.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::{WebSocket as Protocol, WebSocketProtocols, WsMessage};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use chrono::{DateTime, Utc};
use futures::{future, SinkExt, StreamExt};
use reform_store::EventStore;
use tokio::sync::{oneshot, watch};
use tokio::time::Instant;

use crate::auth::Keys;
use crate::error::ApiError;
use crate::loader::Loader;
use crate::metrics::SocketGuard;
use crate::ApiSchema;

/// The bounds on subscription sockets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SocketLimits {
    /// Sockets open at once on this server; beyond, an upgrade gets 503 `UNAVAILABLE`.
    pub max_open: usize,
    /// Sockets open at once from one peer address (IPv6: one /64); beyond, 429
    /// `RATE_LIMITED`.
    pub max_per_peer: usize,
    /// The largest message (and frame) a client may send, bytes; a larger one closes
    /// the socket with 1009.
    pub max_message_bytes: usize,
    /// How long a socket may stay open without `connection_init`; then it is closed
    /// with 4408.
    pub init_timeout: Duration,
    /// Subscriptions running at once on one socket; a `subscribe` beyond closes the
    /// socket with 4429.
    pub max_subscriptions: usize,
}

impl Default for SocketLimits {
    fn default() -> Self {
        SocketLimits {
            max_open: 1_024,
            max_per_peer: 16,
            max_message_bytes: 64 << 10,
            init_timeout: Duration::from_secs(10),
            max_subscriptions: 32,
        }
    }
}

/// When to try again after a refused upgrade: a slot frees when someone leaves.
const RETRY_AFTER_SECS: u64 = 5;
/// The longest a client may take to accept one message before it is dropped.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// Close codes of `graphql-transport-ws` and RFC 6455.
mod code {
    /// The server is shutting down.
    pub(super) const GOING_AWAY: u16 = 1001;
    /// The message was not valid UTF-8 text.
    pub(super) const INVALID_DATA: u16 = 1007;
    /// The message was larger than allowed.
    pub(super) const TOO_BIG: u16 = 1009;
    /// The socket broke the WebSocket protocol.
    pub(super) const PROTOCOL: u16 = 1002;
    /// The token was refused, or has expired.
    pub(super) const FORBIDDEN: u16 = 4403;
    /// No `connection_init` in time.
    pub(super) const INIT_TIMEOUT: u16 = 4408;
    /// More subscriptions at once than one socket may run (a private-range code).
    pub(super) const TOO_MANY_SUBSCRIPTIONS: u16 = 4429;
}

/// The ids of the subscriptions running on one socket: added by the client's
/// `subscribe`, removed by its `complete` or by the server's `complete` or `error`.
#[derive(Default)]
struct Running(std::sync::Mutex<std::collections::HashSet<String>>);

impl Running {
    /// The message's `type` and `id`, when it is a protocol message with an id.
    fn kind(data: &[u8]) -> Option<(String, String)> {
        let value: serde_json::Value = serde_json::from_slice(data).ok()?;
        Some((
            value.get("type")?.as_str()?.to_owned(),
            value.get("id")?.as_str()?.to_owned(),
        ))
    }

    /// Takes note of a client message; false when it starts one subscription more
    /// than `max` allows.
    fn client_sent(&self, data: &[u8], max: usize) -> bool {
        let Some((kind, id)) = Self::kind(data) else {
            return true;
        };
        let mut running = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match kind.as_str() {
            "subscribe" if !running.contains(&id) && running.len() >= max => false,
            "subscribe" => {
                running.insert(id);
                true
            }
            "complete" => {
                running.remove(&id);
                true
            }
            _ => true,
        }
    }

    /// Takes note of a server message: a subscription that completed or failed.
    fn server_sent(&self, text: &str) {
        if let Some((kind, id)) = Self::kind(text.as_bytes()) {
            if kind == "complete" || kind == "error" {
                self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
            }
        }
    }
}

/// The sockets open on a server: their count (in all and by peer), and the signal
/// that tells them the server is going away.
pub(crate) struct Sockets {
    limits: SocketLimits,
    open: watch::Sender<Tally>,
    going_away: watch::Sender<bool>,
}

#[derive(Default)]
struct Tally {
    total: usize,
    by_peer: HashMap<IpAddr, usize>,
}

impl Sockets {
    pub(crate) fn new(limits: SocketLimits) -> Arc<Sockets> {
        Arc::new(Sockets {
            limits,
            open: watch::Sender::new(Tally::default()),
            going_away: watch::Sender::new(false),
        })
    }

    pub(crate) fn limits(&self) -> &SocketLimits {
        &self.limits
    }

    /// A place for one more socket from `peer`, held until the [`Slot`] is dropped;
    /// refused when the server, or that peer, has all it may have.
    pub(crate) fn claim(self: &Arc<Self>, peer: IpAddr) -> Result<Slot, ApiError> {
        let mut refusal = None;
        self.open.send_if_modified(|tally| {
            let mine = tally.by_peer.get(&peer).copied().unwrap_or(0);
            if tally.total >= self.limits.max_open {
                refusal = Some(ApiError::Unavailable {
                    message: format!(
                        "the server has all the subscription sockets it serves ({}); try again shortly",
                        self.limits.max_open
                    ),
                    retry_after_secs: RETRY_AFTER_SECS,
                });
                false
            } else if mine >= self.limits.max_per_peer {
                refusal = Some(ApiError::RateLimited {
                    message: format!(
                        "this address has {} subscription sockets open, the most allowed; close one first",
                        self.limits.max_per_peer
                    ),
                    retry_after_secs: RETRY_AFTER_SECS,
                });
                false
            } else {
                tally.total += 1;
                *tally.by_peer.entry(peer).or_insert(0) += 1;
                true
            }
        });
        match refusal {
            Some(error) => Err(error),
            None => Ok(Slot {
                sockets: self.clone(),
                peer,
            }),
        }
    }

    /// Tells every socket, and any opened from now on, that the server is going away
    /// (each closes with 1001), and waits up to `grace` for them all to have closed.
    pub(crate) async fn close_all(&self, grace: Duration) {
        self.going_away.send_replace(true);
        let mut open = self.open.subscribe();
        let closed = tokio::time::timeout(grace, open.wait_for(|t| t.total == 0)).await;
        if closed.is_err() {
            let left = self.open.borrow().total;
            tracing::warn!(
                left,
                "subscription sockets still open after the shutdown grace; dropping them"
            );
        }
    }
}

/// One open socket's place in the count.
pub(crate) struct Slot {
    sockets: Arc<Sockets>,
    peer: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let peer = self.peer;
        self.sockets.open.send_modify(|tally| {
            tally.total = tally.total.saturating_sub(1);
            if let Some(mine) = tally.by_peer.get_mut(&peer) {
                *mine = mine.saturating_sub(1);
                if *mine == 0 {
                    tally.by_peer.remove(&peer);
                }
            }
        });
    }
}

/// What a socket needs to serve its subscriptions.
pub(crate) struct Session {
    pub(crate) schema: ApiSchema,
    pub(crate) keys: Keys,
    /// The session cookie the upgrade request carried, for a `connection_init`
    /// without a token.
    pub(crate) cookie: Option<String>,
    pub(crate) store: Arc<dyn EventStore>,
    pub(crate) slot: Slot,
    pub(crate) open: SocketGuard,
}

/// The bytes of a text or binary message (nothing for control frames).
fn payload(message: &Message) -> &[u8] {
    match message {
        Message::Text(text) => text.as_str().as_bytes(),
        Message::Binary(bytes) => bytes,
        _ => &[],
    }
}

/// The close frame a failed read deserves, if the peer is still there to read one.
fn failure_code(error: axum::Error) -> Option<u16> {
    let inner = error.into_inner();
    match inner.downcast_ref::<tungstenite::Error>()? {
        tungstenite::Error::Capacity(_) => Some(code::TOO_BIG),
        tungstenite::Error::Utf8(_) => Some(code::INVALID_DATA),
        tungstenite::Error::Protocol(_) => Some(code::PROTOCOL),
        _ => None,
    }
}

/// A close frame; the reason is cut to the 123 bytes a control frame leaves for it.
fn close(code: u16, reason: &str) -> Message {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    Message::Close(Some(CloseFrame {
        code,
        reason: reason[..end].into(),
    }))
}

/// The token of a `connection_init` payload (`{"Authorization": "Bearer …"}`), else
/// the session cookie of the upgrade request, checked.
fn authenticate(
    keys: &Keys,
    payload: &serde_json::Value,
    cookie: Option<&str>,
) -> Result<(crate::Viewer, DateTime<Utc>), ApiError> {
    let token = ["Authorization", "authorization"]
        .iter()
        .find_map(|k| payload.get(k))
        .and_then(|v| v.as_str())
        .and_then(|v| v.strip_prefix("Bearer "));
    match (token, cookie) {
        (Some(token), _) => keys.verify_expiring(token.trim()),
        (None, Some(cookie)) => keys
            .verify_expiring(cookie)
            .map_err(|_| crate::session::ended()),
        (None, None) => Err(ApiError::Unauthenticated(
            "send {\"Authorization\": \"Bearer …\"} in connection_init, or sign in".into(),
        )),
    }
}

/// Serves one socket until the client leaves, or the server closes it: no
/// `connection_init` within the timeout (4408), a refused token (4403), the token's
/// expiry (4403), a message too large (1009), or the server going away (1001).
pub(crate) async fn serve(socket: WebSocket, session: Session) {
    let Session {
        schema,
        keys,
        cookie,
        store,
        slot,
        open: _open,
    } = session;
    let init_deadline = Instant::now() + slot.sockets.limits.init_timeout;
    let mut going_away = slot.sockets.going_away.subscribe();
    let (mut sink, incoming) = socket.split();

    // The client's text and binary messages; a failed read ends them, leaving the
    // close code it deserves.
    let failed = Arc::new(AtomicU16::new(0));
    let running = Arc::new(Running::default());
    let max_subscriptions = slot.sockets.limits.max_subscriptions;
    let input = {
        let failed = failed.clone();
        let running = running.clone();
        incoming
            .scan((), move |(), message| {
                future::ready(match message {
                    Ok(message) if !running.client_sent(payload(&message), max_subscriptions) => {
                        failed.store(code::TOO_MANY_SUBSCRIPTIONS, Ordering::Relaxed);
                        None
                    }
                    Ok(message) => Some(message),
                    Err(error) => {
                        if let Some(code) = failure_code(error) {
                            failed.store(code, Ordering::Relaxed);
                        }
                        None
                    }
                })
            })
            .filter_map(|message| {
                future::ready(match message {
                    Message::Text(_) | Message::Binary(_) => Some(message.into_data()),
                    _ => None,
                })
            })
    };
    // The token's judgement: its expiry when accepted, `None` when refused.
    let (judged, mut judgement) = oneshot::channel::<Option<DateTime<Utc>>>();
    let protocol = Protocol::new(schema, input, WebSocketProtocols::GraphQLWS).on_connection_init(
        move |payload| async move {
            let outcome = authenticate(&keys, &payload, cookie.as_deref());
            let _ = judged.send(outcome.as_ref().ok().map(|(_, expires)| *expires));
            let (viewer, _) = outcome.map_err(|e| async_graphql::Error::new(e.message()))?;
            let mut data = async_graphql::Data::default();
            data.insert(viewer);
            data.insert(Loader::immediate(store));
            Ok(data)
        },
    );
    futures::pin_mut!(protocol);

    let mut initialised = false;
    let mut refused = false;
    let mut expires: Option<Instant> = None;
    loop {
        let (message, last) = tokio::select! {
            biased;
            _ = going_away.wait_for(|going| *going) => {
                (close(code::GOING_AWAY, "the server is going away"), true)
            }
            () = tokio::time::sleep_until(init_deadline), if !initialised => {
                (close(code::INIT_TIMEOUT, "Connection initialisation timeout"), true)
            }
            () = tokio::time::sleep_until(expires.unwrap_or(init_deadline)), if expires.is_some() => {
                (close(code::FORBIDDEN, "Forbidden: the token has expired"), true)
            }
            outcome = &mut judgement, if !initialised => {
                initialised = true;
                match outcome {
                    Ok(Some(at)) => {
                        let left = (at - Utc::now()).to_std().unwrap_or(Duration::ZERO);
                        expires = Some(Instant::now() + left);
                    }
                    Ok(None) => refused = true,
                    Err(_) => {}
                }
                continue;
            }
            next = protocol.next() => match next {
                Some(WsMessage::Text(text)) => {
                    running.server_sent(&text);
                    (Message::Text(text.into()), false)
                }
                Some(WsMessage::Close(c, reason)) => {
                    // A refused token is 4403 in graphql-transport-ws, not the library's
                    // 1002 (the judgement may come in the same poll as the close).
                    let refused = refused
                        || (!initialised && matches!(judgement.try_recv(), Ok(None)));
                    let c = if refused && c == code::PROTOCOL { code::FORBIDDEN } else { c };
                    (close(c, &reason), true)
                }
                None => match failed.load(Ordering::Relaxed) {
                    0 => break,
                    code::TOO_BIG => (close(code::TOO_BIG, "the message is larger than allowed"), true),
                    code::TOO_MANY_SUBSCRIPTIONS => (
                        close(code::TOO_MANY_SUBSCRIPTIONS, "too many subscriptions on one socket"),
                        true,
                    ),
                    c => (close(c, "the message could not be read"), true),
                },
            },
        };
        match tokio::time::timeout(SEND_TIMEOUT, sink.send(message)).await {
            Ok(Ok(())) if !last => {}
            _ => break,
        }
    }
    drop(slot);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max_open: usize, max_per_peer: usize) -> SocketLimits {
        SocketLimits {
            max_open,
            max_per_peer,
            ..SocketLimits::default()
        }
    }

    #[test]
    fn places_are_counted_in_all_and_per_peer_and_freed_when_dropped() {
        let sockets = Sockets::new(limits(3, 2));
        let (a, b, c) = (
            IpAddr::from([10, 0, 0, 1]),
            IpAddr::from([10, 0, 0, 2]),
            IpAddr::from([10, 0, 0, 3]),
        );
        let first = sockets.claim(a).expect("a's first");
        let _second = sockets.claim(a).expect("a's second");
        assert_eq!(
            sockets.claim(a).map(|_| ()).expect_err("a's third").code(),
            "RATE_LIMITED"
        );
        let _third = sockets.claim(b).expect("b's first");
        let full = sockets.claim(c).map(|_| ()).expect_err("the fourth in all");
        assert_eq!(full.code(), "UNAVAILABLE");
        assert_eq!(full.retry_after_secs(), Some(RETRY_AFTER_SECS));
        drop(first);
        let _fourth = sockets.claim(c).expect("a place freed");
        assert_eq!(sockets.open.borrow().total, 3);
        assert_eq!(sockets.open.borrow().by_peer.get(&a), Some(&1));
    }

    #[tokio::test]
    async fn going_away_with_no_socket_open_returns_at_once() {
        let sockets = Sockets::new(SocketLimits::default());
        tokio::time::timeout(
            Duration::from_secs(1),
            sockets.close_all(Duration::from_secs(60)),
        )
        .await
        .expect("nothing to wait for");
        assert!(*sockets.going_away.borrow());
    }

    #[test]
    fn subscriptions_are_counted_until_either_side_completes_them() {
        let running = Running::default();
        let subscribe = |id: &str| format!(r#"{{"type":"subscribe","id":"{id}","payload":{{}}}}"#);
        assert!(running.client_sent(subscribe("1").as_bytes(), 2));
        assert!(running.client_sent(subscribe("2").as_bytes(), 2));
        assert!(
            !running.client_sent(subscribe("3").as_bytes(), 2),
            "a third"
        );
        // The client completes one, the server ends another: room for two again.
        assert!(running.client_sent(br#"{"type":"complete","id":"1"}"#, 2));
        running.server_sent(r#"{"type":"error","id":"2","payload":[]}"#);
        assert!(running.client_sent(subscribe("3").as_bytes(), 2));
        assert!(running.client_sent(subscribe("4").as_bytes(), 2));
        assert!(!running.client_sent(subscribe("5").as_bytes(), 2));
        // Not protocol messages with ids: let through for the protocol to judge.
        assert!(running.client_sent(b"not json", 2));
        assert!(running.client_sent(br#"{"type":"ping"}"#, 2));
    }

    #[test]
    fn a_close_reason_fits_a_control_frame_and_is_cut_between_characters() {
        let long = "Đ".repeat(100); // 200 bytes
        match close(code::FORBIDDEN, &long) {
            Message::Close(Some(frame)) => {
                assert_eq!(frame.code, code::FORBIDDEN);
                assert!(frame.reason.len() <= 123);
                assert_eq!(frame.reason.as_str(), "Đ".repeat(61));
            }
            other => panic!("not a close frame: {other:?}"),
        }
    }
}
