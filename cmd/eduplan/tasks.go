package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/ledger"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

func newTasksCmd(g *globals) *cobra.Command {
	var format string
	list := func(cmd *cobra.Command, args []string) error {
		if err := wantFormat(format, "csv", "json", "table"); err != nil {
			return err
		}
		return g.withDB(cmd.Context(), func(db *store.DB, pack *plan.Pack) error {
			tasks, err := ledger.Tasks(cmd.Context(), db, pack.FullScope(), pack)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				return writeJSON(cmd.OutOrStdout(), tasks)
			case "csv":
				return writeTasksCSV(cmd.OutOrStdout(), tasks)
			}
			return writeTasks(cmd.OutOrStdout(), tasks, g)
		})
	}
	cmd := &cobra.Command{
		Use:   "tasks",
		Short: "The ledger (台账) of the plan's 33 main tasks: status, milestones, evidence, history",
		Long: `The ledger (台账) of the plan's main tasks (主要任务): each task's lead and cooperating units
and milestones from the plan pack, and its status (未启动 not_started, 进行中 in_progress,
已完成 done, 滞后 delayed), milestones done and evidence note from the database. Every
change is kept in the task's history and in the audit log.`,
		Example: `  eduplan tasks
  eduplan tasks show 22
  eduplan tasks set 22 --status in_progress --note "实验区方案已印发" --milestone 1 --done`,
		Args: cobra.NoArgs,
		RunE: list,
	}
	cmd.PersistentFlags().StringVar(&format, "format", "table", "output format: table or json (and csv for the list)")
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the main tasks with their status and milestones done",
		Args:  cobra.NoArgs,
		RunE:  list,
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "show N",
		Short: "Show main task N with its milestones and history",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := wantFormat(format, "table", "json"); err != nil {
				return err
			}
			n, err := taskNumber(args[0])
			if err != nil {
				return err
			}
			return g.withDB(cmd.Context(), func(db *store.DB, pack *plan.Pack) error {
				d, err := ledger.TaskWithHistory(cmd.Context(), db, pack.FullScope(), pack, n)
				if err != nil {
					return err
				}
				if format == "json" {
					return writeJSON(cmd.OutOrStdout(), d)
				}
				return writeTask(cmd.OutOrStdout(), d, g)
			})
		},
	})
	cmd.AddCommand(newTasksSetCmd(g, &format))
	return cmd
}

func newTasksSetCmd(g *globals, format *string) *cobra.Command {
	var status, note string
	var milestones []int
	var done, undone bool
	cmd := &cobra.Command{
		Use:   "set N",
		Short: "Change main task N's status, evidence note or milestones; the change is kept in its history",
		Example: `  eduplan tasks set 7 --status 进行中
  eduplan tasks set 7 --note "法育工程实施方案已印发（烟教发〔2022〕3号）"
  eduplan tasks set 22 --milestone 1 --milestone 2 --done
  eduplan tasks set 22 --milestone 2 --undone`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := wantFormat(*format, "table", "json"); err != nil {
				return err
			}
			n, err := taskNumber(args[0])
			if err != nil {
				return err
			}
			edit := store.TaskEdit{Number: n, Actor: "cli:" + currentUser(), Remote: "cli"}
			flags := cmd.Flags()
			if flags.Changed("status") {
				st, err := plan.ParseTaskStatus(status)
				if err != nil {
					return err
				}
				edit.Status = &st
			}
			if flags.Changed("note") {
				edit.Note = &note
			}
			switch {
			case len(milestones) > 0 && done == undone:
				return usageError("--milestone 需要 --done 或 --undone", "--milestone needs --done or --undone")
			case len(milestones) == 0 && (done || undone):
				return usageError("--done 和 --undone 需要 --milestone I", "--done and --undone need --milestone I")
			}
			for _, i := range milestones {
				edit.Milestones = append(edit.Milestones, store.MilestoneEdit{Index: i, Done: done})
			}
			return g.withDBCreating(cmd.Context(), true, func(db *store.DB, pack *plan.Pack) error {
				if _, err := ledger.Edit(cmd.Context(), db, pack.FullScope(), pack, edit); err != nil {
					return err
				}
				d, err := ledger.TaskWithHistory(cmd.Context(), db, pack.FullScope(), pack, n)
				if err != nil {
					return err
				}
				if *format == "json" {
					return writeJSON(cmd.OutOrStdout(), d)
				}
				return writeTask(cmd.OutOrStdout(), d, g)
			})
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "not_started (未启动), in_progress (进行中), done (已完成) or delayed (滞后)")
	cmd.Flags().StringVar(&note, "note", "", "the evidence note: what was done, where the documents are (replaces the note; \"\" clears it)")
	cmd.Flags().IntSliceVar(&milestones, "milestone", nil, "a milestone's number (1, 2, ... as `tasks show` lists them); repeat for more")
	cmd.Flags().BoolVar(&done, "done", false, "mark the --milestone done")
	cmd.Flags().BoolVar(&undone, "undone", false, "mark the --milestone not done")
	return cmd
}

