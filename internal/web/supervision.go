package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/report"
	"github.com/yantai-edu/eduplan/internal/store"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
)

// The supervision loop's pages (督导): /supervision (what awaits me, the rounds, a new
// round), a round, a self-evaluation with its verification, the cases, a case, and
// evidence downloads. Every step is one call of the supervision package, which checks
// the role, the scope and the state.

// maxSupForm bounds a supervision form with its evidence files.
const maxSupForm = 8 * sv.EvidenceMax

// supFor is the supervision service as a request sees it: computed items read the
// request's engine, taken once when it came in.
func (s *Server) supFor(r *http.Request) *sv.Service {
	c := *s.sup
	e := s.engine(r)
	c.Engine = func() *indicator.Engine { return e }
	return &c
}

func (s *Server) actor(r *http.Request) sv.Actor {
	return sv.Actor{Principal: s.principalOf(r), Remote: remoteOf(r)}
}

// supPage is what every supervision page has.
type supPage struct {
	page
	Nav string
}

func (s *Server) newSupPage(r *http.Request, title string) supPage {
	// The demo's round and cases are invented like its figures: banner them alike. A
	// failed read of the mark leaves the banner off; the page's own reads report it.
	demo, _ := s.isDemo(r.Context())
	p := s.newPage(r, demo)
	p.Title = title
	return supPage{page: p}
}

// stateWords is a state's label in the page's language.
func stateWords(lang string, e sv.Entity, st string) string {
	zh, en := sv.StateLabel(e, st)
	return pick(lang, zh, en)
}

func actionWords(lang string, e sv.Entity, a string) string {
	zh, en := sv.ActionLabel(e, a)
	return pick(lang, zh, en)
}

// taskRow is a line of the inbox.
type taskRow struct {
	What, Org, State, Action, Due, URL string
	Overdue                            bool
}

// roundRow is a line of the rounds table.
type roundRow struct {
	ID                         int64
	Title, Subject, State, URL string
	Year                       int
	SelfDue                    string
	Orgs, Submitted, Verified  int
	Closed                     bool
}

type supChoice struct{ Value, Label string }

type supHome struct {
	supPage
	Inbox     []taskRow
	Rounds    []roundRow
	CanOpen   bool
	Subjects  []supChoice
	Districts []supChoice
	Year      int
	CasesURL  string
}

func (s *Server) handleSupervisionPage(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), s.actor(r)
	lang := langOf(r)
	d := supHome{supPage: s.newSupPage(r, locale.T(lang, "sup_title"))}
	box, err := s.supFor(r).Inbox(ctx, a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	for _, t := range box {
		row := taskRow{What: t.Title, Org: pick(lang, t.OrgName, t.OrgNameEn), Due: t.Due, Overdue: t.Overdue}
		e := sv.Entity(t.Kind)
		row.State, row.Action = stateWords(lang, e, t.State), actionWords(lang, e, t.Action)
		if e == sv.Case {
			row.URL = d.link(fmt.Sprintf("/supervision/cases/%d", t.Case), nil)
		} else {
			row.URL = d.link(fmt.Sprintf("/supervision/rounds/%d/%s", t.Round, url.PathEscape(t.Org)), nil)
		}
		d.Inbox = append(d.Inbox, row)
	}
	rounds, err := s.supFor(r).Rounds(ctx, a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	for _, rv := range rounds {
		d.Rounds = append(d.Rounds, roundRow{ID: rv.ID, Title: rv.Title, Subject: pick(lang, rv.SubjectName, rv.SubjectNameEn), Year: rv.Year,
			State: stateWords(lang, sv.Round, rv.Status), Closed: rv.Status == sv.Closed, URL: d.link(fmt.Sprintf("/supervision/rounds/%d", rv.ID), nil),
			SelfDue: rv.SelfDue, Orgs: len(rv.Evals), Submitted: rv.Counts[sv.Submitted] + rv.Counts[sv.Verified], Verified: rv.Counts[sv.Verified]})
	}
	d.CanOpen = len(sv.Allowed(a.Principal, s.pack.Tenant, sv.Round, sv.None, s.pack.Tenant, "")) > 0 && a.Org == s.pack.Tenant
	if d.CanOpen {
		for _, st := range s.pack.Standards {
			d.Subjects = append(d.Subjects, supChoice{"standard:" + st.Code, locale.T(lang, "sup_subject_standard") + pick(lang, st.Name, st.NameEn)})
		}
		d.Subjects = append(d.Subjects, supChoice{sv.KindIndicators, locale.T(lang, "sup_subject_indicators")},
			supChoice{sv.KindCommitments, locale.T(lang, "sup_subject_commitments")}, supChoice{sv.KindLedger, locale.T(lang, "sup_subject_ledger")})
		for _, c := range s.pack.Checklists {
			d.Subjects = append(d.Subjects, supChoice{"checklist:" + c.Code, locale.T(lang, "sup_subject_checklist") + pick(lang, c.Name, c.NameEn)})
		}
		for _, o := range s.pack.Districts() {
			d.Districts = append(d.Districts, supChoice{o.Code, pick(lang, o.Name, o.NameEn)})
		}
		d.Year = s.pack.BaselineYear
		if ys := s.engine(r).Years(); len(ys) > 0 {
			d.Year = ys[len(ys)-1]
		}
	}
	d.CasesURL = d.link("/supervision/cases", nil)
	s.renderPage(w, r, "supervision", d)
}

// parseForm reads a supervision form, multipart or not, bounded.
func (s *Server) parseSupForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxSupForm)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return plan.Errorf(plan.EINVALID, "提交的内容超过 %d MB", "the form is larger than %d MB", maxSupForm>>20)
	}
	if err != nil {
		return plan.Errorf(plan.EINVALID, "表单无法读取：%v", "the form cannot be read: %v", err)
	}
	return nil
}

