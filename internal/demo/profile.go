package demo

import "math"

// profile is the invented character of one district: its size and make-up in the
// baseline year and how it moves after. Shares are fractions (0.41, not 41). The
// district values in the baseline year are nominal: the city's exact baselines are
// shared out in proportion to them, so each district ends up close to its nominal value.
type profile struct {
	pop      float64    // residents, 万: the weight of the district in school-age counts
	mix      [3]float64 // share of schools that are urban, town, rural
	system54 bool       // 五四学制: primary grades 1–5, junior 6–9
	growth   float64    // yearly growth of entering cohorts
	drift    float64    // yearly net migration of a cohort once enrolled
	migrant  float64    // share of students with a migrant hukou (随迁子女)
	vocShare float64    // share of senior-stage students in vocational schools
	private  float64    // share of compulsory students in private (民办) schools

	kgPublic, kgGER, seniorGER             float64
	kgMajor, bachelor, ratio, master, dual float64
	schooling                              float64
	pace, gamma, schoolingPace             float64
	retentionRisk                          bool // junior students drop out from two years after the baseline
	lat, lon                               float64
	colleges                               []college
}

// college is a higher-education institution of a district.
type college struct {
	typ      instType
	name     string
	students float64 // share of the city's higher-education students, roughly
	private  bool
}

// The Yantai districts' roles in the story the demo tells (README.txt repeats it):
// 海阳市 370687 regresses on several indicators (pace < 0); 莱州市 370683 and 招远市 370685
// lag (small pace); 栖霞市 370686 loses junior students, so that its compulsory retention
// falls to 98.5% (retentionRisk); 莱阳市 370682 has flat schooling years (schoolingPace 0).
// The last two put a binding indicator at risk.

