package admission

import (
	"fmt"
	"strings"
	"time"
)

// StepInput is what a user submits to record a step.
type StepInput struct {
	Kind          Kind
	OccurredOn    time.Time
	DocumentNo    string
	IssuedBy      string
	ReceivedOn    time.Time
	VotesEligible int
	VotesYes      int
	VotesAgainst  int
	// VotesExemptAbsent is the number of members exempted from activity who
	// did not attend (-1 or unset with VotesEligible typed: not given).
	VotesExemptAbsent int
	VotesPresent      int
	// VotesFromRoll says the eligible number is to be computed from the roll
	// (on the roll − working elsewhere − exempted absent) rather than typed.
	VotesFromRoll  bool
	Outcome        string // verification conclusion: passed or failed
	Route          string
	HelperMemberID int64
	ApprovalRef    string
	Note           string
	Sponsors       []Sponsor
	// IdempotencyKey identifies one submission of a form: submitting it twice records once.
	IdempotencyKey string
	// ExpectedVersion, when set, is the candidate version the form was built from.
	ExpectedVersion *int
}

// Facts are what the engine needs to judge a step: the candidate, its cell,
// its steps so far, the members named in the input, the rules and "today".
type Facts struct {
	Candidate Candidate
	Org       Organization
	Steps     []Step
	Members   map[int64]Member
	RuleSets  RuleSets
	Calendar  *Calendar
	Today     time.Time
	// Roll is the cell's roll on the vote date, for a vote of the cell (nil otherwise).
	Roll *Roll
}

// Verdict is the engine's answer to a step that is allowed.
type Verdict struct {
	Step     Step
	Stage    Stage // the candidate's stage once the step is recorded
	Escalate bool  // the inconclusive-vote limit is reached: report upward
}

