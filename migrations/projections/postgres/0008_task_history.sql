-- Each task keeps what its record said on each day, so that a question about a past
-- day ("overdue on 1/4") is answered as things stood then: the day it was entered,
-- its deadlines from the day each took effect, its closings and reopenings, as JSON
-- ({"entered_on", "deadlines": [{"from", "deadline"}…], "openings": [{"on", "open"}…]}).
ALTER TABLE rm_tasks ADD COLUMN history TEXT NOT NULL DEFAULT '{}';

-- Rows written before lack their history: empty the read-models and their checkpoint,
-- so that the next follower or server folds the whole log into them again.
DELETE FROM rm_jurisdictions;
DELETE FROM rm_band_schemes;
DELETE FROM rm_indicators;
DELETE FROM rm_agency_records;
DELETE FROM rm_par_results;
DELETE FROM rm_tasks;
DELETE FROM rm_documents;
DELETE FROM rm_agencies;
DELETE FROM projection_checkpoints WHERE name = 'progress';
