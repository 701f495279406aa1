package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Audit actions of the supervision loop: one per kind of thing stepped on; the entry's
// detail names the step.
const (
	AuditSupRound    = "supervision.round"
	AuditSupEval     = "supervision.evaluation"
	AuditSupItem     = "supervision.item"
	AuditSupCase     = "supervision.case"
	AuditSupEvidence = "supervision.evidence"
)

// SupRound is a round of supervision (督导轮次) as stored.
type SupRound struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	SubjectKind string    `json:"subject_kind"`
	Subject     string    `json:"subject"`
	Year        int       `json:"year"`
	Level       string    `json:"level"`
	Orgs        []string  `json:"orgs"`
	SelfDue     string    `json:"self_due"`
	VerifyDue   string    `json:"verify_due"`
	RectifyDue  string    `json:"rectify_due"`
	Status      string    `json:"status"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// SupEval is a covered org's self-evaluation of a round, as stored.
type SupEval struct {
	Round      int64     `json:"round"`
	Org        string    `json:"org"`
	Status     string    `json:"status"`
	Submission int       `json:"submission"`
	Result     string    `json:"result"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// SupItem is the answer to an item of a self-evaluation and the verdict on it.
type SupItem struct {
	Item    string `json:"item"`
	Answer  string `json:"answer"`
	Note    string `json:"note"`
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
}

// SupSubmission is a self-evaluation as submitted: its canonical JSON and hash.
type SupSubmission struct {
	N       int       `json:"n"`
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	SHA256  string    `json:"sha256"`
	Content []byte    `json:"-"`
}

