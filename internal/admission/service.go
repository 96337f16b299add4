package admission

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"
)

// AuditEvent is one entry of the append-only audit trail.
type AuditEvent struct {
	ID             int64
	At             time.Time
	UserID         int64
	UserName       string
	OrganizationID int64
	Action         string
	Entity         string
	EntityID       int64
	Before, After  any
	IP             string
	RequestID      string
}

// RequestMeta is who asked, from where: carried in the context to the audit trail.
type RequestMeta struct {
	IP        string
	RequestID string
	FormToken string // the submitted form's token: the same form writes once
}

// WithFormToken returns a context whose request meta carries the token of
// the submitted form.
func WithFormToken(ctx context.Context, token string) context.Context {
	m := MetaFrom(ctx)
	m.FormToken = token
	return WithRequestMeta(ctx, m)
}

// ErrSubmitted refuses a form already submitted: its first submit was written.
var ErrSubmitted = &Error{Code: Conflict, Rule: "submitted", Message: "Biểu mẫu này đã được gửi và ghi rồi."}

// Submitted reports whether err is ErrSubmitted.
func Submitted(err error) bool { return ErrorRule(err) == "submitted" }

// once claims the request's form token in the transaction: a second submit
// of the same form is ErrSubmitted and writes nothing.
func once(ctx context.Context, st Store) error {
	t := MetaFrom(ctx).FormToken
	if t == "" {
		return nil
	}
	ok, err := st.ClaimToken(ctx, "form:"+t)
	if err != nil {
		return err
	}
	if !ok {
		return ErrSubmitted
	}
	return nil
}

type metaKey struct{}

// WithRequestMeta returns a context that carries the request's address and id.
func WithRequestMeta(ctx context.Context, m RequestMeta) context.Context {
	return context.WithValue(ctx, metaKey{}, m)
}

// MetaFrom returns the request meta carried by ctx.
func MetaFrom(ctx context.Context) RequestMeta {
	m, _ := ctx.Value(metaKey{}).(RequestMeta)
	return m
}

// Service applies the regulation to every write: candidates and their steps,
// members, organizations, users, targets, holidays and rule sets. Each method
// checks who may do it, judges it and writes it with its audit event in one
// transaction.
type Service struct {
	DB  Transactor
	Now Clock // the one clock; SystemClock when nil
}

// Today returns the service's calendar day in Vietnam.
func (s *Service) Today() time.Time { return s.today() }

func (s *Service) today() time.Time {
	if s.Now == nil {
		return SystemClock.Today()
	}
	return s.Now.Today()
}

// CandidateInput is the personal data of a new candidate.
type CandidateInput struct {
	OrganizationID        int64
	FullName              string
	Gender                string
	BirthDate             time.Time
	Ethnicity             string
	Religion              string
	EducationGeneral      string
	EducationApprovalRef  string
	EducationProfessional string
	PoliticalTheory       string
	Occupation            string
	YouthUnion            bool
	TradeUnion            bool
	Readmission           bool
	ReadmissionConsentRef string
	OverAgeDecisionRef    string
	IdempotencyKey        string
}

// applyTo copies the personal fields of a validated input onto a candidate.
func (in CandidateInput) applyTo(c *Candidate) {
	c.FullName, c.SearchKey, c.Gender, c.BirthDate = in.FullName, SearchKey(in.FullName), in.Gender, DateOf(in.BirthDate)
	c.Ethnicity, c.Religion, c.EducationGeneral, c.EducationApprovalRef = in.Ethnicity, in.Religion, in.EducationGeneral, in.EducationApprovalRef
	c.EducationProfessional, c.Occupation, c.YouthUnion, c.TradeUnion = in.EducationProfessional, in.Occupation, in.YouthUnion, in.TradeUnion
	c.PoliticalTheory = in.PoliticalTheory
	c.Readmission, c.ReadmissionConsentRef, c.OverAgeDecisionRef = in.Readmission, in.ReadmissionConsentRef, in.OverAgeDecisionRef
}

