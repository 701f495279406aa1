package ingest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// A declared kind's row is checked against what the store holds of its year, beyond
// the institution's existing:
//
//   - the institution must be of the classes the kind allows (kinds.yaml's
//     institutions: a private school's register takes only private institutions);
//   - a person's row (student_health, teacher_development) must name a student or
//     teacher on that year's roster at the institution it is filed under. That ties
//     every record to one enrolled person, and, as a roster holds a person at one
//     institution a year, the same person filed in two districts' files, or in two
//     imports, is refused too. A district with no roster of the year yet refuses the
//     rows: import the roster first, as the institutions file comes before the rosters.
//
// The ids are read from the stored roster (roster_ids), never kept with the records.

// kindChecks is what an applier reads from the store for these checks, by year and
// district, loaded once per file.
type kindChecks struct {
	classes map[int]map[string]store.InstitutionClass
	rosters map[yearDistrict]*rosterIndex
}

// rosterIndex is a roster snapshot's ids with the institution of each (an index in
// insts); nil ids when the district has no roster of the year.
type rosterIndex struct {
	ids   map[string]int32
	insts []string
	// tables: the district's counts of the year came as school tables, with no roster
	// of persons to check the rows against.
	tables   bool
	reported bool // the missing roster has been reported once in the file
}

// checkInstitution refuses a row at an institution the kind does not take.
func (a *applier) checkInstitution(rk *plan.RecordKind, r *Record) (bool, error) {
	if len(rk.Institutions) == 0 {
		return true, nil
	}
	if a.checks == nil {
		a.checks = &kindChecks{classes: map[int]map[string]store.InstitutionClass{}, rosters: map[yearDistrict]*rosterIndex{}}
	}
	m, ok := a.checks.classes[r.Year]
	if !ok {
		var err error
		if m, err = a.tx.InstitutionClasses(a.ctx, r.Year); err != nil {
			return false, err
		}
		a.checks.classes[r.Year] = m
	}
	c := m[r.Institution]
	for _, cond := range rk.Institutions {
		v := c.Dim(cond.Key)
		if slices.Contains(cond.Values, v) {
			continue
		}
		dimZh, dimEn := dimLabel(cond.Key)
		var wantZh, wantEn []string
		for _, w := range cond.Values {
			zh, en := codeLabel(cond.Key, w)
			wantZh, wantEn = append(wantZh, zh), append(wantEn, en)
		}
		hasZh, hasEn := codeLabel(cond.Key, v)
		a.fail(r.Row, "institution", r.Institution, ClassReference,
			fmt.Sprintf("%s只填报%s为%s的学校；%d 年学校名单中 %s 的%s是%s", rk.Name, dimZh, strings.Join(wantZh, "、"), r.Year, r.Institution, dimZh, hasZh),
			fmt.Sprintf("a %s file takes only institutions whose %s is %s; in the %d institutions file %s's is %s", rk.Code, dimEn, strings.Join(wantEn, " or "), r.Year, r.Institution, hasEn))
		return false, nil
	}
	return true, nil
}

// dimLabel names an institution's dimension in Chinese and English.
func dimLabel(key string) (zh, en string) {
	switch key {
	case "type":
		return "学校类型", "type"
	case "ownership":
		return "办学性质", "ownership"
	case "location":
		return "城乡分类", "location"
	case "inclusive":
		return "是否普惠", "inclusive"
	}
	return key, key
}

// codeLabel names a code of an institution's dimension in Chinese and English.
func codeLabel(key, code string) (zh, en string) {
	if code == "" {
		return "空", "empty"
	}
	if m, ok := codeMeanings[key][code]; ok {
		return m[0], m[1]
	}
	if key == "inclusive" {
		if code == "true" {
			return "是", "true"
		}
		return "否", "false"
	}
	return code, code
}

