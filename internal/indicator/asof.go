package indicator

// AsOf returns the engine as it stood at the end of a year: the same values, with every
// later year not yet known (Years stops at the year, Get and Values know nothing after
// it). Progress assessed on it is the assessment as it stood then — on the data now
// held for those years, corrections imported since included. It costs a copy of the
// Engine's header, so a page may take one per request. A year at or after the last year
// with data, or 0, returns e itself.
func (e *Engine) AsOf(year int) *Engine {
	ys := e.years
	if year == 0 || len(ys) == 0 || year >= ys[len(ys)-1] {
		return e
	}
	v := *e // the values and index are shared: an Engine never changes after New
	v.until = year
	v.years = nil
	for _, y := range ys {
		if y <= year {
			v.years = append(v.years, y)
		}
	}
	if v.years == nil {
		v.years = []int{}
	}
	return &v
}
