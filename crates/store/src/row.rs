//! A stored event's row, read alike on both engines: the column lists, and the
//! decoding of a row into a [`RecordedEvent`], a [`ChainedEvent`], an [`EventFact`] or
//! a command's record, written once against [`Cells`] (a row's columns by index).
//! Each engine implements `Cells` for the rows its drivers hand out; where the engines
//! store a value differently (SQLite keeps ids and times as text, PostgreSQL as `uuid`
//! and `timestamptz`) the difference lives in that implementation, not here.

use chrono::{DateTime, Utc};
use reform_domain::{AgencyId, Role, StreamId};
use sqlx::Row;
use uuid::Uuid;

use crate::batch::StoredCommand;
use crate::chain::ChainedEvent;
use crate::model::{to_u64, Actor, EventFact, EventMetadata, RecordedEvent, StoreError};

/// An event's columns in the order [`decode_event`] reads them (by index: a name
/// lookup per column per row is a measurable share of a scan).
pub(crate) const COLUMNS: &str = "position, event_id, stream_id, stream_version, event_type, \
     schema_version, payload, actor_id, actor_name, actor_role, actor_agency, occurred_at, \
     recorded_at, command_id, correlation_id, causation_id, reason";

/// [`COLUMNS`] and the chain's two, in the order [`decode_chained`] reads them.
pub(crate) const CHAINED_COLUMNS: &str = "position, event_id, stream_id, stream_version, \
     event_type, schema_version, payload, actor_id, actor_name, actor_role, actor_agency, \
     occurred_at, recorded_at, command_id, correlation_id, causation_id, reason, prev_hash, hash";

/// What a fold needs, in the order [`decode_fact`] reads it.
pub(crate) const FACT_COLUMNS: &str = "position, event_type, schema_version, payload, occurred_at";

/// A command's record (its first event), in the order [`decode_command`] reads it.
pub(crate) const COMMAND_RECORD: &str =
    "SELECT command_id, stream_id, stream_version, position, command_size FROM events";

/// A row's columns by index, whichever engine and driver read it. `position` names
/// the event in a [`StoreError::Corrupt`] when a value does not read as its kind.
pub(crate) trait Cells {
    fn int(&self, i: usize) -> Result<i64, StoreError>;
    fn text(&self, i: usize) -> Result<String, StoreError>;
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError>;
    fn opt_uuid(&self, i: usize, position: u64) -> Result<Option<Uuid>, StoreError>;
    fn time(&self, i: usize, position: u64) -> Result<DateTime<Utc>, StoreError>;

    fn uuid(&self, i: usize, position: u64) -> Result<Uuid, StoreError> {
        self.opt_uuid(i, position)?
            .ok_or_else(|| corrupt(position, "uuid", "NULL"))
    }
}

/// A stored value that does not read as its kind.
pub(crate) fn corrupt(position: u64, what: &str, value: &str) -> StoreError {
    StoreError::Corrupt {
        position,
        message: format!("{what} {value:?} does not parse"),
    }
}

/// An id stored as text.
pub(crate) fn parse_uuid(position: u64, value: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(value).map_err(|_| corrupt(position, "uuid", value))
}

/// A time stored as RFC 3339 text.
pub(crate) fn parse_time(position: u64, value: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| corrupt(position, "timestamp", value))
}

/// An event from the columns of [`COLUMNS`], in that order.
pub(crate) fn decode_event(row: &impl Cells) -> Result<RecordedEvent, StoreError> {
    let position = to_u64(row.int(0)?);
    let role = row.text(9)?;
    Ok(RecordedEvent {
        position,
        event_id: row.uuid(1, position)?,
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
                agency: row.opt_uuid(10, position)?.map(AgencyId),
            },
            occurred_at: row.time(11, position)?,
            recorded_at: row.time(12, position)?,
            command_id: row.uuid(13, position)?,
            correlation_id: row.uuid(14, position)?,
            causation_id: row.opt_uuid(15, position)?,
            reason: row.opt_text(16)?,
        },
    })
}

/// An event with its chain columns, from [`CHAINED_COLUMNS`].
pub(crate) fn decode_chained(row: &impl Cells) -> Result<ChainedEvent, StoreError> {
    Ok(ChainedEvent {
        event: decode_event(row)?,
        prev_hash: row.opt_text(17)?,
        hash: row.opt_text(18)?,
    })
}

/// What a fold needs, from [`FACT_COLUMNS`].
pub(crate) fn decode_fact(row: &impl Cells) -> Result<EventFact, StoreError> {
    let position = to_u64(row.int(0)?);
    Ok(EventFact {
        position,
        event_type: row.text(1)?,
        schema_version: u32::try_from(row.int(2)?).unwrap_or(0),
        payload: row.text(3)?,
        occurred_at: row.time(4, position)?,
    })
}

/// A command's record, from [`COMMAND_RECORD`].
pub(crate) fn decode_command(row: &impl Cells) -> Result<StoredCommand, StoreError> {
    let position = to_u64(row.int(3)?);
    Ok(StoredCommand::from_first_event(
        row.uuid(0, position)?,
        StreamId(row.text(1)?),
        to_u64(row.int(2)?),
        position,
        to_u64(row.int(4)?),
    ))
}

impl Cells for sqlx::sqlite::SqliteRow {
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn text(&self, i: usize) -> Result<String, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn opt_uuid(&self, i: usize, position: u64) -> Result<Option<Uuid>, StoreError> {
        let text: Option<String> = self.try_get(i)?;
        text.map(|t| parse_uuid(position, &t)).transpose()
    }
    fn time(&self, i: usize, position: u64) -> Result<DateTime<Utc>, StoreError> {
        parse_time(position, &self.text(i)?)
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
    fn opt_uuid(&self, i: usize, position: u64) -> Result<Option<Uuid>, StoreError> {
        let text: Option<String> = self.get(i)?;
        text.map(|t| parse_uuid(position, &t)).transpose()
    }
    fn time(&self, i: usize, position: u64) -> Result<DateTime<Utc>, StoreError> {
        parse_time(position, &self.text(i)?)
    }
}

impl Cells for sqlx::postgres::PgRow {
    /// `bigint` columns, and the `integer` ones (`schema_version`, `command_size`).
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        match self.try_get::<i64, _>(i) {
            Err(sqlx::Error::ColumnDecode { .. }) => Ok(i64::from(self.try_get::<i32, _>(i)?)),
            other => Ok(other?),
        }
    }
    fn text(&self, i: usize) -> Result<String, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn opt_uuid(&self, i: usize, _: u64) -> Result<Option<Uuid>, StoreError> {
        Ok(self.try_get(i)?)
    }
    fn time(&self, i: usize, _: u64) -> Result<DateTime<Utc>, StoreError> {
        Ok(self.try_get(i)?)
    }
}

/// Streams' versions as read (`stream_id`, its highest `stream_version`).
pub(crate) fn versions(rows: Vec<(String, i64)>) -> Vec<(StreamId, u64)> {
    rows.into_iter()
        .map(|(stream, version)| (StreamId(stream), to_u64(version)))
        .collect()
}
