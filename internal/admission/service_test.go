package admission_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/pgtest"
	"ketnap/internal/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var now = d(2026, 11, 20)

// world is a ward with two cells, their members and one user per role.
type world struct {
	db                         *postgres.DB
	svc                        *admission.Service
	ward, cellA, cellB         admission.Organization
	staff, secA, secB, viewer  admission.Actor
	helper, sponsor1, sponsor2 int64
	probationary, otherSponsor int64
}

func newWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{db: pgtest.DB(t)}
	w.svc = &admission.Service{DB: w.db, Now: func() time.Time { return now }}
	st := w.db.Store()
	var err error
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	w.ward, _, err = st.UpsertOrganization(ctx, postgres.OrgInput{Kind: admission.KindCommittee, Name: "Đảng bộ phường Thử", Code: "thu", HasYouthUnion: true})
	must(err)
	w.cellA, _, err = st.UpsertOrganization(ctx, postgres.OrgInput{ParentID: w.ward.ID, Kind: admission.KindCell, Name: "Chi bộ khu A", Code: "thu-a", HasYouthUnion: true})
	must(err)
	w.cellB, _, err = st.UpsertOrganization(ctx, postgres.OrgInput{ParentID: w.ward.ID, Kind: admission.KindCell, Name: "Chi bộ khu B", Code: "thu-b", HasYouthUnion: true})
	must(err)
	member := func(org int64, key, name, status string, admitted time.Time) int64 {
		in := postgres.MemberInput{OrganizationID: org, FullName: name, Gender: admission.Male, BirthDate: d(1970, 1, 1), Status: status, AdmittedOn: admitted, ExternalKey: key}
		if status == admission.MemberOfficial {
			in.OfficialOn = admission.AddMonths(admitted, 12)
		}
		id, err := st.UpsertMember(ctx, in)
		must(err)
		return id
	}
	w.helper = member(w.cellA.ID, "a1", "Trần Văn Giúp", admission.MemberOfficial, d(2005, 1, 1))
	w.sponsor1 = member(w.cellA.ID, "a2", "Lê Văn Một", admission.MemberOfficial, d(2006, 1, 1))
	w.sponsor2 = member(w.cellA.ID, "a3", "Phạm Thị Hai", admission.MemberOfficial, d(2007, 1, 1))
	w.probationary = member(w.cellA.ID, "a4", "Vũ Văn Mới", admission.MemberProbationary, d(2026, 3, 1))
	w.otherSponsor = member(w.cellB.ID, "b1", "Đặng Văn Bê", admission.MemberOfficial, d(2004, 1, 1))
	must(w.svc.EnsureHolidays(ctx, 2024, 2027))
	user := func(name string, role admission.Role, org admission.Organization) admission.Actor {
		var id int64
		must(w.db.Pool.QueryRow(ctx, `INSERT INTO users (username, full_name, password_hash, role, scope_organization_id)
			VALUES ($1, $2, 'x', $3, $4) RETURNING id`, name, "Người dùng "+name, role, org.ID).Scan(&id))
		return admission.Actor{UserID: id, Username: name, Role: role, ScopeOrgID: org.ID, ScopePath: org.Path}
	}
	w.staff = user("staff", admission.RoleStaff, w.ward)
	w.secA = user("seca", admission.RoleSecretary, w.cellA)
	w.secB = user("secb", admission.RoleSecretary, w.cellB)
	w.viewer = user("viewer", admission.RoleViewer, w.ward)
	return w
}

