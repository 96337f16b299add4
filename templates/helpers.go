package templates

import (
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

// inputMode is the phone keyboard a step field opens: digits for counts.
func inputMode(name string) string {
	if strings.HasPrefix(name, "votes_") {
		return "numeric"
	}
	return "text"
}
