-- Rows of the record kinds a pack declares, kept as the cube reads them (as
-- migrations/sqlite/012, whose comment says how): counts and sums by kind, year, org,
-- dims and measure.
CREATE TABLE record_cells (
	tenant   text             NOT NULL,
	kind     text             NOT NULL,
	year     integer          NOT NULL,
	district text             NOT NULL,
	org      text             NOT NULL,
	dims     text             NOT NULL,
	measure  text             NOT NULL,
	value    double precision NOT NULL,
	batch_id bigint           NOT NULL,
	PRIMARY KEY (tenant, kind, year, district, org, dims, measure)
);
CREATE INDEX record_cells_scope ON record_cells (tenant, year, district);
