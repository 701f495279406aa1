package standards_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/standards"
)

// TestWriteCSVNeutralisesFormulas: an institution code stored before imports refused
// formula-like codes reaches the CSV as text a spreadsheet shows, not runs; numbers,
// empty cells and the header stay as they are.
func TestWriteCSVNeutralisesFormulas(t *testing.T) {
	var buf bytes.Buffer
	rows := []standards.Row{{Standard: "quality_balanced", Org: "=HYPERLINK(1)", Year: 2024, Stage: "primary", Item: "L1", Value: "5.5", Threshold: "4.2", Met: "true"}}
	if err := standards.WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	want := "standard,org,year,stage,item,value,threshold,met,cv,cv_limit\nquality_balanced,'=HYPERLINK(1),2024,primary,L1,5.5,4.2,true,,\n"
	if got := buf.String(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if !strings.HasPrefix(want, strings.Join(standards.Header, ",")) {
		t.Error("header")
	}
}
