package ingest_test

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

func TestAgeOn1September(t *testing.T) {
	tests := []struct {
		birth string
		year  int
		age   int
	}{
		{"2014-09-01", 2020, 6}, // sixth birthday on the day
		{"2014-09-02", 2020, 5}, // the day after: still five
		{"2014-08-31", 2020, 6},
		{"2014-12-31", 2020, 5},
		{"2014-01-01", 2020, 6},
		{"2008-02-29", 2020, 12},
	}
	for _, tt := range tests {
		if got, ok := ingest.AgeOn1September(tt.birth, tt.year); !ok || got != tt.age {
			t.Errorf("AgeOn1September(%s, %d) = %d, %v; want %d", tt.birth, tt.year, got, ok, tt.age)
		}
	}
	if _, ok := ingest.AgeOn1September("2014/09/01", 2020); ok {
		t.Error("a date not in YYYY-MM-DD was accepted")
	}
	// docs/formats.md: preschool 1–3, compulsory 1–9 counted continuously, senior 10–12.
	for _, tt := range []struct {
		stage       string
		grade, want int
	}{{"preschool", 1, 3}, {"preschool", 3, 5}, {"primary", 1, 6}, {"junior", 7, 12}, {"junior", 9, 14}, {"senior", 10, 15}, {"secondary_vocational", 12, 17}, {"higher", 13, 18}} {
		if got := ingest.ExpectedAge(tt.stage, tt.grade); got != tt.want {
			t.Errorf("ExpectedAge(%s, %d) = %d, want %d", tt.stage, tt.grade, got, tt.want)
		}
	}
}

// newDB returns an empty database and the built-in pack.
func newDB(t *testing.T) (*store.DB, *plan.Pack) {
	t.Helper()
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	db, _ := fixture.NewDB(t)
	return db, pack
}

// studentRows writes n students of a stage and grade at an institution in a year, born so
// that they are the grade's age.
func studentRows(year int, inst, stage string, grade, n int, prefix string) string {
	var b strings.Builder
	birth := year - ingest.ExpectedAge(stage, grade)
	for i := range n {
		fmt.Fprintf(&b, "%d,%s%04d,%s,%s,%d,F,%d-03-01,\n", year, prefix, i, inst, stage, grade, birth)
	}
	return b.String()
}

// primaryTableHeader is a primary school table's header: grades 1–6, boys then girls.
const primaryTableHeader = "年份,学校标识码,一年级男,一年级女,二年级男,二年级女,三年级男,三年级女,四年级男,四年级女,五年级男,五年级女,六年级男,六年级女\n"

const twoYearsOfSchools = instHeader +
	"2020,ZP,芝罘小学,370602,primary,public,,urban,,\n2020,ZK,芝罘幼儿园,370602,kindergarten,public,true,urban,,\n" +
	"2021,ZP,芝罘小学,370602,primary,public,,urban,,\n2021,ZK,芝罘幼儿园,370602,kindergarten,public,true,urban,,\n"

// wantWarning is a warning expected in a report: its rule, row and value, a text each
// message must contain (zh, en) and the district it must name.
type wantWarning struct {
	rule     string
	row      int
	value    string
	zh, en   string
	district string
}

