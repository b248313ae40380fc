//! Keeping the read-model tables current: catch up, then follow the log.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use reform_store::EventStore;
use tokio::sync::watch;

use crate::db::{ReadDb, PROGRESS};
use crate::model::ProgressModel;
use crate::{decode, ProjectionError, BATCH};

/// How long a follower waits for news before asking the store (other processes'
/// commits are not announced to this one).
const POLL: Duration = Duration::from_millis(250);
/// How often a follower without the lease tries to take it.
const LEASE_RETRY: Duration = Duration::from_secs(1);
/// The first wait after the tables stopped following on an error; it doubles on each
/// failure in a row, up to [`MAX_RETRY`].
const FIRST_RETRY: Duration = Duration::from_millis(250);
/// The longest wait between two attempts to follow again.
const MAX_RETRY: Duration = Duration::from_secs(30);
/// A follower that ran this long before failing starts its back-off afresh.
const HEALTHY_RUN: Duration = Duration::from_secs(60);

/// Keeps the read-model tables following the log until `stop`, whatever fails on the
/// way: a database restart, an outage or a full disk ends one attempt, which is logged
/// and retried with back-off (250 ms doubling to 30 s) for ever. `position` holds the
/// tables' checkpoint as this process last wrote or read it (0 until known), for
/// monitoring; `failures` counts the attempts that ended in an error.
pub async fn follow_for_ever(
    store: Arc<dyn EventStore>,
    db: ReadDb,
    mut stop: watch::Receiver<bool>,
    position: Arc<std::sync::atomic::AtomicU64>,
    failures: Arc<std::sync::atomic::AtomicU64>,
) {
    let mut wait = FIRST_RETRY;
    loop {
        let started = tokio::time::Instant::now();
        let attempt = async {
            let follower = Follower::load(store.clone(), db.clone()).await?;
            follower.run_reporting(stop.clone(), &position).await
        };
        let error = match attempt.await {
            Ok(()) => return,
            Err(error) => error,
        };
        failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if started.elapsed() >= HEALTHY_RUN {
            wait = FIRST_RETRY;
        }
        tracing::warn!(%error, retry_in_ms = wait.as_millis() as u64,
            "the read-model tables stopped following the log; following again after a pause");
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
        wait = (wait * 2).min(MAX_RETRY);
    }
}

/// Applies the log to the read-model tables, batch by batch, each batch's rows and
/// checkpoint in one transaction. On PostgreSQL only the holder of an advisory lock
/// follows, so that several server instances share one database; the lock is tied to
/// a connection, so it passes to another instance as soon as the holder dies.
pub struct Follower {
    store: Arc<dyn EventStore>,
    db: ReadDb,
    model: ProgressModel,
    position: u64,
}

impl Follower {
    /// Loads the tables and their checkpoint.
    pub async fn load(store: Arc<dyn EventStore>, db: ReadDb) -> Result<Follower, ProjectionError> {
        let (model, position) = db.load().await?;
        Ok(Follower {
            store,
            db,
            model,
            position,
        })
    }

    /// The model as of [`Follower::position`].
    pub fn model(&self) -> &ProgressModel {
        &self.model
    }

    /// The last position applied.
    pub fn position(&self) -> u64 {
        self.position
    }

    /// Applies every event committed so far; returns how many were read.
    pub async fn catch_up(&mut self) -> Result<u64, ProjectionError> {
        let mut read = 0;
        loop {
            let page = self.store.read_all_facts(self.position, BATCH).await?;
            let Some(last) = page.last().map(|e| e.position) else {
                return Ok(read);
            };
            // Apply to a copy: if the write fails, the model stays as the tables are.
            let mut next = self.model.clone();
            let mut keys = BTreeSet::new();
            for recorded in &page {
                keys.extend(next.apply(&decode(recorded)?, recorded.occurred_at));
            }
            match self.db.write_batch(&next, &keys, self.position, last).await {
                Ok(()) => {
                    self.model = next;
                    self.position = last;
                    read += page.len() as u64;
                }
                Err(ProjectionError::CheckpointMoved { .. }) => {
                    // A rebuild replaced the tables under us: start again from them.
                    let (model, position) = self.db.load().await?;
                    self.model = model;
                    self.position = position;
                }
                Err(other) => return Err(other),
            }
        }
    }

    /// Follows the log until `stop` turns true: catches up, then waits for this
    /// process's commits (or polls for other processes') and applies them.
    pub async fn run(self, stop: watch::Receiver<bool>) -> Result<(), ProjectionError> {
        self.run_reporting(stop, &std::sync::atomic::AtomicU64::new(0))
            .await
    }

    /// [`Follower::run`], storing the checkpoint in `position` after each catch-up.
    pub async fn run_reporting(
        mut self,
        mut stop: watch::Receiver<bool>,
        position: &std::sync::atomic::AtomicU64,
    ) -> Result<(), ProjectionError> {
        let _lease = loop {
            match Lease::take(&self.db).await? {
                Some(lease) => break lease,
                None => {
                    tokio::select! {
                        _ = tokio::time::sleep(LEASE_RETRY) => continue,
                        _ = stop.changed() => return Ok(()),
                    }
                }
            }
        };
        // Another instance may have applied events while we waited for the lease.
        let (model, at) = self.db.load().await?;
        self.model = model;
        self.position = at;
        position.store(at, std::sync::atomic::Ordering::Relaxed);
        let mut head = self.store.watch_head();
        loop {
            if *stop.borrow() {
                return Ok(());
            }
            self.catch_up().await?;
            position.store(self.position, std::sync::atomic::Ordering::Relaxed);
            tokio::select! {
                _ = head.changed() => {}
                _ = tokio::time::sleep(POLL) => {}
                _ = stop.changed() => {}
            }
        }
    }
}

/// The right to follow: a PostgreSQL session-level advisory lock held on a dedicated
/// connection for as long as this value lives. SQLite is embedded in one process and
/// needs none (the checkpoint guard still refuses a second writer's batch).
struct Lease {
    // Detached from the pool: dropping it closes the session and releases the lock.
    _connection: Option<sqlx::PgConnection>,
}

impl Lease {
    async fn take(db: &ReadDb) -> Result<Option<Lease>, ProjectionError> {
        match db {
            ReadDb::Sqlite(_) => Ok(Some(Lease { _connection: None })),
            ReadDb::Postgres(pool) => {
                let mut connection = pool.acquire().await?;
                let taken: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtext($1))")
                    .bind(format!("reform-projection-{PROGRESS}"))
                    .fetch_one(&mut *connection)
                    .await?;
                Ok(taken.then(|| Lease {
                    _connection: Some(connection.detach()),
                }))
            }
        }
    }
}
