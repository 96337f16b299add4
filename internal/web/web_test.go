package web_test

import (
	"compress/flate"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
	"ketnap/internal/postgres"
)

func TestTreePage(t *testing.T) {
	e := newEnv(t, true)
	c := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	rec, doc := c.get("/to-chuc")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if got, want := doc.Find("[data-testid=root-name]").Text(), "Đảng bộ phường Bình Ngọc"; got != want {
		t.Fatalf("root = %q, want %q", got, want)
	}
	rows := doc.Find("[data-testid=cell-row]")
	if rows.Length() != 8 {
		t.Fatalf("%d cells, want 8", rows.Length())
	}
	// Vietnamese collation: "Chi bộ khu 1" first, "Chi bộ Trạm Y tế phường" before "Chi bộ Trường THCS Bình Ngọc"
	var names []string
	rows.Each(func(_ int, r *goquery.Selection) { names = append(names, r.Find("a").Text()) })
	if names[0] != "Chi bộ khu 1" || names[6] != "Chi bộ Trạm Y tế phường" || names[7] != "Chi bộ Trường THCS Bình Ngọc" {
		t.Fatalf("order = %v", names)
	}
	// security headers and a content-hash stylesheet from this host
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Fatalf("CSP = %q", csp)
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"} {
		if got := rec.Header().Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if rec.Header().Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent without TLS")
	}
	href, _ := doc.Find(`link[rel=stylesheet]`).Attr("href")
	if !strings.HasPrefix(href, "/static/app.") || href == "/static/app.css" {
		t.Fatalf("stylesheet href = %q", href)
	}
	css := c.do("GET", href, nil)
	if css.Code != 200 || !strings.Contains(css.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(css.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("css: %d %v", css.Code, css.Header())
	}
	// nothing on the page comes from another host
	doc.Find("[src], link[href], script").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"src", "href"} {
			if v, ok := s.Attr(attr); ok && (strings.Contains(v, "//") || strings.HasPrefix(v, "http")) {
				t.Errorf("external resource %s=%q", attr, v)
			}
		}
	})
}

