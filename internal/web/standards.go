package web

import (
	"io"
	"net/http"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/standards"
)

// standardInfo is a standard of the pack as the API lists it.
type standardInfo struct {
	Code   string             `json:"code"`
	Name   string             `json:"name"`
	NameEn string             `json:"name_en"`
	Basis  string             `json:"basis,omitempty"`
	Level  string             `json:"level"`
	Stages []string           `json:"stages"`
	MinMet int                `json:"min_met,omitempty"`
	Floor  float64            `json:"floor,omitempty"`
	CVMax  map[string]float64 `json:"cv_limit,omitempty"`
	Items  []standardItem     `json:"items"`
}

type standardItem struct {
	Code      string             `json:"code"`
	Name      string             `json:"name"`
	NameEn    string             `json:"name_en"`
	Unit      string             `json:"unit,omitempty"`
	Threshold map[string]float64 `json:"threshold"`
}

func (s *Server) handleStandards(w http.ResponseWriter, r *http.Request) {
	out := []standardInfo{}
	for _, st := range s.pack.Standards {
		info := standardInfo{Code: st.Code, Name: st.Name, NameEn: st.NameEn, Basis: st.Basis, Level: st.Level, Stages: st.Stages,
			MinMet: st.MinMet, CVMax: st.CVLimit, Items: []standardItem{}}
		if st.Level == plan.StandardSchools {
			info.Floor = st.Floor
		}
		for _, it := range st.Items {
			info.Items = append(info.Items, standardItem{Code: it.Code, Name: it.Name, NameEn: it.NameEn, Unit: it.Unit, Threshold: it.Threshold})
		}
		out = append(out, info)
	}
	s.respond(w, r, out)
}

// handleStandard answers a standard's assessment of a year: "Standards out" of
// docs/standards.md, as JSON rows or (format=csv) the CSV itself; with detail=full, the
// assessment itself, each figure with the numbers and import batches it rests on.
func (s *Server) handleStandard(w http.ResponseWriter, r *http.Request) {
	format, err := formatParam(r, "csv")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	year, err := yearParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	res, err := standards.Compute(s.engine(r), s.scopeFor(r), standards.Query{Standard: r.PathValue("code"), Year: year, Org: r.URL.Query().Get("org")})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if r.URL.Query().Get("detail") == "full" && format == "json" {
		s.respond(w, r, res) // every figure with its numerator, students and batches
		return
	}
	rows := res.Rows()
	if format == "csv" {
		s.respondCSV(w, r, res.Code+".csv", func(w io.Writer) error { return standards.WriteCSV(w, rows) })
		return
	}
	if rows == nil {
		rows = []standards.Row{}
	}
	s.respond(w, r, rows)
}