// ValidateCandidate checks a new candidate's fields and returns them
// normalized, or an Invalid error with a message per field.
func ValidateCandidate(in CandidateInput, today time.Time) (CandidateInput, error) {
	fields := map[string]string{}
	in.FullName = PersonName(in.FullName)
	in.Ethnicity = NormalizeName(in.Ethnicity)
	in.Religion = NormalizeName(in.Religion)
	in.EducationProfessional = NormalizeName(in.EducationProfessional)
	in.PoliticalTheory = NormalizeName(in.PoliticalTheory)
	in.Occupation = NormalizeName(in.Occupation)
	in.ReadmissionConsentRef = strings.TrimSpace(in.ReadmissionConsentRef)
	in.EducationApprovalRef = strings.TrimSpace(in.EducationApprovalRef)
	in.OverAgeDecisionRef = strings.TrimSpace(in.OverAgeDecisionRef)
	switch n := len([]rune(in.FullName)); {
	case n == 0:
		fields["full_name"] = "Cần nhập họ và tên."
	case n > 100:
		fields["full_name"] = "Họ và tên dài quá 100 ký tự."
	case !HasLetter(in.FullName):
		fields["full_name"] = "Họ và tên phải có chữ cái."
	case !strings.Contains(in.FullName, " "):
		fields["full_name"] = "Nhập đủ họ và tên (ví dụ: Nguyễn Văn An)."
	}
	if in.Gender != Male && in.Gender != Female {
		fields["gender"] = "Chọn giới tính."
	}
	switch {
	case in.BirthDate.IsZero():
		fields["birth_date"] = "Cần nhập ngày sinh (ngày/tháng/năm)."
	case !in.BirthDate.Before(today):
		fields["birth_date"] = "Ngày sinh phải trước hôm nay."
	case FullMonths(in.BirthDate, today) < 15*12:
		fields["birth_date"] = "Người dưới 15 tuổi chưa thể được tạo nguồn."
	case FullMonths(in.BirthDate, today) > 100*12:
		fields["birth_date"] = "Ngày sinh không hợp lý (trên 100 tuổi)."
	}
	if in.Ethnicity == "" {
		in.Ethnicity = EthnicityMajority
	}
	if in.Religion == "" {
		in.Religion = ReligionNone
	}
	if in.EducationProfessional == "" {
		in.EducationProfessional = LevelNone
	}
	if in.PoliticalTheory == "" {
		in.PoliticalTheory = LevelNone
	}
	if _, ok := EducationLabels[in.EducationGeneral]; !ok {
		fields["education_general"] = "Chọn trình độ giáo dục phổ thông."
	}
	if in.Readmission && in.ReadmissionConsentRef == "" {
		fields["readmission_consent_ref"] = "Kết nạp lại cần ghi số văn bản đồng ý của Ban Thường vụ Tỉnh ủy (Quy định 294-QĐ/TW, điểm 3.5)."
	}
	if in.OrganizationID == 0 {
		fields["organization_id"] = "Chọn chi bộ."
	}
	if len(fields) > 0 {
		return in, &Error{Code: Invalid, Rule: "candidate_fields", Message: "Thông tin chưa hợp lệ, xem các ô được đánh dấu.", Fields: fields}
	}
	return in, nil
}

// AddCandidate puts a new candidate on a cell's list, in one transaction with its audit event.
func (s *Service) AddCandidate(ctx context.Context, a Actor, in CandidateInput) (Candidate, error) {
	var c Candidate
	err := s.DB.InTx(ctx, func(st Store) error {
		var err error
		if in, err = s.judgeCandidate(ctx, st, in); err != nil {
			return err
		}
		org, err := st.Organization(ctx, in.OrganizationID, a.ScopePath)
		if err != nil {
			return err
		}
		if org.Kind != KindCell {
			return &Error{Code: Invalid, Field: "organization_id", Message: "Người vào Đảng phải thuộc một chi bộ.", Fields: map[string]string{"organization_id": "Chọn một chi bộ."}}
		}
		if !Can(a, ActAddCandidate, org.Path) {
			return &Error{Code: Forbidden, Message: "Vai trò của bạn không được thêm người vào Đảng."}
		}
		if in.IdempotencyKey != "" {
			if prev, ok, err := st.CandidateByKey(ctx, in.IdempotencyKey); err != nil {
				return err
			} else if ok {
				c = prev
				return nil
			}
		}
		c = Candidate{OrganizationID: org.ID, Stage: StageSource}
		in.applyTo(&c)
		if err := st.InsertCandidate(ctx, &c, in.IdempotencyKey, a.UserID); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, org.ID, "candidate.create", "candidate", c.ID, nil, c))
	})
	return c, err
}

