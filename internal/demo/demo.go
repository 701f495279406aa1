// Package demo writes a deterministic, clearly labelled demo data set (演示数据) in the
// interchange formats of docs/formats.md: institutions, students, teachers and population
// for every district of a plan pack and every year, and the reported facts no roster
// carries.
//
// The data are invented. They are shaped so that the city's values in the plan's
// baseline year reproduce the baselines the plan states, and so that the years after tell
// a story worth showing: most districts improve toward the targets, some lag, one
// regresses and a binding indicator is at risk. demo stands where a district's own
// export would: its files go through ingest like any other, and it reads nothing but the
// pack.
package demo

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"os"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// Options set the size, randomness and years of a demo data set.
type Options struct {
	// Scale multiplies every count of people: 1 is the size of Yantai, about 1.05 million
	// students and 70,000 full-time teachers a year. Institutions grow with its square
	// root, so that a small data set still has schools of every kind and place. Zero
	// means 1; at most MaxScale.
	Scale float64
	// Seed drives every random choice: the same options give byte-identical files.
	Seed int64
	// FirstYear and LastYear bound the roster years; zero means the pack's baseline and
	// target year (2020 and 2025 for the Yantai plan). The city's values equal the plan's
	// baselines in the pack's baseline year, or in FirstYear when that is outside.
	FirstYear, LastYear int
	// TableDistricts are districts whose students and teachers are written as the
	// pack's school tables (基础基表, {table}-2020.csv ...) instead of rosters, in every
	// year up to TableUntil (0: every year), as a bureau without rosters holds them.
	TableDistricts []string
	TableUntil     int
}

// DefaultSeed is the seed of "eduplan demo" and of the demo data "eduplan serve" puts into
// an empty database, so that the data a dashboard shows can be written out again.
const DefaultSeed = 2021

// MaxScale is the largest Scale accepted; scale 1 writes about 400 MB.
const MaxScale = 10

// Summary says what Generate wrote.
type Summary struct {
	// Files are the data files, full paths, in the order they may be imported:
	// institutions, population, students and teachers year by year, then facts.csv.
	Files []string
	// Readme is the path of README.txt, which says the data are invented.
	Readme string
	// Rows counts the data rows written by kind: institutions, students, teachers,
	// population, facts.
	Rows map[string]int
}

// Generate writes a demo data set for the pack's districts into outDir (created if
// missing): one CSV file per kind and year (institutions-2020.csv, population-2020.csv,
// students-2020.csv, teachers-2020.csv, ...), facts.csv for all years and README.txt.
// Rosters are streamed to disk: memory holds one year of compact records, never rows.
//
// pack is the plan as stated, for the real city: counts are scaled here, so a pack whose
// counts were already scaled (plan.Pack.ScaleCounts) would be scaled twice. The data are
// measured, at a scale other than 1, against pack.ScaleCounts(opt.Scale).
func Generate(ctx context.Context, pack *plan.Pack, outDir string, opt Options) (*Summary, error) {
	if pack == nil || pack.Top() == nil || len(pack.Districts()) == 0 {
		return nil, errors.New("demo: the pack has no districts")
	}
	opt, err := opt.resolve(pack)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	g := newGenerator(pack, opt)
	return g.run(ctx, outDir)
}

// resolve fills defaults and checks the options.
func (o Options) resolve(pack *plan.Pack) (Options, error) {
	if o.Scale == 0 {
		o.Scale = 1
	}
	if math.IsNaN(o.Scale) || o.Scale < 0 || o.Scale > MaxScale {
		return o, fmt.Errorf("demo: scale %v: expected more than 0 and at most %d", o.Scale, MaxScale)
	}
	if o.FirstYear == 0 {
		o.FirstYear = cmp.Or(pack.BaselineYear, 2020)
	}
	if o.LastYear == 0 {
		o.LastYear = max(cmp.Or(pack.TargetYear, 2025), o.FirstYear)
	}
	for _, d := range o.TableDistricts {
		if org := pack.Org(d); org == nil || org.Level != plan.LevelDistrict {
			return o, fmt.Errorf("demo: %s is not a district of the plan", d)
		}
	}
	if len(o.TableDistricts) > 0 && len(pack.SchoolTables) == 0 {
		return o, errors.New("demo: the pack has no school tables (school_tables.yaml)")
	}
	if o.FirstYear < 1950 || o.LastYear > 2100 || o.LastYear < o.FirstYear || o.LastYear-o.FirstYear > 30 {
		return o, fmt.Errorf("demo: years %d–%d: expected at most 31 years between 1950 and 2100", o.FirstYear, o.LastYear)
	}
	return o, nil
}
