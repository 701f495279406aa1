// Package auth decides who may do what: users and their roles, each granted on an org
// unit whose subtree is the user's scope; passwords, sessions and API tokens; and the
// one table of which role may take which action.
//
// The HTTP layer asks auth who the caller is and whether the route's action is allowed;
// everything below takes the plan.Scope auth derives, so that the CLI, the API and the
// pages cannot differ.
package auth

import (
	"github.com/yantai-edu/eduplan/internal/plan"
)

// Role is what a user is allowed to do, within the org their role is granted on.
type Role string

// The roles. Their names are an interface other tools rely on.
const (
	// Admin (city administrator) may do everything, users included.
	Admin Role = "admin"
	// Analyst (city analyst) reads everything and imports for the whole city.
	Analyst Role = "analyst"
	// DistrictOfficer reads and imports within their district.
	DistrictOfficer Role = "district_officer"
	// SchoolClerk imports their institution's files only.
	SchoolClerk Role = "school_clerk"
	// Inspector (督学) reads across districts.
	Inspector Role = "inspector"
	// Public is everyone not signed in: published aggregate indicators only.
	Public Role = "public"
)

// Roles are the roles a user can be given, in order of power.
var Roles = []Role{Admin, Analyst, Inspector, DistrictOfficer, SchoolClerk}

// Principal is who makes a request or runs a command.
type Principal struct {
	// User is the user's name; empty for the public.
	User string `json:"user,omitempty"`
	Role Role   `json:"role"`
	// Org is the org unit (or, for a school clerk, the institution) the role is granted
	// on; the tenant for the public.
	Org string `json:"org"`
}

// Anonymous returns the principal of a caller who has not signed in.
func Anonymous(p *plan.Pack) Principal { return Principal{Role: Public, Org: p.Tenant} }
