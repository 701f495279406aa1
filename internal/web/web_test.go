package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/demo"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/store"
	"github.com/yantai-edu/eduplan/internal/web"
)

// The fixture, built once for the test binary: a real SQLite file holding a small demo
// data set, and a server over it.
var (
	server *web.Server
	ts     *httptest.Server
	engine *indicator.Engine
	pack   *plan.Pack
	db     *store.DB
)

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "web test fixture:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "eduplan-web-test-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	if pack, err = plan.Builtin(); err != nil {
		return 0, err
	}
	if db, err = store.Open(ctx, filepath.Join(dir, "eduplan.db")); err != nil {
		return 0, err
	}
	defer db.Close()
	csvDir := filepath.Join(dir, "demo")
	if err := os.Mkdir(csvDir, 0o755); err != nil {
		return 0, err
	}
	// Small and short, so that the race-enabled CI run stays quick; the city's 2020
	// values reproduce the plan's baselines at any scale.
	sum, err := demo.Generate(ctx, pack, csvDir, demo.Options{Scale: 0.01, Seed: 1, LastYear: 2021})
	if err != nil {
		return 0, fmt.Errorf("demo: %w", err)
	}
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), sum.Files, ingest.Options{}); err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	if err := db.SetDemo(ctx, true); err != nil {
		return 0, err
	}
	if engine, err = indicator.Load(ctx, db, pack); err != nil {
		return 0, err
	}
	server = web.New(web.Deps{Pack: pack, DB: db, Engine: func() *indicator.Engine { return engine }, Logger: slog.New(slog.DiscardHandler)})
	ts = httptest.NewServer(server.Handler())
	defer ts.Close()
	return m.Run(), nil
}

// get requests a path of the test server with optional header pairs.
func get(t *testing.T, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// envelope is the JSON answer of the API.
type envelope struct {
	Demo   *bool           `json:"demo"`
	Notice string          `json:"notice"`
	Data   json.RawMessage `json:"data"`
}

// getData requests a JSON API path, checks it is a demo-data envelope with status 200,
// and decodes its data into v.
func getData(t *testing.T, path string, v any) {
	t.Helper()
	res, body := get(t, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, body %s", path, res.StatusCode, body)
	}
	checkEnvelope(t, path, res, body)
	var env envelope
	json.Unmarshal(body, &env)
	if err := json.Unmarshal(env.Data, v); err != nil {
		t.Fatalf("GET %s: data: %v", path, err)
	}
}

const notice = "演示数据 Demo data — not official statistics"

func checkEnvelope(t *testing.T, path string, res *http.Response, body []byte) {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, body)
	}
	if env.Demo == nil || !*env.Demo || env.Notice != notice || env.Data == nil {
		t.Errorf("GET %s: not a demo-data envelope: %.200s", path, body)
	}
	if h := res.Header.Get("X-Eduplan-Demo"); h != "true" {
		t.Errorf("GET %s: X-Eduplan-Demo %q", path, h)
	}
}

func TestHealth(t *testing.T) {
	res, body := get(t, "/healthz")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	var h struct {
		Status string `json:"status"`
		Demo   bool   `json:"demo"`
	}
	if err := json.Unmarshal(body, &h); err != nil || h.Status != "ok" || !h.Demo {
		t.Errorf("body %s (%v), want status ok and demo true", body, err)
	}
}

func TestValuesJSON(t *testing.T) {
	var vs []indicator.Value
	getData(t, "/api/v1/values?indicator=kg_public_share&org=370600&year=2020", &vs)
	// The demo data reproduce the plan's stated 2020 baseline for the city.
	want := indicator.Value{Indicator: "kg_public_share", Org: "370600", Year: 2020, Value: 41.17, OK: true}
	if len(vs) != 1 || vs[0] != want {
		t.Errorf("got %+v, want [%+v]", vs, want)
	}

	// With no filter: every value the engine has, in its order.
	var all []indicator.Value
	getData(t, "/api/v1/values", &all)
	direct, _ := engine.Values(pack.FullScope(), indicator.Query{})
	if len(all) != len(direct) || len(all) == 0 {
		t.Errorf("got %d values, the engine has %d", len(all), len(direct))
	}
}

func TestValuesCSV(t *testing.T) {
	for _, tc := range []struct {
		query string
		q     indicator.Query
	}{
		{"", indicator.Query{}},
		{"&indicator=kg_public_share", indicator.Query{Indicator: "kg_public_share"}},
		{"&org=370602&year=2021", indicator.Query{Org: "370602", Year: 2021}},
	} {
		res, body := get(t, "/api/v1/values?format=csv"+tc.query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d: %s", tc.query, res.StatusCode, body)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", tc.query, ct)
		}
		if h := res.Header.Get("X-Eduplan-Demo"); h != "true" {
			t.Errorf("%s: X-Eduplan-Demo %q", tc.query, h)
		}
		header, _, _ := strings.Cut(string(body), "\n")
		if header != "indicator,org,year,value" {
			t.Errorf("%s: header %q", tc.query, header)
		}
		// The body is exactly what `eduplan values --format csv` writes.
		vs, err := engine.Values(pack.FullScope(), tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		indicator.WriteCSV(&want, vs)
		if !bytes.Equal(body, want.Bytes()) {
			t.Errorf("%s: body differs from indicator.WriteCSV:\n%.300s\nwant\n%.300s", tc.query, body, want.Bytes())
		}
	}
	_, body := get(t, "/api/v1/values?format=csv&indicator=kg_public_share&org=370600")
	if !strings.Contains(string(body), "\nkg_public_share,370600,2020,41.17\n") {
		t.Errorf("no 2020 city row kg_public_share,370600,2020,41.17 in\n%s", body)
	}
}

