package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// formState is a submitted step form shown again with its refusal.
type formState struct {
	kind    admission.Kind
	stepID  int64 // a correction
	values  map[string]string
	errors  map[string]string
	general string
}

// formContext is what the step forms of one candidate page are built from.
type formContext struct {
	candidate admission.Candidate
	members   []admission.Member // the sponsor and helper pickers: the committee's subtree
	cells     map[int64]string   // the cells' names, to group the pickers
	roll      admission.Roll     // the cell's roll today, which a cell vote starts from
	params    admission.Params   // in force today: the yes votes a vote needs
	today     time.Time
}

// stepForm builds the form of one step kind from the step table.
func stepForm(def admission.StepDef, fc formContext, st *formState) templates.StepForm {
	c, members, today := fc.candidate, fc.members, fc.today
	f := templates.StepForm{Kind: string(def.Kind), Label: def.Label, FormNo: def.Form, Citation: def.Citation,
		Action: candidateHref(c.ID) + "/buoc", Token: newToken(), Version: strconv.Itoa(c.Version),
		Fields: map[string]bool{}, Required: map[string]bool{"occurred_on": true}, Values: map[string]string{}, Errors: map[string]string{},
		DateLabel: dateLabels[def.Kind], DocLabel: docLabels[def.Kind], IssuerLabel: "Nơi cấp / cơ quan ban hành"}
	if f.DocLabel == "" {
		f.DocLabel = "Số văn bản"
	}
	if f.DateLabel == "" {
		f.DateLabel = "Ngày"
	}
	for _, fl := range def.Fields {
		f.Fields[stepFieldNames[fl]] = true
	}
	for _, fl := range def.Required {
		f.Required[stepFieldNames[fl]] = true
	}
	if f.Required["votes"] {
		f.Required["votes_eligible"], f.Required["votes_yes"] = true, true
	}
	f.Values["occurred_on"] = admission.FormatDate(today)
	if f.Fields["votes"] {
		f.Values["votes_eligible"] = strconv.Itoa(fc.roll.MaxEligible())
		if def.Level != admission.LevelCommittee {
			f.Fields["votes_present"] = true
			f.Roll = rollExplained(fc.roll)
			f.YesNeeded = yesNeeded(fc.roll, fc.params)
		}
	}
	if st != nil && st.kind == def.Kind && st.stepID == 0 {
		f.Open, f.Values, f.Errors, f.Error = true, st.values, st.errors, st.general
		f.Token = st.values["token"]
	}
	f.Routes = []templates.Option{{Value: "", Label: "— chọn —"}}
	for _, rt := range []string{admission.RouteTwoSponsors, admission.RouteYouthUnion, admission.RouteTradeUnion} {
		f.Routes = append(f.Routes, templates.Option{Value: rt, Label: admission.RouteLabels[rt], Selected: f.Values["route"] == rt})
	}
	relations := []string{admission.RelationLived, admission.RelationWorked, admission.RelationStudied}
	var ineligible []string
	for i := 0; i < 2; i++ {
		sel := f.Values[fmt.Sprintf("sponsor%d_relation", i+1)]
		for _, rel := range relations {
			f.Relations[i] = append(f.Relations[i], templates.Option{Value: rel, Label: "Cùng " + strings.TrimPrefix(relationLabels[rel], "cùng "), Selected: sel == rel})
		}
	}
	// the candidate's own cell first, then the other cells of the committee
	ordered := append([]admission.Member(nil), members...)
	sort.SliceStable(ordered, func(i, j int) bool {
		oi, oj := ordered[i].OrganizationID == c.OrganizationID, ordered[j].OrganizationID == c.OrganizationID
		if oi != oj {
			return oi
		}
		return fc.cells[ordered[i].OrganizationID] < fc.cells[ordered[j].OrganizationID]
	})
	for _, m := range ordered {
		official := m.IsOfficialOn(today)
		own := m.OrganizationID == c.OrganizationID
		if m.CandidateID != 0 && m.CandidateID == c.ID {
			continue
		}
		if !own && !official {
			continue // another cell's probationers: neither eligible nor any of this cell's business
		}
		label := m.FullName + " (" + strconv.Itoa(m.BirthDate.Year()) + ")"
		if own && official {
			label += " — chính thức từ " + admission.FormatDate(m.OfficialOn)
		} else if !official {
			label += " — đảng viên dự bị, chưa được giới thiệu hoặc giúp đỡ"
		}
		group := fc.cells[m.OrganizationID]
		for i := 0; i < 2; i++ {
			f.Sponsors[i] = append(f.Sponsors[i], templates.MemberOption{Value: itoa(m.ID), Label: label, Group: group, Disabled: !official,
				Selected: f.Values[fmt.Sprintf("sponsor%d_id", i+1)] == itoa(m.ID)})
		}
		if m.OrganizationID == c.OrganizationID {
			f.Helpers = append(f.Helpers, templates.MemberOption{Value: itoa(m.ID), Label: label, Group: group, Disabled: !official, Selected: f.Values["helper_member_id"] == itoa(m.ID)})
		}
		if !official {
			ineligible = append(ineligible, m.FullName)
		}
	}
	if len(ineligible) > 0 {
		f.IneligibleNote = fmt.Sprintf("%d đảng viên dự bị không chọn được làm người giới thiệu (chỉ đảng viên chính thức được giới thiệu, Quy định 294-QĐ/TW, điểm 3.2.1).", len(ineligible))
	}
	return f
}