// SupEvidence is an evidence file's header; Data is filled only by EvidenceFile.
type SupEvidence struct {
	ID        int64     `json:"id"`
	Round     int64     `json:"round,omitempty"`
	Org       string    `json:"org"`
	Item      string    `json:"item,omitempty"`
	Case      int64     `json:"case,omitempty"`
	Name      string    `json:"name"`
	MediaType string    `json:"media_type"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
	Data      []byte    `json:"-"`
}

// SupCase is a case (a finding's rectification, a reported hazard) as stored.
type SupCase struct {
	ID        int64     `json:"id"`
	Type      string    `json:"type"`
	Round     int64     `json:"round,omitempty"`
	Org       string    `json:"org"`
	Item      string    `json:"item,omitempty"`
	Theme     string    `json:"theme,omitempty"`
	Title     string    `json:"title"`
	Fields    string    `json:"fields"` // JSON object
	Status    string    `json:"status"`
	Due       string    `json:"due"`
	OpenedBy  string    `json:"opened_by"`
	OpenedAt  time.Time `json:"opened_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// SupStep is one recorded step of the loop.
type SupStep struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Role     string    `json:"role"`
	Remote   string    `json:"remote,omitempty"`
	Entity   string    `json:"entity"`
	Round    int64     `json:"round,omitempty"`
	Org      string    `json:"org,omitempty"`
	Item     string    `json:"item,omitempty"`
	Case     int64     `json:"case,omitempty"`
	Action   string    `json:"action"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	Note     string    `json:"note,omitempty"`
	Evidence []int64   `json:"evidence,omitempty"`
}

// Sup reads the supervision tables of a tenant, from the database or within a write
// transaction (Supervision).
type Sup struct {
	q interface {
		queryer
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
	tenant string
}

// Supervision returns the reader of the tenant's supervision tables.
func (db *DB) Supervision(tenant string) Sup { return Sup{q: db.db, tenant: tenant} }

// Supervision returns the reader of the transaction's tenant's supervision tables, which
// sees what the transaction wrote.
func (tx *Tx) Supervision() Sup { return Sup{q: tx.tx, tenant: tx.Tenant} }

// parseTime reads a time column scanned into a string: RFC 3339 text on SQLite, and
// on PostgreSQL a timestamptz, which database/sql writes as RFC 3339 text.
func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

const roundCols = `id, title, subject_kind, subject, year, level, orgs, self_due, verify_due, rectify_due, status, created_by, created_at`

func scanRound(sc interface{ Scan(...any) error }) (SupRound, error) {
	var r SupRound
	var orgs, at string
	err := sc.Scan(&r.ID, &r.Title, &r.SubjectKind, &r.Subject, &r.Year, &r.Level, &orgs, &r.SelfDue, &r.VerifyDue, &r.RectifyDue, &r.Status, &r.CreatedBy, &at)
	r.Orgs, r.CreatedAt = splitStrings(orgs), parseTime(at)
	return r, err
}

// Rounds returns every round, newest first.
func (s Sup) Rounds(ctx context.Context) ([]SupRound, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+roundCols+` FROM sup_rounds WHERE tenant = ? ORDER BY id DESC`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("rounds: %w", err)
	}
	defer rows.Close()
	var out []SupRound
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, fmt.Errorf("rounds: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Round returns a round; ok is false when there is none with the id.
func (s Sup) Round(ctx context.Context, id int64) (SupRound, bool, error) {
	r, err := scanRound(s.q.QueryRowContext(ctx, `SELECT `+roundCols+` FROM sup_rounds WHERE tenant = ? AND id = ?`, s.tenant, id))
	if err == sql.ErrNoRows {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("round %d: %w", id, err)
	}
	return r, true, nil
}

// Evals returns the self-evaluations of a round (every round's when round is 0), by org.
func (s Sup) Evals(ctx context.Context, round int64) ([]SupEval, error) {
	q := `SELECT round, org, status, submission, result, updated_at FROM sup_evals WHERE tenant = ?`
	args := []any{s.tenant}
	if round != 0 {
		q += ` AND round = ?`
		args = append(args, round)
	}
	rows, err := s.q.QueryContext(ctx, q+` ORDER BY round, org`, args...)
	if err != nil {
		return nil, fmt.Errorf("evaluations: %w", err)
	}
	defer rows.Close()
	var out []SupEval
	for rows.Next() {
		var e SupEval
		var at string
		if err := rows.Scan(&e.Round, &e.Org, &e.Status, &e.Submission, &e.Result, &at); err != nil {
			return nil, fmt.Errorf("evaluations: %w", err)
		}
		e.UpdatedAt = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Eval returns one self-evaluation; ok is false when the round does not cover the org.
func (s Sup) Eval(ctx context.Context, round int64, org string) (SupEval, bool, error) {
	e := SupEval{Round: round, Org: org}
	var at string
	err := s.q.QueryRowContext(ctx, `SELECT status, submission, result, updated_at FROM sup_evals WHERE tenant = ? AND round = ? AND org = ?`,
		s.tenant, round, org).Scan(&e.Status, &e.Submission, &e.Result, &at)
	if err == sql.ErrNoRows {
		return e, false, nil
	}
	if err != nil {
		return e, false, fmt.Errorf("evaluation %d/%s: %w", round, org, err)
	}
	e.UpdatedAt = parseTime(at)
	return e, true, nil
}

// Items returns the answered or verified items of a self-evaluation, by item code.
func (s Sup) Items(ctx context.Context, round int64, org string) (map[string]SupItem, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT item, answer, note, verdict, reason FROM sup_items WHERE tenant = ? AND round = ? AND org = ? ORDER BY item`, s.tenant, round, org)
	if err != nil {
		return nil, fmt.Errorf("items: %w", err)
	}
	defer rows.Close()
	out := map[string]SupItem{}
	for rows.Next() {
		var it SupItem
		if err := rows.Scan(&it.Item, &it.Answer, &it.Note, &it.Verdict, &it.Reason); err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		out[it.Item] = it
	}
	return out, rows.Err()
}

