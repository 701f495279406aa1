package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestQuality runs `eduplan quality` on the tiny data set in each format.
func TestQuality(t *testing.T) {
	db := tinyDB(t)

	// 370612 in 2021: institutions and students (MK, s25) imported, the rest missing.
	out, _, err := run(t, "quality", "--db", db, "--org", "370612", "--year", "2021", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{
		"org,year,kind,element,status,rows,batches,files,imported_at,warnings,cannot_compute,origins",
		"370612,2021,institutions,institutions,present,1,1,institutions.csv,",
		"370612,2021,students,students,present,1,3,students.csv,",
		"370612,2021,teachers,teachers,missing,0,,,,0,kg_teacher_preschool_major;compulsory_teacher_bachelor;urban_rural_bachelor_ratio;senior_teacher_master;vocational_dual_teacher,",
		"370612,2021,population,population,missing,0,,,,0,kg_ger;senior_ger,",
		"370612,2021,facts,working_age_schooling_years,missing,0,,,,0,working_age_schooling_years",
		// The pack's record kinds, none of which the tiny data set has.
		"370612,2021,student_health,student_health,missing,0,,,,0,",
		"370612,2021,teacher_development,teacher_development,missing,0,,,,0,",
		"370612,2021,after_school,after_school,missing,0,,,,0,",
		"370612,2021,tutoring_providers,tutoring_providers,missing,0,,,,0,",
		"370612,2021,private_schools,private_schools,missing,0,,,,0,",
		"370612,2021,facilities,facilities,missing,0,,,,0,",
	}
	if len(lines) != len(want) {
		t.Fatalf("csv:\n%s", out)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %s\n want %s…", i+1, lines[i], w)
		}
	}

	out, _, err = run(t, "quality", "--db", db, "--year", "2021")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"缺 missing", "部分 partial",
		"370612 2021 (8): kg_ger senior_ger kg_teacher_preschool_major compulsory_teacher_bachelor urban_rural_bachelor_ratio senior_teacher_master vocational_dual_teacher working_age_schooling_years\n",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("table lacks %q:\n%s", s, out)
		}
	}
	// Where the students' figures come from, as the CSV's origins say (README: rosters,
	// school tables, or reported totals).
	if !regexp.MustCompile(`370612 +2021 +students +有 present +1 +名册 rosters `).MatchString(out) {
		t.Errorf("table does not say 370612's 2021 students come from rosters:\n%s", out)
	}
	if !regexp.MustCompile(`370612 +2021 +teachers`).MatchString(out) {
		t.Errorf("table lacks 370612's 2021 teachers:\n%s", out)
	}
	if strings.Contains(out, " 2020 ") {
		t.Error("--year 2021 shows 2020")
	}

	out, _, err = run(t, "quality", "--db", db, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Tenant string `json:"tenant"`
		Years  []int  `json:"years"`
		Cells  []struct {
			Org     string `json:"org"`
			Status  string `json:"status"`
			Batches []struct {
				File string `json:"file"`
			} `json:"batches"`
		} `json:"cells"`
		Blocked []struct {
			Indicator string `json:"indicator"`
			Missing   []struct {
				Call string `json:"call"`
				Year int    `json:"year"`
			} `json:"missing"`
		} `json:"blocked"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%.300s", err, out)
	}
	if rep.Tenant != "370600" || len(rep.Years) != 6 || len(rep.Cells) != 14*6*11 || len(rep.Blocked) == 0 || len(rep.Blocked[0].Missing) == 0 {
		t.Errorf("json: tenant %s, %d years, %d cells, %d blocked", rep.Tenant, len(rep.Years), len(rep.Cells), len(rep.Blocked))
	}

	for _, tt := range []struct {
		args []string
		code int
	}{
		{[]string{"quality", "--db", db, "--format", "xml"}, 2},
		{[]string{"quality", "--db", db, "--org", "999999"}, 3},
	} {
		_, _, err := run(t, tt.args...)
		if exitCode(err) != tt.code {
			t.Errorf("%v: err = %v, want exit %d", tt.args, err, tt.code)
		}
	}
}
