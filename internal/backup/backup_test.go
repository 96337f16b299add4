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

// A backup taken while 20 writers record steps restores to a consistent
// state: every candidate's stage is the one its restored steps give.
func TestBackupDuringWrites(t *testing.T) {
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
	svc := &admission.Service{DB: db, Now: func() time.Time { return today }}
	if _, err := demo.Load(ctx, db, svc, today, nil); err != nil {
		t.Fatal(err)
	}
	rows, _ := db.Pool.Query(ctx, `SELECT c.id, r.path FROM candidates c JOIN organizations o ON o.id = c.organization_id
		JOIN organizations r ON r.parent_id IS NULL AND o.path LIKE r.path || '%' WHERE c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred')`)
	type file struct {
		id   int64
		path string
	}
	var files []file
	for rows.Next() {
		var f file
		_ = rows.Scan(&f.id, &f.path)
		files = append(files, f)
	}
	rows.Close()
	stop := make(chan struct{})
	done := make(chan int)
	for w := 0; w < 20; w++ {
		go func(w int) {
			n := 0
			for i := w; ; i++ {
				select {
				case <-stop:
					done <- n
					return
				default:
				}
				f := files[i%len(files)]
				a := admission.Actor{Role: admission.RoleAdmin, ScopePath: f.path}
				offers, err := svc.Offers(ctx, a, f.id)
				if err != nil {
					continue
				}
				for _, o := range offers {
					if o.Open && o.Def.Kind != admission.Withdrawn && o.Def.Kind != admission.Transferred && o.Def.Kind != admission.Removed {
						if in, err := svc.SampleInput(ctx, a, f.id, o.Def.Kind); err == nil {
							if _, err := svc.RecordStep(ctx, a, f.id, in); err == nil {
								n++
							}
						}
						break
					}
				}
			}
		}(w)
	}
	time.Sleep(300 * time.Millisecond)
	manifest, _, err := backup.Backup(ctx, src, t.TempDir(), bin, time.Now())
	close(stop)
	written := 0
	for w := 0; w < 20; w++ {
		written += <-done
	}
	if err != nil {
		t.Fatal(err)
	}
	if written == 0 {
		t.Fatal("the writers wrote nothing")
	}
	dst := pgtest.EmptyURL(t)
	if _, err := backup.Restore(ctx, dst, manifest, bin); err != nil {
		t.Fatal(err)
	}
	restored, err := postgres.Open(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	stages, err := restored.StagesOn(ctx, "/", today)
	if err != nil {
		t.Fatal(err)
	}
	var mismatch int
	rows, _ = restored.Pool.Query(ctx, `SELECT id, stage FROM candidates`)
	for rows.Next() {
		var id int64
		var st admission.Stage
		_ = rows.Scan(&id, &st)
		if s, ok := stages[id]; ok && s != st {
			mismatch++
		}
	}
	rows.Close()
	t.Logf("%d steps written by 20 writers around the backup", written)
	if mismatch > 0 {
		t.Fatalf("%d restored candidates' stages disagree with their steps", mismatch)
	}
}
