-- The supervision loop (督导, issue 14): rounds, each covered org's self-evaluation and
-- its items, every submission frozen, evidence files, cases (findings' rectification,
-- reported hazards) and every step taken on any of them. Rounds, evaluations, items and
-- cases hold their current state; sup_steps, sup_submissions and sup_evidence are
-- append-only (the triggers refuse to change or remove a row), so that nothing done is
-- undone except by a new recorded step.
CREATE TABLE sup_rounds (
	tenant       TEXT    NOT NULL,
	id           INTEGER NOT NULL,
	title        TEXT    NOT NULL,
	subject_kind TEXT    NOT NULL CHECK (subject_kind IN ('standard', 'indicators', 'ledger', 'checklist')),
	subject      TEXT    NOT NULL DEFAULT '',  -- the standard's or checklist's code
	year         INTEGER NOT NULL,
	level        TEXT    NOT NULL CHECK (level IN ('district', 'institution')),
	orgs         TEXT    NOT NULL,             -- the covered districts or institutions, comma-separated
	self_due     TEXT    NOT NULL DEFAULT '',  -- YYYY-MM-DD
	verify_due   TEXT    NOT NULL DEFAULT '',
	rectify_due  TEXT    NOT NULL DEFAULT '',
	status       TEXT    NOT NULL CHECK (status IN ('open', 'closed')),
	created_by   TEXT    NOT NULL,
	created_at   TEXT    NOT NULL,
	PRIMARY KEY (tenant, id)
);

-- Each covered org's self-evaluation (自评) of a round.
CREATE TABLE sup_evals (
	tenant     TEXT    NOT NULL,
	round      INTEGER NOT NULL,
	org        TEXT    NOT NULL,
	status     TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'verified')),
	submission INTEGER NOT NULL DEFAULT 0,   -- the latest of sup_submissions, 0 before the first
	result     TEXT    NOT NULL DEFAULT '',  -- the verifier's overall result (checklist results)
	updated_at TEXT    NOT NULL,
	PRIMARY KEY (tenant, round, org)
);

-- The answer to each item and the inspector's verdict on it.
CREATE TABLE sup_items (
	tenant  TEXT    NOT NULL,
	round   INTEGER NOT NULL,
	org     TEXT    NOT NULL,
	item    TEXT    NOT NULL,
	answer  TEXT    NOT NULL DEFAULT '',  -- met, partly, not_met ('' not answered)
	note    TEXT    NOT NULL DEFAULT '',
	verdict TEXT    NOT NULL DEFAULT '' CHECK (verdict IN ('', 'accepted', 'returned')),
	reason  TEXT    NOT NULL DEFAULT '',  -- why it was returned
	PRIMARY KEY (tenant, round, org, item)
);

-- Every submission of a self-evaluation as it was submitted, computed values frozen:
-- canonical JSON and its SHA-256.
CREATE TABLE sup_submissions (
	tenant  TEXT    NOT NULL,
	round   INTEGER NOT NULL,
	org     TEXT    NOT NULL,
	n       INTEGER NOT NULL,
	at      TEXT    NOT NULL,
	by_user TEXT    NOT NULL,
	sha256  TEXT    NOT NULL,
	content TEXT    NOT NULL,
	PRIMARY KEY (tenant, round, org, n)
);
CREATE TRIGGER sup_submissions_no_update BEFORE UPDATE ON sup_submissions
BEGIN SELECT RAISE(ABORT, 'a submission never changes'); END;
CREATE TRIGGER sup_submissions_no_delete BEFORE DELETE ON sup_submissions
BEGIN SELECT RAISE(ABORT, 'a submission is never removed'); END;

