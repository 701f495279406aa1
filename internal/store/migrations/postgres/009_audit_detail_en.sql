-- An audit entry's detail in both languages (as migrations/sqlite/009).
ALTER TABLE audit ADD COLUMN detail_en text NOT NULL DEFAULT '';
