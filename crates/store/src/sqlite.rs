//! The event store on SQLite, embedded: the default, needing no server.
//!
//! SQLite has one writer at a time. Writes open with `BEGIN IMMEDIATE` (a deferred
//! transaction that later upgrades to a write lock fails under contention instead of
//! waiting), WAL lets readers run beside the writer, and a busy timeout absorbs other
//! processes' writes. Positions are `max + 1` inside the write lock, so they are
//! gap-free and visible in order.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Datelike, SubsecRound, Utc};
use reform_domain::{AgencyId, Role, StreamId};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::Row;
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

use crate::batch::{self, BatchPlan, StoredCommand};
use crate::bulk::BulkReader;
use crate::canonical;
use crate::chain::{self, ChainedEvent, Link};
use crate::committer::{self, BatchWriter, Pending};
use crate::model::{
    sqlite_time, to_i64, to_u64, Actor, AppendOutcome, AppendRequest, AuditFilter, Backend,
    EventFact, EventMetadata, RecordedEvent, StoreError,
};
use crate::EventStore;

const COLUMNS: &str = "position, event_id, stream_id, stream_version, event_type, schema_version, payload, \
     actor_id, actor_name, actor_role, actor_agency, occurred_at, recorded_at, command_id, correlation_id, \
     causation_id, reason";

/// The event store on SQLite.
pub struct SqliteStore {
    pool: SqlitePool,
    /// Bulk reads of the log; `None` for an in-memory database.
    bulk: Option<std::sync::Arc<BulkReader>>,
    writer: mpsc::Sender<Pending>,
    head: watch::Receiver<u64>,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://reform.db`),
    /// applies the migrations in `migrations/sqlite`, and starts the writer.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Acknowledged means on disk: an audit log must not lose a commit.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let path = options.get_filename();
        let bulk = (!path.as_os_str().is_empty() && path.as_os_str() != ":memory:")
            .then(|| BulkReader::new(path.to_path_buf()));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("../../migrations/sqlite").run(&pool).await?;
        backfill_chain(&pool).await?;
        let current: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM events")
            .fetch_one(&pool)
            .await?;
        let (head_tx, head) = watch::channel(to_u64(current));
        let writer = committer::spawn(
            SqliteWriter {
                pool: pool.clone(),
                turn: sqlite_write_turn(&path_of(&pool)),
            },
            head_tx,
        );
        Ok(SqliteStore {
            pool,
            bulk,
            writer,
            head,
        })
    }

    /// The connection pool, for read-models that live in the same file.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

fn corrupt(position: u64, what: &str, value: &str) -> StoreError {
    StoreError::Corrupt {
        position,
        message: format!("{what} {value:?} does not parse"),
    }
}

fn uuid(position: u64, value: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(value).map_err(|_| corrupt(position, "uuid", value))
}

fn time(position: u64, value: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| corrupt(position, "timestamp", value))
}

/// The last position and its hash ([`chain::GENESIS`] for an empty log).
async fn last_link(connection: &mut sqlx::SqliteConnection) -> Result<(u64, String), StoreError> {
    let last: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1")
            .fetch_optional(&mut *connection)
            .await?;
    Ok(match last {
        None => (0, chain::GENESIS.to_owned()),
        Some((position, hash)) => (
            to_u64(position),
            hash.ok_or_else(|| corrupt(to_u64(position), "hash", "NULL"))?,
        ),
    })
}

/// Whether any event lacks its chain hash: a look at the (normally empty) partial index
/// `events_unchained`, without taking the write lock.
async fn unchained(pool: &SqlitePool) -> Result<bool, StoreError> {
    let any: Option<i64> =
        sqlx::query_scalar("SELECT position FROM events WHERE hash IS NULL LIMIT 1")
            .fetch_optional(pool)
            .await?;
    Ok(any.is_some())
}

