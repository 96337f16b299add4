package admission

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Member event kinds: every change of a member's status or activity.
const (
	EventAdmitted         = "admitted" // the ceremony: a probationary member
	EventOfficial         = "official" // recognised as an official member
	EventWorkingElsewhere = "working_elsewhere"
	EventReturned         = "returned"
	EventExempted         = "exempted"
	EventExemptionEnded   = "exemption_ended"
	EventRemoved          = "removed"
	EventTransferred      = "transferred"
)

// MemberEventLabels are the Vietnamese names of member events.
var MemberEventLabels = map[string]string{
	EventAdmitted:         "Kết nạp (lễ kết nạp), bắt đầu dự bị",
	EventOfficial:         "Công nhận đảng viên chính thức",
	EventWorkingElsewhere: "Sinh hoạt tạm thời nơi khác (tạm vắng)",
	EventReturned:         "Trở lại sinh hoạt tại chi bộ",
	EventExempted:         "Miễn sinh hoạt",
	EventExemptionEnded:   "Thôi miễn sinh hoạt",
	EventRemoved:          "Xóa tên, ra khỏi Đảng",
	EventTransferred:      "Chuyển sinh hoạt đảng chính thức đi nơi khác",
}

// StaffMemberEvents are the events staff record by hand, in the order offered.
var StaffMemberEvents = []string{EventOfficial, EventWorkingElsewhere, EventReturned, EventExempted, EventExemptionEnded, EventTransferred, EventRemoved}

// MemberStatusLabels are the Vietnamese names of member statuses.
var MemberStatusLabels = map[string]string{
	MemberProbationary: "Dự bị",
	MemberOfficial:     "Chính thức",
	MemberRemoved:      "Đã xóa tên",
	MemberTransferred:  "Đã chuyển đi",
}

// ActivityLabels are the Vietnamese names of member activities.
var ActivityLabels = map[string]string{
	ActivityNormal:           "Sinh hoạt bình thường",
	ActivityWorkingElsewhere: "Sinh hoạt tạm thời nơi khác",
	ActivityExempted:         "Miễn sinh hoạt",
}

// MemberEvent is one change of a member's status, with its date and reason.
type MemberEvent struct {
	ID             int64
	MemberID       int64
	Kind           string
	OccurredOn     time.Time
	Reason         string
	StepID         int64 // the candidate's step that caused it, for members admitted through ketnap
	RecordedBy     int64
	RecordedByName string
	RecordedAt     time.Time
	IdempotencyKey string
}

// MemberForm is what the member form submits: a member entered directly
// (historic members, before ketnap) or the correction of one's details.
type MemberForm struct {
	OrganizationID int64
	FullName       string
	Gender         string
	BirthDate      time.Time
	AdmittedOn     time.Time // the decision's date (seniority)
	CeremonyOn     time.Time // probation starts
	OfficialOn     time.Time // zero: probationary
	// Status, when set, is the status the form asks for; a member's status
	// changes only through steps or member events, so a change is refused.
	Status string
	// ConfirmDistinct: the user confirmed this is not the candidate with the same identity.
	ConfirmDistinct bool
	Composition
	ExternalKey     string
	IdempotencyKey  string
	ExpectedVersion *int
}

func fieldsError(fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Rule: "member_fields", Message: "Thông tin chưa hợp lệ, xem các ô được đánh dấu.", Fields: fields}
}

// validateIdentity checks name, gender and birth date, returning the normalized name.
func validateIdentity(name, gender string, birth, today time.Time, fields map[string]string) string {
	name = PersonName(name)
	switch n := len([]rune(name)); {
	case n == 0:
		fields["full_name"] = "Cần nhập họ và tên."
	case n > 100:
		fields["full_name"] = "Họ và tên dài quá 100 ký tự."
	case !HasLetter(name):
		fields["full_name"] = "Họ và tên phải có chữ cái."
	case !strings.Contains(name, " "):
		fields["full_name"] = "Nhập đủ họ và tên (ví dụ: Nguyễn Văn An)."
	}
	if gender != Male && gender != Female {
		fields["gender"] = "Chọn giới tính."
	}
	switch {
	case birth.IsZero():
		fields["birth_date"] = "Cần nhập ngày sinh (ngày/tháng/năm)."
	case !birth.Before(today):
		fields["birth_date"] = "Ngày sinh phải trước hôm nay."
	case FullMonths(birth, today) > 110*12:
		fields["birth_date"] = "Ngày sinh không hợp lý (trên 110 tuổi)."
	}
	return name
}