// files returns the evidence files of a form's field.
func files(r *http.Request, field string) ([]sv.File, func(), error) {
	var out []sv.File
	var open []multipart.File
	done := func() {
		for _, f := range open {
			f.Close()
		}
	}
	if r.MultipartForm == nil {
		return nil, done, nil
	}
	for _, fh := range r.MultipartForm.File[field] {
		if fh.Size == 0 && fh.Filename == "" {
			continue
		}
		f, err := fh.Open()
		if err != nil {
			done()
			return nil, func() {}, err
		}
		open = append(open, f)
		out = append(out, sv.File{Name: fh.Filename, R: f})
	}
	return out, done, nil
}

// seeOther sends the browser back to a page after a step, in its language.
func (s *Server) seeOther(w http.ResponseWriter, r *http.Request, path string) {
	if r.URL.Query().Get("lang") == langEn {
		path += "?lang=en"
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

func (s *Server) handleRoundOpen(w http.ResponseWriter, r *http.Request) {
	if err := s.parseSupForm(w, r); err != nil {
		s.pageError(w, r, err)
		return
	}
	year, _ := strconv.Atoi(r.PostFormValue("year"))
	kind, subject, _ := strings.Cut(r.PostFormValue("subject"), ":")
	nr := sv.NewRound{Title: r.PostFormValue("title"), Kind: kind, Subject: subject, Year: year, Orgs: r.PostForm["org"],
		SelfDue: r.PostFormValue("self_due"), VerifyDue: r.PostFormValue("verify_due"), RectifyDue: r.PostFormValue("rectify_due")}
	rd, err := s.supFor(r).OpenRound(r.Context(), s.actor(r), nr)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.seeOther(w, r, fmt.Sprintf("/supervision/rounds/%d", rd.ID))
}

func idParam(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, plan.Errorf(plan.ENOTFOUND, "%q 不是编号", "%q is not a number", v)
	}
	return n, nil
}

// roundPage is a round with its report.
type roundPage struct {
	supPage
	Round    store.SupRound
	Subject  string
	State    string
	Rows     []roundOrgRow
	Summary  sv.Summary
	Themes   []supChoice
	XLSXURL  string
	DOCXURL  string
	HTMLURL  string
	CanClose bool
	HomeURL  string
}

type roundOrgRow struct {
	sv.ReportRow
	Name, State, Result, URL string
}

func (s *Server) handleRoundPage(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	a, lang := s.actor(r), langOf(r)
	rep, err := s.supFor(r).RoundReport(r.Context(), a, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := roundPage{supPage: s.newSupPage(r, rep.Round.Title), Round: rep.Round, Subject: pick(lang, rep.SubjectName, rep.SubjectNameEn),
		State: stateWords(lang, sv.Round, rep.Round.Status), Summary: rep.Summary}
	for _, row := range rep.Rows {
		d.Rows = append(d.Rows, roundOrgRow{ReportRow: row, Name: pick(lang, row.Name, row.NameEn), State: stateWords(lang, sv.Evaluation, row.Status),
			Result: pick(lang, row.ResultName, row.ResultNameEn),
			URL:    d.link(fmt.Sprintf("/supervision/rounds/%d/%s", id, url.PathEscape(row.Org)), nil)})
	}
	for th, n := range rep.Summary.Themes {
		d.Themes = append(d.Themes, supChoice{th, strconv.Itoa(n)})
	}
	slices.SortFunc(d.Themes, func(x, y supChoice) int { return strings.Compare(x.Value, y.Value) })
	d.XLSXURL = fmt.Sprintf("/supervision/rounds/%d/report.xlsx", id)
	q := url.Values{}
	if lang == langEn {
		q.Set("lang", langEn)
	}
	d.DOCXURL, d.HTMLURL = roundURL(id, "/report.docx", q), roundURL(id, "/report.html", q)
	d.CanClose = rep.Round.Status == sv.Open && len(sv.Allowed(a.Principal, s.pack.Tenant, sv.Round, sv.Open, s.pack.Tenant, "")) > 0 && a.Org == s.pack.Tenant
	d.HomeURL = d.link("/supervision", nil)
	s.renderPage(w, r, "supervision_round", d)
}

func (s *Server) handleRoundXLSX(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	rep, err := s.supFor(r).RoundReport(r.Context(), s.actor(r), id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := rep.WriteXLSX(&buf); err != nil {
		s.pageError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="round-%d.xlsx"`, id))
	w.Write(buf.Bytes())
}

// roundDocument lays out a round's report as a document (督导报告) in the page's
// language, and sets its ETag: the document is dated to the minute it is written, and
// tagged by what it reports (as of today: overdue cases), so an unchanged round is
// answered 304.
func (s *Server) roundDocument(w http.ResponseWriter, r *http.Request) (*report.Report, int64, bool) {
	id, err := idParam(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return nil, 0, false
	}
	rep, err := s.supFor(r).RoundReport(r.Context(), s.actor(r), id)
	if err != nil {
		s.pageError(w, r, err)
		return nil, 0, false
	}
	facts, err := json.Marshal(rep)
	if err != nil {
		s.pageError(w, r, err)
		return nil, 0, false
	}
	lang, now := langOf(r), time.Now().In(s.zone)
	w.Header().Set("ETag", contentTag(append(facts, "\x00"+lang+"\x00"+r.URL.Path+"\x00"+now.Format(time.DateOnly)...)))
	return rep.Document(lang, now), id, true
}

// handleRoundDOCX writes a round's report as a Word document (督导报告).
func (s *Server) handleRoundDOCX(w http.ResponseWriter, r *http.Request) {
	doc, id, ok := s.roundDocument(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := doc.WriteDOCX(&buf); err != nil {
		s.pageError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="round-%d.docx"`, id))
	w.Write(buf.Bytes())
}

// handleRoundHTML writes a round's report as a print-ready page, as the evaluation
// report's: its own style sheet and nothing else.
func (s *Server) handleRoundHTML(w http.ResponseWriter, r *http.Request) {
	doc, id, ok := s.roundDocument(w, r)
	if !ok {
		return
	}
	q := url.Values{}
	if langOf(r) == langEn {
		q.Set("lang", langEn)
	}
	s.writeReportHTML(w, r, doc, report.HTMLOptions{DocxURL: roundURL(id, "/report.docx", q), BackURL: roundURL(id, "", q)})
}

// roundURL is the path of a round's page, or of one of its downloads, with the query.
func roundURL(id int64, suffix string, q url.Values) string {
	u := fmt.Sprintf("/supervision/rounds/%d%s", id, suffix)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

func (s *Server) handleRoundPost(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.parseSupForm(w, r); err != nil {
		s.pageError(w, r, err)
		return
	}
	if r.PostFormValue("do") != "close" {
		s.pageError(w, r, plan.Errorf(plan.EINVALID, "未知操作", "unknown step"))
		return
	}
	if err := s.supFor(r).CloseRound(r.Context(), s.actor(r), id); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.seeOther(w, r, fmt.Sprintf("/supervision/rounds/%d", id))
}
