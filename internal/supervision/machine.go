// Package supervision runs the supervision loop (督导): rounds of supervision over
// districts or institutions, each covered org's self-evaluation (自评) with its computed
// values frozen at submission, the city's verification (市级验证) item by item,
// findings, and cases (整改, 校园安全隐患) from open to closed with 约谈 and 通报 on the
// way; the evidence files behind any of it; what awaits each user; a round's reports.
//
// It sits beside ledger and standards in the flow: web and cmd call it; it reads
// indicator (for computed items), standards, plan and auth, and writes store. Every
// change is a step of one state machine (this file): allowed to a role on one side
// (the evaluated org's or the overseers'), within the caller's scope, recorded and
// audited; nothing is undone except by a later step.
package supervision

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// Entity is what a step acts on.
type Entity string

// The entities.
const (
	Round      Entity = "round"
	Evaluation Entity = "evaluation"
	Item       Entity = "item"
	Case       Entity = "case"
)

// States of each entity. An item's state is the verdict on it; a round or case not yet
// made is in state None.
const (
	None = ""
	// rounds
	Open   = "open"
	Closed = "closed"
	// evaluations
	Draft     = "draft"
	Submitted = "submitted"
	Returned  = "returned"
	Verified  = "verified"
	// items
	Pending  = "pending"
	Accepted = "accepted"
	// cases (and Open, Submitted, Closed)
	InProgress = "in_progress"
	Reopened   = "reopened"
)

// States lists each entity's states, for tables that must cover them all.
var States = map[Entity][]string{
	Round:      {None, Open, Closed},
	Evaluation: {Draft, Submitted, Returned, Verified},
	Item:       {Pending, Accepted, Returned},
	Case:       {None, Open, InProgress, Submitted, Closed, Reopened},
}

// Side is whose step it is: the evaluated org's (a district officer of the district, a
// school clerk of the school) or the overseers' (inspectors, analysts).
type Side int

// The sides.
const (
	Owner Side = iota
	Overseer
)

// Roles of each side. An admin is on both.
var sideRoles = map[Side][]auth.Role{
	Owner:    {auth.Admin, auth.DistrictOfficer, auth.SchoolClerk},
	Overseer: {auth.Admin, auth.Analyst, auth.Inspector},
}

// Rule is one transition: the step Action on an entity in one of From moves it to To
// ("" when it stays where it is), by a role of Side within scope. NeedNote: the step
// must say why.
type Rule struct {
	Entity   Entity
	Action   string
	From     []string
	To       string
	Side     Side
	NeedNote bool
}

// Actions of the steps.
const (
	ActOpen      = "open"      // open a round
	ActClose     = "close"     // close a round; close a case on re-check (复查通过)
	ActSave      = "save"      // save a self-evaluation's answers
	ActSubmit    = "submit"    // submit a self-evaluation; submit a case for re-check
	ActReturn    = "return"    // return a self-evaluation, or an item
	ActVerify    = "verify"    // verify a self-evaluation (市级验证通过)
	ActAccept    = "accept"    // accept an item
	ActResubmit  = "resubmit"  // put an item back to review: returned, or changed since accepted
	ActRaise     = "raise"     // raise a finding: a case of a finding's type
	ActReport    = "report"    // report a case (a safety hazard)
	ActStart     = "start"     // start rectifying
	ActReopen    = "reopen"    // reopen a case (复查未通过)
	ActInterview = "interview" // 约谈
	ActNotice    = "notice"    // 通报
)

var openCase = []string{Open, InProgress, Submitted, Reopened}

// Rules is the one table of the loop's transitions. A step not here is refused (and a
// test fails on a step without a rule).
var Rules = []Rule{
	{Round, ActOpen, []string{None}, Open, Overseer, false},
	{Round, ActClose, []string{Open}, Closed, Overseer, false},
	{Evaluation, ActSave, []string{Draft, Returned}, "", Owner, false},
	{Evaluation, ActSubmit, []string{Draft, Returned}, Submitted, Owner, false},
	{Evaluation, ActReturn, []string{Submitted}, Returned, Overseer, true},
	{Evaluation, ActVerify, []string{Submitted}, Verified, Overseer, false},
	{Item, ActAccept, []string{Pending, Returned}, Accepted, Overseer, false},
	{Item, ActReturn, []string{Pending, Accepted}, Returned, Overseer, true},
	{Item, ActResubmit, []string{Accepted, Returned}, Pending, Owner, false},
	{Case, ActRaise, []string{None}, Open, Overseer, true},
	{Case, ActReport, []string{None}, Open, Owner, true},
	{Case, ActStart, []string{Open, Reopened}, InProgress, Owner, false},
	{Case, ActSubmit, []string{InProgress, Reopened}, Submitted, Owner, true},
	{Case, ActClose, []string{Submitted}, Closed, Overseer, false},
	{Case, ActReopen, []string{Submitted, Closed}, Reopened, Overseer, true},
	{Case, ActInterview, openCase, "", Overseer, true},
	{Case, ActNotice, openCase, "", Overseer, true},
}

