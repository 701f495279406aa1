package supervision

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// EvalView is a self-evaluation as a page or command shows it: the round, each item
// with its answer, its verdict, its value as submitted (frozen) and now (live), its
// evidence; the latest submission; every step.
type EvalView struct {
	Round     store.SupRound       `json:"round"`
	Eval      store.SupEval        `json:"evaluation"`
	OrgName   string               `json:"org_name"`
	OrgNameEn string               `json:"org_name_en"`
	Items     []ItemView           `json:"items"`
	Submitted *store.SupSubmission `json:"submitted,omitempty"`
	Steps     []store.SupStep      `json:"steps"`
	// Results are the overall results a verifier may give (a checklist's).
	Results []plan.Choice `json:"results,omitempty"`
	// ResultName and ResultNameEn are the result given, in words (限期整改).
	ResultName   string `json:"result_name,omitempty"`
	ResultNameEn string `json:"result_name_en,omitempty"`
	// Cases are the findings raised on this evaluation.
	Cases []store.SupCase `json:"cases,omitempty"`
}

// ItemView is one item of a self-evaluation.
type ItemView struct {
	ItemDef
	Answer  string `json:"answer"`
	Note    string `json:"note"`
	Verdict string `json:"verdict"` // pending, accepted, returned
	Reason  string `json:"reason,omitempty"`
	// Frozen is the value as submitted (nil before the first submission), Live the value
	// now; Moved when they differ.
	Frozen   *Figure             `json:"frozen,omitempty"`
	Live     *Figure             `json:"live,omitempty"`
	Moved    bool                `json:"moved,omitempty"`
	Evidence []store.SupEvidence `json:"evidence,omitempty"`
}

// submission is the canonical content of a submitted self-evaluation.
type submission struct {
	Round int64           `json:"round"`
	Org   string          `json:"org"`
	N     int             `json:"n"`
	Year  int             `json:"year"`
	Items []submittedItem `json:"items"`
}

type submittedItem struct {
	Code     string   `json:"code"`
	Answer   string   `json:"answer,omitempty"`
	Note     string   `json:"note,omitempty"`
	Figure   *Figure  `json:"figure,omitempty"`
	Evidence []string `json:"evidence,omitempty"` // id:sha256
}

// Evaluation returns a round's self-evaluation of an org as the actor may see it.
func (s *Service) Evaluation(ctx context.Context, a Actor, round int64, org string) (*EvalView, error) {
	sup := s.DB.Supervision(s.Pack.Tenant)
	r, ok, err := sup.Round(ctx, round)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNoRound(round)
	}
	ev, ok, err := sup.Eval(ctx, round, org)
	if err != nil {
		return nil, err
	}
	if !ok || !s.reads(a, org) {
		return nil, plan.Errorf(plan.ENOTFOUND, "督导轮次 %d 没有 %s 的自评", "round %d has no self-evaluation of %s", round, org)
	}
	v := &EvalView{Round: r, Eval: ev}
	v.OrgName, v.OrgNameEn = s.orgName(org)
	v.ResultName, v.ResultNameEn = s.ResultLabel(r, ev.Result)
	if r.SubjectKind == KindChecklist {
		if c := s.Pack.Checklist(r.Subject); c != nil {
			v.Results = c.Results
		}
	}
	items, err := sup.Items(ctx, round, org)
	if err != nil {
		return nil, err
	}
	frozen := map[string]*Figure{}
	sub, content, err := readSubmission(ctx, sup, round, org, ev.Submission)
	if err != nil {
		return nil, err
	}
	if sub != nil {
		v.Submitted = sub
		for _, it := range content.Items {
			frozen[it.Code] = it.Figure
		}
	}
	var live map[string]Figure
	if s.Engine != nil {
		live = Figures(s.Engine(), r, org)
	}
	evidence, err := sup.EvidenceOf(ctx, round, org, 0)
	if err != nil {
		return nil, err
	}
	for _, d := range ItemsOf(s.Pack, r) {
		it := items[d.Code]
		iv := ItemView{ItemDef: d, Answer: it.Answer, Note: it.Note, Verdict: cmpOr(it.Verdict, Pending), Reason: it.Reason, Frozen: frozen[d.Code]}
		if f, ok := live[d.Code]; ok && d.Computed {
			iv.Live = &f
			iv.Moved = iv.Frozen != nil && !iv.Frozen.Same(f)
		}
		for _, e := range evidence {
			if e.Item == d.Code {
				iv.Evidence = append(iv.Evidence, e)
			}
		}
		v.Items = append(v.Items, iv)
	}
	if v.Steps, err = sup.Steps(ctx, store.StepQuery{Round: round, Org: org}); err != nil {
		return nil, err
	}
	cases, err := sup.Cases(ctx, round)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		if c.Org == org {
			v.Cases = append(v.Cases, c)
		}
	}
	return v, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Answer is what a district says of one item: its answer, a note, new evidence files.
