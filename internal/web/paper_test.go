package web_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
)

// paperCase is a candidate whose whole path is recorded, with what its
// papers must say.
type paperCase struct {
	id                int64
	name              string
	sponsors          []string
	sponsorCeremony   []time.Time
	helper            string
	eligible, yes     int // the passing cell vote
	failedYes         int // the failed first vote (0: none)
	failedID, votedID int64
}

// recordPath records a candidate of Chi bộ khu 2 from nomination to
// recognition: the decision 245-QĐ/ĐU of 26/06/2023, the ceremony on
// 03/07/2023, recognition in July 2024; failFirst makes the first cell vote
// fall short of 2/3.
func recordPath(t *testing.T, e *env, name string, birth time.Time, failFirst bool) paperCase {
	t.Helper()
	ctx := context.Background()
	root, err := e.db.OrganizationByCodeOrID(ctx, demo.RootCode)
	if err != nil {
		t.Fatal(err)
	}
	a := demo.Actor(root.Path)
	cell := e.orgID("binh-ngoc-khu-2")
	members, err := e.db.CellMembers(ctx, cell, root.Path)
	if err != nil {
		t.Fatal(err)
	}
	var official []admission.Member
	for _, m := range members {
		if m.IsOfficialOn(admission.Day(2021, 1, 1)) && m.Activity == admission.ActivityNormal {
			official = append(official, m)
		}
	}
	if len(official) < 3 {
		t.Fatalf("Chi bộ khu 2 has %d official members in 2021", len(official))
	}
	svc := e.srv.Svc
	c, err := svc.AddCandidate(ctx, a, admission.CandidateInput{OrganizationID: cell, FullName: name, Gender: admission.Female, BirthDate: birth,
		Ethnicity: "Kinh", EducationGeneral: admission.EduUpperSecondary, EducationProfessional: "Đại học", Occupation: "Viên chức", IdempotencyKey: "paper-" + name})
	if err != nil {
		t.Fatal(err)
	}
	pc := paperCase{id: c.ID, name: name, helper: official[0].FullName,
		sponsors: []string{official[1].FullName, official[2].FullName}, sponsorCeremony: []time.Time{official[1].CeremonyOn, official[2].CeremonyOn}}
	vote := admission.Day(2023, 5, 15)
	roll := admission.RollOn(members, vote)
	pc.eligible = roll.MaxEligible()
	pc.yes = pc.eligible - 1
	steps := []admission.StepInput{
		{Kind: admission.Nominated, OccurredOn: admission.Day(2022, 3, 1), HelperMemberID: official[0].ID},
		{Kind: admission.AwarenessClass, OccurredOn: admission.Day(2022, 3, 20), DocumentNo: "125/GCN-TTCT", IssuedBy: "Trung tâm Chính trị quận"},
		{Kind: admission.Application, OccurredOn: admission.Day(2022, 4, 5)},
		{Kind: admission.PersonalHistory, OccurredOn: admission.Day(2022, 4, 10)},
		{Kind: admission.Verification, OccurredOn: admission.Day(2022, 5, 10), Outcome: admission.OutcomePassed, DocumentNo: "Kết luận thẩm tra"},
		{Kind: admission.Introduction, OccurredOn: admission.Day(2022, 5, 15), Route: admission.RouteTwoSponsors, Sponsors: []admission.Sponsor{
			{MemberID: official[1].ID, KnownSince: admission.Day(2019, 1, 1), Relation: admission.RelationLived},
			{MemberID: official[2].ID, KnownSince: admission.Day(2020, 2, 1), Relation: admission.RelationWorked}}},
		{Kind: admission.Comments, OccurredOn: admission.Day(2022, 5, 20)},
	}
	if failFirst {
		pc.failedYes = pc.eligible / 2
		steps = append(steps, admission.StepInput{Kind: admission.CellResolution, OccurredOn: admission.Day(2023, 4, 10), DocumentNo: "07-NQ/CB",
			VotesFromRoll: true, VotesYes: pc.failedYes, VotesPresent: pc.eligible})
	}
	steps = append(steps,
		admission.StepInput{Kind: admission.CellResolution, OccurredOn: vote, DocumentNo: "12-NQ/CB", VotesFromRoll: true, VotesYes: pc.yes, VotesPresent: pc.eligible},
		admission.StepInput{Kind: admission.Decision, OccurredOn: admission.Day(2023, 6, 26), ReceivedOn: admission.Day(2023, 6, 28), DocumentNo: "245-QĐ/ĐU", IssuedBy: "Ban Thường vụ Đảng ủy phường Bình Ngọc"},
		admission.StepInput{Kind: admission.Ceremony, OccurredOn: admission.Day(2023, 7, 3), HelperMemberID: official[0].ID},
		admission.StepInput{Kind: admission.NewMemberClass, OccurredOn: admission.Day(2023, 9, 10), DocumentNo: "88/GCN-TTCT"},
		admission.StepInput{Kind: admission.RecognitionResolution, OccurredOn: admission.Day(2024, 7, 10), DocumentNo: "21-NQ/CB", VotesFromRoll: true, VotesYes: 0, VotesPresent: 0},
		admission.StepInput{Kind: admission.RecognitionDecision, OccurredOn: admission.Day(2024, 7, 25), DocumentNo: "512-QĐ/ĐU"},
	)
	for i, in := range steps {
		if in.Kind == admission.RecognitionResolution {
			r := admission.RollOn(mustMembers(t, e, cell, root.Path), in.OccurredOn)
			in.VotesYes, in.VotesPresent = r.MaxEligible(), r.MaxEligible()
		}
		in.IdempotencyKey = fmt.Sprintf("paper-%s-%d", name, i)
		st, err := svc.RecordStep(ctx, a, c.ID, in)
		if err != nil {
			t.Fatalf("%s: %v", in.Kind, err)
		}
		if in.Kind == admission.CellResolution {
			if in.VotesYes == pc.failedYes && failFirst && pc.failedID == 0 {
				pc.failedID = st.ID
			} else {
				pc.votedID = st.ID
			}
		}
	}
	return pc
}

