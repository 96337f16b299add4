package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
)

// sheetRows are a sheet's rows by column key, in the import's layout.
type sheetRows map[string][]map[string]string

// workbook writes sheets in the import's layout, headings first.
func workbook(t testing.TB, sheets sheetRows) []byte {
	t.Helper()
	x := excelize.NewFile()
	first := true
	for _, sh := range admission.ImportSheets {
		rows, ok := sheets[sh.Name]
		if !ok {
			continue
		}
		if first {
			if err := x.SetSheetName("Sheet1", sh.Name); err != nil {
				t.Fatal(err)
			}
			first = false
		} else if _, err := x.NewSheet(sh.Name); err != nil {
			t.Fatal(err)
		}
		head := []any{}
		for _, c := range sh.Columns {
			head = append(head, c.Header)
		}
		if err := x.SetSheetRow(sh.Name, "A1", &head); err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			vals := []any{}
			for _, c := range sh.Columns {
				vals = append(vals, r[c.Key])
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := x.SetSheetRow(sh.Name, cell, &vals); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload posts a file to the import and returns the preview's address.
func (c *client) upload(name string, data []byte, encoding string) (*httptest.ResponseRecorder, string) {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("tep", name)
	_, _ = fw.Write(data)
	_ = mw.WriteField("bang-ma", encoding)
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/nhap-du-lieu", &body)
	req.RemoteAddr = c.ip + ":40000"
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", "http://example.com")
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	rec := httptest.NewRecorder()
	c.e.h.ServeHTTP(rec, req)
	return rec, rec.Header().Get("Location")
}

type preview struct {
	create, update, same, problems string
	rows                           []string // "sheet|line|column|message"
	doc                            *goquery.Document
	id                             string
}

func (c *client) preview(loc string) preview {
	c.e.t.Helper()
	rec, d := c.get(loc)
	if rec.Code != http.StatusOK {
		c.e.t.Fatalf("preview %s: %d %s", loc, rec.Code, rec.Body.String())
	}
	p := preview{doc: d, create: d.Find("[data-testid=import-create]").Text(), update: d.Find("[data-testid=import-update]").Text(),
		same: d.Find("[data-testid=import-same]").Text(), problems: d.Find("[data-testid=import-problems]").Text()}
	d.Find("[data-testid=import-problem]").Each(func(_ int, s *goquery.Selection) {
		var cells []string
		s.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, strings.TrimSpace(td.Text())) })
		p.rows = append(p.rows, strings.Join(cells, "|"))
	})
	if m := regexp.MustCompile(`tep=(\d+)`).FindStringSubmatch(loc); m != nil {
		p.id = m[1]
	}
	return p
}

func (c *client) apply(p preview) *httptest.ResponseRecorder {
	c.e.t.Helper()
	token, _ := p.doc.Find("form[action='/nhap-du-lieu/xac-nhan'] input[name=token]").Attr("value")
	return c.do(http.MethodPost, "/nhap-du-lieu/xac-nhan", url.Values{"token": {token}, "tep": {p.id}})
}

