package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Service keeps the users, sessions and tokens of one pack's tenant and records every
// change to them in the audit log.
type Service struct {
	db   *store.DB
	pack *plan.Pack
	// Now returns the current time; tests may replace it.
	Now func() time.Time
	// SessionIdle ends a session not used for this long; SessionMax ends any session
	// this long after sign-in.
	SessionIdle time.Duration
	SessionMax  time.Duration
	// SessionRecheck is how long a session or API token found valid is trusted without
	// reading the database again: one ended or revoked by another process (the command
	// line) is refused at most this late; one ended through the service, at once.
	SessionRecheck time.Duration

	checked sessionMemo
	// The sign-ins an account and a client's address may fail in throttleSpell.
	accountLimit, addressLimit int
	// swept is when this service last swept the sign-in attempts of every subject
	// (Unix nanoseconds).
	swept   atomic.Int64
	hashing *hashSlots
}

// Throttling of sign-ins: an account may fail 5 times, an address 20 times, in 15
// minutes; then it waits until the oldest failure leaves the window. The attempts are
// counted in the database, so that all the servers on it share the limits.
const (
	accountFails  = 5
	addressFails  = 20
	throttleSpell = 15 * time.Minute
)

// SetThrottle sets how many failed sign-ins an account and an address may have in 15
// minutes before they must wait.
func (s *Service) SetThrottle(account, address int) {
	s.accountLimit, s.addressLimit = account, address
}

// NewService returns the service over the database for the pack's tenant.
func NewService(db *store.DB, pack *plan.Pack) *Service {
	dummyHash() // made now, so that the first wrong name takes no longer than the rest
	return &Service{
		db: db, pack: pack, Now: time.Now,
		SessionIdle: 2 * time.Hour, SessionMax: 12 * time.Hour, SessionRecheck: 5 * time.Second,
		accountLimit: accountFails, addressLimit: addressFails,
		hashing: newHashSlots(maxHashing()),
	}
}

// Actor is who makes a change and from where, for the audit log: a user and the
// client's address, or "cli:<os user>" and "cli" for the command line.
type Actor struct {
	Name   string
	Remote string
}

// NewUser is what `eduplan user add` and the admin give to create a user.
type NewUser struct {
	Name string
	Role Role
	Org  string
	// Password, if empty, is generated and returned by AddUser.
	Password string
}

