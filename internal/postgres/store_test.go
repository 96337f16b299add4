package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/pgtest"
	"ketnap/internal/postgres"
)

// Store tests: each owns its database, so they run in parallel.

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// ward writes a committee with two cells and returns them.
func ward(t *testing.T, db *postgres.DB) (root, cell, other admission.Organization) {
	t.Helper()
	err := db.InTx(context.Background(), func(st admission.Store) error {
		root = admission.Organization{Kind: admission.KindCommittee, Name: "Đảng bộ phường Thử", Code: "thu"}
		if err := st.InsertOrganization(context.Background(), &root); err != nil {
			return err
		}
		cell = admission.Organization{ParentID: root.ID, Kind: admission.KindCell, Name: "Chi bộ khu phố 1", Code: "thu-1"}
		if err := st.InsertOrganization(context.Background(), &cell); err != nil {
			return err
		}
		other = admission.Organization{ParentID: root.ID, Kind: admission.KindCell, Name: "Chi bộ khu phố 2", Code: "thu-2"}
		return st.InsertOrganization(context.Background(), &other)
	})
	if err != nil {
		t.Fatal(err)
	}
	return root, cell, other
}

func candidate(t *testing.T, db *postgres.DB, org int64) admission.Candidate {
	t.Helper()
	c := admission.Candidate{OrganizationID: org, FullName: "Nguyễn Thị Lan", SearchKey: admission.SearchKey("Nguyễn Thị Lan"), Gender: admission.Female,
		BirthDate: day(1998, 3, 4), Ethnicity: "Kinh", EducationGeneral: admission.EduUpperSecondary, Stage: admission.StageSource}
	if err := db.InTx(context.Background(), func(st admission.Store) error { return st.InsertCandidate(context.Background(), &c, "", 0) }); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStoreOrganizationsScoped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	root, cell, other := ward(t, db)
	if cell.Path != root.Path+itoa(cell.ID)+"/" {
		t.Fatalf("cell path %q under %q", cell.Path, root.Path)
	}
	_ = db.InTx(ctx, func(st admission.Store) error {
		if o, err := st.Organization(ctx, cell.ID, root.Path); err != nil || o.Name != cell.Name {
			t.Errorf("in scope: %+v %v", o, err)
		}
		for _, read := range []func() error{
			func() error { _, err := st.Organization(ctx, other.ID, cell.Path); return err },
			func() error { _, err := st.LockOrganization(ctx, root.ID, cell.Path); return err },
		} {
			if err := read(); admission.ErrorCode(err) != admission.NotFound {
				t.Errorf("out of scope read: %v, want not found", err)
			}
		}
		return nil
	})
	c := candidate(t, db, cell.ID)
	_ = db.InTx(ctx, func(st admission.Store) error {
		if _, err := db.Candidate(ctx, c.ID, other.Path); admission.ErrorCode(err) != admission.NotFound {
			t.Errorf("a candidate read from another cell: %v", err)
		}
		if _, _, err := st.LockCandidate(ctx, c.ID, other.Path); admission.ErrorCode(err) != admission.NotFound {
			t.Errorf("a candidate locked from another cell: %v", err)
		}
		if got, err := db.Candidate(ctx, c.ID, root.Path); err != nil || got.PersonID == 0 || got.FullName != c.FullName {
			t.Errorf("candidate from the committee: %+v %v", got, err)
		}
		return nil
	})
	// a moved cell carries its subtree's paths
	err := db.InTx(ctx, func(st admission.Store) error {
		other.ParentID = cell.ID // not a rule the store judges: the domain refuses a cell under a cell
		return st.UpdateOrganization(ctx, &other)
	})
	if err != nil || other.Path != cell.Path+itoa(other.ID)+"/" {
		t.Fatalf("moved path %q, %v", other.Path, err)
	}
}

