package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/pgtest"
	"ketnap/internal/postgres"
)

// The audit chain holds on a fresh demo, and names the exact event changed
// or the one after an event deleted behind the application's back.
func TestAuditChain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := demoDB(t)
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
	// read organization by organization or by time, a page is the same
	since := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range []admission.AuditFilter{
		{PerPage: 10},
		{PerPage: 10, Page: 3, CountLimit: 40},
		{PerPage: 5, Action: "step.", NotBy: 1, CountLimit: 1000},
		{PerPage: 5, Action: "step.", NotBy: 1, CountLimit: 100}, // the count and its first page in one statement
		{PerPage: 20, Page: 2, Since: since, Action: "step.record"},
	} {
		by, total, err := db.AuditEvents(ctx, "/", f)
		if err != nil || len(by) == 0 {
			t.Fatalf("%+v: %d events (%v)", f, len(by), err)
		}
		restore := postgres.SetNarrowScope(0)
		wide, wideTotal, err := db.AuditEvents(ctx, "/", f)
		restore()
		if err != nil || total != wideTotal || fmt.Sprint(by) != fmt.Sprint(wide) {
			t.Fatalf("%+v: by organization %d events of %d, by time %d of %d (%v)", f, len(by), total, len(wide), wideTotal, err)
		}
	}
	// a short count with its first page reads what the count and the page
	// read apart, and nothing when nothing counts
	for _, f := range []admission.AuditFilter{
		{PerPage: 10, CountLimit: 30},
		{PerPage: 10, Action: "step.", Since: since, CountLimit: 100},
		{PerPage: 5, Action: "candidate.move", CountLimit: 100},
		{PerPage: 10, Action: "step.", Since: time.Now().Add(time.Hour), CountLimit: 100},
	} {
		one, total, err := db.AuditEvents(ctx, "/", f)
		if err != nil {
			t.Fatal(err)
		}
		limit := f.CountLimit
		f.CountLimit = 1000 // read apart
		apart, all, err := db.AuditEvents(ctx, "/", f)
		if err != nil || fmt.Sprint(one) != fmt.Sprint(apart) || total != min(all, limit+1) {
			t.Fatalf("%+v: %d events of %d in one statement, %d of %d apart (%v)", f, len(one), total, len(apart), all, err)
		}
		if f.Since.Before(time.Now()) && f.Action != "candidate.move" && (len(one) != f.PerPage || total != limit+1) {
			t.Fatalf("%+v: %d events of %d: the demo has more", f, len(one), total)
		}
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

// Twenty writers auditing at once, some of them rolling back and some
// chaining as they insert, while three chainers link what commits, leave
// one unbroken chain of every committed event.
func TestAuditChainUnderConcurrentWriters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	var wg sync.WaitGroup
	done := make(chan struct{})
	linked := make([]int, 3)
	var chainers sync.WaitGroup
	for c := range linked {
		chainers.Add(1)
		go func() {
			defer chainers.Done()
			for {
				n, err := db.ChainAudit(ctx, false)
				if err != nil {
					t.Error(err)
					return
				}
				linked[c] += n
				select {
				case <-done:
					return
				case <-time.After(time.Millisecond):
				}
			}
		}()
	}
	for w := 0; w < 20; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				_ = db.InTx(ctx, func(st admission.Store) error {
					err := st.InsertAudit(ctx, &admission.AuditEvent{Action: "test.write", Entity: "test"})
					if err == nil && i%4 == 3 { // 6 of 25
						return errors.New("changed its mind")
					}
					return err
				})
			}
		}()
	}
	for w := 0; w < 2; w++ { // the generator's way: linked as inserted
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				tx, err := db.Pool.Begin(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := tx.Exec(ctx, `SELECT set_config('ketnap.audit_chain', 'inline', true)`); err != nil {
					t.Error(err)
				}
				if _, err := tx.Exec(ctx, `INSERT INTO audit_events (action, entity) VALUES ('test.inline', 'test')`); err != nil {
					t.Error(err)
				}
				if err := tx.Commit(ctx); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	chainers.Wait()
	if linked[0]+linked[1]+linked[2] == 0 {
		t.Fatal("the chainers linked nothing while the writers wrote")
	}
	c, err := db.VerifyAudit(ctx)
	if err != nil || c.Events != 20*19+2*20 || c.FirstBroken != 0 {
		t.Fatalf("after the concurrent events: %+v %v", c, err)
	}
	var unlinked, seqs int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE hash IS NULL), count(DISTINCT chain_seq) FROM audit_events`).Scan(&unlinked, &seqs); err != nil || unlinked != 0 || int64(seqs) != c.Events {
		t.Fatalf("%d events left unlinked, %d links for %d events (%v)", unlinked, seqs, c.Events, err)
	}
}

// An event is written unlinked and linked once by the chainer: its links
// cannot be written by anyone else's update, nor the event changed while
// it waits, nor its links written again; a change or a deletion of an
// event linked by the chainer is found like one of the events linked
// before the chainer (migration 00024), whose chain the walk continues.
func TestAuditChainLinkedAfterCommit(t *testing.T) {
	ctx := context.Background()
	// a database at the migration before, where each write linked its event
	before := func() (*postgres.DB, *postgres.Migrator) {
		db, err := postgres.Open(ctx, pgtest.EmptyURL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		mig, err := db.NewMigrator(nil)
		if err == nil {
			err = mig.Up(ctx)
		}
		if err == nil {
			err = mig.DownTo(ctx, 23)
		}
		if err != nil {
			t.Fatal(err)
		}
		return db, mig
	}
	db, mig := before()
	insert := func(action string, n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			if _, err := db.Pool.Exec(ctx, `INSERT INTO audit_events (action, entity, entity_id) VALUES ($1, 'test', $2)`, action, i); err != nil {
				t.Fatal(err)
			}
		}
	}
	insert("test.before", 5)
	if err := mig.Up(ctx); err != nil {
		t.Fatal(err)
	}
	insert("test.after", 5)
	var unlinked int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE hash IS NULL AND prev_hash IS NULL AND chain_seq IS NULL`).Scan(&unlinked); err != nil || unlinked != 5 {
		t.Fatalf("%d events wait for their link, want 5 (%v)", unlinked, err)
	}
	var first int64
	if err := db.Pool.QueryRow(ctx, `SELECT min(id) FROM audit_events WHERE action = 'test.after'`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE audit_events SET chain_seq = 1, prev_hash = '\x00', hash = '\x00' WHERE id = $1`,
		`UPDATE audit_events SET action = 'test.changed', chain_seq = 1, prev_hash = '\x00', hash = sha256('\x00') WHERE id = $1`,
		`UPDATE audit_events SET after = '{"x":1}' WHERE id = $1`,
		`DELETE FROM audit_events WHERE id = $1`,
	} {
		_, err := db.Pool.Exec(ctx, q, first)
		if q == `UPDATE audit_events SET chain_seq = 1, prev_hash = '\x00', hash = '\x00' WHERE id = $1` {
			// a link written by hand is let through: the walk finds it wrong
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if _, err := db.Pool.Exec(ctx, q, first); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("a link written twice: %v", err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: %v", q, err)
		}
	}
	c, err := db.VerifyAudit(ctx)
	if err != nil || c.Events != 10 || c.FirstBroken != first {
		t.Fatalf("a link written by hand: %+v %v, want event %d broken", c, err, first)
	}
	// a fresh trail: linked before the chainer, then by it
	db, mig = before()
	insert("test.before", 5)
	if err := mig.Up(ctx); err != nil {
		t.Fatal(err)
	}
	insert("test.after", 5)
	if n, err := db.ChainAudit(ctx, true); err != nil || n != 5 {
		t.Fatalf("linked %d, want 5 (%v)", n, err)
	}
	insert("test.later", 3)
	c, err = db.VerifyAudit(ctx)
	if err != nil || c.Events != 13 || c.FirstBroken != 0 {
		t.Fatalf("a chain across the change: %+v %v", c, err)
	}
	var head []byte
	var seq int64
	if err := db.Pool.QueryRow(ctx, `SELECT hash, seq FROM audit_chain_head`).Scan(&head, &seq); err != nil || string(head) != string(c.LastHash) || seq != 8 {
		t.Fatalf("head %x seq %d, check %x (%v)", head, seq, c.LastHash, err)
	}
	// an event waits in its month's partition; one whose wait is deleted is found
	var orphan int64
	var part string
	if err := db.Pool.QueryRow(ctx, `INSERT INTO audit_events (action, entity) VALUES ('test.orphan', 'test') RETURNING id`).Scan(&orphan); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool.QueryRow(ctx, `DELETE FROM audit_unlinked WHERE id = $1 RETURNING part::text`, orphan).Scan(&part); err != nil || part != "audit_events_"+time.Now().Format("2006_01") {
		t.Fatalf("the event waited in %q (%v)", part, err)
	}
	if c, err := db.VerifyAudit(ctx); err != nil || c.FirstBroken != orphan {
		t.Fatalf("an event left unlinked: %+v %v, want %d", c, err, orphan)
	}
	ids := map[string]int64{}
	rows, err := db.Pool.Query(ctx, `SELECT action || '/' || coalesce(entity_id, 0), id FROM audit_events`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			t.Fatal(err)
		}
		ids[k] = id
	}
	rows.Close()
	tamper := func(q string, id int64) {
		t.Helper()
		for _, s := range []string{`ALTER TABLE audit_events DISABLE TRIGGER USER`, q, `ALTER TABLE audit_events ENABLE TRIGGER USER`} {
			var a []any
			if s == q {
				a = []any{id}
			}
			if _, err := db.Pool.Exec(ctx, s, a...); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
	}
	for _, tc := range []struct {
		q            string
		event, found string
	}{
		{`UPDATE audit_events SET after = '{"x":1}' WHERE id = $1`, "test.later/1", "test.later/1"},
		{`DELETE FROM audit_events WHERE id = $1`, "test.after/2", "test.after/3"},
		{`DELETE FROM audit_events WHERE id = $1`, "test.before/4", "test.after/0"},
		{`UPDATE audit_events SET action = 'x' WHERE id = $1`, "test.before/1", "test.before/1"},
	} {
		tamper(tc.q, ids[tc.event])
		if c, err := db.VerifyAudit(ctx); err != nil || c.FirstBroken != ids[tc.found] {
			t.Fatalf("%s on %s: first broken %d, want %s's %d (%v)", tc.q, tc.event, c.FirstBroken, tc.found, ids[tc.found], err)
		}
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