// ward is a ward in the import's layout: two cells, 200 members, 50
// candidates at different stages with their steps.
func ward() sheetRows {
	s := sheetRows{}
	s[admission.SheetOrgs] = []map[string]string{
		{"code": "moi-khu-a", "name": "Chi bộ khu A", "kind": "Chi bộ"},
		{"code": "moi-khu-b", "name": "Chi bộ khu B", "kind": "Chi bộ"},
	}
	for i := 0; i < 200; i++ {
		cell := []string{"moi-khu-a", "moi-khu-b"}[i%2]
		m := map[string]string{"key": fmt.Sprintf("DV-%03d", i), "full_name": fmt.Sprintf("Nguyễn Văn Đảng %03d", i), "gender": []string{"Nam", "Nữ"}[i%2],
			"birth_date": fmt.Sprintf("%02d/%02d/%d", 1+i%28, 1+i%12, 1950+i%20), "ethnicity": "Kinh", "religion": "Không", "education_general": "Trung học phổ thông",
			"admitted_on": "02/09/2000", "ceremony_on": "15/09/2000", "official_on": "15/09/2001", "status": "Chính thức", "organization_id": cell}
		s[admission.SheetMembers] = append(s[admission.SheetMembers], m)
	}
	for i := 0; i < 50; i++ {
		cell := []string{"moi-khu-a", "moi-khu-b"}[i%2]
		key := fmt.Sprintf("QC-%02d", i)
		s[admission.SheetCandidates] = append(s[admission.SheetCandidates], map[string]string{"key": key, "full_name": fmt.Sprintf("Trần Thị Quần %02d", i),
			"gender": "Nữ", "birth_date": "20/10/1988", "ethnicity": "Kinh", "religion": "Không", "education_general": "Trung học phổ thông",
			"occupation": "Viên chức", "youth_union": "Không", "trade_union": "Có", "organization_id": cell})
		helper := fmt.Sprintf("DV-%03d", i%2)
		label := func(k admission.Kind) string { d, _ := admission.Def(k); return d.Label }
		steps := []map[string]string{
			{"kind": label(admission.Nominated), "occurred_on": "05/01/2026", "helper_member_id": helper},
			{"kind": label(admission.AwarenessClass), "occurred_on": "20/01/2026", "document_no": fmt.Sprintf("%d/GCN", 100+i), "issued_by": "Trung tâm Chính trị"},
			{"kind": label(admission.Application), "occurred_on": "01/02/2026"},
			{"kind": label(admission.PersonalHistory), "occurred_on": "05/02/2026"},
			{"kind": label(admission.Verification), "occurred_on": "10/03/2026", "outcome": "Đạt"},
		}
		for j, st := range steps[:1+i%len(steps)] {
			_ = j
			st["candidate"] = key
			s[admission.SheetSteps] = append(s[admission.SheetSteps], st)
		}
	}
	return s
}

