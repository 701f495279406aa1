package demo

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"
)

// csvFile is a CSV file being written row by row.
type csvFile struct {
	w   *csv.Writer
	err error
}

// row writes one row; the first error sticks.
func (f *csvFile) row(cells ...string) {
	if f.err == nil {
		f.err = f.w.Write(cells)
	}
}

// writeCSV creates path and streams rows into it through fill, which returns how many
// data rows it wrote.
func writeCSV(path string, fill func(*csvFile) int) (int, error) {
	out, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("demo: %w", err)
	}
	bw := bufio.NewWriterSize(out, 256<<10)
	f := &csvFile{w: csv.NewWriter(bw)}
	n := fill(f)
	f.w.Flush()
	err = f.err
	if err == nil {
		err = f.w.Error()
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("demo: write %s: %w", path, err)
	}
	return n, nil
}

func fmtInt(n int) string { return strconv.Itoa(n) }

func fmtBool(v int8) string {
	switch v {
	case 1:
		return "false"
	case 2:
		return "true"
	}
	return ""
}

func (g *generator) writeInstitutions(f *csvFile, y int) int {
	f.row("year", "code", "name", "district", "type", "ownership", "inclusive", "location", "lat", "lon", "teaching_point")
	year, n := fmtInt(y), 0
	for _, in := range g.insts {
		if !in.open(y) {
			continue
		}
		n++
		own, inclusive := "public", ""
		if !in.public {
			own = "private"
		}
		if in.typ == tKindergarten {
			inclusive = strconv.FormatBool(in.inclusive)
		}
		tp := ""
		if in.typ == tPrimary || in.typ == tJunior || in.typ == tNineYear {
			tp = strconv.FormatBool(teachingPoint(in))
		}
		f.row(year, in.code, in.name, g.ds[in.district].org.Code, in.typ.String(), own, inclusive, in.loc.String(),
			strconv.FormatFloat(in.lat, 'f', 5, 64), strconv.FormatFloat(in.lon, 'f', 5, 64), tp)
	}
	return n
}

// writeStudents writes the students of the year, but for the districts written as school
// tables, whom it counts into tabs.
func (g *generator) writeStudents(f *csvFile, y int, students [][]student, tabs *tables) int {
	f.row("year", "student_id", "institution", "stage", "grade", "sex", "birth_date", "hukou")
	year, n := fmtInt(y), 0
	var buf [16]byte
	for di, d := range g.ds {
		for t := range nTracks {
			for grade := trackGrades[t][0]; grade <= trackGrades[t][1]; grade++ {
				st, gs := stageOf(t, grade, d.primaryEnd).String(), fmtInt(grade)
				for _, s := range students[g.cell(di, t, grade)] {
					if g.tableYear(di, y) {
						if tabs.err == nil {
							tabs.err = tabs.add("students", s.inst, "grade", gs, "sex", sex(s.female), "stage", st)
						}
						continue
					}
					f.row(year, g.sids.format(buf[:0], s.serial), g.insts[s.inst].code, st, gs, sex(s.female),
						g.dates.format(s.birth), [3]string{"", "local", "migrant"}[s.hukou])
					n++
				}
			}
		}
	}
	return n
}

// writeTeachers writes the teachers of the year, but for the districts written as school
// tables, whom it counts into tabs.
func (g *generator) writeTeachers(f *csvFile, y int, teachers [][]teacher, tabs *tables) int {
	f.row("year", "teacher_id", "institution", "stage", "sex", "birth_date", "education",
		"preschool_major", "dual_qualified", "rotated", "new_hire", "subject", "backbone")
	year, n := fmtInt(y), 0
	ranks := g.newTeacherRanks(y, teachers)
	var buf [16]byte
	for _, group := range teachers {
		for _, t := range group {
			birth := t.birth
			if t.blank&blankBirth != 0 {
				birth = noDate
			}
			subject, backbone := ranks.next(&t)
			if g.tableYear(g.insts[t.inst].district, y) {
				if tabs.err == nil {
					tabs.err = tabs.add("teachers", t.inst, "education", educationNames[t.edu], "stage", t.stage.String())
				}
				continue
			}
			f.row(year, g.tids.format(buf[:0], t.serial), g.insts[t.inst].code, t.stage.String(), sex(t.female),
				g.dates.format(birth), educationNames[t.edu], fmtBool(t.major), fmtBool(t.dual), fmtBool(t.rotated),
				strconv.FormatBool(int(t.hired) == y), subject, backbone)
			n++
		}
	}
	return n
}

