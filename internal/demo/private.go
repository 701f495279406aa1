package demo

import (
	"math"
	"math/rand/v2"
)

// Private (民办) compulsory schools. The plan says "严格控制民办义务教育比重" and
// approves no new ones "in principle": so the demo has a few, in the urban districts
// most, none in some rural ones (profile.private), holding a share of each district's
// compulsory students that falls 4% of itself a year; one closes in the district with
// the largest share two years after the baseline, and one opens, the rare exception,
// in the district with the smallest three years after it. The city's count is then back
// at the baseline's, and one district's is above it.

// privateDecline is how much of itself a district's private compulsory share loses a year.
const privateDecline = 0.04

// privateChanges returns the district where a private compulsory school opens after
// the baseline and the one where one closes: the smallest and the largest private
// share (-1 when fewer than two districts have private schools).
func (g *generator) privateChanges() (opening, closing int) {
	opening, closing = -1, -1
	for di, d := range g.ds {
		s := d.prof.private
		if s == 0 {
			continue
		}
		if opening < 0 || s < g.ds[opening].prof.private {
			opening = di
		}
		if closing < 0 || s > g.ds[closing].prof.private {
			closing = di
		}
	}
	if opening == closing {
		return -1, -1
	}
	return opening, closing
}

// privateSchools returns district di's private compulsory schools, named by nm: a
// primary and a junior secondary school, and a nine-year school (the usual 外国语学校)
// where the share is 6% or more; closing closes the junior school two years after the
// baseline (where a nine-year school takes its pupils), opening adds a primary school
// three years after it. They draw from a stream of their own, so the public schools
// stay as they were.
func (g *generator) privateSchools(di int, nm *namer, opening, closing bool) []*institution {
	d := g.ds[di]
	if d.prof.private == 0 {
		return nil
	}
	r := g.rng("private-compulsory/"+d.org.Code, 0)
	loc := locUrban
	if d.prof.mix[locUrban] < 0.4 {
		loc = locTown
	}
	types := []instType{tPrimary, tJunior}
	if d.prof.private >= 0.06 {
		types = append(types, tNineYear)
	}
	if opening {
		types = append(types, tPrimary)
	}
	var out []*institution
	for i, typ := range types {
		in := &institution{district: di, typ: typ, loc: loc, weight: math.Exp(0.3 * r.NormFloat64())}
		in.name = nm.private(r, typ)
		switch {
		case opening && i == len(types)-1:
			in.opened = g.base + 3
		case closing && typ == tJunior && d.prof.private >= 0.06:
			in.closed = g.base + 2
		}
		out = append(out, in)
	}
	return out
}

// privateShare is district di's share of compulsory students in private schools in
// year y.
func (g *generator) privateShare(di, y int) float64 {
	k := float64(max(y-g.base, 0))
	return g.ds[di].prof.private * math.Max(0, 1-privateDecline*k)
}

// privateSeats returns how many of each basic-track grade's students (index grade−1)
// of district di go to private schools in year y: the district's share of all its
// compulsory students, exactly, shared among the grades that an open private school
// takes in proportion to their students.
func (g *generator) privateSeats(yi, y, di int) []int {
	n := trackGrades[trBasic][1]
	counts, weights := make([]int, n), make([]float64, n)
	total := 0
	for grade := 1; grade <= n; grade++ {
		c := g.cell(di, trBasic, grade)
		counts[grade-1] = g.counts[yi][c]
		total += counts[grade-1]
		for _, ii := range g.providers[c] {
			if in := g.insts[ii]; !in.public && in.open(y) {
				weights[grade-1] = float64(counts[grade-1])
			}
		}
	}
	return apportion(int(math.Round(float64(total)*g.privateShare(di, y))), weights, counts)
}

// ownedBy returns the institutions of insts open in year y that are public (or private).
func (g *generator) ownedBy(insts []int32, y int, public bool) []int32 {
	var out []int32
	for _, ii := range insts {
		if in := g.insts[ii]; in.public == public && in.open(y) {
			out = append(out, ii)
		}
	}
	return out
}

// privateWords name private schools: their brands.
var privateWords = []string{"博雅", "华英", "育英", "启航", "明德", "英才", "东方", "培文", "致远", "求是"}

// private names a private compulsory school by a brand: 博雅外国语学校, 华英小学.
func (nm *namer) private(r *rand.Rand, typ instType) string {
	end := map[instType]string{tPrimary: "小学", tJunior: "中学", tNineYear: "外国语学校"}[typ]
	for try := 0; ; try++ {
		n := nm.prefix + privateWords[r.IntN(len(privateWords))] + end
		if try > 3 {
			n = nm.prefix + privateWords[0] + nm.numbered(end)
		}
		if !nm.used[n] {
			nm.used[n] = true
			return n
		}
	}
}
