-- A round may assess the plan's commitments (承诺事项): subject_kind 'commitments'.
-- SQLite cannot change a CHECK, so the table is rebuilt; nothing references it.
CREATE TABLE sup_rounds_new (
	tenant       TEXT    NOT NULL,
	id           INTEGER NOT NULL,
	title        TEXT    NOT NULL,
	subject_kind TEXT    NOT NULL CHECK (subject_kind IN ('standard', 'indicators', 'commitments', 'ledger', 'checklist')),
	subject      TEXT    NOT NULL DEFAULT '',  -- the standard's or checklist's code
	year         INTEGER NOT NULL,
	level        TEXT    NOT NULL CHECK (level IN ('district', 'institution')),
	orgs         TEXT    NOT NULL,             -- the covered districts or institutions, comma-separated
	self_due     TEXT    NOT NULL DEFAULT '',  -- YYYY-MM-DD
	verify_due   TEXT    NOT NULL DEFAULT '',
	rectify_due  TEXT    NOT NULL DEFAULT '',
	status       TEXT    NOT NULL CHECK (status IN ('open', 'closed')),
	created_by   TEXT    NOT NULL,
	created_at   TEXT    NOT NULL,
	PRIMARY KEY (tenant, id)
);
INSERT INTO sup_rounds_new SELECT * FROM sup_rounds;
DROP TABLE sup_rounds;
ALTER TABLE sup_rounds_new RENAME TO sup_rounds;
