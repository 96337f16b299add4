package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
)

// reportWard is a hand-computed fixture: a ward with two cells and members
// chosen to fall into every row, on both edges of the age bands and of the
// period "6 tháng đầu năm 2026", and last year's same half.
func reportWard(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	root := admission.Actor{Role: admission.RoleAdmin, ScopePath: "/"}
	ward, err := e.srv.Svc.CreateOrganization(ctx, root, admission.OrgInput{Kind: admission.KindCommittee, Name: "Đảng bộ phường Thử Nghiệm", Code: "thu-nghiem"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.srv.Svc.CreateOrganization(ctx, root, admission.OrgInput{ParentID: ward.ID, Kind: admission.KindCell, Name: "Chi bộ khu A", Code: "thu-a"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.srv.Svc.CreateOrganization(ctx, root, admission.OrgInput{ParentID: ward.ID, Kind: admission.KindCell, Name: "Chi bộ khu B", Code: "thu-b"})
	if err != nil {
		t.Fatal(err)
	}
	staff := admission.Actor{Role: admission.RoleStaff, ScopeOrgID: ward.ID, ScopePath: ward.Path}
	d := admission.Day
	for _, m := range []admission.MemberForm{
		// H1/2026, first day; 31 on the day (the lower edge of 31–35)
		{OrganizationID: a.ID, FullName: "Nguyễn Thị Một", Gender: admission.Female, BirthDate: d(1995, 1, 1), AdmittedOn: d(2026, 1, 1), CeremonyOn: d(2026, 1, 10),
			Composition: admission.Composition{Ethnicity: "Kinh", Religion: "Không", EducationGeneral: admission.EduUpperSecondary, EducationProfessional: "Đại học",
				PoliticalTheory: "Không có", Occupation: "Viên chức", YouthUnion: true}},
		// H1/2026, last day; 30 on the day (the upper edge of 18–30); ceremony in H2
		{OrganizationID: a.ID, FullName: "Lò Văn Hai", Gender: admission.Male, BirthDate: d(1996, 6, 30), AdmittedOn: d(2026, 6, 30), CeremonyOn: d(2026, 7, 5),
			Composition: admission.Composition{Ethnicity: "Tày", Religion: "Phật giáo", EducationGeneral: admission.EduLowerSecondary, EducationProfessional: "Trung cấp",
				PoliticalTheory: "Sơ cấp", Occupation: "Chủ doanh nghiệp tư nhân", Readmission: true}},
		// 60 the day before turning 61 (the upper edge of 56–60)
		{OrganizationID: a.ID, FullName: "Trần Thị Ba", Gender: admission.Female, BirthDate: d(1965, 3, 16), AdmittedOn: d(2026, 3, 15), CeremonyOn: d(2026, 3, 20),
			Composition: admission.Composition{Ethnicity: "Kinh", Religion: "Công giáo", EducationGeneral: admission.EduPrimary, EducationProfessional: "Không có",
				PoliticalTheory: "Không có", Occupation: "Hưu trí"}},
		// 61 on the day (over 60), in the other cell
		{OrganizationID: b.ID, FullName: "Chu Văn Bốn", Gender: admission.Male, BirthDate: d(1965, 4, 1), AdmittedOn: d(2026, 4, 1), CeremonyOn: d(2026, 4, 10),
			Composition: admission.Composition{Ethnicity: "Hoa", Religion: "Không", EducationGeneral: admission.EduUpperSecondary, EducationProfessional: "Thạc sĩ",
				PoliticalTheory: "Trung cấp", Occupation: "Cán bộ, công chức"}},
		// the day before the period by decision (a December decision), in it by the January ceremony
		{OrganizationID: b.ID, FullName: "Phạm Thị Năm", Gender: admission.Female, BirthDate: d(1990, 5, 5), AdmittedOn: d(2025, 12, 31), CeremonyOn: d(2026, 1, 5),
			Composition: admission.Composition{Ethnicity: "Kinh", Religion: "Không", EducationGeneral: admission.EduUpperSecondary, Occupation: "Công nhân"}},
		// the day after the period
		{OrganizationID: b.ID, FullName: "Đỗ Văn Sáu", Gender: admission.Male, BirthDate: d(1990, 6, 6), AdmittedOn: d(2026, 7, 1), CeremonyOn: d(2026, 7, 10),
			Composition: admission.Composition{Ethnicity: "Kinh", Religion: "Không", EducationGeneral: admission.EduUpperSecondary}},
		// last year's H1: two, one a woman, one Mường aged 40
		{OrganizationID: a.ID, FullName: "Vũ Thị Bảy", Gender: admission.Female, BirthDate: d(2000, 2, 10), AdmittedOn: d(2025, 2, 10), CeremonyOn: d(2025, 2, 20),
			Composition: admission.Composition{Ethnicity: "Kinh", Religion: "Không", EducationGeneral: admission.EduUpperSecondary, Occupation: "Viên chức"}},
		{OrganizationID: a.ID, FullName: "Bùi Văn Tám", Gender: admission.Male, BirthDate: d(1985, 6, 1), AdmittedOn: d(2025, 6, 30), CeremonyOn: d(2025, 7, 2),
			Composition: admission.Composition{Ethnicity: "Mường", Religion: "Không", EducationGeneral: admission.EduUpperSecondary, Occupation: "Công nhân"}},
	} {
		m.ConfirmDistinct = true
		if _, err := e.srv.Svc.AddMember(ctx, staff, m); err != nil {
			t.Fatalf("%s: %v", m.FullName, err)
		}
	}
}

// reportWant are the hand-computed numbers of the fixture for H1/2026 by
// decision date: row label → this period, last year.
var reportWant = map[string][2]string{
	"Tổng số đảng viên mới kết nạp": {"4", "2"}, "Nữ": {"2", "1"}, "Người dân tộc thiểu số": {"2", "1"}, "Người theo tôn giáo": {"2", "0"},
	"Đoàn viên Đoàn TNCS Hồ Chí Minh": {"1", "0"}, "Kết nạp lại": {"1", "0"}, "Chủ doanh nghiệp tư nhân": {"1", "0"},
	"Từ 18 đến 30 tuổi": {"1", "1"}, "Từ 31 đến 35 tuổi": {"1", "0"}, "Từ 36 đến 40 tuổi": {"0", "1"}, "Từ 56 đến 60 tuổi": {"1", "0"},
	"Trên 60 tuổi": {"1", "0"}, "Tuổi bình quân": {"45,5", "32,5"},
	"Tiểu học": {"1", "0"}, "Trung học cơ sở": {"1", "0"}, "Trung học phổ thông": {"2", "2"},
	"Đại học": {"1", "0"}, "Trung cấp": {"1", "0"}, "Thạc sĩ": {"1", "0"}, "Hưu trí": {"1", "0"}, "Cán bộ, công chức": {"1", "0"},
	"Số chi bộ có kết nạp đảng viên": {"2", "1"},
}

func TestReportHandComputed(t *testing.T) {
	e := newEnv(t, false)
	reportWard(t, e)
	staff := e.signedIn("canbo", admission.RoleStaff, "thu-nghiem")
	base := "/bao-cao?ky=2026-h1&to-chuc=" + itoa(e.orgID("thu-nghiem"))
	rec, d := staff.get(base)
	if rec.Code != http.StatusOK {
		t.Fatalf("report: %d", rec.Code)
	}
	if got := d.Find("[data-testid=report-period]").Text(); got != "6 tháng đầu năm 2026" {
		t.Fatalf("period %q", got)
	}
	page := tableRows(d.Find("[data-testid=report-main]"))
	for label, want := range reportWant {
		got, ok := page[label]
		if !ok || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("page %s: %v, want %v", label, got, want)
		}
	}
	if got := page["Tổng số đảng viên mới kết nạp"]; len(got) < 3 || got[2] != "200,0" {
		t.Errorf("ratio %v", got)
	}
	// every number opens the people it counts
	href, _ := d.Find("[data-testid=report-row]").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.TrimSpace(s.Find("th").Text()) == "Nữ"
	}).Find("td a").First().Attr("href")
	_, list := staff.get(href)
	var names []string
	list.Find("[data-testid=person-row] td:nth-child(2)").Each(func(_ int, s *goquery.Selection) { names = append(names, s.Text()) })
	if strings.Join(names, ",") != "Nguyễn Thị Một,Trần Thị Ba" {
		t.Fatalf("the women of H1/2026: %v (from %s)", names, href)
	}
	// Biểu 2B: by ethnicity and religion, with women
	comp := tableRows(d.Find("[data-testid=report-composition]"))
	if got := comp["Tày"]; len(got) < 4 || got[0] != "1" || got[1] != "0" {
		t.Errorf("2B Tày: %v", got)
	}
	if got := comp["Công giáo"]; len(got) < 4 || got[0] != "1" || got[1] != "1" {
		t.Errorf("2B Công giáo: %v", got)
	}
	// by ceremony date: Phạm Thị Năm in, Lò Văn Hai out
	_, byCeremony := staff.get(base + "&co-so=le-ket-nap")
	if got := tableRows(byCeremony.Find("[data-testid=report-main]"))["Nữ"]; got[0] != "3" {
		t.Errorf("women by ceremony date: %v", got)
	}

	// the XLSX holds the same numbers, cell by cell
	rec = staff.do("GET", "/bao-cao/tai-ve?dinh-dang=xlsx&ky=2026-h1&to-chuc="+itoa(e.orgID("thu-nghiem")), nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), `filename="bao-cao-ket-nap-dang-bo-phuong-thu-nghiem-2026-h1.xlsx"`) {
		t.Fatalf("xlsx: %d %q", rec.Code, rec.Header().Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Biểu 2")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "ĐẢNG BỘ PHƯỜNG THỬ NGHIỆM" || rows[0][len(rows[0])-1] != "ĐẢNG CỘNG SẢN VIỆT NAM" || rows[1][0] != "Thống kê đảng viên mới kết nạp" {
		t.Fatalf("xlsx heading %v / %v", rows[0], rows[1])
	}
	xl := map[string][]string{}
	for _, r := range rows {
		if len(r) > 1 {
			xl[strings.TrimSpace(r[0])] = r[1:]
		}
	}
	for label, want := range reportWant {
		got := xl[label]
		if len(got) < 2 || strings.Replace(got[0], ".", ",", 1) != want[0] || strings.Replace(got[1], ".", ",", 1) != want[1] {
			t.Errorf("xlsx %s: %v, want %v", label, got, want)
		}
	}
	// numbers are numbers, in Times New Roman, under a frozen header
	if v, _ := f.GetCellType("Biểu 2", "B9"); v != excelize.CellTypeNumber && v != excelize.CellTypeUnset {
		t.Errorf("B9 type %v", v)
	}
	panes, err := f.GetPanes("Biểu 2")
	if err != nil || !panes.Freeze {
		t.Errorf("header not frozen: %+v %v", panes, err)
	}
	if sid, _ := f.GetCellStyle("Biểu 2", "A1"); sid != 0 {
		st, _ := f.GetStyle(sid)
		if st.Font == nil || st.Font.Family != "Times New Roman" {
			t.Errorf("font %+v", st.Font)
		}
	}

	// the CSV too, with its BOM
	rec = staff.do("GET", "/bao-cao/tai-ve?dinh-dang=csv&ky=2026-h1&to-chuc="+itoa(e.orgID("thu-nghiem")), nil)
	body := rec.Body.String()
	if !strings.HasPrefix(body, "\uFEFF") {
		t.Fatal("csv without a BOM")
	}
	recs, err := readCSV(strings.TrimPrefix(body, "\uFEFF"))
	if err != nil {
		t.Fatal(err)
	}
	cs := map[string][]string{}
	for _, r := range recs {
		if len(r) > 2 && cs[strings.TrimSpace(r[0])] == nil {
			cs[strings.TrimSpace(r[0])] = r[1:]
		}
	}
	for label, want := range reportWant {
		got := cs[label]
		if len(got) < 2 || strings.Replace(got[0], ".", ",", 1) != want[0] || strings.Replace(got[1], ".", ",", 1) != want[1] {
			t.Errorf("csv %s: %v, want %v", label, got, want)
		}
	}
	// every download is audited
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'report.export'`); n != 2 {
		t.Fatalf("downloads audited %d times", n)
	}
	// the print view carries the heading and is audited
	_, pr := staff.get("/bao-cao/in?ky=2026-h1&mat=1&to-chuc=" + itoa(e.orgID("thu-nghiem")))
	head := pr.Find("[data-testid=print-head]").Text()
	for _, want := range []string{"ĐẢNG BỘ PHƯỜNG THỬ NGHIỆM", "ĐẢNG CỘNG SẢN VIỆT NAM", "Thử Nghiệm, ngày 20 tháng 11 năm 2026", "MẬT", "Người canbo"} {
		if !strings.Contains(head, want) {
			t.Errorf("print heading lacks %q: %q", want, head)
		}
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'report.print'`); n != 1 {
		t.Fatalf("prints audited %d times", n)
	}
}

