package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/xuri/excelize/v2"
)

// The pages as a person uses them, in Debian's chromium: each loads with no console
// error and no failed request, every chart is drawn, the language switch works, a
// page's own link reproduces its view, and its downloads open. Screenshots go to
// $EDUPLAN_SCREENSHOTS (a temporary folder by default), to be looked at.

// chromium returns the path of Debian's chromium. Missing, the test is skipped on a
// developer's machine and fails in CI, whose .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed; .ci/run installs Debian's chromium package")
	}
	t.Skip("chromium is not installed (apt-get install chromium): skipping the browser tests")
	return ""
}

func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("EDUPLAN_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// problems collects what a page must not do: console errors, uncaught exceptions,
// errors in the browser's log (such as a refused Content-Security-Policy), failed
// requests and responses with an error status.
type problems struct {
	mu   sync.Mutex
	list []string
}

func (p *problems) listen(ev any) {
	var s string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			s = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		s = fmt.Sprintf("exception: %s %s:%d", d.Text, d.URL, d.LineNumber+1)
		if d.Exception != nil {
			s += " " + d.Exception.Description
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			s = fmt.Sprintf("log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			s = fmt.Sprintf("request failed: %s (%s)", ev.ErrorText, ev.Type)
		}
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 {
			s = fmt.Sprintf("response %d: %s", ev.Response.Status, ev.Response.URL)
		}
	}
	if s != "" {
		p.mu.Lock()
		p.list = append(p.list, s)
		p.mu.Unlock()
	}
}

// take returns the problems seen since the last call.
func (p *problems) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.list
	p.list = nil
	return out
}

// chartState is what the page says of one chart: its canvas's size and how many of its
// pixels are drawn.
type chartState struct {
	ID     string `json:"id"`
	Width  int    `json:"w"`
	Height int    `json:"h"`
	Inked  int    `json:"inked"`
	PNG    int    `json:"png"` // length of the canvas as a PNG data URL
}

const chartsJS = `Array.from(document.querySelectorAll(".chart")).map(function (d) {
  var c = d.querySelector("canvas"), s = {id: d.id, w: 0, h: 0, inked: 0, png: 0};
  if (!c || !c.width || !c.height) return s;
  s.w = c.width; s.h = c.height;
  var px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  for (var i = 3; i < px.length; i += 4) if (px[i] > 0) s.inked++;
  s.png = c.toDataURL("image/png").length;
  return s;
})`

// drawn reports whether every chart of the page is drawn: a canvas with a size and a
// good share of its pixels painted (an empty ECharts canvas is transparent).
func drawn(cs []chartState) bool {
	for _, c := range cs {
		if c.Width == 0 || c.Height == 0 || c.Inked < c.Width*c.Height/100 || c.PNG < 5000 {
			return false
		}
	}
	return true
}

