package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// reportQuery is what a report is asked for: an organization, a period, a
// basis. Its URL form is the page's, the lists', the downloads'.
type reportQuery struct {
	org    admission.Organization
	parent string
	period admission.Period
	basis  string
}

func (q reportQuery) values() url.Values {
	v := url.Values{"to-chuc": {itoa(q.org.ID)}, "ky": {q.period.Key}}
	if q.basis == admission.AdmittedByCeremony {
		v.Set("co-so", "le-ket-nap")
	}
	return v
}

func (q reportQuery) href(path string, extra ...string) string {
	v := q.values()
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return path + "?" + v.Encode()
}

func (q reportQuery) basisLabel() string {
	if q.basis == admission.AdmittedByCeremony {
		return "Tính theo ngày tổ chức lễ kết nạp"
	}
	return "Tính theo ngày ký quyết định kết nạp"
}

// readReportQuery reads the report's parameters; a missing or unreadable
// one takes its default (the user's own organization, this year, the
// decision date), and msg says what was not understood.
func (s *Server) readReportQuery(r *http.Request) (reportQuery, string, error) {
	a, _ := s.actor(r)
	q := reportQuery{basis: admission.DefaultAdmissionBasis}
	if r.URL.Query().Get("co-so") == "le-ket-nap" {
		q.basis = admission.AdmittedByCeremony
	}
	var msg string
	id := a.ScopeOrgID
	if v := r.URL.Query().Get("to-chuc"); v != "" {
		if n := parseID(v); n > 0 {
			id = n
		} else {
			msg = "Tổ chức không hợp lệ; báo cáo lấy tổ chức của bạn."
		}
	}
	org, err := s.DB.Organization(r.Context(), id, a.ScopePath)
	if err != nil {
		return q, msg, err
	}
	q.org = org
	if org.ParentID != 0 {
		if p, err := s.DB.Organization(r.Context(), org.ParentID, "/"); err == nil {
			q.parent = p.Name
		}
	}
	today := s.today()
	q.period, _ = admission.PeriodOf(strconv.Itoa(today.Year()))
	tu, den := strings.TrimSpace(r.URL.Query().Get("tu")), strings.TrimSpace(r.URL.Query().Get("den"))
	switch key := r.URL.Query().Get("ky"); {
	case tu != "" || den != "":
		from, err1 := admission.ParseDate(tu)
		to, err2 := admission.ParseDate(den)
		if err1 != nil || err2 != nil || to.Before(from) {
			msg = "Khoảng thời gian không hợp lệ (từ ngày … đến ngày …, dạng ngày/tháng/năm); báo cáo lấy năm nay."
		} else {
			q.period = admission.RangePeriod(from, to)
		}
	case key != "":
		if p, ok := admission.PeriodOf(key); ok {
			q.period = p
		} else {
			msg = "Kỳ báo cáo không hợp lệ; báo cáo lấy năm nay."
		}
	}
	return q, msg, nil
}

// reportData is everything one report shows.
type reportData struct {
	q     reportQuery
	vocab admission.Vocabularies
	reportFigures
	made string
}

// reportFigures are a report's counts, which a period that nothing has
// touched since keeps (report_cache, under the organization's fingerprint).
type reportFigures struct {
	Now, Prior admission.ReportCounts
	Pipeline   admission.Pipeline
	Units      []admission.UnitCount
}

// errAnswered says the request was already answered (the busy page).
var errAnswered = errors.New("answered")

