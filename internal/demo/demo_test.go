package demo_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/yantai-edu/eduplan/internal/demo"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// The tests read the generated files back as a user's script would, count rows with the
// definitions of spec/indicators.md written out again here, and compare with the plan.
// They use no other eduplan package, so that the generator is checked independently.

// tally is what one district (or the city, summed) counts in one year.
type tally struct {
	preschool, preschoolPublic   int
	compulsory, grade9, grade1   int
	compulsoryPublic             int
	senior, higher, special      int
	kgTeachers, kgMajor          int
	compTeachers, compBachelor   [3]int // by location: urban, town, rural
	seniorTeachers, seniorMaster int
	vocTeachers, vocDual         int
	p35, p1517, p1659            int
	students, teachers           int
	entrants8                    float64 // reported grade-1 entrants 8 years before
	entrantsKnown                bool
	schooling                    float64 // reported working_age_schooling_years
	schoolingKnown               bool
}

func (t *tally) add(o *tally) {
	t.preschool += o.preschool
	t.preschoolPublic += o.preschoolPublic
	t.compulsory += o.compulsory
	t.compulsoryPublic += o.compulsoryPublic
	t.grade9 += o.grade9
	t.grade1 += o.grade1
	t.senior += o.senior
	t.higher += o.higher
	t.special += o.special
	t.kgTeachers += o.kgTeachers
	t.kgMajor += o.kgMajor
	for i := range 3 {
		t.compTeachers[i] += o.compTeachers[i]
		t.compBachelor[i] += o.compBachelor[i]
	}
	t.seniorTeachers += o.seniorTeachers
	t.seniorMaster += o.seniorMaster
	t.vocTeachers += o.vocTeachers
	t.vocDual += o.vocDual
	t.p35 += o.p35
	t.p1517 += o.p1517
	t.p1659 += o.p1659
	t.students += o.students
	t.teachers += o.teachers
	t.entrants8 += o.entrants8
	t.entrantsKnown = t.entrantsKnown || o.entrantsKnown
}

// value computes an indicator of spec/indicators.md from a tally; ok is false where
// the indicator cannot be computed. Shares are written as 100·a/b, as the plan's
// formulas are.
func (t *tally) value(code string) (v float64, ok bool) {
	div := func(a, b float64) (float64, bool) {
		if b == 0 {
			return 0, false
		}
		return a / b, true
	}
	pct := func(a, b int) (float64, bool) { return div(100*float64(a), float64(b)) }
	switch code {
	case "kg_public_share":
		return pct(t.preschoolPublic, t.preschool)
	case "kg_ger":
		return pct(t.preschool, t.p35)
	case "compulsory_enrolment":
		return float64(t.compulsory) / 10000, true
	case "compulsory_retention":
		if !t.entrantsKnown {
			return 0, false
		}
		return div(100*float64(t.grade9), t.entrants8)
	case "senior_enrolment":
		return float64(t.senior) / 10000, true
	case "senior_ger":
		return pct(t.senior, t.p1517)
	case "higher_enrolment":
		return float64(t.higher) / 10000, true
	case "kg_teacher_preschool_major":
		return pct(t.kgMajor, t.kgTeachers)
	case "compulsory_teacher_bachelor":
		b, n := t.compBachelor, t.compTeachers
		return pct(b[0]+b[1]+b[2], n[0]+n[1]+n[2])
	case "urban_rural_bachelor_ratio":
		u, ok1 := div(float64(t.compBachelor[0]), float64(t.compTeachers[0]))
		r, ok2 := div(float64(t.compBachelor[2]), float64(t.compTeachers[2]))
		if !ok1 || !ok2 {
			return 0, false
		}
		return div(u, r)
	case "senior_teacher_master":
		return pct(t.seniorMaster, t.seniorTeachers)
	case "vocational_dual_teacher":
		return pct(t.vocDual, t.vocTeachers)
	case "working_age_schooling_years":
		return t.schooling, t.schoolingKnown
	}
	panic("unknown indicator " + code)
}

// person is a student or teacher as seen in one year.
type person struct {
	stage string
	grade int
	inst  string
}

// dataset is a generated directory read back.
type dataset struct {
	dir     string
	years   []int
	tallies map[int]map[string]*tally   // year → district → tally
	insts   map[int]map[string][]string // year → code → row (name, district, type, ownership, inclusive, location)
	// students and teachers by id, by year (kept only when asked for).
	students, teachers map[int]map[string]person
}

// readCSV calls row for every data row of a file, with cells looked up by column name.
func readCSV(t *testing.T, path string, row func(get func(string) string)) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	idx := map[string]int{}
	for i, h := range header {
		idx[h] = i
	}
	var rec []string
	get := func(col string) string {
		i, ok := idx[col]
		if !ok {
			t.Fatalf("%s: no column %q", path, col)
		}
		return rec[i]
	}
	for {
		rec, err = r.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		row(get)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%q is not an integer", s)
	}
	return n
}

var locIndex = map[string]int{"urban": 0, "town": 1, "rural": 2}

