package admission_test

import (
	"testing"
	"time"

	"ketnap/internal/admission"
)

func vote(day time.Time, eligible, yes int) admission.StepInput {
	return admission.StepInput{Kind: admission.CellResolution, OccurredOn: day, VotesEligible: eligible, VotesYes: yes}
}

func TestCellVoteThreshold(t *testing.T) {
	day := pathDates[admission.CellResolution]
	tests := []struct {
		name          string
		eligible, yes int
		outcome       string
		rule          string
	}{
		{"ExactlyTwoThirds", 9, 6, admission.OutcomePassed, ""},
		{"OneShortOfTwoThirds", 9, 5, admission.OutcomeFailed, ""},
		{"TwoThirdsRoundsUp", 10, 7, admission.OutcomePassed, ""},
		{"TenEligibleSixYes", 10, 6, admission.OutcomeFailed, ""},
		{"Unanimous", 3, 3, admission.OutcomePassed, ""},
		{"NoneYes", 3, 0, admission.OutcomeFailed, ""},
		{"MoreYesThanEligible", 9, 10, "", "votes_range"},
		{"NegativeYes", 9, -1, "", "votes_range"},
		{"NoEligible", 0, 0, "", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := admission.Evaluate(vote(day, tt.eligible, tt.yes), facts(stepsThrough(admission.Comments, nil), day))
			wantRule(t, err, tt.rule)
			if tt.rule != "" {
				return
			}
			if got := v.Step.Outcome; got != tt.outcome {
				t.Fatalf("outcome = %s, want %s", got, tt.outcome)
			}
			wantStage := admission.StageAwaitingDecision
			if tt.outcome == admission.OutcomeFailed {
				wantStage = admission.StageDossier // a failed vote is recorded; the candidate stays
			}
			if v.Stage != wantStage {
				t.Fatalf("stage = %s, want %s", v.Stage, wantStage)
			}
			if v.Step.RuleSetID != 7 {
				t.Fatalf("rule set = %d, want 7", v.Step.RuleSetID)
			}
		})
	}
}

func TestPasses(t *testing.T) {
	p := admission.DefaultParams()
	for eligible := 1; eligible <= 60; eligible++ {
		for yes := 0; yes <= eligible; yes++ {
			want := float64(yes)/float64(eligible) >= 2.0/3.0-1e-12
			if got := admission.Passes(yes, eligible, p); got != want {
				t.Fatalf("Passes(%d, %d) = %v, want %v", yes, eligible, got, want)
			}
		}
	}
	if admission.Passes(0, 0, p) {
		t.Fatal("no eligible voters must not pass")
	}
}

func TestAgeAtCellVote(t *testing.T) {
	day := pathDates[admission.CellResolution] // 02/06/2025
	tests := []struct {
		name  string
		birth time.Time
		ref   string
		rule  string
	}{
		{"Age17Years11Months", d(2007, 6, 3), "", "age_min"},
		{"Age18Years0Months", d(2007, 6, 2), "", ""},
		{"Age60Years0Months", d(1965, 6, 2), "", ""},
		{"Age60Years0MonthsAnd30Days", d(1965, 5, 3), "", ""},
		{"Age60Years1Month", d(1965, 5, 2), "", "age_max"},
		{"Age60Years1MonthWithProvincialDecision", d(1965, 5, 2), "45-QĐ/TU", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := facts(stepsThrough(admission.Comments, nil), day)
			f.Candidate.BirthDate = tt.birth
			in := vote(day, 9, 9)
			in.ApprovalRef = tt.ref
			_, err := admission.Evaluate(in, f)
			wantRule(t, err, tt.rule)
		})
	}
	t.Run("OverAgeReferenceOnCandidate", func(t *testing.T) {
		f := facts(stepsThrough(admission.Comments, nil), day)
		f.Candidate.BirthDate, f.Candidate.OverAgeDecisionRef = d(1960, 1, 1), "12-QĐ/TU"
		_, err := admission.Evaluate(vote(day, 9, 9), f)
		wantRule(t, err, "")
	})
}

