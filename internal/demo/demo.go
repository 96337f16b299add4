// Package demo loads the demonstration ward "Đảng bộ phường Bình Ngọc": its
// cells, their members, and candidates at every stage, recorded through the
// admission service like any real entry. Loading twice adds nothing.
package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/postgres"
)

// RootCode is the code of the demo ward committee.
const RootCode = "binh-ngoc"

type cellSpec struct {
	code, name string
	members    int
}

var cells = []cellSpec{
	{"binh-ngoc-khu-1", "Chi bộ khu 1", 18},
	{"binh-ngoc-khu-2", "Chi bộ khu 2", 15},
	{"binh-ngoc-khu-3", "Chi bộ khu 3", 12},
	{"binh-ngoc-khu-4", "Chi bộ khu 4", 20},
	{"binh-ngoc-khu-5", "Chi bộ khu 5", 11},
	{"binh-ngoc-khu-6", "Chi bộ khu 6", 14},
	{"binh-ngoc-thcs", "Chi bộ Trường THCS Bình Ngọc", 16},
	{"binh-ngoc-tram-y-te", "Chi bộ Trạm Y tế phường", 10},
}

var (
	familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đoàn", "Lương"}
	maleMiddle  = []string{"Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thành", "Xuân", "Đình", "Tuấn"}
	femaleMid   = []string{"Thị", "Thị", "Thu", "Ngọc", "Thanh", "Thúy", "Diệu", "Kim", "Hồng", "Mai"}
	maleGiven   = []string{"An", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Hải", "Hiếu", "Hùng", "Khánh", "Long", "Mạnh", "Nam", "Phong", "Phúc", "Quân", "Sơn", "Thắng", "Thịnh", "Trung", "Tùng", "Việt", "Vinh", "Lộc", "Toàn"}
	femaleGiven = []string{"Anh", "Ánh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền", "Lan", "Linh", "Loan", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thuận", "Trang", "Yến"}
)

func name(r *rand.Rand, gender string) string {
	if gender == admission.Female {
		return familyNames[r.IntN(len(familyNames))] + " " + femaleMid[r.IntN(len(femaleMid))] + " " + femaleGiven[r.IntN(len(femaleGiven))]
	}
	return familyNames[r.IntN(len(familyNames))] + " " + maleMiddle[r.IntN(len(maleMiddle))] + " " + maleGiven[r.IntN(len(maleGiven))]
}

// Actor is the system actor the demo records with.
func Actor(rootPath string) admission.Actor {
	return admission.Actor{Username: "demo", FullName: "Dữ liệu mẫu", Role: admission.RoleAdmin, ScopePath: rootPath}
}

// Result counts what a load created.
type Result struct {
	Organizations, Members, Candidates, Steps int
}

// Load creates the demo ward. today anchors every date, so the demo always
// has work due and overdue.
func Load(ctx context.Context, db *postgres.DB, svc *admission.Service, today time.Time, log *slog.Logger) (Result, error) {
	var res Result
	r := rand.New(rand.NewPCG(2025, 7))
	if err := svc.EnsureHolidays(ctx, today.Year()-6, today.Year()+2); err != nil {
		return res, err
	}
	everyTree := Actor("/")
	root, err := svc.CreateOrganization(ctx, everyTree, admission.OrgInput{Kind: admission.KindCommittee, Name: "Đảng bộ phường Bình Ngọc", Code: RootCode, HasYouthUnion: true, IfMissing: true})
	if err != nil {
		return res, err
	}
	res.Organizations++
	actor := Actor(root.Path)
	for ci, cs := range cells {
		cell, err := svc.CreateOrganization(ctx, actor, admission.OrgInput{ParentID: root.ID, Kind: admission.KindCell, Name: cs.name, Code: cs.code, HasYouthUnion: true, IfMissing: true})
		if err != nil {
			return res, err
		}
		res.Organizations++
		var official []int64
		for i := 0; i < cs.members; i++ {
			gender := admission.Male
			if r.IntN(100) < 45 {
				gender = admission.Female
			}
			birth := admission.Day(1948+r.IntN(50), time.Month(1+r.IntN(12)), 1+r.IntN(28))
			admitted := birth.AddDate(22+r.IntN(12), r.IntN(12), r.IntN(28))
			status, officialOn := admission.MemberOfficial, admission.AddMonths(admitted, 12)
			if i%7 == 6 { // a few probationary members, admitted within the last year
				admitted = today.AddDate(0, -1-r.IntN(10), -r.IntN(20))
				if !birth.AddDate(18, 0, 0).Before(admitted) {
					birth = admitted.AddDate(-25, 0, 0)
				}
				status, officialOn = admission.MemberProbationary, time.Time{}
			}
			if status == admission.MemberOfficial && admitted.After(today.AddDate(-6, 0, 0)) {
				// sponsors and helpers must have been official long before the oldest demo path began
				admitted = today.AddDate(-6-r.IntN(10), -r.IntN(12), 0)
				officialOn = admission.AddMonths(admitted, 12)
			}
			if admission.FullMonths(birth, admitted) < 20*12 {
				birth = admitted.AddDate(-25, 0, 0) // admitted at 25
			}
			ceremony := admitted.AddDate(0, 0, 10+r.IntN(15))
			if ceremony.After(today) {
				ceremony = today
			}
			if status == admission.MemberOfficial {
				officialOn = admission.AddMonths(ceremony, 12)
			}
			m, err := svc.AddMember(ctx, actor, admission.MemberForm{
				OrganizationID: cell.ID, FullName: name(r, gender), Gender: gender, BirthDate: birth, Composition: composition(r),
				Status: status, AdmittedOn: admitted, CeremonyOn: ceremony, OfficialOn: officialOn, ConfirmDistinct: true,
				ExternalKey: fmt.Sprintf("demo-%s-%02d", cs.code, i+1), IdempotencyKey: fmt.Sprintf("demo-%s-%02d", cs.code, i+1),
			})
			if err != nil {
				return res, fmt.Errorf("member %s/%d: %w", cs.code, i+1, err)
			}
			res.Members++
			if status == admission.MemberOfficial {
				official = append(official, m.ID)
			}
		}
		if cs.code == "binh-ngoc-khu-2" {
			// the committee's own example: admitted by a June 2023 decision, ceremony on 03/07/2023
			m, err := svc.AddMember(ctx, actor, admission.MemberForm{OrganizationID: cell.ID, FullName: "Hoàng Thị Thuận", Gender: admission.Female,
				BirthDate: admission.Day(1991, 9, 14), AdmittedOn: admission.Day(2023, 6, 26), CeremonyOn: admission.Day(2023, 7, 3),
				OfficialOn: admission.Day(2024, 7, 3), ConfirmDistinct: true, ExternalKey: "demo-binh-ngoc-khu-2-thuan", IdempotencyKey: "demo-binh-ngoc-khu-2-thuan",
				Composition: admission.Composition{Ethnicity: admission.EthnicityMajority, Religion: admission.ReligionNone, EducationGeneral: admission.EduUpperSecondary,
					EducationProfessional: "Đại học", PoliticalTheory: admission.LevelNone, Occupation: "Viên chức", YouthUnion: true}})
			if err != nil {
				return res, fmt.Errorf("member Hoàng Thị Thuận: %w", err)
			}
			res.Members++
			official = append(official, m.ID)
		}
		for k := 0; k < 4; k++ {
			sc := scenarios[(ci*4+k)%len(scenarios)]
			n, err := candidate(ctx, svc, actor, r, cell, official, sc, fmt.Sprintf("demo-%s-%d", cs.code, k+1), today)
			if err != nil {
				return res, fmt.Errorf("candidate %s/%d (%s): %w", cs.code, k+1, sc.name, err)
			}
			res.Candidates++
			res.Steps += n
		}
	}
	// this year's targets, where none was set yet
	progress, err := db.Progress(ctx, root.Path, today.Year(), today, today, admission.DefaultAdmissionBasis)
	if err != nil {
		return res, err
	}
	targets := map[int64]*int{}
	for i, p := range progress {
		if !p.HasTarget {
			n := 2 + i%3
			targets[p.OrgID] = &n
		}
	}
	if err := svc.SetTargets(ctx, actor, today.Year(), targets); err != nil {
		return res, err
	}
	if log != nil {
		log.Info("đã nạp dữ liệu mẫu", "organizations", res.Organizations, "members", res.Members, "candidates", res.Candidates)
	}
	return res, nil
}

// scenario describes a candidate's path: how long ago it started, how far it
// goes, and its particularities.
type scenario struct {
	name      string
	ago       int // days from nomination to today
	until     admission.Kind
	failVote  bool // the first cell vote fails
	youth     bool // a Youth Union member on the Youth Union route
	readmit   bool
	withdrawn bool
	age       int // age in years at nomination
}

var scenarios = []scenario{
	{name: "mới tạo nguồn", ago: 20, until: admission.Nominated, age: 34},
	{name: "đã khai lý lịch, chờ thẩm tra", ago: 70, until: admission.PersonalHistory, age: 41},
	{name: "hoàn thiện hồ sơ", ago: 120, until: admission.Comments, age: 36},
	{name: "biểu quyết không đạt", ago: 160, until: admission.CellResolution, failVote: true, age: 38},
	{name: "chờ quyết định, quá hạn", ago: 300, until: admission.CellResolution, age: 45},
	{name: "chờ quyết định", ago: 115, until: admission.CellResolution, youth: true, age: 24},
	{name: "chờ lễ kết nạp, quá hạn", ago: 260, until: admission.Decision, age: 33},
	{name: "chờ lễ kết nạp", ago: 140, until: admission.Decision, age: 39},
	{name: "dự bị", ago: 230, until: admission.NewMemberClass, youth: true, age: 22},
	{name: "hết dự bị, chưa xét", ago: 620, until: admission.NewMemberClass, age: 35},
	{name: "đã chính thức", ago: 640, until: admission.RecognitionDecision, age: 31},
	{name: "rút khỏi danh sách", ago: 90, until: admission.Application, withdrawn: true, age: 50},
	{name: "kết nạp lại", ago: 75, until: admission.PersonalHistory, readmit: true, age: 47},
}

func candidate(ctx context.Context, svc *admission.Service, a admission.Actor, r *rand.Rand, cell admission.Organization, official []int64, sc scenario, key string, today time.Time) (int, error) {
	start := today.AddDate(0, 0, -sc.ago)
	gender := admission.Male
	if r.IntN(2) == 0 {
		gender = admission.Female
	}
	edu := admission.EduUpperSecondary
	if r.IntN(5) == 0 {
		edu = admission.EduLowerSecondary
	}
	in := admission.CandidateInput{
		OrganizationID: cell.ID, FullName: name(r, gender), Gender: gender,
		BirthDate: start.AddDate(-sc.age, -r.IntN(11), -r.IntN(27)), Ethnicity: "Kinh",
		EducationGeneral: edu, Occupation: occupations[r.IntN(len(occupations))],
		EducationProfessional: professional[r.IntN(len(professional))],
		YouthUnion:            sc.youth, TradeUnion: r.IntN(3) == 0, Readmission: sc.readmit, IdempotencyKey: key,
	}
	if r.IntN(8) == 0 {
		in.Ethnicity = "Tày"
	}
	if r.IntN(6) == 0 {
		in.Religion = "Phật giáo"
	}
	if sc.readmit {
		in.ReadmissionConsentRef = "125-CV/TU"
	}
	c, err := svc.AddCandidate(ctx, a, in)
	if err != nil {
		return 0, err
	}
	if len(official) < 3 {
		return 0, fmt.Errorf("chi bộ %s có ít hơn 3 đảng viên chính thức", cell.Name)
	}
	helper := official[r.IntN(len(official))]
	s1, s2 := official[0], official[1]
	if s1 == helper {
		s1 = official[2]
	}
	if s2 == helper {
		s2 = official[2]
	}
	eligible := len(official)
	steps := []admission.StepInput{
		{Kind: admission.Nominated, OccurredOn: start, HelperMemberID: helper},
		{Kind: admission.AwarenessClass, OccurredOn: start.AddDate(0, 0, 25), DocumentNo: fmt.Sprintf("%d/GCN-TTCT", 100+r.IntN(800)), IssuedBy: "Trung tâm Chính trị phường"},
		{Kind: admission.Application, OccurredOn: start.AddDate(0, 0, 40)},
		{Kind: admission.PersonalHistory, OccurredOn: start.AddDate(0, 0, 45)},
		{Kind: admission.Verification, OccurredOn: start.AddDate(0, 0, 75), Outcome: admission.OutcomePassed, DocumentNo: "Kết luận thẩm tra"},
	}
	intro := admission.StepInput{Kind: admission.Introduction, OccurredOn: start.AddDate(0, 0, 80), Route: admission.RouteTwoSponsors,
		Sponsors: []admission.Sponsor{
			{MemberID: s1, KnownSince: start.AddDate(-3, 0, 0), Relation: admission.RelationLived},
			{MemberID: s2, KnownSince: start.AddDate(-2, 0, 0), Relation: admission.RelationWorked},
		}}
	if sc.youth {
		intro.Route, intro.DocumentNo = admission.RouteYouthUnion, "12-NQ/ĐTN"
		intro.Sponsors = intro.Sponsors[:1]
	}
	steps = append(steps, intro,
		admission.StepInput{Kind: admission.Comments, OccurredOn: start.AddDate(0, 0, 85)})
	if sc.failVote {
		steps = append(steps, admission.StepInput{Kind: admission.CellResolution, OccurredOn: start.AddDate(0, 0, 95), DocumentNo: "NQ chi bộ",
			VotesEligible: eligible, VotesYes: eligible / 2})
	}
	voteDay := start.AddDate(0, 0, 100)
	steps = append(steps, admission.StepInput{Kind: admission.CellResolution, OccurredOn: voteDay, DocumentNo: "NQ chi bộ",
		VotesEligible: eligible, VotesYes: eligible - r.IntN(2)})
	decision := voteDay.AddDate(0, 0, 30)
	received := decision.AddDate(0, 0, 3)
	steps = append(steps, admission.StepInput{Kind: admission.Decision, OccurredOn: decision, ReceivedOn: received,
		DocumentNo: fmt.Sprintf("%d-QĐ/ĐU", 200+r.IntN(700)), IssuedBy: "Ban Thường vụ Đảng ủy phường Bình Ngọc"})
	ceremony := received.AddDate(0, 0, 7)
	steps = append(steps,
		admission.StepInput{Kind: admission.Ceremony, OccurredOn: ceremony, HelperMemberID: helper},
		admission.StepInput{Kind: admission.NewMemberClass, OccurredOn: ceremony.AddDate(0, 2, 0), DocumentNo: "GCN lớp đảng viên mới"})
	recog := admission.AddMonths(ceremony, 12).AddDate(0, 0, 5)
	steps = append(steps,
		admission.StepInput{Kind: admission.RecognitionResolution, OccurredOn: recog, DocumentNo: "NQ chi bộ", VotesEligible: eligible, VotesYes: eligible},
		admission.StepInput{Kind: admission.RecognitionDecision, OccurredOn: recog.AddDate(0, 0, 20), DocumentNo: fmt.Sprintf("%d-QĐ/ĐU", 200+r.IntN(700))})
	n := 0
	for i, in := range steps {
		if in.OccurredOn.After(today) {
			break
		}
		in.IdempotencyKey = fmt.Sprintf("%s-step-%d", key, i)
		if _, err := svc.RecordStep(ctx, a, c.ID, in); err != nil {
			return n, fmt.Errorf("%s: %w", in.Kind, err)
		}
		n++
		if in.Kind == sc.until {
			break
		}
	}
	if sc.withdrawn {
		if _, err := svc.Withdraw(ctx, a, c.ID, today.AddDate(0, 0, -5), "Chuyển nơi cư trú, không còn sinh hoạt tại địa phương", key+"-withdrawn"); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Values of the vocabularies the demo draws from.
var (
	occupations  = []string{"Viên chức", "Cán bộ, công chức", "Công nhân", "Người lao động trong doanh nghiệp", "Chủ doanh nghiệp tư nhân", "Lao động tự do", "Học sinh, sinh viên"}
	professional = []string{"Không có", "Trung cấp", "Cao đẳng", "Đại học", "Đại học", "Thạc sĩ"}
)

// composition draws a directly entered member's composition.
func composition(r *rand.Rand) admission.Composition {
	c := admission.Composition{Ethnicity: admission.EthnicityMajority, Religion: admission.ReligionNone, EducationGeneral: admission.EduUpperSecondary,
		EducationProfessional: professional[r.IntN(len(professional))], PoliticalTheory: admission.LevelNone, Occupation: occupations[r.IntN(len(occupations))]}
	if r.IntN(8) == 0 {
		c.Ethnicity = "Tày"
	}
	if r.IntN(6) == 0 {
		c.Religion = "Phật giáo"
	}
	if r.IntN(3) == 0 {
		c.PoliticalTheory = "Trung cấp"
	}
	return c
}
