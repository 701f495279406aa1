package locale

// commitments are the words of a district's commitments section.
var commitments = catalogue{
	"district_commitments":      {"承诺事项", "Commitments"},
	"district_commitments_note": {"规划正文中的量化承诺在本区县市的进展；区间和关系目标按其规则评估。", "Progress here on the plan's quantified commitments; range and relation targets are judged by their own rules."},
	"commitment":                {"承诺事项", "Commitment"},
	"plan_section":              {"出处", "Plan section"},
	"city_status":               {"全市", "City"},
	"range_below":               {"低于区间", "below the range"},
	"range_within":              {"在区间内", "within the range"},
	"range_above":               {"高于区间", "above the range"},
	"at_least_of":               {"每年不低于%s", "at least %s every year"},
	"at_most_yearly":            {"每年不高于 %s", "at most %s every year"},
	"every_year_in":             {"每年保持 %s", "%s every year"},
	"about_band":                {"约%s（±%s）", "about %s (±%s)"},
	"must":                      {"须确保", "must"},
	"must_title":                {"规划以“确保”或“只增不减”表述的承诺；规划仅对13项主要指标标注约束性或预期性。", "A commitment the plan words as 确保 (ensure) or 只增不减 (never lower); the plan marks only its 13 headline indicators binding or expected."},
	"must_at_risk":              {"须确保事项预警", "Must-keep commitment at risk"},
}
