package web

import (
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/admission"
	"ketnap/templates"
)

func memberHref(id int64) string { return "/dang-vien/" + itoa(id) }

// memberForm fills the choices of the member form.
func (s *Server) memberForm(r *http.Request, v templates.MemberForm) (templates.MemberForm, error) {
	a, _ := s.actor(r)
	orgs, err := s.DB.OrgList(r.Context(), a.ScopePath)
	if err != nil {
		return v, err
	}
	for _, o := range orgs {
		if o.Kind == admission.KindCell {
			v.Cells = append(v.Cells, templates.Option{Value: itoa(o.ID), Label: o.Name, Selected: v.Values["organization_id"] == itoa(o.ID)})
		}
	}
	v.Genders = []templates.Option{{Value: admission.Male, Label: "Nam", Selected: v.Values["gender"] == admission.Male},
		{Value: admission.Female, Label: "Nữ", Selected: v.Values["gender"] == admission.Female}}
	v.Edu = []templates.Option{{Value: "", Label: "— không rõ —"}}
	for _, e := range []string{admission.EduUpperSecondary, admission.EduLowerSecondary, admission.EduPrimary, admission.EduLiteracy} {
		v.Edu = append(v.Edu, templates.Option{Value: e, Label: admission.EducationLabels[e], Selected: v.Values["education_general"] == e})
	}
	vocab, err := s.DB.Vocabularies(r.Context())
	if err != nil {
		return v, err
	}
	v.Vocab = vocabChoices(vocab, v.Values, "— không rõ —")
	return v, nil
}

func (s *Server) newMemberPage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	a, _ := s.actor(r)
	org, err := s.DB.Organization(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !admission.Can(a, admission.ActManageMembers, org.Path) {
		s.renderError(w, r, http.StatusForbidden, "Không có quyền", "Vai trò của bạn không được sửa danh sách đảng viên.")
		return
	}
	v, err := s.memberForm(r, templates.MemberForm{Title: "Thêm đảng viên — " + org.Name, Action: orgHref(org.ID) + "/dang-vien", Back: orgHref(org.ID),
		IsNew: true, DatesEditable: true, Values: map[string]string{"organization_id": itoa(org.ID), "gender": admission.Male, "token": newToken()}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.MemberFormPage(s.page(r, "Thêm đảng viên", "tree"), v))
}

func (s *Server) editMemberPage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	var notice string
	if r.URL.Query().Get("da-luu") != "" {
		notice = "Đã lưu."
	}
	s.renderMember(w, r, http.StatusOK, id, nil, nil, notice)
}

// memberValues are the form values of a member as stored.
func memberValues(m admission.Member) map[string]string {
	v := map[string]string{"full_name": m.FullName, "gender": m.Gender, "birth_date": admission.FormatDate(m.BirthDate),
		"admitted_on": admission.FormatDate(m.AdmittedOn), "ceremony_on": admission.FormatDate(m.CeremonyOn),
		"official_on": admission.FormatDate(m.OfficialOn), "organization_id": itoa(m.OrganizationID), "version": strconv.Itoa(m.Version)}
	if m.OfficialOn.IsZero() {
		v["official_on"] = ""
	}
	c := m.Composition
	v["ethnicity"], v["religion"], v["education_general"], v["education_professional"] = c.Ethnicity, c.Religion, c.EducationGeneral, c.EducationProfessional
	v["political_theory"], v["occupation"] = c.PoliticalTheory, c.Occupation
	v["youth_union"], v["readmission"] = boolValue(c.YouthUnion), boolValue(c.Readmission)
	return v
}

// memberStatusText says a member's status in words, with its dates.
func memberStatusText(m admission.Member) string {
	t := admission.MemberStatusLabels[m.Status]
	switch {
	case !m.OfficialOn.IsZero() && m.LeftOn.IsZero():
		t += " từ " + admission.FormatDate(m.OfficialOn)
	case !m.LeftOn.IsZero():
		t += " ngày " + admission.FormatDate(m.LeftOn)
	default:
		t += " từ lễ kết nạp " + admission.FormatDate(m.CeremonyOn)
	}
	return t
}

// memberEventLine is one member event in words.
func memberEventLine(e admission.MemberEvent) string {
	line := admission.FormatDate(e.OccurredOn) + ": " + admission.MemberEventLabels[e.Kind]
	if e.Reason != "" {
		line += " — " + e.Reason
	}
	if e.RecordedByName != "" {
		line += " (" + e.RecordedByName + " ghi)"
	}
	return line
}

