package demo

import "math"

// The cohort model: how many students each district has in each track and grade each
// year. In the baseline year the city's totals are the plan's baselines exactly, shared
// among districts and grades; every cohort then moves up a grade a year, growing or
// shrinking by its district's net migration, and new cohorts enter at the district's
// growth rate, which is calibrated so that the city's enrolment heads for the plan's
// targets.

// Students in the city at scale 1 that the plan states no baseline for.
const (
	preschoolPerScale = 17 // preschool children, in units of 10,000 (kept a multiple of 10,000)
	specialCity       = 2500
)

// reachTarget is how much of the planned growth of enrolment the city achieves by the
// target year.
const reachTarget = 1.02

func (g *generator) growth(d int, t track) float64 {
	p := g.ds[d].prof
	switch t {
	case trPre:
		return p.growth - 0.03 // births have fallen since 2017
	case trBasic:
		return p.growth
	case trSpecial:
		return 0.01
	case trSenior, trVoc:
		return p.growth + 0.002
	}
	return 0.015
}

func (g *generator) drift(d int, t track) float64 {
	p := g.ds[d].prof
	switch t {
	case trBasic:
		return p.drift
	case trSenior:
		return p.drift / 2
	case trVoc:
		return p.drift/2 - 0.005
	case trUniv:
		return -0.005
	case trHVoc:
		return -0.01
	}
	return 0
}

// risk is the extra loss of junior students in the district whose retention the story
// puts at risk: from two years after the baseline, grade 9 is 1.5% short of its cohort.
func (g *generator) risk(d int, t track, grade, y int) float64 {
	if !g.ds[d].prof.retentionRisk || t != trBasic || y < g.base+2 {
		return 1
	}
	switch grade {
	case 7:
		return 0.995
	case 8:
		return 0.99
	case 9:
		return 0.985
	}
	return 1
}

// entrants returns the size of the cohort of a track that entered its first grade in
// year e in district d: exact for cohorts enrolled in the baseline year, modelled for
// the others.
func (g *generator) entrants(d int, t track, e int) float64 {
	lo, hi := trackGrades[t][0], trackGrades[t][1]
	if e <= g.base && e > g.base-(hi-lo+1) {
		return float64(g.baseCells[g.cell(d, t, lo+g.base-e)])
	}
	ref := float64(g.baseCells[g.cell(d, t, lo)])
	return ref * math.Pow(1+g.growth(d, t)+g.adj[t], float64(e-g.base)) * g.noise[d*int(nTracks)+int(t)][e-g.eMin]
}

// count returns the students of a track and grade in district d in year y.
func (g *generator) count(d int, t track, grade, y int) int {
	e := y - (grade - trackGrades[t][0])
	x := g.entrants(d, t, e)
	if y > g.base {
		n := y - max(e, g.base)
		x *= math.Pow(1+g.drift(d, t), float64(n)) * g.risk(d, t, grade, y)
	}
	return int(math.Round(x))
}

// buildCohorts shares the baseline totals among cells, calibrates growth and counts
// every cell of every year.
func (g *generator) buildCohorts() {
	g.drawCohortNoise()
	g.shareBaseline()
	s := 10000 * g.opt.Scale
	g.calibrate([]track{trBasic}, g.aims.compulsory.base*s, g.aims.compulsory.goal*s)
	g.calibrate([]track{trSenior, trVoc}, g.aims.senior.base*s, g.aims.senior.goal*s)
	g.calibrate([]track{trUniv, trHVoc}, g.aims.higher.base*s, g.aims.higher.goal*s)
	g.countCells()
}

// drawCohortNoise draws the small random factor (about ±1%) of every district's,
// track's and entry year's cohort, for every entry year a count can read.
func (g *generator) drawCohortNoise() {
	r := g.rng("cohorts", 0)
	g.eMin = g.years[0] - 20
	eMax := max(g.years[len(g.years)-1], g.goal) + 1
	g.noise = make([][]float64, len(g.ds)*int(nTracks))
	for i := range g.noise {
		g.noise[i] = make([]float64, eMax-g.eMin+1)
		for j := range g.noise[i] {
			g.noise[i][j] = math.Exp(0.01 * r.NormFloat64())
		}
	}
}

// baselineGroup is a total of the baseline year shared among the cells of some tracks,
// by each district's share of a track.
type baselineGroup struct {
	tracks []track
	total  int
	share  func(d int, t track) float64
}

