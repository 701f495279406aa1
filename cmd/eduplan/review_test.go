package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestReview: the final review of the tiny data set, whose latest year is 2021.
//   - kg_public_share: B = 41.17 (the plan's), A = 100 · 4 / 6 = 66.67 → c = 0.754,
//     ahead of τ = 0.2 but 2025 has come: not met, 75 − 66.67 = 8.33 short, of the
//     75 − 41.17 asked for.
//   - kg_inclusive_share: B = A = 100 · 4 / 6 (no stated baseline: the 2020 value) →
//     lagging, not met, 93 − 66.67 short: all of the change asked for (share 1).
//     At 370602, B = A = 60: 33 short, share 1.
func TestReview(t *testing.T) {
	db := tinyDB(t)
	out, _, err := run(t, "review", "--db", db, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "kind,code,section,org,baseline,latest_year,latest,target_year,target,status,verdict,gap,gap_share,check" {
		t.Fatalf("header %v", recs[0])
	}
	third := 100.0 * 4 / 6
	tests := []struct {
		code, org, status, verdict string
		gap, share                 float64
	}{
		{"kg_public_share", "370600", "ahead", "not_met", 75 - third, (75 - third) / (75 - 41.17)},
		// Kept at 93% every year: the shortfall in the year breached, no share.
		{"kg_inclusive_share", "370600", "regressing", "not_met", 93 - third, math.NaN()},
		{"kg_inclusive_share", "370602", "regressing", "not_met", 33, math.NaN()},
	}
	for _, tt := range tests {
		found := false
		for _, r := range recs[1:] {
			if r[1] != tt.code || r[3] != tt.org {
				continue
			}
			found = true
			gap, err1 := strconv.ParseFloat(r[11], 64)
			share, err2 := math.NaN(), error(nil)
			if r[12] != "" {
				share, err2 = strconv.ParseFloat(r[12], 64)
			}
			if r[9] != tt.status || r[10] != tt.verdict || err1 != nil || err2 != nil ||
				math.Abs(gap-tt.gap) > 1e-9 || math.IsNaN(share) != math.IsNaN(tt.share) || math.Abs(share-tt.share) > 1e-9 {
				t.Errorf("%s %s: %v; want %s %s gap %v share %v", tt.code, tt.org, r, tt.status, tt.verdict, tt.gap, tt.share)
			}
		}
		if !found {
			t.Errorf("%s %s: no row", tt.code, tt.org)
		}
	}
	js, _, err := run(t, "review", "--db", db, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rev struct {
		Year  int `json:"year"`
		Items []struct {
			Code    string `json:"code"`
			Verdict string `json:"verdict"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(js), &rev); err != nil || rev.Year != 2025 || len(rev.Items) == 0 || rev.Items[0].Code != "kg_public_share" {
		t.Errorf("review --format json: %v, %+v", err, rev)
	}
	zh, _, err := run(t, "review", "--db", db, "--lang", "zh")
	if err != nil || !strings.Contains(zh, "规划期末总结评估 2025") || !strings.Contains(zh, "公办幼儿园在园幼儿占比") || !strings.Contains(zh, "未达到") {
		t.Errorf("review (table): %v\n%s", err, zh)
	}
	en, _, err := run(t, "review", "--db", db, "--lang", "en")
	if err != nil || !strings.Contains(en, "Share of kindergarten children in public kindergartens") || !strings.Contains(en, "Not met") ||
		strings.Contains(en, "未达到") {
		t.Errorf("review --lang en: %v\n%s", err, en)
	}
	// At the end of the plan a district is met or not met, never on track or lagging.
	for _, word := range []string{"基本符合预期", "滞后", "倒退"} {
		if strings.Contains(zh, word) {
			t.Errorf("review (table) judges a district %s:\n%s", word, zh)
		}
	}
	for _, bad := range [][]string{{"--format", "xml"}, {"--lang", "fr"}} {
		if _, _, err := run(t, append([]string{"review", "--db", db}, bad...)...); err == nil {
			t.Errorf("review %v: no error", bad)
		}
	}
}