/// Gives events written before the hash chain existed their hashes, in order, once
/// (the append-only trigger lets a NULL hash be set and nothing else). Runs under the
/// write lock, so no append interleaves.
async fn backfill_chain(pool: &SqlitePool) -> Result<(), StoreError> {
    if !unchained(pool).await? {
        return Ok(());
    }
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let first: Option<i64> =
        sqlx::query_scalar("SELECT MIN(position) FROM events WHERE hash IS NULL")
            .fetch_one(&mut *tx)
            .await?;
    let Some(first) = first else {
        return Ok(());
    };
    let mut prev: String = sqlx::query_scalar("SELECT hash FROM events WHERE position = ?1")
        .bind(first - 1)
        .fetch_optional(&mut *tx)
        .await?
        .flatten()
        .unwrap_or_else(|| chain::GENESIS.to_owned());
    let mut after = first - 1;
    let sql =
        format!("SELECT {COLUMNS} FROM events WHERE position > ?1 ORDER BY position LIMIT 2000");
    loop {
        let rows = sqlx::query(&sql).bind(after).fetch_all(&mut *tx).await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get(0)?;
        let events = rows.iter().map(decode_row).collect::<Result<Vec<_>, _>>()?;
        for (event, (prev_hash, hash)) in events.iter().zip(chain::chain(prev.clone(), &events)) {
            sqlx::query("UPDATE events SET prev_hash = ?1, hash = ?2 WHERE position = ?3")
                .bind(prev_hash)
                .bind(&hash)
                .bind(to_i64(event.position))
                .execute(&mut *tx)
                .await?;
            prev = hash;
        }
    }
    tx.commit().await?;
    tracing::info!(
        from = first,
        to = after,
        "hash chain built for events written before it"
    );
    Ok(())
}

/// Columns are read by index, in the order of `COLUMNS` (a name lookup per column
/// per row is a measurable share of a scan).
/// The file a pool's connections open.
pub fn path_of(pool: &SqlitePool) -> std::path::PathBuf {
    pool.connect_options().get_filename().to_path_buf()
}

/// A row's columns by index, whichever driver read it.
trait Cells {
    fn int(&self, i: usize) -> Result<i64, StoreError>;
    fn text(&self, i: usize) -> Result<String, StoreError>;
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError>;
}

impl Cells for SqliteRow {
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn text(&self, i: usize) -> Result<String, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(i)?)
    }
}

impl Cells for rusqlite::Row<'_> {
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        Ok(self.get(i)?)
    }
    fn text(&self, i: usize) -> Result<String, StoreError> {
        Ok(self.get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.get(i)?)
    }
}

/// An event from the columns of [`COLUMNS`], in that order.
fn decode_row(row: &impl Cells) -> Result<RecordedEvent, StoreError> {
    let position = to_u64(row.int(0)?);
    let role = row.text(9)?;
    let agency = row.opt_text(10)?;
    let causation = row.opt_text(15)?;
    Ok(RecordedEvent {
        position,
        event_id: uuid(position, &row.text(1)?)?,
        stream_id: StreamId(row.text(2)?),
        stream_version: to_u64(row.int(3)?),
        event_type: row.text(4)?,
        schema_version: u32::try_from(row.int(5)?).unwrap_or(0),
        payload: row.text(6)?,
        metadata: EventMetadata {
            actor: Actor {
                user_id: row.text(7)?,
                display_name: row.text(8)?,
                role: Role::from_code(&role).ok_or_else(|| corrupt(position, "role", &role))?,
                agency: agency
                    .map(|a| uuid(position, &a).map(AgencyId))
                    .transpose()?,
            },
            occurred_at: time(position, &row.text(11)?)?,
            recorded_at: time(position, &row.text(12)?)?,
            command_id: uuid(position, &row.text(13)?)?,
            correlation_id: uuid(position, &row.text(14)?)?,
            causation_id: causation.map(|c| uuid(position, &c)).transpose()?,
            reason: row.opt_text(16)?,
        },
    })
}

/// The chain page `read_chain` answers, from a query over [`COLUMNS`], `prev_hash`, `hash`.
fn decode_chained(row: &impl Cells) -> Result<ChainedEvent, StoreError> {
    Ok(ChainedEvent {
        event: decode_row(row)?,
        prev_hash: row.opt_text(17)?,
        hash: row.opt_text(18)?,
    })
}

