package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Editions (版本): GET /api/v1/editions, /api/v1/editions/{n}, /api/v1/editions/{n}/diff/{m},
// POST /api/v1/editions and /api/v1/editions/{n}/publish; the pages /editions,
// /editions/{n} and /review (the review as published, or live).

// editionsFor are the editions the caller may see: every one for those who read the
// data behind the figures, the published ones for everyone else.
func (s *Server) editionsFor(r *http.Request) ([]store.EditionHeader, error) {
	hs, err := edition.List(r.Context(), s.db, s.pack)
	if err != nil || s.scopeFor(r).Detail != plan.Public {
		return hs, err
	}
	out := []store.EditionHeader{}
	for _, h := range hs {
		if h.Published() {
			out = append(out, h)
		}
	}
	return out, nil
}

// editionFor opens edition {n} (or the path value named) as the caller may see it: a
// draft is not found by the public.
func (s *Server) editionFor(r *http.Request, name string) (*edition.Edition, error) {
	v := r.PathValue(name)
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return nil, plan.Errorf(plan.ENOTFOUND, "版本 %q 不存在：版本以序号 1、2……标识", "no edition %q: editions are numbered 1, 2, ...", v)
	}
	ed, err := edition.Open(r.Context(), s.db, s.pack, n)
	if err != nil {
		return nil, err
	}
	if !ed.Published() && s.scopeFor(r).Detail == plan.Public {
		return nil, plan.Errorf(plan.ENOTFOUND, "版本 %d 不存在", "no edition %d", n)
	}
	return ed, nil
}

func (s *Server) handleEditions(w http.ResponseWriter, r *http.Request) {
	hs, err := s.editionsFor(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.respond(w, r, hs)
}

func (s *Server) handleEdition(w http.ResponseWriter, r *http.Request) {
	format, err := formatParam(r, "csv")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ed, err := s.editionFor(r, "n")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if format == "csv" {
		s.respondCSV(w, r, fmt.Sprintf("edition-%d.csv", ed.Number), func(w io.Writer) error { return edition.WriteFiguresCSV(w, ed.Content) })
		return
	}
	s.respond(w, r, ed)
}

func (s *Server) handleEditionDiff(w http.ResponseWriter, r *http.Request) {
	format, err := formatParam(r, "csv")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	a, err := s.editionFor(r, "n")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	b, err := s.editionFor(r, "m")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	changes := edition.Diff(a.Content, b.Content)
	if format == "csv" {
		s.respondCSV(w, r, fmt.Sprintf("edition-%d-%d.csv", a.Number, b.Number), func(w io.Writer) error { return edition.WriteChangesCSV(w, changes) })
		return
	}
	s.respond(w, r, changes)
}

// editionBody is the JSON body of POST /api/v1/editions.
type editionBody struct {
	Kind  string `json:"kind"`
	AsOf  int    `json:"as_of"`
	Title string `json:"title"`
}

// cityScope refuses a caller whose scope is not the whole city: an edition is the
// city's.
func (s *Server) cityScope(r *http.Request) error {
	if sc := s.scopeFor(r); sc.Org != sc.Tenant {
		return plan.Errorf(plan.EFORBIDDEN, "只有市级用户可以生成和发布版本", "only the city's users may freeze and publish editions")
	}
	return nil
}

func (s *Server) handleEditionCreate(w http.ResponseWriter, r *http.Request) {
	if err := s.cityScope(r); err != nil {
		s.apiError(w, r, err)
		return
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	var b editionBody
	if err := dec.Decode(&b); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.apiError(w, r, plan.Errorf(plan.EINVALID, "请求体过大：最多 %d 字节", "the body is too large: at most %d bytes", tooBig.Limit))
			return
		}
		s.apiError(w, r, plan.Errorf(plan.EINVALID, "请求体不是有效的 JSON：%v", "the body is not valid JSON: %v", err))
		return
	}
	e := s.engine(r)
	if b.AsOf == 0 {
		b.AsOf = edition.DefaultAsOf(e.Pack(), b.Kind)
	}
	h, err := edition.Create(r.Context(), s.db, e, b.Kind, b.AsOf, b.Title, s.principalOf(r).User)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/editions/%d", h.Number))
	s.respondStatus(w, r, http.StatusCreated, h)
}

