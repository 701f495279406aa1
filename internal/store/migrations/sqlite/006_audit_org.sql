-- The org unit each audit entry is about (issue 10): the district of an import, of the
-- user signed in or changed; the city's code for what is the city's (the task ledger,
-- an import across districts, a user granted on the city); '' when not known (entries
-- older than this column, a sign-in under a name that is no user's). An admin granted
-- on a district reads only the entries about it.
ALTER TABLE audit ADD COLUMN org TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_org ON audit (tenant, org, id);