// loadReport reads a report's figures kept under the current fingerprint,
// else counts them, as a heavy page (a few at a time).
func (s *Server) loadReport(w http.ResponseWriter, r *http.Request, q reportQuery) (reportData, error) {
	ctx := r.Context()
	d := reportData{q: q, made: s.madeLine(r)}
	var err error
	if d.vocab, err = s.reader().Vocabularies(ctx); err != nil {
		return d, err
	}
	fp, err := s.reader().ReportFingerprint(ctx, q.org.ID, q.period.To)
	if err != nil {
		return d, err
	}
	payload, _, ok, err := s.reader().CachedReport(ctx, q.org.ID, q.period.Key, q.basis, fp)
	if err != nil {
		return d, err
	}
	if ok && json.Unmarshal(payload, &d.reportFigures) == nil {
		return d, nil
	}
	r, release, ok := s.heavySlot(w, r)
	if !ok {
		return d, errAnswered
	}
	defer release()
	ctx = r.Context()
	if d.reportFigures, err = s.reportFigures(ctx, q); err != nil {
		return d, err
	}
	s.keepFigures(ctx, q, q.period.Key, q.period.To, fp, d.reportFigures)
	return d, nil
}

// keepFigures stores figures counted under fingerprint fp of the days up
// to `to`, only when nothing changed while they were counted.
func (s *Server) keepFigures(ctx context.Context, q reportQuery, key string, to time.Time, fp int64, figures any) {
	if again, err := s.reader().ReportFingerprint(ctx, q.org.ID, to); err != nil || again != fp {
		return
	}
	if payload, err := json.Marshal(figures); err == nil {
		if err := s.DB.StoreReport(ctx, q.org.ID, key, q.basis, fp, payload); err != nil {
			s.Log.Warn("lưu số liệu báo cáo", "err", err)
		}
	}
}

// periodFigures are one period's counts and where its candidates stood at
// its end.
type periodFigures struct {
	Counts   admission.ReportCounts
	Pipeline admission.Pipeline
}

// periodFigures reads one period's figures kept under the fingerprint of
// the days up to its end (report_cache, key "ky:" and the period), else
// counts them. A report shows its period beside the same period a year
// before; a write today changes the first and not the second, which at a
// province's size took half of a recount (about 20 s) when the two were
// kept only together.
func (s *Server) periodFigures(ctx context.Context, q reportQuery, p admission.Period) (periodFigures, error) {
	var f periodFigures
	fp, err := s.reader().ReportFingerprint(ctx, q.org.ID, p.To)
	if err != nil {
		return f, err
	}
	key := "ky:" + p.Key
	payload, _, ok, err := s.reader().CachedReport(ctx, q.org.ID, key, q.basis, fp)
	if err != nil {
		return f, err
	}
	if ok && json.Unmarshal(payload, &f) == nil {
		return f, nil
	}
	var stood admission.ReportCounts // the pipeline's part of the counts
	if err := admission.Together(
		func() (err error) {
			f.Counts, err = s.reader().AdmissionReport(ctx, q.org.Path, p.From, p.To, q.basis)
			return err
		},
		func() (err error) {
			f.Pipeline, err = s.reader().Pipeline(ctx, q.org.Path, p.From, p.To, &stood)
			return err
		},
	); err != nil {
		return f, err
	}
	f.Counts.CellsNoneOpen = stood.CellsNoneOpen
	s.keepFigures(ctx, q, key, p.To, fp, f)
	return f, nil
}

// reportFigures counts a report's figures from the records, reading each
// period's kept figures where nothing in it has changed.
func (s *Server) reportFigures(ctx context.Context, q reportQuery) (reportFigures, error) {
	var f reportFigures
	var now, prior periodFigures
	err := admission.Together(
		func() (err error) { now, err = s.periodFigures(ctx, q, q.period); return err },
		func() (err error) { prior, err = s.periodFigures(ctx, q, q.period.LastYear()); return err },
		func() (err error) {
			f.Units, err = s.reader().AdmissionsByUnit(ctx, q.org.Path, q.period.From, q.period.To, q.basis)
			return err
		},
	)
	f.Now, f.Pipeline, f.Prior = now.Counts, now.Pipeline, prior.Counts
	return f, err
}

// line is one row of the main table, built for the page and the book alike.
type line struct {
	row        admission.ReportRow
	now, prior admission.Count
	avg        bool // the average age: tenths of a year, no list
}

