package ingest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
)

var builtin = sync.OnceValues(plan.Builtin)

func testPack(t testing.TB) *plan.Pack {
	t.Helper()
	p, err := builtin()
	if err != nil {
		t.Fatalf("builtin pack: %v", err)
	}
	return p
}

// readString reads content as a file of the kind and returns the report and records.
func readString(t testing.TB, kind ingest.Kind, content string) (*ingest.Report, []any) {
	t.Helper()
	src, err := sheet.OpenReader(strings.NewReader(content), int64(len(content)))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer src.Close()
	return readSource(t, src, kind)
}

func readSource(t testing.TB, src sheet.Source, kind ingest.Kind) (*ingest.Report, []any) {
	t.Helper()
	rep := &ingest.Report{}
	var recs []any
	err := ingest.Read(context.Background(), src, "f.csv", kind, testPack(t), rep, func(rec any) error {
		recs = append(recs, rec)
		return nil
	})
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return rep, recs
}

// where is the part of a RowError a test checks.
type where struct {
	Row           int
	Column, Value string
	Class         string
}

func wheres(es []ingest.RowError) []where {
	var out []where
	for _, e := range es {
		out = append(out, where{e.Row, e.Column, e.Value, e.Class})
	}
	return out
}

func ptr[T any](v T) *T { return &v }

const (
	studentsHeader = "year,student_id,institution,stage,grade,sex,birth_date,hukou\n"
	teachersHeader = "year,teacher_id,institution,stage,sex,birth_date,education,preschool_major,dual_qualified,rotated,new_hire\n"
	instHeader     = "year,code,name,district,type,ownership,inclusive,location,lat,lon\n"
	popHeader      = "year,district,age,sex,count\n"
	factsHeader    = "year,org,element,dims,value\n"
)

