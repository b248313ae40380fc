-- The event log: every fact the program records, in global order, kept forever.

CREATE TABLE events (
    position        BIGINT      PRIMARY KEY,          -- global order, gap-free, assigned under position_counter's lock
    event_id        UUID        NOT NULL UNIQUE,       -- UUIDv7
    stream_id       TEXT        NOT NULL,
    stream_version  BIGINT      NOT NULL,
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
    correlation_id  UUID        NOT NULL,
    causation_id    UUID,
    reason          TEXT,
    UNIQUE (stream_id, stream_version)
);

CREATE INDEX events_command ON events (command_id);
CREATE INDEX events_correlation ON events (correlation_id);

-- One row per stream with its current version: the optimistic-concurrency check.
CREATE TABLE streams (
    stream_id  TEXT   PRIMARY KEY,
    category   TEXT   NOT NULL,
    version    BIGINT NOT NULL
);
CREATE INDEX streams_category ON streams (category);

-- One row per command that wrote events: replaying a command id returns this.
CREATE TABLE commands (
    command_id      UUID   PRIMARY KEY,
    stream_id       TEXT   NOT NULL,
    first_version   BIGINT NOT NULL,
    last_version    BIGINT NOT NULL,
    first_position  BIGINT NOT NULL,
    last_position   BIGINT NOT NULL
);

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
