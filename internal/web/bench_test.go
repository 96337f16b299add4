package web_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"ketnap/internal/admission"
)

// benchGet measures the server time of one page (handler, queries, render)
// for a signed-in user, over the demo ward.
func benchGet(b *testing.B, c *client, path string) {
	b.Helper()
	if rec := c.do("GET", path, nil); rec.Code != http.StatusOK {
		b.Fatalf("%s: %d", path, rec.Code)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if rec := c.do("GET", path, nil); rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", path, rec.Code)
		}
	}
}

func BenchmarkPages(b *testing.B) {
	e := newEnv(b, true)
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	var cand int64
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT id FROM candidates WHERE stage = 'probationary' ORDER BY id LIMIT 1`).Scan(&cand); err != nil {
		b.Fatal(err)
	}
	b.Run("CandidateList", func(b *testing.B) { benchGet(b, staff, "/quan-chung") })
	b.Run("CandidateListSearch", func(b *testing.B) { benchGet(b, staff, "/quan-chung?giai-doan=&q=thi") })
	b.Run("CandidatePage", func(b *testing.B) { benchGet(b, staff, "/quan-chung/"+strconv.FormatInt(cand, 10)) })
	b.Run("Dashboard", func(b *testing.B) { benchGet(b, staff, "/") })
}

// BenchmarkCandidateList100k measures the list and its search over 100 000
// candidates in the ward (bench data inserted with SQL, not a demo).
func BenchmarkCandidateList100k(b *testing.B) {
	e := newEnv(b, true)
	ctx := context.Background()
	_, err := e.db.Pool.Exec(ctx, `INSERT INTO candidates (organization_id, full_name, full_name_search, gender, birth_date, education_general, stage, next_due)
		SELECT o.id, 'Nguyễn Văn Thử ' || g, 'nguyen van thu ' || g, 'male', date '1990-01-01' + (g % 5000), 'upper_secondary',
			(ARRAY['source','dossier','awaiting_decision','awaiting_ceremony','probationary'])[1 + g % 5], date '2026-01-01' + (g % 700)
		FROM generate_series(1, 100000) g JOIN LATERAL (SELECT id FROM organizations WHERE kind = 'cell' ORDER BY id OFFSET g % 8 LIMIT 1) o ON true`)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.db.Pool.Exec(ctx, `ANALYZE candidates`); err != nil {
		b.Fatal(err)
	}
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	b.Run("List", func(b *testing.B) { benchGet(b, staff, "/quan-chung") })
	b.Run("SearchRare", func(b *testing.B) { benchGet(b, staff, "/quan-chung?giai-doan=&q=thuan") })
	b.Run("Overdue", func(b *testing.B) { benchGet(b, staff, "/quan-chung?han=overdue") })
	b.Run("LastPage", func(b *testing.B) { benchGet(b, staff, "/quan-chung?trang=1990") })
	b.Run("Dashboard", func(b *testing.B) { benchGet(b, staff, "/") })
}