func (s *Service) audit(ctx context.Context, a Actor, orgID int64, action, entity string, id int64, before, after any) *AuditEvent {
	m := MetaFrom(ctx)
	return &AuditEvent{UserID: a.UserID, OrganizationID: orgID, Action: action, Entity: entity, EntityID: id,
		Before: before, After: after, IP: m.IP, RequestID: m.RequestID}
}

// facts loads what the engine needs to judge a step for a locked candidate.
func (s *Service) facts(ctx context.Context, st Store, c Candidate, org Organization, in StepInput) (Facts, error) {
	f, err := s.fileFacts(ctx, st, c, org)
	if err != nil {
		return f, err
	}
	return f, inputFacts(ctx, st, &f, in, nil, nil)
}

// fileFacts are the facts of a file that no step input changes: its steps,
// the rule sets and the calendar.
func (s *Service) fileFacts(ctx context.Context, st Store, c Candidate, org Organization) (Facts, error) {
	steps, err := st.Steps(ctx, c.ID)
	if err != nil {
		return Facts{}, err
	}
	rules, err := st.RuleSets(ctx)
	if err != nil {
		return Facts{}, err
	}
	today := s.today()
	hol, err := st.Holidays(ctx, today.AddDate(-8, 0, 0), today.AddDate(3, 0, 0))
	if err != nil {
		return Facts{}, err
	}
	return Facts{Candidate: c, Org: org, Steps: steps, RuleSets: rules, Calendar: NewCalendar(hol), Today: today}, nil
}

// inputFacts adds to a file's facts what a step input brings: the members
// it names (from known when all are there) and, for a vote of the cell, the
// roll on its day (from roll, when given, read once into it).
func inputFacts(ctx context.Context, st Store, f *Facts, in StepInput, known []Member, roll *[]Member) error {
	ids := []int64{}
	if in.HelperMemberID != 0 {
		ids = append(ids, in.HelperMemberID)
	}
	for _, sp := range in.Sponsors {
		ids = append(ids, sp.MemberID)
	}
	f.Members, f.Roll = map[int64]Member{}, nil
	byID := map[int64]Member{}
	for _, m := range known {
		byID[m.ID] = m
	}
	for _, id := range ids {
		if m, ok := byID[id]; ok {
			f.Members[id] = m
		}
	}
	if len(f.Members) != len(ids) {
		var err error
		if f.Members, err = st.Members(ctx, ids); err != nil {
			return err
		}
	}
	if def, ok := Def(in.Kind); ok && def.Vote && def.Level != LevelCommittee && !in.OccurredOn.IsZero() {
		var members []Member
		if roll != nil && *roll != nil {
			members = *roll
		} else {
			var err error
			if members, err = st.RollMembers(ctx, f.Org.ID); err != nil {
				return err
			}
			if roll != nil {
				*roll = members
			}
		}
		r := RollOn(members, DateOf(in.OccurredOn))
		f.Roll = &r
	}
	return nil
}

// RecordStep records one step for a candidate: in one transaction it locks
// the candidate, applies the rules, writes the step, updates the stage (and
// the member record at the ceremony and the recognition decision) and writes
// the audit event. A failed vote is recorded too; the stage does not move.
func (s *Service) RecordStep(ctx context.Context, a Actor, candidateID int64, in StepInput) (Step, error) {
	return s.write(ctx, a, candidateID, in, 0, "")
}

// Withdraw takes a candidate off the cell's list, with a reason.
func (s *Service) Withdraw(ctx context.Context, a Actor, candidateID int64, on time.Time, reason, key string) (Step, error) {
	return s.RecordStep(ctx, a, candidateID, StepInput{Kind: Withdrawn, OccurredOn: on, Note: reason, IdempotencyKey: key})
}

// Correct supersedes a recorded step with a corrected one, with a reason. The
// old row stays; the stage is recomputed. Only committee staff and admins may correct.
// The step must belong to candidateID: a step of another candidate is not found.
func (s *Service) Correct(ctx context.Context, a Actor, candidateID, stepID int64, in StepInput, reason string) (Step, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Step{}, refuse("correction_reason", "correction_reason", "", "Cần ghi lý do điều chỉnh.")
	}
	return s.write(ctx, a, candidateID, in, stepID, reason)
}

