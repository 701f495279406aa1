package ingest

import (
	"bytes"
	"cmp"
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
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Options tune an import.
type Options struct {
	// Kind forces the kind of every file; "" detects it from each file's header.
	Kind Kind
	// User is who imports, recorded with each batch and in the audit log; Remote is
	// where from (the client's address, or "cli").
	User   string
	Remote string
	// Progress, if not nil, is kept up to date as the import goes, for a progress bar.
	Progress *Progress
	// DryRun validates and applies the files as an import would, reports in
	// Result.Changes what they would replace, and then changes nothing.
	DryRun bool
	// AllowShrink accepts a file that shrinks a snapshot by more than MaxShrink; without
	// it such a file is refused (class shrink), in case it was cut short.
	AllowShrink bool
}

// MaxShrink is the largest share of a snapshot's rows (of at least minShrinkRows) an
// import may drop without Options.AllowShrink.
const MaxShrink = 0.3

// minShrinkRows is the smallest snapshot the shrink guard watches: a snapshot of a few
// dozen rows (a district's facts of one element, a small test set) changes by more
// than 30% in ordinary corrections; a district's roster or population is hundreds.
const minShrinkRows = 50

// Change is what an import does to one snapshot: the rows it held, and the rows the
// file brings in their place.
type Change struct {
	Kind    Kind   `json:"kind"`
	Year    int    `json:"year"`
	Scope   string `json:"scope"`
	Element string `json:"element,omitempty"`
	Before  int64  `json:"before"`
	After   int64  `json:"after"`
	// Shrink says that the file drops more than MaxShrink of the snapshot's rows: the
	// import needs Options.AllowShrink (a dry run reports it without refusing).
	Shrink bool `json:"shrink,omitempty"`
	// Switch, if not "", says that the import changes the form a district holds its
	// students or teachers of a year in (a roster or school tables, never both:
	// store/tables.go). Kind is then the element's; Before counts the people of the
	// form replaced, from the files Replaced names; After the people of the new form
	// once the import is in (for tables: every table of the district and year).
	Switch   string `json:"switch,omitempty"`
	Replaced string `json:"replaced,omitempty"`
}

// The forms a Change's Switch goes to.
const (
	SwitchToTables = "tables" // school tables replace a roster
	SwitchToRoster = "roster" // a roster replaces school tables
)

// Describe says the change in Chinese and English, the scope named by the pack, e.g.
// "福山区（370611）2024 年学生名册：2,626 行 → 8 行".
//
// A switch of form is a sentence of its own, e.g. "替换芝罘区（370602）2021 年的学生名册
// （3,917 人，文件 students-2021.csv）为学校汇总表（共 30 人）" / "replaces the 2021
// student roster of Zhifu District (370602) (3,917 people, from students-2021.csv) with
// school tables (30 people in all)".
func (c Change) Describe(pack *plan.Pack) (zh, en string) {
	szh, sen := orgLabel(pack, c.Scope)
	switch c.Switch {
	case SwitchToTables:
		return fmt.Sprintf("替换%s%d 年的%s名册（%s 人，文件 %s）为学校汇总表（共 %s 人）", szh, c.Year, kindZh(string(c.Kind)), thousands(c.Before), c.Replaced, thousands(c.After)),
			fmt.Sprintf("replaces the %d %s roster of %s (%s people, from %s) with school tables (%s people in all)", c.Year, elementEn(c.Kind), sen, thousands(c.Before), c.Replaced, thousands(c.After))
	case SwitchToRoster:
		return fmt.Sprintf("替换%s%d 年%s的学校汇总表（%s 人，文件 %s）为名册（%s 人）", szh, c.Year, kindZh(string(c.Kind)), thousands(c.Before), c.Replaced, thousands(c.After)),
			fmt.Sprintf("replaces the %d school tables of %s of %s (%s people, from %s) with a roster (%s people)", c.Year, c.Kind, sen, thousands(c.Before), c.Replaced, thousands(c.After))
	}
	what, whatEn := KindName(pack, c.Kind), string(c.Kind)
	if c.Element != "" && c.Element != string(c.Kind) { // a school table's element is its code
		what, whatEn = what+" "+c.Element, whatEn+" "+c.Element
	}
	return fmt.Sprintf("%s%d 年%s：%s 行 → %s 行", szh, c.Year, what, thousands(c.Before), thousands(c.After)),
		fmt.Sprintf("%s rows of %s %d %s → %s", thousands(c.Before), sen, c.Year, whatEn, thousands(c.After))
}

// elementEn is a roster's element as an adjective: student, teacher.
func elementEn(k Kind) string {
	if k == Teachers {
		return "teacher"
	}
	return "student"
}

// thousands writes n with thousands separators: 2,626.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Result is what an accepted import did.
type Result struct {
	// Batches are the files accepted, in the order they were applied.
	Batches []store.Batch `json:"batches"`
	// Reports hold each file's row count and warnings.
	Reports []*Report `json:"reports"`
	// Skipped are files already imported as they are (re-importing is a no-op).
	Skipped []string `json:"skipped"`
	// Replaced are the years and districts whose data the import replaced (the city's
	// code for facts the city reports itself), for recomputing only what changed.
	Replaced []store.YearDistrict `json:"-"`
	// Rows counts the data rows of the files applied; Warnings their warnings.
	Rows     int `json:"rows"`
	Warnings int `json:"warnings"`
	// Timings say where the time went.
	Timings Timings `json:"timings"`
	// DryRun says that nothing was changed: Batches are what would have been made.
	DryRun bool `json:"dry_run,omitempty"`
	// Changes are the snapshots replaced (or, in a dry run, that would be), with their
	// rows before and after, then the districts and years whose students or teachers
	// switch between a roster and school tables (Change.Switch).
	Changes []Change `json:"changes"`
}

// RejectedError is returned when any file of an import has an invalid row: nothing was
// changed, and Reports list every problem.
type RejectedError struct {
	Reports []*Report
	Timings Timings
}

// Timings is where an import's time went, phase by phase, summed over its files.
type Timings struct {
	// Prepare is reading each file once for its hash.
	Prepare time.Duration
	// Read is reading and validating rows; institutions, population and facts rows are
	// written as they are read, so their writing counts here too. The copy of the file
	// its batch keeps is compressed meanwhile, on another core, and stored once it is
	// (in Write if the rows are read first).
	Read time.Duration
	// Write is checking and storing the ids of students and teachers, storing the
	// roster counts, and finishing each batch.
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
// institutions its students refer to. The pack's school tables and the record kinds it
// declares come last.
var kindOrder = []Kind{Institutions, Populations, Students, Teachers, Facts, Conditions}

func kindRank(k Kind) int {
	if i := slices.Index(kindOrder, k); i >= 0 {
		return i
	}
	return len(kindOrder)
}

type file struct {
	path   string
	name   string
	kind   Kind
	sha    string
	size   int64
	report *Report
	// scopes are the years and districts the file brought rows for.
	scopes map[yearDistrict]bool
	// changes are the snapshots the file replaces, once read.
	changes []Change
	// expect, if not nil, is the batch that must still hold the file's snapshot of each
	// year when the file takes it (0: none): a file merged from stored rows must not
	// overwrite an import committed since it was made.
	expect map[int]int64
	// conds are the conditions rows a conditions file brought, with their districts,
	// for the plausibility rules run once the whole import is in.
	conds []placedCondition
	// since is the tenant's last batch when the import began: a batch after it that
	// holds the file was made by an import running at the same time.
	since int64
	// switches are the districts and years whose students or teachers the file moves
	// from a roster to school tables or back, checked once the whole import is in.
	switches []formSwitch
	// kept, if not nil, compresses the file already: begun while it was hashed (see
	// prepareFiles), for apply to take.
	kept *keeper
}

// formSwitch is a district and year of an element (store.KindStudents or
// KindTeachers) that a file moves to another form (SwitchToTables or SwitchToRoster),
// with what the form replaced held.
type formSwitch struct {
	element string
	yearDistrict
	to   string
	held store.Held
}

// placedCondition is a conditions row with its institution's district.
type placedCondition struct {
	Condition
	district string
}

// ImportFiles validates and applies files in one transaction: every file is a batch; a
// snapshot for a kind, year and district (for facts: and element) replaces the one
// stored; a file already imported as it is changes nothing. If any file has an invalid
// row, nothing changes and the error is a *RejectedError listing every problem.
//
// A refused import (bad rows, rows outside the scope, a caller who may not import, a
// conflict) is recorded in the audit log, in a transaction of its own.
func ImportFiles(ctx context.Context, db *store.DB, pack *plan.Pack, scope plan.Scope, paths []string, opt Options) (*Result, error) {
	res, err := importFiles(ctx, db, pack, scope, paths, opt)
	if err != nil {
		if aerr := auditRefusal(ctx, db, pack, scope, paths, opt, err); aerr != nil {
			return nil, errors.Join(err, aerr)
		}
	}
	return res, err
}

func importFiles(ctx context.Context, db *store.DB, pack *plan.Pack, scope plan.Scope, paths []string, opt Options) (*Result, error) {
	if scope.Tenant != pack.Tenant || scope.Detail < plan.Records {
		return nil, plan.Errorf(plan.EFORBIDDEN, "无权导入数据", "you may not import data")
	}
	var expect map[string]map[int]int64
	if scope.Org != pack.Tenant && pack.Org(scope.Org) == nil {
		// An institution's clerk: their files become the district files they change.
		dir, err := os.MkdirTemp("", "eduplan-institution-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		merged, district, exp, err := institutionFiles(ctx, db, pack, scope, paths, opt.Kind, dir)
		if err != nil {
			return nil, err
		}
		paths, scope, expect = merged, plan.Scope{Tenant: scope.Tenant, Org: district, Detail: scope.Detail}, exp
	}
	return importPaths(ctx, db, pack, scope, paths, expect, opt)
}

// importPaths imports files within a district's or the city's scope. expect, if not
// nil, holds for each file merged from an institution's the batches it was merged with
// (see file.expect): another import may have committed since.
func importPaths(ctx context.Context, db *store.DB, pack *plan.Pack, scope plan.Scope, paths []string, expect map[string]map[int]int64, opt Options) (*Result, error) {
	start := time.Now()
	var tm Timings
	since, err := db.LastBatchID(ctx, pack.Tenant)
	if err != nil {
		return nil, err
	}
	files, rejected, err := prepareFiles(pack, paths, expect, opt)
	tm.Prepare = time.Since(start)
	if err != nil {
		return nil, err
	}
	defer cancelKeepers(files) // skipped, or not reached
	for _, f := range files {
		f.since = since
	}
	if len(rejected) > 0 {
		tm.Total = time.Since(start)
		return nil, &RejectedError{Reports: rejected, Timings: tm}
	}
	res := &Result{DryRun: opt.DryRun}
	var commitStart time.Time
	err = db.WriteBulk(ctx, pack.Tenant, func(tx *store.Tx) error {
		tx.Written = opt.Progress.writtenCounter()
		applied, bad, err := applyFiles(ctx, tx, pack, scope, files, opt, res, &tm)
		if err != nil {
			return err
		}
		checkStart := time.Now()
		err = conclude(ctx, tx, pack, applied, bad, res, opt, len(files))
		tm.Check += time.Since(checkStart)
		if err != nil {
			return err
		}
		if opt.DryRun {
			return errDryRun
		}
		opt.Progress.begin(ProgressStep{Phase: PhaseCommit, Index: len(files), Files: len(files)})
		commitStart = time.Now()
		return nil
	})
	if !commitStart.IsZero() {
		tm.Commit = time.Since(commitStart)
	}
	tm.Total = time.Since(start)
	return outcome(res, err, tm)
}

// errRejected and errDryRun end an import's transaction without committing it.
var errRejected, errDryRun = errors.New("rejected"), errors.New("dry run")

// prepareFiles hashes each file and finds its kind (phase prepare), and returns the
// files in the order they are applied, with the reports of those refused already.
//
// The first file is compressed to be kept (keep) from the moment it is opened, on
// another core while this one hashes it, rather than only once its rows are read: the
// other core is idle then, and the compression is a fifth of an import's CPU (a year's
// students of the Yantai-size demo). Only the first: every file begun at
// once would hold all their compressed copies until each is applied. The caller
// cancels the keepers of the files it does not apply (cancelKeepers).
func prepareFiles(pack *plan.Pack, paths []string, expect map[string]map[int]int64, opt Options) ([]*file, []*Report, error) {
	var files []*file
	var rejected []*Report
	for i, p := range paths {
		f, err := prepare(p, pack, opt.Kind, opt.Progress, i+1, len(paths), i == 0 && !opt.DryRun)
		if err != nil {
			var re *RejectedError
			if errors.As(err, &re) {
				rejected = append(rejected, re.Reports...)
				continue
			}
			cancelKeepers(files)
			return nil, nil, err
		}
		f.expect = expect[p]
		files = append(files, f)
	}
	slices.SortStableFunc(files, func(a, b *file) int { return kindRank(a.kind) - kindRank(b.kind) })
	return files, rejected, nil
}

// cancelKeepers stops the compressions begun for files and not taken by apply.
func cancelKeepers(files []*file) {
	for _, f := range files {
		if f.kept != nil {
			f.kept.cancel()
			f.kept = nil
		}
	}
}

// applyFiles reads, validates and stores each file in tx (phases read and write), adding
// its report, batch, changes and scopes to res. A file already imported as it is is
// skipped. After a file with a bad row, bad is true and the rest are only validated.
func applyFiles(ctx context.Context, tx *store.Tx, pack *plan.Pack, scope plan.Scope, files []*file, opt Options, res *Result, tm *Timings) (applied []*file, bad bool, err error) {
	var made []int64 // the batches of this import
	for i, f := range files {
		if id, unchanged, err := current(ctx, tx, pack, scope, f); err != nil {
			return nil, false, err
		} else if unchanged && id > f.since && !slices.Contains(made, id) {
			// Another import of the same file, which began before this one committed:
			// this one is not applied twice, and says so rather than "unchanged".
			return nil, false, plan.Errorf(plan.ECONFLICT, "%s 已由同时进行的另一次导入导入（批次 %d），本次导入未作任何更改",
				"%s was imported by another import running at the same time (batch %d); this import changed nothing", f.name, id)
		} else if unchanged {
			res.Skipped = append(res.Skipped, f.path)
			cancelKeepers([]*file{f})
			continue
		}
		b, err := apply(ctx, tx, pack, scope, f, opt, bad, tm, i+1, len(files))
		if err != nil {
			return nil, false, err
		}
		if b != nil {
			made = append(made, b.ID)
		}
		res.Reports = append(res.Reports, f.report)
		if !f.report.OK() {
			bad = true
			continue
		}
		res.Batches = append(res.Batches, *b)
		res.Changes = append(res.Changes, f.changes...)
		applied = append(applied, f)
		for yd := range f.scopes {
			if sc := (store.YearDistrict{Year: yd.year, District: yd.district}); !slices.Contains(res.Replaced, sc) {
				res.Replaced = append(res.Replaced, sc)
			}
		}
	}
	return applied, bad, nil
}

// conclude checks the import as a whole once every file is applied (phase check):
// the references between the files and the store, then the plausibility of whole
// districts; it records each batch's warnings and audit entries. It returns
// errRejected if a file was refused (bad) or the check finds a problem.
func conclude(ctx context.Context, tx *store.Tx, pack *plan.Pack, applied []*file, bad bool, res *Result, opt Options, files int) error {
	opt.Progress.begin(ProgressStep{Phase: PhaseCheck, Index: files, Files: files})
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
	if !bad {
		var err error
		if bad, err = switches(ctx, tx, pack, applied, res, opt.AllowShrink || opt.DryRun); err != nil {
			return err
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
		if err := auditBatch(ctx, tx, b, opt); err != nil {
			return err
		}
	}
	return nil
}

// switches adds to res a change for each district and year whose students or teachers
// the import moved from a roster to school tables or back, counting the people of the
// new form now that every file is in: a full set of tables replaces a roster of its
// size, a kindergarten's table alone would drop its other stages. It refuses (class
// shrink, in the report of the file that made the switch) one that drops more than
// MaxShrink of the people unless allowShrink, and says whether it did.
func switches(ctx context.Context, tx *store.Tx, pack *plan.Pack, applied []*file, res *Result, allowShrink bool) (bad bool, err error) {
	for _, f := range applied {
		for _, s := range f.switches {
			now := tx.HeldTables
			if s.to == SwitchToRoster {
				now = tx.HeldRoster
			}
			after, err := now(ctx, s.element, s.year, s.district)
			if err != nil {
				return false, err
			}
			c := Change{Kind: Kind(s.element), Year: s.year, Scope: s.district, Before: s.held.People, After: after.People,
				Switch: s.to, Replaced: strings.Join(s.held.Files, ", ")}
			c.Shrink = shrinks(c.Before, c.After)
			f.changes = append(f.changes, c)
			res.Changes = append(res.Changes, c)
			if c.Shrink && !allowShrink {
				f.report.Add(shrinkError(pack, f.name, c))
				bad = true
			}
		}
	}
	return bad, nil
}

// shrinks reports whether a snapshot of before rows dropping to after needs
// Options.AllowShrink.
func shrinks(before, after int64) bool {
	return before >= minShrinkRows && float64(after) < float64(before)*(1-MaxShrink)
}

// shrinkError is the refusal of a change that shrinks a snapshot by more than
// MaxShrink.
func shrinkError(pack *plan.Pack, file string, c Change) RowError {
	zh, en := c.Describe(pack)
	pct := 100 * float64(c.Before-c.After) / float64(c.Before)
	why, whyEn := "文件可能不完整", "the file may be cut short"
	if c.Switch == SwitchToTables {
		why, whyEn = "名册整体被替换，该区县该年的其他学校汇总表可能尚未导入", "the whole roster goes, and the district's other school tables of the year may not be imported yet"
	}
	return RowError{File: file, Class: ClassShrink,
		Expected: fmt.Sprintf("%s，减少 %.1f%%，超过 %.0f%%：%s。确认无误请用 --allow-shrink（网页上勾选“允许大幅减少”）再导入",
			zh, pct, 100*MaxShrink, why),
		ExpectedEn: fmt.Sprintf("%s, %.1f%% fewer, more than %.0f%%: %s. If it is right, import it again with --allow-shrink (on the web: tick \"allow a large drop\")",
			en, pct, 100*MaxShrink, whyEn)}
}

// outcome is the import's answer from what its transaction returned: the result, or a
// *RejectedError with the reports of the refused files.
func outcome(res *Result, err error, tm Timings) (*Result, error) {
	if errors.Is(err, errDryRun) {
		err, res.Replaced = nil, nil
	}
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

// current reports whether the file is already imported as it is, by the batch of the
// id returned, and every snapshot it holds is within the scope: then importing it
// changes nothing. A current file of another scope is read like any other, so that its
// rows are refused for scope rather than the import answered "unchanged".
func current(ctx context.Context, tx *store.Tx, pack *plan.Pack, scope plan.Scope, f *file) (int64, bool, error) {
	id, ok, err := tx.CurrentBatch(ctx, string(f.kind), f.sha)
	if err != nil || !ok || scope.Org == pack.Tenant {
		return id, ok, err
	}
	scopes, err := tx.BatchScopes(ctx, id)
	if err != nil {
		return 0, false, err
	}
	for _, s := range scopes {
		if s != scope.Org {
			return 0, false, nil
		}
	}
	return id, true, nil
}

// prepare reads a file once for its hash, and finds its kind; with keepNow it begins
// compressing the file to be kept meanwhile (f.kept).
func prepare(path string, pack *plan.Pack, kind Kind, progress *Progress, index, files int, keepNow bool) (f *file, err error) {
	f = &file{path: path, name: filepath.Base(path), scopes: map[yearDistrict]bool{}}
	in, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	defer in.Close()
	if st, err := in.Stat(); err == nil {
		f.size = st.Size()
	}
	if keepNow {
		kept := keep(f)
		f.kept = kept
		defer func() {
			if err != nil {
				kept.cancel()
			}
		}()
	}
	var r io.Reader = in
	if progress != nil {
		progress.begin(ProgressStep{Phase: PhasePrepare, File: f.name, Index: index, Files: files, Size: f.size})
		r = sheet.CountingReader(in, &progress.bytes)
	}
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	f.sha = hex.EncodeToString(h.Sum(nil))
	f.kind = kind
	if f.kind == "" {
		src, err := sheet.Open(path)
		if err != nil {
			return nil, fileRejected(f.name, err)
		}
		f.kind, err = DetectKindIn(src.Header(), pack)
		if t, ok := detectTable(pack, src.Header(), path); err != nil && ok {
			f.kind, err = Kind(t.Code), nil // one of the pack's school tables
		}
		src.Close()
		if err != nil {
			return nil, fileRejected(f.name, err)
		}
	}
	return f, nil
}

// keeper compresses a file as its batch keeps it, on another core while the file is
// hashed and its rows are read, and hashes what it compressed, for wait to check that
// it is still the file that was hashed. The file is
// kept as gzip; klauspost/compress writes it at its fastest level in 40% less CPU than
// compress/gzip's (a year's students file of the Yantai-size demo: 60 MB to 14.7 MB
// in some 0.3 s, against 15.2 MB in 0.5 s), and the import's read phase is short of
// cores, not of bytes.
type keeper struct {
	stop    atomic.Bool
	done    chan struct{}
	content []byte
	sha     string // of the bytes compressed, to be checked against the file's
	err     error
}

func keep(f *file) *keeper {
	k := &keeper{done: make(chan struct{})}
	go func() {
		defer close(k.done)
		k.content, k.err = k.compress(f)
	}()
	return k
}

// errStopped ends a compression nobody waits for any more.
var errStopped = errors.New("stopped")

func (k *keeper) compress(f *file) ([]byte, error) {
	in, err := os.Open(f.path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	h := sha256.New()
	var buf bytes.Buffer
	buf.Grow(int(f.size / 3))
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	block := make([]byte, 256<<10)
	for {
		if k.stop.Load() {
			return nil, errStopped
		}
		n, err := in.Read(block)
		h.Write(block[:n])
		if _, werr := zw.Write(block[:n]); werr != nil {
			return nil, werr
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	k.sha = hex.EncodeToString(h.Sum(nil))
	return buf.Bytes(), nil
}

// wait returns the compressed file, which must be the file f hashed: the keeper may
// have begun before the hash was known.
func (k *keeper) wait(f *file) ([]byte, error) {
	<-k.done
	if k.err == nil && k.sha != f.sha {
		return nil, fmt.Errorf("%s changed while it was imported", f.name)
	}
	return k.content, k.err
}

// cancel stops the compression if it still runs, and waits for it to end.
func (k *keeper) cancel() {
	k.stop.Store(true)
	<-k.done
}

// fileRejected turns a file-level problem into a rejection with a one-line report.
func fileRejected(name string, err error) error {
	rep := &Report{File: name}
	if e, ok := fileError(name, err); ok {
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
	// kept compresses the file; stored says its content is stored already (keepEarly).
	kept    *keeper
	stored  bool
	visited int
	taken   map[string]bool
	insts   map[int]map[string]string
	cells   map[store.Cell]int64
	// studentCells count students by place and dims, with the dims as small numbers:
	// the dims string is made once a cell, not once a row.
	studentCells          map[studentCell]int64
	places                []place
	placeIndex            map[place]int32
	stages, sexes, hukous []string
	// rosters are the ids the file brings for each roster snapshot, stored when the file
	// has been read and checked against the other snapshots of their year.
	rosters map[yearDistrict]*roster
	// last is the roster of the last student or teacher row, for the next row of the
	// same institution and year (rows come grouped by institution).
	last      *roster
	lastYear  int
	lastInst  string
	lastPlace int32
	years     map[int]bool
	dists     map[string]bool
	// before and after count the rows of each snapshot the file takes: held before
	// it, and brought by the file.
	before, after map[snapshotKey]int64
	// records are the measures of a declared kind's rows, by cell: the rows, then
	// each measure's sum and the rows that gave it a value.
	records map[recordCell][]float64
	// table is the school table the file is of, if it is one.
	table *plan.SchoolTable
	// checks hold what a declared kind's rows are checked against (kindcheck.go).
	checks *kindChecks
}

// recordCell is a cell of a declared kind's rows: a year, an org and dims.
type recordCell struct {
	year                int
	district, org, dims string
}

// snapshotKey is a snapshot of the file's kind: a year, a scope, and for facts an
// element.
type snapshotKey struct {
	year           int
	scope, element string
}

// place is an institution in a year.
type place struct {
	year                  int
	institution, district string
}

// studentCell is a roster_cells key of students: a place (in applier.places), the
// grade, and the stage, sex and hukou (in applier.stages, sexes and hukous).
type studentCell struct {
	place             int32
	grade             int16
	stage, sex, hukou uint8
}

// small returns the index of s in *values, adding it if need be: a handful of values
// are found faster one by one than by hashing.
func small(values *[]string, s string) uint8 {
	for i, v := range *values {
		if v == s {
			return uint8(i)
		}
	}
	*values = append(*values, s)
	return uint8(len(*values) - 1)
}

// roster is what a file brings for one roster snapshot: the ids, and the row of each;
// n counts its rows until changes adds them to applier.after (a map keyed by two
// strings, too dear to look up for every row).
type roster struct {
	yearDistrict
	ids  store.RosterIDs
	rows []int32
	n    int64
}

func apply(ctx context.Context, tx *store.Tx, pack *plan.Pack, scope plan.Scope, f *file, opt Options, dryRun bool, tm *Timings, index, files int) (*store.Batch, error) {
	readStart := time.Now()
	var counter *atomic.Int64
	if opt.Progress != nil {
		counter = &opt.Progress.bytes
	}
	// The step begins before the file is opened, whose first bytes opening reads.
	opt.Progress.begin(ProgressStep{Phase: PhaseRead, File: f.name, Index: index, Files: files, Size: f.size})
	kept := f.kept
	f.kept = nil
	switch {
	case dryRun && kept != nil:
		kept.cancel()
		kept = nil
	case !dryRun && kept == nil:
		kept = keep(f)
	}
	if kept != nil {
		defer kept.cancel()
	}
	src, size, err := sheet.OpenCounted(f.path, counter)
	if err != nil {
		e, ok := fileError(f.name, err)
		if !ok {
			return nil, err
		}
		// A file refused as it is opened (one told its kind, not opened before).
		f.report = &Report{File: f.name, Kind: f.kind}
		f.report.Add(e)
		return nil, nil
	}
	src = sheet.ReadAhead(src)
	defer src.Close()
	if size != f.size {
		opt.Progress.resize(size) // a workbook: its bytes say nothing of its rows
	}
	f.report = &Report{File: f.name, Kind: f.kind, progress: opt.Progress}
	b := &store.Batch{Kind: string(f.kind), File: f.name, SHA256: f.sha, ImportedBy: opt.User}
	if err := tx.NewBatch(ctx, b); err != nil {
		return nil, err
	}
	a := newApplier(ctx, tx, pack, scope, f, b, dryRun)
	a.kept = kept
	read := func() error { return Read(ctx, src, f.name, f.kind, pack, f.report, a.visit) }
	if t := SchoolTableOf(pack, f.kind); t != nil {
		a.table = t
		read = func() error { return readTable(ctx, src, f.name, t, f.report, a.visit) }
	}
	if err := read(); err != nil {
		return nil, fmt.Errorf("import %s: %w", f.name, err)
	}
	writeStart := time.Now()
	tm.Read += writeStart.Sub(readStart)
	defer func() { tm.Write += time.Since(writeStart) }()
	if !f.report.OK() || dryRun {
		return b, nil
	}
	a.changes(opt.AllowShrink || opt.DryRun)
	if !f.report.OK() {
		return b, nil
	}
	opt.Progress.begin(ProgressStep{Phase: PhaseWrite, File: f.name, Index: index, Files: files, ToWrite: int64(a.toWrite())})
	if err := a.write(); err != nil {
		return nil, fmt.Errorf("import %s: %w", f.name, err)
	}
	return b, nil
}

func newApplier(ctx context.Context, tx *store.Tx, pack *plan.Pack, scope plan.Scope, f *file, b *store.Batch, dryRun bool) *applier {
	return &applier{ctx: ctx, tx: tx, pack: pack, scope: scope, f: f, batch: b, dryRun: dryRun,
		taken: map[string]bool{}, insts: map[int]map[string]string{}, cells: map[store.Cell]int64{},
		studentCells: map[studentCell]int64{}, placeIndex: map[place]int32{}, rosters: map[yearDistrict]*roster{},
		years: map[int]bool{}, dists: map[string]bool{}, before: map[snapshotKey]int64{}, after: map[snapshotKey]int64{},
		records: map[recordCell][]float64{}}
}

// toWrite is how many ids the file's rosters hold, for the progress of phase write.
func (a *applier) toWrite() int {
	n := 0
	for _, g := range a.rosters {
		n += g.ids.Len()
	}
	return n
}

// write stores what a valid file brings beyond its rows (phase write): the rosters'
// ids, once checked against the other snapshots; the counts of the cube's cells; and
// the batch, with the file as kept compressed (unless keepEarly stored it).
func (a *applier) write() error {
	if err := a.flushRoster(a.addCells); err != nil {
		return err
	}
	if !a.f.report.OK() {
		return nil
	}
	b := a.batch
	b.Rows = a.f.report.Rows
	b.Years = slices.Sorted(maps.Keys(a.years))
	b.Districts = slices.Sorted(maps.Keys(a.dists))
	content, err := a.kept.wait(a.f)
	if err != nil {
		return err
	}
	if a.stored {
		content = nil
	}
	return a.tx.FinishBatch(a.ctx, b, content)
}

// addCells stores the counts of the cube's cells the file brings.
func (a *applier) addCells() error {
	for c, n := range a.studentCells {
		p := a.places[c.place]
		dims := "grade=" + strconv.Itoa(int(c.grade)) + ";hukou=" + a.hukous[c.hukou] + ";sex=" + a.sexes[c.sex] + ";stage=" + a.stages[c.stage]
		a.cells[store.Cell{Kind: store.KindStudents, Year: p.year, District: p.district, Institution: p.institution, Dims: dims, Batch: a.batch.ID}] = n
	}
	cells := make([]store.Cell, 0, len(a.cells))
	for c, n := range a.cells {
		c.Count = n
		cells = append(cells, c)
	}
	slices.SortFunc(cells, cmpCell)
	if err := a.tx.AddCells(a.ctx, cells); err != nil {
		return err
	}
	return a.tx.AddRecordCells(a.ctx, a.recordCells(a.pack))
}

// keepEarly stores the file as kept once it is compressed, while the rows are still
// read, rather than after them: the core that compressed it is free by then, and the
// phase after the rows has only one. It stores nothing once a row has failed.
func (a *applier) keepEarly() error {
	if a.kept == nil || a.stored || !a.writing() {
		return nil
	}
	select {
	case <-a.kept.done:
	default:
		return nil
	}
	if a.kept.err != nil || a.kept.sha != a.f.sha {
		return nil // write reports it
	}
	if err := a.tx.KeepFile(a.ctx, a.batch.ID, a.kept.content); err != nil {
		return err
	}
	a.stored, a.kept.content = true, nil // stored: SQLite has its copy
	return nil
}

func cmpCell(a, b store.Cell) int {
	return cmp.Or(strings.Compare(a.Kind, b.Kind), a.Year-b.Year, strings.Compare(a.Institution, b.Institution), strings.Compare(a.Dims, b.Dims))
}

func (a *applier) fail(row int, column, value, class, zh, en string) {
	a.f.report.Add(RowError{File: a.f.name, Row: row, Column: column, Value: value, Class: class, Expected: zh, ExpectedEn: en})
}

// take makes this batch the current snapshot of a scope, the first time the file
// reaches it. It reports false (with the row failed) when the scope is not the caller's.
func (a *applier) take(row int, column, value string, year int, district, element string) (bool, error) {
	if a.scope.Org != a.pack.Tenant && district != a.scope.Org {
		zh, en := orgLabel(a.pack, a.scope.Org)
		dzh, den := orgLabel(a.pack, district)
		if value == district {
			a.fail(row, column, value, "scope", fmt.Sprintf("只能导入%s的数据", zh), fmt.Sprintf("you may import data of %s only", en))
		} else {
			a.fail(row, column, value, "scope", fmt.Sprintf("%s 属于%s；只能导入%s的数据", value, dzh, zh),
				fmt.Sprintf("%s belongs to %s; you may import data of %s only", value, den, en))
		}
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
	kind := string(a.f.kind)
	if a.table != nil {
		kind = a.table.Element // the table's snapshot is of its element (store.TakeScope)
	}
	n, err := a.tx.SnapshotRows(a.ctx, kind, year, district, element)
	if err != nil {
		return false, err
	}
	a.before[snapshotKey{year, district, element}] = n
	if err := a.noteSwitch(kind, year, district); err != nil {
		return false, err
	}
	prev, err := a.tx.TakeScope(a.ctx, kind, year, district, element, a.batch.ID)
	if want, ok := a.f.expect[year]; err == nil && a.f.expect != nil && (!ok || prev != want) {
		return false, plan.Errorf(plan.ECONFLICT, "%s %d 年的数据在合并本校文件后已被另一次导入更改，请重新导入", "%s's %d data changed by another import while your file was merged with it; import it again",
			district, year)
	}
	return true, err
}

// orgLabel names an org unit of the pack by name and code, in Chinese and English
// ("芝罘区（370602）", "Zhifu District (370602)"); the code alone if the pack has none.
func orgLabel(pack *plan.Pack, code string) (zh, en string) {
	o := pack.Org(code)
	if o == nil {
		return code, code
	}
	return fmt.Sprintf("%s（%s）", o.Name, code), fmt.Sprintf("%s (%s)", cmp.Or(o.NameEn, o.Name), code)
}

// changes records what the file replaces, and refuses it (class shrink) if it drops
// more than MaxShrink of a snapshot's rows and the caller did not allow that.
func (a *applier) changes(allowShrink bool) {
	for _, g := range a.rosters {
		a.after[snapshotKey{g.year, g.district, ""}] += g.n
		g.n = 0
	}
	keys := slices.SortedFunc(maps.Keys(a.before), func(x, y snapshotKey) int {
		return cmp.Or(x.year-y.year, strings.Compare(x.scope, y.scope), strings.Compare(x.element, y.element))
	})
	for _, k := range keys {
		c := Change{Kind: a.f.kind, Year: k.year, Scope: k.scope, Element: k.element, Before: a.before[k], After: a.after[k]}
		c.Shrink = shrinks(c.Before, c.After)
		a.f.changes = append(a.f.changes, c)
		if c.Shrink && !allowShrink {
			a.f.report.Add(shrinkError(a.pack, a.f.name, c))
		}
	}
}

// noteSwitch records, as a school table's or a roster's file takes a district and year
// of its element, the other form it replaces there, if any: the roster a table
// replaces, or the tables a roster does (TakeScope deletes them).
func (a *applier) noteSwitch(element string, year int, district string) error {
	var held store.Held
	var err error
	to := SwitchToTables
	switch {
	case a.table != nil:
		held, err = a.tx.HeldRoster(a.ctx, element, year, district)
	case a.f.kind == Students || a.f.kind == Teachers:
		held, err = a.tx.HeldTables(a.ctx, element, year, district)
		to = SwitchToRoster
	default:
		return nil
	}
	if err != nil || len(held.Files) == 0 {
		return err
	}
	a.f.switches = append(a.f.switches, formSwitch{element: element, yearDistrict: yearDistrict{year, district}, to: to, held: held})
	return nil
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

// keepEvery is how many rows visit takes in between looking whether the file is
// compressed, to be stored (keepEarly).
const keepEvery = 4096

// visit takes in a valid row of the file: it places the row in its snapshot and, while
// the import may still be accepted, stores it or counts it for the cube.
func (a *applier) visit(rec any) error {
	if a.visited++; a.visited%keepEvery == 0 {
		if err := a.keepEarly(); err != nil {
			return err
		}
	}
	switch r := rec.(type) {
	case *Institution:
		return a.institutionRow(r)
	case *Student:
		return a.studentRow(r)
	case *TableRow:
		return a.tableRow(r)
	case *Teacher:
		return a.teacherRow(r)
	case *Condition:
		return a.conditionRow(r)
	case *Record:
		return a.record(r)
	case *Population:
		return a.populationRow(r)
	case *Fact:
		return a.factRow(r)
	}
	return nil
}

func (a *applier) institutionRow(r *Institution) error {
	if ok, err := a.take(r.Row, "district", r.District, r.Year, r.District, ""); !ok || err != nil {
		return err
	}
	a.after[snapshotKey{r.Year, r.District, ""}]++
	if !a.writing() {
		return nil
	}
	ok, err := a.tx.InsertInstitution(a.ctx, &store.Institution{Year: r.Year, Code: r.Code, Name: r.Name, District: r.District,
		Type: r.Type, Ownership: r.Ownership, Location: r.Location, Inclusive: r.Inclusive, Lat: r.Lat, Lon: r.Lon,
		TeachingPoint: r.TeachingPoint, Batch: a.batch.ID})
	if err != nil {
		return err
	}
	if !ok {
		a.fail(r.Row, "code", r.Code, "duplicate", fmt.Sprintf("%d 年已有另一区县的学校使用代码 %s", r.Year, r.Code),
			fmt.Sprintf("code %s is already used in %d by an institution of another district", r.Code, r.Year))
	}
	return nil
}

// rosterRow counts a student's or teacher's row in its snapshot and, when the row is to
// be written, adds its id to its institution's roster, which it returns (nil otherwise).
func (a *applier) rosterRow(row, year int, institution, id string) (*roster, error) {
	g, ok, err := a.roster(row, year, institution)
	if ok {
		g.n++
	}
	if !ok || err != nil || !a.writing() {
		return nil, err
	}
	g.ids.Add(id, institution)
	g.rows = append(g.rows, int32(row))
	return g, nil
}

func (a *applier) studentRow(r *Student) error {
	g, err := a.rosterRow(r.Row, r.Year, r.Institution, r.ID)
	if g == nil {
		return err
	}
	a.studentCells[studentCell{place: a.lastPlace, grade: int16(r.Grade),
		stage: small(&a.stages, r.Stage), sex: small(&a.sexes, r.Sex), hukou: small(&a.hukous, r.Hukou)}]++
	return nil
}

func (a *applier) teacherRow(r *Teacher) error {
	g, err := a.rosterRow(r.Row, r.Year, r.Institution, r.ID)
	if g == nil {
		return err
	}
	dims := "backbone=" + r.Backbone + ";dual_qualified=" + boolDim(r.DualQualified) + ";education=" + r.Education + ";new_hire=" + boolDim(r.NewHire) +
		";preschool_major=" + boolDim(r.PreschoolMajor) + ";rotated=" + boolDim(r.Rotated) + ";sex=" + r.Sex + ";stage=" + r.Stage + ";subject=" + r.Subject
	a.cells[store.Cell{Kind: store.KindTeachers, Year: r.Year, District: g.district, Institution: r.Institution, Dims: dims, Batch: a.batch.ID}]++
	return nil
}

func (a *applier) conditionRow(r *Condition) error {
	district, ok, err := a.institution(r.Year, r.Institution)
	if err != nil {
		return err
	}
	if !ok {
		a.fail(r.Row, "institution", r.Institution, "reference", fmt.Sprintf("%d 年的学校名单中没有这所学校（请先导入学校名单）", r.Year),
			fmt.Sprintf("no such institution in %d (import the institutions file first)", r.Year))
		return nil
	}
	if ok, err := a.take(r.Row, "institution", r.Institution, r.Year, district, ""); !ok || err != nil {
		return err
	}
	a.after[snapshotKey{r.Year, district, ""}]++
	if !a.writing() {
		return nil
	}
	if _, err := a.tx.InsertCondition(a.ctx, &store.Condition{Year: r.Year, Institution: r.Institution, Stage: r.Stage, District: district,
		Values: r.Values, Batch: a.batch.ID}); err != nil {
		return err
	}
	a.f.conds = append(a.f.conds, placedCondition{*r, district})
	return nil
}

func (a *applier) populationRow(r *Population) error {
	if ok, err := a.take(r.Row, "district", r.District, r.Year, r.District, ""); !ok || err != nil {
		return err
	}
	a.after[snapshotKey{r.Year, r.District, ""}]++
	if !a.writing() {
		return nil
	}
	_, err := a.tx.InsertPopulation(a.ctx, &store.Population{Year: r.Year, District: r.District, Age: r.Age, Sex: r.Sex, Count: r.Count, Batch: a.batch.ID})
	return err
}

func (a *applier) factRow(r *Fact) error {
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
	if ok, err := a.take(r.Row, "org", r.Org, r.Year, scope, r.Element); !ok || err != nil {
		return err
	}
	a.after[snapshotKey{r.Year, scope, r.Element}]++
	if !a.writing() {
		return nil
	}
	_, err := a.tx.InsertFact(a.ctx, &store.Fact{Year: r.Year, Org: r.Org, Element: r.Element, Dims: r.Dims, Value: r.Value, Scope: scope, Batch: a.batch.ID})
	return err
}

// roster resolves a student's or teacher's institution, takes its snapshot scope and
// returns the file's roster of that scope.
func (a *applier) roster(row, year int, institution string) (*roster, bool, error) {
	if a.last != nil && year == a.lastYear && institution == a.lastInst {
		return a.last, true, nil
	}
	district, ok, err := a.institution(year, institution)
	if err != nil {
		return nil, false, err
	}
	if !ok {
		a.fail(row, "institution", institution, "reference", fmt.Sprintf("%d 年的学校名单中没有这所学校（请先导入学校名单）", year),
			fmt.Sprintf("no such institution in %d (import the institutions file first)", year))
		return nil, false, nil
	}
	if ok, err := a.take(row, "institution", institution, year, district, ""); !ok || err != nil {
		return nil, false, err
	}
	yd := yearDistrict{year, district}
	g := a.rosters[yd]
	if g == nil {
		g = &roster{yearDistrict: yd}
		a.rosters[yd] = g
	}
	p := place{year, institution, district}
	i, ok := a.placeIndex[p]
	if !ok {
		i = int32(len(a.places))
		a.places = append(a.places, p)
		a.placeIndex[p] = i
	}
	a.last, a.lastYear, a.lastInst, a.lastPlace = g, year, institution, i
	return g, true, nil
}

// flushRoster checks the file's students or teachers against the other snapshots of
// their years (other districts, and earlier files of the import), reporting those who
// already have a row that year elsewhere, and then stores their ids; then, or if the
// file brings none, it runs then, while the ids are compressed. With a clash it
// stores nothing and does not run then.
func (a *applier) flushRoster(then func() error) error {
	if a.dryRun || len(a.rosters) == 0 {
		return then()
	}
	kind, column := store.KindStudents, "student_id"
	if a.f.kind == Teachers {
		kind, column = store.KindTeachers, "teacher_id"
	}
	rosters := slices.SortedFunc(maps.Values(a.rosters), func(x, y *roster) int {
		return cmp.Or(x.year-y.year, strings.Compare(x.district, y.district))
	})
	type clash struct {
		row, year  int
		id, holder string
	}
	var clashes []clash
	for i := 0; i < len(rosters); {
		year := rosters[i].year
		var lists []*store.RosterIDs
		j := i
		for ; j < len(rosters) && rosters[j].year == year; j++ {
			lists = append(lists, &rosters[j].ids)
		}
		found, err := a.tx.RosterClashes(a.ctx, kind, year, lists)
		if err != nil {
			return err
		}
		for _, c := range found {
			g := rosters[i+c.List]
			clashes = append(clashes, clash{int(g.rows[c.Index]), year, g.ids.ID(c.Index), c.Institution})
		}
		i = j
	}
	slices.SortFunc(clashes, func(x, y clash) int { return x.row - y.row })
	for _, c := range clashes {
		a.fail(c.row, column, c.id, "duplicate", fmt.Sprintf("%d 年已在学校 %s 登记", c.year, c.holder),
			fmt.Sprintf("already enrolled in %d at institution %s", c.year, c.holder))
	}
	if len(clashes) > 0 {
		return nil
	}
	put := make([]store.Roster, len(rosters))
	for i, g := range rosters {
		put[i] = store.Roster{Year: g.year, District: g.district, IDs: &g.ids}
	}
	if err := a.tx.PutRosters(a.ctx, kind, a.batch.ID, put, then); err != nil {
		return err
	}
	a.rosters = nil
	return nil
}

func boolDim(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

// auditRefusal records a refused import in the audit log: one entry per file with
// who, from where, the file's name and hash, and the reason (counts of problems by
// class and the first problem; never a cell's value, which may be a student's id).
// Errors that are not refusals (the database, a cancelled request) are not recorded.
func auditRefusal(ctx context.Context, db *store.DB, pack *plan.Pack, scope plan.Scope, paths []string, opt Options, err error) error {
	var reasons map[string][2]string // zh and en, by file name; "" for every file
	var rej *RejectedError
	switch {
	case errors.As(err, &rej):
		reasons = map[string][2]string{}
		for _, r := range rej.Reports {
			zh, en := refusalReason(r)
			reasons[r.File] = [2]string{zh, en}
		}
	case plan.ErrorCode(err) == plan.EFORBIDDEN || plan.ErrorCode(err) == plan.ECONFLICT:
		zh, en := plan.ErrorMessages(err)
		reasons = map[string][2]string{"": {plan.ErrorCode(err) + "：" + zh, plan.ErrorCode(err) + ": " + en}}
	default:
		return nil
	}
	by := cmp.Or(opt.User, "unknown")
	// Filed under the caller's district (a school clerk's too, whose institution is not
	// an org of the pack: under the city, where the city's admins read it).
	org := pack.Tenant
	if o := pack.Org(scope.Org); o != nil {
		org = o.Code
	}
	ctx = context.WithoutCancel(ctx)
	return db.Write(ctx, pack.Tenant, func(tx *store.Tx) error {
		for _, p := range paths {
			name := filepath.Base(p)
			reason, ok := reasons[name]
			if !ok {
				if reason, ok = reasons[""]; !ok {
					reason = [2]string{"与本次导入的其他文件一同被拒绝", "refused with the other files of the import"}
				}
			}
			hash := fileHash(p)
			if err := tx.Audit(ctx, &store.AuditEntry{Actor: by, Remote: opt.Remote, Action: store.AuditImportRefused,
				Object: name, Detail: fmt.Sprintf("sha256 %s：%s", hash, reason[0]), DetailEn: fmt.Sprintf("sha256 %s: %s", hash, reason[1]), Org: org}); err != nil {
				return err
			}
		}
		return nil
	})
}

// refusalReason sums up a refused file's report for the audit log.
func refusalReason(r *Report) (zh, en string) {
	var counts []string
	for _, c := range slices.Sorted(maps.Keys(r.Counts)) {
		counts = append(counts, fmt.Sprintf("%s %d", c, r.Counts[c]))
	}
	zh = fmt.Sprintf("%d 处错误（%s）", r.ErrorCount, strings.Join(counts, "，"))
	en = fmt.Sprintf("%d invalid rows (%s)", r.ErrorCount, strings.Join(counts, ", "))
	if len(r.Errors) > 0 {
		e := r.Errors[0]
		zh += fmt.Sprintf("；第一处：第 %d 行 %s 列：%s", e.Row, e.Column, clip(e.Expected))
		en += fmt.Sprintf("; first: row %d %s: %s", e.Row, e.Column, clip(e.ExpectedEn))
	}
	return zh, en
}

// clip cuts a reason to 200 bytes, on a character's boundary.
func clip(s string) string {
	if len(s) <= 200 {
		return s
	}
	i := 200
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// fileHash is the SHA-256 of a file in hex, or "unreadable".
func fileHash(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unreadable"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unreadable"
	}
	return hex.EncodeToString(h.Sum(nil))
}

// auditBatch records an accepted batch in the audit log, and each earlier batch it
// replaced the last current snapshot of, in the import's transaction.
func auditBatch(ctx context.Context, tx *store.Tx, b *store.Batch, opt Options) error {
	by := cmp.Or(opt.User, "unknown")
	detail := fmt.Sprintf("%s：%s，%d 行，年份 %s，区县 %s", b.File, b.Kind, b.Rows, joinInts(b.Years), strings.Join(b.Districts, " "))
	detailEn := fmt.Sprintf("%s: %s, %d rows, years %s, districts %s", b.File, b.Kind, b.Rows, joinInts(b.Years), strings.Join(b.Districts, " "))
	// The audit log files a batch under its district; one across districts is the city's.
	org := tx.Tenant
	if len(b.Districts) == 1 {
		org = b.Districts[0]
	}
	if err := tx.Audit(ctx, &store.AuditEntry{Actor: by, Remote: opt.Remote, Action: store.AuditImport,
		Object: fmt.Sprintf("batch %d", b.ID), Detail: detail, DetailEn: detailEn, Org: org}); err != nil {
		return err
	}
	replaced, err := tx.ReplacedBy(ctx, b.ID)
	if err != nil {
		return err
	}
	for _, id := range replaced {
		if err := tx.Audit(ctx, &store.AuditEntry{Actor: by, Remote: opt.Remote, Action: store.AuditReplace,
			Object: fmt.Sprintf("batch %d", id), Detail: fmt.Sprintf("被批次 %d（%s）替换", b.ID, b.File),
			DetailEn: fmt.Sprintf("replaced by batch %d (%s)", b.ID, b.File), Org: org}); err != nil {
			return err
		}
	}
	return nil
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, " ")
}
