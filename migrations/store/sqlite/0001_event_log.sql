-- The event log: every fact the program records, in global order, kept forever.

CREATE TABLE events (
    position        INTEGER PRIMARY KEY,              -- global order, gap-free (writes are serialised)
    event_id        TEXT    NOT NULL UNIQUE,          -- UUIDv7
    stream_id       TEXT    NOT NULL,                 -- <category>-<uuid>
    stream_version  INTEGER NOT NULL,                 -- from 1; the stream's version is its highest
    event_type      TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    payload         TEXT    NOT NULL,                 -- canonical JSON, byte-exact
    actor_id        TEXT    NOT NULL,
    actor_name      TEXT    NOT NULL,
    actor_role      TEXT    NOT NULL,
    actor_agency    TEXT,
    occurred_at     TEXT    NOT NULL,                 -- RFC 3339, microseconds, UTC
    recorded_at     TEXT    NOT NULL,
    command_id      TEXT    NOT NULL,
    command_size    INTEGER CHECK (command_size > 0), -- on a command's first event: how many it wrote; else NULL
    correlation_id  TEXT    NOT NULL,
    causation_id    TEXT,
    reason          TEXT,
    UNIQUE (stream_id, stream_version)
);

-- A command id is executed once: its first event is the record of the outcome.
CREATE UNIQUE INDEX events_command_once ON events (command_id) WHERE command_size IS NOT NULL;
CREATE INDEX events_correlation ON events (correlation_id);
-- Streams by category (the part of the id before the first '-'), one entry per stream.
CREATE INDEX events_stream_category
    ON events (substr(stream_id, 1, instr(stream_id, '-') - 1), stream_id) WHERE stream_version = 1;

-- Append-only: the database itself refuses to change or remove events.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: UPDATE is not allowed');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: DELETE is not allowed');
END;
