package report

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"
)

// HTMLOptions are the links of the HTML report: the DOCX download, and back to the
// review's page.
type HTMLOptions struct {
	DocxURL string
	BackURL string
}

// WriteHTML writes the report as one print-ready HTML page: A4 pages, each chapter on a
// new page, the charts inline, the report's mark at the top of every printed page (a
// page margin box) and of the screen, and a button to download the DOCX (hidden when
// printed).
func (r *Report) WriteHTML(w io.Writer, opt HTMLOptions) error {
	lang := "zh-CN"
	if r.Lang == "en" {
		lang = "en"
	}
	var body strings.Builder
	var toc strings.Builder
	n := 0
	for _, b := range r.Blocks {
		switch b.Kind {
		case Heading:
			n++
			id := fmt.Sprintf("s%d", n)
			fmt.Fprintf(&body, "<h%d id=%q>%s</h%d>\n", b.Level+1, id, template.HTMLEscapeString(b.Text), b.Level+1)
			fmt.Fprintf(&toc, "<li class=\"toc%d\"><a href=\"#%s\">%s</a></li>\n", b.Level, id, template.HTMLEscapeString(b.Text))
		case Paragraph:
			class := strings.ToLower(b.Style)
			if class == "" {
				class = "body"
			}
			text := template.HTMLEscapeString(b.Text)
			text = strings.ReplaceAll(text, "\n", "<br>")
			tag := "p"
			if b.Style == "Title" {
				tag = "h1"
			}
			fmt.Fprintf(&body, "<%s class=%q>%s</%s>\n", tag, class, text, tag)
		case TableBlock:
			body.WriteString("<table>\n<thead><tr>")
			for i, h := range b.Table.Header {
				fmt.Fprintf(&body, "<th%s>%s</th>", numClass(b.Table.Right, i), template.HTMLEscapeString(h))
			}
			body.WriteString("</tr></thead>\n<tbody>\n")
			for _, row := range b.Table.Rows {
				body.WriteString("<tr>")
				for i, c := range row {
					fmt.Fprintf(&body, "<td%s>%s</td>", numClass(b.Table.Right, i), strings.ReplaceAll(template.HTMLEscapeString(c), "\n", "<br>"))
				}
				body.WriteString("</tr>\n")
			}
			body.WriteString("</tbody></table>\n")
		case Chart:
			fmt.Fprintf(&body, "<figure><img alt=\"\" src=\"data:image/png;base64,%s\"></figure>\n", base64.StdEncoding.EncodeToString(b.PNG))
		case PageBreak:
			body.WriteString("<div class=\"page-break\"></div>\n")
		case Contents:
			fmt.Fprintf(&body, "<nav class=\"contents\"><h2>%s</h2><ol>\x00TOC\x00</ol></nav>\n", template.HTMLEscapeString(b.Text))
		}
	}
	html := strings.Replace(body.String(), "\x00TOC\x00", toc.String(), 1)
	download, back := "下载 Word 文档", "返回"
	if r.Lang == "en" {
		download, back = "Download the Word document", "Back"
	}
	draft := ""
	if r.Draft {
		draft = " draft"
	}
	style := fmt.Sprintf(htmlStyle, cssString(r.Mark))
	_, err := fmt.Fprintf(w, `<!doctype html>
<html lang=%q>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>%s</style>
</head>
<body class="report%s">
<div class="mark" role="note">%s</div>
<div class="toolbar"><a href="%s">%s</a><a href="%s" download>%s</a></div>
%s</body>
</html>
`, lang, template.HTMLEscapeString(r.Title), style, draft, template.HTMLEscapeString(r.Mark), template.HTMLEscapeString(opt.BackURL), back, template.HTMLEscapeString(opt.DocxURL), download, html)
	return err
}

// htmlStyle is the report page's style sheet; it takes the mark printed at the top of
// every page.
const htmlStyle = `@page { size: A4; margin: 22mm 18mm 20mm;
  @top-center { content: "%s"; font-size: 8pt; color: #c00000; }
  @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", serif; font-size: 11pt; line-height: 1.6; margin: 0 auto; max-width: 180mm; padding: 1rem; color: #111; }
h1.title { text-align: center; font-family: "SimHei", "Heiti SC", "WenQuanYi Micro Hei", sans-serif; font-size: 22pt; margin: 30mm 0 10mm; }
h2, h3, h4 { font-family: "SimHei", "Heiti SC", "WenQuanYi Micro Hei", sans-serif; }
h2 { font-size: 16pt; break-before: page; page-break-before: always; margin-top: 0; }
h3 { font-size: 14pt; } h4 { font-size: 12pt; }
nav.contents h2 { break-before: auto; page-break-before: auto; }
p.subtitle { text-align: center; font-size: 15pt; }
p.note { color: #555; font-size: 10pt; }
p.caption { text-align: center; font-size: 10pt; margin-top: .2rem; }
.draft p.subtitle:nth-of-type(2) { color: #c00000; font-weight: bold; }
table { width: 100%%; border-collapse: collapse; font-size: 9pt; margin: .5rem 0 1rem; }
th, td { border: 1px solid #808080; padding: 2px 4px; vertical-align: top; }
thead th { background: #d9e2f3; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; }
figure { margin: .5rem 0 0; text-align: center; break-inside: avoid; page-break-inside: avoid; }
figure img { width: 100%%; max-width: 160mm; }
.page-break { break-after: page; page-break-after: always; }
.mark { text-align: center; font-size: 9pt; color: #c00000; padding: 2px; border-bottom: 1px solid #e0b0b0; }
.toolbar { position: sticky; top: 1.5rem; text-align: right; }
.toolbar a { display: inline-block; padding: .3rem .8rem; border: 1px solid #1f5faa; border-radius: 4px; color: #1f5faa; text-decoration: none; background: #fff; margin-left: .5rem; }
nav.contents ol { list-style: none; padding-left: 0; } li.toc2 { padding-left: 1.5em; } li.toc3 { padding-left: 3em; }
@media print { .toolbar, .mark { display: none; } body { max-width: none; padding: 0; } }
`

// HTMLPolicy is the Content-Security-Policy the HTML report needs and no more: its own
// style sheet (by its hash), its charts (data: images), nothing else — no script.
func (r *Report) HTMLPolicy() string {
	sum := sha256.Sum256([]byte(fmt.Sprintf(htmlStyle, cssString(r.Mark))))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

// cssString is s as the inside of a CSS string: quotes and backslashes escaped, and
// nothing that could close the style element.
func cssString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '<' || r == '>' || r < 0x20:
			fmt.Fprintf(&b, "\\%x ", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func numClass(right []bool, i int) string {
	if i < len(right) && right[i] {
		return ` class="num"`
	}
	return ""
}
