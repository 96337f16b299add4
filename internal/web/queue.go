package web

import (
	"net/http"
	"strconv"
	"time"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// maxQueueFiles caps the open files a queue weighs; a larger scope says so.
const maxQueueFiles = 5000

// fileStates derives the state of each file in words (admission.StateOf)
// and its early warnings (admission.Warnings), reading from q the steps of
// the files the memo does not hold, and the files themselves unless whole
// has them (the list's rows are whole; the queue's are heads).
func (s *Server) fileStates(r *http.Request, q Queries, rows []admission.FileHead, whole map[int64]admission.Candidate, today time.Time) (map[int64]admission.FileState, map[int64][]admission.Warning, error) {
	rules, err := q.RuleSets(r.Context())
	if err != nil {
		return nil, nil, err
	}
	hol, err := q.HolidayDays(r.Context(), today.AddDate(-8, 0, 0), today.AddDate(3, 0, 0))
	if err != nil {
		return nil, nil, err
	}
	a, _ := s.actor(r)
	ids := make([]int64, 0, len(rows))
	for _, c := range rows {
		ids = append(ids, c.OrganizationID)
	}
	byID, err := q.OrganizationsOf(r.Context(), ids, a.ScopePath)
	if err != nil {
		return nil, nil, err
	}
	basis := basisOf(today, rules, hol)
	states, warnings := map[int64]admission.FileState{}, map[int64][]admission.Warning{}
	var missing []int64
	for _, c := range rows {
		if e, ok := s.states.get(c, byID[c.OrganizationID], basis); ok {
			states[c.ID], warnings[c.ID] = e.state, e.warnings
		} else {
			missing = append(missing, c.ID)
		}
	}
	if len(missing) == 0 {
		return states, warnings, nil
	}
	// the files before their steps: a state is kept under the version of
	// the file it was derived from, and a step recorded in between raises
	// that version past it
	files := whole
	if files == nil {
		if files, err = q.CandidatesOf(r.Context(), missing, a.ScopePath); err != nil {
			return nil, nil, err
		}
	}
	steps, err := q.StepsOf(r.Context(), missing)
	if err != nil {
		return nil, nil, err
	}
	cal := admission.NewCalendar(hol)
	for _, row := range rows {
		if _, done := states[row.ID]; done {
			continue
		}
		c, ok := files[row.ID]
		if !ok || c.OrganizationID != row.OrganizationID { // moved since: left out of this view
			continue
		}
		org := byID[c.OrganizationID]
		states[c.ID] = admission.StateOf(c, org, steps[c.ID], rules, cal, today)
		warnings[c.ID] = admission.Warnings(c, org, steps[c.ID], rules, today)
		s.states.put(c, org, basis, states[c.ID], warnings[c.ID])
	}
	return states, warnings, nil
}

// queueFor says whether a file's state is in the actor's queue: committee
// staff act on what the committee owes and watch what the cells owe late;
// a secretary acts on what her cell and its candidates owe; a viewer sees all.
func queueFor(role admission.Role, st admission.FileState) bool {
	switch role {
	case admission.RoleStaff, admission.RoleAdmin:
		return st.Who == admission.PartyCommittee || st.Late()
	case admission.RoleSecretary:
		return st.Who == admission.PartyCell || st.Who == admission.PartyCandidate
	}
	return st.Who != admission.PartyNone
}

// horizonOf groups a state: late, within 30 days, later (or no date).
func horizonOf(st admission.FileState, today time.Time) int {
	switch {
	case st.Late():
		return 0
	case !st.Until.IsZero() && !st.Until.After(today.AddDate(0, 0, 30)):
		return 1
	}
	return 2
}

var horizonLabels = []string{"Quá hạn", "Trong 30 ngày tới", "Sau đó"}

// queueView builds the queue: the actor's files by horizon, each with its
// state in words, and the counts by what is awaited.
func queueView(role admission.Role, rows []admission.FileHead, states map[int64]admission.FileState, warnings map[int64][]admission.Warning, today time.Time) templates.QueueView {
	v := templates.QueueView{}
	for i, l := range horizonLabels {
		v.Groups = append(v.Groups, templates.QueueGroup{Label: l, Key: []string{"qua-han", "30-ngay", "sau-do"}[i]})
	}
	counts := map[string]int{}
	var order []string
	for _, c := range rows {
		st := states[c.ID]
		if !queueFor(role, st) {
			continue
		}
		g := &v.Groups[horizonOf(st, today)]
		item := templates.QueueItem{Href: candidateHref(c.ID), Name: c.FullName, Cell: c.OrgName,
			Who: admission.PartyLabels[st.Who], Sentence: st.Sentence(), Late: st.Late()}
		if ws := warnings[c.ID]; len(ws) > 0 {
			item.Warning = ws[0].Text
		}
		g.Items = append(g.Items, item)
		if counts[st.What] == 0 {
			order = append(order, st.What)
		}
		counts[st.What]++
		v.Total++
	}
	for _, w := range order {
		v.Summary = append(v.Summary, templates.Pair{Label: w, Value: strconv.Itoa(counts[w])})
	}
	return v
}

// queuePage is /viec-can-lam: who must act next, for this user.
func (s *Server) queuePage(w http.ResponseWriter, r *http.Request) {
	a, _ := s.actor(r)
	today := s.today()
	rows, more, err := s.DB.OpenFiles(r.Context(), a.ScopePath, maxQueueFiles)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	states, warnings, err := s.fileStates(r, s.DB, rows, nil, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := queueView(a.Role, rows, states, warnings, today)
	v.Truncated = more
	v.Title = "Việc cần làm"
	switch a.Role {
	case admission.RoleStaff, admission.RoleAdmin:
		v.Lead = "Hồ sơ đang chờ Đảng ủy, và hồ sơ các chi bộ đã quá hạn."
	case admission.RoleSecretary:
		v.Lead = "Việc của chi bộ và của quần chúng trong chi bộ, theo thời hạn."
	default:
		v.Lead = "Mọi hồ sơ đang chờ một bên xử lý."
	}
	v.Print = "/viec-can-lam?in=1"
	p := s.page(r, "Việc cần làm", "queue")
	if org, err := s.DB.Organization(r.Context(), a.ScopeOrgID, a.ScopePath); err == nil {
		parent := ""
		if po, err := s.DB.Organization(r.Context(), org.ParentID, "/"); err == nil {
			parent = po.Name
		}
		if !s.printList(w, r, &p, org, parent, []string{"Việc cần làm đến ngày " + admission.FormatDate(today)}, "viec-can-lam", nil) {
			return
		}
	}
	s.render(w, r, http.StatusOK, templates.QueuePage(p, v))
}
