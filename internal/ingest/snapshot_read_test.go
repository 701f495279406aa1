package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/yantai-edu/eduplan/internal/cube"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/ingest"
)

// districtYear writes an institutions and a students file for one district's year:
// schools primary schools of students pupils each. The institutions' codes are
// prefix0001, prefix0002...
func districtYear(t *testing.T, dir, name, district, prefix string, year, schools, students int) []string {
	t.Helper()
	var inst, stud strings.Builder
	inst.WriteString("year,code,name,district,type,ownership,inclusive,location\n")
	stud.WriteString("year,student_id,institution,stage,grade,sex\n")
	for i := 1; i <= schools; i++ {
		code := fmt.Sprintf("%s%04d", prefix, i)
		fmt.Fprintf(&inst, "%d,%s,%s 第%d小学,%s,primary,public,,urban\n", year, code, name, i, district)
		for j := 1; j <= students; j++ {
			fmt.Fprintf(&stud, "%d,%s-%d,%s,primary,%d,%s\n", year, code, j, code, 1+j%6, []string{"M", "F"}[j%2])
		}
	}
	files := []string{filepath.Join(dir, name+"-institutions.csv"), filepath.Join(dir, name+"-students.csv")}
	for i, s := range []string{inst.String(), stud.String()} {
		if err := os.WriteFile(files[i], []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// TestReadersSeeOneSnapshot loads the cube, as the indicator engine does, over and over
// while imports replace a district's year (institutions and students in one
// import) back and forth: every load must see the district's old year whole or its
// new year whole, and the other district as it is.
func TestReadersSeeOneSnapshot(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pack := testPack(t)
	db, _ := fixture.NewDB(t)

	const year = 2021
	// 福山区 (370611) is replaced: old, 600 schools of 5 pupils = 3,000 pupils; new, 601
	// schools of 6 pupils = 3,606 pupils. 芝罘区 (370602) stays: 10 schools of 10
	// pupils = 100.
	type counts struct{ schools, pupils int }
	old, replacement, other := counts{600, 3000}, counts{601, 3606}, counts{10, 100}
	oldFiles := districtYear(t, dir, "old", "370611", "F", year, 600, 5)
	newFiles := districtYear(t, dir, "new", "370611", "F", year, 601, 6)
	otherFiles := districtYear(t, dir, "other", "370602", "Z", year, 10, 10)
	importFiles := func(files []string) error {
		res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), files, ingest.Options{})
		if err != nil {
			return err
		}
		if len(res.Skipped) > 0 {
			return fmt.Errorf("skipped %v", res.Skipped)
		}
		return nil
	}
	if err := importFiles(append(oldFiles, otherFiles...)); err != nil {
		t.Fatal(err)
	}

	read := func() (counts, counts, error) {
		c, err := cube.Load(ctx, db, pack)
		if err != nil {
			return counts{}, counts{}, err
		}
		of := func(district string) counts {
			return counts{len(c.InstitutionCodes(year, district)), int(c.Get("students", district, year, nil).Value)}
		}
		return of("370611"), of("370602"), nil
	}
	if got, o, err := read(); err != nil || got != old || o != other {
		t.Fatalf("before: %v %v %v", got, o, err)
	}

	var done atomic.Bool
	var wg sync.WaitGroup
	var seen [2]atomic.Int64 // reads of the old and of the new year
	for range 2 {
		wg.Go(func() {
			for !done.Load() {
				got, o, err := read()
				switch {
				case err != nil:
					t.Error(err)
					return
				case o != other:
					t.Errorf("370602 changed: %+v", o)
				case got == old:
					seen[0].Add(1)
				case got == replacement:
					seen[1].Add(1)
				default:
					t.Errorf("a mixture: %+v schools and pupils of 370611 (old %+v, new %+v)", got, old, replacement)
					return
				}
			}
		})
	}
	const rounds = 8
	for i := range rounds {
		files := newFiles
		if i%2 == 1 {
			files = oldFiles
		}
		if err := importFiles(files); err != nil {
			t.Error(err)
			break
		}
	}
	done.Store(true)
	wg.Wait()
	t.Logf("%d reads of the old year, %d of the new, during %d imports", seen[0].Load(), seen[1].Load(), rounds)
	if got, _, err := read(); err != nil || got != old {
		t.Errorf("after: %+v %v", got, err)
	}
}
