//! The canonical bytes a chain hash covers, written straight into a buffer.
//!
//! The form is fixed by the hashes already stored: compact JSON of
//! `{event_id, stream_id, stream_version, event_type, schema_version, payload,
//! metadata: {actor: {user_id, display_name, role, agency}, occurred_at, recorded_at,
//! command_id, correlation_id, causation_id, reason}}`, in that order, as `serde_json`
//! writes it (strings escaped as it escapes them, `null` for an absent value, ids in
//! lower-case hyphenated form, times as RFC 3339 with `Z` and 0, 3 or 6 fractional
//! digits). Writing it by hand instead of through `serde` is several times faster, and
//! lets a verification hash a stored row from its columns as they are read, without
//! building the event first. The tests hold it byte for byte to the `serde` form.

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use crate::model::RecordedEvent;

/// A time as the canonical form needs it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Time<'a> {
    /// A decoded time.
    At(DateTime<Utc>),
    /// Text as the SQLite store keeps it (`2024-03-01T08:00:00.000000Z`); other
    /// RFC 3339 forms are parsed first.
    Text(&'a [u8]),
}

/// Everything stored about an event but its position and chain columns, borrowed
/// from wherever it is held. Text is taken as its bytes: the canonical form escapes
/// bytes, so a stored row need not be checked for UTF-8 to be hashed (bytes that are
/// not what was hashed give another hash whatever they are).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields<'a> {
    pub event_id: Uuid,
    pub stream_id: &'a [u8],
    pub stream_version: u64,
    pub event_type: &'a [u8],
    pub schema_version: u32,
    pub payload: &'a [u8],
    pub user_id: &'a [u8],
    pub display_name: &'a [u8],
    /// The role's wire code (`SECRETARIAT`).
    pub role: &'a [u8],
    pub agency: Option<Uuid>,
    pub occurred_at: Time<'a>,
    pub recorded_at: Time<'a>,
    pub command_id: Uuid,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    pub reason: Option<&'a [u8]>,
}

impl<'a> From<&'a RecordedEvent> for Fields<'a> {
    fn from(e: &'a RecordedEvent) -> Self {
        let m = &e.metadata;
        Fields {
            event_id: e.event_id,
            stream_id: e.stream_id.as_str().as_bytes(),
            stream_version: e.stream_version,
            event_type: e.event_type.as_bytes(),
            schema_version: e.schema_version,
            payload: e.payload.as_bytes(),
            user_id: m.actor.user_id.as_bytes(),
            display_name: m.actor.display_name.as_bytes(),
            role: m.actor.role.code().as_bytes(),
            agency: m.actor.agency.map(|a| a.0),
            occurred_at: Time::At(m.occurred_at),
            recorded_at: Time::At(m.recorded_at),
            command_id: m.command_id,
            correlation_id: m.correlation_id,
            causation_id: m.causation_id,
            reason: m.reason.as_deref().map(str::as_bytes),
        }
    }
}

/// A text time that is neither the stored form nor RFC 3339.
#[derive(Debug)]
pub(crate) struct BadTime;

/// Appends the canonical bytes of `f` to `out`.
pub(crate) fn write(out: &mut Vec<u8>, f: &Fields<'_>) -> Result<(), BadTime> {
    out.extend_from_slice(b"{\"event_id\":");
    put_uuid(out, f.event_id);
    out.extend_from_slice(b",\"stream_id\":");
    put_str(out, f.stream_id);
    out.extend_from_slice(b",\"stream_version\":");
    out.extend_from_slice(itoa::Buffer::new().format(f.stream_version).as_bytes());
    out.extend_from_slice(b",\"event_type\":");
    put_str(out, f.event_type);
    out.extend_from_slice(b",\"schema_version\":");
    out.extend_from_slice(itoa::Buffer::new().format(f.schema_version).as_bytes());
    out.extend_from_slice(b",\"payload\":");
    put_str(out, f.payload);
    out.extend_from_slice(b",\"metadata\":{\"actor\":{\"user_id\":");
    put_str(out, f.user_id);
    out.extend_from_slice(b",\"display_name\":");
    put_str(out, f.display_name);
    out.extend_from_slice(b",\"role\":");
    put_str(out, f.role);
    out.extend_from_slice(b",\"agency\":");
    put_opt_uuid(out, f.agency);
    out.extend_from_slice(b"},\"occurred_at\":");
    put_time(out, f.occurred_at)?;
    out.extend_from_slice(b",\"recorded_at\":");
    put_time(out, f.recorded_at)?;
    out.extend_from_slice(b",\"command_id\":");
    put_uuid(out, f.command_id);
    out.extend_from_slice(b",\"correlation_id\":");
    put_uuid(out, f.correlation_id);
    out.extend_from_slice(b",\"causation_id\":");
    put_opt_uuid(out, f.causation_id);
    out.extend_from_slice(b",\"reason\":");
    match f.reason {
        Some(reason) => put_str(out, reason),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b"}}");
    Ok(())
}

