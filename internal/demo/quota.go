package demo

import (
	"cmp"
	"math"
	"slices"
)

// apportion shares total among items in proportion to their weights by largest
// remainders (ties to the first item), never giving an item more than its cap (caps nil:
// no caps). The parts always add up to total while the caps allow it: this is how the
// city's exact baseline counts become district and school counts.
func apportion(total int, weights []float64, caps []int) []int {
	n := len(weights)
	out := make([]int, n)
	if total <= 0 || n == 0 {
		return out
	}
	active := make([]bool, n)
	for i, w := range weights {
		active[i] = w > 0 && (caps == nil || caps[i] > 0)
	}
	left := total
	for {
		sum := 0.0
		for i, w := range weights {
			if active[i] {
				sum += w
			}
		}
		if sum == 0 {
			break
		}
		capped := false
		for i, w := range weights {
			if active[i] && caps != nil && float64(left)*w/sum >= float64(caps[i]) {
				out[i], active[i], capped = caps[i], false, true
				left -= caps[i]
			}
		}
		if capped {
			continue
		}
		rem := make([]float64, n)
		var order []int
		given := 0
		for i, w := range weights {
			if active[i] {
				q := float64(left) * w / sum
				out[i] = int(q)
				rem[i] = q - float64(out[i])
				given += out[i]
				order = append(order, i)
			}
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rem[b], rem[a]) })
		for k := 0; k < left-given; k++ {
			out[order[k%len(order)]]++
		}
		return out
	}
	// Nothing has weight (or room) left: spread what remains evenly where caps allow.
	for left > 0 {
		moved := false
		for i := range out {
			if left > 0 && (caps == nil || out[i] < caps[i]) {
				out[i]++
				left--
				moved = true
			}
		}
		if !moved {
			break
		}
	}
	return out
}

// roundsTo reports whether v is printed as want with the decimals, safely inside the
// rounding interval so that no rounding rule can tip it.
func roundsTo(v, want float64, decimals int) bool {
	return math.Abs(v-want) < 0.5*math.Pow10(-decimals)-1e-9
}

// fitShare returns a count out of den whose percentage 100·count/den prints as want
// (a percentage) with the decimals, and whether there is one.
func fitShare(den int, want float64, decimals int) (int, bool) {
	if den <= 0 {
		return 0, false
	}
	n0 := int(math.Round(want / 100 * float64(den)))
	for _, d := range []int{0, 1, -1, 2, -2} {
		n := n0 + d
		if n >= 0 && n <= den && roundsTo(100*float64(n)/float64(den), want, decimals) {
			return n, true
		}
	}
	return n0, false
}

// fitDen returns the smallest denominator from den up for which fitShare finds a count,
// and the count: a few teachers are added to the city so that its baseline prints right
// at any scale.
func fitDen(den int, want float64, decimals int) (int, int) {
	for d := max(den, 1); d < den+100000; d++ {
		if n, ok := fitShare(d, want, decimals); ok {
			return d, n
		}
	}
	return den, int(math.Round(want / 100 * float64(den)))
}

// bachelorShares returns the shares of urban, town and rural compulsory teachers with a
// bachelor's degree or more for an overall share q and an urban-to-rural ratio rho, the
// town halfway between, given the teachers at each location.
func bachelorShares(n [nLocations]int, q, rho float64) [nLocations]float64 {
	mid := (1 + rho) / 2
	den := rho*float64(n[locUrban]) + mid*float64(n[locTown]) + float64(n[locRural])
	if den == 0 {
		return [nLocations]float64{q, q, q}
	}
	x := q * float64(n[0]+n[1]+n[2]) / den
	return [nLocations]float64{min(rho*x, 0.998), min(mid*x, 0.998), min(x, 0.998)}
}

// countOf returns the count of a share of den. Rounding leans the way the district
// moves (up a little more often when it progresses, down when it regresses), so that
// small data sets keep the direction of its story; a district that is not regressing
// never falls below its baseline share vb.
func countOf(share, vb float64, den int, pace float64) int {
	x := clamp(share, 0, 1) * float64(den)
	n := int(math.Round(x))
	switch {
	case pace < 0:
		n = int(math.Floor(x + 1e-9))
	case pace > 0:
		n = int(math.Round(x + 0.3))
	}
	if pace >= 0 && ratio(n, den) < vb {
		n = int(math.Ceil(vb*float64(den) - 1e-9))
	}
	return min(max(n, 0), den)
}