func TestCellPage(t *testing.T) {
	e := newEnv(t, true)
	c := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	id := e.orgID("binh-ngoc-khu-2")
	var want int
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM members WHERE organization_id = $1`, id).Scan(&want); err != nil {
		t.Fatal(err)
	}
	rec, doc := c.get("/to-chuc/" + strconv.FormatInt(id, 10))
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if got := doc.Find("[data-testid=cell-name]").Text(); got != "Chi bộ khu 2" {
		t.Fatalf("cell name %q", got)
	}
	if got := doc.Find("[data-testid=member-row]").Length(); got != want || want < 10 {
		t.Fatalf("%d member rows, want %d", got, want)
	}
	if doc.Find("[data-testid=candidate-row]").Length() == 0 {
		t.Fatal("no candidates on the cell page")
	}
	// dates as dd/mm/yyyy
	first := doc.Find("[data-testid=member-row] td").Eq(3).Text()
	if _, err := time.Parse("02/01/2006", first); err != nil {
		t.Fatalf("admission date %q not dd/mm/yyyy", first)
	}
}

func TestCandidatePage(t *testing.T) {
	e := newEnv(t, true)
	c := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	var id int64
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT c.id FROM candidates c WHERE stage = 'awaiting_decision' ORDER BY id LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	rec, doc := c.get("/quan-chung/" + strconv.FormatInt(id, 10))
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if doc.Find("[data-testid=stage]").Text() != "Chờ quyết định kết nạp" {
		t.Fatalf("stage %q", doc.Find("[data-testid=stage]").Text())
	}
	if n := doc.Find("[data-testid=timeline-step]").Length(); n < 8 {
		t.Fatalf("%d steps on the timeline", n)
	}
	if !strings.Contains(doc.Find("[data-testid=deadlines]").Text(), "Hạn ra quyết định kết nạp") {
		t.Fatalf("deadlines: %q", doc.Find("[data-testid=deadlines]").Text())
	}
}

func TestNotFoundIsVietnamese(t *testing.T) {
	e := newEnv(t, true)
	c := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	for _, p := range []string{"/khong-co", "/to-chuc/999999", "/to-chuc/abc", "/quan-chung/0", "/static/app.css"} {
		rec, doc := c.get(p)
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, rec.Code)
		}
		if p != "/static/app.css" && !strings.Contains(doc.Find("h1").Text(), "Không tìm thấy") {
			t.Errorf("%s: page not in Vietnamese: %q", p, doc.Find("h1").Text())
		}
	}
}

func TestEmptyDatabase(t *testing.T) {
	e := newEnv(t, false)
	if _, _, err := e.db.Store().UpsertOrganization(context.Background(), admission.OrgInput{Kind: admission.KindCommittee, Name: "Đảng bộ trống", Code: "trong"}); err != nil {
		t.Fatal(err)
	}
	c := e.signedIn("admin", admission.RoleAdmin, "trong")
	rec, doc := c.get("/to-chuc")
	if rec.Code != 200 || !strings.Contains(doc.Find("main").Text(), "chưa có chi bộ") {
		t.Fatalf("empty state: %d %q", rec.Code, doc.Find("main").Text())
	}
}

func TestHealthzAndDatabaseOutage(t *testing.T) {
	e := newEnv(t, true)
	c := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	db := e.db
	if rec, _ := c.get("/healthz"); rec.Code != 200 {
		t.Fatalf("healthz %d", rec.Code)
	}
	// Refuse new connections to this database and end the open ones: pages
	// answer 503 while it lasts, then the pool recovers by itself.
	ctx := context.Background()
	other, err := postgres.Open(ctx, pgURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var name string
	if err := db.Pool.QueryRow(ctx, `SELECT current_database()`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Pool.Exec(ctx, `ALTER DATABASE `+name+` WITH ALLOW_CONNECTIONS false`); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Pool.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, name); err != nil {
		t.Fatal(err)
	}
	db.Pool.Reset()
	rec, doc := c.get("/")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(doc.Find("h1").Text(), "gián đoạn") {
		t.Fatalf("during outage: %d %q", rec.Code, doc.Find("h1").Text())
	}
	if rec, _ := c.get("/healthz"); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("healthz during outage: %d", rec.Code)
	}
	if _, err := other.Pool.Exec(ctx, `ALTER DATABASE `+name+` WITH ALLOW_CONNECTIONS true`); err != nil {
		t.Fatal(err)
	}
	if rec, _ := c.get("/"); rec.Code != 200 {
		t.Fatalf("after outage: %d", rec.Code)
	}
}

func TestPanicGivesVietnamese500(t *testing.T) {
	s, _ := newServer(t, false)
	s.DB, s.Auth = nil, nil // every database call now panics
	rec := httptest.NewRecorder()
	s.Routes().ServeHTTP(rec, httptest.NewRequest("GET", "/dang-nhap", nil))
	rec2 := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(&http.Cookie{Name: "ketnap_session", Value: "x"})
	s.Routes().ServeHTTP(rec2, req)
	if rec2.Code != 500 || !strings.Contains(doc(t, rec2).Find("h1").Text(), "Lỗi hệ thống") {
		t.Fatalf("panic: %d %q", rec2.Code, rec2.Body.String())
	}
}

// Pages go compressed to a browser that asks for it, and plain otherwise.
func TestPagesAreCompressed(t *testing.T) {
	e := newEnv(t, true)
	staff := e.signedIn("nen", admission.RoleStaff, "binh-ngoc")
	plain := staff.do(http.MethodGet, "/quan-chung", nil)
	gz := staff.do(http.MethodGet, "/quan-chung", nil, "Accept-Encoding", "gzip")
	if gz.Header().Get("Content-Encoding") != "gzip" || plain.Header().Get("Content-Encoding") != "" {
		t.Fatalf("encodings %q %q", gz.Header().Get("Content-Encoding"), plain.Header().Get("Content-Encoding"))
	}
	r, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r)
	if string(body) != plain.Body.String() || gz.Body.Len()*4 > len(body) {
		t.Fatalf("compressed %d bytes of %d, same page: %v", gz.Body.Len(), len(body), string(body) == plain.Body.String())
	}
	// a client that takes only deflate gets it, readable by the standard library
	df := staff.do(http.MethodGet, "/quan-chung", nil, "Accept-Encoding", "deflate")
	if df.Header().Get("Content-Encoding") != "deflate" {
		t.Fatalf("deflate asked, got %q", df.Header().Get("Content-Encoding"))
	}
	if body, _ := io.ReadAll(flate.NewReader(df.Body)); string(body) != plain.Body.String() {
		t.Fatalf("deflate: %d bytes read, not the page", len(body))
	}
}

// The list pages from a row, not by number: following "Trang sau" to the
// end and "Trang trước" back walks every candidate once, in the list's
// order, and the pages are those an offset would give.
func TestListPagesByKeyset(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	root, _ := e.db.OrganizationByCodeOrID(ctx, demo.RootCode)
	a := demo.Actor(root.Path)
	for i := 0; i < 120; i++ {
		if _, err := e.srv.Svc.AddCandidate(ctx, a, admission.CandidateInput{OrganizationID: e.orgID("binh-ngoc-khu-4"), FullName: fmt.Sprintf("Lý Văn Trang %03d", i),
			Gender: admission.Male, BirthDate: admission.Day(1980, 1, 1+i%28), Ethnicity: "Kinh", EducationGeneral: admission.EduUpperSecondary}); err != nil {
			t.Fatal(err)
		}
	}
	staff := e.signedIn("trang", admission.RoleStaff, demo.RootCode)
	names := func(d *goquery.Document) []string {
		var out []string
		d.Find("[data-testid=candidate-row] td a").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
		return out
	}
	var forward [][]string
	next := "/quan-chung?giai-doan="
	for next != "" {
		_, d := staff.get(next)
		forward = append(forward, names(d))
		next, _ = d.Find("a[rel=next]").Attr("href")
		if len(forward) > 10 {
			t.Fatal("the pages do not end")
		}
	}
	var all []string
	for _, p := range forward {
		all = append(all, p...)
	}
	var total int
	if err := e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM candidates`).Scan(&total); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, n := range all {
		seen[n] = true
	}
	if len(all) != total || len(forward) != (total+49)/50 {
		t.Fatalf("walked %d rows on %d pages, %d distinct; %d candidates", len(all), len(forward), len(seen), total)
	}
	// the second page by cursor is the second page by number
	_, d := staff.get("/quan-chung?giai-doan=&trang=2")
	if strings.Join(names(d), "|") != strings.Join(forward[1], "|") {
		t.Fatalf("page 2 differs:\n%v\n%v", names(d), forward[1])
	}
	// and back from the last page
	_, d = staff.get("/quan-chung?giai-doan=")
	for i := 0; i < len(forward)-1; i++ {
		href, _ := d.Find("a[rel=next]").Attr("href")
		_, d = staff.get(href)
	}
	for i := len(forward) - 2; i >= 0; i-- {
		href, ok := d.Find("a[rel=prev]").Attr("href")
		if !ok {
			t.Fatalf("no previous page before page %d", i+2)
		}
		_, d = staff.get(href)
		if strings.Join(names(d), "|") != strings.Join(forward[i], "|") {
			t.Fatalf("page %d backwards differs", i+1)
		}
	}
	if d.Find("a[rel=prev]").Length() != 0 {
		t.Fatal("the first page has a previous page")
	}
	// a cursor that is not one is the first page
	if rec, d := staff.get("/quan-chung?giai-doan=&sau=%%%%"); rec.Code != http.StatusOK || len(names(d)) != 50 {
		t.Fatalf("bad cursor: %d", rec.Code)
	}
}

