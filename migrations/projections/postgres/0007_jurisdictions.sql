-- The register of jurisdictions (JurisdictionEstablished, JurisdictionMerged): the
-- nation, provinces, districts and communes, each with its parent and, once merged,
-- its successor. Dates as YYYY-MM-DD.
CREATE TABLE rm_jurisdictions (
    code            TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    level           TEXT NOT NULL,
    parent          TEXT,
    established_on  TEXT NOT NULL,
    successor       TEXT,
    merged_on       TEXT
);
