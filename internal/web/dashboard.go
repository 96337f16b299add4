package web

import (
	"fmt"
	"net/http"
	"strconv"

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
		for _, due := range []string{"overdue", "soon"} {
			rows, _, err := s.DB.ListCandidates(r.Context(), a.ScopePath, admission.CandidateFilter{Stage: "open", Due: due, Today: today,
				SoonBy: today.AddDate(0, 0, 30), PerPage: 200})
			if err != nil {
				s.fail(w, r, err)
				return
			}
			for _, c := range rows {
				v.Due = append(v.Due, listRow(c, today, params))
			}
		}
		s.render(w, r, http.StatusOK, templates.DashboardPage(pg, v))
		return
	}
	cells, err := s.DB.Progress(r.Context(), a.ScopePath, today.Year(), today, today.AddDate(0, 0, 30), admission.DefaultAdmissionBasis)
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
	for _, c := range cells {
		row := templates.DashCell{Name: c.Name, Href: orgHref(c.OrgID), Target: "—", Admitted: c.Admitted, Overdue: c.Overdue, DueSoon: c.DueSoon,
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
	v.Totals = total
	// the bar chart: one row per cell, target behind, admissions in front
	const barArea = 300
	v.Chart = templates.Chart{Width: 170 + barArea + 80, Height: len(cells)*26 + 4,
		Summary: fmt.Sprintf("Năm %d: đã kết nạp %d người, chỉ tiêu %s.", today.Year(), total.Admitted, total.Target)}
	for i, c := range cells {
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
	cells, err := s.DB.Progress(r.Context(), a.ScopePath, year, today, today, admission.DefaultAdmissionBasis)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := templates.TargetsView{Year: year, Saved: saved, Error: msg, CanEdit: admission.Can(a, admission.ActSetTargets, a.ScopePath)}
	for y := today.Year() - 3; y <= today.Year()+1; y++ {
		v.Years = append(v.Years, templates.Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == year})
	}
	for _, c := range cells {
		row := templates.TargetRow{Name: c.Name, Field: "t_" + itoa(c.OrgID), Admitted: c.Admitted}
		if c.HasTarget {
			row.Value = strconv.Itoa(c.Target)
		}
		if t, ok := typed[row.Field]; ok {
			row.Value, row.Error = t[0], t[1]
		}
		v.Rows = append(v.Rows, row)
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
	if err := s.Svc.SetTargets(r.Context(), a, year, targets); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/chi-tieu?nam="+strconv.Itoa(year)+"&da-luu=1", http.StatusSeeOther)
}
