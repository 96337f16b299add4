package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

// LockOrganization returns an organization in scope, locking its row.
func (s *Store) LockOrganization(ctx context.Context, id int64, scope string) (admission.Organization, error) {
	o, err := scanOrg(s.q.QueryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.id = $1 AND o.path LIKE $2 || '%' FOR UPDATE`, id, scope))
	return o, wrap(err)
}

// OrganizationByCode finds an organization by code.
func (s *Store) OrganizationByCode(ctx context.Context, code string) (admission.Organization, bool, error) {
	o, err := scanOrg(s.q.QueryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.code = $1`, code))
	if err == pgx.ErrNoRows {
		return o, false, nil
	}
	return o, err == nil, wrap(err)
}

// InsertOrganization writes a new organization; the database sets its path.
func (s *Store) InsertOrganization(ctx context.Context, o *admission.Organization) error {
	n, err := scanOrg(s.q.QueryRow(ctx, `INSERT INTO organizations AS o (parent_id, kind, name, code, has_intermediate_committee, has_youth_union)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+orgCols, nullInt(o.ParentID), o.Kind, o.Name, o.Code, o.HasIntermediateCommittee, o.HasYouthUnion))
	if err == nil {
		*o = n
	}
	return wrap(err)
}

// UpdateOrganization writes name, settings and parent (the subtree's paths follow a move).
func (s *Store) UpdateOrganization(ctx context.Context, o *admission.Organization) error {
	n, err := scanOrg(s.q.QueryRow(ctx, `UPDATE organizations o SET name = $2, has_intermediate_committee = $3, has_youth_union = $4,
		parent_id = CASE WHEN $5::bigint = 0 THEN o.parent_id ELSE $5 END, updated_at = now()
		WHERE o.id = $1 RETURNING `+orgCols, o.ID, o.Name, o.HasIntermediateCommittee, o.HasYouthUnion, o.ParentID))
	if err == nil {
		*o = n
	}
	return wrap(err)
}

func collectCandidates(rows pgx.Rows, err error) ([]admission.Candidate, error) {
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.Candidate, error) { return scanCandidate(r) })
	return out, wrap(err)
}

// CandidatesByIdentity returns the candidates in scope with exactly this identity.
func (s *Store) CandidatesByIdentity(ctx context.Context, name, gender string, birth time.Time, scope string) ([]admission.Candidate, error) {
	return collectCandidates(s.q.Query(ctx, `SELECT `+candidateCols+` FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE c.full_name_search = $1 AND c.gender = $2 AND c.birth_date = $3 AND o.path LIKE $4 || '%' ORDER BY c.id`, forValues,
		admission.SearchKey(name), gender, birth, scope))
}

// OpenCandidates returns the candidates still on the path in scope, those
// whose stored next deadline is on or after dueFrom when it is set.
func (s *Store) OpenCandidates(ctx context.Context, scope string, dueFrom time.Time) ([]admission.Candidate, error) {
	return collectCandidates(s.q.Query(ctx, `SELECT `+candidateCols+` FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE o.path LIKE $1 || '%' AND c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred')
		  AND ($2::date IS NULL OR c.next_due >= $2) ORDER BY c.id`, forValues, scope, nullDate(dueFrom)))
}

// SetNextDue writes a candidate's stored earliest deadline.
func (s *Store) SetNextDue(ctx context.Context, id int64, due time.Time, code string) error {
	_, err := s.q.Exec(ctx, `UPDATE candidates SET next_due = $2, next_due_code = $3 WHERE id = $1`, id, nullDate(due), code)
	return wrap(err)
}

// LockMember returns a member in scope, locking its row.
func (s *Store) LockMember(ctx context.Context, id int64, scope string) (admission.Member, error) {
	m, err := scanMember(s.q.QueryRow(ctx, `SELECT `+memberCols+` FROM members m JOIN organizations o ON o.id = m.organization_id
		WHERE m.id = $1 AND o.path LIKE $2 || '%' FOR UPDATE OF m`, id, scope))
	return m, wrap(err)
}

// MemberOfCandidate returns the member admitted from a candidate.
func (s *Store) MemberOfCandidate(ctx context.Context, candidateID int64) (admission.Member, bool, error) {
	m, err := scanMember(s.q.QueryRow(ctx, `SELECT `+memberCols+` FROM members m JOIN organizations o ON o.id = m.organization_id
		WHERE m.candidate_id = $1 FOR UPDATE OF m`, candidateID))
	if err == pgx.ErrNoRows {
		return m, false, nil
	}
	return m, err == nil, wrap(err)
}

// MemberByKey finds a member by external key or by the key of the submission that created it.
func (s *Store) MemberByKey(ctx context.Context, key string) (admission.Member, bool, error) {
	m, err := scanMember(s.q.QueryRow(ctx, `SELECT `+memberCols+` FROM members m JOIN organizations o ON o.id = m.organization_id
		WHERE m.external_key = $1 OR m.id = (SELECT member_id FROM member_events WHERE idempotency_key = $1) LIMIT 1`, key))
	if err == pgx.ErrNoRows {
		return m, false, nil
	}
	return m, err == nil, wrap(err)
}

// RollMembers returns every member ever on a cell's roll.
func (s *Store) RollMembers(ctx context.Context, orgID int64) ([]admission.Member, error) {
	rows, err := s.q.Query(ctx, `SELECT `+memberCols+` FROM members m JOIN organizations o ON o.id = m.organization_id
		WHERE m.organization_id = $1 ORDER BY m.id`, orgID)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.Member, error) { return scanMember(r) })
	return out, wrap(err)
}

// InsertMemberEvent appends a member event.
func (s *Store) InsertMemberEvent(ctx context.Context, e *admission.MemberEvent) error {
	err := s.q.QueryRow(ctx, `INSERT INTO member_events (member_id, kind, occurred_on, reason, step_id, recorded_by, idempotency_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, recorded_at`, e.MemberID, e.Kind, e.OccurredOn, e.Reason, nullInt(e.StepID),
		nullInt(e.RecordedBy), nullText(e.IdempotencyKey)).Scan(&e.ID, &e.RecordedAt)
	return wrap(err)
}

// LockUser returns a user whose scope lies in scope, locking the row.
func (s *Store) LockUser(ctx context.Context, id int64, scope string) (admission.User, error) {
	u, err := scanUser(s.q.QueryRow(ctx, `SELECT `+userCols+` FROM users u JOIN organizations o ON o.id = u.scope_organization_id
		WHERE u.id = $1 AND o.path LIKE $2 || '%' FOR UPDATE OF u`, id, scope))
	return u, wrap(err)
}

// InsertUser writes a new user.
func (s *Store) InsertUser(ctx context.Context, u *admission.User, hash string, mustChange bool) error {
	err := s.q.QueryRow(ctx, `INSERT INTO users (username, full_name, password_hash, role, scope_organization_id, active, must_change_password)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at`, u.Username, u.FullName, hash, u.Role, u.ScopeOrgID, u.Active, mustChange).
		Scan(&u.ID, &u.CreatedAt)
	return wrap(err)
}

// UpdateUser writes a user's name, role, scope and state.
func (s *Store) UpdateUser(ctx context.Context, u *admission.User) error {
	_, err := s.q.Exec(ctx, `UPDATE users SET full_name = $2, role = $3, scope_organization_id = $4, active = $5, updated_at = now() WHERE id = $1`,
		u.ID, u.FullName, u.Role, u.ScopeOrgID, u.Active)
	return wrap(err)
}

// SetPasswordHash replaces a user's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, userID int64, hash string, mustChange bool) error {
	tag, err := s.q.Exec(ctx, `UPDATE users SET password_hash = $2, must_change_password = $3, password_changed_at = now(), updated_at = now()
		WHERE id = $1`, userID, hash, mustChange)
	if err == nil && tag.RowsAffected() == 0 {
		return admission.ErrNotFound
	}
	return wrap(err)
}

// EndSessions ends a user's sessions except the one whose token hash is keep.
func (s *Store) EndSessions(ctx context.Context, userID int64, keep []byte) error {
	_, err := s.q.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR token_hash <> $2)`, userID, keep)
	return wrap(err)
}

// Target returns a cell's target for a year (nil: none).
func (s *Store) Target(ctx context.Context, orgID int64, year int) (*int, error) {
	var n *int
	err := s.q.QueryRow(ctx, `SELECT admissions FROM targets WHERE organization_id = $1 AND year = $2`, orgID, year).Scan(&n)
	if err == pgx.ErrNoRows {
		return nil, nil
	}
	return n, wrap(err)
}

// SetTarget writes (nil: removes) a cell's target for a year.
func (s *Store) SetTarget(ctx context.Context, orgID int64, year int, n *int, by int64) error {
	var err error
	if n == nil {
		_, err = s.q.Exec(ctx, `DELETE FROM targets WHERE organization_id = $1 AND year = $2`, orgID, year)
	} else {
		_, err = s.q.Exec(ctx, `INSERT INTO targets (organization_id, year, admissions, updated_by) VALUES ($1, $2, $3, $4)
			ON CONFLICT (organization_id, year) DO UPDATE SET admissions = EXCLUDED.admissions, updated_by = EXCLUDED.updated_by, updated_at = now()`,
			orgID, year, *n, nullInt(by))
	}
	return wrap(err)
}

// InsertRuleSet writes a new rule set.
func (s *Store) InsertRuleSet(ctx context.Context, r *admission.RuleSet) error {
	raw, err := json.Marshal(r.Params)
	if err != nil {
		return err
	}
	return wrap(s.q.QueryRow(ctx, `INSERT INTO rule_sets (code, effective_from, citation, params) VALUES ($1, $2, $3, $4) RETURNING id`,
		r.Code, r.EffectiveFrom, r.Citation, raw).Scan(&r.ID))
}

// HolidayCount returns how many holidays a year has.
func (s *Store) HolidayCount(ctx context.Context, year int) (int, error) {
	var n int
	err := s.q.QueryRow(ctx, `SELECT count(*) FROM holidays WHERE day BETWEEN $1 AND $2`, admission.Day(year, 1, 1), admission.Day(year, 12, 31)).Scan(&n)
	return n, wrap(err)
}

// PutHoliday adds or renames a holiday; a generated default never replaces an existing day.
func (s *Store) PutHoliday(ctx context.Context, h admission.Holiday, generated bool) error {
	var err error
	if generated {
		_, err = s.q.Exec(ctx, `INSERT INTO holidays (day, name, source) VALUES ($1, $2, 'generated') ON CONFLICT (day) DO NOTHING`, h.Day, h.Name)
	} else {
		_, err = s.q.Exec(ctx, `INSERT INTO holidays (day, name, source) VALUES ($1, $2, 'manual')
			ON CONFLICT (day) DO UPDATE SET name = EXCLUDED.name, source = 'manual'`, h.Day, h.Name)
	}
	return wrap(err)
}

// DeleteHoliday removes a holiday and returns its name.
func (s *Store) DeleteHoliday(ctx context.Context, day time.Time) (string, error) {
	var name string
	err := s.q.QueryRow(ctx, `DELETE FROM holidays WHERE day = $1 RETURNING name`, day).Scan(&name)
	return name, wrap(err)
}

// ClaimToken records a form token; false when it was recorded before.
func (s *Store) ClaimToken(ctx context.Context, token string) (bool, error) {
	tag, err := s.q.Exec(ctx, `INSERT INTO form_tokens (token) VALUES ($1) ON CONFLICT DO NOTHING`, token)
	if err != nil {
		return false, wrap(err)
	}
	return tag.RowsAffected() == 1, nil
}
