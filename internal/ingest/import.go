package ingest

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Options tune an import.
type Options struct {
	// Kind forces the kind of every file; "" detects it from each file's header.
	Kind Kind
	// User is who imports, recorded with each batch.
	User string
	// Progress, if not nil, is kept up to date as the import goes, for a progress bar.
	Progress *Progress
}

// Result is what an accepted import did.
type Result struct {
	// Batches are the files accepted, in the order they were applied.
	Batches []store.Batch `json:"batches"`
	// Reports hold each file's row count and warnings.
	Reports []*Report `json:"reports"`
	// Skipped are files already imported as they are (re-importing is a no-op).
	Skipped []string `json:"skipped"`
	// Rows counts the data rows of the files applied; Warnings their warnings.
	Rows     int `json:"rows"`
	Warnings int `json:"warnings"`
	// Timings say where the time went.
	Timings Timings `json:"timings"`
}

// RejectedError is returned when any file of an import has an invalid row: nothing was
// changed, and Reports list every problem.
type RejectedError struct {
	Reports []*Report
	Timings Timings
}

// Timings is where an import's time went, phase by phase, summed over its files.
type Timings struct {
	// Prepare is reading each file once for its hash and the compressed copy kept.
	Prepare time.Duration
	// Read is reading and validating rows; institutions, population and facts rows are
	// written as they are read, so their writing counts here too.
	Read time.Duration
	// Write is inserting students and teachers and the roster counts, and finishing
	// each batch.
	Write time.Duration
	// Check is the checks across files and the plausibility rules of whole districts.
	Check  time.Duration
	Commit time.Duration
	Total  time.Duration
}

// MarshalJSON writes the timings in seconds.
func (t Timings) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]float64{
		"prepare": t.Prepare.Seconds(), "read_validate": t.Read.Seconds(), "write": t.Write.Seconds(),
		"check": t.Check.Seconds(), "commit": t.Commit.Seconds(), "total": t.Total.Seconds(),
	})
}

func (e *RejectedError) Error() string {
	n := 0
	for _, r := range e.Reports {
		n += r.ErrorCount
	}
	return fmt.Sprintf("import rejected: %d invalid rows; nothing was changed", n)
}

// kindOrder is the order files are applied in, so that a command may bring the
// institutions its students refer to.
var kindOrder = []Kind{Institutions, Populations, Students, Teachers, Facts}

type file struct {
	path    string
	name    string
	kind    Kind
	sha     string
	content []byte // gzip of the file as accepted
	size    int64
	report  *Report
	// scopes are the years and districts the file brought rows for.
	scopes map[yearDistrict]bool
}

