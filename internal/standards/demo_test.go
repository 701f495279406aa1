package standards_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/yantai-edu/eduplan/internal/demo"
	"github.com/yantai-edu/eduplan/internal/standards"
)

// TestDemoAgainstIndependent imports a small demo data set and checks every row of
// "Standards out", for both standards, against a computation written here plainly
// from docs/standards.md, reading the demo's CSV files (not the store, the cube or the
// pack's standards.yaml: the thresholds are the spec's).
func TestDemoAgainstIndependent(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports a demo data set")
	}
	pack := builtin(t)
	dir, _, e := demoEngine(t, pack, demo.Options{Scale: 0.02, Seed: 7, FirstYear: 2020, LastYear: 2021})
	const year = 2021
	want := independent(t, dir, year)
	verdicts := map[string]int{}
	for _, code := range []string{"quality_balanced", "universal_preschool"} {
		res, err := standards.Compute(e, pack.FullScope(), standards.Query{Standard: code, Year: year})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := standards.WriteCSV(&buf, res.Rows()); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if h := rows[0]; !slices.Equal(h, []string{"standard", "org", "year", "stage", "item", "value", "threshold", "met", "cv", "cv_limit"}) {
			t.Fatalf("header %v", h)
		}
		seen := map[string]bool{}
		for _, r := range rows[1:] {
			key := r[0] + "/" + r[1] + "/" + r[3] + "/" + r[4]
			seen[key] = true
			w, ok := want[key]
			if !ok {
				t.Errorf("%s: a row the spec does not call for", key)
				continue
			}
			if r[2] != strconv.Itoa(year) || !sameNumber(r[5], w.value) || !sameNumber(r[6], w.threshold) || r[7] != w.met ||
				!sameNumber(r[8], w.cv) || !sameNumber(r[9], w.cvLimit) {
				t.Errorf("%s: got %v\n want value %q threshold %q met %q cv %q cv_limit %q", key, r, w.value, w.threshold, w.met, w.cv, w.cvLimit)
			}
			if r[4] == "verdict" {
				verdicts[code+" "+r[7]]++
			}
		}
		for key := range want {
			if key[:len(code)] == code && !seen[key] {
				t.Errorf("%s: missing", key)
			}
		}
	}
	// The demo's story: some districts meet the standard, some do not.
	t.Logf("verdicts (district × stage): %v", verdicts)
	if verdicts["quality_balanced true"] == 0 || verdicts["quality_balanced false"] == 0 {
		t.Errorf("verdicts %v: want districts both ready and not", verdicts)
	}
}

type wantRow struct{ value, threshold, met, cv, cvLimit string }

// sameNumber compares two cells: both empty, or numbers within 1e-9 relative.
func sameNumber(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(y))
}

