package admission_test

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"ketnap/internal/admission"
)

func TestAddMonthsAndFullMonths(t *testing.T) {
	tests := []struct {
		from time.Time
		n    int
		want time.Time
	}{
		{d(2024, 1, 31), 1, d(2024, 2, 29)},
		{d(2025, 1, 31), 1, d(2025, 2, 28)},
		{d(2025, 3, 15), 12, d(2026, 3, 15)},
		{d(2025, 11, 30), 3, d(2026, 2, 28)},
		{d(2025, 3, 15), -3, d(2024, 12, 15)},
		{d(2020, 6, 2), 60, d(2025, 6, 2)},
	}
	for _, tt := range tests {
		if got := admission.AddMonths(tt.from, tt.n); !got.Equal(tt.want) {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", admission.FormatDate(tt.from), tt.n, admission.FormatDate(got), admission.FormatDate(tt.want))
		}
	}
	months := []struct {
		from, to time.Time
		want     int
	}{
		{d(2007, 6, 2), d(2025, 6, 2), 216},
		{d(2007, 6, 3), d(2025, 6, 2), 215},
		{d(2025, 1, 31), d(2025, 2, 28), 1},
		{d(2025, 1, 31), d(2025, 2, 27), 0},
		{d(2025, 5, 1), d(2025, 4, 1), -1},
	}
	for _, tt := range months {
		if got := admission.FullMonths(tt.from, tt.to); got != tt.want {
			t.Errorf("FullMonths(%s, %s) = %d, want %d", admission.FormatDate(tt.from), admission.FormatDate(tt.to), got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	good := map[string]time.Time{
		"05/09/2025":  d(2025, 9, 5),
		"5/9/2025":    d(2025, 9, 5),
		" 29/02/2024": d(2024, 2, 29),
		"2025-09-05":  d(2025, 9, 5),
		"10.01.1990":  d(1990, 1, 10),
		"10-01-1990":  d(1990, 1, 10),
		"10011990":    d(1990, 1, 10),
		"1.2.2026":    d(2026, 2, 1),
	}
	for in, want := range good {
		got, err := admission.ParseDate(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %s, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "31/02/2025", "29/02/2025", "00/01/2025", "12/13/2025", "1/1/25", "hôm qua", "2025-02-30", "1/1/1800", "a/b/c"} {
		if _, err := admission.ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) accepted an impossible date", in)
		}
	}
	if _, err := admission.ParseDate("10/01/90"); err == nil || !strings.Contains(err.Error(), "bốn chữ số") {
		t.Errorf("a two-digit year: %v", err)
	}
	for _, in := range []string{"31021990", "1001199", "10/01/1990/1", "10..1990"} {
		if _, err := admission.ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) accepted", in)
		}
	}
	if got := admission.FormatDate(d(2025, 9, 5)); got != "05/09/2025" {
		t.Errorf("FormatDate = %q", got)
	}
	if admission.FormatDate(time.Time{}) != "" {
		t.Error("zero date not empty")
	}
}

func TestWorkingDays(t *testing.T) {
	cal := admission.NewCalendar(holidays(2025, 2026))
	if cal.IsWorkingDay(d(2025, 9, 2)) || cal.IsWorkingDay(d(2025, 9, 1)) || cal.IsWorkingDay(d(2026, 4, 30)) {
		t.Error("a public holiday counted as a working day")
	}
	if cal.IsWorkingDay(d(2025, 11, 29)) || cal.IsWorkingDay(d(2025, 11, 30)) {
		t.Error("a weekend counted as a working day")
	}
	if !cal.IsWorkingDay(d(2025, 11, 28)) {
		t.Error("a Friday not counted")
	}
	// Friday + 1 working day = Monday
	if got := cal.AddWorkingDays(d(2025, 11, 28), 1); !got.Equal(d(2025, 12, 1)) {
		t.Errorf("Friday + 1 = %s", admission.FormatDate(got))
	}
	if got := cal.WorkingDaysBetween(d(2026, 1, 20), d(2026, 3, 10)); got != 30 {
		t.Errorf("working days 20/01–10/03/2026 = %d, want 30", got)
	}
	hs := admission.DefaultHolidays(2026)
	names := map[time.Time]string{}
	for _, h := range hs {
		names[h.Day] = h.Name
	}
	for _, day := range []time.Time{d(2026, 1, 1), d(2026, 2, 16), d(2026, 2, 17), d(2026, 2, 20), d(2026, 4, 26), d(2026, 4, 30), d(2026, 5, 1), d(2026, 9, 2)} {
		if names[day] == "" {
			t.Errorf("%s is not a default holiday of 2026", admission.FormatDate(day))
		}
	}
}