// ProbationEndOf returns the end of a probation that began on the ceremony
// day: the probation months of the rule set in force on that day.
func ProbationEndOf(ceremony time.Time, rules RuleSets) time.Time {
	return AddMonths(ceremony, rules.ParamsOn(ceremony).ProbationMonths)
}

// validateMemberDates checks a directly entered member's dates against each
// other, the rules and today.
func validateMemberDates(f MemberForm, rules RuleSets, today time.Time, fields map[string]string) {
	if f.CeremonyOn.IsZero() && !f.OfficialOn.IsZero() {
		f.CeremonyOn = f.AdmittedOn // an official member's ceremony date may be unknown
	}
	switch {
	case f.AdmittedOn.IsZero():
		fields["admitted_on"] = "Cần nhập ngày quyết định kết nạp (ngày/tháng/năm)."
	case !f.BirthDate.IsZero() && FullMonths(f.BirthDate, f.AdmittedOn) < 18*12:
		fields["admitted_on"] = "Ngày vào Đảng phải sau khi đủ 18 tuổi."
	case f.AdmittedOn.After(today):
		fields["admitted_on"] = "Ngày quyết định kết nạp chưa đến."
	case f.CeremonyOn.IsZero():
		fields["ceremony_on"] = "Đảng viên dự bị cần ngày lễ kết nạp (thời gian dự bị tính từ ngày đó)."
	case f.CeremonyOn.Before(f.AdmittedOn):
		fields["ceremony_on"] = "Lễ kết nạp không thể trước ngày quyết định kết nạp."
	case f.CeremonyOn.After(today):
		fields["ceremony_on"] = "Ngày lễ kết nạp chưa đến."
	case !f.OfficialOn.IsZero() && f.OfficialOn.After(today):
		fields["official_on"] = "Ngày chính thức chưa đến."
	case !f.OfficialOn.IsZero() && f.OfficialOn.Before(ProbationEndOf(f.CeremonyOn, rules)):
		p := rules.ParamsOn(f.CeremonyOn)
		fields["official_on"] = fmt.Sprintf("Chỉ công nhận chính thức khi hết %d tháng dự bị kể từ lễ kết nạp (%s), tức từ ngày %s (%s).",
			p.ProbationMonths, FormatDate(f.CeremonyOn), FormatDate(ProbationEndOf(f.CeremonyOn, rules)), citeProbation)
	}
}

// ValidateMemberForm checks a directly entered member: identity, the dates
// against each other and the rule set in force at the ceremony, and the
// status asked for. It returns the form normalized and a message per field.
func ValidateMemberForm(f MemberForm, rules RuleSets, today time.Time) (MemberForm, map[string]string) {
	fields := map[string]string{}
	f.FullName = validateIdentity(f.FullName, f.Gender, f.BirthDate, today, fields)
	validateMemberDates(f, rules, today, fields)
	if f.Status == MemberOfficial && f.OfficialOn.IsZero() && fields["official_on"] == "" {
		fields["official_on"] = "Đảng viên chính thức cần ngày công nhận chính thức."
	}
	if f.Status == MemberProbationary && !f.OfficialOn.IsZero() {
		fields["official_on"] = "Đảng viên dự bị chưa có ngày chính thức; để trống ô này."
	}
	return f, fields
}

