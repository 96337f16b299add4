package admission

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ImportColumn is one column of an import sheet.
type ImportColumn struct {
	Key      string // the field it fills; also the field name the rules report errors under
	Header   string // the column's heading in the sheet
	Help     string // what to write, for the instructions sheet
	Example  string // the template's example row
	Required bool
	Date     bool // a date: dd/mm/yyyy text or an Excel date
}

// ImportSheet is one sheet of the import workbook.
type ImportSheet struct {
	Name    string
	Help    string
	Columns []ImportColumn
}

// Import sheets, in the order they are applied.
const (
	SheetOrgs       = "Tổ chức"
	SheetMembers    = "Đảng viên"
	SheetCandidates = "Quần chúng"
	SheetSteps      = "Quá trình"
)

// ImportSheets is the workbook's layout: the template, the import and the
// export all follow it, so a ward can keep its data in Excel and round-trip it.
var ImportSheets = []ImportSheet{
	{Name: SheetOrgs, Help: "Các chi bộ, đảng bộ bộ phận dưới phạm vi của bạn (chỉ quản trị viên được thêm tổ chức). Để trống nếu đã có.", Columns: []ImportColumn{
		{Key: "code", Header: "Mã", Help: "Mã tổ chức: chữ thường không dấu, số, dấu gạch ngang", Example: "binh-ngoc-khu-9", Required: true},
		{Key: "name", Header: "Tên", Help: "Tên đầy đủ", Example: "Chi bộ khu 9", Required: true},
		{Key: "kind", Header: "Loại", Help: "Chi bộ hoặc Đảng bộ", Example: "Chi bộ", Required: true},
		{Key: "parent_id", Header: "Mã cấp trên", Help: "Mã của đảng bộ cấp trên; để trống: đơn vị của bạn", Example: ""},
	}},
	{Name: SheetMembers, Help: "Đảng viên của các chi bộ. Mỗi người một dòng; Mã là mã riêng của bảng (nên dùng số thẻ đảng viên) để nhập lại không tạo trùng.", Columns: []ImportColumn{
		{Key: "key", Header: "Mã", Help: "Mã riêng của người này trong bảng, không trùng", Example: "DV-0001", Required: true},
		{Key: "full_name", Header: "Họ và tên", Example: "Nguyễn Văn An", Required: true},
		{Key: "gender", Header: "Giới tính", Help: "Nam hoặc Nữ", Example: "Nam", Required: true},
		{Key: "birth_date", Header: "Ngày sinh", Help: "dd/mm/yyyy", Example: "12/03/1970", Required: true, Date: true},
		{Key: "ethnicity", Header: "Dân tộc", Help: "Theo danh mục 54 dân tộc", Example: "Kinh"},
		{Key: "religion", Header: "Tôn giáo", Help: "Không, hoặc tên tôn giáo", Example: "Không"},
		{Key: "education_general", Header: "Giáo dục phổ thông", Help: "Tiểu học, Trung học cơ sở, Trung học phổ thông", Example: "Trung học phổ thông"},
		{Key: "admitted_on", Header: "Ngày quyết định kết nạp", Help: "dd/mm/yyyy (tuổi đảng tính từ ngày này)", Example: "02/09/1995", Required: true, Date: true},
		{Key: "ceremony_on", Header: "Ngày lễ kết nạp", Help: "dd/mm/yyyy; trống: bằng ngày quyết định", Example: "15/09/1995", Date: true},
		{Key: "official_on", Header: "Ngày chính thức", Help: "dd/mm/yyyy; trống: đang dự bị", Example: "15/09/1996", Date: true},
		{Key: "status", Header: "Trạng thái", Help: "Chính thức hoặc Dự bị; trống: theo ngày chính thức", Example: "Chính thức"},
		{Key: "organization_id", Header: "Chi bộ", Help: "Mã chi bộ (xem trang Tổ chức)", Example: "binh-ngoc-khu-9", Required: true},
	}},
	{Name: SheetCandidates, Help: "Quần chúng đang theo dõi. Mỗi người một dòng; các bước đã làm ghi ở trang Quá trình.", Columns: []ImportColumn{
		{Key: "key", Header: "Mã", Help: "Mã riêng của người này trong bảng, không trùng", Example: "QC-0001", Required: true},
		{Key: "full_name", Header: "Họ và tên", Example: "Trần Thị Bình", Required: true},
		{Key: "gender", Header: "Giới tính", Help: "Nam hoặc Nữ", Example: "Nữ", Required: true},
		{Key: "birth_date", Header: "Ngày sinh", Help: "dd/mm/yyyy", Example: "20/10/1988", Required: true, Date: true},
		{Key: "ethnicity", Header: "Dân tộc", Example: "Kinh", Required: true},
		{Key: "religion", Header: "Tôn giáo", Example: "Không"},
		{Key: "education_general", Header: "Giáo dục phổ thông", Example: "Trung học phổ thông", Required: true},
		{Key: "education_professional", Header: "Chuyên môn", Example: "Đại học"},
		{Key: "occupation", Header: "Nghề nghiệp", Example: "Viên chức"},
		{Key: "youth_union", Header: "Đoàn viên", Help: "Có hoặc Không", Example: "Không"},
		{Key: "trade_union", Header: "Công đoàn", Help: "Có hoặc Không", Example: "Có"},
		{Key: "organization_id", Header: "Chi bộ", Help: "Mã chi bộ", Example: "binh-ngoc-khu-9", Required: true},
	}},
	{Name: SheetSteps, Help: "Các bước đã làm của quần chúng, mỗi bước một dòng, theo thứ tự thời gian. Mỗi bước được xét như khi ghi trên trang, theo ngày của bước.", Columns: []ImportColumn{
		{Key: "candidate", Header: "Mã quần chúng", Help: "Mã ở trang Quần chúng", Example: "QC-0001", Required: true},
		{Key: "kind", Header: "Bước", Help: "Tên bước như trên trang hồ sơ", Example: "Tạo nguồn, phân công đảng viên giúp đỡ", Required: true},
		{Key: "occurred_on", Header: "Ngày", Help: "dd/mm/yyyy", Example: "05/01/2026", Required: true, Date: true},
		{Key: "document_no", Header: "Số văn bản", Help: "Số giấy chứng nhận, nghị quyết, quyết định", Example: ""},
		{Key: "issued_by", Header: "Nơi cấp", Example: ""},
		{Key: "received_on", Header: "Ngày chi bộ nhận", Help: "Quyết định kết nạp: ngày chi bộ nhận", Date: true},
		{Key: "votes_eligible", Header: "Số được biểu quyết", Help: "Biểu quyết: số đảng viên chính thức được tính"},
		{Key: "votes_yes", Header: "Số tán thành"},
		{Key: "outcome", Header: "Kết quả", Help: "Thẩm tra lý lịch: Đạt hoặc Không đạt"},
		{Key: "helper_member_id", Header: "Người giúp đỡ", Help: "Mã đảng viên (trang Đảng viên)", Example: "DV-0001"},
		{Key: "route", Header: "Hình thức giới thiệu", Help: "Hai đảng viên, Đoàn hoặc Công đoàn"},
		{Key: "sponsor1", Header: "Người giới thiệu 1", Help: "Mã đảng viên"},
		{Key: "sponsor2", Header: "Người giới thiệu 2", Help: "Mã đảng viên"},
		{Key: "relation", Header: "Quan hệ", Help: "cùng công tác, cùng học tập hoặc cùng cư trú"},
		{Key: "known_since", Header: "Biết nhau từ", Help: "dd/mm/yyyy", Date: true},
	}},
}

