package admission_test

import (
	"strings"
	"testing"
	"time"

	"ketnap/internal/admission"
)

func TestStateOf(t *testing.T) {
	cal := admission.NewCalendar(holidays(2024, 2027))
	decisionDue := cal.AddWorkingDays(pathDates[admission.CellResolution], 60)
	ceremonyDue := cal.AddWorkingDays(pathDates[admission.Decision].AddDate(0, 0, 2), 30)
	probationEnd := admission.AddMonths(pathDates[admission.Ceremony], 12)
	reviewDue := cal.AddWorkingDays(probationEnd, 30)
	failedVerification := stepsThrough(admission.Verification, nil)
	failedVerification[len(failedVerification)-1].Outcome = admission.OutcomeFailed
	for _, tc := range []struct {
		name     string
		steps    []admission.Step
		today    time.Time
		who      admission.Party
		awaiting string
		late     bool
		until    time.Time
		words    string
	}{
		{"nominated", stepsThrough(admission.Nominated, nil), d(2025, 1, 20), admission.PartyCandidate, admission.AwaitClass, false, time.Time{}, "lớp bồi dưỡng"},
		{"class taken", stepsThrough(admission.AwarenessClass, nil), d(2025, 2, 12), admission.PartyCandidate, admission.AwaitApplication, false, time.Time{}, "viết đơn"},
		{"application", stepsThrough(admission.Application, nil), d(2025, 2, 25), admission.PartyCandidate, admission.AwaitHistory, false, time.Time{}, "khai lý lịch"},
		{"waiting for verification", stepsThrough(admission.PersonalHistory, nil), d(2025, 3, 20), admission.PartyCommittee, admission.AwaitVerification, false, time.Time{}, "Đang chờ Đảng ủy thẩm tra lý lịch"},
		{"verification failed", failedVerification, d(2025, 4, 2), admission.PartyCell, admission.AwaitVerifyFailed, false, time.Time{}, "không đạt"},
		{"verified", stepsThrough(admission.Verification, nil), d(2025, 4, 2), admission.PartyCell, admission.AwaitIntroduction, false, time.Time{}, "giới thiệu"},
		{"introduced", stepsThrough(admission.Introduction, nil), d(2025, 4, 6), admission.PartyCell, admission.AwaitComments, false, time.Time{}, "nhận xét"},
		{"file complete", stepsThrough(admission.Comments, nil), d(2025, 4, 11), admission.PartyCell, admission.AwaitCellVote, false, time.Time{}, "biểu quyết"},
		{"certificate expired before the vote", stepsThrough(admission.Comments, nil), d(2030, 2, 11), admission.PartyCell, admission.AwaitCellVote, true, admission.AddMonths(pathDates[admission.AwarenessClass], 60), "học lại"},
		{"decision on its last day", stepsThrough(admission.CellResolution, nil), decisionDue, admission.PartyCommittee, admission.AwaitDecision, false, decisionDue, "hạn là hôm nay"},
		{"decision late", stepsThrough(admission.CellResolution, nil), decisionDue.AddDate(0, 0, 1), admission.PartyCommittee, admission.AwaitDecision, true, decisionDue, "gia hạn"},
		{"ceremony in time", stepsThrough(admission.Decision, nil), ceremonyDue.AddDate(0, 0, -1), admission.PartyCell, admission.AwaitCeremony, false, ceremonyDue, "lễ kết nạp"},
		{"ceremony late", stepsThrough(admission.Decision, nil), ceremonyDue.AddDate(0, 0, 3), admission.PartyCell, admission.AwaitCeremony, true, ceremonyDue, "cấp ủy cấp trên"},
		{"probation running", stepsThrough(admission.NewMemberClass, nil), probationEnd.AddDate(0, 0, -1), admission.PartyCandidate, admission.AwaitProbation, false, probationEnd, "dự bị"},
		{"probation over", stepsThrough(admission.NewMemberClass, nil), probationEnd, admission.PartyCell, admission.AwaitRecognitionVote, false, reviewDue, "xét công nhận"},
		{"recognition vote late", stepsThrough(admission.NewMemberClass, nil), reviewDue.AddDate(0, 0, 7), admission.PartyCell, admission.AwaitRecognitionVote, true, reviewDue, "Quá hạn xét"},
		{"recognition decision", stepsThrough(admission.RecognitionResolution, nil), d(2026, 7, 2), admission.PartyCommittee, admission.AwaitRecognition, false,
			cal.AddWorkingDays(pathDates[admission.RecognitionResolution], 30), "công nhận"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := admission.StateOf(candidate(), cell, tc.steps, rules, cal, tc.today)
			if st.Who != tc.who || st.Awaiting != tc.awaiting || st.Late() != tc.late || !st.Until.Equal(tc.until) {
				t.Fatalf("got %s/%s late=%v until %s, want %s/%s late=%v until %s", st.Who, st.Awaiting, st.Late(), admission.FormatDate(st.Until),
					tc.who, tc.awaiting, tc.late, admission.FormatDate(tc.until))
			}
			if text := st.Sentence() + " " + st.IfLate; !strings.Contains(text, tc.words) {
				t.Fatalf("%q lacks %q", text, tc.words)
			}
		})
	}
	// a closed file awaits nothing
	c := candidate()
	withdrawn := append(stepsThrough(admission.Application, nil), admission.Step{ID: 99, Seq: 99, Kind: admission.Withdrawn, OccurredOn: d(2025, 3, 1), Outcome: admission.OutcomeDone})
	if st := admission.StateOf(c, cell, withdrawn, rules, cal, d(2025, 3, 2)); st.Who != admission.PartyNone || st.Awaiting != admission.AwaitNothing {
		t.Fatalf("withdrawn: %+v", st)
	}
}
