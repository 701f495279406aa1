package sheet_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/yantai-edu/eduplan/internal/sheet"
)

func TestText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`=HYPERLINK("http://evil.example","x")`, `'=HYPERLINK("http://evil.example","x")`},
		{`=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`},
		{"@SUM(1)", "'@SUM(1)"},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"-Inf", "'-Inf"},
		{"-0x1p-2", "'-0x1p-2"},
		// numbers stay numbers
		{"-2.5", "-2.5"},
		{"+3", "+3"},
		{"-1e-05", "-1e-05"},
		{"0", "0"},
		// ordinary text is untouched, a formula character inside it too
		{"", ""},
		{"370602", "370602"},
		{"芝罘区 = 中心", "芝罘区 = 中心"},
		{"kg_public_share", "kg_public_share"},
		{"'quoted", "'quoted"},
	} {
		if got := sheet.Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := sheet.NewWriter(&b)
	w.Write([]string{"=1+1", "-2.5", "a,b"})
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	rec, err := csv.NewReader(&b).Read()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"'=1+1", "-2.5", "a,b"}; len(rec) != 3 || rec[0] != want[0] || rec[1] != want[1] || rec[2] != want[2] {
		t.Errorf("record %q, want %q", rec, want)
	}
}
