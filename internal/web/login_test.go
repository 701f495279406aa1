package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"net/netip"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/store"
	"github.com/yantai-edu/eduplan/internal/web"
)

// throttleServer is a server over the tiny data set with the real sign-in limits and
// one analyst, ana.
func throttleServer(t *testing.T, d web.Deps) (*httptest.Server, *store.DB, *auth.Service) {
	t.Helper()
	db, pack, _ := fixture.Tiny(t)
	svc := auth.NewService(db, pack)
	if _, err := svc.AddUser(context.Background(), auth.Actor{Name: "test"}, auth.NewUser{Name: "ana", Role: auth.Analyst, Org: "370600", Password: "the right one"}); err != nil {
		t.Fatal(err)
	}
	e, err := indicator.Load(context.Background(), db, pack)
	if err != nil {
		t.Fatal(err)
	}
	d.Pack, d.DB, d.Engine, d.Auth, d.Logger = pack, db, func() *indicator.Engine { return e }, svc, slog.New(slog.DiscardHandler)
	s := httptest.NewServer(web.New(d).Handler())
	t.Cleanup(s.Close)
	return s, db, svc
}

// postLogin posts the login form with header pairs and returns the status.
func postLogin(t *testing.T, base, name, password string, header ...string) int {
	form := url.Values{"name": {name}, "password": {password}}
	res, _ := do(t, browser(t), "POST", base+"/login", strings.NewReader(form.Encode()), append([]string{"Content-Type", formType}, header...)...)
	return res.StatusCode
}

// TestLoginThrottleRace: 60 wrong passwords sent at once for one account may not all
// reach the password check: the throttle's check and its record of the attempt are
// one step, so at most the limit (5) are verified and the rest are refused (429), and
// the right password after them is refused too.
func TestLoginThrottleRace(t *testing.T) {
	s, db, _ := throttleServer(t, web.Deps{})
	const n = 60
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			statuses[i] = postLogin(t, s.URL, "ana", "a wrong guess")
		})
	}
	close(start)
	wg.Wait()
	count := map[int]int{}
	for _, st := range statuses {
		count[st]++
	}
	if count[http.StatusTooManyRequests] < n-5 || count[http.StatusUnauthorized] > 5 || count[http.StatusUnauthorized]+count[http.StatusTooManyRequests] != n {
		t.Errorf("60 concurrent wrong passwords: %v (status → count), want at most 5 × 401 and the rest 429", count)
	}
	if got := postLogin(t, s.URL, "ana", "the right one"); got != http.StatusTooManyRequests {
		t.Errorf("the right password after the limit: %d, want 429", got)
	}
	log, err := db.AuditLog(context.Background(), "370600", store.AuditQuery{Action: store.AuditLoginFailed})
	if err != nil || len(log) > 5 {
		t.Errorf("%d failed sign-ins were checked and logged, want at most 5 (%v)", len(log), err)
	}
}

