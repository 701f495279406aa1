package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
)

// Languages of the pages: Chinese first, English on request.
const (
	langZh = "zh"
	langEn = "en"
)

// langOf picks a page's language: ?lang=zh|en wins; else English when Accept-Language
// prefers English over Chinese; else Chinese.
func langOf(r *http.Request) string {
	switch l := r.URL.Query().Get("lang"); l {
	case langZh, langEn:
		return l
	}
	if prefersEnglish(r.Header.Get("Accept-Language")) {
		return langEn
	}
	return langZh
}

// prefersEnglish reports whether an Accept-Language header ranks English above Chinese:
// by q-value, then by order.
func prefersEnglish(header string) bool {
	enQ, zhQ := -1.0, -1.0
	enAt, zhAt := -1, -1
	for i, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		switch {
		case primary == "en" && q > enQ:
			enQ, enAt = q, i
		case primary == "zh" && q > zhQ:
			zhQ, zhAt = q, i
		}
	}
	if enQ <= 0 {
		return false
	}
	return enQ > zhQ || (enQ == zhQ && enAt < zhAt)
}

// withLang returns the request's URL with ?lang set, keeping every other parameter.
func withLang(u *url.URL, lang string) string {
	q := u.Query()
	q.Set("lang", lang)
	return u.Path + "?" + q.Encode()
}

// pick returns the text in the page's language; an English text that is missing falls
// back to the Chinese one.
func pick(lang, zh, en string) string {
	if lang == langEn && en != "" {
		return en
	}
	return zh
}

