package web

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// postOnCandidate starts a POST handler on /quan-chung/{id}/…: the
// candidate must be in the actor's scope before anything is said about the
// form, so out of scope answers 404 like a missing record.
func (s *Server) postOnCandidate(w http.ResponseWriter, r *http.Request) (int64, admission.Actor, admission.Candidate, bool) {
	id, a, ok := s.postWithID(w, r)
	if !ok {
		return 0, a, admission.Candidate{}, false
	}
	c, err := s.DB.Candidate(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return 0, a, c, false
	}
	return id, a, c, true
}

func (s *Server) candidatePage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	notice := map[string]string{"moi": "Đã thêm quần chúng vào danh sách. Ghi bước đầu tiên: tạo nguồn, phân công đảng viên giúp đỡ.",
		"chuyen": "Đã chuyển sang chi bộ mới cùng toàn bộ quá trình.", "ho-so": "Đã lưu lý lịch."}[r.URL.Query().Get("da-ghi")]
	if k := r.URL.Query().Get("da-ghi"); notice == "" && k != "" {
		if def, ok := admission.Def(admission.Kind(k)); ok {
			notice = "Đã ghi: " + def.Label + "."
		}
	}
	s.renderCandidate(w, r, http.StatusOK, id, nil, notice)
}

// renderCandidate renders the candidate page; st, when set, is a refused form shown open with its errors.
func (s *Server) renderCandidate(w http.ResponseWriter, r *http.Request, status int, id int64, st *formState, notice string) {
	s.renderCandidateMove(w, r, status, id, st, notice, nil)
}

