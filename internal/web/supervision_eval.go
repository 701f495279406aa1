package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
)

// evalPage is a self-evaluation: the form its org fills in while it may, and the
// verifier's controls once it is submitted.
type evalPage struct {
	supPage
	Round      store.SupRound
	RoundURL   string
	HomeURL    string
	Org        string
	OrgName    string
	State      string
	StateCode  string
	Result     string
	Submitted  *store.SupSubmission
	SubmitAt   string
	Items      []evalItem
	Editable   bool // the viewer may save and submit
	Reviewing  bool // the viewer may accept or return items
	CanReturn  bool
	CanVerify  bool
	CanFinding bool
	Results    []supChoice
	Steps      []stepRow
	Cases      []caseRow
	Post       string
	Answers    []supChoice
	RectifyDue string
	// Computed: the round has computed items (frozen at submission).
	Computed bool
}

type evalItem struct {
	sv.ItemView
	Name, Answer, Verdict string
	FrozenText, LiveText  string
	Threshold             string
	Met                   string
	Evidence              []evidenceLink
}

type evidenceLink struct{ Name, Type, URL, SHA string }

type stepRow struct {
	At, Actor, Action, From, To, Note, Item string
	Evidence                                []evidenceLink
}

func (s *Server) evidenceLinks(es []store.SupEvidence) []evidenceLink {
	var out []evidenceLink
	for _, e := range es {
		out = append(out, evidenceLink{Name: e.Name, Type: sv.TypeLabel(e.MediaType), URL: fmt.Sprintf("/supervision/evidence/%d", e.ID), SHA: e.SHA256[:12]})
	}
	return out
}

func (s *Server) stepRows(p page, lang string, steps []store.SupStep, evidence []store.SupEvidence) []stepRow {
	var out []stepRow
	for _, st := range steps {
		e := sv.Entity(st.Entity)
		row := stepRow{At: p.clock(st.At), Actor: st.Actor, Action: actionWords(lang, e, st.Action), From: stateWords(lang, e, st.From),
			To: stateWords(lang, e, st.To), Note: st.Note, Item: st.Item}
		for _, ev := range evidence {
			if slices.Contains(st.Evidence, ev.ID) {
				row.Evidence = append(row.Evidence, s.evidenceLinks([]store.SupEvidence{ev})...)
			}
		}
		out = append(out, row)
	}
	return out
}

func figureText(f *sv.Figure, decimals int) string {
	if f == nil {
		return ""
	}
	return f.TextAt(decimals)
}

func (s *Server) handleEvalPage(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	org := r.PathValue("org")
	a, lang := s.actor(r), langOf(r)
	v, err := s.supFor(r).Evaluation(r.Context(), a, id, org)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	name := pick(lang, v.OrgName, v.OrgNameEn)
	d := evalPage{supPage: s.newSupPage(r, name+" · "+v.Round.Title), Round: v.Round, Org: org, OrgName: name,
		State: stateWords(lang, sv.Evaluation, v.Eval.Status), StateCode: v.Eval.Status, Submitted: v.Submitted, RectifyDue: v.Round.RectifyDue}
	d.RoundURL = d.link(fmt.Sprintf("/supervision/rounds/%d", id), nil)
	d.HomeURL = d.link("/supervision", nil)
	d.Post = fmt.Sprintf("/supervision/rounds/%d/%s", id, url.PathEscape(org))
	if lang == langEn {
		d.Post += "?lang=en"
	}
	if v.Submitted != nil {
		d.SubmitAt = d.clock(v.Submitted.At)
	}
	open := v.Round.Status == sv.Open
	allowed := s.supFor(r).Allowed(a, sv.Evaluation, v.Eval.Status, org)
	d.Editable = open && slices.Contains(allowed, sv.ActSubmit)
	d.CanReturn = open && slices.Contains(allowed, sv.ActReturn)
	d.CanVerify = open && slices.Contains(allowed, sv.ActVerify)
	d.Reviewing = d.CanVerify
	d.CanFinding = slices.Contains(s.supFor(r).Allowed(a, sv.Case, sv.None, org), sv.ActRaise) && v.Eval.Submission > 0
	for _, c := range v.Results {
		d.Results = append(d.Results, supChoice{c.Code, pick(lang, c.Name, c.NameEn)})
	}
	d.Result = pick(lang, v.ResultName, v.ResultNameEn)
	for _, ans := range []string{sv.Met, sv.Partly, sv.NotMet} {
		zh, en := sv.AnswerLabel(v.Round.SubjectKind, ans)
		d.Answers = append(d.Answers, supChoice{ans, pick(lang, zh, en)})
	}
	var allEvidence []store.SupEvidence
	for _, it := range v.Items {
		ei := evalItem{ItemView: it, Name: pick(lang, it.ItemDef.Name, it.ItemDef.NameEn), Verdict: stateWords(lang, sv.Item, it.Verdict),
			FrozenText: figureText(it.Frozen, it.Decimals), LiveText: figureText(it.Live, it.Decimals), Evidence: s.evidenceLinks(it.Evidence)}
		if it.Answer != "" {
			zh, en := sv.AnswerLabel(v.Round.SubjectKind, it.Answer)
			ei.Answer = pick(lang, zh, en)
		}
		f := it.Frozen
		if f == nil {
			f = it.Live
		}
		if f != nil && f.Threshold != nil {
			ei.Threshold = sv.Figure{Value: *f.Threshold, Known: true}.TextAt(it.Decimals)
		}
		if f != nil && f.Met != "" {
			zh, en := sv.AnswerLabel("", f.Met)
			ei.Met = pick(lang, zh, en)
		}
		d.Computed = d.Computed || it.Computed
		allEvidence = append(allEvidence, it.Evidence...)
		d.Items = append(d.Items, ei)
	}
	d.Steps = s.stepRows(d.page, lang, v.Steps, allEvidence)
	for _, c := range v.Cases {
		d.Cases = append(d.Cases, s.caseRow(d.page, lang, s.supFor(r).CaseViewOf(c)))
	}
	s.renderPage(w, r, "supervision_eval", d)
}