// messages are the pages' own words, by language.
var messages = map[string]map[string]string{
	langZh: {
		"app":              "教育规划监测",
		"demo_banner":      "本页数据由程序生成，仅供演示，不是官方统计数据；演示数据小于全市实际规模时，在校生人数（万人）的基线和目标按同一比例缩小。",
		"demo_short":       "演示数据",
		"switch":           "English",
		"period":           "规划期",
		"baseline_year":    "基期",
		"data_years":       "数据年份",
		"no_data_years":    "尚无数据",
		"indicators":       "主要指标",
		"no":               "序号",
		"indicator":        "指标",
		"unit":             "单位",
		"attribute":        "属性",
		"baseline":         "基期值",
		"latest":           "最新值",
		"target":           "目标值",
		"status":           "进展",
		"at_risk":          "约束性指标预警",
		"grid":             "各区县市指标进展",
		"grid_note":        "每格为该区县市该指标的进展评估；点击查看其趋势、排名和计算过程。",
		"district":         "区县市",
		"not_applicable":   "不适用",
		"api":              "数据接口",
		"legend":           "图例",
		"skip":             "跳到正文",
		"overview":         "总览",
		"licences":         "图表库 Apache ECharts 及其许可",
		"times_in":         "时间均为",
		"breadcrumb":       "位置",
		"direction":        "方向",
		"as_of":            "（按%d年数据评估）",
		"org":              "区域",
		"year":             "年份",
		"show":             "查看",
		"permalink":        "本视图链接",
		"shown":            "当前显示",
		"no_value":         "无数值",
		"trend":            "全市及各区县市趋势",
		"trend_note":       "粗黑线为全市，蓝色粗线为所选区县市；圆点为基期值，菱形和虚线为目标值。点击图例可隐藏或显示某条线，数据表见下方。",
		"trend_note_count": "全市合计远大于各区县市，故先只显示所选区域的线。",
		"ranking_in":       "%d年各区县市排名",
		"map_in":           "%d年各区县市分布图",
		"map_note":         "颜色深浅表示数值（见左下图例），每个区县市旁标出数值和状态；灰色为无数据。高新区和开发区是功能区，没有独立的行政边界，以菱形点标在大致位置。点击区县市可查看其数据。",
		"rank":             "名次",
		"how":              "计算方法",
		"in_words":         "文字表述",
		"in_symbols":       "符号表述",
		"symbol":           "符号",
		"input":            "输入项",
		"number":           "数值",
		"source":           "来源",
		"batches":          "导入批次",
		"explain_json":     "计算过程（JSON）",
		"batches_json":     "全部导入批次（JSON）",
		"data":             "数据表",
		"download":         "下载",
		"download_note":    "下载文件另含各学校（机构）的值。",
		"scorecard":        "计分卡",
		"scorecard_of":     "%s计分卡",
		"district_rank":    "在各区县市中排名",
		"score":            "进展良好指标占比",
		"score_note":       "已评估指标中已实现、快于预期或基本符合预期的占比；排名按此占比，相同时约束性指标预警少者、倒退少者在前。",
		"at_risk_count":    "约束性指标预警",
		"city_value":       "全市最新值",
		"rank_among":       "区县市排名",
		"rank_note":        "按各区县市最新值排名，依指标方向由好到差；数值相同者并列。人数、个数类指标随区县市规模而异，不排名。",
		"count_not_ranked": "人数、个数类指标随区县市规模而异，不在各区县市间排名。",
		"completion":       "完成进度",
		"time_elapsed":     "时间进度",
		"completion_chart": "完成进度与时间进度",
		"completion_note":  "完成进度 =（最新值 − 基期值）÷（目标值 − 基期值）；时间进度为规划期已过的比例。完成进度不低于时间进度即基本符合预期。超出 −50%～150% 的柱在图边截断，标注为实际值；保持型目标无完成进度。",
		"other_districts":  "各区县市：",
		"progress_json":    "各评估方法对比（JSON）",
		"data_page":        "数据导入与质量",
		"data_nav":         "数据",
		"imports":          "导入批次",
		"imports_note":     "每次导入一个文件为一个批次；被替换的批次其数据已由更新的导入取代。",
		"batch_id":         "批次",
		"kind":             "类别",
		"file":             "文件",
		"rows":             "行数",
		"years":            "年份",
		"districts":        "区县市",
		"imported_at":      "导入时间",
		"replaced_by":      "被替换",
		"current":          "现行",
		"warnings":         "警告",
		"no_batches":       "尚未导入任何数据。",
		"rows_current":     "现行批次共 %s 行。",
		"quality":          "数据质量",
		"quality_note":     "各区域各年份每类数据是否已有及行数；悬停格子可见来源批次与因缺失而无法计算的指标。",
		"blocked":          "因缺数据无法计算的指标",
		"blocked_note":     "仅列出已有部分数据的区域和年份。",
		"empty_years":      "以下年份尚无任何数据，所有指标均无法计算：%s。",
		"missing_inputs":   "缺少的输入",
		"none_blocked":     "没有因缺数据而无法计算的指标。",
		"blocks":           "阻碍 %d 项指标",
		"scope_label":      "显示范围",
		"assessed_on":      "按截至%d年的数据评估",
		"as_of_year":       "评估截至",
		"cards_note":       "每张卡片为全市的最新值、目标值和进展；进度条为完成进度（从基期值到目标值已走过的比例），竖线为时间进度（规划期已过的比例）；小折线为基期以来的趋势，虚线为从基期值到目标值的直线，空心点为目标值。",
		"hold_target":      "保持型目标，按是否达到判断",
		"commitments":      "承诺事项",
		"commitments_note": "规划中的其他量化承诺（全市），按进展分类。",
		"commitments_list": "逐项查看",
		"total_n":          "共 %d 项",
		"behind":           "拖慢全市进度的区县市",
		"behind_note":      "滞后和倒退指标最多的区县市（最多 5 个）；点击查看其计分卡。",
		"none_behind":      "没有指标滞后或倒退的区县市。",
		"lagging_n":        "滞后 %d 项",
		"regressing_n":     "倒退 %d 项",
		"at_risk_n":        "约束性指标预警 %d 项",
		"map_list":         "各区县市",
		"map_list_note":    "也可在此选择区县市，与点击地图相同。",
		"no_data_as_of":    "截至该年尚无基期以后的数据",
		"behind_which":     "滞后或倒退的指标（序号同上）：",
		// The key projects and the task ledger (/projects).
		"projects_nav":         "重点工程",
		"projects_title":       "重点工程与主要任务",
		"key_projects":         "重点工程",
		"projects_count":       "%d 项工程，%d 个目标，其中 %d 个已有衡量指标",
		"projects_note":        "各目标为全市最新值与规划目标值，进展按规划评估规则判定（区间目标落在区间内即已实现；“每年不低于”“只增不减”类目标任一年未达到即为倒退）。工程的进展取其各目标中最差的一项。“尚未测量”表示规划包中尚无衡量该目标的承诺事项，仅列出规划原文的目标值。",
		"project":              "工程",
		"project_target":       "目标",
		"lead_unit":            "牵头单位",
		"main_tasks":           "主要任务",
		"no_quantified_target": "规划未提出量化目标",
		"projects_json":        "重点工程进展（JSON）",
		"task_ledger":          "主要任务台账",
		"task_ledger_note":     "规划未写明责任单位的任务，牵头单位为市教育局。任务状态、里程碑完成情况和工作说明由负责人通过命令行（eduplan tasks set）或接口（PATCH /api/v1/tasks/{n}）更新，每次修改均有记录。",
		"main_task":            "主要任务",
		"cooperating_units":    "配合单位",
		"milestones":           "里程碑",
		"evidence":             "工作说明",
		"updated":              "更新",
		"milestones_done":      "里程碑 %d/%d",
		"milestone_done":       "已完成：",
		"milestone_open":       "未完成：",
		"history":              "修改记录",
		"tasks_json":           "主要任务台账及修改记录（JSON）",
		"non_decreasing":       "逐年只增不减",
		"at_least_yearly":      "每年不低于 %s",
		"breached_in":          "未达到：%s 年",
		"project_content":      "主要内容",
		"std_nav":              "督导评估",
		"std_title":            "督导评估标准",
		"std_intro":            "按国家督导评估标准，由学校名册、教师名册与办学条件逐校计算：哪些区市今年即可通过，哪些学校拖了后腿。未计入需区市自评举证的清单项目（政府保障、教育质量、社会认可度）。",
		"std_district":         "区市",
		"std_schools":          "达标学校",
		"std_worst_cv":         "最大差异系数 / 限值",
		"std_ready":            "今年可通过全部标准的区市",
		"std_none_ready":       "今年还没有区市能通过全部标准。",
		"std_history":          "逐年达标学校数（义务教育优质均衡，小学与初中合计）",
		"std_items":            "资源配置指标：全区值与差异系数",
		"std_item":             "指标",
		"std_value":            "全区值",
		"std_threshold":        "标准",
		"std_cv":               "差异系数",
		"std_cv_limit":         "限值",
		"std_schools_title":    "各校情况（未达标的学校在前）",
		"std_school":           "学校",
		"std_students":         "学生数",
		"std_verdict":          "结论",
		"std_needs":            "达标尚需",
		"std_legend":           "颜色：达到标准 / 未达到但不低于标准的 85% / 低于 85%。学校须至少 6 项达到标准、其余不低于 85%；全区须所有学校达标，且各项差异系数不超过限值。",
		"std_csv":              "下载 CSV",
		"std_back":             "督导评估标准",
		"std_year":             "年份",
		"std_preschool":        "学前教育普及普惠",
		"std_detail":           "每个数值的计算依据与导入批次（JSON）",
	},
	langEn: {
		"app":              "Education plan monitor",
		"demo_banner":      "The figures on this page are generated for demonstration and are not official statistics; where the demo city is smaller than the real one, the enrolment counts' baselines and targets (×10,000 persons) are scaled alike.",
		"demo_short":       "Demo data",
		"switch":           "中文",
		"period":           "Plan period",
		"baseline_year":    "Baseline year",
		"data_years":       "Data years",
		"no_data_years":    "no data yet",
		"indicators":       "Headline indicators",
		"no":               "No.",
		"indicator":        "Indicator",
		"unit":             "Unit",
		"attribute":        "Attribute",
		"baseline":         "Baseline",
		"latest":           "Latest",
		"target":           "Target",
		"status":           "Progress",
		"at_risk":          "Binding indicator at risk",
		"grid":             "Progress by district",
		"grid_note":        "Each cell is the assessment of the indicator in the district; select it for the trend, the ranking and how the value was computed.",
		"district":         "District",
		"not_applicable":   "not applicable",
		"api":              "API",
		"legend":           "Legend",
		"skip":             "Skip to content",
		"overview":         "Overview",
		"licences":         "Charts by Apache ECharts, and its licence",
		"times_in":         "Times in",
		"breadcrumb":       "You are here",
		"direction":        "Direction",
		"as_of":            "(assessed on %d data)",
		"org":              "Area",
		"year":             "Year",
		"show":             "Show",
		"permalink":        "Link to this view",
		"shown":            "Showing",
		"no_value":         "no value",
		"trend":            "Trend in the city and each district",
		"trend_note":       "The thick black line is the city, the thick blue one the chosen district; the dot marks the baseline, the diamond and the dashed line the target. Select a legend entry to hide or show its line; the data table is below.",
		"trend_note_count": " The city's total dwarfs any district's, so only the chosen area's line is shown at first.",
		"ranking_in":       "Districts ranked, %d",
		"map_in":           "Districts on the map, %d",
		"map_note":         "The shade shows the value (scale at the bottom left); each district is labelled with its value and status; grey means no data. The High-tech Zone and the Development Zone are functional zones without an administrative boundary of their own, so they are drawn as diamonds at their approximate location. Select a district to see its data.",
		"rank":             "Rank",
		"how":              "How this is computed",
		"in_words":         "In words",
		"in_symbols":       "In symbols",
		"symbol":           "Symbol",
		"input":            "Input",
		"number":           "Number",
		"source":           "Source",
		"batches":          "Import batches",
		"explain_json":     "The computation (JSON)",
		"batches_json":     "All import batches (JSON)",
		"data":             "Data",
		"download":         "Download",
		"download_note":    "The downloads also hold each school's (institution's) values.",
		"scorecard":        "Scorecard",
		"scorecard_of":     "%s scorecard",
		"district_rank":    "Rank among districts",
		"score":            "Indicators going well",
		"score_note":       "The share of assessed indicators achieved, ahead of schedule or on track; districts are ranked by it, ties going to fewer binding indicators at risk, then fewer regressing.",
		"at_risk_count":    "Binding indicators at risk",
		"city_value":       "City, latest",
		"rank_among":       "Rank among districts",
		"rank_note":        "By each district's latest value, better first by the indicator's direction; equal values share a rank. Counts (persons, numbers) follow a district's size and are not ranked.",
		"count_not_ranked": "A count (persons, numbers) follows a district's size: the districts are not ranked on it.",
		"completion":       "Completion",
		"time_elapsed":     "Time elapsed",
		"completion_chart": "Completion against time elapsed",
		"completion_note":  "Completion = (latest − baseline) ÷ (target − baseline); time elapsed is the share of the plan period gone. Completion at or above time elapsed is on track. Bars beyond −50% to 150% are cut at the edge, labelled with the true figure; hold targets have no completion.",
		"other_districts":  "Districts:",
		"progress_json":    "Every method side by side (JSON)",
		"data_page":        "Data imports and quality",
		"data_nav":         "Data",
		"imports":          "Import batches",
		"imports_note":     "Each imported file is a batch; a replaced batch's data has been superseded by a later import.",
		"batch_id":         "Batch",
		"kind":             "Kind",
		"file":             "File",
		"rows":             "Rows",
		"years":            "Years",
		"districts":        "Districts",
		"imported_at":      "Imported",
		"replaced_by":      "Replaced by",
		"current":          "current",
		"warnings":         "Warnings",
		"no_batches":       "Nothing has been imported yet.",
		"rows_current":     "%s rows in current batches.",
		"quality":          "Data quality",
		"quality_note":     "Whether each kind of data is held for each area and year, and how many rows; hover over a cell for its batches and the indicators its absence blocks.",
		"blocked":          "Indicators that cannot be computed for want of data",
		"blocked_note":     "Only areas and years with some data are listed.",
		"empty_years":      "No data at all yet for %s, so no indicator can be computed for those years.",
		"missing_inputs":   "Missing inputs",
		"none_blocked":     "No indicator is blocked by missing data.",
		"blocks":           "blocks %d",
		"scope_label":      "Showing",
		"assessed_on":      "assessed on data up to %d",
		"as_of_year":       "Assessed as of",
		"cards_note":       "Each card is the city's latest value, target and progress. The bar is completion (the share of the way from baseline to target covered), the upright mark the time elapsed (the share of the plan period gone). The small line is the trend since the baseline; the dashed line runs straight from baseline to target, the hollow dot is the target.",
		"hold_target":      "hold target, judged met or not met",
		"commitments":      "Commitments",
		"commitments_note": "The plan's other quantified commitments (city), by progress.",
		"commitments_list": "One by one",
		"total_n":          "%d in all",
		"behind":           "Districts holding the city back",
		"behind_note":      "The districts with the most indicators lagging or regressing (up to 5); select one for its scorecard.",
		"none_behind":      "No district has an indicator lagging or regressing.",
		"lagging_n":        "%d lagging",
		"regressing_n":     "%d regressing",
		"at_risk_n":        "%d binding at risk",
		"map_list":         "Districts",
		"map_list_note":    "Choose a district here as on the map.",
		"no_data_as_of":    "no data after the baseline by then",
		"behind_which":     "Indicators behind (numbered as above):",
		// The key projects and the task ledger (/projects).
		"projects_nav":         "Key projects",
		"projects_title":       "Key projects and main tasks",
		"key_projects":         "Key projects",
		"projects_count":       "%d projects, %d targets, %d of them measured",
		"projects_note":        "Each target shows the city's latest value against the plan's target, assessed by the plan's rules (a range target is achieved within its range; a target that must hold every year regresses when it fails in any). A project's status is its least favourable target's. \"Not measured yet\" means the plan pack has no commitment measuring the target yet: only the plan's figure is shown.",
		"project":              "Project",
		"project_target":       "Target",
		"lead_unit":            "Lead unit",
		"main_tasks":           "Main tasks",
		"no_quantified_target": "The plan sets no quantified target",
		"projects_json":        "Key projects' progress (JSON)",
		"task_ledger":          "Ledger of the main tasks",
		"task_ledger_note":     "Where the plan names no responsible unit, the lead unit is the Municipal Bureau of Education. Status, milestones done and evidence notes are updated from the command line (eduplan tasks set) or the API (PATCH /api/v1/tasks/{n}); every change is kept.",
		"main_task":            "Main task",
		"cooperating_units":    "Cooperating units",
		"milestones":           "Milestones",
		"evidence":             "Evidence",
		"updated":              "Updated",
		"milestones_done":      "milestones %d/%d",
		"milestone_done":       "done: ",
		"milestone_open":       "not done: ",
		"history":              "History",
		"tasks_json":           "The task ledger with its history (JSON)",
		"non_decreasing":       "never lower than the year before",
		"at_least_yearly":      "at least %s every year",
		"breached_in":          "missed in %s",
		"project_content":      "What it does",
		"std_nav":              "Standards",
		"std_title":            "Supervision standards",
		"std_intro":            "The national supervision standards, computed school by school from the rosters and school conditions: which districts could pass this year, and which schools hold them back. The checklist parts a district declares with evidence (government effort, quality, public satisfaction) are not included.",
		"std_district":         "District",
		"std_schools":          "Schools complying",
		"std_worst_cv":         "Largest CV / limit",
		"std_ready":            "Districts that would pass every standard this year",
		"std_none_ready":       "No district would pass every standard this year yet.",
		"std_history":          "Schools complying year by year (quality-balanced, primary and junior together)",
		"std_items":            "Resource items: district value and coefficient of variation",
		"std_item":             "Item",
		"std_value":            "District value",
		"std_threshold":        "Standard",
		"std_cv":               "CV",
		"std_cv_limit":         "Limit",
		"std_schools_title":    "Schools (those holding the district back first)",
		"std_school":           "School",
		"std_students":         "Students",
		"std_verdict":          "Verdict",
		"std_needs":            "To comply it needs",
		"std_legend":           "Colours: meets the standard / below it but at least 85% of it / below 85%. A school complies with at least 6 items met and the others at 85% or more; the district when every school complies and no item's CV exceeds its limit.",
		"std_csv":              "Download CSV",
		"std_back":             "Supervision standards",
		"std_year":             "Year",
		"std_preschool":        "Universal preschool",
		"std_detail":           "What each figure rests on, with its import batches (JSON)",
	},
}

