package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestPublicComplementarySuppression: a value that would give away a small count of an
// institution — a district whose only contributor it is, or another institution of its
// district hidden beside it — is not shown to the public: not as a value, not
// explained, not as the latest value of its progress, and its indicator page still
// opens; an admin sees it. No city value is hidden from the public unless one district
// alone would give a small count away and no other district can be hidden beside it
// (issue 10, point 7).
func TestPublicComplementarySuppression(t *testing.T) {
	public := plan.Scope{Tenant: pack.Tenant, Org: pack.Tenant, Detail: plan.Public}
	const why = "suppressed: it would give away"
	// One of the last year, so that it would be its progress's latest value: a district's
	// if there is one, else an institution's.
	var ind, org string
	year := engine.Years()[len(engine.Years())-1]
	orgs := []string{}
	for _, d := range pack.Districts() {
		orgs = append(orgs, d.Code)
	}
	orgs = append(orgs, engine.Cube().InstitutionCodes(year, "")...)
	for _, o := range orgs {
		for _, in := range pack.Indicators {
			whole, _ := engine.Get(in.Code, o, year)
			shown, _ := engine.For(public).Get(in.Code, o, year)
			if whole.OK && !shown.OK && strings.HasPrefix(shown.ReasonEn, why) && ind == "" {
				ind, org = in.Code, o
			}
		}
	}
	if ind == "" {
		t.Fatal("the fixture has no value that gives away a small count")
	}
	for _, in := range pack.Indicators {
		for _, y := range engine.Years() {
			whole, _ := engine.Get(in.Code, pack.Tenant, y)
			shown, _ := engine.For(public).Get(in.Code, pack.Tenant, y)
			if whole.OK && !shown.OK {
				t.Errorf("the public loses the city's %s of %d: %s", in.Code, y, shown.ReasonEn)
			}
		}
	}
	whole, _ := engine.Get(ind, org, year)
	q := fmt.Sprintf("indicator=%s&org=%s&year=%d", ind, org, year)

	for _, tt := range []struct {
		role    auth.Role
		visible bool
	}{{auth.Public, false}, {auth.Admin, true}} {
		status, b := call(t, tt.role, "GET", "/api/v1/values?"+q, nil, "")
		var vals struct {
			Data []struct {
				OK    bool    `json:"ok"`
				Value float64 `json:"value"`
			}
		}
		if err := json.Unmarshal(b, &vals); status != 200 || err != nil || len(vals.Data) != 1 {
			t.Fatalf("%s values: %d %v %s", tt.role, status, err, b)
		}
		if vals.Data[0].OK != tt.visible {
			t.Errorf("%s sees %s %s %d: %+v, want visible %v", tt.role, ind, org, year, vals.Data[0], tt.visible)
		}
		status, _ = call(t, tt.role, "GET", "/api/v1/values/explain?"+q, nil, "")
		if (status == 200) != tt.visible {
			t.Errorf("%s explain of %s %s %d: %d", tt.role, ind, org, year, status)
		}
		status, b = call(t, tt.role, "GET", fmt.Sprintf("/api/v1/progress?indicator=%s&org=%s", ind, org), nil, "")
		var prog struct {
			Data []struct {
				LatestYear int      `json:"latest_year"`
				Latest     *float64 `json:"latest"`
			}
		}
		if err := json.Unmarshal(b, &prog); status != 200 || err != nil || len(prog.Data) != 1 {
			t.Fatalf("%s progress: %d %v %s", tt.role, status, err, b)
		}
		p := prog.Data[0]
		shown := p.Latest != nil && p.LatestYear == year && *p.Latest == whole.Value
		if !tt.visible && shown {
			t.Errorf("%s progress of %s %s shows the suppressed %d value %v", tt.role, ind, org, year, whole.Value)
		}
		if status, _ := call(t, tt.role, "GET", fmt.Sprintf("/indicators/%s?org=%s&year=%d", ind, org, year), nil, ""); status != 200 {
			t.Errorf("%s indicator page: %d", tt.role, status)
		}
	}
}
