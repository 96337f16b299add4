package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

type AuditArchive = admission.AuditArchive

// AuditMonths returns the first days of the months the audit trail keeps in
// their own tables, oldest first.
func (db *DB) AuditMonths(ctx context.Context) ([]time.Time, error) {
	rows, err := db.Pool.Query(ctx, `SELECT to_date(substr(c.relname, 14), 'YYYY_MM') FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'audit_events'::regclass AND c.relname ~ '^audit_events_[0-9]{4}_[0-9]{2}$' ORDER BY 1`)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
	return out, wrap(err)
}

// AuditArchives returns the months archived, oldest first.
func (db *DB) AuditArchives(ctx context.Context) ([]AuditArchive, error) {
	rows, err := db.Pool.Query(ctx, `SELECT month, events, coalesce(first_id, 0), coalesce(last_id, 0), first_prev_hash, last_hash,
		file_name, file_sha256, archived_at FROM audit_archives ORDER BY id`)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditArchive, error) {
		var a AuditArchive
		err := r.Scan(&a.Month, &a.Events, &a.FirstID, &a.LastID, &a.FirstPrevHash, &a.LastHash, &a.FileName, &a.FileSHA256, &a.ArchivedAt)
		return a, err
	})
	return out, wrap(err)
}

// ArchiveAuditMonth writes the events of a month of the audit trail to w
// (CSV with a header, in the chain's order), and, in the store's
// transaction, records the archive and detaches and drops the month's
// table. It refuses, changing nothing, a month that is not its own table,
// that is not over, whose events are not all linked, whose chain is broken
// or does not continue the last archive, or whose events do not all come
// before every other event of the chain (months are archived oldest
// first). fileName is recorded with the file's SHA-256.
func (s *Store) ArchiveAuditMonth(ctx context.Context, month time.Time, fileName string, w io.Writer) (AuditArchive, error) {
	m := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
	a := AuditArchive{Month: m, FileName: fileName}
	part := "audit_events_" + m.Format("2006_01")
	label := m.Format("01/2006")
	refuse := func(format string, args ...any) (AuditArchive, error) {
		return AuditArchive{}, admission.Errorf(admission.Invalid, "Không lưu trữ tháng %s: "+format, append([]any{label}, args...)...)
	}
	tx := s.tx
	if tx == nil {
		return a, errors.New("lưu trữ nhật ký cần một giao dịch")
	}
	// the chain's lock: no link is written meanwhile
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7346281)`); err != nil {
		return a, wrap(err)
	}
	var own, over bool
	var from, to time.Time
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
			WHERE i.inhparent = 'audit_events'::regclass AND c.relname = $1),
		(($2::date + interval '1 month') AT TIME ZONE 'Asia/Ho_Chi_Minh') <= date_trunc('month', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh',
		$2::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh', ($2::date + interval '1 month')::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'`,
		part, m).Scan(&own, &over, &from, &to)
	if err != nil {
		return a, wrap(err)
	}
	if !own {
		return refuse("tháng này không có bảng riêng trong nhật ký (đã lưu trữ, hoặc các sự kiện của nó nằm ở bảng mặc định)")
	}
	if !over {
		return refuse("tháng chưa kết thúc")
	}
	// the month's events, their links in the chain's order
	var unlinked int64
	var lastSeq *int64
	if err := tx.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE hash IS NULL OR prev_hash IS NULL) FROM `+part).Scan(&a.Events, &unlinked); err != nil {
		return a, wrap(err)
	}
	if a.Events > 0 {
		if err := tx.QueryRow(ctx, `SELECT id, prev_hash FROM `+part+` ORDER BY chain_seq NULLS FIRST, id LIMIT 1`).Scan(&a.FirstID, &a.FirstPrevHash); err != nil {
			return a, wrap(err)
		}
		if err := tx.QueryRow(ctx, `SELECT id, hash, chain_seq FROM `+part+` ORDER BY chain_seq DESC NULLS LAST, id DESC LIMIT 1`).Scan(&a.LastID, &a.LastHash, &lastSeq); err != nil {
			return a, wrap(err)
		}
	}
	if unlinked > 0 {
		return refuse("%d sự kiện chưa được nối vào chuỗi băm; hãy thử lại sau ít phút", unlinked)
	}
	var prevArchive []byte
	if err := tx.QueryRow(ctx, `SELECT coalesce((SELECT last_hash FROM audit_archives ORDER BY id DESC LIMIT 1), '\x'::bytea)`).Scan(&prevArchive); err != nil {
		return a, wrap(err)
	}
	if a.Events == 0 {
		a.FirstPrevHash, a.LastHash = prevArchive, prevArchive
	} else {
		// every other linked event comes after the month's last link
		var before *int64
		err = tx.QueryRow(ctx, `SELECT id FROM audit_events e WHERE NOT (e.at >= $1 AND e.at < $2) AND e.hash IS NOT NULL
			AND CASE WHEN $3::bigint IS NULL THEN e.chain_seq IS NULL AND e.id < $4 ELSE e.chain_seq IS NULL OR e.chain_seq < $3 END
			LIMIT 1`, from, to, lastSeq, a.LastID).Scan(&before)
		if err != nil && err != pgx.ErrNoRows {
			return a, wrap(err)
		}
		if before != nil {
			return refuse("sự kiện #%d của tháng khác đứng trước trong chuỗi băm; hãy lưu trữ các tháng cũ hơn trước", *before)
		}
		var broken *int64
		err = tx.QueryRow(ctx, `SELECT id FROM (SELECT e.id, e.chain_seq, e.hash, e.prev_hash,
				lag(e.hash) OVER (ORDER BY e.chain_seq NULLS FIRST, e.id) AS previous,
				sha256(e.prev_hash || audit_event_content(e)) AS expected
			FROM audit_events e WHERE e.at >= $1 AND e.at < $2) x
			WHERE x.hash IS DISTINCT FROM x.expected OR x.prev_hash IS DISTINCT FROM coalesce(x.previous, $3)
			ORDER BY x.chain_seq NULLS FIRST, x.id LIMIT 1`, from, to, prevArchive).Scan(&broken)
		if err != nil && err != pgx.ErrNoRows {
			return a, wrap(err)
		}
		if broken != nil {
			return refuse("chuỗi băm đứt tại sự kiện #%d (ketnap audit verify)", *broken)
		}
	}
	h := sha256.New()
	if _, err := tx.Conn().PgConn().CopyTo(ctx, io.MultiWriter(w, h),
		`COPY (SELECT * FROM `+part+` ORDER BY chain_seq NULLS FIRST, id) TO STDOUT WITH (FORMAT csv, HEADER)`); err != nil {
		return a, wrap(err)
	}
	a.FileSHA256 = hex.EncodeToString(h.Sum(nil))
	err = tx.QueryRow(ctx, `INSERT INTO audit_archives (month, events, first_id, last_id, first_prev_hash, last_hash, file_name, file_sha256)
		VALUES ($1, $2, nullif($3, 0), nullif($4, 0), $5, $6, $7, $8) RETURNING archived_at`,
		m, a.Events, a.FirstID, a.LastID, a.FirstPrevHash, a.LastHash, a.FileName, a.FileSHA256).Scan(&a.ArchivedAt)
	if err != nil {
		return a, wrap(err)
	}
	for _, stmt := range []string{`ALTER TABLE audit_events DETACH PARTITION ` + part, `DROP TABLE ` + part} {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return a, fmt.Errorf("%s: %w", stmt, wrap(err))
		}
	}
	return a, nil
}
