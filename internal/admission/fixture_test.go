package admission_test

import (
	"testing"
	"time"

	"ketnap/internal/admission"
)

var d = admission.Day

// The fixture: a cell "/1/10/" under the ward committee "/1/", a sibling cell
// "/1/11/", and a cell of another committee "/2/20/".
var (
	cell = admission.Organization{ID: 10, ParentID: 1, Kind: admission.KindCell, Name: "Chi bộ khu 1", Path: "/1/10/", HasYouthUnion: true}

	rules = admission.RuleSets{{ID: 7, Code: "294-QD-TW-2025", EffectiveFrom: d(2025, 5, 26), Citation: "Quy định 294-QĐ/TW", Params: admission.DefaultParams()}}

	members = map[int64]admission.Member{
		101: {ID: 101, OrganizationID: 10, OrgPath: "/1/10/", FullName: "Trần Văn Bình", Status: admission.MemberOfficial, AdmittedOn: d(2009, 1, 1), OfficialOn: d(2010, 1, 1)},
		102: {ID: 102, OrganizationID: 11, OrgPath: "/1/11/", FullName: "Lê Thị Hoa", Status: admission.MemberOfficial, AdmittedOn: d(2014, 1, 1), OfficialOn: d(2015, 1, 1)},
		103: {ID: 103, OrganizationID: 10, OrgPath: "/1/10/", FullName: "Phạm Văn Dự", Status: admission.MemberProbationary, AdmittedOn: d(2025, 1, 10)},
		104: {ID: 104, OrganizationID: 20, OrgPath: "/2/20/", FullName: "Võ Văn Xa", Status: admission.MemberOfficial, AdmittedOn: d(2000, 1, 1), OfficialOn: d(2001, 1, 1)},
		105: {ID: 105, OrganizationID: 10, OrgPath: "/1/10/", FullName: "Đỗ Thị Mai", Status: admission.MemberOfficial, AdmittedOn: d(2024, 4, 6), OfficialOn: d(2025, 4, 6)},
		106: {ID: 106, OrganizationID: 10, OrgPath: "/1/10/", FullName: "Ngô Văn Tự", Status: admission.MemberOfficial, AdmittedOn: d(2000, 1, 1), OfficialOn: d(2001, 1, 1), CandidateID: 1},
	}
)

// dates of the reference path
var pathDates = map[admission.Kind]time.Time{
	admission.Nominated:             d(2025, 1, 10),
	admission.AwarenessClass:        d(2025, 2, 10),
	admission.Application:           d(2025, 2, 20),
	admission.PersonalHistory:       d(2025, 3, 1),
	admission.Verification:          d(2025, 4, 1),
	admission.Introduction:          d(2025, 4, 5),
	admission.Comments:              d(2025, 4, 10),
	admission.CellResolution:        d(2025, 6, 2),
	admission.Decision:              d(2025, 6, 16),
	admission.Ceremony:              d(2025, 6, 25),
	admission.NewMemberClass:        d(2025, 8, 1),
	admission.RecognitionResolution: d(2026, 6, 30),
}

var order = []admission.Kind{admission.Nominated, admission.AwarenessClass, admission.Application, admission.PersonalHistory,
	admission.Verification, admission.Introduction, admission.Comments, admission.CellResolution, admission.Decision,
	admission.Ceremony, admission.NewMemberClass, admission.RecognitionResolution}

func candidate() admission.Candidate {
	return admission.Candidate{ID: 1, OrganizationID: 10, FullName: "Hoàng Thị Thuận", Gender: admission.Female,
		BirthDate: d(1990, 3, 15), EducationGeneral: admission.EduUpperSecondary, Stage: admission.StageSource}
}

// stepsThrough returns the reference path up to and including kind last,
// with dates overridden where given.
func stepsThrough(last admission.Kind, override map[admission.Kind]time.Time) []admission.Step {
	var out []admission.Step
	for i, k := range order {
		day := pathDates[k]
		if o, ok := override[k]; ok {
			day = o
		}
		s := admission.Step{ID: int64(i + 1), CandidateID: 1, Seq: i + 1, Kind: k, OccurredOn: day, Outcome: admission.OutcomeDone, RuleSetID: 7}
		switch k {
		case admission.Verification:
			s.Outcome = admission.OutcomePassed
		case admission.CellResolution, admission.RecognitionResolution:
			s.Outcome, s.VotesEligible, s.VotesYes = admission.OutcomePassed, 9, 9
		case admission.Decision:
			s.ReceivedOn = day.AddDate(0, 0, 2)
			s.DocumentNo = "15-QĐ/ĐU"
		case admission.Ceremony, admission.Nominated:
			s.HelperMemberID = 101
		}
		out = append(out, s)
		if k == last {
			break
		}
	}
	return out
}

func facts(steps []admission.Step, today time.Time) admission.Facts {
	return admission.Facts{Candidate: candidate(), Org: cell, Steps: steps, Members: members, RuleSets: rules,
		Calendar: admission.NewCalendar(holidays(2024, 2027)), Today: today}
}

func holidays(from, to int) []time.Time {
	var out []time.Time
	for y := from; y <= to; y++ {
		for _, h := range admission.DefaultHolidays(y) {
			out = append(out, h.Day)
		}
	}
	return out
}

// wantRule checks that err is a refusal by rule (or nil when rule is "").
func wantRule(t *testing.T, err error, rule string) {
	t.Helper()
	if rule == "" {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("accepted, want refusal by %q", rule)
	}
	if got := admission.ErrorRule(err); got != rule {
		t.Fatalf("refused by %q (%v), want %q", got, err, rule)
	}
	var e *admission.Error
	if !asError(err, &e) || e.Message == "" {
		t.Fatalf("refusal without a message: %v", err)
	}
}

func asError(err error, e **admission.Error) bool {
	x, ok := err.(*admission.Error)
	if ok {
		*e = x
	}
	return ok
}
