package ingest_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/ingest"
)

func TestRowErrorMessages(t *testing.T) {
	tests := []struct {
		e      ingest.RowError
		zh, en string
	}{
		{ingest.RowError{File: "students.csv", Row: 5, Column: "grade", Value: "13", Class: "range", Expected: "1–3（学前）", ExpectedEn: "1–3 for preschool"},
			`students.csv 第 5 行 grade 列：值 "13" 无效，应为 1–3（学前）`,
			`students.csv row 5, column grade: "13" is not valid; expected 1–3 for preschool`},
		{ingest.RowError{File: "s.csv", Row: 9, Column: "sex", Class: "missing", Expected: "M、F", ExpectedEn: "one of M, F"},
			`s.csv 第 9 行 sex 列：缺少必填值，应为 M、F`,
			`s.csv row 9, column sex: required value is missing; expected one of M, F`},
		{ingest.RowError{File: "s.csv", Row: 7, Column: "student_id", Value: "S1", Class: "duplicate", Expected: "与第 3 行重复", ExpectedEn: "duplicate of row 3"},
			`s.csv 第 7 行 student_id 列：值 "S1"：与第 3 行重复`,
			`s.csv row 7, column student_id: "S1": duplicate of row 3`},
		{ingest.RowError{File: "s.xlsx", Class: "format", Expected: "无法打开", ExpectedEn: "cannot open"},
			`s.xlsx：无法打开`, `s.xlsx: cannot open`},
		{ingest.RowError{File: "s.csv", Column: "institution", Value: "I9", Class: "reference", Expected: "已不在名单中", ExpectedEn: "no longer listed"},
			`s.csv institution 列：值 "I9"：已不在名单中`, `s.csv column institution: "I9": no longer listed`},
	}
	for _, tt := range tests {
		if got := tt.e.Zh(); got != tt.zh {
			t.Errorf("Zh() = %s\n   want %s", got, tt.zh)
		}
		if got := tt.e.En(); got != tt.en {
			t.Errorf("En() = %s\n   want %s", got, tt.en)
		}
	}
}

func TestReportWrite(t *testing.T) {
	rep, _ := readString(t, ingest.Students, studentsHeader+"2020,S1,I1,preschool,13,M,,\n2020,S1,I1,primary,1,M,,\n")
	rep.Warn(ingest.RowError{Row: 1, Column: "备注", Class: "header", Expected: "已忽略", ExpectedEn: "ignored"})
	var b strings.Builder
	if err := rep.Write(&b, "both"); err != nil {
		t.Fatal(err)
	}
	want := `f.csv：students，2 行数据，2 处错误（duplicate 1，range 1），1 条警告（header 1）
  f.csv: students, 2 data rows, 2 errors (duplicate 1, range 1), 1 warning (header 1)
  f.csv 第 2 行 grade 列：值 "13" 无效，应为 1–3（学前）
    f.csv row 2, column grade: "13" is not valid; expected 1–3 for preschool
  f.csv 第 3 行 student_id 列：值 "S1"：与第 2 行重复（year、student_id 相同：2020、S1）
    f.csv row 3, column student_id: "S1": duplicate of row 2 (same year and student_id: 2020, S1)
  警告 f.csv 第 1 行 备注 列：已忽略
    warning: f.csv row 1, column 备注: ignored
`
	if b.String() != want {
		t.Errorf("Write:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	rep.Write(&b, "en")
	if strings.Contains(b.String(), "行") || !strings.HasPrefix(b.String(), "f.csv: students") {
		t.Errorf("en:\n%s", b.String())
	}

	j, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"file":"f.csv"`, `"kind":"students"`, `"rows":2`, `"error_count":2`, `"counts":{`, `"expected_en":`, `"warning_count":1`, `"warning_counts":{"header":1}`} {
		if !strings.Contains(string(j), key) {
			t.Errorf("JSON lacks %s: %s", key, j)
		}
	}
}

func ExampleReport_Write() {
	rep := &ingest.Report{File: "students.csv", Kind: ingest.Students, Rows: 4}
	rep.Add(ingest.RowError{Row: 5, Column: "grade", Value: "13", Class: ingest.ClassRange, Expected: "1–3（学前）", ExpectedEn: "1–3 for preschool"})
	rep.Write(os.Stdout, "zh")
	// Output:
	// students.csv：students，4 行数据，1 处错误（range 1），0 条警告
	//   students.csv 第 5 行 grade 列：值 "13" 无效，应为 1–3（学前）
}

// TestReportWriteUnknownKind: a file refused before its kind is known says so in both
// languages. It printed "sst-bomb.xlsx：，0 行数据", an empty kind.
func TestReportWriteUnknownKind(t *testing.T) {
	rep := &ingest.Report{File: "sst-bomb.xlsx"}
	rep.Add(ingest.RowError{Class: "file", Expected: "文件过大", ExpectedEn: "file too large"})
	tests := []struct{ lang, want string }{
		{"zh", "sst-bomb.xlsx：未识别的文件类型，0 行数据"},
		{"en", "sst-bomb.xlsx: kind not recognised, 0 data rows"},
	}
	for _, tt := range tests {
		var b strings.Builder
		if err := rep.Write(&b, tt.lang); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(b.String(), tt.want) {
			t.Errorf("%s: %q, want it to begin %q", tt.lang, b.String(), tt.want)
		}
	}
}
