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
	// Each kind of target reads as the plan states it: 保持在93%以上 is a floor every
	// year, 3%左右 is about 3 with its band, and 确保/只增不减 is marked 须确保 (never
	// 约束性, which the plan gives its headline indicators only).
	row := func(code string) string {
		i := strings.Index(section, `<tr id="commitment-`+code+`">`)
		if i < 0 {
			t.Fatalf("no row %s", code)
		}
		r := section[i:]
		return r[:strings.Index(r, "</tr>")]
	}
	if r := row("kg_inclusive_share"); !strings.Contains(r, "每年不低于 93.00%") {
		t.Errorf("kg_inclusive_share's target is not a yearly floor:\n%s", r)
	}
	if r := row("myopia_age6"); !strings.Contains(r, "约3.0%（±0.5）") {
		t.Errorf("myopia_age6's target is not about 3 (±0.5):\n%s", r)
	}
	if r := row("education_spending"); !strings.Contains(r, ">须确保</span>") {
		t.Errorf("education_spending is not marked 须确保:\n%s", r)
	}
	if strings.Contains(section, ">约束性") || strings.Contains(section, "约束性指标") {
		t.Error("a commitment is called 约束性")
	}
	for _, code := range []string{"kg_universal_certified_share", "compulsory_balance_certified_share", "special_resource_centre_coverage"} {
		if strings.Contains(section, `"commitment-`+code+`"`) {
			t.Errorf("%s, a share of 区市, is scored per district", code)
		}
	}
	for _, want := range []string{"只增不减", "承诺事项", `class="badge status-`} {
		if !strings.Contains(section, want) {
			t.Errorf("the commitments section lacks %q", want)
		}
	}
	_, eb := get(t, "/districts/370602?lang=en")
	en := string(eb)
	if !strings.Contains(en, ">Commitments") || !strings.Contains(en, "never lower than the year before") ||
		!strings.Contains(en, "about 3.0% (±0.5)") || !strings.Contains(en, ">must</span>") {
		t.Error("the English page lacks the commitments or their targets in English")
	}
}
