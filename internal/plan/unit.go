package plan

// UnitWords returns a unit as words for people, in Chinese and English: "万元" is
// "万元" and "×10,000 yuan", "count" is "个" and "" (a bare number reads right in English).
// A unit it does not know is returned as it is in both.
func UnitWords(unit string) (zh, en string) {
	switch unit {
	case "%":
		return "%", "%"
	case "count":
		return "个", ""
	case "ratio":
		return "", ""
	case "万人":
		return "万人", "×10,000 persons"
	case "万元":
		return "万元", "×10,000 yuan"
	case "元":
		return "元", "yuan"
	case "人":
		return "人", "people"
	case "个":
		return "个", ""
	case "所":
		return "所", "schools"
	case "年":
		return "年", "years"
	case "节":
		return "节", "lessons"
	}
	return unit, unit
}
