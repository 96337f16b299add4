package admission

// Layout says how far a printed paper follows a published form.
type Layout string

// Layouts of a paper.
const (
	// LayoutForm: the published form's layout and wording, filled from the file.
	LayoutForm Layout = "form"
	// LayoutBlank: a form a person fills by hand, with the facts ketnap knows pre-printed.
	LayoutBlank Layout = "blank"
	// LayoutInfo: a "phiếu thông tin" — the facts the form needs, where the
	// form's own text was not available to follow; no official wording is made up.
	LayoutInfo Layout = "info"
)

// Paper is one official paper of the procedure that ketnap prints from a
// candidate's file (Hướng dẫn 12-HD/BTCTW, the KNĐ forms).
type Paper struct {
	Slug       string // the paper's URL segment
	Form       string // "6-KNĐ"; "" for the ceremony minutes
	Title      string // the paper's name
	Step       Kind   // the step it belongs to
	Issuer     Level  // who issues it: the cell, the committee, or a person (LevelAny)
	Symbol     string // the number's symbol ("NQ/CB"), "" for a person's paper
	Layout     Layout
	PerSponsor bool // one paper per sponsor
}

// Papers lists the papers in the order of the procedure.
var Papers = []Paper{
	{Slug: "1-knd", Form: "1-KNĐ", Title: "Đơn xin vào Đảng", Step: Application, Issuer: LevelAny, Layout: LayoutBlank},
	{Slug: "2-knd", Form: "2-KNĐ", Title: "Lý lịch của người xin vào Đảng", Step: PersonalHistory, Issuer: LevelAny, Layout: LayoutInfo},
	{Slug: "3-knd", Form: "3-KNĐ", Title: "Giấy giới thiệu người vào Đảng", Step: Introduction, Issuer: LevelAny, Layout: LayoutForm, PerSponsor: true},
	{Slug: "5-knd", Form: "5-KNĐ", Title: "Tổng hợp ý kiến nhận xét của tổ chức đoàn thể chính trị - xã hội và chi ủy nơi cư trú đối với người vào Đảng", Step: Comments, Issuer: LevelCell, Symbol: "CB", Layout: LayoutInfo},
	{Slug: "6-knd", Form: "6-KNĐ", Title: "Nghị quyết đề nghị kết nạp đảng viên", Step: CellResolution, Issuer: LevelCell, Symbol: "NQ/CB", Layout: LayoutInfo},
	{Slug: "9-knd", Form: "9-KNĐ", Title: "Quyết định kết nạp đảng viên", Step: Decision, Issuer: LevelCommittee, Symbol: "QĐ/ĐU", Layout: LayoutInfo},
	{Slug: "bien-ban-le-ket-nap", Title: "Biên bản lễ kết nạp đảng viên", Step: Ceremony, Issuer: LevelCell, Symbol: "BB/CB", Layout: LayoutInfo},
	{Slug: "10-knd", Form: "10-KNĐ", Title: "Bản tự kiểm điểm của đảng viên dự bị", Step: SelfReview, Issuer: LevelAny, Layout: LayoutBlank},
	{Slug: "11-knd", Form: "11-KNĐ", Title: "Bản nhận xét đảng viên dự bị của đảng viên được phân công giúp đỡ", Step: HelperAssessment, Issuer: LevelAny, Layout: LayoutBlank},
	{Slug: "13-knd", Form: "13-KNĐ", Title: "Nghị quyết đề nghị công nhận đảng viên chính thức", Step: RecognitionResolution, Issuer: LevelCell, Symbol: "NQ/CB", Layout: LayoutForm},
	{Slug: "16-knd", Form: "16-KNĐ", Title: "Quyết định công nhận đảng viên chính thức", Step: RecognitionDecision, Issuer: LevelCommittee, Symbol: "QĐ/ĐU", Layout: LayoutInfo},
}

// PaperBySlug returns the paper with the given URL segment.
func PaperBySlug(slug string) (Paper, bool) {
	for _, p := range Papers {
		if p.Slug == slug {
			return p, true
		}
	}
	return Paper{}, false
}

// PapersOf returns the papers that belong to a step kind.
func PapersOf(k Kind) []Paper {
	var out []Paper
	for _, p := range Papers {
		if p.Step == k {
			out = append(out, p)
		}
	}
	return out
}

// Name is the paper's name with its form number: "Nghị quyết … (Mẫu 6-KNĐ)".
func (p Paper) Name() string {
	if p.Form == "" {
		return p.Title
	}
	return p.Title + " (Mẫu " + p.Form + ")"
}
