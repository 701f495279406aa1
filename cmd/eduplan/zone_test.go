package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/fixture"
)

// TestTimesInOneZone: a task changed now is listed with its time in the zone of --tz
// (Asia/Shanghai by default, or EDUPLAN_TZ), and the table names the zone; a zone that
// does not exist is refused in both languages. The CLI printed times in the machine's
// local zone without naming it.
func TestTimesInOneZone(t *testing.T) {
	db := fixture.NewDBName(t)
	if _, stderr, err := run(t, "tasks", "set", "7", "--db", db, "--status", "进行中"); err != nil {
		t.Fatalf("tasks set: %v\n%s", err, stderr)
	}
	now := time.Now()
	tests := []struct {
		args []string
		env  string
		zone string
	}{
		{nil, "", "Asia/Shanghai"},
		{[]string{"--tz", "UTC"}, "", "UTC"},
		{nil, "America/New_York", "America/New_York"},
		{[]string{"--tz", "Europe/Berlin"}, "America/New_York", "Europe/Berlin"},
	}
	for _, tt := range tests {
		t.Setenv("EDUPLAN_TZ", tt.env)
		out, stderr, err := run(t, append([]string{"tasks", "--db", db, "--lang", "en"}, tt.args...)...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", tt.args, err, stderr)
		}
		loc, _ := time.LoadLocation(tt.zone)
		header, _, _ := strings.Cut(out, "\n")
		if !strings.Contains(header, "updated ("+tt.zone+")") {
			t.Errorf("%v (EDUPLAN_TZ=%q): header does not name %s: %q", tt.args, tt.env, tt.zone, header)
		}
		// The time printed is the hour of now in the zone (a minute's leeway).
		stamp := regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d`).FindString(out)
		at, err := time.ParseInLocation("2006-01-02 15:04", stamp, loc)
		if err != nil || at.Sub(now).Abs() > 2*time.Minute {
			t.Errorf("%v (EDUPLAN_TZ=%q): printed %q, now is %s there", tt.args, tt.env, stamp, now.In(loc).Format("2006-01-02 15:04"))
		}
	}
	t.Setenv("EDUPLAN_TZ", "")
	_, _, err := run(t, "tasks", "--db", db, "--tz", "Mars/Olympus")
	if msg := exitMessage(err); !strings.Contains(msg, "不是时区名") || !strings.Contains(msg, "not a time zone") {
		t.Errorf("--tz Mars/Olympus: %v", err)
	}
}

// TestEditionTimesInZone: the edition commands print their times in the zone of --tz,
// named in the heading, whatever the machine's zone (TZ). They printed in the local zone.
func TestEditionTimesInZone(t *testing.T) {
	db := tinyDB(t)
	t.Setenv("EDUPLAN_TZ", "")
	t.Setenv("TZ", "UTC")
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Now()
	stampRE := regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d`)
	tests := []struct {
		name string
		args []string
	}{
		{"create", []string{"edition", "create", "--db", db, "--kind", "final", "--title", "t"}},
		{"publish", []string{"edition", "publish", "--db", db, "1"}},
		{"list", []string{"edition", "list", "--db", db}},
		{"show", []string{"edition", "show", "--db", db, "1"}},
	}
	for _, tt := range tests {
		out, stderr, err := run(t, append(tt.args, "--tz", "Asia/Shanghai")...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", tt.name, err, stderr)
		}
		if !strings.Contains(out, "Asia/Shanghai") {
			t.Errorf("%s: the zone is not named:\n%s", tt.name, out)
		}
		stamps := stampRE.FindAllString(out, -1)
		if len(stamps) == 0 {
			t.Errorf("%s: no time printed:\n%s", tt.name, out)
		}
		for _, s := range stamps {
			at, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
			if err != nil || at.Sub(now).Abs() > 2*time.Minute {
				t.Errorf("%s: printed %q, now is %s in Asia/Shanghai", tt.name, s, now.In(shanghai).Format("2006-01-02 15:04"))
			}
		}
	}
}

// TestAuditDetailLang: eduplan audit prints an entry's detail in --lang. It printed the
// English the store wrote whatever --lang said.
func TestAuditDetailLang(t *testing.T) {
	db := tinyDB(t)
	tests := []struct{ lang, want, not string }{
		{"zh", "行，年份", "rows, years"},
		{"en", "rows, years", "行，年份"},
	}
	for _, tt := range tests {
		out, stderr, err := run(t, "audit", "--db", db, "--action", "import", "--lang", tt.lang)
		if err != nil {
			t.Fatalf("audit --lang %s: %v\n%s", tt.lang, err, stderr)
		}
		if !strings.Contains(out, tt.want) || strings.Contains(out, tt.not) {
			t.Errorf("audit --lang %s:\n%s", tt.lang, out)
		}
	}
}