func TestCertificateValidity(t *testing.T) {
	day := pathDates[admission.CellResolution] // 02/06/2025
	tests := []struct {
		name string
		cert time.Time
		rule string
	}{
		{"Exactly60MonthsOld", d(2020, 6, 2), ""},
		{"OneDayOlder", d(2020, 6, 1), "certificate_expired"},
		{"Recent", d(2025, 2, 10), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps := stepsThrough(admission.Comments, map[admission.Kind]time.Time{admission.Nominated: d(2020, 1, 1), admission.AwarenessClass: tt.cert})
			_, err := admission.Evaluate(vote(day, 9, 9), facts(steps, day))
			wantRule(t, err, tt.rule)
		})
	}
	t.Run("RetakenClassCounts", func(t *testing.T) {
		steps := stepsThrough(admission.Comments, map[admission.Kind]time.Time{admission.Nominated: d(2019, 1, 1), admission.AwarenessClass: d(2019, 2, 1)})
		f := facts(steps, day)
		retake, err := admission.Evaluate(admission.StepInput{Kind: admission.AwarenessClass, OccurredOn: d(2025, 5, 1), DocumentNo: "GCN 2"}, f)
		wantRule(t, err, "")
		retake.Step.ID, retake.Step.Seq = 99, 99
		f.Steps = append(f.Steps, retake.Step)
		_, err = admission.Evaluate(vote(day, 9, 9), f)
		wantRule(t, err, "")
	})
}

func TestEducation(t *testing.T) {
	day := pathDates[admission.CellResolution]
	tests := []struct {
		name, edu, candRef, stepRef, rule string
	}{
		{"LowerSecondary", admission.EduLowerSecondary, "", "", ""},
		{"PrimaryWithoutApproval", admission.EduPrimary, "", "", "education"},
		{"PrimaryWithApprovalOnCandidate", admission.EduPrimary, "08-CV/TU", "", ""},
		{"LiteracyWithApprovalOnVote", admission.EduLiteracy, "", "08-CV/TU", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := facts(stepsThrough(admission.Comments, nil), day)
			f.Candidate.EducationGeneral, f.Candidate.EducationApprovalRef = tt.edu, tt.candRef
			in := vote(day, 9, 9)
			in.ApprovalRef = tt.stepRef
			_, err := admission.Evaluate(in, f)
			wantRule(t, err, tt.rule)
		})
	}
}

func TestReadmissionNeedsConsent(t *testing.T) {
	day := pathDates[admission.CellResolution]
	f := facts(stepsThrough(admission.Comments, nil), day)
	f.Candidate.Readmission = true
	_, err := admission.Evaluate(vote(day, 9, 9), f)
	wantRule(t, err, "readmission_consent")
	f.Candidate.ReadmissionConsentRef = "125-CV/TU"
	_, err = admission.Evaluate(vote(day, 9, 9), f)
	wantRule(t, err, "")
}

func sp(id int64, since time.Time) admission.Sponsor {
	return admission.Sponsor{MemberID: id, KnownSince: since, Relation: admission.RelationLived}
}

