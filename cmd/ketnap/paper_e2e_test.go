package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"ketnap/internal/browsertest"
)

// TestPapersPrintOnA4 prints every paper of a recognized demo member's file
// to PDF in Chromium and reads the PDFs back: each is on one or two A4
// pages, carries the party document's heading and the person's name, and
// nothing of the app's navigation. Page 1 of 6-KNĐ and 9-KNĐ is kept as a
// PNG among the test's artifacts.
func TestPapersPrintOnA4(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	pdftotext, pdftoppm := poppler(t, "pdftotext"), poppler(t, "pdftoppm")
	app := browsertest.Start(t)
	staff := browsertest.Browser(t, 1280, 900)
	if err := browsertest.Login(staff, app.URL, "vanphong", app.Password(t, "vanphong")); err != nil {
		t.Fatal(err)
	}
	goTo(t, staff, app.URL+"/quan-chung?giai-doan=official", `[data-testid=candidate-row]`)
	href, err := chromedp.Run(staff, chromedp.Evaluate[string](`document.querySelector('[data-testid=candidate-row] a').getAttribute('href')`))
	if err != nil || href == "" {
		t.Fatalf("no recognized candidate in the demo: %v", err)
	}
	goTo(t, staff, app.URL+href, `[data-testid=papers]`)
	name := text(t, staff, `h1`)
	links, err := chromedp.Run(staff, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid=papers] a')).map(a => a.getAttribute('href'))`))
	if err != nil || len(links) < 11 {
		t.Fatalf("papers offered: %v %v", links, err)
	}
	dir := browsertest.ArtifactDir(t)
	for _, l := range links {
		slug := strings.TrimPrefix(l[strings.LastIndex(l, "/")+1:], "")
		slug = strings.NewReplacer("?nguoi=", "-nguoi-", "?", "-", "=", "-").Replace(slug)
		goTo(t, staff, app.URL+l, `[data-testid=paper]`)
		pdf, err := chromedp.Run(staff, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
			res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: ptr(true), PrintBackground: ptr(false)})
			return res.Data, err
		})
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "giay-to-"+slug+".pdf")
		if err := os.WriteFile(file, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(pdftotext, "-layout", file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		got := string(out)
		pages := strings.Count(got, "\f")
		if pages < 1 || pages > 2 {
			t.Errorf("%s: %d pages", slug, pages)
		}
		for _, want := range []string{"ĐẢNG CỘNG SẢN VIỆT NAM", "Trang 1/"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s lacks %q", slug, want)
			}
		}
		if !strings.Contains(squashSpaces(got), name) {
			t.Errorf("%s lacks the name %q", slug, name)
		}
		for _, nav := range []string{"Đăng xuất", "Bỏ qua, đến nội dung", "In / Lưu PDF", "Hồ sơ " + name, "In từ ketnap", "Quần chúng", "ketnap"} {
			if strings.Contains(got, nav) {
				t.Errorf("%s carries the app's %q", slug, nav)
			}
		}
		if strings.HasPrefix(slug, "6-knd") || strings.HasPrefix(slug, "9-knd") {
			if out, err := exec.Command(pdftoppm, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", file, filepath.Join(dir, "giay-to-"+slug)).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm: %v %s", err, out)
			}
		}
	}
	// the "MẬT" mark, on request
	goTo(t, staff, app.URL+links[0]+"?mat=1", `[data-testid=secret]`)
	// on a phone, and to a screen reader
	sec := browsertest.Browser(t, 360, 800)
	if err := browsertest.Login(sec, app.URL, "vanphong", app.Password(t, "vanphong")); err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		if strings.Contains(l, "/6-knd") {
			goTo(t, sec, app.URL+l, `[data-testid=paper]`)
			browsertest.Screenshot(t, sec, "paper-6-knd-360")
			browsertest.CheckAccessibility(t, sec, "6-KNĐ")
		}
	}
	for _, png := range []string{"giay-to-6-knd.png", "giay-to-9-knd.png"} {
		if st, err := os.Stat(filepath.Join(dir, png)); err != nil || st.Size() < 5000 {
			t.Errorf("%s: %v", png, err)
		}
	}
}

func squashSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }
