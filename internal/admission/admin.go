package admission

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

func forbidden(msg string) error { return &Error{Code: Forbidden, Message: msg} }

func invalidField(field, msg string) error {
	return &Error{Code: Invalid, Field: field, Message: msg, Fields: map[string]string{field: msg}}
}

var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// CreateOrganization adds a cell or committee under a committee of the
// actor's scope, with its audit event. An existing code with the same parent
// is returned unchanged (the demo and imports load twice without effect).
func (s *Service) CreateOrganization(ctx context.Context, a Actor, in OrgInput) (Organization, error) {
	var o Organization
	err := s.DB.InTx(ctx, func(st Store) error {
		if err := once(ctx, st); err != nil {
			return err
		}
		in.Name, in.Code = NormalizeName(in.Name), strings.TrimSpace(in.Code)
		if in.Kind != KindCell && in.Kind != KindCommittee {
			return invalidField("kind", "Chọn loại tổ chức.")
		}
		if in.Name == "" || len([]rune(in.Name)) > 200 {
			return invalidField("name", "Cần nhập tên tổ chức (tối đa 200 ký tự).")
		}
		if in.Code == "" && in.ParentID != 0 {
			// made from the parent's code and the name: "binh-ngoc" + "Chi bộ khu 9" → "binh-ngoc-khu-9"
			if parent, err := st.Organization(ctx, in.ParentID, a.ScopePath); err == nil {
				in.Code = parent.Code + "-" + Slug(strings.TrimPrefix(SearchKey(in.Name), "chi bo "))
			}
		}
		if !codePattern.MatchString(in.Code) {
			return invalidField("code", "Mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang (ví dụ: chi-bo-khu-1).")
		}
		if prev, ok, err := st.OrganizationByCode(ctx, in.Code); err != nil {
			return err
		} else if ok {
			if in.IfMissing && prev.ParentID == in.ParentID && a.InScope(prev.Path) && prev.Kind == in.Kind && prev.Name == in.Name {
				o = prev
				return nil
			}
			return invalidField("code", "Mã này đã được dùng cho tổ chức khác.")
		}
		if in.ParentID == 0 {
			// a new tree: only an admin whose scope is every tree (the CLI, the demo)
			if a.Role != RoleAdmin || a.ScopePath != "/" || in.Kind != KindCommittee {
				return invalidField("parent_id", "Chọn đảng bộ cấp trên.")
			}
		} else {
			parent, err := st.Organization(ctx, in.ParentID, a.ScopePath)
			if err != nil {
				return err
			}
			if !Can(a, ActAdminister, parent.Path) {
				return forbidden("Chỉ quản trị viên được thêm tổ chức.")
			}
			if parent.Kind != KindCommittee {
				return invalidField("parent_id", "Chỉ thêm được tổ chức trực thuộc một đảng bộ.")
			}
		}
		o = Organization{ParentID: in.ParentID, Kind: in.Kind, Name: in.Name, Code: in.Code,
			HasIntermediateCommittee: in.HasIntermediateCommittee, HasYouthUnion: in.HasYouthUnion}
		if err := st.InsertOrganization(ctx, &o); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, o.ID, "organization.create", "organization", o.ID, nil, o))
	})
	return o, err
}

