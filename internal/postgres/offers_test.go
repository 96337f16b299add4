package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
	"ketnap/internal/pgtest"
	"ketnap/internal/postgres"
)

// rollback runs each transaction to its end and then rolls it back: a
// write that would have been committed reports success and leaves nothing.
type rollback struct{ db *postgres.DB }

var errRolledBack = errors.New("rolled back")

func (r rollback) InTx(ctx context.Context, fn func(admission.Store) error) error {
	err := r.db.InTx(ctx, func(st admission.Store) error {
		if err := fn(st); err != nil {
			return err
		}
		return errRolledBack
	})
	if errors.Is(err, errRolledBack) {
		return nil
	}
	return err
}

// Every step form offered on the demo ward, to committee staff and to each
// cell's secretary, is accepted when submitted at once with today's date
// and sensible values: the count of offered forms the engine would refuse
// is zero. Those not offered say why.
func TestEveryOfferedFormIsAccepted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	today := admission.Day(2026, 11, 20)
	clock := func() time.Time { return today }
	svc := &admission.Service{DB: db, Now: clock}
	if _, err := demo.Load(ctx, db, svc, today, nil); err != nil {
		t.Fatal(err)
	}
	try := &admission.Service{DB: rollback{db}, Now: clock}
	rows, err := db.Pool.Query(ctx, `SELECT c.id, o.id, o.path, r.id, r.path FROM candidates c JOIN organizations o ON o.id = c.organization_id
		JOIN organizations r ON r.parent_id IS NULL AND o.path LIKE r.path || '%' ORDER BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	type file struct {
		id, cell, root int64
		cellPath, path string
	}
	var files []file
	for rows.Next() {
		var f file
		if err := rows.Scan(&f.id, &f.cell, &f.cellPath, &f.root, &f.path); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	rows.Close()
	offered, refused, later := 0, 0, 0
	for _, f := range files {
		for _, a := range []admission.Actor{
			{UserID: 0, Role: admission.RoleStaff, ScopeOrgID: f.root, ScopePath: f.path},
			{UserID: 0, Role: admission.RoleSecretary, ScopeOrgID: f.cell, ScopePath: f.cellPath},
		} {
			offers, err := svc.Offers(ctx, a, f.id)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range offers {
				if !o.Open {
					later++
					if o.Why == "" {
						t.Errorf("candidate %d: %s not offered, without a reason", f.id, o.Def.Kind)
					}
					continue
				}
				offered++
				in, err := svc.SampleInput(ctx, a, f.id, o.Def.Kind)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := try.RecordStep(ctx, a, f.id, in); err != nil {
					refused++
					t.Errorf("candidate %d, %s as %s: offered but refused: %v", f.id, o.Def.Kind, a.Role, err)
				}
			}
		}
	}
	t.Logf("%d forms offered on %d files, %d refused; %d listed as not possible today", offered, len(files), refused, later)
	if offered < 20 {
		t.Fatalf("only %d forms offered on the demo", offered)
	}
}
