package web

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// openStages are the dashboard's stage columns.
var openStages = []admission.Stage{admission.StageSource, admission.StageDossier, admission.StageAwaitingDecision,
	admission.StageAwaitingCeremony, admission.StageProbationary}

func percent(n, of int, has bool) string {
	if !has || of == 0 {
		return ""
	}
	return fmt.Sprintf("(%d%%)", n*100/of)
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	a, _ := s.actor(r)
	today := s.today()
	root, err := s.DB.Organization(r.Context(), a.ScopeOrgID, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := templates.DashboardView{Title: root.Name, Year: today.Year(), Today: admission.FormatDate(today)}
	if err := s.sinceLastVisit(r, &v); err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.page(r, "Tổng quan", "home")
	if r.URL.Query().Get("da-doi-mat-khau") == "1" {
		pg.Flash = "Đã đổi mật khẩu; các phiên đăng nhập khác của bạn đã kết thúc."
	}
	if root.Kind == admission.KindCell {
		v.IsCell, v.CellHref = true, orgHref(root.ID)
		params, err := s.paramsToday(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		own, err := s.DB.Progress(r.Context(), a.ScopePath, today.Year(), today, today, admission.DefaultAdmissionBasis)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(own) == 1 {
			row := forecastRow(admission.ForecastOf(own[0]))
			v.CellTarget = &row
		}
		for _, due := range []string{"overdue", "soon"} {
			pg, err := s.DB.ListCandidates(r.Context(), a.ScopePath, admission.CandidateFilter{Stage: "open", Due: due, Today: today,
				SoonBy: today.AddDate(0, 0, 30), PerPage: 200, CountLimit: 1})
			if err != nil {
				s.fail(w, r, err)
				return
			}
			for _, c := range pg.Rows {
				v.Due = append(v.Due, listRow(c, today, params))
			}
		}
		s.render(w, r, http.StatusOK, templates.DashboardPage(pg, v))
		return
	}
	cells, _, err := s.DB.UnitProgress(r.Context(), a.ScopePath, today.Year(), today, today.AddDate(0, 0, 30), admission.DefaultAdmissionBasis)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, st := range openStages {
		v.Stages = append(v.Stages, admission.StageLabels[st])
	}
	total := templates.DashCell{ByStage: make([]int, len(openStages))}
	targets, hasAny := 0, false
	maxVal := 1
	var forecast admission.Forecast
	for _, c := range cells {
		f := admission.ForecastOf(c)
		forecast = forecast.Add(f)
		row := templates.DashCell{Forecast: admission.ForecastLabels[f.Class], Class: string(f.Class), Name: c.Name, Href: orgHref(c.OrgID), Target: "—", Admitted: c.Admitted, Overdue: c.Overdue, DueSoon: c.DueSoon,
			Percent: percent(c.Admitted, c.Target, c.HasTarget), OverdueHref: "/quan-chung?han=overdue&chi-bo=" + itoa(c.OrgID)}
		if c.HasTarget {
			row.Target = strconv.Itoa(c.Target)
			targets += c.Target
			hasAny = true
		}
		for i, st := range openStages {
			row.ByStage = append(row.ByStage, c.ByStage[st])
			total.ByStage[i] += c.ByStage[st]
		}
		total.Admitted += c.Admitted
		total.Overdue += c.Overdue
		total.DueSoon += c.DueSoon
		maxVal = max(maxVal, c.Target, c.Admitted)
		v.Cells = append(v.Cells, row)
	}
	total.Target = "—"
	if hasAny {
		total.Target = strconv.Itoa(targets)
		total.Percent = percent(total.Admitted, targets, true)
	}
	total.Forecast, total.Class = admission.ForecastLabels[forecast.Class], string(forecast.Class)
	v.Totals = total
	// the bar chart: one row per unit, target behind, admissions in front
	const barArea = 300
	drawn := chartUnits(cells, maxChartBars)
	if len(drawn) < len(cells) {
		v.Chart.Note = fmt.Sprintf("Biểu đồ vẽ %d trong %d đơn vị: những đơn vị đạt tỉ lệ chỉ tiêu thấp nhất (đơn vị chưa được giao chỉ tiêu xếp sau). Bảng dưới có đủ mọi đơn vị.", len(drawn), len(cells))
	}
	v.Chart.Width, v.Chart.Height = 170+barArea+80, len(drawn)*26+4
	v.Chart.Summary = fmt.Sprintf("Năm %d: đã kết nạp %d người, chỉ tiêu %s.", today.Year(), total.Admitted, total.Target)
	for i, c := range drawn {
		b := templates.ChartBar{Label: truncate(c.Name, 26), Y: i*26 + 2, TargetW: c.Target * barArea / maxVal, AdmittedW: c.Admitted * barArea / maxVal}
		b.TextX = 170 + max(b.TargetW, b.AdmittedW) + 6
		b.Text = strconv.Itoa(c.Admitted)
		if c.HasTarget {
			b.Text += "/" + strconv.Itoa(c.Target)
		}
		v.Chart.Bars = append(v.Chart.Bars, b)
	}
	s.render(w, r, http.StatusOK, templates.DashboardPage(pg, v))
}

// maxChartBars is the most units the dashboard's chart draws. A province's
// 300 wards made a chart 7 800 pixels tall, a third of the page's bytes,
// that no one reads bar by bar; the table below lists them all.
const maxChartBars = 20

// chartUnits returns the units the chart draws: all of them when they are
// at most n; otherwise the n furthest behind their target (the lowest share
// admitted, then the fewest admitted), units without a target after those
// with one, in that order.
func chartUnits(cells []admission.CellProgress, n int) []admission.CellProgress {
	if len(cells) <= n {
		return cells
	}
	// the share of its target a unit admitted; a target of none is met
	share := func(c admission.CellProgress) float64 {
		if c.Target == 0 {
			return math.Inf(1)
		}
		return float64(c.Admitted) / float64(c.Target)
	}
	out := slices.Clone(cells)
	slices.SortStableFunc(out, func(a, b admission.CellProgress) int {
		if a.HasTarget != b.HasTarget {
			if a.HasTarget {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(share(a), share(b)), cmp.Compare(a.Admitted, b.Admitted))
	})
	return out[:n]
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (s *Server) targetsPage(w http.ResponseWriter, r *http.Request) {
	year, _ := strconv.Atoi(r.URL.Query().Get("nam"))
	s.renderTargets(w, r, http.StatusOK, year, nil, r.URL.Query().Get("da-luu") == "1", "")
}

func (s *Server) renderTargets(w http.ResponseWriter, r *http.Request, status, year int, typed map[string][2]string, saved bool, msg string) {
	a, _ := s.actor(r)
	today := s.today()
	if year < 2000 || year > 2100 {
		year = today.Year()
	}
	cells, rolled, err := s.DB.UnitProgress(r.Context(), a.ScopePath, year, today, today, admission.DefaultAdmissionBasis)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := targetsView(cells, year, today.Year() == year)
	v.Saved, v.Error, v.CanEdit = saved, msg, admission.Can(a, admission.ActSetTargets, a.ScopePath) && !rolled
	v.RolledUp = rolled
	v.XLSX, v.CSV = "/chi-tieu?dinh-dang=xlsx&nam="+strconv.Itoa(year), "/chi-tieu?dinh-dang=csv&nam="+strconv.Itoa(year)
	for y := today.Year() - 3; y <= today.Year()+1; y++ {
		v.Years = append(v.Years, templates.Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == year})
	}
	for i := range v.Rows {
		if t, ok := typed[v.Rows[i].Field]; ok {
			v.Rows[i].Value, v.Rows[i].Error = t[0], t[1]
		}
	}
	if f := r.URL.Query().Get("dinh-dang"); f == admission.ExportXLSX || f == admission.ExportCSV {
		org, err := s.DB.Organization(r.Context(), a.ScopeOrgID, a.ScopePath)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		b := targetsBook(v, org.Name)
		b.Made = s.madeLine(r)
		s.download(w, r, b, f, "chi-tieu-"+admission.Slug(org.Name)+"-"+strconv.Itoa(year), org.ID, map[string]string{"nam": strconv.Itoa(year)})
		return
	}
	s.render(w, r, status, templates.TargetsPage(s.page(r, "Chỉ tiêu kết nạp", "targets"), v))
}

func (s *Server) saveTargets(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, _ := s.actor(r)
	year, err := strconv.Atoi(r.PostForm.Get("nam"))
	if err != nil || year < 2000 || year > 2100 {
		s.renderTargets(w, r, http.StatusUnprocessableEntity, 0, nil, false, "Năm không hợp lệ.")
		return
	}
	cells, err := s.DB.Progress(r.Context(), a.ScopePath, year, s.today(), s.today(), admission.DefaultAdmissionBasis)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	targets := map[int64]*int{}
	typed := map[string][2]string{}
	bad := false
	for _, c := range cells {
		field := "t_" + itoa(c.OrgID)
		raw := r.PostForm.Get(field)
		if raw == "" {
			targets[c.OrgID] = nil
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 1000 {
			typed[field] = [2]string{raw, "Nhập số người (0–1000)."}
			bad = true
			continue
		}
		typed[field] = [2]string{raw, ""}
		targets[c.OrgID] = &n
	}
	if bad {
		s.renderTargets(w, r, http.StatusUnprocessableEntity, year, typed, false, "Chưa lưu: xem các ô được đánh dấu.")
		return
	}
	if err := okIfSubmitted(s.Svc.SetTargets(r.Context(), a, year, targets)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/chi-tieu?nam="+strconv.Itoa(year)+"&da-luu=1", http.StatusSeeOther)
}

// targetsView builds the targets table: each cell's target, admissions and
// forecast, and their total.
func targetsView(cells []admission.CellProgress, year int, forecast bool) templates.TargetsView {
	v := templates.TargetsView{Year: year, Forecast: forecast}
	var total admission.Forecast
	for _, c := range cells {
		f := admission.ForecastOf(c)
		total = total.Add(f)
		row := forecastRow(f)
		row.Name, row.Field = c.Name, "t_"+itoa(c.OrgID)
		v.Rows = append(v.Rows, row)
	}
	v.Total = forecastRow(total)
	v.Total.Name = "Tổng cộng"
	return v
}

func forecastRow(f admission.Forecast) templates.TargetRow {
	row := templates.TargetRow{Admitted: f.Admitted, Likely: f.Likely, Possible: f.Possible, AtRisk: f.AtRisk,
		Class: string(f.Class), ClassLabel: admission.ForecastLabels[f.Class]}
	if f.HasTarget {
		row.Value = strconv.Itoa(f.Target)
	}
	return row
}

// targetsBook is the targets table as a download.
func targetsBook(v templates.TargetsView, org string) book {
	sh := sheet{Name: "Chỉ tiêu", Header: []string{"Chi bộ", "Chỉ tiêu", "Đã kết nạp"}, Widths: []float64{36, 10, 12}}
	if v.Forecast {
		sh.Header = append(sh.Header, "Nhiều khả năng", "Có thể", "Khó kịp", "Dự báo")
		sh.Widths = append(sh.Widths, 14, 10, 10, 20)
	}
	for _, r := range append(v.Rows, v.Total) {
		target := text("")
		if r.Value != "" {
			n, _ := strconv.Atoi(r.Value)
			target = num(n)
		}
		row := []cell{{Text: r.Name, Bold: r.Name == "Tổng cộng"}, target, num(r.Admitted)}
		if v.Forecast {
			row = append(row, num(r.Likely), num(r.Possible), num(r.AtRisk), text(r.ClassLabel))
		}
		sh.Rows = append(sh.Rows, row)
	}
	return book{Org: org, Title: "Chỉ tiêu kết nạp đảng viên năm " + strconv.Itoa(v.Year), Sheets: []sheet{sh}}
}

// maxChanges is how far the changes since the last visit are counted: the
// page shows ten and says "more than 100" past that, with the audit page a
// click away. Counting to 1 000 walked a thousand events and their
// organizations on each view of a province's dashboard, more than all its
// other parts together.
const maxChanges = 100

// sinceLastVisit lists what others recorded on the files of the user's scope
// since they last signed in: decisions, verifications, moves.
func (s *Server) sinceLastVisit(r *http.Request, v *templates.DashboardView) error {
	a, _ := s.actor(r)
	last, dbNow, err := s.DB.PreviousLogin(r.Context(), a.UserID)
	if err != nil || last.IsZero() {
		return err
	}
	// bounded by the database's clock, which stamps the events (an hour
	// ahead, for writes that began before this view and commit after):
	// each statement plans then only the months up to now, not the next
	// three prepared (half its planning)
	until := dbNow.Add(time.Hour)
	entries, total, err := s.DB.AuditEvents(r.Context(), a.ScopePath, admission.AuditFilter{Action: "step.", Since: last, Until: until, NotBy: a.UserID, PerPage: 10, CountLimit: maxChanges})
	if err != nil {
		return err
	}
	entries2, total2, err := s.DB.AuditEvents(r.Context(), a.ScopePath, admission.AuditFilter{Action: "candidate.move", Since: last, Until: until, NotBy: a.UserID, PerPage: 5, CountLimit: maxChanges})
	if err != nil {
		return err
	}
	v.LastVisit = last.In(ict).Format("15:04 02/01/2006")
	for _, e := range append(entries, entries2...) {
		v.Changes = append(v.Changes, templates.Link{Href: candidateHref(e.EntityID), Label: e.At.In(ict).Format("02/01") + ": " + auditSentence(e)})
	}
	v.MoreChanges = min(total, maxChanges) + min(total2, maxChanges) - len(v.Changes)
	v.MoreCapped = total > maxChanges || total2 > maxChanges
	return nil
}