func (g *generator) writePopulation(f *csvFile, y int, pop []ages) int {
	f.row("year", "district", "age", "sex", "count")
	year, n := fmtInt(y), 0
	for di, d := range g.ds {
		for a := range pop[di] {
			age := fmtInt(a)
			f.row(year, d.org.Code, age, "M", fmtInt(pop[di][a][0]))
			f.row(year, d.org.Code, age, "F", fmtInt(pop[di][a][1]))
			n += 2
		}
	}
	return n
}

// fact is one row of facts.csv.
type fact struct {
	year                      int
	org, element, dims, value string
}

func (g *generator) writeFacts(f *csvFile) int {
	f.row("year", "org", "element", "dims", "value")
	for _, x := range g.facts {
		f.row(fmtInt(x.year), x.org, x.element, x.dims, x.value)
	}
	return len(g.facts)
}

func sex(female bool) string {
	if female {
		return "F"
	}
	return "M"
}

// dateCache formats dates of birth, each day once.
type dateCache struct{ s []string }

var cacheStart = days(1900, time.January, 1)

func (c *dateCache) format(day int32) string {
	if day == noDate {
		return ""
	}
	i := int(day - cacheStart)
	if i < 0 || i >= 80000 {
		return time.Unix(int64(day)*86400, 0).UTC().Format(time.DateOnly)
	}
	if c.s == nil {
		c.s = make([]string, 80000)
	}
	if c.s[i] == "" {
		c.s[i] = time.Unix(int64(day)*86400, 0).UTC().Format(time.DateOnly)
	}
	return c.s[i]
}

// idSpace issues opaque, unique ids: serial numbers 1, 2, 3... put through a keyed
// permutation of 48-bit numbers (a four-round Feistel network), written as a letter and
// 12 hex digits. Unique without keeping a set of the ids issued.
type idSpace struct {
	prefix byte
	keys   [4]uint32
	serial uint64
}

func newIDSpace(prefix byte, r *rand.Rand) idSpace {
	s := idSpace{prefix: prefix}
	for i := range s.keys {
		s.keys[i] = r.Uint32()
	}
	return s
}

// next returns a new serial number.
func (s *idSpace) next() uint64 {
	s.serial++
	return s.serial
}

// permute is a bijection of the 48-bit numbers.
func (s *idSpace) permute(x uint64) uint64 {
	const mask = 1<<24 - 1
	l, r := uint32(x>>24)&mask, uint32(x)&mask
	for _, k := range s.keys {
		h := (r ^ k) * 0x9E3779B1
		h ^= h >> 15
		h *= 0x85EBCA77
		h ^= h >> 13
		l, r = r, (l^h)&mask
	}
	return uint64(l)<<24 | uint64(r)
}

// format returns the id of a serial number, using buf for scratch.
func (s *idSpace) format(buf []byte, serial uint64) string {
	buf = append(buf, s.prefix)
	x := s.permute(serial)
	for shift := 44; shift >= 0; shift -= 4 {
		buf = append(buf, "0123456789ABCDEF"[x>>uint(shift)&0xF])
	}
	return string(buf)
}