/// The chain link of a bulk-read row of [`COLUMNS`], `prev_hash`, `hash`, hashed from
/// the column text as read (`buffer` is scratch space kept across rows).
fn link_of_row(row: &rusqlite::Row<'_>, buffer: &mut Vec<u8>) -> Result<Link, StoreError> {
    let position = to_u64(row.get(0)?);
    let chain_column = |i: usize| row.get_ref(i).ok()?.as_str_or_null().ok().flatten();
    let (prev_hash, hash) = (chain_column(17), chain_column(18));
    let computed = prev_hash.and_then(|prev| {
        let fields = stored_fields(row)?;
        canonical::link(buffer, prev, &fields).ok()
    });
    Ok(Link {
        position,
        prev_hash: prev_hash.map(str::to_owned),
        hash: hash.map(str::to_owned),
        computed,
    })
}

/// The canonical fields of a row of [`COLUMNS`] as stored; `None` when a column does
/// not read as its type.
fn stored_fields<'r>(row: &'r rusqlite::Row<'_>) -> Option<canonical::Fields<'r>> {
    use rusqlite::types::ValueRef;
    let opt_text = |i: usize| match row.get_ref(i).ok()? {
        ValueRef::Text(bytes) => Some(Some(bytes)),
        ValueRef::Null => Some(None),
        _ => None,
    };
    let text = |i: usize| opt_text(i)?;
    let int = |i: usize| row.get_ref(i).ok()?.as_i64().ok();
    let parse = |bytes: &[u8]| Uuid::try_parse_ascii(bytes).ok();
    let id = |i: usize| parse(text(i)?);
    let opt_id = |i: usize| match opt_text(i)? {
        Some(bytes) => parse(bytes).map(Some),
        None => Some(None),
    };
    Some(canonical::Fields {
        event_id: id(1)?,
        stream_id: text(2)?,
        stream_version: to_u64(int(3)?),
        event_type: text(4)?,
        schema_version: u32::try_from(int(5)?).unwrap_or(0),
        payload: text(6)?,
        user_id: text(7)?,
        display_name: text(8)?,
        role: text(9)?,
        agency: opt_id(10)?,
        occurred_at: canonical::Time::Text(text(11)?),
        recorded_at: canonical::Time::Text(text(12)?),
        command_id: id(13)?,
        correlation_id: id(14)?,
        causation_id: opt_id(15)?,
        reason: opt_text(16)?,
    })
}

/// What a fold needs, from `position, event_type, schema_version, payload, occurred_at`.
fn decode_fact(row: &impl Cells) -> Result<EventFact, StoreError> {
    let position = to_u64(row.int(0)?);
    Ok(EventFact {
        position,
        event_type: row.text(1)?,
        schema_version: u32::try_from(row.int(2)?).unwrap_or(0),
        payload: row.text(3)?,
        occurred_at: time(position, &row.text(4)?)?,
    })
}

/// Runs `sql` (two parameters: after, limit) through the bulk reader.
async fn bulk_page<T: Send + 'static>(
    bulk: &std::sync::Arc<BulkReader>,
    sql: String,
    after: u64,
    limit: u32,
    decode: fn(&rusqlite::Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    bulk.read(move |connection| {
        let mut statement = connection.prepare_cached(&sql)?;
        let mut rows = statement.query(rusqlite::params![to_i64(after), i64::from(limit)])?;
        let mut page = Vec::with_capacity(limit.min(10_000) as usize);
        while let Some(row) = rows.next()? {
            page.push(decode(row)?);
        }
        Ok(page)
    })
    .await
}

/// A command's record: its first event, which carries how many events it wrote.
fn stored_command(row: &SqliteRow) -> Result<StoredCommand, StoreError> {
    let position = to_u64(row.try_get("position")?);
    let id: String = row.try_get("command_id")?;
    Ok(StoredCommand::from_first_event(
        uuid(position, &id)?,
        StreamId(row.try_get("stream_id")?),
        to_u64(row.try_get("stream_version")?),
        position,
        to_u64(row.try_get("command_size")?),
    ))
}

const COMMAND_RECORD: &str =
    "SELECT command_id, stream_id, stream_version, position, command_size FROM events";