// Evaluate judges a step against the rule set in force on its date. It
// returns the step to write, or a refusal (*Error) naming the rule.
func Evaluate(in StepInput, f Facts) (Verdict, error) {
	def, ok := Def(in.Kind)
	if !ok {
		return Verdict{}, refuse("unknown_step", "kind", "", "Bước %q không có trong quy trình.", in.Kind)
	}
	h := newHistory(f.Steps)
	stage := DeriveStage(f.Steps)
	if stage.Closed() {
		return Verdict{}, &Error{Code: Conflict, Rule: "closed", Message: fmt.Sprintf("Hồ sơ đã kết thúc (%s); không ghi thêm bước được.", StageLabels[stage])}
	}
	if err := checkAvailable(def, h, stage, f.Org); err != nil {
		return Verdict{}, err
	}
	if in.OccurredOn.IsZero() {
		return Verdict{}, refuse("date_missing", string(FieldOccurredOn), "", "Cần nhập ngày (ngày/tháng/năm).")
	}
	in.OccurredOn = DateOf(in.OccurredOn)
	rs, ok := f.RuleSets.InForce(in.OccurredOn)
	if !ok {
		return Verdict{}, &Error{Code: Internal, Message: "Chưa có bộ quy tắc nào trong hệ thống."}
	}
	p := rs.Params
	if err := checkDates(def, in, h, f); err != nil {
		return Verdict{}, err
	}
	if prev, ok := h.lastOf(AwarenessClass); ok && def.Kind == AwarenessClass && !in.OccurredOn.After(prev.OccurredOn) {
		// a retaken class must be a later one; the same certificate twice is a double submit
		return Verdict{}, &Error{Code: Conflict, Rule: "already_recorded",
			Message: fmt.Sprintf("Đã ghi giấy chứng nhận lớp bồi dưỡng ngày %s; chỉ ghi thêm khi học lại lớp mới sau ngày đó.", FormatDate(prev.OccurredOn))}
	}
	if err := checkRequired(def, in); err != nil {
		return Verdict{}, err
	}
	st := Step{
		CandidateID: f.Candidate.ID, Kind: def.Kind, OccurredOn: in.OccurredOn,
		DocumentNo: strings.TrimSpace(in.DocumentNo), IssuedBy: strings.TrimSpace(in.IssuedBy),
		ApprovalRef: strings.TrimSpace(in.ApprovalRef), Note: strings.TrimSpace(in.Note),
		Outcome: OutcomeDone, RuleSetID: rs.ID, IdempotencyKey: in.IdempotencyKey,
	}
	if def.Has(FieldReceivedOn) && !in.ReceivedOn.IsZero() {
		st.ReceivedOn = DateOf(in.ReceivedOn)
	}
	if def.Has(FieldHelper) {
		st.HelperMemberID = in.HelperMemberID
	}
	var escalate bool
	if def.Vote {
		if f.Roll != nil {
			if !in.VotesFromRoll {
				if _, err := checkVote(def, in, p); err != nil {
					return Verdict{}, err // the typed numbers themselves first
				}
			}
			var err error
			if in, err = votesFromRoll(in, *f.Roll); err != nil {
				return Verdict{}, err
			}
			st.VotesOnRoll, st.VotesAway, st.VotesExemptAbsent, st.VotesPresent = f.Roll.Official, f.Roll.Away, in.VotesExemptAbsent, in.VotesPresent
			st.FromRoll = true
		}
		outcome, err := checkVote(def, in, p)
		if err != nil {
			return Verdict{}, err
		}
		st.VotesEligible, st.VotesYes, st.VotesAgainst, st.Outcome = in.VotesEligible, in.VotesYes, in.VotesAgainst, outcome
		if def.Kind == RecognitionResolution && outcome == OutcomeInconclusive {
			escalate = h.inconclusive()+1 >= p.InconclusiveVotesLimit
		}
	}
	switch def.Kind {
	case Nominated:
		if err := checkHelper(in.HelperMemberID, in.OccurredOn, f); err != nil {
			return Verdict{}, err
		}
	case Verification:
		if in.Outcome != OutcomePassed && in.Outcome != OutcomeFailed {
			return Verdict{}, refuse("verification_outcome", string(FieldOutcome), citeGuide, "Chọn kết luận thẩm tra: đạt hoặc không đạt.")
		}
		st.Outcome = in.Outcome
	case Introduction:
		if err := checkIntroduction(in, f, p); err != nil {
			return Verdict{}, err
		}
		st.Route = in.Route
		st.Sponsors = append([]Sponsor(nil), in.Sponsors...)
		for i := range st.Sponsors {
			st.Sponsors[i].KnownSince = DateOf(st.Sponsors[i].KnownSince)
		}
	case CellResolution:
		if err := checkCellVote(in, h, f, p); err != nil {
			return Verdict{}, err
		}
	case Ceremony:
		// the deadline is the one of the rule set in force when the decision was received
		dec := h.at(Decision)
		days := f.RuleSets.ParamsOn(dec.ReceivedOn).CeremonyDueWorkingDays
		due := f.Calendar.AddWorkingDays(dec.ReceivedOn, days)
		if in.OccurredOn.After(due) && st.ApprovalRef == "" {
			return Verdict{}, refuse("ceremony_late", string(FieldApprovalRef), citeCeremony,
				"Lễ kết nạp phải tổ chức trong %d ngày làm việc kể từ ngày nhận quyết định (%s, hạn %s); tổ chức muộn hơn cần ghi số văn bản đồng ý của cấp ủy cấp trên.",
				days, FormatDate(dec.ReceivedOn), FormatDate(due))
		}
		if in.OccurredOn.Before(dec.ReceivedOn) {
			return Verdict{}, refuse("ceremony_before_received", string(FieldOccurredOn), citeCeremony,
				"Lễ kết nạp không thể trước ngày chi bộ nhận quyết định (%s).", FormatDate(dec.ReceivedOn))
		}
		if err := checkHelper(in.HelperMemberID, in.OccurredOn, f); err != nil {
			return Verdict{}, err
		}
	case RecognitionResolution:
		// the probation's length is the one of the rule set in force at the ceremony
		cer := h.at(Ceremony).OccurredOn
		months := f.RuleSets.ParamsOn(cer).ProbationMonths
		if end := AddMonths(cer, months); in.OccurredOn.Before(end) {
			return Verdict{}, refuse("probation_not_over", string(FieldOccurredOn), citeProbation,
				"Chưa hết %d tháng dự bị (kết thúc ngày %s); chi bộ chỉ xét công nhận chính thức từ ngày đó.", months, FormatDate(end))
		}
	case RecognitionDecision:
		st.Outcome = h.at(RecognitionResolution).Outcome
	case DecisionExtension:
		res := h.at(CellResolution).OccurredOn
		days := f.RuleSets.ParamsOn(res).DecisionDueWorkingDays
		due := f.Calendar.AddWorkingDays(res, days)
		if in.OccurredOn.After(due) {
			return Verdict{}, refuse("extension_late", string(FieldOccurredOn), citeDecision,
				"Chỉ gia hạn trong thời hạn %d ngày làm việc (đến %s); quá hạn rồi thì không gia hạn được.", days, FormatDate(due))
		}
	}
	after := append(append([]Step(nil), f.Steps...), st)
	return Verdict{Step: st, Stage: DeriveStage(after), Escalate: escalate}, nil
}

