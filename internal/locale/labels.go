package locale

// labels are the words the pages' Go code puts together: kinds of data, statuses,
// verdicts and the punctuation that differs between the languages.
var labels = catalogue{
	// Punctuation.
	"list_sep":       {"、", ", "},
	"list_sep_units": {"、", "; "}, // units named in full contain commas in English
	"clause_sep":     {"；", "; "},
	"phrase_sep":     {"，", ", "},
	"label_sep":      {"：", ": "},
	// Kinds of data, as the data and indicator pages name them.
	"kind_institutions": {"机构名册", "Institutions roster"},
	"kind_students":     {"学生名册", "Students roster"},
	"kind_teachers":     {"教师名册", "Teachers roster"},
	"kind_population":   {"人口", "Population"},
	"kind_facts":        {"填报数据", "Reported figures"},
	"kind_conditions":   {"办学条件", "School conditions"},
	// The data page's grid.
	"quality_present":  {"已有", "present"},
	"quality_partial":  {"部分区县市已有", "some districts"},
	"quality_missing":  {"缺失", "missing"},
	"quality_none_all": {"该年尚无任何数据", "no data at all for the year yet"},
	"quality_none":     {"该年尚无数据", "no data for the year yet"},
	"quality_rows":     {"%s 行", "%s rows"},
	"quality_warnings": {"警告 %d 条", "%d warnings"},
	"quality_blocks":   {"无法计算：", "cannot compute: "},
	"quality_source":   {"来源：", "from: "},
	// An indicator: its unit, its direction, where an input of its value comes from.
	"unit_ratio":       {"比值", "ratio"},
	"direction_up":     {"越高越好", "higher is better"},
	"direction_down":   {"越低越好", "lower is better"},
	"direction_hold":   {"保持在目标值", "hold at the target"},
	"direction_toward": {"趋近目标值", "move toward the target"},
	"source_roster":    {"名册汇总", "counted from rosters"},
	"source_fact":      {"报送数据", "reported figure"},
	"source_children":  {"下级区域汇总", "from the units below"},
	"source_missing":   {"缺失", "missing"},
	"source_counted":   {"汇总", "counted"}, // from rosters or school tables, as the origin says
	"origin_roster":    {"名册", "rosters"},
	"origin_school":    {"学校汇总表", "school tables"},
	"origin_district":  {"区县报送合计", "district totals"},
	"origin_city":      {"全市报送合计", "city totals"},
	// The overview's sparklines and grid cells.
	"spark_trend":  {"趋势：", "Trend: "},
	"spark_target": {"目标", "target"},
	"cell_title":   {"%s · %s：%s", "%s · %s: %s"},
	"cell_value":   {"（%s，%d年）", " (%s, %d)"},
	// The standards pages.
	"verdict_met":     {"达到", "Met"},
	"verdict_not_met": {"未达到", "Not met"},
	"verdict_no_data": {"无数据", "No data"},
	"stage_primary":   {"小学", "Primary"},
	"stage_junior":    {"初中", "Junior secondary"},
	"stage_preschool": {"学前", "Preschool"},
	"schools_comply":  {"%d 所学校中 %d 所达标", "%[2]d of %[1]d schools comply"},
	"std_suppressed":  {"不足 %d 人，不予公开", "suppressed: fewer than %d people"},
	"std_no_data":     {"缺少数据", "no data"},
	"std_hidden":      {"不公开", "Not published"},
	// A formula in words: what a read counts, and its conditions.
	"read_students":      {"在校生", "students"},
	"read_teachers":      {"专任教师", "full-time teachers"},
	"read_population":    {"常住人口", "resident population"},
	"read_institutions":  {"学校（机构）数", "institutions"},
	"read_years_earlier": {"%d年前", "%d years earlier"},
	"read_years_later":   {"%d年后", "%d years later"},
	"read_qualified":     {"%s（%s）", "%s (%s)"},
	"phrase_sep_lists":   {"，", "; "},
	"cond_age":           {"%s岁", "aged %s"},
	"cond_grade":         {"%s年级", "grade %s"},
	"cond_grades":        {"%s年级", "grades %s"},
	"cond_not":           {"非%s", "not %s"},
}
