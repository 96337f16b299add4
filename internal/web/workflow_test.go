package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/PuerkitoBio/goquery"

	"ketnap/internal/admission"
)

// candidateAt returns a demo candidate of a cell at a stage.
func (e *env) candidateAt(code string, stage admission.Stage) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT c.id FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE o.code = $1 AND c.stage = $2 ORDER BY c.id LIMIT 1`, code, stage).Scan(&id); err != nil {
		e.t.Fatalf("no %s candidate in %s: %v", stage, code, err)
	}
	return id
}

func TestStepFormValidation(t *testing.T) {
	e := newEnv(t, true)
	sec := e.signedIn("bithu", admission.RoleSecretary, "binh-ngoc-khu-1")
	id := e.candidateAt("binh-ngoc-khu-1", admission.StageDossier)
	path := "/quan-chung/" + strconv.FormatInt(id, 10)
	_, page := sec.get(path)
	kinds := map[string]bool{}
	page.Find("details.step-form").Each(func(_ int, s *goquery.Selection) { kinds[s.AttrOr("data-testid", "")] = true })
	stepsBefore := e.count(`SELECT count(*) FROM steps WHERE candidate_id = $1`, id)
	auditBefore := e.count(`SELECT count(*) FROM audit_events`)
	var kind string
	for _, k := range []string{"comments", "introduction", "personal_history", "cell_resolution"} {
		if kinds["form-"+k] {
			kind = k
			break
		}
	}
	if kind == "" {
		t.Fatalf("no step form on a dossier-stage candidate: %v", kinds)
	}
	tests := []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"ImpossibleDate", url.Values{"kind": {kind}, "occurred_on": {"31/02/2026"}}, "occurred_on", "không hợp lệ"},
		{"MissingDate", url.Values{"kind": {kind}, "occurred_on": {""}}, "occurred_on", "Cần nhập ngày"},
		{"FutureDate", url.Values{"kind": {kind}, "occurred_on": {"01/01/2030"}}, "occurred_on", "chưa đến"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := sec.do("POST", path+"/buoc", tt.form)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", rec.Code)
			}
			d := doc(t, rec)
			msg := d.Find("#" + kind + "-" + tt.field + "-error").Text()
			if !strings.Contains(msg, tt.want) {
				t.Fatalf("message next to %s: %q, want %q", tt.field, msg, tt.want)
			}
			// what was typed is kept
			if v := d.Find("#"+kind+"-occurred_on").AttrOr("value", ""); v != tt.form.Get("occurred_on") {
				t.Fatalf("typed date %q not kept: %q", tt.form.Get("occurred_on"), v)
			}
		})
	}
	if e.count(`SELECT count(*) FROM steps WHERE candidate_id = $1`, id) != stepsBefore || e.count(`SELECT count(*) FROM audit_events WHERE action <> 'candidate.read'`) != auditBefore {
		t.Fatal("a refused form wrote something")
	}
}

func TestVoteWithMoreYesThanEligible(t *testing.T) {
	e := newEnv(t, true)
	sec := e.signedIn("bithu", admission.RoleSecretary, "binh-ngoc-khu-4")
	// a candidate whose next step is the cell vote
	var id int64
	err := e.db.Pool.QueryRow(context.Background(), `SELECT c.id FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE c.stage = 'dossier' AND EXISTS (SELECT 1 FROM steps s WHERE s.candidate_id = c.id AND s.kind = 'comments')
		  AND NOT EXISTS (SELECT 1 FROM steps s WHERE s.candidate_id = c.id AND s.kind = 'cell_resolution') ORDER BY c.id LIMIT 1`).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	var code string
	_ = e.db.Pool.QueryRow(context.Background(), `SELECT o.code FROM candidates c JOIN organizations o ON o.id = c.organization_id WHERE c.id = $1`, id).Scan(&code)
	sec = e.signedIn("bithu2", admission.RoleSecretary, code)
	path := "/quan-chung/" + strconv.FormatInt(id, 10)
	before := e.count(`SELECT count(*) FROM steps WHERE candidate_id = $1`, id)
	rec := sec.do("POST", path+"/buoc", url.Values{"kind": {"cell_resolution"}, "occurred_on": {"20/11/2026"}, "votes_eligible": {"9"}, "votes_yes": {"10"}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", rec.Code)
	}
	if rec := sec.do("POST", path+"/buoc", url.Values{"kind": {"cell_resolution"}, "occurred_on": {"20/11/2026"}, "votes_eligible": {"mười"}}); !strings.Contains(doc(t, rec).Find("#cell_resolution-votes_eligible-error").Text(), "số nguyên") {
		t.Fatalf("a word for a number: %d", rec.Code)
	}
	msg := doc(t, rec).Find("#cell_resolution-votes_yes-error").Text()
	if !strings.Contains(msg, "phải từ 0 đến số đảng viên được quyền biểu quyết") || !strings.Contains(msg, "294-QĐ/TW") {
		t.Fatalf("message %q", msg)
	}
	if e.count(`SELECT count(*) FROM steps WHERE candidate_id = $1`, id) != before {
		t.Fatal("the refused vote was written")
	}
	// the eligible number comes from the roll: more than the cell's official members is refused
	roll := e.count(`SELECT count(*) FROM members m JOIN candidates c ON c.organization_id = m.organization_id
		WHERE c.id = $1 AND m.official_on <= '2026-11-20' AND m.left_on IS NULL`, id)
	over := url.Values{"kind": {"cell_resolution"}, "occurred_on": {"20/11/2026"}, "votes_eligible": {strconv.Itoa(roll + 1)}, "votes_yes": {"3"}}
	if rec := sec.do("POST", path+"/buoc", over); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(doc(t, rec).Find("#cell_resolution-votes_eligible-error").Text(), "lớn hơn danh sách") {
		t.Fatalf("eligible above the roll (%d): %d", roll, rec.Code)
	}
	// the form says where its eligible number comes from and how many yes votes pass
	page := doc(t, sec.do("GET", path, nil))
	if got := page.Find("[data-testid=vote-roll]").First().Text(); !strings.Contains(got, strconv.Itoa(roll)+" đảng viên chính thức") {
		t.Fatalf("vote form roll (%d): %q; later: %q", roll, got, page.Find("[data-testid=later-steps]").Text())
	}
	if got := page.Find("[data-testid=vote-needed]").First().Text(); !strings.Contains(got, "Cần ít nhất "+strconv.Itoa(admission.YesNeeded(roll, admission.DefaultParams()))) {
		t.Fatalf("yes needed: %q", got)
	}
	// more yes votes than members present is refused
	present := url.Values{"kind": {"cell_resolution"}, "occurred_on": {"20/11/2026"}, "votes_eligible": {strconv.Itoa(roll)}, "votes_present": {"2"}, "votes_yes": {"3"}}
	if rec := sec.do("POST", path+"/buoc", present); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(doc(t, rec).Find("#cell_resolution-votes_yes-error").Text(), "có mặt") {
		t.Fatalf("more yes than present: %d", rec.Code)
	}
	// a double submit of one form records once
	form := url.Values{"kind": {"cell_resolution"}, "occurred_on": {"20/11/2026"}, "votes_eligible": {strconv.Itoa(roll)}, "votes_present": {strconv.Itoa(roll)},
		"votes_yes": {"3"}, "token": {"mot-lan"}}
	for i := 0; i < 2; i++ {
		if rec := sec.do("POST", path+"/buoc", form); rec.Code != http.StatusSeeOther {
			t.Fatalf("submit %d: %d %s", i, rec.Code, doc(t, rec).Find(".alert").Text())
		}
	}
	if n := e.count(`SELECT count(*) FROM steps WHERE candidate_id = $1 AND kind = 'cell_resolution'`, id); n != 1 {
		t.Fatalf("double submit recorded %d votes", n)
	}
	// the notice says how the vote came out, with the numbers and the threshold
	if got := doc(t, sec.do("GET", path+"?da-ghi=cell_resolution", nil)).Find("[data-testid=notice]").Text(); !strings.Contains(got, "Không đạt: 3/"+strconv.Itoa(roll)) ||
		!strings.Contains(got, "cần ít nhất "+strconv.Itoa(admission.YesNeeded(roll, admission.DefaultParams()))) {
		t.Fatalf("failed vote notice %q", got)
	}
	// the vote keeps how its eligible number came from the roll, and the timeline shows it
	if n := e.count(`SELECT count(*) FROM steps WHERE candidate_id = $1 AND kind = 'cell_resolution'
		AND votes_on_roll = $2 AND votes_away = 0 AND votes_exempt_absent = 0 AND votes_present = $2`, id, roll); n != 1 {
		t.Fatal("the vote's roll was not stored")
	}
	if got := doc(t, sec.do("GET", path, nil)).Find("[data-testid=timeline]").Text(); !strings.Contains(got, fmt.Sprintf("danh sách %d chính thức; %d có mặt", roll, roll)) {
		t.Fatalf("timeline does not show the roll: %q", got)
	}
	// a secretary cannot record the committee's decision, even by crafting the form
	rec = sec.do("POST", path+"/buoc", url.Values{"kind": {"verification"}, "occurred_on": {"20/11/2026"}, "outcome": {"passed"}})
	if rec.Code != http.StatusForbidden {
		t.Fatalf("crafted committee step: %d", rec.Code)
	}
}

func TestNewCandidateForm(t *testing.T) {
	e := newEnv(t, true)
	sec := e.signedIn("bithu", admission.RoleSecretary, "binh-ngoc-khu-1")
	before := e.count(`SELECT count(*) FROM candidates`)
	rec := sec.do("POST", "/quan-chung", url.Values{"full_name": {"Trần Văn Ba"}, "birth_date": {"30/02/1995"}, "occupation": {"Kỹ sư"}})
	d := doc(t, rec)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", rec.Code)
	}
	for _, f := range []string{"birth_date", "gender", "education_general", "occupation"} {
		if d.Find("#"+f+"-error").Text() == "" {
			t.Errorf("no message for %s", f)
		}
	}
	if d.Find("#full_name").AttrOr("value", "") != "Trần Văn Ba" || d.Find("#occupation option[selected]").AttrOr("value", "") != "Kỹ sư" {
		t.Fatal("typed values lost")
	}
	if e.count(`SELECT count(*) FROM candidates`) != before {
		t.Fatal("an invalid candidate was written")
	}
	// a cell outside the scope is refused like a missing one
	rec = sec.do("POST", "/quan-chung", url.Values{"full_name": {"Trần Văn Ba"}, "birth_date": {"3/2/1995"}, "gender": {"male"},
		"education_general": {"upper_secondary"}, "organization_id": {strconv.FormatInt(e.orgID("binh-ngoc-khu-2"), 10)}})
	if rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#organization_id-error").Text() == "" {
		t.Fatalf("other cell: %d", rec.Code)
	}
	form := url.Values{"full_name": {"trần  văn  ba"}, "birth_date": {"3/2/1995"}, "gender": {"male"}, "education_general": {"upper_secondary"},
		"organization_id": {strconv.FormatInt(e.orgID("binh-ngoc-khu-1"), 10)}, "token": {"tok-1"}}
	for i := 0; i < 2; i++ {
		if rec := sec.do("POST", "/quan-chung", form); rec.Code != http.StatusSeeOther {
			t.Fatalf("create %d: %d", i, rec.Code)
		}
	}
	if e.count(`SELECT count(*) FROM candidates`) != before+1 {
		t.Fatal("double submit created two candidates")
	}
}

func TestCandidateSearch(t *testing.T) {
	e := newEnv(t, true)
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	ctx := context.Background()
	add := func(name, code string) {
		if _, err := e.srv.Svc.AddCandidate(ctx, admission.Actor{Role: admission.RoleAdmin, ScopePath: "/"}, admission.CandidateInput{
			OrganizationID: e.orgID(code), FullName: name, Gender: admission.Female, BirthDate: admission.Day(1990, 1, 1), EducationGeneral: admission.EduUpperSecondary}); err != nil {
			t.Fatal(err)
		}
	}
	add("Hoàng Thị Thuận", "binh-ngoc-khu-2")
	add("Lê Thị Thuần", "binh-ngoc-khu-3")
	add("Đỗ Văn Đức", "binh-ngoc-khu-1")
	names := func(q string) []string {
		_, d := staff.get("/quan-chung?giai-doan=&q=" + url.QueryEscape(q))
		var out []string
		d.Find("[data-testid=candidate-row] a").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
		return out
	}
	if got := names("thuan"); len(got) < 2 || !contains(got, "Hoàng Thị Thuận") || !contains(got, "Lê Thị Thuần") {
		t.Fatalf("thuan: %v", got)
	}
	// exact diacritics rank first
	if got := names("Thuần"); len(got) < 2 || got[0] != "Lê Thị Thuần" {
		t.Fatalf("Thuần: %v", got)
	}
	if got := names("duc"); !contains(got, "Đỗ Văn Đức") {
		t.Fatalf("duc: %v", got)
	}
	for _, n := range names("duc") {
		if !strings.Contains(admission.SearchKey(n), "duc") {
			t.Fatalf("duc found %q", n)
		}
	}
	if got := names("%"); len(got) != 0 {
		t.Fatalf("a LIKE wildcard matched %v", got)
	}
	// a secretary sees only their cell
	sec := e.signedIn("bithu", admission.RoleSecretary, "binh-ngoc-khu-1")
	_, d := sec.get("/quan-chung?giai-doan=&q=thuan")
	if d.Find("[data-testid=candidate-row]").Length() != 0 {
		t.Fatal("a secretary found another cell's candidate")
	}
	if d.Find("[data-testid=empty]").Length() != 1 {
		t.Fatal("no empty state")
	}
	// overdue filter agrees with the deadlines
	_, d = staff.get("/quan-chung?han=overdue")
	if d.Find("[data-testid=candidate-row]").Length() == 0 || d.Find("[data-testid=candidate-row] .badge.overdue").Length() != d.Find("[data-testid=candidate-row]").Length() {
		t.Fatal("overdue filter")
	}
	// Vietnamese collation by given name
	_, d = staff.get("/quan-chung?giai-doan=")
	var given []string
	d.Find("[data-testid=candidate-row] a").Each(func(_ int, s *goquery.Selection) {
		f := strings.Fields(s.Text())
		given = append(given, f[len(f)-1])
	})
	for i := 1; i < len(given); i++ {
		if viLess(given[i], given[i-1]) {
			t.Fatalf("not in Vietnamese order: %q before %q", given[i-1], given[i])
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// viKey spells a word in the order of the Vietnamese alphabet (a ă â b c d
// đ e ê … o ô ơ … u ư …), tones ignored: a check, independent of ICU, of
// the collation the database applies.
func viKey(s string) string {
	var b strings.Builder
	var last rune
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch r {
		case 'đ':
			b.WriteString("d~")
		case '\u0306': // breve: ă
			b.WriteString("~")
		case '\u0302': // circumflex: â ê ô
			if last == 'a' {
				b.WriteString("~~")
			} else {
				b.WriteString("~")
			}
		case '\u031b': // horn: ơ ư
			if last == 'o' {
				b.WriteString("~~")
			} else {
				b.WriteString("~")
			}
		default:
			if !unicode.Is(unicode.Mn, r) {
				b.WriteRune(r)
				last = r
			}
		}
	}
	return b.String()
}

func viLess(a, b string) bool { return viKey(a) < viKey(b) }

func TestMembersAndTargets(t *testing.T) {
	e := newEnv(t, true)
	sec := e.signedIn("bithu", admission.RoleSecretary, "binh-ngoc-khu-1")
	cell := strconv.FormatInt(e.orgID("binh-ngoc-khu-1"), 10)
	before := e.count(`SELECT count(*) FROM members`)
	rec := sec.do("POST", "/to-chuc/"+cell+"/dang-vien", url.Values{"full_name": {"Mai Văn Mới"}, "gender": {"male"}, "birth_date": {"01/01/2010"},
		"status": {"official"}, "admitted_on": {"01/01/2020"}, "organization_id": {cell}})
	if rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#admitted_on-error").Text() == "" {
		t.Fatalf("under-age member: %d", rec.Code)
	}
	rec = sec.do("POST", "/to-chuc/"+cell+"/dang-vien", url.Values{"full_name": {"Mai Văn Mới"}, "gender": {"male"}, "birth_date": {"01/01/1980"},
		"admitted_on": {"01/05/2025"}, "organization_id": {cell}})
	if rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#ceremony_on-error").Text() == "" {
		t.Fatalf("probationary member without a ceremony date: %d", rec.Code)
	}
	form := url.Values{"full_name": {"Mai Văn Mới"}, "gender": {"male"}, "birth_date": {"01/01/1980"},
		"admitted_on": {"01/05/2025"}, "ceremony_on": {"10/05/2025"}, "organization_id": {cell}, "token": {"member-form-1"}}
	rec = sec.do("POST", "/to-chuc/"+cell+"/dang-vien", form)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("add member: %d %s", rec.Code, doc(t, rec).Find(".field-error").Text())
	}
	if rec = sec.do("POST", "/to-chuc/"+cell+"/dang-vien", form); rec.Code != http.StatusSeeOther || e.count(`SELECT count(*) FROM members`) != before+1 {
		t.Fatalf("double submit: %d, %d members added", rec.Code, e.count(`SELECT count(*) FROM members`)-before)
	}
	var id int64
	_ = e.db.Pool.QueryRow(context.Background(), `SELECT id FROM members WHERE full_name = 'Mai Văn Mới'`).Scan(&id)
	mid := strconv.FormatInt(id, 10)
	// the secretary cannot make a member official through the form
	rec = sec.do("POST", "/dang-vien/"+mid, url.Values{"full_name": {"Mai Văn Mới"}, "gender": {"male"}, "birth_date": {"01/01/1980"},
		"status": {"official"}, "admitted_on": {"01/05/2025"}, "ceremony_on": {"10/05/2025"}, "official_on": {"11/05/2026"}, "organization_id": {cell}})
	if rec.Code != http.StatusUnprocessableEntity || e.count(`SELECT count(*) FROM members WHERE id = $1 AND status = 'probationary' AND official_on IS NULL`, id) != 1 {
		t.Fatalf("secretary set the status through the form: %d", rec.Code)
	}
	// nor record a member event (staff only)
	if rec = sec.do("POST", "/dang-vien/"+mid+"/bien-dong", url.Values{"kind": {"official"}, "occurred_on": {"11/05/2026"}, "reason": {"NQ 5"}}); rec.Code != http.StatusForbidden {
		t.Fatalf("secretary member event: %d", rec.Code)
	}
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	// staff: not through the form either, only as an event with a reason, after the probation
	rec = staff.do("POST", "/dang-vien/"+mid, url.Values{"full_name": {"Mai Văn Mới"}, "gender": {"male"}, "birth_date": {"01/01/1980"},
		"status": {"official"}, "admitted_on": {"01/05/2025"}, "ceremony_on": {"10/05/2025"}, "official_on": {"11/05/2026"}, "organization_id": {cell}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("staff set the status through the form: %d", rec.Code)
	}
	if rec = staff.do("POST", "/dang-vien/"+mid+"/bien-dong", url.Values{"kind": {"official"}, "occurred_on": {"11/05/2026"}, "reason": {""}}); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("event without a reason: %d", rec.Code)
	}
	if rec = staff.do("POST", "/dang-vien/"+mid+"/bien-dong", url.Values{"kind": {"official"}, "occurred_on": {"09/05/2026"}, "reason": {"NQ 5"}}); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(doc(t, rec).Find("[data-testid=form-error]").Text(), "Chưa hết 12 tháng dự bị") {
		t.Fatalf("official before the probation ends: %d", rec.Code)
	}
	if rec = staff.do("POST", "/dang-vien/"+mid+"/bien-dong", url.Values{"kind": {"official"}, "occurred_on": {"10/05/2026"}, "reason": {"Quyết định 12-QĐ/ĐU"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("official as a member event: %d %s", rec.Code, doc(t, rec).Find("[data-testid=form-error]").Text())
	}
	if e.count(`SELECT count(*) FROM members WHERE id = $1 AND status = 'official' AND official_on = '2026-05-10'`, id) != 1 ||
		e.count(`SELECT count(*) FROM member_events WHERE member_id = $1 AND kind = 'official' AND reason = 'Quyết định 12-QĐ/ĐU'`, id) != 1 {
		t.Fatal("member event not recorded")
	}
	if _, d := staff.get("/dang-vien/" + mid); !strings.Contains(d.Find("[data-testid=member-events]").Text(), "Công nhận đảng viên chính thức") {
		t.Fatal("member page does not show the event")
	}
	// working elsewhere: the cell page shows it and the roll a vote counts leaves the member out
	if rec = staff.do("POST", "/dang-vien/"+mid+"/bien-dong", url.Values{"kind": {admission.EventWorkingElsewhere}, "occurred_on": {"01/09/2026"},
		"reason": {"Đi làm việc tại tỉnh khác"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("working elsewhere: %d %s", rec.Code, doc(t, rec).Find("[data-testid=form-error]").Text())
	}
	_, cp := sec.get("/to-chuc/" + cell)
	if got := cp.Find("[data-testid=member-activity]").Text(); !strings.Contains(got, "Sinh hoạt tạm thời nơi khác từ 01/09/2026") {
		t.Fatalf("cell page activity: %q", got)
	}
	if got := cp.Find("[data-testid=cell-roll]").Text(); !strings.Contains(got, "trừ 1 đang sinh hoạt tạm thời nơi khác") {
		t.Fatalf("cell roll: %q", got)
	}
	// transfer to another cell: outside a secretary's scope, refused
	rec = sec.do("POST", "/dang-vien/"+mid, url.Values{"full_name": {"Mai Văn Mới"}, "gender": {"male"}, "birth_date": {"01/01/1980"},
		"organization_id": {strconv.FormatInt(e.orgID("binh-ngoc-khu-2"), 10)}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("transfer out of scope: %d", rec.Code)
	}
	k2 := strconv.FormatInt(e.orgID("binh-ngoc-khu-2"), 10)
	rec = staff.do("POST", "/dang-vien/"+mid, url.Values{"full_name": {"Mai Văn Mới"}, "gender": {"male"}, "birth_date": {"01/01/1980"},
		"admitted_on": {"01/05/2025"}, "ceremony_on": {"10/05/2025"}, "official_on": {"10/05/2026"}, "organization_id": {k2}})
	if rec.Code != http.StatusSeeOther || e.count(`SELECT count(*) FROM members WHERE id = $1 AND organization_id = $2`, id, e.orgID("binh-ngoc-khu-2")) != 1 {
		t.Fatalf("transfer by staff: %d %s", rec.Code, doc(t, rec).Find(".field-error").Text())
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action LIKE 'member.%' AND user_id IS NOT NULL`); n != 4 {
		t.Fatalf("member changes audited %d times, want 4 (create, two events, update)", n)
	}
	// targets
	rec = staff.do("POST", "/chi-tieu", url.Values{"nam": {"2026"}, "t_" + k2: {"nhiều"}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad target: %d", rec.Code)
	}
	rec = staff.do("POST", "/chi-tieu", url.Values{"nam": {"2026"}, "t_" + k2: {"7"}, "t_" + cell: {"4"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("targets: %d", rec.Code)
	}
	if e.count(`SELECT admissions FROM targets WHERE organization_id = $1 AND year = 2026`, e.orgID("binh-ngoc-khu-2")) != 7 {
		t.Fatal("target not saved")
	}
	_, d := staff.get("/")
	if !strings.Contains(d.Find("[data-testid=dash-row]").Eq(1).Text(), "7") || d.Find("[data-testid=chart] rect").Length() == 0 {
		t.Fatal("dashboard does not show the target")
	}
	// a secretary reads her cell's target and forecast, and cannot set it
	rec, td := sec.get("/chi-tieu")
	if rec.Code != http.StatusOK || td.Find("[data-testid=target-row]").Length() != 1 || td.Find("[data-testid=target-row] input").Length() != 0 ||
		td.Find("[data-testid=target-row] [data-testid=forecast]").Text() == "" {
		t.Fatalf("secretary targets: %d, %d rows", rec.Code, td.Find("[data-testid=target-row]").Length())
	}
	if rec := sec.do("POST", "/chi-tieu", url.Values{"nam": {"2026"}, "t_" + cell: {"9"}}); rec.Code != http.StatusForbidden {
		t.Fatalf("secretary set a target: %d", rec.Code)
	}
	// the forecast weighs the open files: those awaiting the ceremony are likely
	_, td = staff.get("/chi-tieu")
	likely := e.count(`SELECT count(*) FROM candidates c JOIN steps s ON s.candidate_id = c.id AND s.kind = 'decision'
		WHERE c.stage = 'awaiting_ceremony' AND s.occurred_on >= '2026-01-01'`) +
		e.count(`SELECT count(*) FROM candidates WHERE stage = 'awaiting_decision' AND next_due <= '2026-12-31'`)
	total := td.Find("[data-testid=target-total] td")
	if got := strings.TrimSpace(total.Eq(2).Text()); got != strconv.Itoa(likely) || total.Length() != 6 {
		t.Fatalf("likely in total %q, want %d (%d cells)", got, likely, total.Length())
	}
	if rec := staff.do("GET", "/chi-tieu?dinh-dang=xlsx", nil); rec.Code != http.StatusOK ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), "chi-tieu-dang-bo-phuong-binh-ngoc-2026.xlsx") {
		t.Fatalf("targets xlsx: %d %q", rec.Code, rec.Header().Get("Content-Disposition"))
	}
	// secretary dashboard: their cell's due work
	_, d = sec.get("/")
	if d.Find("[data-testid=due], [data-testid=due-empty]").Length() != 1 {
		t.Fatal("secretary dashboard")
	}
	if got := d.Find("[data-testid=cell-target]").Text(); !strings.Contains(got, "đã kết nạp") || d.Find("[data-testid=cell-target] [data-testid=forecast]").Text() == "" {
		t.Fatalf("secretary dashboard target: %q", got)
	}
}

