//! The one backfill of a log written before the hash chain, on PostgreSQL: under the
//! position counter's lock, recording the last hash beside the head.

use sqlx::postgres::PgPool;

use crate::backfill::{first_unchained, Walk};
use crate::model::StoreError;

/// Gives events written before the hash chain existed their hashes, in order, once,
/// under the position counter's lock (no append interleaves), and records the last.
pub(super) async fn backfill(pool: &PgPool) -> Result<(), StoreError> {
    if first_unchained(pool).await?.is_none() {
        return Ok(());
    }
    let mut tx = pool
        .begin_with("BEGIN; SELECT 1 FROM position_counter FOR UPDATE")
        .await?;
    let Some(mut walk) = Walk::start::<sqlx::Postgres>(&mut tx).await? else {
        return Ok(());
    };
    while let Some(page) = walk.next::<sqlx::Postgres>(&mut tx).await? {
        let column = |f: fn(&(i64, String, String)) -> &str| page.iter().map(f).collect::<Vec<_>>();
        sqlx::query(
            "UPDATE events SET prev_hash = l.prev_hash, hash = l.hash \
             FROM UNNEST($1::bigint[], $2::text[], $3::text[]) AS l(position, prev_hash, hash) \
             WHERE events.position = l.position",
        )
        .bind(
            page.iter()
                .map(|(position, _, _)| *position)
                .collect::<Vec<_>>(),
        )
        .bind(column(|(_, prev_hash, _)| prev_hash))
        .bind(column(|(_, _, hash)| hash))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE position_counter SET last_hash = $1")
        .bind(walk.last_hash())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    walk.report();
    Ok(())
}
