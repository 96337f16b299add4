package web

import (
	"fmt"
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
	v := templates.AuditView{Candidate: q.Get("candidate"), Name: q.Get("ten"), From: q.Get("from"), To: q.Get("to")}
	f.Name = admission.NormalizeName(v.Name)
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
	f.CountLimit = maxCounted
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
	v.Total, v.Page, v.Capped = total, f.Page, total > maxCounted
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
		row := templates.AuditRow{At: e.At.In(ict).Format("15:04:05 02/01/2006"), User: user, Org: e.OrganizationName,
			Action: e.Action, Entity: e.Entity + " #" + itoa(e.EntityID), Before: e.Before, After: e.After, IP: e.IP, RequestID: e.RequestID,
			Sentence: auditSentence(e)}
		switch e.Entity {
		case "candidate":
			row.Href = candidateHref(e.EntityID)
		case "member":
			row.Href = memberHref(e.EntityID)
		}
		v.Rows = append(v.Rows, row)
	}
	chk, err := s.DB.LastAuditCheck(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	switch {
	case chk.At.IsZero():
		v.Chain = "Chuỗi băm của nhật ký chưa được kiểm tra lần nào: chạy `ketnap audit verify`."
	case chk.FirstBroken != 0:
		v.Chain, v.ChainBroken = fmt.Sprintf("Lần kiểm tra lúc %s: nhật ký ĐÃ BỊ SỬA hoặc xóa ngoài ứng dụng, chuỗi băm đứt tại sự kiện #%d.", chk.At.In(ict).Format("15:04 02/01/2006"), chk.FirstBroken), true
	default:
		v.Chain = fmt.Sprintf("Lần kiểm tra chuỗi băm gần nhất lúc %s: nguyên vẹn (%d sự kiện).", chk.At.In(ict).Format("15:04 02/01/2006"), chk.Events)
	}
	archives, err := s.DB.AuditArchives(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if n := len(archives); n > 0 {
		events := int64(0)
		for _, a := range archives {
			events += a.Events
		}
		v.Chain += fmt.Sprintf(" Nhật ký từ %s đến %s (%d sự kiện) đã được lưu trữ ra tệp và không còn hiện ở đây.",
			archives[0].Month.Format("01/2006"), archives[n-1].Month.Format("01/2006"), events)
	}
	s.render(w, r, http.StatusOK, templates.AuditPage(s.page(r, "Nhật ký", "audit"), v))
}

// auditSentences say each action in words; %[1]s is who, %[2]s what it concerns, %[3]s the step.
var auditSentences = map[string]string{
	"candidate.create": "%[1]s thêm quần chúng %[2]s", "candidate.update": "%[1]s sửa lý lịch của %[2]s",
	"candidate.move": "%[1]s chuyển %[2]s sang chi bộ khác", "candidate.read": "%[1]s xem hồ sơ của %[2]s",
	"step.record": "%[1]s ghi “%[3]s” cho %[2]s", "step.correct": "%[1]s điều chỉnh “%[3]s” của %[2]s",
	"member.create": "%[1]s thêm đảng viên %[2]s", "member.update": "%[1]s sửa thông tin đảng viên %[2]s",
	"member.event":        "%[1]s ghi biến động của đảng viên %[2]s",
	"organization.create": "%[1]s tạo tổ chức %[2]s", "organization.update": "%[1]s sửa tổ chức %[2]s",
	"target.set":  "%[1]s đặt chỉ tiêu kết nạp của %[2]s",
	"user.create": "%[1]s tạo tài khoản %[2]s", "user.update": "%[1]s sửa tài khoản %[2]s",
	"user.password_reset": "%[1]s đặt lại mật khẩu của %[2]s", "user.password_change": "%[1]s đổi mật khẩu của mình",
	"holiday.set": "%[1]s sửa lịch ngày nghỉ", "holiday.delete": "%[1]s bỏ một ngày nghỉ",
	"rule_set.create": "%[1]s thêm bộ quy tắc mới", "vocabulary.add": "%[1]s thêm một mục vào danh mục",
	"report.export": "%[1]s tải về báo cáo hoặc danh sách", "report.print": "%[1]s in báo cáo hoặc hồ sơ",
	"login.success": "%[1]s đăng nhập", "login.failure": "Đăng nhập sai", "logout": "%[1]s đăng xuất",
	"audit.archive": "%[1]s lưu trữ một tháng nhật ký ra tệp",
}

// auditSentence says an audit event in words: who did what to whom.
func auditSentence(e admission.AuditEntry) string {
	who := "Hệ thống"
	if e.UserName != "" {
		who = e.UserName
		if l := admission.RoleLabels[e.UserRole]; l != "" {
			who = l + " " + e.UserName
		}
	}
	what := e.EntityName
	if what == "" && e.EntityID != 0 {
		what = "#" + itoa(e.EntityID)
	}
	step := ""
	if def, ok := admission.Def(e.StepKind); ok {
		step = def.Label
	}
	f, ok := auditSentences[e.Action]
	if !ok {
		return who + ": " + e.Action
	}
	return fmt.Sprintf(f, who, what, step)
}
