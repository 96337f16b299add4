package main_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"ketnap/internal/browsertest"
)

// TestImportInTheBrowser downloads the import template as committee staff,
// fills it with a few rows (an administrator: the history holds the cell's own steps, which committee staff do not record), uploads it, reads the preview, confirms, and
// finds the people on the pages; the import page is checked at 360 and
// 1280 px with axe-core.
func TestImportInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	app := browsertest.Start(t)
	staff := browsertest.Browser(t, 1280, 900)
	if err := browsertest.Login(staff, app.URL, "admin", app.Password(t, "admin")); err != nil {
		t.Fatal(err)
	}
	goTo(t, staff, app.URL+"/nhap-du-lieu", `[data-testid=import-form]`)
	browsertest.Screenshot(t, staff, "import-1280")
	browsertest.CheckAccessibility(t, staff, "import")

	// the template, as the browser downloads it
	b64, err := chromedp.Run(staff, chromedp.Evaluate[string](`fetch('/nhap-du-lieu/mau').then(r => r.arrayBuffer()).then(b => {
		let s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s) })`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(b64)
	x, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("template: %v", err)
	}
	if got := x.GetSheetList(); len(got) != 5 || got[0] != "Hướng dẫn" {
		t.Fatalf("template sheets: %v", got)
	}
	// the example rows give way to a few real ones
	if err := x.DeleteSheet("Tổ chức"); err != nil {
		t.Fatal(err)
	}
	for _, r := range [][]any{
		{"E2E-DV-1", "Lê Văn Nhập", "Nam", "10/10/1960", "Kinh", "Không", "Trung học phổ thông", "01/06/1990", "15/06/1990", "15/06/1991", "Chính thức", "binh-ngoc-khu-1"},
		{"E2E-DV-2", "Phan Thị Liệu", "Nữ", "11/11/1965", "Kinh", "Không", "Trung học phổ thông", "01/06/1995", "", "15/06/1996", "", "binh-ngoc-khu-1"},
	} {
		row := r
		if err := x.SetSheetRow("Đảng viên", "A"+map[string]string{"E2E-DV-1": "2", "E2E-DV-2": "3"}[r[0].(string)], &row); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.SetSheetRow("Quần chúng", "A2", &[]any{"E2E-QC-1", "Đinh Thị Mới", "Nữ", "02/02/1990", "Kinh", "Không", "Trung học phổ thông", "Đại học", "Viên chức", "Không", "Có", "binh-ngoc-khu-1"}); err != nil {
		t.Fatal(err)
	}
	label := "Tạo nguồn, phân công đảng viên giúp đỡ"
	if err := x.SetSheetRow("Quá trình", "A2", &[]any{"E2E-QC-1", label, "02/11/2026", "", "", "", "", "", "", "E2E-DV-1"}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "du-lieu-phuong.xlsx")
	if err := x.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(staff, chromedp.SetUploadFiles(chromedp.CSS(`#tep`), []string{file}),
		chromedp.Click(chromedp.CSS(`[data-testid=import-upload]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=import-preview]`))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, staff, `[data-testid=import-create]`); got != "4" {
		t.Fatalf("preview creates %s rows: %s", got, text(t, staff, `[data-testid=import-preview]`))
	}
	browsertest.Screenshot(t, staff, "import-preview-1280")
	browsertest.CheckAccessibility(t, staff, "import preview")
	if err := chromedp.Do(staff, chromedp.Click(chromedp.CSS(`[data-testid=import-apply]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=import-done]`))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, staff, `[data-testid=import-done]`); !strings.Contains(got, "4 dòng tạo mới") {
		t.Fatalf("done: %q", got)
	}
	goTo(t, staff, app.URL+"/quan-chung?giai-doan=&q=dinh+thi+moi", `[data-testid=candidate-row]`)
	if got := text(t, staff, `[data-testid=candidate-row]`); !strings.Contains(got, "Đinh Thị Mới") || !strings.Contains(got, "Chi bộ khu 1") {
		t.Fatalf("the imported candidate: %q", got)
	}
	// on a phone
	sec := browsertest.Browser(t, 360, 800)
	if err := browsertest.Login(sec, app.URL, "vanphong", app.Password(t, "vanphong")); err != nil {
		t.Fatal(err)
	}
	goTo(t, sec, app.URL+"/nhap-du-lieu", `[data-testid=import-form]`)
	browsertest.Screenshot(t, sec, "import-360")
	browsertest.CheckAccessibility(t, sec, "import on a phone")
	_ = os.Remove(file)
}