func TestProgress(t *testing.T) {
	res, body := get(t, "/api/v1/progress?format=csv")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	header, _, _ := strings.Cut(string(body), "\n")
	if want := "indicator,org,baseline_year,baseline,latest_year,latest,target_year,target,time_elapsed,completion,status,at_risk,required_change,projection"; header != want {
		t.Errorf("header %q, want %q", header, want)
	}
	rows, err := progress.Assess(engine, pack.FullScope(), progress.Query{})
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	progress.WriteCSV(&want, rows)
	if !bytes.Equal(body, want.Bytes()) {
		t.Errorf("body differs from progress.WriteCSV:\n%.300s\nwant\n%.300s", body, want.Bytes())
	}
	// 13 indicators × (city + 13 districts), less those not defined at districts.
	if n := strings.Count(string(body), "\n") - 1; n != len(rows) || n < len(pack.Indicators) {
		t.Errorf("%d CSV rows, %d assessed", n, len(rows))
	}

	var got []struct {
		Indicator string   `json:"indicator"`
		Org       string   `json:"org"`
		Status    string   `json:"status"`
		Baseline  *float64 `json:"baseline"`
	}
	getData(t, "/api/v1/progress?org=370600&indicator=kg_public_share", &got)
	if len(got) != 1 || got[0].Org != "370600" || got[0].Baseline == nil || *got[0].Baseline != 41.17 || got[0].Status == "" {
		t.Errorf("got %+v, want the city's row with baseline 41.17", got)
	}
}

func TestPlanAndOrgs(t *testing.T) {
	var p struct {
		Code       string `json:"code"`
		Tenant     string `json:"tenant"`
		Indicators []struct {
			Code           string `json:"code"`
			Unit           string `json:"unit"`
			Attribute      string `json:"attribute"`
			AttributeLabel string `json:"attribute_label"`
			Baseline       struct {
				Year  int     `json:"year"`
				Value float64 `json:"value"`
			} `json:"baseline"`
		} `json:"indicators"`
	}
	getData(t, "/api/v1/plan", &p)
	if p.Code != "yantai-2021-2025" || p.Tenant != "370600" || len(p.Indicators) != 13 {
		t.Fatalf("plan %s %s with %d indicators", p.Code, p.Tenant, len(p.Indicators))
	}
	if i := p.Indicators[0]; i.Code != "kg_public_share" || i.Unit != "%" || i.AttributeLabel != "预期性" || i.Baseline.Year != 2020 || i.Baseline.Value != 41.17 {
		t.Errorf("first indicator %+v", i)
	}

	var orgs []struct{ Code, Parent, Level, Name, NameEn string }
	getData(t, "/api/v1/orgs", &orgs)
	if len(orgs) != 14 || orgs[0].Code != "370600" || orgs[1].Code != "370602" || orgs[1].Name != "芝罘区" || orgs[1].Parent != "370600" {
		t.Errorf("orgs %+v", orgs)
	}

	var ind struct {
		Code, Name string
		Attribute  string
	}
	getData(t, "/api/v1/indicators/working_age_schooling_years", &ind)
	if ind.Code != "working_age_schooling_years" || ind.Attribute != "binding" {
		t.Errorf("indicator %+v", ind)
	}

	var batches []store.Batch
	getData(t, "/api/v1/batches", &batches)
	if len(batches) == 0 || batches[0].ID == 0 || batches[0].Kind == "" {
		t.Errorf("batches %+v", batches)
	}
}

