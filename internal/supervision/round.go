package supervision

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// What a round assesses.
const (
	KindStandard   = "standard"   // a supervision standard of the pack (computed)
	KindIndicators = "indicators" // the plan's headline indicators (computed)
	KindLedger     = "ledger"     // the main tasks: each district reports its own progress
	KindChecklist  = "checklist"  // a checklist of the pack
	// KindCommitments is the plan's further quantified commitments (承诺事项) defined at
	// district level (computed, judged as progress judges them).
	KindCommitments = "commitments"
)

// Kinds lists what a round may assess.
var Kinds = []string{KindStandard, KindIndicators, KindCommitments, KindLedger, KindChecklist}

// Service runs the loop over a database for a pack.
type Service struct {
	DB   *store.DB
	Pack *plan.Pack
	// Engine returns the current indicator values: what computed items are filled from
	// (and compared with once frozen). Nil leaves computed items empty.
	Engine func() *indicator.Engine
	// Now is the current time, for what is overdue; nil is time.Now.
	Now func() time.Time
	// Zone is the zone of due dates; nil is Asia/Shanghai's offset.
	Zone *time.Location
}

// Actor is who takes a step and from where.
type Actor struct {
	auth.Principal
	Remote string
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// today is the date in the plan's zone, YYYY-MM-DD, for due dates.
func (s *Service) today() string {
	z := s.Zone
	if z == nil {
		z = time.FixedZone("CST", 8*3600)
	}
	return s.now().In(z).Format(time.DateOnly)
}

// districtOf is the district an org belongs to: "" for the city and a district itself,
// the institution's district for an institution ("" when unknown).
func (s *Service) districtOf(org string) string {
	if s.Pack.Org(org) != nil {
		return ""
	}
	if s.Engine != nil {
		if d, ok := s.Engine().District(org); ok {
			return d
		}
	}
	return ""
}

// orgName names an org unit or institution.
func (s *Service) orgName(code string) (zh, en string) {
	if o := s.Pack.Org(code); o != nil {
		return o.Name, o.NameEn
	}
	if s.Engine != nil {
		if zh, en, ok := s.Engine().OrgName(code); ok {
			return zh, en
		}
	}
	return code, code
}

// NewRound is what opens a round.
type NewRound struct {
	Title string
	Kind  string // KindStandard...
	// Subject is the standard's or checklist's code.
	Subject string
	Year    int
	// Orgs are the districts (or, for a checklist at institution level, the
	// institutions) covered; none covers every district, or every institution of the
	// checklist's types.
	Orgs                           []string
	SelfDue, VerifyDue, RectifyDue string
}

// Level returns the level of orgs a round of the kind covers.
func (s *Service) level(kind, subject string) string {
	if kind == KindChecklist {
		if c := s.Pack.Checklist(subject); c != nil && c.Level == plan.LevelInstitutionRound {
			return plan.LevelInstitutionRound
		}
	}
	return plan.LevelDistrictRound
}

func checkDate(field, d string) error {
	if d == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, d); err != nil {
		return plan.Errorf(plan.EINVALID, "%s 不是日期（YYYY-MM-DD）：%q", "%s is not a date (YYYY-MM-DD): %q", field, d)
	}
	return nil
}

