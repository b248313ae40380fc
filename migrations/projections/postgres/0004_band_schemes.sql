-- PAR INDEX band schemes as data (BandSchemeSet events): one row per jurisdiction,
-- its schemes by the year they apply from, as JSON ({"2022": [{"name", "min_total"}…]}).
CREATE TABLE rm_band_schemes (
    scheme_id     TEXT PRIMARY KEY,
    jurisdiction  TEXT NOT NULL,
    schemes       TEXT NOT NULL
);