// rollExplained says where a cell vote's eligible number comes from.
func rollExplained(r admission.Roll) string {
	out := fmt.Sprintf("Danh sách chi bộ ngày %s: %d đảng viên chính thức", admission.FormatDate(r.Date), r.Official)
	if r.Away > 0 {
		out += fmt.Sprintf(", trừ %d đang sinh hoạt tạm thời nơi khác", r.Away)
	}
	out += fmt.Sprintf(" = %d đảng viên được quyền biểu quyết.", r.MaxEligible())
	if r.Exempted > 0 {
		out += fmt.Sprintf(" Có %d đảng viên miễn sinh hoạt: ai vắng mặt thì trừ ra (tối thiểu %d).", r.Exempted, r.MinEligible())
	}
	return out + " Đảng viên dự bị không biểu quyết."
}

// yesNeeded says how many yes votes a cell vote on today's roll needs.
func yesNeeded(r admission.Roll, p admission.Params) string {
	if r.MaxEligible() <= 0 {
		return "Chi bộ chưa có đảng viên chính thức nào có quyền biểu quyết: cập nhật danh sách đảng viên trước."
	}
	out := fmt.Sprintf("Cần ít nhất %d phiếu tán thành (%d/%d của %d)", admission.YesNeeded(r.MaxEligible(), p), p.VoteNumerator, p.VoteDenominator, r.MaxEligible())
	if r.MinEligible() < r.MaxEligible() {
		out += fmt.Sprintf("; nếu chỉ %d được quyền biểu quyết thì cần %d", r.MinEligible(), admission.YesNeeded(r.MinEligible(), p))
	}
	return out + "."
}

// stepDetails lists what a recorded step says, for its timeline row.
func stepDetails(x admission.Step) []string {
	var out []string
	if x.DocumentNo != "" {
		out = append(out, "Số: "+x.DocumentNo)
	}
	if x.IssuedBy != "" {
		out = append(out, "Nơi cấp/ban hành: "+x.IssuedBy)
	}
	if !x.ReceivedOn.IsZero() {
		out = append(out, "Ngày nhận: "+admission.FormatDate(x.ReceivedOn))
	}
	if x.VotesEligible > 0 {
		vote := fmt.Sprintf("Biểu quyết: %d/%d tán thành", x.VotesYes, x.VotesEligible)
		if x.FromRoll {
			vote += fmt.Sprintf(" (danh sách %d chính thức", x.VotesOnRoll)
			if x.VotesAway > 0 {
				vote += fmt.Sprintf(", %d sinh hoạt nơi khác", x.VotesAway)
			}
			if x.VotesExemptAbsent > 0 {
				vote += fmt.Sprintf(", %d miễn sinh hoạt vắng mặt", x.VotesExemptAbsent)
			}
			if x.VotesPresent > 0 {
				vote += fmt.Sprintf("; %d có mặt", x.VotesPresent)
			}
			vote += ")"
		}
		if x.Kind == admission.RecognitionResolution {
			vote += fmt.Sprintf(", %d đề nghị xóa tên", x.VotesAgainst)
		}
		out = append(out, vote)
	}
	if x.Route != "" {
		out = append(out, admission.RouteLabels[x.Route])
	}
	for _, sp := range x.Sponsors {
		out = append(out, fmt.Sprintf("Người giới thiệu: %s (%s từ %s)", sp.MemberName, relationLabels[sp.Relation], admission.FormatDate(sp.KnownSince)))
	}
	if x.HelperName != "" {
		out = append(out, "Đảng viên giúp đỡ: "+x.HelperName)
	}
	if x.ApprovalRef != "" {
		out = append(out, "Văn bản chấp thuận: "+x.ApprovalRef)
	}
	if x.Note != "" {
		out = append(out, "Ghi chú: "+x.Note)
	}
	return out
}

