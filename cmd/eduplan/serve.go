package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/demo"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/ledger"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
	"github.com/yantai-edu/eduplan/internal/supervision"
	"github.com/yantai-edu/eduplan/internal/web"
)

// watchEvery is how often a server looks for imports committed by another process.
const watchEvery = 300 * time.Millisecond

func newServeCmd(g *globals) *cobra.Command {
	var addr string
	demoOpt := demo.Options{}
	var secureCookies bool
	var trustedProxy string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web pages and the JSON/CSV API",
		Long: `Serve the plan's pages and the API under /api/v1 (described at /api/v1/openapi.json).

An empty database is first filled with generated demo data (演示数据), marked as such on
every page and in every API answer, so that the program can be tried at once. A database
that holds another city's data is not: the city of --tenant starts empty there.

A server serves one city (--tenant): its data, users, sessions and tokens only.

Anyone may read the published aggregate indicators without signing in. The first start
creates the user "admin" and prints its password once; add other users with
"eduplan user add" and API tokens with "eduplan token create".

Behind a reverse proxy every client comes from the proxy's address: name the proxy with
--trusted-proxy so that the client's address (for the per-address sign-in limit and the
audit log) is read from the X-Forwarded-For it sets. Without it the header is ignored.`,
		Example: `  eduplan serve
  eduplan serve --db city.db --addr 0.0.0.0:8080
  eduplan serve --addr 127.0.0.1:8080 --secure-cookies --trusted-proxy 127.0.0.1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			proxies, err := web.ParseTrustedProxies(trustedProxy)
			if err != nil {
				return err
			}
			// The log and what serve prints go through one buffer, in the order written.
			out := newLogBuffer(cmd.ErrOrStderr(), logFlushEvery)
			defer out.Close()
			log := slog.New(slog.NewTextHandler(out, nil))
			return serve(cmd.Context(), log, out, g, addr, demoOpt, secureCookies, proxies)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().BoolVar(&secureCookies, "secure-cookies", false, "mark the session cookie Secure even without TLS here (behind a TLS-terminating proxy)")
	cmd.Flags().StringVar(&trustedProxy, "trusted-proxy", os.Getenv("EDUPLAN_TRUSTED_PROXY"), "CIDR[,CIDR]: proxies whose X-Forwarded-For names the client (env EDUPLAN_TRUSTED_PROXY; none by default)")
	cmd.Flags().Float64Var(&demoOpt.Scale, "demo-scale", 0.05, "size of the demo data generated into an empty database, as a fraction of the real city")
	cmd.Flags().Int64Var(&demoOpt.Seed, "demo-seed", demo.DefaultSeed, "random seed of that demo data: 'eduplan demo --scale S --seed N' writes the same files")
	return cmd
}

func serve(ctx context.Context, log *slog.Logger, out io.Writer, g *globals, addr string, demoOpt demo.Options, secureCookies bool, proxies []netip.Prefix) error {
	start := time.Now()
	pack, err := g.pack()
	if err != nil {
		return err
	}
	db, err := g.createDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	uploads, err := uploadDir(g.db)
	if err != nil {
		return err
	}
	defer uploads.remove()
	if pack, err = demoIfEmpty(ctx, log, db, g.db, pack, demoOpt); err != nil {
		return err
	}
	live, err := indicator.NewLive(ctx, db, pack)
	if err != nil {
		return err
	}
	e := live.Engine()
	// After an import through the web the engine is recomputed at once, for the scopes
	// the import replaced; imports by another process (eduplan import on the same
	// file) are found by polling, within watchEvery. Readers keep the engine they
	// started with until the new one is stored whole.
	reload := func(ctx context.Context, _ []store.YearDistrict) error {
		start := time.Now()
		n, err := live.Refresh(ctx)
		if err == nil {
			log.Info("indicators recomputed", "scopes", n, "took", time.Since(start).Round(time.Microsecond))
		}
		return err
	}
	users := auth.NewService(db, pack)
	if pw, err := users.FirstAdmin(ctx); err != nil {
		return err
	} else if pw != "" {
		// Printed once, to the terminal that started the server, never to the log's
		// structured fields.
		fmt.Fprintf(out, "\n首次启动：已创建管理员 admin，密码（仅显示一次）：%s\nFirst start: created the admin user \"admin\" with the password (shown once): %s\n\n", pw, pw)
	}
	site := web.New(web.Deps{Pack: pack, DB: db, Engine: live.Engine, Reload: reload, Auth: users, SecureCookies: secureCookies,
		TrustedProxies: proxies, UploadDir: uploads.dir, Zone: g.zone, Logger: log})
	// The most read pages and answers are rendered from a new engine before readers
	// get it, so that none waits for them after an import.
	live.Prepare = site.Warm
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go live.Watch(watchCtx, watchEvery, log)
	srv := &http.Server{
		Handler:     site.Handler(),
		ConnContext: web.ConnContext,
		// Bound what a slow or idle client can hold; uploads of a year's roster may
		// take minutes on a slow line.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if a := os.Getenv("EDUPLAN_PPROF"); a != "" {
		go servePprof(a, log)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return plan.Errorf(plan.EINVALID, "无法在 %s 上监听：%v", "cannot listen on %s: %v", addr, err)
	}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "db", store.Redact(g.db), "plan", pack.Code,
		"years", e.Years(), "startup", time.Since(start).Round(time.Millisecond))
	return runServer(ctx, log, srv, ln)
}

// uploads is where a server keeps uploads while they are imported.
type uploads struct {
	dir    string
	remove func()
}

// uploadDir is beside the database; what a killed server left there is of no use to
// anyone and is removed. A server on PostgreSQL has no file to keep them beside, and
// shares its database with other servers: a directory of its own, removed when it stops.
func uploadDir(db string) (uploads, error) {
	u := uploads{dir: db + ".uploads", remove: func() {}}
	if store.IsPostgres(db) {
		dir, err := os.MkdirTemp("", "eduplan-uploads-")
		if err != nil {
			return u, err
		}
		u = uploads{dir: dir, remove: func() { os.RemoveAll(dir) }}
	}
	if err := web.CleanUploads(u.dir); err != nil {
		u.remove()
		return u, err
	}
	return u, nil
}

// demoIfEmpty fills an empty database with demo data, and returns the pack the
// database's data is measured against (planFor).
func demoIfEmpty(ctx context.Context, log *slog.Logger, db *store.DB, dsn string, pack *plan.Pack, demoOpt demo.Options) (*plan.Pack, error) {
	empty, err := db.Empty(ctx)
	if err != nil {
		return nil, err
	}
	if empty {
		log.Info("empty database: generating demo data (演示数据)", "db", store.Redact(dsn), "scale", demoOpt.Scale, "seed", demoOpt.Seed)
		if err := loadDemo(ctx, log, db, pack, demoOpt); err != nil {
			return nil, err
		}
	}
	return planFor(ctx, db, pack)
}

// runServer serves on ln until the server fails or ctx ends, then shuts down within
// ten seconds.
func runServer(ctx context.Context, log *slog.Logger, srv *http.Server, ln net.Listener) error {
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadDemo generates demo data, imports it with a demo task ledger and a round of
// supervision in progress, and marks the database as holding demo data.
func loadDemo(ctx context.Context, log *slog.Logger, db *store.DB, pack *plan.Pack, opt demo.Options) error {
	start := time.Now()
	dir, err := os.MkdirTemp("", "eduplan-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sum, err := demo.Generate(ctx, pack, dir, opt)
	if err != nil {
		return fmt.Errorf("generate demo data: %w", err)
	}
	// Marked first, so that demo data is never there unmarked.
	if err := db.SetDemo(ctx, pack.Tenant, true); err != nil {
		return fmt.Errorf("mark demo data: %w", err)
	}
	if err := db.SetDemoScale(ctx, pack.Tenant, opt.Scale); err != nil {
		return fmt.Errorf("mark demo data: %w", err)
	}
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), sum.Files, ingest.Options{User: "demo", Remote: "demo"})
	if err != nil {
		if err := db.SetDemo(context.WithoutCancel(ctx), pack.Tenant, false); err != nil {
			log.Error("unmark demo data", "err", err)
		}
		return fmt.Errorf("import demo data: %w", err)
	}
	if err := ledger.SeedDemo(ctx, db, pack, opt.Seed); err != nil {
		return err
	}
	if err := supervision.SeedDemo(ctx, db, pack, opt.Seed); err != nil {
		return err
	}
	rows := 0
	for _, b := range res.Batches {
		rows += b.Rows
	}
	log.Info("demo data imported", "files", len(sum.Files), "rows", rows, "took", time.Since(start).Round(time.Millisecond))
	return nil
}
