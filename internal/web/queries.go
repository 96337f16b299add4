package web

import (
	"context"
	"time"

	"ketnap/internal/admission"
)

// Queries are the reads the pages make, each scoped to the actor's subtree.
// They go straight to the database (miniflux-style) but through this
// interface: the web package never holds the database, and nothing here writes.
type Queries interface {
	Ping(ctx context.Context) error
	RootID(ctx context.Context) (int64, error)
	Organization(ctx context.Context, id int64, scope string) (admission.Organization, error)
	OrgTree(ctx context.Context, scope string) ([]admission.OrgSummary, error)
	// OrgFilter is what a list's organization filter offers (limit: the most it lists).
	OrgFilter(ctx context.Context, scope string, limit int) ([]admission.OrgSummary, bool, error)
	// OrganizationsOf returns the organizations with these ids in scope.
	OrganizationsOf(ctx context.Context, ids []int64, scope string) (map[int64]admission.Organization, error)
	// OrgList is OrgTree without the counts.
	OrgList(ctx context.Context, scope string) ([]admission.OrgSummary, error)
	RuleSets(ctx context.Context) (admission.RuleSets, error)
	Vocabularies(ctx context.Context) (admission.Vocabularies, error)
	// the period report (report.go)
	AdmissionReport(ctx context.Context, scope string, from, to time.Time, basis string) (admission.ReportCounts, error)
	AdmittedMembers(ctx context.Context, scope string, from, to time.Time, basis, key string) ([]admission.ReportPerson, error)
	AdmissionsByUnit(ctx context.Context, path string, from, to time.Time, basis string) ([]admission.UnitCount, error)
	UnmatchedValues(ctx context.Context, scope string) ([]admission.UnmatchedValue, error)
	ReportFingerprint(ctx context.Context, orgID int64, to time.Time) (int64, error)
	CachedReport(ctx context.Context, orgID int64, period, basis string, fingerprint int64) ([]byte, time.Time, bool, error)
	StoreReport(ctx context.Context, orgID int64, period, basis string, fingerprint int64, payload []byte) error
	Pipeline(ctx context.Context, scope string, from, to time.Time, counts *admission.ReportCounts) (admission.Pipeline, error)
	HolidaysOfYear(ctx context.Context, year int) ([]admission.HolidayRow, error)

	Candidate(ctx context.Context, id int64, scope string) (admission.Candidate, error)
	OpenFiles(ctx context.Context, scope string, limit int) ([]admission.FileHead, bool, error)
	AuditArchives(ctx context.Context) ([]admission.AuditArchive, error)
	CandidatesOf(ctx context.Context, ids []int64, scope string) (map[int64]admission.Candidate, error)
	StepsOf(ctx context.Context, ids []int64) (map[int64][]admission.Step, error)
	HolidayDays(ctx context.Context, from, to time.Time) ([]time.Time, error)
	ListCandidates(ctx context.Context, scope string, f admission.CandidateFilter) (admission.CandidatePage, error)
	CellCandidates(ctx context.Context, orgID int64, scope string) ([]admission.Candidate, error)
	CandidateFacts(ctx context.Context, id int64, scope string) (admission.Candidate, admission.Organization, []admission.Step, admission.RuleSets, []admission.Holiday, error)
	CandidateMoves(ctx context.Context, candidateID int64) ([]admission.CandidateMove, error)

	Member(ctx context.Context, id int64, scope string) (admission.Member, error)
	MemberEvents(ctx context.Context, memberID int64) ([]admission.MemberEvent, error)
	CellMembers(ctx context.Context, orgID int64, scope string) ([]admission.Member, error)
	CommitteeMembers(ctx context.Context, committeePath string) ([]admission.Member, error)
	// CommitteeSize counts a committee's current members up to limit; SearchCommitteeMembers finds them by name.
	CommitteeSize(ctx context.Context, committeePath string, limit int) (int, error)
	SearchCommitteeMembers(ctx context.Context, committeePath, key string, limit int) ([]admission.Member, error)
	// ScopeData is what an export in the import's layout holds.
	ScopeData(ctx context.Context, scope string) ([]admission.Member, []admission.Candidate, []string, error)
	Progress(ctx context.Context, scope string, year int, today, soonBy time.Time, basis string) ([]admission.CellProgress, error)
	UnitProgress(ctx context.Context, scope string, year int, today, soonBy time.Time, basis string) ([]admission.CellProgress, bool, error)

	User(ctx context.Context, id int64, scope string) (admission.User, error)
	Users(ctx context.Context, scope string) ([]admission.User, error)
	PreviousLogin(ctx context.Context, userID int64) (prev, now time.Time, err error)
	LastAuditCheck(ctx context.Context) (admission.AuditCheck, error)
	AuditEvents(ctx context.Context, scope string, f admission.AuditFilter) ([]admission.AuditEntry, int, error)
}

// Sessions are sign-in, sign-out and the session of each request: the
// account's own mechanics, not records of the regulation.
type Sessions interface {
	UserByUsername(ctx context.Context, username string) (admission.User, error)
	LoginThrottle(ctx context.Context, username, ip string, now time.Time) (admission.Throttle, error)
	LoginFailed(ctx context.Context, username, ip string, userID, orgID int64, now time.Time, reason string) error
	Login(ctx context.Context, u admission.User, oldTokenHash, newTokenHash []byte, ip, userAgent string, now, expires time.Time) error
	SessionActor(ctx context.Context, tokenHash []byte, now time.Time, idle time.Duration) (admission.Actor, bool, error)
	Logout(ctx context.Context, a admission.Actor, tokenHash []byte) error
	// AuditRead records that the actor read a person's record from outside their cell.
	AuditRead(ctx context.Context, a admission.Actor, orgID, candidateID int64) error
}
