package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// GenSpec sizes a generated province: Wards wards of CellsPerWard cells,
// Members members entered directly and Candidates candidates spread over
// every stage, with their steps, sponsors, the members admitted from them,
// and an audit event for each candidate and each step.
type GenSpec struct {
	Code         string // the province's code; its wards and cells' codes start with it
	Name         string
	Wards        int
	CellsPerWard int
	Members      int
	Candidates   int
	Today        time.Time
	// Names are full names with diacritics and Keys their search keys
	// (admission.SearchKey), index by index, men at even indexes and women
	// at odd ones; the generator draws from them.
	Names, Keys []string
	// Progress, when set, is told as each part begins, and "" at the end
	// (the caller times the parts with its own clock).
	Progress func(part string)
}

// GenResult counts what a generation wrote.
type GenResult struct {
	Organizations, Members, Candidates, Steps, AuditEvents int64
}

// The ladder of a generated path: each depth adds the next step, at its day
// offset from the path's start (days).
var genLadder = []struct {
	kind string
	day  int
}{
	{"nominated", 0}, {"awareness_class", 25}, {"application", 40}, {"personal_history", 45}, {"verification", 75},
	{"introduction", 80}, {"comments", 85}, {"cell_resolution", 100}, {"decision", 130}, {"ceremony", 140},
	{"new_member_class", 200}, {"recognition_resolution", 510}, {"recognition_decision", 530},
}