func TestSearchKeyAndNames(t *testing.T) {
	tests := map[string]string{
		"Hoàng Thị Thuận":   "hoang thi thuan",
		"ĐỖ ĐỨC ĐẠT":        "do duc dat",
		"Nguyễn  Văn   Ánh": "nguyen van anh",
		"Lương Thị Quyên":   "luong thi quyen",
	}
	for in, want := range tests {
		if got := admission.SearchKey(in); got != want {
			t.Errorf("SearchKey(%q) = %q, want %q", in, got, want)
		}
	}
	decomposed := norm.NFD.String("Nguyễn Thị Thuận")
	if got := admission.NormalizeName("  " + decomposed + "  "); got != "Nguyễn Thị Thuận" || !norm.NFC.IsNormalString(got) {
		t.Errorf("NormalizeName = %q", got)
	}
}

func TestDeadlines(t *testing.T) {
	cal := admission.NewCalendar(holidays(2025, 2027))
	c := candidate()
	status := func(ds []admission.Deadline, code string) (admission.Deadline, bool) {
		for _, x := range ds {
			if x.Code == code {
				return x, true
			}
		}
		return admission.Deadline{}, false
	}
	t.Run("DecisionDue", func(t *testing.T) {
		steps := stepsThrough(admission.CellResolution, nil) // vote 02/06/2025
		due := cal.AddWorkingDays(d(2025, 6, 2), 60)
		for _, tt := range []struct {
			today time.Time
			want  admission.DeadlineStatus
		}{
			{d(2025, 6, 3), admission.Upcoming},
			{due.AddDate(0, 0, -14), admission.DueSoon},
			{due, admission.DueSoon},
			{due.AddDate(0, 0, 1), admission.Overdue},
		} {
			dl, ok := status(admission.Deadlines(c, steps, rules, cal, tt.today), "decision_due")
			if !ok || !dl.Due.Equal(due) || dl.Status != tt.want {
				t.Errorf("today %s: %+v, want due %s %s", admission.FormatDate(tt.today), dl, admission.FormatDate(due), tt.want)
			}
		}
		if _, ok := status(admission.Deadlines(c, steps, rules, cal, d(2025, 6, 3)), "certificate_expiry"); ok {
			t.Error("certificate expiry shown after the vote passed")
		}
	})
	t.Run("CertificateExpiryBeforeVote", func(t *testing.T) {
		dl, ok := status(admission.Deadlines(c, stepsThrough(admission.Comments, nil), rules, cal, d(2025, 5, 1)), "certificate_expiry")
		if !ok || !dl.Due.Equal(d(2030, 2, 10)) || dl.Status != admission.Upcoming {
			t.Errorf("%+v", dl)
		}
	})
	t.Run("CeremonyDue", func(t *testing.T) {
		steps := stepsThrough(admission.Decision, nil) // received 18/06/2025
		dl, ok := status(admission.Deadlines(c, steps, rules, cal, d(2025, 9, 1)), "ceremony_due")
		if !ok || !dl.Due.Equal(cal.AddWorkingDays(d(2025, 6, 18), 30)) || dl.Status != admission.Overdue {
			t.Errorf("%+v", dl)
		}
	})
	t.Run("ProbationAndRecognition", func(t *testing.T) {
		steps := stepsThrough(admission.NewMemberClass, nil) // ceremony 25/06/2025
		ds := admission.Deadlines(c, steps, rules, cal, d(2026, 6, 1))
		end, ok := status(ds, "probation_end")
		if !ok || !end.Due.Equal(d(2026, 6, 25)) {
			t.Errorf("probation end %+v", end)
		}
		review, ok := status(ds, "recognition_review_due")
		if !ok || !review.Due.Equal(cal.AddWorkingDays(d(2026, 6, 25), 30)) {
			t.Errorf("review %+v", review)
		}
		for i := 1; i < len(ds); i++ {
			if ds[i].Due.Before(ds[i-1].Due) {
				t.Errorf("deadlines not sorted: %+v", ds)
			}
		}
		withVote := stepsThrough(admission.RecognitionResolution, nil)
		if _, ok := status(admission.Deadlines(c, withVote, rules, cal, d(2026, 7, 1)), "recognition_decision_due"); !ok {
			t.Error("recognition decision due missing")
		}
	})
	t.Run("ClosedHasNone", func(t *testing.T) {
		steps := append(stepsThrough(admission.Application, nil), admission.Step{ID: 90, Seq: 90, Kind: admission.Withdrawn, OccurredOn: d(2025, 4, 1), Outcome: admission.OutcomeDone})
		if ds := admission.Deadlines(c, steps, rules, cal, d(2025, 5, 1)); len(ds) != 0 {
			t.Errorf("closed: %+v", ds)
		}
	})
	t.Run("VerificationValidityWhenEnabled", func(t *testing.T) {
		p := admission.DefaultParams()
		p.VerificationValidityMonths = 12
		rs := admission.RuleSets{{ID: 8, EffectiveFrom: d(2020, 1, 1), Params: p}}
		steps := stepsThrough(admission.Comments, nil)
		if _, ok := status(admission.Deadlines(c, steps, rs, cal, d(2025, 5, 1)), "verification_expiry"); !ok {
			t.Error("verification expiry missing when enabled")
		}
		f := facts(steps, d(2026, 6, 1))
		f.RuleSets = rs
		_, err := admission.Evaluate(vote(d(2026, 4, 2), 9, 9), f)
		wantRule(t, err, "verification_expired")
	})
}

