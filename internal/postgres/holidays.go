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
		return s.InsertAudit(ctx, auditOf(ctx, a, a.ScopeOrgID, "holiday.delete", "holiday", 0, map[string]any{"day": admission.FormatDate(day), "name": name}, nil))
	})
}
