-- Each roster snapshot keeps its ids as one value (as migrations/sqlite/005, whose
-- comment gives the form), in place of a row per student and teacher.
CREATE TABLE roster_ids (
	tenant   text    NOT NULL,
	kind     text    NOT NULL, -- students or teachers
	year     integer NOT NULL,
	district text    NOT NULL,
	rows     integer NOT NULL,
	ids      bytea   NOT NULL,
	batch_id bigint  NOT NULL,
	PRIMARY KEY (tenant, kind, year, district)
);

INSERT INTO roster_ids (tenant, kind, year, district, rows, ids, batch_id)
SELECT tenant, 'students', year, district, count(*),
	convert_to(string_agg('@' || octet_length(institution) || ':' || institution ||
		octet_length(student_id) || ':' || student_id, ''), 'UTF8'), max(batch_id)
FROM students GROUP BY tenant, year, district;

INSERT INTO roster_ids (tenant, kind, year, district, rows, ids, batch_id)
SELECT tenant, 'teachers', year, district, count(*),
	convert_to(string_agg('@' || octet_length(institution) || ':' || institution ||
		octet_length(teacher_id) || ':' || teacher_id, ''), 'UTF8'), max(batch_id)
FROM teachers GROUP BY tenant, year, district;

DROP TABLE students;
DROP TABLE teachers;
