package admission

import "time"

// Organization is a node of the party organization tree: a committee
// (Đảng bộ, Đảng ủy) or a cell (chi bộ).
type Organization struct {
	ID                       int64
	ParentID                 int64 // 0 for the root
	Kind                     string
	Name                     string
	Code                     string
	Path                     string // materialized path of ids, "/1/4/"
	HasIntermediateCommittee bool
	HasYouthUnion            bool
}

// Organization kinds.
const (
	KindCommittee = "committee"
	KindCell      = "cell"
)

// CommitteePath returns the path of the grassroots committee above a cell: the
// same grassroots party organization that sponsors must belong to.
func (o Organization) CommitteePath() string {
	if o.Kind == KindCommittee {
		return o.Path
	}
	return parentPath(o.Path)
}

func parentPath(p string) string {
	if len(p) < 2 {
		return p
	}
	i := len(p) - 2
	for i > 0 && p[i] != '/' {
		i--
	}
	return p[:i+1]
}

// Genders.
const (
	Male   = "male"
	Female = "female"
)

// General education levels (trình độ giáo dục phổ thông).
const (
	EduLiteracy       = "literacy"
	EduPrimary        = "primary"
	EduLowerSecondary = "lower_secondary"
	EduUpperSecondary = "upper_secondary"
)

var eduRank = map[string]int{EduLiteracy: 0, EduPrimary: 1, EduLowerSecondary: 2, EduUpperSecondary: 3}

// EducationLabels are the Vietnamese names of the general education levels.
var EducationLabels = map[string]string{
	EduLiteracy:       "Biết đọc, biết viết",
	EduPrimary:        "Tiểu học",
	EduLowerSecondary: "Trung học cơ sở",
	EduUpperSecondary: "Trung học phổ thông",
}

// Candidate is a person the cell is preparing for admission (quần chúng ưu tú).
type Candidate struct {
	ID                    int64
	OrganizationID        int64
	FullName              string
	SearchKey             string
	Gender                string
	BirthDate             time.Time
	Ethnicity             string
	Religion              string
	EducationGeneral      string
	EducationApprovalRef  string // provincial approval for below lower secondary
	EducationProfessional string
	PoliticalTheory       string
	Occupation            string
	YouthUnion            bool
	TradeUnion            bool
	Readmission           bool
	ReadmissionConsentRef string
	OverAgeDecisionRef    string // provincial committee's decision for a candidate over 60
	PersonID              int64  // the one identity shared with the member record
	Stage                 Stage
	Escalated             bool      // three inconclusive recognition votes: reported upward
	NextDue               time.Time // the earliest running deadline (zero: none)
	NextDueCode           string
	Version               int
	CreatedAt, UpdatedAt  time.Time
}

// Member statuses.
const (
	MemberProbationary = "probationary"
	MemberOfficial     = "official"
	MemberRemoved      = "removed"
	MemberTransferred  = "transferred"
)

// Member activities: what the vote denominator needs (294-QĐ/TW 9.3.2).
const (
	ActivityNormal           = "active"
	ActivityWorkingElsewhere = "working_elsewhere" // tạm vắng, sinh hoạt tạm thời nơi khác
	ActivityExempted         = "exempted"          // miễn sinh hoạt
)

// Member is a party member of a cell. A member admitted through ketnap
// (CandidateID set) changes status only through the candidate's steps; a
// member entered directly changes status through member events.
type Member struct {
	ID             int64
	PersonID       int64
	OrganizationID int64
	OrgPath        string
	FullName       string
	Gender         string
	BirthDate      time.Time
	Status         string
	AdmittedOn     time.Time // the admission decision's date: party seniority counts from it
	CeremonyOn     time.Time // the admission ceremony: probation counts from it
	OfficialOn     time.Time // zero while probationary
	LeftOn         time.Time // removed or transferred on this day; zero while on the roll
	Activity       string
	ActivitySince  time.Time // zero while active
	CandidateID    int64     // set when admitted through ketnap
	ExternalKey    string
	Version        int
	Composition
}

// Composition is what a report of new members counts about a person, as of
// their admission: a member admitted through ketnap takes their candidate's
// at the ceremony; one entered directly what staff typed ("" when unknown).
type Composition struct {
	Ethnicity             string
	Religion              string
	EducationGeneral      string
	EducationProfessional string
	PoliticalTheory       string
	Occupation            string
	YouthUnion            bool
	Readmission           bool
}

// IsOfficialOn reports whether the member was an official member on day d.
func (m Member) IsOfficialOn(d time.Time) bool {
	if m.OfficialOn.IsZero() || m.OfficialOn.After(d) {
		return false
	}
	return m.LeftOn.IsZero() || m.LeftOn.After(d)
}

// IsProbationaryOn reports whether the member was on probation on day d:
// after the ceremony, before recognition, still on the roll.
func (m Member) IsProbationaryOn(d time.Time) bool {
	if m.CeremonyOn.IsZero() || m.CeremonyOn.After(d) || m.IsOfficialOn(d) {
		return false
	}
	return m.LeftOn.IsZero() || m.LeftOn.After(d)
}

// AwayOn reports whether the member worked elsewhere temporarily on day d.
func (m Member) AwayOn(d time.Time) bool {
	return m.Activity == ActivityWorkingElsewhere && !m.ActivitySince.IsZero() && !m.ActivitySince.After(d)
}

