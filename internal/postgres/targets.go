package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

type CellProgress = admission.CellProgress

// Progress returns, for each cell in scope, the year's target, the
// admissions so far (ceremonies in that year), the candidates by stage and
// the overdue and due-soon counts relative to today.
//
// Admissions are counted as admission.AdmittedIn defines them: the members
// of the cell's roll (through ketnap or entered directly) whose decision
// (or, with basis "ceremony", ceremony) falls in the year.
func (db *DB) Progress(ctx context.Context, scope string, year int, today, soonBy time.Time, basis string) ([]CellProgress, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT o.id, o.name, o.path, t.admissions,
			(SELECT count(*) FROM members m WHERE m.organization_id = o.id
			   AND CASE WHEN $5 = 'ceremony' THEN m.ceremony_on ELSE m.admitted_on END BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31)),
			(SELECT count(*) FROM candidates c WHERE c.organization_id = o.id AND c.next_due < $3
			   AND c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred')),
			(SELECT count(*) FROM candidates c WHERE c.organization_id = o.id AND c.next_due BETWEEN $3 AND $4
			   AND c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred'))
		FROM organizations o LEFT JOIN targets t ON t.organization_id = o.id AND t.year = $2
		WHERE o.path LIKE $1 || '%' AND o.kind = 'cell' AND o.active
		ORDER BY o.name COLLATE vi`, scope, year, today, soonBy, basis)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CellProgress, error) {
		var p CellProgress
		var target *int
		err := r.Scan(&p.OrgID, &p.Name, &p.Path, &target, &p.Admitted, &p.Overdue, &p.DueSoon)
		if target != nil {
			p.Target, p.HasTarget = *target, true
		}
		p.ByStage = map[admission.Stage]int{}
		return p, err
	})
	if err != nil {
		return nil, wrap(err)
	}
	idx := map[int64]int{}
	for i, p := range out {
		idx[p.OrgID] = i
	}
	rows, err = db.Pool.Query(ctx, `SELECT c.organization_id, c.stage, count(*) FROM candidates c
		WHERE c.organization_id IN (SELECT id FROM organizations WHERE path LIKE $1 || '%') GROUP BY 1, 2`, scope)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var org int64
		var st admission.Stage
		var n int
		if err := rows.Scan(&org, &st, &n); err != nil {
			return nil, wrap(err)
		}
		if i, ok := idx[org]; ok {
			out[i].ByStage[st] = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err)
	}
	// the open files the forecast weighs (admission.ForecastOf)
	rows, err = db.Pool.Query(ctx, `SELECT c.organization_id,
		count(*) FILTER (WHERE c.stage = 'awaiting_ceremony' AND EXISTS (SELECT 1 FROM steps s WHERE s.candidate_id = c.id AND s.kind = 'decision'
			AND s.outcome = 'done' AND s.occurred_on BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31))),
		count(*) FILTER (WHERE c.stage = 'awaiting_decision' AND c.next_due <= make_date($2, 12, 31)),
		count(*) FILTER (WHERE c.stage = 'awaiting_decision' AND (c.next_due IS NULL OR c.next_due > make_date($2, 12, 31))),
		count(*) FILTER (WHERE c.stage = 'dossier' AND EXISTS (SELECT 1 FROM steps s WHERE s.candidate_id = c.id AND s.kind = 'verification'
			AND s.outcome = 'passed' AND NOT EXISTS (SELECT 1 FROM steps x WHERE x.supersedes_id = s.id)))
		FROM candidates c
		WHERE c.organization_id IN (SELECT id FROM organizations WHERE path LIKE $1 || '%')
			AND c.stage IN ('awaiting_ceremony', 'awaiting_decision', 'dossier') GROUP BY 1`, scope, year)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var org int64
		var f admission.ForecastInput
		if err := rows.Scan(&org, &f.AwaitingCeremony, &f.DecisionInYear, &f.DecisionLater, &f.DossierVerified); err != nil {
			return nil, wrap(err)
		}
		if i, ok := idx[org]; ok {
			f.DossierUnverified = out[i].ByStage[admission.StageDossier] - f.DossierVerified
			out[i].Pipeline = f
		}
	}
	return out, wrap(rows.Err())
}
