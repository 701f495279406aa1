package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/yantai-edu/eduplan/internal/auth"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// openAPIDoc is the part of an OpenAPI 3.1 document the tests read.
type openAPIDoc struct {
	OpenAPI    string                          `json:"openapi"`
	Paths      map[string]map[string]openAPIOp `json:"paths"`
	Components struct {
		Parameters map[string]openAPIParam `json:"parameters"`
	} `json:"components"`
}

type openAPIOp struct {
	OperationID string                `json:"operationId"`
	Security    []map[string][]string `json:"security"`
	Parameters  []openAPIParam        `json:"parameters"`
	RequestBody json.RawMessage       `json:"requestBody"`
	Responses   map[string]struct {
		Ref     string                     `json:"$ref"`
		Content map[string]json.RawMessage `json:"content"`
	} `json:"responses"`
}

type openAPIParam struct {
	Ref      string `json:"$ref"`
	Name     string `json:"name"`
	In       string `json:"in"`
	Required bool   `json:"required"`
	Example  any    `json:"example"`
	Schema   struct {
		Enum []string `json:"enum"`
	} `json:"schema"`
}

func loadOpenAPI(t *testing.T) *openAPIDoc {
	t.Helper()
	res, body := get(t, "/api/v1/openapi.json")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	var doc openAPIDoc
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	return &doc
}

// params returns an operation's parameters with references resolved.
func (d *openAPIDoc) params(t *testing.T, op openAPIOp) []openAPIParam {
	var out []openAPIParam
	for _, p := range op.Parameters {
		if p.Ref != "" {
			name, _ := strings.CutPrefix(p.Ref, "#/components/parameters/")
			r, ok := d.Components.Parameters[name]
			if !ok {
				t.Fatalf("%s: unresolved parameter %s", op.OperationID, p.Ref)
			}
			p = r
		}
		out = append(out, p)
	}
	return out
}

// TestOpenAPIRoutes holds the document and the routes to each other: every /api/v1
// route is documented, and every documented operation is a route.
func TestOpenAPIRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	routes := map[string]bool{}
	for _, rt := range server.Routes() {
		key := rt[0] + " " + rt[1]
		routes[key] = true
		if strings.HasPrefix(rt[1], "/api/v1/") && !documented[key] {
			t.Errorf("route %s is not in openapi.json", key)
		}
	}
	for key := range documented {
		if !routes[key] {
			t.Errorf("openapi.json documents %s, which is not a route", key)
		}
	}
	if len(documented) < 10 {
		t.Errorf("only %d operations documented", len(documented))
	}
}

// TestOpenAPIOperations calls every documented operation with its parameters' examples
// and checks the answer is what the document says: status 200, a documented media type,
// and for JSON under /api/v1 the demo-data envelope.
func TestOpenAPIOperations(t *testing.T) {
	doc := loadOpenAPI(t)
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if method != "get" {
				// Operations that change data are exercised by their own tests (e.g.
				// TestImportAPI); here their document must say what they take and answer.
				if op.RequestBody == nil || op.Responses["401"].Ref == "" {
					t.Errorf("%s %s: a changing operation documents its request body and its 401", method, path)
				}
				continue
			}
			ok := op.Responses["200"]
			if len(ok.Content) == 0 {
				t.Errorf("%s: no documented 200 content", op.OperationID)
				continue
			}
			for _, tc := range requestsFor(t, doc, path, op) {
				res, body := get(t, tc)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s: GET %s: status %d: %.200s", op.OperationID, tc, res.StatusCode, body)
					continue
				}
				mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
				if _, ok := ok.Content[mt]; !ok {
					t.Errorf("%s: GET %s: media type %s is not documented", op.OperationID, tc, mt)
				}
				switch {
				case mt == "application/json" && strings.HasPrefix(path, "/api/v1/") && path != "/api/v1/openapi.json":
					checkEnvelope(t, tc, res, body)
				case mt == "text/csv":
					if _, err := csv.NewReader(bytes.NewReader(body)).ReadAll(); err != nil {
						t.Errorf("%s: GET %s: CSV: %v", op.OperationID, tc, err)
					}
				case mt == xlsxType:
					f, err := excelize.OpenReader(bytes.NewReader(body))
					if err != nil {
						t.Errorf("%s: GET %s: XLSX: %v", op.OperationID, tc, err)
						continue
					}
					f.Close()
				}
			}
			if _, ok := op.Responses["500"]; !ok && strings.HasPrefix(path, "/api/v1/") && path != "/api/v1/openapi.json" {
				t.Errorf("%s: response 500 not documented", op.OperationID)
			}
		}
	}
}

// requestsFor builds the request URLs of an operation from its parameters' examples:
// one with every parameter, and one per other value of an enum parameter.
func requestsFor(t *testing.T, doc *openAPIDoc, path string, op openAPIOp) []string {
	q := url.Values{}
	var enums []openAPIParam
	for _, p := range doc.params(t, op) {
		if p.Example == nil {
			t.Errorf("%s: parameter %s has no example", op.OperationID, p.Name)
			continue
		}
		v := fmt.Sprint(p.Example)
		switch p.In {
		case "path":
			path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(v))
		case "query":
			q.Set(p.Name, v)
			if len(p.Schema.Enum) > 0 {
				enums = append(enums, p)
			}
		default:
			t.Errorf("%s: parameter %s in %s", op.OperationID, p.Name, p.In)
		}
	}
	out := []string{path + "?" + q.Encode()}
	for _, p := range enums {
		for _, v := range p.Schema.Enum {
			if v == fmt.Sprint(p.Example) {
				continue
			}
			q2 := url.Values{}
			for k, vs := range q {
				q2[k] = slices.Clone(vs)
			}
			q2.Set(p.Name, v)
			out = append(out, path+"?"+q2.Encode())
		}
	}
	return out
}

// TestOpenAPISecurity derives from the access table which operations need a signed-in
// caller (an action the public may not take) and holds the document to it: those declare
// the bearer and session schemes and document their 401; the others declare none. The
// document said /quality and /batches were open while they answered 401.
func TestOpenAPISecurity(t *testing.T) {
	doc := loadOpenAPI(t)
	public := auth.Principal{Role: auth.Public}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			pattern := strings.ToUpper(method) + " " + path
			action, ok := server.Access(pattern)
			if !ok {
				t.Errorf("%s is documented but has no access rule", pattern)
				continue
			}
			schemes := map[string]bool{}
			for _, req := range op.Security {
				for name := range req {
					schemes[name] = true
				}
			}
			if public.Can(action) {
				if len(op.Security) > 0 {
					t.Errorf("%s (%s) is open to the public but declares security %v", pattern, action, op.Security)
				}
				continue
			}
			if !schemes["bearer"] || !schemes["session"] {
				t.Errorf("%s needs a signed-in caller (%s) but declares security %v, not bearer and session", pattern, action, op.Security)
			}
			if op.Responses["401"].Ref == "" {
				t.Errorf("%s needs a signed-in caller (%s) but does not document its 401", pattern, action)
			}
		}
	}
}