// SheetByName returns a sheet of the layout.
func SheetByName(name string) (ImportSheet, bool) {
	for _, s := range ImportSheets {
		if s.Name == name {
			return s, true
		}
	}
	return ImportSheet{}, false
}

// ImportRow is one row of a sheet as read: its line in the file and its
// cells by column key.
type ImportRow struct {
	Line  int
	Cells map[string]string
}

// ImportTable is a sheet as read from the file.
type ImportTable struct {
	Sheet string
	Rows  []ImportRow
}

// ImportProblem is one error of an import, where it is.
type ImportProblem struct {
	Sheet   string
	Line    int
	Column  string // the column's heading; "" for the row as a whole
	Message string
}

// ImportChange is one row's effect.
type ImportChange struct {
	Sheet  string
	Line   int
	Name   string
	Action string // "create", "update", "same"
	Before string // on an update: what changes, before and after
	After  string
}

// ImportResult is what an import did, or would do.
type ImportResult struct {
	Changes  []ImportChange
	Problems []ImportProblem
	Applied  bool
}

// Counts returns how many rows create, update and change nothing.
func (r ImportResult) Counts() (create, update, same int) {
	for _, c := range r.Changes {
		switch c.Action {
		case "create":
			create++
		case "update":
			update++
		default:
			same++
		}
	}
	return
}

// ImportFile is a parsed upload.
type ImportFile struct {
	Name   string
	SHA256 string
	Tables []ImportTable
}

