package demo

import (
	"math"
	"math/rand/v2"
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
//   - education_spending (万元): each district's preschool-to-senior enrolment times a
//     spending per student that grows 3–8% a year; two districts cut it in one year.
//   - compulsory_teacher_avg_pay and civil_servant_avg_pay (元): civil servants' pay
//     grows 4% a year; teachers' is 0–6% higher, except in two districts where it is
//     2–4% lower until two years after the baseline year.
//   - the city's municipal_education_spending (万元), growing 8–12% a year, and its
//     cumulative counts of provincial high-level vocational schools (6 by the target
//     year: within 5–8), distinctive programmes (5: short of 6–9) and industry–education
//     alliances (3: within 2–3).
//
// The rest of the commitments' facts come from moreCommitmentFacts, drawn from a
// stream of their own so that the facts above stay as they were.
func (g *generator) commitmentFacts() {
	defer g.moreCommitmentFacts()
	r := g.rng("commitments", 0)
	n := len(g.ds)
	cut := r.Perm(n)    // cut[0], cut[1]: districts that cut spending one year
	slow := r.Perm(n)   // slow[:n/3]: once the districts with a year of too little fall in eyesight
	unpaid := r.Perm(n) // unpaid[0], unpaid[1]: districts whose teachers earn less at first
	for di, d := range g.ds {
		coverage := 52 + 28*r.Float64()
		coverageStep := 5 + 9*r.Float64()
		r.Float64()                         // once poor eyesight's level, now the student_health records' (kinds.go)
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
				// Once the fall of poor eyesight: still drawn, so that the facts after it
				// stay as they were.
				r.Float64()
				if y == slowYear && inFirst(slow, n/3, di) {
					r.Float64()
				}
			}

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

// moreCommitmentFacts adds the facts of the commitments beyond the first fourteen, for
// every district and year, or for the city where only the city reports them. Each
// district's course is drawn once; k is the years since the baseline year.
//
//   - county_units: 1 for a district or county-level city, 0 for a development zone;
//     kg_universal_certified, compulsory_balance_certified and special_resource_centre
//     (1 from the year certified or built, else 0) only for county units: certified for
//     preschool in k = 2..7 (so about a third not by the target year: the city lands
//     near its 60%), for compulsory education in k = 3..10 (the city near its 30%); a
//     resource centre in half of them from the start, in the others in k = 1..8.
//   - quality_kindergartens: of the district's kindergartens, 35–55% in the baseline
//     year, 2–5.5 points more a year (some reach the 60% due, others do not).
//   - kg_new_teacher_certified_share: 86–97%, 1–3.5 points a year, at most 100.
//   - campus_wifi_coverage: 60–85%, 3–8 points a year; schools_standard_share: 75–92%,
//     1.5–5 points a year, at most 100. (After-school coverage and the myopia rates come
//     from the record kinds' rows, kinds.go, no longer from reported rates.)
//   - schools_built (cumulative, 0–3 a year), school_places (25,000–60,000 places,
//     400–1,400 more a year: the city lands near its 60,000) and arts_distinctive_schools
//     (cumulative, 0–2 a year: the city falls short of 100).
//   - the city's cumulative counts of open media lessons (104: met), model lessons (182: short of 200), experimental schools (112 in
//     2023: met when due), online support teams (30 in 2023: met early), big-data
//     benchmark schools (27: short), its internet egress (10 → 40 Gbps: 30 reached in
//     2024), digital-resource coverage (98.5%: short of 100) and PE's share of the
//     exam (9%: short of 10).
func (g *generator) moreCommitmentFacts() {
	r := g.rng("commitments-more", 0)
	for _, d := range g.ds {
		c := g.drawCommitmentCourse(r)
		g.addDistrictCommitmentFacts(r, d, c)
	}
	g.addCityCommitmentFacts()
}

// commitmentCourse is a district's drawn course of the commitments' facts: the years
// it is certified or builds its resource centre, and each rate's level in the
// baseline year and yearly change.
type commitmentCourse struct {
	kgCert, balanceCert, centre int
	quality, qualityStep        float64
	certified, certifiedStep    float64
	wifi, wifiStep              float64
	standard, standardStep      float64
	places                      float64 // school places in the baseline year
}

// skip draws n numbers from r and drops them: the draws of facts the demo no longer
// reports, kept so that the facts drawn after them stay as they were.
func skip(r *rand.Rand, n int) {
	for range n {
		r.Float64()
	}
}

// drawCommitmentCourse draws a district's course, in a fixed order.
func (g *generator) drawCommitmentCourse(r *rand.Rand) commitmentCourse {
	var c commitmentCourse
	span := max(1, g.goal-g.base)
	c.kgCert = g.base + 2 + r.IntN(span+1)
	c.balanceCert = g.base + 3 + r.IntN(2*span-2)
	c.centre = g.base
	if r.Float64() >= 0.5 {
		c.centre = g.base + 1 + r.IntN(span+3)
	}
	c.quality, c.qualityStep = 0.35+0.2*r.Float64(), 0.02+0.035*r.Float64()
	c.certified, c.certifiedStep = 86+11*r.Float64(), 1+2.5*r.Float64()
	skip(r, 3) // once after-school coverage's course, now the after_school records'
	c.wifi, c.wifiStep = 60+25*r.Float64(), 3+5*r.Float64()
	c.standard, c.standardStep = 75+17*r.Float64(), 1.5+3.5*r.Float64()
	skip(r, 8) // once the myopia rates' courses, now the student_health records'
	c.places = math.Round(25000 + 35000*r.Float64())
	return c
}

// addDistrictCommitmentFacts adds a district's facts of every year along its course,
// drawing the yearly schools built, arts schools and places added after the baseline.
func (g *generator) addDistrictCommitmentFacts(r *rand.Rand, d *district, c commitmentCourse) {
	county := d.org.Kind != "zone"
	kgs := float64(len(d.kgOrder))
	places, built, arts := c.places, 0.0, 0.0
	org := d.org.Code
	for _, y := range g.years {
		k := float64(y - g.base)
		kk := math.Max(k, 0)
		flag := func(from int) float64 {
			if county && y >= from {
				return 1
			}
			return 0
		}
		unit := 0.0
		if county {
			unit = 1
		}
		g.addCommitmentFact(y, org, "county_units", unit, 0)
		g.addCommitmentFact(y, org, "kg_universal_certified", flag(c.kgCert), 0)
		g.addCommitmentFact(y, org, "compulsory_balance_certified", flag(c.balanceCert), 0)
		g.addCommitmentFact(y, org, "special_resource_centre", flag(c.centre), 0)
		g.addCommitmentFact(y, org, "quality_kindergartens", math.Round(kgs*math.Min(0.95, c.quality+c.qualityStep*kk)), 0)
		g.addCommitmentFact(y, org, "kg_new_teacher_certified_share", math.Min(100, c.certified+c.certifiedStep*kk), 1)
		g.addCommitmentFact(y, org, "campus_wifi_coverage", math.Min(100, c.wifi+c.wifiStep*kk), 1)
		g.addCommitmentFact(y, org, "schools_standard_share", math.Min(100, c.standard+c.standardStep*kk), 1)
		if k > 0 {
			built += float64(r.IntN(4))
			arts += float64(r.IntN(3))
			places += math.Round(400 + 1000*r.Float64())
		}
		g.addCommitmentFact(y, org, "schools_built", built, 0)
		g.addCommitmentFact(y, org, "arts_distinctive_schools", arts, 0)
		g.addCommitmentFact(y, org, "school_places", places, 0)
	}
}

// addCityCommitmentFacts adds the facts only the city reports, a fixed series from the
// baseline year on.
func (g *generator) addCityCommitmentFacts() {
	city := g.pack.Tenant
	for _, y := range g.years {
		k := y - g.base
		at := func(xs ...float64) float64 { return xs[min(max(k, 0), len(xs)-1)] }
		g.addCommitmentFact(y, city, "arts_open_lessons", at(0, 18, 40, 63, 85, 104), 0)
		g.addCommitmentFact(y, city, "arts_model_lessons", at(0, 30, 70, 110, 150, 182), 0)
		g.addCommitmentFact(y, city, "digital_experimental_schools", at(0, 40, 80, 112, 115, 118), 0)
		g.addCommitmentFact(y, city, "online_support_teams", at(0, 10, 20, 30, 30, 30), 0)
		g.addCommitmentFact(y, city, "big_data_benchmark_schools", at(0, 0, 8, 16, 22, 27), 0)
		g.addCommitmentFact(y, city, "internet_egress_gbps", at(10, 10, 20, 20, 30, 40), 0)
		g.addCommitmentFact(y, city, "digital_resource_coverage", at(62, 75, 86, 93, 97, 98.5), 1)
		g.addCommitmentFact(y, city, "pe_exam_share", at(4.5, 5.5, 6.5, 8, 9, 9), 1)
	}
}

// addCommitmentFact adds a fact of an element the pack declares, with prec decimals;
// one it does not declare is left out.
func (g *generator) addCommitmentFact(y int, org, element string, v float64, prec int) {
	if g.pack.Element(element) == nil {
		return
	}
	g.facts = append(g.facts, fact{year: y, org: org, element: element,
		value: strconv.FormatFloat(v, 'f', prec, 64)})
}
