package templates

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
)

// sponsorName is the form field name of sponsor slot i (0 or 1).
func sponsorName(i int, field string) string {
	return "sponsor" + strconv.Itoa(i+1) + "_" + field
}

// formTestID names a step form for tests: "form-<kind>", or "correct-<kind>" for a correction.
func formTestID(f StepForm) string {
	if f.IsCorrection {
		return "correct-" + f.Kind
	}
	return "form-" + f.Kind
}

// formAction is where the candidate form posts: a new candidate, or a profile edit.
func formAction(v CandidateForm) string {
	if v.Action != "" {
		return v.Action
	}
	return "/quan-chung"
}

// inputMode is the phone keyboard a field opens: digits for counts and
// dates (a date is accepted as eight digits, or with "/", "." or "-").
func inputMode(name string) string {
	if strings.HasPrefix(name, "votes_") || strings.HasSuffix(name, "_on") || strings.HasSuffix(name, "_since") || strings.HasSuffix(name, "_date") {
		return "numeric"
	}
	return "text"
}

// OptionGroup is the options of one group of a select.
type OptionGroup struct {
	Label   string
	Options []MemberOption
}

// groupOptions groups consecutive options by their Group, in order.
func groupOptions(opts []MemberOption) []OptionGroup {
	var out []OptionGroup
	for _, o := range opts {
		if len(out) == 0 || out[len(out)-1].Label != o.Group {
			out = append(out, OptionGroup{Label: o.Group})
		}
		out[len(out)-1].Options = append(out[len(out)-1].Options, o)
	}
	return out
}

// FormToken is a fresh token for a form: the server writes one submit of it.
func FormToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
