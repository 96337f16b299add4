package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

type CellProgress = admission.CellProgress

// Progress returns, for each active cell in scope, the year's target, the
// admissions so far, the candidates by stage, the open files the forecast
// weighs and the overdue and due-soon counts relative to today.
//
// Admissions are counted as admission.AdmittedIn defines them: the members
// of the cell's roll (through ketnap or entered directly) whose decision
// (or, with basis "ceremony", ceremony) falls in the year. The counts by
// stage and year are read from the tallies the writes keep (migration
// 00018), not from the files themselves.
func (db *DB) Progress(ctx context.Context, scope string, year int, today, soonBy time.Time, basis string) ([]CellProgress, error) {
	out, _, err := db.progress(ctx, scope, year, today, soonBy, basis, false)
	return out, err
}

// UnitProgress is Progress for each organization directly under scope, its
// figures those of its whole subtree, when some cells lie deeper than that
// (a province's wards); otherwise it is Progress itself. rolled says which.
func (db *DB) UnitProgress(ctx context.Context, scope string, year int, today, soonBy time.Time, basis string) ([]CellProgress, bool, error) {
	return db.progress(ctx, scope, year, today, soonBy, basis, true)
}

func (db *DB) progress(ctx context.Context, scope string, year int, today, soonBy time.Time, basis string, roll bool) ([]CellProgress, bool, error) {
	deep := false
	if roll {
		err := db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organizations o WHERE o.path LIKE $1 || '%' AND o.kind = 'cell' AND o.active
			AND o.path !~ ('^' || $1 || '([0-9]+/)?$'))`, scope).Scan(&deep)
		if err != nil {
			return nil, false, wrap(err)
		}
	}
	// the units: the cells themselves, or the organizations directly under
	// scope with cells under them; unit is the position of a unit's id in
	// a path under it (0: the cell itself)
	unit := 0
	units := `SELECT o.id, o.name, o.path FROM organizations o WHERE o.path LIKE $1 || '%' AND o.kind = 'cell' AND o.active`
	if deep {
		unit = strings.Count(scope, "/")
		units = `SELECT o.id, o.name, o.path FROM organizations o WHERE o.parent_id = (SELECT id FROM organizations WHERE path = $1) AND o.active
			AND EXISTS (SELECT 1 FROM organizations c WHERE c.path LIKE o.path || '%' AND c.kind = 'cell' AND c.active)`
	}
	unitOf := `o.id`
	if unit > 0 {
		unitOf = `(organization_ancestors(o.path))[` + strconv.Itoa(unit) + `]`
	}
	rows, err := db.Pool.Query(ctx, `WITH u AS (`+units+`), t AS (
			SELECT `+unitOf+` AS unit, sum(t.admissions) AS admissions FROM targets t JOIN organizations o ON o.id = t.organization_id
			WHERE t.year = $2 AND o.path LIKE $1 || '%' AND o.kind = 'cell' AND o.active GROUP BY 1
		), d AS (
			SELECT `+unitOf+` AS unit, count(*) FILTER (WHERE c.next_due < $3) AS overdue, count(*) FILTER (WHERE c.next_due >= $3) AS soon
			FROM candidates c JOIN organizations o ON o.id = c.organization_id
			WHERE o.path LIKE $1 || '%' AND c.next_due <= $4 AND c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred') GROUP BY 1
		)
		SELECT u.id, u.name, u.path, t.admissions, coalesce(d.overdue, 0), coalesce(d.soon, 0)
		FROM u LEFT JOIN t ON t.unit = u.id LEFT JOIN d ON d.unit = u.id ORDER BY u.name COLLATE vi, u.id`, scope, year, today, soonBy)
	if err != nil {
		return nil, false, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CellProgress, error) {
		var p CellProgress
		var target *int
		err := r.Scan(&p.OrgID, &p.Name, &p.Path, &target, &p.Overdue, &p.DueSoon)
		if target != nil {
			p.Target, p.HasTarget = *target, true
		}
		p.ByStage = map[admission.Stage]int{}
		return p, err
	})
	if err != nil {
		return nil, false, wrap(err)
	}
	idx := map[int64]int{}
	ids := make([]int64, len(out))
	for i, p := range out {
		idx[p.OrgID], ids[i] = i, p.OrgID
	}
	admitted := "admitted/" + strconv.Itoa(year)
	if basis == admission.AdmittedByCeremony {
		admitted = "ceremony/" + strconv.Itoa(year)
	}
	rows, err = db.Pool.Query(ctx, `SELECT organization_id, item, sum(n) FROM tallies
		WHERE organization_id = ANY($1) AND (item LIKE 'stage/%' OR item = $2) GROUP BY 1, 2`, ids, admitted)
	if err != nil {
		return nil, false, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var org int64
		var item string
		var n int
		if err := rows.Scan(&org, &item, &n); err != nil {
			return nil, false, wrap(err)
		}
		if i, ok := idx[org]; ok {
			tallyInto(&out[i], item, admitted, n, year)
		}
	}
	return out, deep, wrap(rows.Err())
}

// tallyInto adds a tally item's count to a unit's progress.
func tallyInto(p *CellProgress, item, admitted string, n, year int) {
	if item == admitted {
		p.Admitted += n
		return
	}
	rest, ok := strings.CutPrefix(item, "stage/")
	if !ok {
		return
	}
	st, mark, _ := strings.Cut(rest, "/")
	stage := admission.Stage(st)
	p.ByStage[stage] += n
	f := &p.Pipeline
	switch stage {
	case admission.StageAwaitingCeremony:
		if mark == strconv.Itoa(year) {
			f.AwaitingCeremony += n
		}
	case admission.StageAwaitingDecision:
		if y, err := strconv.Atoi(mark); err == nil && y <= year {
			f.DecisionInYear += n
		} else {
			f.DecisionLater += n
		}
	case admission.StageDossier:
		if mark == "verified" {
			f.DossierVerified += n
		} else {
			f.DossierUnverified += n
		}
	}
}