type Answer struct {
	Item   string
	Answer string // met, partly, not_met, or "" to leave unanswered
	Note   string
	Files  []File
}

// evalIn reads the round and evaluation a step acts on, refusing a closed round.
func (s *Service) evalIn(ctx context.Context, tx *store.Tx, round int64, org string) (store.SupRound, store.SupEval, error) {
	r, err := s.roundIn(ctx, tx, round)
	if err != nil {
		return r, store.SupEval{}, err
	}
	ev, ok, err := tx.Supervision().Eval(ctx, round, org)
	if err != nil {
		return r, ev, err
	}
	if !ok {
		return r, ev, plan.Errorf(plan.ENOTFOUND, "督导轮次 %d 未覆盖 %s", "round %d does not cover %s", round, org)
	}
	if r.Status != Open {
		return r, ev, plan.Errorf(plan.ECONFLICT, "督导轮次 %d 已关闭", "round %d is closed", round)
	}
	return r, ev, nil
}

// Save stores answers to items of a self-evaluation still being written (draft or
// returned), with their evidence.
func (s *Service) Save(ctx context.Context, a Actor, round int64, org string, answers []Answer) error {
	checked := make([][]checked, len(answers))
	for i, an := range answers {
		if an.Answer != "" && !slices.Contains([]string{Met, Partly, NotMet}, an.Answer) {
			return refuse("答案 %q 无效，应为 met、partly 或 not_met", "%q is not an answer: expected met, partly or not_met", an.Answer)
		}
		var err error
		if checked[i], err = checkFiles(an.Files); err != nil {
			return err
		}
	}
	return s.DB.Write(ctx, s.Pack.Tenant, func(tx *store.Tx) error {
		r, ev, err := s.evalIn(ctx, tx, round, org)
		if err != nil {
			return err
		}
		if _, err := Check(Attempt{Entity: Evaluation, Action: ActSave, From: ev.Status, Org: org, District: s.districtOf(org)}, a.Principal, s.Pack.Tenant); err != nil {
			return err
		}
		defs := ItemsOf(s.Pack, r)
		items, err := tx.Supervision().Items(ctx, round, org)
		if err != nil {
			return err
		}
		var all []int64
		for i, an := range answers {
			if !slices.ContainsFunc(defs, func(d ItemDef) bool { return d.Code == an.Item }) {
				return refuse("督导轮次 %d 没有评估项 %q", "round %d has no item %q", round, an.Item)
			}
			it := items[an.Item]
			it.Item, it.Answer, it.Note = an.Item, an.Answer, strings.TrimSpace(an.Note)
			if err := tx.PutItem(ctx, round, org, it); err != nil {
				return err
			}
			ids, err := addEvidence(ctx, tx, a.User, store.SupEvidence{Round: round, Org: org, Item: an.Item}, checked[i])
			if err != nil {
				return err
			}
			all = append(all, ids...)
		}
		if err := tx.PutEval(ctx, ev); err != nil {
			return err
		}
		return s.step(ctx, tx, a, store.SupStep{Entity: string(Evaluation), Round: round, Org: org, Action: ActSave, From: ev.Status, To: ev.Status, Evidence: all},
			org, fmt.Sprintf("%d 项，%d 份佐证材料", len(answers), len(all)), fmt.Sprintf("%d items, %d evidence files", len(answers), len(all)))
	})
}

