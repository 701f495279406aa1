package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runIn runs eduplan in-process with standard input.
func runIn(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

// exitCode is the status eduplan exits with after err.
func exitCode(err error) int {
	code, _ := exitStatus(err)
	return code
}

// exitMessage is what eduplan says on stderr after err.
func exitMessage(err error) string {
	_, msg := exitStatus(err)
	return msg
}

func TestUserTokenAudit(t *testing.T) {
	db := tinyDB(t)
	// A password from standard input is used and not printed.
	out, _, err := runIn(t, "district passphrase\n", "user", "add", "--db", db, "--name", "zhifu", "--role", "district_officer", "--org", "370602")
	if err != nil || strings.Contains(out, "passphrase") || !strings.Contains(out, "added user zhifu") {
		t.Fatalf("user add with a password: %v\n%s", err, out)
	}
	// Without one, a password is generated and printed once.
	out, _, err = runIn(t, "", "user", "add", "--db", db, "--name", "ana", "--role", "analyst", "--org", "370600")
	pw := regexp.MustCompile(`shown once\): (\S{20})\n`).FindStringSubmatch(out)
	if err != nil || pw == nil {
		t.Fatalf("user add without a password: %v\n%s", err, out)
	}
	for _, tt := range []struct {
		args []string
		code int
	}{
		{[]string{"user", "add", "--db", db, "--name", "ana", "--role", "analyst", "--org", "370600"}, 5},        // exists
		{[]string{"user", "add", "--db", db, "--name", "x", "--role", "superuser", "--org", "370600"}, 2},        // no such role
		{[]string{"user", "add", "--db", db, "--name", "x", "--role", "district_officer", "--org", "370600"}, 2}, // the city is no district
		{[]string{"user", "add", "--db", db, "--name", "x", "--role", "school_clerk", "--org", "NOPE"}, 2},       // on no roster
		{[]string{"user", "passwd", "--db", db, "nobody"}, 3},
		{[]string{"token", "create", "--db", db, "--user", "nobody"}, 3},
	} {
		if _, _, err := runIn(t, "long enough password\n", tt.args...); exitCode(err) != tt.code {
			t.Errorf("%v: %v, want exit %d", tt.args[:2], err, tt.code)
		}
	}
	if _, _, err := runIn(t, "", "user", "add", "--db", db, "--name", "clerk", "--role", "school_clerk", "--org", "P1"); err != nil {
		t.Errorf("clerk on an institution of the roster: %v", err)
	}
	out, _, err = run(t, "user", "list", "--db", db, "--format", "json")
	var us []struct{ Name, Role, Org string }
	if err != nil || json.Unmarshal([]byte(out), &us) != nil || len(us) != 3 || us[0].Name != "ana" || us[2].Role != "district_officer" || strings.Contains(out, "argon2") {
		t.Errorf("user list: %v\n%s", err, out)
	}
	// A token is printed once, alone on standard output, for scripts.
	tok, _, err := run(t, "token", "create", "--db", db, "--user", "zhifu", "--label", "nightly")
	if err != nil || !regexp.MustCompile(`^ep_[A-Za-z0-9_-]{43}\n$`).MatchString(tok) {
		t.Fatalf("token create: %v %q", err, tok)
	}
	out, _, _ = run(t, "token", "list", "--db", db)
	if strings.Contains(out, strings.TrimSpace(tok)) || !strings.Contains(out, "nightly") {
		t.Errorf("token list shows the token or not its label:\n%s", out)
	}
	if _, _, err := run(t, "token", "revoke", "--db", db, "1"); err != nil {
		t.Error(err)
	}
	if out, _, _ = run(t, "token", "list", "--db", db); !strings.Contains(out, "revoked") {
		t.Errorf("token list after revoke:\n%s", out)
	}
	if _, _, err := run(t, "user", "disable", "--db", db, "ana"); err != nil {
		t.Error(err)
	}
	// Importing as a user: their scope, exactly as through the API.
	other := filepath.Join(t.TempDir(), "facts.csv")
	writeFile(t, other, "year,org,element,dims,value\n2020,370612,working_age_schooling_years,,9\n")
	_, stderr, err := run(t, "import", "--db", db, "--as", "zhifu", other)
	if exitCode(err) != 1 || !strings.Contains(stderr, "(370602) only") {
		t.Errorf("import --as zhifu of 370612's facts: %v\n%s", err, stderr)
	}
	if _, _, err := run(t, "import", "--db", db, "--as", "ana", other); exitCode(err) != 4 {
		t.Errorf("import --as a disabled user: %v, want exit 4", err)
	}
	own := filepath.Join(t.TempDir(), "own.csv")
	writeFile(t, own, "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,11.5\n")
	if _, stderr, err := run(t, "import", "--db", db, "--as", "zhifu", own); err != nil {
		t.Errorf("import --as zhifu of its own facts: %v\n%s", err, stderr)
	}
	// Every change is in the audit log, newest first; no password or token in it.
	out, _, err = run(t, "audit", "--db", db, "--format", "json")
	var log []struct{ Actor, Action, Object string }
	if err != nil || json.Unmarshal([]byte(out), &log) != nil {
		t.Fatalf("audit: %v\n%s", err, out)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action+" "+e.Object)
	}
	want := []string{"user.disable user ana", "token.revoke token 1", "token.create token 1", "user.add user clerk", "user.add user ana", "user.add user zhifu"}
	got := strings.Join(actions, "; ")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("audit lacks %q: %s", w, got)
		}
	}
	if !strings.Contains(got, "import batch") {
		t.Errorf("audit lacks the import: %s", got)
	}
	if strings.Contains(out, "district passphrase") || strings.Contains(out, strings.TrimSpace(tok)) || strings.Contains(out, pw[1]) {
		t.Error("the audit log holds a secret")
	}
	if !strings.HasPrefix(log[len(log)-1].Actor, "cli:") {
		t.Errorf("CLI changes are not marked cli: %+v", log[len(log)-1])
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
