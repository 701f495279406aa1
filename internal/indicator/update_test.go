package indicator_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
)

// TestReload: after each import, the engine reloaded for the import's scopes has
// exactly the values of an engine loaded whole, headline indicators and commitments,
// every org and year, reasons included.
func TestReload(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i, content := range []string{
		"year,student_id,institution,stage,grade,sex\n2021,s01,K1,preschool,2,M\n2021,s02,K1,preschool,2,F\n2021,s24,K1,preschool,1,M\n2021,s04,K2,preschool,2,F\n2021,s90,K2,preschool,1,F\n2021,s91,K2,preschool,3,M\n",
		"year,code,name,district,type,ownership,inclusive,location\n2021,K1,芝罘公办幼儿园,370602,kindergarten,public,true,urban\n2021,K2,芝罘民办幼儿园,370602,kindergarten,public,true,town\n",
		"year,org,element,dims,value\n2020,370612,working_age_schooling_years,,10.4\n",
		"year,org,element,dims,value\n2021,370600,working_age_schooling_years,,11.2\n",
		"year,district,age,count\n2020,370612,3,9\n2020,370612,4,7\n2020,370612,5,3\n2020,370612,15,1\n",
		// 370602's teachers of 2020, P1's associate-degree teacher now with a bachelor's:
		// an institution's value changes (compulsory_teacher_bachelor at P1).
		"year,teacher_id,institution,stage,sex,education,preschool_major,dual_qualified\n" +
			"2020,t01,K1,preschool,F,associate,true,\n2020,t02,K1,preschool,F,associate,,\n2020,t03,K2,preschool,F,secondary,false,\n" +
			"2020,t05,P1,primary,F,bachelor,,\n2020,t06,P1,primary,M,bachelor,,\n2020,t07,J1,junior,F,master,,\n2020,t08,R1,primary,M,bachelor,,\n" +
			"2020,t09,R1,junior,F,associate,,\n2020,t12,S1,senior,F,master,,\n2020,t13,S1,senior,M,bachelor,,\n" +
			"2020,t14,V1,secondary_vocational,M,doctor,,true\n2020,t15,V1,secondary_vocational,F,bachelor,,false\n2020,t16,H1,higher,M,master,,true\n",
		// A new kindergarten in 370602 in 2021 (the values' orgs change), then a year of
		// population with no data before (their years change).
		"year,code,name,district,type,ownership,inclusive,location\n2021,K1,芝罘公办幼儿园,370602,kindergarten,public,true,urban\n2021,K2,芝罘民办幼儿园,370602,kindergarten,public,true,town\n2021,K3,芝罘新幼儿园,370602,kindergarten,private,true,urban\n",
		"year,district,age,count\n2019,370612,3,5\n2019,370612,4,6\n",
		// 牟平's kindergarten as a school table (基础基表) in place of its roster of 2020,
		// the city's published totals of a year with nothing else (a year appears), and
		// 牟平's roster back.
		"年份,学校标识码,小班男,小班女,中班男,中班女,大班男,大班女\n2020,MK,4,3,0,2,5,6\n",
		"year,org,element,dims,value\n2023,370600,students,stage=preschool,200\n2023,370600,students,stage=preschool;ownership=public,150\n",
		"year,student_id,institution,stage,grade,sex\n2020,s06,MK,preschool,3,F\n2020,s15,M1,primary,1,M\n2020,s16,M1,primary,5,F\n" +
			"2020,s17,M1,junior,6,M\n2020,s18,M1,junior,9,F\n",
	} {
		p := filepath.Join(dir, fmt.Sprint("file", i, ".csv"))
		os.WriteFile(p, []byte(content), 0o644)
		res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{})
		if err != nil {
			t.Fatalf("import %d: %v", i, err)
		}
		scopes := res.Replaced
		next, err := e.Reload(ctx, db, scopes)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := indicator.Load(ctx, db, pack)
		if err != nil {
			t.Fatal(err)
		}
		for _, commitments := range []bool{false, true} {
			q := indicator.Query{Commitments: commitments}
			got, _ := next.Values(pack.FullScope(), q)
			want, _ := whole.Values(pack.FullScope(), q)
			before, _ := e.Values(pack.FullScope(), q)
			if !reflect.DeepEqual(got, want) {
				for j := range min(len(got), len(want)) {
					if !reflect.DeepEqual(got[j], want[j]) {
						t.Errorf("import %d: value %d: reloaded %+v, whole %+v", i, j, got[j], want[j])
						break
					}
				}
				t.Fatalf("import %d (scopes %v, commitments %v): %d values reloaded, %d whole, differing", i, scopes, commitments, len(got), len(want))
			}
			if !commitments && i < 6 && reflect.DeepEqual(before, want) {
				t.Errorf("import %d changed no headline value: the test proves nothing", i)
			}
		}
		e = next
	}
	if ys := e.Years(); !slices.Contains(ys, 2023) {
		t.Errorf("years %v: the city's totals of 2023 give kg_public_share, so 2023 is a year", ys)
	}
}