// Submit submits a self-evaluation as a whole: every declared item must be answered;
// computed items are computed now and frozen in the submission, which never changes.
// A resubmission puts back to review every item returned, and every item accepted
// whose answer, note, evidence or computed value is not what was reviewed (the previous
// submission): each is pending again by a step of its own (resubmit), so that verifying
// needs it accepted anew and its history says why it came back.
func (s *Service) Submit(ctx context.Context, a Actor, round int64, org string) (store.SupSubmission, error) {
	var sub store.SupSubmission
	err := s.DB.Write(ctx, s.Pack.Tenant, func(tx *store.Tx) error {
		r, ev, err := s.evalIn(ctx, tx, round, org)
		if err != nil {
			return err
		}
		to, err := Check(Attempt{Entity: Evaluation, Action: ActSubmit, From: ev.Status, Org: org, District: s.districtOf(org)}, a.Principal, s.Pack.Tenant)
		if err != nil {
			return err
		}
		sup := tx.Supervision()
		items, err := sup.Items(ctx, round, org)
		if err != nil {
			return err
		}
		content, err := s.submissionOf(ctx, sup, r, org, ev.Submission+1, items)
		if err != nil {
			return err
		}
		_, prev, err := readSubmission(ctx, sup, round, org, ev.Submission)
		if err != nil {
			return err
		}
		b, err := json.Marshal(content)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		sub = store.SupSubmission{N: content.N, By: a.User, SHA256: hex.EncodeToString(sum[:]), Content: b}
		if err := tx.AddSubmission(ctx, round, org, &sub); err != nil {
			return err
		}
		from := ev.Status
		ev.Status, ev.Submission = to, sub.N
		if err := tx.PutEval(ctx, ev); err != nil {
			return err
		}
		err = s.step(ctx, tx, a, store.SupStep{Entity: string(Evaluation), Round: round, Org: org, Action: ActSubmit, From: from, To: to},
			org, fmt.Sprintf("第 %d 次提交，sha256 %s", sub.N, sub.SHA256[:12]), fmt.Sprintf("submission %d, sha256 %s", sub.N, sub.SHA256[:12]))
		if err != nil {
			return err
		}
		return s.resubmitItems(ctx, tx, a, round, org, items, prev, &content)
	})
	return sub, err
}

// submissionOf is what a self-evaluation submits as its nth submission: each item's
// answer, note and evidence, computed items computed now. It refuses a declared item
// not answered.
func (s *Service) submissionOf(ctx context.Context, sup store.Sup, r store.SupRound, org string, n int, items map[string]store.SupItem) (submission, error) {
	content := submission{Round: r.ID, Org: org, N: n, Year: r.Year}
	evidence, err := sup.EvidenceOf(ctx, r.ID, org, 0)
	if err != nil {
		return content, err
	}
	var figures map[string]Figure
	if s.Engine != nil {
		figures = Figures(s.Engine(), r, org)
	}
	var missing []string
	for _, d := range ItemsOf(s.Pack, r) {
		it := items[d.Code]
		si := submittedItem{Code: d.Code, Answer: it.Answer, Note: it.Note}
		if d.Computed {
			f := figures[d.Code]
			si.Figure = &f
		} else if it.Answer == "" {
			missing = append(missing, d.Code)
		}
		for _, e := range evidence {
			if e.Item == d.Code {
				si.Evidence = append(si.Evidence, fmt.Sprintf("%d:%s", e.ID, e.SHA256))
			}
		}
		content.Items = append(content.Items, si)
	}
	if len(missing) > 0 {
		return content, refuse("还有 %d 项未填：%s", "%d items are not answered: %s", len(missing), strings.Join(missing, ", "))
	}
	return content, nil
}