func (w *world) addCandidate(t testing.TB, name string) admission.Candidate {
	t.Helper()
	c, err := w.svc.AddCandidate(context.Background(), w.secA, admission.CandidateInput{
		OrganizationID: w.cellA.ID, FullName: name, Gender: admission.Female, BirthDate: d(1988, 5, 5),
		EducationGeneral: admission.EduUpperSecondary, Occupation: "Viên chức",
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *world) count(t testing.TB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.db.Pool.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (w *world) record(t testing.TB, a admission.Actor, id int64, in admission.StepInput) admission.Step {
	t.Helper()
	s, err := w.svc.RecordStep(context.Background(), a, id, in)
	if err != nil {
		t.Fatalf("%s: %v", in.Kind, err)
	}
	return s
}

// throughComments records the cell's path up to the comments.
func (w *world) throughComments(t testing.TB, c admission.Candidate) {
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.Nominated, OccurredOn: d(2025, 9, 1), HelperMemberID: w.helper})
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.AwarenessClass, OccurredOn: d(2025, 10, 1), DocumentNo: "15/GCN"})
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.Application, OccurredOn: d(2025, 10, 10)})
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.PersonalHistory, OccurredOn: d(2025, 10, 20)})
	w.record(t, w.staff, c.ID, admission.StepInput{Kind: admission.Verification, OccurredOn: d(2025, 12, 1), Outcome: admission.OutcomePassed})
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.Introduction, OccurredOn: d(2025, 12, 5), Route: admission.RouteTwoSponsors,
		Sponsors: []admission.Sponsor{
			{MemberID: w.sponsor1, KnownSince: d(2020, 1, 1), Relation: admission.RelationLived},
			{MemberID: w.otherSponsor, KnownSince: d(2019, 1, 1), Relation: admission.RelationWorked},
		}})
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.Comments, OccurredOn: d(2025, 12, 10)})
}

func TestServiceWholePath(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	c := w.addCandidate(t, "  Hoàng   Thị Thuận ")
	if c.FullName != "Hoàng Thị Thuận" || c.SearchKey != "hoang thi thuan" || c.Stage != admission.StageSource {
		t.Fatalf("candidate %+v", c)
	}
	w.throughComments(t, c)
	failed := w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.CellResolution, OccurredOn: d(2025, 12, 15), VotesEligible: 3, VotesYes: 1})
	if failed.Outcome != admission.OutcomeFailed {
		t.Fatalf("vote outcome %s", failed.Outcome)
	}
	got, err := w.db.Store().Candidate(ctx, c.ID, w.ward.Path)
	if err != nil || got.Stage != admission.StageDossier {
		t.Fatalf("after failed vote: %s %v", got.Stage, err)
	}
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.CellResolution, OccurredOn: d(2026, 1, 5), VotesEligible: 3, VotesYes: 2})
	w.record(t, w.staff, c.ID, admission.StepInput{Kind: admission.Decision, OccurredOn: d(2026, 1, 20), ReceivedOn: d(2026, 1, 22), DocumentNo: "45-QĐ/ĐU"})
	if w.count(t, `SELECT count(*) FROM members WHERE candidate_id = $1`, c.ID) != 0 {
		t.Fatal("member created before the ceremony")
	}
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.Ceremony, OccurredOn: d(2026, 2, 3), HelperMemberID: w.helper})
	var status string
	var admitted time.Time
	if err := w.db.Pool.QueryRow(ctx, `SELECT status, admitted_on FROM members WHERE candidate_id = $1 AND organization_id = $2`, c.ID, w.cellA.ID).Scan(&status, &admitted); err != nil {
		t.Fatal(err)
	}
	if status != admission.MemberProbationary || !admitted.Equal(d(2026, 1, 20)) {
		t.Fatalf("member %s admitted %s, want probationary from the decision's date", status, admission.FormatDate(admitted))
	}
	// a corrected decision date moves the member's admission date (party seniority)
	var decisionID int64
	if err := w.db.Pool.QueryRow(ctx, `SELECT id FROM steps WHERE candidate_id = $1 AND kind = 'decision'`, c.ID).Scan(&decisionID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Correct(ctx, w.staff, c.ID, decisionID, admission.StepInput{OccurredOn: d(2026, 1, 19), ReceivedOn: d(2026, 1, 22), DocumentNo: "45-QĐ/ĐU"}, "Sai ngày ký"); err != nil {
		t.Fatal(err)
	}
	if err := w.db.Pool.QueryRow(ctx, `SELECT admitted_on FROM members WHERE candidate_id = $1`, c.ID).Scan(&admitted); err != nil || !admitted.Equal(d(2026, 1, 19)) {
		t.Fatalf("after correcting the decision: admitted %s %v", admission.FormatDate(admitted), err)
	}
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.NewMemberClass, OccurredOn: d(2026, 4, 1)})
	_, err = w.svc.RecordStep(ctx, w.secA, c.ID, admission.StepInput{Kind: admission.RecognitionResolution, OccurredOn: d(2026, 11, 20), VotesEligible: 3, VotesYes: 3})
	wantRule(t, err, "probation_not_over") // 03/02/2026 + 12 months = 03/02/2027
	if w.count(t, `SELECT count(*) FROM audit_events WHERE entity_id = $1`, c.ID) != 14 {
		t.Fatalf("audit events: %d, want 14 (creation + 12 steps + 1 correction)", w.count(t, `SELECT count(*) FROM audit_events WHERE entity_id = $1`, c.ID))
	}
	var before, after string
	if err := w.db.Pool.QueryRow(ctx, `SELECT before->>'stage', after->>'stage' FROM audit_events WHERE entity_id = $1 AND after->'step'->>'Kind' = 'ceremony'`, c.ID).Scan(&before, &after); err != nil {
		t.Fatal(err)
	}
	if before != "awaiting_ceremony" || after != "probationary" {
		t.Fatalf("audit of ceremony: %s -> %s", before, after)
	}
}

