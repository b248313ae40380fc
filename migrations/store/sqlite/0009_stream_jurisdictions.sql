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
) WITHOUT ROWID;
CREATE INDEX stream_jurisdictions_by_code ON stream_jurisdictions (jurisdiction, stream_id);

-- Records filed under their own payload's jurisdiction first, then the tasks and
-- evaluations, which take their plan's and agency's.
INSERT OR IGNORE INTO stream_jurisdictions (stream_id, jurisdiction)
SELECT stream_id,
       CASE WHEN event_type = 'JurisdictionEstablished' THEN 'VN'
            ELSE COALESCE(json_extract(payload, '$.jurisdiction'), 'VN') END
FROM events
WHERE stream_version = 1
  AND event_type NOT IN ('TaskCreated', 'ParIndexPublished', 'SipasPublished', 'DossierStatisticsReported')
ORDER BY position;

INSERT OR IGNORE INTO stream_jurisdictions (stream_id, jurisdiction)
SELECT e.stream_id, COALESCE(owner.jurisdiction, 'VN')
FROM events e
LEFT JOIN stream_jurisdictions owner ON owner.stream_id =
    CASE WHEN e.event_type = 'TaskCreated' THEN 'document-' || json_extract(e.payload, '$.plan')
         ELSE 'agency-' || json_extract(e.payload, '$.agency_id') END
WHERE e.stream_version = 1
  AND e.event_type IN ('TaskCreated', 'ParIndexPublished', 'SipasPublished', 'DossierStatisticsReported')
ORDER BY e.position;

CREATE TRIGGER events_file_stream AFTER INSERT ON events
WHEN NEW.stream_version = 1
BEGIN
    INSERT OR IGNORE INTO stream_jurisdictions (stream_id, jurisdiction)
    VALUES (NEW.stream_id, COALESCE(
        CASE
            WHEN NEW.event_type = 'JurisdictionEstablished' THEN 'VN'
            WHEN NEW.event_type = 'TaskCreated' THEN
                (SELECT jurisdiction FROM stream_jurisdictions
                 WHERE stream_id = 'document-' || json_extract(NEW.payload, '$.plan'))
            WHEN NEW.event_type IN ('ParIndexPublished', 'SipasPublished', 'DossierStatisticsReported') THEN
                (SELECT jurisdiction FROM stream_jurisdictions
                 WHERE stream_id = 'agency-' || json_extract(NEW.payload, '$.agency_id'))
            ELSE json_extract(NEW.payload, '$.jurisdiction')
        END, 'VN'));
END;
