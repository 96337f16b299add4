package admission

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// The period report of new members, modeled on "Biểu 2-BTCTW — Thống kê
// đảng viên mới kết nạp" (11-HD/BTCTW; domain.md, "What committees report").
// A member counts in a period by AdmittedIn (the decision date by default,
// the ceremony date as an option). Each row is named by a key; RowMatches
// says in Go what the store counts in SQL, and the tests hold them equal.

// Period is a range of days, both ends included.
type Period struct {
	Key      string // "2026-h1", "2026-9t", "2026", "2026-h2", or "tu-dd-mm-yyyy-den-dd-mm-yyyy"
	Name     string // "6 tháng đầu năm 2026"
	From, To time.Time
}

// PeriodOf parses a period key. Named periods: a year ("2026"), its halves
// ("2026-h1", "2026-h2"), its first nine months ("2026-9t"); any range as
// "tu-01-03-2026-den-31-05-2026".
func PeriodOf(key string) (Period, bool) {
	key = strings.TrimSpace(key)
	if strings.HasPrefix(key, "tu-") {
		parts := strings.SplitN(strings.TrimPrefix(key, "tu-"), "-den-", 2)
		if len(parts) != 2 {
			return Period{}, false
		}
		from, err1 := ParseDate(strings.ReplaceAll(parts[0], "-", "/"))
		to, err2 := ParseDate(strings.ReplaceAll(parts[1], "-", "/"))
		if err1 != nil || err2 != nil || to.Before(from) || to.Sub(from) > 20*366*24*time.Hour {
			return Period{}, false
		}
		return RangePeriod(from, to), true
	}
	year, suffix, _ := strings.Cut(key, "-")
	y, err := strconv.Atoi(year)
	if err != nil || y < 1930 || y > 2100 || len(year) != 4 {
		return Period{}, false
	}
	p := Period{Key: key}
	switch suffix {
	case "":
		p.Name, p.From, p.To = fmt.Sprintf("Năm %d", y), Day(y, 1, 1), Day(y, 12, 31)
	case "h1":
		p.Name, p.From, p.To = fmt.Sprintf("6 tháng đầu năm %d", y), Day(y, 1, 1), Day(y, 6, 30)
	case "h2":
		p.Name, p.From, p.To = fmt.Sprintf("6 tháng cuối năm %d", y), Day(y, 7, 1), Day(y, 12, 31)
	case "9t":
		p.Name, p.From, p.To = fmt.Sprintf("9 tháng đầu năm %d", y), Day(y, 1, 1), Day(y, 9, 30)
	default:
		return Period{}, false
	}
	return p, true
}

// RangePeriod is any range of days.
func RangePeriod(from, to time.Time) Period {
	return Period{Key: "tu-" + strings.ReplaceAll(FormatDate(from), "/", "-") + "-den-" + strings.ReplaceAll(FormatDate(to), "/", "-"),
		Name: "Từ " + FormatDate(from) + " đến " + FormatDate(to), From: DateOf(from), To: DateOf(to)}
}

// LastYear is the same period a year earlier (29/02 becomes 28/02).
func (p Period) LastYear() Period {
	back := func(d time.Time) time.Time {
		if d.Month() == time.February && d.Day() == 29 {
			return Day(d.Year()-1, 2, 28)
		}
		return Day(d.Year()-1, d.Month(), d.Day())
	}
	if q, ok := PeriodOf(p.Key); ok && !strings.HasPrefix(p.Key, "tu-") {
		y := p.From.Year() - 1
		q, _ = PeriodOf(strconv.Itoa(y) + strings.TrimPrefix(q.Key, strconv.Itoa(p.From.Year())))
		return q
	}
	return RangePeriod(back(p.From), back(p.To))
}

// NamedPeriods are the periods the report offers, most recent first: this
// year's and last year's.
func NamedPeriods(today time.Time) []Period {
	var out []Period
	for _, y := range []int{today.Year(), today.Year() - 1} {
		for _, s := range []string{"", "-9t", "-h2", "-h1"} {
			p, _ := PeriodOf(strconv.Itoa(y) + s)
			if !p.From.After(today) {
				out = append(out, p)
			}
		}
	}
	return out
}

// AgeBand is a band of ages at admission, both ends included.
type AgeBand struct {
	Key      string
	Label    string
	Min, Max int
}