// AddUser creates a user and returns the password (generated when nu.Password is
// empty, to be shown once).
func (s *Service) AddUser(ctx context.Context, by Actor, nu NewUser) (string, error) {
	if err := checkUserName(nu.Name); err != nil {
		return "", err
	}
	if err := s.checkGrant(ctx, nu.Role, nu.Org); err != nil {
		return "", err
	}
	password := nu.Password
	if password == "" {
		password = NewPassword()
	}
	if err := CheckPasswordRules(nu.Name, password); err != nil {
		return "", err
	}
	org, err := s.orgOf(ctx, nu.Role, nu.Org)
	if err != nil {
		return "", err
	}
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return "", err
	}
	u := &store.User{Name: nu.Name, Password: hash, Role: string(nu.Role), Org: nu.Org}
	err = s.db.Write(ctx, s.pack.Tenant, func(tx *store.Tx) error {
		if err := tx.AddUser(ctx, u); err != nil {
			return err
		}
		return tx.Audit(ctx, &store.AuditEntry{Actor: by.Name, Remote: by.Remote, Action: store.AuditUserAdd,
			Object: "user " + u.Name, Detail: fmt.Sprintf("角色 %s，机构 %s", u.Role, u.Org), DetailEn: fmt.Sprintf("role %s on %s", u.Role, u.Org), Org: org})
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

// checkUserName accepts 1–64 printable characters without spaces (Chinese names too).
func checkUserName(name string) error {
	n := utf8.RuneCountInString(name)
	ok := n >= 1 && n <= 64 && utf8.ValidString(name)
	for _, r := range name {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) || r == ':' {
			ok = false
		}
	}
	if !ok {
		return plan.Errorf(plan.EINVALID, "用户名 %q 无效：应为 1–64 个字符，不含空格和冒号", "invalid user name %q: want 1–64 characters without spaces or colons", name)
	}
	return nil
}

// checkGrant checks that a role can be granted on an org: a district officer on a
// district, a school clerk on an institution on some roster, the others on the city
// or a district.
func (s *Service) checkGrant(ctx context.Context, role Role, org string) error {
	if !ValidRole(role) {
		names := make([]string, len(Roles))
		for i, r := range Roles {
			names[i] = string(r)
		}
		list := strings.Join(names, ", ")
		return plan.Errorf(plan.EINVALID, "角色 %q 无效：应为 %s", "invalid role %q: want one of %s", role, list)
	}
	if role == SchoolClerk {
		_, ok, err := s.db.InstitutionDistrict(ctx, s.pack.Tenant, org)
		if err != nil {
			return err
		}
		if !ok {
			return plan.Errorf(plan.EINVALID, "学校 %q 不在任何学校名册中：学校数据员须授予已导入的学校", "institution %q is on no institution roster: a school clerk is granted on an imported institution", org)
		}
		return nil
	}
	o := s.pack.Org(org)
	if o == nil {
		return plan.Errorf(plan.EINVALID, "组织 %q 不在规划中", "org %q is not in the plan", org)
	}
	if role == DistrictOfficer && o.Level != plan.LevelDistrict {
		return plan.Errorf(plan.EINVALID, "区县教育局用户须授予区县（%s 不是区县）", "a district officer is granted on a district (%s is not one)", org)
	}
	return nil
}

// Users returns every user.
func (s *Service) Users(ctx context.Context) ([]store.User, error) {
	return s.db.Users(ctx, s.pack.Tenant)
}

// SetPassword sets a user's password and ends their sessions.
func (s *Service) SetPassword(ctx context.Context, by Actor, name, password string) (string, error) {
	defer s.checked.forget()
	if password == "" {
		password = NewPassword()
	}
	if err := CheckPasswordRules(name, password); err != nil {
		return "", err
	}
	org, err := s.userOrg(ctx, name)
	if err != nil {
		return "", err
	}
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return "", err
	}
	err = s.db.Write(ctx, s.pack.Tenant, func(tx *store.Tx) error {
		if err := tx.SetPassword(ctx, name, hash); err != nil {
			return err
		}
		n, err := tx.RevokeSessions(ctx, name)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, &store.AuditEntry{Actor: by.Name, Remote: by.Remote, Action: store.AuditUserPassword,
			Object: "user " + name, Detail: fmt.Sprintf("结束会话 %d 个", n), DetailEn: fmt.Sprintf("%d sessions ended", n), Org: org})
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

// SetDisabled disables (or enables) a user; disabling ends their sessions and revokes
// their tokens.
func (s *Service) SetDisabled(ctx context.Context, by Actor, name string, disabled bool) error {
	defer s.checked.forget()
	org, err := s.userOrg(ctx, name)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, s.pack.Tenant, func(tx *store.Tx) error {
		if err := tx.SetDisabled(ctx, name, disabled); err != nil {
			return err
		}
		detail, detailEn := "已启用", "enabled"
		if disabled {
			ns, err := tx.RevokeSessions(ctx, name)
			if err != nil {
				return err
			}
			nt, err := tx.RevokeTokens(ctx, name)
			if err != nil {
				return err
			}
			detail = fmt.Sprintf("已停用；结束会话 %d 个，吊销令牌 %d 个", ns, nt)
			detailEn = fmt.Sprintf("disabled; %d sessions ended, %d tokens revoked", ns, nt)
		}
		return tx.Audit(ctx, &store.AuditEntry{Actor: by.Name, Remote: by.Remote, Action: store.AuditUserDisable,
			Object: "user " + name, Detail: detail, DetailEn: detailEn, Org: org})
	})
}

// principal returns the principal of a stored user.
func principal(u *store.User) Principal {
	return Principal{User: u.Name, Role: Role(u.Role), Org: u.Org}
}

// errBadLogin is the one answer to a wrong name, a wrong password and a disabled user
// alike, so that sign-in tells nobody which names exist.
var errBadLogin = plan.Errorf(plan.EUNAUTHORIZED, "用户名或密码错误", "wrong user name or password")

// dummyHash is checked against when the user does not exist, so that a wrong name
// takes as long as a wrong password. It is made by the first NewService, not when
// the program starts: hashing takes 19 MiB and some 100 ms of a command's start (an
// import's, say) that never checks a password.
var dummyHash = sync.OnceValue(func() string { return HashPassword("not a password of anyone") })

// Login checks a user's password and starts a new session, returning its id (the
// cookie's value; kept only as a hash). Attempts are throttled per account and per
// address, in the database that every server shares: each is counted before its
// password is checked, in the step that checks the limit, so that attempts sent at
// once cannot all pass the check; failures are recorded in the audit log.
func (s *Service) Login(ctx context.Context, name, password, remote string) (Principal, string, error) {
	now := s.Now()
	account, address := "account:"+name, "address:"+remote
	attempt, wait, err := s.db.ReserveAttempt(ctx, s.pack.Tenant, now, throttleSpell,
		store.AttemptLimit{Subject: account, Limit: s.accountLimit}, store.AttemptLimit{Subject: address, Limit: s.addressLimit})
	if err != nil {
		return Principal{}, "", err
	}
	if wait > 0 {
		mins := int(wait.Minutes()) + 1
		return Principal{}, "", plan.Errorf(plan.ETHROTTLED, "尝试次数过多，请 %d 分钟后再试", "too many attempts: try again in %d minutes", mins)
	}
	s.sweep(ctx, now)
	u, ok, actor, err := s.verify(ctx, name, password)
	if err != nil {
		// Not a wrong password: the attempt does not count (given back even when the
		// request was given up).
		return Principal{}, "", errors.Join(err, s.db.ReleaseAttempt(context.WithoutCancel(ctx), s.pack.Tenant, attempt, account, address))
	}
	org := ""
	if u != nil {
		if org, err = s.orgOf(ctx, Role(u.Role), u.Org); err != nil {
			return Principal{}, "", err
		}
	}
	if !ok {
		if err := s.db.Audit(ctx, s.pack.Tenant, &store.AuditEntry{Actor: actor, Remote: remote, Action: store.AuditLoginFailed, Org: org}); err != nil {
			return Principal{}, "", err
		}
		return Principal{}, "", errBadLogin
	}
	if err := s.db.ClearAttempts(ctx, s.pack.Tenant, account); err != nil {
		return Principal{}, "", err
	}
	if err := s.db.ReleaseAttempt(ctx, s.pack.Tenant, attempt, address); err != nil {
		return Principal{}, "", err
	}
	id := newSecret()
	sess := &store.Session{IDHash: hashSecret(id), User: u.Name, CreatedAt: now, SeenAt: now, ExpiresAt: s.expiry(now, now)}
	err = s.db.Write(ctx, s.pack.Tenant, func(tx *store.Tx) error {
		if err := tx.AddSession(ctx, sess); err != nil {
			return err
		}
		return tx.Audit(ctx, &store.AuditEntry{Actor: u.Name, Remote: remote, Action: store.AuditLogin, Org: org})
	})
	if err != nil {
		return Principal{}, "", err
	}
	return principal(u), id, nil
}

// sweep deletes, once per throttleSpell, the sign-in attempts that have left the
// window, of every subject: those of accounts and addresses never tried again, which
// would otherwise stay. The count is right without it, so a failure does not fail the
// sign-in: the next sign-in tries again.
func (s *Service) sweep(ctx context.Context, now time.Time) {
	last := s.swept.Load()
	if now.UnixNano()-last < int64(throttleSpell) || !s.swept.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	if _, err := s.db.SweepAttempts(ctx, s.pack.Tenant, now.Add(-throttleSpell)); err != nil {
		s.swept.CompareAndSwap(now.UnixNano(), last)
	}
}

// verify checks a user's password: the user and true when it is theirs and they are
// not disabled, with the name the audit log gives the attempt. The audit log names the
// account tried only if it exists: what someone typed as a name may be their password.
func (s *Service) verify(ctx context.Context, name, password string) (*store.User, bool, string, error) {
	u, err := s.db.User(ctx, s.pack.Tenant, name)
	switch {
	case plan.ErrorCode(err) == plan.ENOTFOUND:
		// As long as a wrong password takes, so that sign-in tells nobody which names exist.
		_, err := s.checkPassword(ctx, dummyHash(), password)
		return nil, false, "(unknown user)", err
	case err != nil:
		return nil, false, name, err
	}
	ok, err := s.checkPassword(ctx, u.Password, password)
	return u, ok && !u.Disabled, name, err
}

// expiry is when a session created at created and last seen at seen ends.
func (s *Service) expiry(created, seen time.Time) time.Time {
	idle, hard := seen.Add(s.SessionIdle), created.Add(s.SessionMax)
	if idle.Before(hard) {
		return idle
	}
	return hard
}

// Session returns the principal of a session id; false when the session does not
// exist, has expired or was revoked, or its user is disabled.
func (s *Service) Session(ctx context.Context, id string) (Principal, bool, error) {
	if id == "" {
		return Principal{}, false, nil
	}
	h := hashSecret(id)
	p, ok, now, err := s.recall(ctx, h)
	if ok || err != nil {
		return p, ok, err
	}
	defer s.checked.done(h)
	sess, ok, err := s.db.Session(ctx, s.pack.Tenant, h)
	if err != nil || !ok {
		return Principal{}, false, err
	}
	// This process may have seen the session used later than the database says: its
	// record of that is written in the background (touch).
	if seen := s.checked.seen(h); seen.After(sess.SeenAt) {
		sess.SeenAt, sess.ExpiresAt = seen, s.expiry(sess.CreatedAt, seen)
	}
	if sess.Revoked || !now.Before(sess.ExpiresAt) {
		return Principal{}, false, nil
	}
	u, err := s.activeUser(ctx, sess.User)
	if u == nil {
		return Principal{}, false, err
	}
	// Moving the idle expiry costs a write; once a minute is enough.
	expires := sess.ExpiresAt
	if now.Sub(sess.SeenAt) > time.Minute {
		expires = s.expiry(sess.CreatedAt, now)
		s.touch(h, now, expires)
	}
	p = principal(u)
	until := now.Add(s.SessionRecheck)
	if expires.Before(until) {
		until = expires
	}
	s.checked.put(h, p, until, now)
	return p, true, nil
}

// recall returns the principal of a session or token (by the hash of its secret) found
// valid within SessionRecheck, and the time. Otherwise it returns false, and the caller
// is to read it and call s.checked.done(h). One read of a secret at a time: those who
// come meanwhile wait for its answer (when SessionRecheck ends, a busy reader's
// requests all come at once).
func (s *Service) recall(ctx context.Context, h string) (Principal, bool, time.Time, error) {
	now := s.Now()
	for {
		p, ok, wait := s.checked.get(h, now)
		if ok || wait == nil {
			return p, ok, now, nil
		}
		select {
		case <-wait:
			now = s.Now()
		case <-ctx.Done():
			return Principal{}, false, now, ctx.Err()
		}
	}
}

// sessionMemo remembers the sessions found valid, each until it must be read again,
// and the sessions being read.
type sessionMemo struct {
	mu      sync.Mutex
	m       map[string]memo
	reading map[string]chan struct{}
}

type memo struct {
	p     Principal
	until time.Time
	// seen is when this process last recorded the session's use; touching it is
	// whether that record is being written.
	seen     time.Time
	touching bool
}

// touch records in the background that a session was used at seen, moving its expiry:
// the write waits for any import holding the database's write lock, and the reader's
// request must not. A failed write leaves the expiry where it was, and the next use
// tries again; meanwhile the process goes by its own record (sessionMemo.seen).
func (s *Service) touch(h string, seen, expires time.Time) {
	if !s.checked.used(h, seen) {
		return
	}
	go func() {
		defer s.checked.touched(h)
		_ = s.db.TouchSession(context.Background(), s.pack.Tenant, h, seen, expires) // a failure: see above
	}()
}

// memoSize bounds the sessions remembered; past it the outdated ones are dropped.
const memoSize = 10000

// get returns the principal of a session remembered. Otherwise it returns a channel
// closed when the session being read by another caller is read, or nil when the caller
// is to read it, and call done.
func (c *sessionMemo) get(h string, now time.Time) (Principal, bool, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.m[h]; ok && now.Before(m.until) {
		return m.p, true, nil
	}
	if wait, ok := c.reading[h]; ok {
		return Principal{}, false, wait
	}
	if c.reading == nil {
		c.reading = map[string]chan struct{}{}
	}
	c.reading[h] = make(chan struct{})
	return Principal{}, false, nil
}

// seen returns when this process last recorded the session's use (zero if never).
func (c *sessionMemo) seen(h string) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[h].seen
}