// TestReadErrors checks every class of row error: its row, column and value, and that
// the bad row is not passed on while the good ones are.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name  string
		kind  ingest.Kind
		csv   string
		want  []where
		valid int
	}{
		{"missing", ingest.Students, studentsHeader +
			"2020,S1,3706020001,primary,1,M,,\n" +
			"2020,,3706020001,primary,1,,,\n",
			[]where{{3, "student_id", "", "missing"}, {3, "sex", "", "missing"}}, 1},
		{"year not a number", ingest.Students, studentsHeader + "二〇二〇,S1,I1,primary,1,M,,\n",
			[]where{{2, "year", "二〇二〇", "number"}}, 0},
		{"year out of range", ingest.Students, studentsHeader + "1900,S1,I1,primary,1,M,,\n2101,S2,I1,primary,1,F,,\n",
			[]where{{2, "year", "1900", "range"}, {3, "year", "2101", "range"}}, 0},
		{"enums", ingest.Students, studentsHeader + "2020,S1,I1,kindergarten,1,X,,foreign\n",
			[]where{{2, "stage", "kindergarten", "enum"}, {2, "sex", "X", "enum"}, {2, "hukou", "foreign", "enum"}}, 0},
		{"grade for stage", ingest.Students, studentsHeader +
			"2020,S1,I1,preschool,4,M,,\n" + // preschool 1–3
			"2020,S2,I1,primary,7,M,,\n" + // primary 1–6
			"2020,S3,I1,junior,5,M,,\n" + // junior 6–9
			"2020,S4,I1,junior,6,M,,\n" + // fine: 5-4 system
			"2020,S5,I1,senior,9,M,,\n" + // senior 10–12
			"2020,S6,I1,secondary_vocational,12,M,,\n" +
			"2020,S7,I1,higher,12,M,,\n" + // higher 13–22
			"2020,S8,I1,special,10,M,,\n" + // special 1–9
			"2020,S9,I1,primary,one,M,,\n",
			[]where{{2, "grade", "4", "range"}, {3, "grade", "7", "range"}, {4, "grade", "5", "range"},
				{6, "grade", "9", "range"}, {8, "grade", "12", "range"}, {9, "grade", "10", "range"}, {10, "grade", "one", "number"}}, 2},
		{"dates", ingest.Students, studentsHeader +
			"2020,S1,I1,primary,1,M,2013-02-30,\n" + // no such day
			"2020,S2,I1,primary,1,M,2022-01-01,\n" + // after 2021-12-31
			"2020,S3,I1,primary,1,M,1919-12-31,\n" + // before 1920-01-01
			"2020,S4,I1,primary,1,M,13/02/2014,\n" + // not year first
			"2020,S5,I1,primary,1,M,2021-12-31,\n",
			[]where{{2, "birth_date", "2013-02-30", "date"}, {3, "birth_date", "2022-01-01", "date"},
				{4, "birth_date", "1919-12-31", "date"}, {5, "birth_date", "13/02/2014", "date"}}, 1},
		{"duplicate students", ingest.Students, studentsHeader +
			"2020,S1,I1,primary,1,M,,\n" +
			"2020,S2,I1,primary,1,M,,\n" +
			"2021,S1,I1,primary,2,M,,\n" + // another year: fine
			"2020,S1,I2,primary,1,M,,\n",
			[]where{{5, "student_id", "S1", "duplicate"}}, 3},
		{"duplicate teachers", ingest.Teachers, teachersHeader +
			"2020,T1,I1,primary,F,,bachelor,,,,\n" +
			"2020,T1,I1,primary,F,,master,,,,\n",
			[]where{{3, "teacher_id", "T1", "duplicate"}}, 1},
		{"teacher bools and education", ingest.Teachers, teachersHeader +
			"2020,T1,I1,primary,F,,phd,maybe,,,\n",
			[]where{{2, "education", "phd", "enum"}, {2, "preschool_major", "maybe", "enum"}}, 0},
		{"institutions", ingest.Institutions, instHeader +
			"2020,3706020001,一中,370602,senior,public,,urban,37.5,121.4\n" +
			"2020,3706020002,二中,370600,senior,state,,city,91,181\n" + // the city is not a district
			"2020,3706020001,一中,370602,senior,public,,urban,,\n" +
			"2020,3706020003,三中,999999,school,public,perhaps,rural,north,\n",
			[]where{{3, "district", "370600", "reference"}, {3, "ownership", "state", "enum"}, {3, "location", "city", "enum"},
				{3, "lat", "91", "range"}, {3, "lon", "181", "range"},
				{4, "code", "3706020001", "duplicate"},
				{5, "district", "999999", "reference"}, {5, "type", "school", "enum"}, {5, "inclusive", "perhaps", "enum"},
				{5, "lat", "north", "number"}}, 1},
		{"population", ingest.Populations, popHeader +
			"2020,370602,0,M,1000\n" +
			"2020,370602,101,M,10\n" +
			"2020,370602,5,,-1\n" +
			"2020,370602,6,F,12.5\n" +
			"2020,370602,0,M,999\n" + // same key as row 2
			"2020,370602,0,,999\n" + // both sexes: another key
			"2020,370600,7,F,3\n", // the city: districts only
			[]where{{3, "age", "101", "range"}, {4, "count", "-1", "range"}, {5, "count", "12.5", "number"},
				{6, "age", "0", "duplicate"}, {8, "district", "370600", "reference"}}, 2},
		{"facts", ingest.Facts, factsHeader +
			"2020,370600,working_age_schooling_years,,11.2\n" +
			"2020,370602,no_such_element,,1\n" +
			"2020,370602,students,colour=red,1\n" +
			"2020,370602,students,sex=F;sex=M,1\n" +
			"2020,370602,working_age_schooling_years,sex=F,1\n" + // the element has no dims
			"2020,370602,students,sex=M;stage=primary,NaN\n" +
			"2020,370602,students,sex=M;stage=junior,Inf\n" +
			"2020,370602,students,stage=primary ; sex=F,100\n" +
			"2020,370602,students,sex=F;stage=primary,101\n" + // same dims, other order
			"2020,,students,,1\n" +
			"2020,370602,students,,abc\n",
			[]where{{3, "element", "no_such_element", "reference"}, {4, "dims", "colour=red", "dims"},
				{5, "dims", "sex=F;sex=M", "dims"}, {6, "dims", "sex=F", "dims"},
				{7, "value", "NaN", "number"}, {8, "value", "Inf", "number"},
				{10, "element", "students", "duplicate"}, {11, "org", "", "missing"}, {12, "value", "abc", "number"}}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, recs := readString(t, tt.kind, tt.csv)
			if got := wheres(rep.Errors); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors:\n got %+v\nwant %+v\n%s", got, tt.want, messages(rep))
			}
			if len(recs) != tt.valid {
				t.Errorf("%d valid rows passed, want %d", len(recs), tt.valid)
			}
			if rep.ErrorCount != len(tt.want) || rep.OK() != (len(tt.want) == 0) {
				t.Errorf("ErrorCount %d, OK %v; want %d", rep.ErrorCount, rep.OK(), len(tt.want))
			}
			for _, e := range rep.Errors {
				if e.File != "f.csv" || e.Expected == "" || e.ExpectedEn == "" {
					t.Errorf("error without file or expectation: %+v", e)
				}
			}
		})
	}
}