func (h history) inconclusive() int {
	n := 0
	for _, s := range h.all {
		if s.Kind == RecognitionResolution && s.Outcome == OutcomeInconclusive {
			n++
		}
	}
	return n
}

// checkAvailable refuses a step whose prerequisites are missing, that was
// already recorded, or that does not apply to this stage or organization.
func checkAvailable(def StepDef, h history, stage Stage, org Organization) error {
	if def.Optional && def.Kind == CommitteeResolution && !org.HasIntermediateCommittee {
		return refuse("not_applicable", "kind", citeGuide, "Chi bộ này trực thuộc thẳng Đảng ủy phường: không có bước nghị quyết của đảng ủy bộ phận.")
	}
	if h.done(def.Kind) {
		again := def.Kind == AwarenessClass && !h.done(CellResolution)
		if !again {
			return &Error{Code: Conflict, Rule: "already_recorded", Message: fmt.Sprintf("Bước “%s” đã được ghi nhận.", def.Label)}
		}
	}
	for _, need := range def.Needs {
		if !h.done(need) {
			nd, _ := Def(need)
			return refuse("order", "kind", citeGuide, "Chưa thể ghi “%s”: cần có bước “%s” trước.", def.Label, nd.Label)
		}
	}
	if def.Kind == Decision && org.HasIntermediateCommittee && !h.done(CommitteeResolution) {
		nd, _ := Def(CommitteeResolution)
		return refuse("order", "kind", citeGuide, "Chưa thể ghi “%s”: cần có bước “%s” trước.", def.Label, nd.Label)
	}
	switch def.Kind {
	case DecisionExtension:
		if h.done(Decision) {
			return &Error{Code: Conflict, Rule: "already_recorded", Message: "Đã có quyết định kết nạp; không cần gia hạn."}
		}
	case Withdrawn:
		if stage == StageProbationary {
			return refuse("order", "kind", citeProbation, "Người đã là đảng viên dự bị không thể đưa ra khỏi danh sách quần chúng; dùng “Xóa tên đảng viên dự bị”.")
		}
	case NewMemberClass, SelfReview, HelperAssessment, ProbationComments:
		if h.done(RecognitionResolution) {
			return &Error{Code: Conflict, Rule: "already_recorded", Message: fmt.Sprintf("Chi bộ đã xét công nhận; “%s” thuộc hồ sơ trước khi xét.", def.Label)}
		}
	case Removed:
		if stage != StageProbationary {
			return refuse("order", "kind", citeProbation, "Chỉ xóa tên khi đang là đảng viên dự bị.")
		}
	case AwarenessClass, Application, PersonalHistory, Verification, Introduction, Comments, CellResolution, CommitteeResolution:
		if stage != StageSource && stage != StageDossier && def.Kind != CommitteeResolution && def.Kind != AwarenessClass {
			return &Error{Code: Conflict, Rule: "already_recorded", Message: fmt.Sprintf("Hồ sơ đã qua bước “%s”.", def.Label)}
		}
	}
	return nil
}

