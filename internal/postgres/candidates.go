package postgres

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

// CellCandidates returns the candidates of an organization in scope, open ones first, by Vietnamese name.
func (db *DB) CellCandidates(ctx context.Context, orgID int64, scope string) ([]admission.Candidate, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+candidateCols+` FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE c.organization_id = $1 AND o.path LIKE $2 || '%'
		ORDER BY c.stage IN ('official', 'withdrawn', 'removed', 'transferred'), split_part(c.full_name, ' ', -1) COLLATE vi, c.full_name, c.id`, orgID, scope)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.Candidate, error) { return scanCandidate(r) })
	return out, wrap(err)
}

// CandidateFacts loads what the candidate page shows: the candidate and its
// cell (in scope), every step, the rule sets and the holidays around today.
func (db *DB) CandidateFacts(ctx context.Context, id int64, scope string) (admission.Candidate, admission.Organization, []admission.Step, admission.RuleSets, []admission.Holiday, error) {
	st := db.Store()
	c, err := st.Candidate(ctx, id, scope)
	if err != nil {
		return c, admission.Organization{}, nil, nil, nil, err
	}
	org, err := st.Organization(ctx, c.OrganizationID, scope)
	if err != nil {
		return c, org, nil, nil, nil, err
	}
	steps, err := st.Steps(ctx, id)
	if err != nil {
		return c, org, nil, nil, nil, err
	}
	rules, err := st.RuleSets(ctx)
	if err != nil {
		return c, org, nil, nil, nil, err
	}
	rows, err := db.Pool.Query(ctx, `SELECT day, name FROM holidays WHERE day BETWEEN current_date - 3650 AND current_date + 1100 ORDER BY day`)
	if err != nil {
		return c, org, nil, nil, nil, wrap(err)
	}
	hol, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.Holiday, error) {
		var h admission.Holiday
		err := r.Scan(&h.Day, &h.Name)
		return h, err
	})
	return c, org, steps, rules, hol, wrap(err)
}

type CandidateFilter = admission.CandidateFilter

type CandidateListRow = admission.CandidateListRow

