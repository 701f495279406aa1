package quality_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/quality"
	"github.com/yantai-edu/eduplan/internal/store"
)

// tiny returns a database holding testdata/tiny, and the built-in pack.
func tiny(t *testing.T) (*store.DB, *plan.Pack) {
	t.Helper()
	db, pack, _ := fixture.Tiny(t)
	return db, pack
}

func assess(t *testing.T, db *store.DB, pack *plan.Pack, scope plan.Scope) *quality.Report {
	t.Helper()
	ctx := context.Background()
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := quality.Assess(ctx, db, e, scope)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func find(rep *quality.Report, org string, year int, element string) *quality.Cell {
	for i, c := range rep.Cells {
		if c.Org == org && c.Year == year && c.Element == element {
			return &rep.Cells[i]
		}
	}
	return nil
}

func blocked(rep *quality.Report, org string, year int, ind string) *quality.Blocked {
	for i, b := range rep.Blocked {
		if b.Org == org && b.Year == year && b.Indicator == ind {
			return &rep.Blocked[i]
		}
	}
	return nil
}

// TestTiny checks the report of testdata/tiny against what its files hold, worked out
// by hand (batches: 1 institutions, 2 population, 3 students, 4 teachers, 5 facts, in
// the order ImportFiles applies kinds).
func TestTiny(t *testing.T) {
	db, pack := tiny(t)
	rep := assess(t, db, pack, pack.FullScope())
	if want := []int{2020, 2021, 2022, 2023, 2024, 2025}; !slices.Equal(rep.Years, want) {
		t.Errorf("years = %v, want %v", rep.Years, want)
	}
	// The city and 13 districts × 6 years × (4 rosters + the one reported element a
	// formula reads, working_age_schooling_years, + the pack's 6 record kinds).
	if len(rep.Cells) != 14*6*11 {
		t.Errorf("%d cells, want %d", len(rep.Cells), 14*6*11)
	}
	cells := []struct {
		org     string
		year    int
		element string
		status  string
		rows    int64
		batch   int64 // 0: none
		file    string
		blocks  string // Cell.BlocksText
	}{
		// 2020 students: 370602 K1 3, K2 2, P1 3, J1 3, R1 2, S1 2, V1 1, H1 2 = 18;
		// 370612 MK 1, M1 4 = 5; the city 23, but only 2 of its 13 districts: partial.
		{"370602", 2020, "students", quality.StatusPresent, 18, 3, "students.csv", ""},
		{"370612", 2020, "students", quality.StatusPresent, 5, 3, "students.csv", ""},
		{"370600", 2020, "students", quality.StatusPartial, 23, 3, "students.csv", ""},
		{"370612", 2020, "institutions", quality.StatusPresent, 2, 1, "institutions.csv", ""},
		{"370612", 2020, "population", quality.StatusPresent, 2, 2, "population.csv", ""}, // ages 4 and 40
		{"370602", 2020, "teachers", quality.StatusPresent, 13, 4, "teachers.csv", ""},
		// 370612 has no teachers in 2021: every teacher indicator is blocked there.
		{"370612", 2021, "teachers", quality.StatusMissing, 0, 0, "",
			"kg_teacher_preschool_major;compulsory_teacher_bachelor;urban_rural_bachelor_ratio;senior_teacher_master;vocational_dual_teacher"},
		{"370612", 2021, "students", quality.StatusPresent, 1, 3, "students.csv", ""}, // s25 at MK
		// No population in 2021 anywhere: both enrolment rates are blocked, the city's too.
		{"370600", 2021, "population", quality.StatusMissing, 0, 0, "", "kg_ger;senior_ger"},
		// Schooling years: reported for 370602 and 370612 in 2020, for the city in 2021.
		{"370602", 2020, "working_age_schooling_years", quality.StatusPresent, 1, 5, "facts.csv", ""},
		{"370600", 2021, "working_age_schooling_years", quality.StatusPresent, 1, 5, "facts.csv", ""},
		{"370602", 2021, "working_age_schooling_years", quality.StatusMissing, 0, 0, "", "working_age_schooling_years"},
		// A district with nothing: its students gap blocks retention twice, for 2021's
		// grade 9 and for 2013's grade-1 entrants (no fact reported for 370611).
		{"370611", 2021, "students", quality.StatusMissing, 0, 0, "",
			"kg_public_share;kg_ger;compulsory_enrolment;compulsory_retention;compulsory_retention@2013;senior_enrolment;senior_ger;higher_enrolment"},
		{"370611", 2021, "institutions", quality.StatusMissing, 0, 0, "", ""}, // no formula reads institutions()
	}
	for _, w := range cells {
		c := find(rep, w.org, w.year, w.element)
		if c == nil {
			t.Errorf("no cell %s %d %s", w.org, w.year, w.element)
			continue
		}
		if c.Status != w.status || c.Rows != w.rows || c.BlocksText() != w.blocks {
			t.Errorf("%s %d %s = %s, %d rows, blocks %q; want %s, %d, %q", w.org, w.year, w.element, c.Status, c.Rows, c.BlocksText(), w.status, w.rows, w.blocks)
		}
		switch {
		case w.batch == 0 && len(c.Batches) != 0:
			t.Errorf("%s %d %s: batches %+v, want none", w.org, w.year, w.element, c.Batches)
		case w.batch != 0 && (len(c.Batches) != 1 || c.Batches[0].ID != w.batch || c.Batches[0].File != w.file || c.Batches[0].ImportedAt.IsZero()):
			t.Errorf("%s %d %s: batches %+v, want batch %d %s", w.org, w.year, w.element, c.Batches, w.batch, w.file)
		}
	}
	if c := find(rep, "370612", 2021, "teachers"); c.Kind != "teachers" {
		t.Errorf("kind = %q", c.Kind)
	}
	if c := find(rep, "370602", 2021, "working_age_schooling_years"); c.Kind != "facts" {
		t.Errorf("kind = %q, want facts", c.Kind)
	}

	b := blocked(rep, "370612", 2021, "kg_teacher_preschool_major")
	if b == nil || len(b.Missing) != 2 || b.Missing[0].Call != `teachers("stage=preschool; preschool_major=true")` || b.Missing[1].Year != 2021 || b.Missing[1].Element != "teachers" {
		t.Errorf("370612 2021 kg_teacher_preschool_major blocked = %+v", b)
	}
	not := []struct {
		org  string
		year int
		ind  string
	}{
		{"370612", 2020, "kg_teacher_preschool_major"},  // computed: 100
		{"370612", 2020, "senior_ger"},                  // empty for 0/0, but no data is missing
		{"370612", 2020, "urban_rural_bachelor_ratio"},  // no urban teachers: a zero, not a gap
		{"370612", 2021, "compulsory_retention"},        // 2013 entrants reported: 0 / 2
		{"370600", 2021, "working_age_schooling_years"}, // reported at the city
		{"370600", 2021, "kg_public_share"},             // partial: computed from what is there
	}
	for _, n := range not {
		if b := blocked(rep, n.org, n.year, n.ind); b != nil {
			t.Errorf("%s %d %s blocked: %+v", n.org, n.year, n.ind, b)
		}
	}
	// Indicators only defined for the city and districts are never listed for institutions,
	// and 370612's 2021: 5 teacher indicators, 2 rates for want of population, schooling years.
	n := 0
	for _, b := range rep.Blocked {
		if b.Org == "370612" && b.Year == 2021 {
			n++
		}
	}
	if n != 8 {
		t.Errorf("370612 2021: %d indicators blocked, want 8", n)
	}
}

// TestWarningsAndReplacement imports a corrected population of 370602 for 2021 with an
// unknown column (one warning): the cell shows the batch and its warning, and kg_ger is
// no longer blocked there.
func TestWarningsAndReplacement(t *testing.T) {
	ctx := context.Background()
	db, pack := tiny(t)
	p := filepath.Join(t.TempDir(), "pop-2021.csv")
	os.WriteFile(p, []byte("year,district,age,count,备注\n2021,370602,3,2,\n2021,370602,4,2,\n2021,370602,5,2,\n"), 0o644)
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Batches[0].Warnings != 1 {
		t.Fatalf("batch warnings = %d, want 1", res.Batches[0].Warnings)
	}
	rep := assess(t, db, pack, pack.FullScope())
	c := find(rep, "370602", 2021, "population")
	if c.Status != quality.StatusPresent || c.Rows != 3 || c.Warnings != 1 || len(c.Batches) != 1 || c.Batches[0].ID != 6 || c.Batches[0].File != "pop-2021.csv" {
		t.Errorf("370602 2021 population = %+v", c)
	}
	if b := blocked(rep, "370602", 2021, "kg_ger"); b != nil {
		t.Errorf("kg_ger still blocked: %+v", b)
	}
	if b := blocked(rep, "370602", 2021, "senior_ger"); b != nil {
		t.Errorf("senior_ger blocked though population is there (0 aged 15–17 is a zero, not a gap): %+v", b)
	}
	if c := find(rep, "370600", 2021, "population"); c.Status != quality.StatusPartial || c.Warnings != 1 {
		t.Errorf("city 2021 population = %+v, want partial with the batch's warning", c)
	}
}

func TestScope(t *testing.T) {
	ctx := context.Background()
	db, pack := tiny(t)
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	district := plan.Scope{Tenant: pack.Tenant, Org: "370612", Detail: plan.Aggregates}
	rep, err := quality.Assess(ctx, db, e, district)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Cells {
		if c.Org != "370612" {
			t.Fatalf("a district's scope sees %s", c.Org)
		}
	}
	for _, b := range rep.Blocked {
		if b.Org != "370612" {
			t.Fatalf("a district's scope sees %s blocked", b.Org)
		}
	}
	tests := []struct {
		scope plan.Scope
		code  string
	}{
		{plan.Scope{Tenant: pack.Tenant, Org: pack.Tenant, Detail: plan.Public}, plan.EFORBIDDEN},
		{plan.Scope{Tenant: "110000", Org: "110000", Detail: plan.Records}, plan.EFORBIDDEN},
		{plan.Scope{Tenant: pack.Tenant, Org: "999999", Detail: plan.Records}, plan.ENOTFOUND},
	}
	for _, tt := range tests {
		if _, err := quality.Assess(ctx, db, e, tt.scope); plan.ErrorCode(err) != tt.code {
			t.Errorf("scope %+v: err = %v, want %s", tt.scope, err, tt.code)
		}
	}
	// A school clerk (scope: institution K1 of 370602) sees the quality of the district
	// its files feed, and only that.
	clerk, err := quality.Assess(ctx, db, e, plan.Scope{Tenant: pack.Tenant, Org: "K1", Detail: plan.Records})
	if err != nil || len(clerk.Cells) == 0 {
		t.Fatalf("clerk's quality: %v, %d cells", err, len(clerk.Cells))
	}
	for _, c := range clerk.Cells {
		if c.Org != "370602" {
			t.Fatalf("K1's clerk sees %s", c.Org)
		}
	}
}

func TestWriteCSV(t *testing.T) {
	db, pack := tiny(t)
	rep := assess(t, db, pack, plan.Scope{Tenant: pack.Tenant, Org: "370612", Detail: plan.Aggregates})
	var b strings.Builder
	if err := quality.WriteCSV(&b, rep); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if lines[0] != "org,year,kind,element,status,rows,batches,files,imported_at,warnings,cannot_compute,origins" {
		t.Errorf("header = %s", lines[0])
	}
	if len(lines) != 1+6*11+1 {
		t.Errorf("%d lines, want %d", len(lines), 1+6*11+1)
	}
	want := "370612,2021,teachers,teachers,missing,0,,,,0,kg_teacher_preschool_major;compulsory_teacher_bachelor;urban_rural_bachelor_ratio;senior_teacher_master;vocational_dual_teacher,"
	if !slices.Contains(lines, want) {
		t.Errorf("no line %s in\n%s", want, b.String())
	}
	if !strings.HasPrefix(lines[2], "370612,2020,students,students,present,5,3,students.csv,20") {
		t.Errorf("line 3 = %s", lines[2])
	}
}

// TestDeclaredKinds: each record kind the pack declares has its cell per org and year,
// with the rows of its files (testdata/kinds: screening 12 rows in 370602 and 3 in
// 370612; tutoring 2 and 1 providers).
func TestDeclaredKinds(t *testing.T) {
	db, pack, _ := fixture.Kinds(t)
	rep := assess(t, db, pack, pack.FullScope())
	tests := []struct {
		org, element, status string
		rows                 int64
		file                 string
	}{
		{"370602", "screening", quality.StatusPresent, 12, "screening.csv"},
		{"370612", "screening", quality.StatusPresent, 3, "screening.csv"},
		{"370600", "screening", quality.StatusPartial, 15, "screening.csv"},
		{"370602", "service", quality.StatusPresent, 4, "service.csv"},
		{"370612", "tutoring", quality.StatusPresent, 1, "tutoring.csv"},
		{"370613", "tutoring", quality.StatusMissing, 0, ""},
	}
	for _, tt := range tests {
		c := find(rep, tt.org, 2020, tt.element)
		if c == nil {
			t.Errorf("no cell for %s %s", tt.org, tt.element)
			continue
		}
		file := ""
		if len(c.Batches) > 0 {
			file = c.Batches[0].File
		}
		if c.Kind != tt.element || c.Status != tt.status || c.Rows != tt.rows || file != tt.file {
			t.Errorf("%s %s = %s %s, %d rows from %q; want %s, %d from %q", tt.org, tt.element, c.Kind, c.Status, c.Rows, file, tt.status, tt.rows, tt.file)
		}
	}
}

// TestOrigins: the grid says, per district and year, whether students come from a
// roster, school tables or a reported total; the city, from all that its districts have.
func TestOrigins(t *testing.T) {
	ctx := context.Background()
	db, pack := tiny(t)
	dir := t.TempDir()
	table := filepath.Join(dir, "kg_students.csv")
	os.WriteFile(table, []byte("年份,学校标识码,小班男,小班女,中班男,中班女,大班男,大班女\n2020,MK,1,1,1,1,1,1\n"), 0o644)
	facts := filepath.Join(dir, "facts.csv")
	os.WriteFile(facts, []byte("year,org,element,dims,value\n2021,370613,students,stage=preschool,300\n"), 0o644)
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{table, facts}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	rep := assess(t, db, pack, pack.FullScope())
	tests := []struct {
		org     string
		year    int
		status  string
		origins string
	}{
		{"370602", 2020, quality.StatusPresent, "roster"},
		{"370612", 2020, quality.StatusPresent, "school"},
		{"370613", 2021, quality.StatusPresent, "district"},
		{"370600", 2020, quality.StatusPartial, "roster,school"},
		{"370600", 2021, quality.StatusPartial, "roster,district"},
	}
	for _, tt := range tests {
		i := slices.IndexFunc(rep.Cells, func(c quality.Cell) bool {
			return c.Org == tt.org && c.Year == tt.year && c.Element == "students"
		})
		if c := rep.Cells[i]; c.Status != tt.status || strings.Join(c.Origins, ",") != tt.origins {
			t.Errorf("students %s %d: %s from %v, want %s from %s", tt.org, tt.year, c.Status, c.Origins, tt.status, tt.origins)
		}
	}
}
