-- The warnings an accepted file's import reported (as migrations/sqlite/002).
ALTER TABLE batches ADD COLUMN warnings integer NOT NULL DEFAULT 0;