// ImportFiles validates and applies files in one transaction: every file is a batch; a
// snapshot for a kind, year and district (for facts: and element) replaces the one
// stored; a file already imported as it is changes nothing. If any file has an invalid
// row, nothing changes and the error is a *RejectedError listing every problem.
func ImportFiles(ctx context.Context, db *store.DB, pack *plan.Pack, scope plan.Scope, paths []string, opt Options) (*Result, error) {
	start := time.Now()
	var tm Timings
	var files []*file
	var rejected []*Report
	for i, p := range paths {
		f, err := prepare(p, opt.Kind, opt.Progress, i+1, len(paths))
		if err != nil {
			var re *RejectedError
			if errors.As(err, &re) {
				rejected = append(rejected, re.Reports...)
				continue
			}
			return nil, err
		}
		files = append(files, f)
	}
	tm.Prepare = time.Since(start)
	if len(rejected) > 0 {
		tm.Total = time.Since(start)
		return nil, &RejectedError{Reports: rejected, Timings: tm}
	}
	slices.SortStableFunc(files, func(a, b *file) int {
		return slices.Index(kindOrder, a.kind) - slices.Index(kindOrder, b.kind)
	})

	res := &Result{}
	errRejected := errors.New("rejected")
	var commitStart time.Time
	err := db.Write(ctx, pack.Tenant, func(tx *store.Tx) error {
		tx.Written = opt.Progress.writtenCounter()
		bad := false
		var applied []*file
		for i, f := range files {
			if _, ok, err := tx.CurrentBatch(ctx, string(f.kind), f.sha); err != nil {
				return err
			} else if ok {
				res.Skipped = append(res.Skipped, f.path)
				continue
			}
			b, err := apply(ctx, tx, pack, scope, f, opt, bad, &tm, i+1, len(files))
			if err != nil {
				return err
			}
			res.Reports = append(res.Reports, f.report)
			if !f.report.OK() {
				bad = true
				continue
			}
			res.Batches = append(res.Batches, *b)
			applied = append(applied, f)
		}
		checkStart := time.Now()
		defer func() { tm.Check += time.Since(checkStart) }()
		opt.Progress.begin(ProgressStep{Phase: PhaseCheck, Index: len(files), Files: len(files)})
		if !bad && len(res.Batches) > 0 {
			problems, err := tx.Problems(ctx)
			if err != nil {
				return err
			}
			for _, p := range problems {
				bad = true
				r := res.Reports[len(res.Reports)-1]
				r.Add(problemError(r.File, p))
			}
		}
		if bad {
			return errRejected
		}
		// Plausibility of whole districts: warnings only, so after every check that
		// could still reject the import.
		if err := totals(ctx, tx, pack, applied); err != nil {
			return err
		}
		for i := range res.Batches {
			b := &res.Batches[i]
			b.Warnings = applied[i].report.WarningCount
			if err := tx.SetBatchWarnings(ctx, b.ID, b.Warnings); err != nil {
				return err
			}
		}
		opt.Progress.begin(ProgressStep{Phase: PhaseCommit, Index: len(files), Files: len(files)})
		commitStart = time.Now()
		return nil
	})
	if !commitStart.IsZero() {
		tm.Commit = time.Since(commitStart)
	}
	tm.Total = time.Since(start)
	if errors.Is(err, errRejected) {
		var reports []*Report
		for _, r := range res.Reports {
			if !r.OK() {
				reports = append(reports, r)
			}
		}
		return nil, &RejectedError{Reports: reports, Timings: tm}
	}
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	for _, r := range res.Reports {
		res.Rows += r.Rows
		res.Warnings += r.WarningCount
	}
	res.Timings = tm
	return res, nil
}

// prepare reads a file once for its hash and compressed copy, and finds its kind.
func prepare(path string, kind Kind, progress *Progress, index, files int) (*file, error) {
	f := &file{path: path, name: filepath.Base(path), scopes: map[yearDistrict]bool{}}
	in, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	defer in.Close()
	if st, err := in.Stat(); err == nil {
		f.size = st.Size()
	}
	var r io.Reader = in
	if progress != nil {
		progress.begin(ProgressStep{Phase: PhasePrepare, File: f.name, Index: index, Files: files, Size: f.size})
		r = &countingReader{r: in, n: &progress.bytes}
	}
	h := sha256.New()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if _, err := io.Copy(io.MultiWriter(h, zw), r); err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	f.sha, f.content = hex.EncodeToString(h.Sum(nil)), buf.Bytes()
	f.kind = kind
	if f.kind == "" {
		src, err := Open(path)
		if err != nil {
			return nil, fileRejected(f.name, err)
		}
		f.kind, err = DetectKind(src.Header())
		src.Close()
		if err != nil {
			return nil, fileRejected(f.name, err)
		}
	}
	return f, nil
}

// fileRejected turns a file-level problem into a rejection with a one-line report.
func fileRejected(name string, err error) error {
	rep := &Report{File: name}
	var re *RowError
	if errors.As(err, &re) {
		e := *re
		e.File = name
		rep.Add(e)
	} else {
		rep.Add(RowError{File: name, Row: 1, Class: "header", Expected: err.Error(), ExpectedEn: err.Error()})
	}
	return &RejectedError{Reports: []*Report{rep}}
}

