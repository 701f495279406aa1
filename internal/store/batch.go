package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// Batch is one accepted file: what it was, what it held, and whether a later snapshot
// has since replaced all of it.
type Batch struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	File       string    `json:"file"`
	SHA256     string    `json:"sha256"`
	Rows       int       `json:"rows"`
	Years      []int     `json:"years"`
	Districts  []string  `json:"districts"`
	ImportedAt time.Time `json:"imported_at"`
	ImportedBy string    `json:"imported_by,omitempty"`
	// ReplacedBy is the batch whose snapshot replaced the last of this one's; 0 while any
	// of it is current.
	ReplacedBy int64 `json:"replaced_by"`
	// Warnings counts the warnings its import reported.
	Warnings int `json:"warnings"`
}

// CurrentBatch returns the id of a batch of the kind with the file hash whose every
// snapshot is still current, so that importing the same file again changes nothing.
func (tx *Tx) CurrentBatch(ctx context.Context, kind, sha string) (int64, bool, error) {
	var id int64
	err := tx.tx.QueryRowContext(ctx, `SELECT b.id FROM batches b
		WHERE b.tenant = ? AND b.kind = ? AND b.sha256 = ? AND b.replaced_by = 0
		  AND b.scopes = (SELECT count(*) FROM snapshots s WHERE s.tenant = b.tenant AND s.batch_id = b.id)
		ORDER BY b.id DESC LIMIT 1`, tx.Tenant, kind, sha).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, false, nil
	}
	return id, err == nil, err
}

