package progress

import (
	"cmp"
	"slices"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// Scorecard is one district's progress on every indicator, beside the city's, and on
// every commitment assessed per district.
type Scorecard struct {
	Org string `json:"org"`
	// Rows are the district's progress rows, in pack order.
	Rows []Row `json:"rows"`
	// Counts are the rows by status.
	Counts map[Status]int `json:"counts"`
	// AtRisk counts binding indicators lagging or regressing.
	AtRisk int `json:"at_risk"`
	// Score is the share of assessed indicators (status other than no_data) that are
	// achieved, ahead or on track; Rank orders districts by it (1 = best), ties broken
	// by fewer at risk, then fewer regressing; districts with nothing assessed come last.
	// Districts equal on all three share a rank (并列), the next rank skipping as many
	// (1, 2, 2, 4).
	Score Number `json:"score"`
	Rank  int    `json:"rank"`
	// Commitments are the district's progress rows on the commitments assessed per
	// district (levels with district), in pack order; CommitmentCounts, CommitmentsAtRisk
	// and CommitmentScore count them as Counts, AtRisk and Score count the headline
	// indicators. The rank stays the headline indicators'.
	Commitments       []CommitmentRow `json:"commitments"`
	CommitmentCounts  map[Status]int  `json:"commitment_counts"`
	CommitmentsAtRisk int             `json:"commitments_at_risk"`
	CommitmentScore   Number          `json:"commitment_score"`
}

// tally counts rows by status: the rows at risk, and the share of those assessed that
// are achieved, ahead or on track.
func tally(rows []Row, counts map[Status]int) (atRisk int, score Number) {
	good, assessed := 0, 0
	for _, r := range rows {
		counts[r.Status]++
		if r.AtRisk {
			atRisk++
		}
		if r.Status != NoData {
			assessed++
		}
		if r.Status == Achieved || r.Status == Ahead || r.Status == OnTrack {
			good++
		}
	}
	if assessed > 0 {
		score = num(float64(good) / float64(assessed))
	}
	return atRisk, score
}

// Scorecards returns a scorecard for each district in the scope, in pack order, ranked
// among themselves.
func Scorecards(e *indicator.Engine, scope plan.Scope) ([]Scorecard, error) {
	rows, err := Assess(e, scope, Query{})
	if err != nil {
		return nil, err
	}
	comms, err := AssessCommitments(e, scope, Query{})
	if err != nil {
		return nil, err
	}
	pack := e.Pack()
	var cards []Scorecard
	for _, d := range pack.Districts() {
		if !e.InScope(scope, d.Code) {
			continue
		}
		c := Scorecard{Org: d.Code, Counts: map[Status]int{}, Commitments: []CommitmentRow{}, CommitmentCounts: map[Status]int{}}
		for _, r := range rows {
			if r.Org == d.Code {
				c.Rows = append(c.Rows, r)
			}
		}
		c.AtRisk, c.Score = tally(c.Rows, c.Counts)
		var cr []Row
		for _, r := range comms {
			if r.Org == d.Code {
				c.Commitments = append(c.Commitments, r)
				cr = append(cr, r.Row)
			}
		}
		c.CommitmentsAtRisk, c.CommitmentScore = tally(cr, c.CommitmentCounts)
		cards = append(cards, c)
	}
	order := make([]*Scorecard, len(cards))
	for i := range cards {
		order[i] = &cards[i]
	}
	slices.SortStableFunc(order, rankOrder)
	for i, c := range order {
		c.Rank = i + 1
		if i > 0 && rankOrder(order[i-1], c) == 0 {
			c.Rank = order[i-1].Rank // 并列: equal statistics share a rank
		}
	}
	return cards, nil
}

// rankOrder orders scorecards by their rank: the higher score first (districts with
// nothing assessed last), then fewer at risk, then fewer regressing.
func rankOrder(a, b *Scorecard) int {
	return cmp.Or(
		boolOrder(a.Score.OK, b.Score.OK),
		cmp.Compare(b.Score.V, a.Score.V),
		cmp.Compare(a.AtRisk, b.AtRisk),
		cmp.Compare(a.Counts[Regressing], b.Counts[Regressing]))
}

// boolOrder orders true before false.
func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}
