package admission

import (
	"context"
	"io"
	"time"
)

// Store is what the domain services need from the database, inside one
// transaction. It stores and reads; it judges nothing. Every read that takes
// a scope path returns ErrNotFound for a record outside it.
type Store interface {
	// Organization returns an organization in scope.
	Organization(ctx context.Context, id int64, scope string) (Organization, error)
	// LockOrganization returns an organization in scope, locking its row.
	LockOrganization(ctx context.Context, id int64, scope string) (Organization, error)
	// OrganizationByCode finds an organization by its code (any scope).
	OrganizationByCode(ctx context.Context, code string) (Organization, bool, error)
	InsertOrganization(ctx context.Context, o *Organization) error
	// UpdateOrganization writes name, settings and parent; the subtree follows a move.
	UpdateOrganization(ctx context.Context, o *Organization) error

	// LockCandidate returns a candidate in scope and its cell, locking the candidate row.
	LockCandidate(ctx context.Context, id int64, scope string) (Candidate, Organization, error)
	// Candidate reads a candidate in scope without locking it.
	Candidate(ctx context.Context, id int64, scope string) (Candidate, error)
	// StepCandidate returns the candidate a step belongs to.
	StepCandidate(ctx context.Context, stepID int64) (int64, error)
	// Steps returns every step of a candidate, superseded ones included, with sponsors.
	Steps(ctx context.Context, candidateID int64) ([]Step, error)
	// CandidateByKey finds a candidate created by the submission with this idempotency key.
	CandidateByKey(ctx context.Context, key string) (Candidate, bool, error)
	// CandidatesByIdentity returns the candidates in scope with exactly this identity.
	CandidatesByIdentity(ctx context.Context, name, gender string, birth time.Time, scope string) ([]Candidate, error)
	// OpenCandidates returns the candidates still on the path in scope
	// (dueFrom non-zero: only those whose stored next deadline is on or after it).
	OpenCandidates(ctx context.Context, scope string, dueFrom time.Time) ([]Candidate, error)
	// InsertCandidate writes a new candidate and their person.
	InsertCandidate(ctx context.Context, c *Candidate, key string, by int64) error
	InsertStep(ctx context.Context, s *Step) error
	// UpdateCandidate writes a candidate's personal fields (and their person) and bumps the version.
	UpdateCandidate(ctx context.Context, c *Candidate) error
	// MoveCandidate sets a candidate's cell and bumps the version.
	MoveCandidate(ctx context.Context, c *Candidate, orgID int64) error
	// SaveCandidateState writes stage and escalation and bumps the version.
	SaveCandidateState(ctx context.Context, c *Candidate) error
	// SetNextDue writes the stored earliest deadline of a candidate.
	SetNextDue(ctx context.Context, id int64, due time.Time, code string) error

	// Members returns the members with the given ids (any scope; the engine checks).
	Members(ctx context.Context, ids []int64) (map[int64]Member, error)
	// LockMember returns a member in scope, locking its row.
	LockMember(ctx context.Context, id int64, scope string) (Member, error)
	// MemberOfCandidate returns the member admitted from a candidate, if any.
	MemberOfCandidate(ctx context.Context, candidateID int64) (Member, bool, error)
	// MemberByKey finds a member by the submission's idempotency key or an external key.
	MemberByKey(ctx context.Context, key string) (Member, bool, error)
	// RollMembers returns every member ever on a cell's roll.
	RollMembers(ctx context.Context, orgID int64) ([]Member, error)
	// CommitteeMembers returns the current members under a grassroots committee (sponsors come from it).
	CommitteeMembers(ctx context.Context, committeePath string) ([]Member, error)
	// InsertMember writes a new member and, when PersonID is zero, their person.
	InsertMember(ctx context.Context, m *Member) error
	// UpdateMember writes a member (and their person) and bumps the version.
	UpdateMember(ctx context.Context, m *Member) error
	InsertMemberEvent(ctx context.Context, e *MemberEvent) error

	// LockUser returns a user whose scope lies in scope, locking the row.
	LockUser(ctx context.Context, id int64, scope string) (User, error)
	InsertUser(ctx context.Context, u *User, passwordHash string, mustChange bool) error
	UpdateUser(ctx context.Context, u *User) error
	SetPasswordHash(ctx context.Context, userID int64, hash string, mustChange bool) error
	// EndSessions ends a user's sessions except the one whose token hash is keep.
	EndSessions(ctx context.Context, userID int64, keep []byte) error

	// Target returns a cell's target for a year (nil: none set).
	Target(ctx context.Context, orgID int64, year int) (*int, error)
	// SetTarget writes (nil: removes) a cell's target for a year.
	SetTarget(ctx context.Context, orgID int64, year int, n *int, by int64) error

	RuleSets(ctx context.Context) (RuleSets, error)
	InsertRuleSet(ctx context.Context, r *RuleSet) error
	// Holidays returns the holidays between two days inclusive.
	Holidays(ctx context.Context, from, to time.Time) ([]time.Time, error)
	// HolidayCount returns how many holidays a year has.
	HolidayCount(ctx context.Context, year int) (int, error)
	// PutHoliday adds or renames a holiday (generated: a default, not a manual entry).
	PutHoliday(ctx context.Context, h Holiday, generated bool) error
	// DeleteHoliday removes a holiday and returns its name.
	DeleteHoliday(ctx context.Context, day time.Time) (string, error)

	InsertAudit(ctx context.Context, e *AuditEvent) error
	// ArchiveAuditMonth writes a month of the audit trail to w (its events in
	// the chain's order, with the file's SHA-256 recorded under fileName),
	// records the archive and takes the month's table out. It refuses
	// (Invalid) a month that is not its own table, not over, not fully
	// linked, broken, not first in the chain or not continuing the last
	// archive.
	ArchiveAuditMonth(ctx context.Context, month time.Time, fileName string, w io.Writer) (AuditArchive, error)
	// InsertUpload keeps an import file; PruneUploads drops those older than before.
	InsertUpload(ctx context.Context, u *Upload) error
	PruneUploads(ctx context.Context, before time.Time) error
	// Upload returns a user's upload.
	Upload(ctx context.Context, id, userID int64) (Upload, error)
	// ApplyUpload marks a user's upload applied; false when it was already.
	ApplyUpload(ctx context.Context, id, userID int64) (bool, error)
	// Nested runs fn in a savepoint of this transaction: an error undoes fn's writes only.
	Nested(ctx context.Context, fn func(Store) error) error
	// ClaimToken records a form token; false when it was recorded before.
	ClaimToken(ctx context.Context, token string) (bool, error)
	// Vocabularies returns every vocabulary entry by kind, in order.
	Vocabularies(ctx context.Context) (Vocabularies, error)
	InsertVocabEntry(ctx context.Context, e *VocabEntry) error
}

// Transactor runs fn in one database transaction: committed when fn returns
// nil, rolled back otherwise.
type Transactor interface {
	InTx(ctx context.Context, fn func(Store) error) error
}

// Vietnam is the time zone of every calendar day ketnap speaks of.
var Vietnam = time.FixedZone("ICT", 7*3600)

// Clock tells the time; the one clock of the application, injected from cmd
// and replaced in tests.
type Clock func() time.Time

// Today returns the calendar day in Vietnam.
func (c Clock) Today() time.Time { return DateOf(c().In(Vietnam)) }

// SystemClock is the machine's clock.
var SystemClock Clock = time.Now