// load reads a generated directory; withPeople keeps every student's and teacher's id.
func load(t *testing.T, pack *plan.Pack, dir string, years []int, withPeople bool) *dataset {
	t.Helper()
	ds := &dataset{dir: dir, years: years, tallies: map[int]map[string]*tally{}, insts: map[int]map[string][]string{},
		students: map[int]map[string]person{}, teachers: map[int]map[string]person{}}
	for _, y := range years {
		tl := map[string]*tally{}
		for _, d := range pack.Districts() {
			tl[d.Code] = &tally{}
		}
		ds.tallies[y] = tl
		insts := map[string][]string{}
		ds.insts[y] = insts
		file := func(kind string) string { return filepath.Join(dir, fmt.Sprintf("%s-%d.csv", kind, y)) }
		readCSV(t, file("institutions"), func(get func(string) string) {
			if atoi(t, get("year")) != y {
				t.Fatalf("institutions-%d: year %s", y, get("year"))
			}
			code := get("code")
			if _, dup := insts[code]; dup {
				t.Errorf("institutions-%d: code %s twice", y, code)
			}
			if tl[get("district")] == nil {
				t.Errorf("institutions-%d: %s in unknown district %s", y, code, get("district"))
			}
			insts[code] = []string{get("name"), get("district"), get("type"), get("ownership"), get("inclusive"),
				get("location"), get("lat"), get("lon")}
		})
		inst := func(kind, code string) []string {
			in := insts[code]
			if in == nil {
				t.Fatalf("%s-%d: institution %s is not in institutions-%d.csv", kind, y, code, y)
			}
			return in
		}
		if withPeople {
			ds.students[y], ds.teachers[y] = map[string]person{}, map[string]person{}
		}
		readCSV(t, file("students"), func(get func(string) string) {
			in := inst("students", get("institution"))
			d := tl[in[1]]
			st, grade := get("stage"), atoi(t, get("grade"))
			d.students++
			switch st {
			case "preschool":
				d.preschool++
				if in[3] == "public" {
					d.preschoolPublic++
				}
			case "primary", "junior":
				d.compulsory++
				if in[3] == "public" {
					d.compulsoryPublic++
				}
				if st == "junior" && grade == 9 {
					d.grade9++
				}
				if st == "primary" && grade == 1 {
					d.grade1++
				}
			case "senior", "secondary_vocational":
				d.senior++
			case "higher":
				d.higher++
			case "special":
				d.special++
			}
			if withPeople {
				id := get("student_id")
				if _, dup := ds.students[y][id]; dup {
					t.Errorf("students-%d: id %s twice", y, id)
				}
				ds.students[y][id] = person{st, grade, get("institution")}
			}
		})
		readCSV(t, file("teachers"), func(get func(string) string) {
			in := inst("teachers", get("institution"))
			d := tl[in[1]]
			st, edu := get("stage"), get("education")
			d.teachers++
			switch st {
			case "preschool":
				d.kgTeachers++
				if get("preschool_major") == "true" {
					d.kgMajor++
				}
			case "primary", "junior":
				loc := locIndex[in[5]]
				d.compTeachers[loc]++
				if edu == "bachelor" || edu == "master" || edu == "doctor" {
					d.compBachelor[loc]++
				}
			case "senior", "secondary_vocational":
				d.seniorTeachers++
				if edu == "master" || edu == "doctor" {
					d.seniorMaster++
				}
			}
			if in[2] == "secondary_vocational" || in[2] == "higher_vocational" {
				d.vocTeachers++
				if get("dual_qualified") == "true" {
					d.vocDual++
				}
			}
			if withPeople {
				id := get("teacher_id")
				if _, dup := ds.teachers[y][id]; dup {
					t.Errorf("teachers-%d: id %s twice", y, id)
				}
				ds.teachers[y][id] = person{st, 0, get("institution")}
			}
		})
		readCSV(t, file("population"), func(get func(string) string) {
			d := tl[get("district")]
			age, n := atoi(t, get("age")), atoi(t, get("count"))
			switch {
			case age >= 3 && age <= 5:
				d.p35 += n
			case age >= 15 && age <= 17:
				d.p1517 += n
			}
			if age >= 16 && age <= 59 {
				d.p1659 += n
			}
		})
	}
	commitmentFacts := map[string]bool{} // element/org/year
	readCSV(t, filepath.Join(dir, "facts.csv"), func(get func(string) string) {
		y, org := atoi(t, get("year")), get("org")
		v, err := strconv.ParseFloat(get("value"), 64)
		if err != nil {
			t.Fatalf("facts.csv: value %q", get("value"))
		}
		switch get("element") {
		case "students":
			dims := strings.Split(get("dims"), ";")
			slices.Sort(dims)
			if strings.Join(dims, ";") != "grade=1;stage=primary" {
				t.Fatalf("facts.csv: students dims %q", get("dims"))
			}
			if d := ds.tallies[y+8][org]; d != nil {
				d.entrants8, d.entrantsKnown = v, true
			}
		case "working_age_schooling_years":
			if d := ds.tallies[y][org]; d != nil {
				d.schooling, d.schoolingKnown = v, true
			}
		default:
			el := pack.Element(get("element"))
			if el == nil || el.Source != plan.SourceFact || get("dims") != "" {
				t.Fatalf("facts.csv: unexpected element %q (dims %q)", get("element"), get("dims"))
			}
			commitmentFacts[get("element")+"/"+org+"/"+get("year")] = true
		}
	})
	// Every fact element that a commitment reads has a value in every year for every
	// district, or for the city where only the city reports it.
	for _, el := range pack.Elements {
		if el.Source != plan.SourceFact || el.Code == "working_age_schooling_years" {
			continue
		}
		for _, y := range years {
			city := commitmentFacts[el.Code+"/"+pack.Tenant+"/"+strconv.Itoa(y)]
			for _, d := range pack.Districts() {
				if !city && !commitmentFacts[el.Code+"/"+d.Code+"/"+strconv.Itoa(y)] {
					t.Errorf("facts.csv: no %s for %s in %d", el.Code, d.Code, y)
				}
			}
		}
	}
	// Where a year y−8 has a roster, its grade-1 count is the retention's denominator.
	for _, y := range years {
		for code, d := range ds.tallies[y] {
			if prev := ds.tallies[y-8]; prev != nil && !d.entrantsKnown {
				d.entrants8, d.entrantsKnown = float64(prev[code].grade1), true
			}
		}
	}
	return ds
}

