package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
	"ketnap/internal/pgtest"
)

// The audit chain holds on a fresh demo, and names the exact event changed
// or the one after an event deleted behind the application's back.
func TestAuditChain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	today := admission.Day(2026, 11, 20)
	if _, err := demo.Load(ctx, db, &admission.Service{DB: db, Now: func() time.Time { return today }}, today, nil); err != nil {
		t.Fatal(err)
	}
	c, err := db.VerifyAudit(ctx)
	if err != nil || c.FirstBroken != 0 || c.Events < 100 || len(c.LastHash) != 32 {
		t.Fatalf("fresh demo: %+v %v", c, err)
	}
	// a page counts at most its limit and one more
	if _, total, err := db.AuditEvents(ctx, "/", admission.AuditFilter{CountLimit: 5}); err != nil || total != 6 {
		t.Fatalf("capped count %d (%v)", total, err)
	}
	if _, total, err := db.AuditEvents(ctx, "/", admission.AuditFilter{}); err != nil || int64(total) != c.Events {
		t.Fatalf("whole count %d of %d (%v)", total, c.Events, err)
	}
	var target, after int64
	if err := db.Pool.QueryRow(ctx, `SELECT id, (SELECT min(id) FROM audit_events WHERE id > e.id) FROM audit_events e WHERE action = 'step.record' ORDER BY id OFFSET 20 LIMIT 1`).Scan(&target, &after); err != nil {
		t.Fatal(err)
	}
	tamper := func(q string, args ...any) {
		t.Helper()
		for _, s := range []string{`ALTER TABLE audit_events DISABLE TRIGGER USER`, q, `ALTER TABLE audit_events ENABLE TRIGGER USER`} {
			var a []any
			if s == q {
				a = args
			}
			if _, err := db.Pool.Exec(ctx, s, a...); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
	}
	tamper(`UPDATE audit_events SET after = jsonb_set(after, '{stage}', '"official"') WHERE id = $1`, target)
	if c, err := db.VerifyAudit(ctx); err != nil || c.FirstBroken != target {
		t.Fatalf("after an update of event %d: %+v %v", target, c, err)
	}
	tamper(`DELETE FROM audit_events WHERE id <= $1 AND id >= $1`, target)
	if c, err := db.VerifyAudit(ctx); err != nil || c.FirstBroken != after {
		t.Fatalf("after deleting event %d: first broken %d, want %d (%v)", target, c.FirstBroken, after, err)
	}
	if last, err := db.LastAuditCheck(ctx); err != nil || last.FirstBroken != after || last.At.IsZero() {
		t.Fatalf("last check %+v %v", last, err)
	}
}

// Twenty writers auditing at once leave one unbroken chain in id order.
func TestAuditChainUnderConcurrentWriters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	var wg sync.WaitGroup
	for w := 0; w < 20; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				_ = db.InTx(ctx, func(st admission.Store) error {
					return st.InsertAudit(ctx, &admission.AuditEvent{Action: "test.write", Entity: "test"})
				})
			}
		}()
	}
	wg.Wait()
	c, err := db.VerifyAudit(ctx)
	if err != nil || c.Events != 500 || c.FirstBroken != 0 {
		t.Fatalf("after 500 concurrent events: %+v %v", c, err)
	}
}

// The trail is kept by month: each event lands in its month's partition
// (one outside the months prepared in the default one), the chain runs
// across them, a search by time reads only its months, and neither the
// trail nor a month can be changed, deleted or truncated.
func TestAuditPartitions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	now := time.Now()
	if _, err := db.EnsureAuditMonths(ctx, now); err != nil {
		t.Fatal(err)
	}
	if n, err := db.EnsureAuditMonths(ctx, now); err != nil || n != 0 {
		t.Fatalf("preparing the months again made %d (%v)", n, err)
	}
	next := time.Date(now.Year(), now.Month()+2, 10, 8, 0, 0, 0, time.UTC)
	far := time.Date(2001, 5, 1, 0, 0, 0, 0, time.UTC)
	for i, at := range []time.Time{now, next, far, now} {
		if _, err := db.Pool.Exec(ctx, `INSERT INTO audit_events (at, action, entity, entity_id) VALUES ($1, 'test.partition', 'test', $2)`, at, i); err != nil {
			t.Fatal(err)
		}
	}
	want := map[int64]string{0: "audit_events_" + now.Format("2006_01"), 1: "audit_events_" + next.Format("2006_01"), 2: "audit_events_default", 3: "audit_events_" + now.Format("2006_01")}
	rows, err := db.Pool.Query(ctx, `SELECT entity_id, tableoid::regclass::text FROM audit_events WHERE action = 'test.partition'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var part string
		if err := rows.Scan(&id, &part); err != nil {
			t.Fatal(err)
		}
		if part != want[id] {
			t.Errorf("event %d in %s, want %s", id, part, want[id])
		}
	}
	rows.Close()
	if c, err := db.VerifyAudit(ctx); err != nil || c.FirstBroken != 0 || c.Events != 4 {
		t.Fatalf("chain across months: %+v %v", c, err)
	}
	var plan string
	if err := db.Pool.QueryRow(ctx, `EXPLAIN (FORMAT JSON) SELECT count(*) FROM audit_events WHERE at >= $1 AND at < $2`,
		next.AddDate(0, 0, -1), next.AddDate(0, 0, 1)).Scan(&plan); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, want[1]) || strings.Contains(plan, want[0]) || strings.Contains(plan, "audit_events_default") {
		t.Fatalf("a search of two days reads other months: %s", plan)
	}
	for _, q := range []string{
		`UPDATE audit_events SET action = 'x' WHERE entity = 'test'`,
		`DELETE FROM audit_events WHERE entity = 'test'`,
		`DELETE FROM ` + want[0],
		`TRUNCATE audit_events`,
		`TRUNCATE ` + want[0],
		`TRUNCATE audit_events_default`,
		`DELETE FROM audit_chain_head`,
	} {
		if _, err := db.Pool.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// The current month's statistics are refreshed without error, and a month
// with no partition is passed over.
func TestAnalyzeAuditMonth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	now := time.Now()
	if _, err := db.EnsureAuditMonths(ctx, now); err != nil {
		t.Fatal(err)
	}
	if err := db.AnalyzeAuditMonth(ctx, now); err != nil {
		t.Fatal(err)
	}
	var analyzed int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_user_tables WHERE relname = $1 AND last_analyze IS NOT NULL`,
		"audit_events_"+now.UTC().Format("2006_01")).Scan(&analyzed); err != nil || analyzed != 1 {
		t.Fatalf("the month was not analyzed: %d (%v)", analyzed, err)
	}
	if err := db.AnalyzeAuditMonth(ctx, time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("a month with no partition: %v", err)
	}
}
