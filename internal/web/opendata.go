package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
)

// Open data (开放共享, the plan's task 26): every published edition is a data set with
// CSV and XLSX distributions, catalogued at GET /api/v1/datasets as DCAT JSON-LD for a
// portal to harvest, downloadable at /api/v1/datasets/{n}/{file}, listed at /open-data.

// licence is the data sets' licence. CC BY 4.0 is eduplan's default for what the bureau
// publishes; a bureau with other terms changes it here.
const licence = "https://creativecommons.org/licenses/by/4.0/"

// distribution is one file of a data set.
type distribution struct {
	File, MediaType, TitleZh, TitleEn string
	write                             func(*edition.Content) ([]byte, error)
}

var distributions = []distribution{
	{"values.csv", "text/csv", "指标数值（CSV）", "Indicator values (CSV)", func(c *edition.Content) ([]byte, error) {
		var b bytes.Buffer
		err := edition.WriteFiguresCSV(&b, c)
		return b.Bytes(), err
	}},
	{"progress.csv", "text/csv", "进展评估（CSV）", "Progress (CSV)", func(c *edition.Content) ([]byte, error) {
		var b bytes.Buffer
		rows := append([]progress.Row{}, c.Progress...)
		for _, r := range c.Commitments {
			rows = append(rows, r.Row)
		}
		err := progress.WriteCSV(&b, rows)
		return b.Bytes(), err
	}},
	{"values.xlsx", xlsxType, "指标数值（XLSX）", "Indicator values (XLSX)", func(c *edition.Content) ([]byte, error) {
		vs := make([]indicator.Value, len(c.Figures))
		for i, f := range c.Figures {
			vs[i] = indicator.Value{Indicator: f.Measure, Org: f.Org, Year: f.Year, Value: f.Value.V, OK: f.Value.OK}
		}
		wb, err := valuesWorkbook(vs)
		if err != nil {
			return nil, err
		}
		defer wb.Close()
		var b bytes.Buffer
		_, err = wb.WriteTo(&b)
		return b.Bytes(), err
	}},
}

// publishedEditions are the published editions, newest first, with their content.
func (s *Server) publishedEditions(r *http.Request) ([]*edition.Edition, error) {
	hs, err := edition.List(r.Context(), s.db, s.pack)
	if err != nil {
		return nil, err
	}
	var out []*edition.Edition
	for _, h := range hs {
		if !h.Published() {
			continue
		}
		ed, err := edition.Open(r.Context(), s.db, s.pack, h.Number)
		if err != nil {
			return nil, err
		}
		out = append(out, ed)
	}
	return out, nil
}

// catalogue is the DCAT catalogue of the published editions, in JSON-LD.
func (s *Server) catalogue(r *http.Request, eds []*edition.Edition) (map[string]any, error) {
	base := "http://" + r.Host
	if r.TLS != nil {
		base = "https://" + r.Host
	}
	publisher := map[string]any{"@type": "foaf:Organization", "foaf:name": s.pack.Top().Name + "教育局"}
	datasets := []any{}
	for _, ed := range eds {
		c := ed.Content
		zh, en := edition.KindLabel(c.Kind)
		var dists []any
		for _, d := range distributions {
			b, err := d.write(c)
			if err != nil {
				return nil, err
			}
			sum := sha256.Sum256(b)
			dists = append(dists, map[string]any{
				"@type": "dcat:Distribution", "dct:title": []any{lit(d.TitleZh, "zh"), lit(d.TitleEn, "en")},
				"dcat:downloadURL": map[string]any{"@id": fmt.Sprintf("%s/api/v1/datasets/%d/%s", base, ed.Number, d.File)},
				"dcat:mediaType":   d.MediaType, "dcat:byteSize": len(b), "dct:license": map[string]any{"@id": licence},
				"spdx:checksum": map[string]any{"@type": "spdx:Checksum", "spdx:algorithm": map[string]any{"@id": "spdx:checksumAlgorithm_sha256"},
					"spdx:checksumValue": hex.EncodeToString(sum[:])},
			})
		}
		datasets = append(datasets, map[string]any{
			"@id": fmt.Sprintf("%s/editions/%d", base, ed.Number), "@type": "dcat:Dataset",
			"dct:identifier": fmt.Sprintf("%s/edition/%d", c.Plan, ed.Number),
			"dct:title":      []any{lit(ed.Title, "zh"), lit(c.PlanNameEn+": "+en, "en")},
			"dct:description": []any{
				lit(fmt.Sprintf("%s%s（截至 %d 年数据）已发布版本 %d 的全部指标数值与进展评估，按市和区县市、逐年列出；SHA-256 %s。", c.PlanName, zh, c.AsOf, ed.Number, ed.SHA256), "zh"),
				lit(fmt.Sprintf("Every indicator value and progress assessment of published edition %d of the %s of the %s (data up to %d), for the city and each district, year by year; SHA-256 %s.",
					ed.Number, en, c.PlanNameEn, c.AsOf, ed.SHA256), "en")},
			"dct:publisher": publisher,
			"dct:issued":    map[string]any{"@value": ed.PublishedAt.UTC().Format("2006-01-02"), "@type": "xsd:date"},
			"dct:temporal": map[string]any{"@type": "dct:PeriodOfTime",
				"dcat:startDate": map[string]any{"@value": strconv.Itoa(s.pack.BaselineYear), "@type": "xsd:gYear"},
				"dcat:endDate":   map[string]any{"@value": strconv.Itoa(c.AsOf), "@type": "xsd:gYear"}},
			"dct:spatial":       lit(s.pack.Top().Name, "zh"),
			"dct:license":       map[string]any{"@id": licence},
			"dcat:keyword":      []any{lit("教育", "zh"), lit("规划评估", "zh"), lit("education", "en"), lit("plan evaluation", "en")},
			"dcat:distribution": dists,
		})
	}
	return map[string]any{
		"@context": map[string]any{"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
			"spdx": "http://spdx.org/rdf/terms#", "xsd": "http://www.w3.org/2001/XMLSchema#"},
		"@id": base + "/api/v1/datasets", "@type": "dcat:Catalog",
		"dct:title":     []any{lit(s.pack.Name+"开放数据", "zh"), lit(s.pack.NameEn+": open data", "en")},
		"dct:publisher": publisher, "dct:license": map[string]any{"@id": licence},
		"dcat:dataset": datasets,
	}, nil
}

