package demo

import (
	"hash/fnv"
	"math"
	"strconv"
)

// The demo's story for the supervision standards (docs/standards.md), told by the
// school conditions, the teachers' subjects and backbone ranks, and teaching points.
// None of it is drawn from the generator's random streams, so that every other figure of
// the demo stays as it was: each school's numbers come from a hash of its code.
//
// Districts take turns: ready (every school above the thresholds, little spread), held
// back by a few schools (about one in eight well below, catching up year by year),
// and held back by 差异系数 (every school complies, but sports grounds and equipment are
// spread so unevenly between schools that the CV exceeds its limit).
const (
	standardsReady = iota
	standardsFewSchools
	standardsSpread
)

func (g *generator) standardsStory(district int) int { return district % 3 }

// unit returns a number in [0, 1) fixed by the strings.
func unit(parts ...string) float64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	// FNV's high bits hardly change with the last bytes (codes differ there): a
	// splitmix64 finish spreads every bit over all of them.
	x := h.Sum64()
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / (1 << 53)
}

// schoolFactor is how far a school's resources stand above the thresholds (1 = at them)
// in a year, for the items of a kind ("teachers", "area" or "equipment").
func (g *generator) schoolFactor(in *institution, y int, kind string) float64 {
	h := unit("standards", in.code)
	years := float64(y - g.years[0])
	f := 1.12 + 0.3*h + 0.02*years
	switch g.standardsStory(in.district) {
	case standardsFewSchools:
		if h < 0.12 {
			f = 0.7 + 0.06*years // at the thresholds five years on
		}
	case standardsSpread:
		if kind == "equipment" || kind == "area" {
			// Most schools near the threshold, a few with several times it.
			f = 1.05 + 4.5*math.Pow(unit("spread", in.code, kind), 5)
		}
	}
	return f
}

// teachingPoint reports whether an institution is a 教学点: a few small rural
// primary schools.
func teachingPoint(in *institution) bool {
	return in.typ == tPrimary && in.loc == locRural && unit("teaching_point", in.code) < 0.15
}

// Thresholds of the quality-balanced standard the demo aims around (standards.yaml):
// L4 teaching area, L5 sports area, L6 equipment, L7 classrooms per 100; primary, junior.
var conditionAims = [2][4]float64{{4.5, 7.5, 2000, 2.3}, {5.8, 10.2, 2500, 2.4}}

// conditionKinds says which school factor drives each conditions column.
var conditionKinds = [4]string{"area", "area", "equipment", "teachers"}

// writeConditions writes a conditions row for every school with primary or junior
// students: one row per stage, except complete secondary schools, which report the
// whole school (spread over its stages by students).
func (g *generator) writeConditions(f *csvFile, y int, students [][]student) int {
	f.row("year", "institution", "stage", "teaching_area", "sports_area", "equipment_value", "multimedia_classrooms")
	type instStage struct {
		inst int32
		st   stage
	}
	count := map[instStage]int{}
	total := map[int32]int{}
	for di, d := range g.ds {
		for t := range nTracks {
			for grade := trackGrades[t][0]; grade <= trackGrades[t][1]; grade++ {
				st := stageOf(t, grade, d.primaryEnd)
				for _, s := range students[g.cell(di, t, grade)] {
					count[instStage{s.inst, st}]++
					total[s.inst]++
				}
			}
		}
	}
	year, n := fmtInt(y), 0
	value := func(in *institution, col int, aims [4]float64, students int) string {
		v := aims[col] * g.schoolFactor(in, y, conditionKinds[col]) * float64(students)
		if col == 3 {
			return strconv.Itoa(int(math.Ceil(v / 100)))
		}
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	}
	for i := range g.insts {
		in := g.insts[i]
		p, j := count[instStage{int32(i), sPrimary}], count[instStage{int32(i), sJunior}]
		if in.typ == tSpecial || p+j == 0 {
			continue
		}
		if in.typ == tCompleteSecondary {
			row := []string{year, in.code, ""}
			for col := range 4 {
				row = append(row, value(in, col, conditionAims[1], total[int32(i)]))
			}
			f.row(row...)
			n++
			continue
		}
		for k, c := range []int{p, j} {
			if c == 0 {
				continue
			}
			row := []string{year, in.code, [2]string{"primary", "junior"}[k]}
			for col := range 4 {
				row = append(row, value(in, col, conditionAims[k], c))
			}
			f.row(row...)
			n++
		}
	}
	return n
}

// teacherRanks gives each teacher a subject and a backbone rank: in each school and
// stage, the first of its teachers in file order teach PE, music or art and the last
// ones are backbone teachers, as many as the school's factor calls for.
type teacherRanks struct {
	g      *generator
	y      int
	counts map[[2]int32]int // (institution, stage) → teachers
	seen   map[[2]int32]int
}

func (g *generator) newTeacherRanks(y int, teachers [][]teacher) *teacherRanks {
	r := &teacherRanks{g: g, y: y, counts: map[[2]int32]int{}, seen: map[[2]int32]int{}}
	for _, group := range teachers {
		for _, t := range group {
			r.counts[[2]int32{t.inst, int32(t.stage)}]++
		}
	}
	return r
}

var (
	otherSubjects = []string{"chinese", "math", "foreign_language", "chinese", "math", "science", "it", "moral", "other"}
	artsSubjects  = []string{"pe", "music", "art", "pe"}
	backboneRanks = []string{"county", "county", "county", "city", "county", "city", "county", "province", "county", "national"}
)

// next returns the subject and backbone rank of the next teacher of the file.
func (r *teacherRanks) next(t *teacher) (subject, backbone string) {
	key := [2]int32{t.inst, int32(t.stage)}
	k, n := r.seen[key], r.counts[key]
	r.seen[key]++
	in := r.g.insts[t.inst]
	f := r.g.schoolFactor(in, r.y, "teachers")
	arts := int(math.Ceil(0.15 * f * float64(n)))
	bb := int(math.Ceil(0.2 * f * float64(n)))
	subject = otherSubjects[k%len(otherSubjects)]
	if t.stage == sPreschool || t.stage == sHigher {
		subject = "" // kindergartens and colleges do not teach the school subjects
	} else if k < arts {
		subject = artsSubjects[k%len(artsSubjects)]
	}
	backbone = "none"
	if n-1-k < bb {
		backbone = backboneRanks[(n-1-k)%len(backboneRanks)]
	}
	return subject, backbone
}
