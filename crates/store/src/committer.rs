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
    /// Writes what [`crate::batch::plan`] admits of `requests` and commits. On `Err`
    /// nothing was written.
    async fn write(&mut self, requests: &[AppendRequest]) -> Result<BatchPlan, StoreError>;
}

pub(crate) struct Pending {
    pub(crate) request: AppendRequest,
    pub(crate) reply: oneshot::Sender<Result<AppendOutcome, StoreError>>,
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
            let (requests, replies): (Vec<_>, Vec<_>) =
                batch.drain(..).map(|p| (p.request, p.reply)).unzip();
            let started = std::time::Instant::now();
            let written = writer.write(&requests).await;
            tracing::debug!(
                size = requests.len(),
                micros = started.elapsed().as_micros() as u64,
                "batch committed"
            );
            match written {
                Ok(plan) => answer(&head, plan, replies),
                Err(error) if requests.len() == 1 => {
                    if let Some(reply) = replies.into_iter().next() {
                        let _ = reply.send(Err(error));
                    }
                }
                Err(error) => {
                    // One bad request must not fail its neighbours: retry each alone.
                    tracing::warn!(%error, size = requests.len(), "batch append failed; retrying one by one");
                    for (request, reply) in requests.into_iter().zip(replies) {
                        match writer.write(std::slice::from_ref(&request)).await {
                            Ok(plan) => answer(&head, plan, vec![reply]),
                            Err(error) => {
                                let _ = reply.send(Err(error));
                            }
                        }
                    }
                }
            }
        }
    });
    tx
}

fn answer(
    head: &watch::Sender<u64>,
    plan: BatchPlan,
    replies: Vec<oneshot::Sender<Result<AppendOutcome, StoreError>>>,
) {
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
