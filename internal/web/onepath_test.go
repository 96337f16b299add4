package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"ketnap/internal/admission"

	"github.com/PuerkitoBio/goquery"
)

// One write path: the regressions of the rules that could be walked around
// outside the candidate path, each tried through the pages.

func TestCandidateCannotSponsorThemself(t *testing.T) {
	e := newEnv(t, true)
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	var id int64
	var name, gender, cell, code string
	var birth time.Time
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT c.id, c.full_name, c.gender, c.birth_date, c.organization_id::text, o.code
		FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE c.stage = 'source' AND c.birth_date < '1995-01-01' ORDER BY c.id LIMIT 1`).Scan(&id, &name, &gender, &birth, &cell, &code); err != nil {
		t.Fatal(err)
	}
	adm := birth.AddDate(20, 0, 0)
	form := url.Values{"full_name": {strings.ToUpper(name)}, "gender": {gender}, "birth_date": {admission.FormatDate(birth)},
		"admitted_on": {admission.FormatDate(adm)}, "ceremony_on": {admission.FormatDate(adm.AddDate(0, 0, 10))},
		"official_on": {admission.FormatDate(adm.AddDate(1, 0, 10))}, "organization_id": {cell}}
	// the same identity as a candidate: a warning to confirm, nothing written
	before := e.count(`SELECT count(*) FROM members`)
	rec := staff.do("POST", "/to-chuc/"+cell+"/dang-vien", form)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(doc(t, rec).Find("#confirm_distinct-error").Text(), "Trùng họ tên") ||
		e.count(`SELECT count(*) FROM members`) != before {
		t.Fatalf("identity match not warned: %d", rec.Code)
	}
	form.Set("confirm_distinct", "1")
	if rec = staff.do("POST", "/to-chuc/"+cell+"/dang-vien", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirmed member: %d %s", rec.Code, doc(t, rec).Find(".field-error").Text())
	}
	var self, other int64
	_ = e.db.Pool.QueryRow(context.Background(), `SELECT id FROM members WHERE full_name_search = $1 AND birth_date = $2`, admission.SearchKey(name), birth).Scan(&self)
	_ = e.db.Pool.QueryRow(context.Background(), `SELECT id FROM members WHERE organization_id = $1::bigint AND status = 'official' AND id <> $2 ORDER BY id LIMIT 1`, cell, self).Scan(&other)
	// bring the candidate to the introduction through the pages' service
	svc, a := e.srv.Svc, admission.Actor{UserID: 0, Role: admission.RoleAdmin, ScopePath: "/"}
	for _, in := range []admission.StepInput{
		{Kind: admission.Nominated, OccurredOn: admission.Day(2026, 11, 20), HelperMemberID: other},
		{Kind: admission.AwarenessClass, OccurredOn: admission.Day(2026, 11, 20), DocumentNo: "GCN 1"},
		{Kind: admission.Application, OccurredOn: admission.Day(2026, 11, 20)},
	} {
		if _, err := svc.RecordStep(context.Background(), a, id, in); err != nil && admission.ErrorRule(err) != "already_recorded" && admission.ErrorRule(err) != "order" {
			t.Fatal(in.Kind, err)
		}
	}
	sec := e.signedIn("bithu", admission.RoleSecretary, code)
	steps := e.count(`SELECT count(*) FROM steps WHERE candidate_id = $1`, id)
	rec = sec.do("POST", "/quan-chung/"+strconv.FormatInt(id, 10)+"/buoc", url.Values{"kind": {"introduction"}, "occurred_on": {"20/11/2026"},
		"route": {"two_sponsors"}, "sponsor1_id": {strconv.FormatInt(self, 10)}, "sponsor1_since": {"01/01/2015"}, "sponsor1_relation": {"lived"},
		"sponsor2_id": {strconv.FormatInt(other, 10)}, "sponsor2_since": {"01/01/2015"}, "sponsor2_relation": {"lived"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "không thể tự giới thiệu") {
		t.Fatalf("the candidate's own identity sponsored: %d", rec.Code)
	}
	if e.count(`SELECT count(*) FROM steps WHERE candidate_id = $1`, id) != steps {
		t.Fatal("the refused introduction was written")
	}
}

func TestCrossCandidateCorrectionWritesNothing(t *testing.T) {
	e := newEnv(t, true)
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	var a, stepB int64
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT a.id, s.id FROM candidates a, candidates b JOIN steps s ON s.candidate_id = b.id AND s.kind = 'nominated'
		WHERE a.id <> b.id AND a.stage = 'dossier' AND b.stage = 'dossier' ORDER BY a.id, b.id LIMIT 1`).Scan(&a, &stepB); err != nil {
		t.Fatal(err)
	}
	steps, audit := e.count(`SELECT count(*) FROM steps`), e.count(`SELECT count(*) FROM audit_events`)
	rec := staff.do("POST", "/quan-chung/"+strconv.FormatInt(a, 10)+"/buoc/"+strconv.FormatInt(stepB, 10)+"/dieu-chinh",
		url.Values{"occurred_on": {"02/01/2026"}, "helper_member_id": {"1"}, "correction_reason": {"thử"}})
	if rec.Code != http.StatusNotFound {
		t.Fatalf("crafted correction: %d", rec.Code)
	}
	if e.count(`SELECT count(*) FROM steps`) != steps || e.count(`SELECT count(*) FROM audit_events`) != audit {
		t.Fatal("a crafted correction wrote something")
	}
}

func TestDirectMemberCountsAsAdmitted(t *testing.T) {
	e := newEnv(t, true)
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	cell := e.orgID("binh-ngoc-khu-3")
	admitted := func() int {
		return e.count(`SELECT count(*) FROM members WHERE organization_id = $1 AND admitted_on BETWEEN '2026-01-01' AND '2026-12-31'`, cell)
	}
	targetsRow := func() string {
		_, d := staff.get("/chi-tieu?nam=2026")
		return d.Find("[data-testid=target-row]").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Text(), "Chi bộ khu 3")
		}).Text()
	}
	dashRow := func() string {
		_, d := staff.get("/")
		return d.Find("[data-testid=dash-row]").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Text(), "Chi bộ khu 3")
		}).Text()
	}
	n := admitted()
	beforeT, beforeD := targetsRow(), dashRow()
	c := strconv.FormatInt(cell, 10)
	rec := staff.do("POST", "/to-chuc/"+c+"/dang-vien", url.Values{"full_name": {"Lò Văn Nhập"}, "gender": {"male"}, "birth_date": {"02/02/1990"},
		"admitted_on": {"03/03/2026"}, "ceremony_on": {"15/03/2026"}, "organization_id": {c}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("add member: %d %s", rec.Code, doc(t, rec).Find(".field-error").Text())
	}
	if admitted() != n+1 {
		t.Fatal("member not added")
	}
	if afterT := targetsRow(); afterT == beforeT || !strings.Contains(afterT, strconv.Itoa(n+1)) {
		t.Fatalf("targets page does not count the member admitted this year: %q → %q", beforeT, afterT)
	}
	if afterD := dashRow(); afterD == beforeD || !strings.Contains(afterD, strconv.Itoa(n+1)) {
		t.Fatalf("dashboard does not count the member admitted this year: %q → %q", beforeD, afterD)
	}
}