func TestIntroduction(t *testing.T) {
	day := pathDates[admission.Introduction] // 05/04/2025
	long := d(2020, 1, 1)
	tests := []struct {
		name       string
		birth      time.Time
		youth      bool
		trade      bool
		noYouthOrg bool
		route      string
		doc        string
		sponsors   []admission.Sponsor
		onDay      time.Time
		rule       string
	}{
		{name: "TwoOfficialSponsors", route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, long), sp(102, long)}},
		{name: "OneSponsorOnly", route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, long)}, rule: "sponsor_count"},
		{name: "SponsorListedTwice", route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, long), sp(101, long)}, rule: "sponsor_duplicate"},
		{name: "SponsorIsProbationary", route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, long), sp(103, long)}, rule: "sponsor_not_official"},
		{name: "SponsorOfficialTheDayAfter", route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, long), sp(105, long)}, rule: "sponsor_not_official"},
		{name: "SponsorOfficialThatDay", route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, long), sp(105, long)}, onDay: d(2025, 4, 6)},
		{name: "SponsorOfAnotherCommittee", route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, long), sp(104, long)}, rule: "sponsor_scope"},
		{name: "SponsorUnknown", route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, long), sp(999, long)}, rule: "sponsor_scope"},
		{name: "SponsorIsTheCandidate", route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, long), sp(106, long)}, rule: "sponsor_self"},
		{name: "SponsorKnownExactly12Months", route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, d(2024, 4, 5)), sp(102, long)}},
		{name: "SponsorKnown12MonthsLessOneDay", route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, d(2024, 4, 6)), sp(102, long)}, rule: "sponsor_known"},
		{name: "SponsorWithoutRelation", route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{{MemberID: 101, KnownSince: long}, sp(102, long)}, rule: "sponsor_relation"},
		{name: "NoRoute", route: "", sponsors: []admission.Sponsor{sp(101, long), sp(102, long)}, rule: "required"},
		{name: "UnknownRoute", route: "party_cell", sponsors: []admission.Sponsor{sp(101, long), sp(102, long)}, rule: "route"},
		{name: "YouthUnionRouteForMember", birth: d(2000, 1, 1), youth: true, route: admission.RouteYouthUnion, doc: "12-NQ/ĐTN", sponsors: []admission.Sponsor{sp(101, long)}},
		{name: "YouthUnionRouteNeedsResolution", birth: d(2000, 1, 1), youth: true, route: admission.RouteYouthUnion, sponsors: []admission.Sponsor{sp(101, long)}, rule: "route_resolution"},
		{name: "YouthUnionRouteForNonMember", route: admission.RouteYouthUnion, doc: "12-NQ/ĐTN", sponsors: []admission.Sponsor{sp(101, long)}, rule: "route_youth_union"},
		{name: "YouthUnionRouteWithTwoSponsors", birth: d(2000, 1, 1), youth: true, route: admission.RouteYouthUnion, doc: "12-NQ/ĐTN", sponsors: []admission.Sponsor{sp(101, long), sp(102, long)}, rule: "sponsor_count"},
		{name: "TradeUnionRouteForMember", trade: true, route: admission.RouteTradeUnion, doc: "03-NQ/CĐ", sponsors: []admission.Sponsor{sp(101, long)}},
		{name: "TradeUnionRouteForNonMember", route: admission.RouteTradeUnion, doc: "03-NQ/CĐ", sponsors: []admission.Sponsor{sp(101, long)}, rule: "route_trade_union"},
		{name: "YouthAgeMustUseYouthRoute", birth: d(2000, 1, 1), youth: true, route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, long), sp(102, long)}, rule: "youth_route_required"},
		{name: "YouthAgeWithoutYouthOrganization", birth: d(2000, 1, 1), noYouthOrg: true, route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, long), sp(102, long)}},
		{name: "Age31NotYouthAge", birth: d(1994, 4, 5), route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, long), sp(102, long)}},
		{name: "Age30StillYouthAge", birth: d(1994, 4, 6), route: admission.RouteTwoSponsors, sponsors: []admission.Sponsor{sp(101, long), sp(102, long)}, rule: "youth_route_required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			on := day
			if !tt.onDay.IsZero() {
				on = tt.onDay
			}
			f := facts(stepsThrough(admission.Application, nil), on)
			if !tt.birth.IsZero() {
				f.Candidate.BirthDate = tt.birth
			}
			f.Candidate.YouthUnion, f.Candidate.TradeUnion = tt.youth, tt.trade
			if tt.noYouthOrg {
				f.Org.HasYouthUnion = false
			}
			v, err := admission.Evaluate(admission.StepInput{Kind: admission.Introduction, OccurredOn: on, Route: tt.route, DocumentNo: tt.doc, Sponsors: tt.sponsors}, f)
			wantRule(t, err, tt.rule)
			if err == nil && (v.Step.Route != tt.route || len(v.Step.Sponsors) != len(tt.sponsors)) {
				t.Fatalf("step = %+v", v.Step)
			}
		})
	}
}

func TestCeremonyDeadlineAcrossTet(t *testing.T) {
	// Decision received Tuesday 20/01/2026; Tết 2026 is 16–20/02 (30 Tết to mùng 4).
	// Counting working days: 18 in January and early February, the Tết week
	// skipped, the 30th working day is Tuesday 10/03/2026.
	steps := stepsThrough(admission.Decision, map[admission.Kind]time.Time{admission.Decision: d(2026, 1, 18)})
	if got := steps[len(steps)-1].ReceivedOn; !got.Equal(d(2026, 1, 20)) {
		t.Fatalf("fixture: received %s", got)
	}
	cal := admission.NewCalendar(holidays(2026, 2026))
	if got, want := cal.AddWorkingDays(d(2026, 1, 20), 30), d(2026, 3, 10); !got.Equal(want) {
		t.Fatalf("30th working day = %s, want %s", admission.FormatDate(got), admission.FormatDate(want))
	}
	tests := []struct {
		name   string
		day    time.Time
		ref    string
		helper int64
		rule   string
	}{
		{"On30thWorkingDay", d(2026, 3, 10), "", 101, ""},
		{"On31stWorkingDay", d(2026, 3, 11), "", 101, "ceremony_late"},
		{"On31stWorkingDayWithApproval", d(2026, 3, 11), "07-CV/TU", 101, ""},
		{"BeforeDecisionReceived", d(2026, 1, 19), "", 101, "ceremony_before_received"},
		{"BeforeDecisionSigned", d(2026, 1, 17), "", 101, "date_order"},
		{"HelperProbationary", d(2026, 2, 2), "", 103, "helper_not_official"},
		{"HelperOfAnotherCell", d(2026, 2, 2), "", 102, "helper_unknown"},
		{"NoHelper", d(2026, 2, 2), "", 0, "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := admission.Evaluate(admission.StepInput{Kind: admission.Ceremony, OccurredOn: tt.day, ApprovalRef: tt.ref, HelperMemberID: tt.helper},
				facts(steps, d(2026, 3, 20)))
			wantRule(t, err, tt.rule)
			if err == nil && v.Stage != admission.StageProbationary {
				t.Fatalf("stage = %s", v.Stage)
			}
		})
	}
	t.Run("CeremonyBeforeReceivedSameDaySigned", func(t *testing.T) {
		s := stepsThrough(admission.Decision, map[admission.Kind]time.Time{admission.Decision: d(2026, 1, 10)})
		_, err := admission.Evaluate(admission.StepInput{Kind: admission.Ceremony, OccurredOn: d(2026, 1, 11), HelperMemberID: 101}, facts(s, d(2026, 3, 20)))
		wantRule(t, err, "ceremony_before_received")
	})
}