#[async_trait]
impl EventStore for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn append(&self, request: AppendRequest) -> Result<AppendOutcome, StoreError> {
        committer::append_one(&self.writer, request).await
    }

    async fn append_all(
        &self,
        requests: Vec<AppendRequest>,
    ) -> Result<Vec<AppendOutcome>, StoreError> {
        committer::append_group(&self.writer, requests).await
    }

    async fn read_stream(
        &self,
        stream: &StreamId,
        from_version: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM events WHERE stream_id = ?1 AND stream_version >= ?2 ORDER BY stream_version"
        );
        let rows = sqlx::query(&sql)
            .bind(stream.as_str())
            .bind(to_i64(from_version))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode_row).collect()
    }

    async fn read_streams(&self, streams: &[StreamId]) -> Result<Vec<RecordedEvent>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM events WHERE stream_id IN (SELECT value FROM json_each(?1)) \
             ORDER BY stream_id, stream_version"
        );
        let ids: Vec<&str> = streams.iter().map(StreamId::as_str).collect();
        let rows = sqlx::query(&sql)
            .bind(serde_json::to_string(&ids).unwrap_or_default())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode_row).collect()
    }

    async fn read_all(&self, after: u64, limit: u32) -> Result<Vec<RecordedEvent>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM events WHERE position > ?1 ORDER BY position LIMIT ?2");
        let rows = sqlx::query(&sql)
            .bind(to_i64(after))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode_row).collect()
    }

    async fn read_all_facts(&self, after: u64, limit: u32) -> Result<Vec<EventFact>, StoreError> {
        const FACTS: &str =
            "SELECT position, event_type, schema_version, payload, occurred_at FROM events \
             WHERE position > ?1 ORDER BY position LIMIT ?2";
        if let Some(bulk) = &self.bulk {
            return bulk_page(bulk, FACTS.to_owned(), after, limit, |r| decode_fact(r)).await;
        }
        let rows = sqlx::query(FACTS)
            .bind(to_i64(after))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode_fact).collect()
    }

    async fn read_audit(
        &self,
        filter: &AuditFilter,
        before: Option<u64>,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(format!(
            "SELECT {COLUMNS} FROM events WHERE position < "
        ));
        q.push_bind(before.map_or(i64::MAX, to_i64));
        if let Some(actor) = &filter.actor {
            q.push(" AND actor_id = ").push_bind(actor.clone());
        }
        if let Some(agency) = filter.agency {
            q.push(" AND actor_agency = ")
                .push_bind(agency.0.to_string());
        }
        if let Some(stream) = &filter.stream {
            q.push(" AND stream_id = ")
                .push_bind(stream.as_str().to_owned());
        }
        if !filter.event_types.is_empty() {
            q.push(" AND event_type IN (SELECT value FROM json_each(")
                .push_bind(serde_json::to_string(&filter.event_types).unwrap_or_default())
                .push("))");
        }
        // Stored times are text with four-digit years, which sorts as time; a bound
        // outside years 0–9999 would not ("+262142-…" sorts before "2024-…"), so it
        // is settled here: past every storable time, a lower bound matches nothing
        // and an upper bound bounds nothing; before them all, the reverse.
        let storable = |t: DateTime<Utc>| (0..=9999).contains(&t.year());
        if let Some(from) = filter.from {
            if from.year() > 9999 {
                return Ok(Vec::new());
            }
            if storable(from) {
                q.push(" AND occurred_at >= ").push_bind(sqlite_time(from));
            }
        }
        if let Some(to) = filter.to {
            if to.year() < 0 {
                return Ok(Vec::new());
            }
            if storable(to) {
                q.push(" AND occurred_at < ").push_bind(sqlite_time(to));
            }
        }
        q.push(" ORDER BY position DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter().map(decode_row).collect()
    }

    async fn read_chain(&self, after: u64, limit: u32) -> Result<Vec<ChainedEvent>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, prev_hash, hash FROM events WHERE position > ?1 ORDER BY position LIMIT ?2"
        );
        if let Some(bulk) = &self.bulk {
            return bulk_page(bulk, sql, after, limit, |r| decode_chained(r)).await;
        }
        let rows = sqlx::query(&sql)
            .bind(to_i64(after))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode_chained).collect()
    }

    async fn read_links(&self, after: u64, limit: u32) -> Result<Vec<Link>, StoreError> {
        let Some(bulk) = &self.bulk else {
            let page = self.read_chain(after, limit).await?;
            return Ok(page.iter().map(Link::of).collect());
        };
        let sql = format!(
            "SELECT {COLUMNS}, prev_hash, hash FROM events WHERE position > ?1 ORDER BY position LIMIT ?2"
        );
        bulk.read(move |connection| {
            let mut statement = connection.prepare_cached(&sql)?;
            let mut rows = statement.query(rusqlite::params![to_i64(after), i64::from(limit)])?;
            let mut page = Vec::with_capacity(limit.min(10_000) as usize);
            let mut buffer = Vec::with_capacity(2048);
            while let Some(row) = rows.next()? {
                page.push(link_of_row(row, &mut buffer)?);
            }
            Ok(page)
        })
        .await
    }

    async fn head(&self) -> Result<u64, StoreError> {
        let v: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM events")
            .fetch_one(&self.pool)
            .await?;
        Ok(to_u64(v))
    }

    async fn stream_version(&self, stream: &StreamId) -> Result<u64, StoreError> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT MAX(stream_version) FROM events WHERE stream_id = ?1")
                .bind(stream.as_str())
                .fetch_one(&self.pool)
                .await?;
        Ok(v.map_or(0, to_u64))
    }

    async fn stream_versions(
        &self,
        streams: &[StreamId],
    ) -> Result<Vec<(StreamId, u64)>, StoreError> {
        let ids: Vec<&str> = streams.iter().map(StreamId::as_str).collect();
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT stream_id, MAX(stream_version) FROM events \
             WHERE stream_id IN (SELECT value FROM json_each(?1)) GROUP BY stream_id",
        )
        .bind(serde_json::to_string(&ids).unwrap_or_default())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(s, v)| (StreamId(s), to_u64(v)))
            .collect())
    }

    async fn command_outcome(&self, command_id: Uuid) -> Result<Option<AppendOutcome>, StoreError> {
        let sql = format!("{COMMAND_RECORD} WHERE command_id = ?1 AND command_size IS NOT NULL");
        let row = sqlx::query(&sql)
            .bind(command_id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .as_ref()
            .map(stored_command)
            .transpose()?
            .map(|c| c.outcome(true)))
    }

    async fn streams_in_category(&self, category: &str) -> Result<Vec<StreamId>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT stream_id FROM events \
             WHERE substr(stream_id, 1, instr(stream_id, '-') - 1) = ?1 AND stream_version = 1 \
             ORDER BY stream_id",
        )
        .bind(category)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(StreamId).collect())
    }

    async fn streams_mentioning(
        &self,
        category: &str,
        needle: &str,
    ) -> Result<Vec<StreamId>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT stream_id FROM events \
             WHERE substr(stream_id, 1, instr(stream_id, '-') - 1) = ?1 AND instr(payload, ?2) > 0 \
             ORDER BY stream_id",
        )
        .bind(category)
        .bind(needle)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(StreamId).collect())
    }

    fn watch_head(&self) -> watch::Receiver<u64> {
        self.head.clone()
    }
}

