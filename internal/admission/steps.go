package admission

// Kind names a step of the admission path (quy trình phát triển đảng viên).
type Kind string

// The step kinds, in the order of the regulation, then the terminal outcomes.
const (
	Nominated             Kind = "nominated"
	AwarenessClass        Kind = "awareness_class"
	Application           Kind = "application"
	PersonalHistory       Kind = "personal_history"
	Verification          Kind = "verification"
	Introduction          Kind = "introduction"
	Comments              Kind = "comments"
	CellResolution        Kind = "cell_resolution"
	CommitteeResolution   Kind = "committee_resolution"
	DecisionExtension     Kind = "decision_extension"
	Decision              Kind = "decision"
	Ceremony              Kind = "ceremony"
	NewMemberClass        Kind = "new_member_class"
	SelfReview            Kind = "self_review"        // the new member's self-review (10-KNĐ)
	HelperAssessment      Kind = "helper_assessment"  // the helper's assessment (11-KNĐ)
	ProbationComments     Kind = "probation_comments" // the summary of comments on the probationer (12-KNĐ)
	RecognitionResolution Kind = "recognition_resolution"
	RecognitionDecision   Kind = "recognition_decision"
	Withdrawn             Kind = "withdrawn"
	Removed               Kind = "removed"
	Transferred           Kind = "transferred"
)

// Level says who may record a step: the cell, the committee, or either.
type Level string

// Levels of a step.
const (
	LevelCell      Level = "cell"
	LevelCommittee Level = "committee"
	LevelAny       Level = "any"
)

// Field names an input a step carries; forms and validation derive from it.
type Field string

// Step fields.
const (
	FieldOccurredOn  Field = "occurred_on"
	FieldDocumentNo  Field = "document_no"
	FieldIssuedBy    Field = "issued_by"
	FieldReceivedOn  Field = "received_on"
	FieldVotes       Field = "votes"         // eligible and yes
	FieldVotesRemove Field = "votes_against" // votes for removal (recognition)
	FieldOutcome     Field = "outcome"       // passed / failed conclusion (verification)
	FieldRoute       Field = "route"         // introduction route and sponsors
	FieldHelper      Field = "helper_member_id"
	FieldApprovalRef Field = "approval_ref"
	FieldNote        Field = "note"
)

// StepDef declares one step kind: everything the engine, the forms, the
// timeline, the checklist and the deadlines need to know about it.
type StepDef struct {
	Kind       Kind
	Order      int
	Label      string // the regulation's own words
	Form       string // KNĐ form number, if any
	Level      Level
	Needs      []Kind  // steps that must have been recorded (and passed) before
	Fields     []Field // inputs the step carries
	Required   []Field // inputs that must be filled
	Vote       bool    // a vote with the 2/3 threshold
	Repeatable bool    // may be recorded again while it has not passed
	Terminal   bool    // ends the candidate's path
	Optional   bool    // only where the organization is configured for it
	Document   string  // the dossier document this step puts in (checklist)
	Starts     string  // the deadline it starts, in words
	Citation   string
}

const (
	citeGuide       = "Hướng dẫn 12-HD/BTCTW (2022) về nghiệp vụ công tác đảng viên"
	citeCharter4    = "Điều lệ Đảng, Điều 4; Quy định 294-QĐ/TW, điểm 3.2"
	citeSponsor     = "Quy định 294-QĐ/TW, điểm 3.2.1"
	citeVote        = "Quy định 294-QĐ/TW, điểm 9.3.2"
	citeAge         = "Điều lệ Đảng, Điều 1; Hướng dẫn 06-HD/TW (2025)"
	citeEducation   = "Hướng dẫn 06-HD/TW (2025), thay Hướng dẫn 01-HD/TW (2021)"
	citeCertificate = "Hướng dẫn 06-HD/TW (2025)"
	citeDecision    = "Quy định 294-QĐ/TW, điểm 4.3.1"
	citeCeremony    = "Quy định 294-QĐ/TW, điểm 4.1"
	citeProbation   = "Điều lệ Đảng, Điều 5"
	citeReadmission = "Quy định 294-QĐ/TW, điểm 3.5"
)

