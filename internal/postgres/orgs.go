package postgres

import (
	"context"
	"sync"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

type OrgSummary = admission.OrgSummary

// OrgTree returns the organizations of a scope in tree order (parents first,
// siblings by Vietnamese name), with member and candidate counts.
func (db *DB) OrgTree(ctx context.Context, scope string) ([]OrgSummary, error) {
	return db.orgTree(ctx, scope, true)
}

// OrgList returns the organizations of a scope in tree order, without the
// counts: what a cell filter or a move form needs, at the cost of the
// organizations alone.
func (db *DB) OrgList(ctx context.Context, scope string) ([]OrgSummary, error) {
	return db.orgTree(ctx, scope, false)
}

// OrgFilter returns the organizations a list's filter offers: the whole
// tree of a scope of at most limit organizations, or, for a larger scope
// (a province's 9 000 cells), only the organizations directly under it.
// whole says which it is.
func (db *DB) OrgFilter(ctx context.Context, scope string, limit int) (orgs []OrgSummary, whole bool, err error) {
	n, err := db.scopeSize(ctx, scope, limit+1)
	if err != nil {
		return nil, false, err
	}
	if n <= limit {
		orgs, err := db.orgTree(ctx, scope, false)
		return orgs, true, err
	}
	rows, err := db.Pool.Query(ctx, `SELECT o.id, coalesce(o.parent_id, 0), o.kind, o.name, o.code, o.path, o.has_intermediate_committee, o.has_youth_union, 1, 0, 0, 0
		FROM organizations o WHERE o.parent_id = (SELECT id FROM organizations WHERE path = $1) AND o.active ORDER BY o.name COLLATE vi`, scope)
	if err != nil {
		return nil, false, wrap(err)
	}
	out, err := collectOrgs(rows)
	return out, false, err
}

func (db *DB) orgTree(ctx context.Context, scope string, counts bool) ([]OrgSummary, error) {
	// the counts read only the members and candidates of the scope's organizations
	joins := `LEFT JOIN (SELECT organization_id,
				count(*) FILTER (WHERE status = 'official') AS official,
				count(*) FILTER (WHERE status = 'probationary') AS probationary
			FROM members WHERE organization_id IN (SELECT id FROM organizations WHERE path LIKE $1 || '%')
			GROUP BY organization_id) m ON m.organization_id = t.id
		LEFT JOIN (SELECT organization_id, count(*) AS open FROM candidates
			WHERE stage NOT IN ('official', 'withdrawn', 'removed', 'transferred')
				AND organization_id IN (SELECT id FROM organizations WHERE path LIKE $1 || '%')
			GROUP BY organization_id) c ON c.organization_id = t.id`
	cols := `coalesce(m.official, 0), coalesce(m.probationary, 0), coalesce(c.open, 0)`
	if !counts {
		joins, cols = "", "0, 0, 0"
	}
	// each level's children through the index of parents (the OFFSET keeps
	// the lateral): joined whole, each level read all 9 300 organizations,
	// 2.3 ms for a ward's 31 instead of 0.55
	rows, err := db.Pool.Query(ctx, `
		WITH RECURSIVE tree AS (
			SELECT o.*, 0 AS depth, ARRAY[o.name::text COLLATE vi] AS sort_key
			FROM organizations o WHERE o.path = $1
			UNION ALL
			SELECT c.*, t.depth + 1, t.sort_key || (c.name::text COLLATE vi)
			FROM tree t CROSS JOIN LATERAL (SELECT * FROM organizations c WHERE c.parent_id = t.id OFFSET 0) c
		)
		SELECT t.id, coalesce(t.parent_id, 0), t.kind, t.name, t.code, t.path, t.has_intermediate_committee, t.has_youth_union,
			t.depth, `+cols+`
		FROM tree t
		`+joins+`
		WHERE t.active
		ORDER BY t.sort_key`, scope)
	if err != nil {
		return nil, wrap(err)
	}
	return collectOrgs(rows)
}

// collectOrgs reads organization summaries.
func collectOrgs(rows pgx.Rows) ([]OrgSummary, error) {
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
	err := db.key().QueryRow(ctx, `SELECT path FROM organizations WHERE id = $1`, id).Scan(&p)
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

type OrgInput = admission.OrgInput

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

type MemberInput = admission.MemberInput

// UpsertMember creates a member by external key, or leaves the existing one;
// for test fixtures. Members of the application are entered through
// admission.Service.AddMember.
func (s *Store) UpsertMember(ctx context.Context, in MemberInput) (int64, error) {
	if m, ok, err := s.MemberByKey(ctx, in.ExternalKey); err != nil || ok {
		return m.ID, err
	}
	name := admission.NormalizeName(in.FullName)
	m := admission.Member{OrganizationID: in.OrganizationID, FullName: name, Gender: in.Gender, BirthDate: in.BirthDate, Status: in.Status,
		AdmittedOn: in.AdmittedOn, CeremonyOn: in.CeremonyOn, OfficialOn: in.OfficialOn, ExternalKey: in.ExternalKey}
	if m.CeremonyOn.IsZero() {
		m.CeremonyOn = m.AdmittedOn
	}
	if m.Status == admission.MemberRemoved || m.Status == admission.MemberTransferred {
		m.LeftOn = m.CeremonyOn
		if !m.OfficialOn.IsZero() {
			m.LeftOn = m.OfficialOn
		}
	}
	if err := s.InsertMember(ctx, &m); err != nil {
		return 0, err
	}
	if err := s.InsertMemberEvent(ctx, &admission.MemberEvent{MemberID: m.ID, Kind: admission.EventAdmitted, OccurredOn: m.CeremonyOn}); err != nil {
		return 0, err
	}
	if !m.OfficialOn.IsZero() {
		if err := s.InsertMemberEvent(ctx, &admission.MemberEvent{MemberID: m.ID, Kind: admission.EventOfficial, OccurredOn: m.OfficialOn}); err != nil {
			return 0, err
		}
	}
	return m.ID, nil
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

// OrganizationByCodeOrID finds an organization by its code or numeric id (no scope: for the CLI).
func (db *DB) OrganizationByCodeOrID(ctx context.Context, key string) (admission.Organization, error) {
	o, err := scanOrg(db.Pool.QueryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.code = $1 OR o.id::text = $1 ORDER BY o.code = $1 DESC LIMIT 1`, key))
	return o, wrap(err)
}

// OrganizationsOf returns the organizations with the given ids, in scope,
// by id: what a page of rows needs of their cells, whatever the scope's size.
func (db *DB) OrganizationsOf(ctx context.Context, ids []int64, scope string) (map[int64]admission.Organization, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.id = ANY($1) AND o.path LIKE $2 || '%'`, ids, scope)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := map[int64]admission.Organization{}
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, wrap(err)
		}
		out[o.ID] = o
	}
	return out, wrap(rows.Err())
}

// scopeSize counts the organizations of a scope, up to limit.
func (db *DB) scopeSize(ctx context.Context, scope string, limit int) (int, error) {
	var n int
	err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM organizations WHERE path LIKE $1 || '%' LIMIT $2) x`, scope, limit).Scan(&n)
	return n, wrap(err)
}

// shapeSize counts the organizations of a scope, up to limit, for a
// statement that chooses its shape by it (a ward's list organization by
// organization, a province's by name): every shape returns the same rows,
// so a count a little out of date costs time, never a wrong answer. The
// count is kept and taken again after shapeRecount uses: a province
// dashboard counted its 9 300 organizations twice on every view.
func (db *DB) shapeSize(ctx context.Context, scope string, limit int) (int, error) {
	if db.shapes == nil {
		return db.scopeSize(ctx, scope, limit)
	}
	if n, ok := db.shapes.get(scope, limit); ok {
		return n, nil
	}
	n, err := db.scopeSize(ctx, scope, limit)
	if err == nil {
		db.shapes.put(scope, limit, n)
	}
	return n, err
}

// shapeRecount is how many times a kept scope count serves before it is
// taken again; shapeScopes is how many scopes are kept before the memo
// starts over.
const shapeRecount, shapeScopes = 1000, 10000

type shapeKey struct {
	scope string
	limit int
}

type shapeCount struct{ n, uses int }

// shapeMemo keeps scopes' organization counts (shapeSize).
type shapeMemo struct {
	mu sync.Mutex
	m  map[shapeKey]shapeCount
}

func (s *shapeMemo) get(scope string, limit int) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := shapeKey{scope, limit}
	c, ok := s.m[k]
	if !ok || c.uses >= shapeRecount {
		return 0, false
	}
	c.uses++
	s.m[k] = c
	return c.n, true
}

func (s *shapeMemo) put(scope string, limit, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil || len(s.m) >= shapeScopes {
		s.m = map[shapeKey]shapeCount{}
	}
	s.m[shapeKey{scope, limit}] = shapeCount{n: n}
}
