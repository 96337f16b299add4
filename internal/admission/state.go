package admission

import (
	"fmt"
	"time"
)

// A file's state in words: who acts next, what is awaited, since when and
// until when, and what happens when it is late. Derived from the steps and
// the deadlines, never stored.

// Party is who acts next on a file.
type Party string

// Parties.
const (
	PartyNone      Party = ""
	PartyCell      Party = "cell"
	PartyCommittee Party = "committee"
	PartyCandidate Party = "candidate"
)

// PartyLabels name who acts.
var PartyLabels = map[Party]string{PartyCell: "Chi bộ", PartyCommittee: "Đảng ủy", PartyCandidate: "Người vào Đảng"}

// Awaited codes: what a file waits for (the queues group by them).
const (
	AwaitClass           = "class"          // the awareness class
	AwaitApplication     = "application"    // the candidate's application
	AwaitHistory         = "history"        // the candidate's personal history
	AwaitVerification    = "verification"   // the committee's verification
	AwaitVerifyFailed    = "verify_failed"  // verification not passed: the cell decides
	AwaitIntroduction    = "introduction"   // the sponsors' introduction
	AwaitComments        = "comments"       // the summary of comments
	AwaitCellVote        = "cell_vote"      // the cell's vote
	AwaitCommitteeVote   = "committee_vote" // an intermediate committee's resolution
	AwaitDecision        = "decision"       // the admission decision
	AwaitCeremony        = "ceremony"       // the ceremony
	AwaitProbation       = "probation"      // the probation year running
	AwaitRecognitionVote = "recognition_vote"
	AwaitRecognition     = "recognition" // the recognition decision
	AwaitEscalated       = "escalated"   // three inconclusive votes: the superior committee
	AwaitNothing         = "closed"
)

// FileState is a file's state in words.
type FileState struct {
	Who      Party
	Awaiting string // an Await code
	What     string // "Đang chờ Đảng ủy thẩm tra lý lịch"
	Since    time.Time
	Until    time.Time // zero when nothing is due by a date
	DaysLeft int       // working days from today to Until; negative when late
	IfLate   string
	Citation string
}

// Late reports whether the file is past its date.
func (s FileState) Late() bool { return !s.Until.IsZero() && s.DaysLeft < 0 }

// Sentence says the state in one line: what, since when, and the working
// days left or late.
func (s FileState) Sentence() string {
	out := s.What
	if !s.Since.IsZero() {
		out += " (từ " + FormatDate(s.Since) + ")"
	}
	switch {
	case s.Until.IsZero():
	case s.DaysLeft < 0:
		out += fmt.Sprintf(" — quá hạn %d ngày làm việc (hạn %s)", -s.DaysLeft, FormatDate(s.Until))
	case s.DaysLeft == 0:
		out += " — hạn là hôm nay (" + FormatDate(s.Until) + ")"
	default:
		out += fmt.Sprintf(" — còn %d ngày làm việc (hạn %s)", s.DaysLeft, FormatDate(s.Until))
	}
	return out
}