// checkRound validates what opens a round and fills in its covered orgs.
func (s *Service) checkRound(nr *NewRound) error {
	if strings.TrimSpace(nr.Title) == "" {
		return plan.Errorf(plan.EINVALID, "督导轮次需要标题", "a round needs a title")
	}
	switch nr.Kind {
	case KindStandard:
		if s.Pack.Standard(nr.Subject) == nil {
			return plan.Errorf(plan.ENOTFOUND, "督导评估标准 %q 不存在", "no standard %q", nr.Subject)
		}
	case KindChecklist:
		if s.Pack.Checklist(nr.Subject) == nil {
			return plan.Errorf(plan.ENOTFOUND, "规划包中没有清单 %q", "the pack has no checklist %q", nr.Subject)
		}
	case KindIndicators, KindCommitments, KindLedger:
		nr.Subject = ""
	default:
		return plan.Errorf(plan.EINVALID, "督导内容 %q 无效，应为 %s", "%q is not what a round assesses: expected %s", nr.Kind, strings.Join(Kinds, ", "))
	}
	if nr.Year < s.Pack.BaselineYear || nr.Year > s.Pack.TargetYear+10 {
		return plan.Errorf(plan.EINVALID, "年份 %d 不在规划期内", "year %d is outside the plan", nr.Year)
	}
	for f, d := range map[string]string{"self_due": nr.SelfDue, "verify_due": nr.VerifyDue, "rectify_due": nr.RectifyDue} {
		if err := checkDate(f, d); err != nil {
			return err
		}
	}
	level := s.level(nr.Kind, nr.Subject)
	if len(nr.Orgs) == 0 {
		nr.Orgs = s.defaultOrgs(nr, level)
	}
	if len(nr.Orgs) == 0 {
		return plan.Errorf(plan.EINVALID, "督导轮次没有覆盖任何单位", "the round covers no org")
	}
	for _, o := range nr.Orgs {
		if level == plan.LevelDistrictRound {
			if org := s.Pack.Org(o); org == nil || org.Level != plan.LevelDistrict {
				return plan.Errorf(plan.EINVALID, "%s 不是区市", "%s is not a district", o)
			}
		} else if s.districtOf(o) == "" {
			return plan.Errorf(plan.EINVALID, "%s 不是已知的学校（机构）", "%s is not a known institution", o)
		}
	}
	slices.Sort(nr.Orgs)
	nr.Orgs = slices.Compact(nr.Orgs)
	return nil
}

// defaultOrgs are every district, or every institution of the checklist's types.
func (s *Service) defaultOrgs(nr *NewRound, level string) []string {
	var out []string
	if level == plan.LevelDistrictRound {
		for _, d := range s.Pack.Districts() {
			out = append(out, d.Code)
		}
		return out
	}
	if s.Engine == nil {
		return nil
	}
	c := s.Engine().Cube()
	types := s.Pack.Checklist(nr.Subject).Types
	for code, in := range c.Institutions(nr.Year) {
		if len(types) == 0 || slices.Contains(types, in.Type) {
			out = append(out, code)
		}
	}
	return out
}

// OpenRound opens a round over its orgs, each with a self-evaluation in draft. The
// opener's scope must cover every covered org.
func (s *Service) OpenRound(ctx context.Context, a Actor, nr NewRound) (store.SupRound, error) {
	if err := s.checkRound(&nr); err != nil {
		return store.SupRound{}, err
	}
	for _, o := range nr.Orgs {
		if _, err := Check(Attempt{Entity: Round, Action: ActOpen, From: None, Org: o, District: s.districtOf(o)}, a.Principal, s.Pack.Tenant); err != nil {
			return store.SupRound{}, err
		}
	}
	r := store.SupRound{Title: strings.TrimSpace(nr.Title), SubjectKind: nr.Kind, Subject: nr.Subject, Year: nr.Year,
		Level: s.level(nr.Kind, nr.Subject), Orgs: nr.Orgs, SelfDue: nr.SelfDue, VerifyDue: nr.VerifyDue, RectifyDue: nr.RectifyDue,
		Status: Open, CreatedBy: a.User}
	err := s.DB.Write(ctx, s.Pack.Tenant, func(tx *store.Tx) error {
		if err := tx.AddRound(ctx, &r); err != nil {
			return err
		}
		for _, o := range r.Orgs {
			if err := tx.PutEval(ctx, store.SupEval{Round: r.ID, Org: o, Status: Draft}); err != nil {
				return err
			}
		}
		return s.step(ctx, tx, a, store.SupStep{Entity: string(Round), Round: r.ID, Action: ActOpen, From: None, To: Open, Note: r.Title},
			s.Pack.Tenant, fmt.Sprintf("%s，%d 年，%d 个单位", r.Title, r.Year, len(r.Orgs)), fmt.Sprintf("%s, %d, %d orgs", r.Title, r.Year, len(r.Orgs)))
	})
	return r, err
}

