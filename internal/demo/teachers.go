package demo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// education is a teacher's highest degree.
type education int8

const (
	eBelowSecondary education = iota
	eSecondary
	eAssociate
	eBachelor
	eMaster
	eDoctor
	nEducations
)

var educationNames = [nEducations]string{"below_secondary", "secondary", "associate", "bachelor", "master", "doctor"}

// teacher is one full-time teacher (专任教师) in one year. The u values are fixed ranks
// (lower is more): each year the teachers of a group with the lowest uEdu hold the
// degrees the group's quota asks for, so that a teacher's degree rarely changes.
type teacher struct {
	serial               uint64
	birth                int32
	inst                 int32
	uEdu, uMajor, uDual  float32
	hired                int16 // the year the teacher was newly recruited, if known
	stage                stage
	female               bool
	edu                  education
	major, dual, rotated int8  // 0 unknown, 1 false, 2 true
	blank                uint8 // optional cells this teacher's school leaves empty
}

// Bits of teacher.blank.
const (
	blankBirth = 1 << iota
	blankMajor
	blankDual
)

// pupilsPerTeacher are the student–teacher ratios that size each institution's staff.
func pupilsPerTeacher(in *institution, st stage) float64 {
	switch st {
	case sPreschool:
		if in.public {
			return 12.5
		}
		return 15
	case sPrimary:
		return [nLocations]float64{18.5, 15.5, 11.5}[in.loc]
	case sJunior:
		return [nLocations]float64{13.5, 12, 10}[in.loc]
	case sSenior:
		return 12.5
	case sSecondaryVocational:
		return 16.5
	case sSpecial:
		return 3.8
	}
	if in.typ == tUniversity {
		return 19
	}
	return 20
}

// teacherTargets returns how many teachers each institution has for each stage this
// year (index inst·nStages + stage), from its students.
func (g *generator) teacherTargets(seats [][]seat) []int32 {
	students := make([]int32, len(g.insts)*int(nStages))
	for di, d := range g.ds {
		for t := range nTracks {
			for grade := trackGrades[t][0]; grade <= trackGrades[t][1]; grade++ {
				st := stageOf(t, grade, d.primaryEnd)
				for _, s := range seats[g.cell(di, t, grade)] {
					students[int(s.inst)*int(nStages)+int(st)] += s.n
				}
			}
		}
	}
	targets := make([]int32, len(students))
	for i, n := range students {
		if n > 0 {
			in := g.insts[i/int(nStages)]
			targets[i] = int32(max(1, math.Round(float64(n)/pupilsPerTeacher(in, stage(i%int(nStages))))))
		}
	}
	return targets
}

// fillTeachers returns this year's teachers by district×stage, each group ordered by
// institution: last year's teachers stay unless they retire or leave; those beyond their
// school's need move to another school of the district; new hires fill the rest.
func (g *generator) fillTeachers(y int, targets []int32) [][]teacher {
	r := g.rng("teachers", y)
	out := make([][]teacher, len(g.ds)*int(nStages))
	open := make([]int32, len(g.insts))
	var pool []teacher
	var slots []int32
	for di, d := range g.ds {
		for st := range nStages {
			gi := di*int(nStages) + int(st)
			n := 0
			for _, ii := range d.insts {
				open[ii] = targets[int(ii)*int(nStages)+int(st)]
				n += int(open[ii])
			}
			out[gi] = make([]teacher, 0, n)
			pool = pool[:0]
			if g.prevT != nil {
				prev := g.prevT[gi]
				for i := 0; i < len(prev); {
					j := i + 1
					for j < len(prev) && prev[j].inst == prev[i].inst {
						j++
					}
					run, inst := prev[i:j], prev[i].inst
					i = j
					k := 0
					for _, t := range run {
						limit := 60
						if t.female {
							limit = 55
						}
						if ageOn(t.birth, y) < limit && r.Float64() >= leaveRate {
							run[k] = t
							k++
						}
					}
					run = run[:k]
					r.Shuffle(k, func(a, b int) { run[a], run[b] = run[b], run[a] })
					take := min(int(open[inst]), k)
					out[gi] = append(out[gi], run[:take]...)
					open[inst] -= int32(take)
					pool = append(pool, run[take:]...)
				}
			}
			r.Shuffle(len(pool), func(a, b int) { pool[a], pool[b] = pool[b], pool[a] })
			slots = slots[:0]
			for _, ii := range d.insts {
				for ; open[ii] > 0; open[ii]-- {
					slots = append(slots, ii)
				}
			}
			r.Shuffle(len(slots), func(a, b int) { slots[a], slots[b] = slots[b], slots[a] })
			for i, ii := range slots {
				var t teacher
				if i < len(pool) {
					t = pool[i]
				} else {
					t = g.newTeacher(r, st, y)
				}
				t.inst = ii
				out[gi] = append(out[gi], t)
			}
			slices.SortStableFunc(out[gi], func(a, b teacher) int { return int(a.inst - b.inst) })
		}
	}
	return out
}

