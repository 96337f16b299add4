package web

import (
	"fmt"
	"strings"
	"time"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// paperFacts is what a paper is filled from: the file as recorded, read
// once by the handler. Building a paper from it is a pure function.
type paperFacts struct {
	c         admission.Candidate
	cell      admission.Organization
	committee admission.Organization // the cell's parent: the deciding committee
	above     string                 // the committee's own superior, "" when none
	steps     []admission.Step       // every step, superseded ones included
	step      admission.Step         // the step the paper belongs to; zero before it is recorded
	rules     admission.RuleSets
	cal       *admission.Calendar
	members   map[int64]admission.Member // sponsors and helper, by id
	orgNames  map[int64]string           // their cells' names
	cell0     []admission.Member         // the cell's members (the roll of a meeting)
	sponsor   int                        // which sponsor a 3-KNĐ is for
}

// effective returns the effective step of kind k that moved the file on (a
// passed vote, not a failed one), or false.
func (f paperFacts) effective(k admission.Kind) (admission.Step, bool) {
	var found admission.Step
	ok := false
	for _, x := range admission.Effective(f.steps) {
		if x.Kind == k && x.Counts() {
			found, ok = x, true
		}
	}
	return found, ok
}

// helper is the member assigned to help: at the ceremony, else at nomination.
func (f paperFacts) helper() string {
	for _, k := range []admission.Kind{admission.Ceremony, admission.Nominated} {
		if x, ok := f.effective(k); ok && x.HelperName != "" {
			return x.HelperName
		}
	}
	return ""
}

// word, fill and blank are the runs of a paper's text.
func word(s string) templates.PaperPart { return templates.PaperPart{Text: s} }

func fill(s string) templates.PaperPart {
	if strings.TrimSpace(s) == "" {
		return templates.PaperPart{Blank: true}
	}
	return templates.PaperPart{Text: s, Fill: true}
}

func blank() templates.PaperPart { return templates.PaperPart{Blank: true} }

// dateParts is "ngày 03 tháng 7 năm 2023", or the same with dotted blanks.
func dateParts(d time.Time) []templates.PaperPart {
	if d.IsZero() {
		return []templates.PaperPart{word("ngày "), {Blank: true, Text: "………"}, word(" tháng "), {Blank: true, Text: "………"}, word(" năm "), {Blank: true, Text: "………"}}
	}
	return []templates.PaperPart{fill(admission.DateWords(d))}
}

func dayOf(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return admission.FormatDate(d)
}

func row(label string, parts ...templates.PaperPart) templates.PaperBlock {
	return templates.PaperBlock{Kind: "row", Label: label, Parts: parts, TestID: "row-" + admission.Slug(label)}
}

func para(testID string, parts ...templates.PaperPart) templates.PaperBlock {
	return templates.PaperBlock{Kind: "p", Parts: parts, TestID: testID}
}

func lines(label string, n int) templates.PaperBlock {
	return templates.PaperBlock{Kind: "lines", Label: label, Lines: n}
}

func heading(s string) templates.PaperBlock { return templates.PaperBlock{Kind: "h", Label: s} }

// committeeBody names the committee that issues decisions: "Đảng bộ phường
// Bình Ngọc" → "Đảng ủy phường Bình Ngọc".
func committeeBody(name string) string {
	for _, p := range []string{"Đảng bộ ", "Chi bộ "} {
		if strings.HasPrefix(name, p) {
			return "Đảng ủy " + strings.TrimPrefix(name, p)
		}
	}
	return name
}

// numberParts is "Số 245-QĐ/ĐU" when the recorded document number carries
// the paper's symbol, else "Số ……-NQ/CB" to fill by hand.
func numberParts(symbol, documentNo string) []templates.PaperPart {
	if symbol == "" {
		return nil
	}
	if documentNo != "" && strings.Contains(strings.ToUpper(documentNo), strings.ToUpper(symbol)) {
		return []templates.PaperPart{word("Số "), fill(documentNo)}
	}
	return []templates.PaperPart{word("Số "), {Blank: true, Text: "……"}, word("-" + symbol)}
}

// paperView builds a paper from the file's facts.
func paperView(p admission.Paper, f paperFacts) templates.PaperView {
	v := templates.PaperView{Form: p.Slug, Heading: strings.ToUpper(p.Title)}
	if p.Form != "" {
		v.FormCode = "Mẫu " + p.Form
	}
	place := placeOf(f.cell, f.committee.Name)
	v.PlaceDate = append([]templates.PaperPart{word(place + ", ")}, dateParts(f.step.OccurredOn)...)
	body := committeeBody(f.committee.Name)
	switch p.Issuer {
	case admission.LevelCell:
		v.Parent, v.Org = strings.ToUpper(f.committee.Name), strings.ToUpper(f.cell.Name)
		v.Signs = []templates.PaperSign{{For: "T/M CHI BỘ", Title: "BÍ THƯ"}}
		v.Recipients = []string{body + ",", "Lưu chi bộ."}
	case admission.LevelCommittee:
		v.Parent, v.Org = strings.ToUpper(f.above), strings.ToUpper(body)
		v.Signs = []templates.PaperSign{{For: "T/M BAN THƯỜNG VỤ", Title: "BÍ THƯ"}}
		v.Recipients = []string{f.cell.Name + ",", "Đồng chí " + f.c.FullName + ",", "Lưu hồ sơ đảng viên."}
	}
	v.Number = numberParts(p.Symbol, f.step.DocumentNo)
	if p.Layout == admission.LayoutInfo {
		v.Heading, v.Subheading = "PHIẾU THÔNG TIN", "để lập "+lowerFirst(p.Name())
		v.InfoNote = "Các dữ kiện hồ sơ đã ghi, để viết " + lowerFirst(p.Title) + " theo mẫu của Hướng dẫn nghiệp vụ công tác đảng viên. Chỗ có dấu chấm (……) là điều hồ sơ chưa có: điền tay."
	}
	switch p.Slug {
	case "1-knd":
		application(&v, f)
	case "2-knd":
		personalHistory(&v, f)
	case "3-knd":
		sponsorPaper(&v, f)
	case "5-knd":
		commentsSummary(&v, f)
	case "6-knd":
		cellResolution(&v, f)
	case "9-knd":
		decision(&v, f)
	case "bien-ban-le-ket-nap":
		ceremonyMinutes(&v, f)
	case "10-knd":
		selfReview(&v, f)
	case "11-knd":
		helperAssessment(&v, f)
	case "13-knd":
		recognitionResolution(&v, f)
	case "16-knd":
		recognitionDecision(&v, f)
	}
	return v
}

func lowerFirst(s string) string {
	for i := range s {
		if i > 0 {
			return strings.ToLower(s[:i]) + s[i:]
		}
	}
	return strings.ToLower(s)
}

// identity is the rows that say who the candidate is.
func identity(f paperFacts) []templates.PaperBlock {
	c := f.c
	return []templates.PaperBlock{
		row("Họ và tên", fill(c.FullName)),
		row("Sinh ngày", fill(dayOf(c.BirthDate))),
		row("Dân tộc", fill(c.Ethnicity)),
		row("Tôn giáo", fill(orNone(c.Religion))),
		row("Trình độ giáo dục phổ thông", fill(admission.EducationLabels[c.EducationGeneral])),
		row("Trình độ chuyên môn", fill(c.EducationProfessional)),
		row("Nghề nghiệp", fill(c.Occupation)),
	}
}

func orNone(s string) string {
	if s == "" {
		return "Không"
	}
	return s
}

// personal lays out a paper a person writes: no issuing organization, the
// date line blank for the writer.
func personal(v *templates.PaperView, f paperFacts, title, sign, name string) {
	v.Parent, v.Org, v.Number, v.Recipients = "", "", nil, nil
	v.PlaceDate = append([]templates.PaperPart{word(placeOf(f.cell, f.committee.Name) + ", ")}, dateParts(time.Time{})...)
	v.Heading = title
	v.Signs = []templates.PaperSign{{Title: sign, Name: name}}
}

func application(v *templates.PaperView, f paperFacts) {
	personal(v, f, "ĐƠN XIN VÀO ĐẢNG", "NGƯỜI LÀM ĐƠN", f.c.FullName)
	c := f.c
	v.Body = []templates.PaperBlock{
		para("kinh-gui", word("Kính gửi: Chi ủy "), fill(f.cell.Name)),
		para("kinh-gui-2", fill(committeeBody(f.committee.Name))),
		row("Tôi là", fill(c.FullName)),
		row("Sinh ngày", fill(dayOf(c.BirthDate))),
		row("Nơi sinh", blank()),
		row("Quê quán", blank()),
		row("Dân tộc", fill(c.Ethnicity)),
		row("Tôn giáo", fill(orNone(c.Religion))),
		row("Trình độ học vấn", fill(admission.EducationLabels[c.EducationGeneral])),
		row("Nơi cư trú", blank()),
		row("Nghề nghiệp", fill(c.Occupation)),
		lines("Nội dung đơn (người xin vào Đảng tự viết tay)", 12),
	}
}

func personalHistory(v *templates.PaperView, f paperFacts) {
	personal(v, f, "PHIẾU THÔNG TIN", "NGƯỜI KHAI", f.c.FullName)
	v.Subheading = "để khai Lý lịch của người xin vào Đảng (Mẫu 2-KNĐ)"
	v.InfoNote = "Mẫu 2-KNĐ là quyển lý lịch in sẵn do cấp ủy phát. Phiếu này ghi các dữ kiện hồ sơ đã có để người vào Đảng khai thống nhất; chỗ có dấu chấm (……) là điều hồ sơ chưa có."
	v.Body = append(identity(f),
		row("Sinh hoạt tại", fill(f.cell.Name+", "+f.committee.Name)),
		row("Đoàn viên Đoàn TNCS Hồ Chí Minh", fill(yesNo(f.c.YouthUnion))),
		row("Đoàn viên công đoàn", fill(yesNo(f.c.TradeUnion))),
		row("Ngày khai lý lịch", fill(dayOf(f.step.OccurredOn))),
	)
	if x, ok := f.effective(admission.Verification); ok {
		v.Body = append(v.Body, row("Kết luận thẩm tra lý lịch", fill(admission.OutcomeLabels[x.Outcome]+" — "+admission.FormatDate(x.OccurredOn))))
	}
}

func sponsorPaper(v *templates.PaperView, f paperFacts) {
	var sp admission.Sponsor
	if f.sponsor < len(f.step.Sponsors) {
		sp = f.step.Sponsors[f.sponsor]
	}
	m := f.members[sp.MemberID]
	personal(v, f, "GIẤY GIỚI THIỆU NGƯỜI VÀO ĐẢNG", "NGƯỜI GIỚI THIỆU", sp.MemberName)
	if !f.step.OccurredOn.IsZero() {
		v.PlaceDate = append([]templates.PaperPart{word(placeOf(f.cell, f.committee.Name) + ", ")}, dateParts(f.step.OccurredOn)...)
	}
	v.Body = []templates.PaperBlock{
		para("kinh-gui", word("Kính gửi: "), fill(f.cell.Name)),
		para("toi-la", word("Tôi là: "), fill(sp.MemberName), word(", sinh ngày "), fill(dayOf(m.BirthDate))),
		para("vao-dang", word("Vào Đảng ngày "), fill(dayOf(m.CeremonyOn)), word(", chính thức ngày "), fill(dayOf(m.OfficialOn))),
		para("chuc-vu", word("Chức vụ trong Đảng: "), blank(), word(", chức vụ chính quyền: "), blank()),
		para("que-quan", word("Quê quán: "), blank()),
		para("sinh-hoat", word("Đang sinh hoạt tại Chi bộ: "), fill(strings.TrimPrefix(f.orgNames[m.OrganizationID], "Chi bộ "))),
		row("Giới thiệu người vào Đảng", fill(f.c.FullName), word(", sinh ngày "), fill(dayOf(f.c.BirthDate))),
		row("Quan hệ với người vào Đảng", fill(relationLabels[sp.Relation]), word(", từ ngày "), fill(dayOf(sp.KnownSince))),
		lines("Về lý lịch, phẩm chất chính trị, đạo đức lối sống, năng lực công tác, quan hệ quần chúng của người vào Đảng (người giới thiệu viết)", 10),
	}
}

func commentsSummary(v *templates.PaperView, f paperFacts) {
	v.Body = append(identity(f),
		row("Sinh hoạt tại", fill(f.cell.Name)),
		row("Ngày tổng hợp ý kiến nhận xét", fill(dayOf(f.step.OccurredOn))),
		lines("Ý kiến nhận xét của tổ chức đoàn thể chính trị - xã hội nơi người vào Đảng sinh hoạt", 4),
		lines("Ý kiến nhận xét của chi ủy (chi bộ) nơi người vào Đảng cư trú", 4),
		lines("Chi bộ tổng hợp", 3),
	)
	if f.step.Note != "" {
		v.Body = append(v.Body, row("Ghi chú trong hồ sơ", fill(f.step.Note)))
	}
}

// vote is the rows of a vote: the roll it counted from, the figures in
// numbers and words, the threshold and the result.
func vote(f paperFacts, x admission.Step, what string) []templates.PaperBlock {
	if x.ID == 0 {
		return []templates.PaperBlock{
			row("Số đảng viên chính thức được tính", blank()),
			row("Số đảng viên chính thức tán thành "+what, blank()),
			row("Kết quả", blank()),
		}
	}
	p := f.rules.ParamsOn(x.OccurredOn)
	need := admission.YesNeeded(x.VotesEligible, p)
	var out []templates.PaperBlock
	if x.FromRoll {
		out = append(out,
			row("Đảng viên chính thức trong danh sách chi bộ", fill(admission.Counted(x.VotesOnRoll))),
			row("Trừ đảng viên đang sinh hoạt tạm thời nơi khác", fill(admission.Counted(x.VotesAway))),
			row("Trừ đảng viên miễn sinh hoạt vắng mặt", fill(admission.Counted(x.VotesExemptAbsent))))
	}
	out = append(out, row("Số đảng viên chính thức được tính", fill(admission.Counted(x.VotesEligible))))
	if x.VotesPresent > 0 {
		out = append(out, row("Có mặt", fill(admission.Counted(x.VotesPresent))))
	}
	out = append(out,
		row("Số đảng viên chính thức tán thành "+what, fill(admission.VoteFigures(x.VotesYes, x.VotesEligible)), word(" ("), fill(admission.NumberWords(x.VotesYes)+" đồng chí"), word(")")),
		row("Kết quả", fill(fmt.Sprintf("%s — cần ít nhất %d/%d số đảng viên chính thức, tức %d đồng chí", admission.OutcomeLabels[x.Outcome], p.VoteNumerator, p.VoteDenominator, need))))
	return out
}

func cellResolution(v *templates.PaperView, f paperFacts) {
	x := f.step
	v.Body = []templates.PaperBlock{
		row("Chi bộ", fill(f.cell.Name)),
		row("Họp ngày", fill(admission.DateWords(x.OccurredOn))),
		heading("Người được xét kết nạp"),
	}
	v.Body = append(v.Body, identity(f)...)
	v.Body = append(v.Body, heading("Hồ sơ"))
	if a, ok := f.effective(admission.AwarenessClass); ok {
		v.Body = append(v.Body, row("Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng", fill("số "+a.DocumentNo), word(" do "), fill(a.IssuedBy), word(" cấp ngày "), fill(dayOf(a.OccurredOn))))
	} else {
		v.Body = append(v.Body, row("Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng", blank()))
	}
	if a, ok := f.effective(admission.Verification); ok {
		v.Body = append(v.Body, row("Kết luận thẩm tra lý lịch", fill(admission.OutcomeLabels[a.Outcome]), word(", ngày "), fill(dayOf(a.OccurredOn))))
	} else {
		v.Body = append(v.Body, row("Kết luận thẩm tra lý lịch", blank()))
	}
	v.Body = append(v.Body, row("Người giới thiệu", introduction(f)...))
	if a, ok := f.effective(admission.Comments); ok {
		v.Body = append(v.Body, row("Tổng hợp ý kiến nhận xét (Mẫu 5-KNĐ)", fill("ngày "+admission.FormatDate(a.OccurredOn))))
	}
	v.Body = append(v.Body, heading("Biểu quyết"))
	v.Body = append(v.Body, vote(f, x, "kết nạp")...)
	switch {
	case x.ID == 0:
		v.Body = append(v.Body, row("Chi bộ đề nghị", blank()))
	case x.Outcome == admission.OutcomePassed:
		v.Body = append(v.Body, row("Chi bộ đề nghị", fill(committeeBody(f.committee.Name)+" xem xét, quyết định kết nạp quần chúng "+f.c.FullName+" vào Đảng Cộng sản Việt Nam")))
	default:
		v.Body = append(v.Body, row("Chi bộ đề nghị", fill("Không: chưa đủ số đảng viên chính thức tán thành")))
	}
}

// introduction says who introduced the candidate: the sponsors with their
// relation, and the union's resolution on a union route.
func introduction(f paperFacts) []templates.PaperPart {
	x, ok := f.effective(admission.Introduction)
	if !ok {
		return []templates.PaperPart{blank()}
	}
	var parts []templates.PaperPart
	if x.Route != admission.RouteTwoSponsors {
		parts = append(parts, fill(admission.RouteLabels[x.Route]+" số "+orDash(x.DocumentNo)), word("; "))
	}
	for i, sp := range x.Sponsors {
		if i > 0 {
			parts = append(parts, word("; "))
		}
		parts = append(parts, word("đồng chí "), fill(sp.MemberName), word(" ("+relationLabels[sp.Relation]+" từ "+dayOf(sp.KnownSince)+")"))
	}
	return parts
}

// passedVote is the passing cell vote a decision rests on.
func passedVote(f paperFacts, k admission.Kind) []templates.PaperPart {
	x, ok := f.effective(k)
	if !ok {
		return []templates.PaperPart{blank()}
	}
	return []templates.PaperPart{fill(f.cell.Name), word(" họp ngày "), fill(dayOf(x.OccurredOn)), word(", tán thành "), fill(admission.VoteFigures(x.VotesYes, x.VotesEligible))}
}

func decision(v *templates.PaperView, f paperFacts) {
	x := f.step
	issuer := x.IssuedBy
	if issuer == "" {
		issuer = "Ban Thường vụ " + committeeBody(f.committee.Name)
	}
	p := f.rules.ParamsOn(x.ReceivedOn)
	due := ""
	if !x.ReceivedOn.IsZero() && f.cal != nil {
		due = admission.FormatDate(f.cal.AddWorkingDays(x.ReceivedOn, p.CeremonyDueWorkingDays))
	}
	v.Body = []templates.PaperBlock{
		row("Cấp ủy quyết định", fill(issuer)),
		row("Căn cứ nghị quyết đề nghị kết nạp của chi bộ", passedVote(f, admission.CellResolution)...),
		heading("Kết nạp vào Đảng Cộng sản Việt Nam"),
	}
	v.Body = append(v.Body, identity(f)...)
	v.Body = append(v.Body,
		row("Sinh hoạt tại", fill(f.cell.Name)),
		row("Số, ngày quyết định", fill(x.DocumentNo), word(", "), fill(admission.DateWords(x.OccurredOn))),
		row("Chi bộ nhận quyết định ngày", fill(dayOf(x.ReceivedOn))),
		row("Hạn tổ chức lễ kết nạp", fill(due), word(fmt.Sprintf(" (%d ngày làm việc kể từ ngày chi bộ nhận quyết định)", p.CeremonyDueWorkingDays))),
		row("Thời gian dự bị", fill(fmt.Sprintf("%d tháng, kể từ ngày chi bộ tổ chức lễ kết nạp", p.ProbationMonths))),
	)
}

func ceremonyMinutes(v *templates.PaperView, f paperFacts) {
	x := f.step
	dec, _ := f.effective(admission.Decision)
	end := ""
	if x.ID != 0 {
		end = admission.FormatDate(admission.ProbationEndOf(x.OccurredOn, f.rules))
	}
	v.Signs = []templates.PaperSign{{Title: "THƯ KÝ"}, {Title: "CHỦ TRÌ"}}
	v.Body = []templates.PaperBlock{
		row("Chi bộ", fill(f.cell.Name)),
		row("Tổ chức lễ kết nạp đảng viên", fill(admission.DateWords(x.OccurredOn)), word(", tại "), blank()),
		row("Quyết định kết nạp", fill(dec.DocumentNo), word(" ngày "), fill(dayOf(dec.OccurredOn)), word(" của "), fill(dec.IssuedBy)),
		row("Đảng viên mới", fill(f.c.FullName), word(", sinh ngày "), fill(dayOf(f.c.BirthDate))),
		row("Đảng viên được phân công giúp đỡ", fill(f.helper())),
		row("Đại diện cấp ủy cấp trên dự", blank()),
		row("Chủ trì", blank()),
		row("Thư ký", blank()),
		row("Số đảng viên dự", blank()),
		row("Thời gian dự bị", fill(dayOf(x.OccurredOn)), word(" đến "), fill(end)),
		lines("Diễn biến buổi lễ", 6),
	}
}

func selfReview(v *templates.PaperView, f paperFacts) {
	cer, _ := f.effective(admission.Ceremony)
	personal(v, f, "BẢN TỰ KIỂM ĐIỂM", "NGƯỜI TỰ KIỂM ĐIỂM", f.c.FullName)
	v.Subheading = "của đảng viên dự bị"
	v.Body = []templates.PaperBlock{
		para("kinh-gui", word("Kính gửi: "), fill(f.cell.Name)),
		row("Họ và tên", fill(f.c.FullName)),
		row("Sinh ngày", fill(dayOf(f.c.BirthDate))),
		row("Được kết nạp vào Đảng ngày", fill(dayOf(cer.OccurredOn))),
		row("Hết thời gian dự bị ngày", fill(dayOf(admission.ProbationEnd(f.steps, f.rules)))),
		lines("Tự kiểm điểm trong thời gian dự bị (đảng viên dự bị tự viết)", 14),
	}
}

func helperAssessment(v *templates.PaperView, f paperFacts) {
	cer, _ := f.effective(admission.Ceremony)
	personal(v, f, "BẢN NHẬN XÉT ĐẢNG VIÊN DỰ BỊ", "ĐẢNG VIÊN ĐƯỢC PHÂN CÔNG GIÚP ĐỠ", f.helper())
	v.Body = []templates.PaperBlock{
		para("kinh-gui", word("Kính gửi: "), fill(f.cell.Name)),
		row("Tôi là", fill(f.helper())),
		row("Được chi bộ phân công giúp đỡ đảng viên dự bị", fill(f.c.FullName)),
		row("Được kết nạp vào Đảng ngày", fill(dayOf(cer.OccurredOn))),
		lines("Nhận xét (đảng viên được phân công giúp đỡ viết)", 12),
	}
}

func recognitionResolution(v *templates.PaperView, f paperFacts) {
	x := f.step
	cer, _ := f.effective(admission.Ceremony)
	admitted := "kết nạp"
	if f.c.Readmission {
		admitted = "kết nạp lại"
	}
	official, probationary := 0, 0
	for _, m := range f.cell0 {
		switch {
		case m.IsOfficialOn(x.OccurredOn):
			official++
		case m.IsProbationaryOn(x.OccurredOn):
			probationary++
		}
	}
	if x.FromRoll {
		official = x.VotesOnRoll
	}
	count := func(n int) templates.PaperPart {
		if x.ID == 0 {
			return templates.PaperPart{Blank: true, Text: "………"}
		}
		return fill(fmt.Sprint(n))
	}
	present, absent := templates.PaperPart{Blank: true, Text: "………"}, templates.PaperPart{Blank: true, Text: "………"}
	if x.VotesPresent > 0 {
		present, absent = fill(fmt.Sprint(x.VotesPresent)), fill(fmt.Sprint(official-x.VotesPresent))
	}
	v.Heading, v.Subheading = "NGHỊ QUYẾT", "đề nghị công nhận đảng viên chính thức"
	v.Body = []templates.PaperBlock{
		para("can-cu", word("Căn cứ Điều 5, Điều lệ Đảng Cộng sản Việt Nam,")),
		para("hop", append(capitalized(dateParts(x.OccurredOn)),
			word(", Chi bộ "), fill(strings.TrimPrefix(f.cell.Name, "Chi bộ ")), word(" đã họp để xét, đề nghị công nhận đảng viên dự bị "), fill(f.c.FullName),
			word(" được "+admitted+" vào Đảng ngày "), fill(dayOf(cer.OccurredOn)), word(", trở thành đảng viên chính thức."))...),
		para("tong-so", word("Tổng số đảng viên của Chi bộ: "), count(official+probationary), word(" đảng viên, trong đó chính thức "), count(official), word(" đồng chí, dự bị "), count(probationary), word(" đồng chí.")),
		para("co-mat", word("Có mặt: "), blank(), word(" đảng viên, trong đó chính thức "), present, word(" đồng chí, dự bị "), blank(), word(" đồng chí.")),
		para("vang-mat", word("Vắng mặt: "), blank(), word(" đảng viên, trong đó chính thức "), absent, word(" đồng chí, dự bị "), blank(), word(" đồng chí.")),
		para("ly-do", word("Lý do vắng mặt: "), blank()),
		para("chu-tri", word("Chủ trì hội nghị: Đồng chí "), blank(), word(" Chức vụ "), blank()),
		para("thu-ky", word("Thư ký hội nghị: Đồng chí "), blank()),
		row("Đảng viên được phân công giúp đỡ", fill(f.helper())),
	}
	if c, ok := f.effective(admission.NewMemberClass); ok {
		v.Body = append(v.Body, row("Giấy chứng nhận học lớp bồi dưỡng lý luận chính trị cho đảng viên mới", fill(c.DocumentNo), word(" ngày "), fill(dayOf(c.OccurredOn))))
	}
	v.Body = append(v.Body, vote(f, x, "công nhận")...)
	v.Body = append(v.Body, row("Là đảng viên chính thức kể từ ngày", fill(dayOf(admission.ProbationEnd(f.steps, f.rules))), word(" (ngày hết 12 tháng dự bị)")))
}

func recognitionDecision(v *templates.PaperView, f paperFacts) {
	x := f.step
	cer, _ := f.effective(admission.Ceremony)
	dec, _ := f.effective(admission.Decision)
	v.Body = []templates.PaperBlock{
		row("Cấp ủy quyết định", fill("Ban Thường vụ "+committeeBody(f.committee.Name))),
		row("Căn cứ nghị quyết đề nghị công nhận của chi bộ", passedVote(f, admission.RecognitionResolution)...),
		heading("Công nhận đảng viên chính thức"),
		row("Họ và tên", fill(f.c.FullName)),
		row("Sinh ngày", fill(dayOf(f.c.BirthDate))),
		row("Sinh hoạt tại", fill(f.cell.Name)),
		row("Kết nạp vào Đảng ngày", fill(dayOf(cer.OccurredOn)), word(" (quyết định kết nạp "), fill(dec.DocumentNo), word(" ngày "), fill(dayOf(dec.OccurredOn)), word(")")),
		row("Là đảng viên chính thức kể từ ngày", fill(dayOf(admission.ProbationEnd(f.steps, f.rules)))),
		row("Tuổi đảng tính từ ngày", fill(dayOf(dec.OccurredOn))),
		row("Số, ngày quyết định", fill(x.DocumentNo), word(", "), fill(admission.DateWords(x.OccurredOn))),
	}
}

// capitalized starts a sentence with its first run: "Ngày 10 tháng 7 …".
func capitalized(parts []templates.PaperPart) []templates.PaperPart {
	out := append([]templates.PaperPart{}, parts...)
	if len(out) > 0 && out[0].Text != "" {
		out[0].Text = strings.ToUpper(out[0].Text[:1]) + out[0].Text[1:]
	}
	return out
}
