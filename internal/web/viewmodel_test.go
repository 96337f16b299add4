package web

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// The view models are pure functions of the engine's values: these tests
// need no database.

func TestStepFormVoteStartsFromTheRoll(t *testing.T) {
	today := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	def, _ := admission.Def(admission.CellResolution)
	fc := formContext{candidate: admission.Candidate{ID: 7, Version: 3}, today: today, params: admission.DefaultParams(),
		roll: admission.Roll{Date: today, Official: 12, Away: 1, Exempted: 2}}
	f := stepForm(def, fc, nil)
	if f.Values["votes_eligible"] != "11" {
		t.Fatalf("eligible prefilled %q, want 11 (12 official less 1 away)", f.Values["votes_eligible"])
	}
	for _, want := range []string{"20/11/2026", "12 đảng viên chính thức", "trừ 1 đang sinh hoạt tạm thời nơi khác", "= 11", "2 đảng viên miễn sinh hoạt", "tối thiểu 9"} {
		if !strings.Contains(f.Roll, want) {
			t.Errorf("roll explanation %q lacks %q", f.Roll, want)
		}
	}
	// 2/3 of 11 is 7.33: 8 yes pass; of 9, 6
	if !strings.Contains(f.YesNeeded, "Cần ít nhất 8 phiếu") || !strings.Contains(f.YesNeeded, "nếu chỉ 9 được quyền biểu quyết thì cần 6") {
		t.Fatalf("yes needed %q", f.YesNeeded)
	}
	if !f.Fields["votes_present"] || f.Values["occurred_on"] != "20/11/2026" || f.Action != "/quan-chung/7/buoc" || f.Version != "3" {
		t.Fatalf("form %+v", f)
	}
	// the committee's vote is not on the cell's roll
	cdef, _ := admission.Def(admission.CommitteeResolution)
	if cf := stepForm(cdef, fc, nil); cf.Roll != "" || cf.Fields["votes_present"] {
		t.Fatalf("committee vote form shows the cell roll: %q", cf.Roll)
	}
	// an empty roll says what to do first
	fc.roll = admission.Roll{Date: today}
	if f := stepForm(def, fc, nil); !strings.Contains(f.YesNeeded, "cập nhật danh sách đảng viên") {
		t.Fatalf("empty roll: %q", f.YesNeeded)
	}
}

func TestStepFormReopensTheRefusedForm(t *testing.T) {
	today := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	def, _ := admission.Def(admission.Introduction)
	sponsor := admission.Member{ID: 5, FullName: "Lê Văn Giới", OrganizationID: 2, AdmittedOn: today.AddDate(-10, 0, 0),
		CeremonyOn: today.AddDate(-10, 0, 0), OfficialOn: today.AddDate(-9, 0, 0), Status: admission.MemberOfficial}
	probationer := admission.Member{ID: 6, FullName: "Phạm Thị Mới", OrganizationID: 2, AdmittedOn: today.AddDate(0, -3, 0),
		CeremonyOn: today.AddDate(0, -3, 0), Status: admission.MemberProbationary}
	fc := formContext{candidate: admission.Candidate{ID: 7, OrganizationID: 2}, members: []admission.Member{sponsor, probationer}, today: today}
	st := &formState{kind: admission.Introduction, values: map[string]string{"sponsor1_id": "5", "route": admission.RouteTwoSponsors, "token": "t1"},
		errors: map[string]string{"sponsors": "thiếu người giới thiệu thứ hai"}, general: "Chưa ghi"}
	f := stepForm(def, fc, st)
	if !f.Open || f.Token != "t1" || f.Errors["sponsors"] == "" || f.Error != "Chưa ghi" {
		t.Fatalf("refused form not reopened: %+v", f)
	}
	var picked, disabled int
	for _, o := range f.Sponsors[0] {
		if o.Selected {
			picked++
		}
		if o.Disabled {
			disabled++
		}
	}
	if picked != 1 || disabled != 1 || !strings.Contains(f.IneligibleNote, "1 đảng viên dự bị") {
		t.Fatalf("sponsor picker: %d selected, %d disabled, note %q", picked, disabled, f.IneligibleNote)
	}
	// another kind's refusal leaves this form closed
	st.kind = admission.Comments
	if stepForm(def, fc, st).Open {
		t.Fatal("a form opened for another step's refusal")
	}
}

func TestStepDetailsShowTheRoll(t *testing.T) {
	x := admission.Step{Kind: admission.CellResolution, VotesEligible: 9, VotesYes: 7, FromRoll: true, VotesOnRoll: 12, VotesAway: 1, VotesExemptAbsent: 2, VotesPresent: 8}
	got := strings.Join(stepDetails(x), " | ")
	if !strings.Contains(got, "Biểu quyết: 7/9 tán thành (danh sách 12 chính thức, 1 sinh hoạt nơi khác, 2 miễn sinh hoạt vắng mặt; 8 có mặt)") {
		t.Fatalf("details %q", got)
	}
	x.FromRoll = false // a vote recorded before the roll keeps what was recorded
	if got := strings.Join(stepDetails(x), " | "); strings.Contains(got, "danh sách") {
		t.Fatalf("historic vote details %q", got)
	}
}

