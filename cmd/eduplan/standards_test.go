package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestStandards runs `eduplan standards` on the tiny data set, which has no school
// conditions: every quality_balanced verdict is no data, never a pass.
func TestStandards(t *testing.T) {
	db := tinyDB(t)
	out, _, err := run(t, "standards", "--db", db, "--standard", "quality_balanced", "--year", "2020", "--org", "370602", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "standard,org,year,stage,item,value,threshold,met,cv,cv_limit" {
		t.Errorf("header %q", lines[0])
	}
	for _, want := range []string{
		"quality_balanced,370602,2020,primary,verdict,,,,,",
		"quality_balanced,370602,2020,junior,verdict,,,,,",
		"quality_balanced,370602,2020,primary,L4,,4.5,,,0.5",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("csv lacks %s:\n%s", want, out)
		}
	}

	out, _, err = run(t, "standards", "--db", db, "--standard", "universal_preschool", "--year", "2020", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) == 0 || rows[0]["stage"] != "preschool" {
		t.Errorf("json: %v\n%s", err, out)
	}

	out, _, err = run(t, "standards", "--db", db, "--standard", "quality_balanced", "--year", "2020", "--lang", "both")
	if err != nil || !strings.Contains(out, "无数据 no data") {
		t.Errorf("table: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"standards", "--db", db, "--standard", "quality_balanced"},
		{"standards", "--db", db, "--standard", "nope", "--year", "2020"},
		{"standards", "--db", db, "--standard", "quality_balanced", "--year", "2020", "--format", "xml"},
	} {
		if _, _, err := run(t, args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
