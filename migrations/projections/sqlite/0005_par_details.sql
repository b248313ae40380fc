-- PAR INDEX results keep their detail: the self-assessed total beside the appraised
-- one (the appraisal's adjustment), bonus points, and the scores per field as JSON
-- ([{"field", "max_points", "self_assessed", "appraised"}…]).
ALTER TABLE rm_par_results ADD COLUMN self_assessed_total DOUBLE PRECISION;
ALTER TABLE rm_par_results ADD COLUMN bonus_points DOUBLE PRECISION;
ALTER TABLE rm_par_results ADD COLUMN field_scores TEXT NOT NULL DEFAULT '[]';

-- Rows written before lack that detail: empty the read-models and their checkpoint,
-- so that the next follower or server folds the whole log into them again.
DELETE FROM rm_band_schemes;
DELETE FROM rm_indicators;
DELETE FROM rm_agency_records;
DELETE FROM rm_par_results;
DELETE FROM rm_tasks;
DELETE FROM rm_documents;
DELETE FROM rm_agencies;
DELETE FROM projection_checkpoints WHERE name = 'progress';
