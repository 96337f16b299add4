package admission

import (
	"encoding/json"
	"fmt"
	"time"
)

// Params are the numbers and thresholds of a rule set. Every rule that
// the sources leave uncertain is here, never a constant in code.
type Params struct {
	MinAgeMonths                   int    `json:"min_age_months"`              // 18 years
	MaxAgeMonths                   int    `json:"max_age_months"`              // 60 years; older needs the province's decision
	CertificateValidityMonths      int    `json:"certificate_validity_months"` // awareness certificate
	SponsorKnownMonths             int    `json:"sponsor_known_months"`
	VoteNumerator                  int    `json:"vote_numerator"` // yes/eligible ≥ numerator/denominator
	VoteDenominator                int    `json:"vote_denominator"`
	DecisionDueWorkingDays         int    `json:"decision_due_working_days"`
	DecisionExtensionWorkingDays   int    `json:"decision_extension_working_days"`
	CeremonyDueWorkingDays         int    `json:"ceremony_due_working_days"`
	ProbationMonths                int    `json:"probation_months"`
	RecognitionReviewWorkingDays   int    `json:"recognition_review_working_days"`
	RecognitionDecisionWorkingDays int    `json:"recognition_decision_working_days"`
	InconclusiveVotesLimit         int    `json:"inconclusive_votes_limit"`
	VerificationValidityMonths     int    `json:"verification_validity_months"` // 0: not applied (unconfirmed rule)
	YouthAgeMaxYears               int    `json:"youth_age_max_years"`
	YouthRouteRequired             bool   `json:"youth_route_required"`
	MinEducation                   string `json:"min_education"`
	DueSoonDays                    int    `json:"due_soon_days"` // calendar days before a deadline that count as "due soon"
}

// DefaultParams are the parameters of the default rule set (294-QĐ/TW, 06-HD/TW).
func DefaultParams() Params {
	return Params{
		MinAgeMonths: 216, MaxAgeMonths: 720, CertificateValidityMonths: 60, SponsorKnownMonths: 12,
		VoteNumerator: 2, VoteDenominator: 3, DecisionDueWorkingDays: 60, DecisionExtensionWorkingDays: 30,
		CeremonyDueWorkingDays: 30, ProbationMonths: 12, RecognitionReviewWorkingDays: 30,
		RecognitionDecisionWorkingDays: 30, InconclusiveVotesLimit: 3, VerificationValidityMonths: 0,
		YouthAgeMaxYears: 30, YouthRouteRequired: true, MinEducation: EduLowerSecondary, DueSoonDays: 14,
	}
}

// Validate refuses parameters that cannot be applied.
func (p Params) Validate() error {
	switch {
	case p.MinAgeMonths <= 0 || p.MaxAgeMonths <= p.MinAgeMonths:
		return fmt.Errorf("tuổi tối thiểu/tối đa không hợp lệ")
	case p.VoteNumerator <= 0 || p.VoteDenominator <= 0 || p.VoteNumerator > p.VoteDenominator:
		return fmt.Errorf("tỷ lệ biểu quyết không hợp lệ")
	case p.CertificateValidityMonths <= 0 || p.SponsorKnownMonths < 0 || p.ProbationMonths <= 0:
		return fmt.Errorf("thời hạn không hợp lệ")
	case p.DecisionDueWorkingDays <= 0 || p.CeremonyDueWorkingDays <= 0 || p.RecognitionReviewWorkingDays <= 0 || p.RecognitionDecisionWorkingDays <= 0:
		return fmt.Errorf("thời hạn ngày làm việc không hợp lệ")
	case p.InconclusiveVotesLimit <= 0:
		return fmt.Errorf("số lần biểu quyết không hợp lệ")
	case eduRank[p.MinEducation] == 0 && p.MinEducation != EduLiteracy:
		return fmt.Errorf("trình độ học vấn tối thiểu không hợp lệ")
	}
	return nil
}

// RuleSet is a versioned set of parameters with the document that states them.
type RuleSet struct {
	ID            int64
	Code          string
	EffectiveFrom time.Time
	Citation      string
	Params        Params
}

// ParseParams reads rule parameters from JSON, starting from the defaults.
func ParseParams(raw []byte) (Params, error) {
	p := DefaultParams()
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, err
	}
	return p, p.Validate()
}

// RuleSets is the list of rule sets, any order.
type RuleSets []RuleSet

// InForce returns the rule set in force on day d: the latest whose effective
// date is not after d, or the earliest when d precedes them all.
func (rs RuleSets) InForce(d time.Time) (RuleSet, bool) {
	if len(rs) == 0 {
		return RuleSet{}, false
	}
	best, earliest := -1, 0
	for i, r := range rs {
		if r.EffectiveFrom.Before(rs[earliest].EffectiveFrom) {
			earliest = i
		}
		if !r.EffectiveFrom.After(d) && (best < 0 || r.EffectiveFrom.After(rs[best].EffectiveFrom)) {
			best = i
		}
	}
	if best < 0 {
		best = earliest
	}
	return rs[best], true
}

// ParamsOn returns the parameters of the rule set in force on day d (the
// defaults when there is none). Which day chooses depends on the parameter:
// probation length by the ceremony's date, certificate validity by the
// certificate's date, ages and the vote threshold by the vote's date, a
// deadline by the date of the event that starts it.
func (rs RuleSets) ParamsOn(d time.Time) Params {
	if r, ok := rs.InForce(d); ok {
		return r.Params
	}
	return DefaultParams()
}
