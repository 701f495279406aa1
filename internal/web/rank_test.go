package web_test

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// rankCell is a row of the indicator page's ranking table: the rank cell, then the
// district's link.
var rankCell = regexp.MustCompile(`<td class="num">(\d+|—)</td>\s*<th scope="row"><a href="[^"]*org=(\d+)`)

// TestRankingTies: on every headline indicator's page, a district's rank is one more
// than the number of districts with a strictly better value (standard competition
// ranking: equal values share a rank, 1, 2, 2, 4), and a count (万人) is not ranked
// across districts of different size.
func TestRankingTies(t *testing.T) {
	const year = 2021
	ties := 0
	for _, ind := range pack.Indicators {
		_, body := get(t, fmt.Sprintf("/indicators/%s?year=%d", ind.Code, year))
		rows := rankCell.FindAllStringSubmatch(string(body), -1)
		if len(rows) != len(pack.Districts()) {
			t.Fatalf("%s: %d ranking rows, want %d", ind.Code, len(rows), len(pack.Districts()))
		}
		vals := map[string]float64{}
		for _, d := range pack.Districts() {
			if v, ok := engine.Get(ind.Code, d.Code, year); ok && v.OK {
				vals[d.Code] = v.Value
			}
		}
		seen := map[float64]int{}
		for _, v := range vals {
			seen[v]++
		}
		for _, n := range seen {
			if n > 1 {
				ties++
			}
		}
		for _, r := range rows {
			v, ok := vals[r[2]]
			want := "—"
			if ok && !ind.IsCount() {
				n := 1
				for _, x := range vals {
					if better(ind, x, v) {
						n++
					}
				}
				want = strconv.Itoa(n)
			}
			if r[1] != want {
				t.Errorf("%s %s (%v): rank %s, want %s", ind.Code, r[2], v, r[1], want)
			}
		}
	}
	if ties == 0 {
		t.Log("no equal values among the districts: the shared rank is not exercised")
	}
}

// better reports whether a is a better value than b by the indicator's direction.
func better(ind *plan.Indicator, a, b float64) bool {
	switch ind.Direction {
	case plan.Down:
		return a < b
	case plan.Toward:
		d := func(x float64) float64 {
			if x > ind.Target.Value {
				return x - ind.Target.Value
			}
			return ind.Target.Value - x
		}
		return d(a) < d(b)
	}
	return a > b
}
