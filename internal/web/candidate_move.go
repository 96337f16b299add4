package web

import (
	"errors"
	"net/http"
	"strings"

	"ketnap/internal/admission"
)

// moveState is a refused move form shown again.
type moveState struct {
	to     int64
	reason string
	errors map[string]string
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
