package ingest

import (
	"slices"
	"testing"
)

// TestFormatCodes: the format reference lists exactly the codes each column's reader
// accepts, each with a meaning in both languages, and every column of every kind.
func TestFormatCodes(t *testing.T) {
	for _, k := range Kinds {
		f := k.Format()
		if len(f.Columns) != len(kindCols[k]) {
			t.Errorf("%s: %d columns described, the reader has %d", k, len(f.Columns), len(kindCols[k]))
		}
		for i, c := range f.Columns {
			col := kindCols[k][i]
			if c.Name != col.String() || c.Required != k.required(col) || c.Type == "" || c.TypeEn == "" || c.Meaning == "" || c.MeaningEn == "" {
				t.Errorf("%s.%s: described as %+v", k, col, c)
			}
			var codes []string
			for _, code := range c.Codes {
				codes = append(codes, code.Code)
				if code.Zh == "" || code.En == "" {
					t.Errorf("%s.%s: code %s has no meaning", k, col, code.Code)
				}
			}
			if e := colEnums[col]; e != nil && !slices.Equal(codes, e.values) {
				t.Errorf("%s.%s: codes %v, the reader accepts %v", k, col, codes, e.values)
			}
		}
	}
}
