package demo

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// aim is an indicator's baseline and target as the pack states them.
type aim struct {
	base, goal float64
	decimals   int
}

// aims are the plan values the data set is built around; the Yantai values stand in
// for indicators a pack does not have.
type aims struct {
	kgPublic, kgGER, compulsory, retention, senior, seniorGER, higher aim
	kgMajor, bachelor, ratio, master, dual, schooling                 aim
}

func aimsOf(p *plan.Pack) aims {
	get := func(code string, base, goal float64, dec int) aim {
		if ind := p.Indicator(code); ind != nil {
			return aim{ind.Baseline.Value, ind.Target.Value, ind.Decimals}
		}
		return aim{base, goal, dec}
	}
	return aims{
		kgPublic:   get("kg_public_share", 41.17, 75, 2),
		kgGER:      get("kg_ger", 100, 100, 1),
		compulsory: get("compulsory_enrolment", 49.18, 51.03, 2),
		retention:  get("compulsory_retention", 100, 100, 1),
		senior:     get("senior_enrolment", 13.27, 13.89, 2),
		seniorGER:  get("senior_ger", 100, 100, 1),
		higher:     get("higher_enrolment", 25.8, 28, 1),
		kgMajor:    get("kg_teacher_preschool_major", 75.6, 85, 1),
		bachelor:   get("compulsory_teacher_bachelor", 92.6, 95, 1),
		ratio:      get("urban_rural_bachelor_ratio", 1.07, 1, 2),
		master:     get("senior_teacher_master", 12.7, 18, 1),
		dual:       get("vocational_dual_teacher", 60, 70, 1),
		schooling:  get("working_age_schooling_years", 10.8, 11.3, 1),
	}
}

// district is a district of the pack with its profile and its institutions.
type district struct {
	org        *plan.Org
	prof       profile
	primaryEnd int
	insts      []int32 // its institutions, in creation order
	kgOrder    []int32 // its kindergartens: public ones first, then private ones in the order they convert
	kgPublic   int     // how many of kgOrder are public this year
}

// values are a district's indicator values in the baseline year, as shares; the later
// years move from them.
type values struct {
	kgPublic, kgMajor, bachelor, ratio, master, dual, schooling float64
}

// generator builds the data set year by year.
type generator struct {
	pack  *plan.Pack
	opt   Options
	aims  aims
	years []int
	base  int // the year whose city values reproduce the plan's baselines
	goal  int // the plan's target year

	ds    []*district
	insts []*institution

	// The cohort model (cohort.go).
	baseCells []int
	noise     [][]float64 // by district×track, then entry year − eMin
	eMin      int
	adj       [nTracks]float64
	counts    [][]int // by year index, then cell

	providers [][]int32 // institutions that take each cell's students

	sids, tids idSpace
	prevS      [][]student // last year's students by cell
	prevT      [][]teacher // last year's teachers by district×stage

	baseVals  []values // by district: baseline-year values (nominal until the baseline year)
	cityQuota quota    // the city's teacher counts in the baseline year

	facts []fact
	dates dateCache
}

func newGenerator(pack *plan.Pack, opt Options) *generator {
	g := &generator{pack: pack, opt: opt, aims: aimsOf(pack), goal: cmp.Or(pack.TargetYear, opt.LastYear)}
	for y := opt.FirstYear; y <= opt.LastYear; y++ {
		g.years = append(g.years, y)
	}
	g.base = pack.BaselineYear
	if g.base < opt.FirstYear || g.base > opt.LastYear {
		g.base = opt.FirstYear
	}
	if g.goal <= g.base {
		g.goal = g.base + 5
	}
	ids := g.rng("ids", 0)
	g.sids = newIDSpace('S', ids)
	g.tids = newIDSpace('T', ids)
	orgs := pack.Districts()
	for i, o := range orgs {
		d := &district{org: o, prof: profileFor(o.Code, i, len(orgs)), primaryEnd: 6}
		if d.prof.system54 {
			d.primaryEnd = 5
		}
		g.ds = append(g.ds, d)
		p := d.prof
		g.baseVals = append(g.baseVals, values{p.kgPublic, p.kgMajor, p.bachelor, p.ratio, p.master, p.dual, p.schooling})
	}
	g.createInstitutions()
	g.buildCohorts()
	return g
}

// rng returns the random stream for one purpose and year: each part of the data set
// draws from its own stream, so that changing one part leaves the others as they were.
func (g *generator) rng(purpose string, year int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(purpose))
	h.Write([]byte(strconv.Itoa(year)))
	return rand.New(rand.NewPCG(uint64(g.opt.Seed), h.Sum64()))
}

