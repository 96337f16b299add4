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
	Occupation            string
	YouthUnion            bool
	TradeUnion            bool
	Readmission           bool
	ReadmissionConsentRef string
	OverAgeDecisionRef    string // provincial committee's decision for a candidate over 60
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

// Member is a party member of a cell.
type Member struct {
	ID             int64
	OrganizationID int64
	OrgPath        string
	FullName       string
	Gender         string
	BirthDate      time.Time
	Status         string
	AdmittedOn     time.Time
	OfficialOn     time.Time // zero while probationary
	CandidateID    int64     // set when admitted through ketnap
}

// OfficialOn reports whether the member was an official member on day d.
func (m Member) IsOfficialOn(d time.Time) bool {
	if m.Status != MemberOfficial || m.OfficialOn.IsZero() {
		return false
	}
	return !m.OfficialOn.After(d)
}

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
	ID               int64
	CandidateID      int64
	Seq              int
	Kind             Kind
	OccurredOn       time.Time
	DocumentNo       string
	IssuedBy         string
	ReceivedOn       time.Time // zero when not applicable
	VotesEligible    int       // 0 when not a vote
	VotesYes         int
	VotesAgainst     int
	Outcome          string
	Route            string
	HelperMemberID   int64
	HelperName       string
	ApprovalRef      string
	Note             string
	Sponsors         []Sponsor
	SupersedesID     int64
	CorrectionReason string
	RuleSetID        int64
	RecordedBy       int64
	RecordedByName   string
	RecordedAt       time.Time
	IdempotencyKey   string
}

// Counts reports whether the step moves the candidate on (not a failed or inconclusive vote).
func (s Step) Counts() bool {
	return s.Outcome == OutcomeDone || s.Outcome == OutcomePassed || s.Outcome == OutcomeRemoved
}

// ValidateMember checks a member's dates and status against each other and
// today; it returns a message per field, empty when the member is consistent.
func ValidateMember(m Member, today time.Time) map[string]string {
	errs := map[string]string{}
	switch {
	case !m.BirthDate.Before(m.AdmittedOn) || FullMonths(m.BirthDate, m.AdmittedOn) < 18*12:
		errs["admitted_on"] = "Ngày vào Đảng phải sau khi đủ 18 tuổi."
	case m.AdmittedOn.After(today):
		errs["admitted_on"] = "Ngày vào Đảng chưa đến."
	case m.Status == MemberOfficial && m.OfficialOn.IsZero():
		errs["official_on"] = "Đảng viên chính thức cần ngày chính thức."
	case !m.OfficialOn.IsZero() && m.OfficialOn.Before(m.AdmittedOn):
		errs["official_on"] = "Ngày chính thức không thể trước ngày vào Đảng."
	case !m.OfficialOn.IsZero() && m.OfficialOn.After(today):
		errs["official_on"] = "Ngày chính thức chưa đến."
	case m.Status == MemberProbationary && !m.OfficialOn.IsZero():
		errs["official_on"] = "Đảng viên dự bị chưa có ngày chính thức; để trống ô này hoặc chọn tình trạng “Chính thức”."
	}
	return errs
}
