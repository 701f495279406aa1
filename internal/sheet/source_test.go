package sheet_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/sheet"
)

// where locates an error: its row, column, value and class.
type where struct {
	Row    int
	Column string
	Value  string
	Class  string
}

type row struct {
	N     int
	Cells []string
}

func allRows(t *testing.T, src sheet.Source) ([]row, error) {
	t.Helper()
	var rows []row
	for {
		n, cells, err := src.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, row{n, append([]string(nil), cells...)})
	}
}

func openString(s string) (sheet.Source, error) {
	return sheet.OpenReader(strings.NewReader(s), int64(len(s)))
}

// TestCSVRows checks that row numbers are those a spreadsheet shows, whatever blank
// rows and multi-line cells come before.
func TestCSVRows(t *testing.T) {
	tests := []struct {
		name   string
		csv    string
		header []string
		rows   []row
	}{
		{"plain", "a,b\n1,2\n3,4\n", []string{"a", "b"}, []row{{2, []string{"1", "2"}}, {3, []string{"3", "4"}}}},
		{"BOM and CRLF", "\xEF\xBB\xBFa, b \r\n1,2\r\n", []string{"a", "b"}, []row{{2, []string{"1", "2"}}}},
		{"BOM before a quoted header", "\xEF\xBB\xBF\"a\",b\n1,2\n", []string{"a", "b"}, []row{{2, []string{"1", "2"}}}},
		{"blank rows", "a,b\n\n1,2\n,\n , \n\n3,4\n,,\n", []string{"a", "b"},
			[]row{{3, []string{"1", "2"}}, {7, []string{"3", "4"}}}},
		{"multi-line cell", "a,b\n\"x\ny\",1\n\n2,3\n", []string{"a", "b"},
			[]row{{2, []string{"x\ny", "1"}}, {4, []string{"2", "3"}}}},
		{"ragged", "a,b,c\n1\n1,2,3,4\n", []string{"a", "b", "c"}, []row{{2, []string{"1"}}, {3, []string{"1", "2", "3", "4"}}}},
		{"blank rows before the header", ",,\n\na,b\n1,2\n", []string{"a", "b"}, []row{{4, []string{"1", "2"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := openString(tt.csv)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if !reflect.DeepEqual(src.Header(), tt.header) {
				t.Errorf("header %q, want %q", src.Header(), tt.header)
			}
			rows, err := allRows(t, src)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rows, tt.rows) {
				t.Errorf("rows %v, want %v", rows, tt.rows)
			}
		})
	}
}

// TestFileErrors checks the problems of a whole file: where Open or Next reports them.
func TestFileErrors(t *testing.T) {
	long := strings.Repeat("2020,S,I,primary,1,M\n", 4000) // past what Open looks at
	tests := []struct {
		name    string
		content string
		atOpen  bool
		want    where
	}{
		{"empty", "", true, where{1, "", "", "header"}},
		{"blank", "\n,,\n", true, where{1, "", "", "header"}},
		// GBK: "小学" is D0A1 D1A7 (valid UTF-8 by chance), "男" is C4D0 (not).
		{"GBK", "year,student_id,institution,stage,grade,sex\n2020,S1,I1,\xd0\xa1\xd1\xa7,1,F\n2020,S2,I1,primary,1,\xc4\xd0\n", true, where{3, "", "", "encoding"}},
		{"GBK header", "\xc4\xea\xb7\xdd,x\n", true, where{1, "", "", "encoding"}},
		{"GBK far down", "year,student_id,institution,stage,grade,sex\n" + long + "2020,S2,I1,primary,1,\xc4\xd0\n", false, where{4002, "", "", "encoding"}},
		{"UTF-16", "\xFF\xFEy\x00e\x00a\x00r\x00", true, where{1, "", "", "encoding"}},
		{"xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00", true, where{0, "", "", "format"}},
		{"broken xlsx", "PK\x03\x04garbage", true, where{0, "", "", "format"}},
		{"bare quote", "a,b\n1,2\n\n3,x\"y\n", false, where{4, "", "", "format"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := openString(tt.content)
			if err == nil {
				defer src.Close()
				if tt.atOpen {
					t.Fatalf("Open accepted the file")
				}
				_, err = allRows(t, src)
			} else if !tt.atOpen {
				t.Fatalf("Open: %v", err)
			}
			var re *sheet.Error
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T), want a *RowError", err, err)
			}
			if got := (where{re.Row, re.Column, re.Value, re.Class}); got != tt.want {
				t.Errorf("got %+v, want %+v: %s", got, tt.want, re.Error())
			}
			if re.Zh == "" || re.En == "" {
				t.Errorf("no message: %+v", re)
			}
		})
	}
}

// TestUTF8Blocks checks that runes cut by the ends of read blocks are taken whole.
func TestUTF8Blocks(t *testing.T) {
	var b strings.Builder
	b.WriteString("学年,学籍号,学校代码,学段,年级,性别\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "2020,学生%d,学校,小学,1,女\n", i)
	}
	rows, err := allRows(t, must(openString(b.String())))
	if err != nil || len(rows) != 20000 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if last := rows[19999]; last.Cells[1] != "学生19999" || last.N != 20001 || last.Cells[5] != "女" {
		t.Errorf("last %+v", last)
	}
	// A bad byte at the very end, and one that cuts a rune.
	for _, tail := range []string{"2020,x,y,primary,1,\xe5", "2020,x,\xe5\xad,primary,1,M\n"} {
		_, err := allRows(t, must(openString(b.String()+tail)))
		var re *sheet.Error
		if !errors.As(err, &re) || re.Class != "encoding" || re.Row != 20002 {
			t.Errorf("%q: %v", tail, err)
		}
	}
}

func must(src sheet.Source, err error) sheet.Source {
	if err != nil {
		panic(err)
	}
	return src
}

// TestSize: a CSV source knows the size of its file, read ahead or not, so that a
// reader can size its tables by the rows to come.
func TestSize(t *testing.T) {
	const csv = "a,b\n1,2\n"
	src := sheet.ReadAhead(must(openString(csv)))
	defer src.Close()
	sized, ok := src.(interface{ Size() int64 })
	if !ok || sized.Size() != int64(len(csv)) {
		t.Errorf("a CSV file read ahead: Size %v", sized)
	}
	path := filepath.Join(t.TempDir(), "f.csv")
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	f := must(sheet.Open(path))
	defer f.Close()
	if sized, ok := f.(interface{ Size() int64 }); !ok || sized.Size() != int64(len(csv)) {
		t.Errorf("a CSV file opened by name: Size %v", sized)
	}
}