// Submission returns submission n of a self-evaluation; ok is false when there is none.
func (s Sup) Submission(ctx context.Context, round int64, org string, n int) (SupSubmission, bool, error) {
	sub := SupSubmission{N: n}
	var at, content string
	err := s.q.QueryRowContext(ctx, `SELECT at, by_user, sha256, content FROM sup_submissions WHERE tenant = ? AND round = ? AND org = ? AND n = ?`,
		s.tenant, round, org, n).Scan(&at, &sub.By, &sub.SHA256, &content)
	if err == sql.ErrNoRows {
		return sub, false, nil
	}
	if err != nil {
		return sub, false, fmt.Errorf("submission %d of %d/%s: %w", n, round, org, err)
	}
	sub.At, sub.Content = parseTime(at), []byte(content)
	return sub, true, nil
}

const evidenceCols = `id, round, org, item, case_id, name, media_type, size, sha256, by_user, at`

func scanEvidence(sc interface{ Scan(...any) error }, data *[]byte) (SupEvidence, error) {
	var e SupEvidence
	var at string
	dst := []any{&e.ID, &e.Round, &e.Org, &e.Item, &e.Case, &e.Name, &e.MediaType, &e.Size, &e.SHA256, &e.By, &at}
	if data != nil {
		dst = append(dst, data)
	}
	err := sc.Scan(dst...)
	e.At = parseTime(at)
	return e, err
}