/// `SHA-256(prev ‖ "\n" ‖ canonical bytes of f)`, using `buffer` as scratch space.
pub(crate) fn link(buffer: &mut Vec<u8>, prev: &str, f: &Fields<'_>) -> Result<[u8; 32], BadTime> {
    buffer.clear();
    buffer.extend_from_slice(prev.as_bytes());
    buffer.push(b'\n');
    write(buffer, f)?;
    Ok(Sha256::digest(&buffer[..]).into())
}

/// Lower-case hex, as hashes are stored.
pub(crate) fn hex(hash: &[u8; 32]) -> [u8; 64] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0; 64];
    for (i, byte) in hash.iter().enumerate() {
        out[2 * i] = DIGITS[usize::from(byte >> 4)];
        out[2 * i + 1] = DIGITS[usize::from(byte & 0xf)];
    }
    out
}

fn put_uuid(out: &mut Vec<u8>, id: Uuid) {
    out.push(b'"');
    out.extend_from_slice(
        id.hyphenated()
            .encode_lower(&mut Uuid::encode_buffer())
            .as_bytes(),
    );
    out.push(b'"');
}

fn put_opt_uuid(out: &mut Vec<u8>, id: Option<Uuid>) {
    match id {
        Some(id) => put_uuid(out, id),
        None => out.extend_from_slice(b"null"),
    }
}

/// What `serde_json` escapes: `"` and `\`, and control characters below U+0020.
fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The bytes of `word` that need escaping, as their high bits. The lowest one set is
/// exact (a borrow can only flag bytes above a true match), which is all
/// [`put_str`] uses.
fn escapes_in(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = word.wrapping_sub(0x20 * ONES) & !word & HIGH;
    zero_byte(word ^ (u64::from(b'"') * ONES))
        | zero_byte(word ^ (u64::from(b'\\') * ONES))
        | below_space
}

/// A JSON string, escaped exactly as `serde_json` escapes it. Runs of eight bytes
/// with nothing to escape are passed over a word at a time.
fn put_str(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'"');
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let at = match bytes[i..].first_chunk::<8>() {
            Some(word) => match escapes_in(u64::from_le_bytes(*word)) {
                0 => {
                    i += 8;
                    continue;
                }
                found => i + (found.trailing_zeros() / 8) as usize,
            },
            None if needs_escape(bytes[i]) => i,
            None => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..at]);
        put_escape(out, bytes[at]);
        start = at + 1;
        i = at + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn put_escape(out: &mut Vec<u8>, byte: u8) {
    match byte {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x09 => out.extend_from_slice(b"\\t"),
        0x0a => out.extend_from_slice(b"\\n"),
        0x0c => out.extend_from_slice(b"\\f"),
        0x0d => out.extend_from_slice(b"\\r"),
        _ => {
            const DIGITS: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(DIGITS[usize::from(byte >> 4)]);
            out.push(DIGITS[usize::from(byte & 0xf)]);
        }
    }
}

fn put_time(out: &mut Vec<u8>, time: Time<'_>) -> Result<(), BadTime> {
    match time {
        Time::At(t) => put_datetime(out, t),
        Time::Text(text) => {
            if !put_stored_time(out, text) {
                let text = std::str::from_utf8(text).map_err(|_| BadTime)?;
                let t = DateTime::parse_from_rfc3339(text).map_err(|_| BadTime)?;
                put_datetime(out, t.with_timezone(&Utc));
            }
        }
    }
    Ok(())
}

