package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/demo"
	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/quality"
	"github.com/yantai-edu/eduplan/internal/store"
	"github.com/yantai-edu/eduplan/internal/web"
)

// The fixture, built once for the test binary: a real database (a SQLite file, or
// PostgreSQL's with EDUPLAN_TEST_DB=postgres) holding a small demo data set, and a
// server over it.
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
	if db, _, err = fixture.MainDB(dir, "eduplan.db"); err != nil {
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
	if err := db.SetDemo(ctx, pack.Tenant, true); err != nil {
		return 0, err
	}
	if engine, err = indicator.Load(ctx, db, pack); err != nil {
		return 0, err
	}
	// Edition 1, published: the final review as the API and pages show it by default.
	if _, err := edition.Create(ctx, db, engine, edition.Final, pack.TargetYear, "", "test"); err != nil {
		return 0, fmt.Errorf("edition: %w", err)
	}
	if _, err := edition.Publish(ctx, db, pack, 1, "test"); err != nil {
		return 0, fmt.Errorf("publish: %w", err)
	}
	if err := addUsers(ctx); err != nil {
		return 0, fmt.Errorf("users: %w", err)
	}
	server = web.New(web.Deps{Pack: pack, DB: db, Engine: func() *indicator.Engine { return engine }, Auth: users, Logger: slog.New(slog.DiscardHandler)})
	// As eduplan serve runs it: answers from the cache corked (cork.go).
	ts = httptest.NewUnstartedServer(server.Handler())
	ts.Config.ConnContext = web.ConnContext
	ts.Start()
	defer ts.Close()
	return m.Run(), nil
}

// get requests a path of the test server with optional header pairs, as the admin
// (with the admin's API token) unless the pairs set Authorization ("" for the public).
func get(t *testing.T, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tokens[auth.Admin])
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

