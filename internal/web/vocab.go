package web

import (
	"net/http"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// vocabPage shows the vocabularies the reports group by, the form that
// adds an entry (admins), and the stored values that match no entry, for
// staff to correct (/danh-muc).
func (s *Server) vocabPage(w http.ResponseWriter, r *http.Request) {
	s.renderVocab(w, r, http.StatusOK, templates.VocabForm{Values: map[string]string{}, Errors: map[string]string{}}, r.URL.Query().Get("da-luu") == "1")
}

func (s *Server) renderVocab(w http.ResponseWriter, r *http.Request, status int, form templates.VocabForm, saved bool) {
	a, _ := s.actor(r)
	vocab, err := s.DB.Vocabularies(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	unmatched, err := s.reader().UnmatchedValues(r.Context(), a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := templates.VocabView{CanAdd: admission.Can(a, admission.ActAdminister, a.ScopePath), Form: form, Saved: saved}
	for _, kind := range admission.VocabKinds {
		g := templates.VocabGroup{Kind: kind, Label: admission.VocabLabels[kind]}
		for _, e := range vocab[kind] {
			g.Entries = append(g.Entries, templates.VocabItem{Label: e.Label, Common: e.Common})
		}
		v.Groups = append(v.Groups, g)
		v.Form.Kinds = append(v.Form.Kinds, templates.Option{Value: kind, Label: admission.VocabLabels[kind], Selected: form.Values["kind"] == kind})
	}
	for _, u := range unmatched {
		row := templates.UnmatchedRow{Kind: admission.VocabLabels[u.Kind], Value: u.Value, Candidates: u.Candidates, Members: u.Members}
		if u.CandidateID != 0 {
			row.Href = profileHref(u.CandidateID)
		} else if u.MemberID != 0 {
			row.Href = memberHref(u.MemberID)
		}
		v.Unmatched = append(v.Unmatched, row)
	}
	s.render(w, r, status, templates.VocabPage(s.page(r, "Danh mục", "vocab"), v))
}

// addVocabEntry adds an entry to a vocabulary (admins).
func (s *Server) addVocabEntry(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, _ := s.actor(r)
	form := templates.VocabForm{Values: map[string]string{"kind": r.PostForm.Get("kind"), "label": r.PostForm.Get("label")}, Errors: map[string]string{}}
	if r.PostForm.Get("common") == "1" {
		form.Values["common"] = "1"
	}
	_, err := s.Svc.AddVocabEntry(r.Context(), a, admission.VocabInput{Kind: form.Values["kind"], Label: form.Values["label"], Common: form.Values["common"] == "1"})
	err = okIfSubmitted(err)
	if err == nil {
		http.Redirect(w, r, "/danh-muc?da-luu=1", http.StatusSeeOther)
		return
	}
	f, ok := refusalOf(err, form.Errors, sameField)
	if !ok {
		s.fail(w, r, err)
		return
	}
	form.Error = f.Message
	s.renderVocab(w, r, f.Status, form, false)
}
