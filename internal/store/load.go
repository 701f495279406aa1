package store

import (
	"context"
	"database/sql"
	"fmt"
)

// View reads the database as one committed state: every read through it sees the same
// data, however many statements it takes, even while an import commits (SQLite in WAL
// mode; PostgreSQL at REPEATABLE READ). A reader never waits for the writer, nor the
// writer for it.
type View struct {
	q interface {
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	}
	// in, if set, restricts every read to the rows of one snapshot scope.
	in *YearDistrict
}

// YearDistrict is the rows of one year and district that snapshots hold: the district's
// institutions, roster cells and population, and the facts whose snapshot scope it is
// (the city's own facts for the city's code). An import replaces whole YearDistricts; a
// reload after it reads just those again.
type YearDistrict struct {
	Year     int
	District string
}

// In returns the view restricted to the rows of one year and district: the
// institutions, roster cells and population of the district, and the facts whose
// snapshot scope it is (the city's own facts for the city's code).
func (v *View) In(year int, district string) *View {
	return &View{q: v.q, in: &YearDistrict{year, district}}
}

// where is the restriction of a query on a table whose district column is col.
func (v *View) where(col string, tenant string) (string, []any) {
	if v.in == nil {
		return "tenant = ?", []any{tenant}
	}
	return "tenant = ? AND year = ? AND " + col + " = ?", []any{tenant, v.in.Year, v.in.District}
}

// View runs fn with a View of the database as it is when fn first reads.
func (db *DB) View(ctx context.Context, fn func(*View) error) error {
	tx, err := db.sql.BeginTx(ctx, db.dialect.viewOptions())
	if err != nil {
		return fmt.Errorf("view: %w", err)
	}
	defer tx.Rollback()
	return fn(&View{q: conn{tx, db.dialect}})
}

// view reads the latest committed state, each statement by itself.
func (db *DB) view() *View { return &View{q: db.db} }

// EachInstitution calls fn for every stored institution row of the tenant.
func (db *DB) EachInstitution(ctx context.Context, tenant string, fn func(*Institution) error) error {
	return db.view().EachInstitution(ctx, tenant, fn)
}

// EachCell calls fn for every roster cell of the tenant.
func (db *DB) EachCell(ctx context.Context, tenant string, fn func(*Cell) error) error {
	return db.view().EachCell(ctx, tenant, fn)
}

// EachPopulation calls fn for every population row of the tenant.
func (db *DB) EachPopulation(ctx context.Context, tenant string, fn func(*Population) error) error {
	return db.view().EachPopulation(ctx, tenant, fn)
}

// EachFact calls fn for every reported fact of the tenant.
func (db *DB) EachFact(ctx context.Context, tenant string, fn func(*Fact) error) error {
	return db.view().EachFact(ctx, tenant, fn)
}

// The Each functions read rows in their key's order, on either database: SQLite's
// happens to be that order without one, PostgreSQL's is not, and the cube's sums of
// floating-point values depend on the order they are added in.

// EachInstitution calls fn for every stored institution row of the tenant.
func (v *View) EachInstitution(ctx context.Context, tenant string, fn func(*Institution) error) error {
	w, args := v.where("district", tenant)
	rows, err := v.q.QueryContext(ctx, `SELECT year, code, name, district, type, ownership, inclusive, location, lat, lon, teaching_point, batch_id
		FROM institutions WHERE `+w+` ORDER BY year, code`, args...)
	if err != nil {
		return fmt.Errorf("institutions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Institution
		var inc, tp sql.NullBool
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&r.Year, &r.Code, &r.Name, &r.District, &r.Type, &r.Ownership, &inc, &r.Location, &lat, &lon, &tp, &r.Batch); err != nil {
			return fmt.Errorf("institutions: %w", err)
		}
		if inc.Valid {
			r.Inclusive = &inc.Bool
		}
		if tp.Valid {
			r.TeachingPoint = &tp.Bool
		}
		if lat.Valid && lon.Valid {
			r.Lat, r.Lon = &lat.Float64, &lon.Float64
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachCell calls fn for every roster cell of the tenant.
func (v *View) EachCell(ctx context.Context, tenant string, fn func(*Cell) error) error {
	w, args := v.where("district", tenant)
	if v.in != nil {
		// Through the index on (tenant, kind, year, district).
		w, args = "tenant = ? AND kind IN (?, ?) AND year = ? AND district = ?", []any{tenant, KindStudents, KindTeachers, v.in.Year, v.in.District}
	}
	rows, err := v.q.QueryContext(ctx, `SELECT kind, year, district, institution, dims, count, batch_id
		FROM roster_cells WHERE `+w+` ORDER BY kind, year, institution, dims`, args...)
	if err != nil {
		return fmt.Errorf("roster cells: %w", err)
	}
	defer rows.Close()
	var c Cell
	for rows.Next() {
		if err := rows.Scan(&c.Kind, &c.Year, &c.District, &c.Institution, &c.Dims, &c.Count, &c.Batch); err != nil {
			return fmt.Errorf("roster cells: %w", err)
		}
		if err := fn(&c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachPopulation calls fn for every population row of the tenant.
func (v *View) EachPopulation(ctx context.Context, tenant string, fn func(*Population) error) error {
	w, args := v.where("district", tenant)
	rows, err := v.q.QueryContext(ctx, `SELECT year, district, age, sex, count, batch_id FROM population WHERE `+w+` ORDER BY year, district, age, sex`, args...)
	if err != nil {
		return fmt.Errorf("population: %w", err)
	}
	defer rows.Close()
	var r Population
	for rows.Next() {
		if err := rows.Scan(&r.Year, &r.District, &r.Age, &r.Sex, &r.Count, &r.Batch); err != nil {
			return fmt.Errorf("population: %w", err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachFact calls fn for every reported fact of the tenant.
func (v *View) EachFact(ctx context.Context, tenant string, fn func(*Fact) error) error {
	w, args := v.where("scope", tenant)
	rows, err := v.q.QueryContext(ctx, `SELECT year, org, element, dims, value, scope, batch_id FROM facts WHERE `+w+` ORDER BY year, org, element, dims`, args...)
	if err != nil {
		return fmt.Errorf("facts: %w", err)
	}
	defer rows.Close()
	var r Fact
	for rows.Next() {
		if err := rows.Scan(&r.Year, &r.Org, &r.Element, &r.Dims, &r.Value, &r.Scope, &r.Batch); err != nil {
			return fmt.Errorf("facts: %w", err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachCondition calls fn for every conditions row (办学条件) of the tenant.
func (v *View) EachCondition(ctx context.Context, tenant string, fn func(*Condition) error) error {
	w, args := v.where("district", tenant)
	rows, err := v.q.QueryContext(ctx, `SELECT year, institution, stage, district, teaching_area, sports_area, equipment_value, multimedia_classrooms, batch_id
		FROM conditions WHERE `+w+` ORDER BY year, institution, stage`, args...)
	if err != nil {
		return fmt.Errorf("conditions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Condition
		var vs [4]sql.NullFloat64
		if err := rows.Scan(&r.Year, &r.Institution, &r.Stage, &r.District, &vs[0], &vs[1], &vs[2], &vs[3], &r.Batch); err != nil {
			return fmt.Errorf("conditions: %w", err)
		}
		for i, x := range vs {
			if x.Valid {
				r.Values[i] = &x.Float64
			}
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}