// yantai holds the profiles of the Yantai districts. Figures are invented but of the
// right order: populations from the 2020 census rounded, location mixes and coordinates
// roughly right (kept inside 37.1–37.8 N, 120.3–121.9 E).
var yantai = map[string]profile{
	"370602": {pop: 91, mix: [3]float64{0.88, 0.08, 0.04}, growth: 0.006, drift: 0.001, migrant: 0.14, vocShare: 0.40, private: 0.11,
		kgPublic: 0.46, kgGER: 1.05, seniorGER: 1.10, kgMajor: 0.80, bachelor: 0.955, ratio: 1.03, master: 0.17, dual: 0.62,
		schooling: 11.6, pace: 1.2, gamma: 1, schoolingPace: 1, lat: 37.53, lon: 121.39,
		colleges: []college{
			{typ: tUniversity, name: "烟台医科学院", students: 25},
			{typ: tHigherVocational, name: "烟台港城职业学院", students: 20},
			{typ: tHigherVocational, name: "烟台商贸职业技术学院", students: 12, private: true},
		}},
	"370611": {pop: 45, mix: [3]float64{0.50, 0.25, 0.25}, growth: 0.008, migrant: 0.10, vocShare: 0.42, private: 0.07,
		kgPublic: 0.40, kgGER: 0.99, seniorGER: 0.97, kgMajor: 0.76, bachelor: 0.93, ratio: 1.06, master: 0.12, dual: 0.58,
		schooling: 10.9, pace: 1.15, gamma: 0.9, schoolingPace: 1, lat: 37.49, lon: 121.26},
	"370612": {pop: 45, mix: [3]float64{0.40, 0.30, 0.30}, system54: true, growth: 0.006, migrant: 0.05, vocShare: 0.42, private: 0.018,
		kgPublic: 0.48, kgGER: 0.98, seniorGER: 0.96, kgMajor: 0.74, bachelor: 0.92, ratio: 1.08, master: 0.11, dual: 0.60,
		schooling: 10.6, pace: 1.1, gamma: 1.1, schoolingPace: 1, lat: 37.39, lon: 121.60},
	"370613": {pop: 41, mix: [3]float64{0.78, 0.14, 0.08}, growth: 0.009, drift: 0.002, migrant: 0.15, vocShare: 0.38, private: 0.12,
		kgPublic: 0.35, kgGER: 1.03, seniorGER: 1.04, kgMajor: 0.78, bachelor: 0.95, ratio: 1.04, master: 0.16, dual: 0.62,
		schooling: 11.4, pace: 1.25, gamma: 0.85, schoolingPace: 1, lat: 37.50, lon: 121.44,
		colleges: []college{
			{typ: tUniversity, name: "烟台滨海大学", students: 40},
			{typ: tUniversity, name: "胶东师范学院", students: 30},
			{typ: tHigherVocational, name: "烟台海洋职业学院", students: 15},
		}},
	"370614": {pop: 44, mix: [3]float64{0.42, 0.30, 0.28}, growth: 0.006, migrant: 0.06, vocShare: 0.42, private: 0.025,
		kgPublic: 0.50, kgGER: 0.98, seniorGER: 0.97, kgMajor: 0.75, bachelor: 0.92, ratio: 1.08, master: 0.11, dual: 0.58,
		schooling: 10.5, pace: 1.1, gamma: 1, schoolingPace: 1, lat: 37.74, lon: 120.80},
	"370681": {pop: 71, mix: [3]float64{0.45, 0.30, 0.25}, growth: 0.007, migrant: 0.08, vocShare: 0.42, private: 0.035,
		kgPublic: 0.38, kgGER: 1.00, seniorGER: 1.01, kgMajor: 0.76, bachelor: 0.93, ratio: 1.07, master: 0.12, dual: 0.61,
		schooling: 10.8, pace: 1.15, gamma: 1, schoolingPace: 1, lat: 37.64, lon: 120.48,
		colleges: []college{
			{typ: tUniversity, name: "龙口南海学院", students: 35, private: true},
			{typ: tHigherVocational, name: "龙口工程职业学院", students: 10},
		}},
	"370682": {pop: 80, mix: [3]float64{0.32, 0.30, 0.38}, growth: 0.006, migrant: 0.05, vocShare: 0.43, private: 0.015,
		kgPublic: 0.45, kgGER: 0.98, seniorGER: 0.98, kgMajor: 0.74, bachelor: 0.91, ratio: 1.09, master: 0.11, dual: 0.58,
		schooling: 10.3, pace: 1.1, gamma: 1, schoolingPace: 0, lat: 37.14, lon: 120.71},
	"370683": {pop: 81, mix: [3]float64{0.36, 0.30, 0.34}, growth: 0.002, migrant: 0.05, vocShare: 0.42, private: 0.025,
		kgPublic: 0.42, kgGER: 0.99, seniorGER: 0.99, kgMajor: 0.75, bachelor: 0.92, ratio: 1.08, master: 0.12, dual: 0.60,
		schooling: 10.5, pace: 0.3, gamma: 1, schoolingPace: 0.35, lat: 37.18, lon: 120.36},
	"370685": {pop: 56, mix: [3]float64{0.38, 0.30, 0.32}, growth: 0.002, migrant: 0.06, vocShare: 0.42, private: 0.018,
		kgPublic: 0.40, kgGER: 1.00, seniorGER: 1.01, kgMajor: 0.74, bachelor: 0.92, ratio: 1.08, master: 0.12, dual: 0.59,
		schooling: 10.5, pace: 0.35, gamma: 1, schoolingPace: 0.4, lat: 37.36, lon: 120.43},
	"370686": {pop: 53, mix: [3]float64{0.26, 0.30, 0.44}, growth: 0.009, migrant: 0.03, vocShare: 0.44,
		kgPublic: 0.55, kgGER: 0.97, seniorGER: 0.96, kgMajor: 0.73, bachelor: 0.90, ratio: 1.10, master: 0.10, dual: 0.57,
		schooling: 10.0, pace: 1, gamma: 1, schoolingPace: 1, retentionRisk: true, lat: 37.33, lon: 120.85},
	"370687": {pop: 57, mix: [3]float64{0.30, 0.30, 0.40}, growth: -0.008, drift: -0.0005, migrant: 0.03, vocShare: 0.43,
		kgPublic: 0.42, kgGER: 0.98, seniorGER: 0.97, kgMajor: 0.73, bachelor: 0.91, ratio: 1.09, master: 0.11, dual: 0.58,
		schooling: 10.1, pace: -0.15, gamma: 1, schoolingPace: -0.15, lat: 37.14, lon: 121.16},
	"370671": {pop: 9, mix: [3]float64{0.72, 0.18, 0.10}, growth: 0.014, drift: 0.003, migrant: 0.22, vocShare: 0, private: 0.06,
		kgPublic: 0.25, kgGER: 1.02, seniorGER: 1.01, kgMajor: 0.78, bachelor: 0.96, ratio: 1.03, master: 0.15, dual: 0.63,
		schooling: 11.8, pace: 1.3, gamma: 0.8, schoolingPace: 1, lat: 37.46, lon: 121.53,
		colleges: []college{
			{typ: tUniversity, name: "烟台信息工程学院", students: 20},
			{typ: tHigherVocational, name: "烟台高新职业技术学院", students: 10},
		}},
	"370672": {pop: 40, mix: [3]float64{0.72, 0.18, 0.10}, growth: 0.012, drift: 0.003, migrant: 0.25, vocShare: 0.40, private: 0.11,
		kgPublic: 0.30, kgGER: 1.01, seniorGER: 1.00, kgMajor: 0.77, bachelor: 0.95, ratio: 1.04, master: 0.14, dual: 0.62,
		schooling: 11.2, pace: 1.15, gamma: 0.9, schoolingPace: 1, lat: 37.60, lon: 121.25,
		colleges: []college{
			{typ: tUniversity, name: "烟台工业大学", students: 30},
			{typ: tHigherVocational, name: "烟台机电职业学院", students: 11},
		}},
}

