-- An audit entry's detail in both languages: detail in Chinese, detail_en in English.
-- Entries written before hold their English detail in detail and '' in detail_en.
ALTER TABLE audit ADD COLUMN detail_en TEXT NOT NULL DEFAULT '';
