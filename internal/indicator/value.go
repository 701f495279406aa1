package indicator

// Value is an indicator's value for one org and year. When OK is false the value could
// not be computed and Reason says why (in Chinese and English).
type Value struct {
	Indicator string  `json:"indicator"`
	Org       string  `json:"org"`
	Year      int     `json:"year"`
	Value     float64 `json:"value"`
	OK        bool    `json:"ok"`
	Reason    string  `json:"reason,omitempty"`
	ReasonEn  string  `json:"reason_en,omitempty"`
	// small: the value rests on a count of 1 to plan.PublicMinCount−1 students or
	// teachers, so it is published only to callers whose scope covers its org.
	small bool
}

// Query selects values: empty fields select all.
type Query struct {
	Indicator string
	Org       string
	Year      int
	// Commitments selects the commitments' values instead of the headline indicators'.
	Commitments bool
}

// Input is one number a formula read, and where it came from.
type Input struct {
	// Call is the formula's call, e.g. students("stage=preschool").
	Call  string  `json:"call"`
	Org   string  `json:"org"`
	Year  int     `json:"year"`
	Value float64 `json:"value"`
	OK    bool    `json:"ok"`
	// Source says how the number was found: roster, fact, children (sum or weighted
	// mean of the org's children), or missing.
	Source  string  `json:"source"`
	Batches []int64 `json:"batches"`
	// Origins say which kinds of input the number came from: roster (counted from
	// rosters), school (schools' aggregate tables or figures reported at institutions),
	// district or city (totals reported for a district or the city).
	Origins []string `json:"origins,omitempty"`
}

// Explanation is how a value was computed: the formula and each input.
type Explanation struct {
	Value   Value   `json:"value"`
	Formula string  `json:"formula"`
	Inputs  []Input `json:"inputs"`
}