// AddMember enters a member directly (a member admitted before ketnap): the
// decision date (seniority), the ceremony date (probation) and, if official,
// the recognition date, judged by the rule set in force at the ceremony. A
// member matching a candidate's identity exactly is refused until the user
// confirms it is another person.
func (s *Service) AddMember(ctx context.Context, a Actor, f MemberForm) (Member, error) {
	today := s.today()
	var m Member
	err := s.DB.InTx(ctx, func(st Store) error {
		if f.IdempotencyKey != "" {
			if prev, ok, err := st.MemberByKey(ctx, f.IdempotencyKey); err != nil || ok {
				m = prev
				return err
			}
		}
		org, err := st.Organization(ctx, f.OrganizationID, a.ScopePath)
		if err != nil {
			return err
		}
		if !Can(a, ActManageMembers, org.Path) {
			return &Error{Code: Forbidden, Message: "Vai trò của bạn không được sửa danh sách đảng viên."}
		}
		if org.Kind != KindCell {
			return fieldsError(map[string]string{"organization_id": "Đảng viên phải thuộc một chi bộ."})
		}
		if f.Status != "" && f.Status != MemberOfficial && f.Status != MemberProbationary {
			return fieldsError(map[string]string{"status": "Đảng viên mới nhập chỉ có thể là dự bị hoặc chính thức; xóa tên, chuyển đi ghi bằng biến động."})
		}
		rules, err := st.RuleSets(ctx)
		if err != nil {
			return err
		}
		var fields map[string]string
		f, fields = ValidateMemberForm(f, rules, today)
		if err := fieldsError(fields); err != nil {
			return err
		}
		if err := checkMemberVocab(ctx, st, &f.Composition); err != nil {
			return err
		}
		if err := s.checkNotCandidate(ctx, st, f, org); err != nil {
			return err
		}
		m = Member{OrganizationID: org.ID, OrgPath: org.Path, FullName: f.FullName, Gender: f.Gender, BirthDate: DateOf(f.BirthDate),
			Status: MemberProbationary, AdmittedOn: DateOf(f.AdmittedOn), CeremonyOn: DateOf(f.CeremonyOn), Activity: ActivityNormal,
			ExternalKey: f.ExternalKey, Composition: f.Composition}
		if m.CeremonyOn.IsZero() {
			m.CeremonyOn = m.AdmittedOn
		}
		if !f.OfficialOn.IsZero() {
			m.Status, m.OfficialOn = MemberOfficial, DateOf(f.OfficialOn)
		}
		if err := st.InsertMember(ctx, &m); err != nil {
			return err
		}
		events := []MemberEvent{{MemberID: m.ID, Kind: EventAdmitted, OccurredOn: m.CeremonyOn, Reason: "Nhập đảng viên trực tiếp", RecordedBy: a.UserID, IdempotencyKey: f.IdempotencyKey}}
		if !m.OfficialOn.IsZero() {
			events = append(events, MemberEvent{MemberID: m.ID, Kind: EventOfficial, OccurredOn: m.OfficialOn, Reason: "Nhập đảng viên trực tiếp", RecordedBy: a.UserID})
		}
		for i := range events {
			if err := st.InsertMemberEvent(ctx, &events[i]); err != nil {
				return err
			}
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, org.ID, "member.create", "member", m.ID, nil, m))
	})
	return m, err
}

// checkNotCandidate refuses, until confirmed, a member whose identity is
// exactly that of a candidate of the same grassroots organization.
func (s *Service) checkNotCandidate(ctx context.Context, st Store, f MemberForm, org Organization) error {
	if f.ConfirmDistinct {
		return nil
	}
	same, err := st.CandidatesByIdentity(ctx, f.FullName, f.Gender, DateOf(f.BirthDate), org.CommitteePath())
	if err != nil || len(same) == 0 {
		return err
	}
	msg := fmt.Sprintf("Trùng họ tên, giới tính và ngày sinh với quần chúng %s (%s). Một người vào Đảng qua ketnap trở thành đảng viên khi dự lễ kết nạp, không nhập tay. Nếu đây là người khác, đánh dấu “Đây là người khác” rồi lưu lại.",
		same[0].FullName, StageLabels[same[0].Stage])
	return &Error{Code: Invalid, Rule: "identity_match", Field: "confirm_distinct", Message: msg, Fields: map[string]string{"confirm_distinct": msg}}
}

