package postgres_test

import (
	"context"
	"testing"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
	"ketnap/internal/pgtest"
	"ketnap/internal/postgres"
)

// demoDB is a fresh database holding the demo as of its day, 20/11/2026.
func demoDB(t *testing.T) (*postgres.DB, time.Time) {
	t.Helper()
	db := pgtest.DB(t)
	today := admission.Day(2026, 11, 20)
	if _, err := demo.Load(context.Background(), db, &admission.Service{DB: db, Now: func() time.Time { return today }}, today, nil); err != nil {
		t.Fatal(err)
	}
	return db, today
}
