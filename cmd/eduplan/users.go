package main

import (
	"bufio"
	"fmt"
	"io"
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
					return err
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
					return err
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
					return err
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
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "已结束 %s 的 %d 个会话 ended %d sessions of %s\n", args[0], n, n, args[0])
				return nil
			})
		},
	}
}
