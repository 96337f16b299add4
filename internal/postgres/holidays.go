package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

type HolidayRow = admission.HolidayRow

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
