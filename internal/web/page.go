package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/ledger"
	"github.com/yantai-edu/eduplan/internal/progress"
)

// page is what every page's layout reads.
type page struct {
	Lang      string
	HTMLLang  string
	Title     string
	Demo      bool
	SwitchURL string
	CSS       string
	Icon      string
	// Scripts are the versioned URLs of the page's scripts, loaded deferred.
	Scripts []string
	// Home is the overview's URL in the page's language; DataURL the data page's.
	Home    string
	DataURL string
	// Scope is what every page says it shows: the org, the plan period and, where the
	// page assesses progress, the year of data the assessment stands on (0: none).
	ScopeOrg    string
	ScopePeriod string
	ScopeAsOf   int
	// Zone names the time zone of the page's times and dates.
	Zone string
	zone *time.Location
	// User is who is signed in ("" for the public); CanImport and CanAudit show the
	// links to the import and audit pages.
	User         string
	CanImport    bool
	CanAudit     bool
	CanEditTasks bool
	CanSupervise bool
	// explicitLang is the ?lang= of the request, carried on to the pages it links.
	explicitLang string
}

func (s *Server) newPage(r *http.Request, demo bool) page {
	lang := langOf(r)
	p := page{Lang: lang, HTMLLang: "zh-CN", Demo: demo, CSS: s.static.url("app.css"), Icon: s.static.url("favicon.svg")}
	if l := r.URL.Query().Get("lang"); l == langZh || l == langEn {
		p.explicitLang = l
	}
	other := langEn
	if lang == langEn {
		p.HTMLLang, other = "en", langZh
	}
	p.SwitchURL = withLang(r.URL, other)
	if s.pack != nil {
		top := s.pack.Top()
		p.ScopeOrg = pick(lang, top.Name, top.NameEn)
		p.ScopePeriod = strconv.Itoa(s.pack.BaselineYear+1) + "–" + strconv.Itoa(s.pack.TargetYear)
	}
	p.Zone, p.zone = s.zone.String(), s.zone
	p.Home = p.link("/", nil)
	p.DataURL = p.link("/data", nil)
	who := s.principalOf(r)
	p.User, p.CanImport, p.CanAudit = who.User, who.Can(auth.Import), who.Can(auth.ReadAudit)
	p.CanEditTasks = who.Can(auth.EditTasks) && ledger.CanEdit(who.Scope(s.pack))
	p.CanSupervise = who.Can(auth.Supervise)
	return p
}

// clock writes a time of the page in its zone: "2026-12-03 21:05".
func (p page) clock(t time.Time) string { return t.In(p.zone).Format("2006-01-02 15:04") }

// link returns a URL of this site with the query, keeping the page's language when the
// request chose it: a reader who switched language stays in it.
func (p page) link(path string, q url.Values) string {
	if p.explicitLang != "" {
		if q == nil {
			q = url.Values{}
		}
		q.Set("lang", p.explicitLang)
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// renderPage executes a page's template into a buffer first, so that a failing template
// becomes a clean error rather than half a page.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, name string, data any) {
	s.renderPageStatus(w, r, http.StatusOK, name, data)
}

// renderPageStatus is renderPage answering with a status other than 200 OK.
func (s *Server) renderPageStatus(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.tmpl[langOf(r)].ExecuteTemplate(&buf, name, data); err != nil {
		s.pageError(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage is a page that says what went wrong, in the page's language.
type errorPage struct {
	page
	Status  int
	Code    string
	Message string
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	status, d := s.errorOf(r, err)
	p := s.newPage(r, false)
	p.Title = strconv.Itoa(status)
	var buf bytes.Buffer
	if err := s.tmpl[p.Lang].ExecuteTemplate(&buf, "error", errorPage{page: p, Status: status, Code: d.Code, Message: pick(p.Lang, d.Message, d.MessageEn)}); err != nil {
		s.log.ErrorContext(r.Context(), "render error page", "err", err)
		http.Error(w, d.Message+" / "+d.MessageEn, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// statusBadge is a status as the pages show it: a colour, a symbol and words, so that
// colour is never the only sign.
type statusBadge struct {
	Code   string // progress.Status, or "" where not applicable
	Label  string
	Symbol string // for the grid's cells, beside the colour
	AtRisk bool
}

// rowBadge is a row's status as the pages show it: its badge, with 提前实现 / "Achieved
// early" for a target reached before its year (progress.Row.Early) rather than 已实现.
// Every page that shows a row's status takes its words from here.
func rowBadge(lang string, r progress.Row) statusBadge {
	b := badgeOf(lang, r.Status, r.AtRisk)
	b.Label = pick(lang, r.Label(), r.LabelEn())
	return b
}

// symbolOf marks a status with a shape as well as a colour, for readers who do not see
// colours.
func symbolOf(st progress.Status) string {
	switch st {
	case progress.Achieved:
		return "✓"
	case progress.Ahead:
		return "▲"
	case progress.OnTrack:
		return "●"
	case progress.Lagging:
		return "▼"
	case progress.Regressing:
		return "✕"
	}
	return "–"
}
