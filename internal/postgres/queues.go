package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

// StepsOf returns the steps of the given candidates, in recording order:
// the fields a file's state needs (no sponsors, no recorder).
func (db *DB) StepsOf(ctx context.Context, ids []int64) (map[int64][]admission.Step, error) {
	out := map[int64][]admission.Step{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.Pool.Query(ctx, `SELECT id, candidate_id, seq, kind, occurred_on, coalesce(received_on, '0001-01-01'), outcome,
		coalesce(supersedes_id, 0), rule_set_id FROM steps WHERE candidate_id = ANY($1) ORDER BY candidate_id, seq`, ids)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var x admission.Step
		if err := rows.Scan(&x.ID, &x.CandidateID, &x.Seq, &x.Kind, &x.OccurredOn, &x.ReceivedOn, &x.Outcome, &x.SupersedesID, &x.RuleSetID); err != nil {
			return nil, wrap(err)
		}
		if x.ReceivedOn.Year() == 1 {
			x.ReceivedOn = time.Time{}
		}
		out[x.CandidateID] = append(out[x.CandidateID], x)
	}
	return out, wrap(rows.Err())
}

// OpenFiles returns the open files under scope, soonest deadline first, at
// most limit (more reports whether there were more): their heads, what the
// work queue shows and the state memo checks. CandidatesOf reads the rest,
// for the files whose state is derived anew. (Reading a ward's 3 000 whole
// files for each view was half the queue's time in Go.)
func (db *DB) OpenFiles(ctx context.Context, scope string, limit int) ([]admission.FileHead, bool, error) {
	rows, err := db.Pool.Query(ctx, `SELECT c.id, c.organization_id, c.full_name, c.version, c.updated_at, o.name
		FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE o.path LIKE $1 || '%' AND c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred')
		ORDER BY c.next_due NULLS LAST, c.id LIMIT $2`, scope, limit+1)
	if err != nil {
		return nil, false, wrap(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.FileHead, error) {
		var x admission.FileHead
		err := r.Scan(&x.ID, &x.OrganizationID, &x.FullName, &x.Version, &x.UpdatedAt, &x.OrgName)
		return x, err
	})
	if err != nil {
		return nil, false, wrap(err)
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	return list, more, nil
}

// CandidatesOf returns the candidates with these ids in scope, whole.
func (db *DB) CandidatesOf(ctx context.Context, ids []int64, scope string) (map[int64]admission.Candidate, error) {
	out := map[int64]admission.Candidate{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := db.Pool.Query(ctx, `SELECT `+candidateCols+` FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE c.id = ANY($1) AND o.path LIKE $2 || '%'`, ids, scope)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCandidate(rows)
		if err != nil {
			return nil, wrap(err)
		}
		out[c.ID] = c
	}
	return out, wrap(rows.Err())
}

// HolidayDays returns the holidays between from and to.
func (db *DB) HolidayDays(ctx context.Context, from, to time.Time) ([]time.Time, error) {
	return db.Store().Holidays(ctx, from, to)
}
