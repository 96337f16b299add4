package postgres

import (
	"context"
	"time"

	"ketnap/internal/admission"
)

// InsertUpload keeps an import file until it is confirmed.
func (s *Store) InsertUpload(ctx context.Context, u *admission.Upload) error {
	return wrap(s.q.QueryRow(ctx, `INSERT INTO import_uploads (user_id, organization_id, name, sha256, encoding, data)
		VALUES (NULLIF($1, 0), $2, $3, $4, $5, $6) RETURNING id, created_at`, u.UserID, u.OrgID, u.Name, u.SHA256, u.Encoding, u.Data).Scan(&u.ID, &u.CreatedAt))
}

// PruneUploads drops the uploads kept since before.
func (s *Store) PruneUploads(ctx context.Context, before time.Time) error {
	_, err := s.q.Exec(ctx, `DELETE FROM import_uploads WHERE created_at < $1`, before)
	return wrap(err)
}

// Upload returns a user's own upload.
func (s *Store) Upload(ctx context.Context, id, userID int64) (admission.Upload, error) {
	u := admission.Upload{ID: id}
	err := s.q.QueryRow(ctx, `SELECT coalesce(user_id, 0), organization_id, name, sha256, encoding, data, created_at, applied_at IS NOT NULL
		FROM import_uploads WHERE id = $1 AND coalesce(user_id, 0) = $2`, id, userID).
		Scan(&u.UserID, &u.OrgID, &u.Name, &u.SHA256, &u.Encoding, &u.Data, &u.CreatedAt, &u.Applied)
	return u, wrap(err)
}

// ApplyUpload marks an upload applied, once.
func (s *Store) ApplyUpload(ctx context.Context, id, userID int64) (bool, error) {
	tag, err := s.q.Exec(ctx, `UPDATE import_uploads SET applied_at = now() WHERE id = $1 AND coalesce(user_id, 0) = $2 AND applied_at IS NULL`, id, userID)
	return tag.RowsAffected() == 1, wrap(err)
}

// ScopeData returns what an export in the import's layout holds: the
// members on the roll and every candidate in scope, with the key each
// candidate was imported under ("" for none).
func (db *DB) ScopeData(ctx context.Context, scope string) ([]admission.Member, []admission.Candidate, []string, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+memberCols+` FROM members m JOIN organizations o ON o.id = m.organization_id
		WHERE o.path LIKE $1 || '%' AND m.left_on IS NULL ORDER BY o.path, m.id`, scope)
	if err != nil {
		return nil, nil, nil, wrap(err)
	}
	var members []admission.Member
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			rows.Close()
			return nil, nil, nil, wrap(err)
		}
		members = append(members, m)
	}
	rows.Close()
	rows, err = db.Pool.Query(ctx, `SELECT `+candidateCols+`, coalesce(c.idempotency_key, '') FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE o.path LIKE $1 || '%' ORDER BY o.path, c.id`, scope)
	if err != nil {
		return nil, nil, nil, wrap(err)
	}
	defer rows.Close()
	var cands []admission.Candidate
	var keys []string
	for rows.Next() {
		var key string
		c, err := scanCandidate(rows, &key)
		if err != nil {
			return nil, nil, nil, wrap(err)
		}
		cands, keys = append(cands, c), append(keys, key)
	}
	return members, cands, keys, wrap(rows.Err())
}
