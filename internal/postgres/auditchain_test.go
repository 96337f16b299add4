package postgres_test

import (
	"context"
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
