package main_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ketnap/internal/browsertest"
)

// page actions of the journey

func fill(t *testing.T, ctx context.Context, kind string, values map[string]string) {
	t.Helper()
	form := `[data-testid=form-` + kind + `]`
	open, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('`+form+`').open`))
	if err != nil {
		t.Fatalf("%s: no form: %v", kind, err)
	}
	if !open {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(form+` summary`))); err != nil {
			t.Fatalf("%s: open form: %v", kind, err)
		}
	}
	for name, v := range values {
		sel := chromedp.CSS(`#` + kind + `-` + name)
		if strings.HasPrefix(name, "outcome=") {
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(form+` input[name=outcome][value=`+strings.TrimPrefix(name, "outcome=")+`]`))); err != nil {
				t.Fatalf("%s: %s: %v", kind, name, err)
			}
			continue
		}
		if err := chromedp.Do(ctx, chromedp.SetValue(sel, v)); err != nil {
			t.Fatalf("%s: set %s: %v", kind, name, err)
		}
	}
}

func submit(t *testing.T, ctx context.Context, kind string) {
	t.Helper()
	// mark the page, so the wait below sees the next page, not this one
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.body.dataset.stale = '1'`),
		chromedp.Click(chromedp.CSS(`[data-testid=form-`+kind+`] button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`body[data-stale]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=candidate-name]`))); err != nil {
		t.Fatalf("%s: submit: %v", kind, err)
	}
}