var errDryRun = errors.New("dry run")

// Import applies an uploaded workbook through the same services as the
// pages, in one transaction: each row in its own savepoint, so every row is
// judged and every problem reported; with commit false, or with any
// problem, nothing is written. The rows' own audit events give way to one
// event for the whole import, with the file's hash and what it did.
func (s *Service) Import(ctx context.Context, a Actor, f ImportFile, uploadID int64, commit bool) (ImportResult, error) {
	var res ImportResult
	meta := MetaFrom(ctx)
	inner := meta
	inner.FormToken = "" // the import claims the form once; its rows claim nothing
	ictx := WithRequestMeta(ctx, inner)
	err := s.DB.InTx(ctx, func(st Store) error {
		if commit {
			if err := once(ctx, st); err != nil {
				return err
			}
			// a confirmation applies its upload once
			if ok, err := st.ApplyUpload(ctx, uploadID, a.UserID); err != nil {
				return err
			} else if !ok {
				return ErrSubmitted
			}
		}
		root, err := st.Organization(ctx, a.ScopeOrgID, a.ScopePath)
		if err != nil {
			return err
		}
		sub := &Service{DB: savepoints{st}, Now: s.Now}
		im := importer{s: sub, st: st, a: a, root: root, res: &res, members: map[string]int64{}, candidates: map[string]int64{}}
		tables := map[string][]ImportRow{}
		for _, t := range f.Tables {
			tables[t.Sheet] = append(tables[t.Sheet], t.Rows...)
		}
		im.orgs(ictx, tables[SheetOrgs])
		im.memberRows(ictx, tables[SheetMembers])
		im.candidateRows(ictx, tables[SheetCandidates])
		im.stepRows(ictx, tables[SheetSteps])
		if len(res.Problems) > 0 || !commit {
			return errDryRun
		}
		create, update, same := res.Counts()
		return st.InsertAudit(ctx, s.audit(ctx, a, root.ID, "import.apply", "import", 0, nil, map[string]any{
			"upload": uploadID, "file": f.Name, "sha256": f.SHA256, "created": create, "updated": update, "unchanged": same}))
	})
	if errors.Is(err, errDryRun) {
		return res, nil
	}
	if err == nil {
		res.Applied = true
	}
	return res, err
}

// savepoints runs each service write of an import in a savepoint of the
// import's transaction, and keeps the rows' audit events out of the log:
// the import's one event stands for them.
type savepoints struct{ st Store }

func (p savepoints) InTx(ctx context.Context, fn func(Store) error) error {
	return p.st.Nested(ctx, func(st Store) error { return fn(quietStore{st}) })
}

type quietStore struct{ Store }

func (quietStore) InsertAudit(context.Context, *AuditEvent) error { return nil }

type importer struct {
	s          *Service
	st         Store
	a          Actor
	root       Organization
	res        *ImportResult
	members    map[string]int64 // sheet key → member id
	candidates map[string]int64 // sheet key → candidate id
}

// problem records an error of a row under the column that holds the field
// it names (or the row, when none does).
func (im *importer) problem(sheet string, line int, field, msg string) {
	col := ""
	if sh, ok := SheetByName(sheet); ok {
		for _, c := range sh.Columns {
			if c.Key == field || strings.HasPrefix(field, c.Key) {
				col = c.Header
			}
		}
	}
	im.res.Problems = append(im.res.Problems, ImportProblem{Sheet: sheet, Line: line, Column: col, Message: msg})
}

// refused records a service's refusal: each field's message under its column.
func (im *importer) refused(sheet string, line int, err error) {
	var e *Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			im.problem(sheet, line, k, e.Fields[k])
		}
		return
	}
	msg := MessageOf(err) // with the rule's citation
	field := ""
	if e != nil {
		field = e.Field
	}
	im.problem(sheet, line, field, msg)
}

func (im *importer) change(sheet string, line int, name, action, before, after string) {
	im.res.Changes = append(im.res.Changes, ImportChange{Sheet: sheet, Line: line, Name: name, Action: action, Before: before, After: after})
}

// required reports the row's empty required cells; false when any is.
func (im *importer) required(sheet string, r ImportRow) bool {
	sh, _ := SheetByName(sheet)
	ok := true
	for _, c := range sh.Columns {
		if c.Required && strings.TrimSpace(r.Cells[c.Key]) == "" {
			im.problem(sheet, r.Line, c.Key, "Cần nhập "+strings.ToLower(c.Header[:1])+c.Header[1:]+".")
			ok = false
		}
	}
	return ok
}

