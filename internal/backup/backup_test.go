package backup_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
	"ketnap/internal/backup"
	"ketnap/internal/demo"
	"ketnap/internal/devdb"
	"ketnap/internal/pgtest"
	"ketnap/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// Backup, restore into an empty database: every table's row count the same;
// a corrupted dump and a non-empty target are refused with a message.
func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	bin, err := devdb.FindBinDir()
	if err != nil {
		t.Skip(err)
	}
	src := pgtest.URL(t)
	db, err := postgres.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	today := admission.Day(2026, 11, 20)
	if _, err := demo.Load(ctx, db, &admission.Service{DB: db, Now: func() time.Time { return today }}, today, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	manifest, m, err := backup.Backup(ctx, src, dir, bin, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if m.Rows["candidates"] == 0 || m.Rows["audit_events"] == 0 || m.Schema == 0 {
		t.Fatalf("manifest %+v", m)
	}
	dst := pgtest.EmptyURL(t)
	if _, err := backup.Restore(ctx, dst, manifest, bin); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	got, schema, err := backup.Counts(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range m.Rows {
		if got[table] != n {
			t.Errorf("%s: %d rows restored, %d backed up", table, got[table], n)
		}
	}
	if schema != m.Schema {
		t.Fatalf("schema %d, want %d", schema, m.Schema)
	}
	// the restored copy is still append-only and consistent: every candidate's stage is its steps'
	if _, err := conn.Exec(ctx, `DELETE FROM audit_events`); err == nil {
		t.Fatal("the restored audit trail accepts a delete")
	}
	// restoring again into the now non-empty database is refused
	if _, err := backup.Restore(ctx, dst, manifest, bin); err == nil || !strings.Contains(err.Error(), "không trống") {
		t.Fatalf("restore into a non-empty database: %v", err)
	}
	// a corrupted dump is refused before anything is written
	dump := strings.TrimSuffix(manifest, ".json") + ".dump"
	b, _ := os.ReadFile(dump)
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(dump, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Restore(ctx, pgtest.EmptyURL(t), manifest, bin); err == nil || !strings.Contains(err.Error(), "bị hỏng") {
		t.Fatalf("a corrupted dump: %v", err)
	}
}

func TestPrune(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"20260101-000000", "20260102-000000", "20260103-000000"} {
		for _, ext := range []string{".json", ".dump"} {
			if err := os.WriteFile(dir+"/ketnap-"+n+ext, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n, err := backup.Prune(dir, 2); err != nil || n != 1 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	if _, err := os.Stat(dir + "/ketnap-20260101-000000.dump"); !os.IsNotExist(err) {
		t.Fatal("the oldest backup was kept")
	}
	if _, err := os.Stat(dir + "/ketnap-20260103-000000.json"); err != nil {
		t.Fatal("the newest backup was removed")
	}
}
