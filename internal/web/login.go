package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// loginPage asks for a user name and password.
type loginPage struct {
	page
	Next    string
	Name    string
	Message string
}

// localPath returns next when it is a clean absolute path of this site, else "/": the
// login form never sends anyone elsewhere. Browsers drop tabs and newlines from a
// Location and read a backslash as a slash, so "/\t/host" or "/\\host" would lead to
// another host: a path with a control character, a space, a backslash, or two slashes at
// its start is refused whole, as is anything with a scheme or a host.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || !utf8.ValidString(next) {
		return "/"
	}
	for _, r := range next {
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r, http.StatusOK, "", "")
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, name, message string) {
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := s.newPage(r, demo)
	p.Title = locale.T(p.Lang, "login")
	s.renderPageStatus(w, r, status, "login", loginPage{page: p, Next: localPath(r.FormValue("next")), Name: name, Message: message})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if s.auth == nil {
		s.pageError(w, r, plan.Errorf(plan.ENOTFOUND, "此服务器未启用登录", "this server has no logins"))
		return
	}
	name, password := strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password")
	_, id, err := s.auth.Login(r.Context(), name, password, remoteOf(r))
	if err != nil {
		code := plan.ErrorCode(err)
		if code != plan.EUNAUTHORIZED && code != plan.ETHROTTLED {
			s.pageError(w, r, err)
			return
		}
		zh, en := plan.ErrorMessages(err)
		s.renderLogin(w, r, statusOf(err), name, pick(langOf(r), zh, en))
		return
	}
	// A new session id at every sign-in (never one the browser brought), so that a
	// planted cookie cannot become a signed-in session (session fixation).
	http.SetCookie(w, s.sessionCookie(r, id))
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" && s.auth != nil {
		if err := s.auth.Logout(r.Context(), c.Value, remoteOf(r)); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	http.SetCookie(w, s.clearCookie(r))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// sessionCookie is the cookie of a new session: not readable by scripts, not sent on
// cross-site subrequests, only over TLS when the server is reached over TLS.
func (s *Server) sessionCookie(r *http.Request, id string) *http.Cookie {
	return &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || s.secureCookies}
}

func (s *Server) clearCookie(r *http.Request) *http.Cookie {
	c := s.sessionCookie(r, "")
	c.MaxAge = -1
	return c
}

// me is who the caller is and what they may do.
type me struct {
	auth.Principal
	Scope   plan.Scope    `json:"scope"`
	Actions []auth.Action `json:"actions"`
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	p := s.principalOf(r)
	m := me{Principal: p, Scope: p.Scope(s.pack), Actions: []auth.Action{}}
	for _, a := range auth.Actions {
		if p.Can(a) {
			m.Actions = append(m.Actions, a)
		}
	}
	s.respond(w, r, m)
}
