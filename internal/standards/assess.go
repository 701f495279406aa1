// Package standards assesses districts against the national supervision standards
// (督导评估标准, docs/standards.md) that the plan pack declares: school by school and by
// the 差异系数 between schools for 县域义务教育优质均衡, on district values for
// 县域学前教育普及普惠.
//
// It sits beside progress in the flow: it reads the indicator engine and its cube
// (rosters, institutions, school conditions) and is read by web and cmd.
package standards

import (
	"math"
	"slices"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// Verdict is the outcome of a rule: met, not met, or no data (an input is unknown;
// never a pass).
type Verdict string

// Verdicts.
const (
	Met    Verdict = "met"
	NotMet Verdict = "not_met"
	NoData Verdict = "no_data"
)

// Text is the verdict as "Standards out" writes it: true, false, or empty for no data.
func (v Verdict) Text() string {
	switch v {
	case Met:
		return "true"
	case NotMet:
		return "false"
	}
	return ""
}

func verdictOf(ok bool) Verdict {
	if ok {
		return Met
	}
	return NotMet
}

// Bands of a school's item value against its threshold, for colouring.
const (
	BandMet    = "met"    // at or above the threshold
	BandWithin = "within" // below it, but at least the school rule's floor times it
	BandBelow  = "below"  // below the floor
)

// Figure is one item's value at a school or a district. A district's Value is X̄ (Σ
// numerators ÷ Σ students, × per) and CV its 差异系数 between the district's schools.
type Figure struct {
	Item      string  `json:"item"`
	Value     float64 `json:"value"`
	Known     bool    `json:"known"`
	Numerator float64 `json:"numerator"`
	Students  float64 `json:"students,omitempty"`
	Threshold float64 `json:"threshold"`
	Met       Verdict `json:"met"`
	// Band colours a school's value; Need is what the school must add to the numerator
	// (teachers, m², yuan, classrooms) to meet the threshold, rounded up.
	Band string  `json:"band,omitempty"`
	Need float64 `json:"need,omitempty"`
	// CV and CVLimit are the district's; CVKnown is false when X̄ is 0 or unknown.
	CV      float64 `json:"cv,omitempty"`
	CVKnown bool    `json:"cv_known,omitempty"`
	CVLimit float64 `json:"cv_limit,omitempty"`
	CVMet   Verdict `json:"cv_met,omitempty"`
	// Suppressed: the figure rests on a count of fewer than plan.PublicMinCount people
	// and the caller's scope does not cover the school.
	Suppressed bool    `json:"suppressed,omitempty"`
	Batches    []int64 `json:"batches,omitempty"`
}

// School is one school's assessment for a stage.
type School struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Students float64  `json:"students"`
	Items    []Figure `json:"items"`
	// MetCount is how many items meet their threshold.
	MetCount int     `json:"met_count"`
	Verdict  Verdict `json:"verdict"`
}

// SchoolInput is what a school brings to the assessment of one stage: its students of
// the stage and each item's numerator (nil where unknown), with the batches each came
// from.
type SchoolInput struct {
	Code, Name string
	Students   float64
	Numerators []*float64
	Batches    [][]int64
}

// District is a district's assessment for a stage: its items, its schools (in code
// order) and its verdict.
type District struct {
	Org       string   `json:"org"`
	Name      string   `json:"name"`
	NameEn    string   `json:"name_en"`
	Stage     string   `json:"stage"`
	Items     []Figure `json:"items"`
	Schools   []School `json:"schools,omitempty"`
	Complying int      `json:"complying"`
	Verdict   Verdict  `json:"verdict"`
}

// Assess applies a standard assessed by school to one district's schools of a stage
// (docs/standards.md): each school complies when at least MinMet items meet their
// threshold and each other reaches Floor times it; the district when every school
// complies and every item's 差异系数 is within the limit. Any unknown input makes the
// verdict that rests on it no_data.
func Assess(std *plan.Standard, stage string, schools []SchoolInput) District {
	d := District{Stage: stage, Verdict: Met}
	if len(schools) == 0 {
		d.Verdict = NoData
	}
	for _, in := range schools {
		s := assessSchool(std, stage, in)
		switch s.Verdict {
		case Met:
			d.Complying++
		case NoData:
			d.Verdict = NoData
		case NotMet:
			if d.Verdict == Met {
				d.Verdict = NotMet
			}
		}
		d.Schools = append(d.Schools, s)
	}
	limit := std.CVLimit[stage]
	for j, it := range std.Items {
		f := Figure{Item: it.Code, Threshold: it.Threshold[stage], CVLimit: limit, Met: NoData, CVMet: NoData}
		var num, pop float64
		known := len(schools) > 0
		for _, s := range d.Schools {
			x := s.Items[j]
			known = known && x.Known
			num += x.Numerator
			pop += s.Students
			f.Batches = mergeBatches(f.Batches, x.Batches)
		}
		if known && pop > 0 {
			f.Known, f.Numerator, f.Students = true, num, pop
			f.Value = it.Per * num / pop
			f.Met = verdictOf(f.Value >= f.Threshold)
			f.CV, f.CVKnown = cv(d.Schools, j, f.Value, pop)
			// X̄ = 0: every school's value is 0, so there is no difference between them.
			f.CVMet = verdictOf(!f.CVKnown || f.CV <= limit)
		}
		switch {
		case f.CVMet == NoData:
			d.Verdict = NoData
		case f.CVMet == NotMet && d.Verdict == Met:
			d.Verdict = NotMet
		}
		d.Items = append(d.Items, f)
	}
	return d
}

// cv is the 差异系数 of item j between the schools: √(Σ (P_i/P)(X_i − X̄)²) ÷ X̄;
// false when X̄ is 0.
func cv(schools []School, j int, mean, pop float64) (float64, bool) {
	if mean == 0 {
		return 0, false
	}
	var ss float64
	for _, s := range schools {
		dx := s.Items[j].Value - mean
		ss += s.Students / pop * dx * dx
	}
	return math.Sqrt(ss) / mean, true
}

func assessSchool(std *plan.Standard, stage string, in SchoolInput) School {
	s := School{Code: in.Code, Name: in.Name, Students: in.Students, Verdict: Met}
	floorOK := true
	for j, it := range std.Items {
		f := Figure{Item: it.Code, Threshold: it.Threshold[stage], Students: in.Students, Met: NoData}
		if j < len(in.Batches) {
			f.Batches = in.Batches[j]
		}
		if n := in.Numerators[j]; n != nil && in.Students > 0 {
			f.Known, f.Numerator = true, *n
			f.Value = it.Per * *n / in.Students
			f.Met = verdictOf(f.Value >= f.Threshold)
			switch {
			case f.Met == Met:
				f.Band = BandMet
				s.MetCount++
			case f.Value >= std.Floor*f.Threshold:
				f.Band = BandWithin
			default:
				f.Band = BandBelow
				floorOK = false
			}
			if f.Met == NotMet {
				f.Need = math.Ceil(f.Threshold*in.Students/it.Per - *n - 1e-9)
			}
		} else {
			s.Verdict = NoData
		}
		s.Items = append(s.Items, f)
	}
	if s.Verdict != NoData {
		s.Verdict = verdictOf(s.MetCount >= std.MinMet && floorOK)
	}
	return s
}

func mergeBatches(a, b []int64) []int64 {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}
