-- Each stream filed under the jurisdiction its record belongs to, so that one
-- province's time travel reads its own streams instead of the whole country's log.
-- A stream's jurisdiction is fixed when it is created, by its first event: the
-- payload's `jurisdiction` (agencies, documents, indicators, band schemes), the plan's
-- for a task, the agency's for its evaluations; the register's streams are national
-- (everyone reads the register), and so is anything not named here. Which province a
-- code lies in is decided when reading, by the register (mergers included), never here.
-- The database files each stream as it is inserted (the trigger below), whoever the
-- writer; the log already on record is filed by this migration, in position order.

CREATE TABLE stream_jurisdictions (
    stream_id     TEXT NOT NULL PRIMARY KEY,
    jurisdiction  TEXT NOT NULL
);
CREATE INDEX stream_jurisdictions_by_code ON stream_jurisdictions (jurisdiction, stream_id);

-- Records filed under their own payload's jurisdiction first, then the tasks and
-- evaluations, which take their plan's and agency's.
INSERT INTO stream_jurisdictions (stream_id, jurisdiction)
SELECT stream_id,
       CASE WHEN event_type = 'JurisdictionEstablished' THEN 'VN'
            ELSE COALESCE(payload::jsonb ->> 'jurisdiction', 'VN') END
FROM events
WHERE stream_version = 1
  AND event_type NOT IN ('TaskCreated', 'ParIndexPublished', 'SipasPublished', 'DossierStatisticsReported')
ON CONFLICT (stream_id) DO NOTHING;

INSERT INTO stream_jurisdictions (stream_id, jurisdiction)
SELECT e.stream_id, COALESCE(owner.jurisdiction, 'VN')
FROM events e
LEFT JOIN stream_jurisdictions owner ON owner.stream_id =
    CASE WHEN e.event_type = 'TaskCreated' THEN 'document-' || (e.payload::jsonb ->> 'plan')
         ELSE 'agency-' || (e.payload::jsonb ->> 'agency_id') END
WHERE e.stream_version = 1
  AND e.event_type IN ('TaskCreated', 'ParIndexPublished', 'SipasPublished', 'DossierStatisticsReported')
ON CONFLICT (stream_id) DO NOTHING;

CREATE FUNCTION file_stream() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    code TEXT;
BEGIN
    IF NEW.event_type = 'JurisdictionEstablished' THEN
        code := 'VN';
    ELSIF NEW.event_type = 'TaskCreated' THEN
        SELECT jurisdiction INTO code FROM stream_jurisdictions
        WHERE stream_id = 'document-' || (NEW.payload::jsonb ->> 'plan');
    ELSIF NEW.event_type IN ('ParIndexPublished', 'SipasPublished', 'DossierStatisticsReported') THEN
        SELECT jurisdiction INTO code FROM stream_jurisdictions
        WHERE stream_id = 'agency-' || (NEW.payload::jsonb ->> 'agency_id');
    ELSE
        code := NEW.payload::jsonb ->> 'jurisdiction';
    END IF;
    INSERT INTO stream_jurisdictions (stream_id, jurisdiction)
    VALUES (NEW.stream_id, COALESCE(code, 'VN'))
    ON CONFLICT (stream_id) DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE TRIGGER events_file_stream
    AFTER INSERT ON events
    FOR EACH ROW WHEN (NEW.stream_version = 1) EXECUTE FUNCTION file_stream();
