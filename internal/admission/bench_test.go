package admission_test

import (
	"context"
	"fmt"
	"testing"

	"ketnap/internal/admission"
)

// BenchmarkRecordStep measures one RecordStep against a real PostgreSQL: lock
// the candidate, load its steps and rules, judge, write the step, the stage
// and the audit event, commit.
func BenchmarkRecordStep(b *testing.B) {
	w := newWorld(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c := w.addCandidate(b, fmt.Sprintf("Đo Tốc Độ %d", i))
		w.record(b, w.secA, c.ID, admission.StepInput{Kind: admission.Nominated, OccurredOn: d(2025, 9, 1), HelperMemberID: w.helper})
		b.StartTimer()
		if _, err := w.svc.RecordStep(ctx, w.secA, c.ID, admission.StepInput{Kind: admission.AwarenessClass, OccurredOn: d(2025, 10, 1), DocumentNo: "1/GCN"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDeadlines10000 computes the deadlines of 10 000 candidates spread
// over every stage (one op = all 10 000).
func BenchmarkDeadlines10000(b *testing.B) {
	cal := admission.NewCalendar(holidays(2024, 2028))
	type cand struct {
		c     admission.Candidate
		steps []admission.Step
	}
	all := make([]cand, 10000)
	for i := range all {
		all[i] = cand{candidate(), stepsThrough(order[i%len(order)], nil)}
	}
	today := d(2026, 3, 1)
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		for _, x := range all {
			n += len(admission.Deadlines(x.c, x.steps, rules, cal, today))
		}
	}
	if n == 0 {
		b.Fatal("no deadlines")
	}
}

// BenchmarkEvaluate judges one cell vote, the step with the most conditions.
func BenchmarkEvaluate(b *testing.B) {
	day := pathDates[admission.CellResolution]
	f := facts(stepsThrough(admission.Comments, nil), day)
	in := vote(day, 9, 7)
	for i := 0; i < b.N; i++ {
		if _, err := admission.Evaluate(in, f); err != nil {
			b.Fatal(err)
		}
	}
}
