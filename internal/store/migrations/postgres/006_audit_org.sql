-- The org unit each audit entry is about (as migrations/sqlite/006_audit_org).
ALTER TABLE audit ADD COLUMN org text NOT NULL DEFAULT '';
CREATE INDEX audit_org ON audit (tenant, org, id);
