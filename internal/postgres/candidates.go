package postgres

import (
	"context"

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
