package web

// The report's downloads and the lists of the people behind its numbers.

import (
	"fmt"
	"net/http"
	"strconv"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// book builds the downloads: the same numbers as the page.
func (d reportData) book() book {
	q := d.q
	last := q.period.LastYear()
	b := book{Org: q.org.Name, Parent: q.parent, Title: "Thống kê đảng viên mới kết nạp", Period: q.period.Name + " (so với " + last.Name + ")",
		Filters: []string{q.basisLabel()}, Made: d.made}
	main := sheet{Name: "Biểu 2", Title: "Biểu 2 — Số lượng và chất lượng đảng viên mới kết nạp",
		Header: []string{"Chỉ tiêu", q.period.Name, last.Name, "Tỷ lệ so với cùng kỳ (%)"}, Widths: []float64{52, 18, 18, 16}}
	ratio := func(now, prior int) cell {
		t, ok := admission.RatioTenths(now, prior)
		return tenths(t, !ok)
	}
	for _, l := range d.lines() {
		switch {
		case l.row.Heading:
			main.Rows = append(main.Rows, []cell{{Text: l.row.Label, Bold: true}})
		case l.avg:
			main.Rows = append(main.Rows, []cell{{Text: l.row.Label, Indent: l.row.Indent},
				tenths(l.now.N, d.Now.Rows[admission.RowTotal].N == 0), tenths(l.prior.N, d.Prior.Rows[admission.RowTotal].N == 0)})
		default:
			c := []cell{{Text: l.row.Label, Indent: l.row.Indent, Bold: l.row.Key == admission.RowTotal}, num(l.now.N), num(l.prior.N), ratio(l.now.N, l.prior.N)}
			c[1].Bold, c[2].Bold = c[0].Bold, c[0].Bold
			main.Rows = append(main.Rows, c)
		}
	}
	main.Rows = append(main.Rows,
		[]cell{text("Số chi bộ có kết nạp đảng viên"), num(d.Now.CellsAdmit), num(d.Prior.CellsAdmit), ratio(d.Now.CellsAdmit, d.Prior.CellsAdmit)},
		[]cell{text("Số chi bộ không còn quần chúng trong diện phát triển (cuối kỳ)"), num(d.Now.CellsNoneOpen), num(d.Prior.CellsNoneOpen), ratio(d.Now.CellsNoneOpen, d.Prior.CellsNoneOpen)},
		[]cell{text("Tổng số chi bộ hiện có"), num(d.Now.Cells), num(d.Prior.Cells), {}})
	comp := sheet{Name: "Biểu 2B", Title: "Biểu 2B — Đảng viên mới kết nạp theo dân tộc và tôn giáo",
		Header: []string{"Dân tộc / tôn giáo", q.period.Name, "Trong đó nữ", last.Name, "Trong đó nữ"}, Widths: []float64{40, 16, 12, 16, 12}}
	eth, rel := d.compositionLines()
	for _, g := range []struct {
		heading string
		lines   []line
	}{{"Dân tộc", eth}, {"Tôn giáo", rel}} {
		comp.Rows = append(comp.Rows, []cell{{Text: g.heading, Bold: true}})
		for _, l := range g.lines {
			comp.Rows = append(comp.Rows, []cell{{Text: l.row.Label, Indent: 1}, num(l.now.N), num(l.now.Women), num(l.prior.N), num(l.prior.Women)})
		}
	}
	pipe := sheet{Name: "Quần chúng cuối kỳ", Title: "Quần chúng và đảng viên dự bị đến ngày " + admission.FormatDate(q.period.To),
		Header: []string{"Chỉ tiêu", "Số lượng"}, Widths: []float64{70, 14}}
	for _, p := range append(d.stageLines(), d.view().Pipeline...) {
		n, _ := strconv.Atoi(p.Value)
		pipe.Rows = append(pipe.Rows, []cell{text(p.Label), num(n)})
	}
	units := sheet{Name: "Theo đơn vị", Title: "Đảng viên mới kết nạp theo đơn vị, " + q.period.Name,
		Header: []string{"Đơn vị", "Kết nạp", "Nữ", "Dân tộc thiểu số", "Đoàn viên"}, Widths: []float64{40, 12, 10, 16, 12}}
	for _, u := range d.Units {
		units.Rows = append(units.Rows, []cell{text(u.Name), num(u.N), num(u.Women), num(u.Minority), num(u.Youth)})
	}
	b.Sheets = []sheet{main, comp, pipe, units}
	return b
}

func (s *Server) reportDownload(w http.ResponseWriter, r *http.Request) {
	format := r.URL.Query().Get("dinh-dang")
	if format == "" {
		format = admission.ExportXLSX
	}
	if format != admission.ExportXLSX && format != admission.ExportCSV {
		s.renderError(w, r, http.StatusBadRequest, "Định dạng không hợp lệ", "Chọn tải về dạng Excel (xlsx) hoặc CSV.")
		return
	}
	d, _, ok := s.report(w, r)
	if !ok {
		return
	}
	q := d.q
	base := "bao-cao-ket-nap-" + admission.Slug(q.org.Name) + "-" + q.period.Key
	s.download(w, r, d.book(), format, base, q.org.ID, map[string]string{"ky": q.period.Key, "co-so": q.basis})
}

// reportList lists the people one number of the report counts.
func (s *Server) reportList(w http.ResponseWriter, r *http.Request) {
	q, _, err := s.readReportQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	key := r.URL.Query().Get("dong")
	if key == "" {
		key = admission.RowTotal
	}
	vocab, err := s.reader().Vocabularies(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	label, ok := admission.RowTitle(key, vocab)
	if !ok {
		s.notFound(w, r)
		return
	}
	people, err := s.reader().AdmittedMembers(r.Context(), q.org.Path, q.period.From, q.period.To, q.basis, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b := peopleBook(q, label, people)
	if f := r.URL.Query().Get("dinh-dang"); f == admission.ExportXLSX || f == admission.ExportCSV {
		b.Made = s.madeLine(r)
		s.download(w, r, b, f, "danh-sach-ket-nap-"+admission.Slug(q.org.Name)+"-"+q.period.Key, q.org.ID, map[string]string{"ky": q.period.Key, "dong": key})
		return
	}
	v := templates.ReportListView{Title: label, OrgName: q.org.Name, Period: q.period.Name, Basis: q.basisLabel(), Back: q.href("/bao-cao"),
		XLSX: q.href("/bao-cao/danh-sach", "dong", key, "dinh-dang", "xlsx"), CSV: q.href("/bao-cao/danh-sach", "dong", key, "dinh-dang", "csv")}
	for _, row := range b.Sheets[0].Rows {
		var cells []string
		for _, c := range row {
			cells = append(cells, c.Text)
		}
		v.Rows = append(v.Rows, cells)
	}
	v.Header = b.Sheets[0].Header
	s.render(w, r, http.StatusOK, templates.ReportListPage(s.page(r, label, "reports"), v))
}

// madeLine says when and by whom a download or a report was made.
func (s *Server) madeLine(r *http.Request) string {
	a, _ := s.actor(r)
	now := s.now().In(ict)
	return fmt.Sprintf("Lập lúc %s ngày %s — %s", now.Format("15:04"), now.Format("02/01/2006"), a.FullName)
}

func peopleBook(q reportQuery, label string, people []admission.ReportPerson) book {
	b := book{Org: q.org.Name, Parent: q.parent, Title: label, Period: q.period.Name, Filters: []string{q.basisLabel()}}
	sh := sheet{Name: "Danh sách", Header: []string{"STT", "Họ và tên", "Giới tính", "Ngày sinh", "Chi bộ", "Ngày quyết định kết nạp", "Ngày lễ kết nạp", "Tuổi khi kết nạp", "Dân tộc", "Tôn giáo", "Nghề nghiệp"},
		Widths: []float64{6, 26, 9, 12, 26, 14, 14, 10, 12, 14, 24}}
	for i, p := range people {
		sh.Rows = append(sh.Rows, []cell{num(i + 1), text(p.FullName), text(genderLabels[p.Gender]), text(admission.FormatDate(p.BirthDate)), text(p.OrgName),
			text(admission.FormatDate(p.AdmittedOn)), text(admission.FormatDate(p.CeremonyOn)), num(p.Age), text(orDash(p.Ethnicity)), text(orDash(p.Religion)),
			text(orDash(p.Occupation))})
	}
	b.Sheets = []sheet{sh}
	return b
}
