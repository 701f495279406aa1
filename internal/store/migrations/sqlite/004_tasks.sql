-- The task ledger (台账) of the plan's main tasks (issue 4): each task's current entry and
-- every change to it. What a task is (title, units, milestones) is in the plan pack; only
-- its progress is here. plan is the pack's code: task 7 of one plan period is not task 7
-- of the next.

-- The current entry of each task that has been edited; a task never edited is
-- not_started with no milestone done, and has no row.
CREATE TABLE tasks (
	tenant     TEXT    NOT NULL,
	plan       TEXT    NOT NULL,
	number     INTEGER NOT NULL,
	status     TEXT    NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'delayed')),
	note       TEXT    NOT NULL DEFAULT '',  -- evidence: what was done, where the documents are
	updated_by TEXT    NOT NULL,
	updated_at TEXT    NOT NULL,
	PRIMARY KEY (tenant, plan, number)
);

-- Milestones marked done, by their place (1, 2, ...) in the task's list in the pack.
CREATE TABLE task_milestones (
	tenant    TEXT    NOT NULL,
	plan      TEXT    NOT NULL,
	number    INTEGER NOT NULL,
	milestone INTEGER NOT NULL,
	done_on   TEXT    NOT NULL,  -- YYYY-MM-DD, the day it was marked done (China time)
	PRIMARY KEY (tenant, plan, number, milestone)
);

-- Every change: who, when, from where, and the entry before and after (JSON). Append-only:
-- the triggers refuse to change or remove a row.
CREATE TABLE task_history (
	tenant       TEXT    NOT NULL,
	id           INTEGER NOT NULL,
	plan         TEXT    NOT NULL,
	number       INTEGER NOT NULL,
	at           TEXT    NOT NULL,
	actor        TEXT    NOT NULL,
	remote       TEXT    NOT NULL DEFAULT '',
	entry_before TEXT    NOT NULL, -- the entry before the change, JSON
	entry_after  TEXT    NOT NULL, -- and after
	PRIMARY KEY (tenant, id)
);
CREATE INDEX task_history_task ON task_history (tenant, plan, number);
CREATE TRIGGER task_history_no_update BEFORE UPDATE ON task_history
BEGIN SELECT RAISE(ABORT, 'task history is append-only'); END;
CREATE TRIGGER task_history_no_delete BEFORE DELETE ON task_history
BEGIN SELECT RAISE(ABORT, 'task history is append-only'); END;
