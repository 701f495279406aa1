package demo

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// tables collects, for one year, the students and teachers of the districts written as
// school tables (Options.TableDistricts) instead of rosters: each row counted into the
// cell of the pack's table (school_tables.yaml) that it falls in.
type tables struct {
	pack   *plan.Pack
	counts map[*plan.SchoolTable]map[int32][]int64 // by institution index, one count per column
	// found caches the table and column of a row's dims.
	found map[string]tableCell
	// err is the first row no table counts.
	err error
}

type tableCell struct {
	t   *plan.SchoolTable
	col int
}

func newTables(pack *plan.Pack) *tables {
	return &tables{pack: pack, counts: map[*plan.SchoolTable]map[int32][]int64{}, found: map[string]tableCell{}}
}

// tableYear reports whether the district's students and teachers of the year are
// written as school tables.
func (g *generator) tableYear(district, y int) bool {
	return slices.Contains(g.opt.TableDistricts, g.ds[district].org.Code) && (g.opt.TableUntil == 0 || y <= g.opt.TableUntil)
}

// add counts one person of the element with the dims (key, value pairs) at an institution.
func (s *tables) add(element string, inst int32, dims ...string) error {
	key := element + fmt.Sprint(dims)
	tc, ok := s.found[key]
	if !ok {
		tc = s.find(element, dims)
		if tc.t == nil {
			return fmt.Errorf("demo: no school table of the pack counts %s %v", element, dims)
		}
		s.found[key] = tc
	}
	byInst := s.counts[tc.t]
	if byInst == nil {
		byInst = map[int32][]int64{}
		s.counts[tc.t] = byInst
	}
	if byInst[inst] == nil {
		byInst[inst] = make([]int64, len(tc.t.Counts))
	}
	byInst[inst][tc.col]++
	return nil
}

func (s *tables) find(element string, dims []string) tableCell {
	has := func(f plan.Filter) bool {
		for _, c := range f {
			i := slices.Index(dims, c.Key)
			if i < 0 || i%2 != 0 || dims[i+1] != c.Values[0] {
				return false
			}
		}
		return true
	}
	for _, t := range s.pack.SchoolTables {
		if t.Element != element || !has(t.Dims) {
			continue
		}
		for j, c := range t.Counts {
			if has(c.Dims) {
				return tableCell{t, j}
			}
		}
	}
	return tableCell{}
}

// write writes one file per table counted, {code}-{year}.csv, with the Chinese headers
// of the pack, one row per institution and every total filled in; it returns the paths
// and rows written.
func (s *tables) write(g *generator, dir func(string) string, y int) ([]string, int, error) {
	var paths []string
	rows := 0
	for _, t := range s.pack.SchoolTables {
		byInst := s.counts[t]
		if byInst == nil {
			continue
		}
		path := dir(fmt.Sprintf("%s-%d.csv", t.Code, y))
		n, err := writeCSV(path, func(f *csvFile) int {
			header := []string{"年份", "学校标识码", "学校名称"}
			for _, c := range slices.Concat(t.Counts, t.Totals) {
				header = append(header, c.Header)
			}
			f.row(header...)
			for _, inst := range slices.Sorted(maps.Keys(byInst)) {
				counts := byInst[inst]
				row := []string{fmtInt(y), g.insts[inst].code, g.insts[inst].name}
				for _, n := range counts {
					row = append(row, strconv.FormatInt(n, 10))
				}
				for _, tot := range t.Totals {
					var sum int64
					for j, c := range t.Counts {
						if t.Includes(tot, c) {
							sum += counts[j]
						}
					}
					row = append(row, strconv.FormatInt(sum, 10))
				}
				f.row(row...)
			}
			return len(byInst)
		})
		if err != nil {
			return nil, 0, err
		}
		paths = append(paths, path)
		rows += n
	}
	return paths, rows, nil
}
