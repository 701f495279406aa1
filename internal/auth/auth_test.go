package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

func TestPassword(t *testing.T) {
	h := HashPassword("correct horse battery")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q: want an argon2id PHC string", h)
	}
	if h == HashPassword("correct horse battery") {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if !CheckPassword(h, "correct horse battery") {
		t.Error("the right password does not check")
	}
	for _, wrong := range []string{"", "correct horse batter", "Correct horse battery"} {
		if CheckPassword(h, wrong) {
			t.Errorf("wrong password %q checks", wrong)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=0,t=2,p=1$c2FsdA$a2V5", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$a2V5", strings.Replace(h, "v=19", "v=16", 1)} {
		if CheckPassword(bad, "x") {
			t.Errorf("malformed hash %q checks", bad)
		}
	}
}

func TestPasswordRules(t *testing.T) {
	for _, tt := range []struct {
		name, pw string
		ok       bool
	}{
		{"alice", "short", false},
		{"alice", "123456789", false},
		{"alice", "1234567890", true},
		{"alice1234567", "ALICE1234567", false},
		{"张三", "张三的密码一二三四五六", true}, // 11 characters, not bytes
	} {
		if err := CheckPasswordRules(tt.name, tt.pw); (err == nil) != tt.ok {
			t.Errorf("CheckPasswordRules(%q, %q) = %v, want ok %v", tt.name, tt.pw, err, tt.ok)
		}
	}
	a, b := NewPassword(), NewPassword()
	if len(a) != 20 || a == b || strings.ContainsAny(a, "0O1lI") {
		t.Errorf("NewPassword gave %q and %q", a, b)
	}
}

func TestScope(t *testing.T) {
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		p    Principal
		want plan.Scope
	}{
		{Anonymous(pack), plan.Scope{Tenant: "370600", Org: "370600", Detail: plan.Public}},
		{Principal{User: "a", Role: Admin, Org: "370600"}, plan.Scope{Tenant: "370600", Org: "370600", Detail: plan.Records}},
		{Principal{User: "i", Role: Inspector, Org: "370600"}, plan.Scope{Tenant: "370600", Org: "370600", Detail: plan.Aggregates}},
		{Principal{User: "d", Role: DistrictOfficer, Org: "370602"}, plan.Scope{Tenant: "370600", Org: "370602", Detail: plan.Records}},
		{Principal{User: "c", Role: SchoolClerk, Org: "3706020001"}, plan.Scope{Tenant: "370600", Org: "3706020001", Detail: plan.Records}},
		// A role that is not one (a corrupt row) gets the public's scope, not more.
		{Principal{User: "x", Role: "root", Org: "370602"}, plan.Scope{Tenant: "370600", Org: "370600", Detail: plan.Public}},
	} {
		if got := tt.p.Scope(pack); got != tt.want {
			t.Errorf("%+v: scope %+v, want %+v", tt.p, got, tt.want)
		}
	}
	// The grants, by hand.
	want := map[Role]string{
		Public:          "read_public sign_in",
		Admin:           "read_public sign_in read_data import edit_tasks read_audit manage_users publish_editions supervise",
		Analyst:         "read_public sign_in read_data import edit_tasks publish_editions supervise",
		Inspector:       "read_public sign_in read_data supervise",
		DistrictOfficer: "read_public sign_in read_data import supervise",
		SchoolClerk:     "read_public sign_in read_data import supervise",
		"root":          "",
	}
	for role, w := range want {
		var got []string
		for _, a := range Actions {
			if (Principal{Role: role}).Can(a) {
				got = append(got, string(a))
			}
		}
		if g := strings.Join(got, " "); g != w {
			t.Errorf("%s may %q, want %q", role, g, w)
		}
	}
}

// newService returns a service over a new database (internal/fixture's: a SQLite file,
// or PostgreSQL's) with a clock the test moves.
func newService(t *testing.T) (*Service, *time.Time) {
	t.Helper()
	s, now, _ := newServiceDB(t)
	return s, now
}

// newServiceDB is newService, also returning the database's --db value.
func newServiceDB(t *testing.T) (*Service, *time.Time, string) {
	t.Helper()
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	db, name := fixture.NewDB(t)
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	s := NewService(db, pack)
	s.Now = func() time.Time { return now }
	return s, &now, name
}

