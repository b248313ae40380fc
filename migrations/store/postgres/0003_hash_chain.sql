-- Tamper evidence: every event carries the hash of its predecessor and its own,
-- hash = SHA-256(prev_hash || canonical bytes of the event), chained in global order.
-- Rows written before this migration get their hashes once, when the store next opens
-- (NULL until then); after that no column of an event may change. The position
-- counter keeps the last hash beside the last position, under the same row lock.

ALTER TABLE events ADD COLUMN prev_hash TEXT;
ALTER TABLE events ADD COLUMN hash TEXT;
ALTER TABLE position_counter ADD COLUMN last_hash TEXT;

CREATE OR REPLACE FUNCTION reject_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_LEVEL = 'ROW' AND TG_OP = 'UPDATE' THEN
        IF OLD.hash IS NULL
           AND (to_jsonb(NEW) - 'hash' - 'prev_hash') = (to_jsonb(OLD) - 'hash' - 'prev_hash') THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'events are append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
