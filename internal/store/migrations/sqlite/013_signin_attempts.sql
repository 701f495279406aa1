-- Sign-in attempts, counted by the throttle in the database (issue 16) so that every
-- server on it counts against one limit. A row is an attempt counted against a subject
-- (an account, 'account:NAME', or a client's address, 'address:IP'); one attempt
-- against both is two rows of one id. A subject's rows that have left the window are
-- deleted as it is checked, and all of them now and then.
CREATE TABLE signin_attempts (
	tenant  TEXT    NOT NULL,
	id      INTEGER NOT NULL,
	subject TEXT    NOT NULL,
	at      TEXT    NOT NULL,
	PRIMARY KEY (tenant, subject, id)
);
