package standards_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/yantai-edu/eduplan/internal/demo"
	"github.com/yantai-edu/eduplan/internal/standards"
)

// BenchmarkCompute assesses every district against both standards in one year of a
// demo data set: EDUPLAN_BENCH_SCALE (default 0.05; 1 is Yantai's size, about 1.05
// million students and 2,000 schools).
func BenchmarkCompute(b *testing.B) {
	scale := 0.05
	if s, err := strconv.ParseFloat(os.Getenv("EDUPLAN_BENCH_SCALE"), 64); err == nil {
		scale = s
	}
	pack := builtin(b)
	_, sum, e := demoEngine(b, pack, demo.Options{Scale: scale, Seed: 1, FirstYear: 2020, LastYear: 2020})
	b.ResetTimer()
	schools := 0
	for b.Loop() {
		schools = 0
		for _, code := range []string{"quality_balanced", "universal_preschool"} {
			res, err := standards.Compute(e, pack.FullScope(), standards.Query{Standard: code, Year: 2020})
			if err != nil {
				b.Fatal(err)
			}
			for _, d := range res.Districts {
				schools += len(d.Schools)
			}
		}
	}
	b.ReportMetric(float64(schools), "school-stages")
	b.ReportMetric(float64(sum.Rows["students"]), "students")
}
