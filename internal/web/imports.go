package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// maxUpload bounds an uploaded file: a Yantai-size year of students is about 60 MB as
// CSV.
const maxUpload = 1 << 30

// importOutcome is what an upload came to: the batch accepted, or the reports of a
// refused file and the status to answer with.
type importOutcome struct {
	Status    int
	Batch     *store.Batch
	Unchanged bool
	Reports   []*ingest.Report
	// Fresh is how long after the commit the indicators were recomputed.
	Fresh time.Duration
	// DryRun: the upload was a preview, nothing changed; Changes are the snapshots it
	// replaced (or, previewed, would replace).
	DryRun  bool
	Changes []ingest.Change
	// Refusal is why nothing was imported, if it was refused (its Reports say the rest).
	Refusal *ingest.RejectedError
}

// changeAnswer is a replaced snapshot as the API gives it: the counts, and the change
// in words.
type changeAnswer struct {
	ingest.Change
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}

func (s *Server) changeAnswers(changes []ingest.Change) []changeAnswer {
	out := make([]changeAnswer, len(changes))
	for i, c := range changes {
		zh, en := c.Describe(s.pack)
		out[i] = changeAnswer{Change: c, Message: zh, MessageEn: en}
	}
	return out
}

// importAnswer is the API's answer to an accepted upload: the batch, its report (for
// the warnings), and how long the indicators took to be fresh.
type importAnswer struct {
	store.Batch
	Report       *ingest.Report `json:"report"`
	FreshSeconds float64        `json:"fresh_seconds"`
	Changes      []changeAnswer `json:"changes"`
}

// importRefusal is the API's answer to a refused upload: the error and every file's
// row-level report, as the CLI's --json gives them.
type importRefusal struct {
	Error   errorDetail      `json:"error"`
	Reports []*ingest.Report `json:"reports"`
	// Formats is where the file formats are described.
	Formats string `json:"formats"`
}

// importUpload takes a multipart upload (field file; optional fields kind, dry_run and
// allow_shrink) and imports it in the caller's scope: the same ImportFiles as the CLI's, so the same validation,
// the same scope rule and the same atomicity.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) (*importOutcome, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, plan.Errorf(plan.EINVALID, "应为 multipart/form-data 上传，含 file 字段", "want a multipart/form-data upload with a file field")
	}
	dir, err := os.MkdirTemp(s.uploadDir, uploadPrefix)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	var path string
	var kind ingest.Kind
	var dryRun, allowShrink bool
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, uploadError(err)
		}
		switch part.FormName() {
		case "file":
			if path != "" {
				return nil, plan.Errorf(plan.EINVALID, "一次只能上传一个文件", "upload one file at a time")
			}
			if path, err = saveUpload(dir, part); err != nil {
				return nil, err
			}
		case "dry_run", "allow_shrink":
			b, err := io.ReadAll(io.LimitReader(part, 64))
			if err != nil {
				return nil, uploadError(err)
			}
			on := formTrue(string(b))
			if part.FormName() == "dry_run" {
				dryRun = on
			} else {
				allowShrink = on
			}
		case "kind":
			b, err := io.ReadAll(io.LimitReader(part, 64))
			if err != nil {
				return nil, uploadError(err)
			}
			if v := strings.TrimSpace(string(b)); v != "" {
				if kind, err = ingest.ParseKindIn(v, s.pack); err != nil {
					return nil, err
				}
			}
		}
	}
	if path == "" {
		return nil, plan.Errorf(plan.EINVALID, "缺少 file 字段（要导入的文件）", "missing the file field (the file to import)")
	}
	p := s.principalOf(r)
	res, err := ingest.ImportFiles(r.Context(), s.db, s.pack, p.Scope(s.pack), []string{path}, ingest.Options{Kind: kind, User: p.User, Remote: remoteOf(r), DryRun: dryRun, AllowShrink: allowShrink})
	var rej *ingest.RejectedError
	if errors.As(err, &rej) {
		return &importOutcome{Status: statusOf(err), Reports: rej.Reports, Refusal: rej}, nil
	}
	if err != nil {
		return nil, err
	}
	out := &importOutcome{Status: http.StatusOK, Unchanged: len(res.Batches) == 0, Reports: res.Reports, DryRun: res.DryRun, Changes: res.Changes}
	if len(res.Batches) > 0 && !res.DryRun {
		out.Status = http.StatusCreated
		out.Batch = &res.Batches[0]
		start := time.Now()
		if s.reload != nil {
			if err := s.reload(r.Context(), res.Replaced); err != nil {
				return nil, fmt.Errorf("recompute indicators after batch %d: %w", out.Batch.ID, err)
			}
		}
		out.Fresh = time.Since(start)
	}
	return out, nil
}