func problemError(file string, p store.Problem) RowError {
	e := RowError{File: file, Class: "reference", Value: p.Institution}
	switch p.Reason {
	case "orphan":
		e.Expected = fmt.Sprintf("%d 年的学校名单中不再有学校 %s，但仍有 %d 条%s记录；请同时导入该校更正后的名单或记录", p.Year, p.Institution, p.Count, kindZh(p.Kind))
		e.ExpectedEn = fmt.Sprintf("institution %s is no longer in the %d institutions, but %d %s rows still refer to it; import its corrected institutions or rows too", p.Institution, p.Year, p.Count, p.Kind)
	case "moved":
		e.Expected = fmt.Sprintf("%d 年学校 %s 已改属 %s，其 %d 条%s记录需重新导入", p.Year, p.Institution, p.District, p.Count, kindZh(p.Kind))
		e.ExpectedEn = fmt.Sprintf("institution %s now belongs to %s in %d; re-import its %d %s rows", p.Institution, p.District, p.Year, p.Count, p.Kind)
	case "mixed_sex":
		e.Value = p.District
		e.Expected = fmt.Sprintf("%d 年 %s 的人口既有分性别数据又有合计数据（sex 为空），会重复计算", p.Year, p.District)
		e.ExpectedEn = fmt.Sprintf("population of %s in %d has rows by sex and rows for both sexes (empty sex): they would be counted twice", p.District, p.Year)
		e.Column = "sex"
	}
	return e
}

func kindZh(kind string) string {
	switch kind {
	case store.KindStudents:
		return "学生"
	case store.KindTeachers:
		return "教师"
	}
	return kind
}

// applier holds what one file's import keeps between rows.
type applier struct {
	ctx    context.Context
	tx     *store.Tx
	pack   *plan.Pack
	scope  plan.Scope
	f      *file
	batch  *store.Batch
	dryRun bool // after an error somewhere: only validate
	taken  map[string]bool
	insts  map[int]map[string]string
	cells  map[store.Cell]int64
	// students and teachers are inserted together at the end of the file, sorted by
	// key: a b-tree that grows at its edge takes them several times faster.
	students []store.Student
	teachers []store.Teacher
	years    map[int]bool
	dists    map[string]bool
}

func apply(ctx context.Context, tx *store.Tx, pack *plan.Pack, scope plan.Scope, f *file, opt Options, dryRun bool, tm *Timings, index, files int) (*store.Batch, error) {
	readStart := time.Now()
	var counter *atomic.Int64
	if opt.Progress != nil {
		counter = &opt.Progress.bytes
	}
	// The step begins before the file is opened, whose first bytes opening reads.
	opt.Progress.begin(ProgressStep{Phase: PhaseRead, File: f.name, Index: index, Files: files, Size: f.size})
	src, size, err := openCounted(f.path, counter)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	if size != f.size {
		opt.Progress.resize(size) // a workbook: its bytes say nothing of its rows
	}
	f.report = &Report{File: f.name, Kind: f.kind, progress: opt.Progress}
	b := &store.Batch{Kind: string(f.kind), File: f.name, SHA256: f.sha, ImportedBy: opt.User}
	if err := tx.NewBatch(ctx, b); err != nil {
		return nil, err
	}
	a := &applier{ctx: ctx, tx: tx, pack: pack, scope: scope, f: f, batch: b, dryRun: dryRun,
		taken: map[string]bool{}, insts: map[int]map[string]string{}, cells: map[store.Cell]int64{},
		years: map[int]bool{}, dists: map[string]bool{}}
	err = Read(ctx, src, f.name, f.kind, pack, f.report, a.visit)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", f.name, err)
	}
	writeStart := time.Now()
	tm.Read += writeStart.Sub(readStart)
	defer func() { tm.Write += time.Since(writeStart) }()
	if !f.report.OK() {
		return b, nil
	}
	opt.Progress.begin(ProgressStep{Phase: PhaseWrite, File: f.name, Index: index, Files: files, ToWrite: int64(len(a.students) + len(a.teachers))})
	if err := a.flushRoster(); err != nil {
		return nil, fmt.Errorf("import %s: %w", f.name, err)
	}
	if !f.report.OK() {
		return b, nil
	}
	for _, c := range slices.SortedFunc(maps.Keys(a.cells), cmpCell) {
		c.Count = a.cells[c]
		if err := tx.AddCell(ctx, &c); err != nil {
			return nil, fmt.Errorf("import %s: %w", f.name, err)
		}
	}
	b.Rows = f.report.Rows
	b.Years = slices.Sorted(maps.Keys(a.years))
	b.Districts = slices.Sorted(maps.Keys(a.dists))
	if err := tx.FinishBatch(ctx, b, f.content); err != nil {
		return nil, err
	}
	return b, nil
}