func TestRecognition(t *testing.T) {
	through := stepsThrough(admission.NewMemberClass, nil) // ceremony 25/06/2025
	recog := func(day time.Time, eligible, yes, against int) admission.StepInput {
		return admission.StepInput{Kind: admission.RecognitionResolution, OccurredOn: day, VotesEligible: eligible, VotesYes: yes, VotesAgainst: against}
	}
	t.Run("OneDayBefore12Months", func(t *testing.T) {
		_, err := admission.Evaluate(recog(d(2026, 6, 24), 9, 9, 0), facts(through, d(2026, 7, 1)))
		wantRule(t, err, "probation_not_over")
	})
	t.Run("OnTheDay12MonthsEnd", func(t *testing.T) {
		v, err := admission.Evaluate(recog(d(2026, 6, 25), 9, 9, 0), facts(through, d(2026, 7, 1)))
		wantRule(t, err, "")
		if v.Step.Outcome != admission.OutcomePassed {
			t.Fatalf("outcome %s", v.Step.Outcome)
		}
	})
	t.Run("DecisionMakesOfficialEffectiveAtProbationEnd", func(t *testing.T) {
		steps := stepsThrough(admission.RecognitionResolution, nil)
		f := facts(steps, d(2026, 9, 1))
		v, err := admission.Evaluate(admission.StepInput{Kind: admission.RecognitionDecision, OccurredOn: d(2026, 8, 20), DocumentNo: "88-QĐ/ĐU"}, f)
		wantRule(t, err, "")
		if v.Stage != admission.StageOfficial || v.Step.Outcome != admission.OutcomePassed {
			t.Fatalf("stage %s outcome %s", v.Stage, v.Step.Outcome)
		}
		// effective on the day the 12 months end, whatever the meeting date
		if got := admission.ProbationEnd(append(steps, v.Step), rules); !got.Equal(d(2026, 6, 25)) {
			t.Fatalf("probation end %s", admission.FormatDate(got))
		}
	})
	t.Run("RemoveOutcome", func(t *testing.T) {
		f := facts(through, d(2026, 9, 1))
		v, err := admission.Evaluate(recog(d(2026, 7, 1), 9, 2, 7), f)
		wantRule(t, err, "")
		if v.Step.Outcome != admission.OutcomeRemoved {
			t.Fatalf("outcome %s", v.Step.Outcome)
		}
		v.Step.ID, v.Step.Seq = 50, 50
		f.Steps = append(f.Steps, v.Step)
		dec, err := admission.Evaluate(admission.StepInput{Kind: admission.RecognitionDecision, OccurredOn: d(2026, 7, 20), DocumentNo: "90-QĐ/ĐU"}, f)
		wantRule(t, err, "")
		if dec.Stage != admission.StageRemoved {
			t.Fatalf("stage after removal decision: %s", dec.Stage)
		}
	})
	t.Run("ThreeInconclusiveVotesEscalate", func(t *testing.T) {
		f := facts(through, d(2026, 12, 1))
		for i, day := range []time.Time{d(2026, 7, 1), d(2026, 8, 1), d(2026, 9, 1)} {
			v, err := admission.Evaluate(recog(day, 9, 5, 3), f)
			wantRule(t, err, "")
			if v.Step.Outcome != admission.OutcomeInconclusive {
				t.Fatalf("vote %d outcome %s", i+1, v.Step.Outcome)
			}
			if got, want := v.Escalate, i == 2; got != want {
				t.Fatalf("vote %d escalate = %v, want %v", i+1, got, want)
			}
			if v.Stage != admission.StageProbationary {
				t.Fatalf("stage %s", v.Stage)
			}
			v.Step.ID, v.Step.Seq = int64(60+i), 60+i
			f.Steps = append(f.Steps, v.Step)
		}
		f.Candidate.Escalated = true
		var found bool
		for _, dl := range admission.Deadlines(f.Candidate, f.Steps, rules, f.Calendar, f.Today) {
			found = found || dl.Code == "escalated"
		}
		if !found {
			t.Fatal("escalation missing from deadlines")
		}
	})
	t.Run("DecisionNeedsConclusiveVote", func(t *testing.T) {
		_, err := admission.Evaluate(admission.StepInput{Kind: admission.RecognitionDecision, OccurredOn: d(2026, 8, 1), DocumentNo: "x"}, facts(through, d(2026, 9, 1)))
		wantRule(t, err, "order")
	})
}

