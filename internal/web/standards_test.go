package web_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/standards"
)

// TestStandardsAPI: /api/v1/standards/{code} writes "Standards out"; the public sees
// every district row as the city does, and no school figure resting on fewer than 10
// students or teachers.
func TestStandardsAPI(t *testing.T) {
	var list []struct {
		Code  string `json:"code"`
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
	}
	getData(t, "/api/v1/standards", &list)
	if len(list) != 2 || list[0].Code != "quality_balanced" || len(list[0].Items) != 7 {
		t.Errorf("standards = %+v", list)
	}

	// As the public: no Authorization header.
	res, err := ts.Client().Get(ts.URL + "/api/v1/standards/quality_balanced?year=2021&format=csv")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if header, _, _ := strings.Cut(string(body), "\n"); header != "standard,org,year,stage,item,value,threshold,met,cv,cv_limit" {
		t.Errorf("header %q", header)
	}
	public, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	full, err := standards.Compute(engine, pack.FullScope(), standards.Query{Standard: "quality_balanced", Year: 2021})
	if err != nil {
		t.Fatal(err)
	}
	rows := full.Rows()
	if len(public) != len(rows)+1 {
		t.Fatalf("%d rows, the city has %d", len(public)-1, len(rows))
	}
	suppressed := 0
	for i, r := range rows {
		got := strings.Join(public[i+1], ",")
		want := strings.Join(r.Fields(), ",")
		if pack.Org(r.Org) != nil && got != want {
			t.Errorf("district row %s, the city sees %s", got, want)
		}
		if pack.Org(r.Org) == nil && got != want {
			suppressed++
		}
	}
	if suppressed == 0 {
		t.Error("the public sees every school figure, small counts included")
	}

	var detail struct {
		Districts []struct {
			Org     string `json:"org"`
			Schools []struct {
				Items []struct {
					Numerator float64 `json:"numerator"`
					Batches   []int64 `json:"batches"`
				} `json:"items"`
			} `json:"schools"`
		} `json:"districts"`
	}
	getData(t, "/api/v1/standards/quality_balanced?year=2021&org=370602&detail=full", &detail)
	if len(detail.Districts) != 2 || len(detail.Districts[0].Schools) == 0 || len(detail.Districts[0].Schools[0].Items[0].Batches) == 0 {
		t.Errorf("detail=full: %+v", detail)
	}

	var jsonRows []standards.Row
	getData(t, "/api/v1/standards/universal_preschool?year=2021&org=370602", &jsonRows)
	if len(jsonRows) != 4 || jsonRows[3].Item != "verdict" || jsonRows[0].Stage != "preschool" {
		t.Errorf("universal_preschool of 370602 = %+v", jsonRows)
	}
	for _, path := range []string{"/api/v1/standards/nope?year=2021", "/api/v1/standards/quality_balanced", "/api/v1/standards/quality_balanced?year=2021&org=9"} {
		if res, _ := get(t, path); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 404 or 400", path, res.StatusCode)
		}
	}
}