// checkDates refuses a date in the future or before a step it depends on.
func checkDates(def StepDef, in StepInput, h history, f Facts) error {
	if in.OccurredOn.After(f.Today) {
		return refuse("date_future", string(FieldOccurredOn), citeGuide, "Ngày %s chưa đến; chỉ ghi những việc đã diễn ra.", FormatDate(in.OccurredOn))
	}
	if !f.Candidate.BirthDate.IsZero() && !in.OccurredOn.After(f.Candidate.BirthDate) {
		return refuse("date_before_birth", string(FieldOccurredOn), citeGuide, "Ngày %s không thể trước ngày sinh.", FormatDate(in.OccurredOn))
	}
	needs := def.Needs
	if def.Kind == Decision && f.Org.HasIntermediateCommittee {
		needs = append(append([]Kind(nil), needs...), CommitteeResolution)
	}
	for _, need := range needs {
		prev, ok := h.lastOf(need)
		if ok && in.OccurredOn.Before(prev.OccurredOn) {
			nd, _ := Def(need)
			return refuse("date_order", string(FieldOccurredOn), citeGuide,
				"Ngày %s sớm hơn ngày của bước “%s” (%s) mà bước này phải đi sau.", FormatDate(in.OccurredOn), nd.Label, FormatDate(prev.OccurredOn))
		}
	}
	if def.Has(FieldReceivedOn) && !in.ReceivedOn.IsZero() {
		r := DateOf(in.ReceivedOn)
		if r.Before(in.OccurredOn) {
			return refuse("received_before_signed", string(FieldReceivedOn), citeGuide, "Ngày nhận (%s) không thể trước ngày ký (%s).", FormatDate(r), FormatDate(in.OccurredOn))
		}
		if r.After(f.Today) {
			return refuse("date_future", string(FieldReceivedOn), citeGuide, "Ngày nhận %s chưa đến.", FormatDate(r))
		}
	}
	return nil
}

var fieldLabels = map[Field]string{
	FieldDocumentNo:  "số văn bản",
	FieldReceivedOn:  "ngày nhận",
	FieldHelper:      "đảng viên giúp đỡ",
	FieldNote:        "lý do",
	FieldOutcome:     "kết luận",
	FieldRoute:       "hình thức giới thiệu",
	FieldVotes:       "số phiếu",
	FieldApprovalRef: "số văn bản chấp thuận",
}

func checkRequired(def StepDef, in StepInput) error {
	for _, f := range def.Required {
		missing := false
		switch f {
		case FieldDocumentNo:
			missing = strings.TrimSpace(in.DocumentNo) == ""
		case FieldReceivedOn:
			missing = in.ReceivedOn.IsZero()
		case FieldHelper:
			missing = in.HelperMemberID == 0
		case FieldNote:
			missing = strings.TrimSpace(in.Note) == ""
		case FieldRoute:
			missing = in.Route == ""
		case FieldVotes:
			missing = in.VotesEligible == 0 && !in.VotesFromRoll
		case FieldOutcome:
			missing = in.Outcome == ""
		}
		if missing {
			return refuse("required", string(f), def.Citation, "Cần nhập %s cho bước “%s”.", fieldLabels[f], def.Label)
		}
	}
	return nil
}

