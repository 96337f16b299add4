package postgres

import (
	"context"

	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

// OrgSummary is an organization with the counts shown on the tree page.
type OrgSummary struct {
	admission.Organization
	Depth        int
	Official     int
	Probationary int
	Candidates   int // candidates still on the path (not closed)
}

// OrgTree returns the organizations of a scope in tree order (parents first,
// siblings by Vietnamese name), with member and candidate counts.
func (db *DB) OrgTree(ctx context.Context, scope string) ([]OrgSummary, error) {
	rows, err := db.Pool.Query(ctx, `
		WITH RECURSIVE tree AS (
			SELECT o.*, 0 AS depth, ARRAY[o.name::text COLLATE vi] AS sort_key
			FROM organizations o WHERE o.path = $1
			UNION ALL
			SELECT c.*, t.depth + 1, t.sort_key || (c.name::text COLLATE vi)
			FROM organizations c JOIN tree t ON c.parent_id = t.id
		)
		SELECT t.id, coalesce(t.parent_id, 0), t.kind, t.name, t.code, t.path, t.has_intermediate_committee, t.has_youth_union,
			t.depth,
			coalesce(m.official, 0), coalesce(m.probationary, 0), coalesce(c.open, 0)
		FROM tree t
		LEFT JOIN (SELECT organization_id,
				count(*) FILTER (WHERE status = 'official') AS official,
				count(*) FILTER (WHERE status = 'probationary') AS probationary
			FROM members GROUP BY organization_id) m ON m.organization_id = t.id
		LEFT JOIN (SELECT organization_id, count(*) AS open FROM candidates
			WHERE stage NOT IN ('official', 'withdrawn', 'removed', 'transferred') GROUP BY organization_id) c ON c.organization_id = t.id
		WHERE t.active
		ORDER BY t.sort_key`, scope)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OrgSummary, error) {
		var o OrgSummary
		err := r.Scan(&o.ID, &o.ParentID, &o.Kind, &o.Name, &o.Code, &o.Path, &o.HasIntermediateCommittee, &o.HasYouthUnion,
			&o.Depth, &o.Official, &o.Probationary, &o.Candidates)
		return o, err
	})
	return out, wrap(err)
}

// OrgPath returns the path of an organization, for scopes.
func (db *DB) OrgPath(ctx context.Context, id int64) (string, error) {
	var p string
	err := db.Pool.QueryRow(ctx, `SELECT path FROM organizations WHERE id = $1`, id).Scan(&p)
	return p, wrap(err)
}

// RootPath returns the path of the first root organization ("" when there is none).
func (db *DB) RootPath(ctx context.Context) (string, error) {
	var p string
	err := db.Pool.QueryRow(ctx, `SELECT path FROM organizations WHERE parent_id IS NULL ORDER BY id LIMIT 1`).Scan(&p)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	return p, wrap(err)
}

// CellMembers returns the members of an organization in scope, by Vietnamese name.
func (db *DB) CellMembers(ctx context.Context, orgID int64, scope string) ([]admission.Member, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+memberCols+` FROM members m JOIN organizations o ON o.id = m.organization_id
		WHERE m.organization_id = $1 AND o.path LIKE $2 || '%'
		ORDER BY m.status = 'official' DESC, split_part(m.full_name, ' ', -1) COLLATE vi, m.full_name, m.id`, orgID, scope)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.Member, error) { return scanMember(r) })
	return out, wrap(err)
}

// OrgInput is a new organization, used by the demo loader and the admin pages.
type OrgInput struct {
	ParentID                 int64
	Kind                     string
	Name                     string
	Code                     string
	HasIntermediateCommittee bool
	HasYouthUnion            bool
}

// UpsertOrganization creates an organization by code, or returns the existing one.
func (s *Store) UpsertOrganization(ctx context.Context, in OrgInput) (admission.Organization, bool, error) {
	o, err := scanOrg(s.q.QueryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.code = $1`, in.Code))
	if err == nil {
		return o, false, nil
	}
	if err != pgx.ErrNoRows {
		return o, false, wrap(err)
	}
	o, err = scanOrg(s.q.QueryRow(ctx, `INSERT INTO organizations AS o (parent_id, kind, name, code, has_intermediate_committee, has_youth_union)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+orgCols,
		nullInt(in.ParentID), in.Kind, admission.NormalizeName(in.Name), in.Code, in.HasIntermediateCommittee, in.HasYouthUnion))
	return o, true, wrap(err)
}

// MemberInput is a member loaded by the demo or by an import, keyed for idempotence.
type MemberInput struct {
	OrganizationID int64
	FullName       string
	Gender         string
	BirthDate      time.Time
	Status         string
	AdmittedOn     time.Time
	OfficialOn     time.Time
	ExternalKey    string
}