// Steps is the step table, in order. Every rule that depends on the kind of a
// step reads it from here.
var Steps = []StepDef{
	{Kind: Nominated, Order: 1, Label: "Tạo nguồn, phân công đảng viên giúp đỡ", Level: LevelCell,
		Fields: []Field{FieldOccurredOn, FieldHelper, FieldNote}, Required: []Field{FieldHelper},
		Document: "Danh sách quần chúng ưu tú được chi bộ tạo nguồn", Citation: citeGuide},
	{Kind: AwarenessClass, Order: 2, Label: "Học lớp bồi dưỡng nhận thức về Đảng", Level: LevelAny,
		Needs: []Kind{Nominated}, Fields: []Field{FieldOccurredOn, FieldDocumentNo, FieldIssuedBy}, Required: []Field{FieldDocumentNo},
		Repeatable: true, Document: "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng",
		Starts: "Giấy chứng nhận có giá trị 60 tháng", Citation: citeCertificate},
	{Kind: Application, Order: 3, Label: "Đơn xin vào Đảng", Form: "1-KNĐ", Level: LevelCell,
		Needs: []Kind{AwarenessClass}, Fields: []Field{FieldOccurredOn, FieldNote},
		Document: "Đơn xin vào Đảng (Mẫu 1-KNĐ)", Citation: citeGuide},
	{Kind: PersonalHistory, Order: 4, Label: "Lý lịch của người xin vào Đảng", Form: "2-KNĐ", Level: LevelCell,
		Needs: []Kind{Application}, Fields: []Field{FieldOccurredOn, FieldNote},
		Document: "Lý lịch của người xin vào Đảng (Mẫu 2-KNĐ)", Citation: citeGuide},
	{Kind: Verification, Order: 5, Label: "Thẩm tra lý lịch", Level: LevelCommittee,
		Needs: []Kind{PersonalHistory}, Fields: []Field{FieldOccurredOn, FieldDocumentNo, FieldOutcome, FieldNote}, Required: []Field{FieldOutcome},
		Repeatable: true, Document: "Kết quả thẩm tra lý lịch", Citation: citeGuide},
	{Kind: Introduction, Order: 6, Label: "Giới thiệu người vào Đảng", Form: "3-KNĐ, 4-KNĐ, 4A-KNĐ", Level: LevelCell,
		Needs: []Kind{Application}, Fields: []Field{FieldOccurredOn, FieldRoute, FieldDocumentNo}, Required: []Field{FieldRoute},
		Document: "Giấy giới thiệu người vào Đảng (Mẫu 3-KNĐ) hoặc Nghị quyết giới thiệu của Đoàn/Công đoàn (Mẫu 4-KNĐ, 4A-KNĐ)", Citation: citeCharter4},
	{Kind: Comments, Order: 7, Label: "Tổng hợp ý kiến nhận xét của đoàn thể và chi bộ nơi cư trú", Form: "5-KNĐ", Level: LevelCell,
		Needs: []Kind{Application}, Fields: []Field{FieldOccurredOn, FieldNote},
		Document: "Tổng hợp ý kiến nhận xét (Mẫu 5-KNĐ)", Citation: citeGuide},
	{Kind: CellResolution, Order: 8, Label: "Nghị quyết chi bộ đề nghị kết nạp", Form: "6-KNĐ", Level: LevelCell,
		Needs: []Kind{Verification, Introduction, Comments}, Fields: []Field{FieldOccurredOn, FieldDocumentNo, FieldVotes, FieldApprovalRef},
		Required: []Field{FieldVotes}, Vote: true, Repeatable: true,
		Document: "Nghị quyết chi bộ đề nghị kết nạp (Mẫu 6-KNĐ)", Starts: "Quyết định kết nạp trong 60 ngày làm việc", Citation: citeVote},
	{Kind: CommitteeResolution, Order: 9, Label: "Nghị quyết đảng ủy bộ phận / đảng ủy cơ sở", Form: "7-KNĐ, 8-KNĐ", Level: LevelCommittee,
		Needs: []Kind{CellResolution}, Fields: []Field{FieldOccurredOn, FieldDocumentNo, FieldVotes}, Required: []Field{FieldVotes},
		Vote: true, Repeatable: true, Optional: true,
		Document: "Nghị quyết của đảng ủy (Mẫu 7-KNĐ / 8-KNĐ)", Citation: citeVote},
	{Kind: DecisionExtension, Order: 9, Label: "Gia hạn thời gian xem xét quyết định kết nạp", Level: LevelCommittee,
		Needs: []Kind{CellResolution}, Fields: []Field{FieldOccurredOn, FieldDocumentNo, FieldNote}, Required: []Field{FieldDocumentNo, FieldNote},
		Starts: "Hạn quyết định kết nạp thêm tối đa 30 ngày làm việc (một lần)", Citation: citeDecision},
	{Kind: Decision, Order: 10, Label: "Quyết định kết nạp đảng viên", Form: "9-KNĐ", Level: LevelCommittee,
		Needs: []Kind{CellResolution}, Fields: []Field{FieldOccurredOn, FieldDocumentNo, FieldIssuedBy, FieldReceivedOn},
		Required: []Field{FieldDocumentNo, FieldReceivedOn},
		Document: "Quyết định kết nạp đảng viên (Mẫu 9-KNĐ)", Starts: "Lễ kết nạp trong 30 ngày làm việc từ khi nhận quyết định", Citation: citeDecision},
	{Kind: Ceremony, Order: 11, Label: "Lễ kết nạp đảng viên", Level: LevelCell,
		Needs: []Kind{Decision}, Fields: []Field{FieldOccurredOn, FieldHelper, FieldApprovalRef, FieldNote}, Required: []Field{FieldHelper},
		Document: "Biên bản lễ kết nạp", Starts: "Thời gian dự bị 12 tháng", Citation: citeCeremony},
	{Kind: NewMemberClass, Order: 12, Label: "Học lớp bồi dưỡng lý luận chính trị cho đảng viên mới", Level: LevelAny,
		Needs: []Kind{Ceremony}, Fields: []Field{FieldOccurredOn, FieldDocumentNo, FieldIssuedBy},
		Document: "Giấy chứng nhận lớp bồi dưỡng đảng viên mới", Citation: citeProbation},
	{Kind: SelfReview, Order: 12, Label: "Bản tự kiểm điểm của đảng viên dự bị", Form: "10-KNĐ", Level: LevelCell,
		Needs: []Kind{Ceremony}, Fields: []Field{FieldOccurredOn, FieldNote},
		Document: "Bản tự kiểm điểm của đảng viên dự bị (Mẫu 10-KNĐ)", Citation: citeGuide},
	{Kind: HelperAssessment, Order: 12, Label: "Bản nhận xét của đảng viên chính thức giúp đỡ đảng viên dự bị", Form: "11-KNĐ", Level: LevelCell,
		Needs: []Kind{Ceremony}, Fields: []Field{FieldOccurredOn, FieldNote},
		Document: "Bản nhận xét của đảng viên giúp đỡ (Mẫu 11-KNĐ)", Citation: citeGuide},
	{Kind: ProbationComments, Order: 12, Label: "Tổng hợp ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú đối với đảng viên dự bị", Form: "12-KNĐ", Level: LevelCell,
		Needs: []Kind{Ceremony}, Fields: []Field{FieldOccurredOn, FieldNote},
		Document: "Tổng hợp ý kiến nhận xét đối với đảng viên dự bị (Mẫu 12-KNĐ)", Citation: citeGuide},
	{Kind: RecognitionResolution, Order: 13, Label: "Nghị quyết chi bộ đề nghị công nhận đảng viên chính thức", Form: "13-KNĐ", Level: LevelCell,
		Needs: []Kind{Ceremony}, Fields: []Field{FieldOccurredOn, FieldDocumentNo, FieldVotes, FieldVotesRemove},
		Required: []Field{FieldVotes}, Vote: true, Repeatable: true,
		Document: "Nghị quyết chi bộ đề nghị công nhận đảng viên chính thức (Mẫu 13-KNĐ)",
		Starts:   "Quyết định công nhận trong 30 ngày làm việc", Citation: citeProbation},
	{Kind: RecognitionDecision, Order: 14, Label: "Quyết định công nhận đảng viên chính thức", Form: "16-KNĐ", Level: LevelCommittee,
		Needs: []Kind{RecognitionResolution}, Fields: []Field{FieldOccurredOn, FieldDocumentNo, FieldIssuedBy},
		Required: []Field{FieldDocumentNo}, Terminal: true,
		Document: "Quyết định công nhận đảng viên chính thức (Mẫu 16-KNĐ)", Citation: citeProbation},
	{Kind: Withdrawn, Order: 20, Label: "Đưa ra khỏi danh sách quần chúng ưu tú", Level: LevelAny,
		Fields: []Field{FieldOccurredOn, FieldNote}, Required: []Field{FieldNote}, Terminal: true, Citation: citeGuide},
	{Kind: Removed, Order: 21, Label: "Xóa tên đảng viên dự bị", Level: LevelAny,
		Needs: []Kind{Ceremony}, Fields: []Field{FieldOccurredOn, FieldDocumentNo, FieldNote}, Required: []Field{FieldNote}, Terminal: true, Citation: citeProbation},
	{Kind: Transferred, Order: 22, Label: "Chuyển sinh hoạt đi nơi khác", Level: LevelAny,
		Fields: []Field{FieldOccurredOn, FieldIssuedBy, FieldNote}, Required: []Field{FieldNote}, Terminal: true, Citation: citeGuide},
}

