package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// student is one student in one year, kept compact (24 bytes) so that a million of them
// are a small slice; rows are formatted only while they are written.
type student struct {
	serial uint64 // rendered as an opaque id by the id space
	birth  int32  // days since 1970-01-01, or noDate
	inst   int32
	grade  int8
	track  track
	female bool
	hukou  int8 // 0 unknown, 1 local, 2 migrant
}

// noDate marks an unknown date of birth (an empty optional cell).
const noDate = math.MinInt32

// cellKey names a cell within a district.
type cellKey struct {
	t     track
	grade int
}

// transition is how students of last year's cells become this year's: each stays in
// the district's schools with probability stay; those whose institution takes the next
// grade stay there, the others fill the remaining seats of the "to" cells at random
// (moving from primary to junior school, or to senior or vocational school), and new
// students (new ids) take what is left.
type transition struct {
	from, to []cellKey
	stay     float64
}

var transitions = func() []transition {
	stay := [nTracks]float64{trPre: 0.97, trBasic: 0.985, trSpecial: 0.97, trSenior: 0.99, trVoc: 0.97, trUniv: 0.99, trHVoc: 0.985}
	ts := []transition{
		{to: []cellKey{{trPre, 1}}},
		{to: []cellKey{{trSpecial, 1}}},
		{from: []cellKey{{trPre, 3}}, to: []cellKey{{trBasic, 1}}, stay: 0.96},
		{from: []cellKey{{trBasic, 9}}, to: []cellKey{{trSenior, 10}, {trVoc, 10}}, stay: 0.96},
		// Most of a district's school leavers study elsewhere; a few stay for college.
		{from: []cellKey{{trSenior, 12}, {trVoc, 12}}, to: []cellKey{{trUniv, 13}, {trHVoc, 13}}, stay: 0.1},
	}
	for t := range nTracks {
		for grade := trackGrades[t][0] + 1; grade <= trackGrades[t][1]; grade++ {
			ts = append(ts, transition{from: []cellKey{{t, grade - 1}}, to: []cellKey{{t, grade}}, stay: stay[t]})
		}
	}
	return ts
}()

// fillStudents returns this year's students by cell, each cell ordered by institution,
// filling every seat of the plan: continuing students first, new ones after.
func (g *generator) fillStudents(y int, seats [][]seat) [][]student {
	r := g.rng("students", y)
	out := make([][]student, g.nCells())
	open := make([]int32, len(g.insts))
	consumer := make([]int8, len(g.insts))
	var pool []student
	type slot struct {
		k    int8
		inst int32
	}
	var slots []slot
	for di := range g.ds {
		for _, tr := range transitions {
			for k, c := range tr.to {
				ci := g.cell(di, c.t, c.grade)
				n := 0
				for _, s := range seats[ci] {
					open[s.inst] += s.n
					consumer[s.inst] = int8(k)
					n += int(s.n)
				}
				out[ci] = make([]student, 0, n)
			}
			pool = pool[:0]
			for _, f := range tr.from {
				if g.prevS == nil {
					break
				}
				prev := g.prevS[g.cell(di, f.t, f.grade)]
				for i := 0; i < len(prev); {
					j := i + 1
					for j < len(prev) && prev[j].inst == prev[i].inst {
						j++
					}
					run, inst := prev[i:j], prev[i].inst
					i = j
					n := 0
					for _, s := range run {
						if r.Float64() < tr.stay {
							run[n] = s
							n++
						}
					}
					run = run[:n]
					r.Shuffle(n, func(a, b int) { run[a], run[b] = run[b], run[a] })
					take := min(int(open[inst]), n)
					if take > 0 {
						c := tr.to[consumer[inst]]
						ci := g.cell(di, c.t, c.grade)
						for _, s := range run[:take] {
							s.track, s.grade = c.t, int8(c.grade)
							out[ci] = append(out[ci], s)
						}
						open[inst] -= int32(take)
					}
					pool = append(pool, run[take:]...)
				}
			}
			r.Shuffle(len(pool), func(a, b int) { pool[a], pool[b] = pool[b], pool[a] })
			slots = slots[:0]
			for k, c := range tr.to {
				for _, s := range seats[g.cell(di, c.t, c.grade)] {
					for ; open[s.inst] > 0; open[s.inst]-- {
						slots = append(slots, slot{int8(k), s.inst})
					}
				}
			}
			r.Shuffle(len(slots), func(a, b int) { slots[a], slots[b] = slots[b], slots[a] })
			for i, sl := range slots {
				c := tr.to[sl.k]
				var s student
				if i < len(pool) {
					s = pool[i]
				} else {
					s = g.newStudent(r, di, c.t, c.grade, y)
				}
				s.inst, s.track, s.grade = sl.inst, c.t, int8(c.grade)
				ci := g.cell(di, c.t, c.grade)
				out[ci] = append(out[ci], s)
			}
			for _, c := range tr.to {
				slices.SortStableFunc(out[g.cell(di, c.t, c.grade)], func(a, b student) int { return int(a.inst - b.inst) })
			}
		}
	}
	return out
}

// newStudent makes a student who is new to the district's schools this year.
func (g *generator) newStudent(r *rand.Rand, d int, t track, grade, y int) student {
	age := grade + 5 // grade 1 at 6, grade 10 at 15, grade 13 at 18
	switch t {
	case trPre:
		age = grade + 2
	case trSpecial:
		age += r.IntN(3)
	case trVoc:
		if r.Float64() < 0.1 {
			age++
		}
	case trUniv, trHVoc:
		if r.Float64() < 0.15 {
			age++
		}
	}
	s := student{serial: g.sids.next(), female: r.Float64() < 0.48, birth: noDate}
	if r.Float64() >= 0.01 {
		s.birth = birthDay(r, y, age)
	}
	if t != trUniv && t != trHVoc { // hukou is about 随迁子女 in schools, not college students
		switch x := r.Float64(); {
		case x < 0.01:
		case x < 0.01+g.ds[d].prof.migrant:
			s.hukou = 2
		default:
			s.hukou = 1
		}
	}
	return s
}

// birthDay returns a random date of birth of someone aged age on 1 September of year y,
// the day the school year starts.
func birthDay(r *rand.Rand, y, age int) int32 {
	lo := days(y-age-1, time.September, 1)
	hi := days(y-age, time.September, 1) - 1
	return lo + int32(r.IntN(int(hi-lo+1)))
}

// days returns the days since 1970-01-01 of a date.
func days(y int, m time.Month, d int) int32 {
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// ageOn returns the age on 1 September of year y of someone born on day birth.
func ageOn(birth int32, y int) int {
	t := time.Unix(int64(birth)*86400, 0).UTC()
	age := y - t.Year()
	if t.Month() > time.September || t.Month() == time.September && t.Day() > 1 {
		age--
	}
	return age
}
