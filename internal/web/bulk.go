package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// bulkKinds are the steps recorded for many candidates at once: one class,
// one committee meeting.
// maxBulk is the most candidates one bulk step takes.
const maxBulk = 500

var bulkKinds = []admission.Kind{admission.AwarenessClass, admission.Verification, admission.Decision}

// bulkStep records one step for every selected candidate, each judged on
// their own and recorded as if one by one (their own transaction and audit
// event); one submission, one form token. The page says who was recorded
// and who was refused, with why.
func (s *Server) bulkStep(w http.ResponseWriter, r *http.Request) {
	a, _ := s.actor(r)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, err)
		return
	}
	v := templates.BulkView{Back: "/quan-chung"}
	kind := admission.Kind(r.PostFormValue("kind"))
	def, ok := admission.Def(kind)
	allowed := false
	for _, k := range bulkKinds {
		allowed = allowed || k == kind
	}
	on, dateErr := admission.ParseDate(r.PostFormValue("occurred_on"))
	var ids []int64
	for _, x := range r.PostForm["id"] {
		if id, err := strconv.ParseInt(x, 10, 64); err == nil && id > 0 && len(ids) < maxBulk {
			ids = append(ids, id)
		}
	}
	switch {
	case !ok || !allowed:
		v.Error = "Chọn bước cần ghi: học lớp bồi dưỡng nhận thức về Đảng, kết quả thẩm tra lý lịch, hoặc quyết định kết nạp."
	case dateErr != nil:
		v.Error = "Ngày không hợp lệ: viết theo dạng ngày/tháng/năm, ví dụ 03/07/2023."
	case len(ids) == 0:
		v.Error = "Chưa chọn người nào: đánh dấu những người cần ghi trong danh sách."
	}
	if v.Error != "" {
		s.render(w, r, http.StatusUnprocessableEntity, templates.BulkPage(s.page(r, "Ghi một bước cho nhiều người", "candidates"), v))
		return
	}
	token := admission.MetaFrom(r.Context()).FormToken
	if token == "" {
		token = newToken()
	}
	v.Step = def.Label
	for _, id := range ids {
		in := admission.StepInput{Kind: kind, OccurredOn: on, IssuedBy: strings.TrimSpace(r.PostFormValue("issued_by")),
			DocumentNo: strings.TrimSpace(r.PostFormValue("document_no_" + itoa(id))), VotesExemptAbsent: -1,
			// each person's step is keyed by the submission: a second submit records nothing twice
			IdempotencyKey: fmt.Sprintf("hang-loat:%s:%d", token, id)}
		if in.DocumentNo == "" {
			in.DocumentNo = strings.TrimSpace(r.PostFormValue("document_no"))
		}
		if kind == admission.Verification {
			in.Outcome = r.PostFormValue("outcome")
		}
		if kind == admission.Decision {
			in.ReceivedOn, _ = admission.ParseDate(r.PostFormValue("received_on"))
		}
		row := templates.BulkRow{Href: candidateHref(id)}
		c, err := s.DB.Candidate(r.Context(), id, a.ScopePath)
		if err == nil {
			row.Name = c.FullName
			_, err = s.Svc.RecordStep(r.Context(), a, id, in)
		} else {
			row.Name, row.Href = fmt.Sprintf("Hồ sơ số %d", id), ""
		}
		if err != nil {
			row.Why = admission.MessageOf(err)
			v.Refused = append(v.Refused, row)
			continue
		}
		v.Recorded = append(v.Recorded, row)
	}
	s.render(w, r, http.StatusOK, templates.BulkPage(s.page(r, "Ghi một bước cho nhiều người", "candidates"), v))
}

// bulkForm is the form for the chosen candidates: the step, its date and
// issuer, and each person's own number.
func (s *Server) bulkForm(w http.ResponseWriter, r *http.Request) {
	a, _ := s.actor(r)
	v := templates.BulkFormView{Token: newToken()}
	for _, k := range bulkKinds {
		def, _ := admission.Def(k)
		v.Kinds = append(v.Kinds, templates.Option{Value: string(k), Label: def.Label})
	}
	seen := map[int64]bool{}
	q := r.URL.Query()
	if q.Get("tat-ca") == "1" {
		// everyone the list's filter finds, up to the form's limit
		f := listFilter(q, s.today())
		f.Page, f.PerPage = 1, maxBulk
		f.After, f.Before, f.CountLimit = "", "", 0
		pg, err := s.reader().ListCandidates(r.Context(), a.ScopePath, f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rows, total := pg.Rows, pg.Total
		for _, c := range rows {
			seen[c.ID] = true
			v.People = append(v.People, templates.BulkPerson{ID: c.ID, Name: c.FullName, Cell: c.OrgName})
		}
		v.Missing = max(0, total-len(rows))
	}
	for _, x := range q["id"] {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil || seen[id] || len(seen) >= maxBulk {
			continue
		}
		seen[id] = true
		c, err := s.DB.Candidate(r.Context(), id, a.ScopePath)
		if err != nil {
			v.Missing++
			continue
		}
		v.People = append(v.People, templates.BulkPerson{ID: c.ID, Name: c.FullName})
	}
	s.render(w, r, http.StatusOK, templates.BulkFormPage(s.page(r, "Ghi một bước cho nhiều người", "candidates"), v))
}