// date reads a date cell: dd/mm/yyyy, or the serial number Excel keeps.
func (im *importer) date(sheet string, r ImportRow, key string) (time.Time, bool) {
	v := strings.TrimSpace(r.Cells[key])
	if v == "" {
		return time.Time{}, true
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n > 1 && n < 2958466 && !strings.ContainsAny(v, "/.-") {
		// an Excel date: days since 30/12/1899
		return DateOf(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n))), true
	}
	d, err := ParseDate(v)
	if err != nil {
		im.problem(sheet, r.Line, key, fmt.Sprintf("Ngày “%s” không hợp lệ: viết theo dạng ngày/tháng/năm, ví dụ 03/07/2023.", v))
		return time.Time{}, false
	}
	return d, true
}

// org finds an organization of the user's scope by its code.
func (im *importer) org(ctx context.Context, sheet string, r ImportRow, key string) (Organization, bool) {
	code := strings.TrimSpace(r.Cells[key])
	if code == "" {
		return im.root, true
	}
	o, ok, err := im.st.OrganizationByCode(ctx, code)
	if err != nil || !ok || !im.a.InScope(o.Path) {
		im.problem(sheet, r.Line, key, fmt.Sprintf("Không có tổ chức mã “%s” trong phạm vi của bạn.", code))
		return o, false
	}
	return o, true
}

func (im *importer) orgs(ctx context.Context, rows []ImportRow) {
	for _, r := range rows {
		if !im.required(SheetOrgs, r) {
			continue
		}
		parent, ok := im.org(ctx, SheetOrgs, r, "parent_id")
		if !ok {
			continue
		}
		kind := map[string]string{"chi bo": KindCell, "dang bo": KindCommittee, "dang bo bo phan": KindCommittee}[SearchKey(r.Cells["kind"])]
		if kind == "" {
			im.problem(SheetOrgs, r.Line, "kind", "Loại tổ chức là “Chi bộ” hoặc “Đảng bộ”.")
			continue
		}
		code := strings.TrimSpace(r.Cells["code"])
		_, existed, _ := im.st.OrganizationByCode(ctx, code)
		if _, err := im.s.CreateOrganization(ctx, im.a, OrgInput{ParentID: parent.ID, Kind: kind, Name: r.Cells["name"], Code: code, IfMissing: true, HasYouthUnion: true}); err != nil {
			im.refused(SheetOrgs, r.Line, err)
			continue
		}
		im.change(SheetOrgs, r.Line, NormalizeName(r.Cells["name"]), map[bool]string{true: "same", false: "create"}[existed], "", "")
	}
}

var genders = map[string]string{"nam": Male, "nu": Female}

func yes(v string) bool {
	switch SearchKey(v) {
	case "co", "x", "1", "yes", "true", "dung":
		return true
	}
	return false
}

// person reads what every row of people has: its key (once in the sheet),
// the required cells, the cell, the birth date and the gender. ok is false
// when any of them is wrong, and each wrong one is reported; key is ""
// when the row was not read at all (a duplicate key or a missing cell).
func (im *importer) person(ctx context.Context, sheet string, r ImportRow, seen map[string]int) (key string, org Organization, birth time.Time, gender string, ok bool) {
	key = strings.TrimSpace(r.Cells["key"])
	if l, dup := seen[key]; dup && key != "" {
		im.problem(sheet, r.Line, "key", fmt.Sprintf("Mã “%s” trùng với dòng %d.", key, l))
		return "", org, birth, "", false
	}
	seen[key] = r.Line
	if !im.required(sheet, r) {
		return "", org, birth, "", false
	}
	org, ok1 := im.org(ctx, sheet, r, "organization_id")
	birth, ok2 := im.date(sheet, r, "birth_date")
	gender = genders[SearchKey(r.Cells["gender"])]
	if gender == "" {
		im.problem(sheet, r.Line, "gender", "Giới tính là “Nam” hoặc “Nữ”.")
	}
	return key, org, birth, gender, ok1 && ok2 && gender != ""
}