// waitCharts waits until the page's charts are drawn and returns them.
func waitCharts(ctx context.Context, t *testing.T, want int) []chartState {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		cs, err := chromedp.Run(ctx, chromedp.Evaluate[[]chartState](chartsJS))
		if err != nil {
			t.Fatalf("charts: %v", err)
		}
		if len(cs) == want && drawn(cs) {
			return cs
		}
		if time.Now().After(deadline) {
			t.Fatalf("charts not drawn: want %d, have %+v", want, cs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium (CI runs it)")
	}
	exe := chromium(t)
	shots := screenshotDir(t)

	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		// A browser of a Chinese-speaking reader: the pages' default language.
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // starts the browser, with no timeout
		t.Fatalf("start %s: %v", exe, err)
	}
	var seen problems
	if err := chromedp.Listen(ctx, seen.listen); err != nil {
		t.Fatal(err)
	}
	signedIn := false

	for _, tc := range []struct {
		name, path string
		lang       string // of <html>
		charts     int
		indicator  string // for the indicator pages
		org        string // shown on the page, for the indicator pages
		// user: visited signed in (as admin1, from here on); the pages before are
		// the public's.
		user bool
	}{
		{"overview-zh", "/", "zh-CN", 0, "", "", false},
		{"overview-en", "/?lang=en", "en", 0, "", "", false},
		{"indicator-kg_public_share-zh", "/indicators/kg_public_share", "zh-CN", 3, "kg_public_share", "370600", false},
		{"indicator-compulsory_retention-qixia-en", "/indicators/compulsory_retention?lang=en&org=370686", "en", 3, "compulsory_retention", "370686", false},
		{"district-zhifu-zh", "/districts/370602", "zh-CN", 1, "", "", false},
		{"district-qixia-en", "/districts/370686?lang=en", "en", 1, "", "", false},
		{"projects-zh", "/projects", "zh-CN", 0, "", "", false},
		{"standards-zh", "/standards", "zh-CN", 0, "", "", false},
		{"standards-district-muping-en", "/standards/370612?lang=en", "en", 0, "", "", false},
		{"login-zh", "/login", "zh-CN", 0, "", "", false},
		{"formats-zh", "/formats", "zh-CN", 0, "", "", false},
		{"formats-en", "/formats?lang=en", "en", 0, "", "", false},
		{"imports-zh", "/imports", "zh-CN", 0, "", "", true},
		{"data-zh", "/data", "zh-CN", 0, "", "", true},
		{"imports-en", "/imports?lang=en", "en", 0, "", "", true},
		{"audit-zh", "/audit", "zh-CN", 0, "", "", true},
		{"projects-admin-en", "/projects?lang=en", "en", 0, "", "", true},
		{"overview-2020-zh", "/?year=2020", "zh-CN", 0, "", "", true},
		{"standards-district-muping-admin-zh", "/standards/370612", "zh-CN", 0, "", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(ctx, 40*time.Second)
			defer cancel()
			if tc.user && !signedIn {
				signIn(ctx, t, "admin1", "password-of-admin1")
				signedIn = true
			}
			seen.take()
			res, err := chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+tc.path))
			if err != nil {
				t.Fatalf("navigate: %v", err)
			}
			if res.Status != http.StatusOK {
				t.Fatalf("status %d", res.Status)
			}
			cs := waitCharts(ctx, t, tc.charts)
			if tc.indicator != "" && !slices.ContainsFunc(cs, func(c chartState) bool { return c.ID == "chart-map" }) {
				t.Errorf("no map of the districts: charts %+v", cs)
			}
			if lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.lang")); lang != tc.lang {
				t.Errorf("<html lang=%q>, want %q", lang, tc.lang)
			}
			screenshot(ctx, t, filepath.Join(shots, tc.name+".png"))
			for _, p := range seen.take() {
				t.Errorf("%s: %s", tc.path, p)
			}
			checkContrast(ctx, t)
			if strings.HasPrefix(tc.name, "overview") {
				checkCards(ctx, t, tc.path)
			}
			if tc.name == "district-zhifu-zh" {
				checkFocusWalk(ctx, t)
			}
			if tc.name == "overview-zh" {
				checkFocusWalk(ctx, t)
				checkOverviewPrint(ctx, t, filepath.Join(shots, tc.name+"-print.png"))
				checkYearChoice(ctx, t)
			}

			if strings.HasPrefix(tc.name, "standards") {
				checkStandardsPage(ctx, t, tc.name, tc.user)
			}
			if tc.indicator != "" {
				checkIndicatorPage(ctx, t, tc.indicator, tc.org)
				checkTooltip(ctx, t)
				checkDownloads(ctx, t, tc.indicator)
				checkPermalink(ctx, t, tc.charts)
			}
			if tc.name == "indicator-kg_public_share-zh" {
				checkKeyboard(ctx, t)
				checkPrint(ctx, t, tc.charts, filepath.Join(shots, tc.name+"-print.png"))
				checkMapClick(ctx, t, tc.charts)
				checkFocusWalk(ctx, t)
				checkMapKeyboard(ctx, t, tc.charts, "370602")
			}
			checkLanguageSwitch(ctx, t, tc.lang, tc.charts)
			for _, p := range seen.take() {
				t.Errorf("%s, after the checks: %s", tc.path, p)
			}
		})
	}
}

