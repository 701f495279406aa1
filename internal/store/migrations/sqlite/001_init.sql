-- The first schema. Every data table carries the tenant (the top org code of the plan)
-- so that it can be the distribution column of a sharded PostgreSQL (Citus) later;
-- unique keys include it.

CREATE TABLE meta (
	tenant TEXT NOT NULL,
	key    TEXT NOT NULL,
	value  TEXT NOT NULL,
	PRIMARY KEY (tenant, key)
);

-- One accepted file. content keeps the file itself (gzip), so that nothing accepted is
-- ever lost, even after a later snapshot replaced its rows.
CREATE TABLE batches (
	tenant      TEXT    NOT NULL,
	id          INTEGER NOT NULL,
	kind        TEXT    NOT NULL,
	file        TEXT    NOT NULL,
	sha256      TEXT    NOT NULL,
	rows        INTEGER NOT NULL,
	years       TEXT    NOT NULL,
	districts   TEXT    NOT NULL,
	scopes      INTEGER NOT NULL DEFAULT 0, -- snapshots the batch took
	imported_at TEXT    NOT NULL,
	imported_by TEXT    NOT NULL DEFAULT '',
	replaced_by INTEGER NOT NULL DEFAULT 0,
	content     BLOB,
	PRIMARY KEY (tenant, id)
);
CREATE INDEX batches_sha ON batches (tenant, kind, sha256);

-- Which batch holds the current snapshot of a kind for a year and scope (a district code,
-- or the city's for facts reported at the city; facts are scoped by element too).
CREATE TABLE snapshots (
	tenant   TEXT    NOT NULL,
	kind     TEXT    NOT NULL,
	year     INTEGER NOT NULL,
	scope    TEXT    NOT NULL,
	element  TEXT    NOT NULL DEFAULT '',
	batch_id INTEGER NOT NULL,
	PRIMARY KEY (tenant, kind, year, scope, element)
);

CREATE TABLE institutions (
	tenant    TEXT    NOT NULL,
	year      INTEGER NOT NULL,
	code      TEXT    NOT NULL,
	name      TEXT    NOT NULL,
	district  TEXT    NOT NULL,
	type      TEXT    NOT NULL,
	ownership TEXT    NOT NULL,
	inclusive INTEGER,
	location  TEXT    NOT NULL,
	lat       REAL,
	lon       REAL,
	batch_id  INTEGER NOT NULL,
	PRIMARY KEY (tenant, year, code)
);
CREATE INDEX institutions_district ON institutions (tenant, year, district);

CREATE TABLE students (
	tenant      TEXT    NOT NULL,
	year        INTEGER NOT NULL,
	student_id  TEXT    NOT NULL,
	institution TEXT    NOT NULL,
	district    TEXT    NOT NULL,
	stage       TEXT    NOT NULL,
	grade       INTEGER NOT NULL,
	sex         TEXT    NOT NULL,
	birth_date  TEXT,
	hukou       TEXT,
	batch_id    INTEGER NOT NULL,
	PRIMARY KEY (tenant, year, student_id)
) WITHOUT ROWID;
CREATE INDEX students_district ON students (tenant, year, district);

CREATE TABLE teachers (
	tenant          TEXT    NOT NULL,
	year            INTEGER NOT NULL,
	teacher_id      TEXT    NOT NULL,
	institution     TEXT    NOT NULL,
	district        TEXT    NOT NULL,
	stage           TEXT    NOT NULL,
	sex             TEXT    NOT NULL,
	birth_date      TEXT,
	education       TEXT    NOT NULL,
	preschool_major INTEGER,
	dual_qualified  INTEGER,
	rotated         INTEGER,
	new_hire        INTEGER,
	batch_id        INTEGER NOT NULL,
	PRIMARY KEY (tenant, year, teacher_id)
) WITHOUT ROWID;
CREATE INDEX teachers_district ON teachers (tenant, year, district);

CREATE TABLE population (
	tenant   TEXT    NOT NULL,
	year     INTEGER NOT NULL,
	district TEXT    NOT NULL,
	age      INTEGER NOT NULL,
	sex      TEXT    NOT NULL, -- '' = both sexes
	count    INTEGER NOT NULL,
	batch_id INTEGER NOT NULL,
	PRIMARY KEY (tenant, year, district, age, sex)
);

CREATE TABLE facts (
	tenant   TEXT    NOT NULL,
	year     INTEGER NOT NULL,
	org      TEXT    NOT NULL,
	element  TEXT    NOT NULL,
	dims     TEXT    NOT NULL, -- canonical key=value;... sorted by key, '' = total
	value    REAL    NOT NULL,
	scope    TEXT    NOT NULL, -- district of org, or the city
	batch_id INTEGER NOT NULL,
	PRIMARY KEY (tenant, year, org, element, dims)
);

-- Students and teachers are WITHOUT ROWID tables clustered on their key, and carry
-- their institution's district so that a district's snapshot is replaced through one
-- index: each row costs two b-tree inserts, not four.

-- Roster rows counted by institution and dimensions at import, so that the cube is
-- built at start-up without reading every row.
CREATE TABLE roster_cells (
	tenant      TEXT    NOT NULL,
	kind        TEXT    NOT NULL,
	year        INTEGER NOT NULL,
	district    TEXT    NOT NULL,
	institution TEXT    NOT NULL,
	dims        TEXT    NOT NULL,
	count       INTEGER NOT NULL,
	batch_id    INTEGER NOT NULL,
	PRIMARY KEY (tenant, kind, year, institution, dims)
);
CREATE INDEX roster_cells_scope ON roster_cells (tenant, kind, year, district);
