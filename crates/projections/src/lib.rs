//! Read-models folded from the event log: what leaders and the secretariat read.
//!
//! **The log is the record; everything here can be dropped and rebuilt from it.** One
//! pure fold ([`ProgressModel`]) serves three uses: the [`Follower`] keeps the tables
//! current (rows and checkpoint written in one transaction, batch by batch), [`rebuild`]
//! replaces them from position 0 in one swap, and [`as_of`] folds the events up to a
//! past instant in memory. Questions ([`queries`]) run on a model however it was made,
//! and take "today" as an argument instead of freezing it into rows.

pub mod audit;
mod audited;
mod db;
mod figure;
mod follower;
mod jurisdictions;
mod live;
mod memo;
mod model;
pub mod queries;
mod tree;
mod vocab;

use chrono::{DateTime, Utc};
use reform_store::{EventFact, EventStore, StoreError};

pub use db::{ReadDb, PROGRESS};
pub use figure::{Standing, TaskFigure};
pub use follower::{follow_for_ever, Follower};
pub use live::{LiveView, Snapshot};
pub use memo::{Cache, Memo};
pub use model::{
    AgencyRecords, AgencyRow, AgencyRowStatus, DatedDeadline, DatedOpening, DocumentRow,
    DocumentRowKind, DossierPeriod, HeadTenure, IndicatorRow, JurisdictionRow, MeasuredValue,
    ParRow, ProgressModel, SipasResult, Target, TaskHistory, TaskRow, TaskRowStatus,
};
pub use reform_domain::fold_for_search;

/// Events read from the log per batch.
pub const BATCH: u32 = 2_000;

/// Why a projection could not do its work.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProjectionError {
    /// The event store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The read-model database failed.
    #[error("read-model database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Another process moved the checkpoint (a rebuild, or a second follower).
    #[error("the checkpoint of {name} is no longer at {expected}; reload and continue")]
    CheckpointMoved {
        /// Projection.
        name: String,
        /// Where this process thought it was.
        expected: u64,
    },
    /// A row or event could not be read back.
    #[error("{0}")]
    Corrupt(String),
}

fn decode_event(
    position: u64,
    decoded: Result<reform_domain::Event, reform_domain::DecodeError>,
) -> Result<reform_domain::Event, ProjectionError> {
    decoded.map_err(|e| ProjectionError::Corrupt(format!("event at position {position}: {e}")))
}

fn decode(fact: &EventFact) -> Result<reform_domain::Event, ProjectionError> {
    fact.decode()
        .map_err(|e| ProjectionError::Corrupt(format!("event at position {}: {e}", fact.position)))
}

/// Folds the whole log, or the events up to `until` (by business time, `occurred_at`),
/// into a fresh model. Returns the model and the last position read.
async fn fold(
    store: &dyn EventStore,
    until: Option<DateTime<Utc>>,
) -> Result<(ProgressModel, u64), ProjectionError> {
    // Reading the next page overlaps with folding this one: the database works while
    // we decode.
    let (pages, mut incoming) = tokio::sync::mpsc::channel::<Vec<EventFact>>(2);
    let read = async move {
        let mut after = 0;
        loop {
            let page = store.read_all_facts(after, BATCH).await?;
            let Some(last) = page.last() else {
                return Ok::<u64, ProjectionError>(after);
            };
            after = last.position;
            if pages.send(page).await.is_err() {
                return Ok(after);
            }
        }
    };
    let apply = async move {
        let mut model = ProgressModel::default();
        while let Some(page) = incoming.recv().await {
            for fact in &page {
                if until.is_none_or(|t| fact.occurred_at <= t) {
                    model.apply(&decode(fact)?, fact.occurred_at);
                }
            }
        }
        Ok::<ProgressModel, ProjectionError>(model)
    };
    let (position, model) = tokio::join!(read, apply);
    Ok((model?, position?))
}

/// The read-model as it stood at a past instant: every event whose business time
/// (`occurred_at`) is at or before `instant`, folded in memory by the same code that
/// keeps the tables. "Pillar progress on 30/06/2023" is
/// `queries::pillar_progress(&as_of(store, t).await?, None, date)`.
pub async fn as_of(
    store: &dyn EventStore,
    instant: DateTime<Utc>,
) -> Result<ProgressModel, ProjectionError> {
    Ok(fold(store, Some(instant)).await?.0)
}

/// [`as_of`] for one jurisdiction: the model folded from the streams filed under it
/// and under what lies in it by the register (its communes, the provinces merged into
/// it and theirs), with the national records and the register every province reads —
/// not from the whole country's log. Whatever a viewer of `jurisdiction` is shown
/// (records of it, and national ones) is as [`as_of`] shows it; records of other
/// jurisdictions are absent, so their answers are not to be asked of this model.
/// `jurisdiction` `VN` is the whole country, as [`as_of`].
pub async fn as_of_in(
    store: &dyn EventStore,
    instant: DateTime<Utc>,
    jurisdiction: &str,
) -> Result<ProgressModel, ProjectionError> {
    if jurisdiction == reform_domain::NATIONAL {
        return as_of(store, instant).await;
    }
    let upto = store.head().await?;
    let national = vec![reform_domain::NATIONAL.to_owned()];
    let mut facts = store.read_facts_filed_under(&national, upto).await?;
    // What lies in the jurisdiction is the register's say as it stands now (a
    // superset of what it was at `instant`: a province merged later is read too, and
    // the fold below leaves out what happened after `instant`).
    let mut register = ProgressModel::default();
    for fact in facts
        .iter()
        .filter(|f| f.event_type.starts_with("Jurisdiction"))
    {
        register.apply(&decode(fact)?, fact.occurred_at);
    }
    let codes: Vec<String> = store
        .filed_jurisdictions()
        .await?
        .into_iter()
        .filter(|code| {
            code != reform_domain::NATIONAL && register.lies_in(code, Some(jurisdiction))
        })
        .collect();
    for chunk in codes.chunks(reform_store::MAX_FILED_CODES) {
        facts.extend(store.read_facts_filed_under(chunk, upto).await?);
    }
    facts.sort_unstable_by_key(|f| f.position);
    let mut model = ProgressModel::default();
    for fact in facts.iter().filter(|f| f.occurred_at <= instant) {
        model.apply(&decode(fact)?, fact.occurred_at);
    }
    Ok(model)
}

/// Rebuilds the read-model tables from position 0: folds the log in memory, then
/// replaces the tables and the checkpoint in one transaction, so readers are never
/// shown a half-built state. Returns the number of events folded.
pub async fn rebuild(store: &dyn EventStore, db: &ReadDb) -> Result<u64, ProjectionError> {
    let (model, position) = fold(store, None).await?;
    db.replace_all(&model, position).await?;
    Ok(position)
}
