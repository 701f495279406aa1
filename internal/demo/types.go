package demo

// instType is an institution type of docs/formats.md.
type instType int8

// The institution types the demo uses (twelve_year and training are left out).
const (
	tKindergarten instType = iota
	tPrimary
	tJunior
	tNineYear
	tCompleteSecondary
	tSenior
	tSecondaryVocational
	tSpecial
	tHigherVocational
	tUniversity
	nInstTypes
)

var instTypeNames = [nInstTypes]string{"kindergarten", "primary", "junior", "nine_year", "complete_secondary",
	"senior", "secondary_vocational", "special", "higher_vocational", "university"}

func (t instType) String() string { return instTypeNames[t] }

// vocational reports whether the type counts in vocational_dual_teacher.
func (t instType) vocational() bool { return t == tSecondaryVocational || t == tHigherVocational }

// location is 城区, 镇区 or 乡村.
type location int8

const (
	locUrban location = iota
	locTown
	locRural
	nLocations
)

var locationNames = [nLocations]string{"urban", "town", "rural"}

func (l location) String() string { return locationNames[l] }

// stage is a stage of education of docs/formats.md.
type stage int8

const (
	sPreschool stage = iota
	sPrimary
	sJunior
	sSenior
	sSecondaryVocational
	sSpecial
	sHigher
	nStages
)

var stageNames = [nStages]string{"preschool", "primary", "junior", "senior", "secondary_vocational", "special", "higher"}

func (s stage) String() string { return stageNames[s] }

// compulsory reports whether the stage is primary or junior.
func (s stage) compulsory() bool { return s == sPrimary || s == sJunior }

// track is the path a student follows through consecutive grades: the basic track runs
// through primary and junior whatever the local 6-3 or 5-4 split.
type track int8

const (
	trPre track = iota
	trBasic
	trSpecial
	trSenior
	trVoc
	trUniv
	trHVoc
	nTracks
)

// trackGrades are the first and last grade of each track.
var trackGrades = [nTracks][2]int{{1, 3}, {1, 9}, {1, 9}, {10, 12}, {10, 12}, {13, 16}, {13, 15}}

// gradeSlots is the number of grade slots of a cell index (grades 0–16).
const gradeSlots = 17

// stageOf returns the stage of a student of the track and grade in a district whose
// primary school ends at grade primaryEnd (6, or 5 under 五四学制).
func stageOf(t track, grade, primaryEnd int) stage {
	switch t {
	case trPre:
		return sPreschool
	case trBasic:
		if grade <= primaryEnd {
			return sPrimary
		}
		return sJunior
	case trSpecial:
		return sSpecial
	case trSenior:
		return sSenior
	case trVoc:
		return sSecondaryVocational
	}
	return sHigher
}

// serves reports whether an institution of the type takes students of the track and
// grade.
func (t instType) serves(tr track, grade, primaryEnd int) bool {
	switch t {
	case tKindergarten:
		return tr == trPre
	case tPrimary:
		return tr == trBasic && grade <= primaryEnd
	case tJunior:
		return tr == trBasic && grade > primaryEnd
	case tNineYear:
		return tr == trBasic
	case tCompleteSecondary:
		return tr == trBasic && grade > primaryEnd || tr == trSenior
	case tSenior:
		return tr == trSenior
	case tSecondaryVocational:
		return tr == trVoc
	case tSpecial:
		return tr == trSpecial
	case tUniversity:
		return tr == trUniv
	case tHigherVocational:
		return tr == trHVoc
	}
	return false
}
