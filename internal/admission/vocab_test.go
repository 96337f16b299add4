package admission_test

import (
	"context"
	"testing"

	"ketnap/internal/admission"
)

func TestVocabularies(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	in := admission.CandidateInput{OrganizationID: w.cellA.ID, FullName: "Lò Thị Vân", Gender: admission.Female, BirthDate: d(1995, 2, 3),
		EducationGeneral: admission.EduUpperSecondary, Ethnicity: " thái ", Religion: "", Occupation: "Giáo viên"}
	_, err := w.svc.AddCandidate(ctx, w.secA, in)
	var e *admission.Error
	if admission.ErrorCode(err) != admission.Invalid || !asError(err, &e) || e.Fields["occupation"] == "" || e.Fields["ethnicity"] != "" {
		t.Fatalf("an occupation outside the vocabulary: %v", err)
	}
	// staff may not extend a vocabulary; an admin may, once
	if _, err := w.svc.AddVocabEntry(ctx, w.staff, admission.VocabInput{Kind: admission.VocabOccupation, Label: "Giáo viên"}); admission.ErrorCode(err) != admission.Forbidden {
		t.Fatalf("staff added an entry: %v", err)
	}
	admin := w.staff
	admin.Role = admission.RoleAdmin
	if _, err := w.svc.AddVocabEntry(ctx, admin, admission.VocabInput{Kind: admission.VocabOccupation, Label: "  Giáo   viên "}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.AddVocabEntry(ctx, admin, admission.VocabInput{Kind: admission.VocabOccupation, Label: "giáo viên"}); admission.ErrorCode(err) != admission.Invalid {
		t.Fatalf("a duplicate entry: %v", err)
	}
	c, err := w.svc.AddCandidate(ctx, w.secA, in)
	if err != nil {
		t.Fatal(err)
	}
	// the entry's spelling is stored; an empty religion is "Không"
	if c.Ethnicity != "Thái" || c.Religion != admission.ReligionNone || c.Occupation != "Giáo viên" || c.PoliticalTheory != admission.LevelNone {
		t.Fatalf("stored %q %q %q %q", c.Ethnicity, c.Religion, c.Occupation, c.PoliticalTheory)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'vocabulary.add'`); n != 1 {
		t.Fatalf("vocabulary additions audited %d times", n)
	}
}
