package main_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"ketnap/internal/browsertest"
)

// TestReportInTheBrowser opens the period report as committee staff,
// downloads its XLSX, prints it to PDF and reads the PDF back; the report
// is checked at 360 and 1280 px with axe-core.
func TestReportInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	pdftotext := poppler(t, "pdftotext")
	app := browsertest.Start(t)
	staff := browsertest.Browser(t, 1280, 900)
	if err := browsertest.Login(staff, app.URL, "vanphong", app.Password(t, "vanphong")); err != nil {
		t.Fatal(err)
	}
	goTo(t, staff, app.URL+"/bao-cao?ky=2023", `[data-testid=report-main]`)
	if got := text(t, staff, `[data-testid=report-period]`); got != "Năm 2023" {
		t.Fatalf("period %q", got)
	}
	total := text(t, staff, `[data-testid=report-row] td`)
	if total == "" || total == "0" {
		t.Fatalf("the demo admitted nobody in 2023: %q", total)
	}
	browsertest.Screenshot(t, staff, "report-1280")
	browsertest.CheckAccessibility(t, staff, "report")

	// the XLSX, downloaded by clicking the link
	dir := t.TempDir()
	// the events are read as they come, so that the browser's other answers are not held up
	type download struct{ name, guid string }
	began, completed := make(chan download, 1), make(chan string, 4)
	begin, progress := chromedp.BrowserEvents(staff, browser.DownloadWillBegin), chromedp.BrowserEvents(staff, browser.DownloadProgress)
	go func() {
		for ev, err := range begin {
			if err == nil {
				began <- download{ev.SuggestedFilename, ev.GUID}
			}
			return
		}
	}()
	go func() {
		for ev, err := range progress {
			if err != nil {
				return
			}
			if ev.State == browser.DownloadProgressStateCompleted || ev.State == browser.DownloadProgressStateCanceled {
				completed <- ev.GUID + " " + string(ev.State)
				return
			}
		}
	}()
	if err := chromedp.Do(staff, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true)})
		return err
	}), chromedp.Click(chromedp.CSS(`[data-testid=report-xlsx]`))); err != nil {
		t.Fatal(err)
	}
	var dl download
	select {
	case dl = <-began:
	case <-time.After(30 * time.Second):
		t.Fatal("the download did not begin")
	}
	if dl.name != "bao-cao-ket-nap-dang-bo-phuong-binh-ngoc-2023.xlsx" {
		t.Fatalf("downloaded file name %q", dl.name)
	}
	select {
	case st := <-completed:
		if st != dl.guid+" "+string(browser.DownloadProgressStateCompleted) {
			t.Fatalf("download: %s", st)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the download did not complete")
	}
	guid := dl.guid
	data, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Biểu 2")
	if err != nil || len(rows) < 8 {
		t.Fatalf("xlsx rows %d, %v", len(rows), err)
	}
	if rows[0][0] != "ĐẢNG BỘ PHƯỜNG BÌNH NGỌC" || rows[1][0] != "Thống kê đảng viên mới kết nạp" || !strings.Contains(rows[3][0], "Năm 2023") {
		t.Fatalf("xlsx heading: %v", rows[:4])
	}
	found := false
	for _, r := range rows {
		if len(r) > 1 && r[0] == "Tổng số đảng viên mới kết nạp" {
			found = r[1] == total
		}
	}
	if !found {
		t.Fatalf("the xlsx total is not the page's %s", total)
	}

	// the print view, printed to PDF, read back
	goTo(t, staff, app.URL+"/bao-cao/in?ky=2023", `[data-testid=print-head]`)
	pdf, err := chromedp.Run(staff, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: ptr(true), PrintBackground: ptr(false)})
		return res.Data, err
	})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(browsertest.ArtifactDir(t), "report.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, want := range []string{"ĐẢNG BỘ PHƯỜNG BÌNH NGỌC", "ĐẢNG CỘNG SẢN VIỆT NAM", "Bình Ngọc, ngày", "Năm 2023", "Trang 1/", "Tổng số đảng viên mới kết nạp", "In lúc"} {
		if !strings.Contains(got, want) {
			t.Errorf("the printed report lacks %q", want)
		}
	}
	if !strings.Contains(got, "Tổng số đảng viên mới kết nạp") || !containsLineWith(got, "Tổng số đảng viên mới kết nạp", total) {
		t.Errorf("the printed total is not %s", total)
	}

	// the login sends back only to this site, as the browser's own URL parser reads the target
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, next := range []string{"/./\\evil.example", "//evil.example", "/\\evil.example", "https://evil.example/", "/%2F%2Fevil.example", "/%5Cevil.example", "/bao-cao?ky=2023"} {
		res, err := noFollow.Get(app.URL + "/dang-nhap?next=" + url.QueryEscape(next))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := regexp.MustCompile(`name="next" value="([^"]*)"`).FindSubmatch(body)
		if m == nil {
			t.Fatalf("login form for next=%q has no next field", next)
		}
		target := html.UnescapeString(string(m[1]))
		same, err := chromedp.Run(staff, chromedp.Evaluate[bool](`new URL(`+strconv.Quote(target)+`, location.href).origin === location.origin`))
		if err != nil || !same {
			t.Errorf("next %q becomes %q, which the browser reads as another site", next, target)
		}
	}

	// a secretary on a phone
	sec := browsertest.Browser(t, 360, 800)
	if err := browsertest.Login(sec, app.URL, "bithu.khu1", app.Password(t, "bithu.khu1")); err != nil {
		t.Fatal(err)
	}
	goTo(t, sec, app.URL+"/bao-cao", `[data-testid=report-main]`)
	browsertest.Screenshot(t, sec, "report-360")
	browsertest.CheckAccessibility(t, sec, "report on a phone")

}

func containsLineWith(s, a, b string) bool {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, a) && strings.Contains(l, " "+b) {
			return true
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }

// poppler finds a tool of Debian's poppler-utils, which reads printed PDFs
// back; under CI=true its absence fails the test, otherwise it skips.
func poppler(t *testing.T, tool string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (Debian poppler-utils) is missing", tool)
		}
		t.Skipf("%s (Debian poppler-utils) is missing", tool)
	}
	return path
}
