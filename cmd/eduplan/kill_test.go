//go:build unix

package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// snapshot is what the database holds of the institutions and students of one year:
// each institution's name and its number of students.
type snapshot struct {
	names    map[string]string
	students map[string]int64
}

func (s snapshot) equal(o snapshot) bool {
	return maps.Equal(s.names, o.names) && maps.Equal(s.students, o.students)
}

// fileSnapshot reads the snapshot that importing an institutions and a students file
// of one year must leave.
func fileSnapshot(t *testing.T, institutions, students string) snapshot {
	t.Helper()
	s := snapshot{names: map[string]string{}, students: map[string]int64{}}
	eachCSV(t, institutions, func(row map[string]string) { s.names[row["code"]] = row["name"] })
	eachCSV(t, students, func(row map[string]string) { s.students[row["institution"]]++ })
	return s
}

func eachCSV(t *testing.T, path string, fn func(row map[string]string)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	row := map[string]string{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range header {
			row[h] = rec[i]
		}
		fn(row)
	}
}

// dbSnapshot opens the database as eduplan does, checks its integrity and returns its
// snapshot of the year.
func dbSnapshot(t *testing.T, path, tenant string, year int) snapshot {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("the database does not open: %v", err)
	}
	defer db.Close()
	s := snapshot{names: map[string]string{}, students: map[string]int64{}}
	err = db.EachInstitution(ctx, tenant, func(r *store.Institution) error {
		if r.Year == year {
			s.names[r.Code] = r.Name
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.EachCell(ctx, tenant, func(c *store.Cell) error {
		if c.Kind == store.KindStudents && c.Year == year {
			s.students[c.Institution] += c.Count
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var check []string
	rows, err := raw.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var line string
		rows.Scan(&line)
		check = append(check, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(check, []string{"ok"}) {
		t.Fatalf("integrity_check: %s", strings.Join(check, "\n"))
	}
	return s
}

// TestImportKilled kills "eduplan import" (SIGKILL) at points spread over an import
// that replaces a year's institutions and students, and checks after each kill that
// the database opens, passes SQLite's integrity check, and holds exactly the old
// snapshot or exactly the new one.
func TestImportKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds eduplan, generates two sets of 50,000 students and imports them a dozen times")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "eduplan")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	eduplan := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("eduplan %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// Two data sets of the same size: the same institution codes, other names and
	// numbers of students. An import of one replaces the other (about 50,000 students:
	// enough for an import to span its phases, each check of the database after a
	// kill reading it with the race detector on, so no larger).
	const year = 2020
	const scale = "0.05"
	sets := make([][]string, 2)
	want := make([]snapshot, 2)
	for i := range sets {
		out := filepath.Join(dir, fmt.Sprint("set", i))
		eduplan("demo", "--out", out, "--scale", scale, "--seed", fmt.Sprint(i+1))
		sets[i] = []string{filepath.Join(out, fmt.Sprintf("institutions-%d.csv", year)), filepath.Join(out, fmt.Sprintf("students-%d.csv", year))}
		want[i] = fileSnapshot(t, sets[i][0], sets[i][1])
	}
	if want[0].equal(want[1]) {
		t.Fatal("the two data sets are the same")
	}
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	held := func(db string) int {
		t.Helper()
		got := dbSnapshot(t, db, pack.Tenant, year)
		for i, w := range want {
			if got.equal(w) {
				return i
			}
		}
		t.Fatalf("the database holds neither snapshot: %d institutions, %d with students (sets: %d/%d and %d/%d)",
			len(got.names), len(got.students), len(want[0].names), len(want[0].students), len(want[1].names), len(want[1].students))
		return -1
	}
	importArgs := func(db string, set int) []string {
		return append([]string{"import", "--db", db, "--progress", "never"}, sets[set]...)
	}

	db := filepath.Join(dir, "e.db")
	eduplan(importArgs(db, 0)...)
	if held(db) != 0 {
		t.Fatal("the first import did not store the first set")
	}
	// How long a replacing import takes, on a copy; the kills are spread over it.
	probe := filepath.Join(dir, "probe.db")
	copyFile(t, db, probe)
	start := time.Now()
	eduplan(importArgs(probe, 1)...)
	took := time.Since(start)
	if held(probe) != 1 {
		t.Fatal("the replacing import did not store the second set")
	}

	const points = 10
	holds, killed, outcomes := 0, 0, [2]int{}
	for i := range points {
		// From 5% of the import to past its end, where it may have committed.
		delay := took * time.Duration(5+12*i) / 100
		target := 1 - holds
		cmd := exec.Command(bin, importArgs(db, target)...)
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL) // an error if it has ended: then it is reaped below
		err := cmd.Wait()
		var ee *exec.ExitError
		wasKilled := errors.As(err, &ee) && ee.ProcessState.Sys().(syscall.WaitStatus).Signaled()
		if err != nil && !wasKilled {
			t.Fatalf("import %d: %v", i, err)
		}
		if wasKilled {
			killed++
		} else {
			// It ended before the kill: the points that follow are spread over the
			// shortest import seen, so that they fall within it.
			took = min(took, time.Since(start))
		}
		holds = held(db)
		outcomes[holds]++
		t.Logf("kill %d at %v of %v: killed %v, the database holds set %d (import of set %d)", i, delay.Round(time.Millisecond), took.Round(time.Millisecond), wasKilled, holds, target)
	}
	t.Logf("%d of %d imports killed; the database held set 0 %d times, set 1 %d times", killed, points, outcomes[0], outcomes[1])
	if killed == 0 {
		t.Error("every import ended before it was killed: the test checked nothing")
	}
}

// copyFile copies a database that no process has open, with its write-ahead log if
// one was left.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(from + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