// votesFromRoll computes or checks the eligible number of a cell vote against
// the roll on the vote date (294-QĐ/TW 9.3.2): the official members on the
// roll, minus those working elsewhere, minus the exempted who did not attend.
func votesFromRoll(in StepInput, r Roll) (StepInput, error) {
	how := fmt.Sprintf("danh sách chi bộ ngày %s có %d đảng viên chính thức, %d sinh hoạt tạm thời nơi khác, %d miễn sinh hoạt",
		FormatDate(r.Date), r.Official, r.Away, r.Exempted)
	if r.MaxEligible() <= 0 {
		return in, refuse("roll_empty", "votes_eligible", citeVote, "Chưa có đảng viên chính thức nào có quyền biểu quyết: %s. Cập nhật danh sách đảng viên của chi bộ trước.", how)
	}
	if in.VotesFromRoll {
		if in.VotesExemptAbsent < 0 || in.VotesExemptAbsent > r.Exempted {
			return in, refuse("votes_exempt", "votes_exempt_absent", citeVote, "Số đảng viên miễn sinh hoạt vắng mặt phải từ 0 đến %d (%s).", r.Exempted, how)
		}
		in.VotesEligible = r.MaxEligible() - in.VotesExemptAbsent
	} else {
		switch {
		case in.VotesEligible > r.MaxEligible():
			return in, refuse("votes_over_roll", "votes_eligible", citeVote,
				"Số đảng viên được quyền biểu quyết (%d) lớn hơn danh sách của chi bộ cho phép (%d): %s.", in.VotesEligible, r.MaxEligible(), how)
		case in.VotesEligible > 0 && in.VotesEligible < r.MinEligible():
			return in, refuse("votes_under_roll", "votes_eligible", citeVote,
				"Số đảng viên được quyền biểu quyết (%d) nhỏ hơn số tối thiểu theo danh sách (%d): %s; chỉ được trừ đảng viên miễn sinh hoạt vắng mặt.", in.VotesEligible, r.MinEligible(), how)
		}
		in.VotesExemptAbsent = r.MaxEligible() - in.VotesEligible
	}
	if in.VotesPresent < 0 || in.VotesPresent > in.VotesEligible {
		return in, refuse("votes_present", "votes_present", citeVote, "Số đảng viên có mặt (%d) phải từ 0 đến số được quyền biểu quyết (%d).", in.VotesPresent, in.VotesEligible)
	}
	if in.VotesPresent > 0 && in.VotesYes+in.VotesAgainst > in.VotesPresent {
		return in, refuse("votes_range", "votes_yes", citeVote, "Tổng số phiếu (%d + %d) vượt quá số đảng viên có mặt (%d).", in.VotesYes, in.VotesAgainst, in.VotesPresent)
	}
	return in, nil
}

// Passes reports whether yes votes out of eligible reach the threshold,
// computed in integers: yes·den ≥ eligible·num.
func Passes(yes, eligible int, p Params) bool {
	return eligible > 0 && yes*p.VoteDenominator >= eligible*p.VoteNumerator
}

// YesNeeded is the fewest yes votes out of eligible that pass.
func YesNeeded(eligible int, p Params) int {
	if eligible <= 0 || p.VoteDenominator <= 0 {
		return 0
	}
	return (eligible*p.VoteNumerator + p.VoteDenominator - 1) / p.VoteDenominator
}

func checkVote(def StepDef, in StepInput, p Params) (string, error) {
	switch {
	case in.VotesEligible <= 0:
		return "", refuse("votes_eligible", "votes_eligible", citeVote, "Số đảng viên được quyền biểu quyết phải lớn hơn 0.")
	case in.VotesYes < 0 || in.VotesYes > in.VotesEligible:
		return "", refuse("votes_range", "votes_yes", citeVote, "Số phiếu tán thành (%d) phải từ 0 đến số đảng viên được quyền biểu quyết (%d).", in.VotesYes, in.VotesEligible)
	case in.VotesAgainst < 0 || in.VotesYes+in.VotesAgainst > in.VotesEligible:
		return "", refuse("votes_range", "votes_against", citeVote, "Tổng số phiếu (%d + %d) vượt quá số đảng viên được quyền biểu quyết (%d).", in.VotesYes, in.VotesAgainst, in.VotesEligible)
	}
	if Passes(in.VotesYes, in.VotesEligible, p) {
		return OutcomePassed, nil
	}
	if def.Kind == RecognitionResolution {
		if Passes(in.VotesAgainst, in.VotesEligible, p) {
			return OutcomeRemoved, nil
		}
		return OutcomeInconclusive, nil
	}
	return OutcomeFailed, nil
}