// used records the session's use at seen, reporting whether its write is to start
// (none is in flight).
func (c *sessionMemo) used(h string, seen time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]memo{}
	}
	m := c.m[h]
	m.seen = seen
	start := !m.touching
	m.touching = true
	c.m[h] = m
	return start
}

// touched ends the write of a session's use.
func (c *sessionMemo) touched(h string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.m[h]; ok {
		m.touching = false
		c.m[h] = m
	}
}

// done ends the read of a session.
func (c *sessionMemo) done(h string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	close(c.reading[h])
	delete(c.reading, h)
}

func (c *sessionMemo) put(h string, p Principal, until, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]memo{}
	}
	if len(c.m) >= memoSize {
		for k, m := range c.m {
			if !now.Before(m.until) {
				delete(c.m, k)
			}
		}
		if len(c.m) >= memoSize {
			clear(c.m)
		}
	}
	m := c.m[h]
	m.p, m.until = p, until
	c.m[h] = m
}

// forget drops every session remembered: after sessions end or a user changes.
func (c *sessionMemo) forget() {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}

// activeUser returns the user of a session or token if they exist and are not
// disabled; nil (and the error, if reading failed) otherwise.
func (s *Service) activeUser(ctx context.Context, name string) (*store.User, error) {
	u, err := s.db.User(ctx, s.pack.Tenant, name)
	if plan.ErrorCode(err) == plan.ENOTFOUND || err == nil && u.Disabled {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, id, remote string) error {
	defer s.checked.forget()
	h := hashSecret(id)
	sess, ok, err := s.db.Session(ctx, s.pack.Tenant, h)
	if err != nil || !ok {
		return err
	}
	org, err := s.userOrg(ctx, sess.User)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, s.pack.Tenant, func(tx *store.Tx) error {
		if err := tx.RevokeSession(ctx, h); err != nil {
			return err
		}
		return tx.Audit(ctx, &store.AuditEntry{Actor: sess.User, Remote: remote, Action: store.AuditSessionEnd, Detail: "退出登录", DetailEn: "logout", Org: org})
	})
}

