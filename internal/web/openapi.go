package web

import (
	_ "embed"
	"net/http"
)

// openAPI is the hand-written OpenAPI 3.1 document of the API; a test holds it and the
// routes to each other.
//
//go:embed openapi.json
var openAPI []byte

// handleOpenAPI serves the document as it is: tools read it, so it is not enveloped.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(openAPI)
}