// Generate writes a province in set-based SQL: fast (minutes for a million
// candidates) and within every constraint of the schema. The audit events
// are chained by the database's own trigger as they are inserted.
func (db *DB) Generate(ctx context.Context, g GenSpec) (GenResult, error) {
	var res GenResult
	if g.Wards < 1 || g.CellsPerWard < 1 || len(g.Names) == 0 || len(g.Names) != len(g.Keys) {
		return res, errors.New("generate: a province needs wards, cells and names")
	}
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		return res, wrap(err)
	}
	defer conn.Release()
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organizations WHERE code = $1)`, g.Code).Scan(&exists); err != nil {
		return res, wrap(err)
	}
	if exists {
		return res, fmt.Errorf("tổ chức mã %q đã có: dữ liệu lớn chỉ sinh một lần vào một cơ sở dữ liệu", g.Code)
	}
	kinds, days := make([]string, len(genLadder)), make([]int32, len(genLadder))
	for i, l := range genLadder {
		kinds[i], days[i] = l.kind, int32(l.day)
	}
	today := g.Today.Format("2006-01-02")
	steps := []struct {
		name string
		sql  string
		args []any
	}{
		{"tổ chức", `INSERT INTO organizations (kind, name, code) VALUES ('committee', $1, $2)`, []any{g.Name, g.Code}},
		{"", `INSERT INTO organizations (parent_id, kind, name, code)
			SELECT (SELECT id FROM organizations WHERE code = $1), 'committee', 'Đảng bộ phường Số ' || w, $1 || '-p' || w FROM generate_series(1, $2::int) w`, []any{g.Code, g.Wards}},
		{"", `INSERT INTO organizations (parent_id, kind, name, code)
			SELECT o.id, 'cell', 'Chi bộ khu phố ' || c, o.code || '-' || c FROM organizations o, generate_series(1, $2::int) c
			WHERE o.parent_id = (SELECT id FROM organizations WHERE code = $1) ORDER BY o.id, c`, []any{g.Code, g.CellsPerWard}},
		{"", `CREATE TEMP TABLE gen_cells ON COMMIT PRESERVE ROWS AS
			SELECT row_number() OVER (ORDER BY o.id) - 1 AS n, o.id FROM organizations o JOIN organizations w ON w.id = o.parent_id
			WHERE w.parent_id = (SELECT id FROM organizations WHERE code = $1) AND o.kind = 'cell'`, []any{g.Code}},
		{"", `CREATE UNIQUE INDEX ON gen_cells (n)`, nil},
		{"đảng viên", `INSERT INTO persons (full_name, full_name_search, gender, birth_date, origin)
			SELECT ($2::text[])[1 + (i * 7919) % cardinality($2::text[])], ($3::text[])[1 + (i * 7919) % cardinality($2::text[])],
				CASE WHEN ((i * 7919) % cardinality($2::text[])) % 2 = 1 THEN 'female' ELSE 'male' END, date '1945-01-01' + ((i * 104729) % 16000)::int, $1 || ':dv:' || i
			FROM generate_series(1, $4::bigint) i`, []any{g.Code, g.Names, g.Keys, g.Members}},
		{"", `INSERT INTO members (person_id, organization_id, full_name, full_name_search, gender, birth_date, status, admitted_on, ceremony_on, official_on,
				ethnicity, religion, education_general, education_professional, political_theory, occupation, youth_union, readmission, external_key)
			SELECT p.id, c.id, p.full_name, p.full_name_search, p.gender, p.birth_date, 'official', d.adm, d.adm + 10, d.adm + 375,
				(ARRAY['Kinh','Kinh','Kinh','Kinh','Kinh','Kinh','Tày','Thái','Mường','Khmer'])[1 + p.id % 10],
				(ARRAY['Không','Không','Không','Không','Phật giáo','Công giáo'])[1 + p.id % 6],
				(ARRAY['upper_secondary','upper_secondary','lower_secondary','primary'])[1 + p.id % 4],
				(ARRAY['Đại học','Trung cấp','Không có','Cao đẳng','Thạc sĩ'])[1 + p.id % 5],
				(ARRAY['Không có','Sơ cấp','Trung cấp','Cao cấp'])[1 + p.id % 4],
				(ARRAY['Viên chức','Công nhân','Nông dân','Lao động tự do','Cán bộ, công chức','Hưu trí'])[1 + p.id % 6],
				false, false, p.origin
			FROM persons p
			CROSS JOIN LATERAL (SELECT split_part(p.origin, ':', 3)::bigint AS i) k
			JOIN gen_cells c ON c.n = k.i % (SELECT count(*) FROM gen_cells)
			CROSS JOIN LATERAL (SELECT least(p.birth_date + 8000 + (p.id % 5000)::int, $2::date - 800) AS adm) d
			WHERE p.origin LIKE $1 || ':dv:%'`, []any{g.Code, today}},
		{"", `INSERT INTO member_events (member_id, kind, occurred_on, reason)
			SELECT m.id, e.kind, e.day, 'Dữ liệu sinh cho đo tải' FROM members m
			CROSS JOIN LATERAL (VALUES ('admitted', m.ceremony_on), ('official', m.official_on)) e(kind, day)
			WHERE m.external_key LIKE $1 || ':dv:%'`, []any{g.Code}},
		{"", `CREATE TEMP TABLE gen_members ON COMMIT PRESERVE ROWS AS
			SELECT m.organization_id AS cell, row_number() OVER (PARTITION BY m.organization_id ORDER BY m.id) - 1 AS k, m.id,
				count(*) OVER (PARTITION BY m.organization_id) AS of
			FROM members m WHERE m.external_key LIKE $1 || ':dv:%'`, []any{g.Code}},
		{"", `CREATE UNIQUE INDEX ON gen_members (cell, k)`, nil},
		{"quần chúng", `INSERT INTO persons (full_name, full_name_search, gender, birth_date, origin)
			SELECT ($2::text[])[1 + (i * 6151) % cardinality($2::text[])], ($3::text[])[1 + (i * 6151) % cardinality($2::text[])],
				CASE WHEN ((i * 6151) % cardinality($2::text[])) % 2 = 1 THEN 'female' ELSE 'male' END, $5::date - 8000 - ((i * 2713) % 9000)::int, $1 || ':qc:' || i
			FROM generate_series(1, $4::bigint) i`, []any{g.Code, g.Names, g.Keys, g.Candidates, today}},
		// each candidate's path: how far it went (depth) and when it began
		{"", `CREATE TEMP TABLE gen_plan ON COMMIT PRESERVE ROWS AS
			SELECT p.id AS person_id, c.id AS cell, k.i, d.depth,
				$3::date - ($2::int[])[d.depth] - (CASE
					WHEN d.depth BETWEEN 10 AND 11 THEN (k.i * 31) % 300
					WHEN d.depth = 12 THEN (k.i * 31) % 20
					WHEN d.depth = 13 THEN (k.i * 31) % 2500
					ELSE (k.i * 31) % 120 END)::int AS start
			FROM persons p
			CROSS JOIN LATERAL (SELECT split_part(p.origin, ':', 3)::bigint AS i) k
			CROSS JOIN LATERAL (SELECT (1 + (k.i * 40503) % 13)::int AS depth) d
			JOIN gen_cells c ON c.n = (k.i * 13) % (SELECT count(*) FROM gen_cells)
			WHERE p.origin LIKE $1 || ':qc:%'`, []any{g.Code, days, today}},
		{"", `INSERT INTO candidates (organization_id, person_id, full_name, full_name_search, gender, birth_date, ethnicity, religion, education_general,
				education_professional, occupation, youth_union, trade_union, stage, next_due, next_due_code, version, idempotency_key, created_at)
			SELECT g.cell, p.id, p.full_name, p.full_name_search, p.gender, p.birth_date,
				(ARRAY['Kinh','Kinh','Kinh','Kinh','Kinh','Tày','Nùng','Hoa'])[1 + g.i % 8], (ARRAY['Không','Không','Không','Phật giáo'])[1 + g.i % 4],
				(ARRAY['upper_secondary','upper_secondary','upper_secondary','lower_secondary'])[1 + g.i % 4],
				(ARRAY['Đại học','Cao đẳng','Trung cấp','Không có'])[1 + g.i % 4], (ARRAY['Viên chức','Công nhân','Lao động tự do','Học sinh, sinh viên'])[1 + g.i % 4],
				false, g.i % 3 = 0,
				CASE WHEN g.depth <= 2 THEN 'source' WHEN g.depth <= 7 THEN 'dossier' WHEN g.depth = 8 THEN 'awaiting_decision'
					WHEN g.depth = 9 THEN 'awaiting_ceremony' WHEN g.depth <= 12 THEN 'probationary' ELSE 'official' END,
				CASE WHEN g.depth = 8 THEN g.start + 100 + 84 WHEN g.depth = 9 THEN g.start + 133 + 42
					WHEN g.depth IN (10, 11) THEN g.start + 140 + 365 WHEN g.depth = 12 THEN g.start + 510 + 42 END,
				CASE WHEN g.depth = 8 THEN 'decision' WHEN g.depth = 9 THEN 'ceremony' WHEN g.depth IN (10, 11) THEN 'recognition_review'
					WHEN g.depth = 12 THEN 'recognition_decision' ELSE '' END,
				g.depth, $1 || ':qc:' || g.i, g.start::timestamptz
			FROM gen_plan g JOIN persons p ON p.id = g.person_id`, []any{g.Code}},
		{"", `CREATE TEMP TABLE gen_cands ON COMMIT PRESERVE ROWS AS
			SELECT c.id, c.organization_id AS cell, g.i, g.depth, g.start FROM candidates c JOIN gen_plan g ON g.person_id = c.person_id`, nil},
		{"bước", `INSERT INTO steps (candidate_id, seq, kind, occurred_on, document_no, issued_by, received_on, votes_eligible, votes_yes,
				outcome, route, helper_member_id, rule_set_id, recorded_at, idempotency_key)
			SELECT c.id, s, ($2::text[])[s], c.start + ($3::int[])[s],
				CASE ($2::text[])[s] WHEN 'awareness_class' THEN (100 + c.i % 900) || '/GCN-TTCT' WHEN 'decision' THEN (100 + c.i % 900) || '-QĐ/ĐU'
					WHEN 'recognition_decision' THEN (100 + c.i % 900) || '-QĐ/ĐU' WHEN 'cell_resolution' THEN (1 + c.i % 90) || '-NQ/CB'
					WHEN 'recognition_resolution' THEN (1 + c.i % 90) || '-NQ/CB' ELSE '' END,
				CASE ($2::text[])[s] WHEN 'awareness_class' THEN 'Trung tâm Chính trị' WHEN 'decision' THEN 'Ban Thường vụ Đảng ủy' ELSE '' END,
				CASE WHEN ($2::text[])[s] = 'decision' THEN c.start + ($3::int[])[s] + 3 END,
				CASE WHEN ($2::text[])[s] IN ('cell_resolution', 'recognition_resolution') THEN m.of END,
				CASE WHEN ($2::text[])[s] IN ('cell_resolution', 'recognition_resolution') THEN m.of - (c.i % 2) END,
				CASE WHEN ($2::text[])[s] IN ('verification', 'cell_resolution', 'recognition_resolution') THEN 'passed' ELSE 'done' END,
				CASE WHEN ($2::text[])[s] = 'introduction' THEN 'two_sponsors' END,
				CASE WHEN ($2::text[])[s] IN ('nominated', 'ceremony') THEN m.id END,
				(SELECT min(id) FROM rule_sets), (c.start + ($3::int[])[s])::timestamptz, $1 || ':qc:' || c.i || ':' || s
			FROM gen_cands c
			CROSS JOIN generate_series(1, c.depth) s
			JOIN gen_members m ON m.cell = c.cell AND m.k = c.i % m.of`, []any{g.Code, kinds, days}},
		{"", `INSERT INTO sponsors (step_id, member_id, known_since, relation)
			SELECT s.id, m.id, s.occurred_on - 800, (ARRAY['worked','lived'])[1 + n]
			FROM steps s JOIN gen_cands c ON c.id = s.candidate_id
			CROSS JOIN generate_series(0, 1) n
			JOIN gen_members m ON m.cell = c.cell AND m.k = (c.i + 1 + n) % m.of
			WHERE s.kind = 'introduction'`, nil},
		// the members admitted through the path: probationary, or official a year after the ceremony
		{"", `INSERT INTO members (person_id, organization_id, full_name, full_name_search, gender, birth_date, status, admitted_on, ceremony_on, official_on,
				candidate_id, ethnicity, religion, education_general, education_professional, occupation)
			SELECT c.person_id, c.organization_id, c.full_name, c.full_name_search, c.gender, c.birth_date,
				CASE WHEN g.depth = 13 THEN 'official' ELSE 'probationary' END, g.start + 130, g.start + 140,
				CASE WHEN g.depth = 13 THEN (g.start + 140 + interval '12 months')::date END,
				c.id, c.ethnicity, c.religion, c.education_general, c.education_professional, c.occupation
			FROM candidates c JOIN gen_cands g ON g.id = c.id WHERE g.depth >= 10`, nil},
		{"", `INSERT INTO member_events (member_id, kind, occurred_on, reason)
			SELECT m.id, e.kind, e.day, 'Dữ liệu sinh cho đo tải' FROM members m JOIN gen_cands g ON g.id = m.candidate_id
			CROSS JOIN LATERAL (VALUES ('admitted', m.ceremony_on), ('official', m.official_on)) e(kind, day)
			WHERE e.day IS NOT NULL`, nil},
		{"sự kiện nhật ký", `CREATE TEMP TABLE gen_audit ON COMMIT PRESERVE ROWS AS
			SELECT row_number() OVER (ORDER BY at, entity_id) AS n, * FROM (
				SELECT c.start::timestamptz AS at, c.cell AS org, 'candidate.create' AS action, c.id AS entity_id, NULL::jsonb AS after FROM gen_cands c
				UNION ALL
				SELECT s.recorded_at, c.cell, 'step.record', c.id, jsonb_build_object('kind', s.kind, 'on', s.occurred_on)
				FROM steps s JOIN gen_cands c ON c.id = s.candidate_id) e`, nil},
		{"", `SELECT audit_events_month_partitions((SELECT min(at) FROM gen_audit)::date, current_date)`, nil},
		{"", `DO $$
			DECLARE e record;
			BEGIN
				-- linked as they are inserted: the chainer would write each of millions twice
				PERFORM set_config('ketnap.audit_chain', 'inline', true);
				FOR e IN SELECT * FROM gen_audit ORDER BY n LOOP
					INSERT INTO audit_events (at, organization_id, action, entity, entity_id, after)
					VALUES (e.at, e.org, e.action, 'candidate', e.entity_id, e.after);
				END LOOP;
			END $$`, nil},
		{"", `UPDATE candidates SET forecast_mark = candidate_forecast_mark(id, stage) WHERE stage IN ('awaiting_ceremony', 'dossier')`, nil},
		{"", `SELECT tallies_compact()`, nil},
		{"", `INSERT INTO targets (organization_id, year, admissions) SELECT id, $1::int, 1 + n % 3 FROM gen_cells`, []any{g.Today.Year()}},
		{"", `ANALYZE`, nil},
	}
	if g.Members < 3*g.Wards*g.CellsPerWard {
		return res, errors.New("generate: each cell needs at least three members (helper and two sponsors)")
	}
	for _, t := range []string{"gen_cells", "gen_members", "gen_plan", "gen_cands", "gen_audit"} {
		if _, err := conn.Exec(ctx, `DROP TABLE IF EXISTS `+t); err != nil {
			return res, wrap(err)
		}
	}
	name := ""
	for _, st := range steps {
		if st.name != "" {
			name = st.name
			if g.Progress != nil {
				g.Progress(name)
			}
		}
		if _, err := conn.Exec(ctx, st.sql, st.args...); err != nil {
			return res, fmt.Errorf("generate (%s): %w", name, err)
		}
	}
	if g.Progress != nil {
		g.Progress("")
	}
	err = conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM organizations WHERE code LIKE $1 || '%'),
		(SELECT count(*) FROM members m JOIN organizations o ON o.id = m.organization_id WHERE o.code LIKE $1 || '%'),
		(SELECT count(*) FROM gen_cands), (SELECT count(*) FROM steps s JOIN gen_cands c ON c.id = s.candidate_id), (SELECT count(*) FROM gen_audit)`, g.Code).
		Scan(&res.Organizations, &res.Members, &res.Candidates, &res.Steps, &res.AuditEvents)
	return res, wrap(err)
}