// RevokeSessions ends every session of a user.
func (s *Service) RevokeSessions(ctx context.Context, by Actor, name string) (int, error) {
	defer s.checked.forget()
	u, err := s.db.User(ctx, s.pack.Tenant, name)
	if err != nil {
		return 0, err
	}
	org, err := s.orgOf(ctx, Role(u.Role), u.Org)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.Write(ctx, s.pack.Tenant, func(tx *store.Tx) error {
		var err error
		if n, err = tx.RevokeSessions(ctx, name); err != nil {
			return err
		}
		return tx.Audit(ctx, &store.AuditEntry{Actor: by.Name, Remote: by.Remote, Action: store.AuditSessionEnd,
			Object: "user " + name, Detail: fmt.Sprintf("结束会话 %d 个", n), DetailEn: fmt.Sprintf("%d sessions ended", n), Org: org})
	})
	return n, err
}

// CreateToken issues a new API token for a user and returns it (shown once; kept only
// as a hash) with its id.
func (s *Service) CreateToken(ctx context.Context, by Actor, user, label string) (string, int64, error) {
	u, err := s.db.User(ctx, s.pack.Tenant, user)
	if err != nil {
		return "", 0, err
	}
	if u.Disabled {
		return "", 0, plan.Errorf(plan.ECONFLICT, "用户 %q 已停用", "user %q is disabled", user)
	}
	org, err := s.orgOf(ctx, Role(u.Role), u.Org)
	if err != nil {
		return "", 0, err
	}
	value := newToken()
	t := &store.Token{Hash: hashSecret(value), User: user, Label: label}
	err = s.db.Write(ctx, s.pack.Tenant, func(tx *store.Tx) error {
		if err := tx.AddToken(ctx, t); err != nil {
			return err
		}
		return tx.Audit(ctx, &store.AuditEntry{Actor: by.Name, Remote: by.Remote, Action: store.AuditTokenCreate,
			Object: fmt.Sprintf("token %d", t.ID), Detail: "用户 " + user + " 的令牌", DetailEn: "for user " + user, Org: org})
	})
	if err != nil {
		return "", 0, err
	}
	return value, t.ID, nil
}

