//! The event store on PostgreSQL, for production.
//!
//! Positions are handed out under a lock on the single `position_counter` row, held
//! until commit: transactions therefore become visible in position order, and a reader
//! that has seen position N has seen every position below it. Concurrent appends are
//! committed together by the writer task, so the lock costs one round trip per batch,
//! not per append.

use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{SubsecRound, Utc};
use reform_domain::{AgencyId, Role, StreamId};
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use sqlx::Row;
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

use crate::batch::{self, BatchPlan, StoredCommand};
use crate::chain::{self, ChainedEvent, Link};
use crate::committer::{self, BatchWriter, Pending};
use crate::model::{
    to_i64, to_u64, Actor, AppendOutcome, AppendRequest, AuditFilter, Backend, EventFact,
    EventMetadata, RecordedEvent, StoreError,
};
use crate::{EventStore, ExpectedVersion};

const COLUMNS: &str = "position, event_id, stream_id, stream_version, event_type, schema_version, payload, \
     actor_id, actor_name, actor_role, actor_agency, occurred_at, recorded_at, command_id, correlation_id, \
     causation_id, reason";

/// The event store on PostgreSQL.
pub struct PostgresStore {
    pool: PgPool,
    writer: mpsc::Sender<Pending>,
    head: watch::Receiver<u64>,
}

impl PostgresStore {
    /// Connects, applies the migrations in `migrations/postgres`, and starts the writer.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            // A request that cannot get a connection soon is answered "unavailable"
            // rather than held for the length of an outage.
            .acquire_timeout(Duration::from_secs(3))
            .connect(url)
            .await?;
        Self::from_pool(pool).await
    }

    /// Uses an existing pool (migrating it first).
    pub async fn from_pool(pool: PgPool) -> Result<Self, StoreError> {
        migrate(&pool).await?;
        backfill_chain(&pool).await?;
        let (current, last_hash): (i64, Option<String>) =
            sqlx::query_as("SELECT value, last_hash FROM position_counter")
                .fetch_one(&pool)
                .await?;
        let (head_tx, head) = watch::channel(to_u64(current));
        let writer = committer::spawn(
            PgWriter {
                pool: pool.clone(),
                tip: Tip {
                    position: to_u64(current),
                    hash: last_hash.unwrap_or_else(|| chain::GENESIS.to_owned()),
                },
            },
            head_tx,
        );
        Ok(PostgresStore { pool, writer, head })
    }

    /// The connection pool, for read-models that live in the same database.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// Whether any event lacks its chain hash: a look at the (normally empty) partial index
/// `events_unchained`, without taking the position lock.
async fn unchained(pool: &PgPool) -> Result<bool, StoreError> {
    let any: Option<i64> =
        sqlx::query_scalar("SELECT position FROM events WHERE hash IS NULL LIMIT 1")
            .fetch_optional(pool)
            .await?;
    Ok(any.is_some())
}

