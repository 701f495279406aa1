-- Students and teachers are no longer stored a row per person: each roster snapshot
-- (kind, year, district) keeps the ids with the institution of each as one value, which
-- is what the import's check for the same person in two institutions in one year reads;
-- the counts the cube reads stay in roster_cells, and the accepted file, kept in its
-- batch, holds everything else. A row per person cost two b-tree inserts, most of the
-- time of a large import.
--
-- ids is the form store/roster.go reads: entries back to back, each its byte length in
-- decimal, ':', the bytes; an institution's entry starts with '@' and the ids after it
-- are at that institution. eduplan writes it compressed after a 'z'; the rows stored so
-- far move here in the plain form, which SQL can build.
CREATE TABLE roster_ids (
	tenant   TEXT    NOT NULL,
	kind     TEXT    NOT NULL, -- students or teachers
	year     INTEGER NOT NULL,
	district TEXT    NOT NULL,
	rows     INTEGER NOT NULL,
	ids      BLOB    NOT NULL,
	batch_id INTEGER NOT NULL,
	PRIMARY KEY (tenant, kind, year, district)
);

-- Each id comes with its institution's entry: grouped by district alone, the rows come
-- in the order of the district index, with no sort of the whole table (grouping by
-- institution too took twice the time and a gigabyte of memory for six years of the
-- Yantai-size demo). The next import of a snapshot writes it compactly.
INSERT INTO roster_ids (tenant, kind, year, district, rows, ids, batch_id)
SELECT tenant, 'students', year, district, count(*),
	CAST(group_concat('@' || octet_length(institution) || ':' || institution ||
		octet_length(student_id) || ':' || student_id, '') AS BLOB), max(batch_id)
FROM students GROUP BY tenant, year, district;

INSERT INTO roster_ids (tenant, kind, year, district, rows, ids, batch_id)
SELECT tenant, 'teachers', year, district, count(*),
	CAST(group_concat('@' || octet_length(institution) || ':' || institution ||
		octet_length(teacher_id) || ':' || teacher_id, '') AS BLOB), max(batch_id)
FROM teachers GROUP BY tenant, year, district;

DROP TABLE students;
DROP TABLE teachers;
