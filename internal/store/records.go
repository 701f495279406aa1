package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// Record kinds, as in docs/formats.md.
const (
	KindInstitutions = "institutions"
	KindStudents     = "students"
	KindTeachers     = "teachers"
	KindPopulation   = "population"
	KindFacts        = "facts"
	KindConditions   = "conditions"
)

// snapshotDeletes are the statements that empty one snapshot scope of a kind:
// args are tenant, year, scope (and element for facts).
var snapshotDeletes = map[string][]string{
	KindInstitutions: {`DELETE FROM institutions WHERE tenant = ? AND year = ? AND district = ?`},
	// A roster replaces the district's school tables of its kind too (tables.go).
	KindStudents: {
		`DELETE FROM roster_ids WHERE tenant = ? AND year = ? AND district = ? AND kind = 'students'`,
		`DELETE FROM roster_cells WHERE tenant = ? AND year = ? AND district = ? AND kind = 'students'`,
		`DELETE FROM snapshots WHERE tenant = ? AND year = ? AND scope = ? AND kind = 'students' AND element <> ''`,
	},
	KindTeachers: {
		`DELETE FROM roster_ids WHERE tenant = ? AND year = ? AND district = ? AND kind = 'teachers'`,
		`DELETE FROM roster_cells WHERE tenant = ? AND year = ? AND district = ? AND kind = 'teachers'`,
		`DELETE FROM snapshots WHERE tenant = ? AND year = ? AND scope = ? AND kind = 'teachers' AND element <> ''`,
	},
	KindPopulation: {`DELETE FROM population WHERE tenant = ? AND year = ? AND district = ?`},
	KindFacts:      {`DELETE FROM facts WHERE tenant = ? AND year = ? AND scope = ? AND element = ?`},
	KindConditions: {`DELETE FROM conditions WHERE tenant = ? AND year = ? AND district = ?`},
}

// TakeScope makes the batch the current snapshot of a kind for a year and scope (a
// district, or the city for facts reported at the city; element only for facts; a
// kind not built in is a record kind of the pack, stored in record_cells): the
// rows of the snapshot it replaces are deleted (the replaced file stays in its batch).
// For students or teachers, element is a school table's code when the batch is one
// (tables.go). It returns the batch replaced, 0 if none.
func (tx *Tx) TakeScope(ctx context.Context, kind string, year int, scope, element string, batch int64) (int64, error) {
	if isTable(kind, element) {
		return tx.takeTableScope(ctx, kind, year, scope, element, batch)
	}
	var prev int64
	err := tx.tx.QueryRowContext(ctx, `SELECT batch_id FROM snapshots WHERE tenant = ? AND kind = ? AND year = ? AND scope = ? AND element = ?`,
		tx.Tenant, kind, year, scope, element).Scan(&prev)
	if err != nil && err != sql.ErrNoRows {
		return 0, fmt.Errorf("snapshot %s %d %s: %w", kind, year, scope, err)
	}
	deletes, builtin := snapshotDeletes[kind]
	if !builtin { // a record kind the pack declares
		deletes = []string{recordDelete}
	}
	for _, q := range deletes {
		args := []any{tx.Tenant, year, scope}
		switch {
		case !builtin:
			args = append(args, kind)
		case kind == KindFacts:
			args = append(args, element)
		}
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return 0, fmt.Errorf("replace %s %d %s: %w", kind, year, scope, err)
		}
	}
	_, err = tx.exec(ctx, `INSERT INTO snapshots (tenant, kind, year, scope, element, batch_id) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, kind, year, scope, element) DO UPDATE SET batch_id = excluded.batch_id`,
		tx.Tenant, kind, year, scope, element, batch)
	if err != nil {
		return 0, fmt.Errorf("snapshot %s %d %s: %w", kind, year, scope, err)
	}
	return prev, nil
}

// Institution is an institutions row.
type Institution struct {
	Year                                  int
	Code, Name, District, Type, Ownership string
	Location                              string
	Inclusive                             *bool
	Lat, Lon                              *float64
	TeachingPoint                         *bool // 教学点
	Batch                                 int64
}

// Population is a population row; Sex "" is both sexes.
type Population struct {
	Year     int
	District string
	Age      int
	Sex      string
	Count    int64
	Batch    int64
}

// Fact is a reported value. Scope is the district of Org, or the city.
type Fact struct {
	Year                      int
	Org, Element, Dims, Scope string
	Value                     float64
	Batch                     int64
}

// Condition is a conditions row (办学条件) of an institution in a year, for one stage or
// ("" ) the whole institution. Values holds the quantities of plan.ConditionColumns, in
// that order; nil is unknown.
type Condition struct {
	Year                         int
	Institution, Stage, District string
	Values                       [4]*float64
	Batch                        int64
}