// cell is the index of the students of a track and grade in a district.
func (g *generator) cell(d int, t track, grade int) int {
	return (d*int(nTracks)+int(t))*gradeSlots + grade
}

func (g *generator) nCells() int { return len(g.ds) * int(nTracks) * gradeSlots }

// scaled returns n·scale rounded.
func (g *generator) scaled(n float64) int { return int(math.Round(n * g.opt.Scale)) }

// progress is how far district d has come by year y on its way from the baseline to
// the target year, before its pace: 0 at the baseline, 1 at the target year.
func (g *generator) progress(d, y int) float64 {
	tau := float64(y-g.base) / float64(g.goal-g.base)
	if tau <= 0 {
		return 0.3 * tau // before the plan, things moved more slowly
	}
	return math.Pow(tau, g.ds[d].prof.gamma)
}

// path returns the value of district d in year y moving from its baseline value vb
// toward goal at its pace.
func (g *generator) path(d, y int, vb, goal, pace float64) float64 {
	return vb + pace*g.progress(d, y)*(goal-vb)
}

// floor is the share below which a district that is not regressing does not fall in
// year y: its baseline value after the baseline year, nothing before.
func (g *generator) floor(y int, vb float64) float64 {
	if y > g.base {
		return vb
	}
	return 0
}

// goalUp is where a district heading up aims: the plan's target, or a step further for
// a district already there.
func goalUp(vb, target, ceiling float64) float64 {
	if vb < target-0.01*math.Abs(target) {
		return target
	}
	return vb + 0.4*(ceiling-vb)
}

// run writes the data set into dir: README.txt, then each year's files as the year is
// built, then facts.csv with the facts of the commitments added.
func (g *generator) run(ctx context.Context, dir string) (*Summary, error) {
	out := func(name string) string { return filepath.Join(dir, name) }
	sum := &Summary{Readme: out("README.txt"), Rows: map[string]int{}}
	if err := g.writeReadme(sum.Readme); err != nil {
		return nil, err
	}
	g.historicalEntrants()
	for yi, y := range g.years {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pre := g.kindergartenPublic(yi, y)
		seats, err := g.seatPlan(yi, pre)
		if err != nil {
			return nil, err
		}
		students := g.fillStudents(y, seats)
		targets := g.teacherTargets(seats)
		if y == g.base {
			g.fitBaseline(targets)
		}
		teachers := g.fillTeachers(y, targets)
		g.assignTeachers(y, teachers)
		pop := g.population(yi, y)
		g.schoolingFacts(y, pop)

		if err := ctx.Err(); err != nil {
			return nil, err
		}
		tabs := newTables(g.pack)
		files := []struct {
			kind  string
			write func(*csvFile) int
		}{
			{"institutions", func(f *csvFile) int { return g.writeInstitutions(f, y) }},
			{"population", func(f *csvFile) int { return g.writePopulation(f, y, pop) }},
			{"students", func(f *csvFile) int { return g.writeStudents(f, y, students, tabs) }},
			{"teachers", func(f *csvFile) int { return g.writeTeachers(f, y, teachers, tabs) }},
			{"conditions", func(f *csvFile) int { return g.writeConditions(f, y, students) }},
		}
		for _, file := range files {
			path := out(fmt.Sprintf("%s-%d.csv", file.kind, y))
			n, err := writeCSV(path, file.write)
			if err != nil {
				return nil, err
			}
			sum.Files = append(sum.Files, path)
			sum.Rows[file.kind] += n
		}
		if tabs.err != nil {
			return nil, tabs.err
		}
		paths, n, err := tabs.write(g, out, y)
		if err != nil {
			return nil, err
		}
		sum.Files = append(sum.Files, paths...)
		sum.Rows["school_tables"] += n
		for _, kf := range g.kindFiles() {
			path := out(fmt.Sprintf("%s-%d.csv", kf.kind, y))
			n, err := writeCSV(path, func(f *csvFile) int { return kf.write(f, y, students, teachers) })
			if err != nil {
				return nil, err
			}
			sum.Files = append(sum.Files, path)
			sum.Rows[kf.kind] += n
		}
		g.prevS, g.prevT = students, teachers
	}
	g.commitmentFacts()
	path := out("facts.csv")
	n, err := writeCSV(path, g.writeFacts)
	if err != nil {
		return nil, err
	}
	sum.Files = append(sum.Files, path)
	sum.Rows["facts"] = n
	return sum, nil
}
