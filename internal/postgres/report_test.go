package postgres_test

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
	"ketnap/internal/pgtest"
)

// The report's SQL counts exactly what admission.RowMatches defines, over
// members drawn to fall on both sides of every condition.
func TestReportSQLFollowsTheDefinition(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	root, cell, other := ward(t, db)
	vocab, err := db.Vocabularies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pick := func(r *rand.Rand, kind string) string {
		if r.IntN(6) == 0 {
			return ""
		}
		es := vocab[kind]
		return es[r.IntN(min(len(es), 4))].Label
	}
	r := rand.New(rand.NewPCG(7, 9))
	var all []admission.Member
	err = db.InTx(ctx, func(st admission.Store) error {
		for i := 0; i < 300; i++ {
			admitted := admission.Day(2024, 1, 1).AddDate(0, 0, r.IntN(3*365))
			m := admission.Member{OrganizationID: []int64{cell.ID, other.ID}[r.IntN(2)], FullName: "Người Thứ " + strconv.Itoa(i),
				Gender: []string{admission.Male, admission.Female}[r.IntN(2)], BirthDate: admitted.AddDate(-18-r.IntN(50), -r.IntN(12), -r.IntN(28)),
				Status: admission.MemberProbationary, AdmittedOn: admitted, CeremonyOn: admitted.AddDate(0, 0, r.IntN(40)),
				Composition: admission.Composition{Ethnicity: pick(r, admission.VocabEthnicity), Religion: pick(r, admission.VocabReligion),
					EducationGeneral:      []string{"", admission.EduPrimary, admission.EduLowerSecondary, admission.EduUpperSecondary}[r.IntN(4)],
					EducationProfessional: pick(r, admission.VocabProfessional), PoliticalTheory: pick(r, admission.VocabTheory),
					Occupation: pick(r, admission.VocabOccupation), YouthUnion: r.IntN(2) == 0, Readmission: r.IntN(9) == 0}}
			if i%50 == 0 { // the band edges: exactly 30 and 31, 60 and 61 on the day
				m.BirthDate = m.AdmittedOn.AddDate(-30-i%2, 0, 0)
			}
			if r.IntN(10) == 0 {
				m.Composition.Occupation = admission.OccupationOwner
			}
			if err := st.InsertMember(ctx, &m); err != nil {
				return err
			}
			all = append(all, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	eth, rel := admission.CompositionRows(vocab)
	rows := append(append(admission.ReportRows(vocab), eth...), rel...)
	for _, key := range []string{"2025", "2025-h1", "2025-h2", "2026-9t", "tu-15-03-2024-den-14-03-2025"} {
		p, ok := admission.PeriodOf(key)
		if !ok {
			t.Fatalf("period %s", key)
		}
		for _, basis := range []string{admission.AdmittedByDecision, admission.AdmittedByCeremony} {
			got, err := db.AdmissionReport(ctx, root.Path, p.From, p.To, basis)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]admission.Count{}
			ages, n := 0, 0
			for _, m := range all {
				if !admission.AdmittedIn(m, p.From, p.To, basis) {
					continue
				}
				d := m.AdmittedOn
				if basis == admission.AdmittedByCeremony {
					d = m.CeremonyOn
				}
				ages += admission.AgeAt(m.BirthDate, d)
				n++
				for _, row := range rows {
					if !row.Heading && admission.RowMatches(row.Key, m, d) {
						c := want[row.Key]
						c.N++
						if m.Gender == admission.Female {
							c.Women++
						}
						want[row.Key] = c
					}
				}
			}
			if want[admission.RowTotal].N == 0 {
				t.Fatalf("%s: the fixture admits nobody", key)
			}
			for _, row := range rows {
				if row.Heading || row.Key == admission.RowAvgAge {
					continue
				}
				if got.Rows[row.Key] != want[row.Key] {
					t.Errorf("%s %s %s: SQL %+v, definition %+v", key, basis, row.Key, got.Rows[row.Key], want[row.Key])
				}
			}
			if wantAge := (ages*20 + n) / (2 * n); got.AgeTenths != wantAge {
				t.Errorf("%s %s: average age ×10 %d, want %d", key, basis, got.AgeTenths, wantAge)
			}
			// each number's list holds exactly the people it counts
			for _, k := range []string{admission.RowWomen, "age:31-35", admission.RowOwner, "occupation:"} {
				people, err := db.AdmittedMembers(ctx, root.Path, p.From, p.To, basis, k)
				if err != nil || len(people) != want[k].N {
					t.Errorf("%s %s list: %d people, want %d (%v)", key, k, len(people), want[k].N, err)
				}
			}
		}
	}
	if _, err := db.AdmittedMembers(ctx, root.Path, time.Time{}, time.Time{}, "", "no-such-row"); admission.ErrorCode(err) != admission.NotFound {
		t.Fatalf("unknown row: %v", err)
	}
}

// The pipeline's stages, reconstructed in SQL on a day, are the engine's
// own stage on that day (admission.StageOn) for every candidate of the demo.
func TestStagesOnFollowTheEngine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, today := demoDB(t)
	var ids []int64
	rows, err := db.Pool.Query(ctx, `SELECT id FROM candidates ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		_ = rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	checked := map[admission.Stage]bool{}
	for _, d := range []time.Time{today, today.AddDate(0, -3, 0), today.AddDate(0, -8, 0), today.AddDate(-1, 0, 0)} {
		got, err := db.StagesOn(ctx, "/", d)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			var steps []admission.Step
			if err := db.InTx(ctx, func(st admission.Store) (err error) { steps, err = st.Steps(ctx, id); return err }); err != nil {
				t.Fatal(err)
			}
			existed := false
			for _, s := range steps {
				existed = existed || !s.OccurredOn.After(d)
			}
			want, ok := admission.StageOn(steps, d), existed
			if g, has := got[id]; has != ok || (ok && g != want) {
				t.Errorf("candidate %d on %s: SQL %q (%v), engine %q (%v)", id, admission.FormatDate(d), g, has, want, ok)
			}
			if ok {
				checked[want] = true
			}
		}
	}
	if len(checked) < 5 {
		t.Fatalf("the demo covers only stages %v", checked)
	}
}

// The pipeline's stages and its cells with no one left open are the
// reconstruction from the steps (StagesOn), whether they come from the
// steps (a day with steps after it) or from the tallies (a day no step
// comes after), in a ward and in one of its cells, with a candidate who
// has no step yet.
func TestPipelineFollowsTheSteps(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, today := demoDB(t)
	svc := &admission.Service{DB: db, Now: func() time.Time { return today }}
	root, err := db.OrganizationByCodeOrID(ctx, demo.RootCode)
	if err != nil {
		t.Fatal(err)
	}
	cell, err := db.OrganizationByCodeOrID(ctx, "binh-ngoc-khu-3")
	if err != nil {
		t.Fatal(err)
	}
	// created, not yet nominated: on no day's pipeline
	if _, err := svc.AddCandidate(ctx, demo.Actor(root.Path), admission.CandidateInput{OrganizationID: cell.ID, FullName: "Lò Văn Chưa Có Bước",
		Gender: admission.Male, BirthDate: admission.Day(2001, 4, 4), Ethnicity: "Thái", EducationGeneral: admission.EduUpperSecondary}); err != nil {
		t.Fatal(err)
	}
	var last time.Time
	if err := db.Pool.QueryRow(ctx, `SELECT max(occurred_on) FROM steps`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	yearEnd := admission.Day(2026, 12, 31)
	for _, d := range []time.Time{today.AddDate(-1, 0, 0), today.AddDate(0, -3, 0), last.AddDate(0, 0, -1), last, today, yearEnd} {
		for _, scope := range []string{root.Path, cell.Path} {
			stages, err := db.StagesOn(ctx, scope, d)
			if err != nil {
				t.Fatal(err)
			}
			want := map[admission.Stage]int{}
			open := map[int64]bool{}
			for id, st := range stages {
				want[st]++
				var org int64
				if err := db.Pool.QueryRow(ctx, `SELECT organization_id FROM candidates WHERE id = $1`, id).Scan(&org); err != nil {
					t.Fatal(err)
				}
				switch st {
				case admission.StageSource, admission.StageDossier, admission.StageAwaitingDecision, admission.StageAwaitingCeremony:
					open[org] = true
				}
			}
			var cells, cellsOpen int
			rows, err := db.Pool.Query(ctx, `SELECT id FROM organizations WHERE path LIKE $1 || '%' AND kind = 'cell' AND active`, scope)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id int64
				_ = rows.Scan(&id)
				cells++
				if open[id] {
					cellsOpen++
				}
			}
			rows.Close()
			var counts admission.ReportCounts
			p, err := db.Pipeline(ctx, scope, d.AddDate(-1, 0, 1), d, &counts)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range admission.Stages {
				if p.ByStage[st] != want[st] {
					t.Errorf("%s on %s: %s %d, the steps say %d", scope, admission.FormatDate(d), st, p.ByStage[st], want[st])
				}
			}
			if counts.CellsNoneOpen != cells-cellsOpen {
				t.Errorf("%s on %s: %d cells with no one open, the steps say %d of %d", scope, admission.FormatDate(d), counts.CellsNoneOpen, cells-cellsOpen, cells)
			}
			if len(stages) == 0 && d.After(today.AddDate(0, -3, 0)) {
				t.Errorf("%s on %s: no candidate to compare", scope, admission.FormatDate(d))
			}
		}
	}
}
