package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"ketnap/internal/admission"
	"ketnap/templates"
)

func orgHref(id int64) string { return "/to-chuc/" + strconv.FormatInt(id, 10) }

func (s *Server) treePage(w http.ResponseWriter, r *http.Request) {
	a, err := s.actor(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	orgs, err := s.DB.OrgTree(r.Context(), a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(orgs) > 0 && orgs[0].Kind == admission.KindCell {
		// a cell secretary's home is their cell
		http.Redirect(w, r, orgHref(orgs[0].ID), http.StatusSeeOther)
		return
	}
	if len(orgs) == 0 {
		s.render(w, r, http.StatusOK, templates.ErrorPage(s.page(r, "Chưa có dữ liệu", "tree"), 200, "Chưa có tổ chức nào",
			"Cơ sở dữ liệu còn trống. Chạy `ketnap demo` để nạp dữ liệu mẫu, hoặc tạo tổ chức trong mục Quản trị."))
		return
	}
	v := templates.TreeView{Root: templates.OrgRow{ID: orgs[0].ID, Name: orgs[0].Name}}
	for _, o := range orgs {
		v.Official += o.Official
		v.Probation += o.Probationary
		v.Candidates += o.Candidates
		if o.Depth == 0 {
			continue
		}
		v.Cells = append(v.Cells, templates.OrgRow{ID: o.ID, Name: o.Name, Href: orgHref(o.ID), IsCell: o.Kind == admission.KindCell,
			Depth: o.Depth, Official: o.Official, Probationary: o.Probationary, Candidates: o.Candidates})
	}
	s.render(w, r, http.StatusOK, templates.TreePage(s.page(r, v.Root.Name, "tree"), v))
}

func (s *Server) cellPage(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	a, err := s.actor(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	org, err := s.DB.Organization(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	members, err := s.DB.CellMembers(r.Context(), org.ID, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cands, err := s.DB.CellCandidates(r.Context(), org.ID, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := templates.CellView{ID: org.ID, Name: org.Name, ParentHref: "/to-chuc", ParentName: "Chi bộ",
		CanManage: admission.Can(a, admission.ActManageMembers, org.Path) && org.Kind == admission.KindCell, AddHref: orgHref(org.ID) + "/dang-vien/moi"}
	if org.ParentID != 0 {
		if parent, err := s.DB.Organization(r.Context(), org.ParentID, a.ScopePath); err == nil {
			v.ParentName = parent.Name
		}
	}
	for _, c := range cands {
		v.Candidates = append(v.Candidates, templates.CandidateRow{Href: candidateHref(c.ID), Name: c.FullName,
			BirthDate: admission.FormatDate(c.BirthDate), Stage: admission.StageLabels[c.Stage], Closed: c.Stage.Closed()})
	}
	for _, m := range members {
		switch m.Status {
		case admission.MemberOfficial:
			v.Official++
		case admission.MemberProbationary:
			v.Probation++
		}
		href := ""
		if v.CanManage {
			href = memberHref(m.ID)
		}
		v.Members = append(v.Members, templates.MemberRow{Href: href, Name: m.FullName, Gender: genderLabels[m.Gender],
			BirthDate: admission.FormatDate(m.BirthDate), Status: m.Status, StatusLabel: admission.MemberStatusLabels[m.Status],
			AdmittedOn: admission.FormatDate(m.AdmittedOn), OfficialOn: admission.FormatDate(m.OfficialOn), Activity: activityOf(m)})
	}
	if org.Kind == admission.KindCell {
		v.Roll = rollExplained(admission.RollOn(members, s.today()))
	}
	if f := r.URL.Query().Get("dinh-dang"); f == admission.ExportXLSX || f == admission.ExportCSV {
		b := membersBook(v, org.Name, s.today())
		b.Made = s.madeLine(r)
		s.download(w, r, b, f, "dang-vien-"+admission.Slug(org.Name)+"-"+s.today().Format("2006-01-02"), org.ID, map[string]string{"to-chuc": itoa(org.ID)})
		return
	}
	v.XLSX, v.CSV, v.Print = orgHref(org.ID)+"?dinh-dang=xlsx", orgHref(org.ID)+"?dinh-dang=csv", orgHref(org.ID)+"?in=1"
	p := s.page(r, org.Name, "tree")
	if r.URL.Query().Get("da-luu") == "1" {
		p.Flash = "Đã lưu."
	}
	if !s.printList(w, r, &p, org, v.ParentName, []string{"Danh sách đảng viên và quần chúng đến ngày " + admission.FormatDate(s.today())},
		"danh-sach-dang-vien", map[string]string{"to-chuc": itoa(org.ID)}) {
		return
	}
	s.render(w, r, http.StatusOK, templates.CellPage(p, v))
}

// activityOf says when a member on the roll works elsewhere or is exempted.
func activityOf(m admission.Member) string {
	if m.Activity == admission.ActivityNormal || m.Activity == "" || !m.LeftOn.IsZero() {
		return ""
	}
	out := admission.ActivityLabels[m.Activity]
	if !m.ActivitySince.IsZero() {
		out += " từ " + admission.FormatDate(m.ActivitySince)
	}
	return out
}

// membersBook is a cell's members as a download.
func membersBook(v templates.CellView, org string, today time.Time) book {
	sh := sheet{Name: "Đảng viên", Header: []string{"STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Tình trạng", "Sinh hoạt"},
		Widths: []float64{6, 26, 9, 12, 13, 14, 14, 34}}
	for i, m := range v.Members {
		sh.Rows = append(sh.Rows, []cell{num(i + 1), text(m.Name), text(m.Gender), text(m.BirthDate), text(m.AdmittedOn), text(m.OfficialOn), text(m.StatusLabel), text(m.Activity)})
	}
	return book{Org: org, Title: "Danh sách đảng viên", Period: "Đến ngày " + admission.FormatDate(today), Filters: []string{v.Roll}, Sheets: []sheet{sh}}
}