// readSubmission reads the nth submission of a self-evaluation and its content; n 0
// (never submitted) reads nothing.
func readSubmission(ctx context.Context, sup store.Sup, round int64, org string, n int) (*store.SupSubmission, *submission, error) {
	if n == 0 {
		return nil, nil, nil
	}
	sub, ok, err := sup.Submission(ctx, round, org, n)
	if err != nil || !ok {
		return nil, nil, err
	}
	var c submission
	if err := json.Unmarshal(sub.Content, &c); err != nil {
		return nil, nil, fmt.Errorf("submission %d of %d/%s: %w", sub.N, round, org, err)
	}
	return &sub, &c, nil
}

// resubmitItems puts back to review, each by a step, the items of a resubmission that
// were returned or that changed since they were accepted (prev is the submission
// reviewed, nil on the first).
func (s *Service) resubmitItems(ctx context.Context, tx *store.Tx, a Actor, round int64, org string, items map[string]store.SupItem, prev, now *submission) error {
	if prev == nil {
		return nil
	}
	reviewed := map[string]submittedItem{}
	for _, si := range prev.Items {
		reviewed[si.Code] = si
	}
	for _, si := range now.Items {
		it := items[si.Code]
		var zh, en string
		switch it.Verdict {
		case Returned:
			zh, en = "此项曾被退回", "the item was returned"
		case Accepted:
			czh, cen := changes(reviewed[si.Code], si)
			if len(czh) == 0 {
				continue
			}
			zh, en = "认可后已修改："+strings.Join(czh, "、"), "changed since it was accepted: "+strings.Join(cen, ", ")
		default:
			continue
		}
		from := it.Verdict
		to, err := Check(Attempt{Entity: Item, Action: ActResubmit, From: from, Org: org, District: s.districtOf(org)}, a.Principal, s.Pack.Tenant)
		if err != nil {
			return err
		}
		it.Item, it.Verdict = si.Code, ""
		if err := tx.PutItem(ctx, round, org, it); err != nil {
			return err
		}
		err = s.step(ctx, tx, a, store.SupStep{Entity: string(Item), Round: round, Org: org, Item: si.Code, Action: ActResubmit, From: from, To: to},
			org, si.Code+"，"+zh, si.Code+", "+en)
		if err != nil {
			return err
		}
	}
	return nil
}

// changes names what differs between an item as reviewed and as submitted now.
func changes(was, now submittedItem) (zh, en []string) {
	add := func(differs bool, z, e string) {
		if differs {
			zh, en = append(zh, z), append(en, e)
		}
	}
	add(was.Answer != now.Answer, "自评结论", "answer")
	add(was.Note != now.Note, "说明", "note")
	add(!slices.Equal(was.Evidence, now.Evidence), "佐证材料", "evidence")
	add(!sameFigure(was.Figure, now.Figure), "计算值", "computed value")
	return zh, en
}

func sameFigure(f, g *Figure) bool {
	if f == nil || g == nil {
		return f == g
	}
	return f.Same(*g) && f.Met == g.Met
}

// Return returns a submitted self-evaluation to its org with the reason.
func (s *Service) Return(ctx context.Context, a Actor, round int64, org, reason string) error {
	return s.evalStep(ctx, a, round, org, ActReturn, reason, "")
}

// Verify verifies a submitted self-evaluation (市级验证): every item must be accepted;
// result is the overall result where the round's checklist has results.
func (s *Service) Verify(ctx context.Context, a Actor, round int64, org, result string) error {
	return s.evalStep(ctx, a, round, org, ActVerify, "", result)
}

