package report

import (
	"io"

	"github.com/yantai-edu/eduplan/internal/docx"
)

// WriteDOCX writes the report as a Word document: the title page, a table of contents
// that Word and WPS refresh on opening, headings, styled tables and the charts, with
// the report's mark (草稿 for live figures) at the top of every page.
func (r *Report) WriteDOCX(w io.Writer) error {
	lang := "zh-CN"
	if r.Lang == "en" {
		lang = "en-US"
	}
	d := docx.New(lang, r.Generated)
	d.SetTitle(r.Title)
	d.SetHeader(r.Mark)
	d.SetFooter(r.Title)
	for _, b := range r.Blocks {
		switch b.Kind {
		case Heading:
			d.Heading(b.Level, b.Text)
		case Paragraph:
			d.Paragraph(b.Style, b.Text)
		case TableBlock:
			d.Table(b.Table)
		case Chart:
			if err := d.Image(b.PNG, 16); err != nil {
				return err
			}
		case PageBreak:
			d.PageBreak()
		case Contents:
			d.TOC(b.Text)
		}
	}
	_, err := d.WriteTo(w)
	return err
}