func TestServiceRecognitionMakesOfficial(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.svc.Now = func() time.Time { return d(2026, 11, 20) }
	c := w.addCandidate(t, "Ngô Thị Chính")
	// a path a year earlier
	steps := []struct {
		a  admission.Actor
		in admission.StepInput
	}{
		{w.secA, admission.StepInput{Kind: admission.Nominated, OccurredOn: d(2024, 6, 1), HelperMemberID: w.helper}},
		{w.secA, admission.StepInput{Kind: admission.AwarenessClass, OccurredOn: d(2024, 7, 1), DocumentNo: "1/GCN"}},
		{w.secA, admission.StepInput{Kind: admission.Application, OccurredOn: d(2024, 7, 10)}},
		{w.secA, admission.StepInput{Kind: admission.PersonalHistory, OccurredOn: d(2024, 7, 20)}},
		{w.staff, admission.StepInput{Kind: admission.Verification, OccurredOn: d(2024, 8, 20), Outcome: admission.OutcomePassed}},
		{w.secA, admission.StepInput{Kind: admission.Introduction, OccurredOn: d(2024, 8, 25), Route: admission.RouteTwoSponsors, Sponsors: []admission.Sponsor{
			{MemberID: w.sponsor1, KnownSince: d(2020, 1, 1), Relation: admission.RelationLived}, {MemberID: w.sponsor2, KnownSince: d(2020, 1, 1), Relation: admission.RelationLived}}}},
		{w.secA, admission.StepInput{Kind: admission.Comments, OccurredOn: d(2024, 8, 30)}},
		{w.secA, admission.StepInput{Kind: admission.CellResolution, OccurredOn: d(2024, 9, 10), VotesEligible: 3, VotesYes: 3}},
		{w.staff, admission.StepInput{Kind: admission.Decision, OccurredOn: d(2024, 10, 1), ReceivedOn: d(2024, 10, 3), DocumentNo: "9-QĐ/ĐU"}},
		{w.secA, admission.StepInput{Kind: admission.Ceremony, OccurredOn: d(2024, 10, 15), HelperMemberID: w.helper}},
		{w.secA, admission.StepInput{Kind: admission.RecognitionResolution, OccurredOn: d(2025, 11, 1), VotesEligible: 3, VotesYes: 3}},
		{w.staff, admission.StepInput{Kind: admission.RecognitionDecision, OccurredOn: d(2025, 11, 20), DocumentNo: "77-QĐ/ĐU"}},
	}
	for _, s := range steps {
		w.record(t, s.a, c.ID, s.in)
	}
	var status string
	var official time.Time
	if err := w.db.Pool.QueryRow(ctx, `SELECT status, official_on FROM members WHERE candidate_id = $1`, c.ID).Scan(&status, &official); err != nil {
		t.Fatal(err)
	}
	if status != admission.MemberOfficial || !official.Equal(d(2025, 10, 15)) {
		t.Fatalf("member %s official on %s, want official from 15/10/2025 (end of probation)", status, admission.FormatDate(official))
	}
	got, _ := w.db.Store().Candidate(ctx, c.ID, w.ward.Path)
	if got.Stage != admission.StageOfficial {
		t.Fatalf("stage %s", got.Stage)
	}
	_, err := w.svc.RecordStep(ctx, w.secA, c.ID, admission.StepInput{Kind: admission.Comments, OccurredOn: d(2025, 12, 1)})
	if admission.ErrorCode(err) != admission.Conflict {
		t.Fatalf("step after the end: %v", err)
	}
}