// city returns the city's tally: sums, with the schooling years averaged over the
// districts weighted by their population aged 16–59 (spec/indicators.md).
func (ds *dataset) city(y int) *tally {
	c := &tally{}
	num, den := 0.0, 0.0
	codes := make([]string, 0, len(ds.tallies[y]))
	for code := range ds.tallies[y] {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		d := ds.tallies[y][code]
		c.add(d)
		if d.schoolingKnown {
			num += d.schooling * float64(d.p1659)
			den += float64(d.p1659)
		}
	}
	if den > 0 {
		c.schooling, c.schoolingKnown = num/den, true
	}
	return c
}

func (ds *dataset) value(t *testing.T, code, org string, y int) float64 {
	t.Helper()
	tl := ds.tallies[y][org]
	if org == "370600" {
		tl = ds.city(y)
	}
	v, ok := tl.value(code)
	if !ok {
		t.Fatalf("%s of %s in %d cannot be computed", code, org, y)
	}
	return v
}

var years = []int{2020, 2021, 2022, 2023, 2024, 2025}

func builtin(t testing.TB) *plan.Pack {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func generate(t *testing.T, pack *plan.Pack, scale float64, seed int64) (string, *demo.Summary) {
	t.Helper()
	dir := t.TempDir()
	sum, err := demo.Generate(context.Background(), pack, dir, demo.Options{Scale: scale, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return dir, sum
}

// checkBaselines checks that the city's baseline-year values print as the plan's
// baselines with the plan's decimals; the ones the generator makes exact must print
// exactly with the shortest representation too.
func checkBaselines(t *testing.T, pack *plan.Pack, ds *dataset, codes []string) {
	t.Helper()
	exact := map[string]string{"kg_public_share": "41.17", "kg_ger": "100", "compulsory_retention": "100", "senior_ger": "100"}
	for _, code := range codes {
		ind := pack.Indicator(code)
		v := ds.value(t, code, "370600", 2020)
		got := strconv.FormatFloat(v, 'f', ind.Decimals, 64)
		want := strconv.FormatFloat(ind.Baseline.Value, 'f', ind.Decimals, 64)
		if got != want {
			t.Errorf("city %s 2020 = %v, prints %s; want %s", code, v, got, want)
		}
		if w, ok := exact[code]; ok {
			if got := strconv.FormatFloat(v, 'f', -1, 64); got != w {
				t.Errorf("city %s 2020 = %s exactly, want %s", code, got, w)
			}
		}
	}
}

var ratioIndicators = []string{"kg_public_share", "kg_ger", "compulsory_retention", "senior_ger",
	"kg_teacher_preschool_major", "compulsory_teacher_bachelor", "urban_rural_bachelor_ratio",
	"senior_teacher_master", "vocational_dual_teacher", "working_age_schooling_years"}

// TestGenerate generates a small data set and checks it by counting.
func TestGenerate(t *testing.T) {
	pack := builtin(t)
	dir, sum := generate(t, pack, 0.05, 1)
	ds := load(t, pack, dir, years, true)

	t.Run("files", func(t *testing.T) {
		var names []string
		for _, f := range sum.Files {
			names = append(names, filepath.Base(f))
		}
		var want []string
		for _, y := range years {
			for _, k := range []string{"institutions", "population", "students", "teachers", "conditions",
				"student_health", "teacher_development", "after_school", "tutoring_providers", "private_schools", "facilities"} {
				want = append(want, fmt.Sprintf("%s-%d.csv", k, y))
			}
		}
		want = append(want, "facts.csv")
		if !slices.Equal(names, want) {
			t.Errorf("files = %v, want %v", names, want)
		}
		readme, err := os.ReadFile(sum.Readme)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"演示数据", "not official statistics", "不是官方统计数据", "Scale:       0.05", "Seed:    1"} {
			if !strings.Contains(string(readme), s) {
				t.Errorf("README.txt does not say %q", s)
			}
		}
		students := 0
		for _, y := range years {
			students += ds.city(y).students
		}
		if sum.Rows["students"] != students {
			t.Errorf("summary says %d students, files have %d", sum.Rows["students"], students)
		}
	})

	t.Run("baselines", func(t *testing.T) { checkBaselines(t, pack, ds, ratioIndicators) })

	t.Run("retention", func(t *testing.T) {
		for code, d := range ds.tallies[2020] {
			if float64(d.grade9) != d.entrants8 {
				t.Errorf("%s: 2020 grade 9 = %d, 2012 grade-1 fact = %v", code, d.grade9, d.entrants8)
			}
		}
		for _, y := range years {
			for code, d := range ds.tallies[y] {
				if !d.entrantsKnown || !d.schoolingKnown {
					t.Errorf("%s %d: missing facts", code, y)
				}
			}
		}
	})

	t.Run("institutions", func(t *testing.T) {
		code10 := regexp.MustCompile(`^[0-9]{10}$`)
		first := ds.insts[2020]
		types := map[string]int{}
		locs := map[string]map[string]int{}
		for code, in := range first {
			if !code10.MatchString(code) {
				t.Errorf("code %q is not 10 digits", code)
			}
			types[in[2]]++
			if locs[in[1]] == nil {
				locs[in[1]] = map[string]int{}
			}
			locs[in[1]][in[5]]++
			lat, _ := strconv.ParseFloat(in[6], 64)
			lon, _ := strconv.ParseFloat(in[7], 64)
			if lat < 37.1 || lat > 37.8 || lon < 120.3 || lon > 121.9 {
				t.Errorf("%s %s at %v, %v: not near Yantai", code, in[0], lat, lon)
			}
			if in[2] == "kindergarten" && in[3] == "public" && in[4] != "true" {
				t.Errorf("public kindergarten %s %s not inclusive", code, in[0])
			}
		}
		for _, typ := range []string{"kindergarten", "primary", "junior", "nine_year", "complete_secondary", "senior",
			"secondary_vocational", "special", "higher_vocational", "university"} {
			if types[typ] == 0 {
				t.Errorf("no %s", typ)
			}
		}
		if l := locs["370602"]; l["urban"] <= l["rural"]+l["town"] {
			t.Errorf("芝罘区 is not mostly urban: %v", l)
		}
		if l := locs["370686"]; l["rural"] <= l["urban"] {
			t.Errorf("栖霞市 is not mostly rural: %v", l)
		}
		for _, y := range years[1:] {
			for code, in := range ds.insts[y] {
				f := first[code]
				if f == nil && in[3] == "private" && (in[2] == "primary" || in[2] == "junior" || in[2] == "nine_year") {
					continue // a private compulsory school opened since 2020
				}
				if f == nil || f[0] != in[0] || f[1] != in[1] || f[2] != in[2] || f[5] != in[5] {
					t.Errorf("%d: institution %s %v differs from 2020 %v", y, code, in, f)
				}
			}
		}
	})

	t.Run("private compulsory", func(t *testing.T) { checkPrivateCompulsory(t, ds) })

	t.Run("students", func(t *testing.T) {
		for _, y := range years[:len(years)-1] {
			now, next := ds.students[y], ds.students[y+1]
			stay, eligible := 0, 0
			for id, p := range now {
				q, ok := next[id]
				if !ok {
					if p.stage == "primary" || p.stage == "junior" && p.grade < 9 {
						eligible++
					}
					continue
				}
				moved := q.grade == p.grade+1 || p.stage == "preschool" && p.grade == 3 && q.stage == "primary" && q.grade == 1
				if !moved {
					t.Fatalf("student %s: %d %s grade %d, then %s grade %d", id, y, p.stage, p.grade, q.stage, q.grade)
				}
				if p.stage == "primary" || p.stage == "junior" && p.grade < 9 {
					stay++
					eligible++
				}
			}
			if share := float64(stay) / float64(eligible); share < 0.95 {
				t.Errorf("%d→%d: only %.1f%% of compulsory students continue with the same id", y, y+1, 100*share)
			}
		}
		// 6-3 in most districts, 5-4 in 牟平区.
		junior6 := map[string]bool{}
		female, total := 0, 0
		for _, p := range ds.students[2020] {
			if p.stage == "junior" && p.grade == 6 {
				junior6[ds.insts[2020][p.inst][1]] = true
			}
		}
		if !junior6["370612"] || len(junior6) != 1 {
			t.Errorf("districts with junior grade 6: %v, want 370612 only", junior6)
		}
		readCSV(t, filepath.Join(dir, "students-2020.csv"), func(get func(string) string) {
			total++
			if get("sex") == "F" {
				female++
			}
			if b := get("birth_date"); b != "" && get("stage") == "primary" {
				born, err := time.Parse(time.DateOnly, b)
				if err != nil {
					t.Fatalf("birth_date %q", b)
				}
				age := 2020 - born.Year()
				if g := atoi(t, get("grade")); age < g+4 || age > g+7 {
					t.Fatalf("primary grade %d student born %s", g, b)
				}
			}
		})
		if share := float64(female) / float64(total); share < 0.46 || share > 0.50 {
			t.Errorf("%.1f%% girls", 100*share)
		}
	})

	t.Run("teachers", func(t *testing.T) {
		for _, y := range years[:len(years)-1] {
			stay := 0
			for id := range ds.teachers[y] {
				if _, ok := ds.teachers[y+1][id]; ok {
					stay++
				}
			}
			if share := float64(stay) / float64(len(ds.teachers[y])); share < 0.85 {
				t.Errorf("%d→%d: only %.1f%% of teachers stay", y, y+1, 100*share)
			}
		}
	})

	t.Run("story", func(t *testing.T) {
		v := func(code, org string, y int) float64 { return ds.value(t, code, org, y) }
		// 海阳市 regresses on several indicators; no other district regresses on more than one.
		upward := []string{"kg_public_share", "kg_teacher_preschool_major", "compulsory_teacher_bachelor",
			"senior_teacher_master", "vocational_dual_teacher", "working_age_schooling_years"}
		for _, d := range pack.Districts() {
			down := 0
			for _, code := range upward {
				if v(code, d.Code, 2025) < v(code, d.Code, 2020) {
					down++
				}
			}
			switch {
			case d.Code == "370687" && down < 4:
				t.Errorf("海阳市 regresses on %d indicators, want several", down)
			case d.Code != "370687" && down > 1:
				t.Errorf("%s %s regresses on %d indicators", d.Code, d.Name, down)
			}
		}
		// 莱州市 and 招远市 lag: they cover well under the whole way to the targets.
		for _, code := range []string{"370683", "370685"} {
			for _, ind := range []string{"kg_public_share", "compulsory_teacher_bachelor", "kg_teacher_preschool_major"} {
				b, a := v(ind, code, 2020), v(ind, code, 2025)
				if c := (a - b) / (pack.Indicator(ind).Target.Value - b); c <= 0 || c >= 0.6 {
					t.Errorf("%s %s %.2f → %.2f covers %.0f%% of the way to the target: want a little progress", code, ind, b, a, 100*c)
				}
			}
		}
		// Binding indicators at risk: 栖霞市's retention, 莱阳市's schooling years.
		if r := v("compulsory_retention", "370686", 2025); r >= 99.5 {
			t.Errorf("栖霞市 retention 2025 = %.2f, want below 99.5", r)
		}
		if a, b := v("working_age_schooling_years", "370682", 2020), v("working_age_schooling_years", "370682", 2025); b < a || b-a > 0.05 {
			t.Errorf("莱阳市 schooling years %v → %v, want flat", a, b)
		}
		// The city moves toward its targets and holds its gross enrolment rates.
		for _, c := range []struct {
			code     string
			min, max float64 // change 2020 → 2025
		}{
			{"kg_public_share", 15, 40},
			{"kg_teacher_preschool_major", 3, 15},
			{"compulsory_teacher_bachelor", 1, 4},
			{"urban_rural_bachelor_ratio", -0.07, -0.02},
			{"senior_teacher_master", 2, 7},
			{"vocational_dual_teacher", 3, 15},
			{"working_age_schooling_years", 0.3, 0.7},
		} {
			if d := v(c.code, "370600", 2025) - v(c.code, "370600", 2020); d < c.min || d > c.max {
				t.Errorf("city %s changes by %.3f from 2020 to 2025, want %v to %v", c.code, d, c.min, c.max)
			}
		}
		// Enrolment grows about as planned: 49.18 → 51.03, 13.27 → 13.89, 25.8 → 28 万.
		for _, c := range []struct {
			code     string
			min, max float64 // relative growth 2020 → 2025
		}{
			{"compulsory_enrolment", 0.02, 0.06},
			{"senior_enrolment", 0.02, 0.07},
			{"higher_enrolment", 0.04, 0.12},
		} {
			if g := v(c.code, "370600", 2025)/v(c.code, "370600", 2020) - 1; g < c.min || g > c.max {
				t.Errorf("city %s grows by %.1f%% from 2020 to 2025, want %v%% to %v%%", c.code, 100*g, 100*c.min, 100*c.max)
			}
		}
		for _, y := range years {
			for _, code := range []string{"kg_ger", "senior_ger", "compulsory_retention"} {
				if x := v(code, "370600", y); math.Abs(x-100) > 0.5 {
					t.Errorf("city %s %d = %.2f, want about 100", code, y, x)
				}
			}
		}
		if testing.Verbose() {
			for _, code := range ratioIndicators {
				line := fmt.Sprintf("%-28s", code)
				for _, d := range append([]*plan.Org{pack.Top()}, pack.Districts()...) {
					line += fmt.Sprintf(" %s:%.2f→%.2f", d.Code[2:], v(code, d.Code, 2020), v(code, d.Code, 2025))
				}
				t.Log(line)
			}
		}
	})

	t.Run("commitment facts", func(t *testing.T) { checkCommitmentFacts(t, pack, ds) })

	// Two runs of a smaller data set, which takes every path of the generator as this
	// one does (over 18,000 students a year, every district and file), at a third of
	// the time of two more runs at this scale.
	t.Run("deterministic", func(t *testing.T) {
		first, sum := generate(t, pack, 0.01, 1)
		again, _ := generate(t, pack, 0.01, 1)
		for _, f := range append(sum.Files, sum.Readme) {
			a, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(again, filepath.Base(f)))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%s differs between two runs", filepath.Base(f))
			}
		}
		other, _ := generate(t, pack, 0.01, 2)
		a, _ := os.ReadFile(filepath.Join(first, "students-2020.csv"))
		b, _ := os.ReadFile(filepath.Join(other, "students-2020.csv"))
		if bytes.Equal(a, b) {
			t.Error("seeds 1 and 2 give the same students")
		}
	})
}

