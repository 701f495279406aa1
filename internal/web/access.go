package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// sessionCookie is the name of the cookie holding a signed-in browser's session id.
const sessionCookie = "eduplan_session"

// authenticate finds who makes the request — an API token (Authorization: Bearer), a
// session cookie, or nobody (the public) — and puts it in the request's context. A
// token that is not valid is refused outright, so that a script learns its token no
// longer works instead of silently seeing only public data.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.auth == nil {
			next.ServeHTTP(w, r)
			return
		}
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, token, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") {
				s.unauthorized(w, r, plan.Errorf(plan.EUNAUTHORIZED, "只接受 Bearer 令牌", "only Bearer tokens are accepted"))
				return
			}
			p, ok, err := s.auth.Token(r.Context(), strings.TrimSpace(token))
			if err != nil {
				s.apiError(w, r, err)
				return
			}
			if !ok {
				s.unauthorized(w, r, plan.Errorf(plan.EUNAUTHORIZED, "令牌无效或已撤销", "the token is not valid or was revoked"))
				return
			}
			next.ServeHTTP(w, withPrincipal(r, p))
			return
		}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			p, ok, err := s.auth.Session(r.Context(), c.Value)
			if err != nil {
				s.apiError(w, r, err)
				return
			}
			if ok {
				next.ServeHTTP(w, withPrincipal(r, p))
				return
			}
			// An ended session: forget the cookie (on reads: a sign-in or sign-out sets
			// its own) and go on as the public.
			if r.Method == http.MethodGet {
				http.SetCookie(w, s.clearCookie(r))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// authorize lets a request through to a route when the caller may take the route's
// action (its line in routeTable names it; which role may take it is auth's table;
// what a caller sees within it is the scope auth derives, which every read and write
// below the HTTP layer takes); otherwise the public is asked to sign in (401; pages
// redirect to the login page) and a signed-in user is refused (403).
func (s *Server) authorize(action auth.Action, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := s.principalOf(r)
		if p.Can(action) {
			h(w, r)
			return
		}
		if p.Role == auth.Public {
			if isAPI(r) {
				s.unauthorized(w, r, plan.Errorf(plan.EUNAUTHORIZED, "请先登录或提供 API 令牌", "sign in or give an API token first"))
				return
			}
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.pageError(w, r, plan.Errorf(plan.EUNAUTHORIZED, "请先登录", "please sign in first"))
			return
		}
		err := plan.Errorf(plan.EFORBIDDEN, "您的角色（%s）无权执行此操作", "your role (%s) may not do this", p.Role)
		if action == auth.Import {
			// A refused import is audited like one refused by ingest, though its file
			// was never read.
			if aerr := s.db.Audit(r.Context(), s.pack.Tenant, &store.AuditEntry{Actor: p.User, Remote: remoteOf(r),
				Action: store.AuditImportRefused, Detail: fmt.Sprintf("禁止：角色 %s 不得导入", p.Role), DetailEn: fmt.Sprintf("forbidden: role %s may not import", p.Role), Org: s.auditOrg(p.Org)}); aerr != nil {
				s.log.Error("audit a refused import", "err", aerr)
			}
		}
		if isAPI(r) {
			s.apiError(w, r, err)
			return
		}
		s.pageError(w, r, err)
	}
}

// auditOrg is the org an audit entry about a caller granted on org is filed under:
// org itself if it is the city or a district, else the city.
func (s *Server) auditOrg(org string) string {
	if o := s.pack.Org(org); o != nil {
		return o.Code
	}
	return s.pack.Tenant
}

// unauthorized answers 401 with the challenge for a Bearer token.
func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="eduplan"`)
	if isAPI(r) {
		s.apiError(w, r, err)
		return
	}
	s.pageError(w, r, err)
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// crossOrigin refuses state-changing requests a browser sends from another origin
// (CSRF), by the Sec-Fetch-Site and Origin headers browsers set (Go's
// http.CrossOriginProtection). Requests without them — scripts with an API token — pass.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	c := http.NewCrossOriginProtection()
	c.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := plan.Errorf(plan.EFORBIDDEN, "拒绝跨站请求", "cross-origin request refused")
		if isAPI(r) {
			s.apiError(w, r, err)
			return
		}
		s.pageError(w, r, err)
	}))
	return c.Handler(next)
}

// Access returns the action a route pattern ("GET /api/v1/values") takes; false when
// there is no such route.
func (s *Server) Access(pattern string) (auth.Action, bool) {
	for _, rt := range s.routes {
		if rt.method+" "+rt.path == pattern {
			return rt.action, true
		}
	}
	return "", false
}
