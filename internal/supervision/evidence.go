package supervision

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Bounds on evidence files.
const (
	// EvidenceMax is the largest evidence file accepted (20 MiB): a scanned document of
	// some pages. A larger one is refused after reading one byte past the bound.
	EvidenceMax = 20 << 20
	// zipExpandMax bounds what an Office document's parts expand to, read for real, not
	// as the archive claims (a zip bomb lies in its headers); a small document may expand
	// zipRatio times its size, or zipExpandMin, whichever is more.
	zipExpandMax  = 100 << 20
	zipExpandMin  = 10 << 20
	zipRatio      = 100
	zipEntriesMax = 5000
)

// Media types evidence may have, found from the content.
const (
	TypePDF  = "application/pdf"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeGIF  = "image/gif"
	TypeWebP = "image/webp"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
)

// extTypes are the file-name extensions that name a type: a name naming another type
// than the content is refused (a PDF named .png).
var extTypes = map[string]string{
	".pdf": TypePDF, ".png": TypePNG, ".jpg": TypeJPEG, ".jpeg": TypeJPEG, ".gif": TypeGIF, ".webp": TypeWebP,
	".docx": TypeDOCX, ".xlsx": TypeXLSX, ".pptx": TypePPTX,
}

// typeExts is the extension given to a file whose name does not end in one of its
// type's.
var typeExts = map[string]string{
	TypePDF: ".pdf", TypePNG: ".png", TypeJPEG: ".jpg", TypeGIF: ".gif", TypeWebP: ".webp",
	TypeDOCX: ".docx", TypeXLSX: ".xlsx", TypePPTX: ".pptx",
}

// maxName bounds an evidence file's name, in bytes.
const maxName = 200

// cleanName is the name an uploaded file is stored, shown and offered for download
// under: its last path element, valid UTF-8 without control or format characters (a
// right-to-left override would show "evil\u202efdp.exe" as "evilexe.pdf"), at most
// maxName bytes cut between characters, its extension kept.
func cleanName(raw string) string {
	name := path.Base(strings.ReplaceAll(strings.ToValidUTF8(raw, ""), "\\", "/"))
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name))
	if name == "." || name == ".." || name == "/" {
		name = ""
	}
	ext := path.Ext(name)
	if len(ext) > 16 {
		ext = ""
	}
	return fitName(strings.TrimSuffix(name, ext), ext)
}

// fitName joins a name's stem and extension, cutting the stem between characters so
// that the whole is at most maxName bytes; an empty stem is "evidence".
func fitName(stem, ext string) string {
	if stem == "" {
		stem = "evidence"
	}
	for len(stem)+len(ext) > maxName && stem != "" {
		_, n := utf8.DecodeLastRuneInString(stem)
		stem = stem[:len(stem)-n]
	}
	return stem + ext
}

// TypeLabel names a media type for a person.
func TypeLabel(t string) string {
	switch t {
	case TypePDF:
		return "PDF"
	case TypePNG, TypeJPEG, TypeGIF, TypeWebP:
		return strings.ToUpper(strings.TrimPrefix(t, "image/"))
	case TypeDOCX:
		return "Word"
	case TypeXLSX:
		return "Excel"
	case TypePPTX:
		return "PowerPoint"
	}
	return t
}

// File is an uploaded evidence file, read once.
type File struct {
	Name string
	R    io.Reader
}

// checked is an evidence file that passed the checks, read into memory.
type checked struct {
	name, mediaType, sha string
	data                 []byte
}

func refuse(zh, en string, args ...any) error { return plan.Errorf(plan.EINVALID, zh, en, args...) }

// CheckEvidence reads an evidence file up to the bound and finds its type from its
// content (magic bytes; an Office document's parts are read to the end under a bound on
// what they expand to). HTML, SVG, XML, scripts and anything else not a PDF, an image or
// an Office Open XML document are refused, and so is a macro-enabled document and a
// file whose name says another type than its content.
func CheckEvidence(f File) (name, mediaType string, data []byte, err error) {
	c, err := checkFile(f)
	if err != nil {
		return "", "", nil, err
	}
	return c.name, c.mediaType, c.data, nil
}