func (d reportData) lines() []line {
	var out []line
	for _, row := range admission.ReportRows(d.vocab) {
		l := line{row: row, now: d.Now.Rows[row.Key], prior: d.Prior.Rows[row.Key]}
		if row.Key == admission.RowAvgAge {
			l.avg, l.now.N, l.prior.N = true, d.Now.AgeTenths, d.Prior.AgeTenths
		}
		// the "not known" rows show only when someone is in them
		if strings.HasSuffix(row.Key, ":") && l.now.N == 0 && l.prior.N == 0 {
			continue
		}
		if row.Key == "edu:"+admission.EduLiteracy && l.now.N == 0 && l.prior.N == 0 {
			continue
		}
		out = append(out, l)
	}
	return out
}

// compositionLines are Biểu 2B's rows: the ethnicities and religions
// someone in either period has.
func (d reportData) compositionLines() (eth, rel []line) {
	e, rl := admission.CompositionRows(d.vocab)
	pick := func(rows []admission.ReportRow) []line {
		var out []line
		for _, row := range rows {
			l := line{row: row, now: d.Now.Rows[row.Key], prior: d.Prior.Rows[row.Key]}
			if l.now.N > 0 || l.prior.N > 0 {
				out = append(out, l)
			}
		}
		return out
	}
	return pick(e), pick(rl)
}

// stageLines are the candidates by stage on the period's last day.
func (d reportData) stageLines() []templates.Pair {
	var out []templates.Pair
	for _, st := range []admission.Stage{admission.StageSource, admission.StageDossier, admission.StageAwaitingDecision, admission.StageAwaitingCeremony,
		admission.StageProbationary, admission.StageOfficial, admission.StageWithdrawn, admission.StageRemoved, admission.StageTransferred} {
		out = append(out, templates.Pair{Label: admission.StageLabels[st], Value: strconv.Itoa(d.Pipeline.ByStage[st])})
	}
	return out
}

