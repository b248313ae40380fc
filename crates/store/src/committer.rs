//! The writer task each store runs: it gathers the appends waiting at that moment
//! into one transaction (group commit) and answers each writer after the commit.

use async_trait::async_trait;
use tokio::sync::{mpsc, oneshot, watch};

use crate::batch::BatchPlan;
use crate::model::{AppendOutcome, AppendRequest, StoreError};

/// The most appends committed in one transaction.
const MAX_BATCH: usize = 256;
/// Times the writer task steps aside before cutting a batch (see the loop).
const YIELDS_BEFORE_CUT: usize = 3;
/// Appends that may wait for the writer before callers are slowed down.
const QUEUE_DEPTH: usize = 1024;

/// One database's way of writing a batch in a single transaction.
#[async_trait]
pub(crate) trait BatchWriter: Send + 'static {
    /// Writes what [`crate::batch::plan`] admits of `requests` and commits. With
    /// `atomic`, a plan refusing any request writes nothing (see
    /// [`BatchPlan::all_or_nothing`]). On `Err` nothing was written.
    async fn write(
        &mut self,
        requests: &[AppendRequest],
        atomic: bool,
    ) -> Result<BatchPlan, StoreError>;
}

/// An append waiting for the writer.
// Nearly every append is a `One`: boxing it to shrink the rare `Group` would cost an
// allocation per append.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Pending {
    /// One request, committed with whatever else is waiting.
    One {
        request: AppendRequest,
        reply: oneshot::Sender<Result<AppendOutcome, StoreError>>,
    },
    /// Requests committed together in a transaction of their own, all or none.
    Group {
        requests: Vec<AppendRequest>,
        reply: oneshot::Sender<Result<Vec<AppendOutcome>, StoreError>>,
    },
}

/// Hands one append to the writer and waits for its answer.
pub(crate) async fn append_one(
    writer: &mpsc::Sender<Pending>,
    request: AppendRequest,
) -> Result<AppendOutcome, StoreError> {
    let (reply, answer) = oneshot::channel();
    writer
        .send(Pending::One { request, reply })
        .await
        .map_err(|_| StoreError::Closed)?;
    answer.await.map_err(|_| StoreError::Closed)?
}

/// Hands a group of appends to the writer, to be committed all or none.
pub(crate) async fn append_group(
    writer: &mpsc::Sender<Pending>,
    requests: Vec<AppendRequest>,
) -> Result<Vec<AppendOutcome>, StoreError> {
    if requests.is_empty() {
        return Ok(Vec::new());
    }
    let (reply, answer) = oneshot::channel();
    writer
        .send(Pending::Group { requests, reply })
        .await
        .map_err(|_| StoreError::Closed)?;
    answer.await.map_err(|_| StoreError::Closed)?
}

/// Starts the writer task; appends are sent to the returned channel. The task ends
/// when every sender is gone.
pub(crate) fn spawn<W: BatchWriter>(
    mut writer: W,
    head: watch::Sender<u64>,
) -> mpsc::Sender<Pending> {
    let (tx, mut rx) = mpsc::channel::<Pending>(QUEUE_DEPTH);
    tokio::spawn(async move {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        loop {
            // Let the writers just answered send their next append before the batch
            // is cut: on a busy store this doubles the appends per commit.
            for _ in 0..YIELDS_BEFORE_CUT {
                tokio::task::yield_now().await;
            }
            if rx.recv_many(&mut batch, MAX_BATCH).await == 0 {
                break;
            }
            // Singles are committed together; a group waits for the singles before it
            // and is committed alone, so the order of arrival is kept.
            let mut singles = Vec::new();
            for pending in batch.drain(..) {
                match pending {
                    Pending::One { request, reply } => singles.push((request, reply)),
                    Pending::Group { requests, reply } => {
                        commit_singles(&mut writer, &head, std::mem::take(&mut singles)).await;
                        let written = writer.write(&requests, true).await;
                        let _ = reply.send(written.and_then(|mut plan| {
                            let outcomes = std::mem::take(&mut plan.results).into_iter().collect();
                            answer(&head, plan, Vec::new());
                            outcomes
                        }));
                    }
                }
            }
            commit_singles(&mut writer, &head, singles).await;
        }
    });
    tx
}

type Reply = oneshot::Sender<Result<AppendOutcome, StoreError>>;

/// Commits single appends in one transaction, each judged on its own.
async fn commit_singles<W: BatchWriter>(
    writer: &mut W,
    head: &watch::Sender<u64>,
    singles: Vec<(AppendRequest, Reply)>,
) {
    if singles.is_empty() {
        return;
    }
    let (requests, replies): (Vec<_>, Vec<_>) = singles.into_iter().unzip();
    let started = std::time::Instant::now();
    let written = writer.write(&requests, false).await;
    tracing::debug!(
        size = requests.len(),
        micros = started.elapsed().as_micros() as u64,
        "batch committed"
    );
    match written {
        Ok(plan) => answer(head, plan, replies),
        Err(error) if requests.len() == 1 => {
            if let Some(reply) = replies.into_iter().next() {
                let _ = reply.send(Err(error));
            }
        }
        Err(error) => {
            // One bad request must not fail its neighbours: retry each alone.
            tracing::warn!(%error, size = requests.len(), "batch append failed; retrying one by one");
            for (request, reply) in requests.into_iter().zip(replies) {
                match writer.write(std::slice::from_ref(&request), false).await {
                    Ok(plan) => answer(head, plan, vec![reply]),
                    Err(error) => {
                        let _ = reply.send(Err(error));
                    }
                }
            }
        }
    }
}

fn answer(head: &watch::Sender<u64>, plan: BatchPlan, replies: Vec<Reply>) {
    head.send_if_modified(|h| {
        let moved = plan.head > *h;
        *h = (*h).max(plan.head);
        moved
    });
    for (result, reply) in plan.results.into_iter().zip(replies) {
        // A writer that gave up waiting is no reason to stop.
        let _ = reply.send(result);
    }
}
