// Package edition freezes a review into an edition (版本): every figure of the plan's
// headline indicators and commitments at the city and each district, the inputs and
// import batches behind each, the progress rows, verdicts, district ranking, key
// projects and main tasks, and the pack's version — one canonical JSON document kept
// with its SHA-256, which later imports never change. A correction is a new edition;
// Diff says which figures moved between two, and which batches moved them.
//
// It sits beside ledger in the flow: web, cmd and the report read it; it reads
// progress, ledger, indicator and store.
package edition

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ledger"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Kinds of review.
const (
	// Final is the final review (总结评估) at the plan's end year.
	Final = "final"
	// Midterm is the mid-term review (中期评估), by default at the plan's middle year.
	Midterm = "midterm"
)

// KindLabel returns the kind of review in Chinese and English.
func KindLabel(kind string) (zh, en string) {
	if kind == Midterm {
		return "中期评估", "Mid-term review"
	}
	return "总结评估", "Final review"
}

// DefaultAsOf is the year a review of the kind reads the data up to: the plan's end
// year for the final review, its middle year (rounded up) for the mid-term one.
func DefaultAsOf(pack *plan.Pack, kind string) int {
	if kind == Midterm {
		return (pack.BaselineYear + pack.TargetYear + 1) / 2
	}
	return pack.TargetYear
}

// CheckKind returns an EINVALID error unless kind is final or midterm and the year lies
// in the plan period.
func CheckKind(pack *plan.Pack, kind string, asOf int) error {
	if kind != Final && kind != Midterm {
		return plan.Errorf(plan.EINVALID, "评估类型须为 final（总结评估）或 midterm（中期评估），而不是 %q",
			"the kind of review must be final or midterm, not %q", kind)
	}
	if asOf <= pack.BaselineYear || asOf > pack.TargetYear {
		return plan.Errorf(plan.EINVALID, "评估年份须在 %d 至 %d 之间，而不是 %d", "the year of the review must be %d to %d, not %d",
			pack.BaselineYear+1, pack.TargetYear, asOf)
	}
	return nil
}

// Content is everything an edition freezes. Its JSON (encoding/json: fields in this
// order, map keys sorted, numbers in their shortest exact form) is the canonical
// encoding the hash is taken over.
type Content struct {
	Kind  string `json:"kind"`
	AsOf  int    `json:"as_of"`
	Title string `json:"title"`
	// Plan and PackVersion are the pack's code and version.
	Plan        string `json:"plan"`
	PackVersion string `json:"pack_version"`
	PlanName    string `json:"plan_name"`
	PlanNameEn  string `json:"plan_name_en"`
	// Review is the verdict on every headline indicator and commitment at the city, and
	// the districts that held each back.
	Review *progress.Review `json:"review"`
	// Progress and Commitments are the progress rows of the city and every district.
	Progress    []progress.Row           `json:"progress"`
	Commitments []progress.CommitmentRow `json:"commitments"`
	// Districts are the districts' scorecards, ranked.
	Districts []progress.Scorecard `json:"districts"`
	Projects  []ledger.Project     `json:"projects"`
	Tasks     []ledger.Task        `json:"tasks"`
	// Figures are the values of every headline indicator and commitment at the city and
	// each district, from the baseline year to the review's year, with their inputs.
	Figures []Figure `json:"figures"`
	// Batches are the import batches any figure read, oldest first.
	Batches []Batch `json:"batches"`
	// Orgs are the names of the city and its districts, in pack order.
	Orgs []Org `json:"orgs"`
}

// Figure is one value with the numbers it was computed from.
type Figure struct {
	Measure string          `json:"measure"`
	Org     string          `json:"org"`
	Year    int             `json:"year"`
	Value   progress.Number `json:"value"`
	// Reason says why there is no value.
	Reason   string            `json:"reason,omitempty"`
	ReasonEn string            `json:"reason_en,omitempty"`
	Inputs   []indicator.Input `json:"inputs"`
}

