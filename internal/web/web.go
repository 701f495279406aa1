// Package web serves eduplan over HTTP: server-rendered pages (Chinese first) and a
// JSON/CSV API under /api/v1 described by an OpenAPI document.
//
// It sits at the end of the flow: handlers parse a request, call one function of
// progress, indicator, ingest or store, and render what comes back. Who may call a
// route is one table (access.go, with auth's grants); what they see and change is the
// scope auth derives, which everything below takes.
package web

import (
	"context"
	"embed"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps are what the server reads.
type Deps struct {
	Pack *plan.Pack
	DB   *store.DB
	// Engine returns the current snapshot of indicator values; it is swapped after
	// each import, so handlers call it once per request.
	Engine func() *indicator.Engine
	// Reload recomputes the indicators after an import through the web replaced the
	// data of the scopes; nil if the server does not import.
	Reload func(context.Context, []ingest.Scope) error
	// Auth keeps the users, sessions and tokens; nil serves everyone as the public.
	Auth *auth.Service
	// SecureCookies marks the session cookie Secure even when the request did not come
	// over TLS (behind a TLS-terminating proxy).
	SecureCookies bool
	// TrustedProxies are the proxies (e.g. the TLS-terminating one) whose
	// X-Forwarded-For names the client; none by default, when the header is ignored.
	TrustedProxies []netip.Prefix
	// UploadDir is where uploads are kept while they are imported; "" is the system's
	// temporary directory.
	UploadDir string
	// Zone is the time zone every page shows times and dates in, named on the page;
	// nil is Asia/Shanghai, the plan's.
	Zone   *time.Location
	Logger *slog.Logger
}

// Server is eduplan's HTTP interface.
type Server struct {
	// zone is the time zone of the times and dates the pages show.
	zone   *time.Location
	pack   *plan.Pack
	db     *store.DB
	engine func() *indicator.Engine
	reload func(context.Context, []ingest.Scope) error
	auth   *auth.Service
	// secureCookies: see Deps.SecureCookies.
	secureCookies bool
	// proxies: see Deps.TrustedProxies.
	proxies   []netip.Prefix
	uploadDir string
	log       *slog.Logger
	qualities qualityCache
	tmpl      templates
	static    *assets
	routes    []route
}

// route is one endpoint: a net/http pattern such as "GET /api/v1/values".
type route struct {
	method  string
	path    string
	handler http.HandlerFunc
}

// DefaultZone is Asia/Shanghai, the zone of the plan's dates (its data is embedded by
// the program, so that it is there on machines without a zone database).
func DefaultZone() *time.Location {
	z, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("Asia/Shanghai", 8*3600)
	}
	return z
}

// clock writes a time of a page in the server's zone: "2026-12-03 21:05".
func (s *Server) clock(t time.Time) string { return t.In(s.zone).Format("2006-01-02 15:04") }