// handleEvalPost takes a step on a self-evaluation: save or submit its answers (the
// org), accept or return an item, return or verify it, raise a finding (the overseers).
func (s *Server) handleEvalPost(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	org := r.PathValue("org")
	if err := s.parseSupForm(w, r); err != nil {
		s.pageError(w, r, err)
		return
	}
	ctx, a := r.Context(), s.actor(r)
	back := fmt.Sprintf("/supervision/rounds/%d/%s", id, url.PathEscape(org))
	f := r.PostFormValue
	switch do := f("do"); do {
	case "save", "submit":
		var answers []sv.Answer
		var closers []func()
		defer func() {
			for _, c := range closers {
				c()
			}
		}()
		for _, item := range r.PostForm["item"] {
			fs, done, err := files(r, "file_"+item)
			closers = append(closers, done)
			if err != nil {
				s.pageError(w, r, err)
				return
			}
			answers = append(answers, sv.Answer{Item: item, Answer: f("answer_" + item), Note: f("note_" + item), Files: fs})
		}
		if len(answers) > 0 {
			err = s.supFor(r).Save(ctx, a, id, org, answers)
		}
		if err == nil && do == "submit" {
			_, err = s.supFor(r).Submit(ctx, a, id, org)
		}
	case "accept":
		err = s.supFor(r).Review(ctx, a, id, org, f("item"), sv.ActAccept, "")
	case "return_item":
		err = s.supFor(r).Review(ctx, a, id, org, f("item"), sv.ActReturn, f("reason"))
	case "return":
		err = s.supFor(r).Return(ctx, a, id, org, f("reason"))
	case "verify":
		err = s.supFor(r).Verify(ctx, a, id, org, f("result"))
	case "finding":
		fs, done, ferr := files(r, "file")
		defer done()
		if ferr != nil {
			s.pageError(w, r, ferr)
			return
		}
		_, err = s.supFor(r).RaiseFinding(ctx, a, sv.Finding{Round: id, Org: org, Item: f("item"), Text: f("text"), Due: f("due"), Files: fs})
	default:
		err = plan.Errorf(plan.EINVALID, "未知操作 %q", "unknown step %q", do)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.seeOther(w, r, back)
}

// caseRow is a line of a cases table.
type caseRow struct {
	ID                                                 int64
	Type, Org, Item, Title, State, StateCode, Due, URL string
	Overdue                                            bool
	Fields                                             []supChoice
}

func (s *Server) caseRow(p page, lang string, c sv.CaseView) caseRow {
	row := caseRow{ID: c.ID, Type: pick(lang, c.TypeName, c.TypeNameEn), Org: pick(lang, c.OrgName, c.OrgNameEn), Item: c.Item, Title: c.Title,
		State: stateWords(lang, sv.Case, c.Status), StateCode: c.Status, Due: c.Due, Overdue: c.Overdue,
		URL: p.link(fmt.Sprintf("/supervision/cases/%d", c.ID), nil)}
	if c.Due == "" { // stored before due dates were required
		row.Due = locale.T(lang, "sup_no_due")
	}
	if ct := s.pack.CaseType(c.Type); ct != nil {
		for _, fd := range ct.Fields {
			if v := c.Values[fd.Code]; v != "" {
				zh, en := sv.FieldText(ct, fd.Code, v)
				row.Fields = append(row.Fields, supChoice{pick(lang, fd.Name, fd.NameEn), pick(lang, zh, en)})
			}
		}
	}
	return row
}

// casesPage lists the cases in the viewer's scope, with the form to report one.
type casesPage struct {
	supPage
	HomeURL   string
	Cases     []caseRow
	CanReport bool
	Types     []reportType
	Org       string
	Orgs      []supChoice
	Post      string
}

type reportType struct {
	Code, Name string
	Fields     []reportField
}

type reportField struct {
	Code, Name string
	Required   bool
	Options    []supChoice
}

func (s *Server) handleCasesPage(w http.ResponseWriter, r *http.Request) {
	a, lang := s.actor(r), langOf(r)
	cs, err := s.supFor(r).Cases(r.Context(), a, 0)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := casesPage{supPage: s.newSupPage(r, locale.T(lang, "sup_cases")), Org: a.Org}
	d.HomeURL = d.link("/supervision", nil)
	d.Post = "/supervision/cases"
	if lang == langEn {
		d.Post += "?lang=en"
	}
	for _, c := range cs {
		d.Cases = append(d.Cases, s.caseRow(d.page, lang, c))
	}
	d.CanReport = slices.Contains(s.supFor(r).Allowed(a, sv.Case, sv.None, a.Org), sv.ActReport)
	for _, ct := range s.pack.CaseTypes {
		if ct.Source != "report" {
			continue
		}
		rt := reportType{Code: ct.Code, Name: pick(lang, ct.Name, ct.NameEn)}
		for _, fd := range ct.Fields {
			rf := reportField{Code: fd.Code, Name: pick(lang, fd.Name, fd.NameEn), Required: fd.Required}
			for _, o := range fd.Options {
				rf.Options = append(rf.Options, supChoice{o.Code, pick(lang, o.Name, o.NameEn)})
			}
			rt.Fields = append(rt.Fields, rf)
		}
		d.Types = append(d.Types, rt)
	}
	s.renderPage(w, r, "supervision_cases", d)
}

func (s *Server) handleCaseReport(w http.ResponseWriter, r *http.Request) {
	if err := s.parseSupForm(w, r); err != nil {
		s.pageError(w, r, err)
		return
	}
	typ := r.PostFormValue("type")
	fields := map[string]string{}
	if ct := s.pack.CaseType(typ); ct != nil {
		for _, fd := range ct.Fields {
			if v := strings.TrimSpace(r.PostFormValue("field_" + fd.Code)); v != "" {
				fields[fd.Code] = v
			}
		}
	}
	fs, done, err := files(r, "file")
	defer done()
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	c, err := s.supFor(r).ReportCase(r.Context(), s.actor(r), sv.CaseReport{Type: typ, Org: strings.TrimSpace(r.PostFormValue("org")),
		Title: r.PostFormValue("title"), Due: r.PostFormValue("due"), Fields: fields, Files: fs})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.seeOther(w, r, fmt.Sprintf("/supervision/cases/%d", c.ID))
}

// casePage is a case with its steps and the steps the viewer may take.
type casePage struct {
	supPage
	Case     caseRow
	HomeURL  string
	CasesURL string
	RoundURL string
	Item     string
	Evidence []evidenceLink
	Steps    []stepRow
	Actions  []supChoice
	Post     string
}

func (s *Server) handleCasePage(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	a, lang := s.actor(r), langOf(r)
	c, err := s.supFor(r).CaseDetail(r.Context(), a, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := casePage{supPage: s.newSupPage(r, fmt.Sprintf("%s %d", locale.T(lang, "sup_case"), id)), Item: c.Item}
	d.Case = s.caseRow(d.page, lang, *c)
	d.HomeURL, d.CasesURL = d.link("/supervision", nil), d.link("/supervision/cases", nil)
	if c.Round != 0 {
		d.RoundURL = d.link(fmt.Sprintf("/supervision/rounds/%d/%s", c.Round, url.PathEscape(c.Org)), nil)
	}
	d.Evidence = s.evidenceLinks(c.Evidence)
	d.Steps = s.stepRows(d.page, lang, c.Steps, c.Evidence)
	for _, act := range s.supFor(r).Allowed(a, sv.Case, c.Status, c.Org) {
		d.Actions = append(d.Actions, supChoice{act, actionWords(lang, sv.Case, act)})
	}
	d.Post = fmt.Sprintf("/supervision/cases/%d", id)
	if lang == langEn {
		d.Post += "?lang=en"
	}
	s.renderPage(w, r, "supervision_case", d)
}

func (s *Server) handleCasePost(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.parseSupForm(w, r); err != nil {
		s.pageError(w, r, err)
		return
	}
	fs, done, err := files(r, "file")
	defer done()
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.supFor(r).CaseStep(r.Context(), s.actor(r), id, r.PostFormValue("do"), r.PostFormValue("note"), fs); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.seeOther(w, r, fmt.Sprintf("/supervision/cases/%d", id))
}

// handleEvidence serves an evidence file within the caller's scope: always as an
// attachment, its type as found in its content, never sniffed, and sandboxed so that
// even a browser that opened it could run nothing from the app's origin.
func (s *Server) handleEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	e, err := s.supFor(r).Evidence(r.Context(), s.actor(r), id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", e.MediaType)
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(e.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("ETag", `"`+e.SHA256+`"`)
	w.Write(e.Data)
}
