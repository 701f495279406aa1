package supervision

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Finding is what an inspector raises on a round (问题): on an item of an org's
// self-evaluation, or on the org as a whole (Item ""). It opens a case of the pack's
// finding type for the org to rectify by Due, or by the round's rectification date when
// Due is empty; a finding with neither is refused, since a case without a date is never
// overdue.
type Finding struct {
	Round int64
	Org   string
	Item  string
	Theme string
	Text  string
	Due   string
	Type  string // "" is the pack's first case type whose source is finding
	Files []File
}

// CaseReport is a case an org reports itself (a safety hazard): its type's fields, and
// the date it is to be rectified by (required).
type CaseReport struct {
	Type   string
	Org    string
	Title  string
	Due    string
	Fields map[string]string
	Files  []File
}

// CaseView is a case with its type, steps and evidence, as a page shows it.
type CaseView struct {
	store.SupCase
	TypeName   string              `json:"type_name"`
	TypeNameEn string              `json:"type_name_en"`
	OrgName    string              `json:"org_name"`
	OrgNameEn  string              `json:"org_name_en"`
	Overdue    bool                `json:"overdue"`
	Values     map[string]string   `json:"values"`
	Steps      []store.SupStep     `json:"steps,omitempty"`
	Evidence   []store.SupEvidence `json:"evidence,omitempty"`
}

// RaiseFinding raises a finding on a round and opens its case.
func (s *Service) RaiseFinding(ctx context.Context, a Actor, f Finding) (store.SupCase, error) {
	ct := s.caseType(f.Type, "finding")
	if ct == nil {
		return store.SupCase{}, refuse("规划包中没有用于问题整改的案件类型 %q", "the pack has no case type %q for findings", f.Type)
	}
	if err := checkDate("due", f.Due); err != nil {
		return store.SupCase{}, err
	}
	files, err := checkFiles(f.Files)
	if err != nil {
		return store.SupCase{}, err
	}
	var c store.SupCase
	err = s.DB.Write(ctx, s.Pack.Tenant, func(tx *store.Tx) error {
		r, err := s.roundIn(ctx, tx, f.Round)
		if err != nil {
			return err
		}
		if !slices.Contains(r.Orgs, f.Org) {
			return plan.Errorf(plan.ENOTFOUND, "督导轮次 %d 未覆盖 %s", "round %d does not cover %s", f.Round, f.Org)
		}
		theme := f.Theme
		if f.Item != "" {
			i := slices.IndexFunc(ItemsOf(s.Pack, r), func(d ItemDef) bool { return d.Code == f.Item })
			if i < 0 {
				return plan.Errorf(plan.ENOTFOUND, "督导轮次 %d 没有评估项 %q", "round %d has no item %q", f.Round, f.Item)
			}
			theme = cmpOr(theme, ItemsOf(s.Pack, r)[i].Theme)
		}
		to, err := Check(Attempt{Entity: Case, Action: ActRaise, From: None, Org: f.Org, District: s.districtOf(f.Org), Note: f.Text}, a.Principal, s.Pack.Tenant)
		if err != nil {
			return err
		}
		due := cmpOr(f.Due, r.RectifyDue)
		if due == "" {
			return plan.Errorf(plan.EINVALID, "问题须有整改期限：督导轮次 %d 未设整改期限，请填写此问题的整改期限（YYYY-MM-DD）",
				"a finding needs a due date: round %d sets no rectification date, so give the finding its own (YYYY-MM-DD)", r.ID)
		}
		c = store.SupCase{Type: ct.Code, Round: r.ID, Org: f.Org, Item: f.Item, Theme: theme, Title: strings.TrimSpace(f.Text),
			Status: to, Due: due, OpenedBy: a.User}
		return s.openCase(ctx, tx, a, &c, ActRaise, files)
	})
	return c, err
}

