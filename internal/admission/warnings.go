package admission

import (
	"fmt"
	"strings"
	"time"
)

// Early warnings: the conditions that will refuse a later step, said while
// there is still time to act, each with its citation.

// Warning is a condition that will refuse a later step.
type Warning struct {
	Text     string
	Citation string
}

// warnHorizon is how far ahead a coming change is warned of.
const warnHorizonMonths = 12

// Warnings lists what will refuse the cell's vote (or a later step) on a
// file still before that vote, judged by the rule set in force today.
func Warnings(c Candidate, org Organization, steps []Step, rules RuleSets, today time.Time) []Warning {
	h := newHistory(steps)
	stage := h.stage()
	p := rules.ParamsOn(today)
	var out []Warning
	add := func(cite, format string, args ...any) {
		out = append(out, Warning{Text: fmt.Sprintf(format, args...), Citation: cite})
	}
	if stage == StageProbationary && !h.done(RecognitionResolution) {
		// the recognition file: the papers of the probation year
		end := ProbationEnd(steps, rules)
		if end.Before(today.AddDate(0, 0, 60)) {
			var missing []string
			for _, k := range []Kind{NewMemberClass, SelfReview, HelperAssessment, ProbationComments} {
				if !h.done(k) {
					def, _ := Def(k)
					missing = append(missing, def.Document)
				}
			}
			if len(missing) > 0 {
				add(citeProbation, "Hết thời gian dự bị ngày %s; hồ sơ xét công nhận còn thiếu: %s.", FormatDate(end), strings.Join(missing, "; "))
			}
		}
		return out
	}
	if stage.Closed() || h.done(CellResolution) {
		return nil
	}
	if eduRank[c.EducationGeneral] < eduRank[p.MinEducation] && strings.TrimSpace(c.EducationApprovalRef) == "" {
		add(citeEducation, "Trình độ học vấn (%s) thấp hơn %s: chi bộ chỉ biểu quyết được khi có văn bản đồng ý của Ban Thường vụ Tỉnh ủy; ghi số văn bản vào lý lịch.",
			EducationLabels[c.EducationGeneral], strings.ToLower(EducationLabels[p.MinEducation]))
	}
	if adult := AddMonths(c.BirthDate, p.MinAgeMonths); adult.After(today) {
		add(citeAge, "Chưa đủ %d tuổi: chi bộ chỉ biểu quyết được từ ngày %s.", p.MinAgeMonths/12, FormatDate(adult))
	}
	if limit := AddMonths(c.BirthDate, p.MaxAgeMonths); strings.TrimSpace(c.OverAgeDecisionRef) == "" && limit.Before(AddMonths(today, warnHorizonMonths)) {
		if limit.Before(today) {
			add(citeAge, "Đã quá %d tuổi: chi bộ biểu quyết cần có quyết định của Ban Thường vụ Tỉnh ủy cho phép.", p.MaxAgeMonths/12)
		} else {
			add(citeAge, "Tròn %d tuổi vào ngày %s: nếu chi bộ biểu quyết sau ngày đó phải có quyết định của Ban Thường vụ Tỉnh ủy cho phép.", p.MaxAgeMonths/12, FormatDate(limit))
		}
	}
	if cert, ok := h.lastOf(AwarenessClass); ok {
		exp := AddMonths(cert.OccurredOn, rules.ParamsOn(cert.OccurredOn).CertificateValidityMonths)
		if exp.Before(AddMonths(today, 6)) {
			if exp.Before(today) {
				add(citeCertificate, "Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng đã hết giá trị từ %s: phải học lại trước khi chi bộ biểu quyết.", FormatDate(exp))
			} else {
				add(citeCertificate, "Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng hết giá trị ngày %s: chi bộ cần biểu quyết trước ngày đó, nếu không phải học lại.", FormatDate(exp))
			}
		}
	}
	if !h.done(Introduction) && p.YouthRouteRequired && org.HasYouthUnion {
		years := FullMonths(c.BirthDate, today) / 12
		if years <= p.YouthAgeMaxYears && !c.YouthUnion {
			add(citeCharter4, "Trong độ tuổi đoàn (%d tuổi) ở nơi có tổ chức Đoàn: phải là đoàn viên và được Đoàn giới thiệu; hồ sơ chưa ghi là đoàn viên.", years)
		}
	}
	return out
}