func TestReportScopeAndBadInput(t *testing.T) {
	e := newEnv(t, true)
	reportWard(t, e)
	sec := e.signedIn("bithu", admission.RoleSecretary, "binh-ngoc-khu-1")
	// another ward's report is out of scope: not found, as a missing record
	if rec := sec.do("GET", "/bao-cao?to-chuc="+itoa(e.orgID("thu-nghiem")), nil); rec.Code != http.StatusNotFound {
		t.Fatalf("other ward's report: %d", rec.Code)
	}
	if rec := sec.do("GET", "/bao-cao/danh-sach?dong=women&to-chuc="+itoa(e.orgID("thu-nghiem")), nil); rec.Code != http.StatusNotFound {
		t.Fatalf("other ward's list: %d", rec.Code)
	}
	// bad parameters fall back to defaults and say so; an unknown row is not found
	if rec := sec.do("GET", "/bao-cao?ky=%00", nil); rec.Code != http.StatusBadRequest {
		t.Fatalf("a NUL in the period: %d", rec.Code)
	}
	for _, q := range []string{"ky=2026-h7", "tu=31/02/2026&den=01/01/2026", "to-chuc=99999999999999999999"} {
		rec, d := sec.get("/bao-cao?" + q)
		if rec.Code != http.StatusOK || d.Find(".alert").Text() == "" {
			t.Errorf("%s: %d %q", q, rec.Code, d.Find(".alert").Text())
		}
	}
	if rec := sec.do("GET", "/bao-cao/danh-sach?dong=x%3Ay", nil); rec.Code != http.StatusNotFound {
		t.Fatalf("unknown row: %d", rec.Code)
	}
	if rec := sec.do("GET", "/bao-cao/tai-ve?dinh-dang=pdf", nil); rec.Code != http.StatusBadRequest {
		t.Fatalf("unknown format: %d", rec.Code)
	}
	// a viewer reads reports
	viewer := e.signedIn("thanhtra", admission.RoleViewer, "binh-ngoc")
	if rec := viewer.do("GET", "/bao-cao", nil); rec.Code != http.StatusOK {
		t.Fatalf("viewer: %d", rec.Code)
	}
}