// checkStandardsPage checks the standards pages: the overview has a line per district
// with a verdict for each stage and the preschool standard; a district's page draws
// each item's CV against its limit and colours every school's values, which the
// public sees only where no small count lies behind them.
func checkStandardsPage(ctx context.Context, t *testing.T, name string, signedIn bool) {
	t.Helper()
	if name == "standards-zh" {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#standards-table tbody tr").length`))
		badges, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#standards-table tbody .badge").length`))
		if err != nil || n != len(pack.Districts()) || badges != 3*n {
			t.Errorf("overview: %d districts with %d verdicts (%v), want %d and %d", n, badges, err, len(pack.Districts()), 3*len(pack.Districts()))
		}
		return
	}
	bars, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.cvbar").length`))
	banded, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("td.band-met, td.band-within, td.band-below").length`))
	hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".schools .badge.na").length`))
	if bars < 7 || banded == 0 {
		t.Errorf("district page: %d CV bars, %d coloured school values", bars, banded)
	}
	if signedIn && hidden > 0 || !signedIn && hidden == 0 {
		t.Errorf("signed in %v: %d schools' figures not published", signedIn, hidden)
	}
}

// signIn signs in through the login form as a person would: type, click, and land
// on the overview with their name in the top bar.
func signIn(ctx context.Context, t *testing.T, name, password string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+"/login")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#login-name"), name),
		chromedp.SetValue(chromedp.CSS("#login-password"), password)); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(cctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("form.form button")))); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	who, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(".top .who") || {}).textContent || ""`))
	if strings.Contains(loc, "/login") || who != name {
		t.Fatalf("sign in: at %s, the top bar names %q", loc, who)
	}
}

func screenshot(ctx context.Context, t *testing.T, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

// checkIndicatorPage checks that the page shows the org it was asked for.
func checkIndicatorPage(ctx context.Context, t *testing.T, code, org string) {
	t.Helper()
	selected, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("select[name=org]").value`))
	if err != nil || selected != org {
		t.Errorf("org selector shows %q (%v), want %s", selected, err, org)
	}
	var data struct {
		Series []struct {
			Code     string     `json:"code"`
			Selected bool       `json:"selected"`
			Values   []*float64 `json:"values"`
		} `json:"series"`
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("chart-data").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(raw), &data); err != nil {
		t.Fatalf("chart data: %v in %.200s", err, raw)
	}
	if len(data.Series) != 14 || data.Series[0].Code != pack.Tenant {
		t.Errorf("chart data: %d series, want the city and 13 districts", len(data.Series))
	}
	for _, s := range data.Series {
		if s.Selected != (s.Code == org) {
			t.Errorf("chart data: series %s selected %v", s.Code, s.Selected)
		}
	}
	// The city's 2020 value of the chart is the engine's.
	v, _ := engine.Get(code, pack.Tenant, 2020)
	if x := data.Series[0].Values[0]; x == nil || *x != v.Value {
		t.Errorf("chart data: city 2020 = %v, want %v", x, v.Value)
	}
}

