package web

import (
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// candidateForm builds the new-candidate form around what was typed.
func (s *Server) candidateForm(r *http.Request, v templates.CandidateForm) (templates.CandidateForm, error) {
	a, _ := s.actor(r)
	orgs, err := s.DB.OrgList(r.Context(), a.ScopePath)
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
	vocab, err := s.DB.Vocabularies(r.Context())
	if err != nil {
		return v, err
	}
	v.Vocab = vocabChoices(vocab, v.Values, "— chọn —")
	if v.Token == "" {
		v.Token = newToken()
	}
	return v, nil
}

func (s *Server) newCandidatePage(w http.ResponseWriter, r *http.Request) {
	v, err := s.candidateForm(r, templates.CandidateForm{Values: map[string]string{"ethnicity": admission.EthnicityMajority, "religion": admission.ReligionNone,
		"education_professional": admission.LevelNone, "political_theory": admission.LevelNone, "organization_id": r.URL.Query().Get("chi-bo")}})
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
	"education_approval_ref", "education_professional", "political_theory", "occupation", "readmission_consent_ref"}

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
		EducationProfessional: v.Values["education_professional"], PoliticalTheory: v.Values["political_theory"], Occupation: v.Values["occupation"],
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

func (s *Server) createCandidate(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, _ := s.actor(r)
	v, in := s.readCandidateForm(r)
	// every refusal on the first submit, even beside a date that cannot be read
	if err := s.Svc.CheckCandidate(r.Context(), in); !fieldErrors(err, v.Errors) && err != nil {
		s.fail(w, r, err)
		return
	}
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
