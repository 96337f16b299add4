package main_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ketnap/internal/browsertest"
)

// TestHomePageInBrowser starts the real binary with its own private
// PostgreSQL, signs in with the credentials it printed, and opens the home
// page in headless Chromium at phone and desktop widths.
func TestHomePageInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	app := browsertest.Start(t)
	password := app.Password(t, "vanphong")
	for _, width := range []int{360, 1280} {
		ctx := browsertest.Browser(t, width, 900)
		if err := browsertest.Login(ctx, app.URL, "vanphong", password); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx,
			chromedp.Navigate(app.URL+"/to-chuc"),
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

// TestSecretaryJourney: a cell secretary logs in, sees their cell, is refused
// another cell's candidate by URL, and logs out.
func TestSecretaryJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	app := browsertest.Start(t)
	// a candidate of another cell, read as staff
	staff := browsertest.Browser(t, 1280, 900)
	if err := browsertest.Login(staff, app.URL, "vanphong", app.Password(t, "vanphong")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(staff, chromedp.Navigate(app.URL+"/to-chuc"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=cells]`))); err != nil {
		t.Fatal(err)
	}
	khu2, err := chromedp.Run(staff, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('[data-testid=cell-row] a')).find(a => a.textContent === 'Chi bộ khu 2').href`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(staff, chromedp.Navigate(khu2), chromedp.WaitVisible(chromedp.CSS(`[data-testid=candidates]`))); err != nil {
		t.Fatal(err)
	}
	foreign, err := chromedp.Run(staff, chromedp.Evaluate[string](`document.querySelector('[data-testid=candidate-row] a').href`))
	if err != nil {
		t.Fatal(err)
	}

	ctx := browsertest.Browser(t, 360, 800)
	if err := browsertest.Login(ctx, app.URL, "bithu.khu1", app.Password(t, "bithu.khu1")); err != nil {
		t.Fatal(err)
	}
	// their cell page
	if err := chromedp.Do(ctx, chromedp.Navigate(app.URL+"/to-chuc"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=cell-name]`))); err != nil {
		t.Fatal(err)
	}
	name, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid=cell-name]`)))
	if err != nil || name != "Chi bộ khu 1" {
		t.Fatalf("secretary home: %q %v", name, err)
	}
	browsertest.Screenshot(t, ctx, "secretary-cell-360")
	// another cell's candidate by URL: the same answer as a missing record
	if err := chromedp.Do(ctx, chromedp.Navigate(foreign), chromedp.WaitVisible(chromedp.CSS(`[data-testid=error]`))); err != nil {
		t.Fatal(err)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid=error] h1`)))
	if err != nil || !strings.Contains(msg, "Không tìm thấy") {
		t.Fatalf("foreign candidate: %q %v", msg, err)
	}
	body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if strings.Contains(body, "Chi bộ khu 2") {
		t.Fatal("the refusal leaks the other cell")
	}
	// log out: the session ends, pages ask for a login again
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`[data-testid=logout]`)),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.Navigate(app.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
	); err != nil {
		t.Fatal(err)
	}
}
