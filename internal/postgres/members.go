package postgres

import (
	"context"

	"ketnap/internal/admission"
)

// Member returns a member whose organization lies in scope.
func (db *DB) Member(ctx context.Context, id int64, scope string) (admission.Member, error) {
	m, err := scanMember(db.Pool.QueryRow(ctx, `SELECT `+memberCols+` FROM members m JOIN organizations o ON o.id = m.organization_id
		WHERE m.id = $1 AND o.path LIKE $2 || '%'`, id, scope))
	return m, wrap(err)
}

// SaveMember creates (m.ID == 0) or updates a member of a cell in the
// actor's scope, with its audit event; moving to another cell needs both in scope.
func (db *DB) SaveMember(ctx context.Context, a admission.Actor, m *admission.Member) error {
	return db.InTx(ctx, func(st admission.Store) error {
		s := st.(*Store)
		org, err := s.Organization(ctx, m.OrganizationID, a.ScopePath)
		if err != nil {
			return err
		}
		if org.Kind != admission.KindCell {
			return &admission.Error{Code: admission.Invalid, Field: "organization_id", Message: "Đảng viên phải thuộc một chi bộ.",
				Fields: map[string]string{"organization_id": "Chọn một chi bộ."}}
		}
		m.FullName = admission.NormalizeName(m.FullName)
		if m.ID == 0 {
			err := s.q.QueryRow(ctx, `INSERT INTO members (organization_id, full_name, full_name_search, gender, birth_date, status, admitted_on, official_on)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`, m.OrganizationID, m.FullName, admission.SearchKey(m.FullName), m.Gender,
				m.BirthDate, m.Status, m.AdmittedOn, nullDate(m.OfficialOn)).Scan(&m.ID)
			if err != nil {
				return wrap(err)
			}
			return s.InsertAudit(ctx, auditOf(ctx, a, org.ID, "member.create", "member", m.ID, nil, m))
		}
		old, err := scanMember(s.q.QueryRow(ctx, `SELECT `+memberCols+` FROM members m JOIN organizations o ON o.id = m.organization_id
			WHERE m.id = $1 AND o.path LIKE $2 || '%' FOR UPDATE OF m`, m.ID, a.ScopePath))
		if err != nil {
			return wrap(err)
		}
		_, err = s.q.Exec(ctx, `UPDATE members SET organization_id = $2, full_name = $3, full_name_search = $4, gender = $5, birth_date = $6,
			status = $7, admitted_on = $8, official_on = $9, updated_at = now() WHERE id = $1`, m.ID, m.OrganizationID, m.FullName,
			admission.SearchKey(m.FullName), m.Gender, m.BirthDate, m.Status, m.AdmittedOn, nullDate(m.OfficialOn))
		if err != nil {
			return wrap(err)
		}
		m.CandidateID = old.CandidateID
		return s.InsertAudit(ctx, auditOf(ctx, a, org.ID, "member.update", "member", m.ID, old, m))
	})
}
