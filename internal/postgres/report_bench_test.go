package postgres_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/pgtest"
	"ketnap/internal/postgres"
)

// BenchmarkReport measures the period report's queries on a province made
// in SQL: 300 wards of 30 cells (9 000 cells) and KETNAP_BENCH_MEMBERS
// members (default 1 000 000) admitted over 20 years with drawn
// composition. It prints the report of the province for a year and of one
// ward for a year, by decision date.
func BenchmarkReport(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("KETNAP_BENCH_MEMBERS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	db := pgtest.DB(b)
	start := time.Now()
	province, ward := benchProvince(b, db, n)
	b.Logf("province of %d members generated in %s", n, time.Since(start).Round(time.Second))
	from, to := admission.Day(2025, 1, 1), admission.Day(2025, 12, 31)
	for _, c := range []struct{ name, path string }{{"ProvinceYear", province}, {"WardYear", ward}} {
		b.Run(c.name, func(b *testing.B) {
			var got admission.ReportCounts
			for i := 0; i < b.N; i++ {
				var err error
				if got, err = db.AdmissionReport(ctx, c.path, from, to, admission.AdmittedByDecision); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(got.Rows[admission.RowTotal].N), "admitted")
		})
		b.Run(c.name+"ByUnit", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := db.AdmissionsByUnit(ctx, c.path, from, to, admission.AdmittedByDecision); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"List", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := db.AdmittedMembers(ctx, c.path, from, to, admission.AdmittedByDecision, "age:18-30"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchProvince writes the province and returns its path and one ward's.
func benchProvince(b *testing.B, db *postgres.DB, members int) (string, string) {
	b.Helper()
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO organizations (kind, name, code) VALUES ('committee', 'Đảng bộ tỉnh Thử', 'tinh')`,
		`INSERT INTO organizations (parent_id, kind, name, code)
			SELECT (SELECT id FROM organizations WHERE code = 'tinh'), 'committee', 'Đảng bộ phường ' || w, 'p-' || w FROM generate_series(1, 300) w`,
		`INSERT INTO organizations (parent_id, kind, name, code)
			SELECT o.id, 'cell', 'Chi bộ khu ' || c, o.code || '-' || c FROM organizations o, generate_series(1, 30) c WHERE o.code LIKE 'p-%'`,
		`CREATE TEMP TABLE cells AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM organizations WHERE kind = 'cell'`,
		`INSERT INTO persons (full_name, full_name_search, gender, birth_date, origin)
			SELECT 'Người ' || g, 'nguoi ' || g, CASE WHEN g % 2 = 0 THEN 'female' ELSE 'male' END,
				date '1950-01-01' + (g::bigint * 7919 % 18000)::int, 'bench:' || g FROM generate_series(1, $1::int) g`,
		`INSERT INTO members (person_id, organization_id, full_name, full_name_search, gender, birth_date, status, admitted_on, ceremony_on, official_on,
			ethnicity, religion, education_general, education_professional, political_theory, occupation, youth_union, readmission)
			SELECT p.id, c.id, p.full_name, p.full_name_search, p.gender, p.birth_date, 'official', d.adm, d.adm + 10, d.adm + 375,
				(ARRAY['Kinh','Kinh','Kinh','Kinh','Tày','Thái','Mường','Khmer'])[1 + p.id % 8],
				(ARRAY['Không','Không','Không','Phật giáo','Công giáo'])[1 + p.id % 5],
				(ARRAY['upper_secondary','upper_secondary','lower_secondary','primary'])[1 + p.id % 4],
				(ARRAY['Đại học','Trung cấp','Không có','Cao đẳng','Thạc sĩ'])[1 + p.id % 5],
				(ARRAY['Không có','Sơ cấp','Trung cấp'])[1 + p.id % 3],
				(ARRAY['Viên chức','Công nhân','Nông dân','Lao động tự do','Chủ doanh nghiệp tư nhân'])[1 + p.id % 5],
				p.id % 3 = 0, p.id % 50 = 0
			FROM persons p
			JOIN cells c ON c.n = 1 + p.id % 9000
			CROSS JOIN LATERAL (SELECT greatest(date '2006-01-01' + (p.id * 104729 % 7300)::int, p.birth_date + 6600) AS adm) d
			WHERE p.origin LIKE 'bench:%' AND d.adm < date '2026-11-01'`,
		`ANALYZE`,
	} {
		var args []any
		if len(q) > 40 && q[:40] == `INSERT INTO persons (full_name, full_nam` {
			args = []any{members}
		}
		if _, err := db.Pool.Exec(ctx, q, args...); err != nil {
			b.Fatalf("%s: %v", q[:60], err)
		}
	}
	var province, ward string
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT path FROM organizations WHERE code = 'tinh'), (SELECT path FROM organizations WHERE code = 'p-7')`).Scan(&province, &ward); err != nil {
		b.Fatal(err)
	}
	return province, ward
}
