package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

// HolidayRow is a holiday with where it came from.
type HolidayRow struct {
	admission.Holiday
	Generated bool
}

// HolidaysOfYear lists a year's holidays in date order.
func (db *DB) HolidaysOfYear(ctx context.Context, year int) ([]HolidayRow, error) {
	rows, err := db.Pool.Query(ctx, `SELECT day, name, source = 'generated' FROM holidays WHERE day BETWEEN $1 AND $2 ORDER BY day`,
		admission.Day(year, 1, 1), admission.Day(year, 12, 31))
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (HolidayRow, error) {
		var h HolidayRow
		err := r.Scan(&h.Day, &h.Name, &h.Generated)
		return h, err
	})
	return out, wrap(err)
}

// SetHoliday adds a holiday or renames one, with its audit event.
func (db *DB) SetHoliday(ctx context.Context, a admission.Actor, day time.Time, name string) error {
	return db.InTx(ctx, func(st admission.Store) error {
		s := st.(*Store)
		if _, err := s.q.Exec(ctx, `INSERT INTO holidays (day, name, source) VALUES ($1, $2, 'manual')
			ON CONFLICT (day) DO UPDATE SET name = EXCLUDED.name, source = 'manual'`, day, name); err != nil {
			return wrap(err)
		}
		if err := s.recomputeNextDue(ctx, day); err != nil {
			return err
		}
		return s.InsertAudit(ctx, auditOf(ctx, a, a.ScopeOrgID, "holiday.set", "holiday", 0, nil, map[string]any{"day": admission.FormatDate(day), "name": name}))
	})
}

// DeleteHoliday removes a holiday (a working day again), with its audit event.
func (db *DB) DeleteHoliday(ctx context.Context, a admission.Actor, day time.Time) error {
	return db.InTx(ctx, func(st admission.Store) error {
		s := st.(*Store)
		var name string
		err := s.q.QueryRow(ctx, `DELETE FROM holidays WHERE day = $1 RETURNING name`, day).Scan(&name)
		if err != nil {
			return wrap(err)
		}
		if err := s.recomputeNextDue(ctx, day); err != nil {
			return err
		}
		return s.InsertAudit(ctx, auditOf(ctx, a, a.ScopeOrgID, "holiday.delete", "holiday", 0, map[string]any{"day": admission.FormatDate(day), "name": name}, nil))
	})
}

// recomputeNextDue rewrites next_due of the open candidates whose earliest
// deadline falls on or after day: a holiday added or removed on day can only
// move deadlines that end after it.
func (s *Store) recomputeNextDue(ctx context.Context, day time.Time) error {
	rules, err := s.RuleSets(ctx)
	if err != nil {
		return err
	}
	hol, err := s.Holidays(ctx, day.AddDate(-10, 0, 0), day.AddDate(5, 0, 0))
	if err != nil {
		return err
	}
	cal := admission.NewCalendar(hol)
	today := admission.DateOf(time.Now().In(time.FixedZone("ICT", 7*3600)))
	rows, err := s.q.Query(ctx, `SELECT `+candidateCols+` FROM candidates c
		WHERE c.next_due >= $1 AND c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred')`, day)
	if err != nil {
		return wrap(err)
	}
	cands, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.Candidate, error) { return scanCandidate(r) })
	if err != nil {
		return wrap(err)
	}
	for _, c := range cands {
		steps, err := s.Steps(ctx, c.ID)
		if err != nil {
			return err
		}
		var due *time.Time
		code := ""
		if ds := admission.Deadlines(c, steps, rules, cal, today); len(ds) > 0 {
			due, code = &ds[0].Due, ds[0].Code
		}
		if _, err := s.q.Exec(ctx, `UPDATE candidates SET next_due = $2, next_due_code = $3 WHERE id = $1`, c.ID, due, code); err != nil {
			return wrap(err)
		}
	}
	return nil
}