// TestPlausibilityRules imports hand-made files, each after a stored state, and checks
// each rule's warnings (rule, row, column, value, both messages), that the import is
// still accepted, that its rows are stored and that the batch records its warnings.
func TestPlausibilityRules(t *testing.T) {
	tests := []struct {
		name string
		// before are files imported first, as stored data; file is the one checked.
		before []string
		file   string
		// fileName is the checked file's name ("checked.csv" if empty): a school table's
		// says which table it is where its header fits two.
		fileName string
		want     []wantWarning
		// students is the number of 2020 and 2021 students stored after the import.
		students int
	}{
		{
			name:   "student_age: far from the grade, either way, only in the stages listed",
			before: []string{twoYearsOfSchools},
			file: studentsHeader +
				"2020,a1,ZP,primary,1,M,2014-09-01,\n" + // 6 on 1 Sept: the age of grade 1
				"2020,a2,ZP,primary,1,M,2011-08-31,\n" + // 9: three years older
				"2020,a3,ZP,primary,1,F,2011-09-02,\n" + // 8 (birthday after 1 Sept): two years, tolerated
				"2020,a4,ZK,preschool,1,F,2020-01-01,\n" + // 0 in 小班 (3): three years younger
				"2020,a5,ZK,preschool,3,F,2015-06-01,\n" + // 5 in 大班: right
				"2020,a6,ZP,primary,6,M,,\n" + // no birth date: nothing to check
				"2020,a7,ZP,special,1,M,2000-01-01,\n", // special is not a stage the rule lists
			want: []wantWarning{
				{"student_age", 3, "2011-08-31", "学生 a2 在 2020 年 9 月 1 日为 9 岁，小学 1 年级的应有年龄为 6 岁", "student a2 is 9 on 1 September 2020, but the age in grade 1 (primary) is 6", ""},
				{"student_age", 5, "2020-01-01", "为 0 岁，学前 1 年级的应有年龄为 3 岁，相差超过 2 岁", "is 0 on 1 September 2020, but the age in grade 1 (preschool) is 3", ""},
			},
			students: 7,
		},
		{
			name:   "enrolment_change: primary down by a third from the stored year before",
			before: []string{twoYearsOfSchools, studentsHeader + studentRows(2020, "ZP", "primary", 2, 150, "p")},
			file:   studentsHeader + studentRows(2021, "ZP", "primary", 3, 100, "q"),
			want: []wantWarning{
				// (100 − 150) / 150 = −33.3% beyond ±30%.
				{"enrolment_change", 0, "", "芝罘区（370602）小学在校生由 2020 年的 150 人变为 2021 年的 100 人（-33.3%），变化超过 30%",
					"Zhifu District (370602): primary enrolment went from 150 in 2020 to 100 in 2021 (-33.3%)", "370602"},
			},
			students: 250,
		},
		{
			name:     "enrolment_change: within 30% is no finding",
			before:   []string{twoYearsOfSchools, studentsHeader + studentRows(2020, "ZP", "primary", 2, 150, "p")},
			file:     studentsHeader + studentRows(2021, "ZP", "primary", 3, 120, "q"), // −20%
			students: 270,
		},
		{
			name:   "enrolment_change: an earlier year imported after a later one is compared with it",
			before: []string{twoYearsOfSchools, studentsHeader + studentRows(2021, "ZP", "primary", 3, 200, "q")},
			file:   studentsHeader + studentRows(2020, "ZP", "primary", 2, 140, "p"), // 140 → 200: +42.9%
			want: []wantWarning{
				{"enrolment_change", 0, "", "由 2020 年的 140 人变为 2021 年的 200 人（+42.9%）", "from 140 in 2020 to 200 in 2021 (+42.9%)", "370602"},
			},
			students: 340,
		},
		{
			name:     "enrolment_change: small enrolments are not compared",
			before:   []string{twoYearsOfSchools, studentsHeader + studentRows(2020, "ZP", "primary", 2, 60, "p")},
			file:     studentsHeader + studentRows(2021, "ZP", "primary", 3, 20, "q"), // −67%, but both below 100
			students: 80,
		},
		{
			name:   "preschool_vs_population: 13 children for 10 residents aged 3–5",
			before: []string{twoYearsOfSchools, popHeader + "2020,370602,3,,4\n2020,370602,4,,3\n2020,370602,5,,3\n2020,370602,6,,50\n"},
			file:   studentsHeader + studentRows(2020, "ZK", "preschool", 2, 13, "k"),
			want: []wantWarning{
				{"preschool_vs_population", 0, "", "芝罘区（370602）2020 年在园幼儿 13 人，为 3–5 岁常住人口 10 人的 130.0%，超过 120%",
					"13 children in preschool in 2020 are 130.0% of the 10 residents aged 3–5", "370602"},
			},
			students: 13,
		},
		{
			name:     "preschool_vs_population: 120% exactly is plausible",
			before:   []string{twoYearsOfSchools, popHeader + "2020,370602,3,,4\n2020,370602,4,,3\n2020,370602,5,,3\n"},
			file:     studentsHeader + studentRows(2020, "ZK", "preschool", 2, 12, "k"),
			students: 12,
		},
		{
			name:   "preschool_vs_population: population imported after the children warns in its own report",
			before: []string{twoYearsOfSchools, studentsHeader + studentRows(2020, "ZK", "preschool", 2, 13, "k")},
			file:   popHeader + "2020,370602,3,F,2\n2020,370602,3,M,2\n2020,370602,4,,3\n2020,370602,5,,3\n",
			want: []wantWarning{
				{"preschool_vs_population", 0, "", "为 3–5 岁常住人口 10 人的 130.0%", "of the 10 residents aged 3–5", "370602"},
			},
			students: 13,
		},
		{
			// Per student of the row's stage, or of the whole school: 30 yuan of equipment
			// for 150 pupils is 0.20 yuan each (below 100), 8 m² for the school 0.05 m².
			name:   "condition_per_student: a unit slip, by stage or whole school",
			before: []string{twoYearsOfSchools, studentsHeader + studentRows(2020, "ZP", "primary", 2, 150, "p")},
			file:   "year,institution,stage,teaching_area,equipment_value\n2020,ZP,primary,750,30\n2020,ZP,,8,300000\n",
			want: []wantWarning{
				{"equipment_value_per_student", 2, "30", "教学仪器设备值 30 元，生均 0.20 元（150 人），不在 100–100000 元之内", "0.20 yuan per student (150 students)", ""},
				{"teaching_area_per_student", 3, "8", "教学及辅助用房 8 m²，生均 0.05 m²（150 人）", "is 0.05 m² per student", ""},
			},
			students: 150,
		},
		{
			name:     "enrolment_change: a primary school table is compared as a roster is",
			before:   []string{twoYearsOfSchools, studentsHeader + studentRows(2020, "ZP", "primary", 2, 150, "p")},
			file:     primaryTableHeader + "2021,ZP,0,0,0,0,50,50,0,0,0,0,0,0\n", // 三年级 50 + 50
			fileName: "primary_students-2021.csv",
			want: []wantWarning{
				{"enrolment_change", 0, "", "芝罘区（370602）小学在校生由 2020 年的 150 人变为 2021 年的 100 人（-33.3%），变化超过 30%",
					"Zhifu District (370602): primary enrolment went from 150 in 2020 to 100 in 2021 (-33.3%)", "370602"},
			},
			students: 250,
		},
		{
			// 2021 holds a primary table only: its preschool is missing, not 0 (−100%).
			name: "enrolment_change: a stage no school table of the year counts is not compared",
			before: []string{twoYearsOfSchools, studentsHeader + studentRows(2020, "ZP", "primary", 2, 150, "p") +
				studentRows(2020, "ZK", "preschool", 2, 120, "k")},
			file:     primaryTableHeader + "2021,ZP,0,0,0,0,70,70,0,0,0,0,0,0\n", // 140: −6.7%
			fileName: "primary_students-2021.csv",
			students: 410,
		},
		{
			name:     "preschool_vs_population: a kindergarten table, 13 children for 10 residents aged 3–5",
			before:   []string{twoYearsOfSchools, popHeader + "2020,370602,3,,4\n2020,370602,4,,3\n2020,370602,5,,3\n"},
			file:     "年份,学校标识码,小班男,小班女,中班男,中班女,大班男,大班女\n2020,ZK,,,6,7,,\n",
			fileName: "kg_students-2020.csv",
			want: []wantWarning{
				{"preschool_vs_population", 0, "", "芝罘区（370602）2020 年在园幼儿 13 人，为 3–5 岁常住人口 10 人的 130.0%，超过 120%",
					"13 children in preschool in 2020 are 130.0% of the 10 residents aged 3–5", "370602"},
			},
			students: 13,
		},
		{
			name:     "preschool_vs_population: no population stored, nothing to compare",
			before:   []string{twoYearsOfSchools},
			file:     studentsHeader + studentRows(2020, "ZK", "preschool", 2, 13, "k"),
			students: 13,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, pack := newDB(t)
			for i, content := range tt.before {
				p := writeFile(t, fmt.Sprintf("before%d.csv", i), content)
				if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{}); err != nil {
					t.Fatalf("before %d: %v", i, err)
				}
			}
			name := cmp.Or(tt.fileName, "checked.csv")
			res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{writeFile(t, name, tt.file)}, ingest.Options{})
			if err != nil {
				t.Fatalf("import refused: %v", err)
			}
			rep := res.Reports[0]
			if rep.WarningCount != len(tt.want) || len(rep.Warnings) != len(tt.want) {
				var got []string
				for _, w := range rep.Warnings {
					got = append(got, w.En())
				}
				t.Fatalf("%d warnings, want %d: %q", rep.WarningCount, len(tt.want), got)
			}
			for i, w := range tt.want {
				g := rep.Warnings[i]
				if g.Rule != w.rule || g.Class != ingest.ClassPlausibility || g.Row != w.row || g.Value != w.value || g.File != name {
					t.Errorf("warning %d = %+v, want rule %s row %d value %q", i, g, w.rule, w.row, w.value)
				}
				if w.rule == "student_age" && g.Column != "birth_date" {
					t.Errorf("warning %d column = %q, want birth_date", i, g.Column)
				}
				if !strings.Contains(g.Zh(), w.zh) || !strings.HasPrefix(g.Zh(), name) {
					t.Errorf("warning %d zh = %s\n want it to contain %s", i, g.Zh(), w.zh)
				}
				if !strings.Contains(g.En(), w.en) {
					t.Errorf("warning %d en = %s\n want it to contain %s", i, g.En(), w.en)
				}
				if w.district != "" && !strings.Contains(g.En(), w.district) {
					t.Errorf("warning %d does not name district %s: %s", i, w.district, g.En())
				}
			}
			for _, w := range tt.want {
				if rep.WarningCounts[w.rule] == 0 {
					t.Errorf("warning counts %v lack %s", rep.WarningCounts, w.rule)
				}
			}
			// Accepted: the rows are stored, and the batch records its warnings.
			var n int64
			db.EachCell(ctx, pack.Tenant, func(c *store.Cell) error {
				if c.Kind == store.KindStudents {
					n += c.Count
				}
				return nil
			})
			if n != int64(tt.students) {
				t.Errorf("%d students stored, want %d", n, tt.students)
			}
			batches, err := db.Batches(ctx, pack.FullScope())
			if err != nil {
				t.Fatal(err)
			}
			if batches[0].ID != res.Batches[0].ID || batches[0].Warnings != len(tt.want) || res.Batches[0].Warnings != len(tt.want) {
				t.Errorf("batch %d stored with %d warnings (result %d), want %d", batches[0].ID, batches[0].Warnings, res.Batches[0].Warnings, len(tt.want))
			}
		})
	}
}

