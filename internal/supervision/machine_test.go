package supervision_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/plan"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
)

// want is the loop's transitions as this test expects them, written out apart from
// the machine's table: the step, the states it may be taken from, the state it leads to
// ("" stays), and who takes it: "owner" (admin, district officer, school clerk of the
// org) or "overseer" (admin, analyst, inspector over the org).
var want = map[string]struct {
	from []string
	to   string
	side string
}{
	"round/open":        {[]string{""}, "open", "overseer"},
	"round/close":       {[]string{"open"}, "closed", "overseer"},
	"evaluation/save":   {[]string{"draft", "returned"}, "", "owner"},
	"evaluation/submit": {[]string{"draft", "returned"}, "submitted", "owner"},
	"evaluation/return": {[]string{"submitted"}, "returned", "overseer"},
	"evaluation/verify": {[]string{"submitted"}, "verified", "overseer"},
	"item/accept":       {[]string{"pending", "returned"}, "accepted", "overseer"},
	"item/return":       {[]string{"pending", "accepted"}, "returned", "overseer"},
	"item/resubmit":     {[]string{"accepted", "returned"}, "pending", "owner"},
	"case/raise":        {[]string{""}, "open", "overseer"},
	"case/report":       {[]string{""}, "open", "owner"},
	"case/start":        {[]string{"open", "reopened"}, "in_progress", "owner"},
	"case/submit":       {[]string{"in_progress", "reopened"}, "submitted", "owner"},
	"case/close":        {[]string{"submitted"}, "closed", "overseer"},
	"case/reopen":       {[]string{"submitted", "closed"}, "reopened", "overseer"},
	"case/interview":    {[]string{"open", "in_progress", "submitted", "reopened"}, "", "overseer"},
	"case/notice":       {[]string{"open", "in_progress", "submitted", "reopened"}, "", "overseer"},
}

var sideOf = map[auth.Role][]string{
	auth.Admin:           {"owner", "overseer"},
	auth.Analyst:         {"overseer"},
	auth.Inspector:       {"overseer"},
	auth.DistrictOfficer: {"owner"},
	auth.SchoolClerk:     {"owner"},
	auth.Public:          nil,
}

// TestEveryStepHasRule fails on a step without a rule, a rule this test does not
// expect, and a step the machine lists under no entity.
func TestEveryStepHasRule(t *testing.T) {
	for e, actions := range sv.Actions {
		for _, a := range actions {
			if sv.RuleOf(e, a) == nil {
				t.Errorf("%s/%s has no rule", e, a)
			}
			if _, ok := want[string(e)+"/"+a]; !ok {
				t.Errorf("%s/%s: a step this test does not expect; add it to want", e, a)
			}
		}
	}
	for _, r := range sv.Rules {
		if !slices.Contains(sv.Actions[r.Entity], r.Action) {
			t.Errorf("rule %s/%s is not listed in Actions", r.Entity, r.Action)
		}
	}
	if n := len(sv.Rules); n != len(want) {
		t.Errorf("%d rules, want %d", n, len(want))
	}
}