// UpsertMember creates a member by external key, or leaves the existing one.
func (s *Store) UpsertMember(ctx context.Context, in MemberInput) (int64, error) {
	var id int64
	name := admission.NormalizeName(in.FullName)
	err := s.q.QueryRow(ctx, `INSERT INTO members (organization_id, full_name, full_name_search, gender, birth_date, status,
		admitted_on, official_on, external_key) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
		ON CONFLICT (external_key) DO UPDATE SET external_key = EXCLUDED.external_key RETURNING id`,
		in.OrganizationID, name, admission.SearchKey(name), in.Gender, in.BirthDate, in.Status, in.AdmittedOn,
		nullDate(in.OfficialOn), in.ExternalKey).Scan(&id)
	return id, wrap(err)
}

// IsEmpty reports whether the database holds no organization yet.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var any bool
	err := db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organizations)`).Scan(&any)
	return !any, wrap(err)
}

// RootID returns the id of the first root organization (0 when there is none).
func (db *DB) RootID(ctx context.Context) (int64, error) {
	var id int64
	err := db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE parent_id IS NULL ORDER BY id LIMIT 1`).Scan(&id)
	if err == pgx.ErrNoRows {
		return 0, nil
	}
	return id, wrap(err)
}

// CreateOrganization adds a cell (or committee) under a parent inside the
// actor's scope, with its audit event.
func (db *DB) CreateOrganization(ctx context.Context, a admission.Actor, in OrgInput) (admission.Organization, error) {
	var o admission.Organization
	err := db.InTx(ctx, func(st admission.Store) error {
		s := st.(*Store)
		parent, err := s.Organization(ctx, in.ParentID, a.ScopePath)
		if err != nil {
			return err
		}
		if parent.Kind != admission.KindCommittee {
			return &admission.Error{Code: admission.Invalid, Field: "parent_id", Message: "Chỉ thêm được tổ chức trực thuộc một đảng bộ.",
				Fields: map[string]string{"parent_id": "Chọn một đảng bộ."}}
		}
		o, err = scanOrg(s.q.QueryRow(ctx, `INSERT INTO organizations AS o (parent_id, kind, name, code, has_intermediate_committee, has_youth_union)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+orgCols, in.ParentID, in.Kind, admission.NormalizeName(in.Name), in.Code,
			in.HasIntermediateCommittee, in.HasYouthUnion))
		if err != nil {
			return wrap(err)
		}
		return s.InsertAudit(ctx, auditOf(ctx, a, o.ID, "organization.create", "organization", o.ID, nil, o))
	})
	return o, err
}

// UpdateOrganization renames, moves (the whole subtree follows) and
// configures an organization inside the actor's scope, with its audit event.
func (db *DB) UpdateOrganization(ctx context.Context, a admission.Actor, id int64, in OrgInput) (admission.Organization, error) {
	var o admission.Organization
	err := db.InTx(ctx, func(st admission.Store) error {
		s := st.(*Store)
		old, err := scanOrg(s.q.QueryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.id = $1 AND o.path LIKE $2 || '%' FOR UPDATE`, id, a.ScopePath))
		if err != nil {
			return wrap(err)
		}
		parent := old.ParentID
		if old.ParentID != 0 && in.ParentID != 0 && in.ParentID != old.ParentID {
			p, err := s.Organization(ctx, in.ParentID, a.ScopePath)
			if err != nil {
				return err
			}
			if p.Kind != admission.KindCommittee {
				return &admission.Error{Code: admission.Invalid, Field: "parent_id", Message: "Chỉ chuyển được sang trực thuộc một đảng bộ."}
			}
			parent = p.ID
		}
		if parent == old.ParentID {
			o, err = scanOrg(s.q.QueryRow(ctx, `UPDATE organizations o SET name = $2, has_intermediate_committee = $3, has_youth_union = $4, updated_at = now()
				WHERE o.id = $1 RETURNING `+orgCols, id, admission.NormalizeName(in.Name), in.HasIntermediateCommittee, in.HasYouthUnion))
		} else {
			o, err = scanOrg(s.q.QueryRow(ctx, `UPDATE organizations o SET name = $2, has_intermediate_committee = $3, has_youth_union = $4, parent_id = $5, updated_at = now()
				WHERE o.id = $1 RETURNING `+orgCols, id, admission.NormalizeName(in.Name), in.HasIntermediateCommittee, in.HasYouthUnion, parent))
		}
		if err != nil {
			return wrap(err)
		}
		return s.InsertAudit(ctx, auditOf(ctx, a, o.ID, "organization.update", "organization", o.ID, old, o))
	})
	return o, err
}

// OrganizationByCodeOrID finds an organization by its code or numeric id (no scope: for the CLI).
func (db *DB) OrganizationByCodeOrID(ctx context.Context, key string) (admission.Organization, error) {
	o, err := scanOrg(db.Pool.QueryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.code = $1 OR o.id::text = $1 ORDER BY o.code = $1 DESC LIMIT 1`, key))
	return o, wrap(err)
}
