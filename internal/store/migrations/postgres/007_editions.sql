-- Editions (版本, as migrations/sqlite/007): a review frozen as it stood. The trigger
-- refuses to change the content or remove an edition; only its publication may be
-- set, once. published_at is NULL while a draft.
CREATE TABLE editions (
	tenant       text        NOT NULL,
	number       integer     NOT NULL,
	plan         text        NOT NULL,
	pack_version text        NOT NULL,
	kind         text        NOT NULL CHECK (kind IN ('final', 'midterm')),
	as_of        integer     NOT NULL,
	title        text        NOT NULL,
	sha256       text        NOT NULL,
	content      bytea       NOT NULL,
	created_at   timestamptz NOT NULL,
	created_by   text        NOT NULL,
	published_at timestamptz,
	published_by text        NOT NULL DEFAULT '',
	PRIMARY KEY (tenant, number)
);
CREATE INDEX editions_published ON editions (tenant, plan, kind, as_of, published_at);
CREATE FUNCTION editions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION 'an edition is never removed';
	END IF;
	IF (NEW.tenant, NEW.number, NEW.plan, NEW.pack_version, NEW.kind, NEW.as_of, NEW.title, NEW.sha256, NEW.content, NEW.created_at, NEW.created_by)
		IS DISTINCT FROM (OLD.tenant, OLD.number, OLD.plan, OLD.pack_version, OLD.kind, OLD.as_of, OLD.title, OLD.sha256, OLD.content, OLD.created_at, OLD.created_by)
		OR OLD.published_at IS NOT NULL THEN
		RAISE EXCEPTION 'an edition never changes; only a draft may be published, once';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER editions_frozen BEFORE UPDATE OR DELETE ON editions
FOR EACH ROW EXECUTE FUNCTION editions_frozen();
