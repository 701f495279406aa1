package supervision

import (
	"context"
	"slices"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/store"
)

// RoundView is a round with what its subject is called and how far its evaluations
// have come, as the actor may see it.
type RoundView struct {
	store.SupRound
	SubjectName   string `json:"subject_name"`
	SubjectNameEn string `json:"subject_name_en"`
	// Evals are the self-evaluations the actor may see, and Counts how many are in each
	// state.
	Evals  []store.SupEval `json:"evaluations"`
	Counts map[string]int  `json:"counts"`
}

// SubjectName names what a round assesses.
func (s *Service) SubjectName(r store.SupRound) (zh, en string) {
	switch r.SubjectKind {
	case KindStandard:
		if st := s.Pack.Standard(r.Subject); st != nil {
			return st.Name, st.NameEn
		}
	case KindChecklist:
		if c := s.Pack.Checklist(r.Subject); c != nil {
			return c.Name, c.NameEn
		}
	case KindIndicators:
		return "规划主要指标", "The plan's headline indicators"
	case KindCommitments:
		return "规划承诺事项", "The plan's commitments"
	case KindLedger:
		return "主要任务台账（区市）", "Main tasks ledger (by district)"
	}
	return r.Subject, r.Subject
}

// Rounds returns the rounds that cover an org the actor's scope holds, newest first.
func (s *Service) Rounds(ctx context.Context, a Actor) ([]RoundView, error) {
	sup := s.DB.Supervision(s.Pack.Tenant)
	rs, err := sup.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	evals, err := sup.Evals(ctx, 0)
	if err != nil {
		return nil, err
	}
	var out []RoundView
	for _, r := range rs {
		v := RoundView{SupRound: r, Counts: map[string]int{}}
		v.SubjectName, v.SubjectNameEn = s.SubjectName(r)
		for _, e := range evals {
			if e.Round == r.ID && s.reads(a, e.Org) {
				v.Evals = append(v.Evals, e)
				v.Counts[e.Status]++
			}
		}
		if len(v.Evals) > 0 {
			out = append(out, v)
		}
	}
	return out, nil
}

// RoundDetail returns one round as the actor may see it.
func (s *Service) RoundDetail(ctx context.Context, a Actor, id int64) (*RoundView, error) {
	rs, err := s.Rounds(ctx, a)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		if rs[i].ID == id {
			return &rs[i], nil
		}
	}
	return nil, errNoRound(id)
}

// Task is one thing awaiting a user: an evaluation to write, verify or revise, a case
// to rectify or re-check.
type Task struct {
	Kind      string `json:"kind"` // evaluation or case
	Round     int64  `json:"round,omitempty"`
	Case      int64  `json:"case,omitempty"`
	Org       string `json:"org"`
	OrgName   string `json:"org_name"`
	OrgNameEn string `json:"org_name_en"`
	Title     string `json:"title"`
	State     string `json:"state"`
	// Action is the step awaited (submit, verify, start, submit for re-check, close).
	Action  string `json:"action"`
	Due     string `json:"due,omitempty"`
	Overdue bool   `json:"overdue,omitempty"`
}

// Inbox returns what awaits the actor (待办): on the owners' side, self-evaluations to
// write or revise and cases to rectify; on the overseers', self-evaluations to verify
// and cases to re-check; each within the actor's scope, overdue first.
func (s *Service) Inbox(ctx context.Context, a Actor) ([]Task, error) {
	owner := slices.Contains(sideRoles[Owner], a.Role) && a.Role != auth.Admin
	overseer := slices.Contains(sideRoles[Overseer], a.Role)
	sup := s.DB.Supervision(s.Pack.Tenant)
	rs, err := sup.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	today := s.today()
	var out []Task
	evals, err := sup.Evals(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.Status != Open {
			continue
		}
		for _, e := range evals {
			if e.Round != r.ID || !s.reads(a, e.Org) {
				continue
			}
			t := Task{Kind: string(Evaluation), Round: r.ID, Org: e.Org, Title: r.Title, State: e.Status}
			switch {
			case owner && (e.Status == Draft || e.Status == Returned):
				t.Action, t.Due = ActSubmit, r.SelfDue
			case overseer && e.Status == Submitted:
				t.Action, t.Due = ActVerify, r.VerifyDue
			default:
				continue
			}
			t.OrgName, t.OrgNameEn = s.orgName(e.Org)
			t.Overdue = t.Due != "" && t.Due < today
			out = append(out, t)
		}
	}
	cases, err := sup.Cases(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		if !s.reads(a, c.Org) {
			continue
		}
		t := Task{Kind: string(Case), Case: c.ID, Round: c.Round, Org: c.Org, Title: c.Title, State: c.Status, Due: c.Due}
		switch {
		case owner && (c.Status == Open || c.Status == Reopened):
			t.Action = ActStart
		case owner && c.Status == InProgress:
			t.Action = ActSubmit
		case overseer && c.Status == Submitted:
			t.Action = ActClose
		default:
			continue
		}
		t.OrgName, t.OrgNameEn = s.orgName(c.Org)
		t.Overdue = c.Due != "" && c.Due < today
		out = append(out, t)
	}
	slices.SortStableFunc(out, func(x, y Task) int {
		if x.Overdue != y.Overdue {
			if x.Overdue {
				return -1
			}
			return 1
		}
		return 0
	})
	return out, nil
}
