// Package web serves eduplan over HTTP: server-rendered pages (Chinese first) and a
// JSON/CSV API under /api/v1 described by an OpenAPI document.
//
// It sits at the end of the flow: handlers parse a request, call one function of
// progress, indicator, ingest or store, and render what comes back. Who may call a
// route is one table: the routes in routeTable, each with its action, and auth's
// grants of actions to roles; what they see and change is the scope auth derives,
// which everything below takes.
package web

import (
	"context"
	"embed"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"time"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
	"github.com/yantai-edu/eduplan/internal/supervision"
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
	// each import. The server takes it once per request (Server.engine), so that every
	// answer is drawn wholly from the data before an import or wholly from after it.
	Engine func() *indicator.Engine
	// Reload recomputes the indicators after an import through the web replaced the
	// data of some years and districts; nil if the server does not import.
	Reload func(context.Context, []store.YearDistrict) error
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
	Zone *time.Location
	// CacheBytes bounds the memory the response cache keeps (cache.go): 0 is
	// DefaultCacheBytes, a negative number turns the cache off.
	CacheBytes int64
	Logger     *slog.Logger
}

// staticPath is the route of the static files, which carry ETags of their own (static.go).
const staticPath = "/static/{file...}"

// Server is eduplan's HTTP interface.
type Server struct {
	// zone is the time zone of the times and dates the pages show.
	zone *time.Location
	pack *plan.Pack
	db   *store.DB
	// current returns the engine of the moment; handlers read the request's (engine).
	current func() *indicator.Engine
	reload  func(context.Context, []store.YearDistrict) error
	auth    *auth.Service
	// secureCookies: see Deps.SecureCookies.
	secureCookies bool
	// proxies: see Deps.TrustedProxies.
	proxies   []netip.Prefix
	uploadDir string
	log       *slog.Logger
	qualities qualityCache
	responses *responseCache
	reports   reportCache
	sup       *supervision.Service
	tmpl      templates
	static    *assets
	routes    []route
}