func readRows(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func tf(b bool) string { return strconv.FormatBool(b) }

// independent computes "Standards out" for the year from the demo's files, by the spec.
func independent(t *testing.T, dir string, year int) map[string]wantRow {
	file := func(kind string) string { return filepath.Join(dir, fmt.Sprintf("%s-%d.csv", kind, year)) }
	type inst struct{ district, typ, ownership, inclusive, tp string }
	insts := map[string]inst{}
	var codes []string
	for _, r := range readRows(t, file("institutions")) {
		insts[r["code"]] = inst{r["district"], r["type"], r["ownership"], r["inclusive"], r["teaching_point"]}
		codes = append(codes, r["code"])
	}
	slices.Sort(codes)
	students := map[[2]string]float64{} // institution, stage
	total := map[string]float64{}
	for _, r := range readRows(t, file("students")) {
		students[[2]string{r["institution"], r["stage"]}]++
		total[r["institution"]]++
	}
	// Teachers by institution and stage: the three counts of L1–L3, and whether any
	// teacher's backbone or subject is unknown.
	type tc struct{ l1, l2, l3, blankBackbone, blankSubject float64 }
	teachers := map[[2]string]*tc{}
	degree := map[string][]string{"primary": {"associate", "bachelor", "master", "doctor"}, "junior": {"bachelor", "master", "doctor"}}
	for _, r := range readRows(t, file("teachers")) {
		k := [2]string{r["institution"], r["stage"]}
		if teachers[k] == nil {
			teachers[k] = &tc{}
		}
		c := teachers[k]
		if slices.Contains(degree[r["stage"]], r["education"]) {
			c.l1++
		}
		switch r["backbone"] {
		case "county", "city", "province", "national":
			c.l2++
		case "":
			c.blankBackbone++
		}
		switch r["subject"] {
		case "pe", "music", "art":
			c.l3++
		case "":
			c.blankSubject++
		}
	}
	conds := map[[2]string]map[string]string{}
	for _, r := range readRows(t, file("conditions")) {
		conds[[2]string{r["institution"], r["stage"]}] = r
	}
	thresholds := map[string][7]float64{"primary": {4.2, 1.0, 0.9, 4.5, 7.5, 2000, 2.3}, "junior": {5.3, 1.0, 0.9, 5.8, 10.2, 2500, 2.4}}
	cvLimit := map[string]float64{"primary": 0.50, "junior": 0.45}
	per := [7]float64{100, 100, 100, 1, 1, 1, 100}
	columns := [7]string{"", "", "", "teaching_area", "sports_area", "equipment_value", "multimedia_classrooms"}

	out := map[string]wantRow{}
	pack := builtin(t)
	for _, d := range pack.Districts() {
		for _, stage := range []string{"primary", "junior"} {
			th := thresholds[stage]
			type school struct {
				code string
				p    float64
				num  [7]float64
				ok   [7]bool
			}
			var schools []school
			for _, code := range codes {
				in := insts[code]
				p := students[[2]string{code, stage}]
				if in.district != d.Code || in.typ == "special" || p == 0 || (in.tp == "true" && p < 50) {
					continue
				}
				s := school{code: code, p: p}
				c := teachers[[2]string{code, stage}]
				if c == nil {
					c = &tc{} // no teachers of the stage: none of them counts
				}
				s.num[0], s.ok[0] = c.l1, true
				s.num[1], s.ok[1] = c.l2, c.blankBackbone == 0
				s.num[2], s.ok[2] = c.l3, c.blankSubject == 0
				for j := 3; j < 7; j++ {
					if r, ok := conds[[2]string{code, stage}]; ok && r[columns[j]] != "" {
						s.num[j], _ = strconv.ParseFloat(r[columns[j]], 64)
						s.ok[j] = true
					} else if r, ok := conds[[2]string{code, ""}]; ok && r[columns[j]] != "" {
						whole, _ := strconv.ParseFloat(r[columns[j]], 64)
						s.num[j], s.ok[j] = whole*p/total[code], true
					}
				}
				schools = append(schools, s)
			}
			districtVerdict := "true"
			if len(schools) == 0 {
				districtVerdict = ""
			}
			for _, s := range schools {
				met, floorOK, known := 0, true, true
				for j := range 7 {
					key := fmt.Sprintf("quality_balanced/%s/%s/L%d", s.code, stage, j+1)
					if !s.ok[j] {
						known = false
						out[key] = wantRow{threshold: num(th[j])}
						continue
					}
					x := per[j] * s.num[j] / s.p
					out[key] = wantRow{value: num(x), threshold: num(th[j]), met: tf(x >= th[j])}
					if x >= th[j] {
						met++
					} else if x < 0.85*th[j] {
						floorOK = false
					}
				}
				verdict := ""
				if known {
					verdict = tf(met >= 6 && floorOK)
				}
				out[fmt.Sprintf("quality_balanced/%s/%s/school", s.code, stage)] = wantRow{met: verdict}
				switch {
				case verdict == "":
					districtVerdict = ""
				case verdict == "false" && districtVerdict == "true":
					districtVerdict = "false"
				}
			}
			for j := range 7 {
				key := fmt.Sprintf("quality_balanced/%s/%s/L%d", d.Code, stage, j+1)
				var sumNum, P float64
				known := len(schools) > 0
				for _, s := range schools {
					sumNum += s.num[j]
					P += s.p
					known = known && s.ok[j]
				}
				w := wantRow{threshold: num(th[j]), cvLimit: num(cvLimit[stage])}
				if !known {
					districtVerdict = ""
					out[key] = w
					continue
				}
				mean := per[j] * sumNum / P
				w.value, w.met = num(mean), tf(mean >= th[j])
				if mean != 0 {
					var ss float64
					for _, s := range schools {
						x := per[j] * s.num[j] / s.p
						ss += s.p / P * (x - mean) * (x - mean)
					}
					cv := math.Sqrt(ss) / mean
					w.cv = num(cv)
					if cv > cvLimit[stage] && districtVerdict == "true" {
						districtVerdict = "false"
					}
				}
				out[key] = w
			}
			out[fmt.Sprintf("quality_balanced/%s/%s/verdict", d.Code, stage)] = wantRow{met: districtVerdict}
		}
	}

	// 县域学前教育普及普惠: three district values.
	pop := map[string]float64{}
	for _, r := range readRows(t, file("population")) {
		if a, _ := strconv.Atoi(r["age"]); a >= 3 && a <= 5 {
			n, _ := strconv.ParseFloat(r["count"], 64)
			pop[r["district"]] += n
		}
	}
	pre, inclusive, public := map[string]float64{}, map[string]float64{}, map[string]float64{}
	for k, n := range students {
		if k[1] != "preschool" {
			continue
		}
		in := insts[k[0]]
		pre[in.district] += n
		if in.ownership == "public" {
			public[in.district] += n
			inclusive[in.district] += n
		} else if in.inclusive == "true" {
			inclusive[in.district] += n
		}
	}
	for _, d := range pack.Districts() {
		vals := []float64{100 * pre[d.Code] / pop[d.Code], 100 * inclusive[d.Code] / pre[d.Code], 100 * public[d.Code] / pre[d.Code]}
		th := []float64{90, 85, 50}
		verdict := "true"
		for i, item := range []string{"gross_enrolment", "inclusive_coverage", "public_share"} {
			out["universal_preschool/"+d.Code+"/preschool/"+item] = wantRow{value: num(vals[i]), threshold: num(th[i]), met: tf(vals[i] >= th[i])}
			if vals[i] < th[i] {
				verdict = "false"
			}
		}
		out["universal_preschool/"+d.Code+"/preschool/verdict"] = wantRow{met: verdict}
	}
	return out
}
