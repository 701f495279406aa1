package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// User is a person who signs in, with the role granted on an org unit. Password is the
// hash, never the password.
type User struct {
	Name      string    `json:"name"`
	Password  string    `json:"-"`
	Role      string    `json:"role"`
	Org       string    `json:"org"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

func errNoUser(name string) error {
	return plan.Errorf(plan.ENOTFOUND, "用户 %q 不存在", "no user %q", name)
}

// AddUser records a new user; a user of that name already there is a conflict.
func (tx *Tx) AddUser(ctx context.Context, u *User) error {
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE tenant = ? AND name = ?`, tx.Tenant, u.Name).Scan(&n); err != nil {
		return fmt.Errorf("add user: %w", err)
	}
	if n > 0 {
		return plan.Errorf(plan.ECONFLICT, "用户 %q 已存在", "user %q exists already", u.Name)
	}
	u.CreatedAt = tx.Now
	_, err := tx.exec(ctx, `INSERT INTO users (tenant, name, password, role, org, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		tx.Tenant, u.Name, u.Password, u.Role, u.Org, u.Disabled, tx.timeArg(u.CreatedAt))
	if err != nil {
		return fmt.Errorf("add user: %w", err)
	}
	return nil
}

// SetPassword replaces a user's password hash.
func (tx *Tx) SetPassword(ctx context.Context, name, hash string) error {
	return tx.updateUser(ctx, name, `UPDATE users SET password = ? WHERE tenant = ? AND name = ?`, hash)
}

// SetDisabled disables or enables a user.
func (tx *Tx) SetDisabled(ctx context.Context, name string, disabled bool) error {
	return tx.updateUser(ctx, name, `UPDATE users SET disabled = ? WHERE tenant = ? AND name = ?`, disabled)
}

func (tx *Tx) updateUser(ctx context.Context, name, query string, value any) error {
	res, err := tx.exec(ctx, query, value, tx.Tenant, name)
	if err != nil {
		return fmt.Errorf("update user %s: %w", name, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errNoUser(name)
	}
	return nil
}

// UserCount returns how many users the tenant has.
func (db *DB) UserCount(ctx context.Context, tenant string) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE tenant = ?`, tenant).Scan(&n)
	return n, err
}