// renderMember shows a member's page: details form, status, events and, for
// staff, the event form; form and event carry the values of a refused submission.
func (s *Server) renderMember(w http.ResponseWriter, r *http.Request, status int, id int64, form, event *formState, notice string) {
	a, _ := s.actor(r)
	m, err := s.DB.Member(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !admission.Can(a, admission.ActManageMembers, m.OrgPath) {
		s.renderError(w, r, http.StatusForbidden, "Không có quyền", "Vai trò của bạn không được sửa danh sách đảng viên.")
		return
	}
	rules, err := s.DB.RuleSets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	events, err := s.DB.MemberEvents(r.Context(), m.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := templates.MemberForm{Title: "Đảng viên " + m.FullName, Action: memberHref(m.ID), Back: orgHref(m.OrganizationID), Notice: notice,
		Values: memberValues(m), Errors: map[string]string{}, DatesEditable: m.CandidateID == 0, Status: memberStatusText(m)}
	if m.Activity != admission.ActivityNormal {
		v.Activity = admission.ActivityLabels[m.Activity] + " từ " + admission.FormatDate(m.ActivitySince)
	}
	if m.Status == admission.MemberProbationary {
		v.ProbationEnd = admission.FormatDate(admission.ProbationEndOf(m.CeremonyOn, rules))
	}
	if m.CandidateID != 0 {
		v.CandidateHref = candidateHref(m.CandidateID)
	}
	if form != nil {
		v.Values, v.Errors, v.Error = form.values, form.errors, form.general
		v.AskDistinct = form.errors["confirm_distinct"] != ""
	}
	for _, e := range events {
		v.Events = append(v.Events, memberEventLine(e))
	}
	if admission.Can(a, admission.ActMemberEvents, m.OrgPath) && m.LeftOn.IsZero() {
		ef := &templates.MemberEventForm{Action: memberHref(m.ID) + "/bien-dong", Values: map[string]string{"token": newToken()}, Errors: map[string]string{}}
		if event != nil {
			ef.Values, ef.Errors = event.values, event.errors
			v.Error = event.general
		}
		for _, k := range admission.StaffMemberEvents {
			if k == admission.EventOfficial && (m.CandidateID != 0 || m.Status != admission.MemberProbationary) {
				continue // through the candidate's steps, or already official
			}
			ef.Kinds = append(ef.Kinds, templates.Option{Value: k, Label: admission.MemberEventLabels[k], Selected: ef.Values["kind"] == k})
		}
		v.EventForm = ef
	}
	v, err = s.memberForm(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, templates.MemberFormPage(s.page(r, m.FullName, "tree"), v))
}

// readMemberForm reads the member form; date fields that do not parse get a message.
func readMemberForm(r *http.Request) (admission.MemberForm, map[string]string, map[string]string) {
	vals, errs := map[string]string{}, map[string]string{}
	for _, k := range []string{"full_name", "gender", "birth_date", "status", "admitted_on", "ceremony_on", "official_on", "organization_id", "token", "version", "confirm_distinct",
		"ethnicity", "religion", "education_general", "education_professional", "political_theory", "occupation", "youth_union", "readmission"} {
		vals[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	f := admission.MemberForm{FullName: vals["full_name"], Gender: vals["gender"], Status: vals["status"], OrganizationID: parseID(vals["organization_id"]),
		ConfirmDistinct: vals["confirm_distinct"] != "", IdempotencyKey: vals["token"],
		Composition: admission.Composition{Ethnicity: vals["ethnicity"], Religion: vals["religion"], EducationGeneral: vals["education_general"],
			EducationProfessional: vals["education_professional"], PoliticalTheory: vals["political_theory"], Occupation: vals["occupation"],
			YouthUnion: vals["youth_union"] == "1", Readmission: vals["readmission"] == "1"}}
	if vals["version"] != "" {
		if n, err := strconv.Atoi(vals["version"]); err == nil {
			f.ExpectedVersion = &n
		} else {
			errs["full_name"] = "Biểu mẫu không hợp lệ; hãy tải lại trang."
		}
	}
	for k, dst := range map[string]*timeField{"birth_date": {&f.BirthDate}, "admitted_on": {&f.AdmittedOn}, "ceremony_on": {&f.CeremonyOn}, "official_on": {&f.OfficialOn}} {
		if vals[k] == "" {
			continue
		}
		d, err := admission.ParseDate(vals[k])
		if err != nil {
			errs[k] = "Ngày " + strings.TrimPrefix(err.Error(), "ngày ")
			continue
		}
		*dst.t = d
	}
	return f, vals, errs
}

func parseID(s string) int64 {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' || n > 1<<50 {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

func boolValue(b bool) string {
	if b {
		return "1"
	}
	return ""
}