// ListCandidates returns one page of the candidates in scope that match f,
// exact-diacritic name matches first, then by Vietnamese collation of the
// given name and the full name, and the total count.
func (db *DB) ListCandidates(ctx context.Context, scope string, f CandidateFilter) (admission.CandidatePage, error) {
	var out admission.CandidatePage
	if f.PerPage <= 0 {
		f.PerPage = 50
	}
	f.Page = min(max(f.Page, 1), maxPage)
	q := admission.NormalizeName(f.Query)
	// only the filters given become predicates, so the planner sees each
	// query as it is and picks the index it needs
	args := []any{scope}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	where := []string{`c.organization_id IN (SELECT id FROM organizations WHERE path LIKE $1 || '%')`}
	if q != "" {
		where = append(where, `c.full_name_search LIKE '%' || `+arg(likeEscape(admission.SearchKey(q)))+` || '%'`)
	}
	if f.OrgID != 0 {
		// a cell, or a ward and every cell under it
		where = append(where, `c.organization_id IN (SELECT id FROM organizations WHERE path LIKE (SELECT path FROM organizations WHERE id = `+arg(f.OrgID)+`) || '%')`)
	}
	switch f.Stage {
	case "":
	case "open":
		where = append(where, `c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred')`)
	default:
		where = append(where, `c.stage = `+arg(f.Stage))
	}
	switch f.Due {
	case "overdue":
		where = append(where, `c.next_due < `+arg(f.Today))
	case "soon":
		where = append(where, `c.next_due BETWEEN `+arg(f.Today)+` AND `+arg(f.SoonBy))
	}
	cond := strings.Join(where, " AND ")
	from := `candidates c`
	orgs := 0
	if q != "" || f.Due == "" {
		var err error
		if orgs, err = db.shapeSize(ctx, scope, smallScope+1); err != nil {
			return out, err
		}
	}
	if q != "" {
		// a name found in many places (the trigram index finds 40 000 "dung"
		// in the country) is looked for among the scope's candidates when
		// the scope is small: a ward's few thousand rows are read faster
		// than the country's matches are filtered
		if orgs <= smallScope {
			from = `(SELECT * FROM candidates WHERE organization_id IN (SELECT id FROM organizations WHERE path LIKE $1 || '%') OFFSET 0) c`
		}
	}
	count := `SELECT count(*) FROM ` + from + ` WHERE ` + cond
	if f.CountLimit > 0 {
		count = `SELECT count(*) FROM (SELECT 1 FROM ` + from + ` WHERE ` + cond + ` LIMIT ` + strconv.Itoa(f.CountLimit+1) + `) x`
	}
	if err := db.Pool.QueryRow(ctx, count, args...).Scan(&out.Total); err != nil {
		return out, wrap(err)
	}
	out.Capped = f.CountLimit > 0 && out.Total > f.CountLimit
	key := `split_part(c.full_name, ' ', -1) COLLATE vi, c.full_name, c.id`
	order, offset := key, (f.Page-1)*f.PerPage
	reverse := false
	keyset := q == "" // a search orders exact-diacritic matches first: it pages by number
	if q != "" {
		// exact-diacritic matches come first among the few that match
		order = `CASE WHEN lower(c.full_name) LIKE '%' || lower(` + arg(q) + `) || '%' THEN 0 ELSE 1 END, ` + order
	}
	if keyset && (f.After != "" || f.Before != "") {
		cur, ok := decodeCursor(map[bool]string{true: f.After, false: f.Before}[f.After != ""])
		if ok {
			op := ">"
			if f.After == "" {
				op, reverse = "<", true
				order = `split_part(c.full_name, ' ', -1) COLLATE vi DESC, c.full_name DESC, c.id DESC`
			}
			after := `(split_part(c.full_name, ' ', -1) COLLATE vi, c.full_name, c.id) ` + op + ` (` + arg(cur.given) + ` COLLATE vi, ` + arg(cur.full) + ` COLLATE vi, ` + arg(cur.id) + `::bigint)`
			cond += ` AND ` + after
			where = append(where, after)
			offset = 0
		}
	}
	rowsFrom := offset // the rows skipped in the page's order (none when the keys were paged)
	perOrg := keyset && offset == 0 && f.Due == "" && orgs <= perOrgScope
	if perOrg {
		// A ward's page, in name order, is the first rows of each of its
		// organizations through their own index of names, merged: walking
		// the country's index of names for a ward's fifty passed 6 000 other
		// wards' rows, and sorting the ward's 3 000 with the Vietnamese
		// collation cost as much. The keys come from the index alone (what
		// the list filters by included, migration 00034), and only the
		// page's rows from the table.
		inner := strings.Join(append([]string{"c.organization_id = so.id"}, where[1:]...), " AND ")
		limit := strconv.Itoa(offset + f.PerPage + 1)
		from = `(SELECT c.id FROM organizations so CROSS JOIN LATERAL (SELECT c.id, c.full_name FROM candidates c WHERE ` + inner +
			` ORDER BY ` + order + ` LIMIT ` + limit + `) c WHERE so.path LIKE $1 || '%' ORDER BY ` + order + ` LIMIT ` + limit + `) k
			JOIN candidates c ON c.id = k.id`
		cond = `true`
	} else if small := orgs > 0 && orgs <= smallScope; q != "" || (small && offset > 0) {
		// A search, or a small scope paged deep: the page is found among
		// the keys, and only its rows are read whole. A small scope's keys
		// come from the index of names alone: the whole rows of a ward's
		// 3 300 candidates were read for each search, and 1 500 for its
		// page 30. A wider search carried the whole rows of its 40 000
		// matches through the sort (116 → 85 ms for "dung" in a province).
		keys := `candidates c`
		if small {
			keys = `(SELECT id, organization_id, full_name, full_name_search, stage, next_due FROM candidates
				WHERE organization_id IN (SELECT id FROM organizations WHERE path LIKE $1 || '%') OFFSET 0) c`
		}
		from = `(SELECT c.id FROM ` + keys + ` WHERE ` + cond + ` ORDER BY ` + order +
			` LIMIT ` + strconv.Itoa(f.PerPage+1) + ` OFFSET ` + strconv.Itoa(offset) + `) k JOIN candidates c ON c.id = k.id`
		cond, rowsFrom = `true`, 0
	}
	rows, err := db.Pool.Query(ctx, `SELECT `+candidateCols+`, o.name FROM `+from+` JOIN organizations o ON o.id = c.organization_id
		WHERE `+cond+` ORDER BY `+order+` LIMIT `+arg(f.PerPage+1)+` OFFSET `+arg(rowsFrom), args...)
	if err != nil {
		return out, wrap(err)
	}
	out.Rows, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (CandidateListRow, error) {
		var x CandidateListRow
		var err error
		x.Candidate, err = scanCandidate(r, &x.OrgName)
		return x, err
	})
	if err != nil {
		return out, wrap(err)
	}
	more := len(out.Rows) > f.PerPage
	if more {
		out.Rows = out.Rows[:f.PerPage]
	}
	if reverse {
		slices.Reverse(out.Rows)
	}
	if keyset && len(out.Rows) > 0 {
		first, last := out.Rows[0], out.Rows[len(out.Rows)-1]
		// a page read backwards has more before it when it overflowed; forwards, when it began after a cursor
		if (reverse && more) || (!reverse && (f.After != "" || offset > 0)) {
			out.Prev = encodeCursor(first.FullName, first.ID)
		}
		if (!reverse && more) || reverse {
			out.Next = encodeCursor(last.FullName, last.ID)
		}
	}
	return out, nil
}

