// Command eduplan runs an education development plan: it takes in rosters and reported
// facts, computes the plan's indicators and assesses progress against its targets.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the zone database, for --tz on machines without one
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	endProfiles, err := startProfiles()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	code, msg := exitStatus(newRootCmd().ExecuteContext(ctx))
	endProfiles()
	if code != 0 {
		if msg != "" {
			fmt.Fprintln(os.Stderr, msg)
		}
		stop()
		os.Exit(code)
	}
}