var femaleShare = [nStages]float64{0.97, 0.78, 0.62, 0.55, 0.5, 0.72, 0.48}

// Teachers come and go slowly: in the 编制 system few leave before retirement, and the
// staff of the first year are younger than an even spread of ages (fewer near 55 or
// 60), so 2–3% of the city's teachers a year are new hires, retirements and growth
// together — at scale 1 about 8,200 in 2021–2025, near the plan's 8,000 new teachers
// (新补充教师) — and not the 5–6% an even spread and a high turnover would give.
const (
	leaveRate    = 0.003 // of the teachers below retirement age, the share who leave in a year
	firstHires   = 0.02  // of the first year's staff, the share newly recruited that year
	oldestWeight = 0.25  // the density of ages at retirement against that at 23
)

// newTeacher makes a teacher: in the first year one of the staff already there (a few
// newly recruited), later a new hire, younger and more often with a degree.
func (g *generator) newTeacher(r *rand.Rand, st stage, y int) teacher {
	t := teacher{serial: g.tids.next(), stage: st, female: r.Float64() < femaleShare[st]}
	hire := y != g.years[0] || r.Float64() < firstHires
	age := 22 + r.IntN(9)
	if hire {
		t.hired = int16(y)
		t.uEdu, t.uMajor = 0.7*r.Float32(), 0.8*r.Float32()
	} else {
		limit := 60
		if t.female {
			limit = 55
		}
		age = 23 + int(float64(limit-23)*youngerSpread(r.Float64()))
		t.uEdu, t.uMajor = r.Float32(), r.Float32()
	}
	t.uDual = r.Float32()
	t.birth = birthDay(r, y, age)
	if r.Float64() < 0.01 {
		t.blank |= blankBirth
	}
	if r.Float64() < 0.02 {
		t.blank |= blankMajor
	}
	if r.Float64() < 0.03 {
		t.blank |= blankDual
	}
	return t
}

// quota is how many of a district's teachers hold what the teacher indicators count.
type quota struct {
	major, dual, master int
	bachelor            [nLocations]int // compulsory teachers with a bachelor's degree or more, by location
}

// staff are a district's denominators of the teacher indicators.
type staff struct {
	preschool, senior, vocational int
	compulsory                    [nLocations]int
}

func (g *generator) staffOf(teachers [][]teacher) []staff {
	out := make([]staff, len(g.ds))
	for di := range g.ds {
		s := &out[di]
		for st := range nStages {
			for _, t := range teachers[di*int(nStages)+int(st)] {
				in := g.insts[t.inst]
				switch {
				case st == sPreschool:
					s.preschool++
				case st.compulsory():
					s.compulsory[in.loc]++
				case st == sSenior || st == sSecondaryVocational:
					s.senior++
				}
				if in.typ.vocational() {
					s.vocational++
				}
			}
		}
	}
	return out
}

// assignTeachers sets each teacher's degree and flags for the year so that every
// district meets its quotas exactly.
func (g *generator) assignTeachers(y int, teachers [][]teacher) {
	r := g.rng("teacher-flags", y)
	staffs := g.staffOf(teachers)
	quotas := g.teacherQuotas(y, staffs)
	years := float64(y - g.base)
	d := &districtTeachers{}
	for di := range g.ds {
		q := quotas[di]
		d.byStage = teachers[di*int(nStages) : (di+1)*int(nStages)]
		g.grantCompulsoryDegrees(d, q, years)
		grantSeniorDegrees(d, q)
		grantPreschool(d, q, years)
		g.grantDual(d, q)
		g.settleTeachers(r, d)
	}
}

// districtTeachers are one district's teachers by stage, with the buffer of the groups
// picked from them to rank against a quota.
type districtTeachers struct {
	byStage [][]teacher
	group   []*teacher
}

// pick returns the district's teachers that keep accepts, in stage order. The slice is
// reused by the next pick.
func (d *districtTeachers) pick(keep func(*teacher) bool) []*teacher {
	d.group = d.group[:0]
	for st := range nStages {
		ts := d.byStage[st]
		for i := range ts {
			if keep(&ts[i]) {
				d.group = append(d.group, &ts[i])
			}
		}
	}
	return d.group
}

// byRank orders teachers by one of their draws, ties by serial: a quota of n goes to
// the first n.
func byRank(ts []*teacher, u func(*teacher) float32) {
	slices.SortFunc(ts, func(a, b *teacher) int {
		return cmp.Or(cmp.Compare(u(a), u(b)), cmp.Compare(a.serial, b.serial))
	})
}

// eduDraw is the draw that ranks teachers for degrees.
func eduDraw(t *teacher) float32 { return t.uEdu }