// The seed's case: Hoàng Thị Thuận of Chi bộ khu 2, decision in June 2023,
// ceremony on 03/07/2023: once in 2023, in H1 by the decision date, in H2
// by the ceremony date, among the women.
func TestReportSeedCase(t *testing.T) {
	e := newEnv(t, true)
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	women := func(q string) []string {
		_, d := staff.get("/bao-cao/danh-sach?dong=women&" + q)
		var names []string
		d.Find("[data-testid=person-row] td:nth-child(2)").Each(func(_ int, s *goquery.Selection) { names = append(names, s.Text()) })
		return names
	}
	count := func(names []string) int {
		n := 0
		for _, x := range names {
			if x == "Hoàng Thị Thuận" {
				n++
			}
		}
		return n
	}
	for q, want := range map[string]int{"ky=2023": 1, "ky=2023-h1": 1, "ky=2023-h2": 0, "ky=2023-h2&co-so=le-ket-nap": 1, "ky=2023-h1&co-so=le-ket-nap": 0, "ky=2024": 0} {
		if got := count(women(q)); got != want {
			t.Errorf("%s: Hoàng Thị Thuận counted %d times, want %d", q, got, want)
		}
	}
}

// tableRows reads a report table: row label → its cells.
func tableRows(t *goquery.Selection) map[string][]string {
	out := map[string][]string{}
	t.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, strings.TrimSpace(td.Text())) })
		if label := strings.TrimSpace(tr.Find("th").First().Text()); label != "" && out[label] == nil {
			out[label] = cells
		}
	})
	return out
}

