package main_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ketnap/internal/browsertest"
)

// TestWhoActsNextOnAPhone walks the work queues and the file's state on a
// 360 px phone and at 1280 px: the secretary sees a file waiting for the
// committee's verification in words and is not offered to retake the class,
// staff see the files awaiting verification in their queue, a date typed
// with dots is accepted, and the sponsor picker groups members by cell.
func TestWhoActsNextOnAPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	app := browsertest.Start(t)
	staff := browsertest.Browser(t, 1280, 900)
	if err := browsertest.Login(staff, app.URL, "vanphong", app.Password(t, "vanphong")); err != nil {
		t.Fatal(err)
	}
	goTo(t, staff, app.URL+"/viec-can-lam", `[data-testid=queue-summary]`)
	if got := text(t, staff, `[data-testid=queue-summary]`); !strings.Contains(got, "Đang chờ Đảng ủy thẩm tra lý lịch") {
		t.Fatalf("staff queue summary: %q", got)
	}
	browsertest.Screenshot(t, staff, "queue-1280")
	browsertest.CheckAccessibility(t, staff, "staff queue")

	sec := browsertest.Browser(t, 360, 800)
	if err := browsertest.Login(sec, app.URL, "bithu.khu1", app.Password(t, "bithu.khu1")); err != nil {
		t.Fatal(err)
	}
	goTo(t, sec, app.URL+"/", `[data-testid=queue-link]`)
	browsertest.Screenshot(t, sec, "dashboard-secretary-360")
	browsertest.CheckAccessibility(t, sec, "secretary dashboard")
	goTo(t, sec, app.URL+"/viec-can-lam", `main h1`)
	browsertest.Screenshot(t, sec, "queue-360")
	browsertest.CheckAccessibility(t, sec, "secretary queue")

	// a file of her cell waiting for the committee's verification, found from the staff's queue
	href, err := chromedp.Run(staff, chromedp.Evaluate[string](`(Array.from(document.querySelectorAll('[data-testid=queue-item]'))
		.find(li => li.textContent.includes('Đang chờ Đảng ủy thẩm tra lý lịch') && li.textContent.includes('Chi bộ khu 1')) || {querySelector: () => ({})})
		.querySelector('a').href || ''`))
	if err != nil {
		t.Fatal(err)
	}
	if href != "" {
		goTo(t, sec, href, `[data-testid=file-state]`)
		if got := text(t, sec, `[data-testid=file-state]`); !strings.Contains(got, "Đang chờ Đảng ủy thẩm tra lý lịch") {
			t.Fatalf("file state: %q", got)
		}
		offered, _ := chromedp.Run(sec, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=form-awareness_class]').length`))
		if offered != 0 {
			t.Fatal("the secretary is offered to retake the class while the file waits for verification")
		}
		browsertest.Screenshot(t, sec, "waiting-file-360")
		browsertest.CheckAccessibility(t, sec, "waiting file")
	} else {
		t.Log("no file of Chi bộ khu 1 awaits verification in today's demo")
	}

	// a birth date typed with dots is accepted; a name typed in lower case is saved in title case
	goTo(t, sec, app.URL+"/quan-chung/moi", `#full_name`)
	if err := chromedp.Do(sec,
		chromedp.SetValue(chromedp.CSS(`#full_name`), "trịnh thị mười"),
		chromedp.Click(chromedp.CSS(`input[name=gender][value=female]`)),
		chromedp.SetValue(chromedp.CSS(`#birth_date`), "10.01.1990"),
		chromedp.SetValue(chromedp.CSS(`#education_general`), "upper_secondary"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=candidate-name]`))); err != nil {
		t.Fatal(err)
	}
	if got := text(t, sec, `[data-testid=candidate-name]`); got != "Trịnh Thị Mười" {
		t.Fatalf("name saved as %q", got)
	}
	if got := text(t, sec, `main`); !strings.Contains(got, "10/01/1990") {
		t.Fatal("the birth date typed 10.01.1990 is not 10/01/1990")
	}
	mode, _ := chromedp.Run(sec, chromedp.Evaluate[string](`(document.querySelector('#nominated-occurred_on') || {}).inputMode || ''`))
	if mode != "numeric" {
		t.Fatalf("date field keyboard %q", mode)
	}
	// the helper picker groups members by cell, the candidate's own cell first
	groups, _ := chromedp.Run(sec, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#nominated-helper_member_id optgroup')).map(g => g.label)`))
	if len(groups) == 0 || groups[0] != "Chi bộ khu 1" {
		t.Fatalf("picker groups %v", groups)
	}
	browsertest.Screenshot(t, sec, "new-candidate-360")
	browsertest.CheckAccessibility(t, sec, "new candidate page")
}
