package auth

import (
	"slices"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// Action is something a request or command does, which a role may or may not do.
type Action string

// The actions. Every route of the web server names one (a test fails when a route has
// none), and every CLI command acting for a user names one too.
const (
	// ReadPublic reads published aggregate indicators (the city's and districts', and
	// institutions' where no count is below plan.PublicMinCount): everyone.
	ReadPublic Action = "read_public"
	// SignIn signs in and out: everyone.
	SignIn Action = "sign_in"
	// ReadData reads what is behind the indicators within the caller's scope: batches,
	// data quality, institutions' values.
	ReadData Action = "read_data"
	// Import imports files within the caller's scope.
	Import Action = "import"
	// EditTasks edits the task ledger (台账).
	EditTasks Action = "edit_tasks"
	// ReadAudit reads the audit log.
	ReadAudit Action = "read_audit"
	// ManageUsers adds, disables and changes users and their tokens.
	ManageUsers Action = "manage_users"
	// PublishEditions freezes and publishes the city's editions of a review (版本): the
	// figures the bureau hands in. The city's scope is needed too (checked by the caller).
	PublishEditions Action = "publish_editions"
	// Supervise takes part in the supervision loop (督导): rounds, self-evaluations,
	// verification, cases, evidence. Which step a role may take, on which side, is the
	// supervision package's table; this action only keeps the public out.
	Supervise Action = "supervise"
)

// Actions are every action, for tables that must cover them all.
var Actions = []Action{ReadPublic, SignIn, ReadData, Import, EditTasks, ReadAudit, ManageUsers, PublishEditions, Supervise}

// grants is the one table of which role may take which action.
var grants = map[Role][]Action{
	Public:          {ReadPublic, SignIn},
	Admin:           Actions,
	Analyst:         {ReadPublic, SignIn, ReadData, Import, EditTasks, PublishEditions, Supervise},
	Inspector:       {ReadPublic, SignIn, ReadData, Supervise},
	DistrictOfficer: {ReadPublic, SignIn, ReadData, Import, Supervise},
	SchoolClerk:     {ReadPublic, SignIn, ReadData, Import, Supervise},
}

// Can reports whether the principal's role may take the action at all (within its
// scope: the scope itself is checked by whatever reads or writes).
func (p Principal) Can(a Action) bool {
	return slices.Contains(grants[p.Role], a)
}

// ValidRole reports whether r is a role a user can be given.
func ValidRole(r Role) bool { return slices.Contains(Roles, r) }

// Scope is what the principal may see and change: the subtree of the org their role
// is granted on, at the detail the role allows. Everything below the HTTP layer takes
// this scope, so that the CLI, the API and the pages cannot differ.
func (p Principal) Scope(pack *plan.Pack) plan.Scope {
	s := plan.Scope{Tenant: pack.Tenant, Org: p.Org}
	switch p.Role {
	case Admin, Analyst, DistrictOfficer, SchoolClerk:
		s.Detail = plan.Records
	case Inspector:
		s.Detail = plan.Aggregates
	default:
		s.Org = pack.Tenant
		s.Detail = plan.Public
	}
	return s
}
