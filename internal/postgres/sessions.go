package postgres

import (
	"context"
	"time"

	"ketnap/internal/admission"
)

// Login throttling policy: failures for one username (since its last
// success) or from one address within FailWindow slow down, then lock.
const (
	FailWindow      = 15 * time.Minute
	SlowAfter       = 3  // from the 3rd failure in a row, wait 1 s, 2 s, 4 s… before the next try
	LockAfter       = 10 // the 10th failure in a row locks the username for FailWindow
	LockAfterIP     = 30 // an address may fail more (offices share one address)
	maxThrottleWait = time.Minute
)

type Throttle = admission.Throttle

// LoginThrottle returns the throttle state for a username and an address.
func (db *DB) LoginThrottle(ctx context.Context, username, ip string, now time.Time) (Throttle, error) {
	var th Throttle
	for _, q := range []struct {
		col   string
		value string
		lock  int
	}{{"username", username, LockAfter}, {"ip", ip, LockAfterIP}} {
		var n int
		var last *time.Time
		err := db.Pool.QueryRow(ctx, `SELECT count(*), max(at) FROM login_attempts
			WHERE `+q.col+` = $1 AND NOT success AND at > $2::timestamptz - $3::interval AND at <= $2
			AND at > coalesce((SELECT max(at) FROM login_attempts WHERE `+q.col+` = $1 AND success), '-infinity')`,
			q.value, now, FailWindow).Scan(&n, &last)
		if err != nil {
			return th, wrap(err)
		}
		if n >= q.lock {
			th.Locked = true
		}
		if n >= SlowAfter && last != nil {
			wait := time.Second << (n - SlowAfter)
			if wait > maxThrottleWait || wait <= 0 {
				wait = maxThrottleWait
			}
			if left := last.Add(wait).Sub(now); left > th.Wait {
				th.Wait = left
			}
		}
	}
	return th, nil
}

// LoginFailed records a failed attempt and its audit event in one
// transaction. userID is 0 when the username does not exist.
func (db *DB) LoginFailed(ctx context.Context, username, ip string, userID, orgID int64, now time.Time, reason string) error {
	return db.InTx(ctx, func(st admission.Store) error {
		s := st.(*Store)
		if _, err := s.q.Exec(ctx, `INSERT INTO login_attempts (at, username, ip, success) VALUES ($1, $2, $3, false)`, now, username, ip); err != nil {
			return wrap(err)
		}
		return s.InsertAudit(ctx, auditOf(ctx, admission.Actor{UserID: userID}, orgID, "login.failure", "user", userID, nil,
			map[string]any{"username": username, "reason": reason}))
	})
}

// Login records a successful attempt, ends the session the browser had (if
// any), creates a new one and writes the audit event, in one transaction.
func (db *DB) Login(ctx context.Context, u User, oldTokenHash, newTokenHash []byte, ip, userAgent string, now, expires time.Time) error {
	return db.InTx(ctx, func(st admission.Store) error {
		s := st.(*Store)
		if _, err := s.q.Exec(ctx, `INSERT INTO login_attempts (at, username, ip, success) VALUES ($1, $2, $3, true)`, now, u.Username, ip); err != nil {
			return wrap(err)
		}
		if len(oldTokenHash) > 0 {
			if _, err := s.q.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, oldTokenHash); err != nil {
				return wrap(err)
			}
		}
		if _, err := s.q.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2`, u.ID, now); err != nil {
			return wrap(err)
		}
		if len(userAgent) > 300 {
			userAgent = userAgent[:300]
		}
		if _, err := s.q.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES ($1, $2, $3, $3, $4, $5, $6)`, newTokenHash, u.ID, now, expires, ip, userAgent); err != nil {
			return wrap(err)
		}
		if _, err := s.q.Exec(ctx, `UPDATE users SET previous_login_at = last_login_at, last_login_at = $2 WHERE id = $1`, u.ID, now); err != nil {
			return wrap(err)
		}
		return s.InsertAudit(ctx, auditOf(ctx, u.Actor(), u.ScopeOrgID, "login.success", "user", u.ID, nil, map[string]any{"username": u.Username}))
	})
}

// SessionActor returns the actor of a live session: not expired, not idle
// longer than idle, and its user active. It refreshes last_seen_at at most once a minute.
// mustChange reports that the user must choose a new password before anything else.
func (db *DB) SessionActor(ctx context.Context, tokenHash []byte, now time.Time, idle time.Duration) (a admission.Actor, mustChange bool, err error) {
	var lastSeen time.Time
	err = db.key().QueryRow(ctx, `SELECT u.id, u.username, u.full_name, u.role, u.scope_organization_id, o.path, s.last_seen_at, u.must_change_password
		FROM sessions s JOIN users u ON u.id = s.user_id JOIN organizations o ON o.id = u.scope_organization_id
		WHERE s.token_hash = $1 AND u.active AND s.expires_at > $2 AND s.last_seen_at > $2::timestamptz - $3::interval`,
		tokenHash, now, idle).Scan(&a.UserID, &a.Username, &a.FullName, &a.Role, &a.ScopeOrgID, &a.ScopePath, &lastSeen, &mustChange)
	if err != nil {
		return a, false, wrap(err)
	}
	if now.Sub(lastSeen) > time.Minute {
		// one of a session's concurrent requests refreshes it; the others
		// pass by rather than queue on its row (with every request of a busy
		// session waiting there, they never caught up: 36 ms each at 32 at once)
		if _, err := db.key().Exec(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE token_hash = (SELECT token_hash FROM sessions
			WHERE token_hash = $1 AND last_seen_at < $2::timestamptz - interval '1 minute' FOR UPDATE SKIP LOCKED)`, tokenHash, now); err != nil {
			return a, mustChange, wrap(err)
		}
	}
	return a, mustChange, nil
}

// Logout ends a session on the server, with its audit event.
func (db *DB) Logout(ctx context.Context, a admission.Actor, tokenHash []byte) error {
	return db.InTx(ctx, func(st admission.Store) error {
		s := st.(*Store)
		if _, err := s.q.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash); err != nil {
			return wrap(err)
		}
		return s.InsertAudit(ctx, auditOf(ctx, a, a.ScopeOrgID, "logout", "user", a.UserID, nil, map[string]any{"username": a.Username}))
	})
}