func TestOrder(t *testing.T) {
	today := d(2025, 6, 10)
	tests := []struct {
		name  string
		steps []admission.Step
		in    admission.StepInput
		rule  string
		code  admission.Code
	}{
		{"FirstStepIsNomination", nil, admission.StepInput{Kind: admission.Nominated, OccurredOn: d(2025, 1, 1), HelperMemberID: 101}, "", ""},
		{"NominationNeedsOfficialHelper", nil, admission.StepInput{Kind: admission.Nominated, OccurredOn: d(2025, 1, 1), HelperMemberID: 103}, "helper_not_official", admission.Invalid},
		{"ApplicationBeforeClass", stepsThrough(admission.Nominated, nil), admission.StepInput{Kind: admission.Application, OccurredOn: d(2025, 3, 1)}, "order", admission.Invalid},
		{"VoteBeforeVerification", stepsThrough(admission.PersonalHistory, nil), vote(d(2025, 6, 2), 9, 9), "order", admission.Invalid},
		{"DatedBeforePrerequisite", stepsThrough(admission.AwarenessClass, nil), admission.StepInput{Kind: admission.Application, OccurredOn: d(2025, 2, 9)}, "date_order", admission.Invalid},
		{"SameDayAsPrerequisite", stepsThrough(admission.AwarenessClass, nil), admission.StepInput{Kind: admission.Application, OccurredOn: d(2025, 2, 10)}, "", ""},
		{"InTheFuture", stepsThrough(admission.AwarenessClass, nil), admission.StepInput{Kind: admission.Application, OccurredOn: d(2025, 6, 11)}, "date_future", admission.Invalid},
		{"NoDate", stepsThrough(admission.AwarenessClass, nil), admission.StepInput{Kind: admission.Application}, "date_missing", admission.Invalid},
		{"BeforeBirth", nil, admission.StepInput{Kind: admission.Nominated, OccurredOn: d(1980, 1, 1), HelperMemberID: 101}, "date_before_birth", admission.Invalid},
		{"RecordedTwice", stepsThrough(admission.Application, nil), admission.StepInput{Kind: admission.Application, OccurredOn: d(2025, 3, 1)}, "already_recorded", admission.Conflict},
		{"UnknownKind", nil, admission.StepInput{Kind: "baptism", OccurredOn: d(2025, 1, 1)}, "unknown_step", admission.Invalid},
		{"NoIntermediateCommittee", stepsThrough(admission.CellResolution, nil), admission.StepInput{Kind: admission.CommitteeResolution, OccurredOn: d(2025, 6, 5), VotesEligible: 5, VotesYes: 5}, "not_applicable", admission.Invalid},
		{"DecisionNeedsNumber", stepsThrough(admission.CellResolution, nil), admission.StepInput{Kind: admission.Decision, OccurredOn: d(2025, 6, 5), ReceivedOn: d(2025, 6, 6)}, "required", admission.Invalid},
		{"DecisionReceivedBeforeSigned", stepsThrough(admission.CellResolution, nil), admission.StepInput{Kind: admission.Decision, OccurredOn: d(2025, 6, 5), ReceivedOn: d(2025, 6, 4), DocumentNo: "1"}, "received_before_signed", admission.Invalid},
		{"DecisionReceivedInFuture", stepsThrough(admission.CellResolution, nil), admission.StepInput{Kind: admission.Decision, OccurredOn: d(2025, 6, 5), ReceivedOn: d(2025, 6, 30), DocumentNo: "1"}, "date_future", admission.Invalid},
		{"VerificationNeedsConclusion", stepsThrough(admission.PersonalHistory, nil), admission.StepInput{Kind: admission.Verification, OccurredOn: d(2025, 4, 1), Outcome: "maybe"}, "verification_outcome", admission.Invalid},
		{"WithdrawNeedsReason", stepsThrough(admission.Application, nil), admission.StepInput{Kind: admission.Withdrawn, OccurredOn: d(2025, 4, 1)}, "required", admission.Invalid},
		{"WithdrawWithReason", stepsThrough(admission.Application, nil), admission.StepInput{Kind: admission.Withdrawn, OccurredOn: d(2025, 4, 1), Note: "Chuyển đi"}, "", ""},
		{"RemoveBeforeCeremony", stepsThrough(admission.Application, nil), admission.StepInput{Kind: admission.Removed, OccurredOn: d(2025, 4, 1), Note: "x"}, "order", admission.Invalid},
		{"WithdrawProbationary", stepsThrough(admission.Ceremony, nil), admission.StepInput{Kind: admission.Withdrawn, OccurredOn: d(2025, 6, 26), Note: "x"}, "order", admission.Invalid},
		{"CommentsAfterVote", stepsThrough(admission.Decision, nil), admission.StepInput{Kind: admission.Comments, OccurredOn: d(2025, 6, 5)}, "already_recorded", admission.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := admission.Evaluate(tt.in, facts(tt.steps, today))
			wantRule(t, err, tt.rule)
			if tt.code != "" && admission.ErrorCode(err) != tt.code {
				t.Fatalf("code = %s, want %s", admission.ErrorCode(err), tt.code)
			}
		})
	}
	t.Run("ClosedCandidate", func(t *testing.T) {
		steps := append(stepsThrough(admission.Application, nil), admission.Step{ID: 90, Seq: 90, Kind: admission.Withdrawn, OccurredOn: d(2025, 4, 1), Outcome: admission.OutcomeDone})
		_, err := admission.Evaluate(admission.StepInput{Kind: admission.PersonalHistory, OccurredOn: d(2025, 5, 1)}, facts(steps, today))
		wantRule(t, err, "closed")
		if admission.Possible(facts(steps, today)) != nil {
			t.Fatal("a closed candidate has possible steps")
		}
	})
	t.Run("FailedVerificationCanBeRepeated", func(t *testing.T) {
		steps := stepsThrough(admission.Verification, nil)
		steps[len(steps)-1].Outcome = admission.OutcomeFailed
		f := facts(steps, today)
		_, err := admission.Evaluate(vote(d(2025, 6, 2), 9, 9), f)
		wantRule(t, err, "order")
		_, err = admission.Evaluate(admission.StepInput{Kind: admission.Verification, OccurredOn: d(2025, 5, 1), Outcome: admission.OutcomePassed}, f)
		wantRule(t, err, "")
	})
	t.Run("IntermediateCommittee", func(t *testing.T) {
		f := facts(stepsThrough(admission.CellResolution, nil), today)
		f.Org.HasIntermediateCommittee = true
		_, err := admission.Evaluate(admission.StepInput{Kind: admission.Decision, OccurredOn: d(2025, 6, 5), ReceivedOn: d(2025, 6, 6), DocumentNo: "1"}, f)
		wantRule(t, err, "order")
		v, err := admission.Evaluate(admission.StepInput{Kind: admission.CommitteeResolution, OccurredOn: d(2025, 6, 4), VotesEligible: 7, VotesYes: 5}, f)
		wantRule(t, err, "")
		v.Step.ID, v.Step.Seq = 70, 70
		f.Steps = append(f.Steps, v.Step)
		_, err = admission.Evaluate(admission.StepInput{Kind: admission.Decision, OccurredOn: d(2025, 6, 3), ReceivedOn: d(2025, 6, 6), DocumentNo: "1"}, f)
		wantRule(t, err, "date_order")
		_, err = admission.Evaluate(admission.StepInput{Kind: admission.Decision, OccurredOn: d(2025, 6, 5), ReceivedOn: d(2025, 6, 6), DocumentNo: "1"}, f)
		wantRule(t, err, "")
	})
}

