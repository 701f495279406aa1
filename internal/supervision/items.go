package supervision

import (
	"fmt"
	"math"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/standards"
	"github.com/yantai-edu/eduplan/internal/store"
)

// ItemDef is one item a round assesses: its words, and whether it is computed from the
// data (a standard's item, an indicator) or declared (a checklist item, a main task).
type ItemDef struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	NameEn   string `json:"name_en"`
	Theme    string `json:"theme,omitempty"`
	Unit     string `json:"unit,omitempty"`
	Computed bool   `json:"computed"`
	// Decimals a computed value is shown with (it is kept whole).
	Decimals int `json:"decimals,omitempty"`
}

// Figure is a computed item's value at an org: Known false when it cannot be computed;
// Threshold the target or limit it is held against, Met "met", "not_met" or "" (not
// judged).
type Figure struct {
	Value     float64  `json:"value"`
	Known     bool     `json:"known"`
	Threshold *float64 `json:"threshold,omitempty"`
	Met       string   `json:"met,omitempty"`
}

// Text writes the figure's value, "—" when unknown.
func (f Figure) Text() string {
	if !f.Known {
		return "—"
	}
	return strconv.FormatFloat(f.Value, 'f', -1, 64)
}

// TextAt writes the figure's value with the decimals, "—" when unknown.
func (f Figure) TextAt(decimals int) string {
	if !f.Known {
		return "—"
	}
	return strconv.FormatFloat(f.Value+0, 'f', decimals, 64)
}

// Same reports whether two figures are equal to the 6th significant digit (a frozen
// value against the live one).
func (f Figure) Same(g Figure) bool {
	if f.Known != g.Known {
		return false
	}
	return !f.Known || math.Abs(f.Value-g.Value) <= 1e-6*math.Max(1, math.Abs(f.Value))
}

var stageNames = map[string][2]string{"preschool": {"学前", "preschool"}, "primary": {"小学", "primary"}, "junior": {"初中", "junior secondary"}, "senior": {"高中", "senior secondary"}}

// ItemsOf returns the items a round assesses, in order.
func ItemsOf(pack *plan.Pack, r store.SupRound) []ItemDef {
	var out []ItemDef
	switch r.SubjectKind {
	case KindStandard:
		std := pack.Standard(r.Subject)
		if std == nil {
			return nil
		}
		for _, st := range std.Stages {
			sn := stageNames[st]
			for _, it := range std.Items {
				d := ItemDef{Code: st + "/" + it.Code, Unit: it.Unit, Computed: true, Theme: it.Code, Decimals: 2,
					Name: sn[0] + " · " + it.Name, NameEn: sn[1] + " · " + it.NameEn}
				if std.Level == plan.StandardSchools {
					d.Name += "（差异系数）"
					d.NameEn += " (coefficient of variation)"
					d.Unit, d.Decimals = "", 3
				}
				out = append(out, d)
			}
		}
	case KindIndicators:
		for _, ind := range pack.Indicators {
			out = append(out, ItemDef{Code: ind.Code, Name: ind.Name, NameEn: ind.NameEn, Unit: ind.Unit, Theme: ind.Group, Computed: true, Decimals: ind.Decimals})
		}
	case KindCommitments:
		for _, c := range pack.Commitments {
			if c.AtLevel(plan.LevelDistrict) {
				out = append(out, ItemDef{Code: c.Code, Name: c.Name, NameEn: c.NameEn, Unit: c.Unit, Theme: c.Group, Computed: true, Decimals: c.Decimals})
			}
		}
	case KindLedger:
		for _, t := range pack.Tasks {
			out = append(out, ItemDef{Code: fmt.Sprintf("task%d", t.Number), Name: fmt.Sprintf("%d. %s", t.Number, t.Title),
				NameEn: fmt.Sprintf("%d. %s", t.Number, t.TitleEn), Theme: t.Chapter})
		}
	case KindChecklist:
		if c := pack.Checklist(r.Subject); c != nil {
			for _, it := range c.Items {
				out = append(out, ItemDef{Code: it.Code, Name: it.Name, NameEn: it.NameEn, Theme: it.Theme})
			}
		}
	}
	return out
}

// Figures computes a round's computed items at an org from the engine's current values.
func Figures(e *indicator.Engine, r store.SupRound, org string) map[string]Figure {
	out := map[string]Figure{}
	if e == nil {
		return out
	}
	pack := e.Pack()
	switch r.SubjectKind {
	case KindIndicators:
		for _, ind := range pack.Indicators {
			f := Figure{}
			if v, ok := e.Get(ind.Code, org, r.Year); ok && v.OK {
				f.Value, f.Known = v.Value, true
			}
			t := ind.Target.Value
			if x, ok := ind.OrgTargets[org]; ok {
				t = x
			}
			f.Threshold = &t
			if f.Known {
				switch ind.Direction {
				case plan.Up:
					f.Met = metOf(f.Value >= t-ind.Tolerance)
				case plan.Down:
					f.Met = metOf(f.Value <= t+ind.Tolerance)
				}
			}
			out[ind.Code] = f
		}
	case KindCommitments:
		commitmentFigures(e, r, org, out)
	case KindStandard:
		res, err := standards.Compute(e, pack.FullScope(), standards.Query{Standard: r.Subject, Year: r.Year, Org: org})
		if err != nil {
			return out
		}
		for _, d := range res.Districts {
			for j, fig := range d.Items {
				code := d.Stage + "/" + res.Standard.Items[j].Code
				f := Figure{}
				if res.Standard.Level == plan.StandardSchools {
					lim := fig.CVLimit
					f = Figure{Value: round4(fig.CV), Known: fig.CVKnown, Threshold: &lim}
					if fig.CVKnown {
						f.Met = metOf(fig.CVMet == standards.Met)
					}
				} else {
					th := fig.Threshold
					f = Figure{Value: round4(fig.Value), Known: fig.Known, Threshold: &th}
					if fig.Known {
						f.Met = metOf(fig.Met == standards.Met)
					}
				}
				out[code] = f
			}
		}
	}
	return out
}

// commitmentFigures fills out with each commitment's value at the org in the round's
// year, judged as progress judges the commitment with the data up to that year: met
// when achieved (a value or range reached, a relation or yearly floor held so far),
// not met otherwise, not judged without data. The threshold is the target it was held
// against, where progress has one (none for 只增不减).
func commitmentFigures(e *indicator.Engine, r store.SupRound, org string, out map[string]Figure) {
	rows, err := progress.AssessCommitments(e.AsOf(r.Year), e.Pack().FullScope(), progress.Query{Org: org})
	if err != nil {
		return
	}
	for _, row := range rows {
		f := Figure{}
		if v, ok := e.Get(row.Indicator, org, r.Year); ok && v.OK {
			f.Value, f.Known = v.Value, true
		}
		if row.Target.OK {
			t := row.Target.V
			f.Threshold = &t
		}
		if f.Known && row.Status != progress.NoData {
			f.Met = metOf(row.Status == progress.Achieved)
		}
		out[row.Indicator] = f
	}
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func metOf(ok bool) string {
	if ok {
		return Met
	}
	return NotMet
}
