-- Every store open asks whether any event still lacks its chain hash (a log written
-- before 0003): without an index that is a scan of the whole log, under the write lock,
-- on every open. The partial index holds only such events, so after the one backfill
-- it is empty and the question is answered at once.
CREATE INDEX events_unchained ON events (position) WHERE hash IS NULL;