// TestTransitions takes every step from every state of its entity, as every role, on an
// org inside and outside the role's scope, and checks the outcome against want: allowed
// and leading to the right state, or refused with the right code and both languages.
func TestTransitions(t *testing.T) {
	const tenant, district, other, school = "370600", "370602", "370612", "P1"
	roles := append(slices.Clone(auth.Roles), auth.Public)
	// Each role granted where it is usually granted; "in" is an org of its scope, "out"
	// one outside it (none for a city-wide grant).
	grants := map[auth.Role]string{auth.Admin: tenant, auth.Analyst: tenant, auth.Inspector: district,
		auth.DistrictOfficer: district, auth.SchoolClerk: school, auth.Public: tenant}
	type target struct{ org, district string }
	in := map[auth.Role]target{auth.Admin: {school, district}, auth.Analyst: {other, ""}, auth.Inspector: {school, district},
		auth.DistrictOfficer: {school, district}, auth.SchoolClerk: {school, district}, auth.Public: {district, ""}}
	out := map[auth.Role]target{auth.Inspector: {other, ""}, auth.DistrictOfficer: {"M1", other}, auth.SchoolClerk: {"J1", district}}
	n := 0
	for e, actions := range sv.Actions {
		for _, action := range actions {
			w := want[string(e)+"/"+action]
			for _, from := range sv.States[e] {
				for _, role := range roles {
					p := auth.Principal{User: "u", Role: role, Org: grants[role]}
					for _, scope := range []string{"in", "out"} {
						tg := in[role]
						if scope == "out" {
							var ok bool
							if tg, ok = out[role]; !ok {
								continue
							}
						}
						n++
						name := fmt.Sprintf("%s/%s from %q by %s %s scope", e, action, from, role, scope)
						to, err := sv.Check(sv.Attempt{Entity: e, Action: action, From: from, Org: tg.org, District: tg.district, Note: "理由"}, p, tenant)
						mayRole := slices.Contains(sideOf[role], w.side)
						mayState := slices.Contains(w.from, from)
						switch {
						case !mayRole || scope == "out":
							expectCode(t, name, err, plan.EFORBIDDEN)
						case !mayState:
							expectCode(t, name, err, plan.ECONFLICT)
						case err != nil:
							t.Errorf("%s: refused: %v", name, err)
						default:
							wantTo := w.to
							if wantTo == "" {
								wantTo = from
							}
							if to != wantTo {
								t.Errorf("%s: led to %q, want %q", name, to, wantTo)
							}
						}
					}
				}
			}
		}
	}
	if n < 500 {
		t.Errorf("only %d cases tried", n)
	}
}

func expectCode(t *testing.T, name string, err error, code string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: allowed, want %s", name, code)
		return
	}
	if got := plan.ErrorCode(err); got != code {
		t.Errorf("%s: %s (%v), want %s", name, got, err, code)
	}
	zh, en := plan.ErrorMessages(err)
	if zh == "" || en == "" || zh == en || strings.Contains(zh+en, "%!") {
		t.Errorf("%s: messages %q / %q, want both languages", name, zh, en)
	}
}

// TestStepNeedsReason: returning, raising, reopening, 约谈 and 通报 must say why.
func TestStepNeedsReason(t *testing.T) {
	p := auth.Principal{User: "insp", Role: auth.Inspector, Org: "370600"}
	for _, c := range []struct {
		e            sv.Entity
		action, from string
	}{{sv.Evaluation, sv.ActReturn, sv.Submitted}, {sv.Item, sv.ActReturn, sv.Pending}, {sv.Case, sv.ActRaise, sv.None},
		{sv.Case, sv.ActReopen, sv.Closed}, {sv.Case, sv.ActInterview, sv.Open}, {sv.Case, sv.ActNotice, sv.InProgress}} {
		_, err := sv.Check(sv.Attempt{Entity: c.e, Action: c.action, From: c.from, Org: "370602", Note: "  "}, p, "370600")
		expectCode(t, string(c.e)+"/"+c.action, err, plan.EINVALID)
	}
	_, err := sv.Check(sv.Attempt{Entity: sv.Case, Action: "delete", From: sv.Open, Org: "370602"}, p, "370600")
	expectCode(t, "case/delete", err, plan.EINVALID)
}

