package demo_test

import (
	"context"
	"testing"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
	"ketnap/internal/pgtest"
)

// A generated ward keeps the schema's constraints and the domain's view of
// it: every candidate's stored stage is the stage its steps give, every
// introduction has two sponsors of the cell, every admitted candidate is a
// member, and the audit chain holds.
func TestGenerateWard(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	today := admission.Day(2026, 11, 28)
	svc := &admission.Service{DB: db}
	if err := svc.EnsureHolidays(ctx, 2016, 2028); err != nil {
		t.Fatal(err)
	}
	res, err := demo.Generate(ctx, db, demo.Scales["ward"], today, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Candidates != 3300 || res.Organizations != 32 || res.Steps < 3300*5 || res.AuditEvents != res.Candidates+res.Steps {
		t.Fatalf("generated %+v", res)
	}
	if _, err := demo.Generate(ctx, db, demo.Scales["ward"], today, nil); err == nil {
		t.Fatal("a second generation into the same database was not refused")
	}
	rows, err := db.Pool.Query(ctx, `SELECT id, stage FROM candidates ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	stages := map[int64]admission.Stage{}
	var ids []int64
	for rows.Next() {
		var id int64
		var st admission.Stage
		if err := rows.Scan(&id, &st); err != nil {
			t.Fatal(err)
		}
		stages[id], ids = st, append(ids, id)
	}
	rows.Close()
	steps, err := db.StepsOf(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[admission.Stage]int{}
	for _, id := range ids {
		if got := admission.DeriveStage(steps[id]); got != stages[id] {
			t.Fatalf("candidate %d: stored stage %s, steps give %s", id, stages[id], got)
		}
		seen[stages[id]]++
		for _, s := range steps[id] {
			if s.OccurredOn.After(today) {
				t.Fatalf("candidate %d: a step in the future (%s)", id, s.OccurredOn)
			}
		}
	}
	for _, st := range []admission.Stage{admission.StageSource, admission.StageDossier, admission.StageAwaitingDecision, admission.StageAwaitingCeremony, admission.StageProbationary, admission.StageOfficial} {
		if seen[st] == 0 {
			t.Errorf("no candidate at stage %s", st)
		}
	}
	var odd int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM steps s WHERE s.kind = 'introduction'
		AND (SELECT count(DISTINCT sp.member_id) FROM sponsors sp JOIN members m ON m.id = sp.member_id
			JOIN candidates c ON c.id = s.candidate_id WHERE sp.step_id = s.id AND m.organization_id = c.organization_id) <> 2`).Scan(&odd); err != nil || odd != 0 {
		t.Fatalf("introductions without two sponsors of the cell: %d %v", odd, err)
	}
	var orphans int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM candidates c WHERE c.stage IN ('probationary', 'official')
		AND NOT EXISTS (SELECT 1 FROM members m WHERE m.candidate_id = c.id)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Fatalf("admitted candidates without a member record: %d %v", orphans, err)
	}
	chk, err := db.VerifyAudit(ctx)
	if err != nil || chk.FirstBroken != 0 {
		t.Fatalf("audit chain: %+v %v", chk, err)
	}
}
