package web_test

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
)

// TestEarlyBadge: a row achieved before its target year (progress.Row.Early) shows
// 提前实现 / "Achieved early" wherever a page shows its status — the district scorecard's
// row, the indicator page's selected district, the overview's list of commitments — while
// a row achieved in time shows 已实现. The fixture runs to 2021, so a district already
// at its 2025 target is early; a hold target kept (毛入园率 at 100) is achieved, not early.
func TestEarlyBadge(t *testing.T) {
	rows, err := progress.Assess(engine, pack.FullScope(), progress.Query{})
	if err != nil {
		t.Fatal(err)
	}
	var early, inTime *progress.Row
	for i := range rows {
		r := &rows[i]
		if o := pack.Org(r.Org); o == nil || o.Level != plan.LevelDistrict || r.Status != progress.Achieved {
			continue
		}
		if r.Early && early == nil {
			early = r
		}
		if !r.Early && inTime == nil {
			inTime = r
		}
	}
	if early == nil || inTime == nil {
		t.Fatalf("the fixture wants a district achieved early and one achieved in time: %v, %v", early, inTime)
	}

	// badgeIn is the status in words of the first badge in the part of page that begins
	// with from, "" when there is none.
	badgeIn := func(path, from string) string {
		t.Helper()
		res, body := get(t, path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, res.StatusCode)
		}
		_, part, ok := strings.Cut(string(body), from)
		if !ok {
			t.Fatalf("GET %s: no %q", path, from)
		}
		if m := badgeText.FindStringSubmatch(part); m != nil {
			return html.UnescapeString(m[1])
		}
		return ""
	}
	for _, c := range []struct {
		row      *progress.Row
		zh, en   string
		describe string
	}{
		{early, "提前实现", "Achieved early", "early"},
		{inTime, "已实现", "Achieved", "in time"},
	} {
		r := c.row
		scorecard := fmt.Sprintf("/districts/%s", r.Org)
		if got := badgeIn(scorecard, `<tr id="ind-`+r.Indicator+`">`); got != c.zh {
			t.Errorf("%s %s achieved %s: the scorecard says %q, want %q", r.Org, r.Indicator, c.describe, got, c.zh)
		}
		if got := badgeIn(scorecard+"?lang=en", `<tr id="ind-`+r.Indicator+`">`); got != c.en {
			t.Errorf("%s %s achieved %s: the English scorecard says %q, want %q", r.Org, r.Indicator, c.describe, got, c.en)
		}
		if got := badgeIn(fmt.Sprintf("/indicators/%s?org=%s", r.Indicator, r.Org), "<dt>进展</dt>"); got != c.zh {
			t.Errorf("%s %s achieved %s: the indicator page says %q, want %q", r.Org, r.Indicator, c.describe, got, c.zh)
		}
	}

	// The overview's list of the city's commitments.
	crows, err := progress.AssessCommitments(engine, pack.FullScope(), progress.Query{Org: pack.Tenant})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range crows {
		if r.Status != progress.Achieved {
			continue
		}
		n++
		want := map[bool]string{true: "提前实现", false: "已实现"}[r.Early]
		name := pack.Commitment(r.Indicator).Name
		if got := badgeIn("/", `<span class="c-name">`+html.EscapeString(name)+`</span>`); got != want {
			t.Errorf("overview: commitment %s achieved (early %v) says %q, want %q", r.Indicator, r.Early, got, want)
		}
	}
	if n == 0 {
		t.Error("the fixture has no commitment achieved at the city: the overview's list goes unchecked")
	}
}
