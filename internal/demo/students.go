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
	f := &seating{
		g:        g,
		r:        g.rng("students", y),
		y:        y,
		seats:    seats,
		out:      make([][]student, g.nCells()),
		open:     make([]int32, len(g.insts)),
		consumer: make([]int8, len(g.insts)),
	}
	for di := range g.ds {
		for _, tr := range transitions {
			f.openSeats(di, tr)
			f.pool = f.pool[:0]
			if g.prevS != nil {
				for _, c := range tr.from {
					f.continueFrom(di, tr, g.prevS[g.cell(di, c.t, c.grade)])
				}
			}
			f.seatTheRest(di, tr)
			for _, c := range tr.to {
				slices.SortStableFunc(f.out[g.cell(di, c.t, c.grade)], func(a, b student) int { return int(a.inst - b.inst) })
			}
		}
	}
	return f.out
}

// seating is the state of fillStudents: the students placed so far by cell, the seats
// still open, and the continuing students who have not found one yet.
type seating struct {
	g     *generator
	r     *rand.Rand
	y     int
	seats [][]seat    // the plan's seats by cell
	out   [][]student // the students placed, by cell
	// open counts each institution's seats still open in the transition's "to" cells;
	// consumer says which of those cells they are in.
	open     []int32
	consumer []int8
	pool     []student // continuing students without a seat in their institution
	slots    []slot
}

// slot is one open seat: an institution's, in the transition's k-th "to" cell.
type slot struct {
	k    int8
	inst int32
}

// openSeats opens the seats of the transition's "to" cells in district di.
func (f *seating) openSeats(di int, tr transition) {
	for k, c := range tr.to {
		ci := f.g.cell(di, c.t, c.grade)
		n := 0
		for _, s := range f.seats[ci] {
			f.open[s.inst] += s.n
			f.consumer[s.inst] = int8(k)
			n += int(s.n)
		}
		f.out[ci] = make([]student, 0, n)
	}
}

// continueFrom moves last year's students of a "from" cell (prev, ordered by
// institution) on: each stays with the transition's probability, and those who stay
// keep to their institution while it has seats open, in random order; the others join
// the pool. prev is reused for the stayers.
func (f *seating) continueFrom(di int, tr transition, prev []student) {
	for i := 0; i < len(prev); {
		j := i + 1
		for j < len(prev) && prev[j].inst == prev[i].inst {
			j++
		}
		run, inst := prev[i:j], prev[i].inst
		i = j
		n := 0
		for _, s := range run {
			if f.r.Float64() < tr.stay {
				run[n] = s
				n++
			}
		}
		run = run[:n]
		f.r.Shuffle(n, func(a, b int) { run[a], run[b] = run[b], run[a] })
		take := min(int(f.open[inst]), n)
		if take > 0 {
			c := tr.to[f.consumer[inst]]
			ci := f.g.cell(di, c.t, c.grade)
			for _, s := range run[:take] {
				s.track, s.grade = c.t, int8(c.grade)
				f.out[ci] = append(f.out[ci], s)
			}
			f.open[inst] -= int32(take)
		}
		f.pool = append(f.pool, run[take:]...)
	}
}

// seatTheRest fills the seats still open in the transition's "to" cells in random
// order: with the pool's students, in random order, then with new students.
func (f *seating) seatTheRest(di int, tr transition) {
	f.r.Shuffle(len(f.pool), func(a, b int) { f.pool[a], f.pool[b] = f.pool[b], f.pool[a] })
	f.slots = f.slots[:0]
	for k, c := range tr.to {
		for _, s := range f.seats[f.g.cell(di, c.t, c.grade)] {
			for ; f.open[s.inst] > 0; f.open[s.inst]-- {
				f.slots = append(f.slots, slot{int8(k), s.inst})
			}
		}
	}
	f.r.Shuffle(len(f.slots), func(a, b int) { f.slots[a], f.slots[b] = f.slots[b], f.slots[a] })
	for i, sl := range f.slots {
		c := tr.to[sl.k]
		var s student
		if i < len(f.pool) {
			s = f.pool[i]
		} else {
			s = f.g.newStudent(f.r, di, c.t, c.grade, f.y)
		}
		s.inst, s.track, s.grade = sl.inst, c.t, int8(c.grade)
		ci := f.g.cell(di, c.t, c.grade)
		f.out[ci] = append(f.out[ci], s)
	}
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
