package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"ketnap/internal/admission"
	"ketnap/internal/auth"
	"ketnap/templates"
)

var usernamePattern = regexp.MustCompile(`^[a-z0-9._-]{3,64}$`)

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	a, _ := s.actor(r)
	users, err := s.DB.Users(r.Context(), a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := templates.UsersView{}
	switch r.URL.Query().Get("da-luu") {
	case "1":
		v.Saved = "Đã lưu."
	}
	for _, u := range users {
		row := templates.UserRow{Href: "/quan-tri/nguoi-dung/" + itoa(u.ID), Username: u.Username, FullName: u.FullName,
			Role: admission.RoleLabels[u.Role], Scope: u.ScopeName, Active: u.Active, Sessions: u.ActiveSessions, LastLogin: "—"}
		if !u.LastLoginAt.IsZero() {
			row.LastLogin = u.LastLoginAt.In(ict).Format("15:04 02/01/2006")
		}
		v.Users = append(v.Users, row)
	}
	s.render(w, r, http.StatusOK, templates.UsersPage(s.page(r, "Người dùng", "users"), v))
}

// userForm fills the role and scope choices of the user form.
func (s *Server) userForm(r *http.Request, v templates.UserForm, role admission.Role, scope int64) (templates.UserForm, error) {
	a, _ := s.actor(r)
	for _, ro := range admission.Roles {
		v.Roles = append(v.Roles, templates.Option{Value: string(ro), Label: admission.RoleLabels[ro], Selected: ro == role})
	}
	orgs, err := s.DB.OrgList(r.Context(), a.ScopePath)
	if err != nil {
		return v, err
	}
	for _, o := range orgs {
		v.Orgs = append(v.Orgs, templates.Option{Value: itoa(o.ID), Label: strings.Repeat("— ", o.Depth) + o.Name, Selected: o.ID == scope})
	}
	return v, nil
}

func (s *Server) newUserPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.userForm(r, templates.UserForm{IsNew: true, Action: "/quan-tri/nguoi-dung"}, admission.RoleSecretary, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.UserFormPage(s.page(r, "Thêm người dùng", "users"), v))
}

// readUserForm validates the user form; errs is empty when it is valid.
func readUserForm(r *http.Request, isNew bool) (admission.UserInput, map[string]string) {
	errs := map[string]string{}
	in := admission.UserInput{
		Username: admission.NormalizeUsername(r.PostForm.Get("username")),
		FullName: admission.NormalizeName(r.PostForm.Get("full_name")),
		Role:     admission.Role(r.PostForm.Get("role")),
		Active:   isNew || r.PostForm.Get("active") == "1",
	}
	in.ScopeOrgID, _ = strconv.ParseInt(r.PostForm.Get("scope_organization_id"), 10, 64)
	if isNew && !usernamePattern.MatchString(in.Username) {
		errs["username"] = "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang."
	}
	if in.FullName == "" || len([]rune(in.FullName)) > 100 {
		errs["full_name"] = "Cần nhập họ và tên (tối đa 100 ký tự)."
	}
	if admission.RoleLabels[in.Role] == "" {
		errs["role"] = "Chọn vai trò."
	}
	if in.ScopeOrgID == 0 {
		errs["scope_organization_id"] = "Chọn phạm vi."
	}
	return in, errs
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, _ := s.actor(r)
	in, errs := readUserForm(r, true)
	password := r.PostForm.Get("password")
	generated := password == ""
	if generated {
		password = auth.RandomPassword()
	} else if err := auth.ValidatePassword(password); err != nil {
		errs["password"] = err.Error()
	}
	reshow := func(status int, msg string) {
		v, err := s.userForm(r, templates.UserForm{IsNew: true, Action: "/quan-tri/nguoi-dung", Username: in.Username, FullName: in.FullName, Errors: errs, Error: msg}, in.Role, in.ScopeOrgID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, status, templates.UserFormPage(s.page(r, "Thêm người dùng", "users"), v))
	}
	if len(errs) > 0 {
		reshow(http.StatusUnprocessableEntity, "Thông tin chưa hợp lệ, xem các ô được đánh dấu.")
		return
	}
	hash, err := auth.Hash(password, s.hashParams())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in.PasswordHash, in.MustChange = hash, generated
	u, err := s.Svc.CreateUser(r.Context(), a, in)
	if admission.Submitted(err) {
		// the first submit created the account (and showed its password once)
		http.Redirect(w, r, "/quan-tri/nguoi-dung?da-luu=1", http.StatusSeeOther)
		return
	}
	switch admission.ErrorCode(err) {
	case "":
	case admission.Conflict:
		errs["username"] = "Tên đăng nhập này đã có người dùng."
		reshow(http.StatusConflict, "Tên đăng nhập đã tồn tại.")
		return
	case admission.NotFound:
		errs["scope_organization_id"] = "Chọn một tổ chức thuộc phạm vi của bạn."
		reshow(http.StatusUnprocessableEntity, "Phạm vi không hợp lệ.")
		return
	case admission.Invalid:
		fieldErrors(err, errs)
		reshow(http.StatusUnprocessableEntity, "Chưa lưu: "+admission.MessageOf(err))
		return
	default:
		s.fail(w, r, err)
		return
	}
	if !generated {
		http.Redirect(w, r, "/quan-tri/nguoi-dung?da-luu=1", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, templates.SecretPage(s.page(r, "Đã tạo người dùng", "users"),
		templates.SecretView{Title: "Đã tạo người dùng", Username: u.Username, Password: password, Back: "/quan-tri/nguoi-dung"}))
}

// scopedUser loads the user named by {id}, inside the actor's scope.
func (s *Server) scopedUser(w http.ResponseWriter, r *http.Request) (int64, admission.Actor, admission.User, bool) {
	a, _ := s.actor(r)
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return 0, a, admission.User{}, false
	}
	u, err := s.DB.User(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return 0, a, u, false
	}
	return id, a, u, true
}

