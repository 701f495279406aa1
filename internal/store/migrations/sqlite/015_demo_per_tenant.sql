-- The demo mark (meta's demo and demo_scale) was kept for the whole database, under the
-- tenant ''; it is a city's now, so that a second city on the same database is not taken
-- for demo data (nor its targets scaled by the demo's scale). Demo data go only into an
-- empty database, so a database marked holds one city: the mark becomes that city's.
UPDATE meta SET tenant = (SELECT min(tenant) FROM batches)
WHERE tenant = '' AND key IN ('demo', 'demo_scale')
  AND (SELECT count(DISTINCT tenant) FROM batches) = 1;