func TestRefusalOf(t *testing.T) {
	for _, tc := range []struct {
		err    error
		status int
		field  string
		ok     bool
	}{
		{&admission.Error{Code: admission.Invalid, Field: "votes", Message: "sai", Citation: "QĐ"}, http.StatusUnprocessableEntity, "votes_yes", true},
		{&admission.Error{Code: admission.Conflict, Message: "đã đổi"}, http.StatusConflict, "", true},
		{&admission.Error{Code: admission.Forbidden, Message: "không"}, http.StatusForbidden, "", true},
		{&admission.Error{Code: admission.Invalid, Field: "internal_thing", Message: "x"}, http.StatusUnprocessableEntity, "", true},
		{&admission.Error{Code: admission.NotFound}, 0, "", false},
		{errors.New("connection reset"), 0, "", false},
	} {
		errs := map[string]string{}
		f, ok := refusalOf(tc.err, errs, stepField)
		if ok != tc.ok || f.Status != tc.status || f.Field != tc.field {
			t.Errorf("%v: got %+v %v", tc.err, f, ok)
		}
		if tc.field != "" && errs[tc.field] != f.Message {
			t.Errorf("%v: field message %q", tc.err, errs[tc.field])
		}
	}
	// a validation error naming several fields puts each next to its own
	errs := map[string]string{"full_name": "đã có"}
	f, _ := refusalOf(&admission.Error{Code: admission.Invalid, Fields: map[string]string{"full_name": "khác", "birth_date": "sai ngày"}}, errs, sameField)
	if errs["full_name"] != "đã có" || errs["birth_date"] != "sai ngày" || f.Status != http.StatusUnprocessableEntity {
		t.Fatalf("fields %v", errs)
	}
	if msg := (&admission.Error{Code: admission.Invalid, Message: "sai", Citation: "QĐ"}); admission.MessageOf(msg) != "sai (QĐ)" {
		t.Fatal("citation not shown")
	}
}

func TestQueueViewByRoleAndHorizon(t *testing.T) {
	today := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	row := func(id int64, name string) admission.FileHead {
		return admission.FileHead{ID: id, FullName: name, OrgName: "Chi bộ khu 1"}
	}
	rows := []admission.FileHead{row(1, "Chờ thẩm tra"), row(2, "Lễ quá hạn"), row(3, "Học lớp"), row(4, "Đã xong")}
	states := map[int64]admission.FileState{
		1: {Who: admission.PartyCommittee, What: "Đang chờ Đảng ủy thẩm tra lý lịch"},
		2: {Who: admission.PartyCell, What: "Chờ lễ kết nạp", Until: today.AddDate(0, 0, -3), DaysLeft: -2},
		3: {Who: admission.PartyCandidate, What: "Chờ học lớp", Until: today.AddDate(0, 0, 10), DaysLeft: 8},
		4: {Who: admission.PartyNone, What: "Đảng viên chính thức"},
	}
	warnings := map[int64][]admission.Warning{3: {{Text: "Chưa đủ 18 tuổi", Citation: "x"}}}
	names := func(v templates.QueueView) map[string]int {
		out := map[string]int{}
		for i, g := range v.Groups {
			for _, it := range g.Items {
				out[it.Name] = i
			}
		}
		return out
	}
	staff := names(queueView(admission.RoleStaff, rows, states, warnings, today))
	if len(staff) != 2 || staff["Chờ thẩm tra"] != 2 || staff["Lễ quá hạn"] != 0 {
		t.Fatalf("staff queue %v", staff)
	}
	sec := queueView(admission.RoleSecretary, rows, states, warnings, today)
	got := names(sec)
	if len(got) != 2 || got["Lễ quá hạn"] != 0 || got["Học lớp"] != 1 || sec.Total != 2 {
		t.Fatalf("secretary queue %v", got)
	}
	if sec.Groups[1].Items[0].Warning != "Chưa đủ 18 tuổi" {
		t.Fatal("the warning is not on the queue item")
	}
}

func TestTargetsViewTotals(t *testing.T) {
	cells := []admission.CellProgress{
		{OrgID: 1, Name: "Chi bộ khu 1", Target: 3, HasTarget: true, Admitted: 3},
		{OrgID: 2, Name: "Chi bộ khu 2", Target: 4, HasTarget: true, Admitted: 1, Pipeline: admission.ForecastInput{AwaitingCeremony: 1, DossierUnverified: 5}},
		{OrgID: 3, Name: "Chi bộ khu 3"},
	}
	v := targetsView(cells, 2026, true)
	if v.Rows[0].ClassLabel != "Đã đạt" || v.Rows[1].ClassLabel != "Khó đạt" || v.Rows[2].ClassLabel != "Chưa giao chỉ tiêu" || v.Rows[2].Value != "" {
		t.Fatalf("rows %+v", v.Rows)
	}
	if v.Total.Value != "7" || v.Total.Admitted != 4 || v.Total.Likely != 1 || v.Total.AtRisk != 5 || v.Total.ClassLabel != "Khó đạt" {
		t.Fatalf("total %+v", v.Total)
	}
}
