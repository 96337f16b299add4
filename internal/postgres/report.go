package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
)

// The period report, counted set-based in SQL. Each row key of
// admission.ReportRows has a predicate here over the admitted members (the
// CTE "a" below); admission.RowMatches says the same in Go and the tests
// hold them equal.

// admittedCTE selects the members admitted in [$2, $3] under scope $1, by
// the decision date or, when basis ($4) is "ceremony", the ceremony date;
// age is their age in full years on that day. The day's column is written
// into the query, so that its index serves the range.
func admittedCTE(basis string) string {
	day := "m.admitted_on"
	if basis == admission.AdmittedByCeremony {
		day = "m.ceremony_on"
	}
	return strings.ReplaceAll(`WITH a AS (
	SELECT m.id, m.full_name, m.gender, m.birth_date, m.organization_id, o.path, o.name AS org_name, m.status,
		m.ethnicity, m.religion, m.education_general, m.education_professional, m.political_theory, m.occupation,
		m.youth_union, m.readmission, m.admitted_on, m.ceremony_on, DAY AS day, $4::text AS basis,
		(date_part('year', DAY) - date_part('year', m.birth_date))::int
			- CASE WHEN m.birth_date + make_interval(years => (date_part('year', DAY) - date_part('year', m.birth_date))::int) > DAY
			  THEN 1 ELSE 0 END AS age
	FROM members m JOIN organizations o ON o.id = m.organization_id
	WHERE o.path LIKE $1 || '%' AND DAY BETWEEN $2 AND $3
)`, "DAY", day)
}

// rowPredicate is the SQL condition over "a" of a row key, with its
// argument (numbered from n) when it compares with a value.
func rowPredicate(key string, n int) (string, []any, bool) {
	switch key {
	case admission.RowTotal:
		return "true", nil, true
	case admission.RowWomen:
		return "a.gender = 'female'", nil, true
	case admission.RowMinority:
		return fmt.Sprintf("a.ethnicity NOT IN ('', '%s')", admission.EthnicityMajority), nil, true
	case admission.RowReligious:
		return fmt.Sprintf("a.religion NOT IN ('', '%s')", admission.ReligionNone), nil, true
	case admission.RowYouth:
		return "a.youth_union", nil, true
	case admission.RowReadmitted:
		return "a.readmission", nil, true
	case admission.RowOwner:
		return fmt.Sprintf("a.occupation = '%s'", admission.OccupationOwner), nil, true
	}
	for _, b := range admission.AgeBands {
		if b.Key == key {
			return fmt.Sprintf("a.age BETWEEN %d AND %d", b.Min, b.Max), nil, true
		}
	}
	kind, value, ok := strings.Cut(key, ":")
	col, known := map[string]string{"edu": "education_general", admission.VocabEthnicity: "ethnicity", admission.VocabReligion: "religion",
		admission.VocabProfessional: "education_professional", admission.VocabTheory: "political_theory", admission.VocabOccupation: "occupation"}[kind]
	if !ok || !known {
		return "", nil, false
	}
	return "a." + col + " = $" + strconv.Itoa(n), []any{value}, true
}

// fixedRows are the rows counted by their predicate; the grouped ones
// (education, vocabularies) are counted by GROUP BY on their column.
var fixedRows = func() []string {
	rows := []string{admission.RowTotal, admission.RowWomen, admission.RowMinority, admission.RowReligious, admission.RowYouth,
		admission.RowReadmitted, admission.RowOwner}
	for _, b := range admission.AgeBands {
		rows = append(rows, b.Key)
	}
	return rows
}()

// reportSQL is the report's query for a basis.
func reportSQL(basis string) string {
	var b strings.Builder
	b.WriteString(admittedCTE(basis) + ", f AS (SELECT ")
	for i, k := range fixedRows {
		p, _, _ := rowPredicate(k, 0)
		fmt.Fprintf(&b, "count(*) FILTER (WHERE %s) AS c%d, count(*) FILTER (WHERE %s AND a.gender = 'female') AS w%d, ", p, i, p, i)
	}
	b.WriteString(`coalesce(round(avg(a.age) * 10), 0)::int AS age10, count(DISTINCT a.organization_id) AS cells FROM a)
	SELECT 'fixed', '', 0, 0, to_jsonb(f) FROM f
	UNION ALL SELECT g.kind, g.value, count(*), count(*) FILTER (WHERE g.gender = 'female'), NULL FROM (
		SELECT 'edu' AS kind, a.education_general AS value, a.gender FROM a
		UNION ALL SELECT 'ethnicity', a.ethnicity, a.gender FROM a
		UNION ALL SELECT 'religion', a.religion, a.gender FROM a
		UNION ALL SELECT 'professional', a.education_professional, a.gender FROM a
		UNION ALL SELECT 'theory', a.political_theory, a.gender FROM a
		UNION ALL SELECT 'occupation', a.occupation, a.gender FROM a
	) g GROUP BY g.kind, g.value`)
	return b.String()
}