func cmpCell(a, b store.Cell) int {
	return cmp.Or(strings.Compare(a.Kind, b.Kind), a.Year-b.Year, strings.Compare(a.Institution, b.Institution), strings.Compare(a.Dims, b.Dims))
}

func (a *applier) fail(row int, column, value, class, zh, en string) {
	a.f.report.Add(RowError{File: a.f.name, Row: row, Column: column, Value: value, Class: class, Expected: zh, ExpectedEn: en})
}

// take makes this batch the current snapshot of a scope, the first time the file
// reaches it. It reports false (with the row failed) when the scope is not the caller's.
func (a *applier) take(row int, column string, year int, district, element string) (bool, error) {
	if a.scope.Org != a.pack.Tenant && district != a.scope.Org {
		a.fail(row, column, district, "scope", fmt.Sprintf("只能导入 %s 的数据", a.scope.Org), fmt.Sprintf("you may import data of %s only", a.scope.Org))
		return false, nil
	}
	a.years[year] = true
	if district != a.pack.Tenant {
		a.dists[district] = true
	}
	key := fmt.Sprint(year, "/", district, "/", element)
	if a.taken[key] || a.dryRun || !a.f.report.OK() {
		return true, nil
	}
	a.taken[key] = true
	a.f.scopes[yearDistrict{year, district}] = true
	_, err := a.tx.TakeScope(a.ctx, string(a.f.kind), year, district, element, a.batch.ID)
	return true, err
}

// institution returns the district of an institution in a year, as the transaction sees it.
func (a *applier) institution(year int, code string) (string, bool, error) {
	m, ok := a.insts[year]
	if !ok {
		var err error
		if m, err = a.tx.InstitutionDistricts(a.ctx, year); err != nil {
			return "", false, err
		}
		a.insts[year] = m
	}
	d, ok := m[code]
	return d, ok, nil
}

func (a *applier) writing() bool { return !a.dryRun && a.f.report.OK() }

func (a *applier) visit(rec any) error {
	ctx, tx := a.ctx, a.tx
	switch r := rec.(type) {
	case *Institution:
		if ok, err := a.take(r.Row, "district", r.Year, r.District, ""); !ok || err != nil {
			return err
		}
		if !a.writing() {
			return nil
		}
		ok, err := tx.InsertInstitution(ctx, &store.Institution{Year: r.Year, Code: r.Code, Name: r.Name, District: r.District,
			Type: r.Type, Ownership: r.Ownership, Location: r.Location, Inclusive: r.Inclusive, Lat: r.Lat, Lon: r.Lon, Batch: a.batch.ID})
		if err != nil {
			return err
		}
		if !ok {
			a.fail(r.Row, "code", r.Code, "duplicate", fmt.Sprintf("%d 年已有另一区县的学校使用代码 %s", r.Year, r.Code),
				fmt.Sprintf("code %s is already used in %d by an institution of another district", r.Code, r.Year))
		}
	case *Student:
		district, ok, err := a.roster(r.Row, r.Year, r.Institution)
		if !ok || err != nil {
			return err
		}
		if !a.writing() {
			return nil
		}
		a.students = append(a.students, store.Student{Row: r.Row, Year: r.Year, ID: r.ID, Institution: r.Institution, District: district,
			Stage: r.Stage, Grade: r.Grade, Sex: r.Sex, BirthDate: r.BirthDate, Hukou: r.Hukou, Batch: a.batch.ID})
		dims := "grade=" + strconv.Itoa(r.Grade) + ";hukou=" + r.Hukou + ";sex=" + r.Sex + ";stage=" + r.Stage
		a.cells[store.Cell{Kind: store.KindStudents, Year: r.Year, District: district, Institution: r.Institution, Dims: dims, Batch: a.batch.ID}]++
	case *Teacher:
		district, ok, err := a.roster(r.Row, r.Year, r.Institution)
		if !ok || err != nil {
			return err
		}
		if !a.writing() {
			return nil
		}
		a.teachers = append(a.teachers, store.Teacher{Row: r.Row, Year: r.Year, ID: r.ID, Institution: r.Institution, District: district,
			Stage: r.Stage, Sex: r.Sex, BirthDate: r.BirthDate, Education: r.Education, PreschoolMajor: r.PreschoolMajor,
			DualQualified: r.DualQualified, Rotated: r.Rotated, NewHire: r.NewHire, Batch: a.batch.ID})
		dims := "dual_qualified=" + boolDim(r.DualQualified) + ";education=" + r.Education + ";new_hire=" + boolDim(r.NewHire) +
			";preschool_major=" + boolDim(r.PreschoolMajor) + ";rotated=" + boolDim(r.Rotated) + ";sex=" + r.Sex + ";stage=" + r.Stage
		a.cells[store.Cell{Kind: store.KindTeachers, Year: r.Year, District: district, Institution: r.Institution, Dims: dims, Batch: a.batch.ID}]++
	case *Population:
		if ok, err := a.take(r.Row, "district", r.Year, r.District, ""); !ok || err != nil {
			return err
		}
		if !a.writing() {
			return nil
		}
		if _, err := tx.InsertPopulation(ctx, &store.Population{Year: r.Year, District: r.District, Age: r.Age, Sex: r.Sex, Count: r.Count, Batch: a.batch.ID}); err != nil {
			return err
		}
	case *Fact:
		scope := r.Org
		if o := a.pack.Org(r.Org); o == nil {
			d, ok, err := a.institution(r.Year, r.Org)
			if err != nil {
				return err
			}
			if !ok {
				a.fail(r.Row, "org", r.Org, "reference", fmt.Sprintf("不是本规划的市、区县代码，也不是 %d 年的学校代码", r.Year),
					fmt.Sprintf("not a city or district of the plan, nor an institution of %d", r.Year))
				return nil
			}
			scope = d
		}
		if ok, err := a.take(r.Row, "org", r.Year, scope, r.Element); !ok || err != nil {
			return err
		}
		if !a.writing() {
			return nil
		}
		if _, err := tx.InsertFact(ctx, &store.Fact{Year: r.Year, Org: r.Org, Element: r.Element, Dims: r.Dims, Value: r.Value, Scope: scope, Batch: a.batch.ID}); err != nil {
			return err
		}
	}
	return nil
}

