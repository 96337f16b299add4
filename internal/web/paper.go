package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// paperHref is the address of a paper of a candidate's file; step and
// sponsor choose which vote or which sponsor (0: the default).
func paperHref(candidateID int64, slug string, step int64, sponsor int) string {
	q := url.Values{}
	if step != 0 {
		q.Set("buoc", itoa(step))
	}
	if sponsor > 0 {
		q.Set("nguoi", strconv.Itoa(sponsor+1))
	}
	h := candidateHref(candidateID) + "/giay-to/" + slug
	if len(q) > 0 {
		h += "?" + q.Encode()
	}
	return h
}

// paperPage prints one official paper of a candidate's file, filled from
// what was recorded. Every print is audited: who printed which paper of
// which file.
func (s *Server) paperPage(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r)
	paper, known := admission.PaperBySlug(chi.URLParam(r, "mau"))
	if !ok || !known {
		s.notFound(w, r)
		return
	}
	a, _ := s.actor(r)
	ctx := r.Context()
	c, org, steps, rules, hol, err := s.DB.CandidateFacts(ctx, id, a.ScopePath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := paperFacts{c: c, cell: org, steps: steps, rules: rules, cal: admission.NewCalendar(holidayDays(hol)),
		members: map[int64]admission.Member{}, orgNames: map[int64]string{}}
	if f.committee, err = s.DB.Organization(ctx, org.ParentID, "/"); err != nil && admission.ErrorCode(err) != admission.NotFound {
		s.fail(w, r, err)
		return
	}
	if f.committee.ParentID != 0 {
		if above, err := s.DB.Organization(ctx, f.committee.ParentID, "/"); err == nil {
			f.above = above.Name
		}
	}
	// the step the paper belongs to: the one asked for, else the one that
	// moved the file on, else the latest recorded
	choices := effectiveOf(steps, paper.Step)
	want, _ := strconv.ParseInt(r.URL.Query().Get("buoc"), 10, 64)
	if e, ok := f.effective(paper.Step); ok {
		f.step = e
	} else if len(choices) > 0 {
		f.step = choices[len(choices)-1]
	}
	if want != 0 {
		found := false
		for _, x := range choices {
			if x.ID == want {
				f.step, found = x, true
			}
		}
		if !found {
			s.notFound(w, r)
			return
		}
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("nguoi")); err == nil && n >= 1 {
		if n > len(f.step.Sponsors) {
			s.notFound(w, r)
			return
		}
		f.sponsor = n - 1
	}
	// the sponsors' and helpers' member records, within the committee
	for _, sp := range f.step.Sponsors {
		m, err := s.DB.Member(ctx, sp.MemberID, org.CommitteePath())
		if err != nil {
			continue // a sponsor since moved out of the committee: their lines stay blank
		}
		f.members[m.ID] = m
		if _, ok := f.orgNames[m.OrganizationID]; !ok {
			if o, err := s.DB.Organization(ctx, m.OrganizationID, "/"); err == nil {
				f.orgNames[o.ID] = o.Name
			}
		}
	}
	if paper.Step == admission.RecognitionResolution {
		if f.cell0, err = s.DB.CellMembers(ctx, org.ID, org.Path); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	v := paperView(paper, f)
	v.Title = paper.Name() + " — " + c.FullName
	v.CSS, v.Icon, v.PrintJS = s.Assets.URL("app.css"), s.Assets.URL("favicon.svg"), s.Assets.URL("print.js")
	v.Back, v.BackLabel = candidateHref(c.ID), "Hồ sơ "+c.FullName
	v.Secret = r.URL.Query().Get("mat") == "1"
	v.ToggleHref = withParam(r.URL.Path, r.URL.Query(), "mat", map[bool]string{false: "1", true: ""}[v.Secret])
	for i, x := range choices {
		if len(choices) > 1 {
			v.Others = append(v.Others, templates.Link{Label: fmt.Sprintf("Lần %d (%s)", i+1, admission.FormatDate(x.OccurredOn)), Href: paperHref(c.ID, paper.Slug, x.ID, 0)})
		}
	}
	if paper.PerSponsor {
		for i, sp := range f.step.Sponsors {
			v.Others = append(v.Others, templates.Link{Label: "Người giới thiệu: " + sp.MemberName, Href: paperHref(c.ID, paper.Slug, 0, i)})
		}
	}
	now := s.now().In(ict)
	v.PrintedBy = fmt.Sprintf("In từ ketnap lúc %s ngày %s — %s", now.Format("15:04"), now.Format("02/01/2006"), a.FullName)
	if err := s.Svc.RecordExport(ctx, a, org.ID, admission.ExportPrint, "giay-to", map[string]string{
		"quan-chung": itoa(c.ID), "mau": paper.Slug, "buoc": itoa(f.step.ID), "nguoi": strconv.Itoa(f.sponsor + 1)}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.PaperPage(v))
}

// effectiveOf returns the steps of kind k that were not corrected away, in
// the order they were recorded: every vote of that kind, failed ones too.
func effectiveOf(steps []admission.Step, k admission.Kind) []admission.Step {
	var out []admission.Step
	for _, x := range admission.Effective(steps) {
		if x.Kind == k {
			out = append(out, x)
		}
	}
	return out
}

// papersOf lists the papers of a file for its page: each with the step it
// belongs to, so a paper before its step prints with blanks.
func papersOf(c admission.Candidate, steps []admission.Step) []templates.Link {
	var out []templates.Link
	for _, p := range admission.Papers {
		label := p.Name()
		if p.PerSponsor {
			for _, x := range effectiveOf(steps, p.Step) {
				for i, sp := range x.Sponsors {
					out = append(out, templates.Link{Label: label + " — " + sp.MemberName, Href: paperHref(c.ID, p.Slug, 0, i)})
				}
			}
			continue
		}
		out = append(out, templates.Link{Label: label, Href: paperHref(c.ID, p.Slug, 0, 0)})
	}
	return out
}

// stepPapers lists the papers printed from one recorded step (one per
// sponsor for an introduction).
func stepPapers(candidateID int64, x admission.Step) []templates.Link {
	var out []templates.Link
	for _, p := range admission.PapersOf(x.Kind) {
		if p.PerSponsor {
			for i, sp := range x.Sponsors {
				out = append(out, templates.Link{Label: p.Name() + " — " + sp.MemberName, Href: paperHref(candidateID, p.Slug, 0, i)})
			}
			continue
		}
		out = append(out, templates.Link{Label: p.Name(), Href: paperHref(candidateID, p.Slug, x.ID, 0)})
	}
	return out
}