/// Gives events written before the hash chain existed their hashes, in order, once,
/// under the position counter's lock (no append interleaves), and records the last.
async fn backfill_chain(pool: &PgPool) -> Result<(), StoreError> {
    if !unchained(pool).await? {
        return Ok(());
    }
    let mut tx = pool
        .begin_with("BEGIN; SELECT 1 FROM position_counter FOR UPDATE")
        .await?;
    let first: Option<i64> =
        sqlx::query_scalar("SELECT MIN(position) FROM events WHERE hash IS NULL")
            .fetch_one(&mut *tx)
            .await?;
    let Some(first) = first else {
        tx.rollback().await?;
        return Ok(());
    };
    let mut prev: String = sqlx::query_scalar("SELECT hash FROM events WHERE position = $1")
        .bind(first - 1)
        .fetch_optional(&mut *tx)
        .await?
        .flatten()
        .unwrap_or_else(|| chain::GENESIS.to_owned());
    let mut after = first - 1;
    let sql =
        format!("SELECT {COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT 2000");
    loop {
        let rows = sqlx::query(&sql).bind(after).fetch_all(&mut *tx).await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get(0)?;
        let events = rows.iter().map(decode_row).collect::<Result<Vec<_>, _>>()?;
        let links = chain::chain(prev.clone(), &events);
        sqlx::query(
            "UPDATE events SET prev_hash = l.prev_hash, hash = l.hash \
             FROM UNNEST($1::bigint[], $2::text[], $3::text[]) AS l(position, prev_hash, hash) \
             WHERE events.position = l.position",
        )
        .bind(
            events
                .iter()
                .map(|e| to_i64(e.position))
                .collect::<Vec<_>>(),
        )
        .bind(links.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>())
        .bind(links.iter().map(|(_, h)| h.as_str()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
        if let Some((_, hash)) = links.last() {
            prev.clone_from(hash);
        }
    }
    sqlx::query("UPDATE position_counter SET last_hash = $1")
        .bind(&prev)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(
        from = first,
        to = after,
        "hash chain built for events written before it"
    );
    Ok(())
}

/// Applies the PostgreSQL migrations.
async fn migrate(pool: &PgPool) -> Result<(), StoreError> {
    sqlx::migrate!("../../migrations/postgres")
        .run(pool)
        .await?;
    Ok(())
}

/// Columns are read by index, in the order of `COLUMNS` (a name lookup per column
/// per row is a measurable share of a scan).
fn decode_row(row: &PgRow) -> Result<RecordedEvent, StoreError> {
    let role: String = row.try_get(9)?;
    let position = to_u64(row.try_get(0)?);
    Ok(RecordedEvent {
        position,
        event_id: row.try_get(1)?,
        stream_id: StreamId(row.try_get(2)?),
        stream_version: to_u64(row.try_get(3)?),
        event_type: row.try_get(4)?,
        schema_version: u32::try_from(row.try_get::<i32, _>(5)?).unwrap_or(0),
        payload: row.try_get(6)?,
        metadata: EventMetadata {
            actor: Actor {
                user_id: row.try_get(7)?,
                display_name: row.try_get(8)?,
                role: Role::from_code(&role).ok_or_else(|| StoreError::Corrupt {
                    position,
                    message: format!("unknown role {role}"),
                })?,
                agency: row.try_get::<Option<Uuid>, _>(10)?.map(AgencyId),
            },
            occurred_at: row.try_get(11)?,
            recorded_at: row.try_get(12)?,
            command_id: row.try_get(13)?,
            correlation_id: row.try_get(14)?,
            causation_id: row.try_get(15)?,
            reason: row.try_get(16)?,
        },
    })
}

#[async_trait]
impl EventStore for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
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
            "SELECT {COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version"
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
            "SELECT {COLUMNS} FROM events WHERE stream_id = ANY($1) ORDER BY stream_id, stream_version"
        );
        let ids: Vec<&str> = streams.iter().map(StreamId::as_str).collect();
        let rows = sqlx::query(&sql).bind(&ids).fetch_all(&self.pool).await?;
        rows.iter().map(decode_row).collect()
    }

    async fn read_all(&self, after: u64, limit: u32) -> Result<Vec<RecordedEvent>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2");
        let rows = sqlx::query(&sql)
            .bind(to_i64(after))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode_row).collect()
    }

    async fn read_all_facts(&self, after: u64, limit: u32) -> Result<Vec<EventFact>, StoreError> {
        let rows = sqlx::query(
            "SELECT position, event_type, schema_version, payload, occurred_at FROM events \
             WHERE position > $1 ORDER BY position LIMIT $2",
        )
        .bind(to_i64(after))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EventFact {
                    position: to_u64(r.try_get(0)?),
                    event_type: r.try_get(1)?,
                    schema_version: u32::try_from(r.try_get::<i32, _>(2)?).unwrap_or(0),
                    payload: r.try_get(3)?,
                    occurred_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    async fn read_audit(
        &self,
        filter: &AuditFilter,
        before: Option<u64>,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut q = sqlx::QueryBuilder::<sqlx::Postgres>::new(format!(
            "SELECT {COLUMNS} FROM events WHERE position < "
        ));
        q.push_bind(before.map_or(i64::MAX, to_i64));
        if let Some(actor) = &filter.actor {
            q.push(" AND actor_id = ").push_bind(actor.clone());
        }
        if let Some(agency) = filter.agency {
            q.push(" AND actor_agency = ").push_bind(agency.0);
        }
        if let Some(stream) = &filter.stream {
            q.push(" AND stream_id = ")
                .push_bind(stream.as_str().to_owned());
        }
        if !filter.event_types.is_empty() {
            q.push(" AND event_type = ANY(")
                .push_bind(filter.event_types.clone())
                .push(")");
        }
        if let Some(from) = filter.from {
            q.push(" AND occurred_at >= ").push_bind(from);
        }
        if let Some(to) = filter.to {
            q.push(" AND occurred_at < ").push_bind(to);
        }
        q.push(" ORDER BY position DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter().map(decode_row).collect()
    }

    async fn read_chain(&self, after: u64, limit: u32) -> Result<Vec<ChainedEvent>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, prev_hash, hash FROM events WHERE position > $1 ORDER BY position LIMIT $2"
        );
        let rows = sqlx::query(&sql)
            .bind(to_i64(after))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(ChainedEvent {
                    event: decode_row(row)?,
                    prev_hash: row.try_get(17)?,
                    hash: row.try_get(18)?,
                })
            })
            .collect()
    }

    async fn read_links(&self, after: u64, limit: u32) -> Result<Vec<Link>, StoreError> {
        crate::pg_copy::read_links(&self.pool, after, limit).await
    }

    async fn head(&self) -> Result<u64, StoreError> {
        let v: i64 = sqlx::query_scalar("SELECT value FROM position_counter")
            .fetch_one(&self.pool)
            .await?;
        Ok(to_u64(v))
    }

    async fn stream_version(&self, stream: &StreamId) -> Result<u64, StoreError> {
        let v: Option<i64> = sqlx::query_scalar(
            "SELECT stream_version FROM events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1",
        )
        .bind(stream.as_str())
        .fetch_optional(&self.pool)
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
             WHERE stream_id = ANY($1) GROUP BY stream_id",
        )
        .bind(&ids)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(s, v)| (StreamId(s), to_u64(v)))
            .collect())
    }

    async fn command_outcome(&self, command_id: Uuid) -> Result<Option<AppendOutcome>, StoreError> {
        let row = sqlx::query(
            "SELECT stream_id, stream_version, position, command_size::bigint AS command_size \
             FROM events WHERE command_id = $1 AND command_size IS NOT NULL",
        )
        .bind(command_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let c = StoredCommand::from_first_event(
                command_id,
                StreamId(r.try_get("stream_id")?),
                to_u64(r.try_get("stream_version")?),
                to_u64(r.try_get("position")?),
                to_u64(r.try_get("command_size")?),
            );
            Ok(c.outcome(true))
        })
        .transpose()
    }

    async fn streams_in_category(&self, category: &str) -> Result<Vec<StreamId>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT stream_id FROM events \
             WHERE split_part(stream_id, '-', 1) = $1 AND stream_version = 1 ORDER BY stream_id",
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
             WHERE split_part(stream_id, '-', 1) = $1 AND strpos(payload, $2) > 0 ORDER BY stream_id",
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