func TestServiceRolesAndScope(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	c := w.addCandidate(t, "Bùi Văn Phạm Vi")
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.Nominated, OccurredOn: d(2025, 9, 1), HelperMemberID: w.helper})
	tests := []struct {
		name  string
		actor admission.Actor
		in    admission.StepInput
		code  admission.Code
	}{
		{"StaffRecordsCellStep", w.staff, admission.StepInput{Kind: admission.AwarenessClass, OccurredOn: d(2025, 10, 1), DocumentNo: "x"}, ""},
		{"SecretaryRecordsCommitteeStep", w.secA, admission.StepInput{Kind: admission.Verification, OccurredOn: d(2025, 10, 2), Outcome: admission.OutcomePassed}, admission.Forbidden},
		{"ViewerRecords", w.viewer, admission.StepInput{Kind: admission.Application, OccurredOn: d(2025, 10, 2)}, admission.Forbidden},
		{"OtherCellSecretary", w.secB, admission.StepInput{Kind: admission.Application, OccurredOn: d(2025, 10, 2)}, admission.NotFound},
		{"StaffRecordsApplication", w.staff, admission.StepInput{Kind: admission.Application, OccurredOn: d(2025, 10, 2)}, admission.Forbidden},
		{"UnknownKind", w.secA, admission.StepInput{Kind: "nothing", OccurredOn: d(2025, 10, 2)}, admission.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := w.count(t, `SELECT count(*) FROM audit_events`)
			_, err := w.svc.RecordStep(ctx, tt.actor, c.ID, tt.in)
			if got := admission.ErrorCode(err); got != tt.code {
				t.Fatalf("code %q (%v), want %q", got, err, tt.code)
			}
			if tt.code != "" && w.count(t, `SELECT count(*) FROM audit_events`) != before {
				t.Fatal("a refused step left an audit event")
			}
		})
	}
	if _, err := w.svc.RecordStep(ctx, w.secA, 999999, admission.StepInput{Kind: admission.Application}); admission.ErrorCode(err) != admission.NotFound {
		t.Fatalf("missing candidate: %v", err)
	}
	if _, err := w.svc.AddCandidate(ctx, w.secB, admission.CandidateInput{OrganizationID: w.cellA.ID, FullName: "Lê Văn Ngoài", Gender: admission.Male,
		BirthDate: d(1990, 1, 1), EducationGeneral: admission.EduUpperSecondary}); admission.ErrorCode(err) != admission.NotFound {
		t.Fatalf("add to another cell: %v", err)
	}
	if _, err := w.svc.AddCandidate(ctx, w.viewer, admission.CandidateInput{OrganizationID: w.cellA.ID, FullName: "Lê Văn Xem", Gender: admission.Male,
		BirthDate: d(1990, 1, 1), EducationGeneral: admission.EduUpperSecondary}); admission.ErrorCode(err) != admission.Forbidden {
		t.Fatalf("viewer adds: %v", err)
	}
	if _, err := w.svc.AddCandidate(ctx, w.staff, admission.CandidateInput{OrganizationID: w.ward.ID, FullName: "Lê Văn Đảng Bộ", Gender: admission.Male,
		BirthDate: d(1990, 1, 1), EducationGeneral: admission.EduUpperSecondary}); admission.ErrorCode(err) != admission.Invalid {
		t.Fatalf("candidate on the committee itself: %v", err)
	}
}

