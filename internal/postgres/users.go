package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

type User = admission.User

const userCols = `u.id, u.username, u.full_name, u.role, u.scope_organization_id, o.name, o.path, u.active, u.password_hash, u.created_at`

func scanUser(row pgx.Row, extra ...any) (User, error) {
	var u User
	err := row.Scan(append([]any{&u.ID, &u.Username, &u.FullName, &u.Role, &u.ScopeOrgID, &u.ScopeName, &u.ScopePath, &u.Active, &u.PasswordHash, &u.CreatedAt}, extra...)...)
	return u, err
}

// UserByUsername returns a user by username (any state), or ErrNotFound.
func (db *DB) UserByUsername(ctx context.Context, username string) (User, error) {
	u, err := scanUser(db.Pool.QueryRow(ctx, `SELECT `+userCols+` FROM users u JOIN organizations o ON o.id = u.scope_organization_id WHERE u.username = $1`, username))
	return u, wrap(err)
}

// User returns a user whose scope lies inside scope.
func (db *DB) User(ctx context.Context, id int64, scope string) (User, error) {
	u, err := scanUser(db.Pool.QueryRow(ctx, `SELECT `+userCols+` FROM users u JOIN organizations o ON o.id = u.scope_organization_id
		WHERE u.id = $1 AND o.path LIKE $2 || '%'`, id, scope))
	return u, wrap(err)
}

// Users lists the users whose scope lies inside scope, by username.
func (db *DB) Users(ctx context.Context, scope string) ([]User, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+userCols+`,
			coalesce((SELECT max(a.at) FROM login_attempts a WHERE a.username = u.username AND a.success), 'epoch'),
			(SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > now())
		FROM users u JOIN organizations o ON o.id = u.scope_organization_id
		WHERE o.path LIKE $1 || '%' ORDER BY u.active DESC, u.username`, scope)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (User, error) {
		var last time.Time
		var n int
		u, err := scanUser(r, &last, &n)
		if last.Year() > 1970 {
			u.LastLoginAt = last
		}
		u.ActiveSessions = n
		return u, err
	})
	return out, wrap(err)
}

type UserInput = admission.UserInput

// CountUsers returns the number of users.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, wrap(err)
}

func auditOf(ctx context.Context, a admission.Actor, org int64, action, entity string, id int64, before, after any) *admission.AuditEvent {
	m := admission.MetaFrom(ctx)
	return &admission.AuditEvent{UserID: a.UserID, OrganizationID: org, Action: action, Entity: entity, EntityID: id,
		Before: before, After: after, IP: m.IP, RequestID: m.RequestID}
}
