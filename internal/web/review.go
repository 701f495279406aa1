package web

import (
	"io"
	"net/http"

	"github.com/yantai-edu/eduplan/internal/progress"
)

// handleReview answers a review (the final one at the plan's end year unless ?kind= and
// ?as_of= say otherwise): the edition of it last published, or with live=true — or while
// none is published — the live figures (progress.ReviewAt) in the caller's scope.
// X-Eduplan-Edition says which. JSON, or with format=csv its CSV.
func (s *Server) handleReview(w http.ResponseWriter, r *http.Request) {
	format, err := formatParam(r, "csv")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rev, ed, _, _, err := s.reviewOf(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	editionHeaders(w, ed)
	if format == "csv" {
		s.respondCSV(w, r, "review.csv", func(w io.Writer) error { return progress.WriteReviewCSV(w, rev) })
		return
	}
	s.respond(w, r, rev)
}