// TestLoginNext: after signing in, next leads only to a clean path of this site;
// anything a browser could read as another host, a scheme or a script goes to /.
func TestLoginNext(t *testing.T) {
	cases := []struct{ next, want string }{
		{"/data", "/data"},
		{"/indicators/kg_public_share?lang=en", "/indicators/kg_public_share?lang=en"},
		{"/districts/370602#map", "/districts/370602#map"},
		{"", "/"},
		{"/\t/evil.example", "/"},          // next=%2F%09%2Fevil.example
		{"/\n/evil.example", "/"},          // %0a
		{"/\r/evil.example", "/"},          // %0d
		{"/\r\n/evil.example", "/"},        // %0d%0a
		{"/\x00/evil.example", "/"},        // NUL
		{"/\x7f/evil.example", "/"},        // DEL
		{"/ /evil.example", "/"},           // a space
		{"/\u3000/evil.example", "/"},      // an ideographic space
		{"/\u202e/evil.example", "/"},      // a bidi override
		{"//evil.example", "/"},            // scheme-relative
		{"///evil.example", "/"},           // three slashes
		{"/\\evil.example", "/"},           // /\ is // to browsers
		{"\\\\evil.example", "/"},          // \\host
		{"/data\\..\\\\evil.example", "/"}, // a backslash anywhere
		{"https://evil.example/", "/"},
		{"http:/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"JaVaScRiPt:alert(1)", "/"},
		{" /data", "/"},
		{"%2F%09%2Fevil.example", "/"}, // encoded twice: not a path once decoded
		{"%2F%2Fevil.example", "/"},
		{"/%09/evil.example", "/%09/evil.example"}, // an escaped tab stays a path on this site
		{"/\xff/evil.example", "/"},                // not UTF-8
	}
	for _, c := range cases {
		form := url.Values{"name": {"admin1"}, "password": {"password-of-admin1"}, "next": {c.next}}
		req, err := http.NewRequest("POST", ts.URL+"/login", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", formType)
		// The transport, not a client: a client refuses to read a Location with a
		// control character before a test could see it.
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != c.want {
			t.Errorf("next %q: %d → %q, want %q", c.next, res.StatusCode, res.Header.Get("Location"), c.want)
		}
	}
}

// TestTrustedProxy: the client's address — what the per-address sign-in limit counts
// and the audit log records — is taken from X-Forwarded-For only when the direct peer
// is a trusted proxy, and then it is the rightmost address that is not one.
func TestTrustedProxy(t *testing.T) {
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	elsewhere := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	cases := []struct {
		name    string
		proxies []netip.Prefix
		xff     []string
		want    string
		// ignored: X-Forwarded-For is not read at all.
		ignored bool
	}{
		{"off", nil, []string{"203.0.113.9"}, "127.0.0.1", true},
		{"peer trusted", loopback, []string{"203.0.113.9"}, "203.0.113.9", false},
		{"rightmost untrusted hop", loopback, []string{"198.51.100.1, 203.0.113.9"}, "203.0.113.9", false},
		{"trusted hops skipped", loopback, []string{"203.0.113.9, 127.0.0.5", "127.0.0.6"}, "203.0.113.9", false},
		{"no header", loopback, nil, "127.0.0.1", false},
		{"not an address", loopback, []string{"203.0.113.9, bogus"}, "127.0.0.1", false},
		{"peer not trusted", elsewhere, []string{"203.0.113.9"}, "127.0.0.1", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, db, svc := throttleServer(t, web.Deps{TrustedProxies: c.proxies})
			svc.SetThrottle(100, 3)
			var header []string
			for _, v := range c.xff {
				header = append(header, "X-Forwarded-For", v)
			}
			try := func(name string, header ...string) int {
				form := url.Values{"name": {name}, "password": {"a wrong guess"}}
				req, _ := http.NewRequest("POST", s.URL+"/login", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", formType)
				for i := 0; i+1 < len(header); i += 2 {
					req.Header.Add(header[i], header[i+1])
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res.StatusCode
			}
			for i := range 3 {
				if got := try(fmt.Sprint("name", i), header...); got != http.StatusUnauthorized {
					t.Fatalf("attempt %d: %d", i+1, got)
				}
			}
			log, err := db.AuditLog(context.Background(), "370600", store.AuditQuery{Action: store.AuditLoginFailed, Limit: 1})
			if err != nil || len(log) != 1 || log[0].Remote != c.want {
				t.Errorf("the audit log has the failed sign-in from %+v (%v), want %s", log, err, c.want)
			}
			// The address has used its 3 attempts; another client behind the same
			// proxy has not, unless the header is ignored.
			if got := try("name9", header...); got != http.StatusTooManyRequests {
				t.Errorf("4th attempt from %s: %d, want 429", c.want, got)
			}
			want := http.StatusUnauthorized
			if c.ignored {
				want = http.StatusTooManyRequests // every client is the peer
			}
			if got := try("name10", "X-Forwarded-For", "198.51.100.77"); got != want {
				t.Errorf("another client (198.51.100.77): %d, want %d", got, want)
			}
		})
	}
}

func TestParseTrustedProxies(t *testing.T) {
	cases := []struct {
		in   string
		want string // the prefixes, or "error"
	}{
		{"", "[]"},
		{"127.0.0.1", "[127.0.0.1/32]"},
		{"10.0.0.0/8, ::1 ,192.168.1.7/24", "[10.0.0.0/8 ::1/128 192.168.1.0/24]"},
		{"::ffff:10.1.2.3", "[10.1.2.3/32]"},
		{"10.0.0.0/33", "error"},
		{"proxy.example", "error"},
	}
	for _, c := range cases {
		ps, err := web.ParseTrustedProxies(c.in)
		got := fmt.Sprint(ps)
		if err != nil {
			got = "error"
		}
		if got != c.want {
			t.Errorf("%q: %s (%v), want %s", c.in, got, err, c.want)
		}
	}
}
