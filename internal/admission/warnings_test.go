package admission_test

import (
	"strings"
	"testing"
	"time"

	"ketnap/internal/admission"
)

func TestWarnings(t *testing.T) {
	texts := func(c admission.Candidate, steps []admission.Step, today time.Time) string {
		var out []string
		for _, w := range admission.Warnings(c, cell, steps, rules, today) {
			if w.Citation == "" {
				t.Errorf("warning without a citation: %s", w.Text)
			}
			out = append(out, w.Text)
		}
		return strings.Join(out, " | ")
	}
	fine := candidate() // 35, upper secondary, certificate of 10/02/2025
	if got := texts(fine, stepsThrough(admission.Comments, nil), d(2025, 4, 11)); got != "" {
		t.Fatalf("a file in order warns: %s", got)
	}
	for _, tc := range []struct {
		name  string
		c     func(admission.Candidate) admission.Candidate
		steps []admission.Step
		today time.Time
		want  string
	}{
		{"primary education without approval", func(c admission.Candidate) admission.Candidate { c.EducationGeneral = admission.EduPrimary; return c },
			stepsThrough(admission.Comments, nil), d(2025, 4, 11), "Ban Thường vụ Tỉnh ủy"},
		{"turning 60 within the year", func(c admission.Candidate) admission.Candidate { c.BirthDate = d(1965, 9, 1); return c },
			stepsThrough(admission.Comments, nil), d(2025, 4, 11), "Tròn 60 tuổi vào ngày 01/09/2025"},
		{"over 60", func(c admission.Candidate) admission.Candidate { c.BirthDate = d(1964, 9, 1); return c },
			stepsThrough(admission.Comments, nil), d(2025, 4, 11), "Đã quá 60 tuổi"},
		{"certificate expiring", func(c admission.Candidate) admission.Candidate { return c },
			stepsThrough(admission.Comments, nil), d(2029, 10, 1), "hết giá trị ngày 10/02/2030"},
		{"certificate expired", func(c admission.Candidate) admission.Candidate { return c },
			stepsThrough(admission.Comments, nil), d(2030, 3, 1), "đã hết giá trị"},
		{"youth age without the Youth Union", func(c admission.Candidate) admission.Candidate { c.BirthDate = d(2000, 1, 1); return c },
			stepsThrough(admission.Verification, nil), d(2025, 4, 2), "phải là đoàn viên"},
		{"under 18", func(c admission.Candidate) admission.Candidate {
			c.BirthDate = d(2007, 12, 1)
			c.YouthUnion = true
			return c
		},
			stepsThrough(admission.Verification, nil), d(2025, 4, 2), "từ ngày 01/12/2025"},
	} {
		if got := texts(tc.c(candidate()), tc.steps, tc.today); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q lacks %q", tc.name, got, tc.want)
		}
	}
	// once the cell has voted, nothing is warned of
	old := candidate()
	old.BirthDate = d(1964, 9, 1)
	if got := texts(old, stepsThrough(admission.CellResolution, nil), d(2025, 6, 3)); got != "" {
		t.Fatalf("after the vote: %s", got)
	}
}

func TestProbationSteps(t *testing.T) {
	steps := stepsThrough(admission.Ceremony, nil) // ceremony 25/06/2025
	f := facts(steps, d(2025, 9, 1))
	for _, k := range []admission.Kind{admission.SelfReview, admission.HelperAssessment, admission.ProbationComments} {
		if _, err := admission.Evaluate(admission.StepInput{Kind: k, OccurredOn: d(2025, 8, 30)}, f); err != nil {
			t.Errorf("%s during probation: %v", k, err)
		}
		if _, err := admission.Evaluate(admission.StepInput{Kind: k, OccurredOn: d(2025, 6, 20)}, f); err == nil {
			t.Errorf("%s dated before the ceremony accepted", k)
		}
		before := facts(stepsThrough(admission.Decision, nil), d(2025, 6, 20))
		if _, err := admission.Evaluate(admission.StepInput{Kind: k, OccurredOn: d(2025, 6, 20)}, before); err == nil {
			t.Errorf("%s before the ceremony accepted", k)
		}
		after := facts(stepsThrough(admission.RecognitionResolution, nil), d(2026, 7, 1))
		if _, err := admission.Evaluate(admission.StepInput{Kind: k, OccurredOn: d(2026, 7, 1)}, after); err == nil {
			t.Errorf("%s after the recognition vote accepted", k)
		}
	}
	// near the end of probation the missing papers are warned of, one line each in the checklist
	w := admission.Warnings(candidate(), cell, stepsThrough(admission.NewMemberClass, nil), rules, d(2026, 5, 15))
	if len(w) != 1 || !strings.Contains(w[0].Text, "10-KNĐ") || !strings.Contains(w[0].Text, "11-KNĐ") || !strings.Contains(w[0].Text, "12-KNĐ") || strings.Contains(w[0].Text, "lớp bồi dưỡng đảng viên mới") {
		t.Fatalf("probation warnings %+v", w)
	}
	if w := admission.Warnings(candidate(), cell, stepsThrough(admission.NewMemberClass, nil), rules, d(2026, 1, 15)); len(w) != 0 {
		t.Fatalf("warned too early: %+v", w)
	}
}