// grantCompulsoryDegrees gives the compulsory teachers of each location their degrees:
// a bachelor's or more to the location's quota, masters among them a share growing with
// the years, secondary education only to the last 2%, associate degrees to the rest.
func (g *generator) grantCompulsoryDegrees(d *districtTeachers, q quota, years float64) {
	for loc := range nLocations {
		ts := d.pick(func(t *teacher) bool { return t.stage.compulsory() && g.insts[t.inst].loc == loc })
		byRank(ts, eduDraw)
		masters := min(q.bachelor[loc], int(math.Round(clamp(0.03+0.005*years, 0, 0.2)*float64(len(ts)))))
		secondary := int(math.Round(0.02 * float64(len(ts))))
		for i, t := range ts {
			switch {
			case i < masters:
				t.edu = eMaster
			case i < q.bachelor[loc]:
				t.edu = eBachelor
			case i >= len(ts)-secondary:
				t.edu = eSecondary
			default:
				t.edu = eAssociate
			}
		}
	}
}

// grantSeniorDegrees gives senior and secondary vocational teachers their degrees: a
// master's or more to the quota (doctors 4% of it), a bachelor's to the rest but a few
// vocational teachers with associate degrees.
func grantSeniorDegrees(d *districtTeachers, q quota) {
	ts := d.pick(func(t *teacher) bool { return t.stage == sSenior || t.stage == sSecondaryVocational })
	byRank(ts, eduDraw)
	doctors := int(math.Round(0.04 * float64(q.master)))
	for i, t := range ts {
		switch {
		case i < doctors:
			t.edu = eDoctor
		case i < q.master:
			t.edu = eMaster
		case t.stage == sSecondaryVocational && t.uEdu > 0.92:
			t.edu = eAssociate
		default:
			t.edu = eBachelor
		}
	}
}

// grantPreschool gives kindergarten teachers their degrees by rank, bachelors a share
// growing with the years, and the preschool major by quota.
func grantPreschool(d *districtTeachers, q quota, years float64) {
	ts := d.pick(func(t *teacher) bool { return t.stage == sPreschool })
	bachelor := float32(clamp(0.5+0.03*years, 0.3, 0.85))
	for _, t := range ts {
		switch {
		case t.uEdu < 0.01:
			t.edu = eMaster
		case t.uEdu < bachelor:
			t.edu = eBachelor
		case t.uEdu > 0.95:
			t.edu = eSecondary
		default:
			t.edu = eAssociate
		}
	}
	byRank(ts, func(t *teacher) float32 { return t.uMajor })
	for i, t := range ts {
		t.major = flag(i < q.major, t.blank&blankMajor != 0)
	}
}

// grantDual makes teachers of vocational schools and colleges 双师型 by quota.
func (g *generator) grantDual(d *districtTeachers, q quota) {
	ts := d.pick(func(t *teacher) bool { return g.insts[t.inst].typ.vocational() })
	byRank(ts, func(t *teacher) float32 { return t.uDual })
	for i, t := range ts {
		t.dual = flag(i < q.dual, t.blank&blankDual != 0)
	}
}

// settleTeachers gives the teachers no quota counts their degrees (special schools,
// higher education), clears the flags that do not apply to a teacher's stage or school,
// and draws the year's rotation (交流轮岗), in stage and teacher order.
func (g *generator) settleTeachers(r *rand.Rand, d *districtTeachers) {
	for st := range nStages {
		ts := d.byStage[st]
		for i := range ts {
			t := &ts[i]
			in := g.insts[t.inst]
			switch {
			case st == sSpecial:
				t.edu = byCut(t.uEdu, 0.08, eMaster, 0.93, eBachelor, eAssociate)
			case st == sHigher && in.typ == tUniversity:
				t.edu = byCut(t.uEdu, 0.4, eDoctor, 0.9, eMaster, eBachelor)
			case st == sHigher:
				t.edu = byCut(t.uEdu, 0.12, eDoctor, 0.72, eMaster, eBachelor)
			}
			if st != sPreschool {
				t.major = 0
			}
			if !in.typ.vocational() {
				t.dual = 0
			}
			// 交流轮岗 is mostly among compulsory schools; about one teacher in ten
			// takes part in a year.
			switch {
			case st == sHigher:
				t.rotated = flag(false, false)
			case st.compulsory():
				t.rotated = flag(r.Float64() < 0.16, false)
			default:
				t.rotated = flag(r.Float64() < 0.07, false)
			}
		}
	}
}

// byCut returns ea for u below a, eb for u below b, ec above.
func byCut(u, a float32, ea education, b float32, eb, ec education) education {
	switch {
	case u < a:
		return ea
	case u < b:
		return eb
	}
	return ec
}

// flag returns the cell value of a boolean: true, or false unless the cell is left
// empty (unknown counts as false anyway).
func flag(v, blank bool) int8 {
	switch {
	case v:
		return 2
	case blank:
		return 0
	}
	return 1
}

// youngerSpread maps u, uniform in [0, 1), to [0, 1) with a density falling linearly
// from 1 at 0 to oldestWeight at 1 (the inverse of its distribution function).
func youngerSpread(u float64) float64 {
	const c = oldestWeight
	return (1 - math.Sqrt(1-(1-c)*(1+c)*u)) / (1 - c)
}