// stepValues are the form values of a recorded step, for its correction form.
func stepValues(x admission.Step) map[string]string {
	v := map[string]string{"occurred_on": admission.FormatDate(x.OccurredOn), "document_no": x.DocumentNo, "issued_by": x.IssuedBy,
		"received_on": admission.FormatDate(x.ReceivedOn), "outcome": x.Outcome, "route": x.Route, "approval_ref": x.ApprovalRef, "note": x.Note}
	if x.VotesEligible > 0 {
		v["votes_eligible"], v["votes_yes"], v["votes_against"] = strconv.Itoa(x.VotesEligible), strconv.Itoa(x.VotesYes), strconv.Itoa(x.VotesAgainst)
	}
	if x.HelperMemberID != 0 {
		v["helper_member_id"] = itoa(x.HelperMemberID)
	}
	for i, sp := range x.Sponsors {
		if i > 1 {
			break
		}
		p := fmt.Sprintf("sponsor%d_", i+1)
		v[p+"id"], v[p+"since"], v[p+"relation"] = itoa(sp.MemberID), admission.FormatDate(sp.KnownSince), sp.Relation
	}
	return v
}

// reselect marks the picker options that match the form's values.
func reselect(f templates.StepForm) templates.StepForm {
	for i := range f.Helpers {
		f.Helpers[i].Selected = f.Helpers[i].Value == f.Values["helper_member_id"]
	}
	for k := 0; k < 2; k++ {
		key := fmt.Sprintf("sponsor%d_", k+1)
		for i := range f.Sponsors[k] {
			f.Sponsors[k][i].Selected = f.Sponsors[k][i].Value == f.Values[key+"id"]
		}
		for i := range f.Relations[k] {
			f.Relations[k][i].Selected = f.Relations[k][i].Value == f.Values[key+"relation"]
		}
	}
	for i := range f.Routes {
		f.Routes[i].Selected = f.Routes[i].Value == f.Values["route"]
	}
	return f
}

var stepFormFields = []string{"kind", "token", "version", "occurred_on", "document_no", "issued_by", "received_on", "votes_eligible", "votes_yes", "votes_present",
	"votes_against", "outcome", "route", "helper_member_id", "approval_ref", "note", "correction_reason",
	"sponsor1_id", "sponsor1_since", "sponsor1_relation", "sponsor2_id", "sponsor2_since", "sponsor2_relation"}

// readStepForm turns a step form into the engine's input; errs holds what
// cannot even be read (an impossible date, a word where a number goes).
func readStepForm(r *http.Request) (admission.StepInput, map[string]string, map[string]string) {
	vals := map[string]string{}
	for _, k := range stepFormFields {
		vals[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	errs := map[string]string{}
	in := admission.StepInput{Kind: admission.Kind(vals["kind"]), DocumentNo: vals["document_no"], IssuedBy: vals["issued_by"],
		Outcome: vals["outcome"], Route: vals["route"], ApprovalRef: vals["approval_ref"], Note: vals["note"]}
	if vals["token"] != "" {
		in.IdempotencyKey = "step:" + vals["token"]
	}
	date := func(name string, required bool) time.Time {
		if vals[name] == "" {
			if required {
				errs[name] = "Cần nhập ngày (ngày/tháng/năm)."
			}
			return time.Time{}
		}
		d, err := admission.ParseDate(vals[name])
		if err != nil {
			errs[name] = strings.ToUpper(err.Error()[:1]) + err.Error()[1:] + "."
		}
		return d
	}
	number := func(name string) int {
		if vals[name] == "" {
			return 0
		}
		n, err := strconv.Atoi(vals[name])
		if err != nil || n < 0 || n > 100000 {
			errs[name] = "Nhập một số nguyên không âm (tối đa 100 000)."
			return 0
		}
		return n
	}
	in.OccurredOn = date("occurred_on", true)
	in.ReceivedOn = date("received_on", false)
	in.VotesEligible, in.VotesYes, in.VotesAgainst = number("votes_eligible"), number("votes_yes"), number("votes_against")
	in.VotesPresent = number("votes_present")
	if vals["helper_member_id"] != "" {
		in.HelperMemberID, _ = strconv.ParseInt(vals["helper_member_id"], 10, 64)
	}
	if v, err := strconv.Atoi(vals["version"]); err == nil {
		in.ExpectedVersion = &v
	}
	for i := 1; i <= 2; i++ {
		p := fmt.Sprintf("sponsor%d_", i)
		if vals[p+"id"] == "" {
			continue
		}
		id, _ := strconv.ParseInt(vals[p+"id"], 10, 64)
		in.Sponsors = append(in.Sponsors, admission.Sponsor{MemberID: id, KnownSince: date(p+"since", false), Relation: vals[p+"relation"]})
		if vals[p+"since"] == "" {
			errs[p+"since"] = "Cần nhập từ ngày nào người giới thiệu cùng công tác, học tập hoặc cư trú với người vào Đảng."
		}
	}
	return in, vals, errs
}

// stepField maps an engine refusal's field to the form field it is shown next to.
func stepField(f string) string {
	switch f {
	case "occurred_on", "document_no", "received_on", "votes_eligible", "votes_yes", "votes_against", "votes_present", "outcome",
		"route", "helper_member_id", "approval_ref", "note", "sponsors", "correction_reason":
		return f
	case "votes":
		return "votes_yes"
	}
	return ""
}