// AgeBands are the report's bands (11-HD/BTCTW): 18–30, then five-year
// bands, and over 60. An age below 18 (a data error) falls in the first.
var AgeBands = []AgeBand{
	{"age:18-30", "Từ 18 đến 30 tuổi", 0, 30}, {"age:31-35", "Từ 31 đến 35 tuổi", 31, 35}, {"age:36-40", "Từ 36 đến 40 tuổi", 36, 40},
	{"age:41-45", "Từ 41 đến 45 tuổi", 41, 45}, {"age:46-50", "Từ 46 đến 50 tuổi", 46, 50}, {"age:51-55", "Từ 51 đến 55 tuổi", 51, 55},
	{"age:56-60", "Từ 56 đến 60 tuổi", 56, 60}, {"age:61-", "Trên 60 tuổi", 61, 200},
}

// AgeAt is a person's age in full years on day d.
func AgeAt(birth, d time.Time) int { return FullMonths(birth, d) / 12 }

// ReportRow is one row of the report: a key the store counts, a label,
// and how far it is indented under its heading.
type ReportRow struct {
	Key     string
	Label   string
	Heading bool // a heading row: no number of its own
	Indent  int
}

// Fixed row keys.
const (
	RowTotal      = "total"
	RowWomen      = "women"
	RowMinority   = "minority"
	RowReligious  = "religious"
	RowYouth      = "youth"
	RowReadmitted = "readmitted"
	RowOwner      = "owner"
	RowAvgAge     = "avg_age"
)

// Grouped row keys: "ethnicity:Tày", "religion:Phật giáo", "edu:primary",
// "professional:Đại học", "theory:Sơ cấp", "occupation:Hưu trí", "age:31-35".
// An empty value ("occupation:") counts members whose value is not known.

// ReportRows are the rows of the main table, with the vocabularies' entries.
func ReportRows(v Vocabularies) []ReportRow {
	rows := []ReportRow{
		{Key: RowTotal, Label: "Tổng số đảng viên mới kết nạp"},
		{Key: RowWomen, Label: "Nữ", Indent: 1},
		{Key: RowMinority, Label: "Người dân tộc thiểu số", Indent: 1},
		{Key: RowReligious, Label: "Người theo tôn giáo", Indent: 1},
		{Key: RowYouth, Label: "Đoàn viên Đoàn TNCS Hồ Chí Minh", Indent: 1},
		{Key: RowReadmitted, Label: "Kết nạp lại", Indent: 1},
		{Key: RowOwner, Label: "Chủ doanh nghiệp tư nhân", Indent: 1},
		{Label: "Độ tuổi khi kết nạp", Heading: true},
	}
	for _, b := range AgeBands {
		rows = append(rows, ReportRow{Key: b.Key, Label: b.Label, Indent: 1})
	}
	rows = append(rows, ReportRow{Key: RowAvgAge, Label: "Tuổi bình quân", Indent: 1},
		ReportRow{Label: "Trình độ giáo dục phổ thông", Heading: true})
	for _, e := range []string{EduPrimary, EduLowerSecondary, EduUpperSecondary, EduLiteracy, ""} {
		rows = append(rows, ReportRow{Key: "edu:" + e, Label: eduRowLabel(e), Indent: 1})
	}
	for _, g := range []struct{ kind, heading string }{
		{VocabProfessional, "Trình độ chuyên môn"}, {VocabTheory, "Trình độ lý luận chính trị"}, {VocabOccupation, "Nghề nghiệp"},
	} {
		rows = append(rows, ReportRow{Label: g.heading, Heading: true})
		for _, e := range v[g.kind] {
			rows = append(rows, ReportRow{Key: g.kind + ":" + e.Label, Label: e.Label, Indent: 1})
		}
		rows = append(rows, ReportRow{Key: g.kind + ":", Label: "Chưa rõ", Indent: 1})
	}
	return rows
}

func eduRowLabel(e string) string {
	if e == "" {
		return "Chưa rõ"
	}
	return EducationLabels[e]
}

// CompositionRows are the rows of the second table (Biểu 2B): each
// ethnicity and each religion, which the report shows with a women column.
func CompositionRows(v Vocabularies) (ethnicity, religion []ReportRow) {
	for _, e := range v[VocabEthnicity] {
		ethnicity = append(ethnicity, ReportRow{Key: VocabEthnicity + ":" + e.Label, Label: e.Label})
	}
	for _, e := range v[VocabReligion] {
		religion = append(religion, ReportRow{Key: VocabReligion + ":" + e.Label, Label: e.Label})
	}
	return ethnicity, religion
}

