package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"ketnap/internal/admission"
	"ketnap/templates"
)

const candidatesPerPage = 50

// maxFilterOrgs is the largest tree the organization filter lists whole;
// a larger scope's filter lists the organizations directly under it.
const maxFilterOrgs = 400

// maxCounted is how far the list counts: past it, "hơn 10 000 người".
const maxCounted = 10000

func (s *Server) candidatesPage(w http.ResponseWriter, r *http.Request) {
	a, _ := s.actor(r)
	q := r.URL.Query()
	today := s.today()
	f := listFilter(q, today)
	format := q.Get("dinh-dang")
	if format == admission.ExportXLSX || format == admission.ExportCSV {
		f.Page, f.PerPage, f.After, f.Before, f.CountLimit = 1, maxExportRows, "", "", 0
	}
	pg, err := s.reader().ListCandidates(r.Context(), a.ScopePath, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, total := pg.Rows, pg.Total
	orgs, whole, err := s.DB.OrgFilter(r.Context(), a.ScopePath, maxFilterOrgs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := templates.CandidatesView{Query: f.Query, Total: total, Capped: pg.Capped, Page: f.Page, Filtered: f.Query != "" || f.OrgID != 0 || f.Due != "" || (f.Stage != "open" && f.Stage != "")}
	cells := 0
	for _, o := range orgs {
		// a ward's list filters by cell; a province's, by ward
		if o.Kind == admission.KindCell || !whole {
			v.Orgs = append(v.Orgs, templates.Option{Value: itoa(o.ID), Label: o.Name, Selected: o.ID == f.OrgID})
		}
		if o.Kind == admission.KindCell {
			cells++
			if admission.Can(a, admission.ActAddCandidate, o.Path) {
				v.CanAdd = true
			}
		}
	}
	if cells == 0 && admission.Can(a, admission.ActAddCandidate, a.ScopePath) {
		v.CanAdd = true // the filter lists the wards of a province
	}
	v.ShowCells = len(v.Orgs) > 1
	v.Stages = append(v.Stages, templates.Option{Value: "open", Label: "Đang theo dõi", Selected: f.Stage == "open"},
		templates.Option{Value: "", Label: "Tất cả", Selected: f.Stage == ""})
	for _, st := range admission.Stages {
		v.Stages = append(v.Stages, templates.Option{Value: string(st), Label: admission.StageLabels[st], Selected: f.Stage == string(st)})
	}
	v.Dues = []templates.Option{{Value: "", Label: "Tất cả"}, {Value: "overdue", Label: "Quá hạn", Selected: f.Due == "overdue"},
		{Value: "soon", Label: "Đến hạn trong 30 ngày", Selected: f.Due == "soon"}}
	params, err := s.paramsToday(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	heads, files := make([]admission.FileHead, len(rows)), make(map[int64]admission.Candidate, len(rows))
	for i, c := range rows {
		heads[i], files[c.ID] = c.Head(), c.Candidate
	}
	states, _, err := s.fileStates(r, s.reader(), heads, files, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range rows {
		row := listRow(c, today, params)
		if st := states[c.ID]; st.Who != admission.PartyNone {
			row.NextWho, row.NextWhat = admission.PartyLabels[st.Who], st.What
		}
		v.Rows = append(v.Rows, row)
	}
	if format == admission.ExportXLSX || format == admission.ExportCSV {
		root, err := s.DB.Organization(r.Context(), a.ScopeOrgID, a.ScopePath)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		b := candidatesBook(v, root.Name, today)
		b.Made = s.madeLine(r)
		s.download(w, r, b, format, "danh-sach-quan-chung-"+admission.Slug(root.Name)+"-"+today.Format("2006-01-02"), root.ID,
			map[string]string{"q": f.Query, "giai-doan": f.Stage, "han": f.Due, "chi-bo": q.Get("chi-bo")})
		return
	}
	v.CanBulk = a.Role != admission.RoleViewer && len(v.Rows) > 0
	for _, k := range []string{"q", "giai-doan", "han", "chi-bo"} {
		if q.Has(k) {
			v.FilterFields = append(v.FilterFields, templates.Option{Label: k, Value: q.Get(k)})
		}
	}
	v.XLSX, v.CSV = withParam("/quan-chung", q, "dinh-dang", "xlsx"), withParam("/quan-chung", q, "dinh-dang", "csv")
	v.Print = withParam("/quan-chung", q, "in", "1")
	if f.Query == "" {
		// pages follow the list's order from a row (keyset): page N costs what page 1 does
		rest := url.Values{}
		for k, vs := range q {
			if k != "sau" && k != "truoc" && k != "trang" {
				rest[k] = vs
			}
		}
		cursor := func(key, val string) string { return withParam("/quan-chung", rest, key, val) }
		if pg.Next != "" {
			v.NextHref = cursor("sau", pg.Next)
		}
		if pg.Prev != "" {
			v.PrevHref = cursor("truoc", pg.Prev)
		}
	} else {
		v.Pages = max(1, (total+candidatesPerPage-1)/candidatesPerPage)
		href := func(p int) string { return pageLink("/quan-chung", q, "trang", p) }
		if f.Page > 1 {
			v.PrevHref = href(f.Page - 1)
		}
		if f.Page < v.Pages {
			v.NextHref = href(f.Page + 1)
		}
	}
	p := s.page(r, "Quần chúng ưu tú", "candidates")
	if root, err := s.DB.Organization(r.Context(), a.ScopeOrgID, a.ScopePath); err == nil {
		filters := candidatesBook(v, root.Name, today).Filters
		if !s.printList(w, r, &p, root, "", append([]string{"Danh sách quần chúng đến ngày " + admission.FormatDate(today)}, filters...),
			"danh-sach-quan-chung", map[string]string{"q": f.Query, "giai-doan": f.Stage, "han": f.Due}) {
			return
		}
	}
	s.render(w, r, http.StatusOK, templates.CandidatesPage(p, v))
}

// listRow shows a candidate of a list; p are the parameters in force today,
// which say when a deadline counts as due soon.
func listRow(c admission.CandidateListRow, today time.Time, p admission.Params) templates.CandidateListRow {
	row := templates.CandidateListRow{ID: c.ID, Href: candidateHref(c.ID), Name: c.FullName, Cell: c.OrgName,
		BirthDate: admission.FormatDate(c.BirthDate), Stage: admission.StageLabels[c.Stage]}
	if !c.NextDue.IsZero() && !c.Stage.Closed() {
		row.NextDue, row.NextDueLabel = admission.FormatDate(c.NextDue), deadlineLabels[c.NextDueCode]
		st := admission.StatusOf(c.NextDueCode, c.NextDue, today, p)
		row.NextDueStatus = string(st)
		if st != admission.Upcoming {
			row.NextDueWords = admission.DeadlineStatusLabels[st]
		}
	}
	return row
}

// paramsToday returns the parameters of the rule set in force today.
func (s *Server) paramsToday(r *http.Request) (admission.Params, error) {
	rules, err := s.DB.RuleSets(r.Context())
	if err != nil {
		return admission.Params{}, err
	}
	rs, ok := rules.InForce(s.today())
	if !ok {
		return admission.DefaultParams(), nil
	}
	return rs.Params, nil
}

// maxExportRows caps a list's download.
const maxExportRows = 20000

// candidatesBook is a candidate list as a download, its filters in the heading.
func candidatesBook(v templates.CandidatesView, org string, today time.Time) book {
	var filters []string
	for _, g := range []struct {
		label string
		opts  []templates.Option
	}{{"Chi bộ", v.Orgs}, {"Giai đoạn", v.Stages}, {"Hạn", v.Dues}} {
		for _, o := range g.opts {
			if o.Selected && o.Value != "" {
				filters = append(filters, g.label+": "+o.Label)
			}
		}
	}
	if v.Query != "" {
		filters = append(filters, "Tìm: "+v.Query)
	}
	sh := sheet{Name: "Quần chúng", Header: []string{"STT", "Họ và tên", "Ngày sinh", "Chi bộ", "Giai đoạn", "Ai làm tiếp", "Việc tiếp theo", "Thời hạn gần nhất", "Hạn", "Tình trạng hạn"},
		Widths: []float64{6, 26, 12, 26, 22, 14, 40, 34, 12, 14}}
	for i, r := range v.Rows {
		status := ""
		if r.NextDueStatus != "" {
			status = admission.DeadlineStatusLabels[admission.DeadlineStatus(r.NextDueStatus)]
		}
		sh.Rows = append(sh.Rows, []cell{num(i + 1), text(r.Name), text(r.BirthDate), text(r.Cell), text(r.Stage), text(r.NextWho), text(r.NextWhat),
			text(r.NextDueLabel), text(r.NextDue), text(status)})
	}
	return book{Org: org, Title: "Danh sách quần chúng", Period: "Đến ngày " + admission.FormatDate(today), Filters: filters, Sheets: []sheet{sh}}
}

// listFilter reads the candidate list's filter from its query: name, stage
// (open files by default), deadline, cell and page.
func listFilter(q url.Values, today time.Time) admission.CandidateFilter {
	f := admission.CandidateFilter{Query: q.Get("q"), Stage: q.Get("giai-doan"), Due: q.Get("han"), Today: today,
		SoonBy: today.AddDate(0, 0, 30), PerPage: candidatesPerPage}
	if !q.Has("giai-doan") {
		f.Stage = "open"
	}
	f.OrgID, _ = strconv.ParseInt(q.Get("chi-bo"), 10, 64)
	f.Page, _ = strconv.Atoi(q.Get("trang"))
	if f.Page < 1 {
		f.Page = 1
	}
	f.After, f.Before, f.CountLimit = q.Get("sau"), q.Get("truoc"), maxCounted
	return f
}
