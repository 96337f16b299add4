package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"ketnap/internal/admission"
	"ketnap/internal/postgres"
)

// A list read organization by organization gives the same pages, forwards
// and backwards, as one read through the index of all names.
func TestListByOrganizationMatchesTheWholeIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, today := demoDB(t)
	var cell int64
	var ward string
	if err := db.Pool.QueryRow(ctx, `SELECT o.id, p.path FROM organizations o JOIN organizations p ON p.id = o.parent_id
		WHERE o.kind = 'cell' AND (SELECT count(*) FROM candidates c WHERE c.organization_id = o.id) > 2 ORDER BY o.id LIMIT 1`).Scan(&cell, &ward); err != nil {
		t.Fatal(err)
	}
	// the pages of a filter, forwards then backwards from the last
	walk := func(scope string, f postgres.CandidateFilter) string {
		var out string
		f.PerPage = 4
		var last admission.CandidatePage
		for i := 0; i < 200; i++ {
			p, err := db.ListCandidates(ctx, scope, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range p.Rows {
				out += fmt.Sprint(r.ID, " ")
			}
			out += fmt.Sprintf("| %q %q\n", p.Prev, p.Next)
			last = p
			if p.Next == "" {
				break
			}
			f.After = p.Next
		}
		f.After = ""
		for p := last; p.Prev != ""; {
			f.Before = p.Prev
			var err error
			if p, err = db.ListCandidates(ctx, scope, f); err != nil {
				t.Fatal(err)
			}
			for _, r := range p.Rows {
				out += fmt.Sprint(r.ID, " ")
			}
			out += "<\n"
		}
		return out
	}
	for _, scope := range []string{"/", ward} {
		for _, f := range []postgres.CandidateFilter{{}, {Stage: "open"}, {Stage: string(admission.StageDossier)}, {OrgID: cell}} {
			f.Today, f.SoonBy = today, today.AddDate(0, 0, 30)
			by := walk(scope, f)
			restore := postgres.SetPerOrgScope(0)
			whole := walk(scope, f)
			restore()
			if by != whole || by == "" || (f.Stage == "" && f.OrgID == 0 && strings.Count(by, "|") < 3) {
				t.Fatalf("%s %+v:\nby organization\n%s\nthrough the whole index\n%s", scope, f, by, whole)
			}
		}
	}
	// a search or a page by number in a small scope, its keys read from the
	// index of names, gives the pages read from the table
	for _, scope := range []string{"/", ward} {
		for _, f := range []postgres.CandidateFilter{{Query: "n"}, {Query: "an", Stage: "open"}, {Query: "Thị"}, {Query: "Hà"}, {Query: "h", OrgID: cell},
			{}, {Stage: "open"}} {
			f.Today, f.SoonBy = today, today.AddDate(0, 0, 30)
			f.PerPage = 5
			pages := func() string {
				var out string
				for f.Page = 1; f.Page <= 6; f.Page++ {
					p, err := db.ListCandidates(ctx, scope, f)
					if err != nil {
						t.Fatal(err)
					}
					out += fmt.Sprint(p.Total, ":")
					for _, r := range p.Rows {
						out += fmt.Sprint(" ", r.ID)
					}
					out += "\n"
				}
				return out
			}
			small := pages()
			restore := postgres.SetSmallScope(0)
			wide := pages()
			restore()
			if small != wide || strings.Count(small, " ") < 3 {
				t.Fatalf("%s %+v:\nthe scope's keys\n%s\nall keys\n%s", scope, f, small, wide)
			}
			if f.Query == "" || f.Stage != "" || f.OrgID != 0 {
				continue
			}
			// and the order is the list's definition: exact-diacritic
			// matches first, then the given name and the full name in
			// Vietnamese order
			var want string
			var total int
			if err := db.Pool.QueryRow(ctx, `SELECT count(*), coalesce(string_agg(id::text, ' '), '') FROM (SELECT c.id FROM candidates c JOIN organizations o ON o.id = c.organization_id
				WHERE o.path LIKE $1 || '%' AND c.full_name_search LIKE '%' || $2 || '%'
				ORDER BY lower(c.full_name) NOT LIKE '%' || lower($3) || '%', split_part(c.full_name, ' ', -1) COLLATE vi, c.full_name COLLATE vi, c.id LIMIT 30) x`,
				scope, admission.SearchKey(f.Query), admission.NormalizeName(f.Query)).Scan(&total, &want); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, line := range strings.Split(small, "\n") {
				if _, ids, ok := strings.Cut(line, ": "); ok {
					got = append(got, ids)
				}
			}
			if strings.Join(got, " ") != want {
				t.Fatalf("%s %+v: pages %q, by definition %q", scope, f, strings.Join(got, " "), want)
			}
		}
	}
}