// TestWarningsCapped: a rule that fires on every row counts every finding and lists the
// first MaxListed.
func TestWarningsCapped(t *testing.T) {
	const n = ingest.MaxListed + 234
	var b strings.Builder
	b.WriteString(studentsHeader)
	for i := range n {
		fmt.Fprintf(&b, "2020,s%d,I1,primary,1,F,2000-01-01,\n", i) // 20 in grade 1
	}
	rep, recs := readString(t, ingest.Students, b.String())
	if len(recs) != n || !rep.OK() {
		t.Fatalf("%d records, %d errors: warnings must not drop rows", len(recs), rep.ErrorCount)
	}
	if rep.WarningCount != n || len(rep.Warnings) != ingest.MaxListed || rep.WarningCounts["student_age"] != n {
		t.Errorf("%d warnings counted (%v), %d listed; want %d and %d", rep.WarningCount, rep.WarningCounts, len(rep.Warnings), n, ingest.MaxListed)
	}
	if last := rep.Warnings[ingest.MaxListed-1]; last.Row != ingest.MaxListed+1 {
		t.Errorf("last listed warning on row %d, want %d", last.Row, ingest.MaxListed+1)
	}
	var w strings.Builder
	rep.Write(&w, "en")
	if !strings.Contains(w.String(), fmt.Sprintf("%d warnings (student_age %d)", n, n)) || !strings.Contains(w.String(), "234 more warnings not listed") {
		t.Errorf("report:\n%.600s", w.String())
	}
}