func TestAddCandidateValidation(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	_, err := w.svc.AddCandidate(ctx, w.secA, admission.CandidateInput{OrganizationID: w.cellA.ID, FullName: "An", Gender: "x",
		BirthDate: d(2027, 1, 1), EducationGeneral: "phd", Readmission: true})
	var e *admission.Error
	if !errors.As(err, &e) || e.Code != admission.Invalid {
		t.Fatalf("err %v", err)
	}
	for _, f := range []string{"full_name", "gender", "birth_date", "education_general", "readmission_consent_ref"} {
		if e.Fields[f] == "" {
			t.Errorf("no message for %s: %v", f, e.Fields)
		}
	}
	if w.count(t, `SELECT count(*) FROM candidates`) != 0 || w.count(t, `SELECT count(*) FROM audit_events`) != 0 {
		t.Fatal("an invalid candidate was written")
	}
	in := admission.CandidateInput{OrganizationID: w.cellA.ID, FullName: "Đỗ Đức Đạt", Gender: admission.Male, BirthDate: d(1995, 1, 1),
		EducationGeneral: admission.EduLowerSecondary, IdempotencyKey: "form-123"}
	a, err := w.svc.AddCandidate(ctx, w.secA, in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.svc.AddCandidate(ctx, w.secA, in)
	if err != nil || a.ID != b.ID {
		t.Fatalf("double submit: %d %d %v", a.ID, b.ID, err)
	}
	if n := w.count(t, `SELECT count(*) FROM candidates`); n != 1 {
		t.Fatalf("%d candidates after a double submit", n)
	}
	for _, bad := range []admission.CandidateInput{
		{OrganizationID: w.cellA.ID, FullName: "", Gender: admission.Male, BirthDate: d(1995, 1, 1), EducationGeneral: admission.EduLowerSecondary},
		{OrganizationID: w.cellA.ID, FullName: "Trẻ Quá Tuổi", Gender: admission.Male, BirthDate: d(2015, 1, 1), EducationGeneral: admission.EduLowerSecondary},
		{OrganizationID: w.cellA.ID, FullName: "Già Quá Tuổi", Gender: admission.Male, BirthDate: d(1900, 1, 1), EducationGeneral: admission.EduLowerSecondary},
		{FullName: "Không Chi Bộ", Gender: admission.Male, BirthDate: d(1995, 1, 1), EducationGeneral: admission.EduLowerSecondary},
	} {
		if _, err := w.svc.AddCandidate(ctx, w.secA, bad); admission.ErrorCode(err) != admission.Invalid {
			t.Errorf("%q accepted: %v", bad.FullName, err)
		}
	}
}

// Twenty concurrent attempts to record the same step record exactly one.
func TestConcurrentSameStep(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	for _, sameKey := range []bool{false, true} {
		t.Run(fmt.Sprintf("SameFormToken=%v", sameKey), func(t *testing.T) {
			c := w.addCandidate(t, "Đồng Thời "+fmt.Sprint(sameKey))
			w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.Nominated, OccurredOn: d(2025, 9, 1), HelperMemberID: w.helper})
			var wg sync.WaitGroup
			errs := make([]error, 20)
			ids := make([]int64, 20)
			start := make(chan struct{})
			for i := range errs {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					<-start
					key := fmt.Sprintf("k-%v-%d", sameKey, i)
					if sameKey {
						key = fmt.Sprintf("k-%v", sameKey)
					}
					s, err := w.svc.RecordStep(ctx, w.secA, c.ID, admission.StepInput{Kind: admission.AwarenessClass, OccurredOn: d(2025, 10, 1), DocumentNo: "5/GCN", IdempotencyKey: key})
					errs[i], ids[i] = err, s.ID
				}(i)
			}
			close(start)
			wg.Wait()
			ok, conflicts := 0, 0
			for i, err := range errs {
				switch admission.ErrorCode(err) {
				case "":
					ok++
				case admission.Conflict:
					conflicts++
				default:
					t.Errorf("attempt %d: %v", i, err)
				}
			}
			rows := w.count(t, `SELECT count(*) FROM steps WHERE candidate_id = $1 AND kind = 'awareness_class'`, c.ID)
			if rows != 1 {
				t.Fatalf("%d rows recorded, want 1", rows)
			}
			if sameKey {
				if ok != 20 {
					t.Fatalf("same form submitted 20 times: %d answered ok, %d conflicts; want all ok with one row", ok, conflicts)
				}
				for _, id := range ids {
					if id != ids[0] {
						t.Fatalf("different steps returned: %v", ids)
					}
				}
			} else if ok != 1 || conflicts != 19 {
				t.Fatalf("%d recorded, %d conflicts; want 1 and 19", ok, conflicts)
			}
			if n := w.count(t, `SELECT count(*) FROM audit_events WHERE entity_id = $1 AND after->'step'->>'Kind' = 'awareness_class'`, c.ID); n != 1 {
				t.Fatalf("%d audit events, want 1", n)
			}
		})
	}
}