func (im *importer) memberRows(ctx context.Context, rows []ImportRow) {
	seen := map[string]int{}
	for _, r := range rows {
		key, org, birth, gender, ok := im.person(ctx, SheetMembers, r, seen)
		if key == "" && !ok {
			continue
		}
		admitted, ok2 := im.date(SheetMembers, r, "admitted_on")
		ceremony, ok3 := im.date(SheetMembers, r, "ceremony_on")
		official, ok4 := im.date(SheetMembers, r, "official_on")
		status := ""
		switch SearchKey(r.Cells["status"]) {
		case "":
		case "chinh thuc":
			status = MemberOfficial
			if official.IsZero() && ok4 {
				im.problem(SheetMembers, r.Line, "official_on", "Đảng viên chính thức cần ngày chính thức.")
				ok4 = false
			}
		case "du bi":
			status = MemberProbationary
			if !official.IsZero() {
				im.problem(SheetMembers, r.Line, "status", "Đảng viên dự bị không có ngày chính thức.")
				ok4 = false
			}
		default:
			im.problem(SheetMembers, r.Line, "status", "Trạng thái là “Chính thức” hoặc “Dự bị”.")
			ok4 = false
		}
		if !ok || !ok2 || !ok3 || !ok4 {
			continue
		}
		form := MemberForm{OrganizationID: org.ID, FullName: r.Cells["full_name"], Gender: gender, BirthDate: birth, AdmittedOn: admitted,
			CeremonyOn: ceremony, OfficialOn: official, Status: status, ConfirmDistinct: true, ExternalKey: key, IdempotencyKey: "nhap:dv:" + key,
			Composition: Composition{Ethnicity: r.Cells["ethnicity"], Religion: religionOf(r.Cells["religion"]), EducationGeneral: educationOf(r.Cells["education_general"])}}
		prev, existed, err := im.member(ctx, key)
		if err != nil {
			im.refused(SheetMembers, r.Line, err)
			continue
		}
		if existed {
			if !im.a.InScope(prev.OrgPath) {
				im.problem(SheetMembers, r.Line, "key", fmt.Sprintf("Mã “%s” đã dùng cho một đảng viên ngoài phạm vi của bạn.", key))
				continue
			}
			im.members[key] = prev.ID
			before, after := memberDiff(prev, form)
			if before == "" {
				im.change(SheetMembers, r.Line, prev.FullName, "same", "", "")
				continue
			}
			form.Status, form.IdempotencyKey = "", ""
			v := prev.Version
			form.ExpectedVersion = &v
			if _, err := im.s.UpdateMember(ctx, im.a, prev.ID, form); err != nil {
				im.refused(SheetMembers, r.Line, err)
				continue
			}
			im.change(SheetMembers, r.Line, prev.FullName, "update", before, after)
			continue
		}
		m, err := im.s.AddMember(ctx, im.a, form)
		if err != nil {
			im.refused(SheetMembers, r.Line, err)
			continue
		}
		im.members[key] = m.ID
		im.change(SheetMembers, r.Line, m.FullName, "create", "", "")
	}
}

// religionOf and educationOf read what people write in a sheet.
func religionOf(v string) string {
	if SearchKey(v) == "khong" {
		return ReligionNone
	}
	return strings.TrimSpace(v)
}

func educationOf(v string) string {
	k := SearchKey(v)
	for code, label := range EducationLabels {
		if SearchKey(label) == k || code == strings.TrimSpace(v) {
			return code
		}
	}
	return strings.TrimSpace(v)
}

// memberDiff says what an import row would change of a member, before and after.
func memberDiff(m Member, f MemberForm) (before, after string) {
	var b, a []string
	diff := func(label, x, y string) {
		if x != y {
			b, a = append(b, label+": "+x), append(a, label+": "+y)
		}
	}
	diff("Họ và tên", m.FullName, NormalizeName(f.FullName))
	diff("Giới tính", m.Gender, f.Gender)
	diff("Ngày sinh", FormatDate(m.BirthDate), FormatDate(f.BirthDate))
	diff("Ngày quyết định kết nạp", FormatDate(m.AdmittedOn), FormatDate(f.AdmittedOn))
	cer := f.CeremonyOn
	if cer.IsZero() {
		cer = f.AdmittedOn
	}
	diff("Ngày lễ kết nạp", FormatDate(m.CeremonyOn), FormatDate(cer))
	diff("Ngày chính thức", FormatDate(m.OfficialOn), FormatDate(f.OfficialOn))
	if f.OrganizationID != m.OrganizationID {
		b, a = append(b, "Chi bộ: (cũ)"), append(a, "Chi bộ: (mới)")
	}
	if f.Ethnicity != "" {
		diff("Dân tộc", m.Ethnicity, f.Ethnicity)
	}
	if f.Religion != "" {
		diff("Tôn giáo", m.Religion, f.Religion)
	}
	if f.EducationGeneral != "" {
		diff("Giáo dục phổ thông", EducationLabels[m.EducationGeneral], EducationLabels[f.EducationGeneral])
	}
	return strings.Join(b, "; "), strings.Join(a, "; ")
}

