package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// institution is a school, kindergarten or college. Everything but the ownership of a
// kindergarten (民转公: private ones become public over the years) is the same every year
// it is open.
type institution struct {
	code, name string
	district   int
	typ        instType
	loc        location
	public     bool
	inclusive  bool // 普惠性, for private kindergartens (public ones always are)
	lat, lon   float64
	weight     float64 // relative size among the institutions that share a grade
	// opened and closed are the first year the institution is open and the first it is
	// not (0: open every year); only the private compulsory schools have them.
	opened, closed int
}

// open reports whether the institution is open in year y: it has students, staff and
// rows only then.
func (in *institution) open(y int) bool {
	return (in.opened == 0 || y >= in.opened) && (in.closed == 0 || y < in.closed)
}

// schoolCounts are the institutions of each type in the city at scale 1 (of the order of
// real Yantai's), and the fewest a district has whatever the scale.
var schoolCounts = []struct {
	typ      instType
	city     float64
	min      int
	minRural int // the fewest in a district with many rural schools
}{
	{tKindergarten, 1150, 4, 4},
	{tPrimary, 380, 2, 2},
	{tJunior, 105, 1, 1},
	{tNineYear, 95, 1, 1},
	{tCompleteSecondary, 14, 0, 1},
	{tSenior, 40, 1, 1},
	{tSecondaryVocational, 22, 1, 1},
	{tSpecial, 13, 1, 1},
}

// createInstitutions makes every district's institutions and decides which
// kindergartens are public in the first year.
func (g *generator) createInstitutions() {
	totalPop := 0.0
	for _, d := range g.ds {
		totalPop += d.prof.pop
	}
	// Institutions grow with the square root of the scale, so that a small data set still
	// has schools of every kind and place, only smaller ones.
	schoolScale := math.Sqrt(g.opt.Scale)
	opening, closing := g.privateChanges()
	for di, d := range g.ds {
		r := g.rng("institutions/"+d.org.Code, 0)
		p := d.prof
		share := p.pop / totalPop
		var mine []*institution
		for _, sc := range schoolCounts {
			n := max(sc.min, int(math.Round(sc.city*share*schoolScale)))
			if p.mix[locRural] >= 0.38 {
				n = max(n, sc.minRural)
			}
			if sc.typ == tSecondaryVocational && p.vocShare == 0 {
				n = 0
			}
			for _, loc := range schoolLocations(r, sc.typ, n, p.mix) {
				mine = append(mine, &institution{district: di, typ: sc.typ, loc: loc, public: true,
					weight: sizeOf(sc.typ, loc) * math.Exp(0.3*r.NormFloat64())})
			}
		}
		g.chooseKindergartens(r, di, mine)
		nm := newNamer(d.org.Name, r)
		for _, in := range mine {
			in.name = nm.name(r, in.typ, in.loc, in.public)
		}
		mine = append(mine, g.privateSchools(di, nm, di == opening, di == closing)...)
		for _, c := range p.colleges {
			mine = append(mine, &institution{district: di, typ: c.typ, loc: locUrban, public: !c.private,
				name: c.name, weight: c.students})
		}
		prefix := codePrefix(d.org.Code, di)
		serial := 0
		for _, in := range mine {
			serial++
			if in.typ == tUniversity || in.typ == tHigherVocational {
				serial = max(serial, 9001)
			}
			in.code = fmt.Sprintf("%s%04d", prefix, serial)
			spread := 0.02
			if in.loc != locUrban {
				spread = 0.08
			}
			in.lat = clamp(p.lat+spread*r.NormFloat64(), 37.10, 37.80)
			in.lon = clamp(p.lon+1.25*spread*r.NormFloat64(), 120.30, 121.90)
			d.insts = append(d.insts, int32(len(g.insts)))
			g.insts = append(g.insts, in)
		}
		// kgOrder was built with pointers' positions in mine, which are their offsets
		// from the district's first institution.
		first := d.insts[0]
		for i := range d.kgOrder {
			d.kgOrder[i] += first
		}
	}
	g.providers = make([][]int32, g.nCells())
	for di, d := range g.ds {
		for t := range nTracks {
			lo, hi := trackGrades[t][0], trackGrades[t][1]
			for grade := lo; grade <= hi; grade++ {
				c := g.cell(di, t, grade)
				for _, ii := range d.insts {
					if g.insts[ii].typ.serves(t, grade, d.primaryEnd) {
						g.providers[c] = append(g.providers[c], ii)
					}
				}
			}
		}
	}
}