struct SqliteWriter {
    pool: SqlitePool,
    turn: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// The turn in-process writers to one SQLite file take before `BEGIN IMMEDIATE`: the
/// log's writer and the read-model tables' follower then queue here instead of meeting
/// SQLite's busy handler, whose back-off sleeps (up to 100 ms each) made the tail of
/// commit-to-read-model lag. Other processes are still kept apart by SQLite's lock and
/// the busy timeout.
pub fn sqlite_write_turn(path: &std::path::Path) -> std::sync::Arc<tokio::sync::Mutex<()>> {
    use std::sync::{Arc, Mutex, OnceLock};
    static TURNS: OnceLock<Mutex<HashMap<std::path::PathBuf, Arc<tokio::sync::Mutex<()>>>>> =
        OnceLock::new();
    let mut turns = TURNS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // Keyed by the path as given too, so that the follower's writes, which ask on
    // every batch, find their turn without touching the file system.
    if let Some(turn) = turns.get(path) {
        return Arc::clone(turn);
    }
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let turn = Arc::clone(turns.entry(real).or_default());
    turns.insert(path.to_path_buf(), Arc::clone(&turn));
    turn
}

#[async_trait]
impl BatchWriter for SqliteWriter {
    async fn write(
        &mut self,
        requests: &[AppendRequest],
        atomic: bool,
    ) -> Result<BatchPlan, StoreError> {
        let turn = std::sync::Arc::clone(&self.turn);
        let _turn = turn.lock().await;
        let mut connection = self.pool.acquire().await?;
        let written = write_batch(&mut connection, requests, atomic).await;
        if written.is_err() {
            // A failed COMMIT (a full disk) can leave sqlx believing the connection is
            // still inside a transaction, and every later BEGIN on it then fails: the
            // connection is closed rather than returned to the pool, so the next write
            // starts on a fresh one once the trouble has passed.
            connection.close_on_drop();
        }
        written
    }
}

/// Writes one batch in one `BEGIN IMMEDIATE` transaction on `connection`.
async fn write_batch(
    connection: &mut sqlx::SqliteConnection,
    requests: &[AppendRequest],
    atomic: bool,
) -> Result<BatchPlan, StoreError> {
    let mut tx = sqlx::Connection::begin_with(connection, "BEGIN IMMEDIATE").await?;
    let (head, last_hash) = last_link(&mut tx).await?;

    let command_ids: Vec<String> = requests
        .iter()
        .map(|r| r.metadata.command_id.to_string())
        .collect();
    let sql = format!(
            "{COMMAND_RECORD} WHERE command_id IN (SELECT value FROM json_each(?1)) AND command_size IS NOT NULL"
        );
    let known = sqlx::query(&sql)
        .bind(serde_json::to_string(&command_ids).unwrap_or_default())
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| stored_command(r).map(|c| (c.command_id, c)))
        .collect::<Result<HashMap<_, _>, _>>()?;