func (im *importer) candidateRows(ctx context.Context, rows []ImportRow) {
	seen := map[string]int{}
	for _, r := range rows {
		key, org, birth, gender, ok := im.person(ctx, SheetCandidates, r, seen)
		if !ok {
			continue
		}
		in := CandidateInput{OrganizationID: org.ID, FullName: r.Cells["full_name"], Gender: gender, BirthDate: birth,
			Ethnicity: strings.TrimSpace(r.Cells["ethnicity"]), Religion: religionOf(r.Cells["religion"]), EducationGeneral: educationOf(r.Cells["education_general"]),
			EducationProfessional: strings.TrimSpace(r.Cells["education_professional"]), Occupation: strings.TrimSpace(r.Cells["occupation"]),
			YouthUnion: yes(r.Cells["youth_union"]), TradeUnion: yes(r.Cells["trade_union"]), IdempotencyKey: CandidateImportKey(key)}
		prev, existed, err := im.candidate(ctx, key)
		if err != nil {
			im.refused(SheetCandidates, r.Line, err)
			continue
		}
		if existed {
			if _, err := im.st.Organization(ctx, prev.OrganizationID, im.a.ScopePath); err != nil {
				im.problem(SheetCandidates, r.Line, "key", fmt.Sprintf("Mã “%s” đã dùng cho một người ngoài phạm vi của bạn.", key))
				continue
			}
			im.candidates[key] = prev.ID
			judged, err := im.s.judgeCandidate(ctx, im.st, in)
			if err != nil {
				im.refused(SheetCandidates, r.Line, err)
				continue
			}
			before, after := candidateDiff(prev, judged)
			if before == "" {
				im.change(SheetCandidates, r.Line, prev.FullName, "same", "", "")
				continue
			}
			judged.IdempotencyKey = ""
			if _, err := im.s.UpdateProfile(ctx, im.a, prev.ID, judged, prev.Version); err != nil {
				im.refused(SheetCandidates, r.Line, err)
				continue
			}
			im.change(SheetCandidates, r.Line, prev.FullName, "update", before, after)
			continue
		}
		c, err := im.s.AddCandidate(ctx, im.a, in)
		if err != nil {
			im.refused(SheetCandidates, r.Line, err)
			continue
		}
		im.candidates[key] = c.ID
		im.change(SheetCandidates, r.Line, c.FullName, "create", "", "")
	}
}

// CandidateImportKey is the key that ties a candidate to its row in an
// import sheet, so that importing the sheet again changes nothing.
func CandidateImportKey(sheetKey string) string { return "nhap:qc:" + sheetKey }

// SheetKeyOf returns the sheet key of a candidate created by an import, or "".
func SheetKeyOf(idempotencyKey string) string {
	if k, ok := strings.CutPrefix(idempotencyKey, "nhap:qc:"); ok {
		return k
	}
	return ""
}

func candidateDiff(c Candidate, in CandidateInput) (before, after string) {
	var b, a []string
	diff := func(label, x, y string) {
		if x != y {
			b, a = append(b, label+": "+x), append(a, label+": "+y)
		}
	}
	diff("Họ và tên", c.FullName, in.FullName)
	diff("Giới tính", c.Gender, in.Gender)
	diff("Ngày sinh", FormatDate(c.BirthDate), FormatDate(in.BirthDate))
	diff("Dân tộc", c.Ethnicity, in.Ethnicity)
	diff("Tôn giáo", c.Religion, in.Religion)
	diff("Giáo dục phổ thông", EducationLabels[c.EducationGeneral], EducationLabels[in.EducationGeneral])
	diff("Chuyên môn", c.EducationProfessional, in.EducationProfessional)
	diff("Nghề nghiệp", c.Occupation, in.Occupation)
	diff("Đoàn viên", fmt.Sprint(c.YouthUnion), fmt.Sprint(in.YouthUnion))
	diff("Công đoàn", fmt.Sprint(c.TradeUnion), fmt.Sprint(in.TradeUnion))
	if c.OrganizationID != in.OrganizationID {
		b, a = append(b, "Chi bộ: (cũ)"), append(a, "Chi bộ: (mới)")
	}
	return strings.Join(b, "; "), strings.Join(a, "; ")
}

// kindOf reads a step's name as written in a sheet: its label, or its form.
func kindOf(v string) (StepDef, bool) {
	k := SearchKey(v)
	for _, d := range Steps {
		if SearchKey(d.Label) == k || string(d.Kind) == strings.TrimSpace(v) || (d.Form != "" && SearchKey("mau "+d.Form) == k) {
			return d, true
		}
	}
	return StepDef{}, false
}