// TestValuesXLSX checks the workbook against the engine: the CSV's columns, numbers as
// numbers, an empty cell where a value cannot be computed.
func TestValuesXLSX(t *testing.T) {
	for _, tc := range []struct {
		query string
		q     indicator.Query
	}{
		{"&indicator=kg_public_share", indicator.Query{Indicator: "kg_public_share"}},
		{"&indicator=compulsory_retention&year=2020", indicator.Query{Indicator: "compulsory_retention", Year: 2020}},
	} {
		res, body := get(t, "/api/v1/values?format=xlsx"+tc.query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d: %s", tc.query, res.StatusCode, body)
		}
		if ct := res.Header.Get("Content-Type"); ct != xlsxType {
			t.Errorf("%s: Content-Type %q", tc.query, ct)
		}
		if h := res.Header.Get("X-Eduplan-Demo"); h != "true" {
			t.Errorf("%s: X-Eduplan-Demo %q", tc.query, h)
		}
		f, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		defer f.Close()
		vs, _ := engine.Values(pack.FullScope(), tc.q)
		if len(vs) == 0 {
			t.Fatalf("%s: no values to compare", tc.query)
		}
		if got, _ := f.GetCellValue("values", "A1"); got != "indicator" {
			t.Errorf("%s: A1 %q", tc.query, got)
		}
		missing := 0
		for i, v := range vs {
			row := strconv.Itoa(i + 2)
			org, _ := f.GetCellValue("values", "B"+row)
			year, _ := f.GetCellValue("values", "C"+row)
			typ, _ := f.GetCellType("values", "D"+row)
			value, _ := f.GetCellValue("values", "D"+row)
			if org != v.Org || year != strconv.Itoa(v.Year) {
				t.Fatalf("%s: row %s: %s %s, want %s %d", tc.query, row, org, year, v.Org, v.Year)
			}
			switch {
			case !v.OK:
				missing++
				if value != "" {
					t.Errorf("%s: row %s: %q where the value cannot be computed", tc.query, row, value)
				}
			case typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset:
				t.Errorf("%s: row %s: cell type %v, want a number", tc.query, row, typ)
			default:
				if x, err := strconv.ParseFloat(value, 64); err != nil || math.Abs(x-v.Value) > 1e-9*math.Abs(v.Value) {
					t.Errorf("%s: row %s: %q, want %v", tc.query, row, value, v.Value)
				}
			}
		}
		if rows, _ := f.GetRows("values"); len(rows) != len(vs)+1 {
			t.Errorf("%s: %d rows, want %d and a header", tc.query, len(rows), len(vs))
		}
		// An institution's retention rate needs its grade-1 entrants of eight years
		// before, which no roster holds: those cells are empty.
		if tc.q.Indicator == "compulsory_retention" && missing == 0 {
			t.Errorf("%s: every value computed, so no empty cell was checked", tc.query)
		}
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

func TestScorecardsCompareQuality(t *testing.T) {
	var cards []struct {
		Org    string
		Rank   int
		AtRisk int `json:"at_risk"`
		Rows   []struct{ Indicator, Status string }
	}
	getData(t, "/api/v1/scorecards", &cards)
	want, err := progress.Scorecards(engine, pack.FullScope())
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != 13 || len(cards) != len(want) {
		t.Fatalf("%d scorecards, want the 13 districts", len(cards))
	}
	ranks := map[int]bool{}
	for i, c := range cards {
		if c.Org != want[i].Org || c.Rank != want[i].Rank || c.AtRisk != want[i].AtRisk || len(c.Rows) != len(want[i].Rows) {
			t.Errorf("scorecard %d: %s rank %d, want %s rank %d", i, c.Org, c.Rank, want[i].Org, want[i].Rank)
		}
		ranks[c.Rank] = true
	}
	// Ranks run from 1 by standard competition ranking: districts with equal
	// statistics share one (并列) and the next skips as many.
	slices.SortFunc(cards, func(a, b struct {
		Org    string
		Rank   int
		AtRisk int `json:"at_risk"`
		Rows   []struct{ Indicator, Status string }
	}) int {
		return a.Rank - b.Rank
	})
	for i, c := range cards {
		if c.Rank != i+1 && (i == 0 || c.Rank != cards[i-1].Rank) {
			t.Errorf("%s: rank %d after %d districts", c.Org, c.Rank, i)
		}
	}

	// methods=all: the default row beside the three other methods; the plain answer is
	// the default rows alone.
	var cmp []struct {
		Default struct{ Indicator, Status string } `json:"default"`
		OpenSDG json.RawMessage                    `json:"open_sdg"`
		UNSD    struct{ Status string }            `json:"unsd"`
		ESCAP   struct{ Status string }            `json:"escap"`
	}
	getData(t, "/api/v1/progress?methods=all&org=370602", &cmp)
	wantCmp, err := progress.Compare(engine, pack.FullScope(), progress.Query{Org: "370602"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cmp) != len(wantCmp) || len(cmp) == 0 {
		t.Fatalf("%d comparisons, want %d", len(cmp), len(wantCmp))
	}
	for i, c := range cmp {
		w := wantCmp[i]
		if c.Default.Indicator != w.Row.Indicator || c.Default.Status != string(w.Row.Status) || c.UNSD.Status != string(w.UNSD.Status) ||
			c.ESCAP.Status != string(w.ESCAP.Status) || !strings.Contains(string(c.OpenSDG), `"Status":"`+string(w.OpenSDG.Status)+`"`) {
			t.Errorf("comparison %d: %+v, want %+v", i, c, w)
		}
	}
	_, plain := get(t, "/api/v1/progress?org=370602")
	_, dflt := get(t, "/api/v1/progress?org=370602&methods=default")
	if !bytes.Equal(plain, dflt) || bytes.Contains(plain, []byte("open_sdg")) {
		t.Errorf("methods=default differs from no methods, or the plain answer has the other methods")
	}

	res, body := get(t, "/api/v1/quality?format=csv")
	rep, err := quality.Assess(context.Background(), db, engine, pack.FullScope())
	if err != nil {
		t.Fatal(err)
	}
	var wantCSV bytes.Buffer
	quality.WriteCSV(&wantCSV, rep)
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, wantCSV.Bytes()) || res.Header.Get("X-Eduplan-Demo") != "true" {
		t.Errorf("quality CSV: %d, %.300s\nwant\n%.300s", res.StatusCode, body, wantCSV.Bytes())
	}
	var q quality.Report
	getData(t, "/api/v1/quality", &q)
	if q.Tenant != pack.Tenant || len(q.Cells) != len(rep.Cells) || len(q.Years) == 0 {
		t.Errorf("quality: tenant %s, %d cells, want %d", q.Tenant, len(q.Cells), len(rep.Cells))
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
	// The API's plan is plan.Pack.JSON, the shape of `eduplan plan show --format json`.
	_, body := get(t, "/api/v1/plan")
	var env envelope
	json.Unmarshal(body, &env)
	want, _ := json.Marshal(pack.JSON())
	if !bytes.Equal(env.Data, want) {
		t.Errorf("/api/v1/plan is not plan.Pack.JSON:\n%.300s\nwant\n%.300s", body, want)
	}
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
		{"/api/v1/progress?format=xlsx", 400, "invalid"},
		{"/api/v1/values/explain?indicator=kg_public_share&org=370600", 400, "invalid"},
		{"/api/v1/values/explain?indicator=kg_public_share&org=370600&year=x", 400, "invalid"},
		{"/api/v1/values/explain?indicator=nope&org=370600&year=2020", 404, "not_found"},
		{"/api/v1/indicators/no_such_indicator", 404, "not_found"},
		{"/api/v1/progress?indicator=no_such_indicator", 404, "not_found"},
		{"/api/v1/progress?org=999999", 404, "not_found"},
		{"/api/v1/progress?format=pdf", 400, "invalid"},
		{"/api/v1/progress?methods=some", 400, "invalid"},
		{"/api/v1/progress?methods=all&format=csv", 400, "invalid"},
		{"/api/v1/progress?methods=all&org=999999", 404, "not_found"},
		{"/api/v1/quality?format=xlsx", 400, "invalid"},
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
				`href="/?lang=en"`, `href="/indicators/kg_public_share"`, "/indicators/kg_public_share?org=370602&amp;year=2021"},
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

func TestIndicatorPage(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		want       []string
	}{
		{"zh default", "/indicators/kg_public_share",
			[]string{`<html lang="zh-CN">`, "<h1>公办幼儿园在园幼儿占比</h1>", "演示数据", "预期性", "越高越好",
				"41.17%", "75.00%", "计算方法", "100 × 在园幼儿（公办） ÷ 在园幼儿", "100 × A ÷ B", "汇总：名册",
				`<option value="370600" selected>烟台市</option>`, `<option value="2021" selected>2021</option>`,
				`href="/api/v1/values?format=csv&amp;indicator=kg_public_share"`, `href="/api/v1/values?format=xlsx&amp;indicator=kg_public_share"`,
				`<script src="/static/vendor/echarts/echarts.min.js?v=`, `<script src="/static/charts.js?v=`,
				`<script type="application/json" id="chart-data">`, `href="/indicators/kg_public_share?lang=en"`,
				`class="permalink" href="/indicators/kg_public_share?lang=zh&amp;org=370600&amp;year=2021"`,
				`href="/indicators/kg_public_share?org=370602&amp;year=2021"`}},
		{"en, a district, a year", "/indicators/compulsory_retention?lang=en&org=370686&year=2020",
			[]string{`<html lang="en">`, "Retention rate, nine-year compulsory education", "Binding", "Qixia · 2020",
				"How this is computed", "students (junior secondary, grade 9)", "students (primary, grade 1, 8 years earlier)",
				"reported figure", `<option value="370686" selected>Qixia</option>`, `<option value="2020" selected>2020</option>`,
				`href="/indicators/compulsory_retention?lang=en&amp;org=370602&amp;year=2020"`, `href="/?lang=en"`,
				"The downloads also hold each school"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := get(t, tc.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %.300s", res.StatusCode, body)
			}
			for _, s := range tc.want {
				if !strings.Contains(string(body), s) {
					t.Errorf("page lacks %q", s)
				}
			}
		})
	}

	// The chart's data are the engine's values, and each input of the explanation is on
	// the page with the number the engine read.
	_, body := get(t, "/indicators/kg_public_share?year=2020")
	_, rest, _ := strings.Cut(string(body), `<script type="application/json" id="chart-data">`)
	raw, _, _ := strings.Cut(rest, "</script>")
	var chart struct {
		Years  []int `json:"years"`
		Series []struct {
			Code   string     `json:"code"`
			Values []*float64 `json:"values"`
		} `json:"series"`
		Baseline struct {
			Year  int
			Value float64
		} `json:"baseline"`
		Target struct {
			Year  int
			Value float64
		} `json:"target"`
	}
	if err := json.Unmarshal([]byte(raw), &chart); err != nil {
		t.Fatalf("chart data: %v in %.300s", err, raw)
	}
	// The axis runs from the baseline year to the target year.
	if len(chart.Years) != 6 || chart.Years[0] != 2020 || chart.Years[5] != 2025 || len(chart.Series) != 14 {
		t.Fatalf("chart years %v, %d series", chart.Years, len(chart.Series))
	}
	if chart.Baseline.Year != 2020 || chart.Baseline.Value != 41.17 || chart.Target.Year != 2025 || chart.Target.Value != 75 {
		t.Errorf("chart baseline %+v, target %+v", chart.Baseline, chart.Target)
	}
	for _, s := range chart.Series {
		for i, y := range chart.Years {
			v, ok := engine.Get("kg_public_share", s.Code, y)
			switch {
			case ok && v.OK && (s.Values[i] == nil || *s.Values[i] != v.Value):
				t.Errorf("chart %s %d: %v, want %v", s.Code, y, s.Values[i], v.Value)
			case !(ok && v.OK) && s.Values[i] != nil:
				t.Errorf("chart %s %d: %v, want none", s.Code, y, *s.Values[i])
			}
		}
	}
	ex, err := engine.Explain(pack.FullScope(), "kg_public_share", "370600", 2020)
	if err != nil || len(ex.Inputs) != 2 {
		t.Fatalf("explain: %v %+v", err, ex)
	}
	for _, in := range ex.Inputs {
		n := grouped(int64(in.Value))
		if !strings.Contains(string(body), `<td class="num">`+n+`</td>`) {
			t.Errorf("page lacks input %s = %s", in.Call, n)
		}
		for _, b := range in.Batches {
			if !strings.Contains(string(body), fmt.Sprintf(">#%d</a>", b)) {
				t.Errorf("page lacks batch #%d of %s", b, in.Call)
			}
		}
	}
	// 100 × A ÷ B is the value.
	if got := 100 * ex.Inputs[0].Value / ex.Inputs[1].Value; math.Abs(got-41.17) > 0.005 {
		t.Errorf("100 × %v ÷ %v = %v, want 41.17", ex.Inputs[0].Value, ex.Inputs[1].Value, got)
	}

	for _, tc := range []struct {
		path   string
		status int
		text   string
	}{
		{"/indicators/no_such_indicator", 404, "no_such_indicator"},
		{"/indicators/kg_public_share?org=999999", 404, "999999"},
		{"/indicators/kg_public_share?year=abc", 400, "abc"},
		{"/indicators/kg_public_share?year=1999&lang=en", 404, "no data for 1999"},
	} {
		res, body := get(t, tc.path)
		if res.StatusCode != tc.status || !strings.Contains(string(body), tc.text) || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s: %d %s, want %d with %q", tc.path, res.StatusCode, res.Header.Get("Content-Type"), tc.status, tc.text)
		}
	}
}

func TestDistrictAndDataPages(t *testing.T) {
	cards, err := progress.Scorecards(engine, pack.FullScope())
	if err != nil {
		t.Fatal(err)
	}
	rank := strconv.Itoa(cards[0].Rank) // 370602, the first district
	for _, tc := range []struct {
		name, path   string
		want, absent []string
	}{
		{"district zh", "/districts/370602",
			[]string{`<html lang="zh-CN">`, "<h1>芝罘区计分卡</h1>", "演示数据", "在各区县市中排名", `<strong class="big">` + rank + `</strong> <span class="muted">/ 13</span>`,
				"公办幼儿园在园幼儿占比", `href="/indicators/kg_public_share?org=370602"`, "全市最新值",
				"基期值", "目标值", "75.00%", `<span class="sym" aria-hidden="true">`, "完成进度", `id="chart-completion"`,
				`<script type="application/json" id="chart-data">`, `href="/districts/370602?lang=en"`, `<a href="/districts/370686">栖霞市</a>`,
				`href="/api/v1/progress?methods=all&amp;org=370602"`},
			[]string{"Zhifu District"}},
		{"district en", "/districts/370686?lang=en",
			[]string{`<html lang="en">`, "<h1>Qixia scorecard</h1>", "Demo data", "Rank among districts", "City, latest",
				"Retention rate, nine-year compulsory education", "Binding", `<a href="/districts/370602?lang=en">Zhifu District</a>`,
				`href="/indicators/compulsory_retention?lang=en&amp;org=370686"`, `href="/districts/370686?lang=zh"`},
			[]string{"芝罘区计分卡", "在各区县市中排名"}},
		{"data zh", "/data",
			[]string{`<html lang="zh-CN">`, "<h1>数据导入与质量</h1>", "导入批次", "学生名册", "students-2021.csv", "被替换", "现行",
				"数据质量", `class="q q-present"`, "已有", "烟台市", `<a href="/districts/370602">芝罘区</a>`,
				`href="/api/v1/quality?format=csv"`, "2022, 2023, 2024, 2025", `href="/data?lang=en"`},
			[]string{"Students roster"}},
		{"data en", "/data?lang=en",
			[]string{`<html lang="en">`, "<h1>Data imports and quality</h1>", "Import batches", "Students roster", "Reported figures",
				"Data quality", "present", "missing", `<a href="/districts/370602?lang=en">Zhifu District</a>`, `href="/data?lang=zh"`},
			[]string{"学生名册", "数据质量"}},
		{"overview links the districts", "/", []string{`<a href="/districts/370602">芝罘区</a>`, `<a href="/data">数据</a>`}, nil},
		{"indicator page links the districts", "/indicators/kg_public_share?org=370686",
			[]string{`<a class="card-link" href="/districts/370602"`, `<a href="/districts/370686" title="栖霞市 · 计分卡">栖霞市</a>`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := get(t, tc.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %.300s", res.StatusCode, body)
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
	for _, tc := range []struct {
		path   string
		status int
		text   string
	}{
		{"/districts/370600", 404, "370600"}, // the city has no scorecard of its own
		{"/districts/999999?lang=en", 404, "no district"},
	} {
		res, body := get(t, tc.path)
		if res.StatusCode != tc.status || !strings.Contains(string(body), tc.text) {
			t.Errorf("GET %s: %d, want %d with %q", tc.path, res.StatusCode, tc.status, tc.text)
		}
	}
}

// TestVendoredECharts checks that ECharts is served from the binary: versioned,
// cached for good, gzip-compressed for browsers, with its licence beside it.
func TestVendoredECharts(t *testing.T) {
	_, page := get(t, "/indicators/kg_public_share")
	_, rest, ok := strings.Cut(string(page), `<script src="/static/vendor/echarts/echarts.min.js?v=`)
	if !ok {
		t.Fatal("the indicator page does not load the vendored ECharts")
	}
	hash, _, _ := strings.Cut(rest, `"`)
	link := "/static/vendor/echarts/echarts.min.js?v=" + hash

	res, plain := get(t, link, "Accept-Encoding", "identity")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") ||
		res.Header.Get("Content-Encoding") != "" || !bytes.Contains(plain, []byte("Apache Software Foundation")) || len(plain) < 500_000 {
		t.Fatalf("GET %s: %d %s %q, %d bytes", link, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Encoding"), len(plain))
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control %q", cc)
	}
	res, packed := get(t, link, "Accept-Encoding", "gzip, deflate, br")
	if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("gzip: Content-Encoding %q, Vary %q", res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		t.Fatal(err)
	}
	unpacked, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unpacked, plain) || len(packed) > len(plain)/2 {
		t.Errorf("gzip: %d bytes unpack to %d (%v), want the %d of the file", len(packed), len(unpacked), err, len(plain))
	}
	for _, f := range []string{"LICENSE", "NOTICE", "LICENSE-d3", "README.md"} {
		if res, body := get(t, "/static/vendor/echarts/"+f); res.StatusCode != http.StatusOK || len(body) < 100 {
			t.Errorf("GET %s: %d, %d bytes", f, res.StatusCode, len(body))
		}
	}
}

// TestYantaiMap checks the map's data: every district with a value, each drawn by a
// shape of the embedded GeoJSON (长岛县 and 蓬莱市 as one 蓬莱区) or, for the two
// functional zones, by a point.
func TestYantaiMap(t *testing.T) {
	_, body := get(t, "/indicators/kg_public_share?year=2021")
	_, rest, _ := strings.Cut(string(body), `<script type="application/json" id="chart-data">`)
	raw, _, _ := strings.Cut(rest, "</script>")
	var chart struct {
		Map struct {
			GeoURL string `json:"geoURL"`
			Year   int    `json:"year"`
			Items  []struct {
				Code   string    `json:"code"`
				Value  *float64  `json:"value"`
				Text   string    `json:"text"`
				Symbol string    `json:"symbol"`
				Point  []float64 `json:"point"`
			} `json:"items"`
		} `json:"map"`
	}
	if err := json.Unmarshal([]byte(raw), &chart); err != nil {
		t.Fatalf("chart data: %v", err)
	}
	m := chart.Map
	if m.Year != 2021 || len(m.Items) != 13 || !strings.HasPrefix(m.GeoURL, "/static/vendor/yantai-geo/yantai.json?v=") {
		t.Fatalf("map: year %d, %d districts, GeoJSON at %q", m.Year, len(m.Items), m.GeoURL)
	}
	res, b := get(t, m.GeoURL)
	var geo struct {
		Type     string `json:"type"`
		Features []struct {
			Properties struct {
				Name string    `json:"name"`
				Code string    `json:"code"`
				CP   []float64 `json:"cp"`
			} `json:"properties"`
			Geometry struct {
				Type        string           `json:"type"`
				Coordinates [][][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &geo); res.StatusCode != http.StatusOK || err != nil || geo.Type != "FeatureCollection" {
		t.Fatalf("GET %s: %d, %v", m.GeoURL, res.StatusCode, err)
	}
	shapes := map[string]int{}
	for _, f := range geo.Features {
		if f.Geometry.Type != "MultiPolygon" || len(f.Properties.CP) != 2 {
			t.Errorf("%s %s: %s, centre %v", f.Properties.Code, f.Properties.Name, f.Geometry.Type, f.Properties.CP)
		}
		shapes[f.Properties.Code] = len(f.Geometry.Coordinates)
	}
	// 蓬莱区: 蓬莱市's land and 长岛县's islands.
	if shapes["370614"] < 10 || len(shapes) != 11 {
		t.Errorf("shapes %v, want the 11 districts with boundaries, 蓬莱区 with the islands", shapes)
	}
	points := 0
	for _, it := range m.Items {
		if it.Value == nil || it.Text == "" || it.Symbol == "" {
			t.Errorf("map: %s has no value, text or status symbol", it.Code)
		}
		switch {
		case it.Point != nil:
			points++
		case shapes[it.Code] == 0:
			t.Errorf("map: %s has neither a shape nor a point", it.Code)
		}
	}
	if points != 2 {
		t.Errorf("map: %d points, want the 2 functional zones", points)
	}
	for _, f := range []string{"LICENSE", "README.md"} {
		if res, body := get(t, "/static/vendor/yantai-geo/"+f); res.StatusCode != http.StatusOK || len(body) < 100 {
			t.Errorf("GET %s: %d, %d bytes", f, res.StatusCode, len(body))
		}
	}
}

// grouped writes n with "," between thousands, as the pages do.
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
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

// TestNotDemo checks that real data carries no demo notice. The demo mark is set before
// a server starts (eduplan serve fills an empty database) and never while it serves, so
// the server here is started on the database once it is marked real: the shared one's
// cache keeps the answers it gave with the mark.
func TestNotDemo(t *testing.T) {
	ctx := context.Background()
	if err := db.SetDemo(ctx, pack.Tenant, false); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.SetDemo(ctx, pack.Tenant, true) })
	real := httptest.NewServer(web.New(web.Deps{Pack: pack, DB: db, Engine: func() *indicator.Engine { return engine }, Auth: users, Logger: slog.New(slog.DiscardHandler)}).Handler())
	defer real.Close()
	get := func(t *testing.T, path string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequest("GET", real.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tokens[auth.Admin])
		res, err := real.Client().Do(req)
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

// BenchmarkPages reports the server time of each page, handler to last byte, on the
// test fixture's data (`eduplan serve` logs the same figure per request).
func BenchmarkPages(b *testing.B) {
	h := server.Handler()
	for _, bc := range []struct{ name, path string }{
		{"overview", "/"},
		{"indicator", "/indicators/kg_public_share"},
		{"indicator-district-en", "/indicators/compulsory_retention?lang=en&org=370686"},
		{"district", "/districts/370602"},
		{"data-en", "/data?lang=en"},
	} {
		path := bc.path
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}

// TestIndicatorPageNoData checks the page of a database with no data yet: it says so,
// and draws no chart.
func TestIndicatorPageNoData(t *testing.T) {
	ctx := context.Background()
	empty, _ := fixture.NewDB(t)
	e, err := indicator.Load(ctx, empty, pack)
	if err != nil {
		t.Fatal(err)
	}
	s := httptest.NewServer(web.New(web.Deps{Pack: pack, DB: empty, Engine: func() *indicator.Engine { return e }}).Handler())
	defer s.Close()
	res, err := s.Client().Get(s.URL + "/indicators/kg_public_share?lang=en")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "no data yet") || strings.Contains(string(body), `class="chart"`) {
		t.Errorf("status %d: %.2000s", res.StatusCode, body)
	}
}
