package demo_test

import (
	"context"
	"testing"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
	"ketnap/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestLoadTwiceAddsNothing(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	today := admission.Day(2026, 11, 28)
	svc := &admission.Service{DB: db, Now: func() time.Time { return today }}
	counts := func() map[string]int {
		out := map[string]int{}
		for _, table := range []string{"organizations", "members", "candidates", "steps", "sponsors", "audit_events", "holidays"} {
			var n int
			if err := db.Pool.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			out[table] = n
		}
		return out
	}
	if _, err := demo.Load(ctx, db, svc, today, nil); err != nil {
		t.Fatal(err)
	}
	first := counts()
	if _, err := demo.Load(ctx, db, svc, today, nil); err != nil {
		t.Fatal(err)
	}
	second := counts()
	for k, v := range first {
		if second[k] != v {
			t.Errorf("%s: %d after the first load, %d after the second", k, v, second[k])
		}
	}
	if first["organizations"] != 9 {
		t.Errorf("%d organizations, want the ward and 8 cells", first["organizations"])
	}
	// every cell has 10–20 members; candidates in every open stage, some overdue
	rows, err := db.Pool.Query(ctx, `SELECT o.name, count(m.id) FROM organizations o LEFT JOIN members m ON m.organization_id = o.id AND m.external_key IS NOT NULL
		WHERE o.kind = 'cell' GROUP BY o.name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			t.Fatal(err)
		}
		if n < 10 || n > 20 {
			t.Errorf("%s has %d members", name, n)
		}
	}
	rows.Close()
	stages := map[string]int{}
	rows, _ = db.Pool.Query(ctx, `SELECT stage, count(*) FROM candidates GROUP BY stage`)
	for rows.Next() {
		var s string
		var n int
		_ = rows.Scan(&s, &n)
		stages[s] = n
	}
	rows.Close()
	for _, st := range []admission.Stage{admission.StageSource, admission.StageDossier, admission.StageAwaitingDecision,
		admission.StageAwaitingCeremony, admission.StageProbationary, admission.StageOfficial, admission.StageWithdrawn} {
		if stages[string(st)] == 0 {
			t.Errorf("no demo candidate in stage %s (%v)", st, stages)
		}
	}
	var failed, youth, readmit int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM steps WHERE kind = 'cell_resolution' AND outcome = 'failed'`).Scan(&failed)
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM steps WHERE route = 'youth_union'`).Scan(&youth)
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM candidates WHERE readmission`).Scan(&readmit)
	if failed == 0 || youth == 0 || readmit == 0 {
		t.Errorf("failed votes %d, youth route %d, re-admissions %d: want each at least one", failed, youth, readmit)
	}
	// and some overdue work
	cands, err := db.Pool.Query(ctx, `SELECT id FROM candidates`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for cands.Next() {
		var id int64
		_ = cands.Scan(&id)
		ids = append(ids, id)
	}
	cands.Close()
	st := db.Store()
	rules, _ := st.RuleSets(ctx)
	hol, _ := st.Holidays(ctx, today.AddDate(-5, 0, 0), today.AddDate(2, 0, 0))
	cal := admission.NewCalendar(hol)
	overdue := 0
	for _, id := range ids {
		steps, err := st.Steps(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, dl := range admission.Deadlines(admission.Candidate{}, steps, rules, cal, today) {
			if dl.Status == admission.Overdue {
				overdue++
			}
		}
	}
	if overdue == 0 {
		t.Error("no overdue deadline in the demo")
	}
}
