package admission

import (
	"sort"
	"time"
)

// DeadlineStatus says how close a deadline is relative to today.
type DeadlineStatus string

// Deadline statuses.
const (
	Upcoming DeadlineStatus = "upcoming"
	DueSoon  DeadlineStatus = "due_soon"
	Overdue  DeadlineStatus = "overdue"
)

// DeadlineStatusLabels are the Vietnamese names of deadline statuses.
var DeadlineStatusLabels = map[DeadlineStatus]string{
	Upcoming: "Còn hạn",
	DueSoon:  "Sắp đến hạn",
	Overdue:  "Quá hạn",
}

// Deadline is something due for a candidate, and by when.
type Deadline struct {
	Code     string
	Label    string
	Due      time.Time
	Status   DeadlineStatus
	Citation string
}

// Deadlines returns what is due for a candidate and by when, each marked
// against today, earliest first. Each deadline is computed with the rule set
// in force on the date of the step that started it.
func Deadlines(c Candidate, steps []Step, rules RuleSets, cal *Calendar, today time.Time) []Deadline {
	h := newHistory(steps)
	if h.stage().Closed() {
		return nil
	}
	var out []Deadline
	add := func(code, label string, due time.Time, p Params, cite string) {
		out = append(out, Deadline{Code: code, Label: label, Due: due, Status: StatusOf(code, due, today, p), Citation: cite})
	}
	params := func(d time.Time) Params {
		rs, ok := rules.InForce(d)
		if !ok {
			return DefaultParams()
		}
		return rs.Params
	}
	if cert, ok := h.lastOf(AwarenessClass); ok && !h.done(CellResolution) {
		p := params(cert.OccurredOn)
		add("certificate_expiry", "Giấy chứng nhận lớp nhận thức về Đảng hết giá trị", AddMonths(cert.OccurredOn, p.CertificateValidityMonths), p, citeCertificate)
	}
	if v, ok := h.lastOf(Verification); ok && !h.done(CellResolution) {
		if p := params(v.OccurredOn); p.VerificationValidityMonths > 0 {
			add("verification_expiry", "Kết quả thẩm tra lý lịch hết giá trị", AddMonths(v.OccurredOn, p.VerificationValidityMonths), p, citeGuide)
		}
	}
	if res, ok := h.lastOf(CellResolution); ok && !h.done(Decision) {
		p := params(res.OccurredOn)
		days, label := p.DecisionDueWorkingDays, "Hạn ra quyết định kết nạp"
		if h.done(DecisionExtension) {
			days, label = days+p.DecisionExtensionWorkingDays, "Hạn ra quyết định kết nạp (đã gia hạn)"
		}
		add("decision_due", label, cal.AddWorkingDays(res.OccurredOn, days), p, citeDecision)
	}
	if dec, ok := h.lastOf(Decision); ok && !h.done(Ceremony) {
		p := params(dec.OccurredOn)
		recv := dec.ReceivedOn
		if recv.IsZero() {
			recv = dec.OccurredOn
		}
		add("ceremony_due", "Hạn tổ chức lễ kết nạp", cal.AddWorkingDays(recv, p.CeremonyDueWorkingDays), p, citeCeremony)
	}
	if cer, ok := h.lastOf(Ceremony); ok {
		p := params(cer.OccurredOn)
		end := AddMonths(cer.OccurredOn, p.ProbationMonths)
		if !h.done(RecognitionResolution) {
			add("probation_end", "Hết thời gian dự bị", end, p, citeProbation)
			add("recognition_review_due", "Hạn chi bộ xét công nhận đảng viên chính thức", cal.AddWorkingDays(end, p.RecognitionReviewWorkingDays), p, citeProbation)
		}
		if res, ok := h.lastOf(RecognitionResolution); ok && !h.done(RecognitionDecision) {
			add("recognition_decision_due", "Hạn ra quyết định công nhận (hoặc xóa tên)", cal.AddWorkingDays(res.OccurredOn, p.RecognitionDecisionWorkingDays), p, citeProbation)
		}
	}
	if c.Escalated && !h.done(RecognitionDecision) {
		out = append(out, Deadline{Code: "escalated", Label: "Ba lần biểu quyết không đủ 2/3: báo cáo cấp ủy cấp trên", Due: today, Status: Overdue, Citation: citeProbation})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due.Before(out[j].Due) })
	return out
}

// StatusOf says whether a deadline of the given code is upcoming, due soon
// or overdue on day today. Long horizons warn earlier: a certificate expiry
// four times the rule set's due-soon days ahead, the end of probation twice.
func StatusOf(code string, due, today time.Time, p Params) DeadlineStatus {
	soon := p.DueSoonDays
	switch code {
	case "certificate_expiry":
		soon *= 4
	case "probation_end":
		soon *= 2
	}
	switch {
	case today.After(due):
		return Overdue
	case !today.Before(due.AddDate(0, 0, -soon)):
		return DueSoon
	}
	return Upcoming
}

// ProbationEnd returns the day the probation ends (ceremony + probation
// months), which is also the day recognition takes effect; zero before the ceremony.
func ProbationEnd(steps []Step, rules RuleSets) time.Time {
	h := newHistory(steps)
	cer, ok := h.lastOf(Ceremony)
	if !ok {
		return time.Time{}
	}
	p := DefaultParams()
	if rs, ok := rules.InForce(cer.OccurredOn); ok {
		p = rs.Params
	}
	return AddMonths(cer.OccurredOn, p.ProbationMonths)
}
