package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
	"ketnap/internal/pgtest"
	"ketnap/internal/postgres"
	"ketnap/internal/web"
	assets "ketnap/web"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var today = admission.Day(2026, 11, 20)

func newServer(t *testing.T, withDemo bool) (*web.Server, *postgres.DB) {
	t.Helper()
	db := pgtest.DB(t)
	svc := &admission.Service{DB: db, Now: func() time.Time { return today }}
	if withDemo {
		if _, err := demo.Load(context.Background(), db, svc, today, nil); err != nil {
			t.Fatal(err)
		}
	}
	as, err := assets.Load()
	if err != nil {
		t.Fatal(err)
	}
	return &web.Server{DB: db, Svc: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Assets: as}, db
}

func get(t *testing.T, h http.Handler, path string) (*httptest.ResponseRecorder, *goquery.Document) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	return rec, doc
}

func TestTreePage(t *testing.T) {
	s, _ := newServer(t, true)
	h := s.Routes()
	rec, doc := get(t, h, "/")
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
	href, _ := doc.Find(`link[rel=stylesheet]`).Attr("href")
	if !strings.HasPrefix(href, "/static/app.") || href == "/static/app.css" {
		t.Fatalf("stylesheet href = %q", href)
	}
	css := httptest.NewRecorder()
	h.ServeHTTP(css, httptest.NewRequest("GET", href, nil))
	if css.Code != 200 || !strings.Contains(css.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(css.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("css: %d %v", css.Code, css.Header())
	}
}

func TestCellPage(t *testing.T) {
	s, db := newServer(t, true)
	h := s.Routes()
	var id int64
	if err := db.Pool.QueryRow(context.Background(), `SELECT id FROM organizations WHERE code = 'binh-ngoc-khu-2'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	var want int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM members WHERE organization_id = $1`, id).Scan(&want); err != nil {
		t.Fatal(err)
	}
	rec, doc := get(t, h, "/to-chuc/"+itoa(id))
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if got := doc.Find("[data-testid=cell-name]").Text(); got != "Chi bộ khu 2" {
		t.Fatalf("cell name %q", got)
	}
	if got := doc.Find("[data-testid=member-row]").Length(); got != want || want < 10 {
		t.Fatalf("%d member rows, want %d", got, want)
	}
	// dates as dd/mm/yyyy
	first := doc.Find("[data-testid=member-row] td").Eq(3).Text()
	if _, err := time.Parse("02/01/2006", first); err != nil {
		t.Fatalf("admission date %q not dd/mm/yyyy", first)
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func TestNotFoundIsVietnamese(t *testing.T) {
	s, _ := newServer(t, true)
	h := s.Routes()
	for _, p := range []string{"/khong-co", "/to-chuc/999999", "/to-chuc/abc", "/static/app.css"} {
		rec, doc := get(t, h, p)
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, rec.Code)
		}
		if p != "/static/app.css" && !strings.Contains(doc.Find("h1").Text(), "Không tìm thấy") {
			t.Errorf("%s: page not in Vietnamese: %q", p, doc.Find("h1").Text())
		}
	}
}

func TestEmptyDatabase(t *testing.T) {
	s, _ := newServer(t, false)
	rec, doc := get(t, s.Routes(), "/")
	if rec.Code != 200 || !strings.Contains(doc.Text(), "ketnap demo") {
		t.Fatalf("empty state: %d %q", rec.Code, doc.Find("main").Text())
	}
}

func TestHealthzAndDatabaseOutage(t *testing.T) {
	s, db := newServer(t, true)
	h := s.Routes()
	rec, _ := get(t, h, "/healthz")
	if rec.Code != 200 {
		t.Fatalf("healthz %d", rec.Code)
	}
	// Terminate every connection of this database: the pool must answer 503
	// while they fail, then recover by itself.
	db.Pool.Reset()
	other, err := postgres.Open(context.Background(), pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var name string
	if err := db.Pool.QueryRow(context.Background(), `SELECT current_database()`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Pool.Exec(context.Background(), `ALTER DATABASE `+name+` WITH ALLOW_CONNECTIONS false`); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Pool.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, name); err != nil {
		t.Fatal(err)
	}
	db.Pool.Reset()
	rec, doc := get(t, h, "/")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(doc.Find("h1").Text(), "gián đoạn") {
		t.Fatalf("during outage: %d %q", rec.Code, doc.Find("h1").Text())
	}
	if rec, _ := get(t, h, "/healthz"); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("healthz during outage: %d", rec.Code)
	}
	if _, err := other.Pool.Exec(context.Background(), `ALTER DATABASE `+name+` WITH ALLOW_CONNECTIONS true`); err != nil {
		t.Fatal(err)
	}
	if rec, _ := get(t, h, "/"); rec.Code != 200 {
		t.Fatalf("after outage: %d", rec.Code)
	}
}

func TestPanicGivesVietnamese500(t *testing.T) {
	s, _ := newServer(t, false)
	s.DB = nil // every database call now panics
	rec, doc := get(t, s.Routes(), "/")
	if rec.Code != 500 || !strings.Contains(doc.Find("h1").Text(), "Lỗi hệ thống") {
		t.Fatalf("panic: %d %q", rec.Code, doc.Find("h1").Text())
	}
}