// checkCellVote applies the candidate conditions judged on the cell vote date.
func checkCellVote(in StepInput, h history, f Facts, p Params) error {
	c := f.Candidate
	d := in.OccurredOn
	months := FullMonths(c.BirthDate, d)
	if months < p.MinAgeMonths {
		return refuse("age_min", string(FieldOccurredOn), citeAge,
			"Ngày chi bộ biểu quyết (%s), người vào Đảng mới %d tuổi %d tháng; phải đủ %d tuổi (tính theo tháng).",
			FormatDate(d), months/12, months%12, p.MinAgeMonths/12)
	}
	ref := strings.TrimSpace(in.ApprovalRef)
	if months > p.MaxAgeMonths && ref == "" && c.OverAgeDecisionRef == "" {
		return refuse("age_max", string(FieldApprovalRef), citeAge,
			"Ngày chi bộ biểu quyết (%s), người vào Đảng đã %d tuổi %d tháng, quá %d tuổi: cần ghi số quyết định của Ban Thường vụ Tỉnh ủy cho phép.",
			FormatDate(d), months/12, months%12, p.MaxAgeMonths/12)
	}
	if eduRank[c.EducationGeneral] < eduRank[p.MinEducation] && ref == "" && c.EducationApprovalRef == "" {
		return refuse("education", string(FieldApprovalRef), citeEducation,
			"Trình độ học vấn (%s) thấp hơn %s: cần ghi số văn bản đồng ý của Ban Thường vụ Tỉnh ủy.",
			EducationLabels[c.EducationGeneral], strings.ToLower(EducationLabels[p.MinEducation]))
	}
	// a certificate's validity is the one of the rule set in force on its date
	cert := h.at(AwarenessClass)
	validity := f.RuleSets.ParamsOn(cert.OccurredOn).CertificateValidityMonths
	if exp := AddMonths(cert.OccurredOn, validity); d.After(exp) {
		return refuse("certificate_expired", string(FieldOccurredOn), citeCertificate,
			"Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng cấp ngày %s đã hết giá trị (%d tháng, đến %s) vào ngày chi bộ biểu quyết; người vào Đảng phải học lại.",
			FormatDate(cert.OccurredOn), validity, FormatDate(exp))
	}
	if v := h.at(Verification); f.RuleSets.ParamsOn(v.OccurredOn).VerificationValidityMonths > 0 {
		months := f.RuleSets.ParamsOn(v.OccurredOn).VerificationValidityMonths
		if exp := AddMonths(v.OccurredOn, months); d.After(exp) {
			return refuse("verification_expired", string(FieldOccurredOn), citeGuide,
				"Kết quả thẩm tra lý lịch ngày %s đã quá %d tháng; cần thẩm tra lại.", FormatDate(v.OccurredOn), months)
		}
	}
	if c.Readmission && strings.TrimSpace(c.ReadmissionConsentRef) == "" {
		return refuse("readmission_consent", "readmission_consent_ref", citeReadmission, "Kết nạp lại cần ghi số văn bản đồng ý của Ban Thường vụ Tỉnh ủy.")
	}
	return nil
}

// checkHelper refuses a helper who is not an official member of the candidate's cell on day d.
func checkHelper(id int64, d time.Time, f Facts) error {
	m, ok := f.Members[id]
	if !ok || m.OrganizationID != f.Candidate.OrganizationID {
		return refuse("helper_unknown", string(FieldHelper), citeGuide, "Đảng viên giúp đỡ phải là đảng viên của chi bộ.")
	}
	if SamePerson(m, f.Candidate) {
		return refuse("helper_self", string(FieldHelper), citeGuide, "Người vào Đảng không thể được phân công giúp đỡ chính mình.")
	}
	if !m.IsOfficialOn(d) {
		return refuse("helper_not_official", string(FieldHelper), citeGuide,
			"%s chưa là đảng viên chính thức vào ngày %s; chỉ đảng viên chính thức được phân công giúp đỡ.", m.FullName, FormatDate(d))
	}
	return nil
}

