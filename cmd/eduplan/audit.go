package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

func newAuditCmd(g *globals) *cobra.Command {
	var q store.AuditQuery
	var format string
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Show the audit log: every change, who made it, when and from where (newest first)",
		Example: `  eduplan audit
  eduplan audit --action import --limit 20
  eduplan audit --actor ana --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := wantFormat(format, "table", "csv", "json"); err != nil {
				return err
			}
			return g.withDB(cmd.Context(), func(db *store.DB, pack *plan.Pack) error {
				log, err := db.AuditLog(cmd.Context(), pack.Tenant, q)
				if err != nil {
					return err
				}
				switch format {
				case "json":
					if log == nil {
						log = []store.AuditEntry{}
					}
					return writeJSON(cmd.OutOrStdout(), log)
				case "csv":
					return writeCSV(cmd.OutOrStdout(), auditCSV(log, g.zone))
				}
				l := g.lang
				tw := newTable(cmd.OutOrStdout())
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", locale.T(string(l), "cli_id"), locale.T(string(l), "cli_at")+" ("+g.zone.String()+")",
					locale.T(string(l), "cli_actor"), locale.T(string(l), "cli_action"), locale.T(string(l), "cli_object"), locale.T(string(l), "cli_detail"), locale.T(string(l), "cli_from"))
				for _, e := range log {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.At.In(g.zone).Format(time.DateTime), e.Actor, e.Action, e.Object, l.say(e.Detail, e.DetailEn), e.Remote)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&q.Actor, "actor", "", "only this actor's entries")
	cmd.Flags().StringVar(&q.Action, "action", "", "only entries of this action (import, replace, user.add, task.edit, login, ...)")
	cmd.Flags().Int64Var(&q.Before, "before", 0, "only entries older than this id")
	cmd.Flags().IntVar(&q.Limit, "limit", 100, "at most this many entries")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return cmd
}

// auditCSV is the audit log as CSV rows, the header first: times in the zone with its
// offset (RFC 3339), the detail in both languages.
func auditCSV(log []store.AuditEntry, zone *time.Location) [][]string {
	rows := [][]string{{"id", "at", "actor", "action", "object", "detail_zh", "detail_en", "from"}}
	for _, e := range log {
		rows = append(rows, []string{strconv.FormatInt(e.ID, 10), e.At.In(zone).Format(time.RFC3339), e.Actor, e.Action, e.Object, e.Detail, e.DetailEn, e.Remote})
	}
	return rows
}