// AdmissionReport counts the members admitted in [from, to] under scope by
// row key, with the average age and the cells that admitted someone.
func (db *DB) AdmissionReport(ctx context.Context, scope string, from, to time.Time, basis string) (admission.ReportCounts, error) {
	out := admission.ReportCounts{Rows: map[string]admission.Count{}}
	rows, err := db.Pool.Query(ctx, reportSQL(basis), scope, from, to, basis)
	if err != nil {
		return out, wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, value string
		var n, women int
		var fixed map[string]int
		if err := rows.Scan(&kind, &value, &n, &women, &fixed); err != nil {
			return out, wrap(err)
		}
		if kind != "fixed" {
			out.Rows[kind+":"+value] = admission.Count{N: n, Women: women}
			continue
		}
		for i, k := range fixedRows {
			out.Rows[k] = admission.Count{N: fixed["c"+strconv.Itoa(i)], Women: fixed["w"+strconv.Itoa(i)]}
		}
		out.AgeTenths, out.CellsAdmit = fixed["age10"], fixed["cells"]
	}
	if err := rows.Err(); err != nil {
		return out, wrap(err)
	}
	err = db.Pool.QueryRow(ctx, `SELECT count(*) FROM organizations o WHERE o.path LIKE $1 || '%' AND o.kind = 'cell' AND o.active`, scope).Scan(&out.Cells)
	return out, wrap(err)
}

// AdmittedMembers lists the members a row of the report counts.
func (db *DB) AdmittedMembers(ctx context.Context, scope string, from, to time.Time, basis, key string) ([]admission.ReportPerson, error) {
	p, args, ok := rowPredicate(key, 5)
	if !ok {
		return nil, admission.ErrNotFound
	}
	rows, err := db.Pool.Query(ctx, admittedCTE(basis)+` SELECT a.id, a.full_name, a.gender, a.birth_date, a.org_name, a.admitted_on, a.ceremony_on, a.age,
		a.ethnicity, a.religion, a.education_general, a.education_professional, a.political_theory, a.occupation, a.youth_union, a.readmission
		FROM a WHERE `+p+` ORDER BY a.day, a.full_name COLLATE vi, a.id`, append([]any{scope, from, to, basis}, args...)...)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.ReportPerson, error) {
		var x admission.ReportPerson
		err := r.Scan(&x.MemberID, &x.FullName, &x.Gender, &x.BirthDate, &x.OrgName, &x.AdmittedOn, &x.CeremonyOn, &x.Age,
			&x.Ethnicity, &x.Religion, &x.EducationGeneral, &x.EducationProfessional, &x.PoliticalTheory, &x.Occupation, &x.YouthUnion, &x.Readmission)
		return x, err
	})
	return out, wrap(err)
}

// AdmissionsByUnit counts the period's admissions under each direct child
// of the organization at path (the cells of a ward, the wards of a province).
func (db *DB) AdmissionsByUnit(ctx context.Context, path string, from, to time.Time, basis string) ([]admission.UnitCount, error) {
	depth := strings.Count(path, "/") - 1 // ids in the path
	rows, err := db.Pool.Query(ctx, byUnitSQL(basis), path, from, to, basis, depth+2)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.UnitCount, error) {
		var u admission.UnitCount
		err := r.Scan(&u.OrgID, &u.Name, &u.Kind, &u.N, &u.Women, &u.Minority, &u.Youth)
		return u, err
	})
	return out, wrap(err)
}