var routes = map[string]string{"hai dang vien": RouteTwoSponsors, "doan": RouteYouthUnion, "cong doan": RouteTradeUnion}
var relations = map[string]string{"cung cong tac": RelationWorked, "cung hoc tap": RelationStudied, "cung cu tru": RelationLived}

func (im *importer) stepRows(ctx context.Context, rows []ImportRow) {
	type planned struct {
		r   ImportRow
		in  StepInput
		key string
		def StepDef
	}
	var steps []planned
	for _, r := range rows {
		if !im.required(SheetSteps, r) {
			continue
		}
		ok := true
		def, known := kindOf(r.Cells["kind"])
		if !known {
			im.problem(SheetSteps, r.Line, "kind", fmt.Sprintf("Không có bước “%s” trong quy trình: viết tên bước như trên trang hồ sơ.", r.Cells["kind"]))
			ok = false
		}
		key := strings.TrimSpace(r.Cells["candidate"])
		if _, found := im.candidates[key]; !found {
			im.problem(SheetSteps, r.Line, "candidate", fmt.Sprintf("Không có quần chúng mã “%s” ở trang Quần chúng.", key))
			ok = false
		}
		on, ok1 := im.date(SheetSteps, r, "occurred_on")
		received, ok2 := im.date(SheetSteps, r, "received_on")
		since, ok3 := im.date(SheetSteps, r, "known_since")
		in := StepInput{Kind: def.Kind, OccurredOn: on, ReceivedOn: received, DocumentNo: strings.TrimSpace(r.Cells["document_no"]), IssuedBy: strings.TrimSpace(r.Cells["issued_by"]), VotesExemptAbsent: -1}
		for _, n := range []struct {
			key string
			to  *int
		}{{"votes_eligible", &in.VotesEligible}, {"votes_yes", &in.VotesYes}} {
			if v := strings.TrimSpace(r.Cells[n.key]); v != "" {
				x, err := strconv.Atoi(v)
				if err != nil || x < 0 {
					im.problem(SheetSteps, r.Line, n.key, fmt.Sprintf("“%s” không phải một số đếm.", v))
					ok = false
				}
				*n.to = x
			}
		}
		switch SearchKey(r.Cells["outcome"]) {
		case "":
		case "dat":
			in.Outcome = OutcomePassed
		case "khong dat":
			in.Outcome = OutcomeFailed
		default:
			im.problem(SheetSteps, r.Line, "outcome", "Kết quả là “Đạt” hoặc “Không đạt”.")
			ok = false
		}
		member := func(col string) int64 {
			v := strings.TrimSpace(r.Cells[col])
			if v == "" {
				return 0
			}
			if id, found := im.members[v]; found {
				return id
			}
			if m, found, err := im.member(ctx, v); err == nil && found && im.a.InScope(m.OrgPath) {
				return m.ID
			}
			im.problem(SheetSteps, r.Line, col, fmt.Sprintf("Không có đảng viên mã “%s”.", v))
			ok = false
			return 0
		}
		in.HelperMemberID = member("helper_member_id")
		if def.Has(FieldRoute) {
			in.Route = routes[SearchKey(r.Cells["route"])]
			if in.Route == "" {
				in.Route = RouteTwoSponsors
			}
			rel := relations[SearchKey(r.Cells["relation"])]
			for _, col := range []string{"sponsor1", "sponsor2"} {
				if id := member(col); id != 0 {
					in.Sponsors = append(in.Sponsors, Sponsor{MemberID: id, KnownSince: since, Relation: rel})
				}
			}
		}
		if !ok || !ok1 || !ok2 || !ok3 {
			continue
		}
		steps = append(steps, planned{r: r, in: in, key: key, def: def})
	}
	// each candidate's steps in the order they happened
	sort.SliceStable(steps, func(i, j int) bool {
		if steps[i].key != steps[j].key {
			return steps[i].key < steps[j].key
		}
		return steps[i].in.OccurredOn.Before(steps[j].in.OccurredOn)
	})
	failed := map[string]bool{}
	n := map[string]int{}
	for _, p := range steps {
		if failed[p.key] {
			im.problem(SheetSteps, p.r.Line, "", "Bỏ qua: một bước trước của người này không ghi được.")
			continue
		}
		n[p.key+string(p.in.Kind)+FormatDate(p.in.OccurredOn)]++
		p.in.IdempotencyKey = fmt.Sprintf("nhap:qc:%s:%s:%s:%d", p.key, p.in.Kind, p.in.OccurredOn.Format("20060102"), n[p.key+string(p.in.Kind)+FormatDate(p.in.OccurredOn)])
		id := im.candidates[p.key]
		recorded, err := im.st.Steps(ctx, id)
		if err != nil {
			im.refused(SheetSteps, p.r.Line, err)
			failed[p.key] = true
			continue
		}
		same := false
		for _, x := range Effective(recorded) {
			same = same || (x.Kind == p.in.Kind && x.OccurredOn.Equal(p.in.OccurredOn))
		}
		if same {
			im.change(SheetSteps, p.r.Line, p.key+": "+p.def.Label, "same", "", "")
			continue
		}
		if _, err := im.s.RecordStep(ctx, im.a, id, p.in); err != nil {
			im.refused(SheetSteps, p.r.Line, err)
			failed[p.key] = true
			continue
		}
		im.change(SheetSteps, p.r.Line, p.key+": "+p.def.Label, "create", "", "")
	}
}

