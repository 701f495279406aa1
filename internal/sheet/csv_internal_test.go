package sheet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// csvRows reads a CSV file from data with a buffer of lines of the given size (0:
// encoding/csv alone), and returns its header and rows, and where it stopped.
func csvRows(data []byte, buffer int) (out []string) {
	src, err := openCSVBuffer(bytes.NewReader(data), int64(len(data)), nil, buffer)
	if err != nil {
		return []string{describe(err)}
	}
	out = append(out, fmt.Sprintf("header %q", src.Header()))
	for {
		n, cells, err := src.Next()
		if err != nil {
			return append(out, describe(err))
		}
		out = append(out, fmt.Sprintf("%d %q", n, cells))
	}
}

func describe(err error) string {
	var se *Error
	if errors.As(err, &se) {
		return fmt.Sprintf("error row %d column %s class %s", se.Row, se.Column, se.Class)
	}
	if err == io.EOF {
		return "EOF"
	}
	return "error " + err.Error()
}

// csvSameAsEncodingCSV checks that reading data line by line (with buffers large and
// small) gives the rows, row numbers and errors that encoding/csv alone gives.
func csvSameAsEncodingCSV(t *testing.T, data []byte) {
	want := csvRows(data, 0)
	for _, buffer := range []int{linesBuffer, 64, 7} {
		if got := csvRows(data, buffer); !reflect.DeepEqual(got, want) {
			t.Fatalf("buffer %d: %q\nencoding/csv: %q", buffer, got, want)
		}
	}
}

// TestLinesSameAsEncodingCSV reads files line by line and with encoding/csv alone:
// line breaks of every kind, blank lines, quotes that begin midway, bytes that are not
// UTF-8, lines longer than the buffer, and no line break at the end.
func TestLinesSameAsEncodingCSV(t *testing.T) {
	long := strings.Repeat("x", 100)
	for _, s := range []string{
		"a,b\n1,2\n3,4\n",
		"a,b\r\n1,2\r\n\r\n3,4\r\n",
		"a,b\n1,2\r",
		"a,b\n1,2\r\r\n3,4\r\r",
		"a,b\n1,\r2\n\r\n\r",
		"\n\n,,\na,b\n\n\n1,2\n, ,\n",
		"a,b\n1,2\n\"x\ny\",3\n4,5\n",
		"a,b\n1,2\n3,x\"y\n4,5\n",
		"a,b\n1,\xff\n2,3\n",
		"a,b\n1,2\n3,\xe5\xad",
		"a,b\n" + long + "," + long + "\n1,2\n",
		"a,b\n1,2\n\"" + long + "\n" + long + "\",3\n4,5",
		"a,b",
		"0\n\xec\xe8",
		"",
		"\r\n",
	} {
		t.Run(fmt.Sprintf("%.20q", s), func(t *testing.T) { csvSameAsEncodingCSV(t, []byte(s)) })
	}
}

func FuzzLinesSameAsEncodingCSV(f *testing.F) {
	f.Add([]byte("year,student_id\n2020,S1\r\n\r\n2020,\"S\n2\"\n2020,\xc4\xd0\n"))
	f.Add([]byte("a\r\r\n\"\"\n,\n"))
	f.Fuzz(csvSameAsEncodingCSV)
}

// BenchmarkCSVLines reads a students file of 200,000 rows line by line and with
// encoding/csv alone.
func BenchmarkCSVLines(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("year,student_id,institution,stage,grade,sex,birth_date,hukou\n")
	for i := range 200_000 {
		fmt.Fprintf(&buf, "2020,S%012X,37060%05d,primary,%d,F,2013-0%d-1%d,local\n", i*7919, i/500, 1+i%6, 1+i%9, i%10)
	}
	data := buf.Bytes()
	for _, bb := range []struct {
		name   string
		buffer int
	}{{"lines", linesBuffer}, {"encoding-csv", 0}} {
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				src, err := openCSVBuffer(bytes.NewReader(data), int64(len(data)), nil, bb.buffer)
				if err != nil {
					b.Fatal(err)
				}
				for {
					if _, _, err := src.Next(); err != nil {
						break
					}
				}
			}
		})
	}
}