func TestPossibleSteps(t *testing.T) {
	kinds := func(defs []admission.StepDef) map[admission.Kind]bool {
		m := map[admission.Kind]bool{}
		for _, d := range defs {
			m[d.Kind] = true
		}
		return m
	}
	got := kinds(admission.Possible(facts(stepsThrough(admission.Application, nil), d(2025, 6, 1))))
	for _, k := range []admission.Kind{admission.PersonalHistory, admission.Introduction, admission.Comments, admission.AwarenessClass, admission.Withdrawn, admission.Transferred} {
		if !got[k] {
			t.Errorf("%s should be possible after the application", k)
		}
	}
	for _, k := range []admission.Kind{admission.Verification, admission.CellResolution, admission.Decision, admission.Ceremony, admission.Removed, admission.Application} {
		if got[k] {
			t.Errorf("%s should not be possible after the application", k)
		}
	}
	got = kinds(admission.Possible(facts(nil, d(2025, 6, 1))))
	if !got[admission.Nominated] || got[admission.AwarenessClass] {
		t.Errorf("new candidate: %v", got)
	}
}

func TestStages(t *testing.T) {
	tests := []struct {
		last admission.Kind
		want admission.Stage
	}{
		{admission.Nominated, admission.StageSource},
		{admission.AwarenessClass, admission.StageSource},
		{admission.Application, admission.StageDossier},
		{admission.Comments, admission.StageDossier},
		{admission.CellResolution, admission.StageAwaitingDecision},
		{admission.Decision, admission.StageAwaitingCeremony},
		{admission.Ceremony, admission.StageProbationary},
		{admission.RecognitionResolution, admission.StageProbationary},
	}
	for _, tt := range tests {
		if got := admission.DeriveStage(stepsThrough(tt.last, nil)); got != tt.want {
			t.Errorf("through %s: stage %s, want %s", tt.last, got, tt.want)
		}
	}
	// a superseded step no longer counts
	steps := stepsThrough(admission.CellResolution, nil)
	fix := steps[len(steps)-1]
	fix.ID, fix.Seq, fix.SupersedesID, fix.Outcome, fix.VotesYes = 100, 100, fix.ID, admission.OutcomeFailed, 3
	if got := admission.DeriveStage(append(steps, fix)); got != admission.StageDossier {
		t.Fatalf("after superseding the vote with a failed one: %s", got)
	}
	for _, st := range admission.Stages {
		if admission.StageLabels[st] == "" {
			t.Errorf("stage %s has no label", st)
		}
	}
}

