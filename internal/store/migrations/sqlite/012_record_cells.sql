-- Rows of the record kinds a pack declares (kinds.yaml: health screenings, training
-- credits, after-school services...), kept as the cube reads them: for each kind, year
-- and org (the institution of the row, or for a provider's row its district), the rows
-- with the same code and boolean fields (dims, canonical key=value;...) are counted
-- (measure '') and each integer or number field is summed (measure = the field's code)
-- with the rows that gave it a value (measure = the field's code and '#n'). Computing
-- an element is then a scan of a few cells per school, as for rosters, and no row per
-- person is kept: the accepted file stays in its batch.
CREATE TABLE record_cells (
	tenant   TEXT    NOT NULL,
	kind     TEXT    NOT NULL,
	year     INTEGER NOT NULL,
	district TEXT    NOT NULL,
	org      TEXT    NOT NULL,
	dims     TEXT    NOT NULL,
	measure  TEXT    NOT NULL,
	value    REAL    NOT NULL,
	batch_id INTEGER NOT NULL,
	PRIMARY KEY (tenant, kind, year, district, org, dims, measure)
);
CREATE INDEX record_cells_scope ON record_cells (tenant, year, district);
