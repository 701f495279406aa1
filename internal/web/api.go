package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/quality"
)

// demoNotice is said with every answer drawn from demo data.
const demoNotice = "演示数据 Demo data — not official statistics"

// demoHeader carries on every API answer whether its data is demo data, so that CSV
// bodies can stay exactly the format of docs/formats.md.
const demoHeader = "X-Eduplan-Demo"

// envelope wraps every JSON answer of the API, saying whether the data is demo data.
type envelope struct {
	Demo   bool   `json:"demo"`
	Notice string `json:"notice,omitempty"`
	Data   any    `json:"data"`
}

// writeJSON writes v as the response's JSON body with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only a programming error gets here: the types written are plain data.
		panic(fmt.Sprintf("web: encode %T: %v", v, err))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
}

// respond writes data in the API's envelope.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, data any) {
	s.respondStatus(w, r, http.StatusOK, data)
}

// respondStatus is respond answering with a status other than 200 OK.
func (s *Server) respondStatus(w http.ResponseWriter, r *http.Request, status int, data any) {
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.apiError(w, r, fmt.Errorf("demo flag: %w", err))
		return
	}
	env := envelope{Demo: demo, Data: data}
	if demo {
		env.Notice = demoNotice
	}
	w.Header().Set(demoHeader, strconv.FormatBool(demo))
	writeJSON(w, status, env)
}

// respondCSV writes a CSV body exactly as write produces it; whether it is demo data is
// said only in a header.
func (s *Server) respondCSV(w http.ResponseWriter, r *http.Request, name string, write func(io.Writer) error) {
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.apiError(w, r, fmt.Errorf("demo flag: %w", err))
		return
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		s.apiError(w, r, fmt.Errorf("write %s: %w", name, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", name))
	h.Set(demoHeader, strconv.FormatBool(demo))
	w.Write(buf.Bytes())
}

// Query parameters.

// formatParam reads ?format=: json (the default) or one of the other formats allowed.
func formatParam(r *http.Request, others ...string) (string, error) {
	f := r.URL.Query().Get("format")
	if f == "" || f == "json" {
		return "json", nil
	}
	if slices.Contains(others, f) {
		return f, nil
	}
	zh, en := "json", "json"
	for i, o := range others {
		if i == len(others)-1 {
			zh, en = zh+" 或 "+o, en+" or "+o
		} else {
			zh, en = zh+"、"+o, en+", "+o
		}
	}
	return "", invalidParam("format", f, " "+zh, en)
}

// yearParam reads ?year=, 0 when absent.
func yearParam(r *http.Request) (int, error) {
	s := r.URL.Query().Get("year")
	if s == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1 || y > 9999 {
		return 0, invalidParam("year", s, "四位数年份（如 2024）", "a year such as 2024")
	}
	return y, nil
}

// Handlers.

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.log.ErrorContext(r.Context(), "health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable"})
		return
	}
	// Whether the server is up now: no one keeps the answer.
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "demo": demo})
}

func (s *Server) handlePlan(w http.ResponseWriter, r *http.Request) {
	s.respond(w, r, s.pack.JSON())
}

func (s *Server) handleOrgs(w http.ResponseWriter, r *http.Request) {
	s.respond(w, r, s.pack.OrgsJSON())
}

func (s *Server) handleIndicators(w http.ResponseWriter, r *http.Request) {
	out := make([]plan.IndicatorJSON, 0, len(s.pack.Indicators))
	for _, ind := range s.pack.Indicators {
		out = append(out, ind.JSON())
	}
	s.respond(w, r, out)
}

func (s *Server) handleIndicator(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	ind := s.pack.Indicator(code)
	if ind == nil {
		s.apiError(w, r, plan.Errorf(plan.ENOTFOUND, "指标 %q 不存在", "no indicator %q", code))
		return
	}
	s.respond(w, r, ind.JSON())
}

func (s *Server) handleValues(w http.ResponseWriter, r *http.Request) {
	format, err := formatParam(r, "csv", "xlsx")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	year, err := yearParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	q := r.URL.Query()
	vs, err := s.engine(r).Values(s.scopeFor(r), indicator.Query{Indicator: q.Get("indicator"), Org: q.Get("org"), Year: year})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	switch format {
	case "csv":
		s.respondCSV(w, r, "values.csv", func(w io.Writer) error { return indicator.WriteCSV(w, vs) })
		return
	case "xlsx":
		s.respondXLSX(w, r, "values.xlsx", func() (*excelize.File, error) { return valuesWorkbook(vs) })
		return
	}
	if vs == nil {
		vs = []indicator.Value{}
	}
	s.respond(w, r, vs)
}

func (s *Server) handleExplain(w http.ResponseWriter, r *http.Request) {
	year, err := yearParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	q := r.URL.Query()
	ex, err := s.engine(r).Explain(s.scopeFor(r), q.Get("indicator"), q.Get("org"), year)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.respond(w, r, ex)
}

// methodsParam reads ?methods=: default (the default; the plan's own rules) or all (every
// method side by side).
func methodsParam(r *http.Request) (string, error) {
	switch m := r.URL.Query().Get("methods"); m {
	case "", "default":
		return "default", nil
	case "all":
		return "all", nil
	default:
		return "", invalidParam("methods", m, " default 或 all", "default or all")
	}
}

func (s *Server) handleProgress(w http.ResponseWriter, r *http.Request) {
	format, err := formatParam(r, "csv")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	methods, err := methodsParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	q := r.URL.Query()
	pq := progress.Query{Indicator: q.Get("indicator"), Org: q.Get("org")}
	if methods == "all" {
		if format == "csv" {
			s.apiError(w, r, plan.Errorf(plan.EINVALID, "methods=all 只提供 JSON；CSV 为“进展输出”格式，仅含默认方法",
				"methods=all is JSON only; the CSV is the \"Progress out\" format, of the default method alone"))
			return
		}
		cs, err := progress.Compare(s.engineFor(r), s.scopeFor(r), pq)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		s.respond(w, r, cs)
		return
	}
	rows, err := progress.Assess(s.engineFor(r), s.scopeFor(r), pq)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if format == "csv" {
		s.respondCSV(w, r, "progress.csv", func(w io.Writer) error { return progress.WriteCSV(w, rows) })
		return
	}
	s.respond(w, r, nonNil(rows))
}

func (s *Server) handleScorecards(w http.ResponseWriter, r *http.Request) {
	cards, err := progress.Scorecards(s.engineFor(r), s.scopeFor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.respond(w, r, nonNil(cards))
}

func (s *Server) handleQuality(w http.ResponseWriter, r *http.Request) {
	format, err := formatParam(r, "csv")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rep, err := s.quality(r.Context(), s.engine(r), s.scopeFor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if format == "csv" {
		s.respondCSV(w, r, "quality.csv", func(w io.Writer) error { return quality.WriteCSV(w, rep) })
		return
	}
	s.respond(w, r, rep)
}

func (s *Server) handleBatches(w http.ResponseWriter, r *http.Request) {
	bs, err := s.db.Batches(r.Context(), s.scopeFor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.respond(w, r, nonNil(bs))
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
