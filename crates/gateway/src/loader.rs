//! What still comes from the event store during a query — versions and histories —
//! loaded in batches: a page of 100 tasks asking for `version` and `history` costs two
//! statements, not two hundred.
//!
//! Batches are cut by the execution itself, not by a timer: every key asked for while
//! the request's future is being polled waits in a queue, and when that poll ends
//! ([`Batched`]) each queue goes to the store as one statement. All the fields of one
//! level of a response are first polled in the same sweep, so a level costs one
//! statement per kind of key however many rows it has and however slow the machine
//! is (a timer-cut batch, like a 1 ms DataLoader delay, splits when a sweep outlasts
//! the timer). Nothing is cached: nothing answered is older than the request.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use reform_domain::StreamId;
use reform_store::{EventStore, RecordedEvent};
use tokio::sync::oneshot;

use crate::error::ApiError;

type Reply<T> = oneshot::Sender<Result<T, Arc<ApiError>>>;

#[derive(Default)]
struct Queue {
    versions: Vec<(StreamId, Reply<u64>)>,
    histories: Vec<(StreamId, Reply<Vec<RecordedEvent>>)>,
}

/// A request's (or a subscription connection's) loader.
pub(crate) struct Loader {
    store: Arc<dyn EventStore>,
    queue: Mutex<Queue>,
    /// Load at once instead of at the end of the poll: for executions no [`Batched`]
    /// wraps (subscription streams).
    immediate: bool,
}

/// The loader a request's resolvers share.
pub(crate) type RequestLoader = Arc<Loader>;

impl Loader {
    /// A loader whose batches [`Batched`] sends.
    pub(crate) fn batched(store: Arc<dyn EventStore>) -> RequestLoader {
        Arc::new(Loader {
            store,
            queue: Mutex::default(),
            immediate: false,
        })
    }

    /// A loader that sends each key as it comes.
    pub(crate) fn immediate(store: Arc<dyn EventStore>) -> RequestLoader {
        Arc::new(Loader {
            store,
            queue: Mutex::default(),
            immediate: true,
        })
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A stream's version (0 when it does not exist).
    pub(crate) async fn version(&self, stream: StreamId) -> Result<u64, ApiError> {
        let (reply, answer) = oneshot::channel();
        self.queue().versions.push((stream, reply));
        self.flush_if_immediate();
        receive(answer).await
    }

    /// A stream's events, oldest first.
    pub(crate) async fn history(&self, stream: StreamId) -> Result<Vec<RecordedEvent>, ApiError> {
        let (reply, answer) = oneshot::channel();
        self.queue().histories.push((stream, reply));
        self.flush_if_immediate();
        receive(answer).await
    }

    fn flush_if_immediate(&self) {
        if self.immediate {
            self.flush();
        }
    }

    /// Sends what waits, one statement per kind of key.
    pub(crate) fn flush(&self) {
        let Queue {
            versions,
            histories,
        } = std::mem::take(&mut *self.queue());
        if !versions.is_empty() {
            let store = self.store.clone();
            tokio::spawn(async move {
                let streams: Vec<StreamId> = versions.iter().map(|(s, _)| s.clone()).collect();
                match store.stream_versions(&streams).await {
                    Ok(found) => {
                        let found: HashMap<StreamId, u64> = found.into_iter().collect();
                        for (stream, reply) in versions {
                            let _ = reply.send(Ok(found.get(&stream).copied().unwrap_or(0)));
                        }
                    }
                    Err(error) => fail(versions, error.into()),
                }
            });
        }
        if !histories.is_empty() {
            let store = self.store.clone();
            tokio::spawn(async move {
                let mut streams: Vec<StreamId> = histories.iter().map(|(s, _)| s.clone()).collect();
                streams.sort();
                streams.dedup();
                match store.read_streams(&streams).await {
                    Ok(events) => {
                        let mut by_stream: HashMap<StreamId, Vec<RecordedEvent>> = HashMap::new();
                        for event in events {
                            by_stream
                                .entry(event.stream_id.clone())
                                .or_default()
                                .push(event);
                        }
                        for (stream, reply) in histories {
                            let events = by_stream.get(&stream).cloned().unwrap_or_default();
                            let _ = reply.send(Ok(events));
                        }
                    }
                    Err(error) => fail(histories, error.into()),
                }
            });
        }
    }
}

fn fail<T>(waiting: Vec<(StreamId, Reply<T>)>, error: ApiError) {
    let error = Arc::new(error);
    for (_, reply) in waiting {
        let _ = reply.send(Err(error.clone()));
    }
}

async fn receive<T>(answer: oneshot::Receiver<Result<T, Arc<ApiError>>>) -> Result<T, ApiError> {
    match answer.await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(shared)) => {
            Err(Arc::try_unwrap(shared)
                .unwrap_or_else(|shared| ApiError::Internal(shared.message())))
        }
        Err(_) => Err(ApiError::Internal(
            "a batched load was dropped before it answered".into(),
        )),
    }
}

/// A request's execution that sends its loader's batches each time a poll of it ends.
pub(crate) struct Batched<F> {
    inner: Pin<Box<F>>,
    loader: RequestLoader,
}

impl<F: Future> Batched<F> {
    pub(crate) fn new(inner: F, loader: RequestLoader) -> Self {
        Batched {
            inner: Box::pin(inner),
            loader,
        }
    }
}

impl<F: Future> Future for Batched<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // A poll that ends by waking itself has only paused (a long list yields to the
        // scheduler every few dozen items); its sweep goes on at the next poll, and so
        // does the batch.
        let flagged = Arc::new(Flagged {
            woken: AtomicBool::new(false),
            waker: cx.waker().clone(),
        });
        let waker = futures::task::waker(flagged.clone());
        let polled = self.inner.as_mut().poll(&mut Context::from_waker(&waker));
        if polled.is_ready() || !flagged.woken.load(Ordering::SeqCst) {
            self.loader.flush();
        }
        polled
    }
}

/// The caller's waker, noting whether it was woken.
struct Flagged {
    woken: AtomicBool,
    waker: Waker,
}

impl futures::task::ArcWake for Flagged {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.woken.store(true, Ordering::SeqCst);
        arc_self.waker.wake_by_ref();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn keys_asked_for_in_one_poll_go_out_together() {
        let dir = std::env::temp_dir().join(format!("loader-{}", uuid::Uuid::now_v7()));
        let url = format!("sqlite://{}", dir.display());
        let store = reform_store::open(&url).await.expect("store");
        let loader = Loader::batched(store);
        let streams: Vec<StreamId> = (0..5)
            .map(|i| StreamId(format!("task-{i:08}-0000-0000-0000-000000000000")))
            .collect();
        let all = futures::future::join_all(streams.iter().map(|s| loader.version(s.clone())));
        let versions = Batched::new(all, loader.clone()).await;
        assert!(versions.iter().all(|v| matches!(v, Ok(0))));
        assert!(loader.queue().versions.is_empty());
        let _ = std::fs::remove_file(&dir);
    }
}
