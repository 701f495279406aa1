package main

import (
	"log/slog"
	"net/http"
	"net/http/pprof"
	"runtime"
)

// servePprof serves Go's profiles (CPU, heap, goroutines, mutex and block contention)
// on addr, apart from the site, for finding what makes answers slow under load. It runs
// only when EDUPLAN_PPROF names an address; the profiles say much about the server, so
// keep that address on loopback.
func servePprof(addr string, log *slog.Logger) {
	// Contention is sampled only while profiling: one event in 5, and blocking of
	// 10 µs and more.
	runtime.SetMutexProfileFraction(5)
	runtime.SetBlockProfileRate(10_000)
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Info("profiles", "url", "http://"+addr+"/debug/pprof/")
	if err := http.ListenAndServe(addr, mux); err != nil {
		log.Error("profiles", "err", err)
	}
}
