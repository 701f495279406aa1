package progress

// Status is the assessment of an indicator at an org against its target.
type Status string

// Statuses, as docs/indicators.md names them.
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

// Label returns the row's status in Chinese: 提前实现 for a target reached before its
// year (Early), else the status's label.
func (r Row) Label() string {
	if r.Early {
		return "提前实现"
	}
	return r.Status.Label()
}

// LabelEn returns the row's status in English: "Achieved early" for Early.
func (r Row) LabelEn() string {
	if r.Early {
		return "Achieved early"
	}
	return r.Status.LabelEn()
}

// Number is a number that may be undefined; JSON writes an undefined one as null.
type Number struct {
	V  float64
	OK bool
}

// Row is the progress of one indicator at one org.
type Row struct {
	Indicator    string `json:"indicator"`
	Org          string `json:"org"`
	BaselineYear int    `json:"baseline_year"`
	Baseline     Number `json:"baseline"`
	LatestYear   int    `json:"latest_year,omitempty"`
	Latest       Number `json:"latest"`
	TargetYear   int    `json:"target_year"`
	Target       Number `json:"target"`
	TimeElapsed  Number `json:"time_elapsed"`
	Completion   Number `json:"completion"`
	Status       Status `json:"status"`
	// Early marks a status achieved before the target year (提前实现): a value target
	// with a completion ratio reached, or a range entered, in a year before the target
	// year. A hold target kept, or a relation that has held so far, is not early: it
	// must go on holding until the target year.
	Early          bool   `json:"achieved_early"`
	AtRisk         bool   `json:"at_risk"`
	RequiredChange Number `json:"required_change"`
	Projection     Number `json:"projection"`
}
