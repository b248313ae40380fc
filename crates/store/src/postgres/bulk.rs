//! Bulk reads of the PostgreSQL log as `COPY … TO STDOUT (FORMAT binary)`, parsed on a
//! blocking thread.
//!
//! Through sqlx every value of every row is decoded into an owned value on the async
//! runtime; a verification needs none of them as values, only their canonical text to
//! hash. COPY's binary format hands the raw column bytes over in one stream, which
//! this module walks in place.

use chrono::DateTime;
use futures::StreamExt;
use sqlx::postgres::{PgPool, PgPoolCopyExt};
use uuid::Uuid;

use crate::canonical::{self, Fields, Time};
use crate::chain::Link;
use crate::model::{to_u64, StoreError};

/// Every column of `events`, in the table's own order (the order [`link_of_row`] reads
/// them): a select list that matches the table needs no projection, which saves the
/// server an eighth of its work. `command_size` is read and not hashed.
const LINK_COLUMNS: &str = "position, event_id, stream_id, stream_version, event_type, \
     schema_version, payload, actor_id, actor_name, actor_role, actor_agency, occurred_at, \
     recorded_at, command_id, command_size, correlation_id, causation_id, reason, prev_hash, hash";

const WIDTH: usize = 20;

/// Up to `limit` links after `after`, in order: one COPY, parsed and hashed on a
/// blocking thread.
pub(super) async fn read_links(
    pool: &PgPool,
    after: u64,
    limit: u32,
) -> Result<Vec<Link>, StoreError> {
    // COPY takes no parameters; both are numbers.
    let sql = format!(
        "COPY (SELECT {LINK_COLUMNS} FROM events WHERE position > {after} \
         ORDER BY position LIMIT {limit}) TO STDOUT (FORMAT binary)"
    );
    // Received on a runtime worker of its own: the pages a verification has in flight
    // arrive side by side instead of being polled in turn by one caller.
    let pool = pool.clone();
    let receive = tokio::spawn(async move {
        let mut stream = pool.copy_out_raw(&sql).await?;
        let mut data = Vec::with_capacity(limit.min(10_000) as usize * 1_024);
        while let Some(chunk) = stream.next().await {
            data.extend_from_slice(&chunk?);
        }
        Ok::<_, StoreError>(data)
    });
    let failed =
        |e: tokio::task::JoinError| StoreError::Engine(format!("a reading task failed: {e}"));
    let data = receive.await.map_err(failed)??;
    tokio::task::spawn_blocking(move || parse(&data, limit))
        .await
        .map_err(failed)?
}

fn malformed(what: &str) -> StoreError {
    StoreError::Engine(format!("unexpected COPY data from PostgreSQL: {what}"))
}

/// Walks COPY's binary format: a signature and header, then per row a field count and
/// per field a length (-1 for NULL) and the bytes, then a trailer of -1.
fn parse(data: &[u8], limit: u32) -> Result<Vec<Link>, StoreError> {
    const SIGNATURE: &[u8] = b"PGCOPY\n\xff\r\n\0";
    let mut input = Input { data, at: 0 };
    if input.take(SIGNATURE.len())? != SIGNATURE {
        return Err(malformed("no signature"));
    }
    let _flags = input.int4()?;
    let extension = input.int4()?;
    input.take(usize::try_from(extension).map_err(|_| malformed("header"))?)?;
    let mut links = Vec::with_capacity(limit.min(10_000) as usize);
    let mut buffer = Vec::with_capacity(2_048);
    loop {
        let count = input.int2()?;
        if count == -1 {
            break;
        }
        if usize::try_from(count).ok() != Some(WIDTH) {
            return Err(malformed("a row of the wrong width"));
        }
        let mut row = [None; WIDTH];
        for field in &mut row {
            let length = input.int4()?;
            if length >= 0 {
                *field = Some(input.take(length as usize)?);
            }
        }
        links.push(link_of_row(&row, &mut buffer)?);
    }
    Ok(links)
}

struct Input<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Input<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], StoreError> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.data.len());
        let end = end.ok_or_else(|| malformed("cut short"))?;
        let bytes = &self.data[self.at..end];
        self.at = end;
        Ok(bytes)
    }
    fn int2(&mut self) -> Result<i16, StoreError> {
        let b = self.take(2)?;
        Ok(i16::from_be_bytes([b[0], b[1]]))
    }
    fn int4(&mut self) -> Result<i32, StoreError> {
        let b = self.take(4)?;
        Ok(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
}

fn int8(field: Option<&[u8]>) -> Option<i64> {
    Some(i64::from_be_bytes(field?.try_into().ok()?))
}

fn int4(field: Option<&[u8]>) -> Option<i32> {
    Some(i32::from_be_bytes(field?.try_into().ok()?))
}

/// A text column's bytes; [`crate::canonical::Fields`] takes text as bytes, so they are
/// hashed without a UTF-8 check.
fn text(field: Option<&[u8]>) -> Option<&[u8]> {
    field
}

/// A chain column: the hashes are ASCII hex, anything else is no hash.
fn hash_text(field: Option<&[u8]>) -> Option<&str> {
    std::str::from_utf8(field?).ok()
}

fn uuid(field: Option<&[u8]>) -> Option<Uuid> {
    Uuid::from_slice(field?).ok()
}

/// A nullable column: `Some(None)` for NULL, `None` when a value does not read.
fn nullable<'a, T>(
    field: Option<&'a [u8]>,
    read: fn(Option<&'a [u8]>) -> Option<T>,
) -> Option<Option<T>> {
    match field {
        None => Some(None),
        Some(_) => read(field).map(Some),
    }
}

/// `timestamptz`: microseconds since 2000-01-01 00:00 UTC.
fn time(field: Option<&[u8]>) -> Option<Time<'static>> {
    const POSTGRES_EPOCH_MICROS: i64 = 946_684_800_000_000;
    let micros = int8(field)?.checked_add(POSTGRES_EPOCH_MICROS)?;
    DateTime::from_timestamp_micros(micros).map(Time::At)
}

