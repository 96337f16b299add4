package web_test

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"ketnap/internal/admission"
)

// The staff's queue lists exactly the demo's files awaiting verification;
// a secretary's lists only what her cell and its candidates owe.
func TestQueues(t *testing.T) {
	e := newEnv(t, true)
	rows, err := e.db.Pool.Query(context.Background(), `SELECT c.full_name FROM candidates c
		WHERE c.stage = 'dossier'
		AND EXISTS (SELECT 1 FROM steps s WHERE s.candidate_id = c.id AND s.kind = 'personal_history')
		AND NOT EXISTS (SELECT 1 FROM steps s WHERE s.candidate_id = c.id AND s.kind = 'verification')
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		want = append(want, n)
	}
	rows.Close()
	if len(want) == 0 {
		t.Fatal("the demo has no file awaiting verification")
	}
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	_, d := staff.get("/viec-can-lam")
	var got []string
	d.Find("[data-testid=queue-item]").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "Đang chờ Đảng ủy thẩm tra lý lịch") {
			got = append(got, s.Find("a").First().Text())
		}
	})
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("awaiting verification in the queue %v, want %v", got, want)
	}
	if !strings.Contains(d.Find("[data-testid=queue-summary]").Text(), "Đang chờ Đảng ủy thẩm tra lý lịch") {
		t.Fatal("the summary does not count the files awaiting verification")
	}
	sec := e.signedIn("bithu", admission.RoleSecretary, "binh-ngoc-khu-1")
	_, d = sec.get("/viec-can-lam")
	items := d.Find("[data-testid=queue-item]")
	if items.Length() == 0 {
		t.Fatal("the secretary's queue is empty")
	}
	items.Each(func(_ int, s *goquery.Selection) {
		if !strings.Contains(s.Text(), "Chi bộ khu 1") || strings.Contains(s.Find("b").Text(), "Đảng ủy") {
			t.Errorf("secretary's queue item %q", s.Text())
		}
	})
	// the list says who acts next
	_, d = staff.get("/quan-chung")
	if !strings.Contains(d.Find("[data-testid=candidate-list]").Text(), "Việc tiếp theo") || !strings.Contains(d.Find("[data-testid=candidate-row]").Text(), ":") {
		t.Fatal("the list does not say who acts next")
	}
}

// During probation the recognition vote is listed greyed with the day it
// opens, not offered as a form.
func TestRecognitionVoteOpensAtProbationEnd(t *testing.T) {
	e := newEnv(t, true)
	var id int64
	var code string
	var ceremony time.Time
	err := e.db.Pool.QueryRow(context.Background(), `SELECT c.id, o.code, s.occurred_on FROM candidates c JOIN organizations o ON o.id = c.organization_id
		JOIN steps s ON s.candidate_id = c.id AND s.kind = 'ceremony'
		WHERE c.stage = 'probationary' AND s.occurred_on > '2025-11-21' ORDER BY c.id LIMIT 1`).Scan(&id, &code, &ceremony)
	if err != nil {
		t.Fatal(err)
	}
	sec := e.signedIn("bithu", admission.RoleSecretary, code)
	_, d := sec.get("/quan-chung/" + itoa(id))
	if d.Find("[data-testid=form-recognition_resolution]").Length() != 0 {
		t.Fatal("the recognition vote is offered during probation")
	}
	want := admission.FormatDate(admission.AddMonths(ceremony, 12))
	if got := d.Find("[data-testid=later-recognition_resolution] [data-testid=opens]").Text(); got != want {
		t.Fatalf("recognition vote opens %q, want %q (%s)", got, want, d.Find("[data-testid=later-steps]").Text())
	}
	if !strings.Contains(d.Find("[data-testid=file-state]").Text(), "Đang trong thời gian dự bị") {
		t.Fatalf("file state %q", d.Find("[data-testid=file-state]").Text())
	}
}

// A secretary's scope is a cell, a staff member's a committee; a new user
// has no scope by default; a cell added without a code gets one from its name.
func TestAdminSafety(t *testing.T) {
	e := newEnv(t, true)
	admin := e.signedIn("quantri", admission.RoleAdmin, "binh-ngoc")
	_, d := admin.get("/quan-tri/nguoi-dung/moi")
	if v, _ := d.Find("#scope option[selected]").Attr("value"); v != "" {
		t.Fatalf("a new user's scope defaults to %q", v)
	}
	ward, cell := itoa(e.orgID("binh-ngoc")), itoa(e.orgID("binh-ngoc-khu-1"))
	for _, tc := range []struct{ role, scope, want string }{
		{"secretary", ward, "phải có phạm vi là một chi bộ"},
		{"staff", cell, "phải có phạm vi là một đảng bộ"},
	} {
		rec := admin.do("POST", "/quan-tri/nguoi-dung", url.Values{"username": {"moi." + tc.role}, "full_name": {"Người Mới"}, "role": {tc.role}, "scope_organization_id": {tc.scope}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(doc(t, rec).Find("#scope_organization_id-error").Text(), tc.want) {
			t.Fatalf("%s scoped to the wrong kind: %d %q", tc.role, rec.Code, doc(t, rec).Find(".field-error").Text())
		}
	}
	if rec := admin.do("POST", "/quan-tri/to-chuc", url.Values{"name": {"Chi bộ khu 9"}, "code": {""}, "parent_id": {ward}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("cell without a code: %d", rec.Code)
	}
	if e.count(`SELECT count(*) FROM organizations WHERE code = 'binh-ngoc-khu-9' AND name = 'Chi bộ khu 9'`) != 1 {
		t.Fatal("the code was not made from the name")
	}
}

// The dashboard says what others recorded since the user's last visit.
func TestChangesSinceLastVisit(t *testing.T) {
	e := newEnv(t, true)
	pw := e.addUser("bithu.moi", admission.RoleSecretary, "binh-ngoc-khu-1")
	first := e.client()
	if rec := first.login("bithu.moi", pw); rec.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", rec.Code)
	}
	if _, d := first.get("/"); d.Find("[data-testid=changes]").Length() != 0 {
		t.Fatal("changes shown on the first visit")
	}
	// committee staff conclude a verification in her cell
	var id int64
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT c.id FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE o.code = 'binh-ngoc-khu-1' AND c.stage = 'dossier'
		AND EXISTS (SELECT 1 FROM steps s WHERE s.candidate_id = c.id AND s.kind = 'personal_history')
		AND NOT EXISTS (SELECT 1 FROM steps s WHERE s.candidate_id = c.id AND s.kind = 'verification') LIMIT 1`).Scan(&id); err != nil {
		t.Skipf("no file awaiting verification in the cell: %v", err)
	}
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	if rec := staff.do("POST", "/quan-chung/"+itoa(id)+"/buoc", url.Values{"kind": {"verification"}, "occurred_on": {"19/11/2026"}, "outcome": {"passed"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("verification: %d", rec.Code)
	}
	second := e.client()
	second.login("bithu.moi", pw)
	_, d := second.get("/")
	if got := d.Find("[data-testid=changes]").Text(); !strings.Contains(got, "ghi “Thẩm tra lý lịch”") {
		t.Fatalf("changes since the last visit: %q", got)
	}
}

// The queue keeps each file's derived state between views, and the state it
// shows follows a step recorded on the file and the passing days.
func TestQueueFollowsStepsAndDays(t *testing.T) {
	e := newEnv(t, true)
	var id int64
	var name string
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT c.id, c.full_name FROM candidates c WHERE c.stage = 'dossier'
		AND EXISTS (SELECT 1 FROM steps s WHERE s.candidate_id = c.id AND s.kind = 'personal_history')
		AND NOT EXISTS (SELECT 1 FROM steps s WHERE s.candidate_id = c.id AND s.kind = 'verification') ORDER BY c.id LIMIT 1`).Scan(&id, &name); err != nil {
		t.Fatal(err)
	}
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	item := func() string {
		_, d := staff.get("/viec-can-lam")
		out := ""
		d.Find("[data-testid=queue-item]").Each(func(_ int, s *goquery.Selection) {
			if s.Find("a").First().Text() == name {
				out = s.Text()
			}
		})
		return out
	}
	before := item()
	if !strings.Contains(before, "Đang chờ Đảng ủy thẩm tra lý lịch") {
		t.Fatalf("%s before the verification: %q", name, before)
	}
	if _, err := e.srv.Svc.RecordStep(context.Background(), admission.Actor{Role: admission.RoleAdmin, ScopePath: "/"}, id,
		admission.StepInput{Kind: admission.Verification, OccurredOn: today, Outcome: admission.OutcomePassed}); err != nil {
		t.Fatal(err)
	}
	if after := item(); strings.Contains(after, "Đang chờ Đảng ủy thẩm tra lý lịch") {
		t.Fatalf("after the verification the queue still says %q", after)
	}
	// the working days left or late follow the day
	sentences := func(c *client) string {
		_, d := c.get("/viec-can-lam")
		var out []string
		d.Find("[data-testid=queue-item]").Each(func(_ int, s *goquery.Selection) {
			if t := s.Text(); strings.Contains(t, "ngày làm việc") {
				out = append(out, t)
			}
		})
		return strings.Join(out, "\n")
	}
	now := sentences(staff)
	if now == "" {
		t.Fatal("no file in the queue has a deadline")
	}
	e.clock.t = e.clock.t.AddDate(0, 0, 7)
	if later := sentences(e.signedIn("canbo2", admission.RoleStaff, "binh-ngoc")); later == now {
		t.Fatalf("a week later the queue says the same days:\n%s", later)
	}
}