var stepIndex = func() map[Kind]*StepDef {
	m := make(map[Kind]*StepDef, len(Steps))
	for i := range Steps {
		m[Steps[i].Kind] = &Steps[i]
	}
	return m
}()

// Def returns the declaration of a step kind.
func Def(k Kind) (StepDef, bool) {
	d, ok := stepIndex[k]
	if !ok {
		return StepDef{}, false
	}
	return *d, true
}

// Has reports whether the step carries field f.
func (d StepDef) Has(f Field) bool {
	for _, x := range d.Fields {
		if x == f {
			return true
		}
	}
	return false
}

func (d StepDef) requires(f Field) bool {
	for _, x := range d.Required {
		if x == f {
			return true
		}
	}
	return false
}

// Stage is where a candidate stands, derived from its steps.
type Stage string

// Stages, in order.
const (
	StageSource           Stage = "source"
	StageDossier          Stage = "dossier"
	StageAwaitingDecision Stage = "awaiting_decision"
	StageAwaitingCeremony Stage = "awaiting_ceremony"
	StageProbationary     Stage = "probationary"
	StageOfficial         Stage = "official"
	StageWithdrawn        Stage = "withdrawn"
	StageRemoved          Stage = "removed"
	StageTransferred      Stage = "transferred"
)

// Stages lists every stage in order, for filters and reports.
var Stages = []Stage{StageSource, StageDossier, StageAwaitingDecision, StageAwaitingCeremony,
	StageProbationary, StageOfficial, StageWithdrawn, StageRemoved, StageTransferred}