func TestHolidaysAndRuleSets(t *testing.T) {
	e := newEnv(t, true)
	admin := e.signedIn("quantri", admission.RoleAdmin, "binh-ngoc")
	_, d := admin.get("/quan-tri/ngay-nghi?nam=2027")
	if !strings.Contains(d.Find("[data-testid=holidays]").Text(), "06/02/2027") {
		t.Fatalf("Tết 2027 missing from the defaults: %q", d.Find("[data-testid=holidays]").Text())
	}
	if rec := admin.do("POST", "/quan-tri/ngay-nghi", url.Values{"day": {"30/02/2027"}, "name": {"x"}}); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("impossible day: %d", rec.Code)
	}
	if rec := admin.do("POST", "/quan-tri/ngay-nghi", url.Values{"day": {"3/5/2027"}, "name": {"Nghỉ bù"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("add: %d", rec.Code)
	}
	if e.count(`SELECT count(*) FROM holidays WHERE day = '2027-05-03' AND source = 'manual'`) != 1 {
		t.Fatal("holiday not saved")
	}
	// a holiday inside a running deadline moves the stored next due date by one working day
	var id int64
	var due time.Time
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT id, next_due FROM candidates WHERE next_due_code = 'decision_due' AND next_due > '2026-11-21' ORDER BY next_due LIMIT 1`).Scan(&id, &due); err != nil {
		t.Skipf("no running decision deadline in the demo: %v", err)
	}
	day := due.AddDate(0, 0, -1)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, -1)
	}
	if rec := admin.do("POST", "/quan-tri/ngay-nghi", url.Values{"day": {admission.FormatDate(day)}, "name": {"Nghỉ đột xuất"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("add: %d", rec.Code)
	}
	var moved time.Time
	_ = e.db.Pool.QueryRow(context.Background(), `SELECT next_due FROM candidates WHERE id = $1`, id).Scan(&moved)
	if !moved.After(due) {
		t.Fatalf("next due %s did not move after a holiday on %s", admission.FormatDate(moved), admission.FormatDate(day))
	}
	if rec := admin.do("POST", "/quan-tri/ngay-nghi/xoa", url.Values{"day": {"03/05/2027"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d", rec.Code)
	}
	if e.count(`SELECT count(*) FROM holidays WHERE day = '2027-05-03'`) != 0 || e.count(`SELECT count(*) FROM audit_events WHERE action LIKE 'holiday.%'`) != 3 {
		t.Fatal("holiday not deleted or not audited")
	}
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	_, d = staff.get("/quy-tac")
	if d.Find("[data-testid=rule-set]").Length() != 1 || !strings.Contains(d.Text(), "294-QĐ/TW") || !strings.Contains(d.Text(), "ít nhất 2/3") {
		t.Fatalf("rule sets page: %q", d.Find("main").Text())
	}
}

func TestMoveCandidate(t *testing.T) {
	e := newEnv(t, true)
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	id := e.candidateAt("binh-ngoc-khu-1", admission.StageDossier)
	path := "/quan-chung/" + strconv.FormatInt(id, 10)
	k3 := strconv.FormatInt(e.orgID("binh-ngoc-khu-3"), 10)
	steps := e.count(`SELECT count(*) FROM steps WHERE candidate_id = $1`, id)
	if rec := staff.do("POST", path+"/chuyen-chi-bo", url.Values{"to": {k3}}); rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#reason-error").Text() == "" {
		t.Fatalf("move without reason: %d", rec.Code)
	}
	if rec := staff.do("POST", path+"/chuyen-chi-bo", url.Values{"to": {k3}, "reason": {"Chuyển nơi cư trú sang khu 3"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("move: %d %s", rec.Code, doc(t, rec).Find(".field-error").Text())
	}
	if e.count(`SELECT count(*) FROM candidates WHERE id = $1 AND organization_id = $2`, id, e.orgID("binh-ngoc-khu-3")) != 1 ||
		e.count(`SELECT count(*) FROM steps WHERE candidate_id = $1`, id) != steps {
		t.Fatal("not moved with its history")
	}
	_, d := staff.get(path)
	if !strings.Contains(d.Find("[data-testid=moves]").Text(), "Chi bộ khu 3") {
		t.Fatalf("move not on the page: %q", d.Find("[data-testid=moves]").Text())
	}
	// the old cell's secretary no longer sees the person; the new one does
	old := e.signedIn("bithu1", admission.RoleSecretary, "binh-ngoc-khu-1")
	if rec, _ := old.get(path); rec.Code != http.StatusNotFound {
		t.Fatalf("old cell: %d", rec.Code)
	}
	nw := e.signedIn("bithu3", admission.RoleSecretary, "binh-ngoc-khu-3")
	if rec, _ := nw.get(path); rec.Code != http.StatusOK {
		t.Fatalf("new cell: %d", rec.Code)
	}
	if rec := nw.do("POST", path+"/chuyen-chi-bo", url.Values{"to": {k3}, "reason": {"x"}}); rec.Code != http.StatusForbidden {
		t.Fatalf("a secretary moved: %d", rec.Code)
	}
}

func TestEditProfile(t *testing.T) {
	e := newEnv(t, true)
	sec := e.signedIn("bithu", admission.RoleSecretary, "binh-ngoc-khu-1")
	id := e.candidateAt("binh-ngoc-khu-1", admission.StageDossier)
	path := "/quan-chung/" + strconv.FormatInt(id, 10) + "/ho-so"
	rec, d := sec.get(path)
	if rec.Code != 200 {
		t.Fatalf("edit page: %d", rec.Code)
	}
	form := url.Values{}
	d.Find("form.stack input[type=text], form.stack input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	form.Set("gender", d.Find("input[name=gender][checked]").AttrOr("value", ""))
	form.Set("education_general", d.Find("#education_general option[selected]").AttrOr("value", ""))
	form.Set("full_name", "Nguyễn   Thị  Sửa Tên")
	form.Set("birth_date", "31/4/1990")
	if rec := sec.do("POST", path, form); rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#full_name").AttrOr("value", "") != "Nguyễn   Thị  Sửa Tên" {
		t.Fatalf("impossible birth date: %d", rec.Code)
	}
	form.Set("birth_date", "30/4/1990")
	if rec := sec.do("POST", path, form); rec.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", rec.Code, doc(t, rec).Find(".field-error, .alert").Text())
	}
	var name, key string
	_ = e.db.Pool.QueryRow(context.Background(), `SELECT full_name, full_name_search FROM candidates WHERE id = $1`, id).Scan(&name, &key)
	if name != "Nguyễn Thị Sửa Tên" || key != "nguyen thi sua ten" {
		t.Fatalf("saved %q %q", name, key)
	}
	// the same form again carries a stale version
	if rec := sec.do("POST", path, form); rec.Code != http.StatusConflict {
		t.Fatalf("stale form: %d", rec.Code)
	}
	if e.count(`SELECT count(*) FROM audit_events WHERE action = 'candidate.update' AND entity_id = $1`, id) != 1 {
		t.Fatal("profile change not audited once")
	}
	viewer := e.signedIn("xem", admission.RoleViewer, "binh-ngoc")
	if rec, _ := viewer.get(path); rec.Code != http.StatusForbidden {
		t.Fatalf("viewer edit page: %d", rec.Code)
	}
}

func TestCorrectionPage(t *testing.T) {
	e := newEnv(t, true)
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	id := e.candidateAt("binh-ngoc-khu-1", admission.StageDossier)
	var stepID int64
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT id FROM steps WHERE candidate_id = $1 AND kind = 'awareness_class'`, id).Scan(&stepID); err != nil {
		t.Fatal(err)
	}
	cand := "/quan-chung/" + strconv.FormatInt(id, 10)
	_, d := staff.get(cand)
	link := d.Find(`a[href$="/buoc/` + strconv.FormatInt(stepID, 10) + `/dieu-chinh"]`)
	if link.Length() != 1 {
		t.Fatal("no correction link on the timeline")
	}
	path := link.AttrOr("href", "")
	rec, d := staff.get(path)
	if rec.Code != 200 || d.Find("#awareness_class-document_no").AttrOr("value", "") == "" {
		t.Fatalf("correction page: %d", rec.Code)
	}
	form := url.Values{"kind": {"awareness_class"}, "occurred_on": {d.Find("#awareness_class-occurred_on").AttrOr("value", "")},
		"document_no": {"999/GCN-ĐÚNG"}, "issued_by": {"Trung tâm Chính trị"}}
	if rec := staff.do("POST", path, form); rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#awareness_class-correction_reason-error").Text() == "" {
		t.Fatalf("correction without reason: %d", rec.Code)
	}
	form.Set("correction_reason", "Ghi nhầm số giấy chứng nhận")
	if rec := staff.do("POST", path, form); rec.Code != http.StatusSeeOther {
		t.Fatalf("correct: %d %s", rec.Code, doc(t, rec).Find(".alert, .field-error").Text())
	}
	if e.count(`SELECT count(*) FROM steps WHERE supersedes_id = $1 AND document_no = '999/GCN-ĐÚNG'`, stepID) != 1 {
		t.Fatal("the correction did not supersede the step")
	}
	if rec, _ := staff.get(path); rec.Code != http.StatusNotFound {
		t.Fatalf("correcting a superseded step: %d", rec.Code)
	}
	sec := e.signedIn("bithu", admission.RoleSecretary, "binh-ngoc-khu-1")
	if rec, _ := sec.get(path); rec.Code != http.StatusForbidden {
		t.Fatalf("secretary correction page: %d", rec.Code)
	}
}
