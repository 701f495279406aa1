// Command eduplan runs an education development plan: it takes in rosters and reported
// facts, computes the plan's indicators and assesses progress against its targets.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // the zone database, for --tz on machines without one
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := newRootCmd().ExecuteContext(ctx)
	if err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			if ee.msg != "" {
				fmt.Fprintln(os.Stderr, ee.msg)
			}
			os.Exit(ee.code)
		}
		// A domain error is said in both languages with its code's exit status; any
		// other error is the program's own, told as it is.
		if mapped := domainError(err); mapped != err {
			errors.As(mapped, &ee)
			fmt.Fprintln(os.Stderr, ee.msg)
			os.Exit(ee.code)
		}
		fmt.Fprintln(os.Stderr, "eduplan: 内部错误 internal error:", err)
		os.Exit(1)
	}
}

// exitError ends the program with a code after its message (if any) was printed.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return fmt.Sprintf("exit %d: %s", e.code, e.msg) }
