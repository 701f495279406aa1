package docx_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/docx"
)

// TestDocumentPackage: every part is well-formed XML, every relationship's target is in
// the package, and the text — with characters XML must escape — reads back.
func TestDocumentPackage(t *testing.T) {
	d := docx.New("zh-CN", time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC))
	d.SetTitle("评估 <报告> & 附录")
	d.SetHeader("草稿 DRAFT")
	d.SetFooter("eduplan")
	d.Paragraph("Title", "烟台市 \"十四五\" 规划 & <总结>")
	d.TOC("目录")
	d.Heading(1, "一、总体情况")
	d.Paragraph("", "第一行\n第二行")
	d.Table(docx.Table{Header: []string{"指标", "值"}, Rows: [][]string{{"a<b", "41.17"}}, Right: []bool{false, true}})
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	img.Set(1, 1, color.Black)
	var pngData bytes.Buffer
	png.Encode(&pngData, img)
	if err := d.Image(pngData.Bytes(), 10); err != nil {
		t.Fatal(err)
	}
	d.Heading(2, "二、主要指标")
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		parts[f.Name] = string(b)
		if strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels") {
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Errorf("%s: not well-formed: %v", f.Name, err)
					break
				}
			}
		}
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/settings.xml",
		"word/header1.xml", "word/footer1.xml", "word/_rels/document.xml.rels", "word/media/image1.png", "docProps/core.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("no part %s", name)
		}
	}
	for _, target := range []string{"styles.xml", "settings.xml", "header1.xml", "footer1.xml", "media/image1.png"} {
		if !strings.Contains(parts["word/_rels/document.xml.rels"], `Target="`+target+`"`) {
			t.Errorf("document relationships lack %s", target)
		}
	}
	doc := parts["word/document.xml"]
	for _, want := range []string{"烟台市 &#34;十四五&#34; 规划 &amp; &lt;总结&gt;", "a&lt;b", `TOC \o "1-3"`, `w:val="Heading1"`, `w:val="ReportTable"`,
		`<w:tblHeader/>`, `r:embed="rIdImage1"`, "第一行</w:t><w:br/>"} {
		if !strings.Contains(doc, want) && !strings.Contains(strings.ReplaceAll(doc, "<w:br/>", ""), want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}
	// The table of contents comes before the first heading and lists both.
	toc, first := strings.Index(doc, "TOC \\o"), strings.Index(doc, `<w:pStyle w:val="Heading1"/>`)
	if toc < 0 || toc > first || !strings.Contains(doc[:first], "二、主要指标") {
		t.Errorf("the table of contents is not before the headings or does not list them")
	}
	if !strings.Contains(parts["word/header1.xml"], "草稿 DRAFT") {
		t.Errorf("header: %s", parts["word/header1.xml"])
	}
}
