package demo

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// The files of the record kinds the Yantai pack declares (kinds.yaml), written for each
// year when the pack declares the kind. Each district's course is drawn once from its
// own stream, so the years agree with each other; k is the years since the baseline.
//
//   - student_health: a row per pupil from kindergarten's top class to senior school.
//     Myopia by stage starts where the reported rates did (6-year-olds 12–16%, primary
//     40–46%, junior 67–75%, senior 79–84%) and falls 0.3–1.6 points a year; poor
//     eyesight is myopia plus 6–10 points, falling 1.1–1.9 points a year, except for a
//     year of too little fall in a third of the districts. Good or excellent fitness
//     45–60%, 0.5–2 points more a year; new entrants' checks 90–97%, then full in
//     some districts; one or two sports 55–75% and the daily two hours 45–65%, rising.
//   - teacher_development: a row per teacher: hours of centralised, online and
//     school-based training, around 24, 60 and 27 (72 credits by the pack's rule; 16 more
//     centralised hours for backbone teachers, whose ranks are the roster's), the masters
//     (名师名校长) the city names, 30 a year at Yantai's size, and each rotated teacher's
//     move, a quarter of them from an urban school to a rural or town one.
//   - after_school: a row per compulsory school and term: 40–75% of schools offer the
//     service before the double reduction, 85–98% after it, rising; 55–70% of students
//     need it and 88–100% of them are served.
//   - tutoring_providers: 6–20 providers per district, two in three teaching academic
//     subjects (学科类, the class the pack derives from the subjects), a share of those
//     closing each year, the unlicensed ones (1 in 13) from the double reduction on;
//     violations found and 80–90% of them rectified, rising to all.
//   - private_schools: every private school open that year: its licence (one in 40
//     without one until the third year, 8% expired, fewer each year); fee accounts
//     supervised in 60–85%, rising; 25–30% not yet registered as for-profit or
//     non-profit, falling to none or a few; the compulsory ones (private.go) all
//     non-profit, as the law requires.
//   - facilities: every school: level protection, campus security and digital campus
//     rising to (near) full coverage; platform users among teachers and students; a
//     tenth of kindergartens new residential-area ones, nearly all of them public.
func (g *generator) kindFiles() []struct {
	kind  string
	write func(*csvFile, int, [][]student, [][]teacher) int
} {
	all := []struct {
		kind  string
		write func(*csvFile, int, [][]student, [][]teacher) int
	}{
		{"student_health", g.writeStudentHealth},
		{"teacher_development", g.writeTeacherDevelopment},
		{"after_school", g.writeAfterSchool},
		{"tutoring_providers", g.writeTutoring},
		{"private_schools", g.writePrivateSchools},
		{"facilities", g.writeFacilities},
	}
	var out []struct {
		kind  string
		write func(*csvFile, int, [][]student, [][]teacher) int
	}
	for _, k := range all {
		if g.pack.RecordKind(k.kind) != nil {
			out = append(out, k)
		}
	}
	return out
}

// course is a district's drawn course for the kinds: a level in the baseline year and
// its yearly change.
type course struct{ from, step float64 }

func (c course) at(k float64) float64 { return c.from + c.step*k }

// districtCourses draws, once per district, the courses of one kind.
func (g *generator) districtCourses(purpose string, draw func(r *rand.Rand) []course) [][]course {
	r := g.rng(purpose, 0)
	out := make([][]course, len(g.ds))
	for di := range g.ds {
		out[di] = draw(r)
	}
	return out
}

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

func pct(x float64) float64 { return clamp(x, 0, 100) / 100 }

