-- Users, their sessions and API tokens, and the audit log (issue 6). Secrets are kept
-- only as hashes: a password as argon2id in its PHC string, a session or token id as its
-- SHA-256, so that a copy of the database gives nobody a way in.

CREATE TABLE users (
	tenant     TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	password   TEXT    NOT NULL,          -- $argon2id$v=19$m=...,t=...,p=...$salt$hash
	role       TEXT    NOT NULL,          -- admin, analyst, district_officer, school_clerk, inspector
	org        TEXT    NOT NULL,          -- the org unit (or institution) the role is granted on
	disabled   INTEGER NOT NULL DEFAULT 0,
	created_at TEXT    NOT NULL,
	PRIMARY KEY (tenant, name)
);

CREATE TABLE sessions (
	tenant     TEXT    NOT NULL,
	id_hash    TEXT    NOT NULL,          -- SHA-256 of the cookie's value, hex
	user_name  TEXT    NOT NULL,
	created_at TEXT    NOT NULL,
	seen_at    TEXT    NOT NULL,
	expires_at TEXT    NOT NULL,
	revoked    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (tenant, id_hash)
);
CREATE INDEX sessions_user ON sessions (tenant, user_name);

CREATE TABLE tokens (
	tenant     TEXT    NOT NULL,
	id         INTEGER NOT NULL,
	hash       TEXT    NOT NULL,          -- SHA-256 of the token, hex
	user_name  TEXT    NOT NULL,
	label      TEXT    NOT NULL DEFAULT '',
	created_at TEXT    NOT NULL,
	used_at    TEXT    NOT NULL DEFAULT '',
	revoked    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (tenant, id)
);
CREATE UNIQUE INDEX tokens_hash ON tokens (hash);

-- Every change: who, when, what, from where. Append-only: the triggers refuse to change
-- or remove an entry.
CREATE TABLE audit (
	tenant  TEXT    NOT NULL,
	id      INTEGER NOT NULL,
	at      TEXT    NOT NULL,
	actor   TEXT    NOT NULL,             -- user name; cli:<os user> for the command line
	action  TEXT    NOT NULL,             -- import, replace, user.add, task.edit, ...
	object  TEXT    NOT NULL DEFAULT '',  -- what it was done to: batch 12, user alice, task 7
	detail  TEXT    NOT NULL DEFAULT '',  -- a short summary, never personal data
	remote  TEXT    NOT NULL DEFAULT '',  -- the client's address, or "cli"
	PRIMARY KEY (tenant, id)
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