func mustMembers(t *testing.T, e *env, cell int64, scope string) []admission.Member {
	t.Helper()
	m, err := e.db.CellMembers(context.Background(), cell, scope)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// percent is the expected "đạt …%" written independently of the code under test.
func percent(yes, of int) string {
	p := math.Round(float64(yes)*1000/float64(of)) / 10
	if p == math.Trunc(p) {
		return fmt.Sprintf("%.0f%%", p)
	}
	return strings.Replace(fmt.Sprintf("%.1f%%", p), ".", ",", 1)
}

func paperDoc(t *testing.T, c *client, path string) *goquery.Document {
	t.Helper()
	rec, d := c.get(path)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
	}
	if d.Find("nav.main, header.site").Length() != 0 {
		t.Fatalf("%s carries the app's navigation", path)
	}
	return d
}

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func wantIn(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s: want %q in %q", what, w, got)
		}
	}
}

func TestPapersOfTheSeedCase(t *testing.T) {
	e := newEnv(t, true)
	pc := recordPath(t, e, "Hoàng Thị Thuận", admission.Day(1989, 5, 14), false)
	staff := e.signedIn("vp-giayto", admission.RoleStaff, demo.RootCode)
	base := fmt.Sprintf("/quan-chung/%d/giay-to/", pc.id)
	text := func(d *goquery.Document, sel string) string { return squash(d.Find(sel).Text()) }

	// 6-KNĐ: the cell's resolution with the vote in figures and words
	d := paperDoc(t, staff, base+"6-knd")
	wantIn(t, "6-KNĐ heading", text(d, "[data-testid=paper-org]"), "CHI BỘ KHU 2")
	wantIn(t, "6-KNĐ number", text(d, "[data-testid=paper-number]"), "Số 12-NQ/CB")
	wantIn(t, "6-KNĐ date", text(d, "[data-testid=paper-date]"), "Bình Ngọc, ngày 15 tháng 5 năm 2023")
	wantIn(t, "6-KNĐ title", text(d, "[data-testid=paper-title]"), "PHIẾU THÔNG TIN")
	wantIn(t, "6-KNĐ", text(d, "[data-testid=paper]"), "Mẫu 6-KNĐ", "Hoàng Thị Thuận", "14/05/1989", "125/GCN-TTCT", pc.sponsors[0], pc.sponsors[1])
	wantIn(t, "6-KNĐ votes", text(d, "[data-testid^=row-so-dang-vien-chinh-thuc-tan-thanh]"),
		fmt.Sprintf("%d/%d đồng chí, đạt %s", pc.yes, pc.eligible, percent(pc.yes, pc.eligible)), admission.NumberWords(pc.yes)+" đồng chí")
	wantIn(t, "6-KNĐ eligible", text(d, "[data-testid=row-so-dang-vien-chinh-thuc-duoc-tinh]"), fmt.Sprintf("%d (%s)", pc.eligible, admission.NumberWords(pc.eligible)))
	wantIn(t, "6-KNĐ sign", text(d, "[data-testid=paper-sign]"), "T/M CHI BỘ", "BÍ THƯ")

	// 9-KNĐ: the committee's decision, its number and date from the file
	d = paperDoc(t, staff, base+"9-knd")
	wantIn(t, "9-KNĐ heading", text(d, "[data-testid=paper-org]"), "ĐẢNG ỦY PHƯỜNG BÌNH NGỌC")
	wantIn(t, "9-KNĐ number", text(d, "[data-testid=paper-number]"), "Số 245-QĐ/ĐU")
	wantIn(t, "9-KNĐ date", text(d, "[data-testid=paper-date]"), "Bình Ngọc, ngày 26 tháng 6 năm 2023")
	wantIn(t, "9-KNĐ", text(d, "[data-testid=paper]"), "Hoàng Thị Thuận", "28/06/2023", "Chi bộ khu 2 họp ngày 15/05/2023",
		fmt.Sprintf("%d/%d đồng chí", pc.yes, pc.eligible), "T/M BAN THƯỜNG VỤ", "Nơi nhận")

	// the ceremony minutes: the date in words, the helper, the probation's end
	d = paperDoc(t, staff, base+"bien-ban-le-ket-nap")
	wantIn(t, "minutes", text(d, "[data-testid=paper]"), "ngày 03 tháng 7 năm 2023", "245-QĐ/ĐU", pc.helper, "03/07/2023 đến 03/07/2024")

	// 3-KNĐ: one per sponsor, each with their own membership dates
	seen := map[string]bool{}
	for i := range pc.sponsors {
		d = paperDoc(t, staff, base+fmt.Sprintf("3-knd?nguoi=%d", i+1))
		wantIn(t, "3-KNĐ", text(d, "[data-testid=paper]"), "GIẤY GIỚI THIỆU NGƯỜI VÀO ĐẢNG", "Kính gửi: Chi bộ khu 2", "Hoàng Thị Thuận")
		for j, s := range pc.sponsors {
			if strings.Contains(text(d, "[data-testid=toi-la]"), s) {
				seen[s] = true
				wantIn(t, "3-KNĐ dates", text(d, "[data-testid=vao-dang]"), admission.FormatDate(pc.sponsorCeremony[j]))
				wantIn(t, "3-KNĐ signer", text(d, "[data-testid=paper-sign]"), "NGƯỜI GIỚI THIỆU", s)
			}
		}
	}
	if len(seen) != 2 {
		t.Errorf("3-KNĐ for each sponsor: %v", seen)
	}

	// 13-KNĐ: the published layout, the meeting's date in words
	d = paperDoc(t, staff, base+"13-knd")
	wantIn(t, "13-KNĐ", text(d, "[data-testid=hop]"), "Ngày 10 tháng 7 năm 2024, Chi bộ khu 2 đã họp", "Hoàng Thị Thuận", "vào Đảng ngày 03/07/2023")
	wantIn(t, "13-KNĐ", text(d, "[data-testid=paper-number]"), "Số 21-NQ/CB")
	wantIn(t, "13-KNĐ", text(d, "[data-testid=row-la-dang-vien-chinh-thuc-ke-tu-ngay]"), "03/07/2024")

	// 16-KNĐ: recognition, effective at the end of the 12 months
	d = paperDoc(t, staff, base+"16-knd")
	wantIn(t, "16-KNĐ", text(d, "[data-testid=paper-number]"), "Số 512-QĐ/ĐU")
	wantIn(t, "16-KNĐ", text(d, "[data-testid=paper]"), "ngày 25 tháng 7 năm 2024", "03/07/2024", "Tuổi đảng tính từ ngày: 26/06/2023")

	// the forms a person fills by hand: the name and cell pre-printed
	for _, slug := range []string{"1-knd", "2-knd", "10-knd", "11-knd", "5-knd"} {
		d = paperDoc(t, staff, base+slug)
		wantIn(t, slug, text(d, "[data-testid=paper]"), "Hoàng Thị Thuận", "Chi bộ khu 2")
	}
	wantIn(t, "11-KNĐ helper", text(paperDoc(t, staff, base+"11-knd"), "[data-testid=paper-sign]"), pc.helper)

	// the candidate page offers every paper, and each step's on its timeline row
	_, page := staff.get(fmt.Sprintf("/quan-chung/%d", pc.id))
	if n := page.Find("[data-testid=papers] li").Length(); n != len(admission.Papers)+1 { // 3-KNĐ twice
		t.Errorf("papers listed: %d", n)
	}
	if n := page.Find("[data-testid=step-paper]").Length(); n < 9 {
		t.Errorf("papers on timeline rows: %d", n)
	}
}

