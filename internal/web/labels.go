package web

// The words the pages show for the engine's codes, in one place; the
// engine's own labels (stages, statuses, outcomes) live in admission.

import (
	"ketnap/internal/admission"
)

var stepFieldNames = map[admission.Field]string{
	admission.FieldDocumentNo: "document_no", admission.FieldIssuedBy: "issued_by", admission.FieldReceivedOn: "received_on",
	admission.FieldVotes: "votes", admission.FieldVotesRemove: "votes_against", admission.FieldOutcome: "outcome",
	admission.FieldRoute: "route", admission.FieldHelper: "helper_member_id", admission.FieldApprovalRef: "approval_ref", admission.FieldNote: "note",
}

var dateLabels = map[admission.Kind]string{
	admission.Nominated: "Ngày chi bộ họp tạo nguồn", admission.AwarenessClass: "Ngày cấp giấy chứng nhận",
	admission.Application: "Ngày viết đơn", admission.PersonalHistory: "Ngày khai lý lịch", admission.Verification: "Ngày kết luận thẩm tra",
	admission.Introduction: "Ngày giới thiệu", admission.Comments: "Ngày tổng hợp nhận xét", admission.CellResolution: "Ngày chi bộ họp xét",
	admission.CommitteeResolution: "Ngày đảng ủy họp xét", admission.Decision: "Ngày ký quyết định",
	admission.DecisionExtension: "Ngày cấp ủy quyết định gia hạn", admission.Ceremony: "Ngày tổ chức lễ kết nạp",
	admission.NewMemberClass: "Ngày cấp giấy chứng nhận", admission.RecognitionResolution: "Ngày chi bộ họp xét công nhận",
	admission.RecognitionDecision: "Ngày ký quyết định", admission.Withdrawn: "Ngày chi bộ quyết định", admission.Removed: "Ngày quyết định",
	admission.Transferred: "Ngày chuyển đi",
}

var docLabels = map[admission.Kind]string{
	admission.AwarenessClass: "Số giấy chứng nhận", admission.NewMemberClass: "Số giấy chứng nhận", admission.Verification: "Số văn bản kết luận",
	admission.Introduction:   "Số nghị quyết giới thiệu của Đoàn / Công đoàn (khi giới thiệu qua Đoàn hoặc Công đoàn)",
	admission.CellResolution: "Số nghị quyết", admission.CommitteeResolution: "Số nghị quyết", admission.RecognitionResolution: "Số nghị quyết",
	admission.Decision: "Số quyết định", admission.RecognitionDecision: "Số quyết định", admission.Removed: "Số quyết định",
	admission.DecisionExtension: "Số văn bản gia hạn",
}

var relationLabels = map[string]string{
	admission.RelationWorked:  "cùng công tác",
	admission.RelationStudied: "cùng học tập",
	admission.RelationLived:   "cùng cư trú",
}

var genderLabels = map[string]string{admission.Male: "Nam", admission.Female: "Nữ"}

var orgKindLabels = map[string]string{admission.KindCommittee: "Đảng bộ", admission.KindCell: "Chi bộ"}

var deadlineLabels = map[string]string{
	"certificate_expiry":       "giấy chứng nhận lớp nhận thức hết giá trị",
	"verification_expiry":      "kết quả thẩm tra hết giá trị",
	"decision_due":             "hạn ra quyết định kết nạp",
	"ceremony_due":             "hạn tổ chức lễ kết nạp",
	"probation_end":            "hết thời gian dự bị",
	"recognition_review_due":   "hạn xét công nhận chính thức",
	"recognition_decision_due": "hạn quyết định công nhận",
}