// checkTooltip points at the trend chart and checks that its tooltip shows the city's
// value, as text (the Content-Security-Policy would refuse ECharts' inline styles, and
// the listener would see that).
func checkTooltip(ctx context.Context, t *testing.T) {
	t.Helper()
	type rect struct{ X, Y, W, H float64 }
	r, err := chromedp.Run(ctx, chromedp.Evaluate[rect](`(function () {
  var n = document.getElementById("chart-trend"); n.scrollIntoView({block: "center"});
  var b = n.getBoundingClientRect(); return {X: b.left, Y: b.top, W: b.width, H: b.height};
})()`))
	if err != nil {
		t.Fatal(err)
	}
	// The first year with data is at the left of the plot.
	if err := chromedp.Do(ctx, chromedp.MouseEvent(chromedp.MouseMoved, r.X+r.W*0.2, r.Y+r.H*0.6)); err != nil {
		t.Fatal(err)
	}
	city, _, _ := engine.OrgName(pack.Tenant)
	cityEn := pack.Top().NameEn
	deadline := time.Now().Add(5 * time.Second)
	for {
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("chart-trend").innerText`))
		if strings.Contains(text, city) || strings.Contains(text, cityEn) {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("no tooltip with the city's value over the trend chart: %q", text)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkDownloads fetches the page's CSV and XLSX links and checks that they hold the
// same values, those of the engine.
func checkDownloads(ctx context.Context, t *testing.T, code string) {
	t.Helper()
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".downloads a")).map(function (a) { return a.href; })`))
	if err != nil || len(links) != 2 {
		t.Fatalf("download links %v (%v)", links, err)
	}
	fetch := func(link, wantType string) []byte {
		res, err := ts.Client().Get(link)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != wantType {
			t.Fatalf("GET %s: %d %s", link, res.StatusCode, res.Header.Get("Content-Type"))
		}
		return body
	}
	rows, err := csv.NewReader(bytes.NewReader(fetch(links[0], "text/csv; charset=utf-8"))).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	book, err := excelize.OpenReader(bytes.NewReader(fetch(links[1], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))
	if err != nil {
		t.Fatalf("XLSX: %v", err)
	}
	defer book.Close()
	cells, err := book.GetRows("values")
	if err != nil {
		t.Fatalf("XLSX: %v", err)
	}
	if len(rows) < 2 || strings.Join(rows[0], ",") != "indicator,org,year,value" {
		t.Fatalf("CSV: %d rows, header %v", len(rows), rows[0])
	}
	if len(cells) != len(rows) || strings.Join(cells[0], ",") != "indicator,org,year,value" {
		t.Fatalf("XLSX: %d rows with header %v; the CSV has %d", len(cells), cells[0], len(rows))
	}
	for i, r := range rows[1:] {
		c := cells[i+1]
		for len(c) < 4 {
			c = append(c, "") // an empty last cell is not returned
		}
		if r[0] != code || c[0] != r[0] || c[1] != r[1] || c[2] != r[2] || !sameNumber(c[3], r[3]) {
			t.Errorf("row %d: CSV %v, XLSX %v", i+2, r, c)
			break
		}
	}
}

func sameNumber(a, b string) bool {
	if a == b {
		return true
	}
	x, errX := strconv.ParseFloat(a, 64)
	y, errY := strconv.ParseFloat(b, 64)
	return errX == nil && errY == nil && (x == y || (x-y)*(x-y) < 1e-18*(x*x+y*y))
}