func taskNumber(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, usageError(fmt.Sprintf("%q 不是任务编号：请用 `eduplan tasks` 列出的 1、2……", s), fmt.Sprintf("%q is not a task number: give 1, 2, ... as `eduplan tasks` lists them", s))
	}
	return n, nil
}

// writeTasksCSV writes one row per main task; updated_at is RFC 3339 in UTC.
func writeTasksCSV(w io.Writer, tasks []ledger.Task) error {
	rows := [][]string{{"number", "title", "section", "lead", "status", "milestones_done", "milestones", "updated_at", "updated_by"}}
	for _, t := range tasks {
		at := ""
		if t.UpdatedAt != nil {
			at = t.UpdatedAt.UTC().Format(time.RFC3339)
		}
		rows = append(rows, []string{strconv.Itoa(t.Number), t.Title, t.Section, t.Lead.Name, string(t.Status),
			strconv.Itoa(t.MilestonesDone), strconv.Itoa(len(t.Milestones)), at, t.UpdatedBy})
	}
	return writeCSV(w, rows)
}

func writeTasks(w io.Writer, tasks []ledger.Task, g *globals) error {
	l := g.lang
	tw := newTable(w)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", locale.T(string(l), "cli_no"), locale.T(string(l), "cli_task"), locale.T(string(l), "cli_lead"),
		locale.T(string(l), "cli_status"), locale.T(string(l), "cli_milestones"), locale.T(string(l), "cli_updated")+" ("+g.zone.String()+")")
	for _, t := range tasks {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d/%d\t%s\n", t.Number, l.say(t.Title, t.TitleEn), l.say(t.Lead.Name, t.Lead.NameEn),
			l.say(t.StatusLabel, t.StatusLabelEn), t.MilestonesDone, len(t.Milestones), updated(g, t))
	}
	return tw.Flush()
}

// updated says when and by whom a task was last changed, "-" if never.
func updated(g *globals, t ledger.Task) string {
	if t.UpdatedAt == nil {
		return "-"
	}
	return g.clock(*t.UpdatedAt) + " " + t.UpdatedBy
}

func writeTask(w io.Writer, d ledger.TaskDetail, g *globals) error {
	t := d.Task
	fmt.Fprintf(w, "%d  %s\n   %s\n\n", t.Number, t.Title, t.TitleEn)
	tw := newTable(w)
	fmt.Fprintf(tw, "section 章节\t%s %s\n", t.Section, t.Chapter)
	fmt.Fprintf(tw, "lead 牵头单位\t%s (%s)\n", t.Lead.Name, t.Lead.NameEn)
	co := make([]string, len(t.Cooperating))
	for i, u := range t.Cooperating {
		co[i] = u.Name
	}
	fmt.Fprintf(tw, "cooperating 配合单位\t%s\n", dash(strings.Join(co, "、")))
	fmt.Fprintf(tw, "status 状态\t%s %s\n", t.StatusLabel, t.Status)
	fmt.Fprintf(tw, "note 说明\t%s\n", dash(t.Note))
	fmt.Fprintf(tw, "updated 更新 (%s)\t%s\n", g.zone, updated(g, t))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nmilestones 里程碑 (%d/%d done)\n", t.MilestonesDone, len(t.Milestones))
	for _, m := range t.Milestones {
		mark, on := "[ ]", ""
		if m.Done {
			mark, on = "[x]", "  (done "+m.DoneOn+")"
		}
		fmt.Fprintf(w, "  %d %s %d  %s%s\n", m.Index, mark, m.Year, m.Text, on)
	}
	fmt.Fprintf(w, "\nhistory 修改记录 (%d) · %s\n", len(d.History), g.zone)
	for _, c := range d.History {
		fmt.Fprintf(w, "  %s  %s (%s): %s\n", c.At.In(g.zone).Format("2006-01-02 15:04:05"), c.Actor, c.Remote, c.Summary())
	}
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
