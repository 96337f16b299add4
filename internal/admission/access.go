package admission

import "strings"

// Role is what a user may do within their scope.
type Role string

// Roles: admin (users, organizations, calendar), staff (the committee's steps),
// secretary (the cell's steps), viewer (reads only).
const (
	RoleAdmin     Role = "admin"
	RoleStaff     Role = "staff"
	RoleSecretary Role = "secretary"
	RoleViewer    Role = "viewer"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleStaff, RoleSecretary, RoleViewer}

// RoleLabels are the Vietnamese names of roles.
var RoleLabels = map[Role]string{
	RoleAdmin:     "Quản trị",
	RoleStaff:     "Cán bộ Văn phòng Đảng ủy",
	RoleSecretary: "Bí thư chi bộ",
	RoleViewer:    "Xem (cấp ủy viên, kiểm tra)",
}

// Actor is the person doing something: a user with a role and a scope.
type Actor struct {
	UserID     int64
	Username   string
	FullName   string
	Role       Role
	ScopeOrgID int64
	ScopePath  string // the scope organization's path; the actor sees that subtree
}

// Action is something an actor may be allowed to do.
type Action string

// Actions decided by Can.
const (
	ActView            Action = "view"
	ActAddCandidate    Action = "add_candidate"
	ActRecordCell      Action = "record_cell"      // a step the cell records
	ActRecordCommittee Action = "record_committee" // a step the committee records
	ActCorrect         Action = "correct"          // supersede a recorded step
	ActManageMembers   Action = "manage_members"
	ActMemberEvents    Action = "member_events" // a member's change of status, with a reason
	ActEditRules       Action = "edit_rules"    // add a rule set
	ActSetTargets      Action = "set_targets"
	ActViewAudit       Action = "view_audit"
	ActAdminister      Action = "administer" // users, organizations, rule sets, holidays
)

var allowed = map[Role]map[Action]bool{
	RoleAdmin: {ActView: true, ActAddCandidate: true, ActRecordCell: true, ActRecordCommittee: true, ActCorrect: true,
		ActManageMembers: true, ActMemberEvents: true, ActEditRules: true, ActSetTargets: true, ActViewAudit: true, ActAdminister: true},
	RoleStaff: {ActView: true, ActAddCandidate: true, ActRecordCommittee: true, ActCorrect: true,
		ActManageMembers: true, ActMemberEvents: true, ActEditRules: true, ActSetTargets: true, ActViewAudit: true},
	RoleSecretary: {ActView: true, ActAddCandidate: true, ActRecordCell: true, ActManageMembers: true},
	RoleViewer:    {ActView: true, ActViewAudit: true}, // committee members who inspect read the audit trail of their scope
}

// InScope reports whether an organization path lies in the actor's subtree.
func (a Actor) InScope(path string) bool {
	return a.ScopePath != "" && path != "" && strings.HasPrefix(path, a.ScopePath)
}

// Can reports whether actor a may do action on a target in the organization at targetPath.
func Can(a Actor, action Action, targetPath string) bool {
	return allowed[a.Role][action] && a.InScope(targetPath)
}

// CanRecord reports whether a may record a step of kind def for a candidate of the organization at path.
func CanRecord(a Actor, def StepDef, path string) bool {
	switch def.Level {
	case LevelCell:
		return Can(a, ActRecordCell, path)
	case LevelCommittee:
		return Can(a, ActRecordCommittee, path)
	}
	return Can(a, ActRecordCell, path) || Can(a, ActRecordCommittee, path)
}