// TestBaselinesAtScales checks the exact baselines at other scales and seeds.
func TestBaselinesAtScales(t *testing.T) {
	pack := builtin(t)
	for _, c := range []struct {
		scale float64
		seed  int64
	}{{0.05, 7}, {0.08, 3}, {0.13, 11}} {
		t.Run(fmt.Sprintf("scale%v-seed%d", c.scale, c.seed), func(t *testing.T) {
			dir := t.TempDir()
			_, err := demo.Generate(context.Background(), pack, dir,
				demo.Options{Scale: c.scale, Seed: c.seed, FirstYear: 2020, LastYear: 2020})
			if err != nil {
				t.Fatal(err)
			}
			checkBaselines(t, pack, load(t, pack, dir, []int{2020}, false), ratioIndicators)
		})
	}
}

// TestOtherPack generates data for a pack with other districts, whose codes are not
// administrative codes: the generic profiles still give the exact baselines and the
// story's roles by position.
func TestOtherPack(t *testing.T) {
	files := fixture.BuiltinFiles(t)
	orgs := "code,parent,level,name,name_en,kind\n370600,,city,示范市,Demo City,city\n"
	for i := range 7 {
		orgs += fmt.Sprintf("D%d,370600,district,示范%d区,District %d,district\n", i+1, i+1, i+1)
	}
	files["orgunits.csv"] = &fstest.MapFile{Data: []byte(orgs)}
	pack, err := plan.Load(files)
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := generate(t, pack, 0.05, 5)
	ds := load(t, pack, dir, years, false)
	checkBaselines(t, pack, ds, ratioIndicators)
	for _, code := range []string{"kg_public_share", "compulsory_teacher_bachelor", "working_age_schooling_years"} {
		if a, b := ds.value(t, code, "D7", 2020), ds.value(t, code, "D7", 2025); b >= a {
			t.Errorf("D7 %s %v → %v: the last district should regress", code, a, b)
		}
	}
	if r := ds.value(t, "compulsory_retention", "D6", 2025); r >= 99.5 {
		t.Errorf("D6 retention 2025 = %.2f, want below 99.5", r)
	}
}

