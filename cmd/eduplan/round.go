package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/report"
	"github.com/yantai-edu/eduplan/internal/store"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
)

func newRoundCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "round",
		Short: "Rounds of supervision (督导轮次): open, list, show, report, close",
		Long: `A round of supervision assesses a standard, the plan's headline indicators, the task
ledger by district, or a checklist of the pack, for a year, over districts (or, for a
checklist at institution level, institutions). Each covered org evaluates itself on the
pages (/supervision); the city verifies item by item, raises findings, and follows each
finding's rectification to its re-check. The command line acts as the city's
administrator, and every step it takes is recorded and audited like one on the pages.

round 督导轮次：开启、列出、查看、导出报告、关闭。区市在网页上自评，市级逐项验证、
提出问题并跟踪整改、复查销号；命令行以市级管理员身份操作，每一步都记录并审计。`,
		Example: `  eduplan round open --title "2025 年区市政府履行教育职责督导" --kind checklist --subject district_duty --year 2025 --self-due 2026-03-31
  eduplan round list
  eduplan round show 1
  eduplan round show 1 --org 370602
  eduplan round report 1 --xlsx round-1.xlsx
  eduplan round close 1`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newRoundOpenCmd(g), newRoundListCmd(g), newRoundShowCmd(g), newRoundReportCmd(g), newRoundCloseCmd(g))
	return cmd
}

// withSupervision opens the database and computes the indicators for a supervision
// service acting as the command line's administrator.
func (g *globals) withSupervision(ctx context.Context, fn func(*sv.Service, sv.Actor) error) error {
	return g.withEngine(ctx, func(db *store.DB, e *indicator.Engine) error {
		pack := e.Pack()
		s := &sv.Service{DB: db, Pack: pack, Engine: func() *indicator.Engine { return e }, Zone: g.zone}
		a := sv.Actor{Principal: auth.Principal{User: "cli:" + currentUser(), Role: auth.Admin, Org: pack.Tenant}, Remote: "cli"}
		return fn(s, a)
	})
}

func roundNumber(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, usageError(fmt.Sprintf("%q 不是督导轮次编号", s), fmt.Sprintf("%q is not a round number", s))
	}
	return n, nil
}