/// `chrono`'s serde form: RFC 3339, `Z`, and the fraction with 0, 3, 6 or 9 digits,
/// whichever is shortest without losing any.
fn put_datetime(out: &mut Vec<u8>, t: DateTime<Utc>) {
    let year = t.year();
    if !(0..=9999).contains(&year) {
        out.push(b'"');
        out.extend_from_slice(t.to_rfc3339_opts(SecondsFormat::AutoSi, true).as_bytes());
        out.push(b'"');
        return;
    }
    let t = t.naive_utc();
    // Leap seconds are kept by chrono as nanoseconds past 10⁹: shown as second 60.
    let (mut second, mut nano) = (t.second(), t.nanosecond());
    if nano >= 1_000_000_000 {
        second += 1;
        nano -= 1_000_000_000;
    }
    let two = |out: &mut Vec<u8>, v: u32| {
        out.push(b'0' + (v / 10 % 10) as u8);
        out.push(b'0' + (v % 10) as u8);
    };
    let year = year as u32;
    out.push(b'"');
    two(out, year / 100);
    two(out, year % 100);
    out.push(b'-');
    two(out, t.month());
    out.push(b'-');
    two(out, t.day());
    out.push(b'T');
    two(out, t.hour());
    out.push(b':');
    two(out, t.minute());
    out.push(b':');
    two(out, second);
    let (digits, mut value) = if nano == 0 {
        (0, 0)
    } else if nano % 1_000_000 == 0 {
        (3, nano / 1_000_000)
    } else if nano % 1_000 == 0 {
        (6, nano / 1_000)
    } else {
        (9, nano)
    };
    if digits > 0 {
        out.push(b'.');
        let start = out.len();
        out.resize(start + digits, b'0');
        for place in out[start..].iter_mut().rev() {
            *place = b'0' + (value % 10) as u8;
            value /= 10;
        }
    }
    out.extend_from_slice(b"Z\"");
}