// roster resolves a student's or teacher's institution and takes its snapshot scope.
func (a *applier) roster(row, year int, institution string) (string, bool, error) {
	district, ok, err := a.institution(year, institution)
	if err != nil {
		return "", false, err
	}
	if !ok {
		a.fail(row, "institution", institution, "reference", fmt.Sprintf("%d 年的学校名单中没有这所学校（请先导入学校名单）", year),
			fmt.Sprintf("no such institution in %d (import the institutions file first)", year))
		return "", false, nil
	}
	ok, err = a.take(row, "institution", year, district, "")
	return district, ok, err
}

// flushRoster inserts the file's students or teachers, reporting those who already
// have a row that year elsewhere.
func (a *applier) flushRoster() error {
	if a.dryRun {
		return nil
	}
	if len(a.students) > 0 {
		bad, err := a.tx.InsertStudents(a.ctx, a.students)
		if err != nil {
			return err
		}
		for _, i := range bad {
			if err := a.elsewhere(a.students[i].Row, "student_id", store.KindStudents, a.students[i].Year, a.students[i].ID); err != nil {
				return err
			}
		}
	}
	if len(a.teachers) > 0 {
		bad, err := a.tx.InsertTeachers(a.ctx, a.teachers)
		if err != nil {
			return err
		}
		for _, i := range bad {
			if err := a.elsewhere(a.teachers[i].Row, "teacher_id", store.KindTeachers, a.teachers[i].Year, a.teachers[i].ID); err != nil {
				return err
			}
		}
	}
	a.students, a.teachers = nil, nil
	return nil
}

// elsewhere reports a student or teacher who already has a row that year in another
// institution (or another file of this import).
func (a *applier) elsewhere(row int, column, kind string, year int, id string) error {
	holder, err := a.tx.Holder(a.ctx, kind, year, id)
	if err != nil {
		return err
	}
	a.fail(row, column, id, "duplicate", fmt.Sprintf("%d 年已在学校 %s 登记", year, holder),
		fmt.Sprintf("already enrolled in %d at institution %s", year, holder))
	return nil
}

func boolDim(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}