var cli = Actor{Name: "cli:test", Remote: "cli"}

func TestUsers(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	pw, err := s.FirstAdmin(ctx)
	if err != nil || len(pw) != 20 {
		t.Fatalf("FirstAdmin = %q, %v", pw, err)
	}
	if again, err := s.FirstAdmin(ctx); again != "" || err != nil {
		t.Errorf("second FirstAdmin = %q, %v; want nothing", again, err)
	}
	if _, err := s.AddUser(ctx, cli, NewUser{Name: "zhifu", Role: DistrictOfficer, Org: "370602", Password: "district-secret-1"}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		nu   NewUser
		code string
	}{
		{NewUser{Name: "zhifu", Role: DistrictOfficer, Org: "370602", Password: "district-secret-1"}, plan.ECONFLICT},
		{NewUser{Name: "x", Role: "root", Org: "370600", Password: "long enough 1"}, plan.EINVALID},
		{NewUser{Name: "x", Role: DistrictOfficer, Org: "370600", Password: "long enough 1"}, plan.EINVALID}, // the city is no district
		{NewUser{Name: "x", Role: Analyst, Org: "999999", Password: "long enough 1"}, plan.EINVALID},
		{NewUser{Name: "x", Role: SchoolClerk, Org: "3706029999", Password: "long enough 1"}, plan.EINVALID}, // on no roster
		{NewUser{Name: "a b", Role: Analyst, Org: "370600", Password: "long enough 1"}, plan.EINVALID},
		{NewUser{Name: "x", Role: Analyst, Org: "370600", Password: "short"}, plan.EINVALID},
	} {
		if _, err := s.AddUser(ctx, cli, tt.nu); plan.ErrorCode(err) != tt.code {
			t.Errorf("AddUser(%+v) = %v, want code %s", tt.nu, err, tt.code)
		}
	}
	us, err := s.Users(ctx)
	if err != nil || len(us) != 2 || us[0].Name != "admin" || us[1].Name != "zhifu" || us[1].Role != "district_officer" {
		t.Fatalf("Users = %+v, %v", us, err)
	}
	log, err := s.db.AuditLog(ctx, "370600", store.AuditQuery{})
	if err != nil || len(log) != 2 || log[0].Action != store.AuditUserAdd || log[0].Object != "user zhifu" || log[0].Actor != "cli:test" {
		t.Errorf("audit = %+v, %v", log, err)
	}
	for _, e := range log {
		if strings.Contains(e.Detail, "district-secret") {
			t.Errorf("the audit log holds a password: %+v", e)
		}
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	if _, err := s.AddUser(ctx, cli, NewUser{Name: "ana", Role: Analyst, Org: "370600", Password: "analyst-pass-1"}); err != nil {
		t.Fatal(err)
	}
	p, id, err := s.Login(ctx, "ana", "analyst-pass-1", "10.0.0.1")
	if err != nil || p != (Principal{User: "ana", Role: Analyst, Org: "370600"}) || len(id) != 43 {
		t.Fatalf("Login = %+v, %q, %v", p, id, err)
	}
	// Fixation: each sign-in gets a new id; an id never issued is nobody's.
	_, id2, err := s.Login(ctx, "ana", "analyst-pass-1", "10.0.0.1")
	if err != nil || id2 == id {
		t.Fatalf("second Login = %q, %v (first %q)", id2, err, id)
	}
	if _, ok, _ := s.Session(ctx, "attacker-chosen-id"); ok {
		t.Error("an id the server never issued is a session")
	}
	if got, ok, err := s.Session(ctx, id); !ok || err != nil || got.User != "ana" {
		t.Fatalf("Session = %+v, %v, %v", got, ok, err)
	}
	// Idle expiry: used at +1h59m, still alive at +3h58m (2 h after use), gone at +6h.
	*now = now.Add(119 * time.Minute)
	if _, ok, _ := s.Session(ctx, id); !ok {
		t.Fatal("session ended before its idle time")
	}
	*now = now.Add(119 * time.Minute)
	if _, ok, _ := s.Session(ctx, id); !ok {
		t.Fatal("using a session did not move its idle expiry")
	}
	*now = now.Add(121 * time.Minute)
	if _, ok, _ := s.Session(ctx, id); ok {
		t.Error("session alive after 2 h idle")
	}
	// Hard expiry: 12 h after sign-in, however busy.
	_, id3, err := s.Login(ctx, "ana", "analyst-pass-1", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for range 12 {
		*now = now.Add(61 * time.Minute)
		s.Session(ctx, id3)
	}
	if _, ok, _ := s.Session(ctx, id3); ok {
		t.Error("session alive 12 h after sign-in")
	}
	// Logout revokes; so do a password change and disabling the user.
	_, id4, _ := s.Login(ctx, "ana", "analyst-pass-1", "10.0.0.1")
	if err := s.Logout(ctx, id4, "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Session(ctx, id4); ok {
		t.Error("session alive after logout")
	}
	_, id5, _ := s.Login(ctx, "ana", "analyst-pass-1", "10.0.0.1")
	if _, err := s.SetPassword(ctx, cli, "ana", "analyst-pass-2"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Session(ctx, id5); ok {
		t.Error("session alive after the password changed")
	}
	if _, _, err := s.Login(ctx, "ana", "analyst-pass-1", "10.0.0.1"); plan.ErrorCode(err) != plan.EUNAUTHORIZED {
		t.Errorf("old password: %v", err)
	}
	_, id6, err := s.Login(ctx, "ana", "analyst-pass-2", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetDisabled(ctx, cli, "ana", true); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Session(ctx, id6); ok {
		t.Error("session alive after the user was disabled")
	}
	if _, _, err := s.Login(ctx, "ana", "analyst-pass-2", "10.0.0.1"); plan.ErrorCode(err) != plan.EUNAUTHORIZED {
		t.Errorf("disabled user signs in: %v", err)
	}
}

func TestLoginThrottle(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	if _, err := s.AddUser(ctx, cli, NewUser{Name: "ana", Role: Analyst, Org: "370600", Password: "analyst-pass-1"}); err != nil {
		t.Fatal(err)
	}
	for i := range accountFails {
		if _, _, err := s.Login(ctx, "ana", "guess", "10.0.0.1"); plan.ErrorCode(err) != plan.EUNAUTHORIZED {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	// The account is locked, even with the right password and from another address.
	if _, _, err := s.Login(ctx, "ana", "analyst-pass-1", "10.0.0.2"); plan.ErrorCode(err) != plan.ETHROTTLED {
		t.Fatalf("after %d failures: %v, want throttled", accountFails, err)
	}
	*now = now.Add(throttleSpell)
	if _, _, err := s.Login(ctx, "ana", "analyst-pass-1", "10.0.0.2"); err != nil {
		t.Fatalf("after the spell: %v", err)
	}
	// Per address: many names from one address.
	for i := range addressFails {
		s.Login(ctx, "nobody"+string(rune('a'+i)), "guess", "10.0.0.9")
	}
	if _, _, err := s.Login(ctx, "ana", "analyst-pass-1", "10.0.0.9"); plan.ErrorCode(err) != plan.ETHROTTLED {
		t.Errorf("address after %d failures: %v, want throttled", addressFails, err)
	}
	failed, err := s.db.AuditLog(ctx, "370600", store.AuditQuery{Action: store.AuditLoginFailed, Limit: 1000})
	if err != nil || len(failed) != accountFails+addressFails {
		t.Errorf("%d failed logins in the audit log (%v), want %d", len(failed), err, accountFails+addressFails)
	}
	// A name that is no user's is not written down: it may be a password typed in the
	// wrong field.
	for _, e := range failed {
		if strings.HasPrefix(e.Actor, "nobody") {
			t.Errorf("failed login of an unknown name recorded as %q", e.Actor)
		}
	}
}

func TestTokens(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	if _, err := s.AddUser(ctx, cli, NewUser{Name: "bot", Role: DistrictOfficer, Org: "370613", Password: "district-pass-1"}); err != nil {
		t.Fatal(err)
	}
	tok, id, err := s.CreateToken(ctx, cli, "bot", "nightly import")
	if err != nil || !strings.HasPrefix(tok, TokenPrefix) || id != 1 {
		t.Fatalf("CreateToken = %q, %d, %v", tok, id, err)
	}
	p, ok, err := s.Token(ctx, tok)
	if !ok || err != nil || p != (Principal{User: "bot", Role: DistrictOfficer, Org: "370613"}) {
		t.Fatalf("Token = %+v, %v, %v", p, ok, err)
	}
	ts, err := s.Tokens(ctx, "bot")
	if err != nil || len(ts) != 1 || ts[0].Hash == tok || strings.Contains(ts[0].Hash, tok[3:]) {
		t.Fatalf("Tokens = %+v, %v (the token must be kept only hashed)", ts, err)
	}
	for _, bad := range []string{"", tok + "x", tok[:len(tok)-1] + "A", "ep_" + strings.Repeat("A", 43)} {
		if _, ok, _ := s.Token(ctx, bad); ok && bad != tok {
			t.Errorf("token %q accepted", bad)
		}
	}
	if err := s.RevokeToken(ctx, cli, id); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Token(ctx, tok); ok {
		t.Error("revoked token accepted")
	}
	if err := s.RevokeToken(ctx, cli, 99); plan.ErrorCode(err) != plan.ENOTFOUND {
		t.Errorf("revoke token 99: %v", err)
	}
	if _, _, err := s.CreateToken(ctx, cli, "ghost", ""); plan.ErrorCode(err) != plan.ENOTFOUND {
		t.Errorf("token for no user: %v", err)
	}
}

// TestHashingCap: sign-ins sent at once hash their passwords at most the cap at a
// time (each argon2id hash holds 19 MiB), every one of them within the cap; one whose
// request is given up while it waits for its turn ends without hashing and without
// counting as a failed attempt.
func TestHashingCap(t *testing.T) {
	ctx := context.Background()
	s, _, dbName := newServiceDB(t)
	s.SetThrottle(1000, 1000)
	s.hashing = newHashSlots(2)
	if _, err := s.AddUser(ctx, cli, NewUser{Name: "ana", Role: Analyst, Org: "370600", Password: "analyst-pass-1"}); err != nil {
		t.Fatal(err)
	}
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			// Known and unknown names, right and wrong passwords: each costs one hash.
			name, pw := "ana", "analyst-pass-1"
			if i%2 == 1 {
				name, pw = fmt.Sprintf("nobody%d", i), "guess"
			}
			s.Login(ctx, name, pw, fmt.Sprintf("10.0.0.%d", i))
		})
	}
	wg.Wait()
	if peak, done := s.hashing.peak.Load(), s.hashing.done.Load(); peak > 2 || done != n+1 {
		t.Errorf("%d sign-ins at once: %d hashes ran within the cap (want %d, with the user's own), at most %d at once (want ≤ 2)", n, done, n+1, peak)
	}
	// Both slots taken: a sign-in whose request ends while it waits is not counted.
	s.hashing.ch <- struct{}{}
	s.hashing.ch <- struct{}{}
	cctx, cancel := context.WithCancel(ctx)
	go cancel()
	if _, _, err := s.Login(cctx, "ana", "guess", "10.0.0.99"); !errors.Is(err, context.Canceled) {
		t.Errorf("sign-in given up while waiting to hash: %v, want context.Canceled", err)
	}
	var kept int
	if err := fixture.Raw(t, dbName).QueryRow(`SELECT count(*) FROM signin_attempts WHERE subject IN ('account:ana', 'address:10.0.0.99')`).Scan(&kept); err != nil || kept != 0 {
		t.Errorf("a sign-in given up counts %d attempts (%v)", kept, err)
	}
}

// TestSessionRecheck: a session found valid is trusted for SessionRecheck without
// reading the database again, so that a signed-in reader's requests cost no more than
// the public's; one ended by another process (the command line) is refused once that
// has passed, and one ended through the service at once.
func TestSessionRecheck(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	if _, err := s.AddUser(ctx, cli, NewUser{Name: "ana", Role: Analyst, Org: "370600", Password: "analyst-pass-1"}); err != nil {
		t.Fatal(err)
	}
	_, id, err := s.Login(ctx, "ana", "analyst-pass-1", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s.Session(ctx, id); !ok || err != nil {
		t.Fatalf("Session = %v, %v", ok, err)
	}
	// Another process ends every session of ana.
	if err := s.db.Write(ctx, s.pack.Tenant, func(tx *store.Tx) error { _, err := tx.RevokeSessions(ctx, "ana"); return err }); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(s.SessionRecheck - time.Second)
	if _, ok, err := s.Session(ctx, id); !ok || err != nil {
		t.Errorf("within SessionRecheck (%v) of a check: %v, %v; want the session trusted without a read", s.SessionRecheck, ok, err)
	}
	*now = now.Add(2 * time.Second)
	if _, ok, _ := s.Session(ctx, id); ok {
		t.Errorf("session ended by another process still alive %v after it was last read", s.SessionRecheck+time.Second)
	}
	// Through the service: refused at once.
	_, id2, _ := s.Login(ctx, "ana", "analyst-pass-1", "10.0.0.1")
	s.Session(ctx, id2)
	if _, err := s.RevokeSessions(ctx, cli, "ana"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Session(ctx, id2); ok {
		t.Error("session alive right after RevokeSessions")
	}
}

// TestTokenRecheck: an API token found valid is trusted for SessionRecheck without
// reading the database again, as a session is: one revoked by another process (the
// command line) is refused once that has passed; one revoked through the service, or
// whose user is disabled through it, at once.
func TestTokenRecheck(t *testing.T) {
	ctx := context.Background()
	s, now := newService(t)
	if _, err := s.AddUser(ctx, cli, NewUser{Name: "ana", Role: Analyst, Org: "370600", Password: "analyst-pass-1"}); err != nil {
		t.Fatal(err)
	}
	token, id, err := s.CreateToken(ctx, cli, "ana", "test")
	if err != nil {
		t.Fatal(err)
	}
	if p, ok, err := s.Token(ctx, token); !ok || err != nil || p.User != "ana" {
		t.Fatalf("Token = %+v, %v, %v", p, ok, err)
	}
	// Another process revokes it.
	if err := s.db.Write(ctx, s.pack.Tenant, func(tx *store.Tx) error { return tx.RevokeToken(ctx, id) }); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(s.SessionRecheck - time.Second)
	if _, ok, err := s.Token(ctx, token); !ok || err != nil {
		t.Errorf("within SessionRecheck (%v) of a check: %v, %v; want the token trusted without a read", s.SessionRecheck, ok, err)
	}
	*now = now.Add(2 * time.Second)
	if _, ok, _ := s.Token(ctx, token); ok {
		t.Errorf("token revoked by another process still taken %v after it was last read", s.SessionRecheck+time.Second)
	}
	// Through the service: refused at once.
	for _, end := range []struct {
		name string
		do   func(id int64) error
	}{
		{"RevokeToken", func(id int64) error { return s.RevokeToken(ctx, cli, id) }},
		{"SetDisabled", func(int64) error { return s.SetDisabled(ctx, cli, "ana", true) }},
	} {
		token, id, err := s.CreateToken(ctx, cli, "ana", "test")
		if err != nil {
			t.Fatal(err)
		}
		if _, ok, err := s.Token(ctx, token); !ok || err != nil {
			t.Fatalf("%s: new token: %v, %v", end.name, ok, err)
		}
		if err := end.do(id); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.Token(ctx, token); ok {
			t.Errorf("token taken right after %s", end.name)
		}
	}
}

// TestSessionReadOnce: while a session is read from the database, the other callers
// for it wait for that read instead of reading it too, and then get its answer.
func TestSessionReadOnce(t *testing.T) {
	var c sessionMemo
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	if _, ok, wait := c.get("h", now); ok || wait != nil {
		t.Fatalf("first caller: ok %v, wait %v; want to read", ok, wait)
	}
	_, ok, wait := c.get("h", now)
	if ok || wait == nil {
		t.Fatalf("second caller during the read: ok %v, wait %v; want to wait", ok, wait)
	}
	p := Principal{User: "ana", Role: Analyst, Org: "370600"}
	c.put("h", p, now.Add(time.Second), now)
	c.done("h")
	<-wait
	if got, ok, _ := c.get("h", now); !ok || got != p {
		t.Errorf("after the read: %+v, %v", got, ok)
	}
	if _, _, wait := c.get("other", now); wait != nil {
		t.Errorf("another session waits for this one's read")
	}
}
