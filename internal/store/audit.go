package store

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"
)

// AuditEntry is one change recorded in the append-only audit log: who, when, what, from
// where. Detail is a short summary in Chinese, DetailEn in English; neither ever holds
// personal data (no student or teacher ids, no passwords). Entries written before the
// log was bilingual have their English in Detail and no DetailEn.
type AuditEntry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Object   string    `json:"object,omitempty"`
	Detail   string    `json:"detail,omitempty"`
	DetailEn string    `json:"detail_en,omitempty"`
	Remote   string    `json:"remote,omitempty"`
	// Org is the org unit the entry is about: a district, the city's code for what is
	// the whole city's, "" when not known. It decides who reads the entry.
	Org string `json:"org,omitempty"`
}

// DetailIn is the entry's detail in lang ("zh", "en"; anything else is Chinese), the
// other language's when the entry has none in lang.
func (e AuditEntry) DetailIn(lang string) string {
	if lang == "en" {
		return cmp.Or(e.DetailEn, e.Detail)
	}
	return cmp.Or(e.Detail, e.DetailEn)
}

// Audit actions.
const (
	AuditImport        = "import"         // a batch accepted
	AuditReplace       = "replace"        // a batch's snapshot replaced by another
	AuditImportRefused = "import.refused" // an import refused: bad rows, scope or role
	AuditUserAdd       = "user.add"       // a user created
	AuditUserPassword  = "user.password"  // a password set
	AuditUserDisable   = "user.disable"   // a user disabled (or enabled)
	AuditTokenCreate   = "token.create"   // an API token issued
	AuditTokenRevoke   = "token.revoke"   // an API token revoked
	AuditSessionEnd    = "session.revoke"
	AuditLogin         = "login"
	AuditLoginFailed   = "login.failed"
	AuditTaskEdit      = "task.edit"       // a task's ledger entry changed
	AuditEditionAdd    = "edition.create"  // an edition frozen
	AuditEditionPub    = "edition.publish" // an edition published
)

// Audit appends an entry to the log in the transaction, so that the change and its
// record commit together. e.At is set to the transaction's time and e.ID to the new id.
func (tx *Tx) Audit(ctx context.Context, e *AuditEntry) error {
	e.At = tx.Now
	var err error
	e.ID, err = tx.insertID(ctx, "audit", "tenant, at, actor, action, object, detail, detail_en, remote, org", "?, ?, ?, ?, ?, ?, ?, ?, ?",
		tx.Tenant, tx.timeArg(e.At), e.Actor, e.Action, e.Object, e.Detail, e.DetailEn, e.Remote, e.Org)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// Audit appends an entry to the log in a transaction of its own.
func (db *DB) Audit(ctx context.Context, tenant string, e *AuditEntry) error {
	return db.Write(ctx, tenant, func(tx *Tx) error { return tx.Audit(ctx, e) })
}

// AuditQuery selects entries of the log; zero fields select everything.
type AuditQuery struct {
	Actor  string
	Action string
	// Before, if not 0, returns entries with smaller ids only (for paging back).
	Before int64
	// Limit caps the entries returned, newest first; 0 means 100.
	Limit int
	// Orgs, if not nil, returns only entries about these org units (an admin's district
	// and what is below it); nil returns entries about any org.
	Orgs []string
}

// AuditLog returns entries of the tenant's log, newest first.
func (db *DB) AuditLog(ctx context.Context, tenant string, q AuditQuery) ([]AuditEntry, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	query := `SELECT id, at, actor, action, object, detail, detail_en, remote, org FROM audit WHERE tenant = ?`
	args := []any{tenant}
	switch {
	case q.Orgs == nil:
	case len(q.Orgs) == 0:
		query += ` AND FALSE`
	default:
		query += ` AND org IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(q.Orgs)), ", ") + `)`
		for _, o := range q.Orgs {
			args = append(args, o)
		}
	}
	if q.Actor != "" {
		query += ` AND actor = ?`
		args = append(args, q.Actor)
	}
	if q.Action != "" {
		query += ` AND action = ?`
		args = append(args, q.Action)
	}
	if q.Before > 0 {
		query += ` AND id < ?`
		args = append(args, q.Before)
	}
	query += ` ORDER BY id DESC LIMIT ?`
	args = append(args, q.Limit)
	rows, err := db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, scanTime(&e.At), &e.Actor, &e.Action, &e.Object, &e.Detail, &e.DetailEn, &e.Remote, &e.Org); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