// RowTitle names the people a row counts ("Đảng viên mới kết nạp — Nữ",
// "… — Trình độ chuyên môn: Đại học"); false when key is no row of the
// report (nor of Biểu 2B).
func RowTitle(key string, v Vocabularies) (string, bool) {
	const who = "Đảng viên mới kết nạp"
	if key == RowTotal {
		return who, true
	}
	if key == RowAvgAge {
		return "", false
	}
	heading := ""
	for _, r := range ReportRows(v) {
		switch {
		case r.Heading:
			heading = r.Label
		case r.Key == key && heading == "":
			return who + " — " + r.Label, true
		case r.Key == key:
			first, n := utf8.DecodeRuneInString(r.Label)
			return who + " — " + heading + ": " + string(unicode.ToLower(first)) + r.Label[n:], true
		}
	}
	eth, rel := CompositionRows(v)
	for _, r := range append(eth, rel...) {
		if r.Key == key {
			kind, _, _ := strings.Cut(key, ":")
			return who + " — " + VocabLabels[kind] + ": " + r.Label, true
		}
	}
	return "", false
}

// RowMatches reports whether member m, admitted on day d (by the report's
// basis), counts in the row named key. It is the definition the store's SQL
// follows.
func RowMatches(key string, m Member, d time.Time) bool {
	c := m.Composition
	switch key {
	case RowTotal:
		return true
	case RowWomen:
		return m.Gender == Female
	case RowMinority:
		return c.Ethnicity != "" && c.Ethnicity != EthnicityMajority
	case RowReligious:
		return c.Religion != "" && c.Religion != ReligionNone
	case RowYouth:
		return c.YouthUnion
	case RowReadmitted:
		return c.Readmission
	case RowOwner:
		return c.Occupation == OccupationOwner
	}
	kind, value, ok := strings.Cut(key, ":")
	if !ok {
		return false
	}
	switch kind {
	case "age":
		for _, b := range AgeBands {
			if b.Key == key {
				a := AgeAt(m.BirthDate, d)
				return a >= b.Min && a <= b.Max
			}
		}
		return false
	case "edu":
		return c.EducationGeneral == value
	case VocabEthnicity:
		return c.Ethnicity == value
	case VocabReligion:
		return c.Religion == value
	case VocabProfessional:
		return c.EducationProfessional == value
	case VocabTheory:
		return c.PoliticalTheory == value
	case VocabOccupation:
		return c.Occupation == value
	}
	return false
}

// Count is a row's number and how many of them are women.
type Count struct {
	N, Women int
}

// ReportCounts are the counts of one period by row key, with the average
// age (in tenths of a year, rounded) and the cells.
type ReportCounts struct {
	Rows          map[string]Count
	AgeTenths     int // average age at admission ×10; 0 when nobody
	CellsAdmit    int // cells that admitted someone in the period
	CellsNoneOpen int // cells with no candidate left open at the period's end
	Cells         int
}

// Ratio is this period's number as a percentage of last year's, "" when
// last year had none.
func Ratio(now, before int) string {
	t, ok := RatioTenths(now, before)
	if !ok {
		return ""
	}
	return FormatTenths(t)
}

// RatioTenths is now as a percentage of before in tenths (200,0 % is
// 2000), rounded; false when before is 0.
func RatioTenths(now, before int) (int, bool) {
	if before == 0 {
		return 0, false
	}
	return (now*1000 + before/2) / before, true
}

// FormatTenths writes 34.5 years as "34,5".
func FormatTenths(n int) string {
	return strconv.Itoa(n/10) + "," + strconv.Itoa(n%10)
}

// Pipeline is how the candidates stood on the last day of a period.
type Pipeline struct {
	ByStage          map[Stage]int // reconstructed from the steps dated up to that day
	AwarenessClass   int           // awareness class certificates dated in the period
	Recognised       int           // members recognised official in the period
	RemovedProbation int           // probationary members removed in the period
	OverdueProbation int           // probation ended by the period's end, not recognised
}

// StageOn derives a candidate's stage on day d from the steps dated up to d.
func StageOn(steps []Step, d time.Time) Stage {
	var upto []Step
	for _, s := range steps {
		if !s.OccurredOn.After(d) {
			upto = append(upto, s)
		}
	}
	return DeriveStage(upto)
}

// Together runs fns at once and returns the first error, once all have
// returned. A report's counts are statements of their own, each on its
// own connection: run one after another, a province's recount took 2.4 s
// of one core while the other waited.
func Together(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
