package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/auth"
)

// TestDistrictGrantsScopeLedgerAndAudit: an analyst or admin granted on a district
// may not edit the city's task ledger (every main task is the city's), and an admin
// granted on a district reads only the audit entries about their district; granted
// on the city, they keep everything.
func TestDistrictGrantsScopeLedgerAndAudit(t *testing.T) {
	s, svc, _ := tinyServer(t)
	by := auth.Actor{Name: "test"}
	for _, u := range []auth.NewUser{
		{Name: "cityadmin", Role: auth.Admin, Org: "370600", Password: "admin of the city"},
		{Name: "cana", Role: auth.Analyst, Org: "370600", Password: "analyst of the city"},
		{Name: "dadmin", Role: auth.Admin, Org: "370602", Password: "admin of 370602"},
		{Name: "dana", Role: auth.Analyst, Org: "370602", Password: "analyst of 370602"},
		{Name: "other", Role: auth.DistrictOfficer, Org: "370612", Password: "officer of 370612"},
	} {
		if _, err := svc.AddUser(context.Background(), by, u); err != nil {
			t.Fatal(err)
		}
	}
	signedIn := func(name, password string) *http.Client {
		c := browser(t)
		login(t, c, s.URL, name, password)
		return c
	}
	city, cana := signedIn("cityadmin", "admin of the city"), signedIn("cana", "analyst of the city")
	dadmin, dana := signedIn("dadmin", "admin of 370602"), signedIn("dana", "analyst of 370602")
	signedIn("other", "officer of 370612")
	same := []string{"Content-Type", "application/json", "Sec-Fetch-Site", "same-origin"}
	if res, body := do(t, cana, "PATCH", s.URL+"/api/v1/tasks/7", strings.NewReader(`{"status":"in_progress"}`), same...); res.StatusCode != 200 {
		t.Fatalf("city analyst editing task 7: %d %.300s", res.StatusCode, body)
	}

	// The task ledger is the city's: granted on a district, no edits, no form.
	form := url.Values{"status": {"done"}}.Encode()
	for name, c := range map[string]*http.Client{"dadmin": dadmin, "dana": dana} {
		if res, body := do(t, c, "PATCH", s.URL+"/api/v1/tasks/7", strings.NewReader(`{"status":"done"}`), same...); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s (granted on 370602) editing task 7 through the API: %d %.300s", name, res.StatusCode, body)
		}
		if res, _ := do(t, c, "POST", s.URL+"/projects/tasks/7", strings.NewReader(form), "Content-Type", formType, "Sec-Fetch-Site", "same-origin"); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s (granted on 370602) posting the task form: %d", name, res.StatusCode)
		}
		if _, body := do(t, c, "GET", s.URL+"/projects", nil); strings.Contains(body, `action="/projects/tasks/`) {
			t.Errorf("%s (granted on 370602) is offered the task form", name)
		}
	}
	if _, body := do(t, cana, "GET", s.URL+"/api/v1/tasks/7", nil); !strings.Contains(body, `"status":"in_progress"`) {
		t.Errorf("task 7 changed by a district grant: %.300s", body)
	}

	objects := func(c *http.Client) string {
		t.Helper()
		res, body := do(t, c, "GET", s.URL+"/api/v1/audit?limit=1000", nil)
		var env struct {
			Data []struct{ Actor, Action, Object string }
		}
		if err := json.Unmarshal([]byte(body), &env); err != nil || res.StatusCode != 200 {
			t.Fatalf("audit: %d %v %.300s", res.StatusCode, err, body)
		}
		var b strings.Builder
		for _, e := range env.Data {
			b.WriteString(e.Action + " " + e.Actor + " " + e.Object + "\n")
		}
		return b.String()
	}
	all := objects(city)
	for _, want := range []string{"user.add test user other", "login other", "task.edit cana task 7", "user.add test user zhifu", "login dadmin"} {
		if !strings.Contains(all, want) {
			t.Errorf("the city's admin does not see %q in the audit log:\n%s", want, all)
		}
	}
	mine := objects(dadmin)
	for _, want := range []string{"user.add test user zhifu", "user.add test user clerk", "login dadmin", "login dana"} {
		if !strings.Contains(mine, want) {
			t.Errorf("370602's admin does not see %q in the audit log:\n%s", want, mine)
		}
	}
	for _, not := range []string{"other", "cana", "cityadmin", "task 7", "user insp"} {
		if strings.Contains(mine, not) {
			t.Errorf("370602's admin sees entries about %q, outside their district:\n%s", not, mine)
		}
	}
	if _, body := do(t, dadmin, "GET", s.URL+"/audit", nil); strings.Contains(body, "other") || !strings.Contains(body, "zhifu") {
		t.Errorf("the audit page for 370602's admin: entries outside the district, or none inside")
	}
}
