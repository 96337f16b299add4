package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"ketnap/internal/admission"
	"ketnap/internal/auth"
	"ketnap/templates"
)

const candidatesPerPage = 50

// today is the calendar day in Vietnam.
func (s *Server) today() time.Time { return admission.DateOf(s.now().In(ict)) }

func newToken() string { t, _ := auth.NewToken(); return t }

func (s *Server) candidatesPage(w http.ResponseWriter, r *http.Request) {
	a, _ := s.actor(r)
	q := r.URL.Query()
	today := s.today()
	f := admission.CandidateFilter{Query: q.Get("q"), Stage: q.Get("giai-doan"), Due: q.Get("han"), Today: today,
		SoonBy: today.AddDate(0, 0, 30), PerPage: candidatesPerPage}
	if !q.Has("giai-doan") {
		f.Stage = "open"
	}
	f.OrgID, _ = strconv.ParseInt(q.Get("chi-bo"), 10, 64)
	f.Page, _ = strconv.Atoi(q.Get("trang"))
	if f.Page < 1 {
		f.Page = 1
	}
	rows, total, err := s.DB.ListCandidates(r.Context(), a.ScopePath, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	orgs, err := s.DB.OrgTree(r.Context(), a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := templates.CandidatesView{Query: f.Query, Total: total, Page: f.Page, Filtered: f.Query != "" || f.OrgID != 0 || f.Due != "" || (f.Stage != "open" && f.Stage != "")}
	for _, o := range orgs {
		if o.Kind == admission.KindCell {
			v.Orgs = append(v.Orgs, templates.Option{Value: itoa(o.ID), Label: o.Name, Selected: o.ID == f.OrgID})
			if admission.Can(a, admission.ActAddCandidate, o.Path) {
				v.CanAdd = true
			}
		}
	}
	v.ShowCells = len(v.Orgs) > 1
	v.Stages = append(v.Stages, templates.Option{Value: "open", Label: "Đang theo dõi", Selected: f.Stage == "open"},
		templates.Option{Value: "", Label: "Tất cả", Selected: f.Stage == ""})
	for _, st := range admission.Stages {
		v.Stages = append(v.Stages, templates.Option{Value: string(st), Label: admission.StageLabels[st], Selected: f.Stage == string(st)})
	}
	v.Dues = []templates.Option{{Value: "", Label: "Tất cả"}, {Value: "overdue", Label: "Quá hạn", Selected: f.Due == "overdue"},
		{Value: "soon", Label: "Đến hạn trong 30 ngày", Selected: f.Due == "soon"}}
	params, err := s.paramsToday(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range rows {
		v.Rows = append(v.Rows, listRow(c, today, params))
	}
	v.Pages = max(1, (total+candidatesPerPage-1)/candidatesPerPage)
	href := func(p int) string { return pageLink("/quan-chung", q, "trang", p) }
	if f.Page > 1 {
		v.PrevHref = href(f.Page - 1)
	}
	if f.Page < v.Pages {
		v.NextHref = href(f.Page + 1)
	}
	s.render(w, r, http.StatusOK, templates.CandidatesPage(s.page(r, "Quần chúng ưu tú", "candidates"), v))
}

var deadlineLabels = map[string]string{
	"certificate_expiry":       "giấy chứng nhận lớp nhận thức hết giá trị",
	"verification_expiry":      "kết quả thẩm tra hết giá trị",
	"decision_due":             "hạn ra quyết định kết nạp",
	"ceremony_due":             "hạn tổ chức lễ kết nạp",
	"probation_end":            "hết thời gian dự bị",
	"recognition_review_due":   "hạn xét công nhận chính thức",
	"recognition_decision_due": "hạn quyết định công nhận",
}

// listRow shows a candidate of a list; p are the parameters in force today,
// which say when a deadline counts as due soon.
func listRow(c admission.CandidateListRow, today time.Time, p admission.Params) templates.CandidateListRow {
	row := templates.CandidateListRow{Href: candidateHref(c.ID), Name: c.FullName, Cell: c.OrgName,
		BirthDate: admission.FormatDate(c.BirthDate), Stage: admission.StageLabels[c.Stage]}
	if !c.NextDue.IsZero() && !c.Stage.Closed() {
		row.NextDue, row.NextDueLabel = admission.FormatDate(c.NextDue), deadlineLabels[c.NextDueCode]
		row.NextDueStatus = string(admission.StatusOf(c.NextDueCode, c.NextDue, today, p))
	}
	return row
}

// paramsToday returns the parameters of the rule set in force today.
func (s *Server) paramsToday(r *http.Request) (admission.Params, error) {
	rules, err := s.DB.RuleSets(r.Context())
	if err != nil {
		return admission.Params{}, err
	}
	rs, ok := rules.InForce(s.today())
	if !ok {
		return admission.DefaultParams(), nil
	}
	return rs.Params, nil
}

// candidateForm builds the new-candidate form around what was typed.
func (s *Server) candidateForm(r *http.Request, v templates.CandidateForm) (templates.CandidateForm, error) {
	a, _ := s.actor(r)
	orgs, err := s.DB.OrgTree(r.Context(), a.ScopePath)
	if err != nil {
		return v, err
	}
	for _, o := range orgs {
		if o.Kind == admission.KindCell && admission.Can(a, admission.ActAddCandidate, o.Path) {
			v.Orgs = append(v.Orgs, templates.Option{Value: itoa(o.ID), Label: o.Name, Selected: v.Values["organization_id"] == itoa(o.ID)})
		}
	}
	v.Edu = []templates.Option{{Value: "", Label: "— chọn —"}}
	for _, e := range []string{admission.EduUpperSecondary, admission.EduLowerSecondary, admission.EduPrimary, admission.EduLiteracy} {
		v.Edu = append(v.Edu, templates.Option{Value: e, Label: admission.EducationLabels[e], Selected: v.Values["education_general"] == e})
	}
	if v.Token == "" {
		v.Token = newToken()
	}
	return v, nil
}

func (s *Server) newCandidatePage(w http.ResponseWriter, r *http.Request) {
	v, err := s.candidateForm(r, templates.CandidateForm{Values: map[string]string{"ethnicity": "Kinh", "organization_id": r.URL.Query().Get("chi-bo")}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(v.Orgs) == 0 {
		s.renderError(w, r, http.StatusForbidden, "Không có quyền", "Bạn không được thêm quần chúng vào chi bộ nào.")
		return
	}
	s.render(w, r, http.StatusOK, templates.NewCandidatePage(s.page(r, "Thêm quần chúng", "candidates"), v))
}

var candidateTextFields = []string{"organization_id", "full_name", "gender", "birth_date", "ethnicity", "religion", "education_general",
	"education_approval_ref", "education_professional", "occupation", "readmission_consent_ref"}

// readCandidateForm reads the candidate form: what was typed, the input for
// the service, and the messages of what cannot even be read.
func (s *Server) readCandidateForm(r *http.Request) (templates.CandidateForm, admission.CandidateInput) {
	v := templates.CandidateForm{Values: map[string]string{}, Checks: map[string]bool{}, Errors: map[string]string{}, Token: r.PostForm.Get("token")}
	for _, k := range candidateTextFields {
		v.Values[k] = r.PostForm.Get(k)
	}
	for _, k := range []string{"youth_union", "trade_union", "readmission"} {
		v.Checks[k] = r.PostForm.Get(k) == "1"
	}
	in := admission.CandidateInput{FullName: v.Values["full_name"], Gender: v.Values["gender"], Ethnicity: v.Values["ethnicity"],
		Religion: v.Values["religion"], EducationGeneral: v.Values["education_general"], EducationApprovalRef: v.Values["education_approval_ref"],
		EducationProfessional: v.Values["education_professional"], Occupation: v.Values["occupation"],
		YouthUnion: v.Checks["youth_union"], TradeUnion: v.Checks["trade_union"], Readmission: v.Checks["readmission"],
		ReadmissionConsentRef: v.Values["readmission_consent_ref"]}
	in.OrganizationID, _ = strconv.ParseInt(v.Values["organization_id"], 10, 64)
	if v.Token != "" {
		in.IdempotencyKey = "candidate:" + v.Token
	}
	if strings.TrimSpace(v.Values["birth_date"]) != "" {
		d, err := admission.ParseDate(v.Values["birth_date"])
		if err != nil {
			v.Errors["birth_date"] = "Ngày sinh " + strings.TrimPrefix(err.Error(), "ngày ")
		}
		in.BirthDate = d
	}
	return v, in
}

// fieldErrors adds an engine error's per-field messages to errs; it reports
// whether err was such a validation error.
func fieldErrors(err error, errs map[string]string) bool {
	var e *admission.Error
	if !errors.As(err, &e) || e.Code != admission.Invalid {
		return false
	}
	for k, m := range e.Fields {
		if errs[k] == "" {
			errs[k] = m
		}
	}
	if len(e.Fields) == 0 && e.Field != "" && errs[e.Field] == "" {
		errs[e.Field] = messageOf(e)
	}
	return true
}

func (s *Server) createCandidate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, _ := s.actor(r)
	v, in := s.readCandidateForm(r)
	_, verr := admission.ValidateCandidate(in, s.today())
	fieldErrors(verr, v.Errors)
	if len(v.Errors) == 0 {
		c, err := s.Svc.AddCandidate(r.Context(), a, in)
		switch {
		case err == nil:
			http.Redirect(w, r, candidateHref(c.ID)+"?da-ghi=moi", http.StatusSeeOther)
			return
		case admission.ErrorCode(err) == admission.NotFound:
			v.Errors["organization_id"] = "Chọn một chi bộ thuộc phạm vi của bạn."
		case !fieldErrors(err, v.Errors):
			s.fail(w, r, err)
			return
		}
	}
	v.Error = "Chưa lưu: thông tin chưa hợp lệ, xem các ô được đánh dấu."
	v, err := s.candidateForm(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, templates.NewCandidatePage(s.page(r, "Thêm quần chúng", "candidates"), v))
}

func profileHref(id int64) string { return candidateHref(id) + "/ho-so" }

func (s *Server) editProfilePage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	a, _ := s.actor(r)
	c, err := s.DB.Candidate(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := templates.CandidateForm{IsEdit: true, Title: "Sửa lý lịch: " + c.FullName, Action: profileHref(c.ID), Back: candidateHref(c.ID),
		Version: strconv.Itoa(c.Version), Errors: map[string]string{},
		Values: map[string]string{"full_name": c.FullName, "gender": c.Gender, "birth_date": admission.FormatDate(c.BirthDate), "ethnicity": c.Ethnicity,
			"religion": c.Religion, "education_general": c.EducationGeneral, "education_approval_ref": c.EducationApprovalRef,
			"education_professional": c.EducationProfessional, "occupation": c.Occupation, "readmission_consent_ref": c.ReadmissionConsentRef},
		Checks: map[string]bool{"youth_union": c.YouthUnion, "trade_union": c.TradeUnion, "readmission": c.Readmission}}
	v, err = s.candidateForm(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.NewCandidatePage(s.page(r, v.Title, "candidates"), v))
}

func (s *Server) updateProfile(w http.ResponseWriter, r *http.Request) {
	id, a, old, ok := s.postOnCandidate(w, r)
	if !ok {
		return
	}
	v, in := s.readCandidateForm(r)
	v.IsEdit, v.Title, v.Action, v.Back, v.Version = true, "Sửa lý lịch: "+old.FullName, profileHref(id), candidateHref(id), r.PostForm.Get("version")
	in.IdempotencyKey = ""
	version, _ := strconv.Atoi(v.Version)
	status := http.StatusUnprocessableEntity
	if len(v.Errors) == 0 {
		_, err := s.Svc.UpdateProfile(r.Context(), a, id, in, version)
		switch code := admission.ErrorCode(err); {
		case err == nil:
			http.Redirect(w, r, candidateHref(id)+"?da-ghi=ho-so", http.StatusSeeOther)
			return
		case code == admission.Conflict:
			status, v.Error = http.StatusConflict, messageOf(err)
		case !fieldErrors(err, v.Errors):
			s.fail(w, r, err)
			return
		}
	}
	if v.Error == "" {
		v.Error = "Chưa lưu: thông tin chưa hợp lệ, xem các ô được đánh dấu."
	}
	v, err := s.candidateForm(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, templates.NewCandidatePage(s.page(r, v.Title, "candidates"), v))
}

// postOnCandidate starts a POST handler on /quan-chung/{id}/…: the
// candidate must be in the actor's scope before anything is said about the
// form, so out of scope answers 404 like a missing record.
func (s *Server) postOnCandidate(w http.ResponseWriter, r *http.Request) (int64, admission.Actor, admission.Candidate, bool) {
	id, a, ok := s.postWithID(w, r)
	if !ok {
		return 0, a, admission.Candidate{}, false
	}
	c, err := s.DB.Candidate(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return 0, a, c, false
	}
	return id, a, c, true
}

// formState is a submitted step form shown again with its refusal.
type formState struct {
	kind    admission.Kind
	stepID  int64 // a correction
	values  map[string]string
	errors  map[string]string
	general string
}

func (s *Server) candidatePage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	notice := map[string]string{"moi": "Đã thêm quần chúng vào danh sách. Ghi bước đầu tiên: tạo nguồn, phân công đảng viên giúp đỡ.",
		"chuyen": "Đã chuyển sang chi bộ mới cùng toàn bộ quá trình.", "ho-so": "Đã lưu lý lịch."}[r.URL.Query().Get("da-ghi")]
	if k := r.URL.Query().Get("da-ghi"); notice == "" && k != "" {
		if def, ok := admission.Def(admission.Kind(k)); ok {
			notice = "Đã ghi: " + def.Label + "."
		}
	}
	s.renderCandidate(w, r, http.StatusOK, id, nil, notice)
}

var stepFieldNames = map[admission.Field]string{
	admission.FieldDocumentNo: "document_no", admission.FieldIssuedBy: "issued_by", admission.FieldReceivedOn: "received_on",
	admission.FieldVotes: "votes", admission.FieldVotesRemove: "votes_against", admission.FieldOutcome: "outcome",
	admission.FieldRoute: "route", admission.FieldHelper: "helper_member_id", admission.FieldApprovalRef: "approval_ref", admission.FieldNote: "note",
}

var dateLabels = map[admission.Kind]string{
	admission.Nominated: "Ngày chi bộ họp tạo nguồn", admission.AwarenessClass: "Ngày cấp giấy chứng nhận",
	admission.Application: "Ngày viết đơn", admission.PersonalHistory: "Ngày khai lý lịch", admission.Verification: "Ngày kết luận thẩm tra",
	admission.Introduction: "Ngày giới thiệu", admission.Comments: "Ngày tổng hợp nhận xét", admission.CellResolution: "Ngày chi bộ họp xét",
	admission.CommitteeResolution: "Ngày đảng ủy họp xét", admission.Decision: "Ngày ký quyết định",
	admission.DecisionExtension: "Ngày cấp ủy quyết định gia hạn", admission.Ceremony: "Ngày tổ chức lễ kết nạp",
	admission.NewMemberClass: "Ngày cấp giấy chứng nhận", admission.RecognitionResolution: "Ngày chi bộ họp xét công nhận",
	admission.RecognitionDecision: "Ngày ký quyết định", admission.Withdrawn: "Ngày chi bộ quyết định", admission.Removed: "Ngày quyết định",
	admission.Transferred: "Ngày chuyển đi",
}

var docLabels = map[admission.Kind]string{
	admission.AwarenessClass: "Số giấy chứng nhận", admission.NewMemberClass: "Số giấy chứng nhận", admission.Verification: "Số văn bản kết luận",
	admission.Introduction:   "Số nghị quyết giới thiệu của Đoàn / Công đoàn (khi giới thiệu qua Đoàn hoặc Công đoàn)",
	admission.CellResolution: "Số nghị quyết", admission.CommitteeResolution: "Số nghị quyết", admission.RecognitionResolution: "Số nghị quyết",
	admission.Decision: "Số quyết định", admission.RecognitionDecision: "Số quyết định", admission.Removed: "Số quyết định",
	admission.DecisionExtension: "Số văn bản gia hạn",
}

// stepForm builds the form of one step kind from the step table.
func (s *Server) stepForm(def admission.StepDef, c admission.Candidate, members []admission.Member, eligibleVoters int, st *formState, today time.Time) templates.StepForm {
	f := templates.StepForm{Kind: string(def.Kind), Label: def.Label, FormNo: def.Form, Citation: def.Citation,
		Action: candidateHref(c.ID) + "/buoc", Token: newToken(), Version: strconv.Itoa(c.Version),
		Fields: map[string]bool{}, Required: map[string]bool{"occurred_on": true}, Values: map[string]string{}, Errors: map[string]string{},
		DateLabel: dateLabels[def.Kind], DocLabel: docLabels[def.Kind], IssuerLabel: "Nơi cấp / cơ quan ban hành"}
	if f.DocLabel == "" {
		f.DocLabel = "Số văn bản"
	}
	if f.DateLabel == "" {
		f.DateLabel = "Ngày"
	}
	for _, fl := range def.Fields {
		f.Fields[stepFieldNames[fl]] = true
	}
	for _, fl := range def.Required {
		f.Required[stepFieldNames[fl]] = true
	}
	if f.Required["votes"] {
		f.Required["votes_eligible"], f.Required["votes_yes"] = true, true
	}
	f.Values["occurred_on"] = admission.FormatDate(today)
	if f.Fields["votes"] {
		f.Values["votes_eligible"] = strconv.Itoa(eligibleVoters)
	}
	if st != nil && st.kind == def.Kind && st.stepID == 0 {
		f.Open, f.Values, f.Errors, f.Error = true, st.values, st.errors, st.general
		f.Token = st.values["token"]
	}
	f.Routes = []templates.Option{{Value: "", Label: "— chọn —"}}
	for _, rt := range []string{admission.RouteTwoSponsors, admission.RouteYouthUnion, admission.RouteTradeUnion} {
		f.Routes = append(f.Routes, templates.Option{Value: rt, Label: admission.RouteLabels[rt], Selected: f.Values["route"] == rt})
	}
	relations := []string{admission.RelationLived, admission.RelationWorked, admission.RelationStudied}
	var ineligible []string
	for i := 0; i < 2; i++ {
		sel := f.Values[fmt.Sprintf("sponsor%d_relation", i+1)]
		for _, rel := range relations {
			f.Relations[i] = append(f.Relations[i], templates.Option{Value: rel, Label: "Cùng " + strings.TrimPrefix(relationLabels[rel], "cùng "), Selected: sel == rel})
		}
	}
	for _, m := range members {
		official := m.IsOfficialOn(today)
		label := m.FullName
		reason := ""
		if official {
			label += " — chính thức từ " + admission.FormatDate(m.OfficialOn)
		} else {
			reason = "đảng viên dự bị, chưa được giới thiệu hoặc giúp đỡ"
			label += " — " + reason
		}
		if m.CandidateID != 0 && m.CandidateID == c.ID {
			continue
		}
		for i := 0; i < 2; i++ {
			f.Sponsors[i] = append(f.Sponsors[i], templates.MemberOption{Value: itoa(m.ID), Label: label, Disabled: !official,
				Selected: f.Values[fmt.Sprintf("sponsor%d_id", i+1)] == itoa(m.ID)})
		}
		if m.OrganizationID == c.OrganizationID {
			f.Helpers = append(f.Helpers, templates.MemberOption{Value: itoa(m.ID), Label: label, Disabled: !official, Selected: f.Values["helper_member_id"] == itoa(m.ID)})
		}
		if !official {
			ineligible = append(ineligible, m.FullName)
		}
	}
	if len(ineligible) > 0 {
		f.IneligibleNote = fmt.Sprintf("%d đảng viên dự bị không chọn được làm người giới thiệu (chỉ đảng viên chính thức được giới thiệu, Quy định 294-QĐ/TW, điểm 3.2.1).", len(ineligible))
	}
	return f
}

// renderCandidate renders the candidate page; st, when set, is a refused form shown open with its errors.
func (s *Server) renderCandidate(w http.ResponseWriter, r *http.Request, status int, id int64, st *formState, notice string) {
	s.renderCandidateMove(w, r, status, id, st, notice, nil)
}

// moveState is a refused move form shown again.
type moveState struct {
	to     int64
	reason string
	errors map[string]string
}

func (s *Server) renderCandidateMove(w http.ResponseWriter, r *http.Request, status int, id int64, st *formState, notice string, mv *moveState) {
	a, _ := s.actor(r)
	c, org, steps, rules, hol, err := s.DB.CandidateFacts(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if a.ScopeOrgID != org.ID && status == http.StatusOK {
		// reading a person's record from outside their cell is audited (24-QĐ/TW 6.2.4)
		if err := s.Auth.AuditRead(r.Context(), a, org.ID, c.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	today := s.today()
	v := templates.CandidateView{ID: c.ID, Name: c.FullName, ProfileHref: map[bool]string{true: profileHref(c.ID)}[admission.Can(a, admission.ActAddCandidate, org.Path) && !c.Stage.Closed()], CellName: org.Name, CellHref: orgHref(org.ID),
		Stage: admission.StageLabels[c.Stage], Escalated: c.Escalated, Notice: notice}
	v.Profile = []templates.Pair{
		{Label: "Giới tính", Value: genderLabels[c.Gender]},
		{Label: "Ngày sinh", Value: admission.FormatDate(c.BirthDate)},
		{Label: "Dân tộc", Value: c.Ethnicity},
		{Label: "Tôn giáo", Value: orDash(c.Religion)},
		{Label: "Giáo dục phổ thông", Value: admission.EducationLabels[c.EducationGeneral]},
		{Label: "Chuyên môn", Value: orDash(c.EducationProfessional)},
		{Label: "Nghề nghiệp", Value: orDash(c.Occupation)},
		{Label: "Đoàn viên Đoàn TNCS Hồ Chí Minh", Value: yesNo(c.YouthUnion)},
		{Label: "Đoàn viên công đoàn", Value: yesNo(c.TradeUnion)},
		{Label: "Kết nạp lại", Value: yesNo(c.Readmission)},
	}
	cal := admission.NewCalendar(holidayDays(hol))
	for _, d := range admission.Deadlines(c, steps, rules, cal, today) {
		v.Deadlines = append(v.Deadlines, templates.DeadlineRow{Label: d.Label, Due: admission.FormatDate(d.Due), Status: string(d.Status), StatusLabel: admission.DeadlineStatusLabels[d.Status]})
	}
	eff := map[int64]bool{}
	done := map[admission.Kind]bool{}
	for _, x := range admission.Effective(steps) {
		eff[x.ID] = true
		if x.Counts() {
			done[x.Kind] = true
		}
	}
	for _, def := range admission.Steps {
		if def.Document == "" || (def.Optional && !org.HasIntermediateCommittee) {
			continue
		}
		v.Checklist = append(v.Checklist, templates.CheckRow{Document: def.Document, Done: done[def.Kind]})
	}
	// the forms of the steps possible now that this actor may record
	possible := admission.Possible(admission.Facts{Candidate: c, Org: org, Steps: steps})
	canCorrect := admission.Can(a, admission.ActCorrect, org.Path)
	var members []admission.Member
	voters := 0
	if len(possible) > 0 {
		members, voters, err = s.pickerMembers(r, org, today)
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	shown := st == nil || st.stepID != 0
	for _, def := range possible {
		if admission.CanRecord(a, def, org.Path) {
			v.Forms = append(v.Forms, s.stepForm(def, c, members, voters, st, today))
			shown = shown || def.Kind == st.kind
		}
	}
	if !shown {
		v.Error = st.general
		for _, m := range st.errors {
			v.Error = m
		}
	}
	for i, x := range steps {
		def, _ := admission.Def(x.Kind)
		row := templates.TimelineRow{Index: i, Date: admission.FormatDate(x.OccurredOn), Label: def.Label, Form: def.Form,
			RecordedBy: orDash(x.RecordedByName), RecordedAt: x.RecordedAt.In(ict).Format("15:04 02/01/2006"),
			Superseded: !eff[x.ID], Failed: !x.Counts(), Correction: x.CorrectionReason}
		if x.Outcome != admission.OutcomeDone {
			row.Outcome = admission.OutcomeLabels[x.Outcome]
		}
		row.Details = stepDetails(x)
		if canCorrect && eff[x.ID] {
			row.CorrectHref = correctHref(c.ID, x.ID)
		}
		v.Timeline = append(v.Timeline, row)
	}
	moves, err := s.DB.CandidateMoves(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, m := range moves {
		v.Moves = append(v.Moves, fmt.Sprintf("%s: chuyển từ %s sang %s (%s), do %s ghi", m.At.In(ict).Format("02/01/2006"), m.From, m.To, m.Reason, orDash(m.By)))
	}
	if canCorrect && !c.Stage.Closed() && c.Stage != admission.StageProbationary {
		v.Move = &templates.MoveForm{Action: candidateHref(c.ID) + "/chuyen-chi-bo", Errors: map[string]string{}}
		if mv != nil {
			v.Move.Open, v.Move.Reason, v.Move.Errors = true, mv.reason, mv.errors
		}
		orgs, err := s.DB.OrgTree(r.Context(), a.ScopePath)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, o := range orgs {
			if o.Kind == admission.KindCell && o.ID != org.ID {
				v.Move.Cells = append(v.Move.Cells, templates.Option{Value: itoa(o.ID), Label: o.Name, Selected: mv != nil && mv.to == o.ID})
			}
		}
	}
	// newest first
	for i, j := 0, len(v.Timeline)-1; i < j; i, j = i+1, j-1 {
		v.Timeline[i], v.Timeline[j] = v.Timeline[j], v.Timeline[i]
	}
	s.render(w, r, status, templates.CandidatePage(s.page(r, c.FullName, "candidates"), v))
}

// pickerMembers returns the members a sponsor or helper picker offers (the
// committee's subtree) and the number of official members of the cell (the
// voters a vote form starts with).
func (s *Server) pickerMembers(r *http.Request, org admission.Organization, today time.Time) ([]admission.Member, int, error) {
	members, err := s.DB.CommitteeMembers(r.Context(), org.CommitteePath())
	voters := 0
	for _, m := range members {
		if m.OrganizationID == org.ID && m.IsOfficialOn(today) {
			voters++
		}
	}
	return members, voters, err
}

func correctHref(candidateID, stepID int64) string {
	return candidateHref(candidateID) + "/buoc/" + itoa(stepID) + "/dieu-chinh"
}

// correctionPage shows the form that supersedes one recorded step (staff).
func (s *Server) correctionPage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r)
	stepID := parseID(chi.URLParam(r, "step"))
	if !ok || stepID == 0 {
		s.notFound(w, r)
		return
	}
	s.renderCorrection(w, r, http.StatusOK, id, stepID, nil)
}

func (s *Server) renderCorrection(w http.ResponseWriter, r *http.Request, status int, id, stepID int64, st *formState) {
	a, _ := s.actor(r)
	c, org, steps, _, _, err := s.DB.CandidateFacts(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var x *admission.Step
	for _, e := range admission.Effective(steps) {
		if e.ID == stepID {
			x = &e
		}
	}
	if x == nil {
		s.notFound(w, r)
		return
	}
	today := s.today()
	members, voters, err := s.pickerMembers(r, org, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	def, _ := admission.Def(x.Kind)
	f := s.stepForm(def, c, members, voters, nil, today)
	f.IsCorrection, f.Action, f.Open = true, correctHref(c.ID, x.ID), true
	f.Values = stepValues(*x)
	f.Required["correction_reason"] = true
	if st != nil {
		f.Values, f.Errors, f.Error = st.values, st.errors, st.general
	}
	f = reselect(f) // keep the pickers' selections in step with the values
	v := templates.CorrectionView{Name: c.FullName, Back: candidateHref(c.ID), Step: admission.FormatDate(x.OccurredOn) + " — " + def.Label,
		Details: stepDetails(*x), Form: f}
	s.render(w, r, status, templates.CorrectionPage(s.page(r, "Điều chỉnh: "+def.Label, "candidates"), v))
}

func stepDetails(x admission.Step) []string {
	var out []string
	if x.DocumentNo != "" {
		out = append(out, "Số: "+x.DocumentNo)
	}
	if x.IssuedBy != "" {
		out = append(out, "Nơi cấp/ban hành: "+x.IssuedBy)
	}
	if !x.ReceivedOn.IsZero() {
		out = append(out, "Ngày nhận: "+admission.FormatDate(x.ReceivedOn))
	}
	if x.VotesEligible > 0 {
		vote := fmt.Sprintf("Biểu quyết: %d/%d tán thành", x.VotesYes, x.VotesEligible)
		if x.Kind == admission.RecognitionResolution {
			vote += fmt.Sprintf(", %d đề nghị xóa tên", x.VotesAgainst)
		}
		out = append(out, vote)
	}
	if x.Route != "" {
		out = append(out, admission.RouteLabels[x.Route])
	}
	for _, sp := range x.Sponsors {
		out = append(out, fmt.Sprintf("Người giới thiệu: %s (%s từ %s)", sp.MemberName, relationLabels[sp.Relation], admission.FormatDate(sp.KnownSince)))
	}
	if x.HelperName != "" {
		out = append(out, "Đảng viên giúp đỡ: "+x.HelperName)
	}
	if x.ApprovalRef != "" {
		out = append(out, "Văn bản chấp thuận: "+x.ApprovalRef)
	}
	if x.Note != "" {
		out = append(out, "Ghi chú: "+x.Note)
	}
	return out
}

// stepValues are the form values of a recorded step, for its correction form.
func stepValues(x admission.Step) map[string]string {
	v := map[string]string{"occurred_on": admission.FormatDate(x.OccurredOn), "document_no": x.DocumentNo, "issued_by": x.IssuedBy,
		"received_on": admission.FormatDate(x.ReceivedOn), "outcome": x.Outcome, "route": x.Route, "approval_ref": x.ApprovalRef, "note": x.Note}
	if x.VotesEligible > 0 {
		v["votes_eligible"], v["votes_yes"], v["votes_against"] = strconv.Itoa(x.VotesEligible), strconv.Itoa(x.VotesYes), strconv.Itoa(x.VotesAgainst)
	}
	if x.HelperMemberID != 0 {
		v["helper_member_id"] = itoa(x.HelperMemberID)
	}
	for i, sp := range x.Sponsors {
		if i > 1 {
			break
		}
		p := fmt.Sprintf("sponsor%d_", i+1)
		v[p+"id"], v[p+"since"], v[p+"relation"] = itoa(sp.MemberID), admission.FormatDate(sp.KnownSince), sp.Relation
	}
	return v
}

// reselect marks the picker options that match the form's values.
func reselect(f templates.StepForm) templates.StepForm {
	for i := range f.Helpers {
		f.Helpers[i].Selected = f.Helpers[i].Value == f.Values["helper_member_id"]
	}
	for k := 0; k < 2; k++ {
		key := fmt.Sprintf("sponsor%d_", k+1)
		for i := range f.Sponsors[k] {
			f.Sponsors[k][i].Selected = f.Sponsors[k][i].Value == f.Values[key+"id"]
		}
		for i := range f.Relations[k] {
			f.Relations[k][i].Selected = f.Relations[k][i].Value == f.Values[key+"relation"]
		}
	}
	for i := range f.Routes {
		f.Routes[i].Selected = f.Routes[i].Value == f.Values["route"]
	}
	return f
}

var stepFormFields = []string{"kind", "token", "version", "occurred_on", "document_no", "issued_by", "received_on", "votes_eligible", "votes_yes",
	"votes_against", "outcome", "route", "helper_member_id", "approval_ref", "note", "correction_reason",
	"sponsor1_id", "sponsor1_since", "sponsor1_relation", "sponsor2_id", "sponsor2_since", "sponsor2_relation"}

// readStepForm turns a step form into the engine's input; errs holds what
// cannot even be read (an impossible date, a word where a number goes).
func readStepForm(r *http.Request) (admission.StepInput, map[string]string, map[string]string) {
	vals := map[string]string{}
	for _, k := range stepFormFields {
		vals[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	errs := map[string]string{}
	in := admission.StepInput{Kind: admission.Kind(vals["kind"]), DocumentNo: vals["document_no"], IssuedBy: vals["issued_by"],
		Outcome: vals["outcome"], Route: vals["route"], ApprovalRef: vals["approval_ref"], Note: vals["note"]}
	if vals["token"] != "" {
		in.IdempotencyKey = "step:" + vals["token"]
	}
	date := func(name string, required bool) time.Time {
		if vals[name] == "" {
			if required {
				errs[name] = "Cần nhập ngày (ngày/tháng/năm)."
			}
			return time.Time{}
		}
		d, err := admission.ParseDate(vals[name])
		if err != nil {
			errs[name] = strings.ToUpper(err.Error()[:1]) + err.Error()[1:] + "."
		}
		return d
	}
	number := func(name string) int {
		if vals[name] == "" {
			return 0
		}
		n, err := strconv.Atoi(vals[name])
		if err != nil || n < 0 || n > 100000 {
			errs[name] = "Nhập một số nguyên không âm."
		}
		return n
	}
	in.OccurredOn = date("occurred_on", true)
	in.ReceivedOn = date("received_on", false)
	in.VotesEligible, in.VotesYes, in.VotesAgainst = number("votes_eligible"), number("votes_yes"), number("votes_against")
	if vals["helper_member_id"] != "" {
		in.HelperMemberID, _ = strconv.ParseInt(vals["helper_member_id"], 10, 64)
	}
	if v, err := strconv.Atoi(vals["version"]); err == nil {
		in.ExpectedVersion = &v
	}
	for i := 1; i <= 2; i++ {
		p := fmt.Sprintf("sponsor%d_", i)
		if vals[p+"id"] == "" {
			continue
		}
		id, _ := strconv.ParseInt(vals[p+"id"], 10, 64)
		in.Sponsors = append(in.Sponsors, admission.Sponsor{MemberID: id, KnownSince: date(p+"since", false), Relation: vals[p+"relation"]})
		if vals[p+"since"] == "" {
			errs[p+"since"] = "Cần nhập từ ngày nào người giới thiệu cùng công tác, học tập hoặc cư trú với người vào Đảng."
		}
	}
	return in, vals, errs
}

// fieldOf maps an engine refusal's field to the form field it is shown next to.
func fieldOf(e *admission.Error) string {
	switch e.Field {
	case "occurred_on", "document_no", "received_on", "votes_eligible", "votes_yes", "votes_against", "outcome", "route", "helper_member_id", "approval_ref", "note", "sponsors", "correction_reason":
		return e.Field
	case "votes":
		return "votes_yes"
	}
	return ""
}

func (s *Server) recordStep(w http.ResponseWriter, r *http.Request) {
	s.writeStep(w, r, 0)
}

func (s *Server) correctStep(w http.ResponseWriter, r *http.Request) {
	stepID, err := strconv.ParseInt(chi.URLParam(r, "step"), 10, 64)
	if err != nil || stepID <= 0 {
		s.notFound(w, r)
		return
	}
	s.writeStep(w, r, stepID)
}

func (s *Server) writeStep(w http.ResponseWriter, r *http.Request, stepID int64) {
	id, a, _, ok := s.postOnCandidate(w, r)
	if !ok {
		return
	}
	in, vals, errs := readStepForm(r)
	st := &formState{kind: in.Kind, stepID: stepID, values: vals, errors: errs}
	if stepID != 0 {
		if !a.InScope(a.ScopePath) || !admission.Can(a, admission.ActCorrect, a.ScopePath) {
			s.renderError(w, r, http.StatusForbidden, "Không có quyền", "Chỉ cán bộ Văn phòng Đảng ủy được điều chỉnh bước đã ghi.")
			return
		}
		if vals["correction_reason"] == "" {
			errs["correction_reason"] = "Cần ghi lý do điều chỉnh."
		}
	}
	if len(errs) > 0 {
		st.general = "Chưa ghi: xem các ô được đánh dấu."
		s.renderStepRefusal(w, r, http.StatusUnprocessableEntity, id, st)
		return
	}
	var step admission.Step
	var err error
	if stepID != 0 {
		in.ExpectedVersion = nil
		step, err = s.Svc.Correct(r.Context(), a, id, stepID, in, vals["correction_reason"])
	} else {
		step, err = s.Svc.RecordStep(r.Context(), a, id, in)
	}
	if err == nil {
		http.Redirect(w, r, candidateHref(id)+"?da-ghi="+string(step.Kind), http.StatusSeeOther)
		return
	}
	var e *admission.Error
	if !errors.As(err, &e) {
		s.fail(w, r, err)
		return
	}
	status := http.StatusUnprocessableEntity
	switch e.Code {
	case admission.Invalid:
	case admission.Conflict:
		status = http.StatusConflict
	case admission.Forbidden:
		status = http.StatusForbidden
	default:
		s.fail(w, r, err)
		return
	}
	msg := e.Message
	if e.Citation != "" {
		msg += " (" + e.Citation + ")"
	}
	if f := fieldOf(e); f != "" {
		errs[f] = msg
		st.general = "Chưa ghi: xem ô được đánh dấu."
	} else {
		st.general = msg
	}
	if e.Code == admission.Conflict {
		// what was recorded meanwhile is shown; the form opens again with its values
		st.values["version"] = ""
	}
	s.renderStepRefusal(w, r, status, id, st)
}

// renderStepRefusal shows a refused form again: the correction page for a
// correction, the candidate page otherwise.
func (s *Server) renderStepRefusal(w http.ResponseWriter, r *http.Request, status int, id int64, st *formState) {
	if st.stepID != 0 {
		s.renderCorrection(w, r, status, id, st.stepID, st)
		return
	}
	s.renderCandidate(w, r, status, id, st, "")
}

func (s *Server) moveCandidate(w http.ResponseWriter, r *http.Request) {
	id, a, _, ok := s.postOnCandidate(w, r)
	if !ok {
		return
	}
	to := parseID(r.PostForm.Get("to"))
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	err := s.Svc.Move(r.Context(), a, id, to, reason)
	if err == nil {
		http.Redirect(w, r, candidateHref(id)+"?da-ghi=chuyen", http.StatusSeeOther)
		return
	}
	var e *admission.Error
	if !errors.As(err, &e) || (e.Code != admission.Invalid && e.Code != admission.Conflict) {
		if admission.ErrorCode(err) == admission.NotFound && to != 0 {
			// the destination is outside the scope: say so on the form, like a missing cell
			err = &admission.Error{Code: admission.Invalid, Fields: map[string]string{"to": "Chọn một chi bộ thuộc phạm vi của bạn."}}
			errors.As(err, &e)
		} else {
			s.fail(w, r, err)
			return
		}
	}
	mv := &moveState{to: to, reason: reason, errors: map[string]string{}}
	for k, m := range e.Fields {
		mv.errors[k] = m
	}
	if len(mv.errors) == 0 {
		mv.errors["to"] = e.Message
	}
	s.renderCandidateMove(w, r, http.StatusUnprocessableEntity, id, nil, "", mv)
}
