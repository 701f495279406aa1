package demo

import (
	"math"
	"strconv"
)

// commitmentFacts adds the reported facts that the pack's commitments read, for every
// district and year (and for the city where the plan counts things only the city
// reports): a believable mix of commitments met and missed. Elements the pack does
// not declare are left out. Each district's course is
// drawn once from its own stream, so the years agree with each other.
//
//   - smart_campus_coverage: from 52–80% in the baseline year, 5–14 points a year up to
//     at most 99%: some districts reach the 90% due in 2022, others later.
//   - poor_vision_rate: from 50–62%, falling 1.1–1.9 points a year; about a third of
//     the districts fall by less than a point in one year.
//   - education_spending (万元): each district's preschool-to-senior enrolment times a
//     spending per student that grows 3–8% a year; two districts cut it in one year.
//   - compulsory_teacher_avg_pay and civil_servant_avg_pay (元): civil servants' pay
//     grows 4% a year; teachers' is 0–6% higher, except in two districts where it is
//     2–4% lower until two years after the baseline year.
//   - the city's municipal_education_spending (万元), growing 8–12% a year, and its
//     cumulative counts of provincial high-level vocational schools (6 by the target
//     year: within 5–8), distinctive programmes (5: short of 6–9) and industry–education
//     alliances (3: within 2–3).
func (g *generator) commitmentFacts() {
	r := g.rng("commitments", 0)
	n := len(g.ds)
	cut := r.Perm(n)    // cut[0], cut[1]: districts that cut spending one year
	slow := r.Perm(n)   // slow[:n/3]: districts with a year of too little fall in vision
	unpaid := r.Perm(n) // unpaid[0], unpaid[1]: districts whose teachers earn less at first
	for di, d := range g.ds {
		coverage := 52 + 28*r.Float64()
		coverageStep := 5 + 9*r.Float64()
		vision := 50 + 12*r.Float64()
		perStudent := 1.4 + 0.6*r.Float64() // 万元
		growth := 0.03 + 0.05*r.Float64()
		pay := 95000 + 20000*r.Float64()
		premium := 1.0 + 0.06*r.Float64()
		cutYear := g.base + 1 + r.IntN(max(1, g.goal-g.base))
		slowYear := g.base + 1 + r.IntN(max(1, g.goal-g.base))
		for yi, y := range g.years {
			k := float64(y - g.base)
			add := func(element string, v float64, prec int) {
				if g.pack.Element(element) == nil {
					return // a pack without this commitment's element
				}
				g.facts = append(g.facts, fact{year: y, org: d.org.Code, element: element,
					value: strconv.FormatFloat(v, 'f', prec, 64)})
			}
			add("smart_campus_coverage", math.Min(99, coverage+coverageStep*math.Max(k, 0)), 1)

			if y > g.base {
				fall := 1.1 + 0.8*r.Float64()
				if y == slowYear && inFirst(slow, n/3, di) {
					fall = 0.2 + 0.6*r.Float64()
				}
				vision -= fall
			}
			add("poor_vision_rate", vision, 2)

			if y > g.base {
				if y == cutYear && inFirst(cut, 2, di) {
					perStudent *= 0.97
				} else {
					perStudent *= 1 + growth + 0.01*(r.Float64()-0.5)
				}
			}
			add("education_spending", math.Round(perStudent*float64(g.schoolEnrolment(yi, di))), 0)

			civil := pay * math.Pow(1.04, k)
			ratio := premium
			if inFirst(unpaid, 2, di) && y <= g.base+2 {
				ratio = 0.96 + 0.02*r.Float64()
			}
			add("civil_servant_avg_pay", math.Round(civil), 0)
			add("compulsory_teacher_avg_pay", math.Round(civil*ratio), 0)
		}
	}
	city := g.pack.Tenant
	spending := 300000.0 // 万元
	growths := []float64{0.112, 0.096, 0.081, 0.104, 0.095}
	schools := []float64{0, 1, 2, 4, 5, 6}
	programmes := []float64{0, 1, 2, 3, 4, 5}
	alliances := []float64{0, 0, 1, 2, 3, 3}
	for _, y := range g.years {
		k := y - g.base
		if k > 0 {
			spending *= 1 + growths[(k-1)%len(growths)]
		}
		at := func(xs []float64) float64 { return xs[min(max(k, 0), len(xs)-1)] }
		for _, f := range []fact{
			{element: "municipal_education_spending", value: strconv.FormatFloat(math.Round(spending), 'f', 0, 64)},
			{element: "provincial_quality_vocational_schools", value: strconv.FormatFloat(at(schools), 'f', 0, 64)},
			{element: "distinctive_vocational_programmes", value: strconv.FormatFloat(at(programmes), 'f', 0, 64)},
			{element: "industry_education_alliances", value: strconv.FormatFloat(at(alliances), 'f', 0, 64)},
		} {
			if g.pack.Element(f.element) != nil {
				f.year, f.org = y, city
				g.facts = append(g.facts, f)
			}
		}
	}
}

// inFirst reports whether i is among the first k of a permutation.
func inFirst(perm []int, k, i int) bool {
	for _, p := range perm[:min(k, len(perm))] {
		if p == i {
			return true
		}
	}
	return false
}

// schoolEnrolment is district d's students from preschool to senior secondary in the
// year of index yi, as the cohort model counts them.
func (g *generator) schoolEnrolment(yi, d int) int {
	n := 0
	for t := range trUniv {
		for grade := trackGrades[t][0]; grade <= trackGrades[t][1]; grade++ {
			n += g.counts[yi][g.cell(d, t, grade)]
		}
	}
	return n
}