// failingAudit makes every audit write fail, to show that the step is then not written either.
type failingAudit struct{ admission.Store }

func (failingAudit) InsertAudit(context.Context, *admission.AuditEvent) error {
	return errors.New("audit store refused")
}

type failingTx struct{ db *postgres.DB }

func (f failingTx) InTx(ctx context.Context, fn func(admission.Store) error) error {
	return f.db.InTx(ctx, func(s admission.Store) error { return fn(failingAudit{s}) })
}

func TestStepAndAuditAreAtomic(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	c := w.addCandidate(t, "Nguyên Tử")
	broken := &admission.Service{DB: failingTx{w.db}, Now: w.svc.Now}
	if _, err := broken.RecordStep(ctx, w.secA, c.ID, admission.StepInput{Kind: admission.Nominated, OccurredOn: d(2025, 9, 1), HelperMemberID: w.helper}); err == nil {
		t.Fatal("step recorded although its audit event failed")
	}
	if n := w.count(t, `SELECT count(*) FROM steps WHERE candidate_id = $1`, c.ID); n != 0 {
		t.Fatalf("%d steps written without their audit event", n)
	}
	if n := w.count(t, `SELECT version FROM candidates WHERE id = $1`, c.ID); n != c.Version {
		t.Fatalf("candidate version moved to %d", n)
	}
	if _, err := broken.AddCandidate(ctx, w.secA, admission.CandidateInput{OrganizationID: w.cellA.ID, FullName: "Không Ghi Được", Gender: admission.Male,
		BirthDate: d(1990, 1, 1), EducationGeneral: admission.EduUpperSecondary}); err == nil {
		t.Fatal("candidate added although its audit event failed")
	}
	if n := w.count(t, `SELECT count(*) FROM candidates WHERE full_name = 'Không Ghi Được'`); n != 0 {
		t.Fatal("candidate written without its audit event")
	}
	// the reverse: a refused step leaves no audit event
	before := w.count(t, `SELECT count(*) FROM audit_events`)
	if _, err := w.svc.RecordStep(ctx, w.secA, c.ID, admission.StepInput{Kind: admission.Nominated, OccurredOn: d(2025, 9, 1), HelperMemberID: w.probationary}); err == nil {
		t.Fatal("probationary helper accepted")
	}
	if w.count(t, `SELECT count(*) FROM audit_events`) != before {
		t.Fatal("a refused step left an audit event")
	}
}

