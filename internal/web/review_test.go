package web_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
)

// TestReviewAPI: /api/v1/review answers progress.FinalReview as JSON, and as its CSV
// with format=csv, byte for byte. The fixture publishes the final edition, and an
// edition is the public's review: values that would give a small count away are not in
// it, whoever reads it.
func TestReviewAPI(t *testing.T) {
	public := plan.Scope{Tenant: pack.Tenant, Org: pack.Tenant, Detail: plan.Public}
	want, err := progress.FinalReview(engine.For(public), public)
	if err != nil {
		t.Fatal(err)
	}
	var got progress.Review
	getData(t, "/api/v1/review", &got)
	if got.Year != want.Year || len(got.Items) != len(want.Items) || len(got.Items) != len(pack.Indicators)+len(pack.Commitments) {
		t.Fatalf("review: year %d, %d items; want %d, %d", got.Year, len(got.Items), want.Year, len(want.Items))
	}
	for i, it := range got.Items {
		w := want.Items[i]
		if it.Code != w.Code || it.Verdict != w.Verdict || it.Gap.Gap != w.Gap.Gap || len(it.HeldBack) != len(w.HeldBack) {
			t.Errorf("item %d: %s %s gap %v, %d held back; want %s %s gap %v, %d", i, it.Code, it.Verdict, it.Gap.Gap, len(it.HeldBack),
				w.Code, w.Verdict, w.Gap.Gap, len(w.HeldBack))
		}
	}
	res, body := get(t, "/api/v1/review?format=csv")
	var csv bytes.Buffer
	if err := progress.WriteReviewCSV(&csv, want); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, csv.Bytes()) {
		t.Errorf("review CSV: status %d\n%s\nwant\n%s", res.StatusCode, body, csv.Bytes())
	}
	if res, _ := get(t, "/api/v1/review?format=xml"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("format=xml: status %d, want 400", res.StatusCode)
	}
}