func messages(rep *ingest.Report) string {
	var b strings.Builder
	rep.Write(&b, "both")
	return b.String()
}

// TestReadRecords checks the records passed on: values normalized, unknown cells nil.
func TestReadRecords(t *testing.T) {
	tests := []struct {
		name string
		kind ingest.Kind
		csv  string
		want []any
	}{
		{"students", ingest.Students, studentsHeader +
			"2020,S1,3706020001,primary,1,M,2014-03-05,local\n" +
			" 2020 , S2 ,3706020001,Primary,1.0,f,2014/3/5,\n" + // spaces, case, Excel's 1.0 and y/m/d
			"2020.0,S3,3706020001,junior,7,F,40179,migrant\n", // 40179 is 2010-01-01 in Excel
			[]any{
				&ingest.Student{Row: 2, Year: 2020, ID: "S1", Institution: "3706020001", Stage: "primary", Grade: 1, Sex: "M", BirthDate: "2014-03-05", Hukou: "local"},
				&ingest.Student{Row: 3, Year: 2020, ID: "S2", Institution: "3706020001", Stage: "primary", Grade: 1, Sex: "F", BirthDate: "2014-03-05"},
				&ingest.Student{Row: 4, Year: 2020, ID: "S3", Institution: "3706020001", Stage: "junior", Grade: 7, Sex: "F", BirthDate: "2010-01-01", Hukou: "migrant"},
			}},
		{"teachers", ingest.Teachers, teachersHeader +
			"2020,T1,3706020001,preschool,F,1990-01-31,associate,1,TRUE,否,\n",
			[]any{&ingest.Teacher{Row: 2, Year: 2020, ID: "T1", Institution: "3706020001", Stage: "preschool", Sex: "F",
				BirthDate: "1990-01-31", Education: "associate", PreschoolMajor: ptr(true), DualQualified: ptr(true), Rotated: ptr(false)}}},
		{"institutions", ingest.Institutions, instHeader +
			"2020,3706020001,芝罘幼儿园,370602,kindergarten,private,是,town,37.53,121.39\n" +
			"2020,3706020002,某小学,370602.0,primary,public,,rural,,\n", // district as a spreadsheet number
			[]any{
				&ingest.Institution{Row: 2, Year: 2020, Code: "3706020001", Name: "芝罘幼儿园", District: "370602", Type: "kindergarten",
					Ownership: "private", Location: "town", Inclusive: ptr(true), Lat: ptr(37.53), Lon: ptr(121.39)},
				&ingest.Institution{Row: 3, Year: 2020, Code: "3706020002", Name: "某小学", District: "370602", Type: "primary",
					Ownership: "public", Location: "rural"},
			}},
		{"population", ingest.Populations, popHeader + "2020,370681,100,,1234\n2020,370681,3,女,600\n",
			[]any{&ingest.Population{Row: 2, Year: 2020, District: "370681", Age: 100, Count: 1234},
				&ingest.Population{Row: 3, Year: 2020, District: "370681", Age: 3, Sex: "F", Count: 600}}},
		{"facts", ingest.Facts, factsHeader +
			"2020,370600,working_age_schooling_years,,11.25\n" +
			"2020,3706020001,students,stage=primary; sex=F,1e3\n",
			[]any{&ingest.Fact{Row: 2, Year: 2020, Org: "370600", Element: "working_age_schooling_years", Value: 11.25},
				&ingest.Fact{Row: 3, Year: 2020, Org: "3706020001", Element: "students", Dims: "sex=F;stage=primary", Value: 1000}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, recs := readString(t, tt.kind, tt.csv)
			if !rep.OK() {
				t.Fatalf("errors:\n%s", messages(rep))
			}
			if !reflect.DeepEqual(recs, tt.want) {
				t.Errorf("records:\n got %s\nwant %s", dump(recs), dump(tt.want))
			}
			if rep.Rows != len(tt.want) {
				t.Errorf("Rows = %d, want %d", rep.Rows, len(tt.want))
			}
		})
	}
}