// Batches are the ids of the batches the figure's inputs came from, ascending.
func (f Figure) Batches() []int64 {
	set := map[int64]bool{}
	for _, in := range f.Inputs {
		for _, b := range in.Batches {
			set[b] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// Batch is an import batch behind an edition's figures, as the public may see it.
type Batch struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	File       string    `json:"file"`
	SHA256     string    `json:"sha256"`
	Rows       int       `json:"rows"`
	Years      []int     `json:"years"`
	ImportedAt time.Time `json:"imported_at"`
}

// Org is an org unit's code and names.
type Org struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
}

// OrgName returns an org's name in the language (en or not), its code if unknown.
func (c *Content) OrgName(code string, en bool) string {
	for _, o := range c.Orgs {
		if o.Code == code {
			if en && o.NameEn != "" {
				return o.NameEn
			}
			return o.Name
		}
	}
	return code
}

// Figure returns the figure of a measure at an org in a year, if the content has it.
func (c *Content) Figure(measure, org string, year int) (Figure, bool) {
	for _, f := range c.Figures {
		if f.Measure == measure && f.Org == org && f.Year == year {
			return f, true
		}
	}
	return Figure{}, false
}

// publicScope is what an edition is built for: it is published to everyone, so it
// holds what the public may see (no small counts, nobody's name on a task).
func publicScope(pack *plan.Pack) plan.Scope {
	return plan.Scope{Tenant: pack.Tenant, Org: pack.Tenant, Detail: plan.Public}
}

// Build assesses the review of the kind as of the year on the engine's live figures and
// the ledger's task entries: what an edition made now would freeze, and what a draft
// report shows.
func Build(ctx context.Context, db *store.DB, e *indicator.Engine, kind string, asOf int, title string) (*Content, error) {
	pack := e.Pack()
	if err := CheckKind(pack, kind, asOf); err != nil {
		return nil, err
	}
	scope := publicScope(pack)
	e = e.For(scope) // progress and scorecards read values as the public sees them
	at := e.AsOf(asOf)
	c := &Content{Kind: kind, AsOf: asOf, Title: title, Plan: pack.Code, PackVersion: pack.Version, PlanName: pack.Name, PlanNameEn: pack.NameEn}
	var err error
	if c.Review, err = progress.ReviewAt(e, scope, asOf); err != nil {
		return nil, err
	}
	if c.Progress, err = progress.Assess(at, scope, progress.Query{}); err != nil {
		return nil, err
	}
	if c.Commitments, err = progress.AssessCommitments(at, scope, progress.Query{}); err != nil {
		return nil, err
	}
	if c.Districts, err = progress.Scorecards(at, scope); err != nil {
		return nil, err
	}
	if c.Projects, err = ledger.Projects(at, scope); err != nil {
		return nil, err
	}
	if c.Tasks, err = ledger.Tasks(ctx, db, scope, pack); err != nil {
		return nil, err
	}
	orgs := append([]*plan.Org{pack.Top()}, pack.Districts()...)
	for _, o := range orgs {
		c.Orgs = append(c.Orgs, Org{Code: o.Code, Name: o.Name, NameEn: o.NameEn})
	}
	used := map[int64]bool{}
	for _, ind := range slices.Concat(pack.Indicators, pack.Commitments) {
		for _, o := range orgs {
			if !ind.AtLevel(o.Level) {
				continue
			}
			for _, y := range at.Years() {
				if y < pack.BaselineYear {
					continue
				}
				f := figure(at, scope, ind.Code, o.Code, y)
				for _, b := range f.Batches() {
					used[b] = true
				}
				c.Figures = append(c.Figures, f)
			}
		}
	}
	if c.Batches, err = batches(ctx, db, pack, used); err != nil {
		return nil, err
	}
	return c, nil
}

// figure is one value and its inputs; a value the public may not see (it rests on a
// small count) is frozen without its number or inputs.
func figure(e *indicator.Engine, scope plan.Scope, measure, org string, year int) Figure {
	f := Figure{Measure: measure, Org: org, Year: year, Inputs: []indicator.Input{}}
	x, err := e.Explain(scope, measure, org, year)
	if err != nil {
		f.Reason, f.ReasonEn = plan.ErrorMessages(err)
		return f
	}
	if x.Value.OK {
		f.Value = progress.Number{V: x.Value.Value + 0, OK: true}
	}
	f.Reason, f.ReasonEn = x.Value.Reason, x.Value.ReasonEn
	if x.Inputs != nil {
		f.Inputs = x.Inputs
	}
	for i := range f.Inputs {
		if f.Inputs[i].Batches == nil {
			f.Inputs[i].Batches = []int64{}
		}
	}
	return f
}

// batches are the tenant's batches among the ids, oldest first, without who imported
// them.
func batches(ctx context.Context, db *store.DB, pack *plan.Pack, ids map[int64]bool) ([]Batch, error) {
	all, err := db.Batches(ctx, pack.FullScope())
	if err != nil {
		return nil, err
	}
	out := []Batch{}
	for _, b := range slices.Backward(all) {
		if ids[b.ID] {
			years := b.Years
			if years == nil {
				years = []int{}
			}
			out = append(out, Batch{ID: b.ID, Kind: b.Kind, File: b.File, SHA256: b.SHA256, Rows: b.Rows, Years: years, ImportedAt: b.ImportedAt.UTC()})
		}
	}
	return out, nil
}

// Canonical is the content's canonical encoding, the bytes an edition stores and hashes.
func Canonical(c *Content) ([]byte, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("edition content: %w", err)
	}
	return b, nil
}

