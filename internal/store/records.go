package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// Record kinds, as in spec/formats.md.
const (
	KindInstitutions = "institutions"
	KindStudents     = "students"
	KindTeachers     = "teachers"
	KindPopulation   = "population"
	KindFacts        = "facts"
)

// snapshotDeletes are the statements that empty one snapshot scope of a kind:
// args are tenant, year, scope (and element for facts).
var snapshotDeletes = map[string][]string{
	KindInstitutions: {`DELETE FROM institutions WHERE tenant = ? AND year = ? AND district = ?`},
	KindStudents: {
		`DELETE FROM students WHERE tenant = ? AND year = ? AND district = ?`,
		`DELETE FROM roster_cells WHERE tenant = ? AND year = ? AND district = ? AND kind = 'students'`,
	},
	KindTeachers: {
		`DELETE FROM teachers WHERE tenant = ? AND year = ? AND district = ?`,
		`DELETE FROM roster_cells WHERE tenant = ? AND year = ? AND district = ? AND kind = 'teachers'`,
	},
	KindPopulation: {`DELETE FROM population WHERE tenant = ? AND year = ? AND district = ?`},
	KindFacts:      {`DELETE FROM facts WHERE tenant = ? AND year = ? AND scope = ? AND element = ?`},
}

// TakeScope makes the batch the current snapshot of a kind for a year and scope (a
// district, or the city for facts reported at the city; element only for facts): the
// rows of the snapshot it replaces are deleted (the replaced file stays in its batch).
// It returns the batch replaced, 0 if none.
func (tx *Tx) TakeScope(ctx context.Context, kind string, year int, scope, element string, batch int64) (int64, error) {
	var prev int64
	err := tx.tx.QueryRowContext(ctx, `SELECT batch_id FROM snapshots WHERE tenant = ? AND kind = ? AND year = ? AND scope = ? AND element = ?`,
		tx.Tenant, kind, year, scope, element).Scan(&prev)
	if err != nil && err != sql.ErrNoRows {
		return 0, fmt.Errorf("snapshot %s %d %s: %w", kind, year, scope, err)
	}
	for _, q := range snapshotDeletes[kind] {
		args := []any{tx.Tenant, year, scope}
		if kind == KindFacts {
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
	Batch                                 int64
}

// Student is a students row. District is the district of its institution; Row is the
// row of the file it came from, for messages (not stored).
type Student struct {
	Row                              int
	Year                             int
	ID, Institution, District, Stage string
	Grade                            int
	Sex, BirthDate, Hukou            string
	Batch                            int64
}

// Teacher is a teachers row, as Student.
type Teacher struct {
	Row                                              int
	Year                                             int
	ID, Institution, District, Stage, Sex, BirthDate string
	Education                                        string
	PreschoolMajor, DualQualified, Rotated, NewHire  *bool
	Batch                                            int64
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
	s, err := tx.tx.PrepareContext(ctx, query)
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
	if *b {
		return 1
	}
	return 0
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// InsertInstitution inserts a row; false if the (year, code) is already there.
func (tx *Tx) InsertInstitution(ctx context.Context, r *Institution) (bool, error) {
	return tx.insert(ctx, `INSERT INTO institutions (tenant, year, code, name, district, type, ownership, inclusive, location, lat, lon, batch_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		tx.Tenant, r.Year, r.Code, r.Name, r.District, r.Type, r.Ownership, nullBool(r.Inclusive), r.Location, nullFloat(r.Lat), nullFloat(r.Lon), r.Batch)
}

// bulkRows is how many rows one multi-row INSERT carries: few enough to stay far below
// SQLite's limit on bound variables, many enough that a statement's fixed cost vanishes.
const bulkRows = 256

// bulkInsert inserts n rows, bulkRows at a time, each row's args appended by row;
// rows whose key is already there are skipped. It returns how many went in. Args are
// built a statement at a time, so a million rows never exist as a million []any.
func (tx *Tx) bulkInsert(ctx context.Context, head, tuple string, n int, row func(args []any, i int) []any) (int, error) {
	inserted := 0
	var args []any
	for i := 0; i < n; i += bulkRows {
		m := min(bulkRows, n-i)
		q := head + strings.Repeat(tuple+",", m-1) + tuple + " ON CONFLICT DO NOTHING"
		s, err := tx.stmt(ctx, q)
		if err != nil {
			return 0, err
		}
		args = args[:0]
		for j := i; j < i+m; j++ {
			args = row(args, j)
		}
		res, err := s.ExecContext(ctx, args...)
		if err != nil {
			return 0, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		inserted += int(k)
		if tx.Written != nil {
			tx.Written.Add(int64(m))
		}
	}
	return inserted, nil
}

// InsertStudents inserts rows (sorted by id, so that the b-tree grows at its edge), and
// returns the indexes of those not inserted because the student already has a row that
// year at another institution.
func (tx *Tx) InsertStudents(ctx context.Context, rs []Student) ([]int, error) {
	slices.SortFunc(rs, func(a, b Student) int { return cmp.Or(a.Year-b.Year, strings.Compare(a.ID, b.ID)) })
	inserted, err := tx.bulkInsert(ctx, `INSERT INTO students (tenant, year, student_id, institution, district, stage, grade, sex, birth_date, hukou, batch_id) VALUES `,
		"(?,?,?,?,?,?,?,?,?,?,?)", len(rs), func(args []any, i int) []any {
			r := &rs[i]
			return append(args, tx.Tenant, r.Year, r.ID, r.Institution, r.District, r.Stage, r.Grade, r.Sex, nullString(r.BirthDate), nullString(r.Hukou), r.Batch)
		})
	if err != nil || inserted == len(rs) {
		return nil, err
	}
	return tx.notInserted(ctx, KindStudents, len(rs), func(i int) (int, string, string, int64) {
		return rs[i].Year, rs[i].ID, rs[i].Institution, rs[i].Batch
	})
}

// InsertTeachers is InsertStudents for teachers.
func (tx *Tx) InsertTeachers(ctx context.Context, rs []Teacher) ([]int, error) {
	slices.SortFunc(rs, func(a, b Teacher) int { return cmp.Or(a.Year-b.Year, strings.Compare(a.ID, b.ID)) })
	inserted, err := tx.bulkInsert(ctx, `INSERT INTO teachers (tenant, year, teacher_id, institution, district, stage, sex, birth_date, education, preschool_major, dual_qualified, rotated, new_hire, batch_id) VALUES `,
		"(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", len(rs), func(args []any, i int) []any {
			r := &rs[i]
			return append(args, tx.Tenant, r.Year, r.ID, r.Institution, r.District, r.Stage, r.Sex, nullString(r.BirthDate), r.Education,
				nullBool(r.PreschoolMajor), nullBool(r.DualQualified), nullBool(r.Rotated), nullBool(r.NewHire), r.Batch)
		})
	if err != nil || inserted == len(rs) {
		return nil, err
	}
	return tx.notInserted(ctx, KindTeachers, len(rs), func(i int) (int, string, string, int64) {
		return rs[i].Year, rs[i].ID, rs[i].Institution, rs[i].Batch
	})
}

// notInserted finds the rows of a bulk insert that another batch's row kept out.
func (tx *Tx) notInserted(ctx context.Context, kind string, n int, row func(int) (year int, id, inst string, batch int64)) ([]int, error) {
	var out []int
	for i := range n {
		year, id, _, b := row(i)
		var holder int64
		col := "student_id"
		if kind == KindTeachers {
			col = "teacher_id"
		}
		if err := tx.tx.QueryRowContext(ctx, `SELECT batch_id FROM `+kind+` WHERE tenant = ? AND year = ? AND `+col+` = ?`, tx.Tenant, year, id).Scan(&holder); err != nil {
			return nil, err
		}
		if holder != b {
			out = append(out, i)
		}
	}
	return out, nil
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

// AddCell adds to the count of a roster cell.
func (tx *Tx) AddCell(ctx context.Context, c *Cell) error {
	s, err := tx.stmt(ctx, `INSERT INTO roster_cells (tenant, kind, year, district, institution, dims, count, batch_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, kind, year, institution, dims) DO UPDATE SET count = count + excluded.count, batch_id = excluded.batch_id`)
	if err != nil {
		return err
	}
	_, err = s.ExecContext(ctx, tx.Tenant, c.Kind, c.Year, c.District, c.Institution, c.Dims, c.Count, c.Batch)
	return err
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

// Holder returns the institution where a student or teacher (kind) has a row in a year.
func (tx *Tx) Holder(ctx context.Context, kind string, year int, id string) (string, error) {
	col := "student_id"
	if kind == KindTeachers {
		col = "teacher_id"
	}
	var inst string
	err := tx.tx.QueryRowContext(ctx, `SELECT institution FROM `+kind+` WHERE tenant = ? AND year = ? AND `+col+` = ?`, tx.Tenant, year, id).Scan(&inst)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return inst, err
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
	rows, err = tx.tx.QueryContext(ctx, `SELECT year, district, count(*) FROM population WHERE tenant = ?
		GROUP BY year, district, age HAVING sum(sex = '') > 0 AND sum(sex <> '') > 0`, tx.Tenant)
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
