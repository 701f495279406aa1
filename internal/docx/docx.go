// Package docx writes Word documents (Office Open XML, .docx) that Word, WPS and
// LibreOffice open as editable text: paragraphs with heading styles, a table of contents
// field, tables with a table style, PNG images, and a header and footer on every page.
// It writes only what eduplan's reports need, with archive/zip and encoding/xml.
//
// It knows nothing of plans or reviews: the report package lays a review out with it.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"strings"
	"time"
)

// Document is a Word document being written, block after block.
type Document struct {
	body     bytes.Buffer
	images   [][]byte
	header   string
	footer   string
	title    string
	language string
	created  time.Time
	// ids numbers drawing objects and bookmarks.
	ids int
	// headings are the document's headings, for the table of contents' placeholder.
	headings []heading
	// tocAt is where in the body the table of contents goes (-1: none); it is written
	// when the document is, once every heading is known.
	tocAt    int
	tocTitle string
}

type heading struct {
	level int
	text  string
}

// New returns an empty document whose text is in the language ("zh-CN" or "en-US"),
// created at the time (written in its properties).
func New(language string, created time.Time) *Document {
	return &Document{language: language, created: created, tocAt: -1}
}

// SetTitle sets the document's title property.
func (d *Document) SetTitle(s string) { d.title = s }

// SetHeader sets the text of the header on every page (e.g. 草稿 / DRAFT).
func (d *Document) SetHeader(s string) { d.header = s }

// SetFooter sets the text of the footer on every page, before the page number.
func (d *Document) SetFooter(s string) { d.footer = s }

// esc escapes text for XML character data and attribute values.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// run is a run of text, with tabs and line breaks as Word writes them.
func run(text, props string) string {
	var b strings.Builder
	b.WriteString("<w:r>")
	if props != "" {
		b.WriteString("<w:rPr>" + props + "</w:rPr>")
	}
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		b.WriteString(`<w:t xml:space="preserve">` + esc(line) + "</w:t>")
	}
	b.WriteString("</w:r>")
	return b.String()
}

// Paragraph writes a paragraph of the style ("" for Normal; e.g. Title, Subtitle,
// Caption, Note).
func (d *Document) Paragraph(style, text string) {
	d.paragraph(style, "", text)
}

// Centered writes a centred paragraph of the style.
func (d *Document) Centered(style, text string) {
	d.paragraph(style, `<w:jc w:val="center"/>`, text)
}

func (d *Document) paragraph(style, props, text string) {
	d.body.WriteString("<w:p>")
	if style != "" || props != "" {
		d.body.WriteString("<w:pPr>")
		if style != "" {
			d.body.WriteString(`<w:pStyle w:val="` + esc(style) + `"/>`)
		}
		d.body.WriteString(props + "</w:pPr>")
	}
	d.body.WriteString(run(text, ""))
	d.body.WriteString("</w:p>")
}

// Heading writes a heading of level 1 to 3 (styles Heading1 to Heading3), which the
// table of contents lists.
func (d *Document) Heading(level int, text string) {
	level = min(max(level, 1), 3)
	d.ids++
	d.headings = append(d.headings, heading{level, text})
	fmt.Fprintf(&d.body, `<w:p><w:pPr><w:pStyle w:val="Heading%d"/></w:pPr><w:bookmarkStart w:id="%d" w:name="_Toc%d"/>%s<w:bookmarkEnd w:id="%d"/></w:p>`,
		level, d.ids, d.ids, run(text, ""), d.ids)
}

// PageBreak starts a new page.
func (d *Document) PageBreak() {
	d.body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
}

// TOC writes a table of contents (a TOC field over headings 1–3) under a title. Word
// and WPS refresh it with page numbers when the document opens (settings ask them to);
// until then it lists the headings.
func (d *Document) TOC(title string) {
	d.tocAt, d.tocTitle = d.body.Len(), title
}

func (d *Document) toc() string {
	var b strings.Builder
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr>` + run(d.tocTitle, "") + `</w:p>`)
	for i, h := range d.headings {
		b.WriteString(fmt.Sprintf(`<w:p><w:pPr><w:pStyle w:val="TOC%d"/></w:pPr>`, h.level))
		if i == 0 {
			b.WriteString(`<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-3" \h \z \u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`)
		}
		b.WriteString(run(h.text, ""))
		if i == len(d.headings)-1 {
			b.WriteString(`<w:r><w:fldChar w:fldCharType="end"/></w:r>`)
		}
		b.WriteString(`</w:p>`)
	}
	return b.String()
}

// Table is a table: a header row repeated on every page, then the rows. Right marks the
// columns aligned right (numbers); Widths, if set, are the columns' relative widths.
type Table struct {
	Header []string
	Rows   [][]string
	Right  []bool
	Widths []int
}