-- Evidence files (佐证材料), checked by content before they are stored.
CREATE TABLE sup_evidence (
	tenant     TEXT    NOT NULL,
	id         INTEGER NOT NULL,
	round      INTEGER NOT NULL DEFAULT 0,
	org        TEXT    NOT NULL,             -- whose evidence: decides who may read it
	item       TEXT    NOT NULL DEFAULT '',
	case_id    INTEGER NOT NULL DEFAULT 0,
	name       TEXT    NOT NULL,             -- the file name as given, for display only
	media_type TEXT    NOT NULL,             -- as found in the content
	size       INTEGER NOT NULL,
	sha256     TEXT    NOT NULL,
	data       BLOB    NOT NULL,
	by_user    TEXT    NOT NULL,
	at         TEXT    NOT NULL,
	PRIMARY KEY (tenant, id)
);
CREATE INDEX sup_evidence_of ON sup_evidence (tenant, round, org, item);
CREATE TRIGGER sup_evidence_no_update BEFORE UPDATE ON sup_evidence
BEGIN SELECT RAISE(ABORT, 'evidence never changes'); END;
CREATE TRIGGER sup_evidence_no_delete BEFORE DELETE ON sup_evidence
BEGIN SELECT RAISE(ABORT, 'evidence is never removed'); END;

-- Cases: a finding's rectification (整改) or a reported hazard, from open to closed.
CREATE TABLE sup_cases (
	tenant     TEXT    NOT NULL,
	id         INTEGER NOT NULL,
	type       TEXT    NOT NULL,              -- a case type of the pack
	round      INTEGER NOT NULL DEFAULT 0,    -- the round of a finding, 0 for a report
	org        TEXT    NOT NULL,              -- the owner: a district or institution
	item       TEXT    NOT NULL DEFAULT '',   -- the item a finding was raised on
	theme      TEXT    NOT NULL DEFAULT '',
	title      TEXT    NOT NULL,
	fields     TEXT    NOT NULL DEFAULT '{}', -- the case type's fields, JSON
	status     TEXT    NOT NULL CHECK (status IN ('open', 'in_progress', 'submitted', 'closed', 'reopened')),
	due        TEXT    NOT NULL DEFAULT '',   -- YYYY-MM-DD
	opened_by  TEXT    NOT NULL,
	opened_at  TEXT    NOT NULL,
	updated_at TEXT    NOT NULL,
	PRIMARY KEY (tenant, id)
);
CREATE INDEX sup_cases_org ON sup_cases (tenant, org, status);

-- Every step on a round, evaluation, item or case: who, when, from where, what state it
-- left and entered, the note and the evidence given.
CREATE TABLE sup_steps (
	tenant     TEXT    NOT NULL,
	id         INTEGER NOT NULL,
	at         TEXT    NOT NULL,
	actor      TEXT    NOT NULL,
	role       TEXT    NOT NULL,
	remote     TEXT    NOT NULL DEFAULT '',
	entity     TEXT    NOT NULL,             -- round, evaluation, item, case
	round      INTEGER NOT NULL DEFAULT 0,
	org        TEXT    NOT NULL DEFAULT '',
	item       TEXT    NOT NULL DEFAULT '',
	case_id    INTEGER NOT NULL DEFAULT 0,
	action     TEXT    NOT NULL,
	from_state TEXT    NOT NULL,
	to_state   TEXT    NOT NULL,
	note       TEXT    NOT NULL DEFAULT '',
	evidence   TEXT    NOT NULL DEFAULT '',  -- evidence ids, comma-separated
	PRIMARY KEY (tenant, id)
);
CREATE INDEX sup_steps_round ON sup_steps (tenant, round, org);
CREATE INDEX sup_steps_case ON sup_steps (tenant, case_id);
CREATE TRIGGER sup_steps_no_update BEFORE UPDATE ON sup_steps
BEGIN SELECT RAISE(ABORT, 'supervision steps are append-only'); END;
CREATE TRIGGER sup_steps_no_delete BEFORE DELETE ON sup_steps
BEGIN SELECT RAISE(ABORT, 'supervision steps are append-only'); END;
