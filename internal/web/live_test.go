package web_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/store"
	"github.com/yantai-edu/eduplan/internal/web"
)

// TestServerSeesOtherImports: a running server shows a value imported into its
// database by another process (here: a second connection, as the command line's
// import would be) without a restart.
func TestServerSeesOtherImports(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, pack, path := fixture.Tiny(t)
	live, err := indicator.NewLive(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	go live.Watch(ctx, 50*time.Millisecond, slog.New(slog.DiscardHandler))
	s := httptest.NewServer(web.New(web.Deps{Pack: pack, DB: db, Engine: live.Engine}).Handler())
	defer s.Close()
	value := func() any {
		t.Helper()
		_, body := do(t, s.Client(), "GET", s.URL+"/api/v1/values?indicator=working_age_schooling_years&org=370602&year=2020", nil)
		var env struct {
			Data []struct {
				Value any `json:"value"`
			} `json:"data"`
		}
		if err := json.Unmarshal([]byte(body), &env); err != nil || len(env.Data) != 1 {
			t.Fatalf("values: %v %s", err, body)
		}
		return env.Data[0].Value
	}
	if v := value(); v != 11.0 {
		t.Fatalf("before: %v, want 11 (testdata/tiny/facts.csv)", v)
	}

	other, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	f := filepath.Join(t.TempDir(), "facts.csv")
	if err := os.WriteFile(f, []byte("year,org,element,dims,value\n2020,370602,working_age_schooling_years,,12.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.ImportFiles(ctx, other, pack, pack.FullScope(), []string{f}, ingest.Options{User: "cli"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second) // generous: the watch polls every 50 ms
	for value() != 12.5 {
		if time.Now().After(deadline) {
			t.Fatalf("the server still serves %v after another process imported 12.5", value())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