func TestImportAWard(t *testing.T) {
	e := newEnv(t, true)
	admin := e.signedIn("qt-nhap", admission.RoleAdmin, demo.RootCode)
	data := workbook(t, ward())
	rec, loc := admin.upload("phuong.xlsx", data, "utf-8")
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body.String())
	}
	members, cands := e.count(`SELECT count(*) FROM members`), e.count(`SELECT count(*) FROM candidates`)
	p := admin.preview(loc)
	if p.problems != "0" {
		t.Fatalf("problems: %s %v", p.problems, p.rows)
	}
	steps := len(ward()[admission.SheetSteps])
	if want := fmt.Sprint(2 + 200 + 50 + steps); p.create != want {
		t.Fatalf("create %s, want %s", p.create, want)
	}
	if e.count(`SELECT count(*) FROM members`) != members || e.count(`SELECT count(*) FROM candidates`) != cands {
		t.Fatal("the preview wrote")
	}
	if rec := admin.apply(p); rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), "da-nhap") {
		t.Fatalf("apply: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if n := e.count(`SELECT count(*) FROM members m JOIN organizations o ON o.id = m.organization_id WHERE o.code LIKE 'moi-khu-%'`); n != 200 {
		t.Fatalf("members imported: %d", n)
	}
	if n := e.count(`SELECT count(*) FROM steps s JOIN candidates c ON c.id = s.candidate_id WHERE c.idempotency_key LIKE 'nhap:qc:%'`); n != steps {
		t.Fatalf("steps imported: %d, want %d", n, steps)
	}
	// one audit event for the import, with the file's hash
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'import.apply' AND after->>'sha256' <> ''`); n != 1 {
		t.Fatalf("import audit events: %d", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action IN ('member.create', 'candidate.create', 'step.record') AND at > now() - interval '1 hour' AND organization_id IN (SELECT id FROM organizations WHERE code LIKE 'moi-khu-%')`); n != 0 {
		t.Fatalf("rows' own audit events: %d", n)
	}
	// the people show on the pages, at the stage of their last step
	_, d := admin.get("/quan-chung?giai-doan=&q=tran+thi+quan+04")
	if d.Find("[data-testid=candidate-row]").Length() != 1 || !strings.Contains(d.Find("[data-testid=candidate-row]").Text(), admission.StageLabels[admission.StageDossier]) {
		t.Fatalf("QC-04 on the list: %q", d.Find("[data-testid=candidate-list]").Text())
	}
	// the same sheet again: nothing to do
	_, loc = admin.upload("phuong.xlsx", data, "utf-8")
	p = admin.preview(loc)
	if p.create != "0" || p.update != "0" || p.problems != "0" || p.doc.Find("[data-testid=import-nothing]").Length() != 1 {
		t.Fatalf("second import: create %s update %s problems %s %v", p.create, p.update, p.problems, p.rows)
	}
	// an update shows before and after
	w := ward()
	w[admission.SheetMembers][7]["full_name"] = "Nguyễn Văn Đổi Tên"
	_, loc = admin.upload("sua.xlsx", workbook(t, w), "utf-8")
	p = admin.preview(loc)
	if p.update != "1" || !strings.Contains(p.doc.Find("[data-testid=import-change]").Text(), "Nguyễn Văn Đổi Tên") {
		t.Fatalf("update preview: %s %q", p.update, p.doc.Find("[data-testid=import-change-list]").Text())
	}
	// a confirmed upload applies once
	if rec := admin.apply(p); !strings.Contains(rec.Header().Get("Location"), "da-nhap") {
		t.Fatalf("apply update: %s", rec.Header().Get("Location"))
	}
	if rec := admin.apply(p); !strings.Contains(rec.Header().Get("Location"), "da-nhap") {
		t.Fatalf("second apply: %s", rec.Header().Get("Location"))
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'import.apply'`); n != 2 {
		t.Fatalf("import events after a double submit: %d", n)
	}
}

// One bad row in each column: every problem listed where it is, nothing written.
func TestImportRefusesBadRows(t *testing.T) {
	e := newEnv(t, true)
	staff := e.signedIn("vp-nhap", admission.RoleStaff, demo.RootCode)
	good := func(i int) map[string]string {
		return map[string]string{"key": fmt.Sprintf("X-%d", i), "full_name": "Lê Văn Tốt", "gender": "Nam", "birth_date": "01/01/1970", "ethnicity": "Kinh",
			"religion": "Không", "education_general": "Trung học phổ thông", "admitted_on": "01/01/2000", "official_on": "01/01/2001", "organization_id": "binh-ngoc-khu-1"}
	}
	bad := []struct{ col, val, want string }{
		{"full_name", "", "Cần nhập họ và tên"},
		{"gender", "Khác", "Giới tính là"},
		{"birth_date", "31/02/1970", "không hợp lệ"},
		{"ethnicity", "Không Có Dân Tộc Này", ""},
		{"admitted_on", "1/1/19", "không hợp lệ"},
		{"status", "Đã chết", "Trạng thái là"},
		{"organization_id", "khong-co", "Không có tổ chức mã"},
	}
	var rows []map[string]string
	for i, b := range bad {
		r := good(i)
		r[b.col] = b.val
		rows = append(rows, r)
	}
	dup := good(0)
	rows = append(rows, dup) // the same key twice
	cands := []map[string]string{{"key": "Y-1", "full_name": "Phạm Thị Bước", "gender": "Nữ", "birth_date": "02/02/1990", "ethnicity": "Kinh",
		"education_general": "Trung học phổ thông", "organization_id": "binh-ngoc-khu-1"}}
	// a history out of order: the class before the nomination
	steps := []map[string]string{{"candidate": "Y-1", "kind": "Học lớp bồi dưỡng nhận thức về Đảng", "occurred_on": "20/01/2026", "document_no": "1/GCN", "issued_by": "TTCT"}}
	before := e.count(`SELECT count(*) FROM members`) + e.count(`SELECT count(*) FROM candidates`) + e.count(`SELECT count(*) FROM steps`)
	_, loc := staff.upload("loi.xlsx", workbook(t, sheetRows{admission.SheetMembers: rows, admission.SheetCandidates: cands, admission.SheetSteps: steps}), "utf-8")
	p := staff.preview(loc)
	all := strings.Join(p.rows, "\n")
	for i, b := range bad {
		line := fmt.Sprintf("Đảng viên|%d|", i+2)
		if !strings.Contains(all, line) {
			t.Errorf("no problem on line %d (%s): %s", i+2, b.col, all)
		}
		if b.want != "" && !strings.Contains(all, b.want) {
			t.Errorf("%s: want %q in %s", b.col, b.want, all)
		}
	}
	if !strings.Contains(all, "trùng với dòng") {
		t.Errorf("duplicate key not reported: %s", all)
	}
	if !regexp.MustCompile(`Quá trình\|2\|[^|]*\|.*\(.*(Hướng dẫn|Điều lệ|Quy định).*\)`).MatchString(all) {
		t.Errorf("the out-of-order step is not refused with the engine's citation: %s", all)
	}
	if p.doc.Find("[data-testid=import-apply]").Length() != 0 {
		t.Error("a file with problems can be applied")
	}
	after := e.count(`SELECT count(*) FROM members`) + e.count(`SELECT count(*) FROM candidates`) + e.count(`SELECT count(*) FROM steps`)
	if after != before {
		t.Fatalf("the preview wrote: %d → %d", before, after)
	}
	// the sheet of errors: the same rows with a "Lỗi" column
	rec := staff.do(http.MethodGet, loc+"&loi=xlsx", nil)
	x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("errors sheet: %v", err)
	}
	got, _ := x.GetRows(admission.SheetMembers)
	if len(got) != len(rows)+1 || got[0][len(got[0])-1] != "Lỗi" || !strings.Contains(strings.Join(got[3], " "), "không hợp lệ") {
		t.Fatalf("errors sheet rows: %v", got)
	}
}

// Files that are not what they should be get a message, never a 500.
func TestImportRefusesMalformedFiles(t *testing.T) {
	e := newEnv(t, true)
	staff := e.signedIn("vp-tep", admission.RoleStaff, demo.RootCode)
	hidden := excelize.NewFile()
	_ = hidden.SetSheetName("Sheet1", admission.SheetMembers)
	_ = hidden.SetSheetRow(admission.SheetMembers, "A1", &[]any{"Mã", "Họ và tên"})
	_, _ = hidden.NewSheet(admission.SheetCandidates)
	_ = hidden.SetSheetVisible(admission.SheetCandidates, false)
	_ = hidden.MergeCell(admission.SheetMembers, "A2", "B2")
	_ = hidden.SetCellFormula(admission.SheetMembers, "C3", "1+1")
	var hb bytes.Buffer
	_ = hidden.Write(&hb)
	for name, c := range map[string]struct {
		data     []byte
		encoding string
		want     string
	}{
		"notes.xlsx":  {[]byte("PK\x03\x04garbage"), "utf-8", "không phải bảng tính Excel"},
		"old.xls":     {[]byte{0xD0, 0xCF, 0x11, 0xE0, 1, 2, 3}, "utf-8", "Excel 97-2003"},
		"empty.csv":   {[]byte("  \n"), "utf-8", "Tệp trống"},
		"latin.csv":   {[]byte("M\xe3,H\xf4\n"), "utf-8", "không phải Unicode"},
		"tcvn3.csv":   {[]byte("M\xb8,H\xa4\n"), "tcvn3", "TCVN3"},
		"nohead.csv":  {[]byte("a,b,c\n1,2,3\n"), "utf-8", "không có tiêu đề cột"},
		"hidden.xlsx": {hb.Bytes(), "utf-8", ""},
	} {
		rec, loc := staff.upload(name, c.data, c.encoding)
		if rec.Code >= 500 {
			t.Fatalf("%s: %d", name, rec.Code)
		}
		body := rec.Body.String()
		if loc != "" {
			p := staff.preview(loc)
			body = strings.Join(p.rows, "\n")
			for _, want := range []string{"đang ẩn", "ô gộp"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: want %q in %s", name, want, body)
				}
			}
			continue
		}
		if !strings.Contains(body, c.want) {
			t.Errorf("%s: want %q", name, c.want)
		}
	}
	// more rows than an import takes, and a file over the size limit: refused before reading on
	var big strings.Builder
	big.WriteString("Mã,Họ và tên\n")
	for i := 0; i <= 50000; i++ {
		fmt.Fprintf(&big, "K-%d,Tên %d\n", i, i)
	}
	if rec, loc := staff.upload("lon.csv", []byte(big.String()), "utf-8"); loc != "" || !strings.Contains(rec.Body.String(), "hơn 50000 dòng") {
		t.Errorf("50 001 rows: %d %s", rec.Code, loc)
	}
	e.srv.ImportMaxBytes = 64 << 10
	if rec, _ := staff.upload("lon.csv", []byte(big.String()), "utf-8"); rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "Tệp lớn hơn") {
		t.Errorf("over the size limit: %d", rec.Code)
	}
	e.srv.ImportMaxBytes = 0
	// a date Excel keeps as a serial number, in a real date cell
	xd := excelize.NewFile()
	_ = xd.SetSheetName("Sheet1", admission.SheetMembers)
	_ = xd.SetSheetRow(admission.SheetMembers, "A1", &[]any{"Mã", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày quyết định kết nạp", "Ngày chính thức", "Chi bộ"})
	_ = xd.SetSheetRow(admission.SheetMembers, "A2", &[]any{"S-1", "Hà Văn Số", "Nam", admission.Day(1966, 4, 30), "01/01/1995", "01/01/1996", "binh-ngoc-khu-3"})
	var xb bytes.Buffer
	_ = xd.Write(&xb)
	_, loc := staff.upload("serial.xlsx", xb.Bytes(), "utf-8")
	if p := staff.preview(loc); p.create != "1" || p.problems != "0" {
		t.Errorf("a date cell: create %s problems %v", p.create, p.rows)
	}
	// a CSV in Windows-1258, with a BOM-less header in Vietnamese
	csv := "Mã;Họ và tên;Giới tính;Ngày sinh;Ngày quyết định kết nạp;Ngày chính thức;Chi bộ\nZ-1;Đỗ Thị Hồng;Nữ;05/05/1965;01/01/1995;01/01/1996;binh-ngoc-khu-3\n"
	enc, err := charmap1258(csv)
	if err != nil {
		t.Fatal(err)
	}
	_, loc = staff.upload("cp1258.csv", enc, "cp1258")
	p := staff.preview(loc)
	if p.create != "1" || !strings.Contains(p.doc.Find("[data-testid=import-change]").Text(), "Đỗ Thị Hồng") {
		t.Fatalf("cp1258 csv: create %s problems %v", p.create, p.rows)
	}
}

// Export, then import the export: nothing changes.
func TestImportRoundTrip(t *testing.T) {
	e := newEnv(t, true)
	staff := e.signedIn("vp-vong", admission.RoleStaff, demo.RootCode)
	rec := staff.do(http.MethodGet, "/nhap-du-lieu/xuat", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("export: %d", rec.Code)
	}
	_, loc := staff.upload("xuat.xlsx", rec.Body.Bytes(), "utf-8")
	p := staff.preview(loc)
	if p.create != "0" || p.update != "0" || p.problems != "0" || p.same == "0" {
		t.Fatalf("round trip: create %s update %s same %s problems %v", p.create, p.update, p.same, p.rows)
	}
}

// One awareness class for 30 candidates of three cells: the two that cannot
// take it are refused with why, the 28 others are recorded, each with its
// own audit event.
func TestBulkAwarenessClass(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	root, _ := e.db.OrganizationByCodeOrID(ctx, demo.RootCode)
	a := demo.Actor(root.Path)
	var ids []int64
	for i := 0; i < 29; i++ {
		cell := e.orgID([]string{"binh-ngoc-khu-1", "binh-ngoc-khu-2", "binh-ngoc-khu-3"}[i%3])
		c, err := e.srv.Svc.AddCandidate(ctx, a, admission.CandidateInput{OrganizationID: cell, FullName: fmt.Sprintf("Vũ Văn Lớp %02d", i), Gender: admission.Male,
			BirthDate: admission.Day(1985, 1, 1+i), Ethnicity: "Kinh", EducationGeneral: admission.EduUpperSecondary})
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 { // the first is not nominated yet
			ms, _ := e.db.CellMembers(ctx, cell, root.Path)
			var helper int64
			for _, m := range ms {
				if m.IsOfficialOn(today) {
					helper = m.ID
				}
			}
			if _, err := e.srv.Svc.RecordStep(ctx, a, c.ID, admission.StepInput{Kind: admission.Nominated, OccurredOn: admission.Day(2026, 9, 1), HelperMemberID: helper}); err != nil {
				t.Fatal(err)
			}
		}
		ids = append(ids, c.ID)
	}
	// a candidate of another ward, out of the staff's scope
	other, _, err := e.db.Store().UpsertOrganization(ctx, admission.OrgInput{Kind: admission.KindCommittee, Name: "Đảng bộ phường Khác", Code: "khac"})
	if err != nil {
		t.Fatal(err)
	}
	oc, _, _ := e.db.Store().UpsertOrganization(ctx, admission.OrgInput{ParentID: other.ID, Kind: admission.KindCell, Name: "Chi bộ khác", Code: "khac-1"})
	outside, err := e.srv.Svc.AddCandidate(ctx, admission.Actor{Role: admission.RoleAdmin, ScopePath: other.Path}, admission.CandidateInput{OrganizationID: oc.ID,
		FullName: "Ngoài Phạm Vi", Gender: admission.Male, BirthDate: admission.Day(1990, 1, 1), Ethnicity: "Kinh", EducationGeneral: admission.EduUpperSecondary})
	if err != nil {
		t.Fatal(err)
	}
	ids = append(ids, outside.ID)
	staff := e.signedIn("vp-lop", admission.RoleStaff, demo.RootCode)
	// the list offers the checkboxes, the form lists the chosen
	q := url.Values{}
	for _, id := range ids {
		q.Add("id", fmt.Sprint(id))
	}
	_, d := staff.get("/quan-chung/hang-loat?" + q.Encode())
	if n := d.Find("[data-testid=bulk-form] input[name^=document_no_]").Length(); n != 29 {
		t.Fatalf("bulk form lists %d people", n)
	}
	// or everyone a filter finds
	_, d = staff.get("/quan-chung/hang-loat?tat-ca=1&giai-doan=&q=vu+van+lop")
	if n := d.Find("[data-testid=bulk-form] input[name^=document_no_]").Length(); n != 29 {
		t.Fatalf("bulk form for a filter lists %d people", n)
	}
	_, d = staff.get("/quan-chung?giai-doan=&q=vu+van+lop")
	if d.Find("[data-testid=bulk-pick]").Length() != 29 || d.Find("#hang-loat input[name=q][value='vu van lop']").Length() != 1 {
		t.Fatal("the list offers no choice, or its filter is not carried to the bulk form")
	}
	form := url.Values{"token": {"tok-lop-1"}, "kind": {string(admission.AwarenessClass)}, "occurred_on": {"10/11/2026"}, "issued_by": {"Trung tâm Chính trị phường"}, "id": q["id"]}
	for i, id := range ids {
		form.Set(fmt.Sprintf("document_no_%d", id), fmt.Sprintf("%d/GCN-TTCT", 500+i))
	}
	before := e.count(`SELECT count(*) FROM audit_events WHERE action = 'step.record'`)
	rec := staff.do(http.MethodPost, "/quan-chung/hang-loat", form)
	d = doc(t, rec)
	if got := d.Find("[data-testid=bulk-recorded]").Text(); got != "28" {
		t.Fatalf("recorded %s: %s", got, d.Find("main").Text())
	}
	refused := d.Find("[data-testid=bulk-refused-row]").Text()
	if d.Find("[data-testid=bulk-refused-row]").Length() != 2 || !strings.Contains(refused, "Vũ Văn Lớp 00") || !strings.Contains(refused, "Hồ sơ số") {
		t.Fatalf("refused: %q", refused)
	}
	if n := e.count(`SELECT count(*) FROM audit_events WHERE action = 'step.record'`) - before; n != 28 {
		t.Fatalf("audit events: %d", n)
	}
	// the same submission again records nothing twice
	staff.do(http.MethodPost, "/quan-chung/hang-loat", form)
	if n := e.count(`SELECT count(*) FROM steps WHERE kind = 'awareness_class' AND occurred_on = '2026-11-10'`); n != 28 {
		t.Fatalf("steps after a double submit: %d", n)
	}
	if n := e.count(`SELECT count(*) FROM steps WHERE kind = 'awareness_class' AND document_no = '505/GCN-TTCT'`); n != 1 {
		t.Fatalf("each person's own number: %d", n)
	}
}

// charmap1258 writes s as Windows-1258 does: letters it has whole, the
// others as a letter and a combining tone mark.
func charmap1258(s string) ([]byte, error) {
	enc := charmap.Windows1258.NewEncoder()
	tones := map[rune]bool{0x300: true, 0x301: true, 0x303: true, 0x309: true, 0x323: true}
	var b strings.Builder
	for _, r := range s {
		if _, err := enc.String(string(r)); err == nil {
			b.WriteRune(r)
			continue
		}
		var base, marks []rune
		for _, x := range norm.NFD.String(string(r)) {
			if tones[x] {
				marks = append(marks, x)
			} else {
				base = append(base, x)
			}
		}
		b.WriteString(norm.NFC.String(string(base)) + string(marks))
	}
	return charmap.Windows1258.NewEncoder().Bytes([]byte(b.String()))
}