// Token returns the principal of an API token's value; false when it is not a live
// token of an enabled user.
func (s *Service) Token(ctx context.Context, value string) (Principal, bool, error) {
	if !looksLikeToken(value) {
		return Principal{}, false, nil
	}
	// Tokens and sessions are remembered side by side: their secrets, and so their
	// hashes, differ.
	h := hashSecret(value)
	p, ok, now, err := s.recall(ctx, h)
	if ok || err != nil {
		return p, ok, err
	}
	defer s.checked.done(h)
	t, ok, err := s.db.TokenByHash(ctx, s.pack.Tenant, h)
	if err != nil || !ok || t.Revoked {
		return Principal{}, false, err
	}
	u, err := s.activeUser(ctx, t.User)
	if u == nil {
		return Principal{}, false, err
	}
	if now.Sub(t.UsedAt) > time.Minute && s.checked.used(h, now) {
		// In the background, as a session's use (touch): the write waits for any
		// import holding the database, and the request must not.
		go func() {
			defer s.checked.touched(h)
			_ = s.db.TouchToken(context.Background(), s.pack.Tenant, t.ID, now) // a failure: the next read tries again
		}()
	}
	p = principal(u)
	s.checked.put(h, p, now.Add(s.SessionRecheck), now)
	return p, true, nil
}

