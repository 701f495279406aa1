package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/sheet"
	"github.com/yantai-edu/eduplan/internal/web"
)

// TestDownloadsNeutraliseFormulas: institution codes and file names that a spreadsheet
// would run as formulas come out of every CSV and XLSX download quoted ('=…), numbers
// as numbers (issue 10, point 4).
func TestDownloadsNeutraliseFormulas(t *testing.T) {
	ctx := context.Background()
	hdb, hpack, _ := fixture.Hostile(t)
	e, err := indicator.Load(ctx, hdb, hpack)
	if err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(hdb, hpack)
	by := auth.Actor{Name: "test", Remote: "test"}
	if _, err := svc.AddUser(ctx, by, auth.NewUser{Name: "a", Role: auth.Admin, Org: hpack.Tenant, Password: "password-of-a"}); err != nil {
		t.Fatal(err)
	}
	token, _, err := svc.CreateToken(ctx, by, "a", "test")
	if err != nil {
		t.Fatal(err)
	}
	s := web.New(web.Deps{Pack: hpack, DB: hdb, Engine: func() *indicator.Engine { return e }, Auth: svc, Logger: slog.New(slog.DiscardHandler)})
	hts := httptest.NewServer(s.Handler())
	defer hts.Close()

	for _, tt := range []struct {
		path string
		want []string // cells that must appear, neutralised
	}{
		{"/api/v1/values?format=csv", []string{"'" + fixture.HostileCodes["P1"], "'" + fixture.HostileCodes["S1"]}},
		{"/api/v1/values?format=xlsx", []string{"'" + fixture.HostileCodes["P1"], "'" + fixture.HostileCodes["S1"]}},
		{"/api/v1/quality?format=csv", []string{"'" + fixture.HostileFile}},
		{"/api/v1/progress?format=csv", nil},
		{"/api/v1/review?format=csv", nil},
	} {
		req, _ := http.NewRequest("GET", hts.URL+tt.path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := hts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", tt.path, res.StatusCode, body)
		}
		var recs [][]string
		if bytes.HasPrefix(body, []byte("PK")) {
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			recs, err = f.GetRows(f.GetSheetName(0))
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
		} else if recs, err = csv.NewReader(bytes.NewReader(body)).ReadAll(); err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		seen := map[string]bool{}
		var formulas []string
		for _, rec := range recs {
			for _, c := range rec {
				if sheet.Text(c) != c && !seen[c] {
					formulas = append(formulas, c)
				}
				seen[c] = true
			}
		}
		if formulas != nil {
			t.Errorf("%s: cells run as formulas: %q", tt.path, formulas)
		}
		for _, c := range tt.want {
			if !seen[c] {
				t.Errorf("%s: no cell %q", tt.path, c)
			}
		}
	}
}
