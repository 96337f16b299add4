// Records shown by the pages and written through the services: the shapes
// the stores return and take, kept here so that no package above the stores
// depends on them.
package admission

import "time"

// AuditFilter selects audit events; zero fields do not filter.
type AuditFilter struct {
	UserID      int64
	CandidateID int64
	Name        string    // the person concerned, searched without diacritics
	Since       time.Time // events after this instant
	Until       time.Time // events before this instant: the months after it are not planned
	NotBy       int64     // events by anyone but this user
	Action      string    // one action ("step.record"), or a kind of action ending in "." ("step.")
	From, To    time.Time
	Page        int // from 1
	PerPage     int
	CountLimit  int // count at most this many and one more (0: count all)
}

// AuditEntry is an audit event with the names the page shows.
type AuditEntry struct {
	AuditEvent
	OrganizationName string
	Before, After    string // JSON
	UserRole         Role
	EntityName       string // the person, organization or account it concerns
	StepKind         Kind   // the step recorded or corrected
}

// CandidateMove is a candidate's change of cell, read from the audit trail.
type CandidateMove struct {
	At       time.Time
	By       string
	From, To string
	Reason   string
}

// CandidateFilter selects candidates for the list; zero fields do not filter.
type CandidateFilter struct {
	Query   string // name, with or without diacritics
	OrgID   int64
	Stage   string // a stage, "open" (not closed) or "" for all
	Due     string // "overdue" or "soon"
	Today   time.Time
	SoonBy  time.Time // "due soon" means next_due between Today and SoonBy
	Page    int
	PerPage int
	// After and Before are keyset cursors (from a page's Next and Prev):
	// the page after or before that row in the list's order; they take
	// the place of Page for lists without a search.
	After, Before string
	// CountLimit caps the count (0: exact): past it the list says "more than".
	CountLimit int
}

// CandidatePage is one page of the candidate list.
type CandidatePage struct {
	Rows []CandidateListRow
	// Total is the number of candidates the filter finds, or CountLimit+1
	// when there are more than CountLimit (Capped).
	Total  int
	Capped bool
	// Next and Prev are the cursors of the following and preceding pages
	// ("" at either end, or when the list pages by number).
	Next, Prev string
}

// CandidateListRow is a candidate with its cell's name.
type CandidateListRow struct {
	Candidate
	OrgName string
}

// Head is the head of a file in a list of many: enough to show it and to
// know whether a state derived from it still holds.
func (r CandidateListRow) Head() FileHead {
	return FileHead{ID: r.ID, OrganizationID: r.OrganizationID, FullName: r.FullName, OrgName: r.OrgName, Version: r.Version, UpdatedAt: r.UpdatedAt}
}

// FileHead is what a list of many files (the work queue's) reads of each:
// its name and cell, and its version and time of change, which say whether
// a state derived from it still holds.
type FileHead struct {
	ID, OrganizationID int64
	FullName, OrgName  string
	Version            int
	UpdatedAt          time.Time
}

// HolidayRow is a holiday with where it came from.
type HolidayRow struct {
	Holiday
	Generated bool
}

// OrgSummary is an organization with the counts shown on the tree page.
type OrgSummary struct {
	Organization
	Depth        int
	Official     int
	Probationary int
	Candidates   int // candidates still on the path (not closed)
}

// OrgInput is a new organization, used by the demo loader and the admin pages.
type OrgInput struct {
	ParentID                 int64
	Kind                     string
	Name                     string
	Code                     string
	HasIntermediateCommittee bool
	HasYouthUnion            bool
	// IfMissing: an organization with this code, parent, kind and name is
	// returned as it is (the demo and imports load twice without effect).
	IfMissing bool
}

// MemberInput is a member loaded by the demo or by an import, keyed for idempotence.
type MemberInput struct {
	OrganizationID int64
	FullName       string
	Gender         string
	BirthDate      time.Time
	Status         string
	AdmittedOn     time.Time
	CeremonyOn     time.Time // zero: the decision's date
	OfficialOn     time.Time
	ExternalKey    string
}