// checkPermalink follows the page's "link to this view" and checks that it shows the
// same data.
func checkPermalink(ctx context.Context, t *testing.T, charts int) {
	t.Helper()
	const dataJS = `document.getElementById("chart-data").textContent`
	before, err := chromedp.Run(ctx, chromedp.Evaluate[string](dataJS))
	if err != nil {
		t.Fatal(err)
	}
	link, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("a.permalink").href`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(link)); err != nil {
		t.Fatal(err)
	}
	waitCharts(ctx, t, charts)
	after, _ := chromedp.Run(ctx, chromedp.Evaluate[string](dataJS))
	if after != before {
		t.Errorf("%s shows other data than the page it was taken from", link)
	}
}

// checkMapClick clicks 栖霞市 on the map and checks that the page then shows it, with
// the other parameters of its URL kept.
func checkMapClick(ctx context.Context, t *testing.T, charts int) {
	t.Helper()
	before, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	type point struct{ X, Y float64 }
	// A place in 栖霞市, south-west of its label, as the map draws it.
	p, err := chromedp.Run(ctx, chromedp.Evaluate[point](`(function () {
  var n = document.getElementById("chart-map"); n.scrollIntoView({block: "center"});
  var xy = echarts.getInstanceByDom(n).convertToPixel({geoIndex: 0}, [120.72, 37.22]);
  var b = n.getBoundingClientRect(); return {X: b.left + xy[0], Y: b.top + xy[1]};
})()`))
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(cctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.MouseClickXY(p.X, p.Y))); err != nil {
		t.Fatalf("click on the map: %v", err)
	}
	after, _ := chromedp.Run(ctx, chromedp.Location())
	b, _ := url.Parse(before)
	a, _ := url.Parse(after)
	bq, aq := b.Query(), a.Query()
	if aq.Get("org") != "370686" || a.Path != b.Path {
		t.Errorf("click on 栖霞市 on the map: %s → %s, want org=370686", before, after)
	}
	bq.Del("org")
	aq.Del("org")
	if bq.Encode() != aq.Encode() {
		t.Errorf("click on the map: %s → %s changes more than the org", before, after)
	}
	waitCharts(ctx, t, charts)
}

// checkKeyboard checks that the first Tab reaches the skip link, and that it leads to
// the content.
func checkKeyboard(ctx context.Context, t *testing.T) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	focused, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className + " " + document.activeElement.getAttribute("href")`))
	if focused != "skip #main" {
		t.Errorf("first Tab focuses %q, want the skip link", focused)
	}
}