// route is one endpoint: a net/http pattern such as "GET /api/v1/values", the action a
// caller takes by calling it (who may take it is auth's table), and its handler. The
// routes are written unkeyed, so that a route without an action does not compile;
// Handler refuses to start with one whose action auth does not know.
type route struct {
	method  string
	path    string
	action  auth.Action
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
	s := &Server{pack: d.Pack, db: d.DB, current: d.Engine, reload: d.Reload, auth: d.Auth, secureCookies: d.SecureCookies, proxies: d.TrustedProxies,
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
	s.sup = &supervision.Service{DB: d.DB, Pack: d.Pack, Zone: s.zone}
	s.static = builtinAssets()
	s.responses = newResponseCache(d.CacheBytes)
	s.routes = s.routeTable()
	return s
}

// routeTable is every route, with the action a caller takes by calling it: adding a
// route is one line here (and a case in TestAccessTable).
func (s *Server) routeTable() []route {
	return []route{
		{"GET", "/healthz", auth.ReadPublic, s.handleHealth},
		{"GET", "/{$}", auth.ReadPublic, s.handleOverview},
		{"GET", "/indicators/{code}", auth.ReadPublic, s.handleIndicatorPage},
		{"GET", "/districts/{code}", auth.ReadPublic, s.handleDistrictPage},
		{"GET", "/data", auth.ReadData, s.handleDataPage},
		{"GET", "/projects", auth.ReadPublic, s.handleProjectsPage},
		{"GET", "/standards", auth.ReadPublic, s.handleStandardsPage},
		{"GET", "/standards/{code}", auth.ReadPublic, s.handleStandardsDistrictPage},
		{"GET", staticPath, auth.ReadPublic, s.handleStatic},
		{"GET", "/imports", auth.Import, s.handleImportsPage},
		{"GET", "/formats", auth.ReadPublic, s.handleFormatsPage},
		{"GET", "/formats/{file}", auth.ReadPublic, s.handleFormatTemplate},
		{"POST", "/imports", auth.Import, s.handleImportsPost},
		{"GET", "/audit", auth.ReadAudit, s.handleAuditPage},
		{"POST", "/projects/tasks/{n}", auth.EditTasks, s.handleTaskForm},
		{"GET", "/review", auth.ReadPublic, s.handleReviewPage},
		{"GET", "/editions", auth.ReadPublic, s.handleEditionsPage},
		{"GET", "/editions/{n}", auth.ReadPublic, s.handleEditionPage},
		{"GET", "/open-data", auth.ReadPublic, s.handleOpenDataPage},
		{"GET", "/reports/{kind}/{year}", auth.ReadPublic, s.handleReportPage},
		{"GET", "/reports/{kind}/{year}/report.docx", auth.ReadPublic, s.handleReportDocx},
		{"GET", "/login", auth.SignIn, s.handleLoginPage},
		{"POST", "/login", auth.SignIn, s.handleLogin},
		{"POST", "/logout", auth.SignIn, s.handleLogout},
		{"GET", "/supervision", auth.Supervise, s.handleSupervisionPage},
		{"POST", "/supervision/rounds", auth.Supervise, s.handleRoundOpen},
		{"GET", "/supervision/rounds/{id}", auth.Supervise, s.handleRoundPage},
		{"POST", "/supervision/rounds/{id}", auth.Supervise, s.handleRoundPost},
		{"GET", "/supervision/rounds/{id}/report.xlsx", auth.Supervise, s.handleRoundXLSX},
		{"GET", "/supervision/rounds/{id}/report.docx", auth.Supervise, s.handleRoundDOCX},
		{"GET", "/supervision/rounds/{id}/report.html", auth.Supervise, s.handleRoundHTML},
		{"GET", "/supervision/rounds/{id}/{org}", auth.Supervise, s.handleEvalPage},
		{"POST", "/supervision/rounds/{id}/{org}", auth.Supervise, s.handleEvalPost},
		{"GET", "/supervision/cases", auth.Supervise, s.handleCasesPage},
		{"POST", "/supervision/cases", auth.Supervise, s.handleCaseReport},
		{"GET", "/supervision/cases/{id}", auth.Supervise, s.handleCasePage},
		{"POST", "/supervision/cases/{id}", auth.Supervise, s.handleCasePost},
		{"GET", "/supervision/evidence/{id}", auth.Supervise, s.handleEvidence},

		{"GET", "/api/v1/plan", auth.ReadPublic, s.handlePlan},
		{"GET", "/api/v1/orgs", auth.ReadPublic, s.handleOrgs},
		{"GET", "/api/v1/indicators", auth.ReadPublic, s.handleIndicators},
		{"GET", "/api/v1/indicators/{code}", auth.ReadPublic, s.handleIndicator},
		{"GET", "/api/v1/values", auth.ReadPublic, s.handleValues},
		{"GET", "/api/v1/values/explain", auth.ReadPublic, s.handleExplain},
		{"GET", "/api/v1/progress", auth.ReadPublic, s.handleProgress},
		{"GET", "/api/v1/scorecards", auth.ReadPublic, s.handleScorecards},
		{"GET", "/api/v1/review", auth.ReadPublic, s.handleReview},
		{"GET", "/api/v1/standards", auth.ReadPublic, s.handleStandards},
		{"GET", "/api/v1/standards/{code}", auth.ReadPublic, s.handleStandard},
		{"GET", "/api/v1/editions", auth.ReadPublic, s.handleEditions},
		{"POST", "/api/v1/editions", auth.PublishEditions, s.handleEditionCreate},
		{"GET", "/api/v1/editions/{n}", auth.ReadPublic, s.handleEdition},
		{"POST", "/api/v1/editions/{n}/publish", auth.PublishEditions, s.handleEditionPublish},
		{"GET", "/api/v1/editions/{n}/diff/{m}", auth.ReadPublic, s.handleEditionDiff},
		{"GET", "/api/v1/datasets", auth.ReadPublic, s.handleDatasets},
		{"GET", "/api/v1/datasets/{n}/{file}", auth.ReadPublic, s.handleDatasetFile},
		{"GET", "/api/v1/projects", auth.ReadPublic, s.handleProjects},
		{"GET", "/api/v1/tasks", auth.ReadPublic, s.handleTasks},
		{"GET", "/api/v1/tasks/{n}", auth.ReadPublic, s.handleTask},
		{"PATCH", "/api/v1/tasks/{n}", auth.EditTasks, s.handleTaskEdit},
		{"GET", "/api/v1/quality", auth.ReadData, s.handleQuality},
		{"GET", "/api/v1/batches", auth.ReadData, s.handleBatches},
		{"POST", "/api/v1/imports", auth.Import, s.handleImportAPI},
		{"GET", "/api/v1/audit", auth.ReadAudit, s.handleAuditAPI},
		{"GET", "/api/v1/me", auth.SignIn, s.handleMe},
		{"GET", "/api/v1/openapi.json", auth.ReadPublic, s.handleOpenAPI},
	}
}

// Handler returns the HTTP handler of every route, each behind its access rule, with
// logging, panic recovery, security headers, CSRF protection and authentication around
// them.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		if !slices.Contains(auth.Actions, rt.action) {
			panic(fmt.Sprintf("web: route %s %s has no action auth knows (%q)", rt.method, rt.path, rt.action))
		}
		h := rt.handler
		if kind, ok := cacheable[rt.method+" "+rt.path]; ok {
			h = s.cached(rt.path, kind, h)
		} else if rt.method == http.MethodGet && rt.path != staticPath {
			h = s.tagged(h)
		}
		mux.HandleFunc(rt.method+" "+rt.path, s.authorize(rt.action, h))
	}
	// Anything else under the API answers in the API's error format.
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, plan.Errorf(plan.ENOTFOUND, "没有此接口：%s %s", "no such endpoint: %s %s", r.Method, r.URL.Path))
	})
	// and anything else as a page.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.pageError(w, r, plan.Errorf(plan.ENOTFOUND, "没有此页面：%s", "no such page: %s", r.URL.Path))
	})
	return s.clientAddress(s.logRequests(s.recoverPanics(secure(s.crossOrigin(s.authenticate(s.snapshot(mux)))))))
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
// from who they are (the routes' actions say which routes they may call at all).
func (s *Server) scopeFor(r *http.Request) plan.Scope {
	return s.principalOf(r).Scope(s.pack)
}

// snapshot takes the engine once for the request: everything the request reads of the
// indicators comes from it, however many times a handler asks, even if an import
// replaces it meanwhile.
func (s *Server) snapshot(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if st := stateOf(r.Context()); st != nil {
			st.engine = s.current()
		} else {
			r = r.WithContext(withState(r.Context(), &reqState{engine: s.current()}))
		}
		next.ServeHTTP(w, r)
	})
}

// engine is the request's engine, taken once when it came in (snapshot).
func (s *Server) engine(r *http.Request) *indicator.Engine {
	if st := stateOf(r.Context()); st != nil && st.engine != nil {
		return st.engine
	}
	return s.current()
}

// engineFor is the engine as the request's reader sees it: small counts, and the
// aggregates that would give them away, suppressed (indicator.Engine.For).
func (s *Server) engineFor(r *http.Request) *indicator.Engine {
	return s.engine(r).For(s.scopeFor(r))
}

// isDemo reports whether the data set is generated demo data (演示数据).
func (s *Server) isDemo(ctx context.Context) (bool, error) {
	return s.db.Demo(ctx, s.pack.Tenant)
}