func newRoundOpenCmd(g *globals) *cobra.Command {
	var nr sv.NewRound
	cmd := &cobra.Command{
		Use:   "open",
		Short: "Open a round: each covered org's self-evaluation starts in draft",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withSupervision(cmd.Context(), func(s *sv.Service, a sv.Actor) error {
				r, err := s.OpenRound(cmd.Context(), a, nr)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "督导轮次 %d 已开启，覆盖 %d 个单位 / round %d opened over %d orgs\n", r.ID, len(r.Orgs), r.ID, len(r.Orgs))
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&nr.Title, "title", "", "the round's title")
	f.StringVar(&nr.Kind, "kind", "", "what it assesses: standard, indicators, commitments, ledger or checklist")
	f.StringVar(&nr.Subject, "subject", "", "the standard's or checklist's code")
	f.IntVar(&nr.Year, "year", 0, "the year assessed")
	f.StringSliceVar(&nr.Orgs, "org", nil, "a district (or institution) covered; repeat; none covers all")
	f.StringVar(&nr.SelfDue, "self-due", "", "self-evaluations due (YYYY-MM-DD)")
	f.StringVar(&nr.VerifyDue, "verify-due", "", "verification due (YYYY-MM-DD)")
	f.StringVar(&nr.RectifyDue, "rectify-due", "", "rectification due (YYYY-MM-DD): the due date of a finding that gives none; without it every finding must give its own")
	cmd.MarkFlagRequired("title")
	cmd.MarkFlagRequired("kind")
	cmd.MarkFlagRequired("year")
	return cmd
}

func newRoundListCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the rounds with how far their self-evaluations have come",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := wantFormat(format, "table", "json"); err != nil {
				return err
			}
			return g.withSupervision(cmd.Context(), func(s *sv.Service, a sv.Actor) error {
				rs, err := s.Rounds(cmd.Context(), a)
				if err != nil {
					return err
				}
				if format == "json" {
					return writeJSON(cmd.OutOrStdout(), rs)
				}
				tw := newTable(cmd.OutOrStdout())
				fmt.Fprintln(tw, "编号 no.\t标题 title\t内容 subject\t年度 year\t状态 state\t已提交 submitted\t已验证 verified\t单位 orgs")
				for _, r := range rs {
					zh, en := sv.StateLabel(sv.Round, r.Status)
					fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%d\t%d\t%d\n", r.ID, r.Title, g.lang.say(r.SubjectName, r.SubjectNameEn), r.Year,
						g.lang.say(zh, en), r.Counts[sv.Submitted]+r.Counts[sv.Verified], r.Counts[sv.Verified], len(r.Evals))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

func newRoundShowCmd(g *globals) *cobra.Command {
	var format, org string
	cmd := &cobra.Command{
		Use:   "show N",
		Short: "Show round N: its report by org, or with --org one org's self-evaluation",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := wantFormat(format, "table", "json"); err != nil {
				return err
			}
			id, err := roundNumber(args[0])
			if err != nil {
				return err
			}
			return g.withSupervision(cmd.Context(), func(s *sv.Service, a sv.Actor) error {
				if org != "" {
					v, err := s.Evaluation(cmd.Context(), a, id, org)
					if err != nil {
						return err
					}
					if format == "json" {
						return writeJSON(cmd.OutOrStdout(), v)
					}
					return writeEvaluation(cmd.OutOrStdout(), g, v)
				}
				rep, err := s.RoundReport(cmd.Context(), a, id)
				if err != nil {
					return err
				}
				if format == "json" {
					return writeJSON(cmd.OutOrStdout(), rep)
				}
				return writeRoundReport(cmd.OutOrStdout(), g, rep)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	cmd.Flags().StringVar(&org, "org", "", "show this org's self-evaluation")
	return cmd
}

func writeRoundReport(w io.Writer, g *globals, rep *sv.Report) error {
	r := rep.Round
	fmt.Fprintf(w, "%d. %s — %s, %d\n", r.ID, r.Title, g.lang.say(rep.SubjectName, rep.SubjectNameEn), r.Year)
	s := rep.Summary
	fmt.Fprintf(w, "单位 orgs %d · 已提交 submitted %d · 已验证 verified %d · 达标项 met %d · 退回项 returned %d · 问题 findings %d · 未销号 open %d · 逾期 overdue %d\n\n",
		s.Orgs, s.Submitted, s.Verified, s.Met, s.Returned, s.Findings, s.OpenCases, s.Overdue)
	tw := newTable(w)
	fmt.Fprintln(tw, "单位 org\t名称 name\t状态 state\t结论 result\t达标 met\t部分 partly\t未达标 not met\t认可 accepted\t退回 returned\t问题 findings\t未销号 open")
	for _, row := range rep.Rows {
		zh, en := sv.StateLabel(sv.Evaluation, row.Status)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", row.Org, g.lang.say(row.Name, row.NameEn), g.lang.say(zh, en), g.lang.say(row.ResultName, row.ResultNameEn),
			row.Met, row.Partly, row.NotMet, row.Accepted, row.Returned, row.Findings, row.OpenCases)
	}
	return tw.Flush()
}

func writeEvaluation(w io.Writer, g *globals, v *sv.EvalView) error {
	zh, en := sv.StateLabel(sv.Evaluation, v.Eval.Status)
	fmt.Fprintf(w, "%s · %s — %s", g.lang.say(v.OrgName, v.OrgNameEn), v.Round.Title, g.lang.say(zh, en))
	if v.Eval.Result != "" {
		fmt.Fprintf(w, " · %s %s", locale.T(string(g.lang), "cli_result"), g.lang.say(v.ResultName, v.ResultNameEn))
	}
	fmt.Fprintln(w)
	if v.Submitted != nil {
		fmt.Fprintf(w, "第 %d 次提交 submission %d, %s, sha256 %s\n", v.Submitted.N, v.Submitted.N, g.clock(v.Submitted.At), v.Submitted.SHA256)
	}
	tw := newTable(w)
	fmt.Fprintln(tw, "项 item\t提交时 as submitted\t当前 now\t自评 answer\t审核 review\t佐证 evidence")
	for _, it := range v.Items {
		frozen, live := "", ""
		if it.Frozen != nil {
			frozen = it.Frozen.TextAt(it.Decimals)
		}
		if it.Live != nil {
			live = it.Live.TextAt(it.Decimals)
			if it.Moved {
				live += " *"
			}
		}
		azh, aen := sv.AnswerLabel(v.Round.SubjectKind, it.Answer)
		vzh, ven := sv.StateLabel(sv.Item, it.Verdict)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", it.Code, frozen, live, g.lang.say(azh, aen), g.lang.say(vzh, ven), len(it.Evidence))
	}
	return tw.Flush()
}

func newRoundReportCmd(g *globals) *cobra.Command {
	var out, word, page string
	cmd := &cobra.Command{
		Use:   "report N --xlsx FILE | --docx FILE | --html FILE",
		Short: "Write round N's report as a workbook, a Word document or a print-ready HTML page: the city's summary, each org, the cases",
		Long: `report writes round N's report (督导报告): the city's summary, a row per org, the findings
by theme and every case. The workbook has its headings in both languages; the Word
document and the HTML page are written as the evaluation report is, in Chinese, or in
English with --lang en.

report 导出督导报告（Excel、Word 或可打印网页）；--lang en 时 Word 与网页为英文。`,
		Example: `  eduplan round report 1 --xlsx round-1.xlsx --docx 督导报告.docx
  eduplan round report 1 --docx round-1.docx --html round-1.html --lang en`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := roundNumber(args[0])
			if err != nil {
				return err
			}
			return g.withSupervision(cmd.Context(), func(s *sv.Service, a sv.Actor) error {
				rep, err := s.RoundReport(cmd.Context(), a, id)
				if err != nil {
					return err
				}
				write := func(path string, fn func(io.Writer) error) error {
					if path == "" {
						return nil
					}
					f, err := os.Create(path)
					if err != nil {
						return err
					}
					if err := fn(f); err != nil {
						f.Close()
						return err
					}
					return f.Close()
				}
				if err := write(out, rep.WriteXLSX); err != nil {
					return err
				}
				doc := rep.Document(string(g.lang), time.Now().In(g.zone))
				if err := write(word, doc.WriteDOCX); err != nil {
					return err
				}
				return write(page, func(w io.Writer) error { return doc.WriteHTML(w, report.HTMLOptions{DocxURL: "#", BackURL: "#"}) })
			})
		},
	}
	cmd.Flags().StringVar(&out, "xlsx", "", "the workbook to write")
	cmd.Flags().StringVar(&word, "docx", "", "the Word document to write (in English with --lang en, else in Chinese)")
	cmd.Flags().StringVar(&page, "html", "", "the print-ready HTML page to write (in English with --lang en, else in Chinese)")
	cmd.MarkFlagsOneRequired("xlsx", "docx", "html")
	return cmd
}

func newRoundCloseCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "close N",
		Short: "Close round N: its self-evaluations no longer change (its cases go on)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := roundNumber(args[0])
			if err != nil {
				return err
			}
			return g.withSupervision(cmd.Context(), func(s *sv.Service, a sv.Actor) error {
				if err := s.CloseRound(cmd.Context(), a, id); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "督导轮次 %d 已关闭 / round %d closed\n", id, id)
				return nil
			})
		},
	}
}
