package web

import (
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// ruleParam is one editable parameter of a rule set.
type ruleParam struct {
	name, label string
	ptr         func(*admission.Params) *int
}

var ruleParams = []ruleParam{
	{"probation_months", "Thời gian dự bị (tháng)", func(p *admission.Params) *int { return &p.ProbationMonths }},
	{"certificate_validity_months", "Giá trị giấy chứng nhận lớp nhận thức (tháng)", func(p *admission.Params) *int { return &p.CertificateValidityMonths }},
	{"min_age_months", "Tuổi tối thiểu khi chi bộ xét (tháng)", func(p *admission.Params) *int { return &p.MinAgeMonths }},
	{"max_age_months", "Tuổi tối đa không cần quyết định của Tỉnh ủy (tháng)", func(p *admission.Params) *int { return &p.MaxAgeMonths }},
	{"sponsor_known_months", "Người giới thiệu biết người vào Đảng ít nhất (tháng)", func(p *admission.Params) *int { return &p.SponsorKnownMonths }},
	{"vote_numerator", "Tỷ lệ tán thành: tử số", func(p *admission.Params) *int { return &p.VoteNumerator }},
	{"vote_denominator", "Tỷ lệ tán thành: mẫu số", func(p *admission.Params) *int { return &p.VoteDenominator }},
	{"decision_due_working_days", "Hạn ra quyết định kết nạp (ngày làm việc)", func(p *admission.Params) *int { return &p.DecisionDueWorkingDays }},
	{"decision_extension_working_days", "Gia hạn tối đa (ngày làm việc)", func(p *admission.Params) *int { return &p.DecisionExtensionWorkingDays }},
	{"ceremony_due_working_days", "Hạn tổ chức lễ kết nạp (ngày làm việc)", func(p *admission.Params) *int { return &p.CeremonyDueWorkingDays }},
	{"recognition_review_working_days", "Hạn chi bộ xét công nhận (ngày làm việc)", func(p *admission.Params) *int { return &p.RecognitionReviewWorkingDays }},
	{"recognition_decision_working_days", "Hạn quyết định công nhận (ngày làm việc)", func(p *admission.Params) *int { return &p.RecognitionDecisionWorkingDays }},
	{"inconclusive_votes_limit", "Số lần biểu quyết không đủ 2/3 trước khi báo cáo", func(p *admission.Params) *int { return &p.InconclusiveVotesLimit }},
	{"verification_validity_months", "Giá trị kết quả thẩm tra (tháng, 0: không áp dụng)", func(p *admission.Params) *int { return &p.VerificationValidityMonths }},
	{"youth_age_max_years", "Độ tuổi đoàn đến (năm)", func(p *admission.Params) *int { return &p.YouthAgeMaxYears }},
	{"due_soon_days", "“Sắp đến hạn” trước (ngày)", func(p *admission.Params) *int { return &p.DueSoonDays }},
}

func ruleSetForm(p admission.Params, vals map[string]string) templates.RuleSetForm {
	v := templates.RuleSetForm{Values: vals, Errors: map[string]string{}}
	for _, f := range ruleParams {
		v.Fields = append(v.Fields, templates.Option{Value: f.name, Label: f.label})
		if _, ok := vals[f.name]; !ok {
			vals[f.name] = strconv.Itoa(*f.ptr(&p))
		}
	}
	return v
}

// newRuleSetPage shows a copy of the rule set in force to edit.
func (s *Server) newRuleSetPage(w http.ResponseWriter, r *http.Request) {
	a, _ := s.actor(r)
	if !admission.Can(a, admission.ActEditRules, a.ScopePath) {
		s.renderError(w, r, http.StatusForbidden, "Không có quyền", "Vai trò của bạn không được thêm bộ quy tắc.")
		return
	}
	sets, err := s.DB.RuleSets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cur, _ := sets.InForce(s.today())
	v := ruleSetForm(sets.ParamsOn(s.today()), map[string]string{"citation": cur.Citation})
	s.render(w, r, http.StatusOK, templates.RuleSetFormPage(s.page(r, "Thêm bộ quy tắc", "rules"), v))
}

// addRuleSet previews (action=preview) or saves (action=save) a new rule set.
func (s *Server) addRuleSet(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, _ := s.actor(r)
	sets, err := s.DB.RuleSets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := admission.RuleSetInput{Citation: r.PostForm.Get("citation"), Params: sets.ParamsOn(s.today())}
	vals := map[string]string{"effective_from": strings.TrimSpace(r.PostForm.Get("effective_from")), "citation": in.Citation}
	v := ruleSetForm(in.Params, vals)
	for _, f := range ruleParams {
		raw := strings.TrimSpace(r.PostForm.Get(f.name))
		vals[f.name] = raw
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 100000 {
			v.Errors["params"] = "Mỗi tham số là một số nguyên không âm."
			continue
		}
		*f.ptr(&in.Params) = n
	}
	if vals["effective_from"] != "" {
		if d, err := admission.ParseDate(vals["effective_from"]); err == nil {
			in.EffectiveFrom = d
		} else {
			v.Errors["effective_from"] = "Ngày không hợp lệ (ngày/tháng/năm)."
		}
	}
	if len(v.Errors) == 0 {
		if r.PostForm.Get("action") == "save" {
			if _, err := s.Svc.AddRuleSet(r.Context(), a, in); okIfSubmitted(err) == nil {
				http.Redirect(w, r, "/quy-tac?da-luu=1", http.StatusSeeOther)
				return
			} else if !fieldErrors(err, v.Errors) {
				s.fail(w, r, err)
				return
			}
		} else {
			impacts, err := s.Svc.PreviewRuleSet(r.Context(), a, in)
			if err == nil {
				v.Previewed = true
				for _, i := range impacts {
					v.Impacts = append(v.Impacts, templates.RuleSetImpact{Href: candidateHref(i.Candidate.ID), Name: i.Candidate.FullName,
						Cell: s.cellName(r, i.Candidate.OrganizationID), Changes: strings.Join(i.Changes, "; ")})
				}
				s.render(w, r, http.StatusOK, templates.RuleSetFormPage(s.page(r, "Thêm bộ quy tắc", "rules"), v))
				return
			} else if !fieldErrors(err, v.Errors) {
				s.fail(w, r, err)
				return
			}
		}
	}
	v.Error = "Chưa lưu: xem các ô được đánh dấu."
	s.render(w, r, http.StatusUnprocessableEntity, templates.RuleSetFormPage(s.page(r, "Thêm bộ quy tắc", "rules"), v))
}

func (s *Server) cellName(r *http.Request, id int64) string {
	a, _ := s.actor(r)
	if o, err := s.DB.Organization(r.Context(), id, a.ScopePath); err == nil {
		return o.Name
	}
	return ""
}
