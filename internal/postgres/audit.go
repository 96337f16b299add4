package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

type AuditFilter = admission.AuditFilter

// readAction is the action of a read of a file, most of the trail.
const readAction = "candidate.read"

type AuditEntry = admission.AuditEntry

// narrowScope is how many organizations a scope may hold for its audit
// events to be read organization by organization (a ward holds about 30).
var narrowScope = 200

// AuditEvents returns one page of the events of organizations inside scope
// (newest first) and the total count.
func (db *DB) AuditEvents(ctx context.Context, scope string, f AuditFilter) ([]AuditEntry, int, error) {
	where := []string{"o.path LIKE $1 || '%'"}
	args := []any{scope}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.UserID != 0 {
		add("e.user_id = $%d", f.UserID)
	}
	if f.CandidateID != 0 {
		add("e.entity = 'candidate' AND e.entity_id = $%d", f.CandidateID)
	}
	if !f.Since.IsZero() {
		add("e.at > $%d", f.Since)
	}
	if !f.Until.IsZero() {
		add("e.at < $%d", f.Until)
	}
	if f.NotBy != 0 {
		add("e.user_id IS DISTINCT FROM $%d", f.NotBy)
	}
	if f.Name != "" {
		add(`((e.entity = 'candidate' AND EXISTS (SELECT 1 FROM candidates c WHERE c.id = e.entity_id AND c.full_name_search LIKE '%%' || $%[1]d || '%%'))
			OR (e.entity = 'member' AND EXISTS (SELECT 1 FROM members m WHERE m.id = e.entity_id AND m.full_name_search LIKE '%%' || $%[1]d || '%%')))`,
			admission.SearchKey(f.Name))
	}
	switch {
	case strings.HasSuffix(f.Action, "."): // a kind of action: "step."
		add("e.action LIKE $%d || '%%'", f.Action)
	case f.Action != "": // one action, which may be rare: its own index serves it (migration 00028)
		add("e.action = $%d", f.Action)
	}
	if f.Action != "" && !strings.HasPrefix(readAction, f.Action) {
		// implied, and written out so that the planner may use the index
		// of the events other than reads
		where = append(where, "e.action <> '"+readAction+"'")
	}
	if !f.From.IsZero() {
		add("e.at >= ($%d::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'", f.From)
	}
	if !f.To.IsZero() {
		add("e.at < ($%d::date + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'", f.To)
	}
	if f.PerPage <= 0 {
		f.PerPage = 50
	}
	f.Page = min(max(f.Page, 1), maxPage)
	capped := ""
	if f.CountLimit > 0 { // a trail of millions is not counted whole for a page
		capped = ` LIMIT ` + strconv.Itoa(f.CountLimit+1)
	}
	// the events: in a scope of a few organizations, each one's latest
	// through its own index (walking the whole trail by time for a ward's
	// ten latest passed thousands of other wards' events); in a wider one,
	// by time
	orgs, err := db.shapeSize(ctx, scope, narrowScope+1)
	if err != nil {
		return nil, 0, err
	}
	narrow := orgs <= narrowScope
	from, cond := `audit_events e JOIN organizations o ON o.id = e.organization_id`, strings.Join(where, " AND ")
	countFrom := from
	if narrow {
		inner := strings.Join(where[1:], " AND ")
		if inner == "" {
			inner = "true"
		}
		lateral := func(limit string) string {
			return `organizations o CROSS JOIN LATERAL (SELECT * FROM audit_events e WHERE e.organization_id = o.id AND ` + inner +
				` ORDER BY e.at DESC, e.id DESC` + limit + `) e`
		}
		from, countFrom, cond = lateral(fmt.Sprintf(` LIMIT %d`, f.Page*f.PerPage)), lateral(capped), where[0]
	}
	scan := func(rows pgx.Rows, total *int) ([]AuditEntry, error) {
		return pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEntry, error) {
			var e AuditEntry
			dest := []any{&e.ID, &e.At, &e.UserID, &e.UserName, &e.OrganizationID, &e.OrganizationName, &e.Action, &e.Entity, &e.EntityID,
				&e.Before, &e.After, &e.IP, &e.RequestID, &e.UserRole, &e.EntityName, &e.StepKind}
			if total != nil {
				dest = append([]any{total}, dest...)
			}
			return e, r.Scan(dest...)
		})
	}
	var total int
	if f.CountLimit > 0 && f.CountLimit <= maxFirstPageCount && f.Page == 1 && f.PerPage <= f.CountLimit {
		// a short count (a dashboard's changes since the last visit) and
		// its first page in one statement: the page is the count's first
		// rows; no row is a count of none
		args = append(args, f.PerPage)
		rows, err := db.Pool.Query(ctx, `WITH counted AS (SELECT e.*, o.name AS organization_name FROM `+countFrom+` WHERE `+cond+`
				ORDER BY e.at DESC, e.id DESC`+capped+`)
			SELECT (SELECT count(*) FROM counted), `+auditColumns("e.organization_name")+`
			FROM (SELECT * FROM counted ORDER BY at DESC, id DESC LIMIT $`+strconv.Itoa(len(args))+`) e LEFT JOIN users u ON u.id = e.user_id
			ORDER BY e.at DESC, e.id DESC`, args...)
		if err != nil {
			return nil, 0, wrap(err)
		}
		out, err := scan(rows, &total)
		return out, total, wrap(err)
	}
	count := `SELECT count(*) FROM (SELECT 1 FROM ` + countFrom + ` WHERE ` + cond + capped + `) x`
	if err := db.Pool.QueryRow(ctx, count, args...).Scan(&total); err != nil {
		return nil, 0, wrap(err)
	}
	if total == 0 { // nothing to list
		return nil, 0, nil
	}
	args = append(args, f.PerPage, (f.Page-1)*f.PerPage)
	rows, err := db.Pool.Query(ctx, `SELECT `+auditColumns("o.name")+`
		FROM `+from+` LEFT JOIN users u ON u.id = e.user_id
		WHERE `+cond+fmt.Sprintf(` ORDER BY e.at DESC, e.id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, wrap(err)
	}
	out, err := scan(rows, nil)
	return out, total, wrap(err)
}

// maxFirstPageCount is the largest count AuditEvents reads with its first
// page in one statement (which carries every counted event).
const maxFirstPageCount = 200

// auditColumns are an audit entry's columns, from e (the event), u (its
// user) and orgName (its organization's name).
func auditColumns(orgName string) string {
	return `e.id, e.at, coalesce(e.user_id, 0), coalesce(u.full_name || ' (' || u.username || ')', ''),
	e.organization_id, ` + orgName + `, e.action, e.entity, coalesce(e.entity_id, 0),
	coalesce(e.before::text, ''), coalesce(e.after::text, ''), e.ip, e.request_id, coalesce(u.role, ''),
	coalesce(CASE e.entity
		WHEN 'candidate' THEN (SELECT c.full_name FROM candidates c WHERE c.id = e.entity_id)
		WHEN 'member' THEN (SELECT m.full_name FROM members m WHERE m.id = e.entity_id)
		WHEN 'organization' THEN (SELECT x.name FROM organizations x WHERE x.id = e.entity_id)
		WHEN 'user' THEN (SELECT x.full_name FROM users x WHERE x.id = e.entity_id) END, ''),
	coalesce(e.after->'step'->>'Kind', '')`
}

// AuditRead records that an actor from outside a candidate's cell read their record.
func (db *DB) AuditRead(ctx context.Context, a admission.Actor, orgID, candidateID int64) error {
	_, err := db.key().Exec(ctx, `INSERT INTO audit_events (user_id, organization_id, action, entity, entity_id, ip, request_id)
		VALUES ($1, $2, 'candidate.read', 'candidate', $3, $4, $5)`, nullInt(a.UserID), orgID, candidateID,
		admission.MetaFrom(ctx).IP, admission.MetaFrom(ctx).RequestID)
	return wrap(err)
}

type CandidateMove = admission.CandidateMove

// CandidateMoves returns the cell changes of a candidate, oldest first:
// none without reading the audit trail for a file that never moved, else
// from the months between its creation and its last move.
func (db *DB) CandidateMoves(ctx context.Context, candidateID int64) ([]CandidateMove, error) {
	var created time.Time
	var moved *time.Time
	if err := db.key().QueryRow(ctx, `SELECT created_at, moved_at FROM candidates WHERE id = $1`, candidateID).Scan(&created, &moved); err != nil || moved == nil {
		return nil, wrap(err)
	}
	rows, err := db.Pool.Query(ctx, `SELECT e.at, coalesce(u.full_name, ''), coalesce(e.before->>'organization', ''), coalesce(e.after->>'organization', ''),
			coalesce(e.after->>'reason', '')
		FROM audit_events e LEFT JOIN users u ON u.id = e.user_id
		WHERE e.entity = 'candidate' AND e.entity_id = $1 AND e.action = 'candidate.move' AND e.at BETWEEN $2 AND $3
		ORDER BY e.at, e.id`, candidateID, created.AddDate(0, 0, -1), moved.Add(time.Second))
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CandidateMove, error) {
		var m CandidateMove
		err := r.Scan(&m.At, &m.By, &m.From, &m.To, &m.Reason)
		return m, err
	})
	return out, wrap(err)
}

// PreviousLogin is when the user signed in before the current session, zero
// when this is the first time, and the database's time now: the clock that
// stamps the audit events, for bounding a search among them.
func (db *DB) PreviousLogin(ctx context.Context, userID int64) (prev, now time.Time, err error) {
	var at *time.Time
	if err := db.key().QueryRow(ctx, `SELECT previous_login_at, now() FROM users WHERE id = $1`, userID).Scan(&at, &now); err != nil || at == nil {
		return time.Time{}, now, wrap(err)
	}
	return *at, now, nil
}

// AuditCheck is what a walk of the audit chain found.
type AuditCheck = admission.AuditCheck

// VerifyAudit walks the audit chain in order and records the result: the
// first event whose hash is not its content's, or whose link to the
// previous event is broken (an event changed or deleted), or none.
func (db *DB) VerifyAudit(ctx context.Context) (admission.AuditCheck, error) {
	var c admission.AuditCheck
	var broken *int64
	// the events committed so far are linked first, so that the walk covers them
	if _, err := db.ChainAudit(ctx, true); err != nil {
		return c, err
	}
	err := db.Pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM audit_events),
		audit_chain_first_broken(),
		(SELECT hash FROM audit_chain_head)`).Scan(&c.Events, &broken, &c.LastHash)
	if err != nil {
		return c, wrap(err)
	}
	if broken != nil {
		c.FirstBroken = *broken
	}
	err = db.Pool.QueryRow(ctx, `INSERT INTO audit_verifications (events, first_broken, last_hash) VALUES ($1, $2, $3) RETURNING at`,
		c.Events, broken, c.LastHash).Scan(&c.At)
	return c, wrap(err)
}