// checkPrint checks the print stylesheet: the controls are hidden, the charts stay.
func checkPrint(ctx context.Context, t *testing.T, charts int, path string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	defer chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
	hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[".top nav", "form.view", ".downloads"].map(function (s) { return getComputedStyle(document.querySelector(s)).display; })`))
	for i, d := range hidden {
		if d != "none" {
			t.Errorf("print: element %d of the controls is shown (display %s)", i, d)
		}
	}
	waitCharts(ctx, t, charts)
	screenshot(ctx, t, path)
}

// checkLanguageSwitch follows the language link and checks that the page changes
// language and keeps every other parameter of its URL.
func checkLanguageSwitch(ctx context.Context, t *testing.T, lang string, charts int) {
	t.Helper()
	before, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("a.lang")))); err != nil {
		t.Fatalf("language switch: %v", err)
	}
	after, _ := chromedp.Run(ctx, chromedp.Location())
	want := map[string]string{"zh-CN": "en", "en": "zh-CN"}[lang]
	if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("document.documentElement.lang")); got != want {
		t.Errorf("after the language switch from %s: <html lang=%q>, want %q", before, got, want)
	}
	b, _ := url.Parse(before)
	a, _ := url.Parse(after)
	bq, aq := b.Query(), a.Query()
	bq.Del("lang")
	aq.Del("lang")
	if a.Path != b.Path || bq.Encode() != aq.Encode() {
		t.Errorf("language switch: %s → %s changes more than the language", before, after)
	}
	waitCharts(ctx, t, charts)
}

// contrastJS finds the page's visible text whose contrast with its background is below
// WCAG 2's AA: 4.5:1, or 3:1 for large text (24px, or 18.66px bold). The background is
// every ancestor's background colour composited over white; the text's colour is faded
// by the opacity of it and its ancestors. Text drawn on the charts' canvases is not in
// the DOM and is left out, as are visually hidden texts (.sr) and elements scrolled or
// placed off the page (the skip link until it has the focus).
const contrastJS = `(function () {
  function parse(c) {
    var m = /rgba?\(([^)]*)\)/.exec(c);
    if (!m) return null;
    var p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  }
  function over(top, bottom) {
    var a = top.a + bottom.a * (1 - top.a);
    function mix(k) { return (top[k] * top.a + bottom[k] * bottom.a * (1 - top.a)) / a; }
    return { r: mix("r"), g: mix("g"), b: mix("b"), a: a };
  }
  function lum(c) {
    function ch(v) { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
    return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
  }
  function background(el) {
    var layers = [];
    for (var n = el; n && n.nodeType === 1; n = n.parentElement) {
      var c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) layers.push(c);
      if (c && c.a === 1) break;
    }
    var bg = { r: 255, g: 255, b: 255, a: 1 };
    for (var i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  }
  function opacity(el) {
    var o = 1;
    for (var n = el; n && n.nodeType === 1; n = n.parentElement) o *= Number(getComputedStyle(n).opacity);
    return o;
  }
  var out = [], checked = 0;
  document.querySelectorAll("body *").forEach(function (el) {
    if (el.closest(".chart, .sr, script, style, title, option, svg")) return;
    var own = Array.from(el.childNodes).some(function (n) { return n.nodeType === 3 && n.textContent.trim() !== ""; });
    if (!own) return;
    var s = getComputedStyle(el), r = el.getBoundingClientRect();
    if (s.visibility !== "visible" || r.width < 2 || r.height < 2 || r.right < 0 || r.bottom < 0) return;
    var bg = background(el), fg = parse(s.color);
    fg.a *= opacity(el);
    fg = over(fg, bg);
    var l1 = lum(fg), l2 = lum(bg), ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    var px = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
    var need = px >= 24 || (px >= 18.66 && bold) ? 3 : 4.5;
    checked++;
    if (ratio < need) {
      out.push(ratio.toFixed(2) + " < " + need + ": " + JSON.stringify(el.textContent.trim().slice(0, 40)) + " " + el.tagName.toLowerCase() +
        "." + String(el.className) + " " + s.color + " on " + "rgb(" + [bg.r, bg.g, bg.b].map(Math.round).join(",") + ")");
    }
  });
  return { checked: checked, failures: out };
})()`

// checkContrast checks that every visible text of the page meets WCAG AA contrast.
func checkContrast(ctx context.Context, t *testing.T) {
	t.Helper()
	res, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Checked  int      `json:"checked"`
		Failures []string `json:"failures"`
	}](contrastJS))
	if err != nil {
		t.Fatalf("contrast: %v", err)
	}
	if res.Checked < 20 {
		t.Errorf("contrast: only %d texts checked", res.Checked)
	}
	seen := map[string]bool{}
	for _, f := range res.Failures {
		if !seen[f] {
			seen[f] = true
			t.Errorf("contrast below AA: %s", f)
		}
	}
}

// cardState is what one overview card shows.
type cardState struct {
	Code       string  `json:"code"`
	Value      string  `json:"value"`
	Target     string  `json:"target"`
	Status     string  `json:"status"`
	Completion string  `json:"completion"`
	SparkW     float64 `json:"sparkW"` // the width of the sparkline's drawn line
	Stroke     string  `json:"stroke"`
	Overlaps   bool    `json:"overlaps"` // the value runs into the sparkline
}

const cardsJS = `Array.from(document.querySelectorAll(".card")).map(function (c) {
  function text(sel) { var n = c.querySelector(sel); return n ? n.textContent.trim() : ""; }
  var line = c.querySelector(".spark polyline"), box = line ? line.getBBox() : null;
  var v = c.querySelector(".card-value .value"), sp = c.querySelector(".spark");
  var overlaps = false;
  if (v && sp) { var a = v.getBoundingClientRect(), b = sp.getBoundingClientRect(); overlaps = a.right > b.left + 1 && a.bottom > b.top && b.bottom > a.top; }
  return { code: c.id.replace(/^ind-/, ""), value: text(".num-big"), target: text(".card-target"),
    status: text(".card-status .badge"), completion: text(".card-completion"),
    sparkW: box ? box.width : 0, stroke: line ? getComputedStyle(line).stroke : "", overlaps: overlaps };
})`

// checkCards checks the overview's cards as drawn: the 13 headline indicators, each with
// a value, a target and a status in words (beside its symbol), and its sparkline drawn.
// As of 2020, the baseline year, nothing is assessed and there is no line to draw.
func checkCards(ctx context.Context, t *testing.T, path string) {
	t.Helper()
	cards, err := chromedp.Run(ctx, chromedp.Evaluate[[]cardState](cardsJS))
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != len(pack.Indicators) {
		t.Fatalf("%s: %d cards, want %d", path, len(cards), len(pack.Indicators))
	}
	asOf2020 := strings.Contains(path, "year=2020")
	for _, c := range cards {
		ind := pack.Indicator(c.Code)
		if ind == nil {
			t.Errorf("card for %q, not an indicator", c.Code)
			continue
		}
		words := strings.TrimSpace(strings.TrimLeft(c.Status, "✓▲●▼✕–·"))
		if c.Value == "" || !strings.Contains(c.Target, strconv.Itoa(ind.Target.Year)) || len([]rune(words)) < 2 || c.Completion == "" {
			t.Errorf("%s: card %s lacks a value, target, status in words or completion: %+v", path, c.Code, c)
		}
		if c.Overlaps {
			t.Errorf("%s: card %s: the value runs into the sparkline", path, c.Code)
		}
		switch {
		case asOf2020 && (c.Value != "—" || words != "无数据"):
			t.Errorf("%s: card %s shows %q %q, want — and 无数据", path, c.Code, c.Value, words)
		case !asOf2020 && (c.Value == "—" || c.SparkW < 20 || c.Stroke == "none" || c.Stroke == ""):
			t.Errorf("%s: card %s: no value or no sparkline drawn: %+v", path, c.Code, c)
		}
	}
}

// focusJS lists the page's visible elements that take the keyboard's focus.
const focusJS = `Array.from(document.querySelectorAll("a[href], button, select, input:not([type=hidden]), summary, textarea, [tabindex]"))
  .filter(function (e) {
    if (e.tabIndex < 0 || e.disabled) return false;
    var r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility === "visible" && !e.closest(".skip");
  }).map(function (e, i) { e.dataset.focusTest = String(i); return i; }).length`

// focusedJS says which element has the focus, and whether it shows it: an outline of at
// least 2px, or a box shadow.
const focusedJS = `(function () {
  var e = document.activeElement, s = getComputedStyle(e);
  var ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none";
  return { i: e.dataset.focusTest === undefined ? -1 : Number(e.dataset.focusTest), tag: e.tagName + " " + (e.textContent || "").trim().slice(0, 30), ring: ring };
})()`

type focusState struct {
	I    int    `json:"i"`
	Tag  string `json:"tag"`
	Ring bool   `json:"ring"`
}

// checkFocusWalk reloads the page and presses Tab through it: every link and control is
// reached, in order, and shows that it has the focus.
func checkFocusWalk(ctx context.Context, t *testing.T) {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(loc)); err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](focusJS))
	if err != nil || n < 10 {
		t.Fatalf("focus walk: %d focusable elements (%v)", n, err)
	}
	reached := make([]bool, n)
	last, noRing := -1, 0
	for range n + 5 { // the skip link and any element the list left out come on top
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		f, err := chromedp.Run(ctx, chromedp.Evaluate[focusState](focusedJS))
		if err != nil {
			t.Fatal(err)
		}
		if !f.Ring && noRing < 5 {
			noRing++
			t.Errorf("focus walk on %s: %s has the focus and shows no focus ring", loc, f.Tag)
		}
		if f.I < 0 {
			continue
		}
		if f.I < last {
			break // round again
		}
		reached[f.I], last = true, f.I
		if f.I == n-1 {
			break
		}
	}
	t.Logf("focus walk on %s: %d elements", loc, n)
	missed := 0
	for i, ok := range reached {
		if !ok {
			missed++
			if missed <= 5 {
				t.Errorf("focus walk on %s: element %d of %d never has the focus", loc, i, n)
			}
		}
	}
}

// checkMapKeyboard chooses a district from the list beside the map with the keyboard
// alone — Tab until it has the focus, then Enter — and checks that the page then shows
// it, as a click on the map does.
func checkMapKeyboard(ctx context.Context, t *testing.T, charts int, org string) {
	t.Helper()
	before, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(before)); err != nil {
		t.Fatal(err)
	}
	isTarget := `document.activeElement.matches(".map-list a[data-org='` + org + `']")`
	found := false
	for range 400 {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](isTarget)); ok {
			found = true
			break
		}
	}
	if !found {
		t.Fatalf("map by keyboard: Tab never reaches %s in the list beside the map", org)
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(cctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter))); err != nil {
		t.Fatalf("map by keyboard: Enter on %s: %v", org, err)
	}
	after, _ := chromedp.Run(ctx, chromedp.Location())
	b, _ := url.Parse(before)
	a, _ := url.Parse(after)
	bq, aq := b.Query(), a.Query()
	if aq.Get("org") != org || a.Path != b.Path {
		t.Errorf("map by keyboard: %s → %s, want org=%s", before, after, org)
	}
	bq.Del("org")
	aq.Del("org")
	if bq.Get("year") != "" && bq.Get("year") != aq.Get("year") {
		t.Errorf("map by keyboard: %s → %s loses the year", before, after)
	}
	if cur, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".map-list a[aria-current]").dataset.org`)); cur != org {
		t.Errorf("map by keyboard: the list marks %q as chosen, want %s", cur, org)
	}
	waitCharts(ctx, t, charts)
}