func record(t *testing.T, ctx context.Context, kind string, values map[string]string) {
	t.Helper()
	fill(t, ctx, kind, values)
	submit(t, ctx, kind)
	notice, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('[data-testid=notice]') || {}).textContent || ''`))
	if err != nil || !strings.Contains(notice, "Đã ghi") {
		errs, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid=step-error]')).map(e => e.textContent)`))
		t.Fatalf("%s not recorded: notice %q, errors %v", kind, notice, errs)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('`+sel+`') || {}).textContent || ''`))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(s)
}

func goTo(t *testing.T, ctx context.Context, url, wait string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(wait))); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
}

// optionValue returns the value of the first enabled option of a select.
func optionValue(t *testing.T, ctx context.Context, sel string, nth int) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`Array.from(document.querySelectorAll('%s option')).filter(o => o.value && !o.disabled)[%d].value`, sel, nth)))
	if err != nil {
		t.Fatalf("%s: %v", sel, err)
	}
	return v
}

func dashboardAdmitted(t *testing.T, ctx context.Context, base string) (int, int) {
	t.Helper()
	goTo(t, ctx, base+"/", `[data-testid=dashboard]`)
	a, _ := strconv.Atoi(strings.Fields(text(t, ctx, `[data-testid=admitted-total]`))[0])
	o, _ := strconv.Atoi(text(t, ctx, `[data-testid=overdue-total]`))
	return a, o
}

// TestAdmissionJourney walks one person from nomination to probationary
// member in the browser: the secretary records the cell's steps, staff the
// committee's, refusals show the engine's message, the search finds the
// person without diacritics, and the dashboard counts the admission.
func TestAdmissionJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	app := browsertest.Start(t)
	ict := time.FixedZone("ICT", 7*3600)
	now := time.Now().In(ict)
	day := func(daysAgo int) string { return now.AddDate(0, 0, -daysAgo).Format("02/01/2006") }

	staff := browsertest.Browser(t, 1280, 900)
	if err := browsertest.Login(staff, app.URL, "vanphong", app.Password(t, "vanphong")); err != nil {
		t.Fatal(err)
	}
	admittedBefore, _ := dashboardAdmitted(t, staff, app.URL)
	browsertest.Screenshot(t, staff, "dashboard-1280")
	browsertest.CheckAccessibility(t, staff, "dashboard")

	sec := browsertest.Browser(t, 360, 800)
	if err := browsertest.Login(sec, app.URL, "bithu.khu1", app.Password(t, "bithu.khu1")); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, sec, "dashboard-360")
	browsertest.CheckAccessibility(t, sec, "secretary dashboard")

	// the secretary adds a candidate; a refused form keeps what was typed
	goTo(t, sec, app.URL+"/quan-chung/moi", `#full_name`)
	browsertest.CheckAccessibility(t, sec, "new candidate form")
	if err := chromedp.Do(sec,
		chromedp.SetValue(chromedp.CSS(`#full_name`), "Hoàng Thị Thuận"),
		chromedp.SetValue(chromedp.CSS(`#birth_date`), "31/02/1990"),
		chromedp.Click(chromedp.CSS(`input[name=gender][value=female]`)),
		chromedp.SetValue(chromedp.CSS(`#education_general`), "upper_secondary"),
		chromedp.SetValue(chromedp.CSS(`#occupation`), "Viên chức"),
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.stale = '1'`),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`body[data-stale]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=form-error]`)),
	); err != nil {
		t.Fatal(err)
	}
	if got, _ := chromedp.Run(sec, chromedp.Value(chromedp.CSS(`#full_name`))); got != "Hoàng Thị Thuận" {
		t.Fatalf("the refused form lost the name: %q", got)
	}
	if msg := text(t, sec, `#birth_date-error`); !strings.Contains(msg, "không hợp lệ") {
		t.Fatalf("birth date error: %q", msg)
	}
	if err := chromedp.Do(sec,
		chromedp.SetValue(chromedp.CSS(`#birth_date`), "15/3/1990"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=candidate-name]`)),
	); err != nil {
		t.Fatal(err)
	}
	candidateURL, _ := chromedp.Run(sec, chromedp.Location())
	candidateURL = strings.SplitN(candidateURL, "?", 2)[0]

	helper := optionValue(t, sec, `#nominated-helper_member_id`, 0)
	record(t, sec, "nominated", map[string]string{"occurred_on": day(120), "helper_member_id": helper})
	record(t, sec, "awareness_class", map[string]string{"occurred_on": day(100), "document_no": "215/GCN-TTCT", "issued_by": "Trung tâm Chính trị"})
	// out of order: an application dated before the class is refused with the rule's message
	fill(t, sec, "application", map[string]string{"occurred_on": day(105)})
	submit(t, sec, "application")
	if msg := text(t, sec, `#application-occurred_on-error`); !strings.Contains(msg, "sớm hơn ngày của bước") || !strings.Contains(msg, "12-HD/BTCTW") {
		t.Fatalf("out-of-order date: %q", msg)
	}
	browsertest.Screenshot(t, sec, "refusal-360")
	// a crafted request for a step whose prerequisites are missing
	if err := chromedp.Do(sec, chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid=form-application] input[name=kind]').value = 'cell_resolution'`)); err != nil {
		t.Fatal(err)
	}
	submit(t, sec, "application")
	if msg := text(t, sec, `[data-testid=page-error]`); !strings.Contains(msg, "Chưa thể ghi") {
		t.Fatalf("crafted out-of-order step: %q", msg)
	}
	record(t, sec, "application", map[string]string{"occurred_on": day(90)})
	record(t, sec, "personal_history", map[string]string{"occurred_on": day(85)})
	if text(t, sec, `[data-testid=form-verification]`) != "" {
		t.Fatal("a secretary is offered the committee's verification")
	}

	// staff record the verification
	goTo(t, staff, candidateURL, `[data-testid=form-verification]`)
	record(t, staff, "verification", map[string]string{"occurred_on": day(60), "outcome=passed": ""})

	// the secretary introduces with two sponsors from the picker, gathers comments, votes
	goTo(t, sec, candidateURL, `[data-testid=form-introduction]`)
	s1 := optionValue(t, sec, `#introduction-sponsor1_id`, 0)
	s2 := optionValue(t, sec, `#introduction-sponsor2_id`, 1)
	disabled, _ := chromedp.Run(sec, chromedp.Evaluate[int](`document.querySelectorAll('#introduction-sponsor1_id option[disabled]').length`))
	if disabled == 0 {
		t.Fatal("the sponsor picker does not show probationary members as not eligible")
	}
	record(t, sec, "introduction", map[string]string{"occurred_on": day(50), "route": "two_sponsors",
		"sponsor1_id": s1, "sponsor1_since": "01/01/2015", "sponsor1_relation": "lived",
		"sponsor2_id": s2, "sponsor2_since": "01/06/2018", "sponsor2_relation": "worked"})
	record(t, sec, "comments", map[string]string{"occurred_on": day(45)})
	eligible, _ := chromedp.Run(sec, chromedp.Value(chromedp.CSS(`#cell_resolution-votes_eligible`)))
	n, _ := strconv.Atoi(eligible)
	if n < 5 {
		t.Fatalf("eligible voters prefilled %q", eligible)
	}
	// more yes than eligible is refused next to the field
	fill(t, sec, "cell_resolution", map[string]string{"occurred_on": day(40), "votes_yes": strconv.Itoa(n + 1)})
	submit(t, sec, "cell_resolution")
	if msg := text(t, sec, `#cell_resolution-votes_yes-error`); !strings.Contains(msg, "phải từ 0 đến") {
		t.Fatalf("votes error: %q", msg)
	}
	record(t, sec, "cell_resolution", map[string]string{"occurred_on": day(40), "votes_yes": strconv.Itoa(n)})
	if got := text(t, sec, `[data-testid=stage]`); got != "Chờ quyết định kết nạp" {
		t.Fatalf("stage after the vote: %q", got)
	}

	// staff record the decision
	goTo(t, staff, candidateURL, `[data-testid=form-decision]`)
	record(t, staff, "decision", map[string]string{"occurred_on": day(10), "received_on": day(8), "document_no": "512-QĐ/ĐU",
		"issued_by": "Ban Thường vụ Đảng ủy phường Bình Ngọc"})

	// the secretary records the ceremony: the person is now a probationary member of the cell
	goTo(t, sec, candidateURL, `[data-testid=form-ceremony]`)
	record(t, sec, "ceremony", map[string]string{"occurred_on": day(1), "helper_member_id": helper})
	if got := text(t, sec, `[data-testid=stage]`); got != "Đảng viên dự bị" {
		t.Fatalf("stage after the ceremony: %q", got)
	}
	browsertest.Screenshot(t, sec, "candidate-360")
	browsertest.CheckAccessibility(t, sec, "candidate page")
	goTo(t, staff, candidateURL, `[data-testid=timeline]`)
	browsertest.Screenshot(t, staff, "candidate-1280")
	goTo(t, sec, app.URL+"/to-chuc", `[data-testid=members]`)
	found, _ := chromedp.Run(sec, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('[data-testid=member-row]')).map(r => r.textContent).find(t => t.includes('Hoàng Thị Thuận')) || ''`))
	if !strings.Contains(found, "Dự bị") {
		t.Fatalf("new member row: %q", found)
	}

	// search ignores diacritics and treats đ as d
	for q, want := range map[string]string{"thuan": "Hoàng Thị Thuận", "hoang thi": "Hoàng Thị Thuận"} {
		goTo(t, staff, app.URL+"/quan-chung?giai-doan=&q="+strings.ReplaceAll(q, " ", "+"), `[data-testid=candidates-total]`)
		names, _ := chromedp.Run(staff, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid=candidate-row] a')).map(a => a.textContent)`))
		if len(names) == 0 || names[0] != want {
			t.Fatalf("search %q: %v", q, names)
		}
	}
	goTo(t, staff, app.URL+"/quan-chung?giai-doan=&q=duc", `[data-testid=candidates-total]`)
	names, _ := chromedp.Run(staff, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid=candidate-row] a')).map(a => a.textContent)`))
	for _, nm := range names {
		if !strings.Contains(nm, "Đức") && !strings.Contains(nm, "Dực") && !strings.Contains(nm, "Dục") {
			t.Fatalf("search duc found %q", nm)
		}
	}
	goTo(t, staff, app.URL+"/quan-chung", `[data-testid=candidate-list]`)
	browsertest.Screenshot(t, staff, "list-1280")
	browsertest.CheckAccessibility(t, staff, "candidate list")
	goTo(t, sec, app.URL+"/quan-chung", `[data-testid=candidates-total]`)
	browsertest.Screenshot(t, sec, "list-360")
	cells, _ := chromedp.Run(sec, chromedp.Evaluate[int](`document.querySelectorAll('#f-org').length`))
	if cells != 0 {
		t.Fatal("a secretary is offered other cells")
	}

	// the dashboard counts the admission
	admittedAfter, _ := dashboardAdmitted(t, staff, app.URL)
	if admittedAfter != admittedBefore+1 {
		t.Fatalf("admitted this year: %d before, %d after", admittedBefore, admittedAfter)
	}
	goTo(t, sec, app.URL+"/", `main`)
	browsertest.CheckAccessibility(t, sec, "secretary dashboard after")
}