func dump(recs []any) string {
	var b strings.Builder
	for _, r := range recs {
		fmt.Fprintf(&b, "\n  %+v", r)
	}
	return b.String()
}

// TestChineseHeaders reads files whose headers are the Chinese terms of the statistics
// forms, in another column order, with an extra column.
func TestChineseHeaders(t *testing.T) {
	rep, recs := readString(t, ingest.Students,
		"学籍号,姓名备注,学年,学校标识码,学段,年级,性别,出生日期,户籍\n"+
			"G1,备注,2021,3706020001,小学,3,女,2013年9月1日,随迁子女\n")
	if !rep.OK() {
		t.Fatalf("errors:\n%s", messages(rep))
	}
	want := &ingest.Student{Row: 2, Year: 2021, ID: "G1", Institution: "3706020001", Stage: "primary", Grade: 3, Sex: "F", BirthDate: "2013-09-01", Hukou: "migrant"}
	if len(recs) != 1 || !reflect.DeepEqual(recs[0], want) {
		t.Errorf("got %s, want %+v", dump(recs), want)
	}
	if got := wheres(rep.Warnings); !reflect.DeepEqual(got, []where{{1, "姓名备注", "", "header"}}) {
		t.Errorf("warnings %+v", got)
	}

	rep, recs = readString(t, ingest.Institutions,
		"年份,学校代码,学校名称,所属区县,办学类型,办学性质,是否普惠,城乡分类,纬度,经度\n"+
			"2021,3706020009,芝罘幼儿园,370602,幼儿园,公办,是,城区,,\n")
	if !rep.OK() || len(recs) != 1 {
		t.Fatalf("errors:\n%s", messages(rep))
	}
	inst := recs[0].(*ingest.Institution)
	if inst.Code != "3706020009" || inst.Type != "kindergarten" || inst.Ownership != "public" || inst.Location != "urban" || inst.Inclusive == nil || !*inst.Inclusive {
		t.Errorf("got %+v", inst)
	}
	// Messages name the column as the file does, and as the spec does.
	rep, _ = readString(t, ingest.Students, "学年,学籍号,学校代码,学段,年级,性别\n2021,G1,I1,学前,4,男\n")
	if len(rep.Errors) != 1 {
		t.Fatalf("errors:\n%s", messages(rep))
	}
	e := rep.Errors[0]
	if wantZh := `f.csv 第 2 行 年级（grade）列：值 "4" 无效，应为 1–3（学前）`; e.Zh() != wantZh {
		t.Errorf("Zh() = %s\nwant   %s", e.Zh(), wantZh)
	}
	if wantEn := `f.csv row 2, column grade (年级): "4" is not valid; expected 1–3 for preschool`; e.En() != wantEn {
		t.Errorf("En() = %s\nwant   %s", e.En(), wantEn)
	}
}

func TestHeaderErrors(t *testing.T) {
	tests := []struct {
		name     string
		kind     ingest.Kind
		csv      string
		want     []where
		warnings []where
	}{
		{"missing columns", ingest.Students, "year,student_id,stage\n2020,S1,primary\n",
			[]where{{1, "", "", "header"}}, nil},
		{"duplicate column", ingest.Students, "year,student_id,institution,stage,grade,sex,年份\n2020,S1,I,primary,1,M,2020\n",
			[]where{{1, "year", "", "header"}}, nil},
		{"unknown column", ingest.Populations, "Year,District,Age,Count,Notes,\n2020,370602,1,5,x,\n",
			nil, []where{{1, "Notes", "", "header"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, recs := readString(t, tt.kind, tt.csv)
			if got := wheres(rep.Errors); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors %+v, want %+v\n%s", got, tt.want, messages(rep))
			}
			if got := wheres(rep.Warnings); !reflect.DeepEqual(got, tt.warnings) {
				t.Errorf("warnings %+v, want %+v", got, tt.warnings)
			}
			if tt.name == "missing columns" && !strings.Contains(rep.Errors[0].En(), "missing required columns institution, grade, sex") {
				t.Errorf("message: %s", rep.Errors[0].En())
			}
			if len(tt.want) > 0 && (len(recs) != 0 || rep.Rows != 0) {
				t.Errorf("rows read after a header error: %d", rep.Rows)
			}
		})
	}
}