// Tokens lists the tokens of a user (everyone's when user is empty), never their values.
func (s *Service) Tokens(ctx context.Context, user string) ([]store.Token, error) {
	return s.db.Tokens(ctx, s.pack.Tenant, user)
}

// RevokeToken revokes a token by id.
func (s *Service) RevokeToken(ctx context.Context, by Actor, id int64) error {
	defer s.checked.forget()
	tokens, err := s.db.Tokens(ctx, s.pack.Tenant, "")
	if err != nil {
		return err
	}
	org := ""
	if i := slices.IndexFunc(tokens, func(t store.Token) bool { return t.ID == id }); i >= 0 {
		if org, err = s.userOrg(ctx, tokens[i].User); err != nil {
			return err
		}
	}
	return s.db.Write(ctx, s.pack.Tenant, func(tx *store.Tx) error {
		if err := tx.RevokeToken(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, &store.AuditEntry{Actor: by.Name, Remote: by.Remote, Action: store.AuditTokenRevoke,
			Object: fmt.Sprintf("token %d", id), Org: org})
	})
}

// FirstAdmin creates the first admin ("admin", on the city) with a random password
// when the database has no user yet, and returns the password to be printed once; ""
// when there were users already.
func (s *Service) FirstAdmin(ctx context.Context) (string, error) {
	n, err := s.db.UserCount(ctx, s.pack.Tenant)
	if err != nil || n > 0 {
		return "", err
	}
	return s.AddUser(ctx, Actor{Name: "eduplan", Remote: "first start"}, NewUser{Name: "admin", Role: Admin, Org: s.pack.Tenant})
}

// Principal returns the principal of a user by name (for the CLI acting as a user).
func (s *Service) Principal(ctx context.Context, name string) (Principal, error) {
	u, err := s.db.User(ctx, s.pack.Tenant, name)
	if err != nil {
		return Principal{}, err
	}
	if u.Disabled {
		return Principal{}, plan.Errorf(plan.EFORBIDDEN, "用户 %q 已停用", "user %q is disabled", name)
	}
	return principal(u), nil
}

// orgOf is the org unit of the plan a grant lies in, which the audit log files the
// entries about its user under: the grant's org, or a school clerk's institution's
// district ("" if the institution is on no roster).
func (s *Service) orgOf(ctx context.Context, role Role, org string) (string, error) {
	if role != SchoolClerk {
		return org, nil
	}
	d, _, err := s.db.InstitutionDistrict(ctx, s.pack.Tenant, org)
	return d, err
}

// userOrg is orgOf of a user by name; "" when there is no such user.
func (s *Service) userOrg(ctx context.Context, name string) (string, error) {
	u, err := s.db.User(ctx, s.pack.Tenant, name)
	if plan.ErrorCode(err) == plan.ENOTFOUND {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return s.orgOf(ctx, Role(u.Role), u.Org)
}
