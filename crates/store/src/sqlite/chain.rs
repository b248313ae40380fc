//! The hash chain's state on SQLite: the last link, read under the write lock, and the
//! one backfill of a log written before the chain.

use sqlx::sqlite::SqlitePool;

use crate::backfill::{first_unchained, Walk};
use crate::chain;
use crate::model::{to_u64, StoreError};
use crate::row::corrupt;

/// The last position and its hash ([`chain::GENESIS`] for an empty log).
pub(super) async fn last_link(
    connection: &mut sqlx::SqliteConnection,
) -> Result<(u64, String), StoreError> {
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

/// Gives events written before the hash chain existed their hashes, in order, once,
/// under the write lock.
pub(super) async fn backfill(pool: &SqlitePool) -> Result<(), StoreError> {
    if first_unchained(pool).await?.is_none() {
        return Ok(());
    }
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let Some(mut walk) = Walk::start::<sqlx::Sqlite>(&mut tx).await? else {
        return Ok(());
    };
    while let Some(page) = walk.next::<sqlx::Sqlite>(&mut tx).await? {
        for (position, prev_hash, hash) in page {
            sqlx::query("UPDATE events SET prev_hash = ?1, hash = ?2 WHERE position = ?3")
                .bind(prev_hash)
                .bind(hash)
                .bind(position)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    walk.report();
    Ok(())
}