// view builds the page.
func (d reportData) view() templates.ReportView {
	q := d.q
	last := q.period.LastYear()
	v := templates.ReportView{OrgName: q.org.Name, Period: q.period.Name, LastPeriod: last.Name, Basis: q.basisLabel(),
		ByCeremony: q.basis == admission.AdmittedByCeremony, Made: d.made,
		XLSX: q.href("/bao-cao/tai-ve", "dinh-dang", "xlsx"), CSV: q.href("/bao-cao/tai-ve", "dinh-dang", "csv"), Print: q.href("/bao-cao/in")}
	listHref := func(p admission.Period, key string) string {
		w := q
		w.period = p
		return w.href("/bao-cao/danh-sach", "dong", key)
	}
	for _, l := range d.lines() {
		rl := templates.ReportLine{Label: l.row.Label, Heading: l.row.Heading, Indent: l.row.Indent}
		if !l.row.Heading {
			if l.avg {
				rl.Now, rl.Prior = avgText(l.now.N, d.Now.Rows[admission.RowTotal].N), avgText(l.prior.N, d.Prior.Rows[admission.RowTotal].N)
			} else {
				rl.Now, rl.Prior, rl.Ratio = strconv.Itoa(l.now.N), strconv.Itoa(l.prior.N), admission.Ratio(l.now.N, l.prior.N)
				rl.NowHref, rl.PriorHref = listHref(q.period, l.row.Key), listHref(last, l.row.Key)
			}
		}
		v.Rows = append(v.Rows, rl)
	}
	v.Rows = append(v.Rows,
		templates.ReportLine{Label: "Số chi bộ có kết nạp đảng viên", Now: strconv.Itoa(d.Now.CellsAdmit), Prior: strconv.Itoa(d.Prior.CellsAdmit),
			Ratio: admission.Ratio(d.Now.CellsAdmit, d.Prior.CellsAdmit)},
		templates.ReportLine{Label: "Số chi bộ không còn quần chúng trong diện phát triển (cuối kỳ)", Now: strconv.Itoa(d.Now.CellsNoneOpen),
			Prior: strconv.Itoa(d.Prior.CellsNoneOpen), Ratio: admission.Ratio(d.Now.CellsNoneOpen, d.Prior.CellsNoneOpen)},
		templates.ReportLine{Label: "Tổng số chi bộ hiện có", Now: strconv.Itoa(d.Now.Cells), Prior: strconv.Itoa(d.Prior.Cells)})
	eth, rel := d.compositionLines()
	for _, g := range []struct {
		lines []line
		dst   *[]templates.ReportLine
	}{{eth, &v.Ethnicity}, {rel, &v.Religion}} {
		for _, l := range g.lines {
			*g.dst = append(*g.dst, templates.ReportLine{Label: l.row.Label, Now: strconv.Itoa(l.now.N), NowWomen: strconv.Itoa(l.now.Women),
				Prior: strconv.Itoa(l.prior.N), PriorWomen: strconv.Itoa(l.prior.Women), NowHref: listHref(q.period, l.row.Key), PriorHref: listHref(last, l.row.Key)})
		}
	}
	v.Stages = d.stageLines()
	v.Pipeline = []templates.Pair{
		{Label: "Được cấp giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng trong kỳ", Value: strconv.Itoa(d.Pipeline.AwarenessClass)},
		{Label: "Đảng viên dự bị được công nhận chính thức trong kỳ", Value: strconv.Itoa(d.Pipeline.Recognised)},
		{Label: "Đảng viên dự bị bị xóa tên trong kỳ", Value: strconv.Itoa(d.Pipeline.RemovedProbation)},
		{Label: "Đã hết thời gian dự bị nhưng chưa được công nhận chính thức (cuối kỳ)", Value: strconv.Itoa(d.Pipeline.OverdueProbation)},
	}
	v.UnitHeading = "Đơn vị"
	for _, u := range d.Units {
		if u.Kind == admission.KindCell {
			v.UnitHeading = "Chi bộ"
		}
		w := q
		w.org = admission.Organization{ID: u.OrgID}
		v.Units = append(v.Units, templates.UnitLine{Name: u.Name, Href: w.href("/bao-cao"), N: strconv.Itoa(u.N), Women: strconv.Itoa(u.Women),
			Minority: strconv.Itoa(u.Minority), Youth: strconv.Itoa(u.Youth)})
	}
	return v
}

func avgText(tenths, n int) string {
	if n == 0 {
		return ""
	}
	return admission.FormatTenths(tenths)
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	s.renderReport(w, r, false)
}

// reportPrint is the report laid out for A4, audited as a print.
func (s *Server) reportPrint(w http.ResponseWriter, r *http.Request) {
	s.renderReport(w, r, true)
}

// report reads the report asked for and loads it; msg says what in the
// request was not understood. On an error it has answered the request.
func (s *Server) report(w http.ResponseWriter, r *http.Request) (d reportData, msg string, ok bool) {
	q, msg, err := s.readReportQuery(r)
	if err == nil {
		d, err = s.loadReport(w, r, q)
	}
	if errors.Is(err, errAnswered) {
		return d, msg, false
	}
	if err != nil {
		s.fail(w, r, err)
		return d, msg, false
	}
	return d, msg, true
}

func (s *Server) renderReport(w http.ResponseWriter, r *http.Request, print bool) {
	d, msg, ok := s.report(w, r)
	if !ok {
		return
	}
	q := d.q
	v := d.view()
	v.Error = msg
	if err := s.reportForm(r, q, &v); err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "Báo cáo "+strings.ToLower(q.period.Name[:1])+q.period.Name[1:], "reports")
	p.Print = s.printHead(r, q.org, q.parent, []string{"Kỳ báo cáo: " + q.period.Name, q.basisLabel()}, print)
	if print {
		a, _ := s.actor(r)
		if err := s.Svc.RecordExport(r.Context(), a, q.org.ID, admission.ExportPrint, "bao-cao", map[string]string{"ky": q.period.Key, "co-so": q.basis}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, templates.ReportPage(p, v))
}