// bachelorCounts returns how many compulsory teachers at each location hold a
// bachelor's degree or more for an overall share q (baseline vb) and an urban-to-rural
// ratio rho. The few rural teachers are counted first, choosing among nearby counts the
// one whose ratio comes out closest with the town taking up what the overall share asks;
// the many urban teachers then match the ratio closely.
func bachelorCounts(n [nLocations]int, q, vb, rho, pace float64) [nLocations]int {
	total := countOf(q, vb, n[0]+n[1]+n[2], pace)
	sh := bachelorShares(n, q, rho)
	ideal := sh[locRural] * float64(n[locRural])
	var best [nLocations]int
	bestCost := math.Inf(1)
	for r := int(ideal) - 2; r <= int(ideal)+3; r++ {
		if r < 0 || r > n[locRural] {
			continue
		}
		urban := sh[locUrban]
		if r > 0 {
			urban = min(rho*ratio(r, n[locRural]), 1)
		}
		u := int(math.Round(urban * float64(n[locUrban])))
		w := total - u - r
		cost := 0.001 * math.Abs(float64(r)-ideal)
		if r > 0 && n[locUrban] > 0 {
			cost += math.Abs(ratio(u, n[locUrban])/ratio(r, n[locRural]) - rho)
		}
		if w < 0 || w > n[locTown] {
			cost += float64(max(-w, w-n[locTown]))
		}
		if cost < bestCost {
			best, bestCost = [nLocations]int{u, min(max(w, 0), n[locTown]), r}, cost
		}
	}
	// Where the town cannot take up the difference, urban then rural teachers do.
	for _, loc := range []location{locUrban, locRural} {
		diff := total - best[0] - best[1] - best[2]
		best[loc] = min(max(best[loc]+diff, 0), n[loc])
	}
	return best
}