// EvidenceOf returns the headers of the evidence filed for a round's org (item "" for all
// of its items) or, with round 0, for a case.
func (s Sup) EvidenceOf(ctx context.Context, round int64, org string, caseID int64) ([]SupEvidence, error) {
	q := `SELECT ` + evidenceCols + ` FROM sup_evidence WHERE tenant = ? AND round = ? AND org = ? AND case_id = ? ORDER BY id`
	rows, err := s.q.QueryContext(ctx, q, s.tenant, round, org, caseID)
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	defer rows.Close()
	var out []SupEvidence
	for rows.Next() {
		e, err := scanEvidence(rows, nil)
		if err != nil {
			return nil, fmt.Errorf("evidence: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EvidenceFile returns an evidence file with its data; ok is false when there is none.
func (s Sup) EvidenceFile(ctx context.Context, id int64) (SupEvidence, bool, error) {
	var data []byte
	e, err := scanEvidence(s.q.QueryRowContext(ctx, `SELECT `+evidenceCols+`, data FROM sup_evidence WHERE tenant = ? AND id = ?`, s.tenant, id), &data)
	if err == sql.ErrNoRows {
		return e, false, nil
	}
	if err != nil {
		return e, false, fmt.Errorf("evidence %d: %w", id, err)
	}
	e.Data = data
	return e, true, nil
}

const caseCols = `id, type, round, org, item, theme, title, fields, status, due, opened_by, opened_at, updated_at`

func scanCase(sc interface{ Scan(...any) error }) (SupCase, error) {
	var c SupCase
	var opened, updated string
	err := sc.Scan(&c.ID, &c.Type, &c.Round, &c.Org, &c.Item, &c.Theme, &c.Title, &c.Fields, &c.Status, &c.Due, &c.OpenedBy, &opened, &updated)
	c.OpenedAt, c.UpdatedAt = parseTime(opened), parseTime(updated)
	return c, err
}

// Cases returns the cases of a round (every case when round is 0), newest first.
func (s Sup) Cases(ctx context.Context, round int64) ([]SupCase, error) {
	q := `SELECT ` + caseCols + ` FROM sup_cases WHERE tenant = ?`
	args := []any{s.tenant}
	if round != 0 {
		q += ` AND round = ?`
		args = append(args, round)
	}
	rows, err := s.q.QueryContext(ctx, q+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("cases: %w", err)
	}
	defer rows.Close()
	var out []SupCase
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("cases: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Case returns a case; ok is false when there is none with the id.
func (s Sup) Case(ctx context.Context, id int64) (SupCase, bool, error) {
	c, err := scanCase(s.q.QueryRowContext(ctx, `SELECT `+caseCols+` FROM sup_cases WHERE tenant = ? AND id = ?`, s.tenant, id))
	if err == sql.ErrNoRows {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("case %d: %w", id, err)
	}
	return c, true, nil
}

// StepQuery selects steps: a case's (Case), or a round's (Round, and Org if given).
type StepQuery struct {
	Round int64
	Org   string
	Case  int64
}

// Steps returns the steps the query selects, oldest first.
func (s Sup) Steps(ctx context.Context, q StepQuery) ([]SupStep, error) {
	query := `SELECT id, at, actor, role, remote, entity, round, org, item, case_id, action, from_state, to_state, note, evidence FROM sup_steps WHERE tenant = ?`
	args := []any{s.tenant}
	if q.Case != 0 {
		query += ` AND case_id = ?`
		args = append(args, q.Case)
	} else {
		query += ` AND round = ? AND case_id = 0`
		args = append(args, q.Round)
		if q.Org != "" {
			query += ` AND org = ?`
			args = append(args, q.Org)
		}
	}
	rows, err := s.q.QueryContext(ctx, query+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("steps: %w", err)
	}
	defer rows.Close()
	var out []SupStep
	for rows.Next() {
		var st SupStep
		var at, ev string
		if err := rows.Scan(&st.ID, &at, &st.Actor, &st.Role, &st.Remote, &st.Entity, &st.Round, &st.Org, &st.Item, &st.Case,
			&st.Action, &st.From, &st.To, &st.Note, &ev); err != nil {
			return nil, fmt.Errorf("steps: %w", err)
		}
		st.At = parseTime(at)
		for _, x := range splitInts(ev) {
			st.Evidence = append(st.Evidence, int64(x))
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

func (tx *Tx) nextID(ctx context.Context, table string) (int64, error) {
	var id int64
	err := tx.tx.QueryRowContext(ctx, tx.db.dialect.nextID(table), tx.Tenant).Scan(&id)
	return id, err
}

// AddRound stores a new round and sets its id and creation time.
func (tx *Tx) AddRound(ctx context.Context, r *SupRound) error {
	id, err := tx.nextID(ctx, "sup_rounds")
	if err != nil {
		return fmt.Errorf("add round: %w", err)
	}
	r.ID, r.CreatedAt = id, tx.Now
	_, err = tx.exec(ctx, `INSERT INTO sup_rounds (tenant, `+roundCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.Tenant, r.ID, r.Title, r.SubjectKind, r.Subject, r.Year, r.Level, joinStrings(r.Orgs), r.SelfDue, r.VerifyDue, r.RectifyDue,
		r.Status, r.CreatedBy, tx.timeArg(r.CreatedAt))
	if err != nil {
		return fmt.Errorf("add round: %w", err)
	}
	return nil
}

// SetRoundStatus sets a round's status.
func (tx *Tx) SetRoundStatus(ctx context.Context, id int64, status string) error {
	if _, err := tx.exec(ctx, `UPDATE sup_rounds SET status = ? WHERE tenant = ? AND id = ?`, status, tx.Tenant, id); err != nil {
		return fmt.Errorf("round %d: %w", id, err)
	}
	return nil
}

// PutEval stores a self-evaluation's state, creating it if need be.
func (tx *Tx) PutEval(ctx context.Context, e SupEval) error {
	_, err := tx.exec(ctx, `INSERT INTO sup_evals (tenant, round, org, status, submission, result, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, round, org) DO UPDATE SET status = excluded.status, submission = excluded.submission,
		result = excluded.result, updated_at = excluded.updated_at`,
		tx.Tenant, e.Round, e.Org, e.Status, e.Submission, e.Result, tx.timeArg(tx.Now))
	if err != nil {
		return fmt.Errorf("evaluation %d/%s: %w", e.Round, e.Org, err)
	}
	return nil
}

// PutItem stores an item's answer and verdict, creating it if need be.
func (tx *Tx) PutItem(ctx context.Context, round int64, org string, it SupItem) error {
	_, err := tx.exec(ctx, `INSERT INTO sup_items (tenant, round, org, item, answer, note, verdict, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, round, org, item) DO UPDATE SET answer = excluded.answer, note = excluded.note,
		verdict = excluded.verdict, reason = excluded.reason`,
		tx.Tenant, round, org, it.Item, it.Answer, it.Note, it.Verdict, it.Reason)
	if err != nil {
		return fmt.Errorf("item %s of %d/%s: %w", it.Item, round, org, err)
	}
	return nil
}

// AddSubmission stores a submission of a self-evaluation; sub.At is set.
func (tx *Tx) AddSubmission(ctx context.Context, round int64, org string, sub *SupSubmission) error {
	sub.At = tx.Now
	_, err := tx.exec(ctx, `INSERT INTO sup_submissions (tenant, round, org, n, at, by_user, sha256, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.Tenant, round, org, sub.N, tx.timeArg(sub.At), sub.By, sub.SHA256, string(sub.Content))
	if err != nil {
		return fmt.Errorf("submission of %d/%s: %w", round, org, err)
	}
	return nil
}

// AddEvidence stores an evidence file (checked by the caller) and sets its id and time.
func (tx *Tx) AddEvidence(ctx context.Context, e *SupEvidence) error {
	id, err := tx.nextID(ctx, "sup_evidence")
	if err != nil {
		return fmt.Errorf("add evidence: %w", err)
	}
	e.ID, e.At = id, tx.Now
	_, err = tx.exec(ctx, `INSERT INTO sup_evidence (tenant, `+evidenceCols+`, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.Tenant, e.ID, e.Round, e.Org, e.Item, e.Case, e.Name, e.MediaType, e.Size, e.SHA256, e.By, tx.timeArg(e.At), e.Data)
	if err != nil {
		return fmt.Errorf("add evidence: %w", err)
	}
	return nil
}

// AddCase stores a new case and sets its id and times.
func (tx *Tx) AddCase(ctx context.Context, c *SupCase) error {
	id, err := tx.nextID(ctx, "sup_cases")
	if err != nil {
		return fmt.Errorf("add case: %w", err)
	}
	c.ID, c.OpenedAt, c.UpdatedAt = id, tx.Now, tx.Now
	if c.Fields == "" {
		c.Fields = "{}"
	}
	_, err = tx.exec(ctx, `INSERT INTO sup_cases (tenant, `+caseCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.Tenant, c.ID, c.Type, c.Round, c.Org, c.Item, c.Theme, c.Title, c.Fields, c.Status, c.Due, c.OpenedBy, tx.timeArg(c.OpenedAt), tx.timeArg(c.UpdatedAt))
	if err != nil {
		return fmt.Errorf("add case: %w", err)
	}
	return nil
}

// SetCaseStatus sets a case's status.
func (tx *Tx) SetCaseStatus(ctx context.Context, id int64, status string) error {
	if _, err := tx.exec(ctx, `UPDATE sup_cases SET status = ?, updated_at = ? WHERE tenant = ? AND id = ?`, status, tx.timeArg(tx.Now), tx.Tenant, id); err != nil {
		return fmt.Errorf("case %d: %w", id, err)
	}
	return nil
}

// AddStep records a step and sets its id and time.
func (tx *Tx) AddStep(ctx context.Context, st *SupStep) error {
	id, err := tx.nextID(ctx, "sup_steps")
	if err != nil {
		return fmt.Errorf("add step: %w", err)
	}
	st.ID, st.At = id, tx.Now
	ev := make([]string, len(st.Evidence))
	for i, x := range st.Evidence {
		ev[i] = fmt.Sprint(x)
	}
	_, err = tx.exec(ctx, `INSERT INTO sup_steps (tenant, id, at, actor, role, remote, entity, round, org, item, case_id, action, from_state, to_state, note, evidence)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tx.Tenant, st.ID, tx.timeArg(st.At), st.Actor, st.Role, st.Remote, st.Entity, st.Round, st.Org, st.Item, st.Case, st.Action, st.From, st.To, st.Note,
		strings.Join(ev, ","))
	if err != nil {
		return fmt.Errorf("add step: %w", err)
	}
	return nil
}
