package cube

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/ingest"
)

// dump writes everything a cube holds in a form that does not depend on the order it
// was built in (the codes of a dimension's values do), one line per fact.
func dump(c *Cube) string {
	var lines []string
	blocks := func(name string, m map[nodeKey]*block) {
		for k, b := range m {
			kind := c.kinds[k.kind]
			width := len(kind.dims)
			cells := map[string]float64{}
			fed := map[string][]int64{} // the batches of each cell, by id
			for i, cnt := range b.counts {
				var parts []string
				for d, code := range b.tuples[i*width : (i+1)*width] {
					parts = append(parts, kind.dims[d]+"="+kind.names[d][code])
				}
				t := strings.Join(parts, ";")
				cells[t] += cnt
				fed[t] = mergeBatches(fed[t], b.fed(b.masks[i]))
			}
			for t, cnt := range cells {
				lines = append(lines, fmt.Sprintf("%s %s %d %s %s %v %v", name, k.kind, k.year, k.org, t, cnt, fed[t]))
			}
			bs := slices.Clone(b.batches)
			slices.Sort(bs)
			lines = append(lines, fmt.Sprintf("%s-batches %s %d %s %v", name, k.kind, k.year, k.org, bs))
		}
	}
	blocks("own", c.own)
	blocks("agg", c.agg)
	for y, m := range c.insts {
		for code, in := range m {
			inc := "nil"
			if in.Inclusive != nil {
				inc = fmt.Sprint(*in.Inclusive)
			}
			lines = append(lines, fmt.Sprintf("inst %d %s %s %s %s %s %s %s %s", y, code, in.Name, in.District, in.Type, in.Ownership, in.Location, inc, fmtPoint(in.Lat, in.Lon)))
		}
	}
	for y, m := range c.byDist {
		for d, codes := range m {
			lines = append(lines, fmt.Sprintf("bydist %d %s %v", y, d, slices.Sorted(slices.Values(codes))))
		}
	}
	for k, f := range c.facts {
		lines = append(lines, fmt.Sprintf("fact %+v %+v", k, f))
	}
	for ey, orgs := range c.touched {
		lines = append(lines, fmt.Sprintf("touched %+v %v", ey, slices.Sorted(maps.Keys(orgs))))
	}
	lines = append(lines, fmt.Sprint("years ", c.years))
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// TestReload: after each import, the cube reloaded for the import's scopes holds
// exactly what a cube loaded whole does, and the cube it came from is unchanged.
func TestReload(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	c, err := Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i, files := range []map[string]string{
		// One district's students of a year: a pupil leaves, two come, one changes grade.
		{"students-2021.csv": "year,student_id,institution,stage,grade,sex\n2021,s01,K1,preschool,2,M\n2021,s02,K1,preschool,2,F\n2021,s24,K1,preschool,1,M\n2021,s04,K2,preschool,2,F\n2021,s90,K2,preschool,1,F\n2021,s91,K2,preschool,3,M\n"},
		// A district's institutions of a year: K2 becomes public and inclusive, which every
		// roster cell of it joins.
		{"institutions-2021.csv": "year,code,name,district,type,ownership,inclusive,location\n2021,K1,芝罘公办幼儿园,370602,kindergarten,public,true,urban\n2021,K2,芝罘民办幼儿园,370602,kindergarten,public,true,town\n"},
		// A district's fact, and one the city reports itself.
		{"facts-a.csv": "year,org,element,dims,value\n2020,370612,working_age_schooling_years,,10.4\n"},
		{"facts-b.csv": "year,org,element,dims,value\n2021,370600,working_age_schooling_years,,11.2\n"},
		// Population of a district in a year with none before: a new year of data.
		{"population-2019.csv": "year,district,age,count\n2019,370612,3,5\n2019,370612,4,6\n"},
	} {
		var paths []string
		for name, content := range files {
			p := filepath.Join(dir, fmt.Sprint(i, "-", name))
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
		res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), paths, ingest.Options{})
		if err != nil {
			t.Fatalf("import %d: %v", i, err)
		}
		if len(res.Replaced) == 0 {
			t.Fatalf("import %d: no scopes", i)
		}
		scopes := res.Replaced
		before := dump(c)
		next, err := c.Reload(ctx, db, scopes)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := Load(ctx, db, pack)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := dump(next), dump(whole); got != want {
			t.Errorf("import %d (scopes %v): reloaded cube differs from a whole load:\n%s", i, scopes, diffLines(got, want))
		}
		if dump(c) != before {
			t.Errorf("import %d: reloading changed the cube it came from", i)
		}
		if before == dump(whole) {
			t.Errorf("import %d changed nothing: the test proves nothing", i)
		}
		c = next
	}
}

func fmtPoint(lat, lon *float64) string {
	if lat == nil || lon == nil {
		return "-"
	}
	return fmt.Sprint(*lat, ",", *lon)
}

// diffLines lists the lines only in a (-) or only in b (+).
func diffLines(a, b string) string {
	as, bs := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for _, l := range as {
		if !slices.Contains(bs, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range bs {
		if !slices.Contains(as, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}