func byUnitSQL(basis string) string {
	pred := func(key string) string { p, _, _ := rowPredicate(key, 0); return p }
	return admittedCTE(basis) + `, per AS (
			SELECT split_part(a.path, '/', $5)::bigint AS unit, count(*) AS n, count(*) FILTER (WHERE ` + pred(admission.RowWomen) + `) AS women,
				count(*) FILTER (WHERE ` + pred(admission.RowMinority) + `) AS minority, count(*) FILTER (WHERE ` + pred(admission.RowYouth) + `) AS youth
			FROM a WHERE a.path <> $1 GROUP BY 1)
		SELECT c.id, c.name, c.kind, coalesce(per.n, 0), coalesce(per.women, 0), coalesce(per.minority, 0), coalesce(per.youth, 0)
		FROM organizations c LEFT JOIN per ON per.unit = c.id
		WHERE c.path LIKE $1 || '%' AND c.path ~ ('^' || $1 || '[0-9]+/$') AND c.active
		ORDER BY c.name COLLATE vi`
}

// stageAtSQL reconstructs each candidate's stage on day $2 from the steps
// dated up to it (admission.StageOn): the candidates under scope $1 that had
// a step by then.
const stageAtSQL = `WITH s AS (
	SELECT st.candidate_id, c.organization_id, st.kind, st.outcome IN ('done', 'passed', 'removed') AS counts, st.outcome
	FROM steps st JOIN candidates c ON c.id = st.candidate_id JOIN organizations o ON o.id = c.organization_id
	WHERE o.path LIKE $1 || '%' AND st.occurred_on <= $2
	  AND NOT EXISTS (SELECT 1 FROM steps x WHERE x.supersedes_id = st.id AND x.occurred_on <= $2)
), at AS (
	SELECT candidate_id, min(organization_id) AS organization_id, CASE
		WHEN bool_or(counts AND kind = 'transferred') THEN 'transferred'
		WHEN bool_or(counts AND kind = 'withdrawn') THEN 'withdrawn'
		WHEN bool_or(counts AND kind = 'removed') THEN 'removed'
		WHEN bool_or(counts AND kind = 'recognition_decision' AND outcome = 'removed') THEN 'removed'
		WHEN bool_or(counts AND kind = 'recognition_decision') THEN 'official'
		WHEN bool_or(counts AND kind = 'ceremony') THEN 'probationary'
		WHEN bool_or(counts AND kind = 'decision') THEN 'awaiting_ceremony'
		WHEN bool_or(counts AND kind = 'cell_resolution') THEN 'awaiting_decision'
		WHEN bool_or(counts AND kind = 'application') THEN 'dossier'
		ELSE 'source' END AS stage
	FROM s GROUP BY candidate_id
)`

// StagesOn returns each candidate's stage on day d, reconstructed from the
// steps (for tests and the pipeline).
func (db *DB) StagesOn(ctx context.Context, scope string, d time.Time) (map[int64]admission.Stage, error) {
	rows, err := db.Pool.Query(ctx, stageAtSQL+` SELECT candidate_id, stage FROM at`, scope, d)
	if err != nil {
		return nil, wrap(err)
	}
	defer rows.Close()
	out := map[int64]admission.Stage{}
	for rows.Next() {
		var id int64
		var st admission.Stage
		if err := rows.Scan(&id, &st); err != nil {
			return nil, wrap(err)
		}
		out[id] = st
	}
	return out, wrap(rows.Err())
}