// Edition is a stored edition: its header and its content as frozen.
type Edition struct {
	store.EditionHeader
	Content *Content `json:"content"`
}

// Create freezes the review of the kind as of the year as a new edition, by actor
// ("cli:" and the OS user, or a user's name), and returns its header.
func Create(ctx context.Context, db *store.DB, e *indicator.Engine, kind string, asOf int, title, actor string) (store.EditionHeader, error) {
	pack := e.Pack()
	if title == "" {
		zh, _ := KindLabel(kind)
		title = fmt.Sprintf("%s%s（截至 %d 年）", pack.Name, zh, asOf)
	}
	c, err := Build(ctx, db, e, kind, asOf, title)
	if err != nil {
		return store.EditionHeader{}, err
	}
	b, err := Canonical(c)
	if err != nil {
		return store.EditionHeader{}, err
	}
	h := store.EditionHeader{Plan: c.Plan, PackVersion: c.PackVersion, Kind: kind, AsOf: asOf, Title: title, CreatedBy: actor}
	err = db.Write(ctx, pack.Tenant, func(tx *store.Tx) error { return tx.AddEdition(ctx, &h, b) })
	return h, err
}

// Open returns a stored edition with its content, checked against its hash. The
// content may be shared with other callers of Open (see decodedCache): read it, never
// change it.
func Open(ctx context.Context, db *store.DB, pack *plan.Pack, number int) (*Edition, error) {
	se, err := db.Edition(ctx, pack.Tenant, number)
	if err != nil {
		return nil, err
	}
	c, err := decoded.content(pack.Tenant, se)
	if err != nil {
		return nil, err
	}
	return &Edition{EditionHeader: se.EditionHeader, Content: c}, nil
}

// List returns the tenant's editions, newest first.
func List(ctx context.Context, db *store.DB, pack *plan.Pack) ([]store.EditionHeader, error) {
	return db.Editions(ctx, pack.Tenant)
}

// Publish publishes a draft edition: from then on it is what the public sees of its
// review by default.
func Publish(ctx context.Context, db *store.DB, pack *plan.Pack, number int, actor string) (store.EditionHeader, error) {
	err := db.Write(ctx, pack.Tenant, func(tx *store.Tx) error { return tx.PublishEdition(ctx, number, actor) })
	if err != nil {
		return store.EditionHeader{}, err
	}
	e, err := db.Edition(ctx, pack.Tenant, number)
	if err != nil {
		return store.EditionHeader{}, err
	}
	return e.EditionHeader, nil
}

// Published returns the edition of the review of the kind as of the year last
// published, nil when none is.
func Published(ctx context.Context, db *store.DB, pack *plan.Pack, kind string, asOf int) (*Edition, error) {
	n, err := db.LatestPublished(ctx, pack.Tenant, pack.Code, kind, asOf)
	if err != nil || n == 0 {
		return nil, err
	}
	return Open(ctx, db, pack, n)
}
