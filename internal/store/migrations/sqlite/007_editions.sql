-- Editions (版本, issue 15): a review frozen as it stood — every figure, progress row,
-- verdict, project and task status, the inputs and batches behind each figure and the
-- pack's version — in one canonical JSON document whose SHA-256 is kept beside it.
-- Later imports never change an edition: a correction is a new edition. The triggers
-- refuse to change the content or remove an edition; only its publication may be set,
-- once.
CREATE TABLE editions (
	tenant       TEXT    NOT NULL,
	number       INTEGER NOT NULL,
	plan         TEXT    NOT NULL,               -- the pack's code
	pack_version TEXT    NOT NULL,
	kind         TEXT    NOT NULL CHECK (kind IN ('final', 'midterm')),
	as_of        INTEGER NOT NULL,               -- the last year of data it reads
	title        TEXT    NOT NULL,
	sha256       TEXT    NOT NULL,               -- of the content, uncompressed
	content      BLOB    NOT NULL,               -- the canonical JSON, gzip-compressed
	created_at   TEXT    NOT NULL,
	created_by   TEXT    NOT NULL,
	published_at TEXT    NOT NULL DEFAULT '',    -- '' while a draft
	published_by TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (tenant, number)
);
CREATE INDEX editions_published ON editions (tenant, plan, kind, as_of, published_at);
CREATE TRIGGER editions_frozen BEFORE UPDATE ON editions
WHEN NEW.tenant IS NOT OLD.tenant OR NEW.number IS NOT OLD.number OR NEW.plan IS NOT OLD.plan
  OR NEW.pack_version IS NOT OLD.pack_version OR NEW.kind IS NOT OLD.kind OR NEW.as_of IS NOT OLD.as_of
  OR NEW.title IS NOT OLD.title OR NEW.sha256 IS NOT OLD.sha256 OR NEW.content IS NOT OLD.content
  OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by OR OLD.published_at <> ''
BEGIN SELECT RAISE(ABORT, 'an edition never changes; only a draft may be published, once'); END;
CREATE TRIGGER editions_no_delete BEFORE DELETE ON editions
BEGIN SELECT RAISE(ABORT, 'an edition is never removed'); END;