// TestScaleOne checks the size of the city at scale 1: the plan's enrolment baselines
// (万人) and about 1.05 million students and 70,000 teachers.
func TestScaleOne(t *testing.T) {
	if testing.Short() {
		t.Skip("scale 1 writes about 400 MB")
	}
	pack := builtin(t)
	start := time.Now()
	dir, sum := generate(t, pack, 1, 1)
	t.Logf("scale 1: %v; rows %v", time.Since(start).Round(time.Millisecond), sum.Rows)
	ds := load(t, pack, dir, []int{2020}, false)
	checkBaselines(t, pack, ds, append(ratioIndicators[:len(ratioIndicators):len(ratioIndicators)],
		"compulsory_enrolment", "senior_enrolment", "higher_enrolment"))
	c := ds.city(2020)
	if c.students < 1_030_000 || c.students > 1_070_000 {
		t.Errorf("%d students in 2020, want about 1.05 million", c.students)
	}
	if c.teachers < 67_000 || c.teachers > 73_000 {
		t.Errorf("%d teachers in 2020, want about 70,000", c.teachers)
	}
	if c.preschool%10000 != 0 || c.preschool < 160_000 || c.preschool > 170_000 {
		t.Errorf("%d preschool children, want a multiple of 10,000 from 160,000 to 170,000", c.preschool)
	}
	checkScaleOneCommitments(t, dir)
}

