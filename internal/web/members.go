package web

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"ketnap/internal/admission"
	"ketnap/templates"
)

func memberHref(id int64) string { return "/dang-vien/" + itoa(id) }

// memberForm fills the choices of the member form.
func (s *Server) memberForm(r *http.Request, v templates.MemberForm) (templates.MemberForm, error) {
	a, _ := s.actor(r)
	orgs, err := s.DB.OrgTree(r.Context(), a.ScopePath)
	if err != nil {
		return v, err
	}
	for _, o := range orgs {
		if o.Kind == admission.KindCell {
			v.Cells = append(v.Cells, templates.Option{Value: itoa(o.ID), Label: o.Name, Selected: v.Values["organization_id"] == itoa(o.ID)})
		}
	}
	v.Genders = []templates.Option{{Value: admission.Male, Label: "Nam", Selected: v.Values["gender"] == admission.Male},
		{Value: admission.Female, Label: "Nữ", Selected: v.Values["gender"] == admission.Female}}
	for _, st := range []string{admission.MemberOfficial, admission.MemberProbationary, admission.MemberTransferred, admission.MemberRemoved} {
		v.Statuses = append(v.Statuses, templates.Option{Value: st, Label: memberStatusLabels[st], Selected: v.Values["status"] == st})
	}
	return v, nil
}

func (s *Server) newMemberPage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	a, _ := s.actor(r)
	org, err := s.DB.Store().Organization(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !admission.Can(a, admission.ActManageMembers, org.Path) {
		s.renderError(w, r, http.StatusForbidden, "Không có quyền", "Vai trò của bạn không được sửa danh sách đảng viên.")
		return
	}
	v, err := s.memberForm(r, templates.MemberForm{Title: "Thêm đảng viên — " + org.Name, Action: orgHref(org.ID) + "/dang-vien", Back: orgHref(org.ID),
		Values: map[string]string{"organization_id": itoa(org.ID), "status": admission.MemberOfficial, "gender": admission.Male}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.MemberFormPage(s.page(r, "Thêm đảng viên", "tree"), v))
}

func (s *Server) editMemberPage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	a, _ := s.actor(r)
	m, err := s.DB.Member(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !admission.Can(a, admission.ActManageMembers, m.OrgPath) {
		s.renderError(w, r, http.StatusForbidden, "Không có quyền", "Vai trò của bạn không được sửa danh sách đảng viên.")
		return
	}
	v, err := s.memberForm(r, templates.MemberForm{Title: "Đảng viên " + m.FullName, Action: memberHref(m.ID), Back: orgHref(m.OrganizationID),
		Values: map[string]string{"full_name": m.FullName, "gender": m.Gender, "birth_date": admission.FormatDate(m.BirthDate), "status": m.Status,
			"admitted_on": admission.FormatDate(m.AdmittedOn), "official_on": admission.FormatDate(m.OfficialOn), "organization_id": itoa(m.OrganizationID)}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.MemberFormPage(s.page(r, m.FullName, "tree"), v))
}

// saveMember handles both the new-member form (/to-chuc/{id}/dang-vien) and the edit form (/dang-vien/{id}).
func (s *Server) saveMember(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	isNew := strings.HasPrefix(chi.RouteContext(r.Context()).RoutePattern(), "/to-chuc/")
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, _ := s.actor(r)
	m := admission.Member{}
	back := ""
	if isNew {
		org, err := s.DB.Store().Organization(r.Context(), id, a.ScopePath)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		m.OrganizationID, back = org.ID, orgHref(org.ID)
		if !admission.Can(a, admission.ActManageMembers, org.Path) {
			s.renderError(w, r, http.StatusForbidden, "Không có quyền", "Vai trò của bạn không được sửa danh sách đảng viên.")
			return
		}
	} else {
		old, err := s.DB.Member(r.Context(), id, a.ScopePath)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !admission.Can(a, admission.ActManageMembers, old.OrgPath) {
			s.renderError(w, r, http.StatusForbidden, "Không có quyền", "Vai trò của bạn không được sửa danh sách đảng viên.")
			return
		}
		m.ID, m.OrganizationID, back = old.ID, old.OrganizationID, orgHref(old.OrganizationID)
	}
	vals := map[string]string{}
	for _, k := range []string{"full_name", "gender", "birth_date", "status", "admitted_on", "official_on", "organization_id"} {
		vals[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	errs := map[string]string{}
	m.FullName = admission.NormalizeName(vals["full_name"])
	if m.FullName == "" || !strings.Contains(m.FullName, " ") || len([]rune(m.FullName)) > 100 {
		errs["full_name"] = "Nhập đủ họ và tên (tối đa 100 ký tự)."
	}
	m.Gender, m.Status = vals["gender"], vals["status"]
	if genderLabels[m.Gender] == "" {
		errs["gender"] = "Chọn giới tính."
	}
	if memberStatusLabels[m.Status] == "" {
		errs["status"] = "Chọn tình trạng."
	}
	if vals["organization_id"] != "" {
		if o, err := s.DB.Store().Organization(r.Context(), parseID(vals["organization_id"]), a.ScopePath); err == nil && admission.Can(a, admission.ActManageMembers, o.Path) {
			m.OrganizationID = o.ID
		} else {
			errs["organization_id"] = "Chọn một chi bộ thuộc phạm vi của bạn."
		}
	}
	date := func(k string, required bool) {
		if vals[k] == "" {
			if required {
				errs[k] = "Cần nhập ngày (ngày/tháng/năm)."
			}
			return
		}
		d, err := admission.ParseDate(vals[k])
		if err != nil {
			errs[k] = "Ngày " + strings.TrimPrefix(err.Error(), "ngày ")
			return
		}
		switch k {
		case "birth_date":
			m.BirthDate = d
		case "admitted_on":
			m.AdmittedOn = d
		case "official_on":
			m.OfficialOn = d
		}
	}
	date("birth_date", true)
	date("admitted_on", true)
	date("official_on", false)
	if len(errs) == 0 {
		for k, msg := range admission.ValidateMember(m, s.today()) {
			errs[k] = msg
		}
	}
	if len(errs) == 0 {
		err := s.DB.SaveMember(r.Context(), a, &m)
		if err == nil {
			http.Redirect(w, r, orgHref(m.OrganizationID)+"?da-luu=1", http.StatusSeeOther)
			return
		}
		if admission.ErrorCode(err) != admission.Invalid {
			s.fail(w, r, err)
			return
		}
		errs["full_name"] = messageOf(err)
	}
	title, action := "Đảng viên "+m.FullName, memberHref(m.ID)
	if isNew {
		title, action = "Thêm đảng viên", back+"/dang-vien"
	}
	v, err := s.memberForm(r, templates.MemberForm{Title: title, Action: action, Back: back, Values: vals, Errors: errs,
		Error: "Chưa lưu: xem các ô được đánh dấu."})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, templates.MemberFormPage(s.page(r, title, "tree"), v))
}

func parseID(s string) int64 {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' || n > 1<<50 {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}