// ReportCase opens a case an org reports itself, such as a safety hazard with its risk
// level and responsible unit.
func (s *Service) ReportCase(ctx context.Context, a Actor, rp CaseReport) (store.SupCase, error) {
	ct := s.caseType(rp.Type, "report")
	if ct == nil || ct.Source != "report" {
		return store.SupCase{}, refuse("规划包中没有可上报的案件类型 %q", "the pack has no case type %q that is reported", rp.Type)
	}
	if rp.Due == "" {
		return store.SupCase{}, plan.Errorf(plan.EINVALID, "上报“%[1]s”须填写整改期限（YYYY-MM-DD）", "a reported %[2]s needs a due date: the date it is to be rectified by (YYYY-MM-DD)",
			ct.Name, strings.ToLower(cmpOr(ct.NameEn, ct.Code)))
	}
	if err := checkDate("due", rp.Due); err != nil {
		return store.SupCase{}, err
	}
	values := map[string]string{}
	for _, f := range ct.Fields {
		v := strings.TrimSpace(rp.Fields[f.Code])
		if v == "" && f.Required {
			return store.SupCase{}, refuse("须填写“%[1]s”", "%[2]s is required", f.Name, cmpOr(f.NameEn, f.Code))
		}
		if v != "" && len(f.Options) > 0 && f.Option(v) == nil {
			return store.SupCase{}, refuse("“%[1]s”的值 %[2]q 无效", "%[2]q is not a value of %[3]s", f.Name, v, cmpOr(f.NameEn, f.Code))
		}
		if v != "" {
			values[f.Code] = v
		}
	}
	for k := range rp.Fields {
		if !slices.ContainsFunc(ct.Fields, func(f *plan.CaseField) bool { return f.Code == k }) {
			return store.SupCase{}, refuse("案件类型 %s 没有字段 %q", "case type %s has no field %q", ct.Code, k)
		}
	}
	if s.Pack.Org(rp.Org) == nil && s.districtOf(rp.Org) == "" {
		return store.SupCase{}, refuse("%s 不是已知的区市或学校", "%s is not a known district or institution", rp.Org)
	}
	files, err := checkFiles(rp.Files)
	if err != nil {
		return store.SupCase{}, err
	}
	b, _ := json.Marshal(values)
	c := store.SupCase{Type: ct.Code, Org: rp.Org, Title: strings.TrimSpace(rp.Title), Fields: string(b), Due: rp.Due, OpenedBy: a.User}
	err = s.DB.Write(ctx, s.Pack.Tenant, func(tx *store.Tx) error {
		to, err := Check(Attempt{Entity: Case, Action: ActReport, From: None, Org: rp.Org, District: s.districtOf(rp.Org), Note: c.Title}, a.Principal, s.Pack.Tenant)
		if err != nil {
			return err
		}
		c.Status = to
		return s.openCase(ctx, tx, a, &c, ActReport, files)
	})
	return c, err
}

func (s *Service) caseType(code, source string) *plan.CaseType {
	if code != "" {
		return s.Pack.CaseType(code)
	}
	for _, ct := range s.Pack.CaseTypes {
		if ct.Source == source {
			return ct
		}
	}
	return nil
}

func (s *Service) openCase(ctx context.Context, tx *store.Tx, a Actor, c *store.SupCase, action string, files []checked) error {
	if err := tx.AddCase(ctx, c); err != nil {
		return err
	}
	ids, err := addEvidence(ctx, tx, a.User, store.SupEvidence{Org: c.Org, Case: c.ID}, files)
	if err != nil {
		return err
	}
	return s.step(ctx, tx, a, store.SupStep{Entity: string(Case), Round: c.Round, Org: c.Org, Item: c.Item, Case: c.ID, Action: action,
		From: None, To: c.Status, Note: c.Title, Evidence: ids}, c.Org, c.Type, c.Type)
}