func (s *Service) write(ctx context.Context, a Actor, candidateID int64, in StepInput, supersedes int64, reason string) (Step, error) {
	var out Step
	err := s.DB.InTx(ctx, func(st Store) error {
		if supersedes != 0 {
			id, err := st.StepCandidate(ctx, supersedes)
			if err != nil {
				return err
			}
			if id != candidateID {
				return ErrNotFound // a step of another candidate, named under this one's address
			}
		}
		c, org, err := st.LockCandidate(ctx, candidateID, a.ScopePath)
		if err != nil {
			return err
		}
		if in.ExpectedVersion != nil && *in.ExpectedVersion != c.Version {
			return &Error{Code: Conflict, Rule: "stale", Message: "Hồ sơ vừa được người khác cập nhật; hãy tải lại trang và kiểm tra trước khi ghi."}
		}
		f, err := s.facts(ctx, st, c, org, in)
		if err != nil {
			return err
		}
		if in.IdempotencyKey != "" {
			for _, x := range f.Steps {
				if x.IdempotencyKey == in.IdempotencyKey {
					out = x
					return nil
				}
			}
		}
		var old Step
		if supersedes != 0 {
			if !Can(a, ActCorrect, org.Path) {
				return &Error{Code: Forbidden, Message: "Chỉ cán bộ Văn phòng Đảng ủy được điều chỉnh bước đã ghi."}
			}
			found := false
			for _, x := range Effective(f.Steps) {
				if x.ID == supersedes {
					old, found = x, true
				}
			}
			if !found {
				return &Error{Code: Conflict, Rule: "already_superseded", Message: "Bước này đã được điều chỉnh trước đó."}
			}
			in.Kind = old.Kind
			rest := make([]Step, 0, len(f.Steps))
			for _, x := range f.Steps {
				if x.ID != supersedes {
					rest = append(rest, x)
				}
			}
			f.Steps = rest
		} else {
			def, ok := Def(in.Kind)
			if !ok {
				return refuse("unknown_step", "kind", "", "Bước %q không có trong quy trình.", in.Kind)
			}
			if !CanRecord(a, def, org.Path) {
				return &Error{Code: Forbidden, Rule: "role", Message: fmt.Sprintf("Vai trò “%s” không được ghi bước “%s” (do %s ghi).", RoleLabels[a.Role], def.Label, levelWho[def.Level])}
			}
		}
		v, err := Evaluate(in, f)
		if err != nil {
			return err
		}
		step := v.Step
		step.Seq = c.Version + 1
		step.RecordedBy = a.UserID
		if supersedes != 0 {
			step.SupersedesID = supersedes
			step.CorrectionReason = reason
		}
		if err := st.InsertStep(ctx, &step); err != nil {
			return err
		}
		before := map[string]any{"stage": c.Stage, "version": c.Version, "escalated": c.Escalated}
		if supersedes != 0 {
			before["step"] = old
		}
		all := append(f.Steps, step)
		c.Stage = DeriveStage(all)
		c.Escalated = c.Escalated || v.Escalate
		c.NextDue, c.NextDueCode = time.Time{}, ""
		if ds := Deadlines(c, all, f.RuleSets, f.Calendar, f.Today); len(ds) > 0 {
			c.NextDue, c.NextDueCode = ds[0].Due, ds[0].Code
		}
		if err := st.SaveCandidateState(ctx, &c); err != nil {
			return err
		}
		if err := s.memberEffects(ctx, st, a, c, org, step, all, f.RuleSets); err != nil {
			return err
		}
		action := "step.record"
		if supersedes != 0 {
			action = "step.correct"
		}
		after := map[string]any{"stage": c.Stage, "version": c.Version, "escalated": c.Escalated, "step": step}
		out = step
		return st.InsertAudit(ctx, s.audit(ctx, a, org.ID, action, "candidate", c.ID, before, after))
	})
	return out, err
}

var levelWho = map[Level]string{LevelCell: "chi bộ", LevelCommittee: "Đảng ủy", LevelAny: "chi bộ hoặc Đảng ủy"}