// smallScope is the most organizations a scope has that a name search
// reads whole (a ward: a few thousand candidates).
var smallScope = 400

// perOrgScope is the most organizations a scope has whose list is read
// organization by organization (migration 00029).
var perOrgScope = 100

// cursor is a row's place in the list's order.
type cursor struct {
	given, full string
	id          int64
}

// encodeCursor writes a row's place for a link: the name and id, base64.
func encodeCursor(fullName string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10) + "\x00" + fullName))
}

func decodeCursor(s string) (cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, false
	}
	idText, full, ok := strings.Cut(string(b), "\x00")
	id, err := strconv.ParseInt(idText, 10, 64)
	if !ok || err != nil || !utf8.ValidString(full) {
		return cursor{}, false
	}
	parts := strings.Split(full, " ")
	return cursor{given: parts[len(parts)-1], full: full, id: id}, true
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CommitteeMembers returns the members of every organization under a
// committee path (the sponsor and helper pool), by Vietnamese name.
func (db *DB) CommitteeMembers(ctx context.Context, committeePath string) ([]admission.Member, error) {
	return db.Store().CommitteeMembers(ctx, committeePath)
}

// CommitteeMembers returns the current members under a grassroots committee.
func (s *Store) CommitteeMembers(ctx context.Context, committeePath string) ([]admission.Member, error) {
	rows, err := s.q.Query(ctx, `SELECT `+memberCols+` FROM members m JOIN organizations o ON o.id = m.organization_id
		WHERE o.path LIKE $1 || '%' AND m.status IN ('official', 'probationary')
		ORDER BY split_part(m.full_name, ' ', -1) COLLATE vi, m.full_name COLLATE vi, m.id`, forValues, committeePath)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.Member, error) { return scanMember(r) })
	return out, wrap(err)
}

// maxPage caps a page number: beyond it a list is empty, never an overflow.
const maxPage = 1_000_000

// CommitteeSize counts the current members under a committee, up to limit.
func (db *DB) CommitteeSize(ctx context.Context, committeePath string, limit int) (int, error) {
	var n int
	err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM members m WHERE m.organization_id IN
		(SELECT id FROM organizations WHERE path LIKE $1 || '%') AND m.status IN ('official', 'probationary') LIMIT $2) x`, committeePath, limit).Scan(&n)
	return n, wrap(err)
}

// SearchCommitteeMembers finds current members under a committee whose
// name contains key (without diacritics), by Vietnamese name, at most limit.
func (db *DB) SearchCommitteeMembers(ctx context.Context, committeePath, key string, limit int) ([]admission.Member, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+memberCols+` FROM members m JOIN organizations o ON o.id = m.organization_id
		WHERE o.path LIKE $1 || '%' AND m.status IN ('official', 'probationary') AND m.full_name_search LIKE '%' || $2 || '%'
		ORDER BY split_part(m.full_name, ' ', -1) COLLATE vi, m.full_name COLLATE vi, m.id LIMIT $3`, committeePath, likeEscape(key), limit)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.Member, error) { return scanMember(r) })
	return out, wrap(err)
}