func TestPapersOfAFailedFirstVote(t *testing.T) {
	e := newEnv(t, true)
	pc := recordPath(t, e, "Trần Thị Bình", admission.Day(1990, 2, 3), true)
	staff := e.signedIn("vp-giayto2", admission.RoleStaff, demo.RootCode)
	base := fmt.Sprintf("/quan-chung/%d/giay-to/", pc.id)
	text := func(d *goquery.Document, sel string) string { return squash(d.Find(sel).Text()) }

	// by default, the vote that passed
	d := paperDoc(t, staff, base+"6-knd")
	wantIn(t, "6-KNĐ passed", text(d, "[data-testid=paper]"), fmt.Sprintf("%d/%d đồng chí, đạt %s", pc.yes, pc.eligible, percent(pc.yes, pc.eligible)), "Đạt —", "xem xét, quyết định kết nạp")
	if d.Find("a:contains('Lần 1')").Length() != 1 || d.Find("a:contains('Lần 2')").Length() != 1 {
		t.Error("the paper does not offer both votes")
	}
	// the failed vote's own paper: its figures, no proposal
	d = paperDoc(t, staff, base+fmt.Sprintf("6-knd?buoc=%d", pc.failedID))
	wantIn(t, "6-KNĐ failed", text(d, "[data-testid=paper]"), fmt.Sprintf("%d/%d đồng chí, đạt %s", pc.failedYes, pc.eligible, percent(pc.failedYes, pc.eligible)),
		"Không đạt", "Không: chưa đủ số đảng viên chính thức tán thành")
	wantIn(t, "6-KNĐ failed date", text(d, "[data-testid=paper-date]"), "ngày 10 tháng 4 năm 2023")
	// the decision rests on the passing vote, not the failed one
	d = paperDoc(t, staff, base+"9-knd")
	wantIn(t, "9-KNĐ", text(d, "[data-testid=row-can-cu-nghi-quyet-de-nghi-ket-nap-cua-chi-bo]"), "họp ngày 15/05/2023", fmt.Sprintf("%d/%d", pc.yes, pc.eligible))
	// another candidate's step, an unknown paper, a sponsor that is not there: not found
	for _, p := range []string{base + "6-knd?buoc=1", base + "7-knd", base + "3-knd?nguoi=3"} {
		if rec := staff.do(http.MethodGet, p, nil); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", p, rec.Code)
		}
	}
}

