package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/store"
)

const rosterTenant = "370600"

// putRoster stores a students snapshot of 2020 for a district as a batch of its own:
// ids are "id@institution".
func putRoster(t *testing.T, db *store.DB, district string, ids ...string) {
	t.Helper()
	ctx := context.Background()
	err := db.Write(ctx, rosterTenant, func(tx *store.Tx) error {
		b := &store.Batch{Kind: store.KindStudents, File: district + ".csv", SHA256: district + strings.Join(ids, ",")}
		if err := tx.NewBatch(ctx, b); err != nil {
			return err
		}
		if _, err := tx.TakeScope(ctx, store.KindStudents, 2020, district, "", b.ID); err != nil {
			return err
		}
		var l store.RosterIDs
		for _, s := range ids {
			id, inst, _ := strings.Cut(s, "@")
			l.Add(id, inst)
		}
		if err := tx.PutRosterIDs(ctx, store.KindStudents, 2020, district, b.ID, &l); err != nil {
			return err
		}
		return tx.FinishBatch(ctx, b, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// stored returns the stored students of 2020 as "id@institution/district", sorted.
func storedStudents(t *testing.T, db *store.DB) []string {
	t.Helper()
	var out []string
	err := db.EachRosterID(context.Background(), rosterTenant, store.KindStudents, 2020, func(id, district, inst string) error {
		out = append(out, id+"@"+inst+"/"+district)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func TestRosterIDs(t *testing.T) { store.EachDialect(t, testRosterIDs) }

func testRosterIDs(t *testing.T, path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// Ids may hold any byte: the separators of the stored form, digits, Chinese, and
	// institutions come back with their own ids whatever order they were added in.
	putRoster(t, db, "370602", "s1@K1", "s2@K2", "12:x@K1", "@3:y@K2", "学生一@K1", "s3@K1")
	putRoster(t, db, "370612", "m1@M1", "m2@M1")
	want := []string{"12:x@K1/370602", "@3:y@K2/370602", "m1@M1/370612", "m2@M1/370612", "s1@K1/370602", "s2@K2/370602", "s3@K1/370602", "学生一@K1/370602"}
	if got := storedStudents(t, db); !slices.Equal(got, want) {
		t.Errorf("stored = %q\nwant %q", got, want)
	}

	// A new snapshot of 370612 replaces its ids only.
	putRoster(t, db, "370612", "m3@M2")
	want = []string{"12:x@K1/370602", "@3:y@K2/370602", "m3@M2/370612", "s1@K1/370602", "s2@K2/370602", "s3@K1/370602", "学生一@K1/370602"}
	if got := storedStudents(t, db); !slices.Equal(got, want) {
		t.Errorf("after replacing 370612: %q\nwant %q", got, want)
	}
}

func TestRosterClashes(t *testing.T) { store.EachDialect(t, testRosterClashes) }

func testRosterClashes(t *testing.T, path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	putRoster(t, db, "370602", "s1@K1", "s2@K2", "s3@K1")
	putRoster(t, db, "370612", "m1@M1")

	tests := []struct {
		name string
		take string // the district whose snapshot the new lists replace, if any
		// lists are the new rosters, each of "id@institution"
		lists [][]string
		want  []string // "list/index: district institution"
	}{
		{"no clash", "", [][]string{{"n1@X", "n2@X"}}, nil},
		{"held in another district", "370612", [][]string{{"m1@M1", "s2@M1", "s1@M1"}},
			[]string{"0/1: 370602 K2", "0/2: 370602 K1"}},
		{"two new lists", "", [][]string{{"x@A", "s3@A"}, {"m1@B"}}, []string{"0/1: 370602 K1", "1/0: 370612 M1"}},
		{"the replaced snapshot holds it", "370602", [][]string{{"s1@K1", "s2@K1"}}, nil},
		{"replaced, but another holds it", "370602", [][]string{{"s1@K1", "m1@K1"}}, []string{"0/1: 370612 M1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			rollback := fmt.Errorf("roll back")
			err := db.Write(ctx, rosterTenant, func(tx *store.Tx) error {
				if tt.take != "" {
					if _, err := tx.TakeScope(ctx, store.KindStudents, 2020, tt.take, "", 99); err != nil {
						return err
					}
				}
				var lists []*store.RosterIDs
				for _, ids := range tt.lists {
					l := &store.RosterIDs{}
					for _, s := range ids {
						id, inst, _ := strings.Cut(s, "@")
						l.Add(id, inst)
					}
					lists = append(lists, l)
				}
				clashes, err := tx.RosterClashes(ctx, store.KindStudents, 2020, lists)
				if err != nil {
					return err
				}
				for _, c := range clashes {
					got = append(got, fmt.Sprintf("%d/%d: %s %s", c.List, c.Index, c.District, c.Institution))
				}
				// Another year and the other kind hold nothing.
				if c, err := tx.RosterClashes(ctx, store.KindStudents, 2021, lists); err != nil || len(c) > 0 {
					t.Errorf("2021: %v, %v", c, err)
				}
				if c, err := tx.RosterClashes(ctx, store.KindTeachers, 2020, lists); err != nil || len(c) > 0 {
					t.Errorf("teachers: %v, %v", c, err)
				}
				return rollback
			})
			if err != rollback {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("clashes = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestMigrateRosterRows makes a database as eduplan made it before migration 005 (a
// row per student and teacher) and checks that opening it moves those rows into
// roster_ids, where the import's checks find them.
func TestMigrateRosterRows(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"001_init.sql", "002_batch_warnings.sql"} {
		b, err := os.ReadFile(filepath.Join("migrations", "sqlite", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := old.Exec(string(b)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := old.Exec(`INSERT INTO schema_migrations VALUES (?, '2026-01-01T00:00:00Z')`, name); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		`INSERT INTO students (tenant, year, student_id, institution, district, stage, grade, sex, batch_id) VALUES
			('370600', 2020, 's2', 'K1', '370602', 'preschool', 1, 'F', 1),
			('370600', 2020, 's1', 'K1', '370602', 'preschool', 1, 'M', 1),
			('370600', 2020, 'id:with@odd:bytes', 'P1', '370602', 'primary', 1, 'M', 1),
			('370600', 2020, '学生', 'M1', '370612', 'primary', 1, 'M', 2),
			('370600', 2021, 's1', 'K1', '370602', 'preschool', 2, 'M', 3)`,
		`INSERT INTO teachers (tenant, year, teacher_id, institution, district, stage, sex, education, batch_id) VALUES
			('370600', 2020, 't1', 'K1', '370602', 'preschool', 'F', 'bachelor', 4)`,
	} {
		if _, err := old.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()

	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatalf("open the old database: %v", err)
	}
	defer db.Close()
	want := []string{"id:with@odd:bytes@P1/370602", "s1@K1/370602", "s2@K1/370602", "学生@M1/370612"}
	if got := storedStudents(t, db); !slices.Equal(got, want) {
		t.Errorf("2020 students = %q\nwant %q", got, want)
	}
	var teachers []string
	db.EachRosterID(ctx, rosterTenant, store.KindTeachers, 2020, func(id, district, inst string) error {
		teachers = append(teachers, id+"@"+inst+"/"+district)
		return nil
	})
	if !slices.Equal(teachers, []string{"t1@K1/370602"}) {
		t.Errorf("2020 teachers = %q", teachers)
	}
	// The moved ids are what the duplicate check reads.
	err = db.Write(ctx, rosterTenant, func(tx *store.Tx) error {
		var l store.RosterIDs
		l.Add("学生", "K9")
		l.Add("s1", "K9")
		c, err := tx.RosterClashes(ctx, store.KindStudents, 2020, []*store.RosterIDs{&l})
		if err != nil {
			return err
		}
		if len(c) != 2 || c[0].Institution != "M1" || c[0].District != "370612" || c[1].Institution != "K1" {
			t.Errorf("clashes = %+v", c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The rows per person are gone, and their tables with them.
	if err := db.Write(ctx, rosterTenant, func(tx *store.Tx) error {
		_, err := tx.RosterClashes(ctx, store.KindStudents, 2021, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	raw, _ := sql.Open("sqlite", "file:"+path+"?mode=ro")
	defer raw.Close()
	var n int
	raw.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name IN ('students', 'teachers')`).Scan(&n)
	if n != 0 {
		t.Errorf("%d of the students and teachers tables are still there", n)
	}
	var rows int
	raw.QueryRow(`SELECT rows FROM roster_ids WHERE kind = 'students' AND year = 2020 AND district = '370602'`).Scan(&rows)
	if rows != 3 {
		t.Errorf("rows of 370602's 2020 students = %d, want 3", rows)
	}
}

// TestRosterIDsGrowth: adding a large roster's ids allocates at most four times their
// size (doubling: the last array at most twice, all before it as much again), not the
// five and more of growing by a quarter at a time, whose every new page is a fault.
func TestRosterIDsGrowth(t *testing.T) {
	if store.RaceEnabled {
		t.Skip("the race detector allocates memory of its own")
	}
	const n = 200_000
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("S%012X", i)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	insts := []string{"3706020001", "3706020002"}
	var l store.RosterIDs
	for i, id := range ids {
		l.Add(id, insts[i/100_000])
	}
	runtime.ReadMemStats(&after)
	size := n * (13 + 4 + 4) // each id, where it ends, its institution
	if got := after.TotalAlloc - before.TotalAlloc; got > uint64(4*size) {
		t.Errorf("%d ids of %d bytes in all allocated %.1f MB, want at most four times that", n, size, float64(got)/1e6)
	}
}

// TestPutRosters stores the rosters of many districts at once, compressed on several
// goroutines, and reads back each district's ids at their institutions.
func TestPutRosters(t *testing.T) { store.EachDialect(t, testPutRosters) }

func testPutRosters(t *testing.T, path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var want []string
	var rosters []store.Roster
	for d := range 13 {
		district := fmt.Sprint(370602 + d)
		r := store.Roster{Year: 2020, District: district, IDs: &store.RosterIDs{}}
		for i := range 50 * (d + 1) {
			id, inst := fmt.Sprintf("s%d-%d", d, i), fmt.Sprintf("K%d-%d", d, i%7)
			r.IDs.Add(id, inst)
			want = append(want, id+"@"+inst+"/"+district)
		}
		rosters = append(rosters, r)
	}
	slices.Sort(want)
	err = db.Write(ctx, rosterTenant, func(tx *store.Tx) error {
		b := &store.Batch{Kind: store.KindStudents, File: "all.csv", SHA256: "all"}
		if err := tx.NewBatch(ctx, b); err != nil {
			return err
		}
		for _, r := range rosters {
			if _, err := tx.TakeScope(ctx, store.KindStudents, 2020, r.District, "", b.ID); err != nil {
				return err
			}
		}
		if err := tx.PutRosters(ctx, store.KindStudents, b.ID, rosters, nil); err != nil {
			return err
		}
		return tx.FinishBatch(ctx, b, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := storedStudents(t, db); !slices.Equal(got, want) {
		t.Errorf("stored %d ids, want %d; first %q, want %q", len(got), len(want), got[:min(3, len(got))], want[:3])
	}
}
