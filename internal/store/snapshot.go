package store

import (
	"context"
	"fmt"
	"strings"
)

// Holding is the current snapshot of a kind in a year and scope (a district, or the
// city for facts reported at the city; for facts, of one element; for a school table,
// of students or teachers with the table's code as element): the batch that holds it
// and how many rows it has. Rows of students and teachers are roster rows, or the
// people a school table counts; of the other kinds, rows stored (an institution, an
// age and sex, a reported value).
type Holding struct {
	Kind    string
	Year    int
	Scope   string
	Element string
	Rows    int64
	// Batch has ID, File, ImportedAt and Warnings set.
	Batch Batch
}

// Holdings returns every current snapshot of the tenant with its rows and batch. One
// statement reads them all, so that they are consistent with each other even while an
// import commits.
func (db *DB) Holdings(ctx context.Context, tenant string) ([]Holding, error) {
	rows, err := db.db.QueryContext(ctx, `WITH counts (kind, year, scope, element, n) AS (
			SELECT 'institutions', year, district, '', count(*) FROM institutions WHERE tenant = ? GROUP BY year, district
			UNION ALL
			SELECT kind, year, district, '', rows FROM roster_ids WHERE tenant = ?
			UNION ALL
			SELECT s.kind, s.year, s.scope, s.element, sum(c.count) FROM snapshots s JOIN roster_cells c
				ON c.tenant = s.tenant AND c.kind = s.kind AND c.year = s.year AND c.district = s.scope AND c.batch_id = s.batch_id
				WHERE s.tenant = ? AND s.kind IN ('students', 'teachers') AND s.element <> '' GROUP BY s.kind, s.year, s.scope, s.element
			UNION ALL
			SELECT 'population', year, district, '', count(*) FROM population WHERE tenant = ? GROUP BY year, district
			UNION ALL
			SELECT 'facts', year, scope, element, count(*) FROM facts WHERE tenant = ? GROUP BY year, scope, element
			UNION ALL
			SELECT 'conditions', year, district, '', count(*) FROM conditions WHERE tenant = ? GROUP BY year, district
			UNION ALL
			SELECT kind, year, district, '', CAST(sum(value) AS BIGINT) FROM record_cells WHERE tenant = ? AND measure = '' GROUP BY kind, year, district
		)
		SELECT s.kind, s.year, s.scope, s.element, coalesce(c.n, 0), b.id, b.kind, b.file, b.imported_at, b.warnings
		FROM snapshots s
		JOIN batches b ON b.tenant = s.tenant AND b.id = s.batch_id
		LEFT JOIN counts c ON c.kind = s.kind AND c.year = s.year AND c.scope = s.scope AND c.element = s.element
		WHERE s.tenant = ?
		ORDER BY s.kind, s.year, s.scope, s.element`, tenant, tenant, tenant, tenant, tenant, tenant, tenant, tenant)
	if err != nil {
		return nil, fmt.Errorf("holdings: %w", err)
	}
	defer rows.Close()
	var out []Holding
	for rows.Next() {
		var h Holding
		if err := rows.Scan(&h.Kind, &h.Year, &h.Scope, &h.Element, &h.Rows, &h.Batch.ID, &h.Batch.Kind, &h.Batch.File, scanTime(&h.Batch.ImportedAt), &h.Batch.Warnings); err != nil {
			return nil, fmt.Errorf("holdings: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// StageCounts returns the roster rows of a kind (students or teachers) in a year by
// district and stage, as the transaction sees them.
func (tx *Tx) StageCounts(ctx context.Context, kind string, year int) (map[string]map[string]int64, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT district, dims, sum(count) FROM roster_cells
		WHERE tenant = ? AND kind = ? AND year = ? GROUP BY district, dims`, tx.Tenant, kind, year)
	if err != nil {
		return nil, fmt.Errorf("stage counts: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]int64{}
	for rows.Next() {
		var district, dims string
		var n int64
		if err := rows.Scan(&district, &dims, &n); err != nil {
			return nil, fmt.Errorf("stage counts: %w", err)
		}
		stage := ""
		for part := range strings.SplitSeq(dims, ";") {
			if v, ok := strings.CutPrefix(part, "stage="); ok {
				stage = v
			}
		}
		if out[district] == nil {
			out[district] = map[string]int64{}
		}
		out[district][stage] += n
	}
	return out, rows.Err()
}

// PopulationAged returns, for each district with any population row in a year, its
// population aged ages[0] to ages[1], as the transaction sees it.
func (tx *Tx) PopulationAged(ctx context.Context, year int, ages [2]int) (map[string]int64, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT district, sum(CASE WHEN age BETWEEN ? AND ? THEN count ELSE 0 END)
		FROM population WHERE tenant = ? AND year = ? GROUP BY district`, ages[0], ages[1], tx.Tenant, year)
	if err != nil {
		return nil, fmt.Errorf("population: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var district string
		var n int64
		if err := rows.Scan(&district, &n); err != nil {
			return nil, fmt.Errorf("population: %w", err)
		}
		out[district] = n
	}
	return out, rows.Err()
}

// SnapshotElements returns the scopes that have a current snapshot of a kind in a
// year, with the elements each holds: "" for a roster (or the kind's one snapshot), a
// school table's code for each of its tables.
func (tx *Tx) SnapshotElements(ctx context.Context, kind string, year int) (map[string][]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT scope, element FROM snapshots
		WHERE tenant = ? AND kind = ? AND year = ? ORDER BY scope, element`, tx.Tenant, kind, year)
	if err != nil {
		return nil, fmt.Errorf("snapshots: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var scope, element string
		if err := rows.Scan(&scope, &element); err != nil {
			return nil, fmt.Errorf("snapshots: %w", err)
		}
		out[scope] = append(out[scope], element)
	}
	return out, rows.Err()
}

// InstitutionStages returns the students of each institution of a district in a year
// by stage, as the transaction sees them.
func (tx *Tx) InstitutionStages(ctx context.Context, year int, district string) (map[string]map[string]int64, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT institution, dims, count FROM roster_cells
		WHERE tenant = ? AND kind = ? AND year = ? AND district = ?`, tx.Tenant, KindStudents, year, district)
	if err != nil {
		return nil, fmt.Errorf("institution stages: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]int64{}
	for rows.Next() {
		var inst, dims string
		var n int64
		if err := rows.Scan(&inst, &dims, &n); err != nil {
			return nil, fmt.Errorf("institution stages: %w", err)
		}
		stage := ""
		for part := range strings.SplitSeq(dims, ";") {
			if v, ok := strings.CutPrefix(part, "stage="); ok {
				stage = v
			}
		}
		if out[inst] == nil {
			out[inst] = map[string]int64{}
		}
		out[inst][stage] += n
	}
	return out, rows.Err()
}

// BatchScopes returns the scopes (districts, or the city for facts it reports) whose
// current snapshots the batch holds.
func (tx *Tx) BatchScopes(ctx context.Context, batch int64) ([]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT DISTINCT scope FROM snapshots
		WHERE tenant = ? AND batch_id = ? ORDER BY scope`, tx.Tenant, batch)
	if err != nil {
		return nil, fmt.Errorf("batch scopes: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("batch scopes: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// snapshotCounts are the statements that count the rows of one snapshot scope of a
// kind, as snapshotDeletes empty it: args are tenant, year, scope (and element for
// facts). A roster counts its ids.
var snapshotCounts = map[string]string{
	KindInstitutions: `SELECT count(*) FROM institutions WHERE tenant = ? AND year = ? AND district = ?`,
	KindStudents:     `SELECT coalesce(sum(rows), 0) FROM roster_ids WHERE tenant = ? AND year = ? AND district = ? AND kind = 'students'`,
	KindTeachers:     `SELECT coalesce(sum(rows), 0) FROM roster_ids WHERE tenant = ? AND year = ? AND district = ? AND kind = 'teachers'`,
	KindPopulation:   `SELECT count(*) FROM population WHERE tenant = ? AND year = ? AND district = ?`,
	KindFacts:        `SELECT count(*) FROM facts WHERE tenant = ? AND year = ? AND scope = ? AND element = ?`,
	KindConditions:   `SELECT count(*) FROM conditions WHERE tenant = ? AND year = ? AND district = ?`,
}

// SnapshotRows returns how many rows the current snapshot of a kind holds for a year
// and scope (element only for facts; a kind not built in is a record kind of the
// pack): what an import of that snapshot replaces.
func (tx *Tx) SnapshotRows(ctx context.Context, kind string, year int, scope, element string) (int64, error) {
	q, builtin := snapshotCounts[kind]
	if isTable(kind, element) {
		var n int64
		err := tx.tx.QueryRowContext(ctx, tableRows, tx.Tenant, year, scope, kind, tx.Tenant, kind, year, scope, element).Scan(&n)
		if err != nil {
			return 0, fmt.Errorf("snapshot rows %s %s %d %s: %w", kind, element, year, scope, err)
		}
		return n, nil
	}
	args := []any{tx.Tenant, year, scope}
	switch {
	case !builtin: // a record kind the pack declares
		q = recordCount
		args = append(args, kind)
	case kind == KindFacts:
		args = append(args, element)
	}
	var n int64
	if err := tx.tx.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("snapshot rows %s %d %s: %w", kind, year, scope, err)
	}
	return n, nil
}