/// The last event a writer knows committed: its position and its hash, read and
/// replaced together so that the two can never disagree. (They once were two fields;
/// a locked batch that wrote nothing moved the position but not the hash, and the next
/// fast-path batch chained to an older event: a forked chain.)
#[derive(Clone, Debug, PartialEq, Eq)]
struct Tip {
    position: u64,
    hash: String,
}

struct PgWriter {
    pool: PgPool,
    /// What this writer last saw committed: the basis of the fast path.
    tip: Tip,
}

#[async_trait]
impl BatchWriter for PgWriter {
    /// One round trip when the writer's view is current, four otherwise.
    async fn write(
        &mut self,
        requests: &[AppendRequest],
        atomic: bool,
    ) -> Result<BatchPlan, StoreError> {
        // The optimistic path writes only batches it accepts whole, so it is atomic.
        if let Some((plan, tip)) = self.write_optimistically(requests).await {
            self.tip = tip;
            return Ok(plan);
        }
        let (plan, tip) = self.write_under_lock(requests, atomic).await?;
        self.tip = tip;
        Ok(plan)
    }
}

impl PgWriter {
    /// The fast path: plan the batch on what the writer already knows — the head it
    /// last committed, each stream at the version its caller expects, each condition
    /// stream at the version its caller saw — and write it in one autocommitted
    /// statement. The statement only takes effect if that view was right: the position
    /// counter must still hold our head (checked under its row lock), the condition
    /// streams must be at their versions, and a stale stream version or an
    /// already-executed command id violates a unique key. Any miss leaves nothing
    /// written and returns `None`; the batch then takes the locked path, which reads
    /// the real state and answers every request.
    async fn write_optimistically(&self, requests: &[AppendRequest]) -> Option<(BatchPlan, Tip)> {
        let mut versions = HashMap::new();
        let mut conditions: Vec<(StreamId, u64)> = Vec::new();
        for r in requests {
            let assumed = match r.expected {
                ExpectedVersion::Exact(v) => v,
                ExpectedVersion::NoStream => 0,
                ExpectedVersion::Any => return None,
            };
            // The stream must be at the version assumed, checked like a condition:
            // the unique key catches a stream that moved past it, not one behind it.
            if !versions.contains_key(&r.stream) {
                versions.insert(r.stream.clone(), assumed);
                if !conditions.contains(&(r.stream.clone(), assumed)) {
                    conditions.push((r.stream.clone(), assumed));
                }
            }
            for (stream, seen) in &r.conditions {
                versions.entry(stream.clone()).or_insert(*seen);
                if !conditions.contains(&(stream.clone(), *seen)) {
                    conditions.push((stream.clone(), *seen));
                }
            }
        }
        let plan = batch::plan(
            self.tip.position,
            versions,
            HashMap::new(),
            requests,
            Utc::now().trunc_subsecs(6),
        );
        // Only an all-accepted batch is written here: a refusal planned on assumed
        // state is not an answer to give, so such batches take the locked path.
        if plan.rows.is_empty() || plan.results.iter().any(Result::is_err) {
            return None;
        }
        let links = chain::chain(self.tip.hash.clone(), &plan.rows);
        let tip = Tip {
            position: plan.head,
            hash: links.last().map(|(_, h)| h.clone())?,
        };
        match write_plan(&self.pool, &plan, &self.tip, &conditions, &links).await {
            Ok(true) => Some((plan, tip)),
            Ok(false) => None,
            Err(error) => {
                tracing::debug!(%error, "optimistic batch refused; retrying under the lock");
                None
            }
        }
    }

