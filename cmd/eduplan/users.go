package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// cliActor is who the audit log says made a change from the command line.
func cliActor() auth.Actor { return auth.Actor{Name: "cli:" + currentUser(), Remote: "cli"} }

// withUsers runs fn with the user service of the existing database, closing it after.
func (g *globals) withUsers(cmd *cobra.Command, fn func(s *auth.Service) error) error {
	return g.withUsersCreating(cmd, false, fn)
}

// withUsersCreating is withUsers for a command that may create the database (user add,
// so that users can be set up before the first serve).
func (g *globals) withUsersCreating(cmd *cobra.Command, create bool, fn func(s *auth.Service) error) error {
	return g.withDBCreating(cmd.Context(), create, func(db *store.DB, pack *plan.Pack) error { return fn(auth.NewService(db, pack)) })
}

// readPassword reads a password from standard input (its first line), or returns ""
// when standard input is a terminal or empty, for a generated one.
func readPassword(cmd *cobra.Command) (string, error) {
	in := cmd.InOrStdin()
	if isTerminal(in) {
		return "", nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func newUserCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Add, list, change and disable the users who sign in",
		Long: `Users sign in to the web pages or use API tokens. Each has one role, granted on an org unit
(a school clerk: on an institution); the role's scope is that org's subtree.

Roles: admin (everything, users), analyst (read all, import all), inspector (督学: read
across districts), district_officer (read and import within their district),
school_clerk (their institution's files only). Everyone else is the public: published
aggregate indicators only.`,
	}
	cmd.AddCommand(newUserAddCmd(g), newUserListCmd(g), newUserPasswdCmd(g), newUserDisableCmd(g), newUserRevokeCmd(g))
	return cmd
}

func newUserAddCmd(g *globals) *cobra.Command {
	var name, role, org string
	cmd := &cobra.Command{
		Use:   "add --name NAME --role ROLE --org CODE",
		Short: "Add a user (password from standard input, or generated and printed once)",
		Example: `  eduplan user add --name zhifu --role district_officer --org 370602
  echo 'a long passphrase' | eduplan user add --name ana --role analyst --org 370600`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withUsersCreating(cmd, true, func(s *auth.Service) error {
				pw, err := readPassword(cmd)
				if err != nil {
					return err
				}
				got, err := s.AddUser(cmd.Context(), cliActor(), auth.NewUser{Name: name, Role: auth.Role(role), Org: org, Password: pw})
				if err != nil {
					return domainError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "已添加用户 added user %s (%s on %s)\n", name, role, org)
				if pw == "" {
					fmt.Fprintf(cmd.OutOrStdout(), "密码 password (仅显示一次 shown once): %s\n", got)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "user name (required)")
	cmd.Flags().StringVar(&role, "role", "", "admin, analyst, inspector, district_officer or school_clerk (required)")
	cmd.Flags().StringVar(&org, "org", "", "org unit code the role is granted on; an institution code for a school clerk (required)")
	for _, f := range []string{"name", "role", "org"} {
		cmd.MarkFlagRequired(f)
	}
	return cmd
}

func newUserListCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the users",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := wantFormat(format, "table", "json"); err != nil {
				return err
			}
			return g.withUsers(cmd, func(s *auth.Service) error {
				us, err := s.Users(cmd.Context())
				if err != nil {
					return err
				}
				if format == "json" {
					if us == nil {
						us = []store.User{}
					}
					return writeJSON(cmd.OutOrStdout(), us)
				}
				tw := newTable(cmd.OutOrStdout())
				fmt.Fprintf(tw, "name\trole\torg\tstatus\tcreated (%s)\n", g.zone)
				for _, u := range us {
					status := "active"
					if u.Disabled {
						status = "disabled"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, u.Org, status, u.CreatedAt.In(g.zone).Format(time.DateTime))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

func newUserPasswdCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "passwd NAME",
		Short: "Set a user's password (from standard input, or generated and printed once); ends their sessions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withUsers(cmd, func(s *auth.Service) error {
				pw, err := readPassword(cmd)
				if err != nil {
					return err
				}
				got, err := s.SetPassword(cmd.Context(), cliActor(), args[0], pw)
				if err != nil {
					return domainError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "已更改密码 password changed for %s\n", args[0])
				if pw == "" {
					fmt.Fprintf(cmd.OutOrStdout(), "密码 password (仅显示一次 shown once): %s\n", got)
				}
				return nil
			})
		},
	}
}

