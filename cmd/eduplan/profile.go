package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"runtime/trace"
)

// startProfiles starts the profiles the environment asks for, for measuring a whole
// command (bench/import-vs-copy): EDUPLAN_CPUPROFILE names a file for a CPU profile
// (go tool pprof), EDUPLAN_TRACE one for an execution trace (go tool trace), which
// shows what runs on each core. It returns the function that ends them.
func startProfiles() (stop func(), err error) {
	var stops []func()
	stop = func() {
		for _, s := range stops {
			s()
		}
	}
	if path := os.Getenv("EDUPLAN_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return stop, fmt.Errorf("EDUPLAN_CPUPROFILE: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return stop, fmt.Errorf("EDUPLAN_CPUPROFILE: %w", err)
		}
		stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
	}
	if path := os.Getenv("EDUPLAN_TRACE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return stop, fmt.Errorf("EDUPLAN_TRACE: %w", err)
		}
		if err := trace.Start(f); err != nil {
			f.Close()
			return stop, fmt.Errorf("EDUPLAN_TRACE: %w", err)
		}
		stops = append(stops, func() { trace.Stop(); f.Close() })
	}
	return stop, nil
}