/// The link of one row of [`LINK_COLUMNS`], hashed from its column bytes.
fn link_of_row(row: &[Option<&[u8]>; WIDTH], buffer: &mut Vec<u8>) -> Result<Link, StoreError> {
    let position = int8(row[0]).ok_or_else(|| malformed("a position"))?;
    let (prev_hash, hash) = (hash_text(row[18]), hash_text(row[19]));
    let computed = prev_hash.and_then(|prev| {
        let fields = Fields {
            event_id: uuid(row[1])?,
            stream_id: text(row[2])?,
            stream_version: to_u64(int8(row[3])?),
            event_type: text(row[4])?,
            schema_version: u32::try_from(int4(row[5])?).unwrap_or(0),
            payload: text(row[6])?,
            user_id: text(row[7])?,
            display_name: text(row[8])?,
            role: text(row[9])?,
            agency: nullable(row[10], uuid)?,
            occurred_at: time(row[11])?,
            recorded_at: time(row[12])?,
            command_id: uuid(row[13])?,
            correlation_id: uuid(row[15])?,
            causation_id: nullable(row[16], uuid)?,
            reason: nullable(row[17], text)?,
        };
        canonical::link(buffer, prev, &fields).ok()
    });
    Ok(Link {
        position: to_u64(position),
        prev_hash: prev_hash.map(str::to_owned),
        hash: hash.map(str::to_owned),
        computed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(out: &mut Vec<u8>, value: Option<&[u8]>) {
        match value {
            Some(v) => {
                out.extend_from_slice(&(v.len() as i32).to_be_bytes());
                out.extend_from_slice(v);
            }
            None => out.extend_from_slice(&(-1i32).to_be_bytes()),
        }
    }

    /// A COPY stream of one row as PostgreSQL writes it, and the link it gives.
    #[test]
    fn parses_a_binary_row() {
        let mut data = b"PGCOPY\n\xff\r\n\0".to_vec();
        data.extend_from_slice(&0i32.to_be_bytes());
        data.extend_from_slice(&0i32.to_be_bytes());
        data.extend_from_slice(&(WIDTH as i16).to_be_bytes());
        let id = Uuid::from_u128(7);
        // 2024-03-01T08:00:00.5Z in microseconds since 2000.
        let at = (1_709_280_000_500_000i64 - 946_684_800_000_000).to_be_bytes();
        let prev = "0".repeat(64);
        let values: [Option<&[u8]>; WIDTH] = [
            Some(&3i64.to_be_bytes()),
            Some(id.as_bytes()),
            Some(b"task-1"),
            Some(&1i64.to_be_bytes()),
            Some(b"TaskCreated"),
            Some(&1i32.to_be_bytes()),
            Some(b"{}"),
            Some(b"u"),
            Some(b"T\xc3\xaan"),
            Some(b"SECRETARIAT"),
            None,
            Some(&at),
            Some(&at),
            Some(id.as_bytes()),
            Some(&1i32.to_be_bytes()),
            Some(id.as_bytes()),
            None,
            None,
            Some(prev.as_bytes()),
            Some(b"h"),
        ];
        for value in values {
            field(&mut data, value);
        }
        data.extend_from_slice(&(-1i16).to_be_bytes());
        let links = parse(&data, 10).expect("parses");
        assert_eq!(links.len(), 1);
        let link = &links[0];
        assert_eq!(link.position, 3);
        assert_eq!(link.hash.as_deref(), Some("h"));
        let mut expected = Vec::new();
        canonical::write(
            &mut expected,
            &Fields {
                event_id: id,
                stream_id: b"task-1",
                stream_version: 1,
                event_type: b"TaskCreated",
                schema_version: 1,
                payload: b"{}",
                user_id: b"u",
                display_name: "Tên".as_bytes(),
                role: b"SECRETARIAT",
                agency: None,
                occurred_at: Time::Text(b"2024-03-01T08:00:00.500000Z"),
                recorded_at: Time::Text(b"2024-03-01T08:00:00.500000Z"),
                command_id: id,
                correlation_id: id,
                causation_id: None,
                reason: None,
            },
        )
        .expect("writes");
        let mut hashed = prev.into_bytes();
        hashed.push(b'\n');
        hashed.extend_from_slice(&expected);
        let digest: [u8; 32] = sha2::Digest::finalize(sha2::Digest::chain_update(
            <sha2::Sha256 as sha2::Digest>::new(),
            &hashed,
        ))
        .into();
        assert_eq!(link.computed, Some(digest));
        // Cut short anywhere, it is an error, not a panic.
        for end in 0..data.len() - 2 {
            assert!(parse(&data[..end], 10).is_err());
        }
    }
}
