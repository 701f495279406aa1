package cube

import (
	"context"
	"maps"
	"slices"

	"github.com/yantai-edu/eduplan/internal/store"
)

// Reload returns a new cube: c with the rows of the years and districts an import
// replaced (scopes) read again from the store, everything else shared with c (which
// readers may go on using). It equals what Load would build now, in the time it takes
// to read those rows rather than all.
func (c *Cube) Reload(ctx context.Context, db *store.DB, scopes []store.YearDistrict) (*Cube, error) {
	if !c.shallow() {
		return Load(ctx, db, c.pack)
	}
	n := c.clone(scopes)
	n.drop(c, scopes)
	err := db.View(ctx, func(v *store.View) error {
		for _, s := range scopes {
			if err := n.read(ctx, v.In(s.Year, s.District)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	n.reaggregate(c, scopes)
	n.seal()
	n.retouch(scopes)
	n.setYears()
	return n, nil
}

// shallow reports whether the pack's orgs are a city over districts only, the shape
// Reload's roll-up assumes; other shapes are loaded whole.
func (c *Cube) shallow() bool {
	top := c.pack.Top()
	for _, d := range c.pack.Districts() {
		if d.Parent != top.Code || len(d.Children) > 0 {
			return false
		}
	}
	return true
}

// clone returns a copy of c whose maps may be changed without changing c: the outer
// maps are copied; inner maps only for the scopes' years; blocks are shared (they are
// never changed once built).
func (c *Cube) clone(scopes []store.YearDistrict) *Cube {
	n := &Cube{
		pack:     c.pack,
		kinds:    map[string]*kindIndex{},
		own:      maps.Clone(c.own),
		agg:      maps.Clone(c.agg),
		insts:    maps.Clone(c.insts),
		byDist:   maps.Clone(c.byDist),
		facts:    maps.Clone(c.facts),
		conds:    maps.Clone(c.conds),
		touched:  maps.Clone(c.touched),
		dataYear: maps.Clone(c.dataYear),
		origins:  maps.Clone(c.origins),
	}
	copies := map[*kindIndex]*kindIndex{} // a record kind's measures share one index
	for name, k := range c.kinds {
		kc := copies[k]
		if kc == nil {
			kc = &kindIndex{all: k.all, dims: k.dims, pos: k.pos}
			for i := range k.codes {
				kc.codes = append(kc.codes, maps.Clone(k.codes[i]))
				kc.names = append(kc.names, slices.Clone(k.names[i]))
			}
			copies[k] = kc
		}
		n.kinds[name] = kc
	}
	for _, y := range scopeYears(scopes) {
		n.insts[y] = maps.Clone(c.insts[y])
		n.byDist[y] = maps.Clone(c.byDist[y])
		if n.insts[y] == nil {
			n.insts[y] = map[string]*Institution{}
			n.byDist[y] = map[string][]string{}
		}
	}
	return n
}

func scopeYears(scopes []store.YearDistrict) []int {
	var ys []int
	for _, s := range scopes {
		if !slices.Contains(ys, s.Year) {
			ys = append(ys, s.Year)
		}
	}
	return ys
}

// drop removes from n (a clone of c) the rows of the scopes: their institutions, the
// institutions' and the district's own cells, and the facts of their snapshot scope.
func (n *Cube) drop(c *Cube, scopes []store.YearDistrict) {
	for _, s := range scopes {
		for _, code := range c.byDist[s.Year][s.District] {
			delete(n.insts[s.Year], code)
			for k := range n.kinds {
				delete(n.own, nodeKey{k, s.Year, code})
			}
		}
		delete(n.byDist[s.Year], s.District)
		// The population, and the cells of providers' records, sit at the district.
		for k := range n.kinds {
			delete(n.own, nodeKey{k, s.Year, s.District})
		}
	}
	for k, f := range n.facts {
		if slices.Contains(scopes, store.YearDistrict{Year: k.year, District: f.scope}) {
			delete(n.facts, k)
		}
	}
	for k, r := range n.conds {
		if slices.Contains(scopes, store.YearDistrict{Year: k.year, District: r.district}) {
			delete(n.conds, k)
		}
	}
	// Who has facts below them is rebuilt for these years (retouch), in new maps.
	years := scopeYears(scopes)
	for ey := range n.touched {
		if slices.Contains(years, ey.year) {
			delete(n.touched, ey)
		}
	}
}

// reaggregate rebuilds the roll-ups the scopes change: each scope's institutions and
// district from their own cells, then the city from its districts.
func (n *Cube) reaggregate(c *Cube, scopes []store.YearDistrict) {
	top := n.pack.Top().Code
	type kindYear struct {
		kind string
		year int
	}
	cities := map[kindYear]bool{}
	for _, s := range scopes {
		orgs := slices.Concat(c.byDist[s.Year][s.District], n.byDist[s.Year][s.District], []string{s.District})
		for k := range n.kinds {
			for _, org := range orgs {
				delete(n.agg, nodeKey{k, s.Year, org})
			}
			cities[kindYear{k, s.Year}] = true
		}
		if s.District == top {
			continue
		}
		for k, kind := range n.kinds {
			width := len(kind.dims)
			dk := nodeKey{k, s.Year, s.District}
			var dist *block
			dIdx := map[string]int{}
			add := func(b *block) {
				if dist == nil {
					dist = n.newBlock()
					n.agg[dk] = dist
				}
				dist.addBlock(b, width, dIdx)
			}
			for _, code := range slices.Sorted(slices.Values(n.byDist[s.Year][s.District])) {
				if b := n.own[nodeKey{k, s.Year, code}]; b != nil {
					n.agg[nodeKey{k, s.Year, code}] = b // as aggregate shares it
					add(b)
				}
			}
			if b := n.own[dk]; b != nil {
				add(b)
			}
		}
	}
	for ky := range cities {
		width := len(n.kinds[ky.kind].dims)
		ck := nodeKey{ky.kind, ky.year, top}
		delete(n.agg, ck)
		var city *block
		idx := map[string]int{}
		parts := []*block{n.own[ck]}
		for _, d := range n.pack.Districts() {
			parts = append(parts, n.agg[nodeKey{ky.kind, ky.year, d.Code}])
		}
		for _, b := range parts {
			if b == nil {
				continue
			}
			if city == nil {
				city = n.newBlock()
			}
			city.addBlock(b, width, idx)
		}
		if city != nil {
			n.agg[ck] = city
		}
	}
}

// retouch rebuilds, for the scopes' years, which orgs have a fact at or below them.
func (n *Cube) retouch(scopes []store.YearDistrict) {
	years := scopeYears(scopes)
	for ey := range n.touched {
		if slices.Contains(years, ey.year) {
			delete(n.touched, ey)
		}
	}
	for k := range n.facts {
		if !slices.Contains(years, k.year) {
			continue
		}
		ey := elYear{k.element, k.year}
		if n.touched[ey] == nil {
			n.touched[ey] = map[string]bool{}
		}
		for _, o := range n.lineage(k.org, k.year) {
			n.touched[ey][o] = true
		}
	}
}
