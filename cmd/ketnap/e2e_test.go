package main_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ketnap/internal/browsertest"
)

// TestHomePageInBrowser starts the real binary with its own private
// PostgreSQL and opens the home page in headless Chromium.
func TestHomePageInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	app := browsertest.Start(t)
	for _, width := range []int{360, 1280} {
		ctx := browsertest.Browser(t, width, 900)
		if err := chromedp.Do(ctx,
			chromedp.Navigate(app.URL+"/"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=cells]`)),
		); err != nil {
			t.Fatal(err)
		}
		title, err := chromedp.Run(ctx, chromedp.Title())
		if err != nil {
			t.Fatal(err)
		}
		root, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid=root-name]`)))
		if err != nil {
			t.Fatal(err)
		}
		cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid=cell-row] a')).map(a => a.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := root, "Đảng bộ phường Bình Ngọc"; got != want {
			t.Fatalf("root name = %q, want %q", got, want)
		}
		if !strings.Contains(title, "Bình Ngọc") {
			t.Fatalf("title = %q", title)
		}
		joined := strings.Join(cells, "|")
		for _, want := range []string{"Chi bộ khu 1", "Chi bộ khu 6", "Chi bộ Trường THCS Bình Ngọc", "Chi bộ Trạm Y tế phường"} {
			if !strings.Contains(joined, want) {
				t.Fatalf("cell %q missing from %v", want, cells)
			}
		}
		browsertest.Screenshot(t, ctx, map[int]string{360: "home-360", 1280: "home-1280"}[width])

		// a cell page lists its members
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`[data-testid=cell-row] a`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=members]`)),
		); err != nil {
			t.Fatal(err)
		}
		members, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=member-row]').length`))
		if err != nil {
			t.Fatal(err)
		}
		if members < 10 {
			t.Fatalf("cell page lists %d members, want at least 10", members)
		}
	}
}