// Pipeline says how the candidates under scope stood on the last day of
// [from, to], and what happened to probationary members in it; it also
// fills counts.CellsNoneOpen.
func (db *DB) Pipeline(ctx context.Context, scope string, from, to time.Time, counts *admission.ReportCounts) (admission.Pipeline, error) {
	p := admission.Pipeline{ByStage: map[admission.Stage]int{}}
	var byOrg []orgStage
	var cells []int64
	// four statements at once: where the candidates stood, the cells, the
	// certificates (a province's 730 000 of a year) and the members
	err := admission.Together(
		func() (err error) { byOrg, err = db.stagesByOrgOn(ctx, scope, to); return err },
		func() error {
			rows, err := db.Pool.Query(ctx, `SELECT id FROM organizations WHERE path LIKE $1 || '%' AND kind = 'cell' AND active`, scope)
			if err == nil {
				cells, err = pgx.CollectRows(rows, pgx.RowTo[int64])
			}
			return wrap(err)
		},
		func() error {
			return wrap(db.Pool.QueryRow(ctx, `SELECT count(*) FROM steps st JOIN candidates c ON c.id = st.candidate_id JOIN organizations o ON o.id = c.organization_id
				WHERE o.path LIKE $1 || '%' AND st.kind = 'awareness_class' AND st.outcome = 'done' AND st.occurred_on BETWEEN $3 AND $2
				AND NOT EXISTS (SELECT 1 FROM steps x WHERE x.supersedes_id = st.id)`, scope, to, from).Scan(&p.AwarenessClass))
		},
		func() error {
			return wrap(db.Pool.QueryRow(ctx, `SELECT
				(SELECT count(*) FROM member_events e JOIN members m ON m.id = e.member_id JOIN organizations o ON o.id = m.organization_id
					WHERE o.path LIKE $1 || '%' AND e.kind = 'official' AND e.occurred_on BETWEEN $3 AND $2),
				(SELECT count(*) FROM member_events e JOIN members m ON m.id = e.member_id JOIN organizations o ON o.id = m.organization_id
					WHERE o.path LIKE $1 || '%' AND e.kind = 'removed' AND e.occurred_on BETWEEN $3 AND $2
					AND (m.official_on IS NULL OR m.official_on > e.occurred_on)),
				(SELECT count(*) FROM members m JOIN organizations o ON o.id = m.organization_id
					WHERE o.path LIKE $1 || '%' AND m.ceremony_on <= $2 AND (m.left_on IS NULL OR m.left_on > $2)
					AND (m.official_on IS NULL OR m.official_on > $2)
					AND m.ceremony_on + make_interval(months => coalesce((SELECT (r.params->>'probation_months')::int FROM rule_sets r
						WHERE r.effective_from <= m.ceremony_on ORDER BY r.effective_from DESC LIMIT 1), $4)) <= $2)`,
				scope, to, from, admission.DefaultParams().ProbationMonths).Scan(&p.Recognised, &p.RemovedProbation, &p.OverdueProbation))
		},
	)
	if err != nil {
		return p, err
	}
	open := map[int64]int{}
	for _, r := range byOrg {
		p.ByStage[r.stage] += r.n
		switch r.stage {
		case admission.StageSource, admission.StageDossier, admission.StageAwaitingDecision, admission.StageAwaitingCeremony:
			open[r.org] += r.n
		}
	}
	counts.CellsNoneOpen = 0
	for _, id := range cells {
		if open[id] == 0 {
			counts.CellsNoneOpen++
		}
	}
	return p, nil
}

// orgStage is how many candidates of an organization were at a stage.
type orgStage struct {
	org   int64
	stage admission.Stage
	n     int
}

// stagesByOrgOn counts the candidates under scope that had a step by day
// d, by their cell and their stage on d (stageAtSQL). When no step at all
// is dated after d (a period that ends today or later), each such
// candidate's stage on d is the stage it has now, which the service
// derives from all its steps (DeriveStage) and the tallies count per cell
// as it writes: the counts are read from them, without the candidates who
// have no step yet (created, not yet nominated: stage/source/new,
// migration 00037). For a province, reconstructing a million candidates'
// stages from ten million steps took 10 to 20 s; the tallies take a few
// hundred milliseconds.
func (db *DB) stagesByOrgOn(ctx context.Context, scope string, d time.Time) ([]orgStage, error) {
	var later bool
	// each kind of step in turn through the index by kind and day (a scan
	// of the steps by day alone would read all ten million)
	if err := db.Pool.QueryRow(ctx, `WITH RECURSIVE k AS (
			SELECT min(kind) AS kind FROM steps
			UNION ALL SELECT (SELECT min(kind) FROM steps WHERE kind > k.kind) FROM k WHERE k.kind IS NOT NULL)
		SELECT EXISTS (SELECT 1 FROM k WHERE EXISTS (SELECT 1 FROM steps s WHERE s.kind = k.kind AND s.occurred_on > $1))`, d).Scan(&later); err != nil {
		return nil, wrap(err)
	}
	q, args := `SELECT t.organization_id, split_part(t.item, '/', 2), sum(t.n) FROM tallies t
		WHERE t.organization_id IN (SELECT id FROM organizations WHERE path LIKE $1 || '%' AND kind = 'cell')
		  AND t.item >= 'stage/' AND t.item < 'stage0' AND t.item <> 'stage/source/new'
		GROUP BY 1, 2 HAVING sum(t.n) <> 0`, []any{scope}
	if later {
		q, args = stageAtSQL+` SELECT organization_id, stage, count(*) FROM at GROUP BY 1, 2`, []any{scope, d}
	}
	rows, err := db.Pool.Query(ctx, q, args...)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (orgStage, error) {
		var x orgStage
		return x, r.Scan(&x.org, &x.stage, &x.n)
	})
	return out, wrap(err)
}