func TestCorrection(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	c := w.addCandidate(t, "Sửa Sai")
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.Nominated, OccurredOn: d(2025, 9, 1), HelperMemberID: w.helper})
	cls := w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.AwarenessClass, OccurredOn: d(2025, 10, 1), DocumentNo: "typo"})
	if _, err := w.svc.Correct(ctx, w.secA, c.ID, cls.ID, admission.StepInput{OccurredOn: d(2025, 10, 2), DocumentNo: "15/GCN"}, "Sai số giấy chứng nhận"); admission.ErrorCode(err) != admission.Forbidden {
		t.Fatalf("secretary corrected: %v", err)
	}
	if _, err := w.svc.Correct(ctx, w.staff, c.ID, cls.ID, admission.StepInput{OccurredOn: d(2025, 10, 2), DocumentNo: "15/GCN"}, "  "); admission.ErrorCode(err) != admission.Invalid {
		t.Fatalf("correction without reason: %v", err)
	}
	fixed, err := w.svc.Correct(ctx, w.staff, c.ID, cls.ID, admission.StepInput{OccurredOn: d(2025, 10, 2), DocumentNo: "15/GCN"}, "Sai số giấy chứng nhận")
	if err != nil {
		t.Fatal(err)
	}
	if fixed.SupersedesID != cls.ID || fixed.Kind != admission.AwarenessClass || fixed.CorrectionReason == "" {
		t.Fatalf("correction %+v", fixed)
	}
	steps, err := w.db.Store().Steps(ctx, c.ID)
	if err != nil || len(steps) != 3 {
		t.Fatalf("steps %d %v: the old row must stay", len(steps), err)
	}
	if eff := admission.Effective(steps); len(eff) != 2 || eff[1].DocumentNo != "15/GCN" {
		t.Fatalf("effective %+v", eff)
	}
	if _, err := w.svc.Correct(ctx, w.staff, c.ID, cls.ID, admission.StepInput{OccurredOn: d(2025, 10, 3)}, "lần nữa"); admission.ErrorCode(err) != admission.Conflict {
		t.Fatalf("correcting a superseded row: %v", err)
	}
	// a correction is judged like a new step: not before its prerequisite
	if _, err := w.svc.Correct(ctx, w.staff, c.ID, fixed.ID, admission.StepInput{OccurredOn: d(2025, 8, 1), DocumentNo: "x"}, "ngày sai"); admission.ErrorRule(err) != "date_order" {
		t.Fatalf("correction to an earlier date: %v", err)
	}
	if _, err := w.svc.Correct(ctx, w.staff, c.ID, 999999, admission.StepInput{}, "x"); admission.ErrorCode(err) != admission.NotFound {
		t.Fatalf("correct missing step: %v", err)
	}
	if w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'step.correct'`) != 1 {
		t.Fatal("correction not audited once")
	}
}

func TestStaleVersionAndWithdraw(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	c := w.addCandidate(t, "Phiên Bản Cũ")
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.Nominated, OccurredOn: d(2025, 9, 1), HelperMemberID: w.helper})
	stale := 0
	_, err := w.svc.RecordStep(ctx, w.secA, c.ID, admission.StepInput{Kind: admission.AwarenessClass, OccurredOn: d(2025, 10, 1), DocumentNo: "x", ExpectedVersion: &stale})
	if admission.ErrorCode(err) != admission.Conflict {
		t.Fatalf("stale form: %v", err)
	}
	if _, err := w.svc.Withdraw(ctx, w.secA, c.ID, d(2025, 10, 5), "", ""); admission.ErrorCode(err) != admission.Invalid {
		t.Fatalf("withdraw without reason: %v", err)
	}
	if _, err := w.svc.Withdraw(ctx, w.secA, c.ID, d(2025, 10, 5), "Chuyển đi nơi khác", ""); err != nil {
		t.Fatal(err)
	}
	got, _ := w.db.Store().Candidate(ctx, c.ID, w.ward.Path)
	if got.Stage != admission.StageWithdrawn {
		t.Fatalf("stage %s", got.Stage)
	}
}

func TestRemovedDuringProbation(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	c := w.addCandidate(t, "Xóa Tên")
	w.throughComments(t, c)
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.CellResolution, OccurredOn: d(2026, 1, 5), VotesEligible: 3, VotesYes: 3})
	w.record(t, w.staff, c.ID, admission.StepInput{Kind: admission.Decision, OccurredOn: d(2026, 1, 20), ReceivedOn: d(2026, 1, 22), DocumentNo: "45-QĐ/ĐU"})
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.Ceremony, OccurredOn: d(2026, 2, 3), HelperMemberID: w.helper})
	w.record(t, w.staff, c.ID, admission.StepInput{Kind: admission.Removed, OccurredOn: d(2026, 6, 1), Note: "Vi phạm tư cách", DocumentNo: "60-QĐ/ĐU"})
	var status string
	if err := w.db.Pool.QueryRow(ctx, `SELECT status FROM members WHERE candidate_id = $1`, c.ID).Scan(&status); err != nil || status != admission.MemberRemoved {
		t.Fatalf("member %s %v", status, err)
	}
}

func TestMove(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	c := w.addCandidate(t, "Chuyển Chi Bộ")
	w.record(t, w.secA, c.ID, admission.StepInput{Kind: admission.Nominated, OccurredOn: d(2025, 9, 1), HelperMemberID: w.helper})
	tests := []struct {
		name   string
		actor  admission.Actor
		to     int64
		reason string
		code   admission.Code
	}{
		{"NoReason", w.staff, w.cellB.ID, " ", admission.Invalid},
		{"Secretary", w.secA, w.cellB.ID, "x", admission.NotFound}, // cell B is outside a secretary's scope
		{"ToCommittee", w.staff, w.ward.ID, "x", admission.Invalid},
		{"SameCell", w.staff, w.cellA.ID, "x", admission.Invalid},
		{"Viewer", w.viewer, w.cellB.ID, "x", admission.Forbidden},
		{"Moved", w.staff, w.cellB.ID, "Chuyển nơi cư trú", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := admission.ErrorCode(w.svc.Move(ctx, tt.actor, c.ID, tt.to, tt.reason)); got != tt.code {
				t.Fatalf("code %q, want %q", got, tt.code)
			}
		})
	}
	got, err := w.db.Store().Candidate(ctx, c.ID, w.ward.Path)
	if err != nil || got.OrganizationID != w.cellB.ID || got.Version != c.Version+2 {
		t.Fatalf("after the move: %+v %v", got, err)
	}
	if w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'candidate.move' AND entity_id = $1`, c.ID) != 1 {
		t.Fatal("move not audited once")
	}
	// a closed candidate stays where it is
	if _, err := w.svc.Withdraw(ctx, w.staff, c.ID, d(2025, 10, 1), "Không còn tiêu chuẩn", ""); err != nil {
		t.Fatal(err)
	}
	if code := admission.ErrorCode(w.svc.Move(ctx, w.staff, c.ID, w.cellA.ID, "x")); code != admission.Conflict {
		t.Fatalf("moving a closed candidate: %q", code)
	}
}