// CaseStep takes a step on a case — start, submit for re-check, close or reopen on
// re-check, 约谈, 通报 — with a note and evidence.
func (s *Service) CaseStep(ctx context.Context, a Actor, id int64, action, note string, files []File) error {
	fs, err := checkFiles(files)
	if err != nil {
		return err
	}
	return s.DB.Write(ctx, s.Pack.Tenant, func(tx *store.Tx) error {
		c, ok, err := tx.Supervision().Case(ctx, id)
		if err != nil {
			return err
		}
		if !ok {
			return errNoCase(id)
		}
		if action == ActRaise || action == ActReport {
			return refuse("案件 %d 已经存在", "case %d already exists", id)
		}
		to, err := Check(Attempt{Entity: Case, Action: action, From: c.Status, Org: c.Org, District: s.districtOf(c.Org), Note: note}, a.Principal, s.Pack.Tenant)
		if err != nil {
			return err
		}
		if to != c.Status {
			if err := tx.SetCaseStatus(ctx, id, to); err != nil {
				return err
			}
		}
		ids, err := addEvidence(ctx, tx, a.User, store.SupEvidence{Org: c.Org, Case: id}, fs)
		if err != nil {
			return err
		}
		return s.step(ctx, tx, a, store.SupStep{Entity: string(Case), Round: c.Round, Org: c.Org, Item: c.Item, Case: id, Action: action,
			From: c.Status, To: to, Note: strings.TrimSpace(note), Evidence: ids}, c.Org, c.Type, c.Type)
	})
}

func errNoCase(id int64) error {
	return plan.Errorf(plan.ENOTFOUND, "案件 %d 不存在", "no case %d", id)
}

// Cases returns the cases the actor may see (of a round, or all with round 0), newest
// first.
func (s *Service) Cases(ctx context.Context, a Actor, round int64) ([]CaseView, error) {
	cs, err := s.DB.Supervision(s.Pack.Tenant).Cases(ctx, round)
	if err != nil {
		return nil, err
	}
	var out []CaseView
	for _, c := range cs {
		if s.reads(a, c.Org) {
			out = append(out, s.caseView(c))
		}
	}
	return out, nil
}

// CaseDetail returns a case with its steps and evidence; ENOTFOUND outside the scope.
func (s *Service) CaseDetail(ctx context.Context, a Actor, id int64) (*CaseView, error) {
	sup := s.DB.Supervision(s.Pack.Tenant)
	c, ok, err := sup.Case(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ok || !s.reads(a, c.Org) {
		return nil, errNoCase(id)
	}
	v := s.caseView(c)
	if v.Steps, err = sup.Steps(ctx, store.StepQuery{Case: id}); err != nil {
		return nil, err
	}
	if v.Evidence, err = sup.EvidenceOf(ctx, 0, c.Org, id); err != nil {
		return nil, err
	}
	return &v, nil
}

func (s *Service) caseView(c store.SupCase) CaseView {
	v := CaseView{SupCase: c, Values: map[string]string{}}
	if ct := s.Pack.CaseType(c.Type); ct != nil {
		v.TypeName, v.TypeNameEn = ct.Name, ct.NameEn
	}
	v.OrgName, v.OrgNameEn = s.orgName(c.Org)
	// A case stored before due dates were required may have none: it is never overdue,
	// and is shown as having no due date.
	v.Overdue = c.Status != Closed && c.Due != "" && c.Due < s.today()
	_ = json.Unmarshal([]byte(c.Fields), &v.Values)
	return v
}

// FieldText is a case field's value in words: its option's name where it has options.
func FieldText(ct *plan.CaseType, code, value string) (zh, en string) {
	if ct != nil {
		for _, f := range ct.Fields {
			if f.Code == code {
				if o := f.Option(value); o != nil {
					return o.Name, o.NameEn
				}
			}
		}
	}
	return value, value
}

// CaseViewOf is a stored case as pages show it (type and org names, overdue).
func (s *Service) CaseViewOf(c store.SupCase) CaseView { return s.caseView(c) }