func newUserDisableCmd(g *globals) *cobra.Command {
	var enable bool
	cmd := &cobra.Command{
		Use:   "disable NAME",
		Short: "Disable a user (ends their sessions, revokes their tokens); --enable undoes it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withUsers(cmd, func(s *auth.Service) error {
				if err := s.SetDisabled(cmd.Context(), cliActor(), args[0], !enable); err != nil {
					return domainError(err)
				}
				if enable {
					fmt.Fprintf(cmd.OutOrStdout(), "已启用 enabled %s\n", args[0])
				} else {
					fmt.Fprintf(cmd.OutOrStdout(), "已停用 disabled %s\n", args[0])
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&enable, "enable", false, "enable the user again")
	return cmd
}

func newUserRevokeCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "logout NAME",
		Short: "End every session of a user (they must sign in again)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withUsers(cmd, func(s *auth.Service) error {
				n, err := s.RevokeSessions(cmd.Context(), cliActor(), args[0])
				if err != nil {
					return domainError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "已结束 %s 的 %d 个会话 ended %d sessions of %s\n", args[0], n, n, args[0])
				return nil
			})
		},
	}
}

func newTokenCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "API tokens for scripts (Authorization: Bearer TOKEN)",
	}
	var user, label string
	create := &cobra.Command{
		Use:     "create --user NAME",
		Short:   "Create an API token for a user and print it once (it is kept only as a hash)",
		Example: `  eduplan token create --user ana --label "nightly import"`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withUsers(cmd, func(s *auth.Service) error {
				tok, id, err := s.CreateToken(cmd.Context(), cliActor(), user, label)
				if err != nil {
					return domainError(err)
				}
				fmt.Fprintln(cmd.OutOrStdout(), tok)
				fmt.Fprintf(cmd.ErrOrStderr(), "令牌 #%d（仅显示一次）token #%d for %s (shown once)\n", id, id, user)
				return nil
			})
		},
	}
	create.Flags().StringVar(&user, "user", "", "the user the token acts as (required)")
	create.Flags().StringVar(&label, "label", "", "what the token is for")
	create.MarkFlagRequired("user")
	var listUser string
	list := &cobra.Command{
		Use:   "list",
		Short: "List API tokens (never their values)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return g.withUsers(cmd, func(s *auth.Service) error {
				ts, err := s.Tokens(cmd.Context(), listUser)
				if err != nil {
					return err
				}
				tw := newTable(cmd.OutOrStdout())
				fmt.Fprintf(tw, "id\tuser\tlabel\tcreated (%s)\tlast used\tstatus\n", g.zone)
				for _, t := range ts {
					used, status := "-", "live"
					if !t.UsedAt.IsZero() {
						used = t.UsedAt.In(g.zone).Format(time.DateTime)
					}
					if t.Revoked {
						status = "revoked"
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.User, t.Label, t.CreatedAt.In(g.zone).Format(time.DateTime), used, status)
				}
				return tw.Flush()
			})
		},
	}
	list.Flags().StringVar(&listUser, "user", "", "only this user's tokens")
	revoke := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API token",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil {
				return usageError("令牌编号须为数字", "token id must be a number")
			}
			return g.withUsers(cmd, func(s *auth.Service) error {
				if err := s.RevokeToken(cmd.Context(), cliActor(), id); err != nil {
					return domainError(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "已撤销令牌 revoked token #%d\n", id)
				return nil
			})
		},
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}

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
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.say("编号", "id"), l.say("时间", "at")+" ("+g.zone.String()+")",
					l.say("操作人", "actor"), l.say("操作", "action"), l.say("对象", "object"), l.say("说明", "detail"), l.say("来源", "from"))
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