// StateOf derives a file's state on day today.
func StateOf(c Candidate, org Organization, steps []Step, rules RuleSets, cal *Calendar, today time.Time) FileState {
	h := newHistory(steps)
	stage := h.stage()
	dl := map[string]Deadline{}
	for _, d := range Deadlines(c, steps, rules, cal, today) {
		dl[d.Code] = d
	}
	st := FileState{}
	due := func(code, ifLate string) {
		if d, ok := dl[code]; ok {
			st.Until, st.Citation, st.IfLate = d.Due, d.Citation, ifLate
		}
	}
	since := func(k Kind) {
		if x, ok := h.lastOf(k); ok {
			st.Since = x.OccurredOn
		}
	}
	set := func(who Party, code, what string) { st.Who, st.Awaiting, st.What = who, code, what }
	certLate := "Giấy chứng nhận hết giá trị: quần chúng phải học lại lớp bồi dưỡng nhận thức về Đảng trước khi chi bộ biểu quyết."
	// the certificate's expiry is the file's date only when it comes within six months
	certSoon := func() {
		if d, ok := dl["certificate_expiry"]; ok && d.Due.Before(AddMonths(today, 6)) {
			st.Until, st.Citation, st.IfLate = d.Due, d.Citation, certLate
		}
	}
	switch {
	case stage.Closed():
		set(PartyNone, AwaitNothing, StageLabels[stage])
		if x, ok := h.lastOf(RecognitionDecision); ok && stage == StageOfficial {
			st.What, st.Since = "Đã là đảng viên chính thức", x.OccurredOn
		}
		return st
	case c.Escalated && !h.done(RecognitionDecision):
		set(PartyCommittee, AwaitEscalated, "Ba lần biểu quyết không đủ 2/3: chờ cấp ủy cấp trên cho ý kiến")
		since(RecognitionResolution)
	case stage == StageProbationary:
		end := ProbationEnd(steps, rules)
		switch {
		case h.done(RecognitionResolution):
			set(PartyCommittee, AwaitRecognition, "Đang chờ Đảng ủy ra quyết định công nhận đảng viên chính thức")
			since(RecognitionResolution)
			due("recognition_decision_due", "Quá hạn ra quyết định công nhận; việc công nhận vẫn có hiệu lực từ ngày hết dự bị.")
		case today.Before(end):
			set(PartyCandidate, AwaitProbation, "Đang trong thời gian dự bị, đến hết ngày "+FormatDate(end))
			since(Ceremony)
			st.Until = end
		default:
			set(PartyCell, AwaitRecognitionVote, "Đã hết thời gian dự bị: chờ chi bộ họp xét công nhận đảng viên chính thức")
			st.Since = end
			due("recognition_review_due", "Quá hạn xét công nhận: chi bộ phải họp xét ngay và báo cáo lý do chậm.")
		}
	case stage == StageAwaitingCeremony:
		set(PartyCell, AwaitCeremony, "Đã có quyết định kết nạp: chờ chi bộ tổ chức lễ kết nạp")
		since(Decision)
		due("ceremony_due", "Quá 30 ngày làm việc: phải có ý kiến đồng ý của cấp ủy cấp trên mới tổ chức lễ kết nạp.")
	case stage == StageAwaitingDecision:
		if org.HasIntermediateCommittee && !h.done(CommitteeResolution) {
			set(PartyCommittee, AwaitCommitteeVote, "Đang chờ đảng ủy cơ sở xét, đề nghị kết nạp")
		} else {
			set(PartyCommittee, AwaitDecision, "Đang chờ Đảng ủy ra quyết định kết nạp")
		}
		since(CellResolution)
		due("decision_due", "Quá hạn ra quyết định kết nạp: cấp ủy có thể gia hạn một lần (tối đa 30 ngày làm việc) và phải trả lời chi bộ.")
	case stage == StageDossier:
		v, verified := latestAny(h.all, Verification)
		switch {
		case !h.done(PersonalHistory):
			set(PartyCandidate, AwaitHistory, "Chờ quần chúng khai lý lịch người xin vào Đảng (mẫu 2-KNĐ)")
			since(Application)
		case !verified:
			set(PartyCommittee, AwaitVerification, "Đang chờ Đảng ủy thẩm tra lý lịch")
			since(PersonalHistory)
		case v.Outcome == OutcomeFailed:
			set(PartyCell, AwaitVerifyFailed, "Thẩm tra lý lịch không đạt: chi bộ xem xét, thẩm tra lại hoặc đưa ra khỏi danh sách")
			since(Verification)
		case !h.done(Introduction):
			set(PartyCell, AwaitIntroduction, "Chờ đảng viên chính thức (hoặc Đoàn, Công đoàn) giới thiệu người vào Đảng")
			since(Verification)
		case !h.done(Comments):
			set(PartyCell, AwaitComments, "Chờ tổng hợp nhận xét của đoàn thể và chi ủy nơi cư trú (mẫu 5-KNĐ)")
			since(Introduction)
		default:
			set(PartyCell, AwaitCellVote, "Hồ sơ đủ: chờ chi bộ họp xét, biểu quyết đề nghị kết nạp")
			since(Comments)
		}
		certSoon()
	default: // source
		switch {
		case !h.done(AwarenessClass):
			set(PartyCandidate, AwaitClass, "Chờ quần chúng học lớp bồi dưỡng nhận thức về Đảng")
			since(Nominated)
		default:
			set(PartyCandidate, AwaitApplication, "Đã có giấy chứng nhận lớp nhận thức về Đảng: chờ quần chúng viết đơn xin vào Đảng")
			since(AwarenessClass)
			certSoon()
		}
	}
	if !st.Until.IsZero() {
		st.DaysLeft = workingDaysLeft(cal, today, st.Until)
	}
	return st
}

// workingDaysLeft counts the working days from today to due: positive
// before, 0 on the day, negative after.
func workingDaysLeft(cal *Calendar, today, due time.Time) int {
	switch {
	case due.Equal(today):
		return 0
	case due.After(today):
		return cal.WorkingDaysBetween(today, due)
	}
	return -cal.WorkingDaysBetween(due, today)
}

// latestAny is the latest effective step of kind k, whatever its outcome.
func latestAny(steps []Step, k Kind) (Step, bool) {
	var out Step
	found := false
	for _, s := range steps {
		if s.Kind == k && (!found || s.OccurredOn.After(out.OccurredOn) || (s.OccurredOn.Equal(out.OccurredOn) && s.Seq > out.Seq)) {
			out, found = s, true
		}
	}
	return out, found
}
