// Package pgtest gives tests a real PostgreSQL: a throwaway cluster started once per
// test binary (initdb, a Unix socket in a temporary directory, no TCP), and a new empty
// database on it for each test. The cluster stops, and its directory goes, when the
// test binary exits.
//
// Without PostgreSQL's server binaries a test that asks for a database is skipped,
// saying why; with CI=true it fails instead, so that CI never passes by skipping.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

var (
	once    sync.Once
	cluster *server
	failure error
	absent  bool // the binaries are not there: skip, unless in CI
	seq     atomic.Int64
)

type server struct {
	dir string // the cluster's directory, its socket's too
	bin string // the server's binaries
}

// Tool returns the path of one of PostgreSQL's programs (pg_dump, pg_restore, psql...)
// of the version the cluster runs, starting the cluster if need be.
func Tool(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(server0(t).bin, name)
}

// DSN returns the URL of a new empty database (UTF-8, C collation) on the test
// binary's cluster, dropped when the test ends.
func DSN(t testing.TB) string {
	t.Helper()
	return DSNFrom(t, "template0", nil)
}

// DSNFrom returns the URL of a new database copied from the template database named
// template, which setup (given its URL) prepares the first time the binary asks for it:
// for instance, migrated once rather than in every test. A nil setup copies an existing
// template (template0).
func DSNFrom(t testing.TB, template string, setup func(dsn string) error) string {
	t.Helper()
	s := server0(t)
	name, err := s.newDatabase(template, setup)
	if err != nil {
		t.Fatal(err)
	}
	// Dropped in the background: the cluster goes with the binary anyway.
	t.Cleanup(func() { go s.exec(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`) })
	return s.url(name)
}

// MainDSN is DSNFrom for a TestMain, which has no test to skip or fail: without a
// cluster it returns the reason. The database goes with the cluster, when the test
// binary exits.
func MainDSN(template string, setup func(dsn string) error) (string, error) {
	once.Do(func() { cluster, failure = start() })
	if failure != nil {
		return "", fmt.Errorf("PostgreSQL for tests: %w", failure)
	}
	name, err := cluster.newDatabase(template, setup)
	if err != nil {
		return "", err
	}
	return cluster.url(name), nil
}

// newDatabase creates a new database copied from template (prepared by setup the
// first time, unless setup is nil) and returns its name.
func (s *server) newDatabase(template string, setup func(dsn string) error) (string, error) {
	ctx := context.Background()
	if setup != nil {
		templatesMu.Lock()
		tm := templates[template]
		if tm == nil {
			tm = new(templateState)
			templates[template] = tm
		}
		templatesMu.Unlock()
		tm.once.Do(func() {
			tm.err = s.exec(ctx, `CREATE DATABASE `+template+` TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`)
			if tm.err == nil {
				tm.err = setup(s.url(template))
			}
		})
		if tm.err != nil {
			return "", fmt.Errorf("template database %s: %w", template, tm.err)
		}
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), seq.Add(1))
	if err := s.exec(ctx, `CREATE DATABASE `+name+` TEMPLATE `+template+` STRATEGY FILE_COPY`); err != nil {
		return "", fmt.Errorf("create database: %w", err)
	}
	return name, nil
}

var (
	templatesMu sync.Mutex
	templates   = map[string]*templateState{}
)

type templateState struct {
	once sync.Once
	err  error
}

// server0 starts the binary's cluster the first time, and skips or fails t when it
// cannot.
func server0(t testing.TB) *server {
	t.Helper()
	once.Do(func() { cluster, failure = start() })
	if failure != nil {
		if absent && !InCI() {
			t.Skipf("PostgreSQL is not installed, so the PostgreSQL half of this test is skipped (apt-get install postgresql): %v", failure)
		}
		t.Fatalf("PostgreSQL for tests: %v", failure)
	}
	return cluster
}

// InCI reports whether the tests run in CI (CI set, and not to false or 0), where a
// missing PostgreSQL is a failure, not a skip.
func InCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "false" && v != "0"
}

func (s *server) url(db string) string {
	return "postgres://postgres@/" + db + "?host=" + s.dir + "&sslmode=disable"
}

func (s *server) exec(ctx context.Context, q string) error {
	c, err := pgx.Connect(ctx, s.url("postgres"))
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, q)
	return err
}

// bin finds the directory of PostgreSQL's server binaries: $EDUPLAN_PGBIN, else
// Debian's newest /usr/lib/postgresql/N/bin, else initdb on the PATH.
func bin() (string, error) {
	if d := os.Getenv("EDUPLAN_PGBIN"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("no initdb in /usr/lib/postgresql/*/bin or on the PATH")
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

func start() (*server, error) {
	pgbin, err := bin()
	if err != nil {
		absent = true
		return nil, err
	}
	dir, err := os.MkdirTemp("", "eduplan-pg-")
	if err != nil {
		return nil, err
	}
	// As root, the cluster runs as the postgres user (PostgreSQL refuses root).
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root, and there is no postgres user to run the cluster as: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(pgbin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	// A shell runs the server and, when the test binary exits (the kernel sends it
	// SIGTERM then: Pdeathsig), stops it and removes the directory.
	script := `"$1/postgres" -D "$2/data" -k "$2" -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off ` +
		`-c max_connections=200 -c shared_buffers=32MB >"$2/log" 2>&1 &
pid=$!
trap 'kill -INT $pid; wait $pid; rm -rf "$2"; exit 0' TERM
wait $pid`
	sh := exec.Command("/bin/sh", "-c", script, "sh", pgbin, dir)
	sh.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGTERM, Setpgid: true}
	if err := sh.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &server{dir: dir, bin: pgbin}
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := s.exec(context.Background(), `SELECT 1`)
		if err == nil {
			return s, nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			return nil, fmt.Errorf("the server did not start: %v\n%s", err, strings.TrimSpace(string(log)))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
