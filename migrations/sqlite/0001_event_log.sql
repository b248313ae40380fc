-- The event log: every fact the program records, in global order, kept forever.

CREATE TABLE events (
    position        INTEGER PRIMARY KEY,              -- global order, gap-free (writes are serialised)
    event_id        TEXT    NOT NULL UNIQUE,          -- UUIDv7
    stream_id       TEXT    NOT NULL,
    stream_version  INTEGER NOT NULL,
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
    correlation_id  TEXT    NOT NULL,
    causation_id    TEXT,
    reason          TEXT,
    UNIQUE (stream_id, stream_version)
);

CREATE INDEX events_command ON events (command_id);
CREATE INDEX events_correlation ON events (correlation_id);

CREATE TABLE streams (
    stream_id  TEXT    PRIMARY KEY,
    category   TEXT    NOT NULL,
    version    INTEGER NOT NULL
);
CREATE INDEX streams_category ON streams (category);

CREATE TABLE commands (
    command_id      TEXT    PRIMARY KEY,
    stream_id       TEXT    NOT NULL,
    first_version   INTEGER NOT NULL,
    last_version    INTEGER NOT NULL,
    first_position  INTEGER NOT NULL,
    last_position   INTEGER NOT NULL
);

-- Append-only: the database itself refuses to change or remove events.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: UPDATE is not allowed');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: DELETE is not allowed');
END;