// Table writes a table in the table style ReportTable, across the text's width.
func (d *Document) Table(t Table) {
	cols := len(t.Header)
	total := 0
	for i := range cols {
		total += width(t.Widths, i)
	}
	const textWidth = 9638 // twentieths of a point: A4 less 2 cm margins each side
	d.body.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="ReportTable"/><w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for i := range cols {
		fmt.Fprintf(&d.body, `<w:gridCol w:w="%d"/>`, textWidth*width(t.Widths, i)/total)
	}
	d.body.WriteString(`</w:tblGrid>`)
	row := func(cells []string, header bool) {
		d.body.WriteString("<w:tr>")
		if header {
			d.body.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		} else {
			d.body.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
		}
		for i := range cols {
			text := ""
			if i < len(cells) {
				text = cells[i]
			}
			fmt.Fprintf(&d.body, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/>`, textWidth*width(t.Widths, i)/total)
			if i < len(t.Right) && t.Right[i] && !header {
				d.body.WriteString(`<w:jc w:val="right"/>`)
			}
			props := ""
			if header {
				props = "<w:b/>"
			}
			d.body.WriteString(`</w:pPr>` + run(text, props) + `</w:p></w:tc>`)
		}
		d.body.WriteString("</w:tr>")
	}
	row(t.Header, true)
	for _, r := range t.Rows {
		row(r, false)
	}
	d.body.WriteString(`</w:tbl>`)
	// A table followed directly by another block would join it in some readers.
	d.body.WriteString(`<w:p><w:pPr><w:pStyle w:val="TableGap"/></w:pPr></w:p>`)
}

func width(ws []int, i int) int {
	if i < len(ws) && ws[i] > 0 {
		return ws[i]
	}
	return 1
}

// Image writes a PNG image, centred, widthCM wide (its height keeps the image's
// proportions).
func (d *Document) Image(pngData []byte, widthCM float64) error {
	cfg, err := png.DecodeConfig(bytes.NewReader(pngData))
	if err != nil {
		return fmt.Errorf("docx image: %w", err)
	}
	d.images = append(d.images, pngData)
	n := len(d.images)
	d.ids++
	const emuPerCM = 360000
	cx := int(widthCM * emuPerCM)
	cy := cx * cfg.Height / cfg.Width
	fmt.Fprintf(&d.body, `<w:p><w:pPr><w:pStyle w:val="Figure"/><w:jc w:val="center"/></w:pPr><w:r><w:drawing>`+
		`<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:docPr id="%d" name="Picture %d"/>`+
		`<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`+
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>`+
		`<pic:nvPicPr><pic:cNvPr id="%d" name="image%d.png"/><pic:cNvPicPr/></pic:nvPicPr>`+
		`<pic:blipFill><a:blip r:embed="rIdImage%d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`+
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
		cx, cy, d.ids, d.ids, d.ids, n, n, cx, cy)
	return nil
}

// WriteTo writes the document as a .docx file.
func (d *Document) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	zw := zip.NewWriter(cw)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", fmt.Sprintf(coreXML, esc(d.title), esc(d.language), d.created.UTC().Format(time.RFC3339), d.created.UTC().Format(time.RFC3339))},
		{"docProps/app.xml", appXML},
		{"word/document.xml", d.document()},
		{"word/styles.xml", fmt.Sprintf(stylesXML, d.language)},
		{"word/settings.xml", fmt.Sprintf(settingsXML, d.language)},
		{"word/header1.xml", fmt.Sprintf(headerXML, run(d.header, `<w:color w:val="C00000"/>`))},
		{"word/footer1.xml", fmt.Sprintf(footerXML, run(d.footer, ""))},
		{"word/_rels/document.xml.rels", d.rels()},
	}
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: d.created})
		if err != nil {
			return cw.n, err
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return cw.n, err
		}
	}
	for i, img := range d.images {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("word/media/image%d.png", i+1), Method: zip.Store, Modified: d.created})
		if err != nil {
			return cw.n, err
		}
		if _, err := fw.Write(img); err != nil {
			return cw.n, err
		}
	}
	err := zw.Close()
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (d *Document) document() string {
	body := d.body.String()
	if d.tocAt >= 0 {
		body = body[:d.tocAt] + d.toc() + body[d.tocAt:]
	}
	return xml.Header + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
		`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
		`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
		`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>` + body +
		`<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/><w:footerReference w:type="default" r:id="rIdFooter"/>` +
		`<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1418" w:right="1134" w:bottom="1418" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/>` +
		`</w:sectPr></w:body></w:document>`
}

func (d *Document) rels() string {
	var b strings.Builder
	b.WriteString(xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
		`<Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>` +
		`<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>`)
	for i := range d.images {
		fmt.Fprintf(&b, `<Relationship Id="rIdImage%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image%d.png"/>`, i+1, i+1)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}