// Keys of an exported sheet for records that have no key of their own.
const (
	exportMemberKey    = "ketnap-dv-"
	exportCandidateKey = "ketnap-qc-"
)

// MemberSheetKey is a member's key in an exported sheet.
func MemberSheetKey(m Member) string {
	if m.ExternalKey != "" {
		return m.ExternalKey
	}
	return exportMemberKey + strconv.FormatInt(m.ID, 10)
}

// CandidateSheetKey is a candidate's key in an exported sheet.
func CandidateSheetKey(c Candidate, idempotencyKey string) string {
	if k := SheetKeyOf(idempotencyKey); k != "" {
		return k
	}
	return exportCandidateKey + strconv.FormatInt(c.ID, 10)
}

// member finds the member a sheet's key names: one exported by ketnap, or
// one imported (or entered) with that key.
func (im *importer) member(ctx context.Context, key string) (Member, bool, error) {
	if n, ok := strings.CutPrefix(key, exportMemberKey); ok {
		id, err := strconv.ParseInt(n, 10, 64)
		if err != nil {
			return Member{}, false, nil
		}
		ms, err := im.st.Members(ctx, []int64{id})
		m, found := ms[id]
		return m, found && im.a.InScope(m.OrgPath), err
	}
	return im.st.MemberByKey(ctx, key)
}

// candidate finds the candidate a sheet's key names.
func (im *importer) candidate(ctx context.Context, key string) (Candidate, bool, error) {
	if n, ok := strings.CutPrefix(key, exportCandidateKey); ok {
		id, err := strconv.ParseInt(n, 10, 64)
		if err != nil {
			return Candidate{}, false, nil
		}
		c, err := im.st.Candidate(ctx, id, im.a.ScopePath)
		if ErrorCode(err) == NotFound {
			return c, false, nil
		}
		return c, err == nil, err
	}
	return im.st.CandidateByKey(ctx, CandidateImportKey(key))
}

// Upload is an import file kept between its preview and its confirmation.
type Upload struct {
	ID, UserID, OrgID int64
	Name, SHA256      string
	Encoding          string
	Data              []byte
	CreatedAt         time.Time
	Applied           bool
}

// uploadKeep is how long an upload waits for its confirmation.
const uploadKeep = 24 * time.Hour

// StageUpload keeps an uploaded file for its preview and confirmation, and
// records who uploaded which file (its hash, not its content).
func (s *Service) StageUpload(ctx context.Context, a Actor, u Upload) (int64, error) {
	if a.Role == RoleViewer {
		return 0, forbidden("Vai trò của bạn chỉ được xem, không được nhập dữ liệu.")
	}
	err := s.DB.InTx(ctx, func(st Store) error {
		if err := st.PruneUploads(ctx, s.clock().Add(-uploadKeep)); err != nil {
			return err
		}
		u.UserID, u.OrgID = a.UserID, a.ScopeOrgID
		if err := st.InsertUpload(ctx, &u); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, a.ScopeOrgID, "import.upload", "import", u.ID, nil, map[string]any{"file": u.Name, "sha256": u.SHA256, "bytes": len(u.Data)}))
	})
	return u.ID, err
}

// UploadOf returns one of the user's own uploads.
func (s *Service) UploadOf(ctx context.Context, a Actor, id int64) (Upload, error) {
	var u Upload
	err := s.DB.InTx(ctx, func(st Store) error {
		var err error
		u, err = st.Upload(ctx, id, a.UserID)
		return err
	})
	return u, err
}

// clock is the service's instant (the one clock; SystemClock when nil).
func (s *Service) clock() time.Time {
	if s.Now == nil {
		return SystemClock()
	}
	return s.Now()
}
