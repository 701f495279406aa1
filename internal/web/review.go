package web

import (
	"io"
	"net/http"

	"github.com/yantai-edu/eduplan/internal/progress"
)

// handleReview answers the final review at the plan's end year (progress.FinalReview):
// JSON, or with format=csv its CSV.
func (s *Server) handleReview(w http.ResponseWriter, r *http.Request) {
	format, err := formatParam(r, "csv")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rev, err := progress.FinalReview(s.engine(), s.scopeFor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if format == "csv" {
		s.respondCSV(w, r, "review.csv", func(w io.Writer) error { return progress.WriteReviewCSV(w, rev) })
		return
	}
	s.respond(w, r, rev)
}
