//! `reform audit export`: the events of a period, for hand-over to inspection, as CSV
//! (UTF-8 with a byte-order mark, so spreadsheet programs keep the Vietnamese text, and
//! no cell a spreadsheet would run as a formula) or JSON lines (the stored text as it
//! is), each row with its place in the hash chain.

use std::borrow::Cow;
use std::io::Write;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use reform_interchange::neutralised;
use reform_store::chain::{ChainedEvent, Digest};
use reform_store::EventStore;
use serde::Serialize;
use sha2::{Digest as _, Sha256};

/// The file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated, one event per row, with a header.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// What was exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    /// Events written.
    pub events: u64,
    /// First and last position written.
    pub positions: Option<(u64, u64)>,
    /// SHA-256 of the bytes written, hex.
    pub file_sha256: String,
    /// The chain digest of the last event written: with `reform verify --against` it
    /// ties the export to the log.
    pub last: Option<Digest>,
}

#[derive(Serialize)]
struct Row<'e> {
    position: u64,
    occurred_at: String,
    recorded_at: String,
    recorded_in_arrears: bool,
    event_type: Cow<'e, str>,
    stream_id: Cow<'e, str>,
    stream_version: u64,
    actor_id: Cow<'e, str>,
    actor_name: Cow<'e, str>,
    actor_role: Cow<'e, str>,
    actor_agency: Option<String>,
    reason: Option<Cow<'e, str>>,
    command_id: String,
    correlation_id: String,
    payload: Cow<'e, str>,
    prev_hash: Option<&'e str>,
    hash: Option<&'e str>,
}

impl<'e> Row<'e> {
    fn of(c: &'e ChainedEvent) -> Row<'e> {
        let (e, m) = (&c.event, &c.event.metadata);
        Row {
            position: e.position,
            occurred_at: m.occurred_at.to_rfc3339(),
            recorded_at: m.recorded_at.to_rfc3339(),
            recorded_in_arrears: m.recorded_in_arrears(),
            event_type: e.event_type.as_str().into(),
            stream_id: e.stream_id.as_str().into(),
            stream_version: e.stream_version,
            actor_id: m.actor.user_id.as_str().into(),
            actor_name: m.actor.display_name.as_str().into(),
            actor_role: m.actor.role.code().into(),
            actor_agency: m.actor.agency.map(|a| a.0.to_string()),
            reason: m.reason.as_deref().map(Cow::from),
            command_id: m.command_id.to_string(),
            correlation_id: m.correlation_id.to_string(),
            payload: e.payload.as_str().into(),
            prev_hash: c.prev_hash.as_deref(),
            hash: c.hash.as_deref(),
        }
    }

    /// The row as a spreadsheet may open it: every text a user or a token chose (an
    /// actor's name, a reason, a payload) that starts like a formula gets the
    /// apostrophe the plan tables' csv puts there. The other columns are the
    /// tracker's own (times, ids, hashes) and never start so.
    fn neutralised(self) -> Row<'e> {
        let text = |cell: Cow<'e, str>| {
            let prefixed = match neutralised(&cell) {
                Cow::Owned(prefixed) => Some(prefixed),
                Cow::Borrowed(_) => None,
            };
            prefixed.map_or(cell, Cow::Owned)
        };
        Row {
            event_type: text(self.event_type),
            stream_id: text(self.stream_id),
            actor_id: text(self.actor_id),
            actor_name: text(self.actor_name),
            actor_role: text(self.actor_role),
            reason: self.reason.map(text),
            payload: text(self.payload),
            ..self
        }
    }
}

/// A writer that hashes what passes through it.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(bytes)?;
        self.hasher.update(&bytes[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the events that happened (business time) in `from .. to`, in log order.
pub async fn export(
    store: &dyn EventStore,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    format: Format,
    out: impl Write,
) -> Result<Exported> {
    let mut out = Hashing {
        inner: out,
        hasher: Sha256::new(),
    };
    if format == Format::Csv {
        out.write_all("\u{feff}".as_bytes())?;
    }
    enum Sink<W: Write> {
        Csv(Box<csv::Writer<W>>),
        Json(W),
    }
    let mut sink = match format {
        Format::Csv => Sink::Csv(Box::new(csv::Writer::from_writer(out))),
        Format::Jsonl => Sink::Json(out),
    };
    let (mut events, mut first, mut last) = (0u64, None, None);
    let mut after = 0;
    loop {
        let page = store.read_chain(after, 5_000).await?;
        let Some(end) = page.last().map(|c| c.event.position) else {
            break;
        };
        after = end;
        for c in page
            .iter()
            .filter(|c| (from..to).contains(&c.event.metadata.occurred_at))
        {
            let row = Row::of(c);
            match &mut sink {
                Sink::Csv(w) => w
                    .serialize(row.neutralised())
                    .context("writing a CSV row")?,
                Sink::Json(out) => {
                    serde_json::to_writer(&mut *out, &row)?;
                    out.write_all(b"\n")?;
                }
            }
            events += 1;
            first.get_or_insert(c.event.position);
            last = Some(Digest {
                position: c.event.position,
                hash: c.hash.clone().unwrap_or_default(),
            });
        }
    }
    let mut out = match sink {
        Sink::Csv(w) => w
            .into_inner()
            .map_err(|e| anyhow::anyhow!("writing the CSV file: {}", e.error()))?,
        Sink::Json(out) => out,
    };
    out.flush()?;
    Ok(Exported {
        events,
        positions: first.zip(last.as_ref().map(|d| d.position)),
        file_sha256: format!("{:x}", out.hasher.finalize()),
        last,
    })
}