// schoolLocations places n institutions of a type: by the district's mix, counted out
// exactly rather than drawn, so that even a small data set has the district's make-up.
// Every district gets an urban and a rural primary school and a rural nine-year school,
// so that it has compulsory teachers on both sides of urban_rural_bachelor_ratio, and
// kindergartens in all three places.
func schoolLocations(r *rand.Rand, typ instType, n int, mix [3]float64) []location {
	switch typ {
	case tSpecial:
		mix = [3]float64{1, 0, 0}
	case tCompleteSecondary:
		mix = [3]float64{0, 1, 0}
	case tSenior, tSecondaryVocational:
		mix = [3]float64{0.7, 0.3, 0}
	}
	counts := apportion(n, mix[:], nil)
	need := func(loc location) {
		if counts[loc] > 0 {
			return
		}
		most := slices.Index(counts, slices.Max(counts))
		if counts[most] > 1 {
			counts[most]--
			counts[loc]++
		}
	}
	switch typ {
	case tPrimary:
		need(locUrban)
		need(locRural)
	case tNineYear:
		need(locRural)
	case tKindergarten:
		need(locUrban)
		need(locTown)
		need(locRural)
	}
	var out []location
	for loc, k := range counts {
		for range k {
			out = append(out, location(loc))
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// sizeOf is the typical relative size of a school: urban schools are larger.
func sizeOf(typ instType, loc location) float64 {
	if typ == tSenior || typ == tSecondaryVocational || typ == tSpecial || typ == tCompleteSecondary {
		return 1
	}
	return [nLocations]float64{1.6, 1, 0.45}[loc]
}

// chooseKindergartens decides which kindergartens are public in the first year, about
// as many as the district's nominal public share, rural and town ones more likely, and
// the order in which private ones convert later.
func (g *generator) chooseKindergartens(r *rand.Rand, di int, mine []*institution) {
	d := g.ds[di]
	type kg struct {
		pos int
		key float64
	}
	var kgs []kg
	total := 0.0
	for i, in := range mine {
		if in.typ == tKindergarten {
			key := r.Float64()
			if in.loc == locUrban {
				key += 0.35
			}
			kgs = append(kgs, kg{i, key})
			total += in.weight
		}
	}
	slices.SortStableFunc(kgs, func(a, b kg) int { return cmp.Compare(a.key, b.key) })
	want := g.path(di, g.years[0], d.prof.kgPublic, g.aims.kgPublic.goal/100, d.prof.pace)
	k, w := 0, 0.0
	for k < len(kgs)-1 && (k == 0 || w < want*total) {
		w += mine[kgs[k].pos].weight
		k++
	}
	private := kgs[k:]
	r.Shuffle(len(private), func(i, j int) { private[i], private[j] = private[j], private[i] })
	// Private kindergartens convert largest first, roughly: a district reaches its public
	// share with fewer, larger conversions (民转公 of the big urban ones), so the count of
	// new public kindergartens lags the share, as Yantai's did. The sizes are blurred from
	// a stream of the conversions' own, so the draws above (and the names) stay as they were.
	cr := g.rng("kg-conversion/"+d.org.Code, 0)
	for i := range private {
		private[i].key = -math.Log(mine[private[i].pos].weight) + 0.5*cr.NormFloat64()
	}
	slices.SortStableFunc(private, func(a, b kg) int { return cmp.Compare(a.key, b.key) })
	for i, x := range kgs {
		in := mine[x.pos]
		in.public = i < k
		in.inclusive = in.public || r.Float64() < 0.95
		d.kgOrder = append(d.kgOrder, int32(x.pos))
	}
	d.kgPublic = k
}

// codePrefix is the first six digits of a district's institution codes: its
// administrative code, or a made-up one for packs whose codes are not six digits.
func codePrefix(code string, i int) string {
	if len(code) == 6 {
		digits := true
		for _, c := range code {
			digits = digits && c >= '0' && c <= '9'
		}
		if digits {
			return code
		}
	}
	return fmt.Sprintf("99%04d", i+1)
}

func clamp(x, lo, hi float64) float64 { return min(max(x, lo), hi) }

// kindergartenPublic returns each district's preschool children in public kindergartens
// this year and converts private kindergartens so that the public ones can take them.
// In the baseline year the city's count is exactly the plan's share of all children.
func (g *generator) kindergartenPublic(yi, y int) []int {
	pre := make([]int, len(g.ds))
	for di := range g.ds {
		for grade := 1; grade <= 3; grade++ {
			pre[di] += g.counts[yi][g.cell(di, trPre, grade)]
		}
	}
	pub := make([]int, len(g.ds))
	if y == g.base {
		total := 0
		weights := make([]float64, len(g.ds))
		for di, d := range g.ds {
			total += pre[di]
			weights[di] = float64(pre[di]) * d.prof.kgPublic
		}
		pub = apportion(int(math.Round(float64(total)*g.aims.kgPublic.base/100)), weights, pre)
		for di := range g.ds {
			g.baseVals[di].kgPublic = ratio(pub[di], pre[di])
		}
	} else {
		for di, d := range g.ds {
			vb := g.baseVals[di].kgPublic
			share := g.path(di, y, vb, goalUp(vb, g.aims.kgPublic.goal/100, 0.95), d.prof.pace)
			pub[di] = countOf(share, g.floor(y, vb), pre[di], d.prof.pace)
		}
	}
	for di, d := range g.ds {
		n := len(d.kgOrder)
		total := 0.0
		for _, ii := range d.kgOrder {
			total += g.insts[ii].weight
		}
		share := ratio(pub[di], pre[di])
		// Public kindergartens run fuller than private ones: they hold the share of
		// children with 8 points less of the kindergartens' size.
		k, w := 0, 0.0
		for k < n && w < (share-0.08)*total {
			w += g.insts[d.kgOrder[k]].weight
			k++
		}
		k = max(k, d.kgPublic)
		if pub[di] > 0 {
			k = max(k, 1)
		}
		if pub[di] < pre[di] {
			k = min(k, n-1)
		}
		d.kgPublic = k
		for i, ii := range d.kgOrder {
			in := g.insts[ii]
			in.public = i < k
			in.inclusive = in.inclusive || in.public
		}
	}
	return pub
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// seat is how many students of a cell an institution takes this year.
type seat struct {
	inst int32
	n    int32
}

// seatPlan shares each cell's students among the institutions that take them, in
// proportion to their size; kindergartens' and compulsory students are shared
// separately among public and private ones, so that each district's public count is
// exact.
func (g *generator) seatPlan(yi int, pub []int) ([][]seat, error) {
	y := g.years[yi]
	seats := make([][]seat, g.nCells())
	for di, d := range g.ds {
		var preCounts []int
		for grade := 1; grade <= 3; grade++ {
			preCounts = append(preCounts, g.counts[yi][g.cell(di, trPre, grade)])
		}
		pubByGrade := apportion(pub[di], floats(preCounts), preCounts)
		privByGrade := g.privateSeats(yi, y, di)
		for t := range nTracks {
			lo, hi := trackGrades[t][0], trackGrades[t][1]
			for grade := lo; grade <= hi; grade++ {
				c := g.cell(di, t, grade)
				n := g.counts[yi][c]
				if n == 0 {
					continue
				}
				if t == trPre {
					seats[c] = append(g.share(pubByGrade[grade-1], d.kgOrder[:d.kgPublic]),
						g.share(n-pubByGrade[grade-1], d.kgOrder[d.kgPublic:])...)
					continue
				}
				if len(g.providers[c]) == 0 {
					return nil, fmt.Errorf("demo: %s has %d students of %s grade %d but no institution for them",
						d.org.Code, n, stageOf(t, grade, d.primaryEnd), grade)
				}
				if t == trBasic {
					k := privByGrade[grade-1]
					seats[c] = append(g.share(n-k, g.ownedBy(g.providers[c], y, true)),
						g.share(k, g.ownedBy(g.providers[c], y, false))...)
					continue
				}
				seats[c] = g.share(n, g.providers[c])
			}
		}
	}
	return seats, nil
}

// share shares n students among institutions in proportion to their weights.
func (g *generator) share(n int, insts []int32) []seat {
	if n == 0 || len(insts) == 0 {
		return nil
	}
	w := make([]float64, len(insts))
	for i, ii := range insts {
		w[i] = g.insts[ii].weight
	}
	var out []seat
	for i, k := range apportion(n, w, nil) {
		if k > 0 {
			out = append(out, seat{insts[i], int32(k)})
		}
	}
	return out
}

func floats(xs []int) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}