// In a ward of thousands of members a file's pickers list its own cell's
// members, and a search adds the members of other cells it finds.
func TestPickersOfALargeWard(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	if _, err := demo.Generate(ctx, e.db, demo.Scales["ward"], today, nil); err != nil {
		t.Fatal(err)
	}
	cell, _ := e.db.OrganizationByCodeOrID(ctx, demo.ScaleCode+"-p1-1")
	c, err := e.srv.Svc.AddCandidate(ctx, demo.Actor("/"), admission.CandidateInput{OrganizationID: cell.ID, FullName: "Đào Thị Chọn", Gender: admission.Female,
		BirthDate: admission.Day(1990, 4, 4), Ethnicity: "Kinh", EducationGeneral: admission.EduUpperSecondary})
	if err != nil {
		t.Fatal(err)
	}
	sec := e.signedIn("bt-chon", admission.RoleSecretary, cell.Code)
	page := "/quan-chung/" + itoa(c.ID)
	_, d := sec.get(page)
	helper := d.Find("[data-testid=form-nominated] select[name=helper_member_id] option[value!='']")
	var inCell int
	if err := e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM members WHERE organization_id = $1 AND status IN ('official', 'probationary')`, cell.ID).Scan(&inCell); err != nil {
		t.Fatal(err)
	}
	if helper.Length() == 0 || helper.Length() > inCell || d.Find("[data-testid=member-search]").Length() != 1 {
		t.Fatalf("helper picker offers %d of a cell of %d; search form %d", helper.Length(), inCell, d.Find("[data-testid=member-search]").Length())
	}
	// a member of another cell, found by name
	var other string
	if err := e.db.Pool.QueryRow(ctx, `SELECT m.full_name_search FROM members m JOIN organizations o ON o.id = m.organization_id
		WHERE o.code = $1 AND m.status = 'official' ORDER BY m.id LIMIT 1`, demo.ScaleCode+"-p1-2").Scan(&other); err != nil {
		t.Fatal(err)
	}
	_, d = sec.get(page + "?tim-dv=" + url.QueryEscape(other))
	if d.Find("[data-testid=form-nominated] select[name=helper_member_id] option").Length() <= helper.Length() {
		t.Fatal("the search added nobody from another cell")
	}
}
