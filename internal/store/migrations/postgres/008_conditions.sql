-- School conditions (办学条件, as migrations/sqlite/008): each quantity NULL when the
-- file left it empty (unknown, never zero).
CREATE TABLE conditions (
	tenant                text             NOT NULL,
	year                  integer          NOT NULL,
	institution           text             NOT NULL,
	stage                 text             NOT NULL DEFAULT '',
	district              text             NOT NULL,
	teaching_area         double precision,
	sports_area           double precision,
	equipment_value       double precision,
	multimedia_classrooms double precision,
	batch_id              bigint           NOT NULL,
	PRIMARY KEY (tenant, year, institution, stage)
);
CREATE INDEX conditions_district ON conditions (tenant, year, district);

-- 教学点: a small teaching site of a school; NULL = unknown.
ALTER TABLE institutions ADD COLUMN teaching_point boolean;
