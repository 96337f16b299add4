package web

import (
	"net/http"
	"strconv"
	"time"

	"ketnap/internal/admission"
	"ketnap/templates"
)

type timeField struct{ t *time.Time }

// createMember handles the new-member form (/to-chuc/{id}/dang-vien): a member entered directly.
func (s *Server) createMember(w http.ResponseWriter, r *http.Request) {
	id, a, ok := s.postWithID(w, r)
	if !ok {
		return
	}
	f, vals, errs := readMemberForm(r)
	f.OrganizationID = id
	if vals["organization_id"] != "" {
		f.OrganizationID = parseID(vals["organization_id"])
	}
	if len(errs) == 0 {
		m, err := s.Svc.AddMember(r.Context(), a, f)
		if err == nil {
			http.Redirect(w, r, orgHref(m.OrganizationID)+"?da-luu=1", http.StatusSeeOther)
			return
		}
		if !fieldErrors(err, errs) {
			s.fail(w, r, err)
			return
		}
	}
	v := templates.MemberForm{Title: "Thêm đảng viên", Action: orgHref(id) + "/dang-vien", Back: orgHref(id), IsNew: true, DatesEditable: true,
		Values: vals, Errors: errs, Error: "Chưa lưu: xem các ô được đánh dấu.", AskDistinct: errs["confirm_distinct"] != ""}
	v, err := s.memberForm(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, templates.MemberFormPage(s.page(r, "Thêm đảng viên", "tree"), v))
}

// updateMember handles the member form (/dang-vien/{id}): details and, for a
// member entered directly, the dates. Status never changes here.
func (s *Server) updateMember(w http.ResponseWriter, r *http.Request) {
	id, a, ok := s.postWithID(w, r)
	if !ok {
		return
	}
	f, vals, errs := readMemberForm(r)
	if _, err := strconv.Atoi(vals["version"]); vals["version"] != "" && err != nil {
		// a version that is not the page's: the form is not one this site made
		s.renderMember(w, r, http.StatusConflict, id, &formState{values: vals, errors: map[string]string{},
			general: "Biểu mẫu không hợp lệ hoặc đã cũ; hãy tải lại trang rồi sửa lại."}, nil, "")
		return
	}
	if len(errs) == 0 {
		_, err := s.Svc.UpdateMember(r.Context(), a, id, f)
		if err == nil {
			http.Redirect(w, r, memberHref(id)+"?da-luu=1", http.StatusSeeOther)
			return
		}
		switch {
		case admission.ErrorCode(err) == admission.Conflict:
			errs["full_name"] = admission.MessageOf(err)
		case fieldErrors(err, errs):
			if e := admission.MessageOf(err); len(errs) == 0 || admission.ErrorRule(err) == "member_status" {
				errs["status"] = e
			}
		default:
			s.fail(w, r, err)
			return
		}
	}
	st := &formState{values: vals, errors: errs, general: "Chưa lưu: xem các ô được đánh dấu."}
	if m := errs["status"]; m != "" {
		st.general = m
	}
	s.renderMember(w, r, http.StatusUnprocessableEntity, id, st, nil, "")
}

// recordMemberEvent handles the staff's form of a member's change of status.
func (s *Server) recordMemberEvent(w http.ResponseWriter, r *http.Request) {
	id, a, ok := s.postWithID(w, r)
	if !ok {
		return
	}
	vals := map[string]string{}
	for _, k := range []string{"kind", "occurred_on", "reason", "token"} {
		vals[k] = r.PostForm.Get(k)
	}
	errs := map[string]string{}
	in := admission.MemberEventInput{Kind: vals["kind"], Reason: vals["reason"], IdempotencyKey: vals["token"]}
	if vals["occurred_on"] != "" {
		d, err := admission.ParseDate(vals["occurred_on"])
		if err != nil {
			errs["occurred_on"] = "Ngày không hợp lệ (ngày/tháng/năm)."
		}
		in.OccurredOn = d
	}
	if len(errs) == 0 {
		_, err := s.Svc.RecordMemberEvent(r.Context(), a, id, in)
		if err == nil {
			http.Redirect(w, r, memberHref(id)+"?da-luu=1", http.StatusSeeOther)
			return
		}
		f, ok := refusalOf(err, errs, sameField)
		if !ok {
			s.fail(w, r, err)
			return
		}
		if len(errs) == 0 {
			errs["occurred_on"] = f.Message
		}
		s.renderMember(w, r, f.Status, id, nil, &formState{values: vals, errors: errs, general: "Chưa ghi biến động: " + f.Message}, "")
		return
	}
	s.renderMember(w, r, http.StatusUnprocessableEntity, id, nil, &formState{values: vals, errors: errs, general: "Chưa ghi biến động: xem các ô được đánh dấu."}, "")
}
