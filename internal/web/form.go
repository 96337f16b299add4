package web

import (
	"errors"
	"net/http"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/auth"
	"ketnap/templates"
)

// today is the calendar day in Vietnam.
func (s *Server) today() time.Time { return admission.DateOf(s.now().In(ict)) }

func newToken() string { t, _ := auth.NewToken(); return t }

// refusal is how a form shows the engine's refusal of what was submitted.
type refusal struct {
	Status  int    // of the page that shows the form again
	Message string // with its citation, for the top of the form
	Field   string // the form field the refusal is shown next to; "" when none
}

// sameField shows an engine field next to the form field of the same name.
func sameField(f string) string { return f }

// refusalOf maps a coded engine error to the status and messages of a form
// shown again: a validation error is 422, a stale or duplicate form 409, a
// refused permission 403. Its per-field messages are added to errs (named
// by field, which maps the engine's field names to the form's; "" drops
// them to the top). ok is false for errors a form cannot show (not found,
// store failures): the caller hands those to s.fail.
func refusalOf(err error, errs map[string]string, field func(string) string) (refusal, bool) {
	var e *admission.Error
	if !errors.As(err, &e) {
		return refusal{}, false
	}
	f := refusal{Message: admission.MessageOf(e), Field: field(e.Field)}
	switch e.Code {
	case admission.Invalid:
		f.Status = http.StatusUnprocessableEntity
	case admission.Conflict:
		f.Status = http.StatusConflict
	case admission.Forbidden:
		f.Status = http.StatusForbidden
	default:
		return refusal{}, false
	}
	for k, m := range e.Fields {
		if k = field(k); k != "" && errs[k] == "" {
			errs[k] = m
		}
	}
	if len(e.Fields) == 0 && f.Field != "" && errs[f.Field] == "" {
		errs[f.Field] = f.Message
	}
	return f, true
}

// fieldErrors adds a validation error's per-field messages to errs; it
// reports whether err was such an error.
func fieldErrors(err error, errs map[string]string) bool {
	if admission.ErrorCode(err) != admission.Invalid {
		return false
	}
	_, ok := refusalOf(err, errs, sameField)
	return ok
}

// vocabChoices builds the selects of the vocabulary fields around the
// values typed; blank is the label of the empty choice. A stored value
// that is not an entry stays offered (and selected), marked as such, so
// that opening and saving a form loses nothing.
func vocabChoices(v admission.Vocabularies, values map[string]string, blank string) map[string]templates.VocabChoice {
	out := map[string]templates.VocabChoice{}
	for field, kind := range admission.VocabOfField {
		cur := values[field]
		c := templates.VocabChoice{OtherLabel: admission.VocabLabels[kind] + " khác", Common: []templates.Option{{Value: "", Label: blank, Selected: cur == ""}}}
		found := cur == ""
		for _, e := range v[kind] {
			o := templates.Option{Value: e.Label, Label: e.Label, Selected: e.Label == cur}
			found = found || o.Selected
			if e.Common {
				c.Common = append(c.Common, o)
			} else {
				c.Other = append(c.Other, o)
			}
		}
		if !found {
			c.Common = append(c.Common, templates.Option{Value: cur, Label: cur + " (chưa có trong danh mục)", Selected: true})
		}
		if len(c.Other) == 0 {
			c.OtherLabel = ""
		}
		out[field] = c
	}
	return out
}

// okIfSubmitted treats a second submit of the same form as the success it
// was the first time: nothing more is written.
func okIfSubmitted(err error) error {
	if admission.Submitted(err) {
		return nil
	}
	return err
}
