package standards

import (
	"io"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/sheet"
)

// Header is the header of "Standards out" (docs/standards.md).
var Header = []string{"standard", "org", "year", "stage", "item", "value", "threshold", "met", "cv", "cv_limit"}

// Row is a row of "Standards out": an item of a school or district, a school's verdict
// (Item "school") or a district's (Item "verdict"). Empty fields are "": no value, or
// no data.
type Row struct {
	Standard  string `json:"standard"`
	Org       string `json:"org"`
	Year      int    `json:"year"`
	Stage     string `json:"stage"`
	Item      string `json:"item"`
	Value     string `json:"value"`
	Threshold string `json:"threshold"`
	Met       string `json:"met"`
	CV        string `json:"cv"`
	CVLimit   string `json:"cv_limit"`
}

// Fields returns the row's cells in the order of Header.
func (r Row) Fields() []string {
	return []string{r.Standard, r.Org, strconv.Itoa(r.Year), r.Stage, r.Item, r.Value, r.Threshold, r.Met, r.CV, r.CVLimit}
}

// Rows returns the result as "Standards out": for each district and stage, its schools
// (in code order; each item, then its verdict), then the district's items and verdict.
func (res *Result) Rows() []Row {
	var out []Row
	for _, d := range res.Districts {
		for _, s := range d.Schools {
			for _, f := range s.Items {
				r := Row{Standard: res.Code, Org: s.Code, Year: res.Year, Stage: d.Stage, Item: f.Item,
					Threshold: num(f.Threshold, true), Met: f.Met.Text()}
				r.Value = num(f.Value, f.Known && !f.Suppressed)
				out = append(out, r)
			}
			out = append(out, Row{Standard: res.Code, Org: s.Code, Year: res.Year, Stage: d.Stage, Item: "school", Met: s.Verdict.Text()})
		}
		for _, f := range d.Items {
			r := Row{Standard: res.Code, Org: d.Org, Year: res.Year, Stage: d.Stage, Item: f.Item,
				Value: num(f.Value, f.Known), Threshold: num(f.Threshold, true), Met: f.Met.Text()}
			if f.CVLimit != 0 {
				r.CV, r.CVLimit = num(f.CV, f.CVKnown), num(f.CVLimit, true)
			}
			out = append(out, r)
		}
		out = append(out, Row{Standard: res.Code, Org: d.Org, Year: res.Year, Stage: d.Stage, Item: "verdict", Met: d.Verdict.Text()})
	}
	return out
}

func num(x float64, ok bool) string {
	if !ok {
		return ""
	}
	return indicator.FormatNumber(x)
}

// WriteCSV writes rows as "Standards out", with the header, text a spreadsheet would
// run neutralised (sheet.Text).
func WriteCSV(w io.Writer, rows []Row) error {
	cw := sheet.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r.Fields()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
