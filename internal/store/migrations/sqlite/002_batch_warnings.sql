-- The warnings an accepted file's import reported (unknown columns, findings of the
-- pack's plausibility rules), so that a data-quality view can show them with the batch.
ALTER TABLE batches ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;
