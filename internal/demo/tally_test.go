package demo_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
	"ketnap/internal/pgtest"
	"ketnap/internal/postgres"
)

// The tallies the writes keep (migration 00018) equal a count of the files
// themselves: after the demo ward recorded through the services, after a
// generated province, after concurrent writers changing stages, cells,
// deadlines and members, and after compaction. Progress read from them
// gives what a count of the files gives, cell by cell and rolled up.
func TestTalliesFollowTheFiles(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	today := admission.Day(2026, 11, 28)
	svc := &admission.Service{DB: db, Now: func() time.Time { return today }}
	if err := svc.EnsureHolidays(ctx, 2016, 2028); err != nil {
		t.Fatal(err)
	}
	holds := func(when string) {
		t.Helper()
		rows, err := db.Pool.Query(ctx, `SELECT organization_id, item, kept, counted FROM tallies_recount() LIMIT 5`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var org, kept, counted int64
			var item string
			if err := rows.Scan(&org, &item, &kept, &counted); err != nil {
				t.Fatal(err)
			}
			t.Errorf("%s: organization %d %s kept %d, counted %d", when, org, item, kept, counted)
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	if _, err := demo.Load(ctx, db, svc, today, nil); err != nil {
		t.Fatal(err)
	}
	holds("the demo ward")
	sc := demo.Scale{Name: "test", Wards: 3, CellsPerWard: 4, Members: 400, Candidates: 600}
	if _, err := demo.Generate(ctx, db, sc, today, nil); err != nil {
		t.Fatal(err)
	}
	holds("a generated province")
	var province string
	if err := db.Pool.QueryRow(ctx, `SELECT path FROM organizations WHERE code = $1`, demo.ScaleCode).Scan(&province); err != nil {
		t.Fatal(err)
	}
	same := func(when string) {
		t.Helper()
		for _, basis := range []string{admission.AdmittedByDecision, admission.AdmittedByCeremony} {
			cells, err := db.Progress(ctx, province, today.Year(), today, today.AddDate(0, 0, 30), basis)
			if err != nil {
				t.Fatal(err)
			}
			want := countedProgress(t, db, province, today.Year(), today, today.AddDate(0, 0, 30), basis)
			if len(cells) != len(want) {
				t.Fatalf("%s: %d cells, counted %d", when, len(cells), len(want))
			}
			for i, c := range cells {
				if got, w := fmt.Sprint(c), fmt.Sprint(want[i]); got != w {
					t.Fatalf("%s (%s): cell %d\n kept    %s\n counted %s", when, basis, c.OrgID, got, w)
				}
			}
			units, rolled, err := db.UnitProgress(ctx, province, today.Year(), today, today.AddDate(0, 0, 30), basis)
			if err != nil {
				t.Fatal(err)
			}
			sums := map[int64]string{}
			for _, u := range admission.RollUp(want, province, nil) {
				u.Name, u.Path = "", ""
				sums[u.OrgID] = fmt.Sprint(u)
			}
			if !rolled || len(units) != len(sums) {
				t.Fatalf("%s: %d units, rolled %v", when, len(units), rolled)
			}
			for _, u := range units {
				u.Name, u.Path = "", ""
				if fmt.Sprint(u) != sums[u.OrgID] {
					t.Fatalf("%s (%s): ward %d\n kept   %v\n summed %s", when, basis, u.OrgID, u, sums[u.OrgID])
				}
			}
		}
	}
	same("generated")

	// concurrent writers, each its own transactions of several statements
	stages := []string{"source", "dossier", "awaiting_decision", "awaiting_ceremony", "probationary", "official", "withdrawn"}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				tx, err := db.Pool.Begin(ctx)
				if err != nil {
					errs <- err
					return
				}
				_, err = tx.Exec(ctx, `UPDATE candidates SET stage = $1, forecast_mark = candidate_forecast_mark(id, $1), next_due = CASE WHEN id % 3 = 0 THEN NULL ELSE DATE '2026-11-01' + (id % 90)::int END
					WHERE id % 40 = $2`, stages[(w+i)%len(stages)], (w*25+i)%40)
				if err == nil {
					_, err = tx.Exec(ctx, `UPDATE candidates SET organization_id = (SELECT id FROM organizations WHERE kind = 'cell' AND code LIKE $1 || '-%' ORDER BY id OFFSET $2 LIMIT 1)
						WHERE id % 97 = $3 AND organization_id IN (SELECT id FROM organizations WHERE code LIKE $1 || '-%')`, demo.ScaleCode, (w+i)%12, i%97)
				}
				if err == nil {
					_, err = tx.Exec(ctx, `UPDATE members SET admitted_on = admitted_on - 200, ceremony_on = ceremony_on - 200 WHERE id % 50 = $1 AND admitted_on IS NOT NULL`, (w*25+i)%50)
				}
				if err == nil && i%5 == 0 {
					_, err = tx.Exec(ctx, `UPDATE members SET organization_id = (SELECT id FROM organizations WHERE kind = 'cell' AND code LIKE $1 || '-%' ORDER BY id DESC OFFSET $2 LIMIT 1)
						WHERE id % 211 = $3 AND organization_id IN (SELECT id FROM organizations WHERE code LIKE $1 || '-%')`, demo.ScaleCode, (w+i)%12, w*5+i)
				}
				if err == nil && i%2 == 1 { // half of them change their mind
					err = tx.Rollback(ctx)
					continue
				}
				if err == nil {
					err = tx.Commit(ctx)
				} else {
					tx.Rollback(ctx)
				}
				var pe *pgconn.PgError
				if err != nil && !(errors.As(err, &pe) && pe.Code == "40P01") { // a deadlock between writers is theirs to retry
					errs <- fmt.Errorf("writer %d, round %d: %w", w, i, err)
					return
				}
			}
		}(w)
		wg.Add(1)
		go func() { // and compactions among them
			defer wg.Done()
			for i := 0; i < 10; i++ {
				if _, err := db.Pool.Exec(ctx, `SELECT tallies_compact()`); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	holds("after the writers")
	same("after the writers")
	// a cell moves to another ward, then a ward under another ward
	for _, move := range []string{
		`UPDATE organizations SET name = name || ' (chuyển)', parent_id = (SELECT id FROM organizations WHERE code = $1 || '-p2') WHERE code = $1 || '-p1-1'`,
		`UPDATE organizations SET parent_id = (SELECT id FROM organizations WHERE code = $1 || '-p3') WHERE code = $1 || '-p1'`,
	} {
		if tag, err := db.Pool.Exec(ctx, move, demo.ScaleCode); err != nil || tag.RowsAffected() != 1 {
			t.Fatalf("%s: %v %v", move, tag, err)
		}
		holds("after a move")
		same("after a move")
	}
	var left int
	if _, err := db.Pool.Exec(ctx, `SELECT tallies_compact()`); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM tallies GROUP BY organization_id, item HAVING count(*) > 1) x`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("after compaction %d items still have several rows (%v)", left, err)
	}
	holds("after compaction")
	same("after compaction")
	// the deadlines long past folded into one item, then moved on from
	fold := today.AddDate(0, 0, -3)
	if _, err := db.CompactTallies(ctx, fold); err != nil {
		t.Fatal(err)
	}
	var past, folded int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE item > 'due/0001-01-01' AND item < 'due/' || $1), count(*) FILTER (WHERE item = 'due/0001-01-01')
		FROM tallies`, fold.Format(time.DateOnly)).Scan(&past, &folded); err != nil || past != 0 || folded == 0 {
		t.Fatalf("after folding: %d items of days before %s, %d folded (%v)", past, fold.Format(time.DateOnly), folded, err)
	}
	holds("after folding")
	same("after folding")
	if tag, err := db.Pool.Exec(ctx, `UPDATE candidates SET next_due = next_due + 60 WHERE next_due < $1 AND id % 2 = 0`, fold); err != nil || tag.RowsAffected() == 0 {
		t.Fatalf("moving folded deadlines: %v %v", tag, err)
	}
	holds("after folded deadlines moved")
	same("after folded deadlines moved")
	if _, err := db.CompactTallies(ctx, fold.AddDate(0, 0, -1)); err != nil { // an earlier day folds nothing back
		t.Fatal(err)
	}
	holds("after compacting again")
	same("after compacting again")
	// the cut moves on a day: the days it passes fold, and two compactions
	// leave one row per item, none waiting
	later := fold.AddDate(0, 0, 2)
	for i := 0; i < 2; i++ {
		if _, err := db.CompactTallies(ctx, later); err != nil {
			t.Fatal(err)
		}
	}
	var several, fresh int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE item > 'due/0001-01-01' AND item < 'due/' || $1),
		(SELECT count(*) FROM (SELECT 1 FROM tallies GROUP BY organization_id, item HAVING count(*) > 1) x), count(*) FILTER (WHERE NOT compacted)
		FROM tallies`, later.Format(time.DateOnly)).Scan(&past, &several, &fresh); err != nil || past != 0 || several != 0 || fresh != 0 {
		t.Fatalf("after the cut moved: %d items of days before %s, %d items with several rows, %d rows waiting (%v)", past, later.Format(time.DateOnly), several, fresh, err)
	}
	holds("after the cut moved")
	same("after the cut moved")
}

// countedProgress is Progress counted from the files themselves, cell by
// cell: the definition the tallies are held to.
func countedProgress(t *testing.T, db *postgres.DB, scope string, year int, today, soonBy time.Time, basis string) []admission.CellProgress {
	t.Helper()
	ctx := context.Background()
	rows, err := db.Pool.Query(ctx, `
		SELECT o.id, o.name, o.path, t.admissions,
			(SELECT count(*) FROM members m WHERE m.organization_id = o.id
			   AND CASE WHEN $5 = 'ceremony' THEN m.ceremony_on ELSE m.admitted_on END BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)),
			(SELECT count(*) FROM candidates c WHERE c.organization_id = o.id AND c.next_due < $3
			   AND c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred')),
			(SELECT count(*) FROM candidates c WHERE c.organization_id = o.id AND c.next_due BETWEEN $3 AND $4
			   AND c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred')),
			(SELECT jsonb_object_agg(stage, n) FROM (SELECT c.stage, count(*) AS n FROM candidates c WHERE c.organization_id = o.id GROUP BY 1) s),
			(SELECT count(*) FROM candidates c WHERE c.organization_id = o.id AND c.stage = 'awaiting_ceremony' AND EXISTS (SELECT 1 FROM steps s
				WHERE s.candidate_id = c.id AND s.kind = 'decision' AND s.outcome = 'done' AND s.occurred_on BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)
				AND NOT EXISTS (SELECT 1 FROM steps x WHERE x.supersedes_id = s.id))),
			(SELECT count(*) FROM candidates c WHERE c.organization_id = o.id AND c.stage = 'awaiting_decision' AND c.next_due <= make_date($2, 12, 31)),
			(SELECT count(*) FROM candidates c WHERE c.organization_id = o.id AND c.stage = 'awaiting_decision' AND (c.next_due IS NULL OR c.next_due > make_date($2, 12, 31))),
			(SELECT count(*) FROM candidates c WHERE c.organization_id = o.id AND c.stage = 'dossier' AND EXISTS (SELECT 1 FROM steps s WHERE s.candidate_id = c.id
				AND s.kind = 'verification' AND s.outcome = 'passed' AND NOT EXISTS (SELECT 1 FROM steps x WHERE x.supersedes_id = s.id)))
		FROM organizations o LEFT JOIN targets t ON t.organization_id = o.id AND t.year = $2
		WHERE o.path LIKE $1 || '%' AND o.kind = 'cell' AND o.active
		ORDER BY o.name COLLATE vi, o.id`, scope, year, today, soonBy, basis)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []admission.CellProgress
	for rows.Next() {
		p := admission.CellProgress{ByStage: map[admission.Stage]int{}}
		var target *int
		var stages map[string]int
		f := &p.Pipeline
		if err := rows.Scan(&p.OrgID, &p.Name, &p.Path, &target, &p.Admitted, &p.Overdue, &p.DueSoon, &stages,
			&f.AwaitingCeremony, &f.DecisionInYear, &f.DecisionLater, &f.DossierVerified); err != nil {
			t.Fatal(err)
		}
		if target != nil {
			p.Target, p.HasTarget = *target, true
		}
		for st, n := range stages {
			p.ByStage[admission.Stage(st)] = n
		}
		f.DossierUnverified = p.ByStage[admission.StageDossier] - f.DossierVerified
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