    /// The slow path, four round trips: take the position lock, read the state the
    /// batch is judged against, write everything in one statement, commit. Returns the
    /// tip as it stands after the batch, whether or not the batch wrote anything.
    async fn write_under_lock(
        &self,
        requests: &[AppendRequest],
        atomic: bool,
    ) -> Result<(BatchPlan, Tip), StoreError> {
        // The lock is taken in the BEGIN round trip; the next statement's snapshot is
        // taken after it is granted, so it sees every batch committed before ours.
        let mut tx = self
            .pool
            .begin_with("BEGIN; SELECT 1 FROM position_counter FOR UPDATE")
            .await?;

        let command_ids: Vec<Uuid> = requests.iter().map(|r| r.metadata.command_id).collect();
        let stream_ids: Vec<&str> = requests
            .iter()
            .flat_map(AppendRequest::streams)
            .map(StreamId::as_str)
            .collect();
        let state = sqlx::query(
            "SELECT 'head' AS kind, NULL::uuid AS command_id, last_hash AS stream_id, value AS a, \
                    0::bigint AS b, 0::bigint AS c, 0::bigint AS d FROM position_counter \
             UNION ALL \
             SELECT 'command', command_id, stream_id, stream_version, command_size::bigint, position, 0 \
               FROM events WHERE command_id = ANY($1) AND command_size IS NOT NULL \
             UNION ALL \
             SELECT 'stream', NULL, c.id, COALESCE((SELECT e.stream_version FROM events e \
               WHERE e.stream_id = c.id ORDER BY e.stream_version DESC LIMIT 1), 0), 0, 0, 0 \
               FROM UNNEST($2::text[]) AS c(id)",
        )
        .bind(&command_ids)
        .bind(&stream_ids)
        .fetch_all(&mut *tx)
        .await?;
        let (mut known, mut versions) = (HashMap::new(), HashMap::new());
        let mut tip = None;
        for row in &state {
            let kind: &str = row.try_get("kind")?;
            let a = to_u64(row.try_get("a")?);
            match kind {
                "head" => {
                    let hash: Option<String> = row.try_get("stream_id")?;
                    tip = Some(Tip {
                        position: a,
                        hash: hash.unwrap_or_else(|| chain::GENESIS.to_owned()),
                    });
                }
                "command" => {
                    let c = StoredCommand::from_first_event(
                        row.try_get("command_id")?,
                        StreamId(row.try_get("stream_id")?),
                        a,
                        to_u64(row.try_get("c")?),
                        to_u64(row.try_get("b")?),
                    );
                    known.insert(c.command_id, c);
                }
                _ => {
                    versions.insert(StreamId(row.try_get("stream_id")?), a);
                }
            }
        }

        let tip =
            tip.ok_or_else(|| StoreError::Invalid("the position counter is missing".into()))?;
        let mut plan = batch::plan(
            tip.position,
            versions,
            known,
            requests,
            Utc::now().trunc_subsecs(6),
        );
        if atomic {
            plan = plan.all_or_nothing(tip.position);
        }
        if plan.rows.is_empty() {
            tx.rollback().await?;
            return Ok((plan, tip));
        }
        let links = chain::chain(tip.hash.clone(), &plan.rows);
        let after = Tip {
            position: plan.head,
            hash: links
                .last()
                .map_or_else(|| tip.hash.clone(), |(_, h)| h.clone()),
        };
        if !write_plan(&mut *tx, &plan, &tip, &[], &links).await? {
            return Err(StoreError::Invalid(
                "the position counter moved while locked".into(),
            ));
        }
        tx.commit().await?;
        Ok((plan, after))
    }
}

