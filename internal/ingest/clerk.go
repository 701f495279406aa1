package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
	"github.com/yantai-edu/eduplan/internal/store"
)

// institutionFiles turns the files of a caller whose scope is one institution (a school
// clerk) into the district files they change. A snapshot is a whole district's kind and
// year, so each file becomes: its own rows — every one of the institution, or the import
// is refused — followed by the rows of the district's current snapshot of that kind and
// year for the district's other institutions, read from the batch that holds it (the
// accepted file, kept whole). Imported in the district's scope, the result replaces the
// institution's rows and keeps the others as they were. The clerk's rows come first, so
// the rows of a report are the rows of the clerk's file.
//
// The merged file was read from the snapshots current when it was made; expect says, by
// merged file and year, the batch each must still be held by when the import takes it
// (0: none), so that an import committed meanwhile is never overwritten with stale rows.
func institutionFiles(ctx context.Context, db *store.DB, pack *plan.Pack, scope plan.Scope, paths []string, kind Kind, dir string) (files []string, district string, expect map[string]map[int]int64, err error) {
	district, ok, err := db.InstitutionDistrict(ctx, pack.Tenant, scope.Org)
	if err != nil {
		return nil, "", nil, err
	}
	if !ok {
		return nil, "", nil, plan.Errorf(plan.EFORBIDDEN, "学校 %s 不在任何学校名单中", "institution %s is on no institution roster", scope.Org)
	}
	var out []string
	var rejected []*Report
	expect = map[string]map[int]int64{}
	for _, path := range paths {
		name := filepath.Base(path)
		rows, k, rep, err := ownRows(path, name, kind, scope.Org)
		if err != nil {
			return nil, "", nil, err
		}
		if rep != nil {
			rejected = append(rejected, rep)
			continue
		}
		years := map[int]bool{}
		for _, r := range rows {
			if y, err := strconv.Atoi(r[0]); err == nil {
				years[y] = true
			}
		}
		merged := filepath.Join(dir, fmt.Sprint(len(out)), name)
		expect[merged] = map[int]int64{}
		for _, y := range slices.Sorted(maps.Keys(years)) {
			others, batch, err := othersRows(ctx, db, pack.Tenant, k, y, district, scope.Org)
			if err != nil {
				return nil, "", nil, err
			}
			rows = append(rows, others...)
			expect[merged][y] = batch
		}
		if err := writeRows(merged, k, rows); err != nil {
			return nil, "", nil, err
		}
		out = append(out, merged)
	}
	if len(rejected) > 0 {
		return nil, "", nil, &RejectedError{Reports: rejected}
	}
	return out, district, expect, nil
}

// instCol is the column that names a row's institution.
func instCol(k Kind) col {
	if k == Institutions {
		return cCode
	}
	return cInstitution
}

// ownRows reads a clerk's file into rows of the kind's columns (spec order). A report is
// returned instead when the file is not one a clerk may import or has a row of another
// institution.
func ownRows(path, name string, kind Kind, inst string) ([][]string, Kind, *Report, error) {
	src, err := sheet.Open(path)
	if err != nil {
		if e, ok := fileError(name, err); ok {
			rep := &Report{File: name}
			rep.Add(e)
			return nil, "", rep, nil
		}
		return nil, "", nil, err
	}
	defer src.Close()
	k := kind
	if k == "" {
		if k, err = DetectKind(src.Header()); err != nil {
			rep := &Report{File: name}
			zh, en := plan.ErrorMessages(err)
			rep.Add(RowError{File: name, Row: 1, Class: ClassHeader, Expected: zh, ExpectedEn: en})
			return nil, "", rep, nil
		}
	}
	rep := &Report{File: name, Kind: k}
	if k != Institutions && k != Students && k != Teachers {
		rep.Add(RowError{File: name, Class: "scope", Expected: "学校数据员只能导入本校的学校名单、学生和教师名册",
			ExpectedEn: "a school clerk imports their institution's institutions, students and teachers files only"})
		return nil, k, rep, nil
	}
	h := mapHeader(k, src.Header())
	if len(h.missing) > 0 {
		rep.Add(missingError(k, src.Header(), h.missing))
		return nil, k, rep, nil
	}
	var rows [][]string
	for {
		n, cells, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if e, ok := fileError(name, err); ok {
				rep.Add(e)
				return nil, k, rep, nil
			}
			return nil, k, nil, err
		}
		row := canonical(k, h, cells)
		if v := sheet.Trim(row[slices.Index(kindCols[k], instCol(k))]); v != inst {
			rep.Add(RowError{File: name, Row: n, Column: instCol(k).String(), Value: v, Class: "scope",
				Expected: fmt.Sprintf("只能导入本校（%s）的数据", inst), ExpectedEn: fmt.Sprintf("you may import data of your institution (%s) only", inst)})
			continue
		}
		rows = append(rows, row)
	}
	if !rep.OK() {
		return nil, k, rep, nil
	}
	return rows, k, nil, nil
}

// canonical arranges a row's cells in the kind's columns, in spec order.
func canonical(k Kind, h *headerMap, cells []string) []string {
	row := make([]string, len(kindCols[k]))
	for i, c := range kindCols[k] {
		if j := h.idx[c]; j >= 0 && j < len(cells) {
			row[i] = cells[j]
		}
	}
	return row
}

// othersRows returns the rows of the district's current snapshot of the kind in the year
// that are of its institutions other than inst, from the kept file of the batch that
// holds it, with that batch; none (and batch 0) when there is no snapshot yet.
func othersRows(ctx context.Context, db *store.DB, tenant string, k Kind, year int, district, inst string) ([][]string, int64, error) {
	id, ok, err := db.SnapshotBatch(ctx, tenant, string(k), year, district)
	if err != nil || !ok {
		return nil, 0, err
	}
	rows, err := snapshotRows(ctx, db, tenant, id, k, year, district, inst)
	return rows, id, err
}

// snapshotRows reads the rows othersRows returns from the kept file of batch id.
func snapshotRows(ctx context.Context, db *store.DB, tenant string, id int64, k Kind, year int, district, inst string) ([][]string, error) {
	gz, err := db.BatchContent(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("batch %d: %w", id, err)
	}
	content, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("batch %d: %w", id, err)
	}
	src, err := sheet.OpenReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return nil, fmt.Errorf("batch %d: %w", id, err)
	}
	defer src.Close()
	h := mapHeader(k, src.Header())
	// Which institutions are the district's that year: the institutions file says so
	// itself; rosters are placed by the institutions stored.
	var ofDistrict map[string]bool
	if k != Institutions {
		if ofDistrict, err = db.InstitutionsOf(ctx, tenant, year, district); err != nil {
			return nil, err
		}
	}
	yi, ii, di := slices.Index(kindCols[k], cYear), slices.Index(kindCols[k], instCol(k)), slices.Index(kindCols[k], cDistrict)
	var out [][]string
	for {
		_, cells, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("batch %d: %w", id, err)
		}
		row := canonical(k, h, cells)
		if y, err := strconv.Atoi(sheet.Trim(row[yi])); err != nil || y != year {
			continue
		}
		code := sheet.Trim(row[ii])
		if code == inst {
			continue
		}
		if k == Institutions && sheet.Trim(row[di]) != district || k != Institutions && !ofDistrict[code] {
			continue
		}
		out = append(out, row)
	}
	return out, nil
}

// writeRows writes rows of the kind as a CSV file with the spec's header.
func writeRows(path string, k Kind, rows [][]string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	header := make([]string, len(kindCols[k]))
	for i, c := range kindCols[k] {
		header[i] = c.String()
	}
	w.Write(header)
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