func TestRuleSets(t *testing.T) {
	old := admission.DefaultParams()
	newer := admission.DefaultParams()
	newer.SponsorKnownMonths = 24
	rs := admission.RuleSets{
		{ID: 2, Code: "2026", EffectiveFrom: d(2026, 7, 1), Params: newer},
		{ID: 1, Code: "2025", EffectiveFrom: d(2025, 5, 26), Params: old},
	}
	for _, tt := range []struct {
		day  time.Time
		want int64
	}{{d(2024, 1, 1), 1}, {d(2025, 5, 26), 1}, {d(2026, 6, 30), 1}, {d(2026, 7, 1), 2}} {
		if got, _ := rs.InForce(tt.day); got.ID != tt.want {
			t.Errorf("InForce(%s) = %d, want %d", admission.FormatDate(tt.day), got.ID, tt.want)
		}
	}
	if _, ok := (admission.RuleSets{}).InForce(d(2025, 1, 1)); ok {
		t.Error("empty rule sets in force")
	}
	// the set in force on the step's date judges it: 24 months under the newer set
	f := facts(stepsThrough(admission.Application, nil), d(2026, 8, 1))
	f.RuleSets = rs
	in := admission.StepInput{Kind: admission.Introduction, OccurredOn: d(2026, 7, 15), Route: admission.RouteTwoSponsors,
		Sponsors: []admission.Sponsor{sp(101, d(2025, 1, 1)), sp(102, d(2020, 1, 1))}}
	_, err := admission.Evaluate(in, f)
	wantRule(t, err, "sponsor_known")
	in.OccurredOn = d(2026, 6, 15)
	v, err := admission.Evaluate(in, f)
	wantRule(t, err, "")
	if v.Step.RuleSetID != 1 {
		t.Errorf("judged by set %d, want 1", v.Step.RuleSetID)
	}

	p, err := admission.ParseParams([]byte(`{"sponsor_known_months": 18}`))
	if err != nil || p.SponsorKnownMonths != 18 || p.MinAgeMonths != 216 {
		t.Errorf("ParseParams = %+v, %v", p, err)
	}
	for _, bad := range []string{`{"vote_numerator": 4}`, `{"min_age_months": 0}`, `{"min_education": "phd"}`, `{"probation_months": 0}`, `{"ceremony_due_working_days": 0}`, `{"inconclusive_votes_limit": 0}`, `not json`} {
		if _, err := admission.ParseParams([]byte(bad)); err == nil {
			t.Errorf("ParseParams(%s) accepted", bad)
		}
	}
}

