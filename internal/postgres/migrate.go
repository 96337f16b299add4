package postgres

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"ketnap/migrations"
)

// Migrator runs ketnap's migrations under a PostgreSQL session lock, so two
// instances starting at once cannot both migrate.
type Migrator struct {
	p *goose.Provider
}

// NewMigrator returns a migrator for db.
func (db *DB) NewMigrator(log *slog.Logger) (*Migrator, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithSessionLocker(locker)}
	if log != nil {
		opts = append(opts, goose.WithSlog(log))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db.SQL(), migrations.FS, opts...)
	if err != nil {
		return nil, err
	}
	return &Migrator{p: p}, nil
}

// Up applies every pending migration.
func (m *Migrator) Up(ctx context.Context) error {
	_, err := m.p.Up(ctx)
	return err
}

// Down rolls back the latest migration.
func (m *Migrator) Down(ctx context.Context) error {
	_, err := m.p.Down(ctx)
	return err
}

// DownTo rolls back to version v (0: everything).
func (m *Migrator) DownTo(ctx context.Context, v int64) error {
	_, err := m.p.DownTo(ctx, v)
	return err
}

// Version returns the current schema version.
func (m *Migrator) Version(ctx context.Context) (int64, error) {
	return m.p.GetDBVersion(ctx)
}

// Status writes one line per migration: applied or pending.
func (m *Migrator) Status(ctx context.Context, w io.Writer) error {
	st, err := m.p.Status(ctx)
	if err != nil {
		return err
	}
	for _, s := range st {
		when := "chưa áp dụng"
		if s.State == goose.StateApplied {
			when = "đã áp dụng " + s.AppliedAt.Local().Format("02/01/2006 15:04")
		}
		fmt.Fprintf(w, "%05d  %-40s %s\n", s.Source.Version, s.Source.Path, when)
	}
	return nil
}