// fitCompulsory finds counts of compulsory teachers with a bachelor's degree or more at
// each location such that the overall share prints as q and the urban-to-rural ratio as
// rho. It returns the teachers to add at each location first (when no counts fit the
// teachers there are) and the counts.
func fitCompulsory(n [nLocations]int, q, rho aim) (extra, b [nLocations]int) {
	for range 10000 {
		total := n[0] + n[1] + n[2]
		bach, ok := fitShare(total, q.base, q.decimals)
		if !ok {
			at := locTown
			if n[locTown] == 0 {
				at = locUrban
			}
			n[at]++
			extra[at]++
			continue
		}
		if n[locUrban] == 0 || n[locRural] == 0 {
			parts := apportion(bach, floats(n[:]), n[:])
			return extra, [nLocations]int(parts)
		}
		sh := bachelorShares(n, float64(bach)/float64(total), rho.base)
		iu := int(math.Round(sh[locUrban] * float64(n[locUrban])))
		ir := int(math.Round(sh[locRural] * float64(n[locRural])))
		best, bestCost := [nLocations]int{}, math.MaxInt
		for du := -6; du <= 6; du++ {
			for dr := -6; dr <= 6; dr++ {
				u, r := iu+du, ir+dr
				w := bach - u - r
				if u < 0 || r <= 0 || w < 0 || u > n[locUrban] || r > n[locRural] || w > n[locTown] {
					continue
				}
				ratio := (float64(u) / float64(n[locUrban])) / (float64(r) / float64(n[locRural]))
				if !roundsTo(ratio, rho.base, rho.decimals) {
					continue
				}
				cost := abs(du) + abs(dr)
				if n[locTown] > 0 { // keep the town between the urban and the rural share
					ts := float64(w) / float64(n[locTown])
					if ts > float64(u)/float64(n[locUrban])+0.01 || ts < float64(r)/float64(n[locRural])-0.01 {
						cost += 100
					}
				}
				if cost < bestCost {
					best, bestCost = [nLocations]int{u, w, r}, cost
				}
			}
		}
		if bestCost < math.MaxInt {
			return extra, best
		}
		n[locRural]++
		extra[locRural]++
	}
	return extra, b
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// fitBaseline adjusts the baseline year's staff so that the city's teacher indicators
// can print exactly as the plan's baselines, and records the city's counts.
func (g *generator) fitBaseline(targets []int32) {
	at := func(ii int32, st stage) *int32 { return &targets[int(ii)*int(nStages)+int(st)] }
	sum := func(keep func(*institution, stage) bool) int {
		s := 0
		for ii, in := range g.insts {
			for st := range nStages {
				if keep(in, st) {
					s += int(*at(int32(ii), st))
				}
			}
		}
		return s
	}
	// add gives n more teachers to the largest staff that keep matches.
	add := func(n int, keep func(*institution, stage) bool) {
		if n <= 0 {
			return
		}
		best, bestSt, most := int32(-1), stage(0), int32(-1)
		for ii, in := range g.insts {
			for st := range nStages {
				if v := *at(int32(ii), st); keep(in, st) && v > most {
					best, bestSt, most = int32(ii), st, v
				}
			}
		}
		if best >= 0 {
			*at(best, bestSt) += int32(n)
		}
	}
	a := g.aims
	var comp [nLocations]int
	for loc := range nLocations {
		comp[loc] = sum(func(in *institution, st stage) bool { return st.compulsory() && in.loc == loc })
	}
	extra, bach := fitCompulsory(comp, a.bachelor, a.ratio)
	for loc := range nLocations {
		add(extra[loc], func(in *institution, st stage) bool { return st.compulsory() && in.loc == loc })
	}
	isPre := func(_ *institution, st stage) bool { return st == sPreschool }
	k := sum(isPre)
	k2, major := fitDen(k, a.kgMajor.base, a.kgMajor.decimals)
	add(k2-k, isPre)

	isVoc := func(in *institution, _ stage) bool { return in.typ.vocational() }
	v := sum(isVoc)
	v2, dual := fitDen(v, a.dual.base, a.dual.decimals)
	if sum(func(in *institution, _ stage) bool { return in.typ == tHigherVocational }) > 0 {
		add(v2-v, func(in *institution, _ stage) bool { return in.typ == tHigherVocational })
	} else {
		add(v2-v, isVoc)
	}
	// Added to a general senior school, so that the vocational count above stays.
	isSenior := func(_ *institution, st stage) bool { return st == sSenior || st == sSecondaryVocational }
	s := sum(isSenior)
	s2, master := fitDen(s, a.master.base, a.master.decimals)
	add(s2-s, func(_ *institution, st stage) bool { return st == sSenior })
	g.cityQuota = quota{major: major, dual: dual, master: master, bachelor: bach}
}

// teacherQuotas returns each district's quotas this year: in the baseline year the
// city's counts shared out in proportion to the districts' nominal values, later the
// district's path from its baseline value toward the target.
func (g *generator) teacherQuotas(y int, staffs []staff) []quota {
	out := make([]quota, len(g.ds))
	a := g.aims
	if y != g.base {
		for di, d := range g.ds {
			vb, p, s := g.baseVals[di], d.prof, staffs[di]
			count := func(share, vb float64, den int) int { return countOf(share, g.floor(y, vb), den, p.pace) }
			q := &out[di]
			q.major = count(g.path(di, y, vb.kgMajor, goalUp(vb.kgMajor, a.kgMajor.goal/100, 0.98), p.pace), vb.kgMajor, s.preschool)
			q.dual = count(g.path(di, y, vb.dual, goalUp(vb.dual, a.dual.goal/100, 0.95), p.pace), vb.dual, s.vocational)
			q.master = count(g.path(di, y, vb.master, goalUp(vb.master, a.master.goal/100, 0.5), p.pace), vb.master, s.senior)
			share := g.path(di, y, vb.bachelor, goalUp(vb.bachelor, a.bachelor.goal/100, 0.99), p.pace)
			rho := g.path(di, y, vb.ratio, a.ratio.goal, p.pace)
			q.bachelor = bachelorCounts(s.compulsory, share, g.floor(y, vb.bachelor), rho, p.pace)
		}
		return out
	}
	n := len(g.ds)
	shareOut := func(total int, den func(staff) int, nominal func(profile) float64, set func(*quota, int)) {
		w, caps := make([]float64, n), make([]int, n)
		for di, d := range g.ds {
			caps[di] = den(staffs[di])
			w[di] = float64(caps[di]) * nominal(d.prof)
		}
		for di, k := range apportion(total, w, caps) {
			set(&out[di], k)
		}
	}
	cq := g.cityQuota
	shareOut(cq.major, func(s staff) int { return s.preschool }, func(p profile) float64 { return p.kgMajor },
		func(q *quota, k int) { q.major = k })
	shareOut(cq.dual, func(s staff) int { return s.vocational }, func(p profile) float64 { return p.dual },
		func(q *quota, k int) { q.dual = k })
	shareOut(cq.master, func(s staff) int { return s.senior }, func(p profile) float64 { return p.master },
		func(q *quota, k int) { q.master = k })
	for loc := range nLocations {
		w, caps := make([]float64, n), make([]int, n)
		for di, d := range g.ds {
			caps[di] = staffs[di].compulsory[loc]
			w[di] = float64(caps[di]) * bachelorShares(staffs[di].compulsory, d.prof.bachelor, d.prof.ratio)[loc]
		}
		for di, k := range apportion(cq.bachelor[loc], w, caps) {
			out[di].bachelor[loc] = k
		}
	}
	for di := range g.ds {
		q, s, vb := out[di], staffs[di], &g.baseVals[di]
		vb.kgMajor = ratio(q.major, s.preschool)
		vb.dual = ratio(q.dual, s.vocational)
		vb.master = ratio(q.master, s.senior)
		c := s.compulsory
		vb.bachelor = ratio(q.bachelor[0]+q.bachelor[1]+q.bachelor[2], c[0]+c[1]+c[2])
		if c[locUrban] > 0 && q.bachelor[locRural] > 0 {
			vb.ratio = ratio(q.bachelor[locUrban], c[locUrban]) / ratio(q.bachelor[locRural], c[locRural])
		}
	}
	return out
}