// memberEffects keeps the member roll in step with the path: the ceremony
// makes the candidate's person a probationary member of the cell, the
// recognition decision makes them official (effective when the probation
// ends) or removes them; each change is a member event tied to its step.
func (s *Service) memberEffects(ctx context.Context, st Store, a Actor, c Candidate, org Organization, step Step, all []Step, rules RuleSets) error {
	if step.Kind == Ceremony && step.SupersedesID == 0 {
		h := newHistory(all)
		admitted := h.at(Decision).OccurredOn // party seniority counts from the decision's date
		m := Member{PersonID: c.PersonID, OrganizationID: org.ID, OrgPath: org.Path, FullName: c.FullName, Gender: c.Gender, BirthDate: c.BirthDate,
			Status: MemberProbationary, AdmittedOn: admitted, CeremonyOn: step.OccurredOn, Activity: ActivityNormal, CandidateID: c.ID,
			Composition: c.Composition()}
		if err := st.InsertMember(ctx, &m); err != nil {
			return err
		}
		return st.InsertMemberEvent(ctx, &MemberEvent{MemberID: m.ID, Kind: EventAdmitted, OccurredOn: step.OccurredOn, StepID: step.ID, RecordedBy: a.UserID})
	}
	switch step.Kind {
	case Decision, Ceremony, RecognitionDecision, Removed, Transferred:
	default:
		return nil // the other steps leave the member roll as it is: no need to read it
	}
	m, ok, err := st.MemberOfCandidate(ctx, c.ID)
	if err != nil || !ok {
		return err
	}
	event := ""
	h := newHistory(all)
	switch step.Kind {
	case Decision:
		if step.SupersedesID == 0 {
			return nil
		}
		m.AdmittedOn = step.OccurredOn // a corrected decision date is the corrected party seniority
	case Ceremony:
		m.CeremonyOn = step.OccurredOn // a corrected ceremony date moves the probation
		if m.AdmittedOn.After(m.CeremonyOn) {
			m.AdmittedOn = h.at(Decision).OccurredOn
		}
	case RecognitionDecision:
		if step.SupersedesID != 0 {
			return nil
		}
		if step.Outcome == OutcomeRemoved {
			m.Status, m.LeftOn, event = MemberRemoved, step.OccurredOn, EventRemoved
		} else {
			m.Status, m.OfficialOn, event = MemberOfficial, ProbationEnd(all, rules), EventOfficial
		}
	case Removed:
		m.Status, m.LeftOn, event = MemberRemoved, step.OccurredOn, EventRemoved
	case Transferred:
		if DeriveStage(all[:len(all)-1]) != StageProbationary {
			return nil
		}
		m.Status, m.LeftOn, event = MemberTransferred, step.OccurredOn, EventTransferred
	default:
		return nil
	}
	if err := st.UpdateMember(ctx, &m); err != nil {
		return err
	}
	if event == "" {
		return nil
	}
	on := step.OccurredOn
	if event == EventOfficial {
		on = m.OfficialOn
	}
	return st.InsertMemberEvent(ctx, &MemberEvent{MemberID: m.ID, Kind: event, OccurredOn: on, Reason: step.Note, StepID: step.ID, RecordedBy: a.UserID})
}

// Move puts an open candidate, with their whole history, in another cell of
// the actor's scope (chuyển sinh hoạt trong đảng bộ). Only committee staff
// and admins move: both cells must be in their subtree.
func (s *Service) Move(ctx context.Context, a Actor, candidateID, toOrgID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return &Error{Code: Invalid, Field: "reason", Message: "Cần ghi lý do chuyển chi bộ.", Fields: map[string]string{"reason": "Cần ghi lý do chuyển chi bộ."}}
	}
	return s.DB.InTx(ctx, func(st Store) error {
		c, from, err := st.LockCandidate(ctx, candidateID, a.ScopePath)
		if err != nil {
			return err
		}
		to, err := st.Organization(ctx, toOrgID, a.ScopePath)
		if err != nil {
			return err
		}
		if !Can(a, ActCorrect, from.Path) || !Can(a, ActCorrect, to.Path) {
			return &Error{Code: Forbidden, Message: "Chỉ cán bộ Văn phòng Đảng ủy được chuyển quần chúng sang chi bộ khác."}
		}
		switch {
		case to.Kind != KindCell:
			return &Error{Code: Invalid, Field: "to", Message: "Chọn một chi bộ.", Fields: map[string]string{"to": "Chọn một chi bộ."}}
		case to.ID == from.ID:
			return &Error{Code: Invalid, Field: "to", Message: "Người này đang ở chi bộ đó.", Fields: map[string]string{"to": "Chọn một chi bộ khác."}}
		case c.Stage.Closed() || c.Stage == StageProbationary:
			return &Error{Code: Conflict, Message: "Chỉ chuyển chi bộ cho quần chúng đang theo dõi; đảng viên dự bị chuyển sinh hoạt theo danh sách đảng viên."}
		}
		before := map[string]any{"organization_id": from.ID, "organization": from.Name, "version": c.Version}
		if err := st.MoveCandidate(ctx, &c, to.ID); err != nil {
			return err
		}
		after := map[string]any{"organization_id": to.ID, "organization": to.Name, "version": c.Version, "reason": reason}
		return st.InsertAudit(ctx, s.audit(ctx, a, to.ID, "candidate.move", "candidate", c.ID, before, after))
	})
}