// TestRefusalEnglish: a refusal's English says the step in words written for it — no
// "closeed", "submited", "verifyed", no "given a close on re-check", no "a inspector".
func TestRefusalEnglish(t *testing.T) {
	city := auth.Principal{User: "admin", Role: auth.Admin, Org: "370600"}
	for _, c := range []struct {
		e            sv.Entity
		action, from string
		p            auth.Principal
		org, note    string
		want         string
	}{
		{sv.Round, sv.ActClose, sv.Closed, city, "370602", "-", "the round is closed and cannot be closed"},
		{sv.Evaluation, sv.ActSave, sv.Submitted, city, "370602", "-", "the self-evaluation is submitted and cannot be saved"},
		{sv.Evaluation, sv.ActSubmit, sv.Verified, city, "370602", "-", "the self-evaluation is verified and cannot be submitted"},
		{sv.Evaluation, sv.ActVerify, sv.Draft, city, "370602", "-", "the self-evaluation is a draft and cannot be verified"},
		{sv.Item, sv.ActAccept, sv.Accepted, city, "370602", "-", "the item is accepted and cannot be accepted"},
		{sv.Case, sv.ActRaise, sv.Open, city, "370602", "-", "the case is open and cannot be raised"},
		{sv.Case, sv.ActStart, sv.Closed, city, "370602", "-", "the case is closed and cannot have its rectification started"},
		{sv.Case, sv.ActSubmit, sv.Closed, city, "370602", "-", "the case is closed and cannot be submitted for re-check"},
		{sv.Case, sv.ActClose, sv.Open, city, "370602", "-", "the case is open and cannot be closed on re-check"},
		{sv.Case, sv.ActReopen, sv.InProgress, city, "370602", "-", "the case is in progress and cannot be reopened on re-check"},
		{sv.Case, sv.ActInterview, sv.Closed, city, "370602", "-", "the case is closed and cannot have an interview (约谈) recorded"},
		{sv.Case, sv.ActNotice, sv.Closed, city, "370602", "-", "the case is closed and cannot have a notice (通报) recorded"},
		{sv.Evaluation, sv.ActVerify, sv.Submitted, auth.Principal{Role: auth.DistrictOfficer, Org: "370602"}, "370602", "-",
			"a district officer may not verify a self-evaluation"},
		{sv.Case, sv.ActSubmit, sv.InProgress, auth.Principal{Role: auth.Inspector, Org: "370600"}, "370602", "-",
			"an inspector may not submit a case for re-check"},
		{sv.Evaluation, sv.ActSave, sv.Draft, auth.Principal{Role: auth.DistrictOfficer, Org: "370612"}, "370602", "-",
			"370602 is outside your scope: you may not save a self-evaluation there"},
		{sv.Item, sv.ActReturn, sv.Pending, city, "370602", "", "to return the item, say why"},
		{sv.Case, sv.ActReopen, sv.Closed, city, "370602", "", "to reopen the case on re-check, say why"},
		{sv.Case, "delete", sv.Open, city, "370602", "-", `there is no step "delete" on a case`},
	} {
		_, err := sv.Check(sv.Attempt{Entity: c.e, Action: c.action, From: c.from, Org: c.org, Note: c.note}, c.p, "370600")
		if _, en := plan.ErrorMessages(err); en != c.want {
			t.Errorf("%s/%s from %q by %s: %q, want %q", c.e, c.action, c.from, c.p.Role, en, c.want)
		}
	}

	// Every refusal of every step, from every state, by every role, in and out of scope.
	bad := regexp.MustCompile(`\w(eed|ited|yed)\b|given a|take the step|\ban? (a|an)\b|\ba [aeiou]|\ban [^aeiou(]|%!|  `)
	roles := append(slices.Clone(auth.Roles), auth.Public)
	n := 0
	for e, actions := range sv.Actions {
		for _, action := range actions {
			for _, from := range sv.States[e] {
				for _, role := range roles {
					for _, org := range []string{"370602", "370612"} {
						for _, note := range []string{"理由", ""} {
							p := auth.Principal{User: "u", Role: role, Org: "370602"}
							_, err := sv.Check(sv.Attempt{Entity: e, Action: action, From: from, Org: org, Note: note}, p, "370600")
							if err == nil {
								continue
							}
							n++
							if _, en := plan.ErrorMessages(err); bad.MatchString(en) {
								t.Errorf("%s/%s from %q by %s on %s: %q", e, action, from, role, org, en)
							}
						}
					}
				}
			}
		}
	}
	if n < 500 {
		t.Errorf("only %d refusals read", n)
	}
}
