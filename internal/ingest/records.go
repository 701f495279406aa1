package ingest

// The records Read passes on: one per valid row, with the row number for messages.
// Optional cells left empty are "unknown": nil pointers or empty strings, never false
// or zero.

// Institution is a row of an institutions file.
type Institution struct {
	Row       int      `json:"row"`
	Year      int      `json:"year"`
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	District  string   `json:"district"`
	Type      string   `json:"type"`
	Ownership string   `json:"ownership"`
	Location  string   `json:"location"`
	Inclusive *bool    `json:"inclusive"`
	Lat       *float64 `json:"lat"`
	Lon       *float64 `json:"lon"`
	// TeachingPoint: 教学点, a small teaching site of a school.
	TeachingPoint *bool `json:"teaching_point"`
}

// Student is a row of a students file. BirthDate is YYYY-MM-DD or empty; Hukou is
// local, migrant or empty.
type Student struct {
	Row         int    `json:"row"`
	Year        int    `json:"year"`
	ID          string `json:"student_id"`
	Institution string `json:"institution"`
	Stage       string `json:"stage"`
	Grade       int    `json:"grade"`
	Sex         string `json:"sex"`
	BirthDate   string `json:"birth_date,omitempty"`
	Hukou       string `json:"hukou,omitempty"`
}

// Teacher is a row of a teachers file (专任教师).
type Teacher struct {
	Row            int    `json:"row"`
	Year           int    `json:"year"`
	ID             string `json:"teacher_id"`
	Institution    string `json:"institution"`
	Stage          string `json:"stage"`
	Sex            string `json:"sex"`
	BirthDate      string `json:"birth_date,omitempty"`
	Education      string `json:"education"`
	PreschoolMajor *bool  `json:"preschool_major"`
	DualQualified  *bool  `json:"dual_qualified"`
	Rotated        *bool  `json:"rotated"`
	NewHire        *bool  `json:"new_hire"`
	// Subject is the main subject taught; Backbone the highest 骨干教师 recognition.
	Subject  string `json:"subject,omitempty"`
	Backbone string `json:"backbone,omitempty"`
}

// Population is a row of a population file. Sex is M, F or empty (both sexes).
type Population struct {
	Row      int    `json:"row"`
	Year     int    `json:"year"`
	District string `json:"district"`
	Age      int    `json:"age"`
	Sex      string `json:"sex,omitempty"`
	Count    int64  `json:"count"`
}

// Fact is a row of a facts file. Dims is canonical (plan.ParseDims: pairs sorted by
// key; "" for the total). Org is the city or a district of the pack, or else what the
// file says, which the importer checks against the year's institutions.
type Fact struct {
	Row     int     `json:"row"`
	Year    int     `json:"year"`
	Org     string  `json:"org"`
	Element string  `json:"element"`
	Dims    string  `json:"dims"`
	Value   float64 `json:"value"`
}

// Condition is a row of a conditions file (办学条件): an institution's quantities in a
// year, for one stage or (Stage "") the whole institution. Values are those of
// plan.ConditionColumns, in that order; nil is unknown.
type Condition struct {
	Row         int         `json:"row"`
	Year        int         `json:"year"`
	Institution string      `json:"institution"`
	Stage       string      `json:"stage,omitempty"`
	Values      [4]*float64 `json:"values"`
}
