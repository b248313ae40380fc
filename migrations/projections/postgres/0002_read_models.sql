-- Read-models: views folded from the event log by the projections crate. They can be
-- dropped and rebuilt from the log at any time; the log is the record.

-- How far each projection has applied the log; written in the same transaction as
-- the rows it covers, so each event's effect is applied exactly once.
CREATE TABLE projection_checkpoints (
    name      TEXT   PRIMARY KEY,
    position  BIGINT NOT NULL
);

CREATE TABLE rm_agencies (
    agency_id     TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    short_name    TEXT,
    tier          TEXT NOT NULL,
    block         TEXT,
    jurisdiction  TEXT NOT NULL,
    parent_id     TEXT,
    status        TEXT NOT NULL,           -- ACTIVE | MERGED | DISSOLVED
    successor_id  TEXT,
    ceased_on     TEXT                     -- YYYY-MM-DD
);

CREATE TABLE rm_documents (
    document_id        TEXT PRIMARY KEY,
    kind               TEXT NOT NULL,      -- PROGRAM | DIRECTIVE | PLAN
    number             TEXT NOT NULL,
    title              TEXT NOT NULL,
    jurisdiction       TEXT NOT NULL,
    parent_id          TEXT,               -- program: parent program; directive: program; plan: what it implements
    issuing_agency_id  TEXT,
    from_year          BIGINT,
    to_year            BIGINT,
    rollup_rule        TEXT                -- programs: how their percentages are made
);

CREATE TABLE rm_tasks (
    task_id          TEXT   PRIMARY KEY,
    plan_id          TEXT   NOT NULL,
    parent_task_id   TEXT,
    category         TEXT   NOT NULL,      -- a pillar code or a cross-cutting code
    pillar           TEXT,
    title            TEXT   NOT NULL,
    search           TEXT   NOT NULL,      -- title folded: lower case, no diacritics ("cai cach")
    lead_id          TEXT   NOT NULL,
    coordinator_ids  TEXT   NOT NULL,      -- JSON array
    deadline         TEXT,                 -- YYYY-MM-DD; NULL = ongoing
    status           TEXT   NOT NULL,      -- NOT_STARTED | IN_PROGRESS | COMPLETED | CANCELLED
    percent          BIGINT NOT NULL,
    lead_percent     BIGINT NOT NULL,
    weight           BIGINT NOT NULL,
    last_reported_on TEXT,
    completed_on     TEXT,
    timeliness       TEXT,
    days_late        BIGINT,
    inherited_from   TEXT   NOT NULL       -- JSON array of merged agencies
);
CREATE INDEX rm_tasks_plan ON rm_tasks (plan_id);
CREATE INDEX rm_tasks_lead ON rm_tasks (lead_id);

CREATE TABLE rm_par_results (
    agency_id             TEXT             NOT NULL,
    year                  BIGINT           NOT NULL,
    block                 TEXT             NOT NULL,
    total                 DOUBLE PRECISION,          -- NULL when not evaluated
    not_evaluated_reason  TEXT,
    decision              TEXT,
    PRIMARY KEY (agency_id, year)
);

-- What an agency's scorecard and accountability need beyond tasks: its heads' tenures,
-- SIPAS results and dossier statistics, each a JSON list (small, read whole).
CREATE TABLE rm_agency_records (
    agency_id  TEXT PRIMARY KEY,
    heads      TEXT NOT NULL,
    sipas      TEXT NOT NULL,
    dossiers   TEXT NOT NULL
);

-- Indicators with their yearly targets and measurements (JSON lists, read whole).
CREATE TABLE rm_indicators (
    indicator_id  TEXT PRIMARY KEY,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    unit          TEXT NOT NULL,
    direction     TEXT NOT NULL,            -- HIGHER_IS_BETTER | LOWER_IS_BETTER
    baseline      DOUBLE PRECISION,
    baseline_on   TEXT,
    jurisdiction  TEXT NOT NULL,
    targets       TEXT NOT NULL,
    measurements  TEXT NOT NULL
);