// UpdateMember corrects a member's details: identity and cell for every
// member; the dates only for a member entered directly, judged by the same
// rules. Status never changes here: it changes through the candidate's steps
// or through member events.
func (s *Service) UpdateMember(ctx context.Context, a Actor, id int64, f MemberForm) (Member, error) {
	today := s.today()
	var m Member
	err := s.DB.InTx(ctx, func(st Store) error {
		old, err := st.LockMember(ctx, id, a.ScopePath)
		if err != nil {
			return err
		}
		if !Can(a, ActManageMembers, old.OrgPath) {
			return &Error{Code: Forbidden, Message: "Vai trò của bạn không được sửa danh sách đảng viên."}
		}
		if f.ExpectedVersion != nil && *f.ExpectedVersion != old.Version {
			return &Error{Code: Conflict, Rule: "stale", Message: "Đảng viên này vừa được người khác cập nhật; hãy tải lại trang và sửa lại."}
		}
		if f.Status != "" && f.Status != old.Status {
			return &Error{Code: Invalid, Rule: "member_status", Field: "status",
				Message: "Tình trạng đảng viên không sửa trực tiếp được: đảng viên kết nạp qua ketnap thay đổi qua các bước của hồ sơ; đảng viên nhập trực tiếp do cán bộ Văn phòng Đảng ủy ghi biến động kèm lý do."}
		}
		rules, err := st.RuleSets(ctx)
		if err != nil {
			return err
		}
		m = old
		fields := map[string]string{}
		m.FullName = validateIdentity(f.FullName, f.Gender, f.BirthDate, today, fields)
		m.Gender, m.BirthDate = f.Gender, DateOf(f.BirthDate)
		if old.CandidateID == 0 && f.Composition != (Composition{}) {
			if err := checkMemberVocab(ctx, st, &f.Composition); err != nil {
				return err
			}
			m.Composition = f.Composition
		}
		if f.OrganizationID != 0 && f.OrganizationID != old.OrganizationID {
			to, err := st.Organization(ctx, f.OrganizationID, a.ScopePath)
			if err != nil || to.Kind != KindCell || !Can(a, ActManageMembers, to.Path) {
				fields["organization_id"] = "Chọn một chi bộ thuộc phạm vi của bạn."
			} else {
				m.OrganizationID, m.OrgPath = to.ID, to.Path
			}
		}
		datesChanged := !f.AdmittedOn.IsZero() && !DateOf(f.AdmittedOn).Equal(old.AdmittedOn) ||
			!f.CeremonyOn.IsZero() && !DateOf(f.CeremonyOn).Equal(old.CeremonyOn) ||
			!DateOf(f.OfficialOn).Equal(old.OfficialOn) && !(f.OfficialOn.IsZero() && f.AdmittedOn.IsZero())
		switch {
		case !datesChanged:
		case old.CandidateID != 0:
			fields["admitted_on"] = "Đảng viên kết nạp qua ketnap: ngày quyết định, ngày lễ kết nạp và ngày chính thức lấy từ các bước của hồ sơ; sửa bằng điều chỉnh bước."
		case f.OfficialOn.IsZero() != old.OfficialOn.IsZero():
			fields["official_on"] = "Công nhận chính thức là một biến động: cán bộ Văn phòng Đảng ủy ghi kèm lý do ở mục “Biến động”."
		default:
			f.BirthDate = m.BirthDate
			validateMemberDates(f, rules, today, fields)
			m.AdmittedOn, m.CeremonyOn, m.OfficialOn = DateOf(f.AdmittedOn), DateOf(f.CeremonyOn), DateOf(f.OfficialOn)
			if m.CeremonyOn.IsZero() {
				m.CeremonyOn = m.AdmittedOn
			}
		}
		if !m.BirthDate.IsZero() && FullMonths(m.BirthDate, m.AdmittedOn) < 18*12 && fields["birth_date"] == "" {
			fields["birth_date"] = "Ngày sinh không khớp: người này chưa đủ 18 tuổi vào ngày vào Đảng."
		}
		if err := fieldsError(fields); err != nil {
			return err
		}
		if err := st.UpdateMember(ctx, &m); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, m.OrganizationID, "member.update", "member", m.ID, old, m))
	})
	return m, err
}

// MemberEventInput is a change of status recorded by staff.
type MemberEventInput struct {
	Kind           string
	OccurredOn     time.Time
	Reason         string
	IdempotencyKey string
}