func (s *Service) evalStep(ctx context.Context, a Actor, round int64, org, action, note, result string) error {
	return s.DB.Write(ctx, s.Pack.Tenant, func(tx *store.Tx) error {
		r, ev, err := s.evalIn(ctx, tx, round, org)
		if err != nil {
			return err
		}
		to, err := Check(Attempt{Entity: Evaluation, Action: action, From: ev.Status, Org: org, District: s.districtOf(org), Note: note}, a.Principal, s.Pack.Tenant)
		if err != nil {
			return err
		}
		if action == ActVerify {
			if err := s.verifiable(ctx, tx, r, org, result); err != nil {
				return err
			}
			ev.Result = result
		}
		from := ev.Status
		ev.Status = to
		if err := tx.PutEval(ctx, ev); err != nil {
			return err
		}
		return s.step(ctx, tx, a, store.SupStep{Entity: string(Evaluation), Round: round, Org: org, Action: action, From: from, To: to, Note: strings.TrimSpace(note)},
			org, result, result)
	})
}

// verifiable refuses to verify an evaluation with an item not accepted, or without a
// result its checklist asks for.
func (s *Service) verifiable(ctx context.Context, tx *store.Tx, r store.SupRound, org, result string) error {
	items, err := tx.Supervision().Items(ctx, r.ID, org)
	if err != nil {
		return err
	}
	var open []string
	for _, d := range ItemsOf(s.Pack, r) {
		if items[d.Code].Verdict != Accepted {
			open = append(open, d.Code)
		}
	}
	if len(open) > 0 {
		return plan.Errorf(plan.ECONFLICT, "还有 %d 项未认可（%s）：请逐项认可，或退回自评", "%d items are not accepted (%s): accept them or return the self-evaluation",
			len(open), strings.Join(open, ", "))
	}
	if r.SubjectKind == KindChecklist {
		if c := s.Pack.Checklist(r.Subject); c != nil && len(c.Results) > 0 &&
			!slices.ContainsFunc(c.Results, func(ch plan.Choice) bool { return ch.Code == result }) {
			codes := make([]string, len(c.Results))
			for i, ch := range c.Results {
				codes[i] = ch.Code
			}
			return refuse("须给出结论：%s", "give a result: %s", strings.Join(codes, ", "))
		} else if (c == nil || len(c.Results) == 0) && result != "" {
			return refuse("此轮督导不给出结论", "this round gives no result")
		}
	}
	return nil
}

// Review accepts or returns (with the reason) one item of a submitted self-evaluation.
func (s *Service) Review(ctx context.Context, a Actor, round int64, org, item, action, reason string) error {
	return s.DB.Write(ctx, s.Pack.Tenant, func(tx *store.Tx) error {
		r, ev, err := s.evalIn(ctx, tx, round, org)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(ItemsOf(s.Pack, r), func(d ItemDef) bool { return d.Code == item }) {
			return plan.Errorf(plan.ENOTFOUND, "督导轮次 %d 没有评估项 %q", "round %d has no item %q", round, item)
		}
		items, err := tx.Supervision().Items(ctx, round, org)
		if err != nil {
			return err
		}
		it := items[item]
		it.Item = item
		from := cmpOr(it.Verdict, Pending)
		to, err := Check(Attempt{Entity: Item, Action: action, From: from, Org: org, District: s.districtOf(org), Note: reason}, a.Principal, s.Pack.Tenant)
		if err != nil {
			return err
		}
		if ev.Status != Submitted {
			zh, en := StateLabel(Evaluation, ev.Status)
			return plan.Errorf(plan.ECONFLICT, "自评当前为“%[1]s”，只有已提交的自评可以逐项审核", "the self-evaluation is %[2]s: only a submitted one is reviewed item by item", zh, en)
		}
		it.Verdict, it.Reason = to, ""
		if to == Returned {
			it.Reason = strings.TrimSpace(reason)
		}
		if err := tx.PutItem(ctx, round, org, it); err != nil {
			return err
		}
		return s.step(ctx, tx, a, store.SupStep{Entity: string(Item), Round: round, Org: org, Item: item, Action: action, From: from, To: to, Note: it.Reason},
			org, item, item)
	})
}
