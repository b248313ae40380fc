-- The event log: every fact the program records, in global order, kept forever.

CREATE TABLE events (
    position        BIGINT      PRIMARY KEY,          -- global order, gap-free, assigned under position_counter's lock
    event_id        UUID        NOT NULL UNIQUE,       -- UUIDv7
    stream_id       TEXT        NOT NULL,              -- <category>-<uuid>
    stream_version  BIGINT      NOT NULL,              -- from 1; the stream's version is its highest
    event_type      TEXT        NOT NULL,
    schema_version  INTEGER     NOT NULL,
    payload         TEXT        NOT NULL,              -- canonical JSON, byte-exact (not JSONB: JSONB reorders keys)
    actor_id        TEXT        NOT NULL,
    actor_name      TEXT        NOT NULL,
    actor_role      TEXT        NOT NULL,
    actor_agency    UUID,
    occurred_at     TIMESTAMPTZ NOT NULL,              -- business time, from the command
    recorded_at     TIMESTAMPTZ NOT NULL,              -- server time at commit
    command_id      UUID        NOT NULL,
    command_size    INTEGER     CHECK (command_size > 0), -- on a command's first event: how many it wrote; else NULL
    correlation_id  UUID        NOT NULL,
    causation_id    UUID,
    reason          TEXT,
    UNIQUE (stream_id, stream_version)                 -- optimistic concurrency: one writer per version
);

-- A command id is executed once: its first event is the record of the outcome.
CREATE UNIQUE INDEX events_command_once ON events (command_id) WHERE command_size IS NOT NULL;
CREATE INDEX events_correlation ON events (correlation_id);
-- Streams by category (the part of the id before the first '-'), one entry per stream.
CREATE INDEX events_stream_category ON events (split_part(stream_id, '-', 1), stream_id) WHERE stream_version = 1;

-- The last position handed out. Appends lock this row until they commit, so positions
-- become visible strictly in order and a reader following the log never skips one.
CREATE TABLE position_counter (
    id     BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
    value  BIGINT  NOT NULL
);
INSERT INTO position_counter (id, value) VALUES (TRUE, 0);

-- Append-only: the database itself refuses to change or remove events.
CREATE FUNCTION reject_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER events_append_only
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION reject_event_change();

CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION reject_event_change();
