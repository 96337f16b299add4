package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

// Store implements admission.Store inside one transaction (or on the pool).
type Store struct {
	q  querier
	tx pgx.Tx // the transaction under q, for Nested; nil over the pool
}

// Store returns a store that runs each query on its own (outside a transaction), for reads.
func (db *DB) Store() *Store { return newStore(db.Pool) }

// newStore is a store over the pool or a transaction. Its statements find
// their rows by key, but for the few marked forValues.
func newStore(q querier) *Store {
	s := &Store{q: byKey{q}}
	s.tx, _ = q.(pgx.Tx)
	return s
}

var _ admission.Store = (*Store)(nil)

func nullDate(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func nullInt(v int64) *int64 {
	if v == 0 {
		return nil
	}
	return &v
}

func nullText(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

const orgCols = `o.id, coalesce(o.parent_id, 0), o.kind, o.name, o.code, o.path, o.has_intermediate_committee, o.has_youth_union`

func scanOrg(row pgx.Row) (admission.Organization, error) {
	var o admission.Organization
	err := row.Scan(&o.ID, &o.ParentID, &o.Kind, &o.Name, &o.Code, &o.Path, &o.HasIntermediateCommittee, &o.HasYouthUnion)
	return o, err
}

// Organization returns an organization inside scope.
func (s *Store) Organization(ctx context.Context, id int64, scope string) (admission.Organization, error) {
	o, err := scanOrg(s.q.QueryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.id = $1 AND o.path LIKE $2 || '%'`, id, scope))
	return o, wrap(err)
}

const candidateCols = `c.id, c.organization_id, c.full_name, c.full_name_search, c.gender, c.birth_date, c.ethnicity, c.religion,
	c.education_general, c.education_approval_ref, c.education_professional, c.occupation, c.youth_union, c.trade_union,
	c.readmission, c.readmission_consent_ref, c.over_age_decision_ref, c.stage, c.escalated, coalesce(c.next_due, '0001-01-01'), c.next_due_code,
	c.version, c.created_at, c.updated_at, c.person_id, c.political_theory`

func scanCandidate(row pgx.Row, extra ...any) (admission.Candidate, error) {
	var c admission.Candidate
	dest := []any{&c.ID, &c.OrganizationID, &c.FullName, &c.SearchKey, &c.Gender, &c.BirthDate, &c.Ethnicity, &c.Religion,
		&c.EducationGeneral, &c.EducationApprovalRef, &c.EducationProfessional, &c.Occupation, &c.YouthUnion, &c.TradeUnion,
		&c.Readmission, &c.ReadmissionConsentRef, &c.OverAgeDecisionRef, &c.Stage, &c.Escalated, &c.NextDue, &c.NextDueCode,
		&c.Version, &c.CreatedAt, &c.UpdatedAt, &c.PersonID, &c.PoliticalTheory}
	err := row.Scan(append(dest, extra...)...)
	if c.NextDue.Year() == 1 {
		c.NextDue = time.Time{}
	}
	return c, err
}

// LockCandidate returns a candidate in scope and its cell, with the candidate row locked.
func (s *Store) LockCandidate(ctx context.Context, id int64, scope string) (admission.Candidate, admission.Organization, error) {
	var o admission.Organization
	var parent *int64
	c, err := scanCandidate(s.q.QueryRow(ctx, `SELECT `+candidateCols+`, o.id, o.parent_id, o.kind, o.name, o.code, o.path,
		o.has_intermediate_committee, o.has_youth_union
		FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE c.id = $1 AND o.path LIKE $2 || '%'
		FOR UPDATE OF c`, id, scope),
		&o.ID, &parent, &o.Kind, &o.Name, &o.Code, &o.Path, &o.HasIntermediateCommittee, &o.HasYouthUnion)
	if parent != nil {
		o.ParentID = *parent
	}
	return c, o, wrap(err)
}

// Candidate returns a candidate in scope, without locking.
func (s *Store) Candidate(ctx context.Context, id int64, scope string) (admission.Candidate, error) {
	c, err := scanCandidate(s.q.QueryRow(ctx, `SELECT `+candidateCols+`
		FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE c.id = $1 AND o.path LIKE $2 || '%'`, id, scope))
	return c, wrap(err)
}

// CandidateByKey finds the candidate created by a submission.
func (s *Store) CandidateByKey(ctx context.Context, key string) (admission.Candidate, bool, error) {
	c, err := scanCandidate(s.q.QueryRow(ctx, `SELECT `+candidateCols+` FROM candidates c WHERE c.idempotency_key = $1`, key))
	if err == pgx.ErrNoRows {
		return c, false, nil
	}
	return c, err == nil, wrap(err)
}

// InsertCandidate writes a new candidate, marked as having no step yet
// (migration 00037) until its first step's state is saved.
func (s *Store) InsertCandidate(ctx context.Context, c *admission.Candidate, key string, by int64) error {
	if c.PersonID == 0 {
		if err := s.insertPerson(ctx, &c.PersonID, c.FullName, c.Gender, c.BirthDate); err != nil {
			return err
		}
	}
	err := s.q.QueryRow(ctx, `INSERT INTO candidates (person_id, organization_id, full_name, full_name_search, gender, birth_date,
		ethnicity, religion, education_general, education_approval_ref, education_professional, occupation,
		youth_union, trade_union, readmission, readmission_consent_ref, over_age_decision_ref, stage, idempotency_key, created_by, political_theory,
		forecast_mark)
		VALUES ($20,$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$21, 'new')
		RETURNING id, version, created_at, updated_at`,
		c.OrganizationID, c.FullName, c.SearchKey, c.Gender, c.BirthDate, c.Ethnicity, c.Religion, c.EducationGeneral,
		c.EducationApprovalRef, c.EducationProfessional, c.Occupation, c.YouthUnion, c.TradeUnion, c.Readmission,
		c.ReadmissionConsentRef, c.OverAgeDecisionRef, c.Stage, nullText(key), nullInt(by), c.PersonID, c.PoliticalTheory).
		Scan(&c.ID, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	return wrap(err)
}

// SaveCandidateState writes the derived stage and escalation and bumps the
// version; the forecast's mark is read from the steps already written
// (candidate_forecast_mark) and the tallies follow by trigger.
func (s *Store) SaveCandidateState(ctx context.Context, c *admission.Candidate) error {
	err := s.q.QueryRow(ctx, `UPDATE candidates SET stage = $2, escalated = $3, next_due = $5, next_due_code = $6, version = version + 1, updated_at = now(),
		forecast_mark = candidate_forecast_mark(id, $2)
		WHERE id = $1 AND version = $4 RETURNING version, updated_at`, c.ID, c.Stage, c.Escalated, c.Version, nullDate(c.NextDue), c.NextDueCode).
		Scan(&c.Version, &c.UpdatedAt)
	if err == pgx.ErrNoRows {
		return admission.ErrStale
	}
	return wrap(err)
}

// UpdateCandidate writes a candidate's personal fields and bumps the version;
// the identity goes to the person, which the member record shares.
func (s *Store) UpdateCandidate(ctx context.Context, c *admission.Candidate) error {
	if err := s.updatePerson(ctx, c.PersonID, c.FullName, c.Gender, c.BirthDate); err != nil {
		return err
	}
	err := s.q.QueryRow(ctx, `UPDATE candidates SET full_name = $2, full_name_search = $3, gender = $4, birth_date = $5, ethnicity = $6,
		religion = $7, education_general = $8, education_approval_ref = $9, education_professional = $10, occupation = $11,
		youth_union = $12, trade_union = $13, readmission = $14, readmission_consent_ref = $15, over_age_decision_ref = $16,
		political_theory = $18, version = version + 1, updated_at = now()
		WHERE id = $1 AND version = $17 RETURNING version, updated_at`, c.ID, c.FullName, c.SearchKey, c.Gender, c.BirthDate, c.Ethnicity,
		c.Religion, c.EducationGeneral, c.EducationApprovalRef, c.EducationProfessional, c.Occupation, c.YouthUnion, c.TradeUnion,
		c.Readmission, c.ReadmissionConsentRef, c.OverAgeDecisionRef, c.Version, c.PoliticalTheory).Scan(&c.Version, &c.UpdatedAt)
	if err == pgx.ErrNoRows {
		return admission.ErrStale
	}
	return wrap(err)
}

// MoveCandidate sets a candidate's cell, notes when (the file's page then
// looks its moves up in the audit trail) and bumps the version.
func (s *Store) MoveCandidate(ctx context.Context, c *admission.Candidate, orgID int64) error {
	err := s.q.QueryRow(ctx, `UPDATE candidates SET organization_id = $2, version = version + 1, updated_at = now(), moved_at = now()
		WHERE id = $1 AND version = $3 RETURNING version`, c.ID, orgID, c.Version).Scan(&c.Version)
	if err == nil {
		c.OrganizationID = orgID
	}
	return wrap(err)
}

// StepCandidate returns the candidate of a step.
func (s *Store) StepCandidate(ctx context.Context, stepID int64) (int64, error) {
	var id int64
	err := s.q.QueryRow(ctx, `SELECT candidate_id FROM steps WHERE id = $1`, stepID).Scan(&id)
	return id, wrap(err)
}

// Steps returns every step of a candidate with its sponsors, in the order recorded.
func (s *Store) Steps(ctx context.Context, candidateID int64) ([]admission.Step, error) {
	rows, err := s.q.Query(ctx, `SELECT st.id, st.candidate_id, st.seq, st.kind, st.occurred_on, st.document_no, st.issued_by,
		st.received_on, coalesce(st.votes_eligible, 0), coalesce(st.votes_yes, 0), coalesce(st.votes_against, 0), st.outcome,
		coalesce(st.route, ''), coalesce(st.helper_member_id, 0), coalesce(h.full_name, ''), st.approval_ref, st.note,
		coalesce(st.supersedes_id, 0), coalesce(st.correction_reason, ''), st.rule_set_id, coalesce(st.recorded_by, 0),
		coalesce(u.full_name, ''), st.recorded_at, coalesce(st.idempotency_key, ''),
		st.votes_on_roll IS NOT NULL, coalesce(st.votes_on_roll, 0), coalesce(st.votes_away, 0),
		coalesce(st.votes_exempt_absent, 0), coalesce(st.votes_present, 0)
		FROM steps st LEFT JOIN users u ON u.id = st.recorded_by LEFT JOIN members h ON h.id = st.helper_member_id
		WHERE st.candidate_id = $1 ORDER BY st.seq`, candidateID)
	if err != nil {
		return nil, wrap(err)
	}
	var out []admission.Step
	idx := map[int64]int{}
	for rows.Next() {
		var x admission.Step
		var recv *time.Time
		if err := rows.Scan(&x.ID, &x.CandidateID, &x.Seq, &x.Kind, &x.OccurredOn, &x.DocumentNo, &x.IssuedBy, &recv,
			&x.VotesEligible, &x.VotesYes, &x.VotesAgainst, &x.Outcome, &x.Route, &x.HelperMemberID, &x.HelperName,
			&x.ApprovalRef, &x.Note, &x.SupersedesID, &x.CorrectionReason, &x.RuleSetID, &x.RecordedBy, &x.RecordedByName,
			&x.RecordedAt, &x.IdempotencyKey, &x.FromRoll, &x.VotesOnRoll, &x.VotesAway,
			&x.VotesExemptAbsent, &x.VotesPresent); err != nil {
			rows.Close()
			return nil, wrap(err)
		}
		if recv != nil {
			x.ReceivedOn = *recv
		}
		idx[x.ID] = len(out)
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(err)
	}
	if len(out) == 0 {
		return out, nil
	}
	rows, err = s.q.Query(ctx, `SELECT sp.step_id, sp.member_id, m.full_name, sp.known_since, sp.relation
		FROM sponsors sp JOIN members m ON m.id = sp.member_id JOIN steps st ON st.id = sp.step_id
		WHERE st.candidate_id = $1 ORDER BY sp.step_id, m.full_name`, candidateID)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var stepID int64
		var sp admission.Sponsor
		if err := rows.Scan(&stepID, &sp.MemberID, &sp.MemberName, &sp.KnownSince, &sp.Relation); err != nil {
			return nil, wrap(err)
		}
		if i, ok := idx[stepID]; ok {
			out[i].Sponsors = append(out[i].Sponsors, sp)
		}
	}
	return out, wrap(rows.Err())
}

// InsertStep writes a step and its sponsors.
func (s *Store) InsertStep(ctx context.Context, st *admission.Step) error {
	var votesE, votesY, votesA *int
	if st.VotesEligible > 0 {
		votesE, votesY, votesA = &st.VotesEligible, &st.VotesYes, &st.VotesAgainst
	}
	var onRoll, away, exemptAbsent, present *int
	if st.FromRoll {
		onRoll, away, exemptAbsent = &st.VotesOnRoll, &st.VotesAway, &st.VotesExemptAbsent
		if st.VotesPresent > 0 {
			present = &st.VotesPresent
		}
	}
	var route *string
	if st.Route != "" {
		route = &st.Route
	}
	var reason *string
	if st.SupersedesID != 0 {
		reason = &st.CorrectionReason
	}
	err := s.q.QueryRow(ctx, `INSERT INTO steps (candidate_id, seq, kind, occurred_on, document_no, issued_by, received_on,
		votes_eligible, votes_yes, votes_against, outcome, route, helper_member_id, approval_ref, note, supersedes_id,
		correction_reason, rule_set_id, recorded_by, idempotency_key, votes_on_roll, votes_away, votes_exempt_absent, votes_present)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24) RETURNING id, recorded_at`,
		st.CandidateID, st.Seq, st.Kind, st.OccurredOn, st.DocumentNo, st.IssuedBy, nullDate(st.ReceivedOn),
		votesE, votesY, votesA, st.Outcome, route, nullInt(st.HelperMemberID), st.ApprovalRef, st.Note,
		nullInt(st.SupersedesID), reason, st.RuleSetID, nullInt(st.RecordedBy), nullText(st.IdempotencyKey),
		onRoll, away, exemptAbsent, present).
		Scan(&st.ID, &st.RecordedAt)
	if err != nil {
		return wrap(err)
	}
	for _, sp := range st.Sponsors {
		if _, err := s.q.Exec(ctx, `INSERT INTO sponsors (step_id, member_id, known_since, relation) VALUES ($1,$2,$3,$4)`,
			st.ID, sp.MemberID, sp.KnownSince, sp.Relation); err != nil {
			return wrap(err)
		}
	}
	return nil
}

const memberCols = `m.id, m.person_id, m.organization_id, o.path, m.full_name, m.gender, m.birth_date, m.status, m.admitted_on,
	m.ceremony_on, coalesce(m.official_on, '0001-01-01'), coalesce(m.left_on, '0001-01-01'), m.activity,
	coalesce(m.activity_since, '0001-01-01'), coalesce(m.candidate_id, 0), coalesce(m.external_key, ''), m.version,
	m.ethnicity, m.religion, m.education_general, m.education_professional, m.political_theory, m.occupation, m.youth_union, m.readmission`

func scanMember(row pgx.Row) (admission.Member, error) {
	var m admission.Member
	err := row.Scan(&m.ID, &m.PersonID, &m.OrganizationID, &m.OrgPath, &m.FullName, &m.Gender, &m.BirthDate, &m.Status, &m.AdmittedOn,
		&m.CeremonyOn, &m.OfficialOn, &m.LeftOn, &m.Activity, &m.ActivitySince, &m.CandidateID, &m.ExternalKey, &m.Version,
		&m.Ethnicity, &m.Religion, &m.EducationGeneral, &m.EducationProfessional, &m.PoliticalTheory, &m.Occupation, &m.YouthUnion, &m.Readmission)
	for _, t := range []*time.Time{&m.OfficialOn, &m.LeftOn, &m.ActivitySince} {
		if t.Year() == 1 {
			*t = time.Time{}
		}
	}
	return m, err
}

// Members returns the members with the given ids.
func (s *Store) Members(ctx context.Context, ids []int64) (map[int64]admission.Member, error) {
	out := map[int64]admission.Member{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.q.Query(ctx, `SELECT `+memberCols+` FROM members m JOIN organizations o ON o.id = m.organization_id WHERE m.id = ANY($1)`, ids)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, wrap(err)
		}
		out[m.ID] = m
	}
	return out, wrap(rows.Err())
}

// InsertMember writes a new member and, when PersonID is zero, their person.
func (s *Store) InsertMember(ctx context.Context, m *admission.Member) error {
	if m.PersonID == 0 {
		if err := s.insertPerson(ctx, &m.PersonID, m.FullName, m.Gender, m.BirthDate); err != nil {
			return err
		}
	}
	if m.Activity == "" {
		m.Activity = admission.ActivityNormal
	}
	err := s.q.QueryRow(ctx, `INSERT INTO members (person_id, organization_id, full_name, full_name_search, gender, birth_date, status,
		admitted_on, ceremony_on, official_on, left_on, activity, activity_since, candidate_id, external_key,
		ethnicity, religion, education_general, education_professional, political_theory, occupation, youth_union, readmission)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23) RETURNING id, version`,
		m.PersonID, m.OrganizationID, m.FullName, admission.SearchKey(m.FullName), m.Gender, m.BirthDate, m.Status, m.AdmittedOn,
		m.CeremonyOn, nullDate(m.OfficialOn), nullDate(m.LeftOn), m.Activity, nullDate(m.ActivitySince), nullInt(m.CandidateID),
		nullText(m.ExternalKey), m.Ethnicity, m.Religion, m.EducationGeneral, m.EducationProfessional, m.PoliticalTheory, m.Occupation,
		m.YouthUnion, m.Readmission).Scan(&m.ID, &m.Version)
	return wrap(err)
}

// UpdateMember writes a member (identity to their person) and bumps the version.
func (s *Store) UpdateMember(ctx context.Context, m *admission.Member) error {
	if err := s.updatePerson(ctx, m.PersonID, m.FullName, m.Gender, m.BirthDate); err != nil {
		return err
	}
	err := s.q.QueryRow(ctx, `UPDATE members SET organization_id = $2, full_name = $3, full_name_search = $4, gender = $5, birth_date = $6,
		status = $7, admitted_on = $8, ceremony_on = $9, official_on = $10, left_on = $11, activity = $12, activity_since = $13,
		ethnicity = $15, religion = $16, education_general = $17, education_professional = $18, political_theory = $19, occupation = $20,
		youth_union = $21, readmission = $22, version = version + 1, updated_at = now()
		WHERE id = $1 AND version = $14 RETURNING version`, m.ID, m.OrganizationID, m.FullName, admission.SearchKey(m.FullName), m.Gender,
		m.BirthDate, m.Status, m.AdmittedOn, m.CeremonyOn, nullDate(m.OfficialOn), nullDate(m.LeftOn), m.Activity, nullDate(m.ActivitySince),
		m.Version, m.Ethnicity, m.Religion, m.EducationGeneral, m.EducationProfessional, m.PoliticalTheory, m.Occupation,
		m.YouthUnion, m.Readmission).Scan(&m.Version)
	if err == pgx.ErrNoRows {
		return admission.ErrStale
	}
	return wrap(err)
}

func (s *Store) insertPerson(ctx context.Context, id *int64, name, gender string, birth time.Time) error {
	return wrap(s.q.QueryRow(ctx, `INSERT INTO persons (full_name, full_name_search, gender, birth_date) VALUES ($1, $2, $3, $4) RETURNING id`,
		name, admission.SearchKey(name), gender, birth).Scan(id))
}

func (s *Store) updatePerson(ctx context.Context, id int64, name, gender string, birth time.Time) error {
	_, err := s.q.Exec(ctx, `UPDATE persons SET full_name = $2, full_name_search = $3, gender = $4, birth_date = $5
		WHERE id = $1 AND (full_name, gender, birth_date) IS DISTINCT FROM ($2::text, $4::text, $5::date)`, id, name, admission.SearchKey(name), gender, birth)
	return wrap(err)
}

// RuleSets returns every rule set.
func (s *Store) RuleSets(ctx context.Context) (admission.RuleSets, error) {
	rows, err := s.q.Query(ctx, `SELECT id, code, effective_from, citation, params FROM rule_sets ORDER BY effective_from`)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	var out admission.RuleSets
	for rows.Next() {
		var r admission.RuleSet
		var raw []byte
		if err := rows.Scan(&r.ID, &r.Code, &r.EffectiveFrom, &r.Citation, &raw); err != nil {
			return nil, wrap(err)
		}
		p, err := admission.ParseParams(raw)
		if err != nil {
			return nil, admission.ErrInternal(fmt.Errorf("rule set %s: %w", r.Code, err))
		}
		r.Params = p
		out = append(out, r)
	}
	return out, wrap(rows.Err())
}

// Holidays returns the holidays between from and to inclusive.
func (s *Store) Holidays(ctx context.Context, from, to time.Time) ([]time.Time, error) {
	rows, err := s.q.Query(ctx, `SELECT day FROM holidays WHERE day BETWEEN $1 AND $2 ORDER BY day`, from, to)
	if err != nil {
		return nil, wrap(err)
	}
	days, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	return days, wrap(err)
}

// InsertAudit appends an audit event.
func (s *Store) InsertAudit(ctx context.Context, e *admission.AuditEvent) error {
	before, err := jsonOrNil(e.Before)
	if err != nil {
		return err
	}
	after, err := jsonOrNil(e.After)
	if err != nil {
		return err
	}
	err = s.q.QueryRow(ctx, `INSERT INTO audit_events (user_id, organization_id, action, entity, entity_id, before, after, ip, request_id)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id, at`,
		nullInt(e.UserID), nullInt(e.OrganizationID), e.Action, e.Entity, nullInt(e.EntityID), before, after, e.IP, e.RequestID).
		Scan(&e.ID, &e.At)
	return wrap(err)
}

func jsonOrNil(v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	return json.Marshal(v)
}

// Vocabularies returns every vocabulary entry by kind, in order.
func (s *Store) Vocabularies(ctx context.Context) (admission.Vocabularies, error) {
	rows, err := s.q.Query(ctx, `SELECT id, kind, label, position, common FROM vocabularies ORDER BY kind, position, label`)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := admission.Vocabularies{}
	for rows.Next() {
		var e admission.VocabEntry
		if err := rows.Scan(&e.ID, &e.Kind, &e.Label, &e.Position, &e.Common); err != nil {
			return nil, wrap(err)
		}
		out[e.Kind] = append(out[e.Kind], e)
	}
	return out, wrap(rows.Err())
}

// InsertVocabEntry appends an entry to a vocabulary.
func (s *Store) InsertVocabEntry(ctx context.Context, e *admission.VocabEntry) error {
	return wrap(s.q.QueryRow(ctx, `INSERT INTO vocabularies (kind, label, position, common) VALUES ($1, $2, $3, $4) RETURNING id`,
		e.Kind, e.Label, e.Position, e.Common).Scan(&e.ID))
}

// Nested runs fn in a savepoint of the store's transaction (pgx makes a
// transaction begun inside one a savepoint): an error undoes fn's writes
// and leaves the outer transaction usable.
func (s *Store) Nested(ctx context.Context, fn func(admission.Store) error) error {
	if s.tx == nil {
		return admission.ErrInternal(errors.New("Nested outside a transaction"))
	}
	return wrap(pgx.BeginFunc(ctx, s.tx, func(sp pgx.Tx) error { return fn(newStore(sp)) }))
}
