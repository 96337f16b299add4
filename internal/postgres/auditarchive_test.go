package postgres_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/pgtest"
)

// Old months of the audit trail are archived oldest first: each leaves a
// file of its events in the chain's order and a record the chain goes on
// from, and the walk then holds. A month archived out of turn, not over, or
// not its own table is refused with nothing changed; a month dropped behind
// the application's back still breaks the chain.
func TestAuditMonthsArchive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	if _, err := db.Pool.Exec(ctx, `SELECT audit_events_month_partitions('2020-01-01', '2020-03-01')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnsureAuditMonths(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	// events linked as written, in time order: January's three come first in the chain
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `SET ketnap.audit_chain = 'inline'`); err != nil {
		t.Fatal(err)
	}
	ict := time.FixedZone("ICT", 7*3600)
	for i, at := range []time.Time{
		time.Date(2020, 1, 1, 0, 30, 0, 0, ict), time.Date(2020, 1, 10, 8, 0, 0, 0, ict), time.Date(2020, 1, 31, 23, 59, 0, 0, ict),
		time.Date(2020, 2, 10, 8, 0, 0, 0, ict), time.Date(2020, 2, 11, 8, 0, 0, 0, ict),
		time.Date(2020, 3, 10, 8, 0, 0, 0, ict),
		time.Now(),
		time.Date(2001, 5, 1, 0, 0, 0, 0, ict), // no month of its own: the default table
	} {
		if _, err := conn.Exec(ctx, `INSERT INTO audit_events (at, action, entity, entity_id, after) VALUES ($1, 'test.archive', 'test', $2, '{"ghi chú": "Nguyễn Thị Ánh, lớp \"cảm tình\""}')`, at, i); err != nil {
			t.Fatal(err)
		}
	}
	conn.Release()
	verify := func(when string, wantBroken int64, wantEvents int64) {
		t.Helper()
		c, err := db.VerifyAudit(ctx)
		if err != nil || c.FirstBroken != wantBroken || c.Events != wantEvents {
			t.Fatalf("%s: %+v (%v), want first broken %d of %d events", when, c, err, wantBroken, wantEvents)
		}
	}
	verify("before archiving", 0, 8)
	// archived through the service, by an administrator of the whole tree,
	// each month with its own audit event
	svc := &admission.Service{DB: db, Now: admission.SystemClock}
	admin := admission.Actor{Username: "ketnap", Role: admission.RoleAdmin, ScopePath: "/"}
	var buf0 bytes.Buffer
	if _, err := svc.ArchiveAuditMonth(ctx, admission.Actor{Role: admission.RoleStaff, ScopePath: "/"}, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), "x.csv", &buf0); admission.ErrorCode(err) != admission.Forbidden {
		t.Fatalf("staff archived a month: %v", err)
	}
	archived := 0
	archiveEvents := func() int {
		t.Helper()
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'audit.archive'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	refused := func(month time.Time, says string) {
		t.Helper()
		var buf bytes.Buffer
		_, err := svc.ArchiveAuditMonth(ctx, admin, month, "x.csv", &buf)
		if admission.ErrorCode(err) != admission.Invalid || !strings.Contains(err.Error(), says) {
			t.Fatalf("archiving %s: %v, want a refusal saying %q", month.Format("01/2006"), err, says)
		}
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_archives`).Scan(&n); err != nil || n != archived {
			t.Fatalf("after a refusal %d archives (%v)", n, err)
		}
		if n := archiveEvents(); n != archived {
			t.Fatalf("after a refusal %d archive events, want %d", n, archived)
		}
	}
	refused(time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC), "hãy lưu trữ các tháng cũ hơn trước")
	refused(time.Now(), "tháng chưa kết thúc")
	refused(time.Date(2001, 5, 1, 0, 0, 0, 0, time.UTC), "không có bảng riêng")

	archive := func(month time.Time, events int) {
		t.Helper()
		var buf bytes.Buffer
		a, err := svc.ArchiveAuditMonth(ctx, admin, month, "audit-"+month.Format("2006-01")+".csv", &buf)
		if err != nil {
			t.Fatal(err)
		}
		archived++
		var said string
		if err := db.Pool.QueryRow(ctx, `SELECT after->>'FileName' FROM audit_events WHERE action = 'audit.archive' ORDER BY id DESC LIMIT 1`).Scan(&said); err != nil ||
			archiveEvents() != archived || said != a.FileName {
			t.Fatalf("archive of %s: its audit event says %q (%v), %d events for %d archives", month.Format("01/2006"), said, err, archiveEvents(), archived)
		}
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		sum := sha256.Sum256(buf.Bytes())
		if a.Events != int64(events) || len(lines) != events+1 || !strings.HasPrefix(lines[0], "id,at,") || a.FileSHA256 != hex.EncodeToString(sum[:]) ||
			!strings.Contains(buf.String(), "Nguyễn Thị Ánh") {
			t.Fatalf("archive of %s: %+v, %d lines:\n%s", month.Format("01/2006"), a, len(lines), buf.String())
		}
		var left int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_class WHERE relname = $1`, "audit_events_"+month.Format("2006_01")).Scan(&left); err != nil || left != 0 {
			t.Fatalf("the month's table is still there (%v)", err)
		}
	}
	archive(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), 3)
	verify("after archiving January", 0, 5+1)
	refused(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), "không có bảng riêng")
	archive(time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC), 2)
	verify("after archiving February", 0, 3+2)
	list, err := db.AuditArchives(ctx)
	if err != nil || len(list) != 2 || !bytes.Equal(list[1].FirstPrevHash, list[0].LastHash) || list[0].FileName != "audit-2020-01.csv" {
		t.Fatalf("archives %+v (%v)", list, err)
	}
	// an archive stays as it was written
	if _, err := db.Pool.Exec(ctx, `DELETE FROM audit_archives`); err == nil {
		t.Fatal("an archive was deleted")
	}
	// March dropped without archiving: the event after it no longer continues the chain
	var after int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM audit_events WHERE action = 'test.archive' AND entity_id = 6`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`ALTER TABLE audit_events DETACH PARTITION audit_events_2020_03`, `DROP TABLE audit_events_2020_03`} {
		if _, err := db.Pool.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	verify("after March was dropped", after, 2+2)
}