func TestCan(t *testing.T) {
	ward := "/1/"
	sec := admission.Actor{Role: admission.RoleSecretary, ScopePath: "/1/10/"}
	staff := admission.Actor{Role: admission.RoleStaff, ScopePath: ward}
	viewer := admission.Actor{Role: admission.RoleViewer, ScopePath: ward}
	admin := admission.Actor{Role: admission.RoleAdmin, ScopePath: ward}
	cellDef, _ := admission.Def(admission.CellResolution)
	commDef, _ := admission.Def(admission.Decision)
	anyDef, _ := admission.Def(admission.AwarenessClass)
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"SecretaryRecordsCellStep", admission.CanRecord(sec, cellDef, "/1/10/"), true},
		{"SecretaryRecordsCommitteeStep", admission.CanRecord(sec, commDef, "/1/10/"), false},
		{"SecretaryOutOfScope", admission.CanRecord(sec, cellDef, "/1/11/"), false},
		{"StaffRecordsCommitteeStep", admission.CanRecord(staff, commDef, "/1/11/"), true},
		{"StaffRecordsCellStep", admission.CanRecord(staff, cellDef, "/1/11/"), false},
		{"EitherRecordsClass", admission.CanRecord(sec, anyDef, "/1/10/") && admission.CanRecord(staff, anyDef, "/1/10/"), true},
		{"ViewerRecordsNothing", admission.CanRecord(viewer, anyDef, "/1/10/"), false},
		{"ViewerViews", admission.Can(viewer, admission.ActView, "/1/10/"), true},
		{"AdminAdministers", admission.Can(admin, admission.ActAdminister, "/1/"), true},
		{"StaffDoesNotAdminister", admission.Can(staff, admission.ActAdminister, "/1/"), false},
		{"StaffCorrects", admission.Can(staff, admission.ActCorrect, "/1/10/"), true},
		{"SecretaryDoesNotCorrect", admission.Can(sec, admission.ActCorrect, "/1/10/"), false},
		{"PrefixIsNotScope", admission.Can(admission.Actor{Role: admission.RoleViewer, ScopePath: "/1/1/"}, admission.ActView, "/1/10/"), false},
		{"EmptyScopeSeesNothing", admission.Can(admission.Actor{Role: admission.RoleAdmin}, admission.ActView, "/1/"), false},
		{"UnknownRole", admission.Can(admission.Actor{Role: "guest", ScopePath: ward}, admission.ActView, "/1/"), false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestValidateMemberForm(t *testing.T) {
	today := d(2026, 11, 20)
	rs := admission.RuleSets{
		{ID: 1, EffectiveFrom: d(2000, 1, 1), Params: admission.DefaultParams()},
		{ID: 2, EffectiveFrom: d(2026, 7, 1), Params: func() admission.Params { p := admission.DefaultParams(); p.ProbationMonths = 18; return p }()},
	}
	base := admission.MemberForm{FullName: "Trần Văn Cũ", Gender: admission.Male, BirthDate: d(1980, 1, 1), AdmittedOn: d(2010, 1, 1),
		CeremonyOn: d(2010, 1, 20), OfficialOn: d(2011, 1, 20), Status: admission.MemberOfficial}
	tests := []struct {
		name  string
		edit  func(*admission.MemberForm)
		field string
	}{
		{"Consistent", func(*admission.MemberForm) {}, ""},
		{"AdmittedAt17", func(m *admission.MemberForm) {
			m.AdmittedOn, m.CeremonyOn, m.OfficialOn = d(1997, 12, 31), d(1997, 12, 31), d(1998, 12, 31)
		}, "admitted_on"},
		{"AdmittedAt18", func(m *admission.MemberForm) {
			m.AdmittedOn, m.CeremonyOn, m.OfficialOn = d(1998, 1, 1), d(1998, 1, 1), d(1999, 1, 1)
		}, ""},
		{"AdmittedInFuture", func(m *admission.MemberForm) { m.AdmittedOn, m.OfficialOn, m.Status = d(2027, 1, 1), time.Time{}, "" }, "admitted_on"},
		{"CeremonyBeforeDecision", func(m *admission.MemberForm) { m.CeremonyOn = d(2009, 12, 31) }, "ceremony_on"},
		{"OfficialWithoutDate", func(m *admission.MemberForm) { m.OfficialOn = time.Time{} }, "official_on"},
		{"OfficialBeforeProbationEnds", func(m *admission.MemberForm) { m.OfficialOn = d(2011, 1, 19) }, "official_on"},
		{"OfficialInFuture", func(m *admission.MemberForm) { m.OfficialOn = d(2027, 1, 1) }, "official_on"},
		{"ProbationaryWithOfficialDate", func(m *admission.MemberForm) { m.Status = admission.MemberProbationary }, "official_on"},
		{"Probationary", func(m *admission.MemberForm) { m.Status, m.OfficialOn = admission.MemberProbationary, time.Time{} }, ""},
		{"ProbationaryNeedsCeremony", func(m *admission.MemberForm) { m.Status, m.OfficialOn, m.CeremonyOn = "", time.Time{}, time.Time{} }, "ceremony_on"},
		// a ceremony under the 18-month rule set: 12 months are not enough
		{"EighteenMonthsAfterJuly2026", func(m *admission.MemberForm) {
			m.AdmittedOn, m.CeremonyOn, m.OfficialOn = d(2024, 1, 1), d(2026, 7, 1), time.Time{}
			m.Status = admission.MemberProbationary
		}, ""},
		{"TwelveMonthsUnderOldSet", func(m *admission.MemberForm) {
			m.AdmittedOn, m.CeremonyOn, m.OfficialOn = d(2025, 1, 1), d(2025, 1, 10), d(2026, 1, 10)
		}, ""},
		{"NoName", func(m *admission.MemberForm) { m.FullName = "  " }, "full_name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := base
			tt.edit(&m)
			_, errs := admission.ValidateMemberForm(m, rs, today)
			if tt.field == "" && len(errs) > 0 || tt.field != "" && errs[tt.field] == "" {
				t.Errorf("%v, want an error on %q", errs, tt.field)
			}
		})
	}
}