// checkScaleOneCommitments checks the two commitments that count people and institutions
// at full size: 新增公办幼儿园 (kg_public_new, public kindergartens since 2020) lags the
// plan's 200 but is most of the way (the issue's example: 163 / 200), and 新补充教师
// (teachers_new, new hires 2021–2025) lands near the plan's 8,000, about 2% of some
// 70,000 teachers a year.
func checkScaleOneCommitments(t *testing.T, dir string) {
	publicKgs := func(y int) int {
		n := 0
		readCSV(t, filepath.Join(dir, fmt.Sprintf("institutions-%d.csv", y)), func(get func(string) string) {
			if get("type") == "kindergarten" && get("ownership") == "public" {
				n++
			}
		})
		return n
	}
	if added := publicKgs(2025) - publicKgs(2020); added < 150 || added >= 200 {
		t.Errorf("%d public kindergartens added 2020→2025, want 150 to 199: behind the plan's 200", added)
	}
	hires := 0
	for y := 2021; y <= 2025; y++ {
		n, total := 0, 0
		readCSV(t, filepath.Join(dir, fmt.Sprintf("teachers-%d.csv", y)), func(get func(string) string) {
			total++
			if get("new_hire") == "true" {
				n++
			}
		})
		if share := float64(n) / float64(total); share < 0.015 || share > 0.035 {
			t.Errorf("%d: %d new hires of %d teachers (%.1f%%), want 1.5%% to 3.5%%", y, n, total, 100*share)
		}
		hires += n
	}
	if hires < 7000 || hires > 9500 {
		t.Errorf("%d new hires 2021–2025, want 7,000 to 9,500: near the plan's 8,000", hires)
	}
}