func TestExplain(t *testing.T) {
	var ex indicator.Explanation
	getData(t, "/api/v1/values/explain?indicator=kg_public_share&org=370600&year=2020", &ex)
	if !ex.Value.OK || ex.Value.Value != 41.17 || ex.Formula == "" || len(ex.Inputs) != 2 {
		t.Errorf("explanation %+v", ex)
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{"/api/v1/values?indicator=no_such_indicator", 404, "not_found"},
		{"/api/v1/values?org=999999", 404, "not_found"},
		{"/api/v1/values?year=abc", 400, "invalid"},
		{"/api/v1/values?year=2020.5", 400, "invalid"},
		{"/api/v1/values?format=xml", 400, "invalid"},
		{"/api/v1/values/explain?indicator=kg_public_share&org=370600", 400, "invalid"},
		{"/api/v1/values/explain?indicator=kg_public_share&org=370600&year=x", 400, "invalid"},
		{"/api/v1/values/explain?indicator=nope&org=370600&year=2020", 404, "not_found"},
		{"/api/v1/indicators/no_such_indicator", 404, "not_found"},
		{"/api/v1/progress?indicator=no_such_indicator", 404, "not_found"},
		{"/api/v1/progress?org=999999", 404, "not_found"},
		{"/api/v1/progress?format=pdf", 400, "invalid"},
		{"/api/v1/no_such_endpoint", 404, "not_found"},
	} {
		res, body := get(t, tc.path)
		if res.StatusCode != tc.status {
			t.Errorf("GET %s: status %d, want %d", tc.path, res.StatusCode, tc.status)
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", tc.path, ct)
		}
		var e struct {
			Error struct {
				Code      string `json:"code"`
				Message   string `json:"message"`
				MessageEn string `json:"message_en"`
			} `json:"error"`
		}
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("GET %s: %v in %s", tc.path, err, body)
		}
		if e.Error.Code != tc.code || e.Error.Message == "" || e.Error.MessageEn == "" || e.Error.Message == e.Error.MessageEn {
			t.Errorf("GET %s: error %+v, want code %s with a Chinese and an English message", tc.path, e.Error, tc.code)
		}
	}
}

func TestOverview(t *testing.T) {
	for _, tc := range []struct {
		name   string
		path   string
		header []string
		want   []string
		absent []string
	}{
		{"zh default", "/", nil,
			[]string{`<html lang="zh-CN">`, "公办幼儿园在园幼儿占比", "演示数据", "烟台市", "芝罘区", "预期性", "约束性", "万人", "41.17",
				`href="/?lang=en"`, "/api/v1/values/explain?indicator=kg_public_share&amp;org=370602&amp;year="},
			[]string{"Share of kindergarten children"}},
		{"en by parameter", "/?lang=en", nil,
			[]string{`<html lang="en">`, "Share of kindergarten children in public kindergartens", "Demo data", "Zhifu District", "Binding", `href="/?lang=zh"`},
			[]string{"公办幼儿园在园幼儿占比"}},
		{"en by Accept-Language", "/", []string{"Accept-Language", "en-GB,en;q=0.9,zh-CN;q=0.6"},
			[]string{`<html lang="en">`, "Gross enrolment rate, preschool"}, nil},
		{"zh preferred", "/", []string{"Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8"},
			[]string{`<html lang="zh-CN">`, "学前教育毛入园率"}, nil},
		{"parameter wins", "/?lang=zh&x=1", []string{"Accept-Language", "en"},
			[]string{`<html lang="zh-CN">`, `href="/?lang=en&amp;x=1"`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := get(t, tc.path, tc.header...)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", res.StatusCode, body)
			}
			if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			for _, s := range tc.want {
				if !strings.Contains(string(body), s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range tc.absent {
				if strings.Contains(string(body), s) {
					t.Errorf("page has %q", s)
				}
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	res, body := get(t, "/")
	for k, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
	} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}

	// The page links its stylesheet by a versioned URL that may be cached for good.
	i := strings.Index(string(body), `href="/static/app.css?v=`)
	if i < 0 {
		t.Fatalf("no versioned stylesheet link")
	}
	link, _, _ := strings.Cut(string(body[i+len(`href="`):]), `"`)
	res, css := get(t, strings.ReplaceAll(link, "&amp;", "&"))
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || !bytes.Contains(css, []byte("--achieved")) {
		t.Errorf("GET %s: %d %s", link, res.StatusCode, res.Header.Get("Content-Type"))
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("versioned stylesheet: Cache-Control %q", cc)
	}
	res, _ = get(t, "/static/app.css")
	if cc := res.Header.Get("Cache-Control"); cc == "" || strings.Contains(cc, "immutable") {
		t.Errorf("unversioned stylesheet: Cache-Control %q", cc)
	}
	if res, _ := get(t, "/static/nothing.css"); res.StatusCode != http.StatusNotFound {
		t.Errorf("missing static file: status %d", res.StatusCode)
	}
	if res, body := get(t, "/no-such-page?lang=en"); res.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "no such page") {
		t.Errorf("missing page: status %d, %.200s", res.StatusCode, body)
	}
}

// TestNotDemo checks that real data carries no demo notice.
func TestNotDemo(t *testing.T) {
	ctx := context.Background()
	if err := db.SetDemo(ctx, false); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.SetDemo(ctx, true) })

	res, body := get(t, "/api/v1/indicators")
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	if env.Demo == nil || *env.Demo || env.Notice != "" || res.Header.Get("X-Eduplan-Demo") != "false" {
		t.Errorf("not demo data, yet %.200s (X-Eduplan-Demo %q)", body, res.Header.Get("X-Eduplan-Demo"))
	}
	if _, body := get(t, "/"); strings.Contains(string(body), "演示数据") {
		t.Errorf("page of real data has the demo banner")
	}
	if _, body := get(t, "/healthz"); !strings.Contains(string(body), `"demo":false`) {
		t.Errorf("healthz: %s", body)
	}
}