// hashOf is a stable number for a code, for choices that must not move between years.
func hashOf(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// writeStudentHealth writes year y's student_health rows, a grade at a time, and returns
// how many.
func (g *generator) writeStudentHealth(f *csvFile, y int, students [][]student, _ [][]teacher) int {
	f.row("year", "student_id", "institution", "stage", "age", "myopia", "poor_vision", "vision_left", "vision_right",
		"fitness", "new_pupil", "entry_check", "sport_skills", "exercise_hours", "screened_on")
	courses := g.healthCourses()
	r := g.rng("student-health", y)
	k := math.Max(float64(y-g.base), 0)
	n := 0
	for di, d := range g.ds {
		c := courses[di]
		// Poor eyesight falls 1.1–1.9 points a year as the reported rate did: myopia's
		// fall plus the gap's.
		gap := c[4].at(k)
		if c[10].from < 1.0/3 && y == g.base+1+int(c[9].from) {
			gap += 1.2 // a year of too little fall
		}
		for t := range nTracks {
			for grade := trackGrades[t][0]; grade <= trackGrades[t][1]; grade++ {
				sc, ok := screen(c, k, gap, stageOf(t, grade, d.primaryEnd), grade, d.primaryEnd)
				if ok {
					n += g.writeScreened(f, r, y, sc, students[g.cell(di, t, grade)])
				}
			}
		}
	}
	return n
}

// healthCourses draws each district's courses of the student_health rates; the
// comments number them as the code reads them.
func (g *generator) healthCourses() [][]course {
	return g.districtCourses("student-health", func(r *rand.Rand) []course {
		return []course{
			{12 + 4*r.Float64(), -(0.6 + 0.6*r.Float64())}, // 0: myopia, 6-year-olds
			{40 + 6*r.Float64(), -(0.3 + 0.9*r.Float64())}, // 1: primary
			{67 + 8*r.Float64(), -(0.8 + 0.8*r.Float64())}, // 2: junior
			{79 + 5*r.Float64(), -(0.5 + 0.8*r.Float64())}, // 3: senior
			{6 + 4*r.Float64(), -(0.5 + 0.8*r.Float64())},  // 4: poor eyesight above myopia
			{45 + 15*r.Float64(), 0.5 + 1.5*r.Float64()},   // 5: good or excellent fitness
			{90 + 7*r.Float64(), 1 + 2*r.Float64()},        // 6: entry checks
			{55 + 20*r.Float64(), 3 + 5*r.Float64()},       // 7: one or two sports
			{45 + 20*r.Float64(), 3 + 5*r.Float64()},       // 8: two hours a day
			{float64(r.IntN(max(1, g.goal-g.base))), 0},    // 9: the year of too little fall, after the baseline
			{r.Float64(), 0}, // 10: < 1/3: this district has one
		}
	})
}

// screening is one grade's health screening in a district and year: its pupils' stage
// and age (as written), whether they are new to their school, and the chances of each
// finding.
type screening struct {
	st           stage
	age          string
	newPupil     bool
	myopia, poor float64 // myopic; with poor eyesight, the myopic included
	fit          float64 // good or excellent fitness
	entry        float64 // an entry check, for new pupils
	sports       float64 // one or two sports skills
	hours        float64 // two hours of exercise a day
}

// screen returns the screening of a grade of stage st from its district's courses c,
// k years after the baseline, poor eyesight gap points above myopia; false for the
// grades not screened (kindergarten below the top class, higher education).
func screen(c []course, k, gap float64, st stage, grade, primaryEnd int) (screening, bool) {
	var band int // which of the myopia courses
	age := grade + 5
	switch st {
	case sPreschool:
		if grade != 3 {
			return screening{}, false // only the top class is screened
		}
		age, band = 6, 0
	case sPrimary, sSpecial:
		band = 1
		if grade == 1 {
			band = 0 // 6-year-olds
		}
	case sJunior:
		band = 2
	case sSenior, sSecondaryVocational:
		band = 3
	default:
		return screening{}, false
	}
	myopia := pct(c[band].at(k))
	if band == 0 && st == sPrimary {
		myopia = pct(c[0].at(k) + 4) // a year older than the top class
	}
	newPupil := grade == 1 || grade == 7 || grade == 10
	if st == sJunior && primaryEnd == 5 {
		newPupil = grade == 6
	}
	return screening{
		st: st, age: strconv.Itoa(age), newPupil: newPupil,
		myopia: myopia, poor: math.Min(0.99, myopia+pct(gap)),
		fit: pct(c[5].at(k)), entry: pct(c[6].at(k)), sports: pct(c[7].at(k)), hours: pct(c[8].at(k)),
	}, true
}

// writeScreened writes a row for each of a grade's students and returns how many:
// eyesight, fitness (not for kindergarten), the entry check for new pupils, sports
// and exercise, drawn in that order.
func (g *generator) writeScreened(f *csvFile, r *rand.Rand, y int, sc screening, students []student) int {
	year, stage := fmtInt(y), sc.st.String()
	var buf [16]byte
	for _, s := range students {
		u := r.Float64()
		isMyopic, isPoor := u < sc.myopia, u < sc.poor
		left, right := 5.0+0.2*r.Float64(), 5.0+0.2*r.Float64()
		if isPoor {
			left = 4.0 + 0.9*r.Float64()
			right = math.Min(left+0.3*r.Float64(), 4.9)
		}
		fitness := ""
		if sc.st != sPreschool {
			switch v := r.Float64(); {
			case v < sc.fit*0.3:
				fitness = "excellent"
			case v < sc.fit:
				fitness = "good"
			case v < 0.95:
				fitness = "pass"
			default:
				fitness = "fail"
			}
		}
		entry := ""
		if sc.newPupil {
			entry = strconv.FormatBool(chance(r, sc.entry))
		}
		f.row(year, g.sids.format(buf[:0], s.serial), g.insts[s.inst].code, stage, sc.age,
			strconv.FormatBool(isMyopic), strconv.FormatBool(isPoor),
			strconv.FormatFloat(left, 'f', 1, 64), strconv.FormatFloat(right, 'f', 1, 64),
			fitness, strconv.FormatBool(sc.newPupil), entry,
			strconv.FormatBool(chance(r, sc.sports)), strconv.FormatBool(chance(r, sc.hours)),
			strconv.Itoa(y)+"-10-15")
	}
	return len(students)
}

func (g *generator) writeTeacherDevelopment(f *csvFile, y int, _ [][]student, teachers [][]teacher) int {
	f.row("year", "teacher_id", "institution", "stage", "centralised_hours", "online_hours", "school_hours",
		"backbone", "title", "rotated", "from_location", "to_location")
	r := g.rng("teacher-development", y)
	year, n := fmtInt(y), 0
	// The masters the city has named by y: 30 a year at Yantai's size, 31 in the last.
	k := max(y-g.base, 0)
	masters := g.scaled(float64(min(k, 5)*30 + max(k-4, 0)))
	total := 0
	for _, group := range teachers {
		total += len(group)
	}
	// The backbone ranks are the roster's: the same teachers, walked in the same order.
	ranks := g.newTeacherRanks(y, teachers)
	var buf [16]byte
	for _, group := range teachers {
		for _, t := range group {
			_, backbone := ranks.next(&t)
			title := "none"
			// Masters are the teachers whose hash falls lowest: the same people every year.
			if total > 0 && hashOf(strconv.FormatUint(t.serial, 10))%uint64(total) < uint64(masters) {
				title = "master_teacher"
				if t.serial%5 == 0 {
					title = "master_head"
				}
			}
			// Hours by form (online for all, centralised and school-based beside it):
			// 24 + 60/2 + 27/1.5 = 72 credits on average by the pack's conversion.
			central := math.Round(clamp(24+10*r.NormFloat64(), 0, 400))
			online := math.Round(clamp(60+20*r.NormFloat64(), 0, 400))
			school := math.Round(clamp(27+9*r.NormFloat64(), 0, 400))
			if backbone != "none" {
				central += 16 // 骨干培训以集中为主
			}
			rotated, from, to := fmtBool(t.rotated), "", ""
			if t.rotated == 2 {
				from = g.insts[t.inst].loc.String()
				to = [3]string{"urban", "town", "rural"}[r.IntN(3)]
				if from == "urban" && chance(r, 0.5) {
					to = "rural"
				}
			}
			f.row(year, g.tids.format(buf[:0], t.serial), g.insts[t.inst].code, t.stage.String(),
				fmtInt(int(central)), fmtInt(int(online)), fmtInt(int(school)), backbone, title, rotated, from, to)
			n++
		}
	}
	return n
}

// enrolment counts each institution's students of a year.
func enrolment(students [][]student, n int) []int {
	out := make([]int, n)
	for _, cell := range students {
		for _, s := range cell {
			out[s.inst]++
		}
	}
	return out
}

func (g *generator) writeAfterSchool(f *csvFile, y int, students [][]student, _ [][]teacher) int {
	f.row("year", "institution", "term", "offered", "needing", "served")
	courses := g.districtCourses("after-school", func(r *rand.Rand) []course {
		return []course{{40 + 35*r.Float64(), 0}, {85 + 13*r.Float64(), 2 + 4*r.Float64()}, {55 + 15*r.Float64(), 0}, {88 + 8*r.Float64(), 1 + 2*r.Float64()}}
	})
	r := g.rng("after-school", y)
	k := float64(y - g.base)
	size := enrolment(students, len(g.insts))
	year, n := fmtInt(y), 0
	for i, in := range g.insts {
		if in.typ != tPrimary && in.typ != tJunior && in.typ != tNineYear || !in.open(y) {
			continue
		}
		c := courses[in.district]
		offer := c[0].from
		if k > 0 {
			offer = c[1].at(k - 1)
		}
		// A school offers the service or not for the whole year, by its place in the
		// district's order (the same schools first every year).
		offered := float64(hashOf(in.code)%1000)/10 < offer
		for _, term := range []string{"autumn", "spring"} {
			needing := int(math.Round(float64(size[i]) * pct(c[2].from)))
			served := 0
			if offered {
				served = int(math.Round(float64(needing) * math.Min(1, pct(c[3].at(math.Max(k, 0)))+0.02*r.Float64())))
			}
			f.row(year, in.code, term, strconv.FormatBool(offered), strconv.Itoa(needing), strconv.Itoa(served))
			n++
		}
	}
	return n
}

func (g *generator) writeTutoring(f *csvFile, y int, _ [][]student, _ [][]teacher) int {
	f.row("year", "provider", "district", "licensed", "subjects", "status", "inspections", "violations", "rectified")
	r := g.rng("tutoring", y)
	year, n := fmtInt(y), 0
	k := max(y-g.base, 0)
	for _, d := range g.ds {
		providers := 6 + int(hashOf(d.org.Code)%15)
		for i := range providers {
			code := d.org.Code + "-T" + strconv.Itoa(i+1)
			h := hashOf(code)
			category := "academic"
			if h%3 == 0 {
				category = "non_academic"
			}
			status := "open"
			licensed := h%13 != 0
			// After the double reduction, academic providers close one by one, and the
			// unlicensed ones at once.
			if category == "academic" && int(h%7) < 2*k || !licensed && k > 0 {
				status = "closed"
			} else if h%11 == uint64(k) {
				status = "rectifying"
			}
			violations := r.IntN(3)
			// 80–90% of violations rectified in the baseline year, all of them by the end.
			rectified := int(math.Round(float64(violations) * math.Min(1, 0.8+0.1*r.Float64()+0.04*float64(k))))
			f.row(year, code, d.org.Code, strconv.FormatBool(licensed), tutoringSubjects(h, category), status,
				strconv.Itoa(1+r.IntN(4)), strconv.Itoa(violations), strconv.Itoa(rectified))
			n++
		}
	}
	return n
}

// The subjects of the Yantai pack's tutoring providers (kinds.yaml): those of the
// academic (学科类) class, then those of the non-academic.
var (
	academicSubjects    = []string{"math", "english", "chinese", "physics", "chemistry", "biology", "history", "geography", "moral"}
	nonAcademicSubjects = []string{"arts", "sports", "science_tech"}
)

// tutoringSubjects are the subjects a provider with hash h teaches, the same every
// year, written as the codes separated by 、: for an academic provider one to three
// academic subjects (consecutive in the list, from one the hash picks) and, for one in
// four, an art, sport or science beside them; for a non-academic one one or two of
// those. The pack derives the provider's class from them.
func tutoringSubjects(h uint64, category string) string {
	from, n := nonAcademicSubjects, 1+int(h/3%2)
	if category == "academic" {
		from, n = academicSubjects, 1+int(h/3%3)
	}
	var out []string
	for i := range n {
		out = append(out, from[(int(h/9%uint64(len(from)))+i)%len(from)])
	}
	if category == "academic" && h/27%4 == 0 {
		out = append(out, nonAcademicSubjects[h/108%3])
	}
	return strings.Join(out, "、")
}

func (g *generator) writePrivateSchools(f *csvFile, y int, _ [][]student, _ [][]teacher) int {
	f.row("year", "institution", "category", "fee_filed", "fee_account", "licence_no", "licence_status", "risk")
	r := g.rng("private-schools", y)
	k := math.Max(float64(y-g.base), 0)
	year, n := fmtInt(y), 0
	for _, in := range g.insts {
		if in.public || in.typ == tUniversity || in.typ == tHigherVocational || !in.open(y) {
			continue
		}
		h := hashOf(in.code)
		// A private school teaching compulsory grades may not be for profit (民办教育促进法
		// 第十九条), and registered as non-profit when the law came in.
		compulsory := in.typ == tPrimary || in.typ == tJunior || in.typ == tNineYear
		category := "non_profit"
		if h%4 == 0 && !compulsory {
			category = "for_profit"
		}
		// The classification reform: 25–30% not yet registered in the baseline year, 6
		// points fewer a year, so that odd districts still have a few left at the end.
		if float64(h/4%100) < 25+5*float64(in.district%2)-6*k && !compulsory {
			category = "pending"
		}
		supervised := float64(h%100) < 60+25*float64(in.district%2)+5*k
		risk := "low"
		if r.Float64() < 0.15 {
			risk = "medium"
		} else if r.Float64() < 0.03 {
			risk = "high"
		}
		licence, status := privateLicence(in.code, k)
		f.row(year, in.code, category, strconv.FormatBool(chance(r, 0.9+0.02*k)), strconv.FormatBool(supervised), licence, status, risk)
		n++
	}
	return n
}

// privateLicence is a private school's 办学许可证 in year k since the baseline: its
// number and status. One school in 40 runs without one until the third year's clean-up;
// 8% hold one expired in the baseline year, 2 points fewer a year as they renew.
func privateLicence(code string, k float64) (number, status string) {
	h := hashOf(code + "/licence")
	if h%40 == 0 && k < 3 {
		return "", "none"
	}
	number = "教民" + code + strconv.Itoa(int(100+h/40%900)) + "号"
	if float64(h/40%100) < 8-2*k {
		return number, "expired"
	}
	return number, "valid"
}

func (g *generator) writeFacilities(f *csvFile, y int, students [][]student, teachers [][]teacher) int {
	f.row("year", "institution", "level_protection", "security_standard", "digital_campus", "platform_teachers", "platform_students", "residential_kg")
	courses := g.districtCourses("facilities", func(r *rand.Rand) []course {
		return []course{{70 + 20*r.Float64(), 4 + 5*r.Float64()}, {80 + 12*r.Float64(), 2 + 4*r.Float64()},
			{45 + 25*r.Float64(), 6 + 8*r.Float64()}, {50 + 20*r.Float64(), 7 + 6*r.Float64()}, {35 + 20*r.Float64(), 8 + 7*r.Float64()}}
	})
	r := g.rng("facilities", y)
	k := math.Max(float64(y-g.base), 0)
	size := enrolment(students, len(g.insts))
	staff := make([]int, len(g.insts))
	for _, group := range teachers {
		for _, t := range group {
			staff[t.inst]++
		}
	}
	// A tenth of kindergartens are new residential-area ones, and at least one of each
	// district's public kindergartens, so that a small demo has some everywhere.
	first := make([]int, len(g.ds))
	for i := range first {
		first[i] = -1
	}
	for i, in := range g.insts {
		if in.typ == tKindergarten && in.public {
			if j := first[in.district]; j < 0 || hashOf(in.code+"/r") < hashOf(g.insts[j].code+"/r") {
				first[in.district] = i
			}
		}
	}
	year, n := fmtInt(y), 0
	for i, in := range g.insts {
		if in.typ == tUniversity || in.typ == tHigherVocational || !in.open(y) {
			continue
		}
		c := courses[in.district]
		h := float64(hashOf(in.code)%1000) / 10 // the school's place in its district's order
		residential, pupils := "", size[i]
		if in.typ == tKindergarten {
			pupils = 0 // the learning platform is for pupils from primary school up
			residential = strconv.FormatBool(first[in.district] == i || hashOf(in.code+"/r")%10 == 0 && (in.public || hashOf(in.code)%4 == 0))
		}
		f.row(year, in.code, strconv.FormatBool(h < c[0].at(k)), strconv.FormatBool(h < c[1].at(k)), strconv.FormatBool(h < c[2].at(k)),
			strconv.Itoa(int(math.Round(float64(staff[i])*math.Min(1, pct(c[3].at(k))+0.05*r.Float64())))),
			strconv.Itoa(int(math.Round(float64(pupils)*math.Min(1, pct(c[4].at(k))+0.05*r.Float64())))), residential)
		n++
	}
	return n
}