    let stream_ids: Vec<&str> = requests
        .iter()
        .flat_map(AppendRequest::streams)
        .map(StreamId::as_str)
        .collect();
    let versions = sqlx::query(
            "SELECT s.value AS stream_id, \
                    COALESCE((SELECT MAX(stream_version) FROM events e WHERE e.stream_id = s.value), 0) AS version \
             FROM json_each(?1) AS s",
        )
            .bind(serde_json::to_string(&stream_ids).unwrap_or_default())
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| Ok((StreamId(r.try_get("stream_id")?), to_u64(r.try_get("version")?))))
            .collect::<Result<HashMap<_, _>, sqlx::Error>>()?;

    let mut plan = batch::plan(head, versions, known, requests, Utc::now().trunc_subsecs(6));
    if atomic {
        plan = plan.all_or_nothing(head);
    }
    if plan.rows.is_empty() {
        tx.rollback().await?;
        return Ok(plan);
    }
    let links = chain::chain(last_hash, &plan.rows);
    for ((r, size), (prev_hash, hash)) in plan.rows.iter().zip(&plan.command_sizes).zip(links) {
        let m = &r.metadata;
        sqlx::query(
                "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, schema_version, \
                 payload, actor_id, actor_name, actor_role, actor_agency, occurred_at, recorded_at, command_id, \
                 correlation_id, causation_id, reason, command_size, prev_hash, hash) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
            )
            .bind(to_i64(r.position))
            .bind(r.event_id.to_string())
            .bind(r.stream_id.as_str())
            .bind(to_i64(r.stream_version))
            .bind(r.event_type.as_str())
            .bind(i64::from(r.schema_version))
            .bind(r.payload.as_str())
            .bind(m.actor.user_id.as_str())
            .bind(m.actor.display_name.as_str())
            .bind(m.actor.role.code())
            .bind(m.actor.agency.map(|a| a.0.to_string()))
            .bind(sqlite_time(m.occurred_at))
            .bind(sqlite_time(m.recorded_at))
            .bind(m.command_id.to_string())
            .bind(m.correlation_id.to_string())
            .bind(m.causation_id.map(|c| c.to_string()))
            .bind(m.reason.as_deref())
            .bind(size.map(i64::from))
            .bind(prev_hash)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(plan)
}