func checkFile(f File) (checked, error) {
	name := cleanName(f.Name)
	data, err := io.ReadAll(io.LimitReader(f.R, EvidenceMax+1))
	if err != nil {
		return checked{}, err
	}
	if len(data) > EvidenceMax {
		return checked{}, refuse("佐证材料 %s 超过 %d MB 上限", "evidence %s is larger than the %d MB limit", name, EvidenceMax>>20)
	}
	if len(data) == 0 {
		return checked{}, refuse("佐证材料 %s 是空文件", "evidence %s is empty", name)
	}
	t, err := sniff(data)
	if err != nil {
		return checked{}, err
	}
	if want, ok := extTypes[strings.ToLower(path.Ext(name))]; ok && want != t {
		return checked{}, refuse("%s 的文件名表明是 %s，内容却是 %s：请改正文件名", "%s is named as %s but its content is %s: correct the name",
			name, TypeLabel(want), TypeLabel(t))
	}
	if want := extTypes[strings.ToLower(path.Ext(name))]; want != t {
		name = fitName(strings.TrimSuffix(name, path.Ext(name)), path.Ext(name)+typeExts[t])
	}
	sum := sha256.Sum256(data)
	return checked{name: name, mediaType: t, sha: hex.EncodeToString(sum[:]), data: data}, nil
}

// sniff finds the type of evidence from its first bytes.
func sniff(b []byte) (string, error) {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return TypePDF, nil
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG, nil
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return TypeJPEG, nil
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return TypeGIF, nil
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return TypeWebP, nil
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return officeType(b)
	case bytes.HasPrefix(b, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return "", refuse("不接受旧版 Office 二进制文件（.doc/.xls/.ppt，可能含宏）：请另存为 .docx/.xlsx/.pptx 或 PDF",
			"old binary Office files (.doc/.xls/.ppt, which may carry macros) are not accepted: save as .docx/.xlsx/.pptx or PDF")
	}
	head := bytes.TrimLeft(bytes.TrimPrefix(b[:min(len(b), 1024)], []byte("\xef\xbb\xbf")), " \t\r\n")
	if bytes.HasPrefix(head, []byte("<")) {
		return "", refuse("不接受 HTML、SVG 或 XML 文件（可能含脚本）", "HTML, SVG and XML files are not accepted (they may carry scripts)")
	}
	return "", refuse("只接受 PDF、图片（PNG、JPEG、GIF、WebP）和 Office 文档（.docx、.xlsx、.pptx）",
		"only PDF, images (PNG, JPEG, GIF, WebP) and Office documents (.docx, .xlsx, .pptx) are accepted")
}

var errBomb = errors.New("zip expands past the bound")

