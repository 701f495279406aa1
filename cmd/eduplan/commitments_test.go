package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCommitmentsFlag: values and progress show the 13 headline indicators unless asked
// for the commitments. Tiny data: in 2020 the city's kindergarten children are 3 in the
// public K1 and 1 in the public MK of 6, none in an inclusive private one →
// kg_inclusive_share = 100 · 4 / 6; at 370602, 3 of 5 → 60.
func TestCommitmentsFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	if _, stderr, err := run(t, append([]string{"import", "--db", db}, tinyArgs()...)...); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	values, _, err := run(t, "values", "--db", db, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(values, "kg_inclusive_share") {
		t.Errorf("values without --commitments lists a commitment")
	}
	values, _, err = run(t, "values", "--db", db, "--format", "csv", "--commitments", "--indicator", "kg_inclusive_share")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\nkg_inclusive_share,370600,2020,66.66666666666667\n", "\nkg_inclusive_share,370602,2020,60\n"} {
		if !strings.Contains(values, want) {
			t.Errorf("values --commitments lacks %q:\n%s", want, values)
		}
	}
	if _, _, err := run(t, "values", "--db", db, "--commitments", "--indicator", "kg_public_share"); err == nil {
		t.Errorf("values --commitments --indicator kg_public_share: no error")
	}
	// B = 66.67 (no stated baseline: the 2020 value), A(2021) = 66.67 → c = 0: lagging;
	// required change (93 − 66.67) / 4.
	prog, _, err := run(t, "progress", "--db", db, "--format", "csv", "--commitments", "--org", "370600")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(strings.SplitN(prog, "\n", 2)[0], ",target_kind,target_min,target_max,relation,of,range_position,breaches") ||
		!strings.Contains(prog, "\nkg_inclusive_share,370600,2020,66.66666666666667,2021,66.66666666666667,2025,93,0.2,0,lagging,false,6.583333333333332,,value,,,,,,\n") ||
		!strings.Contains(prog, "\nvocational_quality_schools,370600,2020,0,,,2025,5,,,no_data,false,,,range,5,8,,,,\n") {
		t.Errorf("progress --commitments:\n%s", prog)
	}
	if _, _, err := run(t, "progress", "--db", db, "--commitments"); err != nil {
		t.Errorf("progress --commitments (table): %v", err)
	}
	show, _, err := run(t, "plan", "show", "--format", "json")
	if err != nil || !strings.Contains(show, `"commitments": [`) || !strings.Contains(show, `"section": "重点工程1"`) {
		t.Errorf("plan show --format json: %v", err)
	}
}
