package postgres

import (
	"context"

	"ketnap/internal/admission"

	"github.com/jackc/pgx/v5"
)

// Member returns a member whose organization lies in scope.
func (db *DB) Member(ctx context.Context, id int64, scope string) (admission.Member, error) {
	m, err := scanMember(db.Pool.QueryRow(ctx, `SELECT `+memberCols+` FROM members m JOIN organizations o ON o.id = m.organization_id
		WHERE m.id = $1 AND o.path LIKE $2 || '%'`, id, scope))
	return m, wrap(err)
}

// MemberEvents returns a member's events by date, with who recorded them.
func (db *DB) MemberEvents(ctx context.Context, memberID int64) ([]admission.MemberEvent, error) {
	rows, err := db.Pool.Query(ctx, `SELECT e.id, e.member_id, e.kind, e.occurred_on, e.reason, coalesce(e.step_id, 0), coalesce(e.recorded_by, 0),
		coalesce(u.full_name, ''), e.recorded_at FROM member_events e LEFT JOIN users u ON u.id = e.recorded_by
		WHERE e.member_id = $1 ORDER BY e.occurred_on, e.id`, memberID)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.MemberEvent, error) {
		var e admission.MemberEvent
		err := r.Scan(&e.ID, &e.MemberID, &e.Kind, &e.OccurredOn, &e.Reason, &e.StepID, &e.RecordedBy, &e.RecordedByName, &e.RecordedAt)
		return e, err
	})
	return out, wrap(err)
}

// Organization returns an organization in scope.
func (db *DB) Organization(ctx context.Context, id int64, scope string) (admission.Organization, error) {
	return db.Store().Organization(ctx, id, scope)
}

// RuleSets returns every rule set.
func (db *DB) RuleSets(ctx context.Context) (admission.RuleSets, error) {
	return db.Store().RuleSets(ctx)
}

// Vocabularies returns every vocabulary entry by kind.
func (db *DB) Vocabularies(ctx context.Context) (admission.Vocabularies, error) {
	return db.Store().Vocabularies(ctx)
}

// Candidate returns a candidate in scope.
func (db *DB) Candidate(ctx context.Context, id int64, scope string) (admission.Candidate, error) {
	return db.Store().Candidate(ctx, id, scope)
}