// ExemptedOn reports whether the member was exempted from activity on day d.
func (m Member) ExemptedOn(d time.Time) bool {
	return m.Activity == ActivityExempted && !m.ActivitySince.IsZero() && !m.ActivitySince.After(d)
}

// SamePerson reports whether a member is the candidate: the same person, or
// exactly the same identity (name without diacritics, gender, birth date).
func SamePerson(m Member, c Candidate) bool {
	if m.PersonID != 0 && m.PersonID == c.PersonID || m.CandidateID != 0 && m.CandidateID == c.ID {
		return true
	}
	return SearchKey(m.FullName) == SearchKey(c.FullName) && m.Gender == c.Gender && DateOf(m.BirthDate).Equal(DateOf(c.BirthDate))
}

// Roll is a cell's roll on a vote date: the official members on it, those of
// them working elsewhere, and those exempted from activity.
type Roll struct {
	Date     time.Time
	Official int
	Away     int
	Exempted int
}

// RollOn counts the roll of a cell's members on day d.
func RollOn(members []Member, d time.Time) Roll {
	r := Roll{Date: d}
	for _, m := range members {
		if !m.IsOfficialOn(d) {
			continue
		}
		r.Official++
		switch {
		case m.AwayOn(d):
			r.Away++
		case m.ExemptedOn(d):
			r.Exempted++
		}
	}
	return r
}

// MaxEligible is the largest possible number of voters: every official member
// not working elsewhere (the exempted who attend vote).
func (r Roll) MaxEligible() int { return r.Official - r.Away }

// MinEligible is the smallest: the exempted all absent.
func (r Roll) MinEligible() int { return r.Official - r.Away - r.Exempted }

// Outcomes of a step.
const (
	OutcomeDone         = "done"
	OutcomePassed       = "passed"
	OutcomeFailed       = "failed"
	OutcomeInconclusive = "inconclusive"
	OutcomeRemoved      = "removed"
)

// OutcomeLabels are the Vietnamese names of outcomes.
var OutcomeLabels = map[string]string{
	OutcomeDone:         "Đã thực hiện",
	OutcomePassed:       "Đạt",
	OutcomeFailed:       "Không đạt",
	OutcomeInconclusive: "Không đủ 2/3 cho ý kiến nào",
	OutcomeRemoved:      "Xóa tên",
}

// Introduction routes (Điều lệ Đảng, Điều 4).
const (
	RouteTwoSponsors = "two_sponsors"
	RouteYouthUnion  = "youth_union"
	RouteTradeUnion  = "trade_union"
)

// RouteLabels are the Vietnamese names of the introduction routes.
var RouteLabels = map[string]string{
	RouteTwoSponsors: "Hai đảng viên chính thức giới thiệu",
	RouteYouthUnion:  "Nghị quyết Ban Chấp hành Đoàn cơ sở (Mẫu 4-KNĐ) và một đảng viên chính thức",
	RouteTradeUnion:  "Nghị quyết Ban Chấp hành Công đoàn cơ sở (Mẫu 4A-KNĐ) và một đảng viên chính thức",
}

// Sponsor relations: how the sponsor knows the candidate.
const (
	RelationWorked  = "worked"
	RelationStudied = "studied"
	RelationLived   = "lived"
)

// Sponsor is an official member who vouches for the candidate (Mẫu 3-KNĐ).
type Sponsor struct {
	MemberID   int64
	MemberName string
	KnownSince time.Time
	Relation   string
}

// Step is one thing that happened to a candidate. Steps are never changed:
// a correction is a new step that supersedes an old one.
type Step struct {
	ID            int64
	CandidateID   int64
	Seq           int
	Kind          Kind
	OccurredOn    time.Time
	DocumentNo    string
	IssuedBy      string
	ReceivedOn    time.Time // zero when not applicable
	VotesEligible int       // 0 when not a vote
	VotesYes      int
	VotesAgainst  int
	// how the eligible number came from the roll (FromRoll false on votes recorded before the roll)
	FromRoll          bool
	VotesOnRoll       int
	VotesAway         int
	VotesExemptAbsent int
	VotesPresent      int
	Outcome           string
	Route             string
	HelperMemberID    int64
	HelperName        string
	ApprovalRef       string
	Note              string
	Sponsors          []Sponsor
	SupersedesID      int64
	CorrectionReason  string
	RuleSetID         int64
	RecordedBy        int64
	RecordedByName    string
	RecordedAt        time.Time
	IdempotencyKey    string
}

// Counts reports whether the step moves the candidate on (not a failed or inconclusive vote).
func (s Step) Counts() bool {
	return s.Outcome == OutcomeDone || s.Outcome == OutcomePassed || s.Outcome == OutcomeRemoved
}

// Composition is the candidate's composition, which their member record takes.
func (c Candidate) Composition() Composition {
	return Composition{Ethnicity: c.Ethnicity, Religion: c.Religion, EducationGeneral: c.EducationGeneral,
		EducationProfessional: c.EducationProfessional, PoliticalTheory: c.PoliticalTheory, Occupation: c.Occupation,
		YouthUnion: c.YouthUnion, Readmission: c.Readmission}
}