// unitLabel is how a page writes an indicator's unit.
func unitLabel(lang, unit string) string {
	switch unit {
	case "ratio":
		return pick(lang, "比值", "ratio")
	}
	zh, en := plan.UnitWords(unit) // a count has no English unit: "5–8", not "5–8 count"
	return pick(lang, zh, en)
}

// withUnit writes a formatted number with its unit: "41.17%", "49.18万人", "1.07",
// "10.8 years".
func withUnit(lang, number, unit string) string {
	switch unit {
	case "%":
		return number + "%"
	case "ratio":
		return number
	}
	if lang == langEn {
		if l := unitLabel(lang, unit); l != "" {
			return number + " " + l
		}
		return number
	}
	return number + unitLabel(lang, unit)
}

// unitShown writes a number of a table with its unit where the number alone misleads
// (92,052万元, 40 Gbps, 10.8年); counts of schools, lessons or people go bare, as their
// names say what is counted.
func unitShown(lang, number, unit string) string {
	switch unit {
	case "count", "个", "所", "节", "人", "":
		return number
	}
	return withUnit(lang, number, unit)
}

// attributeLabel is how a page writes an indicator's attribute.
func attributeLabel(lang string, a plan.Attribute) string {
	return pick(lang, a.Label(), a.LabelEn())
}

// statusLabel is how a page writes a progress status.
func statusLabel(lang string, s progress.Status) string {
	return pick(lang, s.Label(), s.LabelEn())
}

// formatNumber writes x with the decimals and "," between thousands, as both Chinese and
// English pages write numbers.
func formatNumber(x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', max(decimals, 0), 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		s = s[1:]
		if strings.Trim(s, "0.") != "" { // no "-0.00"
			sign = "-"
		}
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