// UpdateOrganization renames, configures or moves an organization of the
// actor's scope (the subtree follows); the scope's own root does not move.
func (s *Service) UpdateOrganization(ctx context.Context, a Actor, id int64, in OrgInput) (Organization, error) {
	var o Organization
	err := s.DB.InTx(ctx, func(st Store) error {
		if err := once(ctx, st); err != nil {
			return err
		}
		old, err := st.LockOrganization(ctx, id, a.ScopePath)
		if err != nil {
			return err
		}
		if !Can(a, ActAdminister, old.Path) {
			return forbidden("Chỉ quản trị viên được sửa tổ chức.")
		}
		o = old
		o.Name = NormalizeName(in.Name)
		if o.Name == "" || len([]rune(o.Name)) > 200 {
			return invalidField("name", "Cần nhập tên tổ chức (tối đa 200 ký tự).")
		}
		o.HasIntermediateCommittee, o.HasYouthUnion = in.HasIntermediateCommittee, in.HasYouthUnion
		if in.ParentID != 0 && in.ParentID != old.ParentID {
			switch {
			case old.ParentID == 0 || old.Path == a.ScopePath:
				return invalidField("parent_id", "Không chuyển được tổ chức gốc của phạm vi.")
			}
			p, err := st.Organization(ctx, in.ParentID, a.ScopePath)
			if err != nil {
				return invalidField("parent_id", "Chọn một đảng bộ thuộc phạm vi của bạn.")
			}
			if p.Kind != KindCommittee {
				return invalidField("parent_id", "Chỉ chuyển được sang trực thuộc một đảng bộ.")
			}
			if strings.HasPrefix(p.Path, old.Path) {
				return invalidField("parent_id", "Không chuyển được một tổ chức vào bên dưới chính nó.")
			}
			o.ParentID = p.ID
		}
		if o == old {
			return nil // nothing changed: nothing written
		}
		if err := st.UpdateOrganization(ctx, &o); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, o.ID, "organization.update", "organization", o.ID, old, o))
	})
	return o, err
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9._-]{3,64}$`)

// NormalizeUsername returns the stored form of a username.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// validateUser checks the fields of a user form.
func validateUser(in *UserInput, isNew bool) error {
	fields := map[string]string{}
	in.FullName = NormalizeName(in.FullName)
	if isNew {
		in.Username = NormalizeUsername(in.Username)
		if !usernamePattern.MatchString(in.Username) {
			fields["username"] = "Tên đăng nhập 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới."
		}
		if in.PasswordHash == "" {
			fields["password"] = "Cần mật khẩu."
		}
	}
	if in.FullName == "" || len([]rune(in.FullName)) > 100 {
		fields["full_name"] = "Cần nhập họ và tên (tối đa 100 ký tự)."
	}
	if _, ok := RoleLabels[in.Role]; !ok {
		fields["role"] = "Chọn vai trò."
	}
	if in.ScopeOrgID == 0 {
		fields["scope_organization_id"] = "Chọn phạm vi."
	}
	if len(fields) > 0 {
		return &Error{Code: Invalid, Message: "Chưa lưu: xem các ô được đánh dấu.", Fields: fields}
	}
	return nil
}

// CreateUser adds an account whose scope lies in the actor's, with its audit
// event (never the password hash).
func (s *Service) CreateUser(ctx context.Context, a Actor, in UserInput) (User, error) {
	var u User
	if err := validateUser(&in, true); err != nil {
		return u, err
	}
	err := s.DB.InTx(ctx, func(st Store) error {
		if err := once(ctx, st); err != nil {
			return err
		}
		org, err := st.Organization(ctx, in.ScopeOrgID, a.ScopePath)
		if err != nil {
			return invalidField("scope_organization_id", "Chọn một tổ chức thuộc phạm vi của bạn.")
		}
		if !Can(a, ActAdminister, org.Path) {
			return forbidden("Chỉ quản trị viên được thêm người dùng.")
		}
		if err := scopeFits(in.Role, org); err != nil {
			return err
		}
		u = User{Username: in.Username, FullName: in.FullName, Role: in.Role, ScopeOrgID: org.ID, ScopeName: org.Name, ScopePath: org.Path, Active: true}
		if err := st.InsertUser(ctx, &u, in.PasswordHash, in.MustChange); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, org.ID, "user.create", "user", u.ID, nil, safeUser(u)))
	})
	return u, err
}

// UpdateUser changes a user's name, role, scope and state (old and new scope
// in the actor's); a change of role, scope or state ends their sessions.
func (s *Service) UpdateUser(ctx context.Context, a Actor, id int64, in UserInput) (User, error) {
	var u User
	if err := validateUser(&in, false); err != nil {
		return u, err
	}
	err := s.DB.InTx(ctx, func(st Store) error {
		if err := once(ctx, st); err != nil {
			return err
		}
		old, err := st.LockUser(ctx, id, a.ScopePath)
		if err != nil {
			return err
		}
		org, err := st.Organization(ctx, in.ScopeOrgID, a.ScopePath)
		if err != nil {
			return invalidField("scope_organization_id", "Chọn một tổ chức thuộc phạm vi của bạn.")
		}
		if !Can(a, ActAdminister, old.ScopePath) || !Can(a, ActAdminister, org.Path) {
			return forbidden("Chỉ quản trị viên được sửa người dùng.")
		}
		if err := scopeFits(in.Role, org); err != nil {
			return err
		}
		if old.ID == a.UserID && (!in.Active || in.Role != old.Role || org.ID != old.ScopeOrgID) {
			return invalidField("role", "Không tự khóa, đổi vai trò hay phạm vi của chính mình; nhờ một quản trị viên khác.")
		}
		u = old
		u.FullName, u.Role, u.ScopeOrgID, u.ScopeName, u.ScopePath, u.Active = in.FullName, in.Role, org.ID, org.Name, org.Path, in.Active
		if err := st.UpdateUser(ctx, &u); err != nil {
			return err
		}
		if !u.Active || u.Role != old.Role || u.ScopeOrgID != old.ScopeOrgID {
			if err := st.EndSessions(ctx, u.ID, nil); err != nil {
				return err
			}
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, u.ScopeOrgID, "user.update", "user", u.ID, safeUser(old), safeUser(u)))
	})
	return u, err
}

// ResetPassword gives a user a new password (to change at the next sign-in)
// and ends their sessions.
func (s *Service) ResetPassword(ctx context.Context, a Actor, id int64, hash string) error {
	return s.DB.InTx(ctx, func(st Store) error {
		if err := once(ctx, st); err != nil {
			return err
		}
		u, err := st.LockUser(ctx, id, a.ScopePath)
		if err != nil {
			return err
		}
		if !Can(a, ActAdminister, u.ScopePath) {
			return forbidden("Chỉ quản trị viên được đặt lại mật khẩu.")
		}
		if err := st.SetPasswordHash(ctx, u.ID, hash, true); err != nil {
			return err
		}
		if err := st.EndSessions(ctx, u.ID, nil); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, u.ScopeOrgID, "user.password_reset", "user", u.ID, nil, map[string]any{"sessions_ended": true}))
	})
}

// ChangeOwnPassword sets the actor's new password, clears the must-change
// mark and ends their other sessions (keep: the current session's token hash).
func (s *Service) ChangeOwnPassword(ctx context.Context, a Actor, hash string, keep []byte) error {
	return s.DB.InTx(ctx, func(st Store) error {
		if err := once(ctx, st); err != nil {
			return err
		}
		if err := st.SetPasswordHash(ctx, a.UserID, hash, false); err != nil {
			return err
		}
		if err := st.EndSessions(ctx, a.UserID, keep); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, a.ScopeOrgID, "user.password_change", "user", a.UserID, nil, map[string]any{"other_sessions_ended": true}))
	})
}

// safeUser is what the audit trail keeps of a user: never the password hash.
func safeUser(u User) map[string]any {
	return map[string]any{"username": u.Username, "full_name": u.FullName, "role": u.Role, "scope_organization_id": u.ScopeOrgID, "active": u.Active}
}

// SetTargets writes the year's admission targets of cells of the actor's
// scope (nil: no target), one audit event per changed cell.
func (s *Service) SetTargets(ctx context.Context, a Actor, year int, targets map[int64]*int) error {
	if year < 2000 || year > 2100 {
		return invalidField("year", "Năm không hợp lệ.")
	}
	for _, n := range targets {
		if n != nil && (*n < 0 || *n > 10000) {
			return invalidField("targets", "Chỉ tiêu là số từ 0 đến 10 000.")
		}
	}
	return s.DB.InTx(ctx, func(st Store) error {
		if err := once(ctx, st); err != nil {
			return err
		}
		for org, n := range targets {
			o, err := st.Organization(ctx, org, a.ScopePath)
			if err != nil {
				return err
			}
			if !Can(a, ActSetTargets, o.Path) {
				return forbidden("Vai trò của bạn không được đặt chỉ tiêu.")
			}
			old, err := st.Target(ctx, org, year)
			if err != nil {
				return err
			}
			if (old == nil && n == nil) || (old != nil && n != nil && *old == *n) {
				continue
			}
			if err := st.SetTarget(ctx, org, year, n, a.UserID); err != nil {
				return err
			}
			if err := st.InsertAudit(ctx, s.audit(ctx, a, o.ID, "target.set", "organization", o.ID,
				map[string]any{"year": year, "admissions": old}, map[string]any{"year": year, "admissions": n})); err != nil {
				return err
			}
		}
		return nil
	})
}

// atRoot reports whether the actor's scope is a whole tree: the top
// committee of the deployment (or every tree).
func atRoot(a Actor) bool { return strings.Count(a.ScopePath, "/") <= 2 }

// ArchiveAuditMonth takes a month of the audit trail out of the database
// into w (ketnap audit archive), in one transaction with its audit event:
// the trail says who archived which month and where its file went. Only an
// administrator of a whole tree may: the trail is the deployment's.
func (s *Service) ArchiveAuditMonth(ctx context.Context, a Actor, month time.Time, fileName string, w io.Writer) (AuditArchive, error) {
	var out AuditArchive
	if a.Role != RoleAdmin || !atRoot(a) {
		return out, forbidden("Chỉ quản trị viên của cả hệ thống được lưu trữ nhật ký.")
	}
	err := s.DB.InTx(ctx, func(st Store) error {
		var err error
		if out, err = st.ArchiveAuditMonth(ctx, month, fileName, w); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, a.ScopeOrgID, "audit.archive", "audit", 0, nil, out))
	})
	return out, err
}

// canEditCalendar: the holiday calendar moves every cell's deadlines, so
// only an admin whose scope is a whole tree (a root organization) edits it.
func canEditCalendar(a Actor) bool {
	return a.Role == RoleAdmin && atRoot(a)
}

// EnsureHolidays fills the default holidays of the years from..to that have none yet.
func (s *Service) EnsureHolidays(ctx context.Context, from, to int) error {
	return s.DB.InTx(ctx, func(st Store) error {
		for y := from; y <= to; y++ {
			n, err := st.HolidayCount(ctx, y)
			if err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			for _, h := range DefaultHolidays(y) {
				if err := st.PutHoliday(ctx, h, true); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// SetHoliday adds or renames a holiday and moves the deadlines it changes.
func (s *Service) SetHoliday(ctx context.Context, a Actor, day time.Time, name string) error {
	name = NormalizeName(name)
	if name == "" || len([]rune(name)) > 100 {
		return invalidField("name", "Cần nhập tên ngày nghỉ (tối đa 100 ký tự).")
	}
	if day.IsZero() {
		return invalidField("day", "Cần nhập ngày (ngày/tháng/năm).")
	}
	return s.DB.InTx(ctx, func(st Store) error {
		if err := once(ctx, st); err != nil {
			return err
		}
		if !canEditCalendar(a) {
			return forbidden("Lịch ngày nghỉ dùng chung cho mọi chi bộ: chỉ quản trị viên cấp Đảng bộ được sửa.")
		}
		if err := st.PutHoliday(ctx, Holiday{Day: DateOf(day), Name: name}, false); err != nil {
			return err
		}
		if err := s.recomputeNextDue(ctx, st, DateOf(day)); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, a.ScopeOrgID, "holiday.set", "holiday", 0, nil, map[string]any{"day": FormatDate(day), "name": name}))
	})
}

// DeleteHoliday makes a holiday a working day again and moves the deadlines it changes.
func (s *Service) DeleteHoliday(ctx context.Context, a Actor, day time.Time) error {
	return s.DB.InTx(ctx, func(st Store) error {
		if err := once(ctx, st); err != nil {
			return err
		}
		if !canEditCalendar(a) {
			return forbidden("Lịch ngày nghỉ dùng chung cho mọi chi bộ: chỉ quản trị viên cấp Đảng bộ được sửa.")
		}
		name, err := st.DeleteHoliday(ctx, DateOf(day))
		if err != nil {
			return err
		}
		if err := s.recomputeNextDue(ctx, st, DateOf(day)); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, a.ScopeOrgID, "holiday.delete", "holiday", 0, map[string]any{"day": FormatDate(day), "name": name}, nil))
	})
}

// recomputeNextDue rewrites the stored earliest deadline of the open
// candidates whose deadline falls on or after day (only those can move).
func (s *Service) recomputeNextDue(ctx context.Context, st Store, day time.Time) error {
	rules, err := st.RuleSets(ctx)
	if err != nil {
		return err
	}
	hol, err := st.Holidays(ctx, day.AddDate(-10, 0, 0), day.AddDate(5, 0, 0))
	if err != nil {
		return err
	}
	cal := NewCalendar(hol)
	cands, err := st.OpenCandidates(ctx, "/", day)
	if err != nil {
		return err
	}
	for _, c := range cands {
		steps, err := st.Steps(ctx, c.ID)
		if err != nil {
			return err
		}
		var due time.Time
		code := ""
		if ds := Deadlines(c, steps, rules, cal, s.today()); len(ds) > 0 {
			due, code = ds[0].Due, ds[0].Code
		}
		if err := st.SetNextDue(ctx, c.ID, due, code); err != nil {
			return err
		}
	}
	return nil
}

// RuleSetInput is a new rule set: when it takes effect, the document that
// states it and its parameters.
type RuleSetInput struct {
	EffectiveFrom time.Time
	Citation      string
	Params        Params
}

// RuleSetImpact is an open file a new rule set would change, and how.
type RuleSetImpact struct {
	Candidate Candidate
	Changes   []string // in Vietnamese
}

// validateRuleSet checks a new rule set against the existing ones and today.
func validateRuleSet(in *RuleSetInput, existing RuleSets, today time.Time) error {
	in.Citation = strings.TrimSpace(in.Citation)
	fields := map[string]string{}
	switch {
	case in.EffectiveFrom.IsZero():
		fields["effective_from"] = "Cần nhập ngày có hiệu lực (ngày/tháng/năm)."
	case !in.EffectiveFrom.After(today):
		fields["effective_from"] = "Bộ quy tắc mới chỉ có hiệu lực từ một ngày sau hôm nay: việc đã diễn ra giữ quy tắc đã xét nó."
	}
	for _, r := range existing {
		if !in.EffectiveFrom.IsZero() && !r.EffectiveFrom.Before(in.EffectiveFrom) {
			fields["effective_from"] = fmt.Sprintf("Đã có bộ quy tắc có hiệu lực từ %s; bộ mới phải có hiệu lực sau ngày đó.", FormatDate(r.EffectiveFrom))
		}
	}
	if in.Citation == "" || len([]rune(in.Citation)) > 300 {
		fields["citation"] = "Cần ghi văn bản quy định (ví dụ: Quy định số …-QĐ/TW ngày …)."
	}
	if err := in.Params.Validate(); err != nil {
		fields["params"] = "Tham số không hợp lệ: " + err.Error() + "."
	}
	if len(fields) > 0 {
		return &Error{Code: Invalid, Message: "Chưa lưu: xem các ô được đánh dấu.", Fields: fields}
	}
	return nil
}

// ruleSetFor checks that the actor may add a rule set (staff or admin of
// the top committee: rule sets govern every file of the deployment) and
// validates it against the sets in force; it returns those sets.
func (s *Service) ruleSetFor(ctx context.Context, st Store, a Actor, in *RuleSetInput) (RuleSets, error) {
	if !Can(a, ActEditRules, a.ScopePath) {
		return nil, forbidden("Vai trò của bạn không được thêm bộ quy tắc.")
	}
	if !atRoot(a) {
		return nil, forbidden("Bộ quy tắc dùng chung cho mọi đảng bộ của hệ thống: chỉ cán bộ hoặc quản trị viên của đảng bộ cấp cao nhất được thêm.")
	}
	rules, err := st.RuleSets(ctx)
	if err != nil {
		return nil, err
	}
	return rules, validateRuleSet(in, rules, s.today())
}

// PreviewRuleSet returns the open files of the actor's scope that a new rule
// set would change: a running deadline that would move, or a step still to
// come that it would judge with a changed parameter. Nothing is written.
func (s *Service) PreviewRuleSet(ctx context.Context, a Actor, in RuleSetInput) ([]RuleSetImpact, error) {
	var out []RuleSetImpact
	err := s.DB.InTx(ctx, func(st Store) error {
		rules, err := s.ruleSetFor(ctx, st, a, &in)
		if err != nil {
			return err
		}
		out, err = s.impacts(ctx, st, a, rules, in)
		return err
	})
	return out, err
}

func (s *Service) impacts(ctx context.Context, st Store, a Actor, rules RuleSets, in RuleSetInput) ([]RuleSetImpact, error) {
	today := s.today()
	next := append(append(RuleSets(nil), rules...), RuleSet{ID: -1, Code: "new", EffectiveFrom: DateOf(in.EffectiveFrom), Citation: in.Citation, Params: in.Params})
	cur := rules.ParamsOn(in.EffectiveFrom)
	hol, err := st.Holidays(ctx, today.AddDate(-8, 0, 0), today.AddDate(5, 0, 0))
	if err != nil {
		return nil, err
	}
	cal := NewCalendar(hol)
	cands, err := st.OpenCandidates(ctx, a.ScopePath, time.Time{})
	if err != nil {
		return nil, err
	}
	var out []RuleSetImpact
	for _, c := range cands {
		steps, err := st.Steps(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		h := newHistory(steps)
		var changes []string
		before, after := Deadlines(c, steps, rules, cal, today), Deadlines(c, steps, next, cal, today)
		for i := range before {
			if i < len(after) && !before[i].Due.Equal(after[i].Due) {
				changes = append(changes, fmt.Sprintf("%s: %s → %s", before[i].Label, FormatDate(before[i].Due), FormatDate(after[i].Due)))
			}
		}
		p := in.Params
		if !h.done(Ceremony) && p.ProbationMonths != cur.ProbationMonths {
			changes = append(changes, fmt.Sprintf("Thời gian dự bị nếu lễ kết nạp từ %s: %d tháng (nay %d)", FormatDate(in.EffectiveFrom), p.ProbationMonths, cur.ProbationMonths))
		}
		if !h.done(CellResolution) && (p.VoteNumerator*cur.VoteDenominator != cur.VoteNumerator*p.VoteDenominator ||
			p.MinAgeMonths != cur.MinAgeMonths || p.MaxAgeMonths != cur.MaxAgeMonths || p.MinEducation != cur.MinEducation) {
			changes = append(changes, "Điều kiện xét ở nghị quyết chi bộ (tuổi, học vấn, tỷ lệ biểu quyết) nếu biểu quyết từ "+FormatDate(in.EffectiveFrom))
		}
		if !h.done(Introduction) && (p.SponsorKnownMonths != cur.SponsorKnownMonths || p.YouthAgeMaxYears != cur.YouthAgeMaxYears || p.YouthRouteRequired != cur.YouthRouteRequired) {
			changes = append(changes, "Điều kiện giới thiệu (người giới thiệu, độ tuổi đoàn) nếu giới thiệu từ "+FormatDate(in.EffectiveFrom))
		}
		if h.done(Ceremony) && !h.done(RecognitionDecision) && p.InconclusiveVotesLimit != cur.InconclusiveVotesLimit {
			changes = append(changes, "Số lần biểu quyết không đủ 2/3 trước khi báo cáo cấp trên")
		}
		if len(changes) > 0 {
			out = append(out, RuleSetImpact{Candidate: c, Changes: changes})
		}
	}
	return out, nil
}

// AddRuleSet adds a rule set that takes effect on a later day. Files keep
// what their governing sets gave them: only events on or after the effective
// date are judged by it.
func (s *Service) AddRuleSet(ctx context.Context, a Actor, in RuleSetInput) (RuleSet, error) {
	var r RuleSet
	err := s.DB.InTx(ctx, func(st Store) error {
		if err := once(ctx, st); err != nil {
			return err
		}
		if _, err := s.ruleSetFor(ctx, st, a, &in); err != nil {
			return err
		}
		r = RuleSet{Code: "rs-" + DateOf(in.EffectiveFrom).Format("2006-01-02"), EffectiveFrom: DateOf(in.EffectiveFrom), Citation: in.Citation, Params: in.Params}
		if err := st.InsertRuleSet(ctx, &r); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, a.ScopeOrgID, "rule_set.create", "rule_set", r.ID, nil, r))
	})
	return r, err
}

// scopeFits refuses a scope that does not fit the role: a cell's secretary
// is scoped to a cell, committee staff to a committee.
func scopeFits(role Role, org Organization) error {
	switch {
	case role == RoleSecretary && org.Kind != KindCell:
		return invalidField("scope_organization_id", "Bí thư chi bộ phải có phạm vi là một chi bộ.")
	case role == RoleStaff && org.Kind != KindCommittee:
		return invalidField("scope_organization_id", "Cán bộ Văn phòng Đảng ủy phải có phạm vi là một đảng bộ.")
	}
	return nil
}
