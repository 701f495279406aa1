package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// Sign-in attempts (登录尝试) are counted in the database rather than in a server's
// memory, so that the servers of one database count against one limit: two servers
// behind a load balancer give nobody twice the tries.

// AttemptLimit is what an attempt is counted against — a subject named by the caller
// (an account, a client's address) — and how many attempts it may have in a window.
type AttemptLimit struct {
	Subject string
	Limit   int
}

// ReserveAttempt counts an attempt at now against every subject of limits, unless one
// of them has had its limit of attempts in the window before now: then it counts
// nothing and returns how long until all of them may try again. The check and the count
// are one transaction that holds each subject's lock (SQLite's one write lock; on
// PostgreSQL an advisory lock per subject), so that however many attempts come at
// once, to however many servers, at most a subject's limit of them are counted in a
// window. It returns the attempt's id, for ReleaseAttempt. The subjects' attempts that
// have left the window are deleted on the way.
func (db *DB) ReserveAttempt(ctx context.Context, tenant string, now time.Time, window time.Duration, limits ...AttemptLimit) (id int64, wait time.Duration, err error) {
	now = now.UTC().Truncate(time.Microsecond)
	subjects := make([]string, len(limits))
	for i, l := range limits {
		subjects[i] = l.Subject
	}
	err = db.inTx(ctx, func(sqlTx *sql.Tx) error {
		if err := db.dialect.lockSubjects(ctx, sqlTx, tenant, subjects); err != nil {
			return err
		}
		tx := conn{sqlTx, db.dialect}
		for _, l := range limits {
			w, err := checkAttempts(ctx, tx, tenant, l, now, window)
			if err != nil {
				return err
			}
			wait = max(wait, w)
		}
		if wait > 0 {
			return nil // the expired attempts deleted are committed
		}
		if err := tx.QueryRowContext(ctx, db.dialect.nextID("signin_attempts"), tenant).Scan(&id); err != nil {
			return err
		}
		for _, s := range subjects {
			if _, err := tx.ExecContext(ctx, `INSERT INTO signin_attempts (tenant, id, subject, at) VALUES (?, ?, ?, ?)`,
				tenant, id, s, db.dialect.timeArg(now)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("reserve sign-in attempt: %w", err)
	}
	return id, wait, nil
}

// checkAttempts deletes the subject's attempts that have left the window before now and
// returns how long the subject must wait for an attempt to be counted: 0 when it has
// fewer than its limit left; else until the oldest of the last limit leaves the window.
func checkAttempts(ctx context.Context, tx conn, tenant string, l AttemptLimit, now time.Time, window time.Duration) (time.Duration, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, at FROM signin_attempts WHERE tenant = ? AND subject = ?`, tenant, l.Subject)
	if err != nil {
		return 0, err
	}
	var live []time.Time
	var expired []int64
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, scanTime(&at)); err != nil {
			rows.Close()
			return 0, err
		}
		if now.Sub(at) >= window {
			expired = append(expired, id)
		} else {
			live = append(live, at)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range expired {
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_attempts WHERE tenant = ? AND subject = ? AND id = ?`, tenant, l.Subject, id); err != nil {
			return 0, err
		}
	}
	if len(live) < l.Limit {
		return 0, nil
	}
	if l.Limit < 1 {
		return window, nil
	}
	slices.SortFunc(live, time.Time.Compare)
	return live[len(live)-l.Limit].Add(window).Sub(now), nil
}

// ReleaseAttempt takes back an attempt (by ReserveAttempt's id) from the subjects
// given: a sign-in that did not fail.
func (db *DB) ReleaseAttempt(ctx context.Context, tenant string, id int64, subjects ...string) error {
	for _, s := range subjects {
		if _, err := db.db.ExecContext(ctx, `DELETE FROM signin_attempts WHERE tenant = ? AND subject = ? AND id = ?`, tenant, s, id); err != nil {
			return fmt.Errorf("release sign-in attempt: %w", err)
		}
	}
	return nil
}

// ClearAttempts forgets every attempt counted against a subject.
func (db *DB) ClearAttempts(ctx context.Context, tenant, subject string) error {
	if _, err := db.db.ExecContext(ctx, `DELETE FROM signin_attempts WHERE tenant = ? AND subject = ?`, tenant, subject); err != nil {
		return fmt.Errorf("clear sign-in attempts: %w", err)
	}
	return nil
}

// SweepAttempts deletes the tenant's attempts made at or before until, of every
// subject: those of subjects never tried again, which ReserveAttempt does not reach. It
// returns how many it deleted.
func (db *DB) SweepAttempts(ctx context.Context, tenant string, until time.Time) (int64, error) {
	res, err := db.db.ExecContext(ctx, `DELETE FROM signin_attempts WHERE tenant = ? AND `+db.dialect.timeExpr("at")+` <= `+db.dialect.timeExpr("?"),
		tenant, db.dialect.timeArg(until))
	if err != nil {
		return 0, fmt.Errorf("sweep sign-in attempts: %w", err)
	}
	return res.RowsAffected()
}
