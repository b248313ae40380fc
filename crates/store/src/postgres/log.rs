//! Appending on PostgreSQL: a batch first as one autocommitted statement planned on
//! what the writer knows (the fast path), else under the position counter's lock.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{SubsecRound, Utc};
use reform_domain::StreamId;
use sqlx::postgres::PgPool;
use sqlx::Row;
use uuid::Uuid;

use crate::batch::{self, BatchPlan, StoredCommand};
use crate::chain;
use crate::committer::BatchWriter;
use crate::model::{to_i64, to_u64, AppendRequest, ExpectedVersion, RecordedEvent, StoreError};

/// The last event a writer knows committed: its position and its hash, read and
/// replaced together so that the two can never disagree. (They once were two fields;
/// a locked batch that wrote nothing moved the position but not the hash, and the next
/// fast-path batch chained to an older event: a forked chain.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Tip {
    pub(super) position: u64,
    pub(super) hash: String,
}

pub(super) struct PgWriter {
    pub(super) pool: PgPool,
    /// What this writer last saw committed: the basis of the fast path.
    pub(super) tip: Tip,
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
