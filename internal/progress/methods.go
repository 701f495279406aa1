package progress

// The progress methods of docs/progress.md, offered beside the default assessment of
// docs/indicators.md for users who report to international bodies: Open SDG, the UNSD
// progress chart and UN ESCAP. They are pure functions over numbers; nothing here reads
// the indicator engine.
//
// Common rules (docs/progress.md):
//   - Hold targets (Direction hold, or a target equal to the baseline) and ranges are judged
//     met / not met (HoldMet, InRange), never by a ratio.
//   - A toward (two-sided) target such as a parity ratio is measured on y' = max(y/T, T/y)
//     with target 1, lower is better; for a ratio whose target is 1 this is the spec's
//     y' = max(y, 1/y).
//   - A target already met overrides every other status.
//   - Growth-rate methods replace a base or target of 0 by 0.001 with a warning, and a
//     figure that cannot be computed is an undefined Number with a warning saying why:
//     no NaN or Inf leaves this file.

import (
	"math"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// zeroReplacement is what a base or target of 0 becomes in a growth rate, as Open SDG does.
const zeroReplacement = 0.001

// Goal is an indicator's baseline and target as the progress methods read them; the
// fields mirror plan.Indicator's.
type Goal struct {
	Direction plan.Direction
	Baseline  plan.Point
	Target    plan.Point
	// Tolerance is how far from the target still counts as met, for hold and toward
	// targets (as in the default method); up and down targets are met exactly.
	Tolerance float64
}

// isHold reports whether the goal is judged met / not met rather than by a ratio: a hold
// target, or any target equal to its baseline.
func (g Goal) isHold() bool {
	return g.Direction == plan.Hold || g.Baseline.Value == g.Target.Value
}

// Warning is a caveat on a method's figures, or the reason one cannot be computed.
type Warning struct {
	Zh, En string
}

func validDirection(d plan.Direction) bool {
	return d == plan.Up || d == plan.Down || d == plan.Hold || d == plan.Toward
}

var (
	warnDirection      = Warning{"方向未知（应为 up、down、hold 或 toward）", "unknown direction (expected up, down, hold or toward)"}
	warnHold           = Warning{"保持型目标（目标等于基期值）按是否达到判断，不计算比率", "a hold target (target equal to the baseline) is judged met or not met, not by a ratio"}
	warnYears          = Warning{"需要晚于基期年份的当前值和目标年份", "needs a current value and a target year after the base year"}
	warnTowardPositive = Warning{"趋近型目标需要正值（如比值）", "a toward target needs positive values (such as a ratio)"}
)

// TargetMet reports whether current meets the target, as the default method judges
// "achieved": up current ≥ target, down current ≤ target, toward |current − target| ≤ tol,
// hold current ≥ target − tol.
func TargetMet(dir plan.Direction, current, target, tol float64) bool {
	switch dir {
	case plan.Up:
		return current >= target
	case plan.Down:
		return current <= target
	case plan.Toward:
		return math.Abs(current-target) <= tol
	case plan.Hold:
		return current >= target-tol
	}
	return false
}

// HoldMet reports whether a hold target — one judged met / not met, such as a gross
// enrolment rate held at 100 — is met within tol: at or above target − tol (a floor), at
// or below target + tol for a ceiling (down), within tol of it for toward.
func HoldMet(dir plan.Direction, current, target, tol float64) bool {
	switch dir {
	case plan.Down:
		return current <= target+tol
	case plan.Toward:
		return math.Abs(current-target) <= tol
	}
	return current >= target-tol
}

// InRange reports whether v lies in the target range [lo, hi].
func InRange(v, lo, hi float64) bool { return v >= lo && v <= hi }

// met reports whether current meets the goal, hold targets judged by HoldMet.
func (g Goal) met(current float64) bool {
	if g.isHold() {
		return HoldMet(g.Direction, current, g.Target.Value, g.Tolerance)
	}
	return TargetMet(g.Direction, current, g.Target.Value, g.Tolerance)
}

// CAGR is the compound annual growth rate from v0 in year t0 to v1 in year t1:
// (v1 / v0)^(1 / (t1 − t0)) − 1. It is undefined when t1 = t0, v0 = 0, or v1 and v0 differ
// in sign.
func CAGR(v1, v0 float64, t1, t0 int) Number {
	if t1 == t0 || v0 == 0 || v1/v0 < 0 {
		return Number{}
	}
	return num(math.Pow(v1/v0, 1/float64(t1-t0)) - 1)
}

// toward maps a value of a two-sided target onto y' = max(y/T, T/y), whose target is 1
// and lower is better.
func toward(y, t float64) float64 { return math.Max(y/t, t/y) }

// rates is what the growth-rate methods share.
type rates struct {
	d, sign          float64 // +1 higher is better, −1 lower; −1 for a negative base
	actual, required Number  // CAGR of the current value and of the target, from the base
}

// growthRates prepares a goal and a current value for a growth-rate method; withTarget
// false leaves the target out (Open SDG without a target). positive requires base, current
// and target above 0 (the spec's common rule); otherwise they need only share a sign (Open
// SDG, whose sign factor handles a negative base). ok is false, with the reason among the
// warnings, when the rates cannot be computed.
func growthRates(g Goal, cur plan.Point, withTarget, positive bool) (r rates, warns []Warning, ok bool) {
	if cur.Year <= g.Baseline.Year || withTarget && g.Target.Year <= g.Baseline.Year {
		return r, []Warning{warnYears}, false
	}
	b, c, t := g.Baseline.Value, cur.Value, g.Target.Value
	r.d = 1
	switch g.Direction {
	case plan.Down:
		r.d = -1
	case plan.Toward:
		if b <= 0 || c <= 0 || t <= 0 {
			return r, []Warning{warnTowardPositive}, false
		}
		b, c, t = toward(b, t), toward(c, t), 1
		r.d = -1
	}
	if b == 0 {
		b = zeroReplacement
		warns = append(warns, Warning{"基期值为 0，按 0.001 计算", "base value is 0: computed with 0.001"})
	}
	if withTarget && t == 0 {
		t = zeroReplacement
		warns = append(warns, Warning{"目标值为 0，按 0.001 计算", "target is 0: computed with 0.001"})
	}
	switch {
	case positive && (b < 0 || c < 0 || withTarget && t < 0):
		return r, append(warns, Warning{"增长率方法需要基期值、当前值和目标值均为正", "growth-rate methods need a positive base, current value and target"}), false
	case b*c < 0:
		return r, append(warns, Warning{"基期值与当前值符号不同，无法计算增长率", "base and current value differ in sign: no growth rate"}), false
	case withTarget && b*t < 0:
		return r, append(warns, Warning{"基期值与目标值符号不同，无法计算增长率", "base and target differ in sign: no growth rate"}), false
	}
	r.sign = 1
	if b < 0 {
		r.sign = -1
	}
	r.actual = CAGR(c, b, cur.Year, g.Baseline.Year)
	if withTarget {
		r.required = CAGR(t, b, g.Target.Year, g.Baseline.Year)
	}
	if !r.actual.OK || withTarget && (!r.required.OK || r.required.V == 0) {
		return r, append(warns, Warning{"增长率无法计算", "growth rate cannot be computed"}), false
	}
	return r, warns, true
}

// OpenSDGStatus is a progress status of the Open SDG method.
type OpenSDGStatus string

// Open SDG statuses; the first four are Open SDG's substantial, moderate and limited
// progress and deterioration.
const (
	OpenSDGOnTrack            OpenSDGStatus = "on_track"
	OpenSDGAccelerationNeeded OpenSDGStatus = "acceleration_needed"
	OpenSDGLimited            OpenSDGStatus = "limited"
	OpenSDGDeterioration      OpenSDGStatus = "deterioration"
	OpenSDGAchieved           OpenSDGStatus = "achieved"
	OpenSDGNotMet             OpenSDGStatus = "not_met" // a hold target not met
	OpenSDGNotComputable      OpenSDGStatus = "not_computable"
)

// Label returns the status in Chinese.
func (s OpenSDGStatus) Label() string {
	switch s {
	case OpenSDGOnTrack:
		return "进展显著/符合预期"
	case OpenSDGAccelerationNeeded:
		return "需加快"
	case OpenSDGLimited:
		return "进展有限"
	case OpenSDGDeterioration:
		return "恶化"
	case OpenSDGAchieved:
		return "已实现"
	case OpenSDGNotMet:
		return "未实现"
	}
	return "无法计算"
}

// LabelEn returns the status in English, as Open SDG words it.
func (s OpenSDGStatus) LabelEn() string {
	switch s {
	case OpenSDGOnTrack:
		return "Substantial progress / on track"
	case OpenSDGAccelerationNeeded:
		return "Moderate progress / acceleration needed"
	case OpenSDGLimited:
		return "Limited progress"
	case OpenSDGDeterioration:
		return "Deterioration"
	case OpenSDGAchieved:
		return "Target achieved"
	case OpenSDGNotMet:
		return "Not met"
	}
	return "Not computable"
}

// OpenSDG is the Open SDG progress measure of one series (open-sdg/sdg-build
// sdg/ProgressMeasure.py, the Statistics Canada method).
type OpenSDG struct {
	// R is the progress value: with a target R = sign · d · CAGR_actual / |CAGR_required|;
	// without one, P = sign · d · CAGR_actual.
	R Number
	// Score is Open SDG's score in [−5, 5]; 5 when the target is met.
	Score Number
	// CAGRActual is the growth from the base to the current value, CAGRRequired from the
	// base to the target (undefined without a target); both on y' for a toward target.
	CAGRActual, CAGRRequired Number
	// Coefficient is C, the threshold reduction near a natural limit (without a target).
	Coefficient Number
	Status      OpenSDGStatus
	Warnings    []Warning
}

// OpenSDGWithTarget measures progress from the baseline to current against the goal's
// target with the Open SDG method: d = +1 when higher is better (up), −1 when lower is
// better (down, toward) — stated here because Open SDG's own default is "lower is better";
// sign = −1 when the base is negative (current and target must then be negative too).
// R ≥ 0.95 on track, 0.60 ≤ R < 0.95 acceleration needed, 0 ≤ R < 0.60 limited, R < 0
// deterioration; score min(7.1429·R − 4.2857, 5) for R ≥ 0.6, else max(4.1667·R − 2.5, −5).
// A target already met is achieved (score 5) whatever R is; R is still reported when it
// can be computed. Hold targets are only met or not met.
func OpenSDGWithTarget(g Goal, current plan.Point) OpenSDG {
	var o OpenSDG
	if !validDirection(g.Direction) {
		return OpenSDG{Status: OpenSDGNotComputable, Warnings: []Warning{warnDirection}}
	}
	if g.isHold() {
		o.Status, o.Warnings = OpenSDGNotMet, []Warning{warnHold}
		if g.met(current.Value) {
			o.Status, o.Score = OpenSDGAchieved, num(5)
		}
		return o
	}
	r, warns, ok := growthRates(g, current, true, false)
	o.Warnings, o.CAGRActual, o.CAGRRequired = warns, r.actual, r.required
	o.Status = OpenSDGNotComputable
	if ok {
		R := r.sign * r.d * r.actual.V / math.Abs(r.required.V)
		o.R = num(R)
		switch {
		case R >= 0.95:
			o.Status = OpenSDGOnTrack
		case R >= 0.6:
			o.Status = OpenSDGAccelerationNeeded
		case R >= 0:
			o.Status = OpenSDGLimited
		default:
			o.Status = OpenSDGDeterioration
		}
		if R >= 0.6 {
			o.Score = num(math.Min(7.1429*R-4.2857, 5))
		} else {
			o.Score = num(math.Max(4.1667*R-2.5, -5))
		}
	}
	if g.met(current.Value) {
		o.Status, o.Score = OpenSDGAchieved, num(5)
	}
	return o
}

// OpenSDGWithoutTarget measures progress from base to current with no target, by the
// Open SDG method: P = sign · d · CAGR, where dir must be up (d = +1) or down (d = −1).
// P ≥ 0.015·C on track, 0.005·C ≤ P < 0.015·C acceleration needed, 0 ≤ P < 0.005·C
// limited, P < 0 deterioration. C = 1 unless limit is defined: near a natural limit such
// as 100%, C = 1 − (|y0|/|lim|)^4.44 when |y0| ≤ |lim|; following ProgressMeasure.py,
// C = 1 − ((2|lim| − |y0|)/|lim|)^4.44 when |lim| < |y0| < 2|lim|, and 1 beyond. The score
// is ProgressMeasure.py's: max(125·P − 2.5, −5) below 0, else on P/C scaled to the
// thresholds (5 when C = 0).
func OpenSDGWithoutTarget(base, current plan.Point, dir plan.Direction, limit Number) OpenSDG {
	o := OpenSDG{Status: OpenSDGNotComputable}
	if dir != plan.Up && dir != plan.Down {
		o.Warnings = []Warning{{"无目标时方向须为 up 或 down", "without a target the direction must be up or down"}}
		return o
	}
	r, warns, ok := growthRates(Goal{Direction: dir, Baseline: base}, current, false, false)
	o.Warnings, o.CAGRActual = warns, r.actual

	c := 1.0
	if limit.OK {
		y0, lim := math.Abs(base.Value), math.Abs(limit.V)
		if dir == plan.Down && base.Value < limit.V {
			o.Warnings = append(o.Warnings, Warning{"基期值低于下限，结果可能异常", "base value is below the minimum limit: results may be unexpected"})
		}
		if dir == plan.Up && base.Value > limit.V {
			o.Warnings = append(o.Warnings, Warning{"基期值高于上限，结果可能异常", "base value is above the maximum limit: results may be unexpected"})
		}
		switch {
		case y0 >= 2*lim: // first, so that a base and limit of 0 give C = 1
		case y0 <= lim:
			c = 1 - math.Pow(y0/lim, 4.44)
		default:
			c = 1 - math.Pow((2*lim-y0)/lim, 4.44)
		}
	}
	o.Coefficient = num(c)
	if !ok {
		return o
	}
	P := r.sign * r.d * r.actual.V
	o.R = num(P)
	high, med := 0.015*c, 0.005*c
	switch {
	case P >= high:
		o.Status = OpenSDGOnTrack
	case P >= med:
		o.Status = OpenSDGAccelerationNeeded
	case P >= 0:
		o.Status = OpenSDGLimited
	default:
		o.Status = OpenSDGDeterioration
	}
	switch {
	case P < 0:
		o.Score = num(math.Max(125*P-2.5, -5))
	case c == 0:
		o.Score = num(5)
	case P >= high:
		o.Score = num(math.Min(500*P/c-5, 5))
	case P >= med:
		o.Score = num(250*P/c - 1.25)
	default:
		o.Score = num(500*P/c - 2.5)
	}
	return o
}

// UNSDStatus is a status of the UNSD progress chart.
type UNSDStatus string

// UNSD progress chart statuses.
const (
	UNSDOnTrack       UNSDStatus = "on_track"
	UNSDFair          UNSDStatus = "fair"
	UNSDLimited       UNSDStatus = "limited"
	UNSDDeterioration UNSDStatus = "deterioration"
	UNSDAchieved      UNSDStatus = "achieved"
	UNSDNotMet        UNSDStatus = "not_met" // a hold target not met
	UNSDNotComputable UNSDStatus = "not_computable"
)

// Label returns the status in Chinese.
func (s UNSDStatus) Label() string {
	switch s {
	case UNSDOnTrack:
		return "进展显著/符合预期"
	case UNSDFair:
		return "进展尚可，需加快"
	case UNSDLimited:
		return "进展有限或停滞"
	case UNSDDeterioration:
		return "恶化"
	case UNSDAchieved:
		return "已实现"
	case UNSDNotMet:
		return "未实现"
	}
	return "无法计算"
}

// LabelEn returns the status in English, as the UNSD progress chart words it.
func (s UNSDStatus) LabelEn() string {
	switch s {
	case UNSDOnTrack:
		return "Substantial progress / on track"
	case UNSDFair:
		return "Fair progress, but acceleration needed"
	case UNSDLimited:
		return "Limited or no progress"
	case UNSDDeterioration:
		return "Deterioration"
	case UNSDAchieved:
		return "Target met"
	case UNSDNotMet:
		return "Not met"
	}
	return "Not computable"
}

// UNSD is the UNSD progress chart (2022) assessment of one series.
type UNSD struct {
	// CR = CAGR_actual / CAGR_required; the direction is carried by the target.
	CR                       Number
	CAGRActual, CAGRRequired Number
	Status                   UNSDStatus
	Warnings                 []Warning
}

// UNSDChart assesses progress from the baseline to current by the UNSD progress chart
// (2022): CR ≥ 0.95 on track, 0.5 ≤ CR < 0.95 fair progress (acceleration needed),
// −0.1 ≤ CR < 0.5 limited or stagnating, CR < −0.1 deterioration. Base, current and
// target must be positive (a base or target of 0 counts as 0.001). A target already met
// is achieved; hold targets are only met or not met.
func UNSDChart(g Goal, current plan.Point) UNSD {
	var u UNSD
	if !validDirection(g.Direction) {
		return UNSD{Status: UNSDNotComputable, Warnings: []Warning{warnDirection}}
	}
	if g.isHold() {
		u.Status, u.Warnings = UNSDNotMet, []Warning{warnHold}
		if g.met(current.Value) {
			u.Status = UNSDAchieved
		}
		return u
	}
	r, warns, ok := growthRates(g, current, true, true)
	u.Warnings, u.CAGRActual, u.CAGRRequired = warns, r.actual, r.required
	u.Status = UNSDNotComputable
	if ok {
		cr := r.actual.V / r.required.V
		u.CR = num(cr)
		switch {
		case cr >= 0.95:
			u.Status = UNSDOnTrack
		case cr >= 0.5:
			u.Status = UNSDFair
		case cr >= -0.1:
			u.Status = UNSDLimited
		default:
			u.Status = UNSDDeterioration
		}
	}
	if g.met(current.Value) {
		u.Status = UNSDAchieved
	}
	return u
}

// ESCAPStatus is an anticipated-progress status of the UN ESCAP method.
type ESCAPStatus string

// UN ESCAP statuses.
const (
	ESCAPMaintain      ESCAPStatus = "maintain"
	ESCAPAccelerate    ESCAPStatus = "accelerate"
	ESCAPReverse       ESCAPStatus = "reverse"
	ESCAPAchieved      ESCAPStatus = "achieved"
	ESCAPNotMet        ESCAPStatus = "not_met" // a hold target not met
	ESCAPNotComputable ESCAPStatus = "not_computable"
)

// Label returns the status in Chinese.
func (s ESCAPStatus) Label() string {
	switch s {
	case ESCAPMaintain:
		return "保持"
	case ESCAPAccelerate:
		return "需加快"
	case ESCAPReverse:
		return "需扭转"
	case ESCAPAchieved:
		return "已实现"
	case ESCAPNotMet:
		return "未实现"
	}
	return "无法计算"
}

// LabelEn returns the status in English, as ESCAP words it.
func (s ESCAPStatus) LabelEn() string {
	switch s {
	case ESCAPMaintain:
		return "Maintain progress to achieve the target"
	case ESCAPAccelerate:
		return "Accelerate progress to achieve the target"
	case ESCAPReverse:
		return "Reverse the trend to achieve the target"
	case ESCAPAchieved:
		return "Target achieved"
	case ESCAPNotMet:
		return "Not met"
	}
	return "Not computable"
}

// ESCAP is the UN ESCAP (SDG progress report) assessment of one series.
type ESCAP struct {
	// CS = (x_c − x_b) / (TV − x_b), the current status, to be read against Line.
	CS Number
	// Line = (c − b) / (T − b), the share of the period elapsed at the current year c.
	Line Number
	// Projection is x̂_T, the weighted least-squares value at the target year.
	Projection Number
	// AP = (x̂_T − x_b) / (TV − x_b), the anticipated progress; undefined with fewer than
	// 3 values.
	AP       Number
	Status   ESCAPStatus
	Warnings []Warning
}

// ESCAPProgress assesses a series of actual values against the goal by the UN ESCAP
// method. It uses the series' values from the base year to the target year (the stated
// baseline is x_b but is not itself a data point: include the base year's actual value in
// the series, as test vector 4 does); the current value x_c is the latest after the base
// year. x̂_T is the weighted least-squares line through those values read at T, with
// weights w_i = (T − t_min) / (T − t_i), t_min the earliest year used — so the weights
// grow towards recent years — and needs 3 or more values. Test vector 4 reproduces with
// the weights exactly as written and the base year's value counted (x̂ = 97.5, 87.5,
// 73.75; unweighted least squares gives 97.67, 87.67, 73.83). When the latest value is in
// the target year itself, x̂_T is that value. AP ≥ 1 maintain, 0 < AP < 1 accelerate, AP ≤ 0
// reverse. A target already met is achieved; hold targets are only met or not met. For a
// toward target every value, the projection included, is on y' = max(y/T, T/y), target 1.
func ESCAPProgress(g Goal, series []plan.Point) ESCAP {
	e := ESCAP{Status: ESCAPNotComputable}
	if !validDirection(g.Direction) {
		e.Warnings = []Warning{warnDirection}
		return e
	}
	b, T := g.Baseline.Year, g.Target.Year
	pts, cur, ok := escapWindow(series, b, T)
	if !ok {
		e.Warnings = []Warning{{"同一年份有多个值", "more than one value for a year"}}
		return e
	}
	if cur.Year == b || T <= b {
		e.Warnings = []Warning{warnYears}
		return e
	}
	if g.isHold() {
		e.Status, e.Warnings = ESCAPNotMet, []Warning{warnHold}
		if g.met(cur.Value) {
			e.Status = ESCAPAchieved
		}
		return e
	}
	met := g.met(cur.Value)
	xb, tv, xc := g.Baseline.Value, g.Target.Value, cur.Value
	if g.Direction == plan.Toward {
		if pts, xb, xc, tv, ok = towardScale(pts, xb, xc, tv); !ok {
			e.Warnings = []Warning{warnTowardPositive}
			if met {
				e.Status = ESCAPAchieved
			}
			return e
		}
	}
	e.CS = num((xc - xb) / (tv - xb))
	e.Line = num(float64(cur.Year-b) / float64(T-b))
	e.anticipate(pts, cur.Year, T, xb, xc, tv)
	if met {
		e.Status = ESCAPAchieved
	}
	return e
}

// escapWindow returns the series' values from the base year b to the target year T, and
// the current one: the latest after b (of year b, with no value, when there is none). It
// is false when a year of those has more than one value.
func escapWindow(series []plan.Point, b, T int) (pts []plan.Point, cur plan.Point, ok bool) {
	seen := map[int]bool{}
	cur = plan.Point{Year: b}
	for _, p := range series {
		if p.Year < b || p.Year > T {
			continue
		}
		if seen[p.Year] {
			return nil, plan.Point{}, false
		}
		seen[p.Year] = true
		pts = append(pts, p)
		if p.Year > cur.Year {
			cur = p
		}
	}
	return pts, cur, true
}

// towardScale puts the values of a toward target on y' = max(y/T, T/y), whose target is
// 1: the points, the baseline xb and the current value xc. It is false unless every
// value and the target tv are positive.
func towardScale(pts []plan.Point, xb, xc, tv float64) ([]plan.Point, float64, float64, float64, bool) {
	ok := xb > 0 && tv > 0
	for _, p := range pts {
		ok = ok && p.Value > 0
	}
	if !ok {
		return pts, xb, xc, tv, false
	}
	ys := make([]plan.Point, len(pts))
	for i, p := range pts {
		ys[i] = plan.Point{Year: p.Year, Value: toward(p.Value, tv)}
	}
	return ys, toward(xb, tv), toward(xc, tv), 1, true
}

// anticipate sets the projection x̂_T (the current value when it is the target year's,
// else the weighted trend of 3 or more points), the anticipated progress AP and the
// status it gives; without a projection it leaves the status and adds a warning.
func (e *ESCAP) anticipate(pts []plan.Point, current, T int, xb, xc, tv float64) {
	switch {
	case current == T:
		e.Projection = num(xc)
	case len(pts) >= 3:
		e.Projection = weightedTrend(pts, T)
	}
	if !e.Projection.OK {
		e.Warnings = append(e.Warnings, Warning{"预期进展需要至少 3 个数据点", "anticipated progress needs 3 or more values"})
		return
	}
	e.AP = num((e.Projection.V - xb) / (tv - xb))
	switch ap := e.AP.V; {
	case ap >= 1:
		e.Status = ESCAPMaintain
	case ap > 0:
		e.Status = ESCAPAccelerate
	default:
		e.Status = ESCAPReverse
	}
}

// weightedTrend is the weighted least-squares line through the points, all before year
// T, read at T, with ESCAP's weights w_i = (T − t_min) / (T − t_i).
func weightedTrend(pts []plan.Point, T int) Number {
	tmin := pts[0].Year
	for _, p := range pts {
		tmin = min(tmin, p.Year)
	}
	var sw, swx, swy float64
	w := make([]float64, len(pts))
	for i, p := range pts {
		w[i] = float64(T-tmin) / float64(T-p.Year)
		sw += w[i]
		swx += w[i] * float64(p.Year)
		swy += w[i] * p.Value
	}
	mx, my := swx/sw, swy/sw
	var sxy, sxx float64
	for i, p := range pts {
		dx := float64(p.Year) - mx
		sxy += w[i] * dx * (p.Value - my)
		sxx += w[i] * dx * dx
	}
	if sxx == 0 {
		return Number{}
	}
	return num(my + sxy/sxx*(float64(T)-mx))
}

// NonDecreasing reports whether cur is at least prev: the test of 只增不减 ("only rises,
// never falls"), year on year.
func NonDecreasing(prev, cur float64) bool { return cur >= prev }

// PerStudent is spending per student, total / students, in the units given (亿元 over 万人
// is 10⁴ 元 per student); undefined with no students.
func PerStudent(total, students float64) Number {
	if students <= 0 {
		return Number{}
	}
	return num(total / students)
}

// Spending is one year's general-budget education spending (一般公共预算教育支出) and the
// students it serves.
type Spending struct {
	Total, Students float64
}

// TwoNonDecreasing is the check of 两个只增不减: general-budget education spending, in
// total and per student, never falls from one year to the next.
type TwoNonDecreasing struct {
	Total, PerStudent bool // each test met
	// PerStudentPrev and PerStudentCur are the per-student figures compared.
	PerStudentPrev, PerStudentCur Number
}

// Met reports whether both tests are met.
func (c TwoNonDecreasing) Met() bool { return c.Total && c.PerStudent }

// CheckTwoNonDecreasing checks 两个只增不减 from the previous year to the current one. The
// per-student test fails when either year has no students.
func CheckTwoNonDecreasing(prev, cur Spending) TwoNonDecreasing {
	c := TwoNonDecreasing{
		Total:          NonDecreasing(prev.Total, cur.Total),
		PerStudentPrev: PerStudent(prev.Total, prev.Students),
		PerStudentCur:  PerStudent(cur.Total, cur.Students),
	}
	c.PerStudent = c.PerStudentPrev.OK && c.PerStudentCur.OK && NonDecreasing(c.PerStudentPrev.V, c.PerStudentCur.V)
	return c
}