// profileFor returns the profile of district i of n with the code. Districts of other
// packs get a generic profile; the story's roles then go by position: the last district
// regresses, the one before loses students before grade 9, the one before that has flat
// schooling years, and the fourth and fifth from the end lag.
func profileFor(code string, i, n int) profile {
	if p, ok := yantai[code]; ok {
		return p
	}
	f := float64(i) / float64(max(n-1, 1)) // 0..1 across the districts
	p := profile{
		pop: 50, mix: [3]float64{0.6 - 0.3*f, 0.25, 0.15 + 0.3*f}, growth: 0.006 - 0.006*f, migrant: 0.1 - 0.06*f, vocShare: 0.41, private: 0.07 - 0.07*f,
		kgPublic: 0.36 + 0.1*f, kgGER: 1, seniorGER: 1, kgMajor: 0.78 - 0.04*f, bachelor: 0.95 - 0.04*f,
		ratio: 1.03 + 0.06*f, master: 0.15 - 0.04*f, dual: 0.62 - 0.04*f, schooling: 11.3 - 1.0*f,
		pace: 1, gamma: 1, schoolingPace: 1,
		lat: 37.15 + 0.6*math.Mod(float64(i)*0.37, 1), lon: 120.4 + 1.4*math.Mod(float64(i)*0.61, 1),
	}
	switch {
	case i == 0:
		p.mix = [3]float64{0.85, 0.10, 0.05}
		p.colleges = []college{{typ: tUniversity, name: "示范大学", students: 70}, {typ: tHigherVocational, name: "示范职业学院", students: 30}}
	case n >= 4 && i == n-1:
		p.pace, p.schoolingPace, p.growth = -0.15, -0.15, -0.008
	case n >= 4 && i == n-2:
		p.retentionRisk = true
	case n >= 4 && i == n-3:
		p.schoolingPace = 0
	case n >= 6 && (i == n-4 || i == n-5):
		p.pace, p.schoolingPace = 0.3, 0.35
	}
	return p
}