// LoadSample is what a load test drives on a generated province.
type LoadSample struct {
	WardFile, CellFile int64   // an open file of the first ward, of its first cell
	ClosedFile         int64   // a recognized member's file of the first ward
	Rare, Common       string  // a name found once or so, and a frequent one, without diacritics
	WardCandidates     int     // candidates on the first ward's list (open files)
	Nominated          []int64 // files of the province with only a nomination: each takes one awareness class
}

// LoadSample reads the targets of a load test from a generated province.
func (db *DB) LoadSample(ctx context.Context, code string, writes int) (LoadSample, error) {
	var s LoadSample
	err := db.Pool.QueryRow(ctx, `SELECT
		(SELECT c.id FROM candidates c JOIN organizations o ON o.id = c.organization_id WHERE o.path LIKE w.path || '%' AND c.stage = 'awaiting_decision' ORDER BY c.id LIMIT 1),
		(SELECT c.id FROM candidates c WHERE c.organization_id = cell.id AND c.stage IN ('dossier', 'awaiting_decision', 'probationary') ORDER BY c.id LIMIT 1),
		(SELECT c.id FROM candidates c JOIN organizations o ON o.id = c.organization_id WHERE o.path LIKE w.path || '%' AND c.stage = 'official' ORDER BY c.id LIMIT 1),
		(SELECT count(*) FROM candidates c JOIN organizations o ON o.id = c.organization_id WHERE o.path LIKE w.path || '%'
			AND c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred'))
		FROM organizations w, organizations cell WHERE w.code = $1 || '-p1' AND cell.code = $1 || '-p1-1'`, code).
		Scan(&s.WardFile, &s.CellFile, &s.ClosedFile, &s.WardCandidates)
	if err != nil {
		return s, wrap(err)
	}
	err = db.Pool.QueryRow(ctx, `SELECT (SELECT full_name_search FROM candidates GROUP BY full_name_search ORDER BY count(*), full_name_search LIMIT 1),
		(SELECT split_part(full_name_search, ' ', 3) FROM candidates GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)`).Scan(&s.Rare, &s.Common)
	if err != nil {
		return s, wrap(err)
	}
	rows, err := db.Pool.Query(ctx, `SELECT c.id FROM candidates c JOIN organizations o ON o.id = c.organization_id
		WHERE o.code LIKE $1 || '-%' AND c.stage = 'source' AND (SELECT count(*) FROM steps s WHERE s.candidate_id = c.id) = 1
		ORDER BY c.id LIMIT $2`, code, writes)
	if err != nil {
		return s, wrap(err)
	}
	s.Nominated, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	return s, wrap(err)
}

// LoadWrites puts files in a table pgbench reads one by one: the n-th
// transaction takes the file of row nextval('ketnap_load_writes_n'). The
// returned function drops the table and the sequence.
func (db *DB) LoadWrites(ctx context.Context, files []int64) (drop func(), err error) {
	drop = func() {
		_, _ = db.Pool.Exec(context.Background(), `DROP TABLE IF EXISTS ketnap_load_writes; DROP SEQUENCE IF EXISTS ketnap_load_writes_n`)
	}
	drop()
	_, err = db.Pool.Exec(ctx, `CREATE UNLOGGED TABLE ketnap_load_writes (n bigint PRIMARY KEY, id bigint NOT NULL)`)
	if err == nil {
		_, err = db.Pool.Exec(ctx, `CREATE SEQUENCE ketnap_load_writes_n`)
	}
	if err == nil {
		_, err = db.Pool.Exec(ctx, `INSERT INTO ketnap_load_writes SELECT n, id FROM unnest($1::bigint[]) WITH ORDINALITY AS f(id, n)`, files)
	}
	if err != nil {
		drop()
		return func() {}, wrap(err)
	}
	return drop, nil
}