func (s *Server) renderCandidateMove(w http.ResponseWriter, r *http.Request, status int, id int64, st *formState, notice string, mv *moveState) {
	a, _ := s.actor(r)
	c, org, steps, rules, hol, err := s.DB.CandidateFacts(r.Context(), id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if a.ScopeOrgID != org.ID && status == http.StatusOK {
		// reading a person's record from outside their cell is audited (24-QĐ/TW 6.2.4)
		if err := s.Auth.AuditRead(r.Context(), a, org.ID, c.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	today := s.today()
	v := templates.CandidateView{ID: c.ID, Name: c.FullName, ProfileHref: map[bool]string{true: profileHref(c.ID)}[admission.Can(a, admission.ActAddCandidate, org.Path) && !c.Stage.Closed()], CellName: org.Name, CellHref: orgHref(org.ID),
		Stage: admission.StageLabels[c.Stage], Escalated: c.Escalated, Notice: notice}
	v.Profile = []templates.Pair{
		{Label: "Giới tính", Value: genderLabels[c.Gender]},
		{Label: "Ngày sinh", Value: admission.FormatDate(c.BirthDate)},
		{Label: "Dân tộc", Value: c.Ethnicity},
		{Label: "Tôn giáo", Value: orDash(c.Religion)},
		{Label: "Giáo dục phổ thông", Value: admission.EducationLabels[c.EducationGeneral]},
		{Label: "Chuyên môn", Value: orDash(c.EducationProfessional)},
		{Label: "Nghề nghiệp", Value: orDash(c.Occupation)},
		{Label: "Đoàn viên Đoàn TNCS Hồ Chí Minh", Value: yesNo(c.YouthUnion)},
		{Label: "Đoàn viên công đoàn", Value: yesNo(c.TradeUnion)},
		{Label: "Kết nạp lại", Value: yesNo(c.Readmission)},
	}
	cal := admission.NewCalendar(holidayDays(hol))
	if k := admission.Kind(r.URL.Query().Get("da-ghi")); notice != "" && k != "" {
		if n := voteNotice(k, steps, rules); n != "" {
			v.Notice = n
		}
	}
	v.State = stateView(admission.StateOf(c, org, steps, rules, cal, today))
	for _, wn := range admission.Warnings(c, org, steps, rules, today) {
		v.Warnings = append(v.Warnings, templates.Pair{Label: wn.Text, Value: wn.Citation})
	}
	for _, d := range admission.Deadlines(c, steps, rules, cal, today) {
		v.Deadlines = append(v.Deadlines, templates.DeadlineRow{Label: d.Label, Due: admission.FormatDate(d.Due), Status: string(d.Status), StatusLabel: admission.DeadlineStatusLabels[d.Status]})
	}
	eff := map[int64]bool{}
	done := map[admission.Kind]bool{}
	for _, x := range admission.Effective(steps) {
		eff[x.ID] = true
		if x.Counts() {
			done[x.Kind] = true
		}
	}
	for _, def := range admission.Steps {
		if def.Document == "" || (def.Optional && !org.HasIntermediateCommittee) {
			continue
		}
		v.Checklist = append(v.Checklist, templates.CheckRow{Document: def.Document, Done: done[def.Kind]})
	}
	// the forms this actor may record: those that would be accepted today
	// open, the others listed greyed with why (and when they open)
	offers, err := s.Svc.Offers(r.Context(), a, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	canCorrect := admission.Can(a, admission.ActCorrect, org.Path)
	fc := formContext{candidate: c, today: today, params: rules.ParamsOn(today)}
	// the member pickers and the roll, only for a form open now that needs them (or a refused form shown again)
	if st != nil || needsMembers(offers) {
		p, err := s.pickerMembers(r, org, today, st != nil)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		fc.members, fc.roll, fc.cells = p.members, p.roll, p.cells
		if p.limited {
			v.MemberSearch = &templates.MemberSearch{Action: candidateHref(c.ID), Query: p.query}
		}
	}
	shown := st == nil || st.stepID != 0
	for _, o := range offers {
		refused := st != nil && st.stepID == 0 && st.kind == o.Def.Kind
		if o.Open || refused {
			v.Forms = append(v.Forms, stepForm(o.Def, fc, st))
			shown = shown || refused
			continue
		}
		later := templates.LaterStep{Kind: string(o.Def.Kind), Label: o.Def.Label, Why: o.Why}
		if !o.OpensOn.IsZero() {
			later.Opens = admission.FormatDate(o.OpensOn)
		}
		v.Later = append(v.Later, later)
	}
	if !shown {
		v.Error = st.general
		for _, m := range st.errors {
			v.Error = m
		}
	}
	// the timeline in date order, ties in recording order; shown newest first
	ordered := append([]admission.Step(nil), steps...)
	sort.SliceStable(ordered, func(i, j int) bool {
		if !ordered[i].OccurredOn.Equal(ordered[j].OccurredOn) {
			return ordered[i].OccurredOn.Before(ordered[j].OccurredOn)
		}
		return ordered[i].Seq < ordered[j].Seq
	})
	for i, x := range ordered {
		def, _ := admission.Def(x.Kind)
		row := templates.TimelineRow{Index: i, Date: admission.FormatDate(x.OccurredOn), Label: def.Label, Form: def.Form,
			RecordedBy: orDash(x.RecordedByName), RecordedAt: x.RecordedAt.In(ict).Format("15:04 02/01/2006"),
			Superseded: !eff[x.ID], Failed: !x.Counts(), Correction: x.CorrectionReason}
		if x.Outcome != admission.OutcomeDone {
			row.Outcome = admission.OutcomeLabels[x.Outcome]
		}
		row.Details = stepDetails(x)
		if canCorrect && eff[x.ID] {
			row.CorrectHref = correctHref(c.ID, x.ID)
		}
		if eff[x.ID] {
			row.Papers = stepPapers(c.ID, x)
		}
		v.Timeline = append(v.Timeline, row)
	}
	moves, err := s.DB.CandidateMoves(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, m := range moves {
		v.Moves = append(v.Moves, fmt.Sprintf("%s: chuyển từ %s sang %s (%s), do %s ghi", m.At.In(ict).Format("02/01/2006"), m.From, m.To, m.Reason, orDash(m.By)))
	}
	if canCorrect && !c.Stage.Closed() && c.Stage != admission.StageProbationary {
		v.Move = &templates.MoveForm{Action: candidateHref(c.ID) + "/chuyen-chi-bo", Errors: map[string]string{}}
		if mv != nil {
			v.Move.Open, v.Move.Reason, v.Move.Errors = true, mv.reason, mv.errors
		}
		orgs, err := s.DB.OrgList(r.Context(), a.ScopePath)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, o := range orgs {
			if o.Kind == admission.KindCell && o.ID != org.ID {
				v.Move.Cells = append(v.Move.Cells, templates.Option{Value: itoa(o.ID), Label: o.Name, Selected: mv != nil && mv.to == o.ID})
			}
		}
	}
	// newest first
	for i, j := 0, len(v.Timeline)-1; i < j; i, j = i+1, j-1 {
		v.Timeline[i], v.Timeline[j] = v.Timeline[j], v.Timeline[i]
	}
	p := s.page(r, c.FullName, "candidates")
	print := r.URL.Query().Get("in") == "1" && status == http.StatusOK
	parent := ""
	if po, err := s.DB.Organization(r.Context(), org.ParentID, "/"); err == nil {
		parent = po.Name
	}
	p.Print = s.printHead(r, org, parent, []string{"Hồ sơ người vào Đảng: " + c.FullName + " — " + org.Name}, print)
	if print {
		if err := s.Svc.RecordExport(r.Context(), a, org.ID, admission.ExportPrint, "ho-so-quan-chung", map[string]string{"quan-chung": itoa(c.ID)}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	v.PrintHref = candidateHref(c.ID) + "?in=1"
	v.Papers = papersOf(c, steps)
	s.render(w, r, status, templates.CandidatePage(p, v))
}

// maxPicker is the largest committee whose every member a picker lists;
// a larger one (a ward of thousands) offers the cell's members and those a
// search finds.
const maxPicker = 600

// pickers is what the member pickers of a file's forms offer.
type pickers struct {
	members []admission.Member // the sponsor and helper choices
	roll    admission.Roll     // the cell's roll today, which a vote form starts from
	cells   map[int64]string   // the cells' names the pickers group by
	limited bool               // the committee is large: the cell's members and a search
	query   string
}

// pickerMembers reads the pickers of a file's forms. full lists the whole
// committee whatever its size (a refused form shown again keeps any choice).
func (s *Server) pickerMembers(r *http.Request, org admission.Organization, today time.Time, full bool) (pickers, error) {
	ctx, path := r.Context(), org.CommitteePath()
	p := pickers{cells: map[int64]string{}, query: strings.TrimSpace(r.URL.Query().Get("tim-dv"))}
	if !full {
		n, err := s.DB.CommitteeSize(ctx, path, maxPicker+1)
		if err != nil {
			return p, err
		}
		p.limited = n > maxPicker
	}
	var err error
	if p.limited {
		var cell []admission.Member
		if cell, err = s.DB.CellMembers(ctx, org.ID, org.Path); err != nil {
			return p, err
		}
		seen := map[int64]bool{}
		for _, m := range cell {
			if m.Status == admission.MemberOfficial || m.Status == admission.MemberProbationary {
				p.members, seen[m.ID] = append(p.members, m), true
			}
		}
		if key := admission.SearchKey(p.query); key != "" {
			found, err := s.DB.SearchCommitteeMembers(ctx, path, key, 50)
			if err != nil {
				return p, err
			}
			for _, m := range found {
				if !seen[m.ID] {
					p.members = append(p.members, m)
				}
			}
		}
	} else if p.members, err = s.DB.CommitteeMembers(ctx, path); err != nil {
		return p, err
	}
	orgs, err := s.DB.OrgList(ctx, path)
	if err != nil {
		return p, err
	}
	for _, o := range orgs {
		p.cells[o.ID] = o.Name
	}
	var cell []admission.Member
	for _, m := range p.members {
		if m.OrganizationID == org.ID {
			cell = append(cell, m)
		}
	}
	p.roll = admission.RollOn(cell, today)
	return p, nil
}

// stateView shows a file's state.
func stateView(st admission.FileState) templates.FileStateView {
	return templates.FileStateView{Who: admission.PartyLabels[st.Who], Sentence: st.Sentence(), IfLate: st.IfLate, Late: st.Late(), Citation: st.Citation}
}

// voteNotice says how a vote just recorded came out: passed or not, with
// the numbers and the threshold of its rule set.
func voteNotice(k admission.Kind, steps []admission.Step, rules admission.RuleSets) string {
	def, ok := admission.Def(k)
	if !ok || !def.Vote {
		return ""
	}
	var last *admission.Step
	for i := range steps {
		if steps[i].Kind == k && (last == nil || steps[i].Seq > last.Seq) {
			last = &steps[i]
		}
	}
	if last == nil || last.VotesEligible == 0 {
		return ""
	}
	p := rules.ParamsOn(last.OccurredOn)
	need := admission.YesNeeded(last.VotesEligible, p)
	outcome := admission.OutcomeLabels[last.Outcome]
	return fmt.Sprintf("Đã ghi: %s — %s: %d/%d phiếu tán thành, cần ít nhất %d (%d/%d).", def.Label, outcome, last.VotesYes, last.VotesEligible, need, p.VoteNumerator, p.VoteDenominator)
}

// needsMembers says whether an open form picks a member (helper, sponsors)
// or counts the cell's roll (a vote).
func needsMembers(offers []admission.Offer) bool {
	for _, o := range offers {
		if o.Open && (o.Def.Has(admission.FieldHelper) || o.Def.Has(admission.FieldRoute) || o.Def.Vote) {
			return true
		}
	}
	return false
}