/// Writes a batch's events, stream versions, command records and the new head in one
/// statement, if the position counter still holds `expected` (its position and its
/// hash: the batch's first `prev_hash` is that hash, so a stale tip can never fork the
/// chain, whatever the caller believed) and every condition
/// stream is at its version (0: absent). Returns whether it wrote. Every insert joins
/// the counter update, so a failed check writes nothing. The conditions are read in the
/// statement's snapshot, which is current exactly when the counter has not moved: every
/// append moves it.
async fn write_plan<'e, E>(
    executor: E,
    plan: &BatchPlan,
    expected: &Tip,
    conditions: &[(StreamId, u64)],
    links: &[(String, String)],
) -> Result<bool, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Postgres>,
{
    let rows = &plan.rows;
    let m = |f: fn(&RecordedEvent) -> Option<Uuid>| rows.iter().map(f).collect::<Vec<_>>();
    let written = sqlx::query(
        "WITH checked AS ( \
           SELECT COALESCE(bool_and(COALESCE((SELECT e.stream_version FROM events e \
             WHERE e.stream_id = c.id ORDER BY e.stream_version DESC LIMIT 1), 0) = c.v), TRUE) AS ok \
           FROM UNNEST($19::text[], $20::bigint[]) AS c(id, v)), \
         guard AS ( \
           UPDATE position_counter SET value = $17, last_hash = $25 \
           WHERE value = $18 AND COALESCE(last_hash, $27) = $26 AND (SELECT ok FROM checked) \
           RETURNING value), \
         new_events AS ( \
           INSERT INTO events (position, event_id, stream_id, stream_version, event_type, schema_version, \
             payload, actor_id, actor_name, actor_role, actor_agency, occurred_at, recorded_at, command_id, \
             command_size, correlation_id, causation_id, reason, prev_hash, hash) \
           SELECT e.* FROM guard, UNNEST($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], \
             $6::int[], $7::text[], $8::text[], $9::text[], $10::text[], $11::uuid[], $12::timestamptz[], \
             $13::timestamptz[], $14::uuid[], $21::int[], $15::uuid[], $16::uuid[], $22::text[], \
             $23::text[], $24::text[]) AS e) \
         SELECT count(*) FROM guard",
    )
    .bind(rows.iter().map(|r| to_i64(r.position)).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.event_id).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.stream_id.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| to_i64(r.stream_version)).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.event_type.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| i32::try_from(r.schema_version).unwrap_or(i32::MAX)).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.payload.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.metadata.actor.user_id.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.metadata.actor.display_name.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.metadata.actor.role.code()).collect::<Vec<_>>())
    .bind(m(|r| r.metadata.actor.agency.map(|a| a.0)))
    .bind(rows.iter().map(|r| r.metadata.occurred_at).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.metadata.recorded_at).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.metadata.command_id).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.metadata.correlation_id).collect::<Vec<_>>())
    .bind(m(|r| r.metadata.causation_id))
    .bind(to_i64(plan.head))
    .bind(to_i64(expected.position))
    .bind(conditions.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>())
    .bind(conditions.iter().map(|(_, v)| to_i64(*v)).collect::<Vec<_>>())
    .bind(plan.command_sizes.iter().map(|n| n.map(|n| i32::try_from(n).unwrap_or(i32::MAX))).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.metadata.reason.as_deref()).collect::<Vec<_>>())
    .bind(links.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>())
    .bind(links.iter().map(|(_, h)| h.as_str()).collect::<Vec<_>>())
    .bind(links.last().map(|(_, h)| h.as_str()))
    .bind(expected.hash.as_str())
    .bind(chain::GENESIS)
    .fetch_one(executor)
    .await?;
    Ok(written.try_get::<i64, _>(0)? == 1)
}
