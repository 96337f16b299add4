package web

import (
	"net/http"
	"strconv"

	"ketnap/internal/admission"
	"ketnap/templates"
)

var auditActions = []struct{ Value, Label string }{
	{"candidate.create", "Thêm quần chúng"},
	{"step.record", "Ghi bước"},
	{"step.correct", "Điều chỉnh bước"},
	{"login.success", "Đăng nhập"},
	{"login.failure", "Đăng nhập sai"},
	{"logout", "Đăng xuất"},
	{"user.", "Quản lý người dùng"},
	{"organization.", "Quản lý tổ chức"},
	{"member.", "Đảng viên"},
	{"report.export", "Tải báo cáo, danh sách"},
	{"report.print", "In báo cáo, hồ sơ"},
	{"vocabulary.", "Danh mục"},
}

const auditPerPage = 50

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	a, _ := s.actor(r)
	q := r.URL.Query()
	f := admission.AuditFilter{Action: q.Get("action"), PerPage: auditPerPage}
	v := templates.AuditView{Candidate: q.Get("candidate"), From: q.Get("from"), To: q.Get("to")}
	var bad []string
	f.UserID, _ = strconv.ParseInt(q.Get("user"), 10, 64)
	if v.Candidate != "" {
		id, err := strconv.ParseInt(v.Candidate, 10, 64)
		if err != nil || id <= 0 {
			bad = append(bad, "mã quần chúng phải là số")
		}
		f.CandidateID = id
	}
	for _, d := range []struct {
		raw string
		dst *admission.AuditFilter
		to  bool
	}{{v.From, &f, false}, {v.To, &f, true}} {
		if d.raw == "" {
			continue
		}
		day, err := admission.ParseDate(d.raw)
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		if d.to {
			f.To = day
		} else {
			f.From = day
		}
	}
	if len(bad) > 0 {
		v.Error = "Bộ lọc chưa hợp lệ: " + bad[0]
	}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	if f.Page < 1 {
		f.Page = 1
	}
	entries, total, err := s.DB.AuditEvents(r.Context(), a.ScopePath, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	users, err := s.DB.Users(r.Context(), a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, u := range users {
		v.Users = append(v.Users, templates.Option{Value: itoa(u.ID), Label: u.FullName + " (" + u.Username + ")", Selected: u.ID == f.UserID})
	}
	for _, ac := range auditActions {
		v.Actions = append(v.Actions, templates.Option{Value: ac.Value, Label: ac.Label, Selected: ac.Value == f.Action})
	}
	v.Total, v.Page = total, f.Page
	v.Pages = (total + auditPerPage - 1) / auditPerPage
	if v.Pages == 0 {
		v.Pages = 1
	}
	pageHref := func(p int) string { return pageLink("/nhat-ky", q, "page", p) }
	if f.Page > 1 {
		v.PrevHref = pageHref(f.Page - 1)
	}
	if f.Page < v.Pages {
		v.NextHref = pageHref(f.Page + 1)
	}
	for _, e := range entries {
		user := e.UserName
		if user == "" {
			user = "—"
		}
		v.Rows = append(v.Rows, templates.AuditRow{At: e.At.In(ict).Format("15:04:05 02/01/2006"), User: user, Org: e.OrganizationName,
			Action: e.Action, Entity: e.Entity + " #" + itoa(e.EntityID), Before: e.Before, After: e.After, IP: e.IP, RequestID: e.RequestID})
	}
	s.render(w, r, http.StatusOK, templates.AuditPage(s.page(r, "Nhật ký", "audit"), v))
}