// RecordMemberEvent records a change of a member's status or activity, with
// its reason, judged by the rules: official only after the probation months
// of the rule set in force at the ceremony. A member admitted through ketnap
// becomes official or leaves during probation only through the candidate's
// steps. Committee staff and admins record events.
func (s *Service) RecordMemberEvent(ctx context.Context, a Actor, memberID int64, in MemberEventInput) (MemberEvent, error) {
	today := s.today()
	var ev MemberEvent
	err := s.DB.InTx(ctx, func(st Store) error {
		m, err := st.LockMember(ctx, memberID, a.ScopePath)
		if err != nil {
			return err
		}
		if !Can(a, ActMemberEvents, m.OrgPath) {
			return &Error{Code: Forbidden, Message: "Chỉ cán bộ Văn phòng Đảng ủy được ghi biến động của đảng viên."}
		}
		rules, err := st.RuleSets(ctx)
		if err != nil {
			return err
		}
		in.Reason = strings.TrimSpace(in.Reason)
		bad := func(field, msg string) error {
			return &Error{Code: Invalid, Rule: "member_event", Field: field, Message: msg, Fields: map[string]string{field: msg}}
		}
		if _, ok := MemberEventLabels[in.Kind]; !ok || in.Kind == EventAdmitted {
			return bad("kind", "Chọn loại biến động.")
		}
		switch {
		case in.OccurredOn.IsZero():
			return bad("occurred_on", "Cần nhập ngày (ngày/tháng/năm).")
		case in.OccurredOn.After(today):
			return bad("occurred_on", "Ngày "+FormatDate(in.OccurredOn)+" chưa đến; chỉ ghi những việc đã diễn ra.")
		case in.OccurredOn.Before(m.CeremonyOn):
			return bad("occurred_on", "Ngày biến động không thể trước ngày lễ kết nạp ("+FormatDate(m.CeremonyOn)+").")
		case in.Reason == "":
			return bad("reason", "Cần ghi lý do (và số văn bản nếu có).")
		case len([]rune(in.Reason)) > 1000:
			return bad("reason", "Lý do dài quá 1000 ký tự.")
		}
		d := DateOf(in.OccurredOn)
		before := m
		if m.Status == MemberRemoved || m.Status == MemberTransferred {
			return &Error{Code: Conflict, Rule: "member_left", Message: "Đảng viên này đã ra khỏi danh sách của chi bộ (" + MemberStatusLabels[m.Status] + ")."}
		}
		viaSteps := m.CandidateID != 0 && m.Status == MemberProbationary
		switch in.Kind {
		case EventOfficial:
			if m.CandidateID != 0 {
				return bad("kind", "Đảng viên kết nạp qua ketnap được công nhận chính thức bằng nghị quyết chi bộ (Mẫu 13-KNĐ) và quyết định công nhận (Mẫu 16-KNĐ) trên hồ sơ của họ.")
			}
			if m.Status != MemberProbationary {
				return &Error{Code: Conflict, Rule: "already_official", Message: "Đảng viên này đã là đảng viên chính thức."}
			}
			if end := ProbationEndOf(m.CeremonyOn, rules); d.Before(end) {
				p := rules.ParamsOn(m.CeremonyOn)
				return &Error{Code: Invalid, Rule: "probation_not_over", Field: "occurred_on", Citation: citeProbation,
					Message: fmt.Sprintf("Chưa hết %d tháng dự bị kể từ lễ kết nạp %s (kết thúc ngày %s).", p.ProbationMonths, FormatDate(m.CeremonyOn), FormatDate(end))}
			}
			m.Status, m.OfficialOn = MemberOfficial, d
		case EventRemoved, EventTransferred:
			if viaSteps {
				return bad("kind", "Đảng viên dự bị kết nạp qua ketnap được xóa tên hoặc chuyển đi bằng bước trên hồ sơ của họ.")
			}
			m.Status, m.LeftOn = in.Kind, d
			m.Activity, m.ActivitySince = ActivityNormal, time.Time{}
		case EventWorkingElsewhere, EventExempted:
			if m.Activity != ActivityNormal {
				return &Error{Code: Conflict, Rule: "activity", Message: "Đảng viên này đang " + strings.ToLower(ActivityLabels[m.Activity]) + "; ghi việc trở lại trước."}
			}
			m.Activity, m.ActivitySince = in.Kind, d
		case EventReturned, EventExemptionEnded:
			want := map[string]string{EventReturned: ActivityWorkingElsewhere, EventExemptionEnded: ActivityExempted}[in.Kind]
			if m.Activity != want {
				return &Error{Code: Conflict, Rule: "activity", Message: "Đảng viên này không " + strings.ToLower(ActivityLabels[want]) + "."}
			}
			if d.Before(m.ActivitySince) {
				return bad("occurred_on", "Ngày trở lại không thể trước ngày bắt đầu ("+FormatDate(m.ActivitySince)+").")
			}
			m.Activity, m.ActivitySince = ActivityNormal, time.Time{}
		}
		if err := st.UpdateMember(ctx, &m); err != nil {
			return err
		}
		ev = MemberEvent{MemberID: m.ID, Kind: in.Kind, OccurredOn: d, Reason: in.Reason, RecordedBy: a.UserID, IdempotencyKey: in.IdempotencyKey}
		if err := st.InsertMemberEvent(ctx, &ev); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, m.OrganizationID, "member.event", "member", m.ID, before,
			map[string]any{"member": m, "event": ev}))
	})
	return ev, err
}

// checkMemberVocab checks a directly entered member's composition: each
// value an entry of its vocabulary, or empty when not known.
func checkMemberVocab(ctx context.Context, st Store, c *Composition) error {
	fields := map[string]string{}
	if _, ok := EducationLabels[c.EducationGeneral]; c.EducationGeneral != "" && !ok {
		fields["education_general"] = "Chọn trình độ giáo dục phổ thông."
	}
	v, err := st.Vocabularies(ctx)
	if err != nil {
		return err
	}
	v.check(fields, map[string]*string{"ethnicity": &c.Ethnicity, "religion": &c.Religion, "education_professional": &c.EducationProfessional,
		"political_theory": &c.PoliticalTheory, "occupation": &c.Occupation}, VocabOfField, true)
	return fieldsError(fields)
}
