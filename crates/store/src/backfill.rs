//! Chaining a log written before the hash chain existed (migration 0003), once, when
//! the store opens: the walk both engines share. Each engine takes its own write lock
//! around it and writes the hashes its own way (`sqlite/chain.rs`,
//! `postgres/chain.rs`); the append-only triggers allow exactly that (a NULL hash set
//! once) and nothing else.

use sqlx::{Database, Executor, IntoArguments};

use crate::chain;
use crate::model::{to_u64, StoreError};
use crate::row::{decode_event, Cells, COLUMNS};

/// Events chained per statement.
const PAGE: u32 = 2_000;

/// The first event without its chain hash, if any: a look at the (normally empty)
/// partial index `events_unchained`, cheap enough for every open.
pub(crate) async fn first_unchained<'e, E>(executor: E) -> Result<Option<u64>, StoreError>
where
    E: Executor<'e>,
    <E::Database as Database>::Row: Cells,
    for<'q> <E::Database as Database>::Arguments<'q>: IntoArguments<'q, E::Database>,
{
    let row =
        sqlx::query("SELECT position FROM events WHERE hash IS NULL ORDER BY position LIMIT 1")
            .fetch_optional(executor)
            .await?;
    row.map(|r| r.int(0).map(to_u64)).transpose()
}

/// One event's chain columns to set: its position, `prev_hash` and `hash`.
pub(crate) type Hashes = (i64, String, String);

/// A walk over the unchained events in order, a page at a time, under the caller's
/// lock (no append interleaves).
pub(crate) struct Walk {
    first: u64,
    after: u64,
    prev: String,
}

impl Walk {
    /// Starts at the first unchained event, from the stored hash of the one before it
    /// (the genesis at the start of the log); `None` when every event is chained.
    pub(crate) async fn start<DB>(
        connection: &mut DB::Connection,
    ) -> Result<Option<Walk>, StoreError>
    where
        DB: Database,
        DB::Row: Cells,
        for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
        for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    {
        let Some(first) = first_unchained(&mut *connection).await? else {
            return Ok(None);
        };
        // Positions are numbers: written into the text, the statement needs no
        // parameters, whose markers the engines write differently.
        let before = format!("SELECT hash FROM events WHERE position = {}", first - 1);
        let prev = sqlx::query(&before)
            .fetch_optional(&mut *connection)
            .await?
            .map(|row| row.opt_text(0))
            .transpose()?
            .flatten()
            .unwrap_or_else(|| chain::GENESIS.to_owned());
        Ok(Some(Walk {
            first,
            after: first - 1,
            prev,
        }))
    }

    /// The next page's hashes, or `None` past the last event.
    pub(crate) async fn next<DB>(
        &mut self,
        connection: &mut DB::Connection,
    ) -> Result<Option<Vec<Hashes>>, StoreError>
    where
        DB: Database,
        DB::Row: Cells,
        for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
        for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    {
        let page = format!(
            "SELECT {COLUMNS} FROM events WHERE position > {} ORDER BY position LIMIT {PAGE}",
            self.after
        );
        let rows = sqlx::query(&page).fetch_all(&mut *connection).await?;
        let events = rows
            .iter()
            .map(decode_event)
            .collect::<Result<Vec<_>, _>>()?;
        let Some(last) = events.last() else {
            return Ok(None);
        };
        self.after = last.position;
        let links = chain::chain(self.prev.clone(), &events);
        if let Some((_, hash)) = links.last() {
            self.prev.clone_from(hash);
        }
        Ok(Some(
            events
                .iter()
                .zip(links)
                .map(|(e, (prev_hash, hash))| (crate::model::to_i64(e.position), prev_hash, hash))
                .collect(),
        ))
    }

    /// The hash of the last event chained.
    pub(crate) fn last_hash(&self) -> &str {
        &self.prev
    }

    /// Says in the log what was chained.
    pub(crate) fn report(&self) {
        tracing::info!(
            from = self.first,
            to = self.after,
            "hash chain built for events written before it"
        );
    }
}
