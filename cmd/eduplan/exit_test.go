package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestExitStatus is the table of errors to exit statuses and what is said on stderr.
func TestExitStatus(t *testing.T) {
	_, missing := os.Open(filepath.Join(t.TempDir(), "nope.csv"))
	tests := []struct {
		err  error
		code int
		msg  string
	}{
		{nil, 0, ""},
		{&ranError{plan.Errorf(plan.EINVALID, "错", "wrong")}, 2, "eduplan: 错 / wrong"},
		{&ranError{plan.Errorf(plan.ENOTFOUND, "无", "none")}, 3, "eduplan: 无 / none"},
		{&ranError{plan.Errorf(plan.EFORBIDDEN, "禁止", "forbidden")}, 4, "eduplan: 禁止 / forbidden"},
		{&ranError{plan.Errorf(plan.ECONFLICT, "冲突", "conflict")}, 5, "eduplan: 冲突 / conflict"},
		{&ranError{plan.Errorf(plan.EUNAUTHORIZED, "未登录", "unauthorized")}, 6, "eduplan: 未登录 / unauthorized"},
		{&ranError{plan.Errorf(plan.ETHROTTLED, "太多", "too many")}, 7, "eduplan: 太多 / too many"},
		{&ranError{plan.Errorf(plan.EINTERNAL, "内部", "internal")}, 1, "eduplan: 内部 / internal"},
		{&ranError{fmt.Errorf("edition 3: %w", plan.Errorf(plan.ENOTFOUND, "无", "none"))}, 3, "eduplan: 无 / none"},
		// Coded before any command ran: a usage error of the program's own.
		{usageError("--x 不对", "--x is wrong"), 2, "eduplan: --x 不对 / --x is wrong"},
		// cobra's own, before a command ran: the command line is wrong.
		{errors.New("unknown flag: --nosuch"), 2, "eduplan: 命令行有误：unknown flag: --nosuch（见 --help） / unknown flag: --nosuch (see --help)"},
		{&ranError{&ingest.RejectedError{}}, 1, "导入被拒绝，数据未作任何更改 / import rejected"},
		{&ranError{&ingest.RejectedError{Reports: []*ingest.Report{{Counts: map[string]int{"scope": 1}}}}}, 1, "导入被拒绝"},
		{&ranError{fmt.Errorf("import: %w", missing)}, 3, "eduplan: 路径不存在："},
		{&ranError{&exitError{code: 1, msg: "3 problems"}}, 1, "3 problems"},
		{&ranError{errors.New("disk on fire")}, 1, "eduplan: 内部错误 internal error: disk on fire"},
	}
	for _, tt := range tests {
		code, msg := exitStatus(tt.err)
		if code != tt.code || !strings.HasPrefix(msg, tt.msg) {
			t.Errorf("exitStatus(%v) = %d %q, want %d %q", tt.err, code, msg, tt.code, tt.msg)
		}
	}
}

// TestFailuresCoded runs commands into the failures a user can meet: each must end with
// its code's status and a message in both languages, never as an internal error. Before
// exitStatus, the command-line mistakes, a missing plan pack or input file and a bad
// --addr ended as "内部错误 internal error: ..." with the English of Go or cobra only.
func TestFailuresCoded(t *testing.T) {
	dir := t.TempDir()
	db := tinyDB(t)
	han := regexp.MustCompile(`\p{Han}`)
	tests := []struct {
		args []string
		code int
	}{
		// the command line
		{[]string{"values", "--db", db, "--nosuch"}, 2},
		{[]string{"values", "--db", db, "--year", "abc"}, 2},
		{[]string{"values", "--db", db, "extra"}, 2},
		{[]string{"nosuchcmd"}, 2},
		{[]string{"user", "add", "--db", db}, 2},
		{[]string{"values", "--db", db, "--format", "xml"}, 2},
		{[]string{"values", "--db", db, "--lang", "fr"}, 2},
		{[]string{"edition", "show", "--db", db, "abc"}, 2},
		{[]string{"tasks", "show", "--db", db, "x"}, 2},
		{[]string{"serve", "--db", db, "--addr", "bad:addr:1"}, 2},
		{[]string{"serve", "--db", db, "--trusted-proxy", "nonsense"}, 2},
		// what is named does not exist
		{[]string{"values", "--db", filepath.Join(dir, "typo.db")}, 3},
		{[]string{"values", "--db", db, "--indicator", "nope"}, 3},
		{[]string{"values", "--db", db, "--org", "999"}, 3},
		{[]string{"progress", "--db", db, "--org", "999999"}, 3},
		{[]string{"edition", "show", "--db", db, "99"}, 3},
		{[]string{"tasks", "show", "--db", db, "999"}, 3},
		{[]string{"token", "revoke", "--db", db, "99"}, 3},
		{[]string{"standards", "--db", db, "--standard", "nosuch", "--year", "2024"}, 3},
		{[]string{"values", "--db", db, "--plan", filepath.Join(dir, "nopack")}, 3},
		{[]string{"plan", "check", filepath.Join(dir, "nopack")}, 3},
		{[]string{"import", "--db", db, filepath.Join(dir, "nofile.csv")}, 3},
		{[]string{"import", "--db", db, "--as", "nobody", tinyArgs()[0]}, 3},
		// a pack with problems
		{[]string{"plan", "show", "--plan", dir}, 2},
	}
	for _, tt := range tests {
		_, _, err := run(t, tt.args...)
		code, msg := exitStatus(err)
		if code != tt.code || !han.MatchString(msg) || strings.Contains(msg, "内部错误") {
			t.Errorf("%v: exit %d %q, want %d said in both languages", tt.args, code, msg, tt.code)
		}
	}
}