// checkIntroduction applies the three introduction routes and the sponsor conditions.
func checkIntroduction(in StepInput, f Facts, p Params) error {
	c := f.Candidate
	d := in.OccurredOn
	want := 2
	switch in.Route {
	case RouteTwoSponsors:
	case RouteYouthUnion:
		if !c.YouthUnion {
			return refuse("route_youth_union", string(FieldRoute), citeCharter4, "Chỉ đoàn viên Đoàn Thanh niên mới được Đoàn giới thiệu; hồ sơ không ghi người này là đoàn viên.")
		}
		want = 1
	case RouteTradeUnion:
		if !c.TradeUnion {
			return refuse("route_trade_union", string(FieldRoute), citeCharter4, "Chỉ đoàn viên công đoàn mới được Công đoàn giới thiệu; hồ sơ không ghi người này là đoàn viên công đoàn.")
		}
		want = 1
	default:
		return refuse("route", string(FieldRoute), citeCharter4, "Chọn một trong ba hình thức giới thiệu.")
	}
	if in.Route != RouteTwoSponsors && strings.TrimSpace(in.DocumentNo) == "" {
		return refuse("route_resolution", string(FieldDocumentNo), citeCharter4, "Cần ghi số nghị quyết giới thiệu của Ban Chấp hành %s.", map[string]string{RouteYouthUnion: "Đoàn cơ sở", RouteTradeUnion: "Công đoàn cơ sở"}[in.Route])
	}
	if p.YouthRouteRequired && f.Org.HasYouthUnion && in.Route != RouteYouthUnion {
		years := FullMonths(c.BirthDate, d) / 12
		if years >= p.MinAgeMonths/12 && years <= p.YouthAgeMaxYears {
			return refuse("youth_route_required", string(FieldRoute), citeCharter4,
				"Người vào Đảng %d tuổi (trong độ tuổi đoàn, đến %d) ở nơi có tổ chức Đoàn phải là đoàn viên và được Đoàn giới thiệu.", years, p.YouthAgeMaxYears)
		}
	}
	if len(in.Sponsors) != want {
		return refuse("sponsor_count", "sponsors", citeCharter4, "Hình thức “%s” cần đúng %d đảng viên giới thiệu (đã chọn %d).", RouteLabels[in.Route], want, len(in.Sponsors))
	}
	seen := map[int64]bool{}
	committee := f.Org.CommitteePath()
	for _, sp := range in.Sponsors {
		if seen[sp.MemberID] {
			return refuse("sponsor_duplicate", "sponsors", citeSponsor, "Một đảng viên không thể được ghi hai lần là người giới thiệu.")
		}
		seen[sp.MemberID] = true
		m, ok := f.Members[sp.MemberID]
		if !ok || !strings.HasPrefix(m.OrgPath, committee) {
			return refuse("sponsor_scope", "sponsors", citeSponsor, "Người giới thiệu phải là đảng viên trong cùng đảng bộ cơ sở.")
		}
		if SamePerson(m, c) {
			return refuse("sponsor_self", "sponsors", citeSponsor, "Người vào Đảng không thể tự giới thiệu mình (%s trùng họ tên, giới tính và ngày sinh với người vào Đảng).", m.FullName)
		}
		if !m.IsOfficialOn(d) {
			return refuse("sponsor_not_official", "sponsors", citeSponsor,
				"%s chưa là đảng viên chính thức vào ngày giới thiệu %s; chỉ đảng viên chính thức được giới thiệu người vào Đảng.", m.FullName, FormatDate(d))
		}
		switch sp.Relation {
		case RelationWorked, RelationStudied, RelationLived:
		default:
			return refuse("sponsor_relation", "sponsors", citeSponsor, "Ghi rõ %s cùng công tác, học tập hay cư trú với người vào Đảng.", m.FullName)
		}
		if sp.KnownSince.IsZero() || AddMonths(DateOf(sp.KnownSince), p.SponsorKnownMonths).After(d) {
			return refuse("sponsor_known", "sponsors", citeSponsor,
				"%s phải cùng công tác, học tập hoặc cư trú với người vào Đảng ít nhất %d tháng tính đến ngày giới thiệu %s.", m.FullName, p.SponsorKnownMonths, FormatDate(d))
		}
	}
	return nil
}

// Possible returns the step kinds that could be recorded now, by anyone, in order.
func Possible(f Facts) []StepDef {
	h := newHistory(f.Steps)
	stage := DeriveStage(f.Steps)
	if stage.Closed() {
		return nil
	}
	var out []StepDef
	for _, def := range Steps {
		if checkAvailable(def, h, stage, f.Org) == nil {
			out = append(out, def)
		}
	}
	return out
}
