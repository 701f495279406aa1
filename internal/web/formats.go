package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
)

// formatsPage is the reference of the file formats, made from the column lists and
// codes the import checks (ingest.FormatsIn: the built-in kinds and the pack's own), with a template of each kind to download.
type formatsPage struct {
	page
	Kinds []formatKind
}

// formatKind is a kind's format in the page's language.
type formatKind struct {
	Kind, Name, Row  string
	Columns          []formatColumn
	CSV, XLSX, Codes string // the templates' URLs
}

type formatColumn struct {
	Name, Type, Meaning, Example string
	Required                     bool
	Aliases                      string
	Codes                        []formatCode
}

type formatCode struct{ Code, Meaning string }

func (s *Server) handleFormatsPage(w http.ResponseWriter, r *http.Request) {
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := s.newPage(r, demo)
	p.Title = locale.T(p.Lang, "formats_nav")
	fp := formatsPage{page: p}
	for _, f := range ingest.FormatsIn(s.pack) {
		k := formatKind{Kind: string(f.Kind), Name: pick(p.Lang, f.Name, string(f.Kind)), Row: pick(p.Lang, f.Row, f.RowEn),
			CSV: "/formats/" + string(f.Kind) + ".csv", XLSX: "/formats/" + string(f.Kind) + ".xlsx", Codes: "/formats/" + string(f.Kind) + "-codes.csv"}
		for _, c := range f.Columns {
			fc := formatColumn{Name: c.Name, Type: pick(p.Lang, c.Type, c.TypeEn), Meaning: pick(p.Lang, c.Meaning, c.MeaningEn),
				Example: c.Example, Required: c.Required, Aliases: strings.Join(c.Aliases, "、")}
			for _, code := range c.Codes {
				fc.Codes = append(fc.Codes, formatCode{Code: code.Code, Meaning: pick(p.Lang, code.Zh, code.En)})
			}
			k.Columns = append(k.Columns, fc)
		}
		if len(codeRows(f)) == 0 {
			k.Codes = ""
		}
		fp.Kinds = append(fp.Kinds, k)
	}
	s.renderPage(w, r, "formats", fp)
}

// handleFormatTemplate serves a kind's template: {kind}.csv (the header and an example
// row), {kind}.xlsx (the same on a first sheet, the allowed codes on a second) or
// {kind}-codes.csv (the allowed codes: column, code, 中文, English).
func (s *Server) handleFormatTemplate(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	base, ext, _ := strings.Cut(name, ".")
	codes := strings.HasSuffix(base, "-codes")
	kind, err := ingest.ParseKindIn(strings.TrimSuffix(base, "-codes"), s.pack)
	if err != nil || string(kind) != strings.TrimSuffix(base, "-codes") || (ext != "csv" && ext != "xlsx") || (codes && ext != "csv") {
		s.pageError(w, r, plan.Errorf(plan.ENOTFOUND, "没有此模板：%s", "no such template: %s", name))
		return
	}
	f := ingest.FormatIn(s.pack, kind)
	if ext == "xlsx" {
		s.respondXLSX(w, r, name, func() (*excelize.File, error) { return templateWorkbook(f) })
		return
	}
	var buf bytes.Buffer
	cw := sheet.NewWriter(&buf) // our own text, but every CSV we write goes through sheet
	if codes {
		cw.Write([]string{"column", "code", "中文", "English"})
		for _, row := range codeRows(f) {
			cw.Write(row)
		}
	} else {
		cw.Write(f.Header())
		cw.Write(f.Example())
	}
	cw.Flush()
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	// A UTF-8 BOM, so that Excel and WPS open the Chinese text as UTF-8.
	w.Write([]byte("\uFEFF"))
	w.Write(buf.Bytes())
}

// codeRows lists a kind's allowed codes: column, code, meaning in Chinese and English.
func codeRows(f ingest.KindFormat) [][]string {
	var rows [][]string
	for _, c := range f.Columns {
		for _, code := range c.Codes {
			rows = append(rows, []string{c.Name, code.Code, code.Zh, code.En})
		}
	}
	return rows
}

// templateWorkbook is a kind's template as a workbook: the header and an example row
// on the first sheet (the one an import reads), the allowed codes on a second.
func templateWorkbook(f ingest.KindFormat) (*excelize.File, error) {
	x := excelize.NewFile()
	sheet := string(f.Kind)
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		x.Close()
		return nil, err
	}
	example := make([]any, len(f.Columns))
	for i, c := range f.Columns {
		example[i] = c.Example
		if n, err := strconv.ParseFloat(c.Example, 64); err == nil && c.Name != "code" && c.Name != "institution" && c.Name != "学校标识码" && c.Name != "district" && c.Name != "org" && c.Name != "provider" {
			example[i] = n // numbers as numbers; codes stay text (leading zeros, long digits)
		}
	}
	header := make([]any, len(f.Columns))
	for i, h := range f.Header() {
		header[i] = h
	}
	if err := x.SetSheetRow(sheet, "A1", &header); err != nil {
		x.Close()
		return nil, err
	}
	if err := x.SetSheetRow(sheet, "A2", &example); err != nil {
		x.Close()
		return nil, err
	}
	if _, err := x.NewSheet("codes"); err != nil {
		x.Close()
		return nil, err
	}
	rows := append([][]string{{"column", "code", "中文", "English"}}, codeRows(f)...)
	for i, row := range rows {
		if err := x.SetSheetRow("codes", "A"+strconv.Itoa(i+1), &row); err != nil {
			x.Close()
			return nil, err
		}
	}
	return x, nil
}
