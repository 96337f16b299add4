package web

import (
	"net/http"
	"strconv"

	"ketnap/internal/admission"
)

func (s *Server) recordStep(w http.ResponseWriter, r *http.Request) {
	s.writeStep(w, r, 0)
}

func (s *Server) writeStep(w http.ResponseWriter, r *http.Request, stepID int64) {
	// the service reads the file in the actor's scope, under its lock, and
	// answers one out of scope as missing: no read of it before
	id, a, ok := s.postWithID(w, r)
	if !ok {
		return
	}
	in, vals, errs := readStepForm(r)
	st := &formState{kind: in.Kind, stepID: stepID, values: vals, errors: errs}
	if _, err := strconv.Atoi(vals["version"]); vals["version"] != "" && err != nil {
		// a version that is not the page's: the form is not one this site made
		st.general, st.values["version"] = "Biểu mẫu không hợp lệ hoặc đã cũ; hãy tải lại trang rồi ghi lại.", ""
		s.renderStepRefusal(w, r, http.StatusConflict, id, st)
		return
	}
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
	f, ok := refusalOf(err, errs, stepField)
	if !ok {
		s.fail(w, r, err)
		return
	}
	st.general = f.Message
	if f.Field != "" {
		st.general = "Chưa ghi: xem ô được đánh dấu."
	}
	if f.Status == http.StatusConflict {
		// what was recorded meanwhile is shown; the form opens again with its values
		st.values["version"] = ""
	}
	s.renderStepRefusal(w, r, f.Status, id, st)
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