// Cell is the count of roster rows of a kind at an institution with the same dims.
type Cell struct {
	Kind, District, Institution, Dims string
	Year                              int
	Count                             int64
	Batch                             int64
}

func (tx *Tx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	if s, ok := tx.stmts[query]; ok {
		return s, nil
	}
	s, err := tx.sqlTx.PrepareContext(ctx, tx.db.dialect.rebind(query))
	if err != nil {
		return nil, err
	}
	tx.stmts[query] = s
	return s, nil
}

// insert runs a prepared insert and reports whether a row went in (false when the
// key was already there).
func (tx *Tx) insert(ctx context.Context, query string, args ...any) (bool, error) {
	s, err := tx.stmt(ctx, query)
	if err != nil {
		return false, err
	}
	res, err := s.ExecContext(ctx, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func nullBool(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// InsertInstitution inserts a row; false if the (year, code) is already there.
func (tx *Tx) InsertInstitution(ctx context.Context, r *Institution) (bool, error) {
	tx.note("institutions", 1)
	return tx.insert(ctx, `INSERT INTO institutions (tenant, year, code, name, district, type, ownership, inclusive, location, lat, lon, teaching_point, batch_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		tx.Tenant, r.Year, r.Code, r.Name, r.District, r.Type, r.Ownership, nullBool(r.Inclusive), r.Location, nullFloat(r.Lat), nullFloat(r.Lon),
		nullBool(r.TeachingPoint), r.Batch)
}

// InsertCondition inserts a row; false if the (year, institution, stage) is already there.
func (tx *Tx) InsertCondition(ctx context.Context, r *Condition) (bool, error) {
	tx.note("conditions", 1)
	v := r.Values
	return tx.insert(ctx, `INSERT INTO conditions (tenant, year, institution, stage, district, teaching_area, sports_area, equipment_value, multimedia_classrooms, batch_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		tx.Tenant, r.Year, r.Institution, r.Stage, r.District, nullFloat(v[0]), nullFloat(v[1]), nullFloat(v[2]), nullFloat(v[3]), r.Batch)
}

// InsertPopulation inserts a row; false if the key is already there.
func (tx *Tx) InsertPopulation(ctx context.Context, r *Population) (bool, error) {
	return tx.insert(ctx, `INSERT INTO population (tenant, year, district, age, sex, count, batch_id)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		tx.Tenant, r.Year, r.District, r.Age, r.Sex, r.Count, r.Batch)
}

// InsertFact inserts a row; false if the key is already there.
func (tx *Tx) InsertFact(ctx context.Context, r *Fact) (bool, error) {
	return tx.insert(ctx, `INSERT INTO facts (tenant, year, org, element, dims, value, scope, batch_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		tx.Tenant, r.Year, r.Org, r.Element, r.Dims, r.Value, r.Scope, r.Batch)
}

// cellsPerInsert is how many cells one INSERT statement carries: far below SQLite's
// limit on bound variables, and enough that a statement's fixed cost vanishes.
const cellsPerInsert = 256

// copyCellsMin is the fewest cells that PostgreSQL takes through COPY rather than
// INSERTs.
const copyCellsMin = 1024

// AddCells adds to the counts of roster cells; in key order, they go in fastest.
func (tx *Tx) AddCells(ctx context.Context, cells []Cell) error {
	tx.note("roster_cells", len(cells))
	if _, ok := tx.db.dialect.(postgres); ok && len(cells) >= copyCellsMin {
		if err := tx.copyCells(ctx, cells); err != nil {
			return fmt.Errorf("roster cells: %w", err)
		}
		return nil
	}
	return tx.insertCells(ctx, cells)
}

// insertCells adds cells through INSERTs of cellsPerInsert cells.
func (tx *Tx) insertCells(ctx context.Context, cells []Cell) error {
	const tuple = "(?,?,?,?,?,?,?,?)"
	args := make([]any, 0, 8*cellsPerInsert)
	for len(cells) > 0 {
		n := min(len(cells), cellsPerInsert)
		s, err := tx.stmt(ctx, `INSERT INTO roster_cells (tenant, kind, year, district, institution, dims, count, batch_id) VALUES `+
			strings.Repeat(tuple+",", n-1)+tuple+`
			ON CONFLICT (tenant, kind, year, institution, dims) DO UPDATE SET count = roster_cells.count + excluded.count, batch_id = excluded.batch_id`)
		if err != nil {
			return err
		}
		args = args[:0]
		for _, c := range cells[:n] {
			args = append(args, tx.Tenant, c.Kind, c.Year, c.District, c.Institution, c.Dims, c.Count, c.Batch)
		}
		if _, err := s.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("roster cells: %w", err)
		}
		cells = cells[n:]
	}
	return nil
}

// InstitutionDistricts returns the institutions of a year (as the transaction sees them)
// with their districts.
func (tx *Tx) InstitutionDistricts(ctx context.Context, year int) (map[string]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT code, district FROM institutions WHERE tenant = ? AND year = ?`, tx.Tenant, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var code, d string
		if err := rows.Scan(&code, &d); err != nil {
			return nil, err
		}
		m[code] = d
	}
	return m, rows.Err()
}

// InstitutionClass is what a year's institutions file says an institution is: its
// district, and the dimensions rows at it take (type, ownership, location, inclusive:
// "true", "false" or "" when unknown).
type InstitutionClass struct {
	District, Type, Ownership, Location, Inclusive string
}

// Dim returns the value of one of the class's dimensions by name.
func (c InstitutionClass) Dim(name string) string {
	switch name {
	case "type":
		return c.Type
	case "ownership":
		return c.Ownership
	case "location":
		return c.Location
	case "inclusive":
		return c.Inclusive
	}
	return ""
}

// InstitutionClasses returns the institutions of a year (as the transaction sees them)
// with their classes.
func (tx *Tx) InstitutionClasses(ctx context.Context, year int) (map[string]InstitutionClass, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT code, district, type, ownership, location, inclusive FROM institutions WHERE tenant = ? AND year = ?`, tx.Tenant, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]InstitutionClass{}
	for rows.Next() {
		var code string
		var c InstitutionClass
		var inclusive sql.NullBool
		if err := rows.Scan(&code, &c.District, &c.Type, &c.Ownership, &c.Location, &inclusive); err != nil {
			return nil, err
		}
		if inclusive.Valid {
			c.Inclusive = strconv.FormatBool(inclusive.Bool)
		}
		m[code] = c
	}
	return m, rows.Err()
}

// Problem is a contradiction between stored rows that an import would leave behind.
type Problem struct {
	Kind        string
	Year        int
	Institution string
	District    string
	Count       int64
	// Reason is a stable code: "orphan" (rows of an institution that is not in that
	// year's institutions), "moved" (rows filed under another district than their
	// institution's), "mixed_sex" (population both by sex and for both sexes).
	Reason string
}

// Problems lists the contradictions in the tenant's stored rows.
func (tx *Tx) Problems(ctx context.Context) ([]Problem, error) {
	if err := tx.analyzeFresh(ctx); err != nil {
		return nil, err
	}
	var out []Problem
	rows, err := tx.tx.QueryContext(ctx, `SELECT c.kind, c.year, c.institution, c.district, sum(c.count), i.district
		FROM roster_cells c LEFT JOIN institutions i ON i.tenant = c.tenant AND i.year = c.year AND i.code = c.institution
		WHERE c.tenant = ? AND (i.code IS NULL OR i.district <> c.district)
		GROUP BY c.kind, c.year, c.institution, c.district, i.district ORDER BY c.kind, c.year, c.institution`, tx.Tenant)
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	for rows.Next() {
		var p Problem
		var now sql.NullString
		if err := rows.Scan(&p.Kind, &p.Year, &p.Institution, &p.District, &p.Count, &now); err != nil {
			rows.Close()
			return nil, err
		}
		p.Reason = "orphan"
		if now.Valid {
			p.Reason, p.District = "moved", now.String
		}
		out = append(out, p)
	}
	rows.Close()
	rows, err = tx.tx.QueryContext(ctx, `SELECT c.year, c.institution, c.district, count(*), i.district
		FROM conditions c LEFT JOIN institutions i ON i.tenant = c.tenant AND i.year = c.year AND i.code = c.institution
		WHERE c.tenant = ? AND (i.code IS NULL OR i.district <> c.district)
		GROUP BY c.year, c.institution, c.district, i.district ORDER BY c.year, c.institution`, tx.Tenant)
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	for rows.Next() {
		p := Problem{Kind: KindConditions, Reason: "orphan"}
		var now sql.NullString
		if err := rows.Scan(&p.Year, &p.Institution, &p.District, &p.Count, &now); err != nil {
			rows.Close()
			return nil, err
		}
		if now.Valid {
			p.Reason, p.District = "moved", now.String
		}
		out = append(out, p)
	}
	rows.Close()
	recs, err := tx.recordProblems(ctx)
	if err != nil {
		return nil, err
	}
	out = append(out, recs...)
	rows, err = tx.tx.QueryContext(ctx, `SELECT year, district, count(*) FROM population WHERE tenant = ?
		GROUP BY year, district, age HAVING sum(CASE WHEN sex = '' THEN 1 ELSE 0 END) > 0 AND sum(CASE WHEN sex <> '' THEN 1 ELSE 0 END) > 0
		ORDER BY year, district, age`, tx.Tenant)
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p := Problem{Kind: KindPopulation, Reason: "mixed_sex"}
		if err := rows.Scan(&p.Year, &p.District, &p.Count); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