// User returns a user by name.
func (db *DB) User(ctx context.Context, tenant, name string) (*User, error) {
	u, err := scanUser(db.db.QueryRowContext(ctx, `SELECT name, password, role, org, disabled, created_at FROM users WHERE tenant = ? AND name = ?`, tenant, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoUser(name)
	}
	return u, err
}

// Users returns every user of the tenant by name.
func (db *DB) Users(ctx context.Context, tenant string) ([]User, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT name, password, role, org, disabled, created_at FROM users WHERE tenant = ? ORDER BY name`, tenant)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	var u User
	if err := row.Scan(&u.Name, &u.Password, &u.Role, &u.Org, &u.Disabled, scanTime(&u.CreatedAt)); err != nil {
		return nil, err
	}
	return &u, nil
}

// Session is a signed-in browser's server-side session, found by the hash of its
// cookie's value.
type Session struct {
	IDHash    string
	User      string
	CreatedAt time.Time
	SeenAt    time.Time
	ExpiresAt time.Time
	Revoked   bool
}

// AddSession records a new session.
func (tx *Tx) AddSession(ctx context.Context, s *Session) error {
	_, err := tx.exec(ctx, `INSERT INTO sessions (tenant, id_hash, user_name, created_at, seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		tx.Tenant, s.IDHash, s.User, tx.timeArg(s.CreatedAt), tx.timeArg(s.SeenAt), tx.timeArg(s.ExpiresAt))
	if err != nil {
		return fmt.Errorf("add session: %w", err)
	}
	return nil
}

// Session returns a session by the hash of its id; false if there is none.
func (db *DB) Session(ctx context.Context, tenant, idHash string) (*Session, bool, error) {
	var s Session
	err := db.db.QueryRowContext(ctx, `SELECT id_hash, user_name, created_at, seen_at, expires_at, revoked FROM sessions WHERE tenant = ? AND id_hash = ?`,
		tenant, idHash).Scan(&s.IDHash, &s.User, scanTime(&s.CreatedAt), scanTime(&s.SeenAt), scanTime(&s.ExpiresAt), &s.Revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("session: %w", err)
	}
	return &s, true, nil
}

// TouchSession records that a session was used now and moves its expiry.
func (db *DB) TouchSession(ctx context.Context, tenant, idHash string, seen, expires time.Time) error {
	_, err := db.db.ExecContext(ctx, `UPDATE sessions SET seen_at = ?, expires_at = ? WHERE tenant = ? AND id_hash = ?`,
		db.dialect.timeArg(seen), db.dialect.timeArg(expires), tenant, idHash)
	return err
}

// RevokeSession ends one session.
func (tx *Tx) RevokeSession(ctx context.Context, idHash string) error {
	_, err := tx.exec(ctx, `UPDATE sessions SET revoked = TRUE WHERE tenant = ? AND id_hash = ?`, tx.Tenant, idHash)
	return err
}

// RevokeSessions ends every session of a user and reports how many were open.
func (tx *Tx) RevokeSessions(ctx context.Context, user string) (int, error) {
	res, err := tx.exec(ctx, `UPDATE sessions SET revoked = TRUE WHERE tenant = ? AND user_name = ? AND revoked = FALSE`, tx.Tenant, user)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// PurgeSessions removes sessions that expired before t (a session is no change worth
// keeping; logins and logouts are in the audit log).
func (db *DB) PurgeSessions(ctx context.Context, tenant string, t time.Time) error {
	d := db.dialect
	_, err := db.db.ExecContext(ctx, `DELETE FROM sessions WHERE tenant = ? AND `+d.timeExpr("expires_at")+` < `+d.timeExpr("?"), tenant, d.timeArg(t))
	return err
}

// Token is an API token for scripts, found by the hash of its value.
type Token struct {
	ID        int64     `json:"id"`
	Hash      string    `json:"-"`
	User      string    `json:"user"`
	Label     string    `json:"label,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UsedAt    time.Time `json:"used_at,omitzero"`
	Revoked   bool      `json:"revoked"`
}

// AddToken records a new token and sets t.ID.
func (tx *Tx) AddToken(ctx context.Context, t *Token) error {
	t.CreatedAt = tx.Now
	var err error
	t.ID, err = tx.insertID(ctx, "tokens", "tenant, hash, user_name, label, created_at", "?, ?, ?, ?, ?",
		tx.Tenant, t.Hash, t.User, t.Label, tx.timeArg(t.CreatedAt))
	if err != nil {
		return fmt.Errorf("add token: %w", err)
	}
	return nil
}

// TokenByHash returns the token with the hash; false if there is none.
func (db *DB) TokenByHash(ctx context.Context, tenant, hash string) (*Token, bool, error) {
	ts, err := db.tokens(ctx, `WHERE tenant = ? AND hash = ?`, tenant, hash)
	if err != nil || len(ts) == 0 {
		return nil, false, err
	}
	return &ts[0], true, nil
}

// Tokens returns the tokens of a user (every user's when user is empty), by id.
func (db *DB) Tokens(ctx context.Context, tenant, user string) ([]Token, error) {
	if user == "" {
		return db.tokens(ctx, `WHERE tenant = ? ORDER BY id`, tenant)
	}
	return db.tokens(ctx, `WHERE tenant = ? AND user_name = ? ORDER BY id`, tenant, user)
}

func (db *DB) tokens(ctx context.Context, where string, args ...any) ([]Token, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, hash, user_name, label, created_at, used_at, revoked FROM tokens `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		if err := rows.Scan(&t.ID, &t.Hash, &t.User, &t.Label, scanTime(&t.CreatedAt), scanTime(&t.UsedAt), &t.Revoked); err != nil {
			return nil, fmt.Errorf("tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TouchToken records that a token was used.
func (db *DB) TouchToken(ctx context.Context, tenant string, id int64, t time.Time) error {
	_, err := db.db.ExecContext(ctx, `UPDATE tokens SET used_at = ? WHERE tenant = ? AND id = ?`, db.dialect.timeArg(t), tenant, id)
	return err
}

// RevokeToken revokes a token by id.
func (tx *Tx) RevokeToken(ctx context.Context, id int64) error {
	res, err := tx.exec(ctx, `UPDATE tokens SET revoked = TRUE WHERE tenant = ? AND id = ?`, tx.Tenant, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return plan.Errorf(plan.ENOTFOUND, "令牌 %d 不存在", "no token %d", id)
	}
	return nil
}

// RevokeTokens revokes every token of a user and reports how many were live.
func (tx *Tx) RevokeTokens(ctx context.Context, user string) (int, error) {
	res, err := tx.exec(ctx, `UPDATE tokens SET revoked = TRUE WHERE tenant = ? AND user_name = ? AND revoked = FALSE`, tx.Tenant, user)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// InstitutionDistrict returns the district of an institution in the latest year it
// is on a roster; false if no roster has it.
func (db *DB) InstitutionDistrict(ctx context.Context, tenant, code string) (string, bool, error) {
	var d string
	err := db.db.QueryRowContext(ctx, `SELECT district FROM institutions WHERE tenant = ? AND code = ? ORDER BY year DESC LIMIT 1`, tenant, code).Scan(&d)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return d, err == nil, err
}

// InstitutionsOf returns the codes of the institutions of a district in a year.
func (db *DB) InstitutionsOf(ctx context.Context, tenant string, year int, district string) (map[string]bool, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT code FROM institutions WHERE tenant = ? AND year = ? AND district = ?`, tenant, year, district)
	if err != nil {
		return nil, fmt.Errorf("institutions of %s: %w", district, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}

// SnapshotBatch returns the batch holding the current snapshot of a roster kind in a
// year and district; false if there is none.
func (db *DB) SnapshotBatch(ctx context.Context, tenant, kind string, year int, district string) (int64, bool, error) {
	var id int64
	err := db.db.QueryRowContext(ctx, `SELECT batch_id FROM snapshots WHERE tenant = ? AND kind = ? AND year = ? AND scope = ? AND element = ''`,
		tenant, kind, year, district).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, err == nil, err
}
