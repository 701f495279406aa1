package web_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestDistrictCommitments: a district's page lists every commitment assessed at
// districts, each with its target as the plan states it (a value, a range, a
// relation), the district's status in words and the city's beside it.
func TestDistrictCommitments(t *testing.T) {
	var levels []string
	for _, c := range pack.Commitments {
		if c.AtLevel("district") {
			levels = append(levels, c.Code)
		}
	}
	if len(levels) < 10 {
		t.Fatalf("only %d commitments at districts", len(levels))
	}
	res, b := get(t, "/districts/370602")
	body := string(b)
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	section := body[strings.Index(body, `id="h-commitments"`):]
	section = section[:strings.Index(section, "</section>")]
	rows := regexp.MustCompile(`<tr id="commitment-([a-z0-9_]+)">`).FindAllStringSubmatch(section, -1)
	if len(rows) != len(levels) {
		t.Fatalf("%d commitment rows, want %d (every commitment at districts)", len(rows), len(levels))
	}
	for i, m := range rows {
		if m[1] != levels[i] {
			t.Errorf("row %d is %s, want %s (pack order)", i, m[1], levels[i])
		}
	}
	// Each kind of target reads as the plan states it.
	for _, want := range []string{"只增不减", "承诺事项", `class="badge status-`} {
		if !strings.Contains(section, want) {
			t.Errorf("the commitments section lacks %q", want)
		}
	}
	_, eb := get(t, "/districts/370602?lang=en")
	en := string(eb)
	if !strings.Contains(en, ">Commitments") || !strings.Contains(en, "never lower than the year before") {
		t.Error("the English page lacks the commitments or their targets in English")
	}
}