// formTrue reports whether a checkbox or flag field is set: "1", "on", "true", "yes".
func formTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "on", "true", "yes":
		return true
	}
	return false
}

// saveUpload writes an uploaded file into dir under its own base name (so that reports
// name the file as the user knows it).
func saveUpload(dir string, part *multipart.Part) (string, error) {
	name := filepath.Base(filepath.Clean("/" + strings.ReplaceAll(part.FileName(), "\\", "/")))
	if name == "/" || name == "." || name == "" {
		name = "upload.csv"
	}
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, part); err != nil {
		f.Close()
		return "", uploadError(err)
	}
	return path, f.Close()
}

func uploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return plan.Errorf(plan.EINVALID, "文件过大：上限 %d MB", "file too large: at most %d MB", mbe.Limit>>20)
	}
	return plan.Errorf(plan.EINVALID, "上传读取失败：%v", "reading the upload failed: %v", err)
}

func (s *Server) handleImportAPI(w http.ResponseWriter, r *http.Request) {
	out, err := s.importUpload(w, r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	switch {
	case out.Refusal != nil:
		_, d := s.errorOf(r, out.Refusal)
		writeJSON(w, out.Status, importRefusal{Reports: out.Reports, Formats: "/formats", Error: d})
	case out.DryRun:
		s.respond(w, r, map[string]any{"dry_run": true, "unchanged": out.Unchanged, "changes": s.changeAnswers(out.Changes), "reports": out.Reports})
	case out.Unchanged:
		s.respond(w, r, map[string]any{"unchanged": true, "reports": out.Reports})
	default:
		var rep *ingest.Report
		if len(out.Reports) > 0 {
			rep = out.Reports[0]
		}
		w.Header().Set("Location", "/api/v1/batches#"+strconv.FormatInt(out.Batch.ID, 10))
		s.respondStatus(w, r, http.StatusCreated, importAnswer{Batch: *out.Batch, Report: rep, FreshSeconds: out.Fresh.Seconds(), Changes: s.changeAnswers(out.Changes)})
	}
}

// importsPage is the web form to upload a file, and what came of the last upload.
// kindOption is a kind of data in the upload form: its code is sent, its name shown.
type kindOption struct{ Code, Label string }

type importsPage struct {
	page
	Kinds   []kindOption
	Outcome *importOutcome
	Errors  []ingest.RowError
	Message string
	Scope   string
	// Changes are the outcome's replaced snapshots in words, in the page's language.
	Changes []string
	// FormatsURL is the format reference's page.
	FormatsURL string
}

func (s *Server) handleImportsPage(w http.ResponseWriter, r *http.Request) {
	s.renderImports(w, r, nil, nil)
}

func (s *Server) handleImportsPost(w http.ResponseWriter, r *http.Request) {
	out, err := s.importUpload(w, r)
	if err != nil && plan.ErrorCode(err) != plan.EINVALID {
		s.pageError(w, r, err)
		return
	}
	s.renderImports(w, r, out, err)
}

func (s *Server) renderImports(w http.ResponseWriter, r *http.Request, out *importOutcome, uploadErr error) {
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := s.newPage(r, demo)
	p.Title = locale.T(p.Lang, "import_nav")
	pr := s.principalOf(r)
	ip := importsPage{page: p, FormatsURL: p.link("/formats", nil), Outcome: out, Scope: pr.Org}
	for _, k := range ingest.KindsIn(s.pack) {
		ip.Kinds = append(ip.Kinds, kindOption{Code: string(k), Label: kindLabel(s.pack, p.Lang, string(k))})
	}
	if o := s.pack.Org(pr.Org); o != nil {
		ip.Scope = pick(p.Lang, o.Name, o.NameEn)
	}
	status := http.StatusOK
	if uploadErr != nil {
		zh, en := plan.ErrorMessages(uploadErr)
		ip.Message = pick(p.Lang, zh, en)
		status = statusOf(uploadErr)
	} else if out != nil {
		for _, rep := range out.Reports {
			ip.Errors = append(ip.Errors, rep.Errors...)
		}
		for _, c := range out.Changes {
			zh, en := c.Describe(s.pack)
			ip.Changes = append(ip.Changes, pick(p.Lang, zh, en))
		}
		ip.Errors = ip.Errors[:min(len(ip.Errors), 200)]
		slices.SortStableFunc(ip.Errors, func(a, b ingest.RowError) int { return a.Row - b.Row })
		if out.Status != http.StatusCreated {
			status = out.Status
		}
	}
	s.renderPageStatus(w, r, status, "imports", ip)
}
