package ingest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// The pack's plausibility rules (plan.Rule, validation.yaml) run here: the row rule as
// Read passes valid students on, the district rules at the end of an import, over the
// totals its files make with what is stored. Their findings are warnings of class
// ClassPlausibility: they are reported and counted, and never block an import.

// ExpectedAge is the age on 1 September of the school year of a student in the grade,
// as docs/formats.md numbers grades: preschool grades 1–3 are ages 3–5, every other
// grade is its number + 5 (grade 1 at 6, grade 10 at 15, grade 13 at 18).
func ExpectedAge(stage string, grade int) int {
	if stage == "preschool" {
		return grade + 2
	}
	return grade + 5
}

// AgeOn1September returns the age on 1 September of year of someone born on birth
// (YYYY-MM-DD), and false if birth is not in that form.
func AgeOn1September(birth string, year int) (int, bool) {
	if len(birth) != 10 || birth[4] != '-' || birth[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(birth[:4])
	m, ok2 := digits(birth[5:7])
	d, ok3 := digits(birth[8:])
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	age := year - y
	if m > 9 || m == 9 && d > 1 { // the birthday is still to come on 1 September
		age--
	}
	return age, true
}

// checkAge runs the student_age rules on a valid student row.
func (r *reader) checkAge(s *Student) {
	if s.BirthDate == "" {
		return
	}
	age, ok := AgeOn1September(s.BirthDate, s.Year)
	if !ok {
		return
	}
	expected := ExpectedAge(s.Stage, s.Grade)
	diff := age - expected
	if diff < 0 {
		diff = -diff
	}
	for _, rule := range r.ageRules {
		if diff <= rule.MaxYears || (len(rule.Stages) > 0 && !slices.Contains(rule.Stages, s.Stage)) {
			continue
		}
		r.rep.warnFunc(rule.Code, func() RowError {
			zh, en := rule.Format(map[string]string{
				"student_id": s.ID, "year": strconv.Itoa(s.Year), "birth_date": s.BirthDate, "age": strconv.Itoa(age),
				"stage": s.Stage, "stage_zh": stageZh[s.Stage], "grade": strconv.Itoa(s.Grade),
				"expected": strconv.Itoa(expected), "max_years": strconv.Itoa(rule.MaxYears),
			})
			return RowError{File: r.file, Row: s.Row, Column: cBirthDate.String(), Value: s.BirthDate,
				Class: ClassPlausibility, Rule: rule.Code, Expected: zh, ExpectedEn: en}
		})
	}
}

// yearDistrict is a year of a district that a file brought rows for.
type yearDistrict struct {
	year     int
	district string
}

// totals runs the district rules of the pack over the years and districts that the
// import's files brought students (a roster, or school tables of students) or
// population for, reading the totals as the transaction sees them (this import's rows
// and what was stored before), and adds the findings to the files' reports.
func totals(ctx context.Context, tx *store.Tx, pack *plan.Pack, files []*file) error {
	changeRules := pack.RulesOf(plan.CheckEnrolmentChange)
	popRules := pack.RulesOf(plan.CheckPreschoolPopulation)
	if err := conditionRules(ctx, tx, pack.RulesOf(plan.CheckConditionPerStudent), files); err != nil {
		return err
	}
	if len(changeRules) == 0 && len(popRules) == 0 {
		return nil
	}
	// Which files brought each year and district: a finding goes to one of their reports.
	students := map[yearDistrict][]*file{}
	population := map[yearDistrict]*file{}
	for _, f := range files {
		t := SchoolTableOf(pack, f.kind)
		for yd := range f.scopes {
			switch {
			case f.kind == Students || t != nil && t.Element == store.KindStudents:
				students[yd] = append(students[yd], f)
			case f.kind == Populations:
				if population[yd] == nil {
					population[yd] = f
				}
			}
		}
	}
	t := &totaller{ctx: ctx, tx: tx, pack: pack, counts: map[int]map[string]map[string]int64{}, held: map[int]map[string]heldStages{}}
	if len(changeRules) > 0 {
		if err := t.enrolmentChange(pack, changeRules, students); err != nil {
			return err
		}
	}
	for _, rule := range popRules {
		if err := t.preschoolPopulation(pack, rule, students, population); err != nil {
			return err
		}
	}
	return nil
}

// bringer is the file a finding about a stage goes to, of those that brought a year
// and district's students: the school table of that stage, or else the first (the
// roster). Nil if none did.
func bringer(pack *plan.Pack, files []*file, stage string) *file {
	for _, f := range files {
		if t := SchoolTableOf(pack, f.kind); t != nil && tableStage(t) == stage {
			return f
		}
	}
	if len(files) == 0 {
		return nil
	}
	return files[0]
}

// tableStage is the stage a school table counts (its dims' stage).
func tableStage(t *plan.SchoolTable) string {
	for _, c := range t.Dims {
		if c.Key == "stage" && len(c.Values) == 1 {
			return c.Values[0]
		}
	}
	return ""
}

// totaller reads the totals the district rules compare, each year once.
type totaller struct {
	ctx    context.Context
	tx     *store.Tx
	pack   *plan.Pack
	counts map[int]map[string]map[string]int64 // year → district → stage → students
	held   map[int]map[string]heldStages       // year → districts holding students
}

// heldStages are the stages a district holds students of in a year: every stage in a
// roster, the stages of its school tables otherwise. A stage no table counts is
// missing, not 0, and is not compared.
type heldStages struct {
	all    bool
	stages map[string]bool
}

func (h heldStages) has(stage string) bool { return h.all || h.stages[stage] }

func (t *totaller) load(year int) error {
	if _, ok := t.counts[year]; ok {
		return nil
	}
	c, err := t.tx.StageCounts(t.ctx, store.KindStudents, year)
	if err != nil {
		return err
	}
	elements, err := t.tx.SnapshotElements(t.ctx, store.KindStudents, year)
	if err != nil {
		return err
	}
	held := map[string]heldStages{}
	for district, es := range elements {
		h := heldStages{stages: map[string]bool{}}
		for _, e := range es {
			if tab := t.pack.SchoolTable(e); tab != nil {
				h.stages[tableStage(tab)] = true
			} else {
				h.all = true // the roster
			}
		}
		held[district] = h
	}
	t.counts[year], t.held[year] = c, held
	return nil
}

// enrolmentChange compares each district's enrolment by stage in each year the import
// brought with the year before and the year after, where those are stored.
func (t *totaller) enrolmentChange(pack *plan.Pack, rules []*plan.Rule, students map[yearDistrict][]*file) error {
	type pair struct {
		from     int
		district string
	}
	done := map[pair]bool{}
	for _, yd := range slices.SortedFunc(maps.Keys(students), cmpYearDistrict) {
		for _, from := range []int{yd.year - 1, yd.year} {
			p := pair{from, yd.district}
			if done[p] {
				continue
			}
			done[p] = true
			if err := t.load(from); err != nil {
				return err
			}
			if err := t.load(from + 1); err != nil {
				return err
			}
			h0, ok1 := t.held[from][yd.district]
			h1, ok2 := t.held[from+1][yd.district]
			if !ok1 || !ok2 {
				continue
			}
			a, b := t.counts[from][yd.district], t.counts[from+1][yd.district]
			for _, rule := range rules {
				stages := rule.Stages
				if len(stages) == 0 {
					stages = plan.Domains["stage"]
				}
				for _, stage := range stages {
					if !h0.has(stage) || !h1.has(stage) {
						continue
					}
					// The finding goes to a file that brought the later year, or else the earlier.
					f := bringer(pack, students[yearDistrict{from + 1, yd.district}], stage)
					if f == nil {
						f = bringer(pack, students[yearDistrict{from, yd.district}], stage)
					}
					n0, n1 := a[stage], b[stage]
					if n0 == 0 || (n0 < int64(rule.MinStudents) && n1 < int64(rule.MinStudents)) {
						continue // no base to compare with, or numbers too small to mean much
					}
					change := 100 * float64(n1-n0) / float64(n0)
					if change <= rule.MaxPercent && change >= -rule.MaxPercent {
						continue
					}
					vars := districtVars(pack, yd.district)
					maps.Copy(vars, map[string]string{
						"stage": stage, "stage_zh": stageZh[stage],
						"from_year": strconv.Itoa(from), "from_count": strconv.FormatInt(n0, 10),
						"to_year": strconv.Itoa(from + 1), "to_count": strconv.FormatInt(n1, 10),
						"change": fmt.Sprintf("%+.1f", change), "max_percent": formatFloat(rule.MaxPercent),
						"min_students": strconv.Itoa(rule.MinStudents),
					})
					f.report.Warn(districtWarning(f, rule, vars))
				}
			}
		}
	}
	return nil
}

// preschoolPopulation compares each district's preschool enrolment with its population
// of preschool age, in each year the import brought either for, where both are stored.
func (t *totaller) preschoolPopulation(pack *plan.Pack, rule *plan.Rule, students map[yearDistrict][]*file, population map[yearDistrict]*file) error {
	touched := maps.Clone(population)
	for yd, fs := range students { // a finding goes to a students file when there is one
		touched[yd] = bringer(pack, fs, "preschool")
	}
	pops := map[int]map[string]int64{}
	for _, yd := range slices.SortedFunc(maps.Keys(touched), cmpYearDistrict) {
		if err := t.load(yd.year); err != nil {
			return err
		}
		if h, ok := t.held[yd.year][yd.district]; !ok || !h.has("preschool") {
			continue
		}
		if _, ok := pops[yd.year]; !ok {
			p, err := t.tx.PopulationAged(t.ctx, yd.year, rule.Ages)
			if err != nil {
				return err
			}
			pops[yd.year] = p
		}
		pop := pops[yd.year][yd.district]
		kids := t.counts[yd.year][yd.district]["preschool"]
		if pop <= 0 {
			continue // no population of that age stored: nothing to compare with
		}
		percent := 100 * float64(kids) / float64(pop)
		if percent <= rule.MaxPercent {
			continue
		}
		vars := districtVars(pack, yd.district)
		maps.Copy(vars, map[string]string{
			"year": strconv.Itoa(yd.year), "students": strconv.FormatInt(kids, 10), "population": strconv.FormatInt(pop, 10),
			"percent": fmt.Sprintf("%.1f", percent), "max_percent": formatFloat(rule.MaxPercent),
			"ages": fmt.Sprintf("%d–%d", rule.Ages[0], rule.Ages[1]),
		})
		f := touched[yd]
		f.report.Warn(districtWarning(f, rule, vars))
	}
	return nil
}

// conditionRules checks each conditions row's quantities per student (of the row's
// stage, or of the whole school) against the rules' ranges, with the students as the
// transaction sees them; a school without students is not compared.
func conditionRules(ctx context.Context, tx *store.Tx, rules []*plan.Rule, files []*file) error {
	if len(rules) == 0 {
		return nil
	}
	type yd = yearDistrict
	students := map[yd]map[string]map[string]int64{}
	for _, f := range files {
		for _, c := range f.conds {
			k := yd{c.Year, c.district}
			if _, ok := students[k]; !ok {
				m, err := tx.InstitutionStages(ctx, c.Year, c.district)
				if err != nil {
					return err
				}
				students[k] = m
			}
			var n int64
			for stage, m := range students[k][c.Institution] {
				if c.Stage == "" || stage == c.Stage {
					n += m
				}
			}
			if n == 0 {
				continue
			}
			for _, rule := range rules {
				i := slices.Index(plan.ConditionColumns, rule.Condition)
				v := c.Values[i]
				if v == nil {
					continue
				}
				per := *v / float64(n) * rule.Per
				if per >= rule.Min && per <= rule.Max {
					continue
				}
				zh, en := rule.Format(map[string]string{"institution": c.Institution, "year": strconv.Itoa(c.Year),
					"stage": c.Stage, "stage_zh": stageZh[c.Stage], "value": formatFloat(*v), "students": strconv.FormatInt(n, 10),
					"per_student": strconv.FormatFloat(per, 'f', 2, 64), "min": formatFloat(rule.Min), "max": formatFloat(rule.Max)})
				f.report.Warn(RowError{File: f.name, Row: c.Row, Column: rule.Condition, Value: formatFloat(*v),
					Class: ClassPlausibility, Rule: rule.Code, Expected: zh, ExpectedEn: en})
			}
		}
	}
	return nil
}

func districtVars(pack *plan.Pack, district string) map[string]string {
	vars := map[string]string{"district": district, "district_name": district, "district_name_en": district}
	if o := pack.Org(district); o != nil {
		vars["district_name"], vars["district_name_en"] = o.Name, o.NameEn
	}
	return vars
}

// districtWarning is a finding about a district's totals: it names no row or column;
// the message says which district, stage and years.
func districtWarning(f *file, rule *plan.Rule, vars map[string]string) RowError {
	zh, en := rule.Format(vars)
	return RowError{File: f.name, Class: ClassPlausibility, Rule: rule.Code, Expected: zh, ExpectedEn: en}
}

func cmpYearDistrict(a, b yearDistrict) int {
	if a.year != b.year {
		return a.year - b.year
	}
	switch {
	case a.district < b.district:
		return -1
	case a.district > b.district:
		return 1
	}
	return 0
}

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
