package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
	"ketnap/internal/devdb"
	"ketnap/internal/postgres"
	assets "ketnap/web"
)

// With a streaming replica, the lists and reports read from it while the
// writes land on the primary and a file's own page reads the primary: with
// the replica's replay paused, a new candidate shows on their page at once
// but not yet on the list, and a newly admitted member not yet in the
// report; once the replica catches up, both show.
func TestReportsAndListsReadFromTheReplica(t *testing.T) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "ketnap-replica-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	_ = os.Chmod(dir, 0o755)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	primary, err := devdb.New(devdb.Options{Dir: dir + "/primary", Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if err := primary.SetFastUnsafe(); err != nil {
		t.Fatal(err)
	}
	if err := primary.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = primary.Stop() })
	pdb, err := postgres.Open(ctx, primary.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pdb.Close)
	m, err := pdb.NewMigrator(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Up(ctx); err != nil {
		t.Fatal(err)
	}
	svc := &admission.Service{DB: pdb, Now: func() time.Time { return today }}
	if _, err := demo.Load(ctx, pdb, svc, today, nil); err != nil {
		t.Fatal(err)
	}
	replica, err := primary.Replica(ctx, dir+"/replica")
	if err != nil {
		t.Fatal(err)
	}
	if err := replica.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = replica.Stop() })
	rdb, err := postgres.Open(ctx, replica.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rdb.Close)
	var inRecovery bool
	if err := rdb.Pool.QueryRow(ctx, `SELECT pg_is_in_recovery()`).Scan(&inRecovery); err != nil || !inRecovery {
		t.Fatalf("the replica is not a standby: %v %v", inRecovery, err)
	}
	as, _ := assets.Load()
	e := newEnvWith(t, pdb, svc, as)
	e.srv.Replica = rdb
	staff := e.signedIn("vp-ban-sao", admission.RoleStaff, demo.RootCode)
	caughtUp := func() {
		t.Helper()
		for i := 0; i < 200; i++ {
			var lag bool
			if err := rdb.Pool.QueryRow(ctx, `SELECT pg_last_wal_replay_lsn() < $1::pg_lsn`, currentLSN(t, pdb)).Scan(&lag); err == nil && !lag {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatal("the replica did not catch up")
	}
	caughtUp()
	total := func() string {
		_, d := staff.get("/bao-cao?ky=2026")
		return strings.TrimSpace(d.Find("[data-testid=report-row] td").First().Text())
	}
	before := total()
	if _, err := rdb.Pool.Exec(ctx, `SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	root, _ := pdb.OrganizationByCodeOrID(ctx, demo.RootCode)
	a := demo.Actor(root.Path)
	c, err := svc.AddCandidate(ctx, a, admission.CandidateInput{OrganizationID: e.orgID("binh-ngoc-khu-3"), FullName: "Tô Thị Bản Sao", Gender: admission.Female,
		BirthDate: admission.Day(1990, 3, 3), Ethnicity: "Kinh", EducationGeneral: admission.EduUpperSecondary})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddMember(ctx, a, admission.MemberForm{OrganizationID: e.orgID("binh-ngoc-khu-3"), FullName: "Mai Văn Mới Vào", Gender: admission.Male,
		BirthDate: admission.Day(1985, 5, 5), AdmittedOn: admission.Day(2026, 3, 2), CeremonyOn: admission.Day(2026, 3, 10), ConfirmDistinct: true,
		Composition: admission.Composition{Ethnicity: "Kinh", Religion: admission.ReligionNone, EducationGeneral: admission.EduUpperSecondary}}); err != nil {
		t.Fatal(err)
	}
	if rec, d := staff.get("/quan-chung/" + itoa(c.ID)); rec.Code != http.StatusOK || !strings.Contains(d.Find("h1").Text(), "Tô Thị Bản Sao") {
		t.Fatalf("the new file's own page (primary): %d", rec.Code)
	}
	_, d := staff.get("/quan-chung?giai-doan=&q=ban+sao")
	if d.Find("[data-testid=candidate-row]").Length() != 0 {
		t.Fatal("the list did not read the paused replica")
	}
	if got := total(); got != before {
		t.Fatalf("the report did not read the paused replica: %s → %s", before, got)
	}
	if _, err := rdb.Pool.Exec(ctx, `SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	caughtUp()
	_, d = staff.get("/quan-chung?giai-doan=&q=ban+sao")
	if d.Find("[data-testid=candidate-row]").Length() != 1 {
		t.Fatal("the list does not show the new candidate once the replica caught up")
	}
	if got := total(); got == before {
		t.Fatalf("the report does not count the new member once the replica caught up: %s", got)
	}
}

func currentLSN(t *testing.T, db *postgres.DB) string {
	t.Helper()
	var lsn string
	if err := db.Pool.QueryRow(context.Background(), `SELECT pg_current_wal_lsn()::text`).Scan(&lsn); err != nil {
		t.Fatal(err)
	}
	return lsn
}
