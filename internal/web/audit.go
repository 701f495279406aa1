package web

import (
	"net/http"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// auditQuery reads the audit log's filters from a request: actor, action, before (an
// id, for the next page back) and limit (1–1000, default 100). The caller reads only
// the entries about their scope: all of them when it is the city, else those about
// their district's org units.
func (s *Server) auditQuery(r *http.Request) (store.AuditQuery, error) {
	q := r.URL.Query()
	aq := store.AuditQuery{Actor: q.Get("actor"), Action: q.Get("action"), Orgs: s.scopeOrgs(s.scopeFor(r))}
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return aq, invalidParam("before", v, "正整数（条目编号）", "a positive integer (an entry id)")
		}
		aq.Before = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return aq, invalidParam("limit", v, "1–1000", "1–1000")
		}
		aq.Limit = n
	}
	return aq, nil
}

func (s *Server) handleAuditAPI(w http.ResponseWriter, r *http.Request) {
	aq, err := s.auditQuery(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	log, err := s.db.AuditLog(r.Context(), s.pack.Tenant, aq)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.respond(w, r, nonNil(log))
}

// auditPage is the audit log for admins, newest first, a page at a time.
// auditRow is an audit entry as the page shows it: its time in the page's zone, its
// action and detail in the page's language (the code stays in the API).
type auditRow struct {
	store.AuditEntry
	When, ActionLabel, DetailText string
}

// auditActionLabel names an audit action in the page's language.
func auditActionLabel(lang, action string) string {
	switch action {
	case store.AuditImport:
		return locale.T(lang, "action_import")
	case store.AuditReplace:
		return locale.T(lang, "action_replace")
	case store.AuditUserAdd:
		return locale.T(lang, "action_user_add")
	case store.AuditUserPassword:
		return locale.T(lang, "action_user_password")
	case store.AuditUserDisable:
		return locale.T(lang, "action_user_disable")
	case store.AuditTokenCreate:
		return locale.T(lang, "action_token_create")
	case store.AuditTokenRevoke:
		return locale.T(lang, "action_token_revoke")
	case store.AuditSessionEnd:
		return locale.T(lang, "action_session_end")
	case store.AuditLogin:
		return locale.T(lang, "action_login")
	case store.AuditLoginFailed:
		return locale.T(lang, "action_login_failed")
	case store.AuditTaskEdit:
		return locale.T(lang, "action_task_edit")
	case store.AuditEditionAdd:
		return locale.T(lang, "action_edition_create")
	case store.AuditEditionPub:
		return locale.T(lang, "action_edition_publish")
	}
	return action
}

type auditPage struct {
	page
	Entries []auditRow
	// Older is the link to the next page back; "" on the last.
	Older string
}

func (s *Server) handleAuditPage(w http.ResponseWriter, r *http.Request) {
	aq, err := s.auditQuery(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if aq.Limit == 0 {
		aq.Limit = 200
	}
	log, err := s.db.AuditLog(r.Context(), s.pack.Tenant, aq)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := s.newPage(r, demo)
	p.Title = locale.T(p.Lang, "audit_nav")
	ap := auditPage{page: p}
	for _, e := range log {
		ap.Entries = append(ap.Entries, auditRow{AuditEntry: e, When: p.clock(e.At), ActionLabel: auditActionLabel(p.Lang, e.Action),
			DetailText: e.DetailIn(p.Lang)})
	}
	if len(log) == aq.Limit {
		q := r.URL.Query()
		q.Set("before", strconv.FormatInt(log[len(log)-1].ID, 10))
		q.Del("lang")
		ap.Older = p.link("/audit", q)
	}
	s.renderPage(w, r, "audit", ap)
}

// scopeOrgs is the scope's org and every org of the plan below it; nil (every org,
// and entries about none) for the whole city.
func (s *Server) scopeOrgs(scope plan.Scope) []string {
	if scope.Org == s.pack.Tenant {
		return nil
	}
	out := []string{scope.Org}
	if o := s.pack.Org(scope.Org); o != nil {
		for _, c := range o.Children {
			out = append(out, s.scopeOrgs(plan.Scope{Tenant: scope.Tenant, Org: c.Code})...)
		}
	}
	return out
}