// UnmatchedValues lists the values stored on candidates and members under
// scope that are no entry of their vocabulary, with how many hold each.
func (db *DB) UnmatchedValues(ctx context.Context, scope string) ([]admission.UnmatchedValue, error) {
	rows, err := db.Pool.Query(ctx, `WITH v AS (
		SELECT 'candidate' AS who, c.id, g.kind, g.value FROM candidates c JOIN organizations o ON o.id = c.organization_id
		CROSS JOIN LATERAL (VALUES ('ethnicity', c.ethnicity), ('religion', c.religion), ('professional', c.education_professional),
			('theory', c.political_theory), ('occupation', c.occupation)) g(kind, value)
		WHERE o.path LIKE $1 || '%'
		UNION ALL
		SELECT 'member', m.id, g.kind, g.value FROM members m JOIN organizations o ON o.id = m.organization_id
		CROSS JOIN LATERAL (VALUES ('ethnicity', m.ethnicity), ('religion', m.religion), ('professional', m.education_professional),
			('theory', m.political_theory), ('occupation', m.occupation)) g(kind, value)
		WHERE o.path LIKE $1 || '%' AND m.candidate_id IS NULL
	)
	SELECT v.kind, v.value, count(*) FILTER (WHERE who = 'candidate'), count(*) FILTER (WHERE who = 'member'),
		coalesce(min(v.id) FILTER (WHERE who = 'candidate'), 0), coalesce(min(v.id) FILTER (WHERE who = 'member'), 0)
	FROM v WHERE v.value <> '' AND NOT EXISTS (SELECT 1 FROM vocabularies x WHERE x.kind = v.kind AND x.label = v.value)
	GROUP BY v.kind, v.value ORDER BY v.kind, v.value COLLATE vi LIMIT 500`, scope)
	if err != nil {
		return nil, wrap(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (admission.UnmatchedValue, error) {
		var u admission.UnmatchedValue
		err := r.Scan(&u.Kind, &u.Value, &u.Candidates, &u.Members, &u.CandidateID, &u.MemberID)
		return u, err
	})
	return out, wrap(err)
}

// ReportFingerprint counts the changes under the organization that touch
// the days up to to (migration 00019): while it stays the same, a report of
// a period ending by then reads the same.
func (db *DB) ReportFingerprint(ctx context.Context, orgID int64, to time.Time) (int64, error) {
	var n int64
	err := db.Pool.QueryRow(ctx, `SELECT coalesce(sum(n), 0)::bigint FROM tallies WHERE organization_id = $1 AND item >= 'hist/' AND item <= $2`,
		orgID, "hist/"+to.Format(time.DateOnly)).Scan(&n)
	return n, wrap(err)
}

// CachedReport returns a report's figures stored under the fingerprint, if
// any, with when they were computed.
func (db *DB) CachedReport(ctx context.Context, orgID int64, period, basis string, fingerprint int64) ([]byte, time.Time, bool, error) {
	var payload []byte
	var at time.Time
	err := db.key().QueryRow(ctx, `SELECT payload, computed_at FROM report_cache WHERE organization_id = $1 AND period = $2 AND basis = $3 AND fingerprint = $4`,
		orgID, period, basis, fingerprint).Scan(&payload, &at)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, time.Time{}, false, nil
	}
	return payload, at, err == nil, wrap(err)
}

// StoreReport keeps a report's figures under the fingerprint they were
// computed with, in place of any older ones.
func (db *DB) StoreReport(ctx context.Context, orgID int64, period, basis string, fingerprint int64, payload []byte) error {
	_, err := db.Pool.Exec(ctx, `INSERT INTO report_cache (organization_id, period, basis, fingerprint, payload) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (organization_id, period, basis) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, payload = EXCLUDED.payload, computed_at = now()`,
		orgID, period, basis, fingerprint, payload)
	return wrap(err)
}
