package progress

// Status is the assessment of an indicator at an org against its target.
type Status string

// Statuses, as spec/indicators.md names them.
const (
	Achieved   Status = "achieved"
	Ahead      Status = "ahead"
	OnTrack    Status = "on_track"
	Lagging    Status = "lagging"
	Regressing Status = "regressing"
	NoData     Status = "no_data"
)

// Label returns the status in Chinese, as plan evaluations word it.
func (s Status) Label() string {
	switch s {
	case Achieved:
		return "已实现"
	case Ahead:
		return "快于预期"
	case OnTrack:
		return "基本符合预期"
	case Lagging:
		return "滞后"
	case Regressing:
		return "倒退"
	}
	return "无数据"
}

// LabelEn returns the status in English.
func (s Status) LabelEn() string {
	switch s {
	case Achieved:
		return "Achieved"
	case Ahead:
		return "Ahead of schedule"
	case OnTrack:
		return "On track"
	case Lagging:
		return "Lagging"
	case Regressing:
		return "Regressing"
	}
	return "No data"
}

// Number is a number that may be undefined; JSON writes an undefined one as null.
type Number struct {
	V  float64
	OK bool
}

// Row is the progress of one indicator at one org.
type Row struct {
	Indicator      string `json:"indicator"`
	Org            string `json:"org"`
	BaselineYear   int    `json:"baseline_year"`
	Baseline       Number `json:"baseline"`
	LatestYear     int    `json:"latest_year,omitempty"`
	Latest         Number `json:"latest"`
	TargetYear     int    `json:"target_year"`
	Target         Number `json:"target"`
	TimeElapsed    Number `json:"time_elapsed"`
	Completion     Number `json:"completion"`
	Status         Status `json:"status"`
	AtRisk         bool   `json:"at_risk"`
	RequiredChange Number `json:"required_change"`
	Projection     Number `json:"projection"`
}