// checkOverviewPrint prints the overview (emulated print media): the controls are
// hidden, the cards and the grid stay, and the cards keep their words.
func checkOverviewPrint(ctx context.Context, t *testing.T, path string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	defer chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
	display, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[".top nav", "form.view", ".skip", ".cards", "table.grid", ".scope"].map(function (s) { return getComputedStyle(document.querySelector(s)).display; })`))
	if len(display) != 6 || display[0] != "none" || display[1] != "none" || display[2] != "none" {
		t.Errorf("print: the controls are shown: %v", display)
	}
	if len(display) == 6 && (display[3] == "none" || display[4] == "none" || display[5] == "none") {
		t.Errorf("print: the cards, the grid or the scope are hidden: %v", display)
	}
	checkCards(ctx, t, "/ (print)")
	screenshot(ctx, t, path)
}

// checkYearChoice chooses 2020 in the overview's year selector and submits it with
// Enter on its button, and checks that the page then shows the assessment as of 2020, and that its own link
// reproduces that view.
func checkYearChoice(ctx context.Context, t *testing.T) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+"/")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("form.view select[name=year]"), "2020"),
		chromedp.Focus(chromedp.CSS("form.view button"))); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := chromedp.Run(cctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter))); err != nil {
		t.Fatalf("year choice: %v", err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if u, _ := url.Parse(loc); u.Query().Get("year") != "2020" {
		t.Errorf("year choice: at %s, want year=2020", loc)
	}
	scope, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".scope").textContent`))
	if !strings.Contains(scope, "2020") || !strings.Contains(scope, "烟台市") {
		t.Errorf("year choice: the page says it shows %q", scope)
	}
	checkCards(ctx, t, loc)
	const cardsText = `Array.from(document.querySelectorAll(".card")).map(function (c) { return c.textContent.replace(/\s+/g, " "); }).join("|")`
	before, _ := chromedp.Run(ctx, chromedp.Evaluate[string](cardsText))
	link, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("a.permalink").href`))
	if _, err := chromedp.Run(ctx, chromedp.NavigateResponse(link)); err != nil {
		t.Fatal(err)
	}
	if after, _ := chromedp.Run(ctx, chromedp.Evaluate[string](cardsText)); after != before || !strings.Contains(link, "year=2020") {
		t.Errorf("year choice: the link to the view, %s, shows other cards", link)
	}
}