// checkPrivateCompulsory: the private (民办) compulsory schools hold a few percent of
// the city's compulsory students, most in the urban districts and none in 栖霞 and
// 海阳; the public share rises a little every year, as 严格控制 asks; one school closes
// in 莱山 in 2022 and one opens in 莱阳 in 2023, so that the city has as many in 2025 as
// in 2020; each has a private_schools row, registered non-profit.
func checkPrivateCompulsory(t *testing.T, ds *dataset) {
	t.Helper()
	compulsory := func(in []string) bool {
		return in[3] == "private" && (in[2] == "primary" || in[2] == "junior" || in[2] == "nine_year")
	}
	prev := 0.0
	counts := map[int]map[string]int{}
	for _, y := range ds.years {
		city := ds.city(y)
		share := 100 * float64(city.compulsoryPublic) / float64(city.compulsory)
		if share < 92 || share > 97 || share < prev {
			t.Errorf("%d: public_compulsory_share %.2f, want 92–97 and at least %.2f", y, share, prev)
		}
		prev = share
		for code, want := range map[string][2]float64{"370602": {5, 14}, "370613": {5, 14}, "370686": {0, 0}, "370687": {0, 0}} {
			d := ds.tallies[y][code]
			if got := 100 * float64(d.compulsory-d.compulsoryPublic) / float64(d.compulsory); got < want[0] || got > want[1] {
				t.Errorf("%d %s: %.2f%% of compulsory students in private schools, want %v–%v", y, code, got, want[0], want[1])
			}
		}
		counts[y] = map[string]int{}
		for _, in := range ds.insts[y] {
			if compulsory(in) {
				counts[y][in[1]]++
				counts[y][""]++
			}
		}
		rows := map[string]string{}
		readCSV(t, filepath.Join(ds.dir, fmt.Sprintf("private_schools-%d.csv", y)), func(get func(string) string) {
			rows[get("institution")] = get("category")
		})
		for code, in := range ds.insts[y] {
			if compulsory(in) && rows[code] != "non_profit" {
				t.Errorf("%d: private compulsory school %s registered %q, want non_profit", y, code, rows[code])
			}
		}
	}
	for _, tt := range []struct {
		org  string
		y    int
		want int
	}{
		{"", 2021, 0}, {"", 2022, -1}, {"", 2025, 0}, {"370613", 2022, -1}, {"370682", 2022, 0}, {"370682", 2023, 1}, {"370602", 2025, 0},
	} {
		if got := counts[tt.y][tt.org] - counts[2020][tt.org]; got != tt.want {
			t.Errorf("private compulsory schools %q in %d: %+d since 2020, want %+d", tt.org, tt.y, got, tt.want)
		}
	}
}

// ExampleGenerate writes a small demo data set for the plan's baseline year: at scale
// 0.01, 10,000 preschool children (the fewest, a multiple of 10,000), 4,918 in compulsory
// education, 1,327 in senior secondary, 2,580 in higher education and 25 in special schools.
func ExampleGenerate() {
	pack, err := plan.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "eduplan-demo-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	sum, err := demo.Generate(context.Background(), pack, dir, demo.Options{Scale: 0.01, Seed: 1, FirstYear: 2020, LastYear: 2020})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range sum.Files {
		fmt.Println(filepath.Base(f))
	}
	fmt.Println(sum.Rows["students"], "students,", sum.Rows["teachers"], "teachers")
	// Output:
	// institutions-2020.csv
	// population-2020.csv
	// students-2020.csv
	// teachers-2020.csv
	// conditions-2020.csv
	// student_health-2020.csv
	// teacher_development-2020.csv
	// after_school-2020.csv
	// tutoring_providers-2020.csv
	// private_schools-2020.csv
	// facilities-2020.csv
	// facts.csv
	// 18850 students, 1300 teachers
}

