-- School conditions (办学条件) for the supervision standards (docs/standards.md): one row
-- per institution, year and stage ('' = the whole institution), each quantity NULL when
-- the file left it empty (unknown, never zero). Rows carry their institution's district,
-- the snapshot scope a conditions file replaces, as the rosters do.
CREATE TABLE conditions (
	tenant                TEXT    NOT NULL,
	year                  INTEGER NOT NULL,
	institution           TEXT    NOT NULL,
	stage                 TEXT    NOT NULL DEFAULT '',
	district              TEXT    NOT NULL,
	teaching_area         REAL,
	sports_area           REAL,
	equipment_value       REAL,
	multimedia_classrooms REAL,
	batch_id              INTEGER NOT NULL,
	PRIMARY KEY (tenant, year, institution, stage)
);
CREATE INDEX conditions_district ON conditions (tenant, year, district);

-- 教学点: a small teaching site of a school; NULL = unknown.
ALTER TABLE institutions ADD COLUMN teaching_point INTEGER;
