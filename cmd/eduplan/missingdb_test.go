package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
)

// TestReadCommandMissingDB: a read command given a database file that does not exist
// says so and exits non-zero, and leaves no file behind (a mistyped --db used to
// create an empty database and report 无数据).
func TestReadCommandMissingDB(t *testing.T) {
	for _, args := range [][]string{
		{"values"},
		{"progress"},
		{"scorecard"},
		{"review"},
		{"projects"},
		{"quality"},
		{"tasks", "list"},
		{"audit"},
		{"user", "list"},
		{"plan", "draft", "--out", filepath.Join(t.TempDir(), "draft")},
	} {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "typo.db")
			_, _, err := run(t, append(args, "--db", db)...)
			code, msg := exitStatus(err)
			if code == 0 {
				t.Fatalf("err = %v, want a non-zero exit", err)
			}
			if !strings.Contains(msg, db) || !strings.Contains(msg, "不存在") || !strings.Contains(msg, "does not exist") {
				t.Errorf("message %q does not say the file is missing", msg)
			}
			if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s was created", db)
			}
		})
	}
}

// TestWriteCommandCreatesDB: import and user add may create the database.
func TestWriteCommandCreatesDB(t *testing.T) {
	db := filepath.Join(t.TempDir(), "new.db")
	if _, stderr, err := run(t, append([]string{"import", "--db", db}, tinyArgs()...)...); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	db2 := filepath.Join(t.TempDir(), "new2.db")
	if _, stderr, err := run(t, "user", "add", "--db", db2, "--name", "ana", "--role", "analyst", "--org", "370600"); err != nil {
		t.Fatalf("user add: %v\n%s", err, stderr)
	}
}

// TestImportDryRunCLI: import --dry-run says what would be replaced and changes
// nothing; a file dropping most of a snapshot is refused without --allow-shrink.
func TestImportDryRunCLI(t *testing.T) {
	db := tinyDB(t)
	var full, short strings.Builder
	full.WriteString("year,district,age,count\n")
	short.WriteString("year,district,age,count\n")
	for age := range 100 {
		fmt.Fprintf(&full, "2020,370602,%d,10\n", age)
		if age < 8 {
			fmt.Fprintf(&short, "2020,370602,%d,10\n", age)
		}
	}
	fullPath, shortPath := filepath.Join(t.TempDir(), "population.csv"), filepath.Join(t.TempDir(), "population-8.csv")
	writeFile(t, fullPath, full.String())
	writeFile(t, shortPath, short.String())
	if _, stderr, err := run(t, "import", "--db", db, fullPath); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	values := func() string {
		out, _, err := run(t, "values", "--db", db, "--format", "csv")
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := values()
	out, stderr, err := run(t, "import", "--db", db, "--dry-run", shortPath)
	if err != nil || !strings.Contains(out, "100 rows of Zhifu District (370602) 2020 population → 8") || !strings.Contains(out, "dry run") {
		t.Fatalf("dry run: %v\n%s%s", err, out, stderr)
	}
	if values() != before {
		t.Error("a dry run changed the values")
	}
	_, stderr, err = run(t, "import", "--db", db, shortPath)
	if exitCode(err) != 1 || !strings.Contains(stderr, "--allow-shrink") {
		t.Fatalf("a shrinking import: %v\n%s", err, stderr)
	}
	if out, stderr, err = run(t, "import", "--db", db, "--allow-shrink", shortPath); err != nil || !strings.Contains(out, "replaced") {
		t.Fatalf("--allow-shrink: %v\n%s%s", err, out, stderr)
	}
}

// TestImportDryRunRoster: a dry run over a roster says what the import then does, in
// the conditional: the file's rows, and each district's rows before and after, a
// district that held none "added" to rather than "replaced" (it said "would replace
// 0 rows → 3", with no word of the rows read). Its lines are the import's own, the
// verbs and the batch number aside.
func TestImportDryRunRoster(t *testing.T) {
	db := fixture.NewDBName(t)
	insts := fixture.TinyFiles()[0]
	if !strings.HasSuffix(insts, "institutions.csv") {
		t.Fatalf("the tiny data's first file is %s", insts)
	}
	if _, stderr, err := run(t, "import", "--db", db, insts); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	// 芝罘 K1 3, 牟平 MK 1: both new; then 芝罘 P1 1 in place of K1's 3, 牟平 MK 1 again.
	add := filepath.Join(t.TempDir(), "students.csv")
	writeFile(t, add, "year,student_id,institution,stage,grade,sex\n"+
		"2020,s1,K1,preschool,1,M\n2020,s2,K1,preschool,2,F\n2020,s3,K1,preschool,3,F\n2020,s4,MK,preschool,1,M\n")
	replace := filepath.Join(t.TempDir(), "students-2.csv")
	writeFile(t, replace, "year,student_id,institution,stage,grade,sex\n"+
		"2020,s5,P1,primary,1,M\n2020,s4,MK,preschool,1,M\n")
	lines := func(out string) []string {
		var ls []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if !strings.HasPrefix(l, "用时 took") && !strings.HasPrefix(l, "试运行") {
				ls = append(ls, l)
			}
		}
		return ls
	}
	for _, tt := range []struct {
		file string
		want []string // the dry run's lines
	}{{add, []string{
		"将新增 would add 芝罘区（370602）2020 年学生名册：0 行 → 3 行 / 0 rows of Zhifu District (370602) 2020 students → 3",
		"将新增 would add 牟平区（370612）2020 年学生名册：0 行 → 1 行 / 0 rows of Muping District (370612) 2020 students → 1",
		"将导入 would import students.csv: students, 4 行 rows, years [2020], districts [370602 370612], 0 条警告 warnings",
	}}, {replace, []string{
		"将替换 would replace 芝罘区（370602）2020 年学生名册：3 行 → 1 行 / 3 rows of Zhifu District (370602) 2020 students → 1",
		"将替换 would replace 牟平区（370612）2020 年学生名册：1 行 → 1 行 / 1 rows of Muping District (370612) 2020 students → 1",
		"将导入 would import students-2.csv: students, 2 行 rows, years [2020], districts [370602 370612], 0 条警告 warnings",
	}}} {
		dry, stderr, err := run(t, "import", "--db", db, "--dry-run", tt.file)
		if err != nil {
			t.Fatalf("dry run: %v\n%s", err, stderr)
		}
		if got := lines(dry); !slices.Equal(got, tt.want) {
			t.Errorf("dry run of %s:\n%s\nwant\n%s", filepath.Base(tt.file), strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
		real, stderr, err := run(t, "import", "--db", db, tt.file)
		if err != nil {
			t.Fatalf("import: %v\n%s", err, stderr)
		}
		var want []string
		for _, l := range tt.want {
			l = strings.NewReplacer("将新增 would add", "新增 added", "将替换 would replace", "替换 replaced", "将导入 would import", "已导入 imported").Replace(l)
			want = append(want, l)
		}
		got := lines(real)
		for i, l := range got { // the batch made
			if j := strings.Index(l, ", 批次 batch "); j >= 0 {
				k := strings.Index(l[j+2:], ",")
				got[i] = l[:j] + l[j+2+k:]
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("import of %s, its batch number aside:\n%s\nwant, as the dry run said\n%s", filepath.Base(tt.file), strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
