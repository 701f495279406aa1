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

	for _, tc := range []struct {
		name, path string
		lang       string // of <html>
		charts     int
		indicator  string // for the indicator pages
		org        string // shown on the page, for the indicator pages
	}{
		{"overview-zh", "/", "zh-CN", 0, "", ""},
		{"overview-en", "/?lang=en", "en", 0, "", ""},
		{"indicator-kg_public_share-zh", "/indicators/kg_public_share", "zh-CN", 3, "kg_public_share", "370600"},
		{"indicator-compulsory_retention-qixia-en", "/indicators/compulsory_retention?lang=en&org=370686", "en", 3, "compulsory_retention", "370686"},
		{"district-zhifu-zh", "/districts/370602", "zh-CN", 1, "", ""},
		{"district-qixia-en", "/districts/370686?lang=en", "en", 1, "", ""},
		{"data-zh", "/data", "zh-CN", 0, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(ctx, 40*time.Second)
			defer cancel()
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
			}
			checkLanguageSwitch(ctx, t, tc.lang, tc.charts)
			for _, p := range seen.take() {
				t.Errorf("%s, after the checks: %s", tc.path, p)
			}
		})
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
