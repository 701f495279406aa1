-- The accepted file of a batch moves out of batches into a table of its own (as
-- migrations/sqlite/006_batch_files): listings read batches, only the clerk's merge
-- reads a kept file.
CREATE TABLE batch_files (
	tenant   text   NOT NULL,
	batch_id bigint NOT NULL,
	content  bytea  NOT NULL,
	PRIMARY KEY (tenant, batch_id)
);

INSERT INTO batch_files (tenant, batch_id, content)
SELECT tenant, id, content FROM batches WHERE content IS NOT NULL;

ALTER TABLE batches DROP COLUMN content;