func TestStepTableIsComplete(t *testing.T) {
	seen := map[admission.Kind]bool{}
	for _, def := range admission.Steps {
		if def.Label == "" || def.Citation == "" && !def.Terminal {
			t.Errorf("%s: label or citation missing", def.Kind)
		}
		if seen[def.Kind] {
			t.Errorf("%s declared twice", def.Kind)
		}
		seen[def.Kind] = true
		for _, n := range def.Needs {
			nd, ok := admission.Def(n)
			if !ok || nd.Order >= def.Order {
				t.Errorf("%s needs %s, which is not an earlier step", def.Kind, n)
			}
		}
		for _, f := range def.Required {
			if !def.Has(f) {
				t.Errorf("%s requires %s but does not carry it", def.Kind, f)
			}
		}
	}
	if len(seen) != 21 {
		t.Fatalf("%d step kinds, want 21", len(seen))
	}
	if _, ok := admission.Def("nothing"); ok {
		t.Fatal("Def of an unknown kind")
	}
}

func TestDecisionExtension(t *testing.T) {
	steps := stepsThrough(admission.CellResolution, nil) // vote 02/06/2025
	cal := admission.NewCalendar(holidays(2025, 2026))
	due := cal.AddWorkingDays(d(2025, 6, 2), 60)
	ext := func(day time.Time) admission.StepInput {
		return admission.StepInput{Kind: admission.DecisionExtension, OccurredOn: day, DocumentNo: "12-CV/ĐU", Note: "Chờ kết quả thẩm tra bổ sung"}
	}
	t.Run("OnTheLastDay", func(t *testing.T) {
		v, err := admission.Evaluate(ext(due), facts(steps, due))
		wantRule(t, err, "")
		if v.Stage != admission.StageAwaitingDecision {
			t.Fatalf("stage %s", v.Stage)
		}
		v.Step.ID, v.Step.Seq = 80, 80
		all := append(append([]admission.Step(nil), steps...), v.Step)
		for _, dl := range admission.Deadlines(candidate(), all, rules, cal, due) {
			if dl.Code == "decision_due" && !dl.Due.Equal(cal.AddWorkingDays(d(2025, 6, 2), 90)) {
				t.Fatalf("extended deadline %s", admission.FormatDate(dl.Due))
			}
		}
		_, err = admission.Evaluate(ext(due), facts(all, due))
		wantRule(t, err, "already_recorded")
	})
	t.Run("AfterTheDeadline", func(t *testing.T) {
		_, err := admission.Evaluate(ext(due.AddDate(0, 0, 1)), facts(steps, due.AddDate(0, 0, 5)))
		wantRule(t, err, "extension_late")
	})
	t.Run("NeedsReason", func(t *testing.T) {
		in := ext(due)
		in.Note = ""
		_, err := admission.Evaluate(in, facts(steps, due))
		wantRule(t, err, "required")
	})
	t.Run("AfterTheDecision", func(t *testing.T) {
		_, err := admission.Evaluate(ext(d(2025, 6, 20)), facts(stepsThrough(admission.Decision, nil), d(2025, 6, 30)))
		if admission.ErrorCode(err) != admission.Conflict {
			t.Fatalf("extension after the decision: %v", err)
		}
	})
}