// checkPerson refuses a person's row whose id is not on that year's roster at the row's
// institution (in district).
func (a *applier) checkPerson(rk *plan.RecordKind, r *Record, district string) (bool, error) {
	if !rk.OnRoster {
		return true, nil
	}
	if a.checks == nil {
		a.checks = &kindChecks{classes: map[int]map[string]store.InstitutionClass{}, rosters: map[yearDistrict]*rosterIndex{}}
	}
	kind, column, who, whoEn, roster, rosterEn := store.KindStudents, "student_id", "学生", "student", "学生名册", "students"
	if rk.Key == plan.KeyTeacher {
		kind, column, who, whoEn, roster, rosterEn = store.KindTeachers, "teacher_id", "教师", "teacher", "教师名册", "teachers"
	}
	idx, err := a.rosterIndex(kind, r.Year, district)
	if err != nil {
		return false, err
	}
	dzh, den := orgLabel(a.pack, district)
	if idx.ids == nil && idx.tables {
		// School tables (基础基表) hold counts, not persons: the rows are taken unchecked,
		// with a warning once a district and year.
		if !idx.reported {
			idx.reported = true
			a.f.report.Warn(RowError{File: a.f.name, Row: r.Row, Column: column, Value: r.ID, Class: ClassReference,
				Expected:   fmt.Sprintf("%s %d 年的%s数来自学校汇总表（基础基表），没有逐人名册：该区县的%s记录未能与%s核对", dzh, r.Year, who, rk.Name, roster),
				ExpectedEn: fmt.Sprintf("%s's %ss of %d came as school tables, with no roster of persons: its rows of this %s file could not be checked against a roster", den, whoEn, r.Year, rk.Code)})
		}
		return true, nil
	}
	if idx.ids == nil {
		// Once a file: every row of the district would say the same. After an error in
		// another file, the roster may be that file's, refused: say nothing more.
		if !idx.reported && !a.dryRun {
			idx.reported = true
			a.fail(r.Row, column, r.ID, ClassReference,
				fmt.Sprintf("%s尚未导入 %d 年的%s：%s的每一行须是该年%s中的%s，请先导入%s", dzh, r.Year, roster, rk.Name, roster, who, roster),
				fmt.Sprintf("%s has no %s roster of %d yet: each row of a %s file must be a %s on that year's roster; import the %s file first", den, rosterEn, r.Year, rk.Code, whoEn, rosterEn))
		}
		return false, nil
	}
	if i, ok := idx.ids[r.ID]; ok && idx.insts[i] == r.Institution {
		return true, nil
	}
	at, atDistrict, err := a.rosterPlace(kind, r.Year, r.ID)
	if err != nil {
		return false, err
	}
	// Where the roster has the person is said only within the caller's scope: a
	// district's officer learns nothing of another district's pupils.
	if at == "" {
		a.fail(r.Row, column, r.ID, ClassReference,
			fmt.Sprintf("%d 年%s的%s中 %s 没有这名%s：%s的每一行须是%s中在该校的%s", r.Year, dzh, roster, r.Institution, who, rk.Name, roster, who),
			fmt.Sprintf("no such %s at %s on the %d %s roster of %s: each row of a %s file must be a %s on the roster at the institution", whoEn, r.Institution, r.Year, rosterEn, den, rk.Code, whoEn))
		return false, nil
	}
	azh, aen := orgLabel(a.pack, atDistrict)
	a.fail(r.Row, column, r.ID, ClassReference,
		fmt.Sprintf("%d 年%s中这名%s在%s的 %s，不在 %s", r.Year, roster, who, azh, at, r.Institution),
		fmt.Sprintf("on the %d %s roster this %s is at %s in %s, not at %s", r.Year, rosterEn, whoEn, at, aen, r.Institution))
	return false, nil
}

// rosterIndex returns the ids of the roster snapshot of a kind in a year and district,
// read once per file.
func (a *applier) rosterIndex(kind string, year int, district string) (*rosterIndex, error) {
	key := yearDistrict{year, district}
	if idx, ok := a.checks.rosters[key]; ok {
		return idx, nil
	}
	idx := &rosterIndex{ids: map[string]int32{}}
	insts := map[string]int32{}
	found, err := a.tx.RosterIDsAt(a.ctx, kind, year, district, func(id, inst []byte) error {
		i, ok := insts[string(inst)]
		if !ok {
			i = int32(len(idx.insts))
			insts[string(inst)] = i
			idx.insts = append(idx.insts, string(inst))
		}
		idx.ids[string(id)] = i
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !found {
		idx.ids = nil
		if idx.tables, err = a.tx.HasRosterCells(a.ctx, kind, year, district); err != nil {
			return nil, err
		}
	}
	a.checks.rosters[key] = idx
	return idx, nil
}

// rosterPlace returns the institution and district where a year's rosters of a kind
// within the caller's scope hold an id, or "": for the message of a row filed under
// another institution.
func (a *applier) rosterPlace(kind string, year int, id string) (string, string, error) {
	districts := []string{a.scope.Org}
	if a.scope.Org == a.pack.Tenant {
		districts = districts[:0]
		for _, d := range a.pack.Districts() {
			districts = append(districts, d.Code)
		}
	}
	for _, d := range districts {
		idx, err := a.rosterIndex(kind, year, d)
		if err != nil {
			return "", "", err
		}
		if i, ok := idx.ids[id]; ok {
			return idx.insts[i], d, nil
		}
	}
	return "", "", nil
}