// baselineGroups are the baseline year's totals: the plan's baselines where it states
// them, shared by population, by the vocational share or by the colleges' students.
func (g *generator) baselineGroups() []baselineGroup {
	pop := func(d int, _ track) float64 { return g.ds[d].prof.pop }
	colleges := func(d int, t track) float64 {
		s := 0.0
		for _, c := range g.ds[d].prof.colleges {
			if c.typ == tUniversity && t == trUniv || c.typ == tHigherVocational && t == trHVoc {
				s += c.students
			}
		}
		return s
	}
	return []baselineGroup{
		{[]track{trPre}, 10000 * max(1, g.scaled(preschoolPerScale)), pop},
		{[]track{trBasic}, g.scaled(g.aims.compulsory.base * 10000), pop},
		{[]track{trSpecial}, g.scaled(specialCity), pop},
		{[]track{trSenior, trVoc}, g.scaled(g.aims.senior.base * 10000), func(d int, t track) float64 {
			v := g.ds[d].prof.vocShare
			if t == trSenior {
				v = 1 - v
			}
			return g.ds[d].prof.pop * v
		}},
		{[]track{trUniv, trHVoc}, g.scaled(g.aims.higher.base * 10000), colleges},
	}
}

// shareBaseline fills the baseline year's cells. A cell's weight is its district's
// share of the track times the relative size of its cohort.
func (g *generator) shareBaseline() {
	g.baseCells = make([]int, g.nCells())
	for _, gr := range g.baselineGroups() {
		var cells []int
		var weights []float64
		for d := range g.ds {
			for _, t := range gr.tracks {
				lo, hi := trackGrades[t][0], trackGrades[t][1]
				for grade := lo; grade <= hi; grade++ {
					e := g.base - (grade - lo)
					w := gr.share(d, t) * math.Pow(1+g.growth(d, t), float64(e-g.base)) * g.noise[d*int(nTracks)+int(t)][e-g.eMin]
					cells = append(cells, g.cell(d, t, grade))
					weights = append(weights, w)
				}
			}
		}
		for i, n := range apportion(gr.total, weights, nil) {
			g.baseCells[cells[i]] = n
		}
	}
}

// calibrate sets the entrants' growth of the tracks (g.adj) so that the city's
// enrolment in them at the target year has come reachTarget of the way from base to
// goal, by bisection.
func (g *generator) calibrate(tracks []track, base, goal float64) {
	want := base + reachTarget*(goal-base)
	total := func(a float64) float64 {
		for _, t := range tracks {
			g.adj[t] = a
		}
		s := 0
		for d := range g.ds {
			for _, t := range tracks {
				for grade := trackGrades[t][0]; grade <= trackGrades[t][1]; grade++ {
					s += g.count(d, t, grade, g.goal)
				}
			}
		}
		return float64(s)
	}
	lo, hi := -0.1, 0.1
	for range 60 {
		mid := (lo + hi) / 2
		if total(mid) < want {
			lo = mid
		} else {
			hi = mid
		}
	}
	total((lo + hi) / 2)
}

// countCells counts the students of every cell of every year.
func (g *generator) countCells() {
	g.counts = make([][]int, len(g.years))
	for yi, y := range g.years {
		g.counts[yi] = make([]int, g.nCells())
		for d := range g.ds {
			for t := range nTracks {
				for grade := trackGrades[t][0]; grade <= trackGrades[t][1]; grade++ {
					g.counts[yi][g.cell(d, t, grade)] = g.count(d, t, grade, y)
				}
			}
		}
	}
}

// historicalEntrants adds the facts that stand in for rosters before the first year:
// the grade-1 entrants of every year y−8 that the retention rate of a roster year y
// reads. The rate is exactly the plan's baseline in the baseline year.
func (g *generator) historicalEntrants() {
	first := g.years[0]
	for _, y := range g.years {
		e := y - 8
		if e >= first {
			continue
		}
		for di, d := range g.ds {
			v := math.Round(g.entrants(di, trBasic, e) * 100 / g.aims.retention.base)
			g.facts = append(g.facts, fact{year: e, org: d.org.Code, element: "students", dims: "stage=primary;grade=1",
				value: fmtInt(int(v))})
		}
	}
}