func (s *Server) editUserPage(w http.ResponseWriter, r *http.Request) {
	id, _, u, ok := s.scopedUser(w, r)
	if !ok {
		return
	}
	v, err := s.userForm(r, templates.UserForm{Action: "/quan-tri/nguoi-dung/" + itoa(id), Username: u.Username, FullName: u.FullName, Active: u.Active,
		ResetHref: "/quan-tri/nguoi-dung/" + itoa(id) + "/mat-khau"}, u.Role, u.ScopeOrgID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.UserFormPage(s.page(r, "Sửa người dùng", "users"), v))
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) {
	id, a, ok := s.postWithID(w, r)
	if !ok {
		return
	}
	old, err := s.DB.User(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, errs := readUserForm(r, false)
	if id == a.UserID && (!in.Active || in.Role != admission.RoleAdmin) {
		errs["role"] = "Không thể tự khóa hoặc tự bỏ quyền quản trị của chính mình."
	}
	if len(errs) == 0 {
		_, err = s.Svc.UpdateUser(r.Context(), a, id, in)
		err = okIfSubmitted(err)
		if err == nil {
			http.Redirect(w, r, "/quan-tri/nguoi-dung?da-luu=1", http.StatusSeeOther)
			return
		}
		if e, ok := err.(*admission.Error); ok && e.Code == admission.Invalid {
			for k, m := range e.Fields {
				errs[k] = m
			}
		} else {
			s.fail(w, r, err)
			return
		}
	}
	v, err := s.userForm(r, templates.UserForm{Action: "/quan-tri/nguoi-dung/" + itoa(id), Username: old.Username, FullName: in.FullName, Active: in.Active,
		Errors: errs, Error: "Thông tin chưa hợp lệ, xem các ô được đánh dấu.", ResetHref: "/quan-tri/nguoi-dung/" + itoa(id) + "/mat-khau"}, in.Role, in.ScopeOrgID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, templates.UserFormPage(s.page(r, "Sửa người dùng", "users"), v))
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) {
	id, a, u, ok := s.scopedUser(w, r)
	if !ok {
		return
	}
	password := auth.RandomPassword()
	hash, err := auth.Hash(password, s.hashParams())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Svc.ResetPassword(r.Context(), a, id, hash); admission.Submitted(err) {
		http.Redirect(w, r, "/quan-tri/nguoi-dung?da-luu=1", http.StatusSeeOther)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.SecretPage(s.page(r, "Đã đặt lại mật khẩu", "users"),
		templates.SecretView{Title: "Đã đặt lại mật khẩu", Username: u.Username, Password: password, Back: "/quan-tri/nguoi-dung/" + itoa(id)}))
}

func (s *Server) hashParams() auth.Params {
	if s.HashParams.Time > 0 {
		return s.HashParams
	}
	return auth.DefaultParams
}

var orgCodePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

func (s *Server) orgsPage(w http.ResponseWriter, r *http.Request) {
	s.renderOrgs(w, r, http.StatusOK, templates.OrgsView{Saved: map[string]string{"1": "Đã lưu."}[r.URL.Query().Get("da-luu")]})
}

func (s *Server) renderOrgs(w http.ResponseWriter, r *http.Request, status int, v templates.OrgsView) {
	a, _ := s.actor(r)
	orgs, err := s.DB.OrgList(r.Context(), a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var committees []admission.OrgSummary
	for _, o := range orgs {
		if o.Kind == admission.KindCommittee {
			committees = append(committees, o)
			v.Parents = append(v.Parents, templates.Option{Value: itoa(o.ID), Label: o.Name})
		}
	}
	for _, o := range orgs {
		row := templates.OrgAdminRow{Action: "/quan-tri/to-chuc/" + itoa(o.ID), Name: o.Name, Code: o.Code, Kind: orgKindLabels[o.Kind],
			Depth: o.Depth, IsRoot: o.Depth == 0, Intermediate: o.HasIntermediateCommittee, Youth: o.HasYouthUnion}
		for _, c := range committees {
			if c.ID != o.ID && !strings.HasPrefix(c.Path, o.Path) {
				row.Parents = append(row.Parents, templates.Option{Value: itoa(c.ID), Label: c.Name, Selected: c.ID == o.ParentID})
			}
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, status, templates.OrgsPage(s.page(r, "Tổ chức đảng", "orgs"), v))
}

func (s *Server) createOrg(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, _ := s.actor(r)
	in := admission.OrgInput{Kind: admission.KindCell, Name: admission.NormalizeName(r.PostForm.Get("name")),
		Code: strings.ToLower(strings.TrimSpace(r.PostForm.Get("code"))), HasYouthUnion: true}
	in.ParentID, _ = strconv.ParseInt(r.PostForm.Get("parent_id"), 10, 64)
	errs := map[string]string{}
	if in.Name == "" || len([]rune(in.Name)) > 120 {
		errs["name"] = "Cần nhập tên chi bộ (tối đa 120 ký tự)."
	}
	if in.Code != "" && !orgCodePattern.MatchString(in.Code) { // empty: the domain makes one from the name
		errs["code"] = "Mã gồm 2–63 ký tự: chữ thường không dấu, số, gạch ngang."
	}
	if len(errs) == 0 {
		_, err := s.Svc.CreateOrganization(r.Context(), a, in)
		err = okIfSubmitted(err)
		switch admission.ErrorCode(err) {
		case "":
			http.Redirect(w, r, "/quan-tri/to-chuc?da-luu=1", http.StatusSeeOther)
			return
		case admission.Conflict:
			errs["code"] = "Mã hoặc tên này đã được dùng trong cùng đảng bộ."
		case admission.NotFound, admission.Invalid:
			errs["name"] = admission.MessageOf(err)
		default:
			s.fail(w, r, err)
			return
		}
	}
	s.renderOrgs(w, r, http.StatusUnprocessableEntity, templates.OrgsView{Error: "Chưa thêm được chi bộ.", New: templates.OrgForm{Name: in.Name, Code: in.Code, Errors: errs}})
}

func (s *Server) updateOrg(w http.ResponseWriter, r *http.Request) {
	id, a, ok := s.postWithID(w, r)
	if !ok {
		return
	}
	if _, err := s.DB.Organization(r.Context(), id, a.ScopePath); err != nil {
		s.fail(w, r, err)
		return
	}
	in := admission.OrgInput{Name: admission.NormalizeName(r.PostForm.Get("name")),
		HasIntermediateCommittee: r.PostForm.Get("has_intermediate_committee") == "1", HasYouthUnion: r.PostForm.Get("has_youth_union") == "1"}
	in.ParentID, _ = strconv.ParseInt(r.PostForm.Get("parent_id"), 10, 64)
	if in.Name == "" || len([]rune(in.Name)) > 120 {
		s.renderOrgs(w, r, http.StatusUnprocessableEntity, templates.OrgsView{Error: "Tên tổ chức không được để trống (tối đa 120 ký tự)."})
		return
	}
	_, err := s.Svc.UpdateOrganization(r.Context(), a, id, in)
	err = okIfSubmitted(err)
	switch admission.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/quan-tri/to-chuc?da-luu=1", http.StatusSeeOther)
	case admission.Conflict, admission.Invalid:
		s.renderOrgs(w, r, http.StatusUnprocessableEntity, templates.OrgsView{Error: "Chưa lưu được: " + admission.MessageOf(err)})
	default:
		s.fail(w, r, err)
	}
}
