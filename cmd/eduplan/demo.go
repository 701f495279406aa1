package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/demo"
)

func newDemoCmd(g *globals) *cobra.Command {
	var (
		out         string
		scale       float64
		seed        int64
		tables      []string
		tablesUntil int
	)
	cmd := &cobra.Command{
		Use:   "demo --out DIR",
		Short: "Write a generated demo data set (演示数据) for the plan's districts",
		Long: `demo writes invented institutions, students, teachers, population and facts files for
every district of the plan and every year from the plan's baseline to its target year,
ready for "eduplan import". The city's baseline-year values equal the plan's baselines;
later years show districts that progress, lag, regress and put binding indicators at
risk. The same scale and seed always give the same files.

demo 生成虚构的演示数据（学校、学生、教师、人口与统计数据），不是官方统计数据。`,
		Example: `  eduplan demo --out demo-data
  eduplan demo --out small --scale 0.05 --seed 7
  eduplan demo --out mixed --scale 0.05 --tables 370612,370613 --tables-until 2022`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageError("请用 --out 指定输出目录", "--out is required")
			}
			if scale <= 0 || scale > demo.MaxScale {
				return usageError(fmt.Sprintf("--scale 须大于 0 且不超过 %d", demo.MaxScale), fmt.Sprintf("--scale must be more than 0 and at most %d", demo.MaxScale))
			}
			pack, err := g.pack()
			if err != nil {
				return err
			}
			start := time.Now()
			sum, err := demo.Generate(cmd.Context(), pack, out, demo.Options{Scale: scale, Seed: seed,
				TableDistricts: tables, TableUntil: tablesUntil})
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "演示数据 demo data: %d files in %s (scale %g, seed %d, %s)\n",
				len(sum.Files), out, scale, seed, time.Since(start).Round(time.Millisecond))
			tw := &table{w: w, right: true}
			for _, kind := range []string{"institutions", "population", "students", "teachers", "school_tables", "facts"} {
				fmt.Fprintf(tw, "  %s\t%d rows\t\n", kind, sum.Rows[kind])
			}
			tw.Flush()
			fmt.Fprintf(w, "see %s; import with: eduplan import %s\n", filepath.Base(sum.Readme), filepath.Join(out, "*.csv"))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "directory to write the files into (created if missing)")
	cmd.Flags().Float64Var(&scale, "scale", 1, "size as a fraction of the real city (1 = about 1.05 million students)")
	cmd.Flags().Int64Var(&seed, "seed", demo.DefaultSeed, "random seed: the same seed gives the same files (serve's demo uses the same default)")
	cmd.Flags().StringSliceVar(&tables, "tables", nil, "districts whose students and teachers are written as school tables (基础基表) instead of rosters")
	cmd.Flags().IntVar(&tablesUntil, "tables-until", 0, "write those districts' tables for the years up to this one only, rosters after (0: every year)")
	return cmd
}
