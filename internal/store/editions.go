package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// EditionHeader is what identifies an edition (版本): its number, what review it is,
// its content's hash and whether and when it was published.
type EditionHeader struct {
	Number      int    `json:"number"`
	Plan        string `json:"plan"`
	PackVersion string `json:"pack_version"`
	// Kind is final (总结评估) or midterm (中期评估).
	Kind  string `json:"kind"`
	AsOf  int    `json:"as_of"`
	Title string `json:"title"`
	// SHA256 is the hash of the content (the canonical JSON), in hex.
	SHA256    string    `json:"sha256"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by,omitempty"`
	// PublishedAt is nil for a draft.
	PublishedAt *time.Time `json:"published_at"`
	PublishedBy string     `json:"published_by,omitempty"`
}

// Published reports whether the edition has been published.
func (h EditionHeader) Published() bool { return h.PublishedAt != nil }

// Dated is the moment an edition's documents are dated: its publication, or its
// creation while it is a draft. A document of an edition written twice is then the same
// bytes, so its hash can be cited and a browser's copy checked with an ETag.
func (h EditionHeader) Dated() time.Time {
	if h.PublishedAt != nil {
		return *h.PublishedAt
	}
	return h.CreatedAt
}

// Edition is an edition's header and its content, exactly as frozen.
type Edition struct {
	EditionHeader
	Content []byte `json:"-"`
}

// AddEdition stores a new edition of the content, numbering it after the tenant's
// last, and records it in the audit log; h.Number, h.SHA256 and h.CreatedAt are set.
// Editions are numbered per tenant (1, 2, ...: the numbers people cite), not by an
// identity column; the tenant's writes take turns on either database, so two editions
// never draw one number.
func (tx *Tx) AddEdition(ctx context.Context, h *EditionHeader, content []byte) error {
	if err := tx.tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) + 1 FROM editions WHERE tenant = ?`, tx.Tenant).Scan(&h.Number); err != nil {
		return fmt.Errorf("add edition: %w", err)
	}
	sum := sha256.Sum256(content)
	h.SHA256, h.CreatedAt, h.PublishedAt, h.PublishedBy = hex.EncodeToString(sum[:]), tx.Now, nil, ""
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	zw.Write(content)
	if err := zw.Close(); err != nil {
		return fmt.Errorf("add edition: %w", err)
	}
	_, err := tx.exec(ctx, `INSERT INTO editions (tenant, number, plan, pack_version, kind, as_of, title, sha256, content, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tx.Tenant, h.Number, h.Plan, h.PackVersion, h.Kind, h.AsOf, h.Title, h.SHA256,
		z.Bytes(), tx.timeArg(h.CreatedAt), h.CreatedBy)
	if err != nil {
		return fmt.Errorf("add edition: %w", err)
	}
	return tx.Audit(ctx, &AuditEntry{Actor: h.CreatedBy, Action: AuditEditionAdd, Object: fmt.Sprintf("edition %d", h.Number), Org: tx.Tenant,
		Detail:   fmt.Sprintf("%s，截至 %d，sha256 %s", h.Kind, h.AsOf, h.SHA256[:12]),
		DetailEn: fmt.Sprintf("%s %d sha256 %s", h.Kind, h.AsOf, h.SHA256[:12])})
}

// PublishEdition marks a draft edition published by actor; ECONFLICT if it already is,
// ENOTFOUND if there is no such edition.
func (tx *Tx) PublishEdition(ctx context.Context, number int, actor string) error {
	var at time.Time
	err := tx.tx.QueryRowContext(ctx, `SELECT published_at FROM editions WHERE tenant = ? AND number = ?`, tx.Tenant, number).Scan(scanTime(&at))
	if err == sql.ErrNoRows {
		return errNoEdition(number)
	} else if err != nil {
		return fmt.Errorf("publish edition %d: %w", number, err)
	}
	if !at.IsZero() {
		day := at.Format(time.DateOnly)
		return plan.Errorf(plan.ECONFLICT, "版本 %d 已于 %s 发布", "edition %d was published on %s", number, day)
	}
	if _, err := tx.exec(ctx, `UPDATE editions SET published_at = ?, published_by = ? WHERE tenant = ? AND number = ?`,
		tx.timeArg(tx.Now), actor, tx.Tenant, number); err != nil {
		return fmt.Errorf("publish edition %d: %w", number, err)
	}
	return tx.Audit(ctx, &AuditEntry{Actor: actor, Action: AuditEditionPub, Object: fmt.Sprintf("edition %d", number), Org: tx.Tenant})
}

func errNoEdition(number int) error {
	return plan.Errorf(plan.ENOTFOUND, "版本 %d 不存在", "no edition %d", number)
}

const editionColumns = `number, plan, pack_version, kind, as_of, title, sha256, created_at, created_by, published_at, published_by`

func scanEdition(sc interface{ Scan(...any) error }, h *EditionHeader, extra ...any) error {
	var published time.Time
	if err := sc.Scan(append([]any{&h.Number, &h.Plan, &h.PackVersion, &h.Kind, &h.AsOf, &h.Title, &h.SHA256, scanTime(&h.CreatedAt), &h.CreatedBy,
		scanTime(&published), &h.PublishedBy}, extra...)...); err != nil {
		return err
	}
	if !published.IsZero() {
		h.PublishedAt = &published
	}
	return nil
}

// Editions lists the tenant's editions, newest first.
func (db *DB) Editions(ctx context.Context, tenant string) ([]EditionHeader, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+editionColumns+` FROM editions WHERE tenant = ? ORDER BY number DESC`, tenant)
	if err != nil {
		return nil, fmt.Errorf("editions: %w", err)
	}
	defer rows.Close()
	out := []EditionHeader{}
	for rows.Next() {
		var h EditionHeader
		if err := scanEdition(rows, &h); err != nil {
			return nil, fmt.Errorf("editions: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Edition returns an edition with its content, after checking the content against its
// hash (an edition whose content no longer matches is an error, not a figure to show).
func (db *DB) Edition(ctx context.Context, tenant string, number int) (*Edition, error) {
	var e Edition
	var z []byte
	err := scanEdition(db.db.QueryRowContext(ctx, `SELECT `+editionColumns+`, content FROM editions WHERE tenant = ? AND number = ?`,
		tenant, number), &e.EditionHeader, &z)
	if err == sql.ErrNoRows {
		return nil, errNoEdition(number)
	} else if err != nil {
		return nil, fmt.Errorf("edition %d: %w", number, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("edition %d: %w", number, err)
	}
	if e.Content, err = io.ReadAll(zr); err != nil {
		return nil, fmt.Errorf("edition %d: %w", number, err)
	}
	if sum := sha256.Sum256(e.Content); hex.EncodeToString(sum[:]) != e.SHA256 {
		return nil, fmt.Errorf("edition %d: its content does not match its hash %s", number, e.SHA256)
	}
	return &e, nil
}

// LatestPublished returns the number of the edition last published of the plan's
// review of the kind as of the year; 0 when none is published.
func (db *DB) LatestPublished(ctx context.Context, tenant, planCode, kind string, asOf int) (int, error) {
	var n int
	d := db.dialect
	err := db.db.QueryRowContext(ctx, `SELECT number FROM editions
		WHERE tenant = ? AND plan = ? AND kind = ? AND as_of = ? AND `+d.isSet("published_at")+`
		ORDER BY `+d.timeExpr("published_at")+` DESC, number DESC LIMIT 1`, tenant, planCode, kind, asOf).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("published edition: %w", err)
	}
	return n, nil
}