// chainBatch is how many events one transaction of the chainer links.
const chainBatch = 5000

// ChainAudit links the committed events not yet in the audit chain
// (audit_chain_extend) and returns how many it linked. The events are
// written unchained with their writes, so that writers do not queue on the
// chain's lock; every instance runs this a few times a second (Maintain).
// With wait false it links nothing while another session is linking.
func (db *DB) ChainAudit(ctx context.Context, wait bool) (int, error) {
	total := 0
	for {
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT audit_chain_extend($1, $2)`, chainBatch, wait).Scan(&n); err != nil {
			return total, wrap(err)
		}
		total += n
		if n < chainBatch {
			return total, nil
		}
	}
}

// LastAuditCheck is the latest verification of the chain, zero when none.
func (db *DB) LastAuditCheck(ctx context.Context) (admission.AuditCheck, error) {
	var c admission.AuditCheck
	var broken *int64
	err := db.Pool.QueryRow(ctx, `SELECT at, events, first_broken, coalesce(last_hash, '\x') FROM audit_verifications ORDER BY id DESC LIMIT 1`).
		Scan(&c.At, &c.Events, &broken, &c.LastHash)
	if err == pgx.ErrNoRows {
		return admission.AuditCheck{}, nil
	}
	if broken != nil {
		c.FirstBroken = *broken
	}
	return c, wrap(err)
}