// Actions lists each entity's steps.
var Actions = map[Entity][]string{
	Round:      {ActOpen, ActClose},
	Evaluation: {ActSave, ActSubmit, ActReturn, ActVerify},
	Item:       {ActAccept, ActReturn, ActResubmit},
	Case:       {ActRaise, ActReport, ActStart, ActSubmit, ActClose, ActReopen, ActInterview, ActNotice},
}

// RuleOf returns the rule of a step, or nil.
func RuleOf(e Entity, action string) *Rule {
	for i := range Rules {
		if Rules[i].Entity == e && Rules[i].Action == action {
			return &Rules[i]
		}
	}
	return nil
}

// Covers reports whether a principal's scope holds an org: the city's whole tenant, its
// own org, or an institution of its district (district is the org's district, "" for
// the city and districts themselves).
func Covers(p auth.Principal, tenant, org, district string) bool {
	return p.Org == tenant || p.Org == org || (district != "" && p.Org == district)
}

// Attempt is a step someone tries: the step Action on an entity of Org (whose district
// is District, "" for the city or a district) that is in state From, with a Note.
type Attempt struct {
	Entity   Entity
	Action   string
	From     string
	Org      string
	District string
	Note     string
}

// Check decides whether p may take the step and returns the state it moves to. It
// refuses, with a coded bilingual error, a step with no rule (EINVALID), a role not on
// the rule's side or an org outside the scope (EFORBIDDEN), a step the state does not
// allow (ECONFLICT), and a step that must say why without a note (EINVALID).
func Check(at Attempt, p auth.Principal, tenant string) (string, error) {
	e, action, from, org, district := at.Entity, at.Action, at.From, at.Org, at.District
	r := RuleOf(e, action)
	if r == nil {
		return "", plan.Errorf(plan.EINVALID, "没有“%[1]s”这一步骤（%[2]s）", "there is no step %[1]q on %[3]s", action, e, entityAEn(e))
	}
	azh, _ := ActionLabel(e, action)
	ezh, een := EntityLabel(e)
	en := actionEnOf(e, action)
	if !slices.Contains(sideRoles[r.Side], p.Role) {
		rzh, _ := RoleLabel(p.Role)
		return "", plan.Errorf(plan.EFORBIDDEN, "%[1]s不能对%[3]s执行“%[2]s”", "%[4]s may not %[5]s", rzh, azh, ezh, roleAEn(p.Role), fmt.Sprintf(en.Do, entityAEn(e)))
	}
	if !Covers(p, tenant, org, district) {
		return "", plan.Errorf(plan.EFORBIDDEN, "%[1]s 不在您的管辖范围内，不能%[2]s", "%[1]s is outside your scope: you may not %[3]s there", org, azh, fmt.Sprintf(en.Do, entityAEn(e)))
	}
	if !slices.Contains(r.From, from) {
		szh, _ := StateLabel(e, from)
		return "", plan.Errorf(plan.ECONFLICT, "%[1]s当前状态为“%[2]s”，不能%[3]s", "the %[4]s is %[5]s and cannot %[6]s", ezh, szh, azh, een, stateIsEn(e, from), en.Cannot)
	}
	if r.NeedNote && strings.TrimSpace(at.Note) == "" {
		return "", plan.Errorf(plan.EINVALID, "%[1]s须说明理由", "to %[2]s, say why", azh, fmt.Sprintf(en.Do, "the "+een))
	}
	if r.To == "" {
		return from, nil
	}
	return r.To, nil
}

// Allowed returns the steps p may take on an entity of org in state from, for a page to
// offer only those (a step that must say why is offered; its form asks for the note).
func Allowed(p auth.Principal, tenant string, e Entity, from, org, district string) []string {
	var out []string
	for _, a := range Actions[e] {
		if _, err := Check(Attempt{Entity: e, Action: a, From: from, Org: org, District: district, Note: "-"}, p, tenant); err == nil {
			out = append(out, a)
		}
	}
	return out
}
