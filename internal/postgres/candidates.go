package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

// CellCandidates returns the candidates of an organization in scope, open ones first, by Vietnamese name.
func (db *DB) CellCandidates(ctx context.Context, orgID int64, scope string) ([]admission.Candidate, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+candidateCols+` FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE c.organization_id = $1 AND o.path LIKE $2 || '%'
		ORDER BY c.stage IN ('official', 'withdrawn', 'removed', 'transferred'), split_part(c.full_name, ' ', -1) COLLATE vi, c.full_name, c.id`, orgID, scope)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.Candidate, error) { return scanCandidate(r) })
	return out, wrap(err)
}

// CandidateFacts loads what the candidate page shows: the candidate and its
// cell (in scope), every step, the rule sets and the holidays around today.
func (db *DB) CandidateFacts(ctx context.Context, id int64, scope string) (admission.Candidate, admission.Organization, []admission.Step, admission.RuleSets, []admission.Holiday, error) {
	st := db.Store()
	c, err := st.Candidate(ctx, id, scope)
	if err != nil {
		return c, admission.Organization{}, nil, nil, nil, err
	}
	org, err := st.Organization(ctx, c.OrganizationID, scope)
	if err != nil {
		return c, org, nil, nil, nil, err
	}
	steps, err := st.Steps(ctx, id)
	if err != nil {
		return c, org, nil, nil, nil, err
	}
	rules, err := st.RuleSets(ctx)
	if err != nil {
		return c, org, nil, nil, nil, err
	}
	rows, err := db.Pool.Query(ctx, `SELECT day, name FROM holidays WHERE day BETWEEN current_date - 3650 AND current_date + 1100 ORDER BY day`)
	if err != nil {
		return c, org, nil, nil, nil, wrap(err)
	}
	hol, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.Holiday, error) {
		var h admission.Holiday
		err := r.Scan(&h.Day, &h.Name)
		return h, err
	})
	return c, org, steps, rules, hol, wrap(err)
}

type CandidateFilter = admission.CandidateFilter

type CandidateListRow = admission.CandidateListRow

// ListCandidates returns one page of the candidates in scope that match f,
// exact-diacritic name matches first, then by Vietnamese collation of the
// given name and the full name, and the total count.
func (db *DB) ListCandidates(ctx context.Context, scope string, f CandidateFilter) ([]CandidateListRow, int, error) {
	if f.PerPage <= 0 {
		f.PerPage = 50
	}
	f.Page = min(max(f.Page, 1), maxPage)
	q := admission.NormalizeName(f.Query)
	where := `o.path LIKE $1 || '%'
		  AND ($2 = '' OR c.full_name_search LIKE '%' || $3 || '%')
		  AND ($4::bigint = 0 OR c.organization_id = $4)
		  AND ($5 = '' OR ($5 = 'open' AND c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred')) OR c.stage = $5)
		  AND ($6 = '' OR ($6 = 'overdue' AND c.next_due < $7) OR ($6 = 'soon' AND c.next_due BETWEEN $7 AND $8))`
	args := []any{scope, q, likeEscape(admission.SearchKey(q)), f.OrgID, f.Stage, f.Due, f.Today, f.SoonBy}
	var total int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM candidates c JOIN organizations o ON o.id = c.organization_id WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, wrap(err)
	}
	// Without a search, the order is the index's, so a page stops early; with
	// one, exact-diacritic matches come first among the few that match.
	order := `split_part(c.full_name, ' ', -1) COLLATE vi, c.full_name, c.id`
	if q != "" {
		order = `CASE WHEN lower(c.full_name) LIKE '%' || lower($2) || '%' THEN 0 ELSE 1 END, ` + order
	}
	rows, err := db.Pool.Query(ctx, `SELECT `+candidateCols+`, o.name FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE `+where+` ORDER BY `+order+` LIMIT $9 OFFSET $10`, append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return nil, 0, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CandidateListRow, error) {
		var x CandidateListRow
		var err error
		x.Candidate, err = scanCandidate(r, &x.OrgName)
		return x, err
	})
	return out, total, wrap(err)
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CommitteeMembers returns the members of every organization under a
// committee path (the sponsor and helper pool), by Vietnamese name.
func (db *DB) CommitteeMembers(ctx context.Context, committeePath string) ([]admission.Member, error) {
	return db.Store().CommitteeMembers(ctx, committeePath)
}

// CommitteeMembers returns the current members under a grassroots committee.
func (s *Store) CommitteeMembers(ctx context.Context, committeePath string) ([]admission.Member, error) {
	rows, err := s.q.Query(ctx, `SELECT `+memberCols+` FROM members m JOIN organizations o ON o.id = m.organization_id
		WHERE o.path LIKE $1 || '%' AND m.status IN ('official', 'probationary')
		ORDER BY split_part(m.full_name, ' ', -1) COLLATE vi, m.full_name COLLATE vi, m.id`, committeePath)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.Member, error) { return scanMember(r) })
	return out, wrap(err)
}

// maxPage caps a page number: beyond it a list is empty, never an overflow.
const maxPage = 1_000_000