// checkCommitmentFacts checks the facts of the commitments beyond the first fourteen as
// the plan reads them: certification flags of 0 or 1 that, once 1, stay 1 and are 1
// only in county units (not the development zones); cumulative counts that never fall
// and start at 0 in the baseline year; shares within 0..100; and at the target year a
// mix of districts that meet the plan's figure and districts that do not.
func checkCommitmentFacts(t *testing.T, pack *plan.Pack, ds *dataset) {
	facts := map[string]map[string]map[int]float64{} // element → org → year → value
	readCSV(t, filepath.Join(ds.dir, "facts.csv"), func(get func(string) string) {
		v, err := strconv.ParseFloat(get("value"), 64)
		if err != nil {
			t.Fatalf("facts.csv: value %q", get("value"))
		}
		el, org := get("element"), get("org")
		if facts[el] == nil {
			facts[el] = map[string]map[int]float64{}
		}
		if facts[el][org] == nil {
			facts[el][org] = map[int]float64{}
		}
		facts[el][org][atoi(t, get("year"))] = v
	})
	first, last := ds.years[0], ds.years[len(ds.years)-1]
	series := func(el, org string) []float64 {
		var out []float64
		for _, y := range ds.years {
			v, ok := facts[el][org][y]
			if !ok {
				t.Errorf("%s: no value for %s in %d", el, org, y)
			}
			out = append(out, v)
		}
		return out
	}
	rising := func(el, org string, fromZero bool) {
		xs := series(el, org)
		for i := 1; i < len(xs); i++ {
			if xs[i] < xs[i-1] {
				t.Errorf("%s %s falls from %v to %v in %d", el, org, xs[i-1], xs[i], ds.years[i])
			}
		}
		if fromZero && xs[0] != 0 {
			t.Errorf("%s %s is %v in %d, want 0 (counted since the plan began)", el, org, xs[0], first)
		}
	}
	certified := map[string][2]int{} // element → districts with 1, with 0 in the last year
	for _, d := range pack.Districts() {
		unit := series("county_units", d.Code)[0]
		if want := map[bool]float64{true: 0, false: 1}[d.Kind == "zone"]; unit != want {
			t.Errorf("%s (%s): county_units %v, want %v", d.Code, d.Kind, unit, want)
		}
		for _, el := range []string{"kg_universal_certified", "compulsory_balance_certified", "special_resource_centre"} {
			rising(el, d.Code, false)
			xs := series(el, d.Code)
			for _, x := range xs {
				if x != 0 && x != 1 || x > unit {
					t.Errorf("%s %s: %v with county_units %v", el, d.Code, x, unit)
				}
			}
			if unit == 1 {
				c := certified[el]
				c[1-int(xs[len(xs)-1])]++
				certified[el] = c
			}
		}
		for _, el := range []string{"schools_built", "arts_distinctive_schools"} {
			rising(el, d.Code, true)
		}
		rising("school_places", d.Code, false)
		for _, el := range []string{"kg_new_teacher_certified_share", "campus_wifi_coverage", "schools_standard_share"} {
			for _, x := range series(el, d.Code) {
				if x < 0 || x > 100 {
					t.Errorf("%s %s: %v is not a share", el, d.Code, x)
				}
			}
		}
	}
	for el, c := range certified {
		if c[0] == 0 || c[1] == 0 {
			t.Errorf("%s in %d: %d county units certified, %d not: want some of each", el, last, c[0], c[1])
		}
	}
	// 省级一类以上优质幼儿园占比 ≥ 60% in some districts and below in others.
	kgs := map[string]float64{}
	for _, in := range ds.insts[last] {
		if in[2] == "kindergarten" {
			kgs[in[1]]++
		}
	}
	above, below := 0, 0
	for _, d := range pack.Districts() {
		q := facts["quality_kindergartens"][d.Code][last]
		if q > kgs[d.Code] {
			t.Errorf("%s: %v quality kindergartens of %v", d.Code, q, kgs[d.Code])
		}
		if 100*q/kgs[d.Code] >= 60 {
			above++
		} else {
			below++
		}
	}
	if above == 0 || below == 0 {
		t.Errorf("quality kindergartens in %d: %d districts at 60%% or more, %d below: want some of each", last, above, below)
	}
	city := pack.Tenant
	for _, el := range []string{"arts_open_lessons", "arts_model_lessons", "digital_experimental_schools",
		"online_support_teams", "big_data_benchmark_schools"} {
		rising(el, city, true)
	}
	for _, el := range []string{"internet_egress_gbps", "digital_resource_coverage", "pe_exam_share"} {
		rising(el, city, false)
	}
}