func (s *Server) handleEditionPublish(w http.ResponseWriter, r *http.Request) {
	if err := s.cityScope(r); err != nil {
		s.apiError(w, r, err)
		return
	}
	v := r.PathValue("n")
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		s.apiError(w, r, plan.Errorf(plan.ENOTFOUND, "版本 %q 不存在：版本以序号 1、2……标识", "no edition %q: editions are numbered 1, 2, ...", v))
		return
	}
	h, err := edition.Publish(r.Context(), s.db, s.pack, n, s.principalOf(r).User)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.respond(w, r, h)
}

// reviewParams reads ?kind= (final by default) and ?as_of= (the kind's default year).
func (s *Server) reviewParams(r *http.Request) (kind string, asOf int, err error) {
	q := r.URL.Query()
	kind = q.Get("kind")
	if kind == "" {
		kind = edition.Final
	}
	if kind != edition.Final && kind != edition.Midterm {
		return "", 0, invalidParam("kind", kind, " final 或 midterm", "final or midterm")
	}
	asOf = edition.DefaultAsOf(s.pack, kind)
	if v := q.Get("as_of"); v != "" {
		if asOf, err = strconv.Atoi(v); err != nil {
			return "", 0, invalidParam("as_of", v, "四位数年份（如 2025）", "a year such as 2025")
		}
	}
	return kind, asOf, edition.CheckKind(s.pack, kind, asOf)
}

// reviewOf is the review the caller asked for: the edition of it last published,
// unless ?live=true or none is published; then the live figures in the caller's scope.
// ed is nil for live figures.
func (s *Server) reviewOf(r *http.Request) (rev *progress.Review, ed *edition.Edition, kind string, asOf int, err error) {
	if kind, asOf, err = s.reviewParams(r); err != nil {
		return nil, nil, "", 0, err
	}
	if live, _ := strconv.ParseBool(r.URL.Query().Get("live")); !live {
		if ed, err = edition.Published(r.Context(), s.db, s.pack, kind, asOf); err != nil {
			return nil, nil, "", 0, err
		}
		if ed != nil {
			return ed.Content.Review, ed, kind, asOf, nil
		}
	}
	rev, err = progress.ReviewAt(s.engineFor(r), s.scopeFor(r), asOf)
	return rev, nil, kind, asOf, err
}

// editionHeaders say which edition an answer is (X-Eduplan-Edition: its number, or
// "live") and when it was published.
func editionHeaders(w http.ResponseWriter, ed *edition.Edition) {
	if ed == nil {
		w.Header().Set("X-Eduplan-Edition", "live")
		return
	}
	w.Header().Set("X-Eduplan-Edition", strconv.Itoa(ed.Number))
	w.Header().Set("X-Eduplan-Published", ed.PublishedAt.UTC().Format(time.RFC3339))
}

// editionsPage lists the editions.
type editionsPage struct {
	page
	Editions []editionRow
	JSONURL  string
}

type editionRow struct {
	Number    int
	URL       string
	Title     string
	Kind      string
	AsOf      int
	SHA       string
	Created   string
	Published string
}

func (s *Server) handleEditionsPage(w http.ResponseWriter, r *http.Request) {
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, fmt.Errorf("demo flag: %w", err))
		return
	}
	hs, err := s.editionsFor(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := s.newPage(r, demo)
	p.Title = locale.T(p.Lang, "editions_title")
	v := editionsPage{page: p, JSONURL: "/api/v1/editions"}
	for _, h := range hs {
		zh, en := edition.KindLabel(h.Kind)
		row := editionRow{Number: h.Number, URL: p.link("/editions/"+strconv.Itoa(h.Number), nil), Title: h.Title, Kind: pick(p.Lang, zh, en),
			AsOf: h.AsOf, SHA: h.SHA256[:12], Created: s.clock(h.CreatedAt)}
		if h.PublishedAt != nil {
			row.Published = s.clock(*h.PublishedAt)
		}
		v.Editions = append(v.Editions, row)
	}
	s.renderPage(w, r, "editions", v)
}

// editionPage shows one review: an edition's, or the live figures'.
type editionPage struct {
	page
	Heading   string
	KindLabel string
	AsOf      int
	// Number, SHA and PackVersion are the edition's; Number 0 for live figures.
	Number      int
	SHA         string
	PackVersion string
	// Published is the date of publication, "" for a draft or live figures.
	Published string
	Live      bool
	// NoneYet: live figures shown because no edition of the review is published.
	NoneYet bool
	// LiveURL leads to the live figures, EditionURL back to the published edition.
	LiveURL, EditionURL string
	JSONURL, CSVURL     string
	ReportURL, DocxURL  string
	Counts              []statusCount
	Items               []reviewRow
}