// StageLabels are the Vietnamese names of the stages.
var StageLabels = map[Stage]string{
	StageSource:           "Tạo nguồn, bồi dưỡng",
	StageDossier:          "Hoàn thiện hồ sơ",
	StageAwaitingDecision: "Chờ quyết định kết nạp",
	StageAwaitingCeremony: "Chờ lễ kết nạp",
	StageProbationary:     "Đảng viên dự bị",
	StageOfficial:         "Đảng viên chính thức",
	StageWithdrawn:        "Đã đưa ra khỏi danh sách",
	StageRemoved:          "Đã xóa tên",
	StageTransferred:      "Đã chuyển đi",
}

// Closed reports whether the stage ends the path: nothing more can be recorded.
func (s Stage) Closed() bool {
	switch s {
	case StageOfficial, StageWithdrawn, StageRemoved, StageTransferred:
		return true
	}
	return false
}

// Effective returns the steps that no other step supersedes.
func Effective(steps []Step) []Step {
	var superseded map[int64]bool
	for _, s := range steps {
		if s.SupersedesID != 0 {
			if superseded == nil {
				superseded = make(map[int64]bool)
			}
			superseded[s.SupersedesID] = true
		}
	}
	if superseded == nil {
		return steps
	}
	out := make([]Step, 0, len(steps))
	for _, s := range steps {
		if s.ID == 0 || !superseded[s.ID] {
			out = append(out, s)
		}
	}
	return out
}

var kindPos = func() map[Kind]int {
	m := make(map[Kind]int, len(Steps))
	for i, d := range Steps {
		m[d.Kind] = i
	}
	return m
}()

// history indexes a candidate's effective steps without allocating per kind.
type history struct {
	all    []Step
	latest [32]int // 1 + index in all of the latest counting step of each kind, by date then seq
	counts [32]int // counting steps of each kind
}

func newHistory(steps []Step) history {
	h := history{all: Effective(steps)}
	for i, s := range h.all {
		if !s.Counts() {
			continue
		}
		p, ok := kindPos[s.Kind]
		if !ok {
			continue
		}
		h.counts[p]++
		if cur := h.latest[p]; cur == 0 || s.OccurredOn.After(h.all[cur-1].OccurredOn) ||
			(s.OccurredOn.Equal(h.all[cur-1].OccurredOn) && s.Seq > h.all[cur-1].Seq) {
			h.latest[p] = i + 1
		}
	}
	return h
}

func (h *history) done(k Kind) bool {
	p, ok := kindPos[k]
	return ok && h.counts[p] > 0
}

// lastOf returns the latest counting step of kind k.
func (h *history) lastOf(k Kind) (Step, bool) {
	p, ok := kindPos[k]
	if !ok || h.latest[p] == 0 {
		return Step{}, false
	}
	return h.all[h.latest[p]-1], true
}

// at returns the latest counting step of kind k, or the zero step.
func (h *history) at(k Kind) Step {
	s, _ := h.lastOf(k)
	return s
}

// DeriveStage returns the stage a candidate's steps put it in.
func DeriveStage(steps []Step) Stage {
	h := newHistory(steps)
	return h.stage()
}

func (h *history) stage() Stage {
	switch {
	case h.done(Transferred):
		return StageTransferred
	case h.done(Withdrawn):
		return StageWithdrawn
	case h.done(Removed):
		return StageRemoved
	case h.done(RecognitionDecision):
		if h.at(RecognitionDecision).Outcome == OutcomeRemoved {
			return StageRemoved
		}
		return StageOfficial
	case h.done(Ceremony):
		return StageProbationary
	case h.done(Decision):
		return StageAwaitingCeremony
	case h.done(CellResolution):
		return StageAwaitingDecision
	case h.done(Application):
		return StageDossier
	}
	return StageSource
}