// officeType checks a zip: an Office Open XML document whose parts, read for real,
// expand to at most zipExpandMax, with no macros.
func officeType(b []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", refuse("文件损坏：不是有效的 Office 文档", "the file is damaged: not a valid Office document")
	}
	if len(zr.File) > zipEntriesMax {
		return "", refuse("Office 文档包含的部件过多", "the Office document has too many parts")
	}
	t, types := "", false
	left := min(int64(zipExpandMax), max(int64(zipExpandMin), int64(zipRatio)*int64(len(b))))
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		switch {
		case name == "[content_types].xml":
			types = true
		case strings.HasPrefix(name, "word/document"):
			t = TypeDOCX
		case strings.HasPrefix(name, "xl/workbook"):
			t = TypeXLSX
		case strings.HasPrefix(name, "ppt/presentation"):
			t = TypePPTX
		}
		if strings.HasSuffix(name, "vbaproject.bin") {
			return "", refuse("不接受含宏的 Office 文档", "Office documents with macros are not accepted")
		}
		var n int64
		var err error
		if strings.HasSuffix(name, ".rels") {
			n, err = checkRels(f, left)
		} else {
			n, err = expand(f, left)
		}
		if errors.Is(err, errExternal) {
			return "", refuse("不接受打开时会从外部获取内容的 Office 文档（外部模板、链接的对象或图片）：请嵌入内容后另存",
				"Office documents that fetch content from elsewhere when opened (a remote template, a linked object or picture) are not accepted: embed the content and save again")
		} else if errors.Is(err, errBomb) {
			return "", refuse("Office 文档解压后过大（疑似压缩炸弹）", "the Office document expands too far (a zip bomb?)")
		} else if err != nil {
			return "", refuse("文件损坏：不是有效的 Office 文档", "the file is damaged: not a valid Office document")
		}
		left -= n
	}
	if !types || t == "" {
		return "", refuse("只接受 Office 文档（.docx、.xlsx、.pptx）这一种 zip 文件", "the only zip files accepted are Office documents (.docx, .xlsx, .pptx)")
	}
	return t, nil
}

var errExternal = errors.New("the document fetches an external target when opened")

// checkRels reads a relationships part, at most left bytes (errBomb past that), and
// fails with errExternal on a relationship to an external target of any type but a
// hyperlink: Word and Excel fetch a remote template, an OLE object (the way of
// CVE-2022-30190), a frame or a linked picture when the document opens, and a
// hyperlink only when clicked.
func checkRels(f *zip.File, left int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, left+1))
	n := int64(len(data))
	if err != nil {
		return n, err
	}
	if n > left {
		return n, errBomb
	}
	var rels struct {
		Rel []struct {
			Type       string `xml:"Type,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(data, &rels); err != nil {
		return n, err
	}
	for _, r := range rels.Rel {
		if strings.EqualFold(strings.TrimSpace(r.TargetMode), "External") && !strings.HasSuffix(r.Type, "/hyperlink") {
			return n, errExternal
		}
	}
	return n, nil
}

// expand reads a zip entry to its end, at most left bytes (errBomb past that).
func expand(f *zip.File, left int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	n, err := io.Copy(io.Discard, io.LimitReader(rc, left+1))
	if err != nil {
		return n, err
	}
	if n > left {
		return n, errBomb
	}
	return n, nil
}

// addEvidence stores checked files in the transaction, filed under where.
func addEvidence(ctx context.Context, tx *store.Tx, by string, where store.SupEvidence, files []checked) ([]int64, error) {
	var ids []int64
	for _, c := range files {
		e := where
		e.Name, e.MediaType, e.Size, e.SHA256, e.Data, e.By = c.name, c.mediaType, int64(len(c.data)), c.sha, c.data, by
		if err := tx.AddEvidence(ctx, &e); err != nil {
			return nil, err
		}
		ids = append(ids, e.ID)
	}
	return ids, nil
}

func checkFiles(files []File) ([]checked, error) {
	var out []checked
	for _, f := range files {
		c, err := checkFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Evidence returns an evidence file, data included, if the actor's scope covers the org
// it was filed for; ENOTFOUND otherwise (an outsider learns nothing of its existence).
func (s *Service) Evidence(ctx context.Context, a Actor, id int64) (store.SupEvidence, error) {
	e, ok, err := s.DB.Supervision(s.Pack.Tenant).EvidenceFile(ctx, id)
	if err != nil {
		return e, err
	}
	if !ok || !s.reads(a, e.Org) {
		return store.SupEvidence{}, plan.Errorf(plan.ENOTFOUND, "佐证材料 %d 不存在", "no evidence %d", id)
	}
	return e, nil
}

// reads reports whether a signed-in actor may read what is filed for an org.
func (s *Service) reads(a Actor, org string) bool {
	return a.User != "" && a.Role != auth.Public && Covers(a.Principal, s.Pack.Tenant, org, s.districtOf(org))
}