// reportForm fills the choices of the report's form.
func (s *Server) reportForm(r *http.Request, q reportQuery, v *templates.ReportView) error {
	a, _ := s.actor(r)
	// a scope of thousands offers itself, the organizations directly under
	// it and the one chosen; a report of a ward lists its cells to pick from
	orgs, whole, err := s.DB.OrgFilter(r.Context(), a.ScopePath, maxFilterOrgs)
	if err != nil {
		return err
	}
	if !whole {
		root, err := s.DB.Organization(r.Context(), a.ScopeOrgID, a.ScopePath)
		if err != nil {
			return err
		}
		orgs = append([]admission.OrgSummary{{Organization: root}}, orgs...)
		if !slices.ContainsFunc(orgs, func(o admission.OrgSummary) bool { return o.ID == q.org.ID }) {
			orgs = append(orgs, admission.OrgSummary{Organization: q.org, Depth: 2})
		}
	}
	for _, o := range orgs {
		v.Orgs = append(v.Orgs, templates.Option{Value: itoa(o.ID), Label: strings.Repeat("— ", o.Depth) + o.Name, Selected: o.ID == q.org.ID})
	}
	found := false
	for _, p := range admission.NamedPeriods(s.today()) {
		v.Periods = append(v.Periods, templates.Option{Value: p.Key, Label: p.Name, Selected: p.Key == q.period.Key})
		found = found || p.Key == q.period.Key
	}
	if !found {
		v.Periods = append(v.Periods, templates.Option{Value: q.period.Key, Label: q.period.Name, Selected: true})
	}
	return nil
}

// printHead is the heading of a party document on a printed page: the
// organization on the left, the Party's name on the right, the place and
// date, the filters, who printed it. "mat=1" marks the page MẬT.
func (s *Server) printHead(r *http.Request, org admission.Organization, parent string, filters []string, preview bool) *templates.PrintHead {
	a, _ := s.actor(r)
	now := s.now().In(ict)
	return &templates.PrintHead{Parent: strings.ToUpper(parent), Org: strings.ToUpper(org.Name), Preview: preview,
		PlaceDate: placeOf(org, parent) + ", " + admission.DateWords(now),
		Filters:   filters, PrintedBy: fmt.Sprintf("In lúc %s ngày %s — %s", now.Format("15:04"), now.Format("02/01/2006"), a.FullName),
		Secret: r.URL.Query().Get("mat") == "1"}
}

// printList gives a list page its party-document heading; with ?in=1 the
// page is the list's print view, and the print is audited. It reports false
// when the audit failed and the error page was written.
func (s *Server) printList(w http.ResponseWriter, r *http.Request, p *templates.Page, org admission.Organization, parent string, lines []string, what string, filters map[string]string) bool {
	print := r.URL.Query().Get("in") == "1"
	p.Print = s.printHead(r, org, parent, lines, print)
	if !print {
		return true
	}
	a, _ := s.actor(r)
	if err := s.Svc.RecordExport(r.Context(), a, org.ID, admission.ExportPrint, what, filters); err != nil {
		s.fail(w, r, err)
		return false
	}
	return true
}

// placeOf is the place name of a document's heading: the locality in the
// committee's name ("Đảng bộ phường Bình Ngọc" → "Bình Ngọc").
func placeOf(org admission.Organization, parent string) string {
	name := org.Name
	if org.Kind == admission.KindCell && parent != "" {
		name = parent
	}
	for _, p := range []string{"Đảng bộ ", "Chi bộ ", "phường ", "xã ", "thị trấn ", "tỉnh ", "thành phố ", "quận ", "huyện ", "Phường ", "Xã "} {
		name = strings.TrimPrefix(name, p)
	}
	return name
}
