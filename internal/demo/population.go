package demo

import (
	"math"
	"strconv"
)

// ages is one district's resident population by single year of age (100 = 100 and
// over) and sex (0 = M, 1 = F).
type ages [101][2]int

// lifeShape is the size of an adult age group relative to a school cohort: the
// working-age bulge of the 1960s and 1970s births, then old age. Linear between knots.
var lifeShape = [][2]float64{{18, 0.95}, {22, 1.0}, {26, 1.05}, {30, 1.35}, {34, 1.45}, {38, 1.3}, {42, 1.25},
	{46, 1.55}, {50, 1.75}, {55, 1.7}, {59, 1.45}, {63, 1.35}, {67, 1.25}, {72, 0.95}, {78, 0.7}, {84, 0.4},
	{90, 0.15}, {95, 0.05}, {100, 0.015}}

func shapeAt(x float64) float64 {
	if x <= lifeShape[0][0] {
		return lifeShape[0][1]
	}
	for i := 1; i < len(lifeShape); i++ {
		a, b := lifeShape[i-1], lifeShape[i]
		if x <= b[0] {
			return a[1] + (b[1]-a[1])*(x-a[0])/(b[0]-a[0])
		}
	}
	return lifeShape[len(lifeShape)-1][1]
}

// maleShare is the share of men at an age.
func maleShare(age int) float64 {
	switch {
	case age < 18:
		return 0.52
	case age < 60:
		return 0.505
	case age < 80:
		return 0.48
	}
	return 0.42
}

// population returns every district's population this year. Ages 3–5 and 15–17 are
// sized so that the city's gross enrolment rates are the plan's baselines exactly (each
// district near its own nominal rate); school ages follow enrolment; adults follow a
// smooth age profile that moves on a year each year.
func (g *generator) population(yi, y int) []ages {
	counts := g.counts[yi]
	n := len(g.ds)
	sum := func(di int, t track, lo, hi int) int {
		s := 0
		for grade := lo; grade <= hi; grade++ {
			s += counts[g.cell(di, t, grade)]
		}
		return s
	}
	pre, sen := make([]int, n), make([]int, n)
	wPre, wSen := make([]float64, n), make([]float64, n)
	totalPre, totalSen := 0, 0
	for di, d := range g.ds {
		pre[di] = sum(di, trPre, 1, 3)
		sen[di] = sum(di, trSenior, 10, 12) + sum(di, trVoc, 10, 12)
		wPre[di] = float64(pre[di]) / g.ger(di, y, d.prof.kgGER)
		wSen[di] = float64(sen[di]) / g.ger(di, y, d.prof.seniorGER)
		totalPre += pre[di]
		totalSen += sen[di]
	}
	p35 := residual(int(math.Round(float64(totalPre)*100/g.aims.kgGER.base)), wPre, g.absorber(func(p profile) float64 { return p.kgGER }))
	p1517 := residual(int(math.Round(float64(totalSen)*100/g.aims.seniorGER.base)), wSen, g.absorber(func(p profile) float64 { return p.seniorGER }))

	out := make([]ages, n)
	for di := range g.ds {
		var p [101]int
		// Ages 3–5 by preschool grade (grade 1 at 3), 15–17 by senior grade (10 at 15).
		var w35, w1517 [3]float64
		for i := range 3 {
			w35[i] = float64(counts[g.cell(di, trPre, i+1)]) + 1
			w1517[i] = float64(counts[g.cell(di, trSenior, i+10)]+counts[g.cell(di, trVoc, i+10)]) + 1
		}
		for i, k := range apportion(p35[di], w35[:], nil) {
			p[3+i] = k
		}
		for i, k := range apportion(p1517[di], w1517[:], nil) {
			p[15+i] = k
		}
		youngest := float64(counts[g.cell(di, trPre, 1)])
		for a, f := range []float64{0.90, 0.94, 0.97} {
			p[a] = int(math.Round(youngest * f))
		}
		for grade := 1; grade <= 9; grade++ {
			p[grade+5] = int(math.Round(float64(counts[g.cell(di, trBasic, grade)]+counts[g.cell(di, trSpecial, grade)]) * 1.004))
		}
		cohort := float64(sum(di, trBasic, 1, 9)) / 9 * 1.2
		for a := 18; a <= 100; a++ {
			p[a] = int(math.Round(cohort * shapeAt(float64(a-(y-g.base)))))
		}
		// College students live where they study.
		for grade := 13; grade <= 16; grade++ {
			p[grade+5] += counts[g.cell(di, trUniv, grade)] + counts[g.cell(di, trHVoc, grade)]
		}
		for a, k := range p {
			m := int(math.Round(float64(k) * maleShare(a)))
			out[di][a] = [2]int{m, k - m}
		}
	}
	return out
}

// absorber is the district with the highest nominal rate: its population of the age
// takes up the difference between the city's total and the other districts', so that
// every other district has the rate it is meant to have.
func (g *generator) absorber(rate func(profile) float64) int {
	best := 0
	for di, d := range g.ds {
		if rate(d.prof) > rate(g.ds[best].prof) {
			best = di
		}
	}
	return best
}

// residual returns each item's rounded value, except the absorber's, which is what
// makes the total; when that would not be positive, it shares the total in proportion.
func residual(total int, values []float64, absorber int) []int {
	out := make([]int, len(values))
	rest := total
	for i, v := range values {
		if i != absorber {
			out[i] = int(math.Round(v))
			rest -= out[i]
		}
	}
	if rest <= 0 && values[absorber] > 0 {
		return apportion(total, values, nil)
	}
	out[absorber] = rest
	return out
}

// ger is a district's nominal gross enrolment rate in year y: it closes the gap to
// 100% at the district's pace (at most 1), so that the city's rate, which is 100%
// exactly, leaves little for the absorber to take up.
func (g *generator) ger(d, y int, nominal float64) float64 {
	pace := clamp(g.ds[d].prof.pace, 0, 1)
	return nominal + pace*g.progress(d, y)*(1-nominal)
}

// workingAge returns the population aged 16–59, the weight of working_age_schooling_years.
func workingAge(p *ages) int {
	s := 0
	for a := 16; a <= 59; a++ {
		s += p[a][0] + p[a][1]
	}
	return s
}

// schoolingFacts adds each district's working_age_schooling_years for the year. In the
// baseline year all districts' nominal values shift by the same amount so that their
// mean weighted by the population aged 16–59 is the plan's baseline.
func (g *generator) schoolingFacts(y int, pop []ages) {
	v := make([]float64, len(g.ds))
	if y == g.base {
		num, den := 0.0, 0.0
		for di, d := range g.ds {
			w := float64(workingAge(&pop[di]))
			num += w * d.prof.schooling
			den += w
		}
		shift := 0.0
		if den > 0 {
			shift = g.aims.schooling.base - num/den
		}
		for di, d := range g.ds {
			v[di] = math.Round((d.prof.schooling+shift)*100) / 100
			g.baseVals[di].schooling = v[di]
		}
	} else {
		for di, d := range g.ds {
			vb := g.baseVals[di].schooling
			// Districts heading for the target aim a little beyond it, those above it
			// still gain: the city gets there although some districts lag.
			goal := max(g.aims.schooling.goal+0.2, vb+0.5)
			v[di] = math.Round(g.path(di, y, vb, goal, d.prof.schoolingPace)*100) / 100
		}
	}
	for di, d := range g.ds {
		g.facts = append(g.facts, fact{year: y, org: d.org.Code, element: "working_age_schooling_years",
			value: strconv.FormatFloat(v[di], 'f', 2, 64)})
	}
}
