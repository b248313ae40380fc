//! The read-model kept in memory and shared: what a server answers queries from.
//!
//! Every server instance keeps its own [`LiveView`], following the log in memory (the
//! tables are written by the one [`crate::Follower`] holding the lease). Readers take a
//! [`Snapshot`] — an `Arc` of one consistent model and the position it stands at — and
//! answer from it without touching the database; a writer that needs to read its own
//! write waits for the position its append returned.

use std::sync::Arc;
use std::time::Duration;

use reform_store::EventStore;
use tokio::sync::watch;

use crate::db::ReadDb;
use crate::memo::Memo;
use crate::model::ProgressModel;
use crate::{decode, fold, ProjectionError, BATCH};

/// How long the view waits for news before asking the store (other processes' commits
/// are not announced to this one). A write through another instance is visible here
/// within this plus a catch-up: short enough for the 100 ms target of a write's effect
/// on every gateway's next dashboard, and the question is one read of the head (40 a
/// second per instance).
const POLL: Duration = Duration::from_millis(25);

/// One consistent read-model and the log position it reflects.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// The model.
    pub model: Arc<ProgressModel>,
    /// The last position folded in.
    pub position: u64,
    /// Answers computed from `model`, shared by every reader of this snapshot.
    pub memo: Arc<Memo>,
}

impl Snapshot {
    /// A snapshot of `model` at `position`, with nothing computed yet.
    pub fn new(model: Arc<ProgressModel>, position: u64) -> Snapshot {
        Snapshot {
            model,
            position,
            memo: Arc::default(),
        }
    }
}

/// The read-model in memory, following the log.
pub struct LiveView {
    store: Arc<dyn EventStore>,
    sender: watch::Sender<Snapshot>,
    // One catch-up at a time, so a slower one never publishes an older position.
    folding: tokio::sync::Mutex<()>,
}

impl LiveView {
    /// Starts from the tables when given (fast), else by folding the whole log.
    pub async fn load(
        store: Arc<dyn EventStore>,
        tables: Option<&ReadDb>,
    ) -> Result<Arc<LiveView>, ProjectionError> {
        let (model, position) = match tables {
            Some(db) => db.load().await?,
            None => fold(store.as_ref(), None).await?,
        };
        let (sender, _) = watch::channel(Snapshot::new(Arc::new(model), position));
        Ok(Arc::new(LiveView {
            store,
            sender,
            folding: tokio::sync::Mutex::new(()),
        }))
    }

    /// The latest snapshot.
    pub fn snapshot(&self) -> Snapshot {
        self.sender.borrow().clone()
    }

    /// Snapshots as they change.
    pub fn subscribe(&self) -> watch::Receiver<Snapshot> {
        self.sender.subscribe()
    }

    /// Folds in every event committed so far; returns how many.
    pub async fn catch_up(&self) -> Result<u64, ProjectionError> {
        let _folding = self.folding.lock().await;
        let mut read = 0;
        loop {
            let Snapshot {
                model: before,
                position,
                memo,
            } = self.snapshot();
            let page = self.store.read_all_facts(position, BATCH).await?;
            let Some(last) = page.last().map(|e| e.position) else {
                return Ok(read);
            };
            // Copy-on-write: readers holding the old snapshot keep it intact.
            let mut model = before.clone();
            let next = Arc::make_mut(&mut model);
            let mut touched = Vec::new();
            for fact in &page {
                touched.extend(next.apply(&decode(fact)?, fact.occurred_at));
            }
            read += page.len() as u64;
            // The answers move along with the write instead of starting again.
            let memo = Arc::new(Memo::carried(&memo, &before, &model, &touched));
            self.sender.send_replace(Snapshot {
                model,
                position: last,
                memo,
            });
        }
    }

    /// Waits until the view has folded `position` in (catching up itself), at most
    /// `timeout`; returns whether it got there.
    pub async fn wait_for(&self, position: u64, timeout: Duration) -> bool {
        let reached = async {
            while self.snapshot().position < position {
                if let Err(error) = self.catch_up().await {
                    tracing::warn!(%error, "the live read-model could not catch up");
                }
                if self.snapshot().position < position {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        };
        tokio::time::timeout(timeout, reached).await.is_ok()
    }

    /// Follows the log until `stop` turns true: this process's commits wake it at once,
    /// other processes' within [`POLL`]. A failed read is logged and retried.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let mut head = self.store.watch_head();
        loop {
            if *stop.borrow() {
                return;
            }
            if let Err(error) = self.catch_up().await {
                tracing::warn!(%error, "the live read-model could not catch up; retrying");
            }
            tokio::select! {
                _ = head.changed() => {}
                _ = tokio::time::sleep(POLL) => {}
                _ = stop.changed() => {}
            }
        }
    }
}