func lit(v, lang string) map[string]any { return map[string]any{"@value": v, "@language": lang} }

func (s *Server) handleDatasets(w http.ResponseWriter, r *http.Request) {
	eds, err := s.publishedEditions(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	cat, err := s.catalogue(r, eds)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	// JSON-LD as it is, not in the API's envelope: a portal harvests it.
	b, err := json.MarshalIndent(cat, "", "  ")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/ld+json; charset=utf-8")
	w.Write(append(b, '\n'))
}

// openDataPage lists the data sets.
type openDataPage struct {
	page
	Sets       []dataSetRow
	Catalogue  string
	LicenceURL string
}

type dataSetRow struct {
	Number    int
	Title     string
	AsOf      int
	Published string
	URL       string
	Files     []dataSetFile
}

type dataSetFile struct{ Name, URL string }

func (s *Server) handleOpenDataPage(w http.ResponseWriter, r *http.Request) {
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, fmt.Errorf("demo flag: %w", err))
		return
	}
	hs, err := edition.List(r.Context(), s.db, s.pack)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := s.newPage(r, demo)
	p.Title = locale.T(p.Lang, "open_data_title")
	v := openDataPage{page: p, Catalogue: "/api/v1/datasets", LicenceURL: licence}
	for _, h := range hs {
		if !h.Published() {
			continue
		}
		row := dataSetRow{Number: h.Number, Title: h.Title, AsOf: h.AsOf, Published: h.PublishedAt.In(s.zone).Format("2006-01-02"),
			URL: p.link("/editions/"+strconv.Itoa(h.Number), nil)}
		for _, d := range distributions {
			row.Files = append(row.Files, dataSetFile{Name: pick(p.Lang, d.TitleZh, d.TitleEn), URL: fmt.Sprintf("/api/v1/datasets/%d/%s", h.Number, d.File)})
		}
		v.Sets = append(v.Sets, row)
	}
	s.renderPage(w, r, "opendata", v)
}

func (s *Server) handleDatasetFile(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		s.apiError(w, r, plan.Errorf(plan.ENOTFOUND, "数据集 %q 不存在", "no data set %q", r.PathValue("n")))
		return
	}
	ed, err := edition.Open(r.Context(), s.db, s.pack, n)
	if err == nil && !ed.Published() {
		err = plan.Errorf(plan.ENOTFOUND, "数据集 %d 不存在：版本 %d 尚未发布", "no data set %d: edition %d is not published", n, n)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	for _, d := range distributions {
		if d.File != r.PathValue("file") {
			continue
		}
		b, err := d.write(ed.Content)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", d.MediaType)
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fmt.Sprintf("edition-%d-%s", n, d.File)))
		w.Write(b)
		return
	}
	s.apiError(w, r, plan.Errorf(plan.ENOTFOUND, "数据集 %d 没有文件 %q", "data set %d has no file %q", n, r.PathValue("file")))
}