// LastBatchID returns the id of the tenant's latest batch (0 before the first). Batches
// commit in the order of their ids (the tenant's writes run one at a time), so a batch
// of a larger id committed after this was read.
func (db *DB) LastBatchID(ctx context.Context, tenant string) (int64, error) {
	var id int64
	if err := db.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM batches WHERE tenant = ?`, tenant).Scan(&id); err != nil {
		return 0, fmt.Errorf("last batch: %w", err)
	}
	return id, nil
}

// NewBatch records the start of a batch and sets b.ID.
func (tx *Tx) NewBatch(ctx context.Context, b *Batch) error {
	b.ImportedAt = tx.Now
	var err error
	b.ID, err = tx.insertID(ctx, "batches", "tenant, kind, file, sha256, rows, years, districts, imported_at, imported_by",
		"?, ?, ?, ?, 0, '', '', ?, ?", tx.Tenant, b.Kind, b.File, b.SHA256, tx.timeArg(b.ImportedAt), b.ImportedBy)
	if err != nil {
		return fmt.Errorf("new batch: %w", err)
	}
	return nil
}

// FinishBatch records what the batch held, and keeps the accepted file's content if it
// is not nil (KeepFile: in batch_files, apart from the batch, so that listing batches
// never reads a file).
func (tx *Tx) FinishBatch(ctx context.Context, b *Batch, content []byte) error {
	_, err := tx.exec(ctx, `UPDATE batches SET rows = ?, years = ?, districts = ?,
		scopes = (SELECT count(*) FROM snapshots s WHERE s.tenant = ? AND s.batch_id = ?)
		WHERE tenant = ? AND id = ?`,
		b.Rows, joinInts(b.Years), joinStrings(b.Districts), tx.Tenant, b.ID, tx.Tenant, b.ID)
	if err != nil {
		return fmt.Errorf("finish batch %d: %w", b.ID, err)
	}
	if content != nil {
		if err := tx.KeepFile(ctx, b.ID, content); err != nil {
			return err
		}
	}
	if err := tx.announceBatch(ctx); err != nil {
		return fmt.Errorf("finish batch %d: %w", b.ID, err)
	}
	// A batch none of whose snapshots is current any more has been replaced.
	_, err = tx.exec(ctx, `UPDATE batches SET replaced_by = ?
		WHERE tenant = ? AND replaced_by = 0 AND id <> ?
		  AND NOT EXISTS (SELECT 1 FROM snapshots s WHERE s.tenant = batches.tenant AND s.batch_id = batches.id)`,
		b.ID, tx.Tenant, b.ID)
	if err != nil {
		return fmt.Errorf("finish batch %d: %w", b.ID, err)
	}
	return nil
}

// KeepFile stores a batch's file as it was accepted, gzip-compressed, replacing any
// stored for it: FinishBatch does, or an import as soon as the file is compressed,
// while its rows are still read (a refused import rolls it back with the rest).
func (tx *Tx) KeepFile(ctx context.Context, id int64, content []byte) error {
	_, err := tx.exec(ctx, `INSERT INTO batch_files (tenant, batch_id, content) VALUES (?, ?, ?)
		ON CONFLICT (tenant, batch_id) DO UPDATE SET content = excluded.content`, tx.Tenant, id, content)
	if err != nil {
		return fmt.Errorf("keep the file of batch %d: %w", id, err)
	}
	return nil
}

// ReplacedBy returns the batches that a batch replaced the last current snapshot of.
func (tx *Tx) ReplacedBy(ctx context.Context, id int64) ([]int64, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT id FROM batches WHERE tenant = ? AND replaced_by = ? ORDER BY id`, tx.Tenant, id)
	if err != nil {
		return nil, fmt.Errorf("replaced by %d: %w", id, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetBatchWarnings records how many warnings the import of a batch reported.
func (tx *Tx) SetBatchWarnings(ctx context.Context, id int64, n int) error {
	if _, err := tx.exec(ctx, `UPDATE batches SET warnings = ? WHERE tenant = ? AND id = ?`, n, tx.Tenant, id); err != nil {
		return fmt.Errorf("batch %d warnings: %w", id, err)
	}
	return nil
}

// batchesQuery lists a tenant's batches; it reads batches only, never a kept file.
const batchesQuery = `SELECT id, kind, file, sha256, rows, years, districts, imported_at, imported_by, replaced_by, warnings
	FROM batches WHERE tenant = ? ORDER BY id DESC`

// Batches lists the batches in the scope, newest first: all of the tenant's for the
// whole city; for a district (or an institution, by its district) the batches that
// brought rows of it. A batch of no district (the city's own facts) is the city's. The
// public is listed none: a batch names its file and who imported it, which only
// signed-in roles see (an explanation shows the public a batch's number alone).
func (db *DB) Batches(ctx context.Context, scope plan.Scope) ([]Batch, error) {
	if scope.Detail == plan.Public {
		return nil, nil
	}
	district, err := db.scopeDistrict(ctx, scope)
	if err != nil {
		return nil, err
	}
	rows, err := db.db.QueryContext(ctx, batchesQuery, tenantOf(scope))
	if err != nil {
		return nil, fmt.Errorf("batches: %w", err)
	}
	defer rows.Close()
	var out []Batch
	for rows.Next() {
		var b Batch
		var years, districts string
		if err := rows.Scan(&b.ID, &b.Kind, &b.File, &b.SHA256, &b.Rows, &years, &districts, scanTime(&b.ImportedAt), &b.ImportedBy, &b.ReplacedBy, &b.Warnings); err != nil {
			return nil, fmt.Errorf("batches: %w", err)
		}
		b.Years, b.Districts = splitInts(years), splitStrings(districts)
		if district != "" && !slices.Contains(b.Districts, district) {
			continue
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// BatchContent returns the gzip-compressed file of a batch as it was accepted.
func (db *DB) BatchContent(ctx context.Context, tenant string, id int64) ([]byte, error) {
	var b []byte
	err := db.db.QueryRowContext(ctx, `SELECT f.content FROM batches b
		LEFT JOIN batch_files f ON f.tenant = b.tenant AND f.batch_id = b.id
		WHERE b.tenant = ? AND b.id = ?`, tenant, id).Scan(&b)
	if err == sql.ErrNoRows {
		return nil, plan.Errorf(plan.ENOTFOUND, "导入批次 %d 不存在", "no import batch %d", id)
	}
	return b, err
}

func tenantOf(scope plan.Scope) string { return scope.Tenant }

// scopeDistrict is the district a scope below the city is confined to ("" for the
// whole city): its org, or an institution's district.
func (db *DB) scopeDistrict(ctx context.Context, scope plan.Scope) (string, error) {
	if scope.Org == scope.Tenant {
		return "", nil
	}
	if d, ok, err := db.InstitutionDistrict(ctx, scope.Tenant, scope.Org); err != nil || ok {
		return d, err
	}
	return scope.Org, nil
}
