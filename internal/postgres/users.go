package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

// User is an account as the administration pages show it.
type User struct {
	ID             int64
	Username       string
	FullName       string
	Role           admission.Role
	ScopeOrgID     int64
	ScopeName      string
	ScopePath      string
	Active         bool
	PasswordHash   string
	CreatedAt      time.Time
	LastLoginAt    time.Time
	ActiveSessions int
}

// Actor returns the admission actor of a user.
func (u User) Actor() admission.Actor {
	return admission.Actor{UserID: u.ID, Username: u.Username, FullName: u.FullName, Role: u.Role, ScopeOrgID: u.ScopeOrgID, ScopePath: u.ScopePath}
}

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

// UserInput is a user created or changed by an admin.
type UserInput struct {
	Username     string
	FullName     string
	Role         admission.Role
	ScopeOrgID   int64
	Active       bool
	PasswordHash string // set on create and on reset
	MustChange   bool
}

// CountUsers returns the number of users.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, wrap(err)
}

// CreateUser adds a user whose scope lies inside the actor's scope, with its audit event.
func (db *DB) CreateUser(ctx context.Context, a admission.Actor, in UserInput) (User, error) {
	var u User
	err := db.InTx(ctx, func(st admission.Store) error {
		s := st.(*Store)
		var id int64
		err := s.q.QueryRow(ctx, `INSERT INTO users (username, full_name, password_hash, role, scope_organization_id, active, must_change_password)
			SELECT $1, $2, $3, $4, o.id, true, $6 FROM organizations o WHERE o.id = $5 AND o.path LIKE $7 || '%'
			RETURNING id`, in.Username, in.FullName, in.PasswordHash, in.Role, in.ScopeOrgID, in.MustChange, a.ScopePath).Scan(&id)
		if err != nil {
			return wrap(err)
		}
		if u, err = scanUser(s.q.QueryRow(ctx, `SELECT `+userCols+` FROM users u JOIN organizations o ON o.id = u.scope_organization_id WHERE u.id = $1`, id)); err != nil {
			return wrap(err)
		}
		return s.InsertAudit(ctx, auditOf(ctx, a, u.ScopeOrgID, "user.create", "user", id, nil, safeUser(u)))
	})
	return u, err
}

// UpdateUser changes a user's name, role, scope and state (both old and new
// scope inside the actor's); deactivation ends the user's sessions at once.
func (db *DB) UpdateUser(ctx context.Context, a admission.Actor, id int64, in UserInput) (User, error) {
	var u User
	err := db.InTx(ctx, func(st admission.Store) error {
		s := st.(*Store)
		old, err := scanUser(s.q.QueryRow(ctx, `SELECT `+userCols+` FROM users u JOIN organizations o ON o.id = u.scope_organization_id
			WHERE u.id = $1 AND o.path LIKE $2 || '%' FOR UPDATE OF u`, id, a.ScopePath))
		if err != nil {
			return wrap(err)
		}
		tag, err := s.q.Exec(ctx, `UPDATE users u SET full_name = $2, role = $3, scope_organization_id = o.id, active = $5, updated_at = now()
			FROM organizations o WHERE u.id = $1 AND o.id = $4 AND o.path LIKE $6 || '%'`, id, in.FullName, in.Role, in.ScopeOrgID, in.Active, a.ScopePath)
		if err != nil {
			return wrap(err)
		}
		if tag.RowsAffected() == 0 {
			return &admission.Error{Code: admission.Invalid, Field: "scope_organization_id", Message: "Phạm vi phải là một tổ chức thuộc phạm vi của bạn.",
				Fields: map[string]string{"scope_organization_id": "Chọn một tổ chức thuộc phạm vi của bạn."}}
		}
		if !in.Active || in.Role != old.Role || in.ScopeOrgID != old.ScopeOrgID {
			if _, err := s.q.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return wrap(err)
			}
		}
		if u, err = scanUser(s.q.QueryRow(ctx, `SELECT `+userCols+` FROM users u JOIN organizations o ON o.id = u.scope_organization_id WHERE u.id = $1`, id)); err != nil {
			return wrap(err)
		}
		return s.InsertAudit(ctx, auditOf(ctx, a, u.ScopeOrgID, "user.update", "user", id, safeUser(old), safeUser(u)))
	})
	return u, err
}

// SetPassword replaces a user's password hash and ends their sessions.
func (db *DB) SetPassword(ctx context.Context, a admission.Actor, id int64, hash string, mustChange bool) error {
	return db.InTx(ctx, func(st admission.Store) error {
		s := st.(*Store)
		var org int64
		err := s.q.QueryRow(ctx, `UPDATE users u SET password_hash = $2, must_change_password = $3, password_changed_at = now(), updated_at = now()
			FROM organizations o WHERE u.id = $1 AND o.id = u.scope_organization_id AND o.path LIKE $4 || '%'
			RETURNING u.scope_organization_id`, id, hash, mustChange, a.ScopePath).Scan(&org)
		if err != nil {
			return wrap(err)
		}
		if _, err := s.q.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return wrap(err)
		}
		return s.InsertAudit(ctx, auditOf(ctx, a, org, "user.password_reset", "user", id, nil, map[string]any{"sessions_ended": true}))
	})
}

// safeUser is what the audit trail keeps of a user: never the password hash.
func safeUser(u User) map[string]any {
	return map[string]any{"username": u.Username, "full_name": u.FullName, "role": u.Role, "scope_organization_id": u.ScopeOrgID, "active": u.Active}
}

func auditOf(ctx context.Context, a admission.Actor, org int64, action, entity string, id int64, before, after any) *admission.AuditEvent {
	m := admission.MetaFrom(ctx)
	return &admission.AuditEvent{UserID: a.UserID, OrganizationID: org, Action: action, Entity: entity, EntityID: id,
		Before: before, After: after, IP: m.IP, RequestID: m.RequestID}
}

// NormalizeUsername returns the stored form of a username.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