// A paper is part of a personal file: out of scope it does not exist, and
// every print is audited with who printed which paper of which file.
func TestPaperScopeAndAudit(t *testing.T) {
	e := newEnv(t, true)
	pc := recordPath(t, e, "Lê Thị Hoa", admission.Day(1985, 8, 8), false)
	other := e.signedIn("bt-khu1", admission.RoleSecretary, "binh-ngoc-khu-1")
	if rec := other.do(http.MethodGet, fmt.Sprintf("/quan-chung/%d/giay-to/9-knd", pc.id), nil); rec.Code != http.StatusNotFound {
		t.Fatalf("another cell's secretary: %d", rec.Code)
	}
	own := e.signedIn("bt-khu2", admission.RoleSecretary, "binh-ngoc-khu-2")
	paperDoc(t, own, fmt.Sprintf("/quan-chung/%d/giay-to/9-knd?mat=1", pc.id))
	var n int
	var filters string
	if err := e.db.Pool.QueryRow(context.Background(),
		`SELECT count(*), max(after::text) FROM audit_events WHERE action = 'report.print' AND after->>'what' = 'giay-to'`).Scan(&n, &filters); err != nil {
		t.Fatal(err)
	}
	if n != 1 || !strings.Contains(filters, fmt.Sprint(pc.id)) || !strings.Contains(filters, "9-knd") {
		t.Fatalf("audit: %d events, %s", n, filters)
	}
}