func readCSV(s string) ([][]string, error) {
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	return r.ReadAll()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Text stored before the vocabularies is listed for staff to correct; an
// admin adds an entry and the value is then an entry.
func TestVocabularyPage(t *testing.T) {
	e := newEnv(t, true)
	if _, err := e.db.Pool.Exec(context.Background(), `UPDATE candidates SET occupation = 'Giáo viên' WHERE id = (SELECT min(id) FROM candidates)`); err != nil {
		t.Fatal(err)
	}
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	_, d := staff.get("/danh-muc")
	if got := d.Find("[data-testid=unmatched-row]").Text(); !strings.Contains(got, "Giáo viên") || d.Find("[data-testid=vocab-form]").Length() != 0 {
		t.Fatalf("unmatched: %q", got)
	}
	if !strings.Contains(d.Find("[data-testid=vocab-ethnicity]").Text(), "Ơ Đu") {
		t.Fatal("the 54 ethnic groups are not listed")
	}
	admin := e.signedIn("quantri", admission.RoleAdmin, "binh-ngoc")
	if rec := admin.do("POST", "/quan-tri/danh-muc", url.Values{"kind": {"occupation"}, "label": {""}}); rec.Code != http.StatusUnprocessableEntity ||
		doc(t, rec).Find("#label-error").Text() == "" {
		t.Fatalf("empty label: %d", rec.Code)
	}
	if rec := admin.do("POST", "/quan-tri/danh-muc", url.Values{"kind": {"occupation"}, "label": {"Giáo viên"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("add: %d", rec.Code)
	}
	if _, d := staff.get("/danh-muc"); d.Find("[data-testid=unmatched-empty]").Length() != 1 {
		t.Fatalf("still unmatched: %q", d.Find("[data-testid=unmatched-row]").Text())
	}
}

// Lists download with their filters in the heading; the candidate page
// prints with the heading of a party document; both are audited.
func TestListExportsAndCandidatePrint(t *testing.T) {
	e := newEnv(t, true)
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	_, d := staff.get("/quan-chung?han=overdue")
	want := strings.Fields(d.Find("[data-testid=candidates-total]").Text())[0]
	href, _ := d.Find("[data-testid=list-xlsx]").Attr("href")
	rec := staff.do("GET", href, nil)
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("%s: %v", href, err)
	}
	rows, _ := f.GetRows("Quần chúng")
	var data [][]string
	heading := ""
	for i, r := range rows {
		if len(r) > 0 && r[0] == "STT" {
			data = rows[i+1:]
			break
		}
		heading += strings.Join(r, " ") + "\n"
	}
	if strconv.Itoa(len(data)) != want || !strings.Contains(heading, "Hạn: Quá hạn") {
		t.Fatalf("overdue list: %d rows, page says %s; heading %q", len(data), want, heading)
	}
	for _, r := range data {
		if r[len(r)-1] != "Quá hạn" {
			t.Fatalf("row %v does not say overdue in words", r)
		}
	}
	sec := e.signedIn("bithu", admission.RoleSecretary, "binh-ngoc-khu-1")
	members := e.count(`SELECT count(*) FROM members WHERE organization_id = $1`, e.orgID("binh-ngoc-khu-1"))
	rec = sec.do("GET", "/to-chuc/"+itoa(e.orgID("binh-ngoc-khu-1"))+"?dinh-dang=csv", nil)
	recs, err := readCSV(strings.TrimPrefix(rec.Body.String(), "\uFEFF"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs {
		if len(r) == 8 && r[0] != "STT" {
			n++
		}
	}
	if n != members {
		t.Fatalf("members csv: %d rows, want %d", n, members)
	}
	// another cell's members are not hers to download
	if rec := sec.do("GET", "/to-chuc/"+itoa(e.orgID("binh-ngoc-khu-2"))+"?dinh-dang=csv", nil); rec.Code != http.StatusNotFound {
		t.Fatalf("other cell's members: %d", rec.Code)
	}
	var id int64
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT c.id FROM candidates c WHERE c.organization_id = $1 ORDER BY id LIMIT 1`, e.orgID("binh-ngoc-khu-1")).Scan(&id); err != nil {
		t.Fatal(err)
	}
	_, p := sec.get("/quan-chung/" + itoa(id) + "?in=1")
	if head := p.Find("[data-testid=print-head]").Text(); !strings.Contains(head, "CHI BỘ KHU 1") || !strings.Contains(head, "ĐẢNG BỘ PHƯỜNG BÌNH NGỌC") {
		t.Fatalf("candidate print heading %q", head)
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'report.print'`); n != 1 {
		t.Fatalf("candidate prints audited %d times", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'report.export'`); n != 2 {
		t.Fatalf("list downloads audited %d times", n)
	}
}

// A province's staff see one row per ward, and the total, on the targets
// page and in the report.
func TestProvinceRollUp(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	root := admission.Actor{Role: admission.RoleAdmin, ScopePath: "/"}
	prov, err := e.srv.Svc.CreateOrganization(ctx, root, admission.OrgInput{Kind: admission.KindCommittee, Name: "Đảng bộ tỉnh Thử", Code: "tinh"})
	if err != nil {
		t.Fatal(err)
	}
	staff := admission.Actor{Role: admission.RoleStaff, ScopeOrgID: prov.ID, ScopePath: prov.Path}
	targets := map[int64]*int{}
	for w, ward := range []string{"Đảng bộ phường Một", "Đảng bộ phường Hai"} {
		wd, err := e.srv.Svc.CreateOrganization(ctx, root, admission.OrgInput{ParentID: prov.ID, Kind: admission.KindCommittee, Name: ward, Code: "p" + strconv.Itoa(w)})
		if err != nil {
			t.Fatal(err)
		}
		for c := 0; c < 2; c++ {
			cell, err := e.srv.Svc.CreateOrganization(ctx, root, admission.OrgInput{ParentID: wd.ID, Kind: admission.KindCell, Name: "Chi bộ " + strconv.Itoa(c), Code: "p" + strconv.Itoa(w) + "-" + strconv.Itoa(c)})
			if err != nil {
				t.Fatal(err)
			}
			n := 2
			targets[cell.ID] = &n
			// ward 0 admits one a cell this year, ward 1 none
			if w == 0 {
				if _, err := e.srv.Svc.AddMember(ctx, staff, admission.MemberForm{OrganizationID: cell.ID, FullName: "Người Số " + strconv.Itoa(c), Gender: admission.Female,
					BirthDate: admission.Day(1990, 1, 1), AdmittedOn: admission.Day(2026, 3, 1), CeremonyOn: admission.Day(2026, 3, 5), ConfirmDistinct: true}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := e.srv.Svc.SetTargets(ctx, staff, 2026, targets); err != nil {
		t.Fatal(err)
	}
	c := e.signedIn("tinh.canbo", admission.RoleStaff, "tinh")
	_, d := c.get("/chi-tieu")
	if d.Find("[data-testid=rolled-up]").Length() != 1 || d.Find("[data-testid=target-row]").Length() != 2 || d.Find("[data-testid=target-row] input").Length() != 0 {
		t.Fatalf("targets not rolled up: %d rows", d.Find("[data-testid=target-row]").Length())
	}
	total := d.Find("[data-testid=target-total] td")
	if strings.TrimSpace(total.Eq(0).Text()) != "8" || strings.TrimSpace(total.Eq(1).Text()) != "2" {
		t.Fatalf("province total: target %q admitted %q", total.Eq(0).Text(), total.Eq(1).Text())
	}
	var wardOne string
	d.Find("[data-testid=target-row]").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "phường Một") {
			wardOne = s.Find("td").Eq(1).Text() + "/" + s.Find("td").Eq(2).Text()
		}
	})
	if strings.TrimSpace(wardOne) != "4/2" {
		t.Fatalf("ward one: %q", wardOne)
	}
	// the report: one row per ward under the province's total
	_, rd := c.get("/bao-cao?ky=2026")
	units := rd.Find("[data-testid=report-units] tbody tr")
	if units.Length() != 2 || !strings.Contains(units.Text(), "Đảng bộ phường Một") {
		t.Fatalf("report units: %q", units.Text())
	}
	if got := tableRows(rd.Find("[data-testid=report-main]"))["Tổng số đảng viên mới kết nạp"]; got[0] != "2" {
		t.Fatalf("province total in the report: %v", got)
	}
	// the province's dashboard rolls up too
	_, dd := c.get("/")
	if n := dd.Find("[data-testid=dash-row]").Length(); n != 2 {
		t.Fatalf("dashboard rows %d, want one per ward", n)
	}
}

// The candidate list prints with its filters in the heading, audited.
func TestListPrint(t *testing.T) {
	e := newEnv(t, true)
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	_, d := staff.get("/quan-chung?han=overdue&in=1")
	head := d.Find("[data-testid=print-head]").Text()
	if !strings.Contains(head, "Hạn: Quá hạn") || !strings.Contains(head, "ĐẢNG CỘNG SẢN VIỆT NAM") || d.Find("[data-testid=print-now]").Length() != 1 {
		t.Fatalf("list print heading %q", head)
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'report.print'`); n != 1 {
		t.Fatalf("list prints audited %d times", n)
	}
}

// A cell's member list and the work queue print as lists do: the heading of
// a party document, the "MẬT" mark on request, each print audited.
func TestMemberListAndQueuePrint(t *testing.T) {
	e := newEnv(t, true)
	sec := e.signedIn("bt-in", admission.RoleSecretary, "binh-ngoc-khu-2")
	_, d := sec.get("/to-chuc/" + itoa(e.orgID("binh-ngoc-khu-2")) + "?in=1&mat=1")
	head := d.Find("[data-testid=print-head]").Text()
	if !strings.Contains(head, "CHI BỘ KHU 2") || !strings.Contains(head, "Danh sách đảng viên") || !strings.Contains(head, "MẬT") || d.Find("[data-testid=print-now]").Length() != 1 {
		t.Fatalf("member list print heading %q", head)
	}
	_, d = sec.get("/viec-can-lam?in=1")
	if head := d.Find("[data-testid=print-head]").Text(); !strings.Contains(head, "Việc cần làm đến ngày 20/11/2026") || !strings.Contains(head, "ĐẢNG BỘ PHƯỜNG BÌNH NGỌC") {
		t.Fatalf("queue print heading %q", head)
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'report.print'`); n != 2 {
		t.Fatalf("list prints audited %d times", n)
	}
	// the lists offer their print view
	_, d = sec.get("/to-chuc/" + itoa(e.orgID("binh-ngoc-khu-2")))
	if d.Find("[data-testid=members-print]").Length() != 1 {
		t.Fatal("the member list offers no print")
	}
}

// A report is counted once and kept while nothing up to its last day
// changes: a member admitted in the period is counted at once, a member
// admitted after it leaves the kept figures as they are.
func TestReportKeptUntilItsPeriodChanges(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	c := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	total := func() string {
		t.Helper()
		_, d := c.get("/bao-cao?ky=2025")
		return tableRows(d.Find("[data-testid=report-main]"))["Tổng số đảng viên mới kết nạp"][0]
	}
	keptAs := func(period string) (fp int64, at time.Time) {
		t.Helper()
		if err := e.db.Pool.QueryRow(ctx, `SELECT fingerprint, computed_at FROM report_cache WHERE organization_id = $1 AND period = $2`,
			e.orgID("binh-ngoc"), period).Scan(&fp, &at); err != nil {
			t.Fatalf("%s: %v", period, err)
		}
		return fp, at
	}
	kept := func() (int64, time.Time) { return keptAs("2025") }
	first := total()
	fp1, at1 := kept()
	if again := total(); again != first {
		t.Fatalf("the kept report reads %s, counted %s", again, first)
	}
	if fp, at := kept(); fp != fp1 || !at.Equal(at1) {
		t.Fatal("an unchanged period was counted again")
	}
	root, _ := e.db.OrganizationByCodeOrID(ctx, demo.RootCode)
	staff := demo.Actor(root.Path)
	add := func(admitted time.Time, name string) {
		t.Helper()
		if _, err := e.srv.Svc.AddMember(ctx, staff, admission.MemberForm{OrganizationID: e.orgID("binh-ngoc-khu-1"), FullName: name, Gender: admission.Female,
			BirthDate: admission.Day(1990, 1, 1), AdmittedOn: admitted, CeremonyOn: admitted.AddDate(0, 0, 7), ConfirmDistinct: true}); err != nil {
			t.Fatal(err)
		}
	}
	add(admission.Day(2026, 3, 1), "Người Sau Kỳ")
	if got := total(); got != first {
		t.Fatalf("a member admitted after the period changed it: %s, was %s", got, first)
	}
	if fp, at := kept(); fp != fp1 || !at.Equal(at1) {
		t.Fatal("a change after the period had the report counted again")
	}
	_, priorAt := keptAs("ky:2024") // the year before, shown beside it, kept on its own
	_, periodAt := keptAs("ky:2025")
	add(admission.Day(2025, 3, 1), "Người Trong Kỳ")
	n, _ := strconv.Atoi(first)
	if got := total(); got != strconv.Itoa(n+1) {
		t.Fatalf("a member admitted in the period: total %s, want %d", got, n+1)
	}
	if fp, _ := kept(); fp == fp1 {
		t.Fatal("the fingerprint did not change with the period")
	}
	if _, at := keptAs("ky:2024"); !at.Equal(priorAt) {
		t.Fatal("a change in 2025 had 2024's figures counted again")
	}
	if _, at := keptAs("ky:2025"); at.Equal(periodAt) {
		t.Fatal("2025's own figures were not counted again")
	}
}

// In a scope of thousands of organizations the report's picker offers the
// scope, the organizations directly under it and the one chosen, not every
// cell of the province.
func TestReportPickerOfALargeScope(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	if err := e.srv.Svc.EnsureHolidays(ctx, 2016, 2028); err != nil {
		t.Fatal(err)
	}
	sc := demo.Scale{Name: "test", Wards: 15, CellsPerWard: 30, Members: 1400, Candidates: 300}
	if _, err := demo.Generate(ctx, e.db, sc, today, nil); err != nil {
		t.Fatal(err)
	}
	c := e.signedIn("tinh.thu", admission.RoleStaff, demo.ScaleCode)
	options := func(path string) *goquery.Selection {
		t.Helper()
		res, d := c.get(path)
		if res.Code != http.StatusOK {
			t.Fatalf("%s: %d", path, res.Code)
		}
		return d.Find("#r-org option")
	}
	if n := options("/bao-cao?ky=2025").Length(); n != 1+sc.Wards {
		t.Fatalf("the province's picker has %d options, want %d", n, 1+sc.Wards)
	}
	var cell int64
	if err := e.db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE kind = 'cell' AND code LIKE $1 || '-%' ORDER BY id DESC LIMIT 1`, demo.ScaleCode).Scan(&cell); err != nil {
		t.Fatal(err)
	}
	opts := options("/bao-cao?ky=2025&to-chuc=" + itoa(cell))
	if opts.Length() != 2+sc.Wards || opts.Filter("[selected]").AttrOr("value", "") != itoa(cell) {
		t.Fatalf("a cell chosen: %d options, selected %q", opts.Length(), opts.Filter("[selected]").AttrOr("value", ""))
	}
}