func TestYesNeeded(t *testing.T) {
	p := admission.DefaultParams()
	for eligible, want := range map[int]int{0: 0, 1: 1, 2: 2, 3: 2, 9: 6, 10: 7, 11: 8, 12: 8, 37: 25} {
		if got := admission.YesNeeded(eligible, p); got != want {
			t.Errorf("admission.YesNeeded(%d) = %d, want %d", eligible, got, want)
		}
		if eligible > 0 && (!admission.Passes(admission.YesNeeded(eligible, p), eligible, p) || admission.Passes(admission.YesNeeded(eligible, p)-1, eligible, p)) {
			t.Errorf("admission.YesNeeded(%d) disagrees with Passes", eligible)
		}
	}
}

func TestForecastOf(t *testing.T) {
	in := admission.ForecastInput{AwaitingCeremony: 1, DecisionInYear: 1, DecisionLater: 1, DossierVerified: 1, DossierUnverified: 2}
	for _, tc := range []struct {
		target, admitted int
		has              bool
		want             admission.ForecastClass
	}{
		{3, 3, true, admission.ForecastMet}, {4, 2, true, admission.ForecastLikely}, {5, 2, true, admission.ForecastPossible},
		{7, 2, true, admission.ForecastAtRisk}, {0, 2, false, admission.ForecastNone}, {6, 2, true, admission.ForecastPossible},
	} {
		f := admission.ForecastOf(admission.CellProgress{Target: tc.target, HasTarget: tc.has, Admitted: tc.admitted, Pipeline: in})
		if f.Class != tc.want || f.Likely != 2 || f.Possible != 2 || f.AtRisk != 2 {
			t.Errorf("target %d admitted %d: %+v, want %s", tc.target, tc.admitted, f, tc.want)
		}
	}
	sum := admission.ForecastOf(admission.CellProgress{Target: 2, HasTarget: true, Admitted: 2}).Add(admission.ForecastOf(admission.CellProgress{Admitted: 1}))
	if sum.Target != 2 || sum.Admitted != 3 || sum.Class != admission.ForecastMet {
		t.Fatalf("sum %+v", sum)
	}
}

func TestPersonName(t *testing.T) {
	for in, want := range map[string]string{"nguyễn  văn bình": "Nguyễn Văn Bình", "NGUYỄN VĂN BÌNH": "Nguyễn Văn Bình", "Lò Văn A": "Lò Văn A",
		"đỗ thị ánh": "Đỗ Thị Ánh", "Nguyễn văn Bình": "Nguyễn văn Bình"} {
		if got := admission.PersonName(in); got != want {
			t.Errorf("PersonName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRowTitle(t *testing.T) {
	v := admission.Vocabularies{admission.VocabProfessional: {{Label: "Đại học"}}, admission.VocabEthnicity: {{Label: "Tày"}}}
	for key, want := range map[string]string{
		admission.RowTotal: "Đảng viên mới kết nạp", admission.RowWomen: "Đảng viên mới kết nạp — Nữ",
		"age:31-35": "Đảng viên mới kết nạp — Độ tuổi khi kết nạp: từ 31 đến 35 tuổi", "professional:Đại học": "Đảng viên mới kết nạp — Trình độ chuyên môn: đại học",
		"edu:": "Đảng viên mới kết nạp — Trình độ giáo dục phổ thông: chưa rõ", "ethnicity:Tày": "Đảng viên mới kết nạp — Dân tộc: Tày",
	} {
		if got, ok := admission.RowTitle(key, v); !ok || got != want {
			t.Errorf("RowTitle(%q) = %q, %v; want %q", key, got, ok, want)
		}
	}
	for _, key := range []string{"x:y", admission.RowAvgAge, "professional:Tiến sĩ", ""} {
		if _, ok := admission.RowTitle(key, v); ok {
			t.Errorf("RowTitle(%q) named a row", key)
		}
	}
}
