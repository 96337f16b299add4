package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"ketnap/internal/admission"
	"ketnap/templates"
)

func candidateHref(id int64) string { return "/quan-chung/" + strconv.FormatInt(id, 10) }

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func idParam(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	return id, err == nil && id > 0
}

var relationLabels = map[string]string{
	admission.RelationWorked:  "cùng công tác",
	admission.RelationStudied: "cùng học tập",
	admission.RelationLived:   "cùng cư trú",
}

func yesNo(b bool) string {
	if b {
		return "Có"
	}
	return "Không"
}

func (s *Server) candidatePage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	a, err := s.actor(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, org, steps, rules, hol, err := s.DB.CandidateFacts(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := templates.CandidateView{Name: c.FullName, CellName: org.Name, CellHref: orgHref(org.ID),
		Stage: admission.StageLabels[c.Stage], Escalated: c.Escalated}
	v.Profile = []templates.Pair{
		{Label: "Giới tính", Value: genderLabels[c.Gender]},
		{Label: "Ngày sinh", Value: admission.FormatDate(c.BirthDate)},
		{Label: "Dân tộc", Value: c.Ethnicity},
		{Label: "Tôn giáo", Value: orDash(c.Religion)},
		{Label: "Giáo dục phổ thông", Value: admission.EducationLabels[c.EducationGeneral]},
		{Label: "Chuyên môn", Value: orDash(c.EducationProfessional)},
		{Label: "Nghề nghiệp", Value: orDash(c.Occupation)},
		{Label: "Đoàn viên Đoàn TNCS Hồ Chí Minh", Value: yesNo(c.YouthUnion)},
		{Label: "Đoàn viên công đoàn", Value: yesNo(c.TradeUnion)},
		{Label: "Kết nạp lại", Value: yesNo(c.Readmission)},
	}
	cal := admission.NewCalendar(holidayDays(hol))
	for _, d := range admission.Deadlines(c, steps, rules, cal, admission.DateOf(s.now().In(ict))) {
		v.Deadlines = append(v.Deadlines, templates.DeadlineRow{Label: d.Label, Due: admission.FormatDate(d.Due), Status: string(d.Status), StatusLabel: admission.DeadlineStatusLabels[d.Status]})
	}
	eff := map[int64]bool{}
	done := map[admission.Kind]bool{}
	for _, x := range admission.Effective(steps) {
		eff[x.ID] = true
		if x.Counts() {
			done[x.Kind] = true
		}
	}
	for _, def := range admission.Steps {
		if def.Document == "" || (def.Optional && !org.HasIntermediateCommittee) {
			continue
		}
		v.Checklist = append(v.Checklist, templates.CheckRow{Document: def.Document, Done: done[def.Kind]})
	}
	for _, x := range steps {
		def, _ := admission.Def(x.Kind)
		row := templates.TimelineRow{Date: admission.FormatDate(x.OccurredOn), Label: def.Label, Form: def.Form,
			RecordedBy: orDash(x.RecordedByName), RecordedAt: x.RecordedAt.In(ict).Format("15:04 02/01/2006"),
			Superseded: !eff[x.ID], Failed: !x.Counts(), Correction: x.CorrectionReason}
		if x.Outcome != admission.OutcomeDone {
			row.Outcome = admission.OutcomeLabels[x.Outcome]
		}
		if x.DocumentNo != "" {
			row.Details = append(row.Details, "Số: "+x.DocumentNo)
		}
		if x.IssuedBy != "" {
			row.Details = append(row.Details, "Nơi cấp/ban hành: "+x.IssuedBy)
		}
		if !x.ReceivedOn.IsZero() {
			row.Details = append(row.Details, "Ngày nhận: "+admission.FormatDate(x.ReceivedOn))
		}
		if x.VotesEligible > 0 {
			vote := fmt.Sprintf("Biểu quyết: %d/%d tán thành", x.VotesYes, x.VotesEligible)
			if x.Kind == admission.RecognitionResolution {
				vote += fmt.Sprintf(", %d đề nghị xóa tên", x.VotesAgainst)
			}
			row.Details = append(row.Details, vote)
		}
		if x.Route != "" {
			row.Details = append(row.Details, admission.RouteLabels[x.Route])
		}
		for _, sp := range x.Sponsors {
			row.Details = append(row.Details, fmt.Sprintf("Người giới thiệu: %s (%s từ %s)", sp.MemberName, relationLabels[sp.Relation], admission.FormatDate(sp.KnownSince)))
		}
		if x.HelperName != "" {
			row.Details = append(row.Details, "Đảng viên giúp đỡ: "+x.HelperName)
		}
		if x.ApprovalRef != "" {
			row.Details = append(row.Details, "Văn bản chấp thuận: "+x.ApprovalRef)
		}
		if x.Note != "" {
			row.Details = append(row.Details, "Ghi chú: "+x.Note)
		}
		v.Timeline = append(v.Timeline, row)
	}
	// newest first
	for i, j := 0, len(v.Timeline)-1; i < j; i, j = i+1, j-1 {
		v.Timeline[i], v.Timeline[j] = v.Timeline[j], v.Timeline[i]
	}
	s.render(w, r, http.StatusOK, templates.CandidatePage(s.page(r, c.FullName, "tree"), v))
}

// ict is Vietnam's time zone, in which "today" and times are shown.
var ict = time.FixedZone("ICT", 7*3600)

func holidayDays(hs []admission.Holiday) []time.Time {
	out := make([]time.Time, len(hs))
	for i, h := range hs {
		out[i] = h.Day
	}
	return out
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
