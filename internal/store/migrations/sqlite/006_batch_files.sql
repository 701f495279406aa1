-- The accepted file of a batch moves out of batches into a table of its own. A row of
-- batches kept the gzip of its file inline, and a column added later (warnings) is
-- stored after it, so every listing of batches read every kept file's overflow pages:
-- 420 ms a listing on 44 MB of kept files, on every indicator page. Listings read
-- batches; only the clerk's merge reads batch_files, one row by its key.
CREATE TABLE batch_files (
	tenant   TEXT    NOT NULL,
	batch_id INTEGER NOT NULL,
	content  BLOB    NOT NULL,
	PRIMARY KEY (tenant, batch_id)
);

INSERT INTO batch_files (tenant, batch_id, content)
SELECT tenant, id, content FROM batches WHERE content IS NOT NULL;

-- DROP COLUMN rewrites every row of batches without the file, freeing its pages.
ALTER TABLE batches DROP COLUMN content;
