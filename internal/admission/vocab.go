package admission

import (
	"context"
	"strings"
)

// Vocabulary kinds: the fields reports group by. General education is a
// fixed code set (EducationLabels); these are data that admins extend.
const (
	VocabEthnicity    = "ethnicity"
	VocabReligion     = "religion"
	VocabProfessional = "professional"
	VocabTheory       = "theory"
	VocabOccupation   = "occupation"
)

// VocabKinds are the vocabularies in the order the admin page shows them.
var VocabKinds = []string{VocabEthnicity, VocabReligion, VocabProfessional, VocabTheory, VocabOccupation}

// VocabOfField names the vocabulary of each form field chosen from one
// (candidate and member forms alike).
var VocabOfField = map[string]string{"ethnicity": VocabEthnicity, "religion": VocabReligion,
	"education_professional": VocabProfessional, "political_theory": VocabTheory, "occupation": VocabOccupation}

// VocabLabels name the vocabularies.
var VocabLabels = map[string]string{
	VocabEthnicity:    "Dân tộc",
	VocabReligion:     "Tôn giáo",
	VocabProfessional: "Trình độ chuyên môn",
	VocabTheory:       "Lý luận chính trị",
	VocabOccupation:   "Nghề nghiệp",
}

// The entries the reports single out.
const (
	EthnicityMajority = "Kinh"     // anyone else counts as an ethnic minority
	ReligionNone      = "Không"    // anyone else counts as religious
	LevelNone         = "Không có" // no professional level, no political theory
	OccupationOwner   = "Chủ doanh nghiệp tư nhân"
)

// VocabEntry is one value of a vocabulary.
type VocabEntry struct {
	ID       int64
	Kind     string
	Label    string
	Position int
	Common   bool // offered first in the forms' selects
}

// Vocabularies are every entry by kind, in their order.
type Vocabularies map[string][]VocabEntry

// Has reports whether label is an entry of kind.
func (v Vocabularies) Has(kind, label string) bool {
	for _, e := range v[kind] {
		if e.Label == label {
			return true
		}
	}
	return false
}

// Canonical returns the entry of kind that text names, ignoring case,
// spacing and Unicode form (not diacritics: "Thai" is not "Thái").
func (v Vocabularies) Canonical(kind, text string) (string, bool) {
	t := strings.ToLower(NormalizeName(text))
	for _, e := range v[kind] {
		if strings.ToLower(e.Label) == t {
			return e.Label, true
		}
	}
	return "", false
}

// check validates the vocabulary fields of a form: each must be an entry
// (empty allowed where allowEmpty says so). It canonicalizes spelling.
func (v Vocabularies) check(fields map[string]string, values map[string]*string, kinds map[string]string, allowEmpty bool) {
	for field, p := range values {
		kind := kinds[field]
		if *p == "" && allowEmpty {
			continue
		}
		if c, ok := v.Canonical(kind, *p); ok {
			*p = c
			continue
		}
		if *p == "" {
			fields[field] = "Chọn " + strings.ToLower(VocabLabels[kind]) + "."
		} else {
			fields[field] = "“" + *p + "” không có trong danh mục " + strings.ToLower(VocabLabels[kind]) + "; chọn trong danh sách hoặc nhờ quản trị viên thêm vào danh mục."
		}
	}
}

// VocabInput is a new vocabulary entry.
type VocabInput struct {
	Kind   string
	Label  string
	Common bool
}

// AddVocabEntry adds an entry to a vocabulary (admin), audited.
func (s *Service) AddVocabEntry(ctx context.Context, a Actor, in VocabInput) (VocabEntry, error) {
	if !Can(a, ActAdminister, a.ScopePath) {
		return VocabEntry{}, forbidden("Chỉ quản trị viên được thêm vào danh mục.")
	}
	in.Label = NormalizeName(in.Label)
	if _, ok := VocabLabels[in.Kind]; !ok {
		return VocabEntry{}, invalidField("kind", "Chọn danh mục.")
	}
	switch n := len([]rune(in.Label)); {
	case n == 0:
		return VocabEntry{}, invalidField("label", "Cần nhập tên mục.")
	case n > 100:
		return VocabEntry{}, invalidField("label", "Tên mục dài quá 100 ký tự.")
	case strings.ContainsFunc(in.Label, isControl):
		return VocabEntry{}, invalidField("label", "Tên mục có ký tự không hợp lệ.")
	}
	var out VocabEntry
	err := s.DB.InTx(ctx, func(st Store) error {
		if err := once(ctx, st); err != nil {
			return err
		}
		v, err := st.Vocabularies(ctx)
		if err != nil {
			return err
		}
		if c, ok := v.Canonical(in.Kind, in.Label); ok {
			return invalidField("label", "“"+c+"” đã có trong danh mục "+strings.ToLower(VocabLabels[in.Kind])+".")
		}
		out = VocabEntry{Kind: in.Kind, Label: in.Label, Common: in.Common, Position: len(v[in.Kind]) + 1}
		if err := st.InsertVocabEntry(ctx, &out); err != nil {
			return err
		}
		return st.InsertAudit(ctx, s.audit(ctx, a, 0, "vocabulary.add", "vocabulary", out.ID, nil, out))
	})
	return out, err
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
