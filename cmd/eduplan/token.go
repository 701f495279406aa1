package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/auth"
)

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
					return err
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
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "已撤销令牌 revoked token #%d\n", id)
				return nil
			})
		},
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}
