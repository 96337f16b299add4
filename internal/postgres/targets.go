package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

// CellProgress is one cell's year on the dashboard and the targets page.
type CellProgress struct {
	OrgID     int64
	Name      string
	Target    int  // admissions planned this year
	HasTarget bool // a target was set
	Admitted  int  // ceremonies held this year
	ByStage   map[admission.Stage]int
	Overdue   int
	DueSoon   int
}

// Progress returns, for each cell in scope, the year's target, the
// admissions so far (ceremonies in that year), the candidates by stage and
// the overdue and due-soon counts relative to today.
func (db *DB) Progress(ctx context.Context, scope string, year int, today, soonBy time.Time) ([]CellProgress, error) {
	rows, err := db.Pool.Query(ctx, `
		SELECT o.id, o.name, t.admissions,
			(SELECT count(*) FROM steps s JOIN candidates c ON c.id = s.candidate_id
			 WHERE c.organization_id = o.id AND s.kind = 'ceremony' AND s.outcome = 'done'
			   AND s.occurred_on >= make_date($2, 1, 1) AND s.occurred_on < make_date($2 + 1, 1, 1)
			   AND NOT EXISTS (SELECT 1 FROM steps x WHERE x.supersedes_id = s.id)),
			(SELECT count(*) FROM candidates c WHERE c.organization_id = o.id AND c.next_due < $3
			   AND c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred')),
			(SELECT count(*) FROM candidates c WHERE c.organization_id = o.id AND c.next_due BETWEEN $3 AND $4
			   AND c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred'))
		FROM organizations o LEFT JOIN targets t ON t.organization_id = o.id AND t.year = $2
		WHERE o.path LIKE $1 || '%' AND o.kind = 'cell' AND o.active
		ORDER BY o.name COLLATE vi`, scope, year, today, soonBy)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CellProgress, error) {
		var p CellProgress
		var target *int
		err := r.Scan(&p.OrgID, &p.Name, &target, &p.Admitted, &p.Overdue, &p.DueSoon)
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
	rows, err = db.Pool.Query(ctx, `SELECT c.organization_id, c.stage, count(*) FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE o.path LIKE $1 || '%' GROUP BY 1, 2`, scope)
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
	return out, wrap(rows.Err())
}

// SetTargets writes the year's admission targets of cells in the actor's
// scope (nil: remove the target), with one audit event per changed cell.
func (db *DB) SetTargets(ctx context.Context, a admission.Actor, year int, targets map[int64]*int) error {
	return db.InTx(ctx, func(st admission.Store) error {
		s := st.(*Store)
		for org, n := range targets {
			o, err := s.Organization(ctx, org, a.ScopePath)
			if err != nil {
				return err
			}
			var old *int
			err = s.q.QueryRow(ctx, `SELECT admissions FROM targets WHERE organization_id = $1 AND year = $2`, org, year).Scan(&old)
			if err != nil && err != pgx.ErrNoRows {
				return wrap(err)
			}
			if (old == nil && n == nil) || (old != nil && n != nil && *old == *n) {
				continue
			}
			if n == nil {
				_, err = s.q.Exec(ctx, `DELETE FROM targets WHERE organization_id = $1 AND year = $2`, org, year)
			} else {
				_, err = s.q.Exec(ctx, `INSERT INTO targets (organization_id, year, admissions, updated_by) VALUES ($1, $2, $3, $4)
					ON CONFLICT (organization_id, year) DO UPDATE SET admissions = EXCLUDED.admissions, updated_by = EXCLUDED.updated_by, updated_at = now()`,
					org, year, *n, nullInt(a.UserID))
			}
			if err != nil {
				return wrap(err)
			}
			if err := s.InsertAudit(ctx, auditOf(ctx, a, o.ID, "target.set", "organization", o.ID,
				map[string]any{"year": year, "admissions": old}, map[string]any{"year": year, "admissions": n})); err != nil {
				return err
			}
		}
		return nil
	})
}