// CloseRound closes a round: its self-evaluations can no longer change (its cases go on).
func (s *Service) CloseRound(ctx context.Context, a Actor, id int64) error {
	return s.DB.Write(ctx, s.Pack.Tenant, func(tx *store.Tx) error {
		r, err := s.roundIn(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, o := range r.Orgs {
			if _, err := Check(Attempt{Entity: Round, Action: ActClose, From: r.Status, Org: o, District: s.districtOf(o)}, a.Principal, s.Pack.Tenant); err != nil {
				return err
			}
		}
		if err := tx.SetRoundStatus(ctx, id, Closed); err != nil {
			return err
		}
		return s.step(ctx, tx, a, store.SupStep{Entity: string(Round), Round: id, Action: ActClose, From: r.Status, To: Closed},
			s.Pack.Tenant, "关闭 "+r.Title, "closed "+r.Title)
	})
}

func (s *Service) roundIn(ctx context.Context, tx *store.Tx, id int64) (store.SupRound, error) {
	r, ok, err := tx.Supervision().Round(ctx, id)
	if err != nil {
		return r, err
	}
	if !ok {
		return r, errNoRound(id)
	}
	return r, nil
}

func errNoRound(id int64) error {
	return plan.Errorf(plan.ENOTFOUND, "督导轮次 %d 不存在", "no round %d", id)
}

// step records a step and its audit entry in the transaction. The audit entry is filed
// under the step's district (or the city).
func (s *Service) step(ctx context.Context, tx *store.Tx, a Actor, st store.SupStep, org, zh, en string) error {
	st.Actor, st.Role, st.Remote = a.User, string(a.Role), a.Remote
	if err := tx.AddStep(ctx, &st); err != nil {
		return err
	}
	action := map[string]string{string(Round): store.AuditSupRound, string(Evaluation): store.AuditSupEval,
		string(Item): store.AuditSupItem, string(Case): store.AuditSupCase}[st.Entity]
	object := fmt.Sprintf("round %d", st.Round)
	if st.Case != 0 {
		object = fmt.Sprintf("case %d", st.Case)
	} else if st.Org != "" {
		object += " " + st.Org
		if st.Item != "" {
			object += " " + st.Item
		}
	}
	auditOrg := s.Pack.Tenant
	if d := s.districtOf(org); d != "" {
		auditOrg = d
	} else if o := s.Pack.Org(org); o != nil {
		auditOrg = o.Code
	}
	azh, aen := ActionLabel(Entity(st.Entity), st.Action)
	fzh, fen := StateLabel(Entity(st.Entity), st.From)
	tzh, ten := StateLabel(Entity(st.Entity), st.To)
	return tx.Audit(ctx, &store.AuditEntry{Actor: a.User, Remote: a.Remote, Action: action, Object: object, Org: auditOrg,
		Detail:   fmt.Sprintf("%s：%s → %s；%s", azh, fzh, tzh, zh),
		DetailEn: fmt.Sprintf("%s: %s → %s; %s", aen, fen, ten, en)})
}

// Allowed returns the steps the actor may take on an entity of org in state from.
func (s *Service) Allowed(a Actor, e Entity, from, org string) []string {
	return Allowed(a.Principal, s.Pack.Tenant, e, from, org, s.districtOf(org))
}

// Owns reports whether the actor is on the owners' side of an org's self-evaluation or
// case (and not only an admin, who is on both).
func (s *Service) Owns(a Actor, org string) bool {
	return a.Role != auth.Admin && slices.Contains(sideRoles[Owner], a.Role) && Covers(a.Principal, s.Pack.Tenant, org, s.districtOf(org))
}