// writeReadme writes README.txt, which says in both languages that the files are
// invented. It is written before any data file, so that none is ever unlabelled.
func (g *generator) writeReadme(path string) error {
	var lagging, regressing, retention, flat []string
	for _, d := range g.ds {
		name, p := d.org.Name+" "+d.org.Code, d.prof
		switch {
		case p.pace < 0:
			regressing = append(regressing, name)
		case p.pace < 0.5:
			lagging = append(lagging, name)
		}
		if p.retentionRisk {
			retention = append(retention, name)
		}
		if p.schoolingPace == 0 {
			flat = append(flat, name)
		}
	}
	first, last := g.years[0], g.years[len(g.years)-1]
	var story [3][]string
	for i, d := range g.ds {
		story[g.standardsStory(i)] = append(story[g.standardsStory(i)], d.org.Name)
	}
	// The private compulsory schools' story: the nominal share, weighted by population.
	var privateShare, pop float64
	var noPrivate []string
	for _, d := range g.ds {
		privateShare += d.prof.private * d.prof.pop
		pop += d.prof.pop
		if d.prof.private == 0 {
			noPrivate = append(noPrivate, d.org.Name)
		}
	}
	privateShare /= pop
	opening, closing := g.privateChanges()
	orgName := func(di int) string {
		if di < 0 {
			return "—"
		}
		return g.ds[di].org.Name
	}
	var b strings.Builder
	fmt.Fprintf(&b, `演示数据 — DEMO DATA
====================

本目录中的文件是由 eduplan 生成的演示数据（虚构），不是官方统计数据，也不代表任何学校、
学生或教师的真实情况。学校名称、标识码、学生与教师编号均为虚构。请勿将其作为统计数据引用。

These files are demo data generated by eduplan. They are invented, not official statistics,
and they describe no real school, student or teacher. Names, codes and ids are made up.
Do not quote them as statistics.

规划 Plan:        %s (%s)
规模 Scale:       %s（1 = 烟台市的规模：每年约 105 万在校生、7 万专任教师 / 1 = the size of Yantai:
                 about 1.05 million students and 70,000 full-time teachers a year）
随机种子 Seed:    %d
年份 Years:       %d–%d
同样的规模、种子与年份总是生成完全相同的文件。The same scale, seed and years always give
byte-identical files.

文件 Files（格式见 eduplan 的 docs/formats.md 或服务的 /formats 页面 / formats in eduplan's docs/formats.md or a server's /formats page; YYYY = 每年一个 one a year）:
  institutions-YYYY.csv  学校名单 institutions
  population-YYYY.csv    常住人口 population
  students-YYYY.csv      学生名册 students
  teachers-YYYY.csv      教师名册 teachers（含任教学科、骨干教师 with subject and backbone rank）
  conditions-YYYY.csv    办学条件 school conditions: 校舍、运动场馆、仪器设备、网络多媒体教室
  facts.csv              其他数据 facts: 历史小学一年级入学人数 grade-1 entrants before %d;
                         劳动年龄人口平均受教育年限 working_age_schooling_years by district and year;
                         承诺事项所需数据 the facts of the plan's commitments (commitments.yaml):
                         智慧校园覆盖率、教育支出、教师与公务员平均工资 by district,
                         市级财政教育投入、高水平中职学校、特色化专业(群)、产教联盟 for the city

演示情景 The story these data tell (invented, not an assessment of any real district):
  - %d 年全市指标与规划基期值一致。The city's %d values equal the plan's baselines.
  - 多数区市逐年向 %d 年目标推进。Most districts move toward the %d targets.
  - %s 进展缓慢。make little progress.
  - %s 多项指标倒退。regresses on several indicators.
  - %s 自 %d 年起义务教育巩固率降至约 98.5%%（约束性指标，存在风险）。
    compulsory retention falls to about 98.5%% from %d (binding, at risk).
  - %s 劳动年龄人口平均受教育年限停滞（约束性指标，存在风险）。
    working-age schooling years stay flat (binding, at risk).
  - 义务教育优质均衡：%s 各校达标、差异小；%s 有少数学校未达标（逐年改善）；
    %s 各校达标但运动场馆与仪器设备校际差异系数超标。
    Quality-balanced compulsory education: the first ready, the second held back by a few
    schools (improving year by year), the third by the spread between schools (差异系数).
  - 民办义务教育：在校生约占全市义务教育的 %.1f%%，城区较多，%s 没有；比重逐年下降。%s
    %d 年停办一所，%s %d 年新设一所（例外），全市所数回到 %d 年的水平。
    Private compulsory schools hold about %.1f%% of the city's compulsory students, more in
    the urban districts, none in those named first; the share falls every year. One closes
    in the district named second in %d; one opens in the third in %d, the exception.
`, g.pack.Name, g.pack.NameEn, strconv.FormatFloat(g.opt.Scale, 'f', -1, 64), g.opt.Seed, first, last,
		first,
		g.base, g.base, g.goal, g.goal, strings.Join(lagging, "、"), strings.Join(regressing, "、"),
		strings.Join(retention, "、"), g.base+2, g.base+2, strings.Join(flat, "、"),
		strings.Join(story[standardsReady], "、"), strings.Join(story[standardsFewSchools], "、"), strings.Join(story[standardsSpread], "、"),
		100*privateShare, strings.Join(noPrivate, "、"), orgName(closing), g.base+2, orgName(opening), g.base+3, g.base,
		100*privateShare, g.base+2, g.base+3)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}
