package web_test

import (
	"cmp"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/progress"
)

// cardsOf cuts an overview page into its cards, by indicator code.
func cardsOf(t *testing.T, body string) map[string]string {
	t.Helper()
	cards := map[string]string{}
	for _, part := range strings.Split(body, `<li class="card" id="ind-`)[1:] {
		code, rest, _ := strings.Cut(part, `"`)
		card, _, _ := strings.Cut(rest, "</li>")
		cards[code] = card
	}
	return cards
}

var (
	bigNumber  = regexp.MustCompile(`<span class="num-big">([^<]*)</span>`)
	badgeText  = regexp.MustCompile(`<span class="badge [^"]*"><span class="sym" aria-hidden="true">[^<]*</span> ([^<]*)</span>`)
	completion = regexp.MustCompile(`完成进度 <strong>(-?[\d,]+)%</strong> · 时间进度 <strong>\d+%</strong>`)
	tag        = regexp.MustCompile(`<[^>]*>`)
	polyline   = regexp.MustCompile(`<polyline class="spark-line" points="([^"]*)"/>`)
)

// TestOverviewCards checks each headline indicator's card against the assessment: the
// latest value with its unit, the target, the status in words, completion against time
// elapsed and a sparkline with a point for each year with a value.
func TestOverviewCards(t *testing.T) {
	rows, err := progress.Assess(engine, pack.FullScope(), progress.Query{Org: pack.Tenant})
	if err != nil {
		t.Fatal(err)
	}
	res, body := get(t, "/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	cards := cardsOf(t, string(body))
	if len(cards) != 13 || len(rows) != 13 {
		t.Fatalf("%d cards and %d rows, want 13 of each", len(cards), len(rows))
	}
	for _, r := range rows {
		ind := pack.Indicator(r.Indicator)
		card, ok := cards[r.Indicator]
		if !ok {
			t.Errorf("no card for %s", r.Indicator)
			continue
		}
		if !r.Latest.OK {
			t.Errorf("%s: the fixture has no latest value; the test wants one", r.Indicator)
			continue
		}
		m := bigNumber.FindStringSubmatch(card)
		if m == nil {
			t.Errorf("%s: no value on the card", r.Indicator)
			continue
		}
		x, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
		half := 0.5
		for range ind.Decimals {
			half /= 10
		}
		if err != nil || x < r.Latest.V-half-1e-9 || x > r.Latest.V+half+1e-9 {
			t.Errorf("%s: card shows %q, the latest value is %v", r.Indicator, m[1], r.Latest.V)
		}
		// The unit as the plan writes it, in Chinese.
		wantUnit := map[string]string{"%": `<span class="unit-small">%</span>`, "万人": `<span class="unit-small">万人</span>`, "年": `<span class="unit-small">年</span>`}[ind.Unit]
		if wantUnit != "" && !strings.Contains(card, wantUnit) {
			t.Errorf("%s: the value lacks its unit %s", r.Indicator, ind.Unit)
		}
		if !strings.Contains(card, `<dd class="card-target">`) || !strings.Contains(card, strconv.Itoa(ind.Target.Year)) {
			t.Errorf("%s: no target on the card", r.Indicator)
		}
		if b := badgeText.FindStringSubmatch(card); b == nil || b[1] != r.Status.Label() {
			t.Errorf("%s: status in words %v, want %s", r.Indicator, b, r.Status.Label())
		}
		if r.Completion.OK {
			m := completion.FindStringSubmatch(card)
			var pct float64
			if m != nil {
				pct, err = strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
			}
			if m == nil || err != nil || pct < 100*r.Completion.V-0.5 || pct > 100*r.Completion.V+0.5 || !strings.Contains(card, `<svg class="bar"`) {
				t.Errorf("%s: completion %v with its bar, want %.1f%%", r.Indicator, m, 100*r.Completion.V)
			}
		}
		p := polyline.FindStringSubmatch(card)
		n := 0
		for _, y := range engine.Years() {
			if v, ok := engine.Get(r.Indicator, pack.Tenant, y); ok && v.OK && y >= ind.Baseline.Year {
				n++
			}
		}
		if p == nil || len(strings.Fields(p[1])) != n {
			t.Errorf("%s: sparkline %v, want %d points", r.Indicator, p, n)
		}
	}
}

// TestOverviewAsOf checks ?year=: the overview assessed on the data up to 2020, the
// baseline year, has nothing to judge (every status 无数据), where the overview on all
// the data (up to 2021) has; the links carry the year on, and a wrong year is an error.
func TestOverviewAsOf(t *testing.T) {
	now, err := progress.Assess(engine, pack.FullScope(), progress.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(now, func(r progress.Row) bool { return r.Status != progress.NoData }) {
		t.Fatal("the fixture assesses nothing on all its data: the test could not tell the years apart")
	}
	then, err := progress.Assess(engine.AsOf(2020), pack.FullScope(), progress.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range then {
		if r.Status != progress.NoData {
			t.Fatalf("as of 2020, %s at %s is %s: the test expects nothing assessed", r.Indicator, r.Org, r.Status)
		}
	}
	_, body := get(t, "/?year=2020")
	page := string(body)
	for code, card := range cardsOf(t, page) {
		if b := badgeText.FindStringSubmatch(card); b == nil || b[1] != progress.NoData.Label() {
			t.Errorf("/?year=2020: %s shows %v, want %s", code, b, progress.NoData.Label())
		}
		if !strings.Contains(card, `<span class="num-big">—</span>`) {
			t.Errorf("/?year=2020: %s shows a latest value", code)
		}
	}
	for _, want := range []string{
		`<option value="2020" selected>2020</option>`, `<span class="scope-asof">按截至2020年的数据评估</span>`,
		`class="permalink" href="/?lang=zh&amp;year=2020"`, `<a href="/districts/370602?year=2020">芝罘区</a>`,
		`href="/indicators/kg_public_share?year=2020"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("/?year=2020 lacks %q", want)
		}
	}
	_, body = get(t, "/")
	for _, want := range []string{`<option value="2021" selected>2021</option>`, `class="permalink" href="/?lang=zh&amp;year=2021"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/ lacks %q", want)
		}
	}
	// The permalink reproduces the view.
	_, again := get(t, "/?lang=zh&year=2021")
	text := func(card string) string { return strings.Join(strings.Fields(tag.ReplaceAllString(card, " ")), " ") }
	for code, card := range cardsOf(t, string(body)) {
		if got := text(cardsOf(t, string(again))[code]); got != text(card) {
			t.Errorf("/?lang=zh&year=2021 shows %s as %q, / as %q", code, got, text(card))
		}
	}

	// The district's scorecard and an indicator's page as of 2020 judge alike.
	_, body = get(t, "/districts/370602?year=2020")
	if n := strings.Count(string(body), "> "+progress.NoData.Label()+"</span>"); n < 13 {
		t.Errorf("/districts/370602?year=2020: %d statuses 无数据, want every indicator's", n)
	}
	for _, want := range []string{`<option value="2020" selected>2020</option>`, `<a href="/districts/370686?year=2020">栖霞市</a>`,
		`href="/indicators/kg_public_share?org=370602&amp;year=2020"`, `<span class="scope-org">芝罘区</span>`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/districts/370602?year=2020 lacks %q", want)
		}
	}
	_, body = get(t, "/indicators/kg_public_share?year=2020")
	if !strings.Contains(string(body), `<dt>进展</dt><dd><span class="badge status-no_data">`) {
		t.Error("/indicators/kg_public_share?year=2020: the city's status is not 无数据")
	}

	for _, tc := range []struct {
		path   string
		status int
	}{{"/?year=2019", 404}, {"/?year=x", 400}, {"/districts/370602?year=1999", 404}} {
		if res, _ := get(t, tc.path); res.StatusCode != tc.status {
			t.Errorf("GET %s: %d, want %d", tc.path, res.StatusCode, tc.status)
		}
	}
}

// TestOverviewCommitmentsAndLaggards checks the commitments' counts by status and the
// districts that hold the city back against the assessment.
func TestOverviewCommitmentsAndLaggards(t *testing.T) {
	_, body := get(t, "/")
	page := string(body)

	crows, err := progress.AssessCommitments(engine, pack.FullScope(), progress.Query{Org: pack.Tenant})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[progress.Status]int{}
	for _, r := range crows {
		counts[r.Status]++
	}
	if !strings.Contains(page, "共 "+strconv.Itoa(len(crows))+" 项") || len(crows) == 0 {
		t.Errorf("no total of %d commitments", len(crows))
	}
	_, section, _ := strings.Cut(page, `<ul class="counts commitment-counts">`)
	section, _, _ = strings.Cut(section, "</ul>")
	for st, n := range counts {
		want := "> " + st.Label() + "</span> <strong>" + strconv.Itoa(n) + "</strong>"
		if !strings.Contains(section, want) {
			t.Errorf("commitments: no count %d of %s in %s", n, st, section)
		}
	}

	// The commitments no data can measure are listed, each with its reason.
	_, unmeasured, _ := strings.Cut(page, `<details class="commitments not-measured">`)
	unmeasured, _, _ = strings.Cut(unmeasured, "</details>")
	// The key projects' targets without a measure are among them (劳动周 and the rest).
	all := pack.Unmeasured()
	if len(all) <= len(pack.NotMeasured) || !strings.Contains(unmeasured, "另有 "+strconv.Itoa(len(all))+" 项承诺不能由数据度量") {
		t.Errorf("no count of the %d commitments no data measures: %.300s", len(all), unmeasured)
	}
	for _, n := range all {
		if !strings.Contains(unmeasured, html.EscapeString(n.Text)) || !strings.Contains(unmeasured, html.EscapeString(n.Reason)) {
			t.Errorf("not measured %q: not listed with its reason", n.Text)
		}
	}

	rows, err := progress.Assess(engine, pack.FullScope(), progress.Query{})
	if err != nil {
		t.Fatal(err)
	}
	type district struct {
		code               string
		behind, regressing int
	}
	var ds []district
	for _, d := range pack.Districts() {
		x := district{code: d.Code}
		for _, r := range rows {
			if r.Org == d.Code && (r.Status == progress.Lagging || r.Status == progress.Regressing) {
				x.behind++
				if r.Status == progress.Regressing {
					x.regressing++
				}
			}
		}
		if x.behind > 0 {
			ds = append(ds, x)
		}
	}
	if len(ds) == 0 {
		t.Fatal("no district behind in the fixture: the test could not check the list")
	}
	slices.SortStableFunc(ds, func(a, b district) int { return cmp.Compare(b.behind, a.behind) })
	_, list, _ := strings.Cut(page, `<ol class="behind">`)
	list, _, _ = strings.Cut(list, "</ol>")
	// The first listed holds the most indicators behind.
	first := regexp.MustCompile(`<li><a href="/districts/(\d+)">`).FindStringSubmatch(list)
	if first == nil {
		t.Fatalf("no district listed as holding the city back")
	}
	i := slices.IndexFunc(ds, func(d district) bool { return d.code == first[1] })
	if i < 0 || ds[i].behind != ds[0].behind {
		t.Errorf("first district listed %s, want one with %d indicators behind (%v)", first[1], ds[0].behind, ds)
	}
	if got, want := strings.Count(list, "<li>"), min(len(ds), 5); got != want {
		t.Errorf("%d districts listed, want %d", got, want)
	}
}

// TestScopeOnEveryPage: each page says which org, plan period and year it shows.
func TestScopeOnEveryPage(t *testing.T) {
	for _, tc := range []struct{ path, org, asOf string }{
		{"/", "烟台市", "2021"},
		{"/indicators/kg_public_share?org=370686&year=2020", "栖霞市", "2020"},
		{"/districts/370602", "芝罘区", "2021"},
		{"/data", "烟台市", ""},
		{"/?lang=en", "Yantai", "2021"},
	} {
		_, body := get(t, tc.path)
		page := string(body)
		if !strings.Contains(page, `<span class="scope-org">`+tc.org+`</span>`) || !strings.Contains(page, "2021–2025</span>") {
			t.Errorf("%s: no scope with %s and the plan period", tc.path, tc.org)
		}
		if tc.asOf != "" && !strings.Contains(page, `<span class="scope-asof">`) || tc.asOf != "" && !strings.Contains(page, tc.asOf+"年的数据评估") && !strings.Contains(page, "up to "+tc.asOf) {
			t.Errorf("%s: the scope does not say the assessment stands on data up to %s", tc.path, tc.asOf)
		}
	}
}