// New returns a server over the dependencies.
func New(d Deps) *Server {
	s := &Server{pack: d.Pack, db: d.DB, engine: d.Engine, reload: d.Reload, auth: d.Auth, secureCookies: d.SecureCookies, proxies: d.TrustedProxies,
		uploadDir: d.UploadDir, log: d.Logger, zone: d.Zone}
	if s.zone == nil {
		s.zone = DefaultZone()
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	tmpl, err := parseTemplates(templateFS, "templates/*.html")
	if err != nil {
		panic(err) // the templates are embedded: a mistake in them is the program's
	}
	s.tmpl = tmpl
	s.static = newAssets(staticFS)
	s.routes = []route{
		{"GET", "/healthz", s.handleHealth},
		{"GET", "/{$}", s.handleOverview},
		{"GET", "/indicators/{code}", s.handleIndicatorPage},
		{"GET", "/districts/{code}", s.handleDistrictPage},
		{"GET", "/data", s.handleDataPage},
		{"GET", "/projects", s.handleProjectsPage},
		{"GET", "/standards", s.handleStandardsPage},
		{"GET", "/standards/{code}", s.handleStandardsDistrictPage},
		{"GET", "/static/{file...}", s.handleStatic},
		{"GET", "/imports", s.handleImportsPage},
		{"GET", "/formats", s.handleFormatsPage},
		{"GET", "/formats/{file}", s.handleFormatTemplate},
		{"POST", "/imports", s.handleImportsPost},
		{"GET", "/audit", s.handleAuditPage},
		{"POST", "/projects/tasks/{n}", s.handleTaskForm},
		{"GET", "/review", s.handleReviewPage},
		{"GET", "/editions", s.handleEditionsPage},
		{"GET", "/editions/{n}", s.handleEditionPage},
		{"GET", "/open-data", s.handleOpenDataPage},
		{"GET", "/reports/{kind}/{year}", s.handleReportPage},
		{"GET", "/reports/{kind}/{year}/report.docx", s.handleReportDocx},
		{"GET", "/login", s.handleLoginPage},
		{"POST", "/login", s.handleLogin},
		{"POST", "/logout", s.handleLogout},

		{"GET", "/api/v1/plan", s.handlePlan},
		{"GET", "/api/v1/orgs", s.handleOrgs},
		{"GET", "/api/v1/indicators", s.handleIndicators},
		{"GET", "/api/v1/indicators/{code}", s.handleIndicator},
		{"GET", "/api/v1/values", s.handleValues},
		{"GET", "/api/v1/values/explain", s.handleExplain},
		{"GET", "/api/v1/progress", s.handleProgress},
		{"GET", "/api/v1/scorecards", s.handleScorecards},
		{"GET", "/api/v1/review", s.handleReview},
		{"GET", "/api/v1/standards", s.handleStandards},
		{"GET", "/api/v1/standards/{code}", s.handleStandard},
		{"GET", "/api/v1/editions", s.handleEditions},
		{"POST", "/api/v1/editions", s.handleEditionCreate},
		{"GET", "/api/v1/editions/{n}", s.handleEdition},
		{"POST", "/api/v1/editions/{n}/publish", s.handleEditionPublish},
		{"GET", "/api/v1/editions/{n}/diff/{m}", s.handleEditionDiff},
		{"GET", "/api/v1/datasets", s.handleDatasets},
		{"GET", "/api/v1/datasets/{n}/{file}", s.handleDatasetFile},
		{"GET", "/api/v1/projects", s.handleProjects},
		{"GET", "/api/v1/tasks", s.handleTasks},
		{"GET", "/api/v1/tasks/{n}", s.handleTask},
		{"PATCH", "/api/v1/tasks/{n}", s.handleTaskEdit},
		{"GET", "/api/v1/quality", s.handleQuality},
		{"GET", "/api/v1/batches", s.handleBatches},
		{"POST", "/api/v1/imports", s.handleImportAPI},
		{"GET", "/api/v1/audit", s.handleAuditAPI},
		{"GET", "/api/v1/me", s.handleMe},
		{"GET", "/api/v1/openapi.json", s.handleOpenAPI},
	}
	return s
}

// Handler returns the HTTP handler of every route, each behind its access rule, with
// logging, panic recovery, security headers, CSRF protection and authentication around
// them.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		pattern := rt.method + " " + rt.path
		mux.HandleFunc(pattern, s.authorize(pattern, rt.handler))
	}
	// Anything else under the API answers in the API's error format.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, plan.Errorf(plan.ENOTFOUND, "没有此接口：%s %s", "no such endpoint: %s %s", r.Method, r.URL.Path))
	})
	// and anything else as a page.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.pageError(w, r, plan.Errorf(plan.ENOTFOUND, "没有此页面：%s", "no such page: %s", r.URL.Path))
	})
	return s.clientAddress(s.logRequests(s.recoverPanics(secure(s.crossOrigin(s.authenticate(mux))))))
}

// Routes returns the method and path pattern of every route the handler serves, in
// net/http's form (e.g. "GET", "/api/v1/indicators/{code}").
func (s *Server) Routes() [][2]string {
	out := make([][2]string, len(s.routes))
	for i, rt := range s.routes {
		out[i] = [2]string{rt.method, rt.path}
	}
	return out
}

// scopeFor is what the caller of a request may see and change: the scope auth derives
// from who they are (see access.go for which routes they may call at all).
func (s *Server) scopeFor(r *http.Request) plan.Scope {
	return s.principalOf(r).Scope(s.pack)
}

// engineFor is the engine as the request's reader sees it: small counts, and the
// aggregates that would give them away, suppressed (indicator.Engine.For).
func (s *Server) engineFor(r *http.Request) *indicator.Engine {
	return s.engine().For(s.scopeFor(r))
}

// isDemo reports whether the data set is generated demo data (演示数据).
func (s *Server) isDemo(ctx context.Context) (bool, error) {
	return s.db.Demo(ctx)
}