type reviewRow struct {
	Code, Name, URL          string
	Kind                     string
	Baseline, Latest, Target string
	LatestYear, TargetYear   int
	Status                   statusBadge
	Verdict                  string
	VerdictCode              string
}

func (s *Server) handleEditionPage(w http.ResponseWriter, r *http.Request) {
	ed, err := s.editionFor(r, "n")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderReview(w, r, ed.Content.Review, ed, ed.Content.Kind, ed.Content.AsOf, false)
}

func (s *Server) handleReviewPage(w http.ResponseWriter, r *http.Request) {
	rev, ed, kind, asOf, err := s.reviewOf(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	live, _ := strconv.ParseBool(r.URL.Query().Get("live"))
	s.renderReview(w, r, rev, ed, kind, asOf, ed == nil && !live)
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, rev *progress.Review, ed *edition.Edition, kind string, asOf int, noneYet bool) {
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, fmt.Errorf("demo flag: %w", err))
		return
	}
	p := s.newPage(r, demo)
	lang := p.Lang
	zh, en := edition.KindLabel(kind)
	q := url.Values{"kind": {kind}, "as_of": {strconv.Itoa(asOf)}}
	v := editionPage{page: p, KindLabel: pick(lang, zh, en), AsOf: asOf, Live: ed == nil, NoneYet: noneYet}
	v.Heading = pick(lang, s.pack.Name, s.pack.NameEn) + " · " + v.KindLabel
	v.ReportURL = p.link(fmt.Sprintf("/reports/%s/%d", kind, asOf), nil)
	v.DocxURL = fmt.Sprintf("/reports/%s/%d/report.docx", kind, asOf)
	if ed != nil {
		v.Heading, v.Number, v.SHA, v.PackVersion = ed.Title, ed.Number, ed.SHA256, ed.PackVersion
		if ed.PublishedAt != nil {
			v.Published = ed.PublishedAt.In(s.zone).Format("2006-01-02")
		}
		n := strconv.Itoa(ed.Number)
		v.JSONURL, v.CSVURL = "/api/v1/editions/"+n, "/api/v1/editions/"+n+"?format=csv"
		v.ReportURL = p.link(fmt.Sprintf("/reports/%s/%d", kind, asOf), url.Values{"edition": {n}})
		v.DocxURL += "?edition=" + n
		lq := url.Values{"kind": {kind}, "as_of": {strconv.Itoa(asOf)}, "live": {"true"}}
		v.LiveURL = p.link("/review", lq)
	} else {
		v.JSONURL = "/api/v1/review?" + q.Encode() + "&live=true"
		v.CSVURL = v.JSONURL + "&format=csv"
		v.EditionURL = p.link("/review", q)
	}
	v.Title = v.Heading
	for _, vd := range []progress.Verdict{progress.Met, progress.NotMet, progress.NotDue, progress.NoValue} {
		st := map[progress.Verdict]progress.Status{progress.Met: progress.Achieved, progress.NotMet: progress.Lagging,
			progress.NotDue: progress.OnTrack, progress.NoValue: progress.NoData}[vd]
		b := badgeOf(lang, st, false)
		b.Label = pick(lang, vd.Label(), vd.LabelEn())
		v.Counts = append(v.Counts, statusCount{Badge: b, N: rev.Count[vd]})
	}
	for _, it := range rev.Items {
		dec, unit := 2, ""
		ind := s.pack.Measure(it.Code)
		if ind != nil {
			dec, unit = ind.Decimals, ind.Unit
		}
		f := func(n progress.Number) string {
			if !n.OK {
				return "—"
			}
			return unitShown(lang, formatNumber(n.V, dec), unit)
		}
		c := it.City
		target := f(c.Target)
		if ind != nil && c.Kind != plan.GoalValue {
			target = commitmentTarget(p, s.pack, ind, c) // a range or a relation, in words
		}
		row := reviewRow{Code: it.Code, Name: pick(lang, it.Name, it.NameEn), Kind: it.Kind, Baseline: f(c.Baseline), Latest: f(c.Latest),
			Target: target, LatestYear: c.LatestYear, TargetYear: c.TargetYear, Status: rowBadge(lang, c.Row),
			Verdict: pick(lang, it.Verdict.Label(), it.Verdict.LabelEn()), VerdictCode: string(it.Verdict)}
		if it.Kind == "indicator" {
			row.URL = p.link("/indicators/"+it.Code, nil)
		}
		v.Items = append(v.Items, row)
	}
	s.renderPage(w, r, "edition", v)
}
