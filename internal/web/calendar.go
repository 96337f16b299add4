package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/admission"
	"ketnap/templates"
)

var weekdays = []string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

func (s *Server) holidaysPage(w http.ResponseWriter, r *http.Request) {
	year, _ := strconv.Atoi(r.URL.Query().Get("nam"))
	s.renderHolidays(w, r, http.StatusOK, year, templates.HolidaysView{Saved: map[string]string{"1": "Đã lưu."}[r.URL.Query().Get("da-luu")]})
}

func (s *Server) renderHolidays(w http.ResponseWriter, r *http.Request, status, year int, v templates.HolidaysView) {
	today := s.today()
	if year < 2000 || year > 2100 {
		year = today.Year()
	}
	// the default days of a year are generated the first time it is looked at
	if err := s.Svc.EnsureHolidays(r.Context(), year, year); err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.DB.HolidaysOfYear(r.Context(), year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Year = year
	for y := today.Year() - 2; y <= today.Year()+2; y++ {
		v.Years = append(v.Years, templates.Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == year})
	}
	for _, h := range rows {
		v.Rows = append(v.Rows, templates.HolidayRow{Day: admission.FormatDate(h.Day), Weekday: weekdays[h.Day.Weekday()], Name: h.Name, Generated: h.Generated})
	}
	s.render(w, r, status, templates.HolidaysPage(s.page(r, "Ngày nghỉ lễ", "holidays"), v))
}

func (s *Server) saveHoliday(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, _ := s.actor(r)
	v := templates.HolidaysView{Day: strings.TrimSpace(r.PostForm.Get("day")), Name: admission.NormalizeName(r.PostForm.Get("name")), Errors: map[string]string{}}
	day, err := admission.ParseDate(v.Day)
	if err != nil {
		v.Errors["day"] = "Ngày " + strings.TrimPrefix(err.Error(), "ngày ")
	}
	if v.Name == "" || len([]rune(v.Name)) > 100 {
		v.Errors["name"] = "Cần nhập tên ngày nghỉ (tối đa 100 ký tự)."
	}
	if len(v.Errors) > 0 {
		s.renderHolidays(w, r, http.StatusUnprocessableEntity, day.Year(), v)
		return
	}
	if err := okIfSubmitted(s.Svc.SetHoliday(r.Context(), a, day, v.Name)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/ngay-nghi?nam=%d&da-luu=1", day.Year()), http.StatusSeeOther)
}

func (s *Server) deleteHoliday(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, _ := s.actor(r)
	day, err := admission.ParseDate(r.PostForm.Get("day"))
	if err != nil {
		s.renderHolidays(w, r, http.StatusUnprocessableEntity, 0, templates.HolidaysView{Errors: map[string]string{"day": "Ngày không hợp lệ."}})
		return
	}
	if err := okIfSubmitted(s.Svc.DeleteHoliday(r.Context(), a, day)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/quan-tri/ngay-nghi?nam=%d&da-luu=1", day.Year()), http.StatusSeeOther)
}

func (s *Server) ruleSetsPage(w http.ResponseWriter, r *http.Request) {
	sets, err := s.DB.RuleSets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	current, _ := sets.InForce(s.today())
	var v templates.RuleSetsView
	if a, _ := s.actor(r); admission.Can(a, admission.ActEditRules, a.ScopePath) {
		v.NewHref = "/quy-tac/moi"
	}
	for i := len(sets) - 1; i >= 0; i-- {
		rs := sets[i]
		p := rs.Params
		months := func(n int) string { return fmt.Sprintf("%d tháng", n) }
		wd := func(n int) string { return fmt.Sprintf("%d ngày làm việc", n) }
		verification := "không áp dụng (chưa xác nhận)"
		if p.VerificationValidityMonths > 0 {
			verification = months(p.VerificationValidityMonths)
		}
		youth := fmt.Sprintf("đến %d tuổi", p.YouthAgeMaxYears)
		if !p.YouthRouteRequired {
			youth += " (không bắt buộc)"
		}
		v.Sets = append(v.Sets, templates.RuleSetView{Code: rs.Code, From: admission.FormatDate(rs.EffectiveFrom), Citation: rs.Citation, InForce: rs.ID == current.ID,
			Params: []templates.Pair{
				{Label: "Tuổi đời khi chi bộ xét", Value: fmt.Sprintf("từ %d tuổi đến %d tuổi (tính theo tháng)", p.MinAgeMonths/12, p.MaxAgeMonths/12)},
				{Label: "Trình độ học vấn tối thiểu", Value: admission.EducationLabels[p.MinEducation]},
				{Label: "Giá trị giấy chứng nhận lớp nhận thức", Value: months(p.CertificateValidityMonths)},
				{Label: "Người giới thiệu biết người vào Đảng ít nhất", Value: months(p.SponsorKnownMonths)},
				{Label: "Tỷ lệ biểu quyết tán thành", Value: fmt.Sprintf("ít nhất %d/%d", p.VoteNumerator, p.VoteDenominator)},
				{Label: "Hạn ra quyết định kết nạp", Value: wd(p.DecisionDueWorkingDays) + fmt.Sprintf(", gia hạn tối đa %d", p.DecisionExtensionWorkingDays)},
				{Label: "Hạn tổ chức lễ kết nạp", Value: wd(p.CeremonyDueWorkingDays)},
				{Label: "Thời gian dự bị", Value: months(p.ProbationMonths)},
				{Label: "Hạn chi bộ xét công nhận chính thức", Value: wd(p.RecognitionReviewWorkingDays)},
				{Label: "Hạn quyết định công nhận", Value: wd(p.RecognitionDecisionWorkingDays)},
				{Label: "Số lần biểu quyết không đủ 2/3 trước khi báo cáo cấp trên", Value: strconv.Itoa(p.InconclusiveVotesLimit)},
				{Label: "Giá trị kết quả thẩm tra lý lịch", Value: verification},
				{Label: "Độ tuổi đoàn phải do Đoàn giới thiệu", Value: youth},
				{Label: "“Sắp đến hạn” trước", Value: fmt.Sprintf("%d ngày", p.DueSoonDays)},
			}})
	}
	s.render(w, r, http.StatusOK, templates.RuleSetsPage(s.page(r, "Bộ quy tắc", "rules"), v))
}
