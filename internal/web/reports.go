package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/report"
)

// The evaluation report: GET /reports/{kind}/{year} (print-ready HTML) and
// /reports/{kind}/{year}/report.docx (Word). Both show ?edition=N, else the edition of
// the review last published, else — or with live=true — the live figures as a draft.

// reportOf lays out the report a request asks for. An edition's report is dated by the
// edition, so it is the same bytes each time; a draft is dated now, and the ETag of its
// documents (set here) is the hash of its figures and language, not of its bytes, so a
// reader whose copy holds the same figures is answered 304 though the minute differs.
func (s *Server) reportOf(w http.ResponseWriter, r *http.Request) (*report.Report, string, int, url.Values, error) {
	kind := r.PathValue("kind")
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return nil, "", 0, nil, plan.Errorf(plan.ENOTFOUND, "没有 %s 年的评估报告", "no report for the year %s", r.PathValue("year"))
	}
	if err := edition.CheckKind(s.pack, kind, year); err != nil {
		return nil, "", 0, nil, plan.Errorf(plan.ENOTFOUND, "没有此评估报告：%s %d", "no such report: %s %d", kind, year)
	}
	lang := langOf(r)
	now := time.Now()
	opt := report.Options{Lang: lang, Generated: now}
	q := url.Values{}
	var ed *edition.Edition
	switch live, _ := strconv.ParseBool(r.URL.Query().Get("live")); {
	case r.URL.Query().Get("edition") != "":
		r.SetPathValue("n", r.URL.Query().Get("edition"))
		if ed, err = s.editionFor(r, "n"); err != nil {
			return nil, "", 0, nil, err
		}
		if ed.Kind != kind || ed.AsOf != year {
			return nil, "", 0, nil, plan.Errorf(plan.EINVALID, "版本 %d 是 %s %d 的评估，不是 %s %d", "edition %d is the %s review as of %d, not %s %d",
				ed.Number, ed.Kind, ed.AsOf, kind, year)
		}
	case !live:
		if ed, err = edition.Published(r.Context(), s.db, s.pack, kind, year); err != nil {
			return nil, "", 0, nil, err
		}
	}
	var c *edition.Content
	if ed != nil {
		c, opt.Edition = ed.Content, &ed.EditionHeader
		opt.Generated = ed.Dated()
		q.Set("edition", strconv.Itoa(ed.Number))
	} else {
		if c, err = edition.Build(r.Context(), s.db, s.engine(r), kind, year, ""); err != nil {
			return nil, "", 0, nil, err
		}
		canon, err := edition.Canonical(c)
		if err != nil {
			return nil, "", 0, nil, err
		}
		w.Header().Set("ETag", contentTag(append(canon, "\x00"+lang+"\x00"+r.URL.Path...)))
		q.Set("live", "true")
	}
	if lang == langEn {
		q.Set("lang", langEn)
	}
	if ed != nil {
		return s.reports.editionReport(ed, lang, func() *report.Report { return report.Build(s.pack, c, opt) }), kind, year, q, nil
	}
	return report.Build(s.pack, c, opt), kind, year, q, nil
}

func (s *Server) handleReportPage(w http.ResponseWriter, r *http.Request) {
	rep, kind, year, q, err := s.reportOf(w, r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	back := url.Values{"kind": {kind}, "as_of": {strconv.Itoa(year)}}
	if q.Has("live") {
		back.Set("live", "true")
	}
	if q.Has("lang") {
		back.Set("lang", langEn)
	}
	s.writeReportHTML(w, r, rep, report.HTMLOptions{
		DocxURL: fmt.Sprintf("/reports/%s/%d/report.docx?%s", kind, year, q.Encode()),
		BackURL: "/review?" + back.Encode(),
	})
}

// writeReportHTML serves a report (the plan's review, or a round of supervision) as its
// print-ready page.
func (s *Server) writeReportHTML(w http.ResponseWriter, r *http.Request, rep *report.Report, opt report.HTMLOptions) {
	var buf bytes.Buffer
	if err := rep.WriteHTML(&buf, opt); err != nil {
		s.pageError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	// The report is one self-contained page: its own style sheet and inline charts.
	h.Set("Content-Security-Policy", rep.HTMLPolicy())
	w.Write(buf.Bytes())
}

func (s *Server) handleReportDocx(w http.ResponseWriter, r *http.Request) {
	rep, kind, year, q, err := s.reportOf(w, r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := rep.WriteDOCX(&buf); err != nil {
		s.pageError(w, r, err)
		return
	}
	name := fmt.Sprintf("%s-%d", kind, year)
	if n := q.Get("edition"); n != "" {
		name += "-edition-" + n
	} else {
		name += "-draft"
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+".docx"))
	w.Write(buf.Bytes())
}