func TestUpdateProfile(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	c := w.addCandidate(t, "Tên Gõ Sai")
	in := admission.CandidateInput{FullName: "Tên  Đã Sửa", Gender: admission.Female, BirthDate: d(1988, 6, 6), EducationGeneral: admission.EduLowerSecondary}
	if _, err := w.svc.UpdateProfile(ctx, w.viewer, c.ID, in, c.Version); admission.ErrorCode(err) != admission.Forbidden {
		t.Fatalf("viewer: %v", err)
	}
	if _, err := w.svc.UpdateProfile(ctx, w.secB, c.ID, in, c.Version); admission.ErrorCode(err) != admission.NotFound {
		t.Fatalf("other cell: %v", err)
	}
	bad := in
	bad.FullName = ""
	if _, err := w.svc.UpdateProfile(ctx, w.secA, c.ID, bad, c.Version); admission.ErrorCode(err) != admission.Invalid {
		t.Fatalf("empty name: %v", err)
	}
	got, err := w.svc.UpdateProfile(ctx, w.secA, c.ID, in, c.Version)
	if err != nil || got.FullName != "Tên Đã Sửa" || got.SearchKey != "ten da sua" || !got.BirthDate.Equal(d(1988, 6, 6)) || got.OrganizationID != w.cellA.ID {
		t.Fatalf("update: %+v %v", got, err)
	}
	if _, err := w.svc.UpdateProfile(ctx, w.secA, c.ID, in, c.Version); admission.ErrorCode(err) != admission.Conflict {
		t.Fatalf("stale version: %v", err)
	}
	if w.count(t, `SELECT count(*) FROM audit_events WHERE action = 'candidate.update'`) != 1 {
		t.Fatal("not audited once")
	}
}
