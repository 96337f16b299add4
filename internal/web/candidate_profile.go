package web

import (
	"net/http"
	"strconv"

	"ketnap/internal/admission"
	"ketnap/templates"
)

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
			"education_professional": c.EducationProfessional, "political_theory": c.PoliticalTheory, "occupation": c.Occupation, "readmission_consent_ref": c.ReadmissionConsentRef},
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
		if err == nil {
			http.Redirect(w, r, candidateHref(id)+"?da-ghi=ho-so", http.StatusSeeOther)
			return
		}
		f, ok := refusalOf(err, v.Errors, sameField)
		if !ok {
			s.fail(w, r, err)
			return
		}
		status = f.Status
		if f.Status == http.StatusConflict {
			v.Error = f.Message
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