// Throttle says whether a login attempt may be judged now.
type Throttle struct {
	Locked bool          // too many failures: refused even with the right password
	Wait   time.Duration // slow down: try again after this long
}

// CellProgress is one cell's year on the dashboard and the targets page.
type CellProgress struct {
	OrgID     int64
	Name      string
	Path      string
	Target    int  // admissions planned this year
	HasTarget bool // a target was set
	Admitted  int  // admitted this year (admission.AdmittedIn)
	ByStage   map[Stage]int
	Overdue   int
	DueSoon   int
	Pipeline  ForecastInput // the open files the forecast weighs
}

// User is an account as the administration pages show it.
type User struct {
	ID             int64
	Username       string
	FullName       string
	Role           Role
	ScopeOrgID     int64
	ScopeName      string
	ScopePath      string
	Active         bool
	PasswordHash   string
	CreatedAt      time.Time
	LastLoginAt    time.Time
	ActiveSessions int
}

// UserInput is a user created or changed by an admin.
type UserInput struct {
	Username     string
	FullName     string
	Role         Role
	ScopeOrgID   int64
	Active       bool
	PasswordHash string // set on create and on reset
	MustChange   bool
}

// Actor returns the admission actor of a user.
func (u User) Actor() Actor {
	return Actor{UserID: u.ID, Username: u.Username, FullName: u.FullName, Role: u.Role, ScopeOrgID: u.ScopeOrgID, ScopePath: u.ScopePath}
}

// Admission bases: which date puts an admission in a period.
const (
	AdmittedByDecision = "decision" // the admission decision's date (default)
	AdmittedByCeremony = "ceremony" // the ceremony's date
)

// DefaultAdmissionBasis is how ketnap counts "admitted in a period" unless a
// report asks otherwise: every member of the roll, admitted through ketnap or
// entered directly, whose admission decision was signed in the period
// (domain.md, step 11: a report parameter, local practice varies). Members
// later removed or transferred still count in the period they were admitted.
const DefaultAdmissionBasis = AdmittedByDecision

// AdmittedIn reports whether member m counts as admitted between from and to (inclusive).
func AdmittedIn(m Member, from, to time.Time, basis string) bool {
	d := m.AdmittedOn
	if basis == AdmittedByCeremony {
		d = m.CeremonyOn
	}
	return !d.Before(from) && !d.After(to)
}

// ReportPerson is one person a report number counts, with what the report
// counted about them.
type ReportPerson struct {
	MemberID   int64
	FullName   string
	Gender     string
	BirthDate  time.Time
	OrgName    string
	AdmittedOn time.Time
	CeremonyOn time.Time
	Age        int
	Composition
}

// UnitCount is a period's admissions under one unit (a cell of a ward, a
// ward of a province).
type UnitCount struct {
	OrgID    int64
	Name     string
	Kind     string
	N        int
	Women    int
	Minority int
	Youth    int
}

// UnmatchedValue is a stored value that is no entry of its vocabulary:
// text from before the vocabularies, for staff to correct.
type UnmatchedValue struct {
	Kind       string
	Value      string
	Candidates int
	Members    int
	// a person holding it, to open and correct
	CandidateID int64
	MemberID    int64
}

// AuditArchive is a month of the audit trail written out to a file and
// taken from the database, with what the chain needs to go on without it.
type AuditArchive struct {
	Month                   time.Time // its first day
	Events                  int64
	FirstID, LastID         int64
	FirstPrevHash, LastHash []byte
	FileName, FileSHA256    string
	ArchivedAt              time.Time
}

// AuditCheck is a verification of the audit trail's hash chain.
type AuditCheck struct {
	At          time.Time
	Events      int64
	FirstBroken int64 // the first event changed, or after a deleted one; 0 when the chain holds
	LastHash    []byte
}