// UpdateProfile corrects a candidate's personal fields (a typo in the name,
// a wrong birth date), in one transaction with its audit event. The cell
// does not change here (see Move); steps already judged stay as recorded.
func (s *Service) UpdateProfile(ctx context.Context, a Actor, candidateID int64, in CandidateInput, expectedVersion int) (Candidate, error) {
	var c Candidate
	err := s.DB.InTx(ctx, func(st Store) error {
		var org Organization
		var err error
		c, org, err = st.LockCandidate(ctx, candidateID, a.ScopePath)
		if err != nil {
			return err
		}
		if !Can(a, ActAddCandidate, org.Path) {
			return &Error{Code: Forbidden, Message: "Vai trò của bạn không được sửa hồ sơ quần chúng."}
		}
		in.OrganizationID = org.ID
		if in, err = s.judgeCandidate(ctx, st, in); err != nil {
			return err
		}
		if c.Version != expectedVersion {
			return &Error{Code: Conflict, Rule: "stale", Message: "Hồ sơ vừa được người khác cập nhật; hãy tải lại trang và sửa lại."}
		}
		before := c
		in.applyTo(&c)
		if err := st.UpdateCandidate(ctx, &c); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, org.ID, "candidate.update", "candidate", c.ID, before, c))
	})
	return c, err
}

// checkCandidate adds a message to fields for each vocabulary field of in
// that is not an entry (an empty occupation is allowed: counted as not
// classified) and gives the others the entry's spelling.
func (v Vocabularies) checkCandidate(in *CandidateInput, fields map[string]string) {
	v.check(fields, map[string]*string{"ethnicity": &in.Ethnicity, "religion": &in.Religion,
		"education_professional": &in.EducationProfessional, "political_theory": &in.PoliticalTheory}, VocabOfField, false)
	v.check(fields, map[string]*string{"occupation": &in.Occupation}, VocabOfField, true)
}

// CheckCandidate judges a candidate's fields — the regulation's checks
// and the vocabularies — and returns every refusal at once (an Invalid
// error with a message per field), writing nothing.
func (s *Service) CheckCandidate(ctx context.Context, in CandidateInput) error {
	return s.DB.InTx(ctx, func(st Store) error {
		_, err := s.judgeCandidate(ctx, st, in)
		return err
	})
}

// judgeCandidate validates a candidate's fields and their vocabularies
// together, so a form learns every refusal on its first submit, and
// returns the input normalized (the vocabularies' spelling).
func (s *Service) judgeCandidate(ctx context.Context, st Store, in CandidateInput) (CandidateInput, error) {
	fields := map[string]string{}
	in, err := ValidateCandidate(in, s.today())
	var e *Error
	if errors.As(err, &e) {
		maps.Copy(fields, e.Fields)
	} else if err != nil {
		return in, err
	}
	v, err := st.Vocabularies(ctx)
	if err != nil {
		return in, err
	}
	v.checkCandidate(&in, fields)
	if len(fields) > 0 {
		return in, &Error{Code: Invalid, Rule: "candidate_fields", Message: "Thông tin chưa hợp lệ, xem các ô được đánh dấu.", Fields: fields}
	}
	return in, nil
}
