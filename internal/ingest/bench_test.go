package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/sheet"
)

// studentsCSV returns n rows of a students file as a city's statistics office sends
// them: national student numbers, every stage, birth dates, hukou.
func studentsCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("\xEF\xBB\xBF" + studentsHeader)
	stages := []struct {
		stage  string
		g0, gn int
	}{{"preschool", 1, 3}, {"primary", 1, 6}, {"junior", 7, 9}, {"senior", 10, 12}}
	for i := range n {
		s := stages[i%len(stages)]
		grade := s.g0 + i/len(stages)%(s.gn-s.g0+1)
		sex, hukou := "M", "local"
		if i%2 == 1 {
			sex = "F"
		}
		if i%7 == 0 {
			hukou = "migrant"
		}
		fmt.Fprintf(&b, "2024,G3706%014d,37060%05d,%s,%d,%s,%04d-%02d-%02d,%s\n",
			i, i%2000, s.stage, grade, sex, 2024-5-grade, 1+i%12, 1+i%28, hukou)
	}
	return b.Bytes()
}

// BenchmarkReadStudentsCSV measures parsing and validating a students CSV, duplicate
// check included; it reports rows/s.
func BenchmarkReadStudentsCSV(b *testing.B) {
	const n = 200_000
	data := studentsCSV(n)
	pack := testPack(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		src, err := sheet.OpenReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		rep := &ingest.Report{}
		rows := 0
		if err := ingest.Read(context.Background(), src, "students.csv", ingest.Students, pack, rep, func(any) error { rows++; return nil }); err != nil {
			b.Fatal(err)
		}
		if !rep.OK() || rows != n {
			b.Fatalf("%d rows, %d errors: %+v", rows, rep.ErrorCount, rep.Errors[:1])
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadStudentsXLSX measures the same for a workbook.
func BenchmarkReadStudentsXLSX(b *testing.B) {
	const n = 20_000
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	sw.SetRow("A1", []any{"year", "student_id", "institution", "stage", "grade", "sex", "birth_date", "hukou"})
	for i := range n {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, []any{2024, fmt.Sprintf("G%018d", i), 3706020000 + i%2000, "primary", 1 + i%6, "F", 41703 + i%300, "local"})
	}
	sw.Flush()
	buf, err := f.WriteToBuffer()
	if err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	pack := testPack(b)
	b.ResetTimer()
	for b.Loop() {
		src, err := sheet.OpenReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		rep := &ingest.Report{}
		if err := ingest.Read(context.Background(), src, "students.xlsx", ingest.Students, pack, rep, func(any) error { return nil }); err != nil {
			b.Fatal(err)
		}
		src.Close()
		if !rep.OK() || rep.Rows != n {
			b.Fatalf("%d rows, %d errors", rep.Rows, rep.ErrorCount)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
