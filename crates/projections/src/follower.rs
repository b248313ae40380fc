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
                keys.extend(next.apply(&decode(recorded)?));
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
    pub async fn run(mut self, mut stop: watch::Receiver<bool>) -> Result<(), ProjectionError> {
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
        let (model, position) = self.db.load().await?;
        self.model = model;
        self.position = position;
        let mut head = self.store.watch_head();
        loop {
            if *stop.borrow() {
                return Ok(());
            }
            self.catch_up().await?;
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