func TestDetectKind(t *testing.T) {
	tests := []struct {
		header string
		want   ingest.Kind
	}{
		{"year,student_id,institution,stage,grade,sex", ingest.Students},
		{"学年,学籍号,学校代码,学段,年级,性别", ingest.Students},
		{"YEAR, Teacher ID ,institution", ingest.Teachers},
		{"年份,教师编号", ingest.Teachers},
		{"year,code,name,district,type,ownership,location", ingest.Institutions},
		{"学校标识码,学校名称,办学类型", ingest.Institutions},
		{"year,district,age,sex,count", ingest.Populations},
		{"年份,区县,年龄,人口数", ingest.Populations},
		{"year,org,element,dims,value", ingest.Facts},
		{"年份,机构,指标,维度,数值", ingest.Facts},
		{"year,name,district", ""},                          // none
		{"year,student_id,teacher_id,institution", ""},      // ambiguous
		{"year,code,type,age,count,district,ownership", ""}, // ambiguous
	}
	for _, tt := range tests {
		got, err := ingest.DetectKind(strings.Split(tt.header, ","))
		if got != tt.want {
			t.Errorf("DetectKind(%s) = %q, %v; want %q", tt.header, got, err, tt.want)
		}
		if tt.want == "" {
			var re *ingest.RowError
			if !errors.As(err, &re) || re.Row != 1 || re.Class != "header" || !strings.Contains(re.ExpectedEn, "student_id") || !strings.Contains(re.Expected, "student_id") {
				t.Errorf("DetectKind(%s): error %#v", tt.header, err)
			}
		}
	}
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]ingest.Kind{"students": ingest.Students, " Teachers ": ingest.Teachers, "population": ingest.Populations, "学校": ingest.Institutions, "fact": ingest.Facts} {
		if got, err := ingest.ParseKind(in); got != want || err != nil {
			t.Errorf("ParseKind(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ingest.ParseKind("pupils"); err == nil || plan.ErrorCode(err) != plan.EINVALID {
		t.Errorf("ParseKind(pupils): %v", err)
	}
}

// TestDates checks the spellings of a date accepted, and the date they mean.
func TestDates(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2014-03-05", "2014-03-05"},
		{"2014/3/5", "2014-03-05"},
		{"2014/03/05", "2014-03-05"},
		{"2014.3.5", "2014-03-05"},
		{"2014年3月5日", "2014-03-05"},
		{"20140305", "2014-03-05"},
		{"2014-03-05 00:00:00", "2014-03-05"},
		{"2014-03-05T00:00:00Z", "2014-03-05"},
		{"41703", "2014-03-05"},    // Excel serial
		{"41703.75", "2014-03-05"}, // with a time of day
		{"36526", "2000-01-01"},
		{"2012-02-29", "2012-02-29"},
		{"2013-02-29", ""},
		{"2014-13-01", ""},
		{"2014-00-10", ""},
		{"14-03-05", ""},
		{"2014-3", ""},
		{"2014-03-05-01", ""},
		{"March 5, 2014", ""},
		{"60", ""}, // Excel's 1900-02-29 does not exist
		{"-5", ""},
		{"2014--05", ""},
	}
	for _, tt := range tests {
		csv := "year,student_id,institution,stage,grade,sex,birth_date\n2020,S1,I1,higher,13,M,\"" + tt.in + "\"\n"
		_, recs := readString(t, ingest.Students, csv)
		got := ""
		if len(recs) == 1 {
			got = recs[0].(*ingest.Student).BirthDate
		}
		if got != tt.want {
			t.Errorf("birth_date %q: got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBooleans(t *testing.T) {
	for in, want := range map[string]*bool{"true": ptr(true), "TRUE": ptr(true), "1": ptr(true), "是": ptr(true), "Yes": ptr(true),
		"false": ptr(false), "FALSE": ptr(false), "0": ptr(false), "否": ptr(false), "": nil, "  ": nil} {
		_, recs := readString(t, ingest.Teachers, teachersHeader+"2020,T1,I1,primary,F,,bachelor,,"+in+",,\n")
		if len(recs) != 1 {
			t.Errorf("%q rejected", in)
			continue
		}
		if got := recs[0].(*ingest.Teacher).DualQualified; !reflect.DeepEqual(got, want) {
			t.Errorf("%q: got %v, want %v", in, got, want)
		}
	}
}

func TestVisitErrorStops(t *testing.T) {
	content := popHeader + "2020,370602,0,M,1\n2020,370602,1,M,1\n2020,370602,2,M,1\n"
	src, err := sheet.OpenReader(strings.NewReader(content), int64(len(content)))
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	err = ingest.Read(context.Background(), src, "p.csv", ingest.Populations, testPack(t), &ingest.Report{}, func(rec any) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 2 {
		t.Errorf("err %v after %d rows", err, n)
	}

	src, _ = sheet.OpenReader(strings.NewReader(content), int64(len(content)))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ingest.Read(ctx, src, "p.csv", ingest.Populations, testPack(t), &ingest.Report{}, func(any) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}

// panicSource is a source whose rows run out in a panic, as a bug in reading them would.
type panicSource struct{ rows int }

func (s *panicSource) Header() []string { return strings.Split(strings.TrimSpace(popHeader), ",") }
func (s *panicSource) Close() error     { return nil }
func (s *panicSource) Next() (int, []string, error) {
	if s.rows == 1000 {
		panic("source broke")
	}
	s.rows++
	return s.rows + 1, []string{"2020", "370602", fmt.Sprint(s.rows % 101), "M", "1"}, nil
}

// TestReadPanics: a panic while rows are read, which happens on a goroutine of Read's
// own, is raised again on the caller's, where a server's handler recovers it.
func TestReadPanics(t *testing.T) {
	defer func() {
		if v := recover(); v != "source broke" {
			t.Errorf("recovered %v, want the source's panic", v)
		}
	}()
	ingest.Read(context.Background(), &panicSource{}, "p.csv", ingest.Populations, nil, &ingest.Report{}, func(any) error { return nil })
	t.Error("Read returned")
}

// TestDuplicatesFarApart finds duplicates across batches of rows and growths of the
// set of keys.
func TestDuplicatesFarApart(t *testing.T) {
	var b strings.Builder
	b.WriteString(studentsHeader)
	for i := range 30000 {
		fmt.Fprintf(&b, "2020,S%d,I1,primary,1,M,,\n", i)
	}
	b.WriteString("2020,S0,I1,primary,1,M,,\n2020,S29999,I1,primary,1,M,,\n2021,S0,I1,primary,1,M,,\n")
	rep, recs := readString(t, ingest.Students, b.String())
	if got, want := wheres(rep.Errors), []where{{30002, "student_id", "S0", "duplicate"}, {30003, "student_id", "S29999", "duplicate"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("errors %+v, want %+v", got, want)
	}
	if len(recs) != 30001 {
		t.Errorf("%d records", len(recs))
	}
	if !strings.Contains(rep.Errors[1].En(), "duplicate of row 30001") {
		t.Errorf("message: %s", rep.Errors[1].En())
	}
}

// TestReportOrder checks that errors the caller adds while visiting rows are listed in
// row order with Read's own.
func TestReportOrder(t *testing.T) {
	content := popHeader + "2020,370602,0,M,1\n2020,370602,1,M,-1\n2020,370602,2,M,1\n2020,370602,3,M,-1\n"
	src, _ := sheet.OpenReader(strings.NewReader(content), int64(len(content)))
	rep := &ingest.Report{}
	ingest.Read(context.Background(), src, "p.csv", ingest.Populations, testPack(t), rep, func(rec any) error {
		p := rec.(*ingest.Population)
		rep.Add(ingest.RowError{Row: p.Row, Column: "district", Class: "reference", Expected: "x", ExpectedEn: "x"})
		return nil
	})
	rep.Add(ingest.RowError{Class: "reference", Expected: "file", ExpectedEn: "file"})
	var rows []int
	for _, e := range rep.Errors {
		rows = append(rows, e.Row)
	}
	if want := []int{2, 3, 4, 5, 0}; !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %v, want %v", rows, want)
	}
}

func TestReportListsFirstThousand(t *testing.T) {
	var b strings.Builder
	b.WriteString(popHeader)
	for i := range 1500 {
		fmt.Fprintf(&b, "2020,370602,%d,M,-1\n", i%100)
	}
	rep, _ := readString(t, ingest.Populations, b.String())
	if rep.ErrorCount != 1500+1400 || len(rep.Errors) != ingest.MaxListed || rep.Rows != 1500 {
		t.Errorf("ErrorCount %d, listed %d, rows %d", rep.ErrorCount, len(rep.Errors), rep.Rows)
	}
	if rep.Counts["range"] != 1500 || rep.Counts["duplicate"] != 1400 {
		t.Errorf("counts %v", rep.Counts)
	}
}

// TestFormulaPrefixRefused: a code, name or id that begins as a formula does (=, +, -,
// @, or those after a tab or return) is refused at its cell; the same characters
// within a value, and negative numbers where numbers go, are not.
func TestFormulaPrefixRefused(t *testing.T) {
	tests := []struct {
		name    string
		kind    ingest.Kind
		content string
		column  string // "" for no formula error
	}{
		{"code", ingest.Institutions, instHeader + "2024,\"=HYPERLINK(\"\"http://x\"\")\",某校,370602,primary,public,,urban,,\n", "code"},
		{"name", ingest.Institutions, instHeader + "2024,C1,@SUM(1),370602,primary,public,,urban,,\n", "name"},
		{"name after a tab", ingest.Institutions, instHeader + "2024,C1,\"\t=1+1\",370602,primary,public,,urban,,\n", "name"},
		{"student id", ingest.Students, studentsHeader + "2020,+1+1,K1,primary,1,M,,\n", "student_id"},
		{"institution", ingest.Students, studentsHeader + "2020,s1,\"=cmd|' /C calc'!A0\",primary,1,M,,\n", "institution"},
		{"teacher id", ingest.Teachers, teachersHeader + "2020,-2+3,K1,primary,F,,bachelor,,,,\n", "teacher_id"},
		{"org", ingest.Facts, factsHeader + "2020,\"\r=1\",working_age_schooling_years,,1\n", "org"},
		{"conditions institution", ingest.Conditions, "year,institution,teaching_area\n2020,@A1,100\n", "institution"},
		{"within a name", ingest.Institutions, instHeader + "2024,C1,一中-东校区 = @,370602,primary,public,,urban,,\n", ""},
		{"a negative value", ingest.Facts, factsHeader + "2020,370602,working_age_schooling_years,,-1\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, _ := readString(t, tt.kind, tt.content)
			var got []string
			for _, e := range rep.Errors {
				if e.Class == "formula" {
					got = append(got, e.Column)
					if e.Expected == "" || e.ExpectedEn == "" || e.Value == "" {
						t.Errorf("error %+v", e)
					}
				}
			}
			if want := []string{tt.column}; tt.column == "" && len(got) > 0 || tt.column != "" && !slices.Equal(got, want) {
				t.Errorf("formula errors at %q, want %q; report %+v", got, tt.column, rep.Errors)
			}
		})
	}
}

// TestBadValueQuoted: a report quotes at most 64 characters of a bad value, however
// long the value; the JSON of a report of a 30,000-character cell stays small.
func TestBadValueQuoted(t *testing.T) {
	bad := strings.Repeat("九", 30_000)
	rep, _ := readString(t, ingest.Students, studentsHeader+"2020,s1,K1,primary,"+bad+",M,,\n")
	if len(rep.Errors) != 1 {
		t.Fatalf("errors: %+v", rep.Errors)
	}
	e := rep.Errors[0]
	if want := strings.Repeat("九", 64) + "…"; e.Value != want {
		t.Errorf("value quoted as %d characters, want 64 and …", utf8.RuneCountInString(e.Value))
	}
	if b, _ := json.Marshal(rep); len(b) > 2000 {
		t.Errorf("the report's JSON is %d bytes", len(b))
	}
}