func TestStoreEveryStepKind(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	_, cell, _ := ward(t, db)
	c := candidate(t, db, cell.ID)
	rules, err := db.RuleSets(ctx)
	if err != nil || len(rules) == 0 {
		t.Fatalf("rule sets: %v", err)
	}
	sponsor := admission.Member{OrganizationID: cell.ID, FullName: "Lê Văn Giới", Gender: admission.Male, BirthDate: day(1960, 1, 1),
		Status: admission.MemberOfficial, AdmittedOn: day(1990, 1, 1), CeremonyOn: day(1990, 1, 15), OfficialOn: day(1991, 1, 15)}
	if err := db.InTx(ctx, func(st admission.Store) error { return st.InsertMember(ctx, &sponsor) }); err != nil {
		t.Fatal(err)
	}
	var want []admission.Step
	d := day(2025, 1, 6)
	for i, def := range admission.Steps {
		x := admission.Step{CandidateID: c.ID, Seq: i + 1, Kind: def.Kind, OccurredOn: d.AddDate(0, 0, i), Outcome: admission.OutcomeDone,
			RuleSetID: rules[0].ID, DocumentNo: "Số " + itoa(int64(i)), IssuedBy: "Đảng ủy", Note: "ghi chú " + string(def.Kind)}
		if def.Vote {
			x.VotesEligible, x.VotesYes, x.Outcome = 9, 7, admission.OutcomePassed
			if def.Level != admission.LevelCommittee {
				x.FromRoll, x.VotesOnRoll, x.VotesAway, x.VotesExemptAbsent, x.VotesPresent = true, 12, 1, 2, 8
			}
			if def.Kind == admission.RecognitionResolution {
				x.VotesAgainst = 1
			}
		}
		switch def.Kind {
		case admission.Verification:
			x.Outcome = admission.OutcomePassed
		case admission.Decision:
			x.ReceivedOn = x.OccurredOn.AddDate(0, 0, 2)
		case admission.Introduction:
			x.Route = admission.RouteTwoSponsors
			x.Sponsors = []admission.Sponsor{{MemberID: sponsor.ID, KnownSince: day(2015, 1, 1), Relation: admission.RelationLived}}
		case admission.Nominated, admission.Ceremony:
			x.HelperMemberID = sponsor.ID
		}
		want = append(want, x)
	}
	err = db.InTx(ctx, func(st admission.Store) error {
		for i := range want {
			if err := st.InsertStep(ctx, &want[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []admission.Step
	err = db.InTx(ctx, func(st admission.Store) (err error) { got, err = st.Steps(ctx, c.ID); return err })
	if err != nil || len(got) != len(want) {
		t.Fatalf("%d steps read back of %d, %v", len(got), len(want), err)
	}
	for i := range want {
		w, g := want[i], got[i]
		if g.HelperMemberID != 0 {
			w.HelperName = sponsor.FullName
		}
		for j := range w.Sponsors {
			w.Sponsors[j].MemberName = sponsor.FullName
		}
		g.RecordedAt, w.RecordedAt = time.Time{}, time.Time{}
		if !reflect.DeepEqual(w, g) {
			t.Errorf("%s:\nwrote %+v\nread  %+v", w.Kind, w, g)
		}
	}
	// the roll's arithmetic is the database's too
	bad := admission.Step{CandidateID: c.ID, Seq: len(want) + 1, Kind: admission.CellResolution, OccurredOn: d, Outcome: admission.OutcomePassed,
		RuleSetID: rules[0].ID, VotesEligible: 11, VotesYes: 8, FromRoll: true, VotesOnRoll: 12, VotesAway: 2}
	err = db.InTx(ctx, func(st admission.Store) error { return st.InsertStep(ctx, &bad) })
	if admission.ErrorCode(err) != admission.Invalid {
		t.Fatalf("eligible other than roll − away − exempt absent: %v", err)
	}
}

func TestStoreEveryMemberStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	root, cell, other := ward(t, db)
	base := admission.Member{OrganizationID: cell.ID, Gender: admission.Female, BirthDate: day(1970, 5, 6),
		AdmittedOn: day(2000, 2, 1), CeremonyOn: day(2000, 3, 1)}
	members := map[string]*admission.Member{}
	for _, tc := range []struct {
		name     string
		status   string
		official time.Time
		left     time.Time
		activity string
		since    time.Time
	}{
		{"Dự Bị", admission.MemberProbationary, time.Time{}, time.Time{}, admission.ActivityNormal, time.Time{}},
		{"Chính Thức", admission.MemberOfficial, day(2001, 3, 1), time.Time{}, admission.ActivityNormal, time.Time{}},
		{"Nơi Khác", admission.MemberOfficial, day(2001, 3, 1), time.Time{}, admission.ActivityWorkingElsewhere, day(2024, 1, 1)},
		{"Miễn", admission.MemberOfficial, day(2001, 3, 1), time.Time{}, admission.ActivityExempted, day(2023, 1, 1)},
		{"Xóa Tên", admission.MemberRemoved, day(2001, 3, 1), day(2020, 1, 1), admission.ActivityNormal, time.Time{}},
		{"Chuyển Đi", admission.MemberTransferred, day(2001, 3, 1), day(2022, 6, 1), admission.ActivityNormal, time.Time{}},
	} {
		m := base
		m.FullName, m.Status, m.OfficialOn, m.LeftOn, m.Activity, m.ActivitySince = "Trần Thị "+tc.name, tc.status, tc.official, tc.left, tc.activity, tc.since
		members[tc.name] = &m
	}
	err := db.InTx(ctx, func(st admission.Store) error {
		for _, m := range members {
			if err := st.InsertMember(ctx, m); err != nil {
				return err
			}
			ev := admission.MemberEvent{MemberID: m.ID, Kind: admission.EventAdmitted, OccurredOn: m.CeremonyOn, Reason: "nhập tay"}
			if err := st.InsertMemberEvent(ctx, &ev); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.InTx(ctx, func(st admission.Store) error {
		for name, m := range members {
			got, err := st.LockMember(ctx, m.ID, root.Path)
			if err != nil {
				return err
			}
			got.OrgPath = ""
			if !reflect.DeepEqual(got, *m) {
				t.Errorf("%s:\nwrote %+v\nread  %+v", name, *m, got)
			}
			if _, err := st.LockMember(ctx, m.ID, other.Path); admission.ErrorCode(err) != admission.NotFound {
				t.Errorf("%s locked from another cell: %v", name, err)
			}
		}
		roll, err := st.RollMembers(ctx, cell.ID)
		if err != nil {
			return err
		}
		r := admission.RollOn(roll, day(2026, 6, 1))
		if r != (admission.Roll{Date: day(2026, 6, 1), Official: 3, Away: 1, Exempted: 1}) {
			t.Errorf("roll %+v", r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if evs, err := db.MemberEvents(ctx, members["Miễn"].ID); err != nil || len(evs) != 1 || evs[0].Reason != "nhập tay" {
		t.Fatalf("member events %+v %v", evs, err)
	}
	// an edit from a stale form is refused
	stale := *members["Chính Thức"]
	stale.Version--
	if err := db.InTx(ctx, func(st admission.Store) error { return st.UpdateMember(ctx, &stale) }); !errors.Is(err, admission.ErrStale) && admission.ErrorCode(err) != admission.Conflict {
		t.Fatalf("stale member update: %v", err)
	}
	// the database refuses an official member without the date
	bad := base
	bad.FullName, bad.Status = "Không Ngày", admission.MemberOfficial
	if err := db.InTx(ctx, func(st admission.Store) error { return st.InsertMember(ctx, &bad) }); admission.ErrorCode(err) != admission.Invalid {
		t.Fatalf("official without a date: %v", err)
	}
}

func TestStoreAuditInTheSameTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	root, _, _ := ward(t, db)
	count := func() (orgs, audits int) {
		if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM organizations WHERE code = 'thu-3'),
			(SELECT count(*) FROM audit_events WHERE action = 'organization.create' AND entity = 'organization')`).Scan(&orgs, &audits); err != nil {
			t.Fatal(err)
		}
		return
	}
	write := func(fail bool) error {
		return db.InTx(ctx, func(st admission.Store) error {
			o := admission.Organization{ParentID: root.ID, Kind: admission.KindCell, Name: "Chi bộ khu phố 3", Code: "thu-3"}
			if err := st.InsertOrganization(ctx, &o); err != nil {
				return err
			}
			if err := st.InsertAudit(ctx, &admission.AuditEvent{Action: "organization.create", Entity: "organization", EntityID: o.ID, After: o}); err != nil {
				return err
			}
			if fail {
				return errors.New("refused after both writes")
			}
			return nil
		})
	}
	if err := write(true); err == nil {
		t.Fatal("the failing transaction committed")
	}
	if o, a := count(); o != 0 || a != 0 {
		t.Fatalf("a failed write left %d organizations and %d audit rows", o, a)
	}
	if err := write(false); err != nil {
		t.Fatal(err)
	}
	if o, a := count(); o != 1 || a != 1 {
		t.Fatalf("a write left %d organizations and %d audit rows, want 1 and 1", o, a)
	}
	// an audit row the database refuses takes the change with it
	err := db.InTx(ctx, func(st admission.Store) error {
		o := admission.Organization{ParentID: root.ID, Kind: admission.KindCell, Name: "Chi bộ khu phố 4", Code: "thu-4"}
		if err := st.InsertOrganization(ctx, &o); err != nil {
			return err
		}
		return st.InsertAudit(ctx, &admission.AuditEvent{Action: " ", Entity: "organization"})
	})
	var n int
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM organizations WHERE code = 'thu-4'`).Scan(&n)
	if err == nil || n != 0 {
		t.Fatalf("refused audit row: err %v, organization written %d", err, n)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
