package postgres_test

import (
	"context"
	"strings"
	"testing"

	"ketnap/internal/pgtest"
	"ketnap/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestMigrationsUpDownUp(t *testing.T) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.EmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mig, err := db.NewMigrator(nil)
	if err != nil {
		t.Fatal(err)
	}
	tables := func() int {
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'goose_db_version'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := mig.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	for _, name := range []string{"organizations", "members", "candidates", "steps", "sponsors", "targets",
		"rule_sets", "holidays", "users", "sessions", "audit_events"} {
		var ok bool
		if err := db.Pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, name).Scan(&ok); err != nil || !ok {
			t.Errorf("table %s missing after up (%v)", name, err)
		}
	}
	if err := mig.DownTo(ctx, 0); err != nil {
		t.Fatalf("down to 0: %v", err)
	}
	if got := tables(); got != 0 {
		t.Fatalf("after down: %d tables left, want 0", got)
	}
	if err := mig.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	var sb strings.Builder
	if err := mig.Status(ctx, &sb); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sb.String(), "chưa áp dụng") {
		t.Fatalf("pending migrations after up:\n%s", sb.String())
	}
	v, err := mig.Version(ctx)
	if err != nil || v < 2 {
		t.Fatalf("version = %d, %v", v, err)
	}
}

func TestAuditEventsAppendOnly(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	if _, err := db.Pool.Exec(ctx, `INSERT INTO audit_events (action, entity) VALUES ('test', 'test')`); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE audit_events SET action = 'changed'`,
		`DELETE FROM audit_events`,
		`TRUNCATE audit_events`,
	} {
		if _, err := db.Pool.Exec(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want append-only refusal", q, err)
		}
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'test'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("audit rows = %d, %v; want 1", n, err)
	}
}

func TestVoteCountsConstraint(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	_, err := db.Pool.Exec(ctx, `INSERT INTO organizations (kind, name, code, path) VALUES ('committee', 'Đảng bộ thử', 'thu', '/1/')`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Pool.Exec(ctx, `WITH p AS (INSERT INTO persons (full_name, full_name_search, gender, birth_date)
		VALUES ('Nguyễn Văn A', 'nguyen van a', 'male', '2000-01-01') RETURNING id)
		INSERT INTO candidates (person_id, organization_id, full_name, full_name_search, gender, birth_date, education_general)
		SELECT p.id, o.id, 'Nguyễn Văn A', 'nguyen van a', 'male', '2000-01-01', 'upper_secondary' FROM organizations o, p`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Pool.Exec(ctx, `INSERT INTO steps (candidate_id, seq, kind, occurred_on, votes_eligible, votes_yes, outcome, rule_set_id)
		SELECT c.id, 1, 'cell_resolution', '2025-06-01', 10, 11, 'passed', r.id FROM candidates c, rule_sets r`)
	if err == nil || !strings.Contains(err.Error(), "check") {
		t.Fatalf("yes > eligible accepted: %v", err)
	}
}