/// The stored SQLite form `YYYY-MM-DDTHH:MM:SS.ffffffZ`, rewritten to the canonical
/// one without parsing; `false` (nothing written) for any other text or an impossible
/// date, which is then parsed.
fn put_stored_time(out: &mut Vec<u8>, b: &[u8]) -> bool {
    let shape = b.len() == 27
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[26] == b'Z'
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
            .iter()
            .chain(&[20, 21, 22, 23, 24, 25])
            .all(|&i| b[i].is_ascii_digit());
    if !shape {
        return false;
    }
    let num = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
    let (month, day, hour, minute, second) = (num(5), num(8), num(11), num(14), num(17));
    let year = num(0) * 100 + num(2);
    let valid_day = chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_some();
    // Second 60 and other oddities go the long way, through chrono.
    if !valid_day || hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    let fraction = &b[20..26];
    let digits = if fraction == b"000000" {
        0
    } else if &fraction[3..] == b"000" {
        3
    } else {
        6
    };
    out.push(b'"');
    out.extend_from_slice(&b[..19]);
    if digits > 0 {
        out.push(b'.');
        out.extend_from_slice(&fraction[..digits]);
    }
    out.extend_from_slice(b"Z\"");
    true
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;
    use reform_domain::{AgencyId, Role, StreamId};

    use super::*;
    use crate::model::{Actor, EventMetadata};

    /// The definition the stored hashes were made with: `serde_json` of this struct.
    #[derive(serde::Serialize)]
    struct Reference<'e> {
        event_id: &'e Uuid,
        stream_id: &'e StreamId,
        stream_version: u64,
        event_type: &'e str,
        schema_version: u32,
        payload: &'e str,
        metadata: &'e EventMetadata,
    }

    fn reference(e: &RecordedEvent) -> Vec<u8> {
        serde_json::to_vec(&Reference {
            event_id: &e.event_id,
            stream_id: &e.stream_id,
            stream_version: e.stream_version,
            event_type: &e.event_type,
            schema_version: e.schema_version,
            payload: &e.payload,
            metadata: &e.metadata,
        })
        .unwrap_or_default()
    }

    fn canonical(f: &Fields<'_>) -> Vec<u8> {
        let mut out = Vec::new();
        write(&mut out, f).map(|()| out).unwrap_or_default()
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![
            ".*",
            "[\"\\\\\u{0}-\u{1f}\u{7f}a-zđ ]{0,40}",
            "[\"\\\\\u{1}a-zđ ]{0,300}",
            "[a-zđ ]{0,300}",
            Just(r#"{"task_id":"0190","title":"Rà soát \"thủ tục\"\n"}"#.to_owned()),
        ]
    }

    fn any_time() -> impl Strategy<Value = DateTime<Utc>> {
        prop_oneof![
            // Whole seconds, milliseconds, microseconds and nanoseconds.
            (0i64..4_102_444_800, 0u32..4).prop_map(|(s, k)| Utc
                .timestamp_opt(s, [0, 5_000_000, 123_000, 7][k as usize])
                .single()
                .unwrap_or_default()),
            (-62_000_000_000i64..253_000_000_000, 0u32..1_000_000_000)
                .prop_map(|(s, n)| Utc.timestamp_opt(s, n).single().unwrap_or_default()),
            // A leap second.
            Just(
                Utc.timestamp_opt(1_483_228_799, 1_500_000_000)
                    .single()
                    .unwrap_or_default()
            ),
        ]
    }

    fn any_event() -> impl Strategy<Value = RecordedEvent> {
        let ids = (any::<u128>(), any::<u128>(), any::<u128>());
        let options = (
            proptest::option::of(any::<u128>()),
            proptest::option::of(any::<u128>()),
            proptest::option::of(any_text()),
        );
        let texts = (any_text(), any_text(), any_text(), any_text(), any_text());
        let numbers = (any::<u64>(), any::<u32>(), 0usize..Role::ALL.len());
        (ids, options, texts, numbers, any_time(), any_time()).prop_map(
            |(
                (event, command, correlation),
                (agency, causation, reason),
                (stream, kind, payload, user, name),
                (version, schema, role),
                occurred_at,
                recorded_at,
            )| RecordedEvent {
                position: 1,
                event_id: Uuid::from_u128(event),
                stream_id: StreamId(stream),
                stream_version: version,
                event_type: kind,
                schema_version: schema,
                payload,
                metadata: EventMetadata {
                    actor: Actor {
                        user_id: user,
                        display_name: name,
                        role: Role::ALL[role],
                        agency: agency.map(|a| AgencyId(Uuid::from_u128(a))),
                    },
                    occurred_at,
                    recorded_at,
                    command_id: Uuid::from_u128(command),
                    correlation_id: Uuid::from_u128(correlation),
                    causation_id: causation.map(Uuid::from_u128),
                    reason,
                },
            },
        )
    }

    proptest! {
        #[test]
        fn writes_what_serde_writes(e in any_event()) {
            let (ours, theirs) = (canonical(&Fields::from(&e)), reference(&e));
            prop_assert_eq!(String::from_utf8_lossy(&ours), String::from_utf8_lossy(&theirs));
        }

        /// Times read back as the SQLite store writes them give the same bytes as the
        /// times themselves.
        #[test]
        fn stored_time_text_matches_the_time(t in any_time()) {
            let t = chrono::SubsecRound::trunc_subsecs(t, 6);
            let text = crate::model::sqlite_time(t);
            let (mut from_text, mut from_time) = (Vec::new(), Vec::new());
            prop_assert!(put_time(&mut from_text, Time::Text(text.as_bytes())).is_ok());
            put_datetime(&mut from_time, t);
            let (ours, theirs) = (String::from_utf8_lossy(&from_text), String::from_utf8_lossy(&from_time));
            prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn other_time_texts_are_parsed_or_refused() {
        let mut out = Vec::new();
        assert!(put_time(&mut out, Time::Text(b"2024-03-01T08:00:00+07:00")).is_ok());
        assert_eq!(out, b"\"2024-03-01T01:00:00Z\"");
        assert!(put_time(&mut Vec::new(), Time::Text(b"2024-02-30T08:00:00.000000Z")).is_err());
        assert!(put_time(&mut Vec::new(), Time::Text(b"yesterday")).is_err());
    }

    /// Hashes already stored fix the form: this one was made before the form was
    /// written by hand, and must never change.
    #[test]
    fn a_known_event_keeps_its_hash() {
        let at = Utc
            .with_ymd_and_hms(2023, 12, 20, 8, 30, 0)
            .single()
            .unwrap_or_default();
        let event = RecordedEvent {
            position: 42,
            event_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001),
            stream_id: StreamId("task-0190".into()),
            stream_version: 3,
            event_type: "TaskDeadlineExtended".into(),
            schema_version: 1,
            payload: r#"{"task_id":"0190","new_deadline":"2024-03-31","reason":"Chờ \"ý kiến\""}"#
                .into(),
            metadata: EventMetadata {
                actor: Actor {
                    user_id: "snv-01".into(),
                    display_name: "Nguyễn Văn A".into(),
                    role: Role::Secretariat,
                    agency: Some(AgencyId(Uuid::from_u128(7))),
                },
                occurred_at: at,
                recorded_at: at + chrono::Duration::microseconds(123_456),
                command_id: Uuid::from_u128(1),
                correlation_id: Uuid::from_u128(1),
                causation_id: None,
                reason: Some("Xin gia hạn\nlần 2".into()),
            },
        };
        assert_eq!(reference(&event), canonical(&Fields::from(&event)));
        assert_eq!(
            crate::chain::link(crate::chain::GENESIS, &event),
            "87c724052857b6d20b7c817bb36832a67d06ed02dcab7873a00564777cf91c98"
        );
    }

    #[test]
    fn hex_is_lower_case() {
        let mut hash = [0u8; 32];
        hash[0] = 0xab;
        hash[31] = 0x0f;
        let text = hex(&hash);
        assert!(text.starts_with(b"ab00"));
        assert!(text.ends_with(b"000f"));
    }
}
