-- Tamper evidence: every event carries the hash of its predecessor and its own,
-- hash = SHA-256(prev_hash || canonical bytes of the event), chained in global order.
-- Rows written before this migration get their hashes once, when the store next opens
-- (NULL until then); after that no column of an event may change.

ALTER TABLE events ADD COLUMN prev_hash TEXT;
ALTER TABLE events ADD COLUMN hash TEXT;

DROP TRIGGER events_no_update;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
WHEN OLD.hash IS NOT NULL
    OR NEW.position IS NOT OLD.position OR NEW.event_id IS NOT OLD.event_id
    OR NEW.stream_id IS NOT OLD.stream_id OR NEW.stream_version IS NOT OLD.stream_version
    OR NEW.event_type IS NOT OLD.event_type OR NEW.schema_version IS NOT OLD.schema_version
    OR NEW.payload IS NOT OLD.payload OR NEW.actor_id IS NOT OLD.actor_id
    OR NEW.actor_name IS NOT OLD.actor_name OR NEW.actor_role IS NOT OLD.actor_role
    OR NEW.actor_agency IS NOT OLD.actor_agency OR NEW.occurred_at IS NOT OLD.occurred_at
    OR NEW.recorded_at IS NOT OLD.recorded_at OR NEW.command_id IS NOT OLD.command_id
    OR NEW.command_size IS NOT OLD.command_size OR NEW.correlation_id IS NOT OLD.correlation_id
    OR NEW.causation_id IS NOT OLD.causation_id OR NEW.reason IS NOT OLD.reason
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: UPDATE is not allowed');
END;
