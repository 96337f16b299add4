package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ketnap/internal/admission"
	"ketnap/templates"
)

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
	c, org, steps, rules, _, err := s.DB.CandidateFacts(r.Context(), id, a.ScopePath)
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
	fc := formContext{candidate: c, today: today, params: rules.ParamsOn(today)}
	p, err := s.pickerMembers(r, org, today, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fc.members, fc.roll, fc.cells = p.members, p.roll, p.cells
	def, _ := admission.Def(x.Kind)
	f := stepForm(def, fc, nil)
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

func (s *Server) correctStep(w http.ResponseWriter, r *http.Request) {
	stepID, err := strconv.ParseInt(chi.URLParam(r, "step"), 10, 64)
	if err != nil || stepID <= 0 {
		s.notFound(w, r)
		return
	}
	s.writeStep(w, r, stepID)
}
